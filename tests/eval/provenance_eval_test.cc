// Quote provenance on real foreign pages (../shared/provenance-dev): the
// evaluation runs end to end (ingest, link, score) and stays above floors
// just under what linking reaches (bench/RESULTS-link.md has the figures).
#include "eval/provenance_eval.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "test_util.h"

namespace echotrace {
namespace {

std::string DevDir() { return testing::SharedDir() + "/provenance-dev"; }

TEST(ProvenanceEval, RealPagesAboveFloors) {
  if (!std::filesystem::exists(DevDir() + "/provenance.jsonl")) GTEST_SKIP() << "no ../shared/provenance-dev";
#ifdef ECHOTRACE_SANITIZED
  GTEST_SKIP() << "ingests corpus records; too slow under the sanitizers";
#endif
  ProvenanceEvalOptions options;
  // Only the corpus records of the pages' windows: a fraction of the
  // corpus, so the test runs in well under a minute. N-gram rarity then
  // differs a little from a whole-file run.
  options.window_days = 30;
  auto run = EvaluateProvenance(DevDir(), options);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->pages, 38);
  ASSERT_GT(run->negatives, 0);
  const KindScore& vn = run->scores.at("verbatim+near");
  const KindScore& retranslation = run->scores.at("retranslation");
  const KindScore& short_quotes = run->scores.at("short");
  EXPECT_GE(vn.f1(), 0.95);
  EXPECT_GE(vn.precision(), 0.95);
  EXPECT_GE(short_quotes.recall(), 0.8);
  EXPECT_GE(retranslation.recall(), 0.4);
  EXPECT_GE(retranslation.precision(), 0.9);
  EXPECT_LE(double(run->negatives_linked) / double(run->negatives), 0.05 + 1e-9);
  // Every link states why it was made.
  for (const ProvenanceRowResult& r : run->rows) {
    if (!r.linked) continue;
    EXPECT_TRUE(r.why == "verbatim" || r.why == "anchored" || r.why == "window+topic" || r.why == "paraphrase")
        << r.page << ": " << r.why;
    EXPECT_GT(r.confidence, 0) << r.page << ": " << r.quote;
  }
}

TEST(ProvenanceEval, MissingFolderIsNotFound) {
  auto run = EvaluateProvenance("/nonexistent/provenance-dev", {});
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace echotrace

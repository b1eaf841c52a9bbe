// Quote provenance on real foreign pages (../shared/provenance-dev): the
// evaluation runs end to end (ingest, link, score) and stays above floors
// just under what linking reaches (bench/RESULTS-link.md has the figures).
#include "eval/provenance_eval.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "engine/engine.h"
#include "eval/dev_pages.h"
#include "test_util.h"

namespace echotrace {
namespace {

std::string DevDir() { return testing::SharedDir() + "/provenance-dev"; }

// One evaluation run (ingest, link, score) shared by the tests below; its
// data directory is kept for the pasted-text comparison and removed after.
class ProvenanceDev : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(DevDir() + "/provenance.jsonl")) return;
#ifdef ECHOTRACE_SANITIZED
    return;
#endif
    ProvenanceEvalOptions options;
    // Only the corpus records of the pages' windows: a fraction of the
    // corpus, so the run takes well under a minute. N-gram rarity then
    // differs a little from a whole-file run.
    options.window_days = 30;
    options.keep_data = true;
    run_ = new Result<ProvenanceRun>(EvaluateProvenance(DevDir(), options));
  }
  static void TearDownTestSuite() {
    if (run_ != nullptr && run_->ok()) std::filesystem::remove_all((*run_)->data_dir);
    delete run_;
    run_ = nullptr;
  }
  void SetUp() override {
    if (!std::filesystem::exists(DevDir() + "/provenance.jsonl")) GTEST_SKIP() << "no ../shared/provenance-dev";
#ifdef ECHOTRACE_SANITIZED
    GTEST_SKIP() << "ingests corpus records; too slow under the sanitizers";
#endif
    ASSERT_NE(run_, nullptr);
    ASSERT_TRUE(run_->ok()) << run_->status().ToString();
  }
  static Result<ProvenanceRun>* run_;
};
Result<ProvenanceRun>* ProvenanceDev::run_ = nullptr;

TEST_F(ProvenanceDev, RealPagesAboveFloors) {
  const ProvenanceRun& run = **run_;
  EXPECT_EQ(run.pages, 38);
  ASSERT_GT(run.negatives, 0);
  const KindScore& vn = run.scores.at("verbatim+near");
  const KindScore& retranslation = run.scores.at("retranslation");
  const KindScore& short_quotes = run.scores.at("short");
  EXPECT_GE(vn.f1(), 0.95);
  EXPECT_GE(vn.precision(), 0.95);
  EXPECT_GE(short_quotes.recall(), 0.8);
  EXPECT_GE(retranslation.recall(), 0.6);
  EXPECT_GE(retranslation.precision(), 0.9);
  EXPECT_LE(double(run.negatives_linked) / double(run.negatives), 0.05 + 1e-9);
  // Every link states why it was made.
  for (const ProvenanceRowResult& r : run.rows) {
    if (!r.linked) continue;
    EXPECT_TRUE(r.why == "verbatim" || r.why == "anchored" || r.why == "window+topic" || r.why == "paraphrase")
        << r.page << ": " << r.why;
    EXPECT_GT(r.confidence, 0) << r.page << ": " << r.quote;
  }
}

// A page pasted with its date and URL gives the links it got when ingested.
TEST_F(ProvenanceDev, PastedPageTracesLikeIngested) {
  auto engine = Engine::Open((*run_)->data_dir + "/data", Engine::Mode::kRead);
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  auto pages = ReadDevPages(DevDir());
  ASSERT_TRUE(pages.ok());
  int compared = 0, with_links = 0;
  for (const DevPage& page : *pages) {
    // Pages of each year and kind: wire copy, a month-dated repost, a long speech.
    if (!page.name.starts_with("11_") && !page.name.starts_with("14_") && !page.name.starts_with("21_") &&
        !page.name.starts_with("24_") && !page.name.starts_with("38_"))
      continue;
    auto view = (*engine)->Show("dev:" + page.name);
    ASSERT_TRUE(view.ok()) << page.name;
    auto stored = (*engine)->LinksOf(view->version.docno);
    ASSERT_TRUE(stored.ok());
    Document doc;
    auto pasted = (*engine)->TraceText(page.text, page.date, page.url, &doc);
    ASSERT_TRUE(pasted.ok()) << pasted.status().ToString();
    EXPECT_EQ(doc.text, view->version.doc.text) << page.name;
    ASSERT_EQ(pasted->size(), stored->size()) << page.name;
    for (size_t k = 0; k < pasted->size(); ++k) {
      const QuoteMatch& a = (*pasted)[k];
      const QuoteMatch& b = (*stored)[k].match;
      EXPECT_EQ(a.quote_begin, b.quote_begin) << page.name;
      EXPECT_EQ(a.quote_end, b.quote_end) << page.name;
      EXPECT_EQ(a.docno, b.docno) << page.name;
      EXPECT_EQ(a.why, b.why) << page.name;
    }
    ++compared;
    with_links += stored->empty() ? 0 : 1;
  }
  EXPECT_EQ(compared, 5);
  EXPECT_GE(with_links, 4);
}

TEST(ProvenanceEval, MissingFolderIsNotFound) {
  auto run = EvaluateProvenance("/nonexistent/provenance-dev", {});
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace echotrace

// Gold evaluation on ../shared/corpus (skipped without it and under sanitizers):
// generated quotes at four edit strengths plus negatives; injected near-duplicates.
#include <gtest/gtest.h>

#include <cstdio>

#include "eval/link_eval.h"
#include "test_util.h"

namespace echotrace {
namespace {

#ifndef ECHOTRACE_SANITIZED
TEST(LinkCorpus, TraceAndDedupMeetTheTargets) {
  if (!testing::HaveShared()) GTEST_SKIP() << "../shared not found: no corpus";
  linkgold::Corpus corpus;
  const std::string dir = testing::SharedDir() + "/corpus/";
  linkgold::LoadJsonl(dir + "rodong_thogra_2021-2022.jsonl", 1000, &corpus);
  linkgold::LoadJsonl(dir + "kcna_stiles_2024.jsonl", 5000, &corpus);
  linkgold::LoadJsonl(dir + "kcna_marquez_2012.jsonl", 3000, &corpus);
  linkgold::BuildIndex(&corpus);
  Tracer tracer(&corpus.index, [&](int64_t d) { return corpus.Get(d); });
  std::vector<linkgold::TraceOutcome> outcomes;
  for (const auto& q : linkgold::MakePositives(corpus, 400, 7)) outcomes.push_back(linkgold::RunOne(corpus, tracer, q));
  for (const auto& q : linkgold::MakeNegatives(corpus, 150, 8)) outcomes.push_back(linkgold::RunOne(corpus, tracer, q));
  const linkgold::Prf prf = linkgold::Score(outcomes, 0);
  EXPECT_GE(prf.f1, 0.95) << "P " << prf.precision << " R " << prf.recall;
  EXPECT_GE(prf.precision, 0.95);
  double right = 0, total = 0;
  for (const auto& o : outcomes) {
    right += o.diff_correct;
    total += o.diff_total;
  }
  EXPECT_GE(right / total, 0.85);
  std::printf("trace P %.3f R %.3f F1 %.3f diff %.3f\n", prf.precision, prf.recall, prf.f1, right / total);

  const linkgold::DedupResult dedup = linkgold::EvaluateDedup(corpus, 300, 9);
  std::printf("dedup P %.3f R %.3f (tp %zu fp %zu fn %zu unlisted %zu)\n", dedup.prf.precision, dedup.prf.recall,
              dedup.prf.tp, dedup.prf.fp, dedup.prf.fn, dedup.unlisted);
  EXPECT_GE(dedup.prf.precision, 0.98);
  EXPECT_GE(dedup.prf.recall, 0.98);
}
#endif

}  // namespace
}  // namespace echotrace

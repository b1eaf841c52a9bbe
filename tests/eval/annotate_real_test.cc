// Annotation scored on real foreign pages (../shared/provenance-dev): floors
// just under the figures reached (bench/RESULTS-annotate-real.md), so a rule
// change that loses ground on real coverage fails here.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "eval/annotate_eval.h"
#include "test_util.h"

namespace echotrace {
namespace {

std::string DevDir() { return testing::SharedDir() + "/provenance-dev"; }

TEST(AnnotateRealPages, FloorsOnTheDevSet) {
  if (!std::filesystem::exists(DevDir() + "/annotations.jsonl")) {
    GTEST_SKIP() << DevDir() << " is not there: real-page annotation eval skipped";
  }
  auto run = EvaluateRealPages(DevDir());
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->pages, 38);
  EXPECT_GE(run->quotes.f1(), 0.97);
  EXPECT_GE(run->persons.f1(), 0.94);
  EXPECT_GE(run->dates.f1(), 0.95);
  ASSERT_GT(run->speakers_checked, 100);
  EXPECT_GE(double(run->speakers_right) / double(run->speakers_checked), 0.89);
  EXPECT_GE(double(run->channels_right) / double(run->channels_checked), 0.89);
}

TEST(AnnotateRealPages, MissingFolderIsNotFound) {
  auto run = EvaluateRealPages("/nonexistent-echotrace-dir");
  EXPECT_FALSE(run.ok());
}

TEST(SpeakerToGoldId, NamingConventionsOnly) {
  EXPECT_EQ(SpeakerToGoldId("dprk"), "north-korea");
  EXPECT_EQ(SpeakerToGoldId("rodong"), "rodong-sinmun");
  EXPECT_EQ(SpeakerToGoldId("kim-jong-un"), "kim-jong-un");
  EXPECT_EQ(SpeakerToGoldId(""), "");
}

}  // namespace
}  // namespace echotrace

// A JSON Lines record's URL names its outlet when its source does not
// (issue 13). Records written for this test.
#include <gtest/gtest.h>

#include <string>

#include "extract/extract.h"

namespace echotrace {
namespace {

std::string SourceOf(const std::string& line) {
  auto doc = Extract(line, InputFormat::kJsonLine, "test.jsonl:1");
  EXPECT_TRUE(doc.ok()) << doc.status().ToString();
  return doc.ok() ? doc->source : "";
}

TEST(JsonLineOutlet, UrlGivesTheOutletWithoutASource) {
  EXPECT_EQ(SourceOf(R"({"title":"Talks","body":"Text.","url":"https://en.yna.co.kr/view/AEN1"})"), "yonhap");
  EXPECT_EQ(SourceOf(R"({"title":"Talks","body":"Text.","url":"https://www.theguardian.com/world/x"})"), "guardian");
}

TEST(JsonLineOutlet, KnownSourceWinsAndUnknownOnesStay) {
  EXPECT_EQ(SourceOf(R"({"title":"T","body":"B.","source":"KCNA","url":"https://www.theguardian.com/x"})"), "kcna");
  EXPECT_EQ(SourceOf(R"({"title":"T","body":"B.","source":"Some Blog","url":"https://example.org/x"})"), "some blog");
  EXPECT_EQ(SourceOf(R"({"title":"T","body":"B."})"), "");
}

}  // namespace
}  // namespace echotrace

// JSON Lines records: the URL names the outlet when the source does not
// (issue 13); a headline a scraper doubled is one headline. Records written
// for this test.
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

std::string TitleOf(const std::string& line) {
  auto doc = Extract(line, InputFormat::kJsonLine, "test.jsonl:1");
  EXPECT_TRUE(doc.ok()) << doc.status().ToString();
  return doc.ok() ? doc->title + "|" + std::string(doc->SpanText(doc->spans.front())) : "";
}

TEST(JsonLineTitle, AHeadlineRepeatedWithoutASeparatorIsOneHeadline) {
  EXPECT_EQ(TitleOf(R"({"title":"Harvest Plans Are AnnouncedHarvest Plans Are Announced","body":"B."})"),
            "Harvest Plans Are Announced|Harvest Plans Are Announced");
  // Not a double: a repeated short word, or two different halves.
  EXPECT_EQ(TitleOf(R"({"title":"Go Go","body":"B."})"), "Go Go|Go Go");
  EXPECT_EQ(TitleOf(R"({"title":"Bye ByeBye Bye","body":"B."})"), "Bye ByeBye Bye|Bye ByeBye Bye");
  EXPECT_EQ(TitleOf(R"({"title":"Rice Harvest Begins  in Rice Harvest Begins","body":"B."})"),
            "Rice Harvest Begins in Rice Harvest Begins|Rice Harvest Begins in Rice Harvest Begins");
}

}  // namespace
}  // namespace echotrace

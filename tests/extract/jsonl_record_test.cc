// JSON Lines records: the URL names the outlet when the source does not
// (issue 13); a headline a scraper doubled is one headline. Records written
// for this test.
#include <gtest/gtest.h>

#include <string>
#include <vector>

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

std::vector<std::string> ParagraphsOf(const std::string& line) {
  auto doc = Extract(line, InputFormat::kJsonLine, "test.jsonl:1");
  EXPECT_TRUE(doc.ok()) << doc.status().ToString();
  std::vector<std::string> out;
  if (!doc.ok()) return out;
  for (const Span& span : doc->spans) {
    if (span.kind == SpanKind::kParagraph) out.emplace_back(doc->SpanText(span));
  }
  return out;
}

TEST(JsonLineBody, ParagraphsJoinedWithCommaSeparatorsAreSplitAndTheTailDropped) {
  // A scraper joined its paragraph list with ", " (empty items left in).
  EXPECT_EQ(ParagraphsOf(
                R"({"title":"T","body":"The dam was opened., ,  The minister said:, ,  Work goes on., , ,  , , ,"})"),
            (std::vector<std::string>{"The dam was opened.", "The minister said:", "Work goes on."}));
  // One ", ," alone, a comma list, and bodies with line breaks stay as they were.
  EXPECT_EQ(ParagraphsOf(R"({"title":"T","body":"Rice, , and maize grew."})"),
            (std::vector<std::string>{"Rice, , and maize grew."}));
  EXPECT_EQ(ParagraphsOf(R"({"title":"T","body":"Rice, maize, wheat, barley."})"),
            (std::vector<std::string>{"Rice, maize, wheat, barley."}));
  EXPECT_EQ(ParagraphsOf(R"({"title":"T","body":"One., ,  two., ,  three.\nFour."})").size(), 2u);
}

}  // namespace
}  // namespace echotrace

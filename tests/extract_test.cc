// Extraction rules for flattened text pages, and the outlet table.
#include "extract/extract.h"

#include <gtest/gtest.h>

#include "extract/outlets.h"
#include "test_util.h"

namespace echotrace {
namespace {

std::vector<std::string> Labels(const Document& doc) {
  std::vector<std::string> labels;
  for (const Span& span : doc.spans) {
    if (span.kind == SpanKind::kBoilerplate) labels.push_back(span.label + ":" + std::string(doc.SpanText(span)));
  }
  return labels;
}

Document ExtractText(const std::string& page) {
  auto doc = Extract(page, InputFormat::kText, "test.txt");
  EXPECT_TRUE(doc.ok()) << doc.status().ToString();
  return doc.ok() ? std::move(doc).value() : Document();
}

TEST(Outlets, ByNameAliasAndUrl) {
  ASSERT_NE(FindOutletByName("KCNA"), nullptr);
  EXPECT_EQ(FindOutletByName("Korean Central News Agency")->id, "kcna");
  EXPECT_TRUE(FindOutletByName("rodong sinmun")->state_media);
  EXPECT_FALSE(FindOutletByName("Reuters")->state_media);
  EXPECT_EQ(FindOutletByName("Nobody's Gazette"), nullptr);
  EXPECT_EQ(FindOutletByUrl("https://www.foxnews.com/world/x.amp")->id, "fox-news");
  EXPECT_EQ(FindOutletByUrl("http://en.yna.co.kr/view/AEN2022")->id, "yonhap");
  EXPECT_EQ(FindOutletByUrl("https://notfoxnews.com/"), nullptr) << "a domain matches whole labels only";
  EXPECT_EQ(FindOutletByUrl("foxnews.com"), nullptr);
}

TEST(PlainText, WireStoryChromeDatelineCaptionSourceLine) {
  const Document doc = ExtractText(
      "Logo\n"
      "Pyongyang opens a new greenhouse farm\n"
      "Workers tend seedlings at the farm in this handout picture. (File photo: Reuters/KCNA)\n\n"
      "4 Jun 2024 10:05PM (Updated: 5 Jun 2024 06:00AM)\n"
      "SEOUL: North Korea opened a large greenhouse farm, state media said on Tuesday.\n\n"
      "The farm will supply vegetables to the capital, KCNA said.\n\n"
      "Source: Reuters/xy\n\nRead in App\n");
  EXPECT_EQ(doc.title, "Pyongyang opens a new greenhouse farm");
  EXPECT_EQ(doc.date, "2024-06-04");
  EXPECT_EQ(doc.source, "reuters");
  EXPECT_EQ(doc.Body(),
            "SEOUL: North Korea opened a large greenhouse farm, state media said on Tuesday.\n\n"
            "The farm will supply vegetables to the capital, KCNA said.");
  const std::vector<std::string> labels = Labels(doc);
  ASSERT_EQ(labels.size(), 5u);
  EXPECT_EQ(labels[0], "header:Logo");
  EXPECT_EQ(labels[1].substr(0, 14), "photo_caption:");
  EXPECT_EQ(labels[2].substr(0, 9), "dateline:");
  EXPECT_EQ(labels[3], "source_line:Source: Reuters/xy");
  EXPECT_EQ(labels[4], "app_banner:Read in App");
}

TEST(PlainText, EditorialMarksAndOriginalUrl) {
  const Document doc = ExtractText(
      "Kim Jong Un addressed the meeting, the report said.\n{snip}\nHe spoke for two hours.\n[...]\n"
      "* Original Article:\nhttps://www.nknews.org/2024/01/some-story/\n");
  EXPECT_EQ(doc.url, "https://www.nknews.org/2024/01/some-story/");
  EXPECT_EQ(doc.source, "nk-news");
  EXPECT_EQ(doc.title, "") << "a sentence is not a headline";
  EXPECT_EQ(doc.Body(), "Kim Jong Un addressed the meeting, the report said.\n\nHe spoke for two hours.");
  EXPECT_EQ(Labels(doc).size(), 4u);
}

TEST(PlainText, TeaserListAndCommentFormAreCut) {
  const Document doc = ExtractText(
      "Harvest Report\n\nFarms in the province gathered a rich crop this autumn.\n\n"
      "More From Naenara (En)\nA new school opened in the county town, built by local\nOctober 2, 2024\n"
      "A new school opened in the county town, built by local\nA theatre troupe toured the coast\n"
      "October 1, 2024\nA theatre troupe toured the coast\n\nLeave a Reply\nConnecting to %s\n");
  EXPECT_EQ(doc.source, "naenara");
  EXPECT_EQ(doc.Body(), "Farms in the province gathered a rich crop this autumn.");
  size_t teasers = 0, comments = 0;
  for (const Span& span : doc.spans) {
    teasers += span.label == "teaser_list";
    comments += span.label == "comment_form";
  }
  EXPECT_EQ(teasers, 7u);
  EXPECT_EQ(comments, 2u);
  EXPECT_NE(doc.text.find("A theatre troupe toured the coast"), std::string::npos) << "cut, not lost";
}

TEST(PlainText, TeaserItemsBecomeStubsOnce) {
  const Document page = ExtractText(
      "Harvest Report\n\nFarms in the province gathered a rich crop this autumn.\n\n"
      "More From Naenara (En)\nA new school opened in the county town\nOctober 2, 2024\n"
      "A new school opened in the county town\nA theatre troupe toured the coast\n"
      "October 1, 2024\nA theatre troupe toured the coast\n");
  const std::vector<Document> stubs = SplitTeasers(page);
  ASSERT_EQ(stubs.size(), 2u);
  EXPECT_EQ(stubs[0].title, "A new school opened in the county town");
  EXPECT_EQ(stubs[0].date, "2024-10-02");
  EXPECT_EQ(stubs[1].date, "2024-10-01");
  EXPECT_EQ(stubs[1].source, "naenara");
  EXPECT_TRUE(stubs[1].IsHeadlineStub());
  EXPECT_TRUE(SplitTeasers(ExtractText("Title\n\nJust a body.")).empty());
}

TEST(PlainText, JucheDateStampsAndPostedByLines) {
  EXPECT_EQ(ExtractText("Flood Prevention Work Stepped Up Nationwide\n\nPyongyang, July 27 (KCNA) -- Officials "
                        "inspected dykes and pumping stations along the major rivers of the country this week.\n\n"
                        "www.kcna.kp (Juche113.7.27.)\n")
                .date,
            "2024-07-27");
  EXPECT_EQ(ExtractText("A Headline About Seaside Camps Here\n\nJuche 111(2021).3.29.\n\nBody text.\n").date, "")
      << "Juche 111 is 2022: a mismatched bracket year is not a date";
  const Document blog = ExtractText(
      "Listeners Write In From Many Countries\n\nPosted on November 5, 2023 by admin\n\n"
      "The station read letters from listeners abroad, thanking them for their reports on the harvest.\n");
  EXPECT_EQ(blog.date, "2023-11-05");
  EXPECT_EQ(blog.title, "Listeners Write In From Many Countries");
}

TEST(PlainText, ReadMoreInsideTheTextIsNotATeaserList) {
  const Document doc = ExtractText("A Title\n\nFirst paragraph.\n\nRead more\n\nSecond paragraph here.\n");
  EXPECT_NE(doc.Body().find("Second paragraph here."), std::string::npos);
}

TEST(PlainText, SeedsComeOutWithMetadata) {
  if (!testing::HaveShared()) GTEST_SKIP() << "../shared is not beside the clone: seed checks skipped";
  struct Expect {
    const char* file;
    const char* title_prefix;
    const char* source;
    const char* date;
  };
  for (const Expect& e : {Expect{"000_0e8584cc42d65cc9.txt", "North Korea's Kim calls", "reuters", "2022-03-29"},
                          Expect{"001_68f66010d497fd4e.txt", "", "naenara", ""},
                          Expect{"002_85cc532c9a35d9dd.txt", "Precious Guideline", "", ""},
                          Expect{"003_213a3d0f3d49bde7.txt", "In Pics- Kim's North Korea", "", ""},
                          Expect{"004_6519178b2eb1848a.txt", "", "fox-news", ""}}) {
    const Document doc = ExtractText(testing::ReadFile(testing::SharedDir() + "/seeds/" + e.file));
    EXPECT_EQ(doc.title.substr(0, std::string(e.title_prefix).size()), e.title_prefix) << e.file;
    EXPECT_EQ(doc.source, e.source) << e.file;
    EXPECT_EQ(doc.date, e.date) << e.file;
    const std::string body = doc.Body();
    EXPECT_EQ(body.find("Logo"), std::string::npos) << e.file;
    EXPECT_EQ(body.find("January 30, 2026"), std::string::npos) << e.file;
    EXPECT_EQ(body.find("{snip"), std::string::npos) << e.file;
    EXPECT_EQ(body.find("Leave a Reply"), std::string::npos) << e.file;
    EXPECT_EQ(body.find("Read in App"), std::string::npos) << e.file;
  }
}

}  // namespace
}  // namespace echotrace

namespace echotrace {
namespace {

TEST(Html, JsonLdGivesDateHeadlineAndPublisher) {
  const std::string html =
      "<!doctype html><html><head><title>Home</title>"
      "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":"
      "\"NewsArticle\",\"headline\":\"Tideland Reclamation Advances\",\"datePublished\":\"2024-05-10T09:00:00+09:00\","
      "\"publisher\":{\"@type\":\"Organization\",\"name\":\"Rodong Sinmun\"}}]}</script>"
      "<script type=\"application/ld+json\">{ broken</script></head><body>"
      "<nav><a href=\"/\">Home</a> <a href=\"/w\">World</a></nav>"
      "<div class=\"story-body\"><h2>Tideland Reclamation Advances</h2>"
      "<p>Builders on the west coast finished a new embankment, gaining farmland from the sea, the paper said.</p>"
      "<p>The project, begun in spring, drew youth shock brigades from several provinces and counties.</p></div>"
      "</body></html>";
  auto doc = Extract(html, InputFormat::kHtml, "ld.html");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->date, "2024-05-10");
  EXPECT_EQ(doc->title, "Tideland Reclamation Advances");
  EXPECT_EQ(doc->source, "rodong");
  EXPECT_EQ(doc->Body().find("Tideland Reclamation"), std::string::npos) << "the headline is not body";
  EXPECT_NE(doc->Body().find("youth shock brigades"), std::string::npos);
}

}  // namespace
}  // namespace echotrace

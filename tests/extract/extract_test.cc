// Extraction rules for flattened text pages, and the outlet table.
#include "extract/extract.h"

#include <gtest/gtest.h>

#include "extract/blocks.h"
#include "lexicon/outlets.h"
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

TEST(PlainText, StateMediaDatelineTakesTheYearOfTheReportedDay) {
  const std::string lead =
      "Pyongyang, April 16 (KCNA) -- A national meeting of model workers opened in Pyongyang on April 15, Juche 113 "
      "(2024), to share the experience gained in the spring sowing campaign across the country.";
  auto doc = Extract("Model Workers Meet in Pyongyang\n\n" + lead + "\n\nThe meeting closed with a pledge.",
                     InputFormat::kText, "kcna.txt");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->source, "kcna");
  EXPECT_EQ(doc->date, "2024-04-16");
  // A year attached to a day long before the dateline (an anniversary) is
  // not the article's year.
  const std::string anniversary =
      "Pyongyang, April 16 (KCNA) -- Working people across the country recalled the founding of the school on April "
      "2 (1954), and laid flowers before the monument in its courtyard.";
  auto old = Extract("Anniversary Marked\n\n" + anniversary, InputFormat::kText, "kcna.txt");
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->date, "");
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

TEST(PlainText, ColonsWithoutDigitsAreNoTime) {
  // fuzz_dates found "9:::::" read as a time with seconds and its minutes
  // parsed from "::" (an uncaught std::invalid_argument ended the process).
  const Document doc = ExtractText("Harbour Works Go On\n\nSEOUL, Nov. 9:::::\n\nThe harbour works went on.\n");
  EXPECT_EQ(doc.title, "Harbour Works Go On");
  // A time with seconds still reads.
  extract_internal::DateLineParts parts;
  ASSERT_TRUE(extract_internal::ParseDateLineParts("November 9, 2024 08:59:00", &parts));
  EXPECT_EQ(parts.key.rfind("2024-11-09T08:59", 0), 0u) << parts.key;
  EXPECT_FALSE(extract_internal::ParseDateLineParts("November 9, 2024 9:::::", &parts) &&
               parts.key.find('T') != std::string::npos);
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

namespace echotrace {
namespace {

// The first boilerplate span with `label`, or nullptr.
const Span* FindLabel(const Document& doc, const std::string& label) {
  for (const Span& span : doc.spans) {
    if (span.kind == SpanKind::kBoilerplate && span.label == label) return &span;
  }
  return nullptr;
}

std::string Attr(const Span& span, const std::string& name) {
  for (const auto& [key, value] : span.attrs) {
    if (key == name) return value;
  }
  return "";
}

Document ExtractFile(const std::string& path, InputFormat format) {
  auto doc = Extract(testing::ReadFile(path), format, path);
  EXPECT_TRUE(doc.ok()) << path << ": " << doc.status().ToString();
  return doc.ok() ? std::move(doc).value() : Document();
}

// Metadata the Document has no field for sits on the spans that carry it.
TEST(SpanKeys, SeedDatelineCaptionAndCategory) {
  if (!testing::HaveShared()) GTEST_SKIP() << "../shared is not beside the clone: seed checks skipped";
  const Document cna = ExtractFile(testing::SharedDir() + "/seeds/000_0e8584cc42d65cc9.txt", InputFormat::kText);
  const Span* dateline = FindLabel(cna, "dateline");
  ASSERT_NE(dateline, nullptr);
  EXPECT_EQ(dateline->key, "2022-03-29T08:59") << "the line states no zone, so none is invented";
  EXPECT_EQ(Attr(*dateline, "updated"), "2022-03-29T08:59");
  const Span* caption = FindLabel(cna, "photo_caption");
  ASSERT_NE(caption, nullptr);
  EXPECT_EQ(caption->key, "Reuters/KCNA");
  const Document blog = ExtractFile(testing::SharedDir() + "/seeds/002_85cc532c9a35d9dd.txt", InputFormat::kText);
  const Span* category = FindLabel(blog, "category");
  ASSERT_NE(category, nullptr);
  EXPECT_EQ(category->key, "Ideology; Narrated");
}

TEST(SpanKeys, GoldPagesBylinesZonesAndCredits) {
  const std::string pages = testing::SourceDir() + "/tests/data/extract/pages/";
  // A wire page: UTC metadata, the page shows the Seoul day under the headline.
  const Document launch = ExtractFile(pages + "reuters_2024-05-02_launch.html", InputFormat::kHtml);
  EXPECT_EQ(launch.date, "2024-05-02");
  const Span* byline = FindLabel(launch, "byline");
  ASSERT_NE(byline, nullptr);
  EXPECT_EQ(byline->key, "Dana Whitfield; Seo Ji-woo");
  const Span* dateline = FindLabel(launch, "dateline");
  ASSERT_NE(dateline, nullptr);
  EXPECT_EQ(dateline->key, "2024-05-02T08:41+09:00");
  // "Reporting by A; Additional reporting by B; Editing by C".
  const Document trains = ExtractFile(pages + "reuters_2024-08-21_trains.txt", InputFormat::kText);
  const Span* credits = nullptr;
  for (const Span& span : trains.spans) {
    if (span.label == "byline" && !span.attrs.empty()) credits = &span;
  }
  ASSERT_NE(credits, nullptr);
  EXPECT_EQ(credits->key, "Dana Whitfield");
  EXPECT_EQ(Attr(*credits, "additional reporting"), "Liu Chen");
  EXPECT_EQ(Attr(*credits, "editing"), "Kenji Morrow");
  EXPECT_EQ(FindLabel(trains, "photo_caption")->key, "REUTERS/Kim Min-su");
  const Document balloons = ExtractFile(pages + "liveblog_2024-09-09_balloons.txt", InputFormat::kText);
  ASSERT_NE(FindLabel(balloons, "dateline"), nullptr);
  EXPECT_EQ(FindLabel(balloons, "dateline")->key, "2024-09-09T16:45+09:00") << "KST is +09:00";
  const Document ap = ExtractFile(pages + "ap_2024-03-11_drills.txt", InputFormat::kText);
  ASSERT_NE(FindLabel(ap, "byline"), nullptr);
  EXPECT_EQ(FindLabel(ap, "byline")->key, "Hannah Park") << "shouted names are title-cased in the key";
}

TEST(PlainText, BylinesAreNotSentences) {
  const Document doc = ExtractText(
      "Harvest Festival Opens in Kaesong\n\n"
      "By Kim Ok Sun\n\n"
      "By noon the square was full, and the first carts of apples had been sold to visitors from the city.\n\n"
      "By Monday, officials said, the fair would have drawn more than ten thousand people from nearby counties.\n\n"
      "#1 on the list of the county's needs is water for the orchards, the farm manager said.\n\n"
      "#harvest #Kaesong #apples\n");
  const Span* byline = FindLabel(doc, "byline");
  ASSERT_NE(byline, nullptr);
  EXPECT_EQ(byline->key, "Kim Ok Sun");
  EXPECT_NE(doc.Body().find("By noon the square"), std::string::npos);
  EXPECT_NE(doc.Body().find("By Monday, officials said"), std::string::npos);
  EXPECT_NE(doc.Body().find("#1 on the list"), std::string::npos) << "a sentence, not a hashtag row";
  const Span* tags = FindLabel(doc, "category");
  ASSERT_NE(tags, nullptr);
  EXPECT_EQ(tags->key, "harvest; Kaesong; apples");
}

TEST(PlainText, CookieNoticeAboveTheHeadline) {
  const Document doc = ExtractText(
      "Your privacy choices\n"
      "We use cookies to measure audiences and to remember your settings on this site.\n"
      "Accept all\n"
      "Reject all\n\n"
      "Ferry Service Resumes Between Two Ports\n\n"
      "A passenger ferry resumed its weekly run between the two ports on Tuesday after a winter pause of "
      "three months, the operator said, with a new timetable for the summer.\n");
  EXPECT_EQ(doc.title, "Ferry Service Resumes Between Two Ports");
  size_t banner = 0;
  for (const Span& span : doc.spans) banner += span.label == "cookie_banner" ? 1 : 0;
  EXPECT_EQ(banner, 4u);
}

TEST(Metadata, CompactAndIsoDates) {
  std::string iso;
  EXPECT_TRUE(NormalizeMetadataDate("20241010173200", &iso));
  EXPECT_EQ(iso, "2024-10-10");
  EXPECT_TRUE(NormalizeMetadataDate("20240229", &iso));
  EXPECT_EQ(iso, "2024-02-29");
  EXPECT_FALSE(NormalizeMetadataDate("20230229", &iso)) << "no Feb 29 in 2023";
}

TEST(Metadata, MonthPrecisionDatesAreKept) {
  std::string iso;
  EXPECT_TRUE(NormalizeMetadataDate("2021-10", &iso));
  EXPECT_EQ(iso, "2021-10");
  EXPECT_TRUE(NormalizeMetadataDate("April 2012", &iso));
  EXPECT_EQ(iso, "2012-04");
  EXPECT_TRUE(NormalizeMetadataDate("Sept. 2024", &iso));
  EXPECT_EQ(iso, "2024-09");
  iso = "untouched";
  EXPECT_FALSE(NormalizeMetadataDate("2021-13", &iso));
  EXPECT_FALSE(NormalizeMetadataDate("Smarch 2012", &iso));
  EXPECT_EQ(iso, "untouched");
  // A JSON record dated by month keeps it (not stored undated, no warning).
  auto doc = Extract(R"({"title":"T","body":"Body text.","date":"2021-06"})", InputFormat::kJsonLine, "x");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->date, "2021-06");
  EXPECT_TRUE(doc->warnings.empty());
}

TEST(Html, TopBarTodayAndTeaserDatesAreNotThePublicationDate) {
  const std::string html =
      "<html><head><title>KCNA | Dam Finished</title></head><body>"
      "<div class=\"top\"><div class=\"today\">Juche 113(2024).4.19. Friday</div></div>"
      "<div class=\"wrap\"><h3>Dam Finished</h3><p class=\"when\">Juche 113(2024).4.18.</p>"
      "<div class=\"text\"><p>Builders finished a dam on the river, the agency said, after two years of work, "
      "with a power station to follow.</p><p>The dam will water fields in three counties, officials said, and "
      "ease floods in the rainy season.</p></div>"
      "<div class=\"related-list\"><h4>Other Articles</h4><ul><li><a href=\"/a\">Another story</a> "
      "<span>2024.04.17.</span></li></ul></div></div></body></html>";
  auto doc = Extract(html, InputFormat::kHtml, "kcna.html");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->title, "Dam Finished");
  EXPECT_EQ(doc->date, "2024-04-18") << "the date under the headline, not the top bar's today";
}

TEST(Html, ChunkedBodyAndTeaserSection) {
  // A body cut into two chunks of one class around a pull quote, then a
  // "Related" section whose items read like prose.
  const std::string para =
      "<p>The committee met on Tuesday, members said, to discuss the harvest, the weather and the roads.</p>";
  const std::string html =
      "<html><head><meta property=\"og:title\" content=\"Committee Meets\"></head><body>"
      "<main><h1>Committee Meets</h1><div class=\"a\"><div class=\"b\"><div class=\"body-chunk\">" +
      para + para + para +
      "</div><section><h3>You may also like</h3><div><p>Another article lead, which reads, like prose, quite "
      "long enough to pass for a paragraph.</p></div><div><p>A second lead, which also reads, like prose, long "
      "enough to pass for a paragraph.</p></div></section>"
      "</div></div><blockquote class=\"pull\">A quote.</blockquote>"
      "<div class=\"c\"><div class=\"body-chunk\">"
      "<p>Later chunk: the members agreed, after a long debate, to meet again in the spring.</p>" +
      para + "</div></div></main></body></html>";
  auto doc = Extract(html, InputFormat::kHtml, "chunks.html");
  ASSERT_TRUE(doc.ok());
  const std::string body = doc->Body();
  EXPECT_NE(body.find("Later chunk"), std::string::npos) << body;
  EXPECT_EQ(body.find("Another article lead"), std::string::npos) << body;
}

}  // namespace
}  // namespace echotrace

namespace echotrace {
namespace {

TEST(PlainText, PortalCreditsLiveStampsAndUndatedTeasers) {
  const Document doc = ExtractText(
      "World > Asia\n\n"
      "Ferry Service Resumes Between Two Ports\n\n"
      "Agence France-Presse\n\n"
      "16:40 KST\n\n"
      "In this photo provided by the port authority, the ferry leaves the harbour.\n\n"
      "A passenger ferry resumed its weekly run between the two ports on Tuesday after a winter pause of "
      "three months, the operator said, with a new timetable for the summer.\n\n"
      "Copyright law does not cover the timetable, the operator added.\n\n"
      "\xC2\xA9 2025 AFP\n\n"
      "Read more\n"
      "Harbour cranes replaced at the northern port\n"
      "Fishing season opens early on the east coast\n");
  EXPECT_EQ(doc.source, "afp") << "the copyright line credits the wire";
  std::vector<std::string> labels = Labels(doc);
  EXPECT_EQ(labels, (std::vector<std::string>{"navigation:World > Asia", "source_line:Agence France-Presse",
                                              "dateline:16:40 KST",
                                              "photo_caption:In this photo provided by the port authority, the ferry "
                                              "leaves the harbour.",
                                              "source_line:\xC2\xA9 2025 AFP", "teaser_list:Read more",
                                              "teaser_list:Harbour cranes replaced at the northern port",
                                              "teaser_list:Fishing season opens early on the east coast"}));
  EXPECT_NE(doc.Body().find("Copyright law does not cover"), std::string::npos);
}

}  // namespace
}  // namespace echotrace

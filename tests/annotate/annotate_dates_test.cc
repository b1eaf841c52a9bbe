// Unit tests for FindDates: forms, resolution against the publication date, Juche calendar.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "annotate/dates.h"
#include "annotate/events.h"
#include "annotate_dates_util.h"

namespace echotrace {
namespace {

using testing::MakeDocument;

struct Got {
  std::string text, key, label;
  std::vector<std::pair<std::string, std::string>> attrs;
};

std::vector<Got> Dates(const std::string& paragraph, const std::string& published) {
  const Document doc = testing::MakeParagraphDocument(paragraph, published);
  std::vector<Got> out;
  for (const Span& span : FindDates(doc)) {
    EXPECT_EQ(span.kind, SpanKind::kDate);
    out.push_back({std::string(doc.SpanText(span)), span.key, span.label, span.attrs});
  }
  return out;
}

// The single date in `paragraph`; fails the test when there is not exactly one.
Got One(const std::string& paragraph, const std::string& published = "2022-03-29") {
  const std::vector<Got> all = Dates(paragraph, published);
  EXPECT_EQ(all.size(), 1u) << paragraph;
  return all.empty() ? Got{} : all[0];
}

std::string Attr(const Got& got, const std::string& name) {
  for (const auto& [key, value] : got.attrs) {
    if (key == name) return value;
  }
  return "";
}

TEST(FindDatesTest, AbsoluteForms) {
  EXPECT_EQ(One("It happened on March 29, 2022, in Pyongyang.").key, "2022-03-29");
  EXPECT_EQ(One("It happened on Mar. 29, 2022.").text, "Mar. 29, 2022");
  EXPECT_EQ(One("Posted 29 Mar 2022 by the desk.").key, "2022-03-29");
  EXPECT_EQ(One("The file 2022-03-29 was read.").key, "2022-03-29");
  EXPECT_EQ(One("The file 2022/3/29 was read.").key, "2022-03-29");
  EXPECT_EQ(One("Dated 2021.10.10 in the archive.").key, "2021-10-10");
  EXPECT_EQ(One("It was in March 2022 that it began.").key, "2022-03");
  EXPECT_EQ(One("It was the 29th of March 2022.").text, "the 29th of March 2022");
  const Got with_weekday = One("Tuesday, March 29, 2022 was busy.");
  EXPECT_EQ(with_weekday.key, "2022-03-29");
  EXPECT_EQ(Attr(with_weekday, "flag"), "");
  EXPECT_EQ(Attr(One("Monday, March 29, 2022 was busy."), "flag"), "weekday-mismatch");
  EXPECT_EQ(Attr(One("It happened on March 29, 2022."), "resolution"), "day");
  EXPECT_EQ(Attr(One("It happened on March 29, 2022."), "relative"), "");
}

TEST(FindDatesTest, TimesAndZones) {
  const Got cna = One("29 Mar 2022 08:59AM SGT");
  EXPECT_EQ(cna.key, "2022-03-29T08:59+08:00");
  EXPECT_EQ(cna.label, "datetime");
  EXPECT_EQ(Attr(cna, "resolution"), "time");
  EXPECT_EQ(Attr(cna, "zone"), "SGT");
  EXPECT_EQ(One("29 Mar 2022 08:59AM").key, "2022-03-29T08:59");
  EXPECT_EQ(One("The launch came at 7:40 a.m. (KST).").key, "T07:40+09:00");
  EXPECT_EQ(One("The launch came at 7:40 a.m. (KST).").label, "time");
  EXPECT_EQ(One("It flew at 10 p.m. on March 24 from Sunan.").key, "2022-03-24T22:00");
  EXPECT_EQ(One("Signals at 2300 GMT were heard.").key, "T23:00+00:00");
  // Pyongyang time was UTC+8:30 from 15 August 2015 to 4 May 2018.
  EXPECT_EQ(One("at 9 p.m. Pyongyang time on August 20, 2016").key, "2016-08-20T21:00+08:30");
  EXPECT_EQ(One("March 29, 2022, at 9 p.m. Pyongyang time").key, "2022-03-29T21:00+09:00");
  EXPECT_TRUE(Dates("He scored 10 goals in 90 minutes.", "2022-03-29").empty());
  const Got hours = One("Deputies will register from 9:00 to 16:00 on April 16.");
  EXPECT_EQ(hours.key, "2022-04-16T09:00/2022-04-16T16:00");
  EXPECT_EQ(hours.label, "range");
  EXPECT_EQ(One("rain from 03:00 to 06:00").key, "T03:00/T06:00");
}

TEST(FindDatesTest, WeekdaysResolveToTheLatestOnOrBeforePublication) {
  // 2022-03-29 is a Tuesday.
  const Got tuesday = One("state media KCNA said on Tuesday (Mar 29).");
  EXPECT_EQ(tuesday.text, "Tuesday (Mar 29)");
  EXPECT_EQ(tuesday.key, "2022-03-29");
  EXPECT_EQ(Attr(tuesday, "relative"), "1");
  EXPECT_EQ(One("a workshop on Monday").key, "2022-03-28");
  EXPECT_EQ(One("KCNA said on Tuesday.").key, "2022-03-29");
  EXPECT_EQ(One("It was held on Wednesday.").key, "2022-03-23");
  EXPECT_EQ(One("The session will open on Friday.").key, "2022-04-01");
  EXPECT_EQ(One("They met last Tuesday.").key, "2022-03-22");
  EXPECT_EQ(One("They meet next Tuesday.").key, "2022-04-05");
  EXPECT_EQ(One("They met last Tuesday.").text, "last Tuesday");
  EXPECT_EQ(One("a parade Thursday night marking").text, "Thursday night");
  EXPECT_EQ(One("a parade Thursday night marking").key, "2022-03-24");
  const Got range = One("The meeting ran from Tuesday to Saturday, KCNA said.", "2024-01-01");
  EXPECT_EQ(range.key, "2023-12-26/2023-12-30");
  EXPECT_EQ(range.label, "range");
}

TEST(FindDatesTest, PartialDatesGetTheirYearFromPublication) {
  EXPECT_EQ(One("a speech on December 31 at the end", "2022-01-06").key, "2021-12-31");
  EXPECT_EQ(One("a speech on December 31 at the end", "2022-01-06").text, "December 31");
  EXPECT_EQ(One("It opened in March.", "2022-05-02").key, "2022-03");
  EXPECT_EQ(One("It opens in January.", "2022-12-20").key, "2023-01");  // 11 months back vs 12 days ahead
  EXPECT_EQ(One("It will open in May.", "2022-06-01").key, "2023-05");
  EXPECT_EQ(One("It took place in early April last year.", "2022-01-15").key, "2021-04-01/2021-04-10");
  EXPECT_EQ(One("It took place in early April last year.", "2022-01-15").text, "early April last year");
  EXPECT_EQ(One("It took place in early April last year.", "2022-01-15").label, "range");
  EXPECT_EQ(One("in mid-March", "2022-05-01").key, "2022-03-11/2022-03-20");
  EXPECT_EQ(One("late last month", "2022-03-29").key, "2022-02-21/2022-02-28");
  EXPECT_EQ(One("by the end of last year").key, "2021-12");
  EXPECT_EQ(One("by the end of last year").text, "the end of last year");
  EXPECT_EQ(One("in the first half of 2022").key, "2022-01/2022-06");
  EXPECT_EQ(One("tasks for the second half of the year", "2021-07-05").key, "2021-07/2021-12");
  EXPECT_EQ(One("some 30 years ago", "2024-03-01").key, "1994");
  EXPECT_EQ(One("since mid-2021").key, "2021-05/2021-08");
}

TEST(FindDatesTest, RelativeExpressions) {
  EXPECT_EQ(One("a missile test last week").key, "2022-W12");
  EXPECT_EQ(Attr(One("a missile test last week"), "resolution"), "week");
  EXPECT_EQ(One("a rally earlier this week", "2022-01-06").key, "2022-W01");
  EXPECT_EQ(One("a rally earlier this week", "2022-01-06").text, "earlier this week");
  EXPECT_EQ(One("the plenary last week", "2022-01-06").key, "2021-W52");
  EXPECT_EQ(One("It was said yesterday.").key, "2022-03-28");
  EXPECT_EQ(One("It was said today.").key, "2022-03-29");
  EXPECT_EQ(One("three days ago").key, "2022-03-26");
  EXPECT_EQ(One("two months ago").key, "2022-01");
  EXPECT_EQ(One("a year ago").key, "2021");
  EXPECT_EQ(One("He made public many works last year.").key, "2021");
  EXPECT_EQ(One("earlier this month").key, "2022-03");
  EXPECT_EQ(One("next year").key, "2023");
  EXPECT_EQ(One("last March").key, "2021-03");
  // "the last year" is a span of time, not last year.
  EXPECT_TRUE(Dates("the last year saw victories", "2022-03-29").empty());
}

TEST(FindDatesTest, NoPublicationDateMeansNoKeyForRelativeDates) {
  const Got monday = One("a workshop on Monday", "");
  EXPECT_EQ(monday.text, "Monday");
  EXPECT_EQ(monday.key, "");
  EXPECT_EQ(Attr(monday, "relative"), "1");
  EXPECT_EQ(One("last week", "").key, "");
  EXPECT_EQ(One("It happened on March 29, 2022.", "").key, "2022-03-29");
}

TEST(FindDatesTest, Ranges) {
  EXPECT_EQ(One("It ran from April 1 to 10, 2022.").key, "2022-04-01/2022-04-10");
  EXPECT_EQ(One("It ran from April 1 to 10, 2022.").text, "April 1 to 10, 2022");
  EXPECT_EQ(One("It ran April 28 to May 3, 2022.").key, "2022-04-28/2022-05-03");
  EXPECT_EQ(One("It met Dec 27-31.", "2022-01-06").key, "2021-12-27/2021-12-31");
  EXPECT_EQ(One("It met 1-3 March 2022.").key, "2022-03-01/2022-03-03");
  EXPECT_EQ(One("the 2021-2022 season").key, "2021/2022");
  EXPECT_EQ(One("refurbished from 2017 to 2019 by").text, "2017 to 2019");
  EXPECT_EQ(One("refurbished from 2017 to 2019 by").key, "2017/2019");
  EXPECT_EQ(One("between 2018 and 2020").key, "2018/2020");
  EXPECT_EQ(One("The Day of the Sun (April 15) was marked.", "2024-04-16").text, "April 15");
  EXPECT_EQ(Attr(One("the 2021-2022 season"), "resolution"), "range");
}

TEST(FindDatesTest, JucheCalendar) {
  const Got month = One("in March Juche 111 (2022) it served");
  EXPECT_EQ(month.text, "March Juche 111 (2022)");
  EXPECT_EQ(month.key, "2022-03");
  EXPECT_EQ(Attr(month, "calendar"), "juche");
  EXPECT_EQ(Attr(month, "juche_year"), "111");
  EXPECT_EQ(Attr(month, "flag"), "");
  EXPECT_EQ(One("in March Juche 111 it served").key, "2022-03");
  const Got day = One("October 10, Juche 110 (2021) was the anniversary.");
  EXPECT_EQ(day.key, "2021-10-10");
  EXPECT_EQ(day.text, "October 10, Juche 110 (2021)");
  EXPECT_EQ(One("Juche 111 (2022)").key, "2022");
  const Got mismatch = One("It was in Juche 110 (2022).");
  EXPECT_EQ(mismatch.key, "2021");                      // the Juche reading is kept ...
  EXPECT_EQ(Attr(mismatch, "flag"), "juche-mismatch");  // ... and flagged
  EXPECT_TRUE(Dates("the juche idea and the Juche theory", "2022-03-29").empty());
}

TEST(FindDatesTest, NotDates) {
  EXPECT_TRUE(Dates("the 4th Plenary Meeting of the 8th Central Committee", "2022-03-29").empty());
  EXPECT_TRUE(Dates("UN Security Council Resolution 2094 and 2000 tons of rice", "2022-03-29").empty());
  EXPECT_TRUE(Dates("the April 25 House of Culture", "2022-03-29").empty());
  EXPECT_TRUE(Dates("May I ask? They march on. COVID-19 cases rose 50%.", "2022-03-29").empty());
  EXPECT_TRUE(Dates("The Mar team and Jun Kim", "2022-03-29").empty());
  EXPECT_TRUE(Dates("in the 1990s", "2022-03-29").empty());
  EXPECT_TRUE(Dates("a match in May Day Stadium after the April Revolution", "2022-03-29").empty());
  EXPECT_EQ(One("North Korea's main goals for 2022 will be").key, "2022");
  EXPECT_EQ(One("The gate was rebuilt in 1635.").key, "1635");
  EXPECT_TRUE(Dates("It has 1500 villages and in 1200 households", "2022-03-29").empty());
}

TEST(FindDatesTest, CorpusForms) {
  EXPECT_EQ(One("[Juche113.7.23.]").key, "2024-07-23");
  EXPECT_EQ(Attr(One("[Juche113.7.23.]"), "calendar"), "juche");
  EXPECT_EQ(One("It happened one day in January of 1936 when").key, "1936-01");
  EXPECT_EQ(One("a message at 09:45 of October 9, prompted by").key, "2021-10-09T09:45");  // the latest October 9
  EXPECT_EQ(One("17.8 millisieverts at 11:23 May 17.").key, "2022-05-17T11:23");
  EXPECT_EQ(One("as of 9 a.m. Sunday, the storm").key, "2022-03-27T09:00");
  EXPECT_TRUE(
      Dates("true to the October 4 declaration and the June 15 North-South Joint Declaration", "2011-10-10").empty());
  EXPECT_TRUE(Dates("the Committee for Implementing June 15 Joint Declaration", "2011-10-10").empty());
  EXPECT_EQ(One("The June 30 issue of a paper carried it.", "2011-07-06").key, "2011-06-30");
}

TEST(FindDatesTest, TitleParagraphsAndDatedFurnitureAreScanned) {
  Document doc = MakeDocument("Talks on Monday", {"It ended on March 3, 2022."}, "2022-03-29");
  const auto add_boilerplate = [&](const std::string& text, const std::string& label) {
    Span boilerplate;
    boilerplate.kind = SpanKind::kBoilerplate;
    boilerplate.label = label;
    boilerplate.begin = static_cast<uint32_t>(doc.text.size() + 2);
    doc.text += "\n\n" + text;
    boilerplate.end = static_cast<uint32_t>(doc.text.size());
    doc.spans.push_back(boilerplate);
  };
  add_boilerplate("January 30, 2026", "navigation");
  add_boilerplate("Updated March 28, 2022", "dateline");
  add_boilerplate("By a staff writer, March 27, 2022", "byline");
  add_boilerplate("The envoy arrives in this March 2, 2022 photo.", "photo_caption");
  const std::vector<Span> spans = FindDates(doc);
  ASSERT_EQ(spans.size(), 5u);
  EXPECT_EQ(doc.SpanText(spans[0]), "Monday");
  EXPECT_EQ(spans[1].key, "2022-03-03");
  EXPECT_EQ(spans[2].key, "2022-03-28");
  EXPECT_EQ(spans[3].key, "2022-03-27");
  // "this March 2, 2022" is the day, not the month.
  EXPECT_EQ(doc.SpanText(spans[4]), "March 2, 2022");
  EXPECT_EQ(spans[4].key, "2022-03-02");
}

TEST(FindDatesTest, WeekdayWithItsDayOfMonthInParentheses) {
  // Thursday 2021-06-17, in a page of late June.
  const Got thursday = One("Kim said at a meeting on Thursday (17) that talks could wait.", "2021-06-30");
  EXPECT_EQ(thursday.text, "Thursday (17)");
  EXPECT_EQ(thursday.key, "2021-06-17");
  // A day of the month that no Thursday of two months has: the plain weekday.
  EXPECT_EQ(One("It met on Thursday (31) again.", "2021-06-30").key, "2021-06-24");
}

TEST(FindDatesTest, DayAndMonthInEitherOrderWhenOnlyOneCanBeAMonth) {
  EXPECT_EQ(One("Updated 19-07-2012 at noon.", "2012-07-19").key, "2012-07-19");
  EXPECT_EQ(One("Updated 8/24/2011 at noon.", "2011-08-24").key, "2011-08-24");
  EXPECT_EQ(One("Updated 24.08.2011 at noon.", "2011-08-24").key, "2011-08-24");
  // Both could be months: no date is made up.
  EXPECT_TRUE(Dates("Updated 3/4/2011 at noon.", "2011-08-24").size() <= 1u);
  for (const Got& got : Dates("Updated 3/4/2011 at noon.", "2011-08-24")) EXPECT_EQ(got.key, "2011");
}

TEST(FindDatesTest, StrayPeriodAfterAFullMonthName) {
  EXPECT_EQ(One("Posted June. 05, 2012 by the desk", "2012-06-05").key, "2012-06-05");
  // A sentence that ends with a month stays a month.
  EXPECT_EQ(One("The talks were held in June. 5 delegates came.", "2012-07-01").key, "2012-06");
  EXPECT_EQ(One("They meet again this March.", "2022-01-10").key, "2022-03");
}

TEST(FindDatesTest, LongInputIsLinear) {
  // A long paragraph of near-misses finishes and finds every date.
  std::string text;
  for (int k = 0; k < 20000; ++k) text += "on 8th March 2022 the 4th and 10 a. Juche 1 ( ";
  const std::vector<Got> all = Dates(text, "2022-03-29");
  EXPECT_EQ(all.size(), 40000u);
}

// Token soup from the words the scanners look for: every span any finder returns
// stays inside its block, on token boundaries, sorted and non-overlapping.
TEST(FindDatesTest, TokenSoupGivesWellFormedSpans) {
  static const char* const kPieces[] = {
      "March",   "29",      ",",         "2022", "Juche", "111",      "(",       ")",       "-",         "\u2013",
      "to",      "and",     "between",   "the",  "of",    "last",     "next",    "week",    "year",      "early",
      "mid",     "end",     "Tuesday",   "at",   "10",    ":",        "59",      "a",       ".",         "m",
      "KST",     "GMT",     "ago",       "days", "4th",   "Plenary",  "Meeting", "Central", "Committee", "C",
      "WPK",     "Workers", "'",         "s",    "Party", "Congress", "\u201c",  "\u201d",  "\"",        "On",
      "Work",    "letter",  "Kim",       "Jong", "Un",    "sent",     "He",      "by",      "year-end",  "plenary",
      "Session", "SPA",     "Pyongyang", "time", "\xe2"};
  const size_t count = sizeof kPieces / sizeof kPieces[0];
  uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<size_t>(state >> 33);
  };
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> paragraphs(1 + next() % 3);
    for (std::string& paragraph : paragraphs) {
      const size_t words = next() % 60;
      for (size_t k = 0; k < words; ++k) {
        if (!paragraph.empty() && next() % 3 != 0) paragraph += ' ';
        paragraph += kPieces[next() % count];
      }
    }
    const Document doc = MakeDocument("Soup", paragraphs, round % 2 ? "2022-03-29" : "");
    for (const std::vector<Span>& spans : {FindDates(doc), FindEvents(doc), FindWorks(doc)}) {
      uint32_t previous_end = 0;
      for (const Span& span : spans) {
        ASSERT_LT(span.begin, span.end);
        ASSERT_LE(span.end, doc.text.size());
        ASSERT_GE(span.begin, previous_end);
        previous_end = span.end;
        bool inside_block = false;
        for (const Span& block : doc.spans) inside_block |= block.begin <= span.begin && span.end <= block.end;
        ASSERT_TRUE(inside_block) << doc.SpanText(span);
      }
    }
  }
}

}  // namespace
}  // namespace echotrace

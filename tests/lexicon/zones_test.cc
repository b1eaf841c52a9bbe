// One fact, one answer: a zone word gives the same offset wherever it is read
// (the lexicon itself, a page's dateline in extraction, a time in annotation).
#include "lexicon/zones.h"

#include <gtest/gtest.h>

#include <string>

#include "annotate/dates.h"
#include "annotate_dates_util.h"
#include "extract/blocks.h"
#include "lexicon/calendar.h"

namespace echotrace {
namespace {

// The offset at the end of an ISO time key ("2024-05-02T08:41+09:00" -> "+09:00").
std::string OffsetOf(const std::string& key) {
  const size_t t = key.find('T');
  if (t == std::string::npos) return "";
  const size_t sign = key.find_first_of("+-Z", t);
  return sign == std::string::npos ? "" : key.substr(sign);
}

std::string ExtractionOffset(const std::string& date_words, const std::string& zone) {
  extract_internal::DateLineParts parts;
  if (!extract_internal::ParseDateLineParts(date_words + " 8:41 AM " + zone, &parts)) return "(no dateline)";
  return OffsetOf(parts.key);
}

std::string AnnotationOffset(const std::string& date_words, const std::string& zone) {
  const Document doc =
      testing::MakeParagraphDocument("The test came on " + date_words + " at 8:41 a.m. " + zone + ".", "2024-06-01");
  for (const Span& span : FindDates(doc)) {
    if (span.key.find('T') != std::string::npos) return OffsetOf(span.key);
  }
  return "(no time)";
}

struct ZoneCase {
  const char* zone;
  const char* date_words;
  lexicon::Ymd date;
  const char* offset;
};

TEST(ZonesTest, SameOffsetInLexiconExtractionAndAnnotation) {
  const ZoneCase cases[] = {
      {"KST", "May 2, 2024", {2024, 5, 2}, "+09:00"},
      {"CST", "May 2, 2024", {2024, 5, 2}, "+08:00"},  // China Standard Time
      {"GMT", "May 2, 2024", {2024, 5, 2}, "+00:00"},
      {"SGT", "May 2, 2024", {2024, 5, 2}, "+08:00"},
      {"ET", "May 2, 2024", {2024, 5, 2}, "-04:00"},      // US Eastern, daylight saving
      {"ET", "January 9, 2024", {2024, 1, 9}, "-05:00"},  // US Eastern, standard time
  };
  for (const ZoneCase& c : cases) {
    SCOPED_TRACE(std::string(c.zone) + " on " + c.date_words);
    EXPECT_EQ(lexicon::ZoneOffset(c.zone, &c.date), c.offset);
    EXPECT_EQ(ExtractionOffset(c.date_words, c.zone), c.offset);
    EXPECT_EQ(AnnotationOffset(c.date_words, c.zone), c.offset);
  }
}

TEST(ZonesTest, OffsetForms) {
  EXPECT_EQ(lexicon::ZoneOffset("GMT+9"), "+09:00");
  EXPECT_EQ(lexicon::ZoneOffset("utc-05:30"), "-05:30");
  EXPECT_EQ(lexicon::ZoneOffset("GMT+15"), "");  // no such offset
  EXPECT_EQ(lexicon::ZoneOffset("ET"), "");      // season unknown without a date
  EXPECT_EQ(lexicon::ZoneOffset("Seoul"), "");
}

TEST(CalendarTest, NamesDaysAndWeeks) {
  bool abbreviated = false;
  EXPECT_EQ(lexicon::MonthNumber("sept", &abbreviated), 9);
  EXPECT_TRUE(abbreviated);
  EXPECT_EQ(lexicon::MonthNumber("march", &abbreviated), 3);
  EXPECT_FALSE(abbreviated);
  EXPECT_EQ(lexicon::WeekdayNumber("thurs"), 4);
  EXPECT_EQ(lexicon::DaysInMonth(2024, 2), 29);
  EXPECT_EQ(lexicon::DaysInMonth(2100, 2), 28);
  EXPECT_FALSE(lexicon::ValidDate(2024, 2, 31));
  const int64_t day = lexicon::DaysFromCivil(2022, 3, 29);
  EXPECT_EQ(lexicon::IsoDay(day), "2022-03-29");
  EXPECT_EQ(lexicon::Weekday(day), 2);  // a Tuesday
  EXPECT_EQ(lexicon::IsoWeek(day), "2022-W13");
  EXPECT_EQ(lexicon::IsoWeek(lexicon::DaysFromCivil(2021, 1, 3)), "2020-W53");
  EXPECT_EQ(2022 - lexicon::kJucheOffset, 111);  // Juche 111 is 2022
}

}  // namespace
}  // namespace echotrace

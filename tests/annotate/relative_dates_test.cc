// Dates relative to another event, days of the month alone and future cues
// (issue 13). Texts are written for these tests.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "annotate/dates.h"
#include "annotate_dates_util.h"

namespace echotrace {
namespace {

using testing::MakeDocument;
using testing::MakeParagraphDocument;
using testing::SpanSummaries;

std::vector<std::string> Dates(const Document& doc) { return SpanSummaries(doc, FindDates(doc)); }

TEST(RelativeDates, PreviousDayCountsFromTheLastDayNamed) {
  const Document doc =
      MakeDocument("", {"The rally was held on March 3.", "Troops had moved the previous day."}, "2023-03-10");
  EXPECT_EQ(Dates(doc), (std::vector<std::string>{"March 3=2023-03-03", "the previous day=2023-03-02"}));
}

TEST(RelativeDates, WithoutAnEventTheyCountFromPublication) {
  EXPECT_EQ(Dates(MakeParagraphDocument("He spoke at the plant a day earlier.", "2023-03-10")),
            (std::vector<std::string>{"a day earlier=2023-03-09"}));
  EXPECT_EQ(Dates(MakeParagraphDocument("Talks resume the following day.", "2023-03-10")),
            (std::vector<std::string>{"the following day=2023-03-11"}));
}

TEST(RelativeDates, DayOfTheMonthAlone) {
  EXPECT_EQ(Dates(MakeParagraphDocument("The paper reported on the 8th that he had left.", "2023-03-10")),
            (std::vector<std::string>{"the 8th=2023-03-08"}));
  // A day after the publication day is last month's.
  EXPECT_EQ(Dates(MakeParagraphDocument("The decree was issued on the 28th.", "2023-03-10")),
            (std::vector<std::string>{"the 28th=2023-02-28"}));
  // An anniversary is no date.
  EXPECT_TRUE(Dates(MakeParagraphDocument("They marked the 60th anniversary.", "2023-03-10")).empty());
}

TEST(RelativeDates, AppositionRestatesTheDay) {
  EXPECT_EQ(Dates(MakeParagraphDocument("He spoke on the 7th, the previous day, at the academy.", "2023-03-08")),
            (std::vector<std::string>{"the 7th=2023-03-07"}));
}

TEST(RelativeDates, AheadOfPointsToTheFuture) {
  // 2024-04-08 is a Monday: Wednesday's vote ahead is 2024-04-10.
  EXPECT_EQ(Dates(MakeParagraphDocument("Campaigning ended ahead of Wednesday's vote.", "2024-04-08")),
            (std::vector<std::string>{"Wednesday=2024-04-10"}));
}

TEST(RelativeDates, RangeAroundPublicationStaysInItsYear) {
  EXPECT_EQ(Dates(MakeParagraphDocument("The drills run between April 12 and 16.", "2024-04-13")),
            (std::vector<std::string>{"April 12 and 16=2024-04-12/2024-04-16"}));
}

}  // namespace
}  // namespace echotrace

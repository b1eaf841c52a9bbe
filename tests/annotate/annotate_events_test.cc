// Unit tests for FindEvents, FindWorks, EventKey and WorkKey.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "annotate/events.h"
#include "annotate_dates_util.h"

namespace echotrace {
namespace {

using testing::MakeDocument;
using testing::SpanSummaries;

std::vector<std::string> Events(const std::vector<std::string>& paragraphs) {
  const Document doc = MakeDocument("", paragraphs, "2022-01-06");
  return SpanSummaries(doc, FindEvents(doc));
}

std::vector<std::string> Works(const std::vector<std::string>& paragraphs) {
  const Document doc = MakeDocument("", paragraphs, "2022-01-06");
  return SpanSummaries(doc, FindWorks(doc));
}

using Strings = std::vector<std::string>;

TEST(EventKeyTest, DifferentWordingsOfOneMeetingShareAKey) {
  const std::string key = "wpk/cc-8/plenary-4";
  EXPECT_EQ(EventKey("the Fourth Plenary Meeting of the Eighth Central Committee of the WPK"), key);
  EXPECT_EQ(EventKey("4th Plenary Meeting of the 8th C.C., WPK"), key);
  EXPECT_EQ(EventKey("the 4th Plenary Meeting of the Workers' Party's 8th Central Committee"), key);
  EXPECT_EQ(EventKey("4th Plenary Meeting of the 8th Central Committee of the Workers\u2019 Party of Korea"), key);
  EXPECT_EQ(EventKey("the 4th Enlarged Plenary Meeting of the 8th WPK Central Committee"), key);
  EXPECT_EQ(EventKey("the fourth plenary meeting of the eighth central committee"), key);
  EXPECT_EQ(EventKey("the 8th Party Congress"), "wpk/congress-8");
  EXPECT_EQ(EventKey("the Eighth Congress of the Workers' Party of Korea"), "wpk/congress-8");
  EXPECT_EQ(EventKey("the Third Conference of the WPK"), "wpk/conference-3");
  EXPECT_EQ(EventKey("the 6th Session of the 14th Supreme People's Assembly"), "spa-14/session-6");
  EXPECT_EQ(EventKey("the 2nd Enlarged Meeting of the Political Bureau of the 8th Central Committee"),
            "wpk/cc-8/politburo-2");
  EXPECT_EQ(EventKey("the 1st Enlarged Meeting of the 8th Central Military Commission of the WPK"),
            "wpk/cmc-8/meeting-1");
  EXPECT_EQ(EventKey("Sixth Conference of Cell Secretaries"), "wpk/conference-cell-secretaries-6");
  EXPECT_EQ(EventKey("the 6th Conference of Cell Secretaries of the WPK"), "wpk/conference-cell-secretaries-6");
  EXPECT_EQ(EventKey("2nd Conference of Secretaries of Primary Committees of the Workers' Party of Korea"),
            "wpk/conference-secretaries-primary-committees-2");
  EXPECT_EQ(EventKey("First Workshop of Officials in the Information Field of the Workers' Party of Korea"),
            "wpk/workshop-officials-information-field-1");
  EXPECT_EQ(EventKey("the 8th Session of the 14th SPA in Pyongyang"), "spa-14/session-8");
  EXPECT_EQ(
      EventKey("the Fifth Conference of Chairpersons of Primary Committees of the Socialist Patriotic Youth League"),
      "org/conference-chairpersons-primary-committees-socialist-patriotic-youth-league-5");
  EXPECT_EQ(EventKey("the 18th Congress of the World Federation of Democratic Youth"),
            "org/congress-world-federation-democratic-youth-18");
  EXPECT_EQ(EventKey("the African National Congress of South Africa"), "");
  EXPECT_EQ(EventKey("The 32nd Plenary Meeting of the 14th Standing Committee of the Supreme People's Assembly"),
            "spa-14/standing/plenary-32");
  EXPECT_EQ(EventKey("the 6th Congress of the Communist Party of Cuba"), "org/congress-communist-cuba-6");
  EXPECT_EQ(EventKey("the 5th Plenary Meeting of the 3rd Unknown Body"), "");
  EXPECT_NE(EventKey("the 3rd Plenary Meeting of the 8th Central Committee"), key);
  EXPECT_NE(EventKey("the 4th Plenary Meeting of the 7th Central Committee"), key);
  EXPECT_EQ(EventKey("a meeting was held"), "");
  EXPECT_EQ(EventKey(""), "");
}

TEST(FindEventsTest, SpansLeaveOutTheArticleAndStopAtTheName) {
  EXPECT_EQ(
      Events({"Kim spoke on December 31 at the end of the 4th Plenary Meeting of the 8th Central Committee "
              "of the Workers' Party of Korea, state media reported."}),
      Strings({"4th Plenary Meeting of the 8th Central Committee of the Workers' Party of Korea=wpk/cc-8/plenary-4"}));
  EXPECT_EQ(Events({"The First Workshop of Officials in the Information Field of the WPK in March Juche 111 (2022) "
                    "served as an occasion."}),
            Strings({"First Workshop of Officials in the Information Field of the WPK="
                     "wpk/workshop-officials-information-field-1"}));
  EXPECT_EQ(Events({"Second-day Sitting of 3rd Plenary Meeting of 8th Central Committee of WPK Held"}),
            Strings({"3rd Plenary Meeting of 8th Central Committee of WPK=wpk/cc-8/plenary-3"}));
}

TEST(FindEventsTest, GenericPlenaryTakesTheOnlyNamedPlenary) {
  EXPECT_EQ(Events({"The Workers' Party held its year-end plenary last week.",
                    "the decisions of the 4th Plenary Meeting of the Workers' Party's 8th Central Committee"}),
            Strings({"year-end plenary=wpk/cc-8/plenary-4",
                     "4th Plenary Meeting of the Workers' Party's 8th Central Committee=wpk/cc-8/plenary-4"}));
  // Without a named plenary, or with two, a generic mention stays untagged.
  EXPECT_TRUE(Events({"The Workers' Party held its year-end plenary last week."}).empty());
  EXPECT_EQ(Events({"the plenary meeting followed the 3rd Plenary Meeting of the 8th Central Committee and the "
                    "4th Plenary Meeting of the 8th Central Committee"})
                .size(),
            2u);
}

TEST(FindEventsTest, ShortenedNamesTakeTheNumberedEvent) {
  EXPECT_EQ(Events({"Short Course for Chief Secretaries Opens",
                    "The Second Short Course for Chief Secretaries of City and County Party Committees opened."}),
            Strings({"Short Course for Chief Secretaries=wpk/course-short-chief-secretaries-city-county-committees-2",
                     "Second Short Course for Chief Secretaries of City and County Party Committees="
                     "wpk/course-short-chief-secretaries-city-county-committees-2"}));
  EXPECT_EQ(Events({"Report on Enlarged Plenary Meeting of WPK Central Committee",
                    "The 4th Enlarged Plenary Meeting of the 8th Central Committee was held."})
                .front(),
            "Enlarged Plenary Meeting of WPK Central Committee=wpk/cc-8/plenary-4");
}

TEST(FindEventsTest, GenericPhrasesAreNotEvents) {
  EXPECT_TRUE(Events({"Kim sent a letter to officials attending a workshop on Monday."}).empty());
  EXPECT_TRUE(Events({"The WPK has regularly held conferences of cell secretaries."}).empty());
  EXPECT_TRUE(Events({"He spoke at a key meeting of the ruling party, in the Meeting Room. Of Course."}).empty());
  EXPECT_TRUE(Events({"a short course for chief secretaries of the city and county Party committees"}).empty());
}

TEST(FindWorksTest, QuotedTitlesWithAuthor) {
  const Document doc = MakeDocument(
      "", {"Kim Jong Un , general secretary of the Workers\u2019 Party of Korea, sent those attending the workshop a "
           "letter titled, \u201c On Eliminating Formalism and Bringing About a Fundamental Innovation in the "
           "Party\u2019s Ideological Work. \u201d"});
  const std::vector<Span> works = FindWorks(doc);
  ASSERT_EQ(works.size(), 1u);
  EXPECT_EQ(doc.SpanText(works[0]),
            "On Eliminating Formalism and Bringing About a Fundamental Innovation in the Party\u2019s Ideological "
            "Work");
  EXPECT_EQ(works[0].label, "letter");
  EXPECT_EQ(works[0].key,
            "on eliminating formalism and bringing about a fundamental innovation in the partys ideological work");
  EXPECT_EQ(works[0].Attr("author"), "Kim Jong Un");
}

TEST(FindWorksTest, PronounAuthorIsThePersonLastNamed) {
  const Document doc = MakeDocument(
      "",
      {"The respected Kim Jong Un has conducted energetic activities.",
       "He made public many works last year, including \u201cOn the Important Tasks for Strengthening Party "
       "Cells at Present\u201d and \u201cLet Us Further Improve the Party Work\u201d, clearly elucidating issues."});
  const std::vector<Span> works = FindWorks(doc);
  ASSERT_EQ(works.size(), 2u);
  EXPECT_EQ(works[0].Attr("author"), "Kim Jong Un");
  EXPECT_EQ(works[1].Attr("author"), "Kim Jong Un");
  EXPECT_EQ(works[1].key, "let us further improve the party work");
}

TEST(FindWorksTest, ByAndPossessiveAuthors) {
  EXPECT_EQ(Works({"Kim Il Sung's work \"On Juche in Our Revolution\" was studied."}),
            Strings({"On Juche in Our Revolution=on juche in our revolution"}));
  const Document doc = MakeDocument("", {"They read the book \"With the Century\" by Kim Il Sung."});
  const std::vector<Span> works = FindWorks(doc);
  ASSERT_EQ(works.size(), 1u);
  EXPECT_EQ(works[0].Attr("author"), "Kim Il Sung");
  EXPECT_EQ(works[0].label, "book");
}

TEST(FindWorksTest, SingleQuotesHisAndTheSpeakerAfter) {
  const Document doc = MakeDocument(
      "", {"Kim Jong Un oversaw the tests.",
           "In a speech titled 'Let Us Strengthen Our Deterrent', published on Oct. 10, Kim said the tests were a "
           "warning.",
           "In his letter \"To All the People\" on Friday, he thanked them. Kim's 'Great' plan and Ri's 'Bold Move' "
           "remain."});
  const std::vector<Span> works = FindWorks(doc);
  ASSERT_EQ(works.size(), 2u);
  EXPECT_EQ(doc.SpanText(works[0]), "Let Us Strengthen Our Deterrent");
  EXPECT_EQ(works[0].label, "speech");
  EXPECT_EQ(works[0].Attr("author"), "Kim Jong Un");
  EXPECT_EQ(doc.SpanText(works[1]), "To All the People");
  EXPECT_EQ(works[1].Attr("author"), "Kim Jong Un");
}

TEST(FindWorksTest, TheLetterSentBefore) {
  const Document doc = MakeDocument("", {"Kim Jong Un sent a letter to all farmers on Saturday.",
                                         "The letter, titled \"Let Us Farm Well\", was read out."});
  const std::vector<Span> works = FindWorks(doc);
  ASSERT_EQ(works.size(), 1u);
  EXPECT_EQ(works[0].Attr("author"), "Kim Jong Un");
}

TEST(FindWorksTest, QuotesThatAreNotTitles) {
  // Not title case, or no word naming a work.
  EXPECT_TRUE(
      Works({"Kim said the party was \"advancing in the face of the worst difficulties\" in his letter."}).empty());
  EXPECT_TRUE(Works({"Crowds chanted \"Let Us Defend the Party Central Committee\" at the rally."}).empty());
  EXPECT_TRUE(Works({"Researcher Kim says: \u201cThe respected Kim Jong Un guided a lot of Party meetings in 2021 "
                     "to make the party perform its role.\u201d"})
                  .empty());
  EXPECT_TRUE(Works({"an unterminated \u201cOn Juche article"}).empty());
  // The title belongs to the noun right before it.
  EXPECT_TRUE(Works({"Kim Makes Speech at Defence Development Exhibition \"Self-Defence-2021\""}).empty());
}

TEST(WorkKeyTest, Normalizes) {
  EXPECT_EQ(WorkKey("On the Party\u2019s  Ideological Work."), "on the partys ideological work");
  EXPECT_EQ(WorkKey("On the Party's Ideological Work"), "on the partys ideological work");
  EXPECT_EQ(WorkKey(""), "");
}

TEST(FindEventsTest, LongInputIsLinear) {
  std::string text;
  for (int k = 0; k < 5000; ++k) text += "the 4th Plenary Meeting of the 8th C.C., WPK and \u201cOn Work\u201d letter ";
  const Document doc = MakeDocument("", {text});
  EXPECT_EQ(FindEvents(doc).size(), 5000u);
  EXPECT_EQ(FindWorks(doc).size(), 5000u);
}

}  // namespace
}  // namespace echotrace

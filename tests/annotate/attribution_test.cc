// Attribution rules of quotes.cc (issue 13): the speaker is the subject of
// the speech verb or frame, the channel is carried by context. Texts are
// written for these tests.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "annotate/entities.h"
#include "annotate/quotes.h"
#include "annotate_dates_util.h"
#include "lexicon/gazetteer.h"

namespace echotrace {
namespace {

// A document whose blocks are the given paragraphs (annotate_dates_util.h).
Document Paragraphs(const std::vector<std::string>& paragraphs) { return testing::MakeDocument("", paragraphs); }

struct Quote {
  std::string text, speaker, channel;
};

std::vector<Quote> Quotes(const std::vector<std::string>& paragraphs) {
  const Document doc = Paragraphs(paragraphs);
  std::vector<Quote> quotes;
  for (const Span& s : FindQuotes(doc, FindEntities(doc, DefaultGazetteer()))) {
    if (s.label == "reported") continue;
    quotes.push_back({std::string(doc.SpanText(s)), std::string(s.Attr("speaker")), std::string(s.Attr("channel"))});
  }
  return quotes;
}

TEST(Attribution, PersonCalledByAnOutletIsNotTheSpeaker) {
  const auto q = Quotes({"The news agency KCNA called Kim Jong Un a \"peerless young general\" on Monday."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "kcna");
  EXPECT_EQ(q[0].channel, "kcna");
}

TEST(Attribution, PersonAfterOfIsNotTheSpeaker) {
  const auto q = Quotes({"Kim Yo Jong, the sister of Kim Jong Un, is a senior official.",
                         "The ministry of Kim Jong Un was praised, but Choe Son Hui said the plan was \"a "
                         "dangerous gamble\" in remarks to diplomats."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "choe-son-hui");
}

TEST(Attribution, BodyThatSpeaksBeatsAPersonNamedEarlierInTheSentence) {
  const auto q =
      Quotes({"Defence Minister Kim Kwan-jin visited the border, but the Joint Chiefs of Staff said they "
              "\"cannot confirm\" the report."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "rok-jcs");
}

TEST(Attribution, UnnamedStateMediaIsASpeakerAndChannel) {
  const auto q = Quotes({"State media this week hailed Kim Jong Un as \"the sun of the nation\" and more."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "state-media");
  EXPECT_EQ(q[0].channel, "state-media");
}

TEST(Attribution, ChannelNamedOnceIsCarriedToTheNextParagraph) {
  const auto q = Quotes({"Kim Jong Un inspected a tractor plant on Friday, according to KCNA.",
                         "\"Farming must be mechanized without delay,\" Kim Jong Un told the workers."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "kim-jong-un");
  EXPECT_EQ(q[0].channel, "kcna");
}

TEST(Attribution, ForeignOutletIsNotCarried) {
  const auto q = Quotes(
      {"The summit ended on Friday, Reuters reported.", "\"It went well,\" Vladimir Putin told reporters afterwards."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "vladimir-putin");
  EXPECT_EQ(q[0].channel, "");
}

TEST(Attribution, NarrationByAnOutletIsTheOutlets) {
  const auto q = Quotes({"Kim Jong Un \"expressed great satisfaction\" with the new rocket, KCNA said."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "kcna");
}

TEST(Attribution, ItSaidGoesToTheBodyThatSpoke) {
  const auto q = Quotes({"The Foreign Ministry said on Sunday that talks were over.",
                         "Pyongyang will \"never give up\" its deterrent, it said."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "dprk-foreign-ministry");
}

TEST(Attribution, InvertedSaidOnlyAfterAQuoteOrComma) {
  const auto q = Quotes({"KCNA said leader Kim Jong Un set goals for \"rapidly bolstering\" the army."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "kcna");
  const auto r = Quotes({"\"The drills are a provocation,\" said Kim Yo Jong in a statement."});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].speaker, "kim-yo-jong");
}

TEST(Attribution, PossessivePlaceBeforeAPersonDoesNotSpeak) {
  const auto q = Quotes({"North Korea's Kim Jong Un warned of \"a nuclear response\" on Tuesday."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "kim-jong-un");
}

TEST(Attribution, AttributedSingleWordIsAPartialQuote) {
  const auto q = Quotes({"Kim Yo Jong warned of \"annihilation\" if the drills went ahead."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].text, "annihilation");
  EXPECT_EQ(q[0].speaker, "kim-yo-jong");
  // Without anyone saying it, a single quoted word is a scare quote.
  EXPECT_TRUE(Quotes({"The town held a \"festival\" last week."}).empty());
}

TEST(Attribution, GlossedTermIsNotAQuote) {
  EXPECT_TRUE(Quotes({"Kim stressed \"songun\", or military-first politics, in the speech."}).empty());
  EXPECT_TRUE(Quotes({"The paper said \"chollima\" (a winged horse) speed was needed."}).empty());
}

TEST(Attribution, SubjectOfAnnouncedBeforeAPossessor) {
  const auto q =
      Quotes({"Kim's letter came after Joe Biden announced that he was ready to meet Seoul, \"to take "
              "practical steps to ease tensions\" and to end the standoff."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "joe-biden");
}

TEST(Attribution, ReferredToAsIsAFrame) {
  const auto q = Quotes({"Kim Yo Jong issued a statement through KCNA on Sunday.",
                         "Regarding the leaflets, Kim referred to them as \"a cheap gift to the puppets\", suggesting "
                         "that more would follow."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "kim-yo-jong");
  EXPECT_EQ(q[0].channel, "kcna");
}

TEST(Attribution, StateMediaThatSpeaksStaysStateMediaAsAChannelItIsTheOutletNamed) {
  // "State media" as the channel of Kim's words is the one state outlet the
  // article names; "state media" that speaks itself stays state-media.
  const auto q = Quotes({"Kim Jong Un urged \"bold measures\" on Friday, state media reported.",
                         "The plenary ended on Saturday, KCNA said.",
                         "State media also called the drills \"reckless\" in a commentary."});
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].speaker, "kim-jong-un");
  EXPECT_EQ(q[0].channel, "kcna");
  EXPECT_EQ(q[1].speaker, "state-media");
  EXPECT_EQ(q[1].channel, "state-media");
}

TEST(Attribution, StateMediaIsNotAnOutletFirstNamedParagraphsLater) {
  // The reader of the first paragraph knows only "state media": an outlet
  // first named two paragraphs on may be another report.
  const auto q = Quotes({"Kim Jong Un urged \"bold measures\" on Friday, state media reported.",
                         "The meeting was the third this year.", "The plenary ended on Saturday, KCNA said."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "kim-jong-un");
  EXPECT_EQ(q[0].channel, "state-media");
}

// Headlines restate the article's quotes: a headline quote whose sentence
// has no speaking subject takes the speaker of the body quote with its words.
TEST(Attribution, HeadlineQuoteTakesTheSpeakerOfTheBodyQuote) {
  const Document doc = testing::MakeDocument(
      "Pyongyang gears up for 'talks and pressure' with Tokyo",
      {"Kim Jong Un said on Monday that his country was ready for \"talks and pressure\" in the months ahead, "
       "the Rodong Sinmun reported."});
  std::vector<Span> quotes = FindQuotes(doc, FindEntities(doc, DefaultGazetteer()));
  ASSERT_FALSE(quotes.empty());
  EXPECT_EQ(doc.SpanText(quotes[0]), "talks and pressure");
  EXPECT_EQ(quotes[0].Attr("speaker"), "kim-jong-un");
  EXPECT_EQ(quotes[0].Attr("channel"), "");
}

TEST(Attribution, AccordingToAnOutletOutranksACountrySpeakingThroughUnnamedOfficials) {
  const auto q =
      Quotes({"At the session, North Korea's officials pledged \"firm counter-measures\" against the "
              "drills, according to the Korean Central News Agency."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "kcna");
  EXPECT_EQ(q[0].channel, "kcna");
  // A country that speaks itself keeps the words.
  const auto r = Quotes({"North Korea said it would take \"firm counter-measures\", according to KCNA."});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].speaker, "dprk");
}

TEST(Attribution, CountrysPossessiveBodySpeaks) {
  const auto q = Quotes({"South Korea's military said \"the launch was tracked from the start\" on Monday."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "rok-military");
}

TEST(Attribution, QuoteWithoutSpeakerTakesThePreviousSentencesReportedSpeaker) {
  const auto q =
      Quotes({"State media said the country had tested a solid-fuel engine. The engine marks a \"great "
              "leap\" for the rocket program."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "state-media");
}

TEST(Attribution, OutletInAPhotoCreditIsNoChannel) {
  const auto q = Quotes({"Kim Jong Un at a tractor plant. (KCNA/Reuters)",
                         "Kim Jong Un praised the \"tireless workers\" of the plant during the visit."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "kim-jong-un");
  EXPECT_EQ(q[0].channel, "");
}

// "The letter said": the document speaks for its author, through the outlet
// that carried it, though both were named paragraphs earlier.
TEST(Attribution, DocumentThatSpeaksHasItsAuthorAndCarrier) {
  const auto q = Quotes({"In a letter from the Korean People's Army, KCNA said the drills had to stop.",
                         "Seoul has not replied to similar demands in the past.",
                         "The letter said, \"Every provocation will be answered in kind.\""});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "kpa");
  EXPECT_EQ(q[0].channel, "kcna");
}

TEST(Attribution, OutletNamedLaterInTheParagraphIsTheChannel) {
  const auto q = Quotes({"\"We will not wait,\" Kim Jong Un said. The Rodong Sinmun carried the speech on Monday."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "kim-jong-un");
  EXPECT_EQ(q[0].channel, "rodong");
}

TEST(QuoteMarks, WrongWayCurlyMarksAreReadByPosition) {
  // A closing mark used to open, an opening mark used to close, a doubled opening.
  const auto a =
      Quotes({"The general was dismissed \xE2\x80\x9D"
              "for poor health\xE2\x80\x9D, KCNA said."});
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].text, "for poor health");
  const auto b = Quotes({"He said \xE2\x80\x9Cthe threat can no longer be ignored \xE2\x80\x9C, the agency said."});
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].text, "the threat can no longer be ignored");
  const auto c =
      Quotes({"\xE2\x80\x9C\xE2\x80\x9D"
              "The outbreak is serious,\xE2\x80\x9D KCNA said."});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].text, "The outbreak is serious");
}

TEST(Attribution, SheGoesToTheWomanTheTextNames) {
  const auto q = Quotes({"Kim Jong Un met Kim Yo Jong, his sister, and Choe Ryong Hae on Monday.",
                         "\"The enemy will regret it,\" she said."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "kim-yo-jong");
}

TEST(Attribution, HeSkipsAWomanAndAnAside) {
  const auto q = Quotes({"Choe Ryong Hae spoke first, and Kim Yo Jong, his sister, joined later.",
                         "\"We are ready,\" he said, at a hall named for his grandfather Kim Il Sung's "
                         "birthday."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "choe-ryong-hae");
}

TEST(Entities, BareSurnameSkipsAPossessiveAside) {
  const Document doc = Paragraphs(
      {"Kim Jong Un marked his grandfather Kim Il Sung's 110th birthday.", "Kim laid a wreath at the palace."});
  const std::vector<Span> spans = FindEntities(doc, DefaultGazetteer());
  ASSERT_FALSE(spans.empty());
  const Span& last = spans.back();
  EXPECT_EQ(doc.SpanText(last), "Kim");
  EXPECT_EQ(last.key, "kim-jong-un");
}

TEST(Entities, NamesByShapeAndTheirLastWord) {
  const Document doc =
      Paragraphs({"Kimball warns of a crisis", "Analyst Daryl Kimball, director of a research group, spoke."});
  std::vector<std::string> people;
  for (const Span& s : FindEntities(doc, DefaultGazetteer())) {
    if (s.label == "person") people.push_back(std::string(doc.SpanText(s)) + "=" + s.key);
  }
  EXPECT_EQ(people, (std::vector<std::string>{"Kimball=daryl-kimball", "Daryl Kimball=daryl-kimball"}));
}

TEST(Entities, UnexplainedKimIsTheLeaderOfTheDay) {
  Document doc = Paragraphs({"Kim inspected a farm, the agency said."});
  doc.date = "2010-05-01";
  std::vector<Span> spans = FindEntities(doc, DefaultGazetteer());
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].key, "kim-jong-il");
  doc.date = "2020-05-01";
  spans = FindEntities(doc, DefaultGazetteer());
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].key, "kim-jong-un");
}

TEST(Entities, CutShortNameIsTheKnownPerson) {
  const Document doc = Paragraphs({"Kim Jong Il met the envoy.", "A slideshow on Kim Jong ll followed."});
  std::vector<std::string> keys;
  for (const Span& s : FindEntities(doc, DefaultGazetteer())) keys.push_back(s.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"kim-jong-il", "kim-jong-il"}));
}

TEST(Attribution, SpokesmanOfALowercaseMinistrySpeaksForIt) {
  const auto q = Quotes({"The exit was \"highly irregular\", said a spokesman of Seoul's unification ministry.",
                         "A spokesman for the unification ministry added: \"We are following it closely.\""});
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].speaker, "rok-unification-ministry");
  EXPECT_EQ(q[1].speaker, "rok-unification-ministry");
}

TEST(Attribution, QuoteEndingItsLineWithACommaTakesTheNextLinesSpeaker) {
  const auto q = Quotes({"\"The harvest plan was fulfilled ahead of time in every province\",",
                         "the official news agency KCNA said. Rain is expected next week."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "kcna");
  EXPECT_EQ(q[0].channel, "kcna");
  // Without the comma the next line is a new sentence: no speaker from it.
  const auto r = Quotes({"\"The harvest plan was fulfilled ahead of time in every province.\"",
                         "Ri Pyong Chol said the drills would go on."});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].speaker, "");
}

TEST(Attribution, DescribedMilitaryIsABody) {
  const auto q = Quotes({"According to Yonhap, the South Korean military called the launch a \"grave threat\"."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "rok-military");
}

TEST(Attribution, CountrysStateMediaSpeakNotTheCountry) {
  const auto q = Quotes({"North Korea's state media had already called the plan \"reckless\"."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "state-media");
}

TEST(Attribution, CaptionNamesAreNoAntecedents) {
  // A paragraph, a photo caption naming another man, then "he said".
  Document doc;
  const auto add = [&](const std::string& text, SpanKind kind, const std::string& label) {
    if (!doc.text.empty()) doc.text += "\n\n";
    const auto begin = static_cast<uint32_t>(doc.text.size());
    doc.text += text;
    doc.spans.push_back(Span{begin, static_cast<uint32_t>(doc.text.size()), kind, label, "", {}});
  };
  add("Ri Pyong Chol inspected the launch site on Monday.", SpanKind::kParagraph, "");
  add("Pak Pong Ju at a farm in May.", SpanKind::kBoilerplate, "photo_caption");
  add("\"The tests will go on,\" he said, according to KCNA.", SpanKind::kParagraph, "");
  const std::vector<Span> entities = FindEntities(doc, DefaultGazetteer());
  ASSERT_EQ(entities.size(), 3u);  // both men and KCNA: the caption's person is found
  const std::vector<Span> quotes = FindQuotes(doc, entities);
  ASSERT_EQ(quotes.size(), 1u);
  EXPECT_EQ(quotes[0].Attr("speaker"), "ri-pyong-chol");
}

TEST(Attribution, QuoteInAFrontedAdverbialIsTheNarratingOutlets) {
  const auto q =
      Quotes({"At a factory making \"modern farm machines,\" Kim Jong Un stressed the plan, the KCNA news agency said.",
              "At the factory, Kim Jong Un said the machines were \"a great victory\" of the workers, KCNA said.",
              "In a speech calling for \"total unity,\" Kim Jong Un said the plan would succeed, according to KCNA."});
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q[0].speaker, "kcna");         // the outlet describes the factory in those words
  EXPECT_EQ(q[1].speaker, "kim-jong-un");  // after the comma: his words
  EXPECT_EQ(q[2].speaker, "kim-jong-un");  // "calling for": his words
}

TEST(Attribution, UnnamedSourcesSpeakWithoutACarriedChannel) {
  const auto q = Quotes({"Kim Jong Un said the harvest was \"rich and full,\" KCNA reported.",
                         "Some analysts say the country may soon adopt a \"grain first\" plan for its farms."});
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[1].speaker, "unnamed");
  EXPECT_EQ(q[1].channel, "");
}

TEST(Attribution, PluralTheyGoesToTheBodyItsPeopleSpeakFor) {
  const auto q = Quotes({"Kim Yo Jong said on Monday that the drills were \"a grave mistake,\" KCNA reported.",
                         "Officials of the regime have complained about the drills for months. So far they have "
                         "mostly spoken of \"madness\" and \"arrogance\" in the South."});
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q[1].speaker, "dprk");  // "they" = the officials of the regime, not Kim Yo Jong
  EXPECT_EQ(q[2].speaker, "dprk");
}

TEST(Attribution, PluralTheyIsNeverAPerson) {
  const auto q =
      Quotes({"Choe Son Hui met the envoys on Friday.", "Later they spoke of \"fruitful talks\" in a joint note."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_NE(q[0].speaker, "choe-son-hui");
}

TEST(Attribution, ForeignRelayCarriesItsSpeakerOnlyWithinTheParagraph) {
  const auto q = Quotes({"\"The talks will fail soon,\" Reuters quoted Vladimir Putin as saying.",
                         "\"Nobody wants them anyway,\" Vladimir Putin added."});
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].channel, "reuters");
  EXPECT_EQ(q[1].speaker, "vladimir-putin");
  EXPECT_EQ(q[1].channel, "");
}

TEST(Attribution, StateOutletStillCarriesItsSpeakerToTheNextParagraph) {
  const auto q = Quotes({"\"The harvest is rich,\" KCNA quoted Kim Jong Un as saying.",
                         "\"We must work harder still,\" Kim Jong Un added."});
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[1].channel, "kcna");
}

TEST(Attribution, StateOutletOfThePreviousParagraphDoesNotCarryAForeignLeader) {
  const auto q = Quotes({"Kim Jong Un called for \"patience and resolve\" at the meeting, KCNA said.",
                         "His remarks came after Vladimir Putin said he wanted \"calm on the peninsula\" soon."});
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[1].speaker, "vladimir-putin");
  EXPECT_EQ(q[1].channel, "");
  // A Korean name: still carried by the KCNA paragraph before.
  const auto korean = Quotes({"Kim Jong Un called for \"patience and resolve\" at the meeting, KCNA said.",
                              "Kim Yo Jong, in turn, promised \"firm answers\" to the South."});
  ASSERT_EQ(korean.size(), 2u);
  EXPECT_EQ(korean[1].speaker, "kim-yo-jong");
  EXPECT_EQ(korean[1].channel, "kcna");
}

}  // namespace
}  // namespace echotrace

#include "annotate/quotes.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "annotate/entities.h"
#include "annotate_dates_util.h"
#include "lexicon/gazetteer.h"

namespace echotrace {
namespace {

// A document whose blocks are the given paragraphs (annotate_dates_util.h).
Document Paragraphs(const std::vector<std::string>& paragraphs) { return testing::MakeDocument("", paragraphs); }

struct Quote {
  std::string text, label, speaker, speaker_text, channel, insertions, part;
};

std::vector<Quote> Quotes(const std::vector<std::string>& paragraphs) {
  const Document doc = Paragraphs(paragraphs);
  std::vector<Quote> quotes;
  for (const Span& s : FindQuotes(doc, FindEntities(doc, DefaultGazetteer()))) {
    EXPECT_EQ(s.kind, SpanKind::kQuote);
    quotes.push_back({std::string(doc.SpanText(s)), s.label, std::string(s.Attr("speaker")),
                      std::string(s.Attr("speaker_text")), std::string(s.Attr("channel")),
                      std::string(s.Attr("insertions")), std::string(s.Attr("part"))});
  }
  return quotes;
}

TEST(FindQuotes, DirectQuoteWithPronounSpeakerAndChannel) {
  const std::vector<Quote> q =
      Quotes({"Kim Jong Un sent a letter to the workshop, KCNA said.",
              "\"We should regard the masses as the foremost weapon,\" he said, according to KCNA."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].text, "We should regard the masses as the foremost weapon");
  EXPECT_EQ(q[0].label, "direct");
  EXPECT_EQ(q[0].speaker, "kim-jong-un");
  EXPECT_EQ(q[0].speaker_text, "he");
  EXPECT_EQ(q[0].channel, "kcna");
}

TEST(FindQuotes, PartialQuotesAndInsertions) {
  const std::vector<Quote> q =
      Quotes({"Kim Yo Jong said Seoul faced \xE2\x80\x9Cthe worst [possible] consequences\xE2\x80\x9D and that nothing "
              "\"(is) impossible\", state media KCNA reported."});
  std::vector<Quote> partial, reported;
  for (const Quote& x : q) (x.label == "partial" ? partial : reported).push_back(x);
  ASSERT_EQ(partial.size(), 2u);
  EXPECT_EQ(partial[0].text, "the worst [possible] consequences");
  EXPECT_EQ(partial[0].insertions, "[possible]");
  EXPECT_EQ(partial[1].text, "(is) impossible");
  EXPECT_EQ(partial[1].insertions, "(is)");
  for (const Quote& x : partial) {
    EXPECT_EQ(x.speaker, "kim-yo-jong");
    EXPECT_EQ(x.channel, "kcna");
  }
  // "said Seoul faced ...": the reported clause ends before the trailing attribution.
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_EQ(reported[0].label, "reported");
  EXPECT_EQ(reported[0].text.substr(0, 11), "Seoul faced");
  EXPECT_EQ(reported[0].text.find("KCNA"), std::string::npos);
  EXPECT_EQ(reported[0].insertions, "[possible];(is)");
}

TEST(FindQuotes, MultiParagraphQuoteKeepsItsSpeaker) {
  const std::vector<Quote> q = Quotes({"Researcher Kim Ryu Chol says: \xE2\x80\x9CThe Party guided many meetings.",
                                       "Those meetings served the people.\xE2\x80\x9D"});
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].text, "The Party guided many meetings");
  EXPECT_EQ(q[1].text, "Those meetings served the people");
  for (const Quote& x : q) {
    EXPECT_EQ(x.label, "direct");
    EXPECT_EQ(x.speaker_text, "Kim Ryu Chol");
  }
  EXPECT_EQ(q[0].part, "1");
  EXPECT_EQ(q[1].part, "2");
}

TEST(FindQuotes, ReportedAndColonSpeech) {
  const std::vector<Quote> q = Quotes({"Premier Kim Tok Hun stressed that the farms must raise output.",
                                       "In the letter he said: Ideology decides everything."});
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].label, "reported");
  EXPECT_EQ(q[0].text, "the farms must raise output");
  EXPECT_EQ(q[0].speaker, "kim-tok-hun");
  EXPECT_EQ(q[1].label, "direct");
  EXPECT_EQ(q[1].text, "Ideology decides everything");
  EXPECT_EQ(q[1].speaker, "kim-tok-hun");
}

TEST(FindQuotes, OutletAloneIsSpeakerAndChannel) {
  const std::vector<Quote> q =
      Quotes({"\"A rally was held in Pyongyang on Wednesday,\" the Korean Central News Agency said."});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "kcna");
  EXPECT_EQ(q[0].channel, "kcna");
}

TEST(FindQuotes, TitlesAndSingleWordsAreNotQuotes) {
  EXPECT_TRUE(
      Quotes({"He sent a letter titled, \xE2\x80\x9C On Eliminating Formalism in Party Work. \xE2\x80\x9D"}).empty());
  EXPECT_TRUE(
      Quotes({"He made public \xE2\x80\x9COn the Important Tasks for Strengthening Party Cells\xE2\x80\x9D."}).empty());
  EXPECT_TRUE(Quotes({"The vision of \"juche\" was stressed."}).empty());
  EXPECT_TRUE(Quotes({"The SPA adopted \"On amending the Law of the DPRK on Road Traffic\"."}).empty());
  EXPECT_TRUE(Quotes({"No quotes here, and Korea's people's apostrophes ' are not marks."}).empty());
}

// The terms FindQuotes sets apart, as "label:text".
std::vector<std::string> Terms(const std::vector<std::string>& paragraphs) {
  const Document doc = Paragraphs(paragraphs);
  std::vector<Span> terms;
  FindQuotes(doc, FindEntities(doc, DefaultGazetteer()), &terms);
  std::vector<std::string> out;
  for (const Span& s : terms) {
    EXPECT_EQ(s.kind, SpanKind::kTerm);
    out.push_back(s.label + ":" + std::string(doc.SpanText(s)));
  }
  return out;
}

TEST(FindQuotes, TitlesNamesAndGlossesAreTerms) {
  EXPECT_EQ(Terms({"He sent a letter titled \"On Improving Seed Farms\" to the farmers."}),
            std::vector<std::string>{"title:On Improving Seed Farms"});
  const std::vector<std::string> name = Terms({"The news came in a \"special bulletin\" aired at noon, KCNA said."});
  EXPECT_EQ(name, std::vector<std::string>{"name:special bulletin"});
  EXPECT_TRUE(Quotes({"The news came in a \"special bulletin\" aired at noon, KCNA said."}).empty());
  EXPECT_EQ(Terms({"Kim praised \"chongsanri\", or on-the-spot guidance, KCNA said."}),
            std::vector<std::string>{"gloss:chongsanri"});
  // A quote is no term; a lone word in marks that nobody says is one
  // (unattributed), so provenance can still trace it.
  EXPECT_TRUE(Terms({"Kim warned of \"merciless punishment\", KCNA said."}).empty());
  EXPECT_EQ(Terms({"The town held a \"festival\" last week."}), std::vector<std::string>{"unattributed:festival"});
  EXPECT_TRUE(Quotes({"The town held a \"festival\" last week."}).empty());
}

TEST(FindQuotes, CapitalsInAHeadlineOrInSpeechDoNotMakeATitle) {
  // A headline in title case: the quote's capitals are the headline's.
  const std::vector<Quote> headline = Quotes({"Leader Says Farms Must Brace For \"Flood and Drought\" This Year"});
  ASSERT_EQ(headline.size(), 1u);
  EXPECT_EQ(headline[0].text, "Flood and Drought");
  // Speech full of body names, said: a quote.
  const std::vector<Quote> said =
      Quotes({"\"The Order was issued by the Central Committee and the State Affairs Commission of the DPRK,\" KCNA "
              "announced."});
  ASSERT_EQ(said.size(), 1u);
  EXPECT_EQ(said[0].speaker, "kcna");
  // The same words in a sentence of their own are still a title.
  EXPECT_TRUE(Quotes({"He read \"The Order of the Central Committee and the State Affairs Commission\"."}).empty());
}

TEST(FindQuotes, UnbalancedMarksDoNotCrossParagraphsWithoutReason) {
  const std::vector<Quote> q = Quotes({"Kim said \"the plan is set", "Other news follows here."});
  for (const Quote& x : q) EXPECT_EQ(x.text.find("Other news"), std::string::npos);
}

}  // namespace
}  // namespace echotrace

namespace echotrace {
namespace {

// Every span lies inside its document, on the text given, for inputs built to
// stress the scanners: runs of marks, unclosed quotes, apostrophes, dots,
// long names, glued words and invalid-looking bytes.
TEST(FindQuotes, PathologicalInputStaysInBounds) {
  const std::vector<std::string> pieces = {"\"",
                                           "\xE2\x80\x9C",
                                           "\xE2\x80\x9D",
                                           "'",
                                           "\xE2\x80\x98",
                                           "\xE2\x80\x99",
                                           " said ",
                                           " that ",
                                           "Kim",
                                           " Jong",
                                           " Un",
                                           "ComradeKim",
                                           ".",
                                           ": ",
                                           ", ",
                                           "KCNA",
                                           " he ",
                                           "(",
                                           ")",
                                           "[",
                                           "]",
                                           "U.S.",
                                           "N. ",
                                           "-",
                                           "\xE2\x80\xA6",
                                           "Party",
                                           " the premier ",
                                           "\xC5\x8F",
                                           "Tok-hun",
                                           "\n"};
  uint32_t state = 12345;
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> paragraphs(1 + round % 4);
    for (std::string& p : paragraphs) {
      const int length = 1 + static_cast<int>(state % 60);
      for (int k = 0; k < length; ++k) {
        state = state * 1103515245u + 12345u;
        const std::string& piece = pieces[(state >> 16) % pieces.size()];
        if (piece != "\n") p += piece;
      }
    }
    const Document doc = Paragraphs(paragraphs);
    const std::vector<Span> entities = FindEntities(doc, DefaultGazetteer());
    for (size_t i = 0; i < entities.size(); ++i) {
      ASSERT_LE(entities[i].begin, entities[i].end);
      ASSERT_LE(entities[i].end, doc.text.size());
      if (i > 0) {
        ASSERT_LE(entities[i - 1].end, entities[i].begin) << "entities overlap";
      }
    }
    for (const Span& q : FindQuotes(doc, entities)) {
      ASSERT_LE(q.begin, q.end);
      ASSERT_LE(q.end, doc.text.size());
      ASSERT_EQ(q.kind, SpanKind::kQuote);
    }
  }
}

}  // namespace
}  // namespace echotrace

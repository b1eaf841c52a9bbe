#include "annotate/entities.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "extract/extract.h"
#include "lexicon/gazetteer.h"
#include "lexicon/romanization.h"

namespace echotrace {
namespace {

// One paragraph document (no extraction: the finder sees exactly `text`).
Document Paragraph(const std::string& text) {
  Document doc;
  doc.text = text;
  doc.spans.push_back(Span{0, static_cast<uint32_t>(text.size()), SpanKind::kParagraph, "", "", {}});
  return doc;
}

struct Found {
  std::string text, id, type, role;
  bool unseen = false;
};

std::vector<Found> Entities(const std::string& text) {
  const Document doc = Paragraph(text);
  std::vector<Found> found;
  for (const Span& span : FindEntities(doc, DefaultGazetteer())) {
    EXPECT_EQ(span.kind, SpanKind::kEntity);
    found.push_back({std::string(doc.SpanText(span)), span.key, span.label, std::string(span.Attr("role")),
                     span.Attr("new") == "1"});
  }
  return found;
}

TEST(Gazetteer, BuiltInTableParsesAndHasOutlets) {
  const Gazetteer& g = DefaultGazetteer();
  ASSERT_NE(FindEntry(g, "kim-jong-un"), nullptr);
  EXPECT_EQ(FindEntry(g, "kim-jong-un")->type, "person");
  EXPECT_EQ(FindEntry(g, "kim-jong-un")->surname, "kim");
  ASSERT_NE(FindEntry(g, "kcna"), nullptr);
  EXPECT_EQ(FindEntry(g, "kcna")->type, "outlet");
  ASSERT_NE(FindEntry(g, "nk-news"), nullptr);  // from data/outlets.tsv
  EXPECT_EQ(FindEntry(g, "no-such-id"), nullptr);
}

TEST(Gazetteer, ParseErrorsNameTheLine) {
  EXPECT_FALSE(ParseGazetteer("a\tperson\n").ok());
  const Result<Gazetteer> bad_type = ParseGazetteer("# c\nx\tanimal\tX\n");
  ASSERT_FALSE(bad_type.ok());
  EXPECT_NE(bad_type.status().message().find("line 2"), std::string::npos);
  EXPECT_NE(bad_type.status().message().find("person"), std::string::npos);
  EXPECT_FALSE(ParseGazetteer("x\tplace\tX\nx\tplace\tY\n").ok());
  const Result<Gazetteer> good = ParseGazetteer("x\tplace\tXland\tXia,~Land\n");
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good.value().entries.size(), 1u);
  EXPECT_EQ(good.value().aliases.size(), 3u);
}

TEST(FindEntities, RomanizationVariantsShareOneId) {
  for (const char* name : {"Kim Tok Hun", "Kim Tok-hun", "Kim Dok-hun", "KIM TOK HUN", "Kim Deok-hun"}) {
    const std::vector<Found> found = Entities(std::string("Yesterday ") + name + " visited a farm.");
    ASSERT_EQ(found.size(), 1u) << name;
    EXPECT_EQ(found[0].id, "kim-tok-hun") << name;
    EXPECT_EQ(found[0].text, name);
  }
  const std::vector<Found> il = Entities("They bowed before Kim Il-sung and Kim Il Sung.");
  ASSERT_EQ(il.size(), 2u);
  EXPECT_EQ(il[0].id, "kim-il-sung");
  EXPECT_EQ(il[1].id, "kim-il-sung");
  const std::vector<Found> choe = Entities("Choi Ryong-hae met Lee Sol-ju.");
  ASSERT_EQ(choe.size(), 2u);
  EXPECT_EQ(choe[0].id, "choe-ryong-hae");
  EXPECT_EQ(choe[1].id, "ri-sol-ju");
}

TEST(FindEntities, OneAliasCoversHyphenAndSpaceForms) {
  const Result<Gazetteer> g = ParseGazetteer("x\tperson\tKim Tok Hun\ny\tperson\tRi Il-hwan\n");
  ASSERT_TRUE(g.ok());
  for (const char* text : {"Kim Tok-hun", "Kim Tok Hun", "KIM TOK-HUN", "Kim Dok-hun"}) {
    const Document doc = Paragraph(std::string("Then ") + text + " spoke.");
    const std::vector<Span> found = FindEntities(doc, g.value());
    ASSERT_EQ(found.size(), 1u) << text;
    EXPECT_EQ(found[0].key, "x");
  }
  for (const char* text : {"Ri Il Hwan", "Ri Il-hwan", "Lee Il-hwan"}) {
    const Document doc = Paragraph(std::string("Then ") + text + " spoke.");
    const std::vector<Span> found = FindEntities(doc, g.value());
    ASSERT_EQ(found.size(), 1u) << text;
    EXPECT_EQ(found[0].key, "y");
  }
}

TEST(FindEntities, TitlesAndHonorificsBecomeRoles) {
  const std::vector<Found> found = Entities("The meeting was guided by the respected Comrade Kim Jong Un.");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].text, "Kim Jong Un");
  EXPECT_EQ(found[0].role, "respected Comrade");
  const std::vector<Found> premier = Entities("Top officials, including Premier Kim Tok-hun, were present.");
  ASSERT_EQ(premier.size(), 1u);
  EXPECT_EQ(premier[0].role, "Premier");
  const std::vector<Found> apposition =
      Entities("Kim Jong Un , general secretary of the Workers' Party of Korea, sent it.");
  ASSERT_EQ(apposition.size(), 2u);
  EXPECT_EQ(apposition[0].role, "general secretary");
  EXPECT_EQ(apposition[1].id, "wpk");
}

TEST(FindEntities, AcronymsShortFormsAndTheParty) {
  const std::vector<Found> found = Entities(
      "The WPK, or Workers\xE2\x80\x99 Party of Korea, said the Party Central Committee met; our Party and the "
      "party agreed, KCNA and the Korean Central News Agency said, as did the DPRK, North Korea and the U.S.");
  std::vector<std::string> ids;
  for (const Found& f : found) ids.push_back(f.id + "=" + f.text);
  EXPECT_EQ(ids, (std::vector<std::string>{
                     "wpk=WPK", "wpk=Workers\xE2\x80\x99 Party of Korea", "wpk-cc=Party Central Committee", "wpk=Party",
                     "kcna=KCNA", "kcna=Korean Central News Agency", "dprk=DPRK", "dprk=North Korea", "us=U.S."}));
}

TEST(FindEntities, OutletsAsWrittenInRunningText) {
  std::vector<std::string> ids;
  for (const Found& f :
       Entities("The Guardian and Reuters reported on the Ulji Freedom Guardian drills, Yonhap said.")) {
    ids.push_back(f.id + "=" + f.text);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"guardian=The Guardian", "reuters=Reuters", "yonhap=Yonhap"}));
}

TEST(FindEntities, CaseMattersForAcronymsAndGenericWords) {
  EXPECT_TRUE(Entities("Let us go with the party.").empty());
  EXPECT_TRUE(Entities("They met the Conservative Party leaders.").empty());
  // Another party's bodies are not the WPK's.
  std::vector<std::string> ids;
  for (const Found& f : Entities("He greeted the Central Committee of the Communist Party of China, the CPC Central "
                                 "Committee and the Central Committee of the league; the Eighth Central Committee of "
                                 "the WPK and the Party Central Committee met.")) {
    ids.push_back(f.id + "=" + f.text);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"china=China", "wpk-cc=Central Committee", "wpk=WPK",
                                           "wpk-cc=Party Central Committee"}));
  const std::vector<Found> us = Entities("The US said so.");
  ASSERT_EQ(us.size(), 1u);
  EXPECT_EQ(us[0].id, "us");
}

TEST(FindEntities, UnseenKoreanNamesAndAppositions) {
  const std::vector<Found> found =
      Entities("Researcher Kim Ryu Chol at the Academy of Social Sciences says it. Jon Jong Hwan works at a mine.");
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].text, "Kim Ryu Chol");
  EXPECT_EQ(found[0].id, RomanizationKey("Kim Ryu Chol"));
  EXPECT_TRUE(found[0].unseen);
  EXPECT_EQ(found[0].role, "Researcher");
  EXPECT_EQ(found[1].id, "academy-of-social-sciences");
  EXPECT_EQ(found[2].text, "Jon Jong Hwan");
  EXPECT_TRUE(found[2].unseen);
  // Not names: a surname followed by an English word, or part of a longer proper noun.
  EXPECT_TRUE(Entities("Kim Calls For Unity").empty());
  EXPECT_EQ(Entities("He studied at Kim Chaek University of Technology.").at(0).id, "kim-chaek-university");
}

TEST(FindEntities, BareSurnameRefersToThePersonNamedBefore) {
  const std::vector<Found> found = Entities(
      "Kim Jong Un spoke. Chinese President Xi Jinping listened. Kim said more. Later Kim Yo Jong spoke; Kim left.");
  std::vector<std::string> ids;
  for (const Found& f : found) ids.push_back(f.id + "=" + f.text);
  EXPECT_EQ(ids, (std::vector<std::string>{"kim-jong-un=Kim Jong Un", "xi-jinping=Xi Jinping", "kim-jong-un=Kim",
                                           "kim-yo-jong=Kim Yo Jong", "kim-yo-jong=Kim"}));
  EXPECT_EQ(found[1].role, "Chinese President");
  // "I" is a pronoun, not Ri; a bare surname with nobody to refer to is dropped.
  EXPECT_EQ(Entities("Ri Pyong Chol came. I think Pak left.").size(), 1u);
}

TEST(FindEntities, OnlyTitleAndParagraphsAreScanned) {
  Document doc;
  doc.text = "Kim Jong Un visits\n\nMenu Pyongyang\n\nKim Yo Jong spoke.";
  doc.spans = {Span{0, 18, SpanKind::kTitle, "", "", {}}, Span{20, 34, SpanKind::kBoilerplate, "navigation", "", {}},
               Span{36, static_cast<uint32_t>(doc.text.size()), SpanKind::kParagraph, "", "", {}}};
  const std::vector<Span> found = FindEntities(doc, DefaultGazetteer());
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].key, "kim-jong-un");
  EXPECT_EQ(found[1].key, "kim-yo-jong");
}

TEST(CanonicalId, NamesAsWritten) {
  const Gazetteer& g = DefaultGazetteer();
  EXPECT_EQ(CanonicalId(g, "Kim Tok Hun"), "kim-tok-hun");
  EXPECT_EQ(CanonicalId(g, "Premier Kim Tok-hun"), "kim-tok-hun");
  EXPECT_EQ(CanonicalId(g, "KCNA"), "kcna");
  EXPECT_EQ(CanonicalId(g, "Rodong Sinmun"), "rodong");
  EXPECT_EQ(CanonicalId(g, "Kim Ryu Chol"), RomanizationKey("Kim Ryu Chol"));
  EXPECT_EQ(CanonicalId(g, "somebody"), "");
  EXPECT_EQ(CanonicalId(g, ""), "");
}

TEST(FindEntities, LowercaseMinistryIsTheBody) {
  const std::vector<Found> found = Entities("A spokesman for the unification ministry declined to comment.");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].text, "unification ministry");
  EXPECT_EQ(found[0].id, "rok-unification-ministry");
  // Lowercase words before another noun are no body ("unification talks").
  EXPECT_TRUE(Entities("They spoke of unification talks and a ministry.").empty());
}

TEST(FindEntities, CountrysPossessiveBeforeABodyNounNamesTheBody) {
  const Document doc = Paragraph("Later, South Korea's military said it tracked the launch.");
  const std::vector<Span> found = FindEntities(doc, DefaultGazetteer());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].key, "rok");
  EXPECT_EQ(found[0].Attr("body"), "rok-military");
  // Other nouns after the possessive name no body.
  const Document other = Paragraph("Later, South Korea's weather turned cold.");
  const std::vector<Span> plain = FindEntities(other, DefaultGazetteer());
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_EQ(plain[0].Attr("body"), "");
}

TEST(FindEntities, NamesByShapeAfterAnOutletsPossessiveOrARoleApposition) {
  const std::vector<Found> a = Entities("The plan is risky, says CNN's Maria Lopez in Tokyo.");
  ASSERT_EQ(a.size(), 3u);  // CNN, the correspondent, Tokyo
  EXPECT_EQ(a[1].text, "Maria Lopez");
  EXPECT_EQ(a[1].id, "maria-lopez");
  EXPECT_EQ(a[1].type, "person");
  // A given name before a Korean surname, in apposition after a role.
  const std::vector<Found> b = Entities("The US envoy for human rights, Daniel Kim, will visit Seoul.");
  ASSERT_FALSE(b.empty());
  bool found = false;
  for (const Found& f : b) found = found || (f.text == "Daniel Kim" && f.id == "daniel-kim");
  EXPECT_TRUE(found);
  // Without a cue two capitalized words are no person.
  for (const Found& f : Entities("They met near Grand Central Station on Friday.")) EXPECT_NE(f.type, "person");
}

TEST(FindEntities, CaptionsNamePeopleButCreditNoOutlets) {
  Document doc = Paragraph("The talks ended on Friday.");
  const uint32_t at = static_cast<uint32_t>(doc.text.size() + 2);
  doc.text += "\n\nPak Pong Ju tours a farm. (Photo: KCNA via Reuters)";
  doc.spans.push_back(
      Span{at, static_cast<uint32_t>(doc.text.size()), SpanKind::kBoilerplate, "photo_caption", "", {}});
  std::vector<std::string> found;
  for (const Span& span : FindEntities(doc, DefaultGazetteer())) found.push_back(span.label + ":" + span.key);
  EXPECT_EQ(found, std::vector<std::string>{"person:pak-pong-ju"});
  // Navigation and other boilerplate stay unread.
  doc.spans.back().label = "navigation";
  EXPECT_TRUE(FindEntities(doc, DefaultGazetteer()).empty());
}

TEST(Entities, LoneSurnameBeforeAGovernmentNounIsNoPerson) {
  const auto found = Entities("The Trump administration imposed sanctions, and Donald Trump said more would follow.");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].text, "Donald Trump");
  // A full name keeps its mention.
  const auto full = Entities("The Donald Trump administration imposed sanctions.");
  ASSERT_EQ(full.size(), 1u);
  EXPECT_EQ(full[0].id, "donald-trump");
}

}  // namespace
}  // namespace echotrace

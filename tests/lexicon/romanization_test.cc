#include "lexicon/romanization.h"

#include <gtest/gtest.h>

namespace echotrace {
namespace {

TEST(RomanizationKey, HyphenSpaceCaseVariantsAreEqual) {
  const std::string key = RomanizationKey("Kim Tok Hun");
  EXPECT_EQ(key, "kim-tok-hun");
  EXPECT_EQ(RomanizationKey("Kim Tok-hun"), key);
  EXPECT_EQ(RomanizationKey("KIM TOK HUN"), key);
  EXPECT_EQ(RomanizationKey("kim tok-Hun"), key);
  EXPECT_EQ(RomanizationKey("Kim Il-sung"), RomanizationKey("Kim Il Sung"));
}

TEST(RomanizationKey, McCuneReischauerRevisedAndDprkStylesAreEqual) {
  EXPECT_EQ(RomanizationKey("Kim Dok-hun"), RomanizationKey("Kim Tok Hun"));         // d/t
  EXPECT_EQ(RomanizationKey("Kim Deok-hun"), RomanizationKey("Kim Tok Hun"));        // RR eo
  EXPECT_EQ(RomanizationKey("Kim T\xC5\x8Fk-hun"), RomanizationKey("Kim Tok Hun"));  // MR breve
  EXPECT_EQ(RomanizationKey("Kim Il-s\xC5\x8Fng"), RomanizationKey("Kim Il Sung"));
  EXPECT_EQ(RomanizationKey("Kim Il-seong"), RomanizationKey("Kim Il Sung"));
  EXPECT_EQ(RomanizationKey("Kim Jong-eun"), RomanizationKey("Kim Jong Un"));
  EXPECT_EQ(RomanizationKey("Kim Yeo-jeong"), RomanizationKey("Kim Yo Jong"));
  EXPECT_EQ(RomanizationKey("Ri Seol-ju"), RomanizationKey("Ri Sol Ju"));
  EXPECT_EQ(RomanizationKey("Park Bong-ju"), RomanizationKey("Pak Pong Ju"));
  EXPECT_EQ(RomanizationKey("Cho Yong-won"), RomanizationKey("Jo Yong Won"));
  EXPECT_EQ(RomanizationKey("Thae Yong Ho"), RomanizationKey("Tae Yong-ho"));
  EXPECT_EQ(RomanizationKey("Choe Son-hee"), RomanizationKey("Choe Son Hui"));
}

TEST(RomanizationKey, SouthKoreanVowelSpellingsFoldToTheDprkForm) {
  // u for MR o / RR eo before a final l or k; woo and wu for u.
  EXPECT_EQ(RomanizationKey("Hyon Yong-chul"), RomanizationKey("Hyon Yong Chol"));
  EXPECT_EQ(RomanizationKey("Ri Pyong-chul"), RomanizationKey("Ri Pyong Cheol"));
  EXPECT_EQ(RomanizationKey("Yoon Seok-yeol"), RomanizationKey("Yoon Suk Yeol"));
  EXPECT_EQ(RomanizationKey("O Jin-woo"), RomanizationKey("O Jin U"));
  EXPECT_EQ(RomanizationKey("Pak Wu-sam"), RomanizationKey("Pak U Sam"));
  // "ou" is a French-style spelling of "eo".
  EXPECT_EQ(RomanizationKey("Han Myong-youl"), RomanizationKey("Han Myong Yeol"));
  // Vowels before other finals stay apart.
  EXPECT_NE(RomanizationKey("Kim Yong Sun"), RomanizationKey("Kim Yong Son"));
  EXPECT_NE(RomanizationKey("Kim Il Sung"), RomanizationKey("Kim Jong Suk"));
}

TEST(RomanizationKey, SurnameSpellingsAreCanonicalized) {
  EXPECT_EQ(RomanizationKey("Choi Ryong-hae"), RomanizationKey("Choe Ryong Hae"));
  EXPECT_EQ(RomanizationKey("Ch'oe Ryong-hae"), RomanizationKey("Choe Ryong Hae"));
  EXPECT_EQ(RomanizationKey("Ch\xE2\x80\x99oe Ryong-hae"), RomanizationKey("Choe Ryong Hae"));
  for (const char* ri : {"Ri", "Lee", "Rhee", "Yi", "Li"}) {
    EXPECT_EQ(RomanizationKey(std::string(ri) + " Pyong Chol"), "ri-pyong-jol") << ri;
  }
  EXPECT_EQ(RomanizationKey("Park Jong-chon"), RomanizationKey("Pak Jong Chon"));
  EXPECT_EQ(RomanizationKey("Jeong Kyong Thaek"), RomanizationKey("Jong Kyong-thaek"));
  EXPECT_EQ(RomanizationKey("Chong Kyong Thaek"), RomanizationKey("Jong Kyong-thaek"));
  EXPECT_EQ(CanonicalSurname("Rhee"), "ri");
  EXPECT_EQ(CanonicalSurname("PARK"), "pak");
  EXPECT_EQ(CanonicalSurname("Choi"), "choe");
  EXPECT_EQ(CanonicalSurname("Smith"), "");
}

TEST(RomanizationKey, DifferentNamesStayDifferent) {
  EXPECT_NE(RomanizationKey("Kim Jong Un"), RomanizationKey("Kim Jong Il"));
  EXPECT_NE(RomanizationKey("Kim Yo Jong"), RomanizationKey("Kim Jong Un"));
  EXPECT_NE(RomanizationKey("Pak Pong Ju"), RomanizationKey("Pak Jong Chon"));
  EXPECT_NE(RomanizationKey("Kim Il Sung"), RomanizationKey("Kim Jong Suk"));
}

TEST(RomanizationKey, OddInputIsHarmless) {
  EXPECT_EQ(RomanizationKey(""), "");
  EXPECT_EQ(RomanizationKey(" - ' "), "");
  EXPECT_FALSE(RomanizationKey("\xFF\xFE Kim").empty());  // malformed UTF-8 does not crash
  EXPECT_EQ(RomanizationKey("Workers' Party"), RomanizationKey("Workers\xE2\x80\x99 Party"));
}

TEST(LooksLikeKoreanSyllables, AcceptsGivenNamesRejectsEnglish) {
  for (const char* yes : {"Chol", "Ryu", "Tok-hun", "Hwan", "Jong", "Thaek", "Sol", "Ju", "Ae", "Deokhun"}) {
    EXPECT_TRUE(LooksLikeKoreanSyllables(yes)) << yes;
  }
  for (const char* no : {"Calls", "Square", "Said", "University", "Street", "Visits", "Reuters", "Farm"}) {
    EXPECT_FALSE(LooksLikeKoreanSyllables(no)) << no;
  }
}

}  // namespace
}  // namespace echotrace

// The one tokenizer (lexicon/tokens.h): what a character is, said once, and
// the three stages' cuts of the same text.
#include "lexicon/tokens.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "annotate/block_tokens.h"
#include "annotate/name_tokens.h"
#include "link/normalize.h"

namespace echotrace {
namespace {

std::vector<std::string> Cut(std::string_view text, const TokenizeOptions& options) {
  std::vector<TextToken> tokens;
  Tokenize(text, 0, options, &tokens);
  std::vector<std::string> out;
  for (const TextToken& t : tokens) out.emplace_back(text.substr(t.begin, t.end - t.begin));
  return out;
}

TEST(ClassifyChar, NewsPunctuationAndSpacesAreOneFact) {
  EXPECT_EQ(ClassifyChar("\xC2\xA0", 0).cls, CharClass::kSpace);           // no-break space
  EXPECT_EQ(ClassifyChar("\xE2\x80\x89", 0).cls, CharClass::kSpace);       // thin space
  EXPECT_EQ(ClassifyChar("\xE2\x80\x9C", 0).cls, CharClass::kPunct);       // “
  EXPECT_EQ(ClassifyChar("\xE2\x80\x94", 0).cls, CharClass::kPunct);       // —
  EXPECT_EQ(ClassifyChar("\xE2\x80\x99", 0).cls, CharClass::kApostrophe);  // ’
  EXPECT_EQ(ClassifyChar("\xE2\x80\x91", 0).cls, CharClass::kHyphen);      // non-breaking hyphen
  EXPECT_EQ(ClassifyChar("\xE2\x80\xA6", 0).cls, CharClass::kEllipsis);
  EXPECT_EQ(ClassifyChar("\xC3\x97", 0).cls, CharClass::kPunct);  // ×
  const CharInfo o = ClassifyChar("\xC5\x8E", 0);                 // Ŏ
  EXPECT_EQ(o.cls, CharClass::kLetter);
  EXPECT_EQ(o.fold, 'o');
  EXPECT_TRUE(o.upper);
  EXPECT_EQ(ClassifyChar("\xEC\xA1\xB0", 0).cls, CharClass::kLetter);  // 조 (Hangul)
  // A truncated sequence is one character of what is left, never read past the end.
  EXPECT_EQ(ClassifyChar("\xE2\x80", 0).length, 2);
}

TEST(Tokenize, StagesCutTheSameTextTheirOwnWay) {
  const std::string text = "Kim Tok-hun's U.S. visit on the 4th\xC2\xA0of May [...] ended.";
  EXPECT_EQ(Cut(text, TokenizeOptions::NameWords()),
            (std::vector<std::string>{"Kim", "Tok-hun", "U.S.", "visit", "on", "the", "4th", "of", "May", "ended"}));
  TokenizeOptions block = TokenizeOptions::BlockWords();
  block.merge_ordinal_suffix = true;
  const std::vector<std::string> blocks = Cut(text, block);
  EXPECT_EQ(std::vector<std::string>(blocks.begin(), blocks.begin() + 6),
            (std::vector<std::string>{"Kim", "Tok", "-", "hun", "'", "s"}));
  EXPECT_NE(std::find(blocks.begin(), blocks.end(), "4th"), blocks.end());
  const std::vector<std::string> words = Cut(text, TokenizeOptions::MatchWords());
  EXPECT_EQ(std::vector<std::string>(words.begin(), words.begin() + 4),
            (std::vector<std::string>{"Kim", "Tok", "-", "hun"}));  // the possessive dropped, punctuation kept
  EXPECT_EQ(words[4], "U");
}

TEST(Tokenize, ANoBreakSpaceIsASpaceToEveryStage) {
  const std::string text = "on\xC2\xA0May 5";
  // Names: a name may run across it, as across a plain space.
  const auto names = annotate_internal::Tokenize(text, 0);
  ASSERT_EQ(names.size(), 3u);
  EXPECT_TRUE(names[1].joined);
  // Dates: "May" has a space before it, as after an ordinary space.
  std::string lower;
  std::vector<block_tokens::BlockToken> blocks;
  block_tokens::Tokenize(text, 0, static_cast<uint32_t>(text.size()), false, &lower, &blocks);
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[1].raw, "May");
  EXPECT_TRUE(blocks[1].space_before);
  // Linking: the same three words.
  EXPECT_EQ(Tokenize(text).tokens.size(), 3u);
}

TEST(Tokenize, GluedSurnameAndInitialsInNames) {
  EXPECT_EQ(Cut("ComradeKim Jong Un and Donald J. Trump", TokenizeOptions::NameWords()),
            (std::vector<std::string>{"Comrade", "Kim", "Jong", "Un", "and", "Donald", "J.", "Trump"}));
  // Without the option, a glued word stays whole.
  EXPECT_EQ(Cut("ComradeKim", TokenizeOptions::MatchWords()), (std::vector<std::string>{"ComradeKim"}));
}

TEST(Tokenize, OffsetsAreBasePlusPositionAndHostileBytesAreSafe) {
  std::vector<TextToken> tokens;
  Tokenize("ab cd", 100, TokenizeOptions::NameWords(), &tokens);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[1].begin, 103u);
  EXPECT_EQ(tokens[1].end, 105u);
  const std::string junk("\xFF\xC3\xE2\x80\x00'-", 7);
  for (const TokenizeOptions& o :
       {TokenizeOptions::NameWords(), TokenizeOptions::BlockWords(), TokenizeOptions::MatchWords()}) {
    tokens.clear();
    Tokenize(junk, 0, o, &tokens);
    for (const TextToken& t : tokens) EXPECT_LE(t.end, junk.size());
  }
}

}  // namespace
}  // namespace echotrace

// The one word tokenizer of page text, with per-stage options.
//
// Every stage that reads words goes through Tokenize: annotation's name and
// quote finders (NameWords: "Tok-hun", "Ch'oe", "U.S." are one word each),
// the date and event scanners (BlockWords: ASCII words, numbers and
// punctuation as separate tokens, "4th" one ordinal), and linking
// (MatchWords: hyphens split, punctuation kept for elisions and brackets).
// What a character of news text is (a letter, an apostrophe, a hyphen, a
// space, punctuation) is said once, by ClassifyChar, and all three agree on
// it: a no-break space is a space, curly quotes and dashes are punctuation,
// "ŏ" is a letter that folds to "o".
//
// Cost: linear in the text, one pass, no backtracking; lookahead is bounded
// by a constant. Safe on untrusted bytes: invalid UTF-8 is read as letters
// (one byte at a time) and nothing is read past the end.
// Thread-safety: pure functions; callable from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace echotrace {

// ---------------------------------------------------------------------------
// Characters

enum class CharClass : uint8_t {
  kLetter,        // ASCII letter, or a non-ASCII character that is not punctuation or a symbol
  kDigit,         // 0-9
  kApostrophe,    // ' ‘ ’ ʼ
  kHyphen,        // - U+2010 U+2011
  kSpace,         // space, tab, CR, LF, no-break space
  kEllipsis,      // …
  kOpenBracket,   // ( [
  kCloseBracket,  // ) ]
  kOpenBrace,     // {
  kPunct,         // anything else: . , " “ ” – — « » · × and symbols (U+2000..U+2BFF, U+3000..U+303F)
};

struct CharInfo {
  CharClass cls = CharClass::kPunct;
  uint8_t length = 1;  // bytes of the character at `i` (at least 1, never past the end)
  char fold = 0;       // the ASCII letter a Latin letter folds to ("é" -> 'e', "ŏ" -> 'o'), else 0
  bool upper = false;  // an uppercase letter (ASCII, Latin-1, Ŏ, Ŭ)
};

namespace lexicon_internal {
// ASCII characters by table (the tokenizers ask this of every byte); the
// rest through ClassifyNonAscii.
inline constexpr std::array<CharInfo, 128> kAsciiChars = [] {
  std::array<CharInfo, 128> table{};
  for (int c = 0; c < 128; ++c) {
    CharInfo& info = table[static_cast<size_t>(c)];
    info.cls = CharClass::kPunct;
    if (c >= 'a' && c <= 'z') info.cls = CharClass::kLetter;
    if (c >= 'A' && c <= 'Z') {
      info.cls = CharClass::kLetter;
      info.upper = true;
    }
    if (c >= '0' && c <= '9') info.cls = CharClass::kDigit;
    if (c == '\'') info.cls = CharClass::kApostrophe;
    if (c == '-') info.cls = CharClass::kHyphen;
    if (c == '(' || c == '[') info.cls = CharClass::kOpenBracket;
    if (c == ')' || c == ']') info.cls = CharClass::kCloseBracket;
    if (c == '{') info.cls = CharClass::kOpenBrace;
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') info.cls = CharClass::kSpace;
  }
  return table;
}();
CharInfo ClassifyNonAscii(std::string_view text, size_t i);
}  // namespace lexicon_internal

// The character at text[i]. REQUIRES: i < text.size().
inline CharInfo ClassifyChar(std::string_view text, size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  return c < 0x80 ? lexicon_internal::kAsciiChars[c] : lexicon_internal::ClassifyNonAscii(text, i);
}

// ---------------------------------------------------------------------------
// Tokens

enum class TokenKind : uint8_t { kWord, kNumber, kPunct };

// How a stage wants its words cut. Each option's default is off; the three
// presets below are the stages' choices.
struct TokenizeOptions {
  // Digits are word characters ("4th", "B-52" one word); off: a run of
  // digits is a kNumber token of its own.
  bool digits_in_words = true;
  // Non-ASCII letters are word characters; off: each non-ASCII character is
  // a kPunct token (the date scanner reads only English words).
  bool non_ascii_letters = true;
  // Hyphens between word characters join ("Tok-hun", "anti-DPRK"); off: they split.
  bool join_hyphens = false;
  // Apostrophes between word characters join ("Ch'oe", "don't").
  bool join_apostrophes = false;
  // A possessive "'s" ends the word and is skipped ("Kim's" -> "Kim").
  bool drop_possessive = false;
  // Acronym dots ("U.S.", "U.N") and an initial's dot before a capitalized
  // word ("Donald J. Trump") belong to the word.
  bool acronym_dots = false;
  // A Korean surname glued to the word before it starts a new word
  // ("ComradeKim": a corpus drops the spaces around bold names).
  bool split_glued_surnames = false;
  // Without digits_in_words: "4th", "22nd" are one kNumber token with
  // `ordinal` set (otherwise "4" and a word "th").
  bool merge_ordinal_suffix = false;
  // Punctuation (and brackets, ellipses, apostrophes and hyphens that do not
  // join) are kPunct tokens, one per character; off: they are skipped.
  bool punctuation_tokens = false;

  // Annotation's name and quote finders, and the gazetteer's alias keys.
  static TokenizeOptions NameWords();
  // The date and event scanners: words, numbers and punctuation apart.
  static TokenizeOptions BlockWords();
  // Linking: words split at hyphens, punctuation kept (elisions, brackets).
  static TokenizeOptions MatchWords();
};

// A token: a view of the text by offsets; it owns nothing.
struct TextToken {
  uint32_t begin = 0;  // byte offsets into the text given to Tokenize, plus `base`
  uint32_t end = 0;
  TokenKind kind = TokenKind::kWord;
  bool space_before = true;  // whitespace, or the start of the text, right before it
  bool upper_first = false;  // its first character is an uppercase letter
  bool has_lower = false;    // it holds a lowercase ASCII letter
  bool ordinal = false;      // a kNumber with its suffix merged ("4th")
  bool possessive = false;   // a dropped "'s" follows it
};

// Appends the tokens of `text` to `*out`, with offsets `base` + offset in `text`.
// REQUIRES: base + text.size() fits in 32 bits.
void Tokenize(std::string_view text, uint32_t base, const TokenizeOptions& options, std::vector<TextToken>* out);

// The matching key of one word of a name: its romanization key
// (lexicon/romanization.h), and as the first word of a name (`first`) its
// surname canonicalized ("Lee" -> "ri").
std::string NameWordKey(std::string_view word, bool first);

}  // namespace echotrace

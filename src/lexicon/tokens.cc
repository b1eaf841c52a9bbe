#include "lexicon/tokens.h"

#include <array>

#include "lexicon/romanization.h"

namespace echotrace::annotate_internal {
namespace {

// ASCII letters and digits, by table: the tokenizer asks this of every byte.
constexpr std::array<bool, 128> kAsciiAlnum = [] {
  std::array<bool, 128> table{};
  for (int c = 0; c < 128; ++c) table[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  return table;
}();

inline bool IsAsciiAlnum(unsigned char c) { return c < 128 && kAsciiAlnum[c]; }
bool IsUpper(unsigned char c) { return c >= 'A' && c <= 'Z'; }

// True when s[i] starts a letter or digit (ASCII, or a non-ASCII character
// that is not news punctuation).
inline bool IsWordChar(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return IsAsciiAlnum(c);
  if (c < 0xC0) return true;  // continuation byte: part of a letter already started
  return PunctuationLength(s, i) == 0;
}

// Length of an apostrophe at s[i] (' or ’ or ʼ), 0 if none.
size_t ApostropheLength(std::string_view s, size_t i) {
  if (s[i] == '\'') return 1;
  if (s[i] != '\xE2' && s[i] != '\xCA') return 0;
  if (s.substr(i, 3) == "\xE2\x80\x99" || s.substr(i, 2) == "\xCA\xBC") return s[i] == '\xE2' ? 3 : 2;
  return 0;
}

// Length of a hyphen at s[i] ("-" or U+2010/U+2011), 0 if none.
size_t HyphenLength(std::string_view s, size_t i) {
  if (s[i] == '-') return 1;
  if (s[i] != '\xE2') return 0;
  if (s.substr(i, 3) == "\xE2\x80\x90" || s.substr(i, 3) == "\xE2\x80\x91") return 3;
  return 0;
}

// True when `s` starts with a Korean surname as a whole word ("Kim Jong",
// "Kim." but not "Kimchi"), as after a lost space in "ComradeKim".
bool StartsWithSurname(std::string_view s) {
  size_t length = 0;
  while (length < s.size() && length < 8 && IsAsciiAlnum(static_cast<unsigned char>(s[length]))) ++length;
  if (length < 2 || (length < s.size() && IsAsciiAlnum(static_cast<unsigned char>(s[length])))) return false;
  return !CanonicalSurname(s.substr(0, length)).empty();
}

}  // namespace

size_t PunctuationLength(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c == 0xC2 && i + 1 < s.size()) {
    const auto d = static_cast<unsigned char>(s[i + 1]);
    if (d == 0xA0 || d == 0xAB || d == 0xBB || d == 0xB7 || d == 0xB4) return 2;  // NBSP « » · ´
    return 0;
  }
  if (c == 0xE2 && i + 2 < s.size() && s[i + 1] == '\x80') return 3;  // U+2000..U+203F: spaces, dashes, quotes, …
  return 0;
}

std::vector<Token> Tokenize(std::string_view text, uint32_t base) {
  std::vector<Token> tokens;
  tokens.reserve(text.size() / 5 + 1);
  size_t i = 0;
  size_t previous_end = 0;
  bool have_previous = false;
  while (i < text.size()) {
    if (!IsWordChar(text, i)) {
      ++i;
      while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
      continue;
    }
    const size_t begin = i;
    bool has_lower = false;
    while (i < text.size()) {
      const auto byte = static_cast<unsigned char>(text[i]);
      if (byte >= 'a' && byte <= 'z') {
        has_lower = true;
        ++i;
        continue;
      }
      if (IsWordChar(text, i)) {
        // "ComradeKim", "byKim", "HEKim", "4Kim": a surname glued to the word
        // before is a lost space (a corpus drops the spaces around bold names).
        if (IsUpper(byte) && i > begin && i + 1 < text.size() && text[i + 1] >= 'a' && text[i + 1] <= 'z' &&
            IsAsciiAlnum(static_cast<unsigned char>(text[i - 1])) && StartsWithSurname(text.substr(i))) {
          break;
        }
        ++i;
        continue;
      }
      const size_t hyphen = HyphenLength(text, i);
      if (hyphen > 0 && i + hyphen < text.size() && IsWordChar(text, i + hyphen)) {
        i += hyphen;
        continue;
      }
      const size_t apostrophe = ApostropheLength(text, i);
      if (apostrophe > 0 && i + apostrophe < text.size() && IsWordChar(text, i + apostrophe)) {
        const size_t after = i + apostrophe;
        const bool possessive =
            (text[after] == 's' || text[after] == 'S') && (after + 1 >= text.size() || !IsWordChar(text, after + 1));
        if (possessive) break;
        i = after;
        continue;
      }
      // Acronym dots: "U.S", "U.N" (a single capital before and after the dot).
      if (text[i] == '.' && i + 1 < text.size() && IsUpper(static_cast<unsigned char>(text[i + 1])) && i >= begin + 1 &&
          IsUpper(static_cast<unsigned char>(text[i - 1])) && (i == begin + 1 || text[i - 2] == '.') &&
          (i + 2 >= text.size() || !IsWordChar(text, i + 2))) {
        i += 2;
        if (i < text.size() && text[i] == '.') ++i;  // the closing dot of "U.S."
        continue;
      }
      break;
    }
    // An initial ("N. Korea", "Donald J. Trump") keeps its dot and joins the next word.
    if (i == begin + 1 && IsUpper(static_cast<unsigned char>(text[begin])) && i + 2 < text.size() && text[i] == '.' &&
        text[i + 1] == ' ' && IsUpper(static_cast<unsigned char>(text[i + 2]))) {
      ++i;
    }
    Token token;
    token.begin = static_cast<uint32_t>(base + begin);
    token.end = static_cast<uint32_t>(base + i);
    const auto first = static_cast<unsigned char>(text[begin]);
    token.capitalized = IsUpper(first) || (first >= '0' && first <= '9') || first >= 0x80;
    token.lower = first >= 'a' && first <= 'z';
    token.all_caps = !has_lower;
    if (!have_previous) {
      token.sentence_start = true;
    } else if (begin == previous_end + 1 && text[previous_end] == ' ') {
      token.joined = true;  // the common case: one space
    } else {
      const std::string_view gap = text.substr(previous_end, begin - previous_end);
      bool only_spaces = true;  // an empty gap is a lost space ("ComradeKim")
      bool sentence_end = false;
      for (size_t k = 0; k < gap.size(); ++k) {
        const char c = gap[k];
        if (c == ' ') continue;
        if (c == '.' || c == '?' || c == '!' || c == '\n') sentence_end = true;
        // A possessive or plural apostrophe ("People’s Republic", "Workers' Party").
        const size_t apostrophe = ApostropheLength(gap, k);
        if (apostrophe > 0) {
          k += apostrophe - 1;
          if (k + 1 < gap.size() && (gap[k + 1] == 's' || gap[k + 1] == 'S')) ++k;
          continue;
        }
        only_spaces = false;
      }
      token.joined = only_spaces;
      token.sentence_start = sentence_end;
    }
    tokens.push_back(token);
    previous_end = i;
    have_previous = true;
    // Skip a possessive "'s" so it is not a token of its own.
    const size_t apostrophe = i < text.size() && (text[i] == '\'' || text[i] == '\xE2') ? ApostropheLength(text, i) : 0;
    if (apostrophe > 0 && i + apostrophe < text.size() &&
        (text[i + apostrophe] == 's' || text[i + apostrophe] == 'S') &&
        (i + apostrophe + 1 >= text.size() || !IsWordChar(text, i + apostrophe + 1))) {
      i += apostrophe + 1;
    }
  }
  return tokens;
}

std::string WordKey(std::string_view word, bool first) {
  // Same as RomanizationKey(word) for a word without spaces, without its bookkeeping.
  std::string key = RomanizationWordKey(word);
  if (first && key.find('-') == std::string::npos) {
    const std::string_view surname = CanonicalSurname(word);
    if (!surname.empty()) key = surname;
  }
  return key;
}

}  // namespace echotrace::annotate_internal

#include "lexicon/tokens.h"

#include "lexicon/romanization.h"

namespace echotrace {
namespace {

bool IsAsciiUpper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
bool IsAsciiLower(unsigned char c) { return c >= 'a' && c <= 'z'; }
bool IsAsciiAlnum(unsigned char c) { return IsAsciiUpper(c) || IsAsciiLower(c) || (c >= '0' && c <= '9'); }

// Latin-1 letters U+00C0..U+00FF (second byte after 0xC3) as the ASCII letter they fold to; '*' for × and ÷.
constexpr std::string_view kLatin1Fold = "aaaaaaaceeeeiiiidnooooo*ouuuuyts";

// True when character `c`, starting with byte `lead`, is part of a word under `options`.
inline bool IsWordChar(const CharInfo& c, unsigned char lead, const TokenizeOptions& options) {
  if (c.cls == CharClass::kDigit) return options.digits_in_words;
  return c.cls == CharClass::kLetter && (lead < 0x80 || options.non_ascii_letters);
}

// True when the character at text[i] is part of a word under `options`.
inline bool IsWordChar(std::string_view text, size_t i, const TokenizeOptions& options) {
  return IsWordChar(ClassifyChar(text, i), static_cast<unsigned char>(text[i]), options);
}

// True when `s` starts with a Korean surname as a whole word ("Kim Jong",
// "Kim." but not "Kimchi"), as after a lost space in "ComradeKim".
bool StartsWithSurname(std::string_view s) {
  size_t length = 0;
  while (length < s.size() && length < 8 && IsAsciiAlnum(static_cast<unsigned char>(s[length]))) ++length;
  if (length < 2 || (length < s.size() && IsAsciiAlnum(static_cast<unsigned char>(s[length])))) return false;
  return !CanonicalSurname(s.substr(0, length)).empty();
}

// Length of a possessive "'s" at text[i] (an apostrophe, then s or S ending
// the word), 0 if none.
size_t PossessiveLength(std::string_view text, size_t i, const TokenizeOptions& options) {
  const CharInfo apostrophe = ClassifyChar(text, i);
  if (apostrophe.cls != CharClass::kApostrophe) return 0;
  const size_t after = i + apostrophe.length;
  if (after >= text.size() || (text[after] != 's' && text[after] != 'S')) return 0;
  if (after + 1 < text.size() && IsWordChar(text, after + 1, options)) return 0;
  return apostrophe.length + 1;
}

// The end of the word starting at text[begin] (a word character), and
// whether a possessive follows it.
size_t WordEnd(std::string_view text, size_t begin, const TokenizeOptions& options, bool* has_lower) {
  const size_t n = text.size();
  size_t i = begin;
  while (i < n) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (IsAsciiLower(byte)) {
      *has_lower = true;
      ++i;
      continue;
    }
    const CharInfo c = ClassifyChar(text, i);
    if (IsWordChar(c, byte, options)) {
      // "ComradeKim", "byKim", "4Kim": a surname glued to the word before is a lost space.
      if (options.split_glued_surnames && IsAsciiUpper(byte) && i > begin && i + 1 < n &&
          IsAsciiLower(static_cast<unsigned char>(text[i + 1])) &&
          IsAsciiAlnum(static_cast<unsigned char>(text[i - 1])) && StartsWithSurname(text.substr(i))) {
        break;
      }
      i += c.length;
      continue;
    }
    const size_t after = i + c.length;
    if (c.cls == CharClass::kHyphen && options.join_hyphens && after < n && IsWordChar(text, after, options)) {
      i = after;
      continue;
    }
    if (c.cls == CharClass::kApostrophe && after < n && IsWordChar(text, after, options)) {
      if (options.drop_possessive && PossessiveLength(text, i, options) > 0) break;
      if (options.join_apostrophes) {
        i = after;
        continue;
      }
      break;
    }
    // Acronym dots: "U.S", "U.N" (a single capital before and after the dot).
    if (options.acronym_dots && byte == '.' && i + 1 < n && IsAsciiUpper(static_cast<unsigned char>(text[i + 1])) &&
        i >= begin + 1 && IsAsciiUpper(static_cast<unsigned char>(text[i - 1])) &&
        (i == begin + 1 || text[i - 2] == '.') && (i + 2 >= n || !IsWordChar(text, i + 2, options))) {
      i += 2;
      if (i < n && text[i] == '.') ++i;  // the closing dot of "U.S."
      continue;
    }
    break;
  }
  // An initial ("N. Korea", "Donald J. Trump") keeps its dot and joins the next word.
  if (options.acronym_dots && i == begin + 1 && IsAsciiUpper(static_cast<unsigned char>(text[begin])) && i + 2 < n &&
      text[i] == '.' && text[i + 1] == ' ' && IsAsciiUpper(static_cast<unsigned char>(text[i + 2]))) {
    ++i;
  }
  return i;
}

}  // namespace

CharInfo lexicon_internal::ClassifyNonAscii(std::string_view text, size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (i + length > text.size()) length = text.size() - i;
  const auto length8 = static_cast<uint8_t>(length);
  const auto b1 = length > 1 ? static_cast<unsigned char>(text[i + 1]) : 0;
  const auto b2 = length > 2 ? static_cast<unsigned char>(text[i + 2]) : 0;
  if (c == 0xC2) {
    if (b1 == 0xA0) return {CharClass::kSpace, length8, 0, false};  // no-break space
    if (b1 == 0xAB || b1 == 0xBB || b1 == 0xB7 || b1 == 0xB4) return {CharClass::kPunct, length8, 0, false};  // « » · ´
  }
  if (c == 0xC3 && b1 >= 0x80) {  // Latin-1 letters, and × ÷
    const char fold = kLatin1Fold[(b1 - 0x80) & 0x1F];
    if (fold == '*') return {CharClass::kPunct, length8, 0, false};
    return {CharClass::kLetter, length8, fold, b1 < 0x9F};
  }
  if (c == 0xC5 && (b1 == 0x8E || b1 == 0x8F)) return {CharClass::kLetter, length8, 'o', b1 == 0x8E};  // Ŏ ŏ
  if (c == 0xC5 && (b1 == 0xAC || b1 == 0xAD)) return {CharClass::kLetter, length8, 'u', b1 == 0xAC};  // Ŭ ŭ
  if (c == 0xCA && b1 == 0xBC) return {CharClass::kApostrophe, length8, 0, false};                     // ʼ
  if (c == 0xE2 && b1 == 0x80) {  // U+2000..U+203F: spaces, dashes, quotes, …
    if (b2 <= 0x8A || b2 == 0xAF) return {CharClass::kSpace, length8, 0, false};  // en/em/thin spaces, narrow NBSP
    if (b2 == 0x90 || b2 == 0x91) return {CharClass::kHyphen, length8, 0, false};
    if (b2 == 0x98 || b2 == 0x99) return {CharClass::kApostrophe, length8, 0, false};  // ‘ ’
    if (b2 == 0xA6) return {CharClass::kEllipsis, length8, 0, false};
    return {CharClass::kPunct, length8, 0, false};
  }
  if (c == 0xE2) return {CharClass::kPunct, length8, 0, false};  // symbols, arrows, maths, boxes
  // CJK punctuation (U+3000..U+303F) and unit symbols (U+3300..U+33FF: "㎥").
  if (c == 0xE3 && (b1 == 0x80 || (b1 >= 0x8C && b1 <= 0x8F))) return {CharClass::kPunct, length8, 0, false};
  return {CharClass::kLetter, length8, 0, false};
}

TokenizeOptions TokenizeOptions::NameWords() {
  TokenizeOptions o;
  o.join_hyphens = true;
  o.join_apostrophes = true;
  o.drop_possessive = true;
  o.acronym_dots = true;
  o.split_glued_surnames = true;
  return o;
}

TokenizeOptions TokenizeOptions::BlockWords() {
  TokenizeOptions o;
  o.digits_in_words = false;
  o.non_ascii_letters = false;
  o.punctuation_tokens = true;
  return o;
}

TokenizeOptions TokenizeOptions::MatchWords() {
  TokenizeOptions o;
  o.join_apostrophes = true;
  o.drop_possessive = true;
  o.punctuation_tokens = true;
  return o;
}

void Tokenize(std::string_view text, uint32_t base, const TokenizeOptions& options, std::vector<TextToken>* out) {
  out->reserve(out->size() + text.size() / 5 + 1);  // about one word per 5-6 bytes of English
  const size_t n = text.size();
  size_t i = 0;
  bool space = true;
  while (i < n) {
    const CharInfo c = ClassifyChar(text, i);
    if (c.cls == CharClass::kSpace) {
      space = true;
      i += c.length;
      continue;
    }
    TextToken token;
    token.begin = static_cast<uint32_t>(base + i);
    token.space_before = space;
    space = false;
    if (IsWordChar(c, static_cast<unsigned char>(text[i]), options)) {
      token.kind = TokenKind::kWord;
      token.upper_first = c.upper;
      const size_t end = WordEnd(text, i, options, &token.has_lower);
      token.end = static_cast<uint32_t>(base + end);
      i = end;
      if (options.drop_possessive) {
        const size_t possessive = i < n ? PossessiveLength(text, i, options) : 0;
        token.possessive = possessive > 0;
        i += possessive;
      }
      out->push_back(token);
      continue;
    }
    if (c.cls == CharClass::kDigit) {  // digits apart from words
      while (i < n && text[i] >= '0' && text[i] <= '9') ++i;
      if (options.merge_ordinal_suffix) {
        size_t k = i;
        while (k < n &&
               (IsAsciiLower(static_cast<unsigned char>(text[k])) || IsAsciiUpper(static_cast<unsigned char>(text[k]))))
          ++k;
        const auto lower = [&](size_t at) { return static_cast<char>(text[at] | 0x20); };
        const bool ordinal =
            k == i + 2 && ((lower(i) == 's' && lower(i + 1) == 't') || (lower(i) == 'n' && lower(i + 1) == 'd') ||
                           (lower(i) == 'r' && lower(i + 1) == 'd') || (lower(i) == 't' && lower(i + 1) == 'h'));
        if (ordinal) {
          token.ordinal = true;
          i = k;
        }
      }
      token.kind = TokenKind::kNumber;
      token.end = static_cast<uint32_t>(base + i);
      out->push_back(token);
      continue;
    }
    i += c.length;
    if (!options.punctuation_tokens) continue;
    token.kind = TokenKind::kPunct;
    token.end = static_cast<uint32_t>(base + i);
    out->push_back(token);
  }
}

std::string NameWordKey(std::string_view word, bool first) {
  // Same as RomanizationKey(word) for a word without spaces, without its bookkeeping.
  std::string key = RomanizationWordKey(word);
  if (first && key.find('-') == std::string::npos) {
    const std::string_view surname = CanonicalSurname(word);
    if (!surname.empty()) key = surname;
  }
  return key;
}

}  // namespace echotrace

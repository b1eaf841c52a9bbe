#include "lexicon/romanization.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace echotrace {
namespace {

// Decodes one UTF-8 sequence at s[*i] (advancing *i); returns U+FFFD for a
// malformed one. Input is valid UTF-8 in the pipeline, but keys may be asked
// of anything.
char32_t NextCodePoint(std::string_view s, size_t* i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(*i);
  int length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || *i + length > s.size()) {
    ++*i;
    return 0xFFFD;
  }
  char32_t cp = length == 1 ? lead : lead & (0x7F >> length);
  for (int k = 1; k < length; ++k) cp = (cp << 6) | (byte(*i + k) & 0x3F);
  *i += length;
  return cp;
}

// What one code point contributes to a key: a lowercase ASCII letter or
// digit, a separator ('-' between syllables, ' ' between words), nothing
// (apostrophes, dots, marks), or itself (other letters, kept as bytes).
enum class Role { kLetter, kSyllableBreak, kWordBreak, kDrop, kOther };

Role Classify(char32_t cp, char* letter) {
  if (cp < 0x80) {
    const char c = static_cast<char>(cp);
    if (c >= 'A' && c <= 'Z') {
      *letter = static_cast<char>(c - 'A' + 'a');
      return Role::kLetter;
    }
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      *letter = c;
      return Role::kLetter;
    }
    if (c == '-') return Role::kSyllableBreak;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '_' || c == '/') return Role::kWordBreak;
    return Role::kDrop;  // apostrophes, periods, brackets
  }
  switch (cp) {
    // MR breves and carons, and the accents that turn up in hand-typed names.
    case 0x014E:
    case 0x014F:
    case 0x01D1:
    case 0x01D2:
    case 0x00D6:
    case 0x00F6:
    case 0x00D3:
    case 0x00F3:
    case 0x00D2:
    case 0x00F2:
    case 0x00D4:
    case 0x00F4:
    case 0x00D5:
    case 0x00F5: *letter = 'o'; return Role::kLetter;
    case 0x016C:
    case 0x016D:
    case 0x01D3:
    case 0x01D4:
    case 0x00DC:
    case 0x00FC:
    case 0x00DA:
    case 0x00FA:
    case 0x00D9:
    case 0x00F9:
    case 0x00DB:
    case 0x00FB: *letter = 'u'; return Role::kLetter;
    case 0x00C9:
    case 0x00E9:
    case 0x00C8:
    case 0x00E8:
    case 0x00CA:
    case 0x00EA:
    case 0x00CB:
    case 0x00EB:
    case 0x0114:
    case 0x0115: *letter = 'e'; return Role::kLetter;
    case 0x00C1:
    case 0x00E1:
    case 0x00C0:
    case 0x00E0:
    case 0x00C2:
    case 0x00E2:
    case 0x00C4:
    case 0x00E4:
    case 0x0102:
    case 0x0103: *letter = 'a'; return Role::kLetter;
    case 0x00CD:
    case 0x00ED:
    case 0x00CC:
    case 0x00EC:
    case 0x00CE:
    case 0x00EE:
    case 0x00CF:
    case 0x00EF: *letter = 'i'; return Role::kLetter;
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014: return Role::kSyllableBreak;
    case 0x00A0:
    case 0x2009:
    case 0x202F: return Role::kWordBreak;
    case 0x2018:
    case 0x2019:
    case 0x02BC:
    case 0x02BB:
    case 0x2032:
    case 0x00B4:
    case 0x0060: return Role::kDrop;
    default: return Role::kOther;
  }
}

// Splits `text` into words of syllables of plain lowercase letters.
// Calls on_syllable(syllable, word_index) for each nonempty syllable.
template <typename F>
void ForEachSyllable(std::string_view text, F on_syllable) {
  std::string current;
  int word = 0;
  bool word_has_syllable = false;
  const auto flush = [&] {
    if (!current.empty()) {
      on_syllable(current, word);
      word_has_syllable = true;
      current.clear();
    }
  };
  for (size_t i = 0; i < text.size();) {
    const size_t start = i;
    const char32_t cp = NextCodePoint(text, &i);
    char letter = 0;
    switch (Classify(cp, &letter)) {
      case Role::kLetter: current.push_back(letter); break;
      case Role::kSyllableBreak: flush(); break;
      case Role::kWordBreak:
        flush();
        if (word_has_syllable) ++word;
        word_has_syllable = false;
        break;
      case Role::kDrop: break;
      case Role::kOther: current.append(text.substr(start, i - start)); break;
    }
  }
  flush();
}

// Folds one lowercase syllable (see the header for the rules) and appends it
// to `out`. Written with character tests on a stack buffer, not a table of
// strings: it runs on every capitalized word of the text.
void AppendFoldedSyllable(std::string_view syllable, std::string* out) {
  char folded[64];
  size_t n = 0;
  // eo -> o, eu -> u, oo -> u, ou -> o, ee -> i; then ui -> i, oi -> oe (a second pass
  // in effect: "eui" -> "ui" -> "i").
  for (size_t i = 0; i < syllable.size() && n + 2 < sizeof(folded); ++i) {
    char c = syllable[i];
    const char next = i + 1 < syllable.size() ? syllable[i + 1] : '\0';
    if (c == 'e' && (next == 'o' || next == 'u' || next == 'e')) {
      c = next == 'o' ? 'o' : next == 'u' ? 'u' : 'i';
      ++i;
    } else if (c == 'o' && next == 'o') {
      c = 'u';
      ++i;
    } else if (c == 'o' && next == 'u') {
      // "ou" is a French-style spelling of "eo"/"o" ("Seok-youl" is "Seok-yeol").
      ++i;
    }
    if (c == 'i' && n > 0 && folded[n - 1] == 'u') {
      folded[n - 1] = 'i';
    } else if (c == 'i' && n > 0 && folded[n - 1] == 'o') {
      folded[n++] = 'e';
    } else {
      folded[n++] = c;
    }
  }
  // Initials: aspirated, plain and tense consonants merge.
  const auto has = [&](char a, char b) { return n > 2 && folded[0] == a && folded[1] == b; };
  size_t drop = 0;
  char to = 0;
  switch (n > 1 ? folded[0] : '\0') {
    case 't':
      if (n > 3 && folded[1] == 'c' && folded[2] == 'h') {
        drop = 3, to = 'j';
      } else if (has('t', 't') || has('t', 'h')) {
        drop = 2, to = 't';
      }
      break;
    case 'j':
      if (has('j', 'j')) drop = 2, to = 'j';
      break;
    case 'c':
      if (has('c', 'h')) drop = 2, to = 'j';
      break;
    case 'k':
      if (has('k', 'k') || has('k', 'h')) drop = 2, to = 'k';
      break;
    case 'p':
      if (has('p', 'p') || has('p', 'h')) drop = 2, to = 'p';
      break;
    case 's':
      if (has('s', 's') || has('s', 'h')) drop = 2, to = 's';
      break;
    case 'g': drop = 1, to = 'k'; break;
    case 'd': drop = 1, to = 't'; break;
    case 'b': drop = 1, to = 'p'; break;
    case 'f': drop = 1, to = 'p'; break;
    case 'l': drop = 1, to = 'r'; break;
    default: break;
  }
  if (n >= 3 && folded[n - 3] == 'u' && folded[n - 2] == 'n' && folded[n - 1] == 'g') folded[n - 3] = 'o';
  // South Korean spellings write MR's "o" (RR "eo") as "u" before a final l
  // or k: "Yong-chul" is "Yong Chol", "Seok-yeol" and "Suk-yeol" are one.
  const auto vowel = [](char v) { return v == 'a' || v == 'e' || v == 'i' || v == 'o' || v == 'u'; };
  if (n >= 3 && folded[n - 2] == 'u' && (folded[n - 1] == 'l' || folded[n - 1] == 'k') && !vowel(folded[n - 3])) {
    folded[n - 2] = 'o';
  }
  // "Woo" and "Wu" are RR's "U" ("O Jin-woo" is "O Jin U").
  size_t skip_glide = 0;
  if (n >= 2 && folded[0] == 'w' && folded[1] == 'u') skip_glide = 1;
  if (drop > 0) {
    out->push_back(to);
    out->append(folded + drop, n - drop);
  } else {
    out->append(folded + skip_glide, n - skip_glide);
  }
}

std::string FoldSyllable(std::string_view syllable) {
  std::string folded;
  AppendFoldedSyllable(syllable, &folded);
  return folded;
}

struct SurnameRow {
  std::string_view canonical;
  std::array<std::string_view, 8> spellings;  // lowercase, without apostrophes; unused slots empty
};

// Surnames that may stand alone for a person named earlier ("Kim said").
// Short ones that are also English words ("So", "No", "An", "I") are left out.
constexpr std::array<std::string_view, 24> kStandAloneSurnames = {
    "kim", "ri",  "pak",  "choe",  "jo",  "jong", "jang", "kang",  "hyon", "ryu", "thae", "yun",
    "mun", "rim", "kwon", "hwang", "han", "jon",  "paek", "ryang", "sin",  "kye", "ro",   "pyon"};

// Spellings of surnames too common as English words to start an unseen name.
constexpr std::array<std::string_view, 20> kAmbiguousSurnameSpellings = {"i",    "u",   "an",  "no", "so", "to",  "do",
                                                                         "go",   "im",  "you", "yo", "ho", "min", "son",
                                                                         "song", "won", "yu",  "ma", "na", "chi"};

constexpr std::array<SurnameRow, 48> kSurnames = {{
    {"kim", {"kim", "gim"}},
    {"ri", {"ri", "rhee", "lee", "yi", "i", "li", "rhi", "ree"}},
    {"pak", {"pak", "park", "bak", "pack", "bahk", "baek"}},
    {"choe", {"choe", "choi", "chey", "choy", "chwe"}},
    {"jong", {"jong", "jeong", "chong", "chung", "jung", "cheong"}},
    {"jo", {"jo", "cho", "joh"}},
    {"jang", {"jang", "chang"}},
    {"kang", {"kang", "gang"}},
    {"han", {"han"}},
    {"hwang", {"hwang"}},
    {"o", {"o", "oh"}},
    {"u", {"u", "woo", "wu"}},
    {"yun", {"yun", "yoon"}},
    {"ryu", {"ryu", "yu", "yoo", "ryoo"}},
    {"rim", {"rim", "lim", "im"}},
    {"ro", {"ro", "roh", "no", "noh"}},
    {"ryang", {"ryang", "yang"}},
    {"song", {"song"}},
    {"sin", {"sin", "shin"}},
    {"hyon", {"hyon", "hyun", "hyeon"}},
    {"ko", {"ko", "koh", "go"}},
    {"mun", {"mun", "moon"}},
    {"kwon", {"kwon", "gwon"}},
    {"jon", {"jon", "jeon", "chon", "chun", "jun"}},
    {"paek", {"paek", "paik", "baik"}},
    {"ju", {"ju", "joo", "chu"}},
    {"so", {"so", "suh", "seo"}},
    {"an", {"an", "ahn"}},
    {"nam", {"nam"}},
    {"kye", {"kye", "gye"}},
    {"pang", {"pang", "bang"}},
    {"ho", {"ho", "heo", "hur", "huh"}},
    {"hong", {"hong"}},
    {"min", {"min"}},
    {"kil", {"kil", "gil"}},
    {"kwak", {"kwak", "gwak"}},
    {"ryom", {"ryom", "yom", "yeom"}},
    {"tong", {"tong", "dong"}},
    {"chae", {"chae"}},
    {"sim", {"sim", "shim"}},
    {"om", {"om", "eom"}},
    {"thae", {"thae", "tae"}},
    {"pyon", {"pyon", "byun", "byeon"}},
    {"son", {"son", "sohn"}},
    {"cha", {"cha"}},
    {"ham", {"ham"}},
    {"ji", {"ji", "chi"}},
    {"yon", {"yon", "yeon"}},
}};

// Lowercase letters of `word` without apostrophes or diacritics ("Ch'oe" -> "choe").
std::string PlainLower(std::string_view word) {
  std::string plain;
  ForEachSyllable(word, [&](const std::string& syllable, int) { plain += syllable; });
  return plain;
}

}  // namespace

bool SurnameStandsAlone(std::string_view canonical) {
  return std::find(kStandAloneSurnames.begin(), kStandAloneSurnames.end(), canonical) != kStandAloneSurnames.end();
}

bool IsAmbiguousSurnameSpelling(std::string_view lower) {
  return std::find(kAmbiguousSurnameSpellings.begin(), kAmbiguousSurnameSpellings.end(), lower) !=
         kAmbiguousSurnameSpellings.end();
}

std::string_view CanonicalSurname(std::string_view word) {
  if (word.empty() || word.size() > 8) return {};  // the longest spelling, "Ch’oe" or "cheong", fits
  static const std::unordered_map<std::string_view, std::string_view> by_spelling = [] {
    std::unordered_map<std::string_view, std::string_view> map;
    for (const SurnameRow& row : kSurnames) {
      for (std::string_view spelling : row.spellings) {
        if (!spelling.empty()) map.emplace(spelling, row.canonical);
      }
    }
    return map;
  }();
  // ASCII fast path: lowercase without apostrophes into a stack buffer.
  char buffer[8];
  size_t length = 0;
  bool ascii = true;
  for (char c : word) {
    if (c >= 'A' && c <= 'Z') {
      buffer[length++] = static_cast<char>(c - 'A' + 'a');
    } else if (c >= 'a' && c <= 'z') {
      buffer[length++] = c;
    } else if (c != '\'') {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    // Every word of every text may be asked (linking keys each token): a
    // spelling's length with its first and last letters rejects most English
    // words before the hash lookup.
    struct Shapes {
      std::array<uint32_t, 9> first{}, last{};  // by length: bit (letter - 'a')
    };
    static const Shapes shapes = [] {
      Shapes out;
      for (const auto& [spelling, canonical] : by_spelling) {
        out.first[spelling.size()] |= 1u << (spelling.front() - 'a');
        out.last[spelling.size()] |= 1u << (spelling.back() - 'a');
      }
      return out;
    }();
    if (length == 0 || (shapes.first[length] & (1u << (buffer[0] - 'a'))) == 0 ||
        (shapes.last[length] & (1u << (buffer[length - 1] - 'a'))) == 0) {
      return {};
    }
    const auto found = by_spelling.find(std::string_view(buffer, length));
    return found == by_spelling.end() ? std::string_view() : found->second;
  }
  const std::string plain = PlainLower(word);
  const auto found = by_spelling.find(plain);
  return found == by_spelling.end() ? std::string_view() : found->second;
}

namespace {

// RomanizationWordKey for plain ASCII words (letters, digits, hyphens,
// apostrophes, dots) of up to 48 bytes, without intermediate strings: the
// common case in English text. Returns false (and leaves *key alone) otherwise.
bool AsciiWordKey(std::string_view word, std::string* key) {
  if (word.size() > 48) return false;
  char syllable[48];
  size_t length = 0;
  std::string out;
  out.reserve(word.size() + 2);
  const auto flush = [&] {
    if (length == 0) return;
    if (!out.empty()) out.push_back('-');
    AppendFoldedSyllable(std::string_view(syllable, length), &out);
    length = 0;
  };
  for (char c : word) {
    if (c >= 'A' && c <= 'Z') {
      syllable[length++] = static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      syllable[length++] = c;
    } else if (c == '-') {
      flush();
    } else if (c == '\'' || c == '.') {
      continue;
    } else {
      return false;
    }
  }
  flush();
  *key = std::move(out);
  return true;
}

}  // namespace

std::string RomanizationWordKey(std::string_view word) {
  std::string key;
  if (AsciiWordKey(word, &key)) return key;
  ForEachSyllable(word, [&](const std::string& syllable, int) {
    if (!key.empty()) key.push_back('-');
    key += FoldSyllable(syllable);
  });
  return key;
}

std::string RomanizationKey(std::string_view name) {
  // Words: split at word breaks, keeping each word's text for the surname check.
  std::string key;
  int first_word_index = -1;
  std::vector<std::pair<int, std::string>> syllables;
  ForEachSyllable(name, [&](const std::string& syllable, int word) {
    if (first_word_index < 0) first_word_index = word;
    syllables.emplace_back(word, syllable);
  });
  if (syllables.empty()) return key;
  // The first word is a surname only when it is one syllable-group word.
  size_t next = 0;
  std::string first;
  while (next < syllables.size() && syllables[next].first == first_word_index) first += syllables[next++].second;
  const std::string_view surname = next == 1 ? CanonicalSurname(first) : std::string_view();
  if (!surname.empty()) {
    key = surname;
  } else {
    for (size_t i = 0; i < next; ++i) {
      if (!key.empty()) key.push_back('-');
      key += FoldSyllable(syllables[i].second);
    }
  }
  for (size_t i = next; i < syllables.size(); ++i) {
    key.push_back('-');
    key += FoldSyllable(syllables[i].second);
  }
  return key;
}

namespace {

// Romanized syllable parts, longest first where one is a prefix of another.
constexpr std::array<std::string_view, 30> kInitialParts = {"tch", "kk", "kh", "tt", "th", "pp", "ph", "ss", "sh", "ch",
                                                            "jj",  "g",  "k",  "n",  "d",  "t",  "r",  "l",  "m",  "b",
                                                            "p",   "s",  "j",  "h",  "y",  "w",  "",   "",   "",   ""};
constexpr std::array<std::string_view, 26> kVowelParts = {"yeo", "yae", "wae", "weo", "ae", "ya", "eo", "yo", "oe",
                                                          "oi",  "wo",  "we",  "wi",  "yu", "eu", "ui", "ye", "wa",
                                                          "ee",  "oo",  "a",   "o",   "u",  "i",  "e",  "y"};
constexpr std::array<std::string_view, 10> kFinalParts = {"ng", "k", "n", "t", "l", "m", "p", "r", "g", ""};

// Lengths of the syllables that can start at s[begin] (bitmask of end offsets).
void SyllableEnds(std::string_view s, size_t begin, std::array<bool, 16>* ends) {
  for (std::string_view initial : kInitialParts) {
    if (s.substr(begin, initial.size()) != initial) continue;
    const size_t after_initial = begin + initial.size();
    for (std::string_view vowel : kVowelParts) {
      if (vowel == "y") continue;  // "y" is only a glide, never a vowel alone
      if (s.substr(after_initial, vowel.size()) != vowel) continue;
      const size_t after_vowel = after_initial + vowel.size();
      for (std::string_view final_part : kFinalParts) {
        if (s.substr(after_vowel, final_part.size()) != final_part) continue;
        const size_t end = after_vowel + final_part.size();
        if (end - begin < ends->size()) (*ends)[end - begin] = true;
      }
    }
  }
}

// True when `part` splits into one or two syllables.
bool IsOneOrTwoSyllables(std::string_view part) {
  if (part.empty() || part.size() > 12) return false;
  std::array<bool, 16> first{};
  SyllableEnds(part, 0, &first);
  for (size_t length = 1; length < first.size() && length <= part.size(); ++length) {
    if (!first[length]) continue;
    if (length == part.size()) return true;
    std::array<bool, 16> second{};
    SyllableEnds(part, length, &second);
    const size_t rest = part.size() - length;
    if (rest < second.size() && second[rest]) return true;
  }
  return false;
}

}  // namespace

bool LooksLikeKoreanSyllables(std::string_view word) {
  bool any = false;
  bool ok = true;
  ForEachSyllable(word, [&](const std::string& syllable, int) {
    any = true;
    for (char c : syllable) {
      if (c < 'a' || c > 'z') ok = false;
    }
    if (ok && !IsOneOrTwoSyllables(syllable)) ok = false;
  });
  return any && ok;
}

}  // namespace echotrace

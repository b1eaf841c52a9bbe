#include "link/normalize.h"

#include <xxhash.h>

#include <array>
#include <cstring>

#include "lexicon/romanization.h"
#include "lexicon/tokens.h"

namespace echotrace {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

struct Replacement {
  std::string_view from, to;
};
constexpr std::array<Replacement, 12> kWholeWords = {{{"programme", "program"},
                                                      {"programmes", "programs"},
                                                      {"defence", "defense"},
                                                      {"offence", "offense"},
                                                      {"licence", "license"},
                                                      {"pretence", "pretense"},
                                                      {"grey", "gray"},
                                                      {"judgement", "judgment"},
                                                      {"kilogramme", "kilogram"},
                                                      {"cheque", "check"},
                                                      {"tonne", "ton"},
                                                      {"tonnes", "tons"}}};

constexpr std::array<std::string_view, 11> kOurSuffixes = {"",    "s",    "ed",   "ing",  "er",  "ers",
                                                           "ite", "ites", "able", "ably", "hood"};

}  // namespace

std::string FoldWord(std::string_view word) {
  std::string w(word);
  for (const Replacement& r : kWholeWords) {
    if (w == r.from) return std::string(r.to);
  }
  // -our -> -or (colour, honoured, labourers, favourable), stem of >= 3 letters.
  for (std::string_view suffix : kOurSuffixes) {
    const size_t tail = 3 + suffix.size();
    if (w.size() >= tail + 3 && EndsWith(w, suffix) && w.compare(w.size() - tail, 3, "our") == 0) {
      w.erase(w.size() - tail + 1, 1);  // drop the 'u'
      break;
    }
  }
  // -ize/-yze family -> -ise/-yse (folded both ways to one form).
  for (size_t pos = 1; pos + 1 < w.size(); ++pos) {
    if (w[pos] == 'z' && (w[pos - 1] == 'i' || w[pos - 1] == 'y') && pos >= 3) {
      const std::string_view rest = std::string_view(w).substr(pos + 1);
      if (rest == "e" || rest == "es" || rest == "ed" || rest == "ing" || rest.substr(0, 5) == "ation" ||
          rest == "er" || rest == "ers") {
        w[pos] = 's';
        break;
      }
    }
  }
  if (w.size() >= 5 && (EndsWith(w, "tre") || EndsWith(w, "tres"))) {
    const size_t at = w.size() - (EndsWith(w, "tres") ? 4 : 3);
    if (w[at - 1] != 'e' && w[at - 1] != 'a' && w[at - 1] != 'i') w.replace(at, 3, "ter");
  }
  for (std::string_view suffix :
       {std::string_view("lled"), std::string_view("lling"), std::string_view("ller"), std::string_view("llers")}) {
    if (w.size() >= suffix.size() + 3 && EndsWith(w, suffix)) {
      w.erase(w.size() - suffix.size(), 1);
      break;
    }
  }
  if (w.size() >= 7 && (EndsWith(w, "ogue") || EndsWith(w, "ogues"))) {
    w.erase(w.size() - (EndsWith(w, "ogues") ? 3 : 2), 2);
  }
  return w;
}

std::string RomanKey(std::string_view word) {
  // A surname in any spelling folds as annotation folds it (lexicon/
  // romanization.h: Lee/Rhee/Yi -> ri, Park -> pak, Choi -> choe), so a name
  // re-romanized by a wire keeps its n-grams.
  if (const std::string_view surname = CanonicalSurname(word); !surname.empty()) word = surname;
  std::string out;
  out.reserve(word.size());
  for (size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const char next = i + 1 < word.size() ? word[i + 1] : '\0';
    char mapped = c;
    switch (c) {
      case 'j': mapped = 'c'; break;
      case 'c':
        mapped = 'c';
        if (next == 'h') ++i;
        break;
      case 's':
        if (next == 'h') ++i;
        break;
      case 'g': mapped = 'k'; break;
      case 'k':
        if (next == 'h') ++i;
        break;
      case 'd': mapped = 't'; break;
      case 't':
        if (next == 'h') ++i;
        if (next == 'c' && i + 2 < word.size() && word[i + 2] == 'h') i += 2;
        break;
      case 'b': mapped = 'p'; break;
      case 'p':
        if (next == 'h') ++i;
        break;
      case 'r': mapped = 'l'; break;
      case 'e':
        if (next == 'o') {  // eo -> o
          mapped = 'o';
          ++i;
        } else if (next == 'u') {  // eu -> u
          mapped = 'u';
          ++i;
        }
        break;
      case 'o':
        if (next == 'o' || next == 'u') {  // oo, ou -> u
          mapped = 'u';
          ++i;
        }
        break;
      case 'a':
        if (next == 'e') {  // ae -> e
          mapped = 'e';
          ++i;
        }
        break;
      default: break;
    }
    if (out.empty() || out.back() != mapped) out += mapped;
  }
  if (out.empty()) out = std::string(word);
  return out;
}

void AppendTokens(std::string_view text, uint32_t base, TokenStream* out) {
  std::vector<TextToken> words;
  echotrace::Tokenize(text, 0, TokenizeOptions::MatchWords(), &words);
  int bracket_depth = 0;
  bool pending_elision = false;
  std::string word;
  const size_t n = text.size();
  for (size_t w = 0; w < words.size(); ++w) {
    const TextToken& t = words[w];
    if (t.kind == TokenKind::kPunct) {
      const size_t i = t.begin;
      // Skips the tokens of text[i, to): an elision marker read whole.
      const auto skip_to = [&](size_t to) {
        while (w + 1 < words.size() && words[w + 1].begin < to) ++w;
      };
      switch (ClassifyChar(text, i).cls) {
        case CharClass::kEllipsis: pending_elision = true; break;
        case CharClass::kOpenBrace: {
          // "{snip}", "{snip]", "{...}": an elision marker. Looks at most 12 bytes ahead.
          size_t j = i + 1;
          while (j < n && j < i + 12 && text[j] != '}' && text[j] != ']') ++j;
          if (j < n && (text[j] == '}' || text[j] == ']')) {
            pending_elision = true;
            skip_to(j + 1);
          }
          break;
        }
        case CharClass::kOpenBracket: {
          // "[...]" / "(…)" is an elision, not an insertion.
          size_t j = i + 1;
          while (j < n && j < i + 8 &&
                 (text[j] == '.' || text[j] == ' ' || static_cast<unsigned char>(text[j]) >= 0x80))
            ++j;
          if (j > i + 1 && j < n && (text[j] == ']' || text[j] == ')')) {
            pending_elision = true;
            skip_to(j + 1);
          } else {
            ++bracket_depth;
          }
          break;
        }
        case CharClass::kCloseBracket:
          if (bracket_depth > 0) --bracket_depth;
          break;
        default:
          if (text[i] == '.' && i + 2 < n && text[i + 1] == '.' && text[i + 2] == '.') pending_elision = true;
          break;
      }
      continue;
    }
    // A word (or a number: MatchWords keeps digits in words): its letters
    // lowercased and Latin letters folded to ASCII, inner apostrophes dropped.
    word.clear();
    for (size_t i = t.begin; i < t.end;) {
      const CharInfo c = ClassifyChar(text, i);
      const auto byte = static_cast<unsigned char>(text[i]);
      if (byte < 0x80) {
        if (c.cls == CharClass::kLetter || c.cls == CharClass::kDigit)
          word += static_cast<char>(byte >= 'A' && byte <= 'Z' ? byte - 'A' + 'a' : byte);
      } else if (c.cls == CharClass::kLetter) {
        if (c.fold != 0) {
          word += c.fold;
        } else {
          word.append(text.substr(i, c.length));
        }
      }
      i += c.length;
    }
    Token token;
    token.key = FoldWord(word);
    token.roman = RomanKey(token.key);
    token.roman_hash = XXH3_64bits(token.roman.data(), token.roman.size());
    token.begin = base + t.begin;
    token.end = base + t.end;
    token.hash = XXH3_64bits(token.key.data(), token.key.size());
    token.capitalized = t.upper_first;
    token.bracketed = bracket_depth > 0;
    token.elision_before = pending_elision && !out->tokens.empty();
    pending_elision = false;
    out->tokens.push_back(std::move(token));
  }
}

TokenStream Tokenize(std::string_view text) {
  TokenStream out;
  AppendTokens(text, 0, &out);
  return out;
}

TokenStream TokenizeDocument(const Document& doc) {
  TokenStream out;
  bool any = false;
  for (const Span& span : doc.spans) {
    if (span.kind != SpanKind::kTitle && span.kind != SpanKind::kParagraph) continue;
    any = true;
    AppendTokens(doc.SpanText(span), span.begin, &out);
  }
  if (!any) AppendTokens(doc.text, 0, &out);
  return out;
}

uint64_t NgramHash(const std::vector<Token>& tokens, size_t i, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ULL;
  for (size_t k = 0; k < n; ++k) {
    h ^= tokens[i + k].roman_hash + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
    h *= 0xBF58476D1CE4E5B9ULL;
  }
  return h ^ (h >> 31);
}

bool IsStopWord(const Token& token) {
  static constexpr std::array<std::string_view, 40> kStop = {
      "the", "of",   "and",   "to",  "a",    "in",  "for",  "on",   "at", "by",  "with",  "as",  "is",   "was",
      "be",  "that", "this",  "it",  "its",  "are", "were", "from", "an", "or",  "which", "has", "have", "had",
      "he",  "they", "their", "his", "them", "all", "not",  "but",  "we", "our", "us",    "into"};
  for (std::string_view stop : kStop) {
    if (token.key == stop) return true;
  }
  return false;
}

}  // namespace echotrace

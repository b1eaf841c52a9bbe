// The normalized token stream that every linking step compares.
//
// Linking must see "Workers’ Party" and "workers' party", "colour" and
// "color", "Kim Tok-hun" and "Kim Dok Hun" as the same words, and must map
// every match back to bytes of the original text. A TokenStream is the list
// of words of a text (the one tokenizer's MatchWords cut, lexicon/tokens.h),
// each a MatchToken with:
//   - `key`: the folded word (ASCII lowercase, apostrophes dropped, British
//     spellings folded to one form: -our/-or, -ise/-ize, -tre/-ter, -lled/-led,
//     -ence/-ense, -ogue/-og, programme/program);
//   - `roman`: a coarser syllable key for romanized Korean names (d/t, g/k,
//     b/p, r/l, j/ch, eo/o, u/eu, ...), compared only between capitalized
//     words so that "do"/"to" never meet;
//   - [begin, end): the word's bytes in the input;
//   - `bracketed`: the word sat inside "(...)" or "[...]", an editor's
//     insertion ("nothing (is) impossible", "[the]");
//   - `elision_before`: an ellipsis ("...", "…") or "{snip}" stood between the
//     previous word and this one: the quoting outlet left text out.
// Hyphens and slashes split words ("life-and-death" -> life and death;
// "Tok-hun" -> tok hun), so hyphenated and spaced romanizations agree.
//
// Cost: linear in the input, one pass, no backtracking; allocation is a
// constant multiple of the input. Safe on untrusted bytes (invalid UTF-8 is
// treated as word characters, never read past the end).
// Thread-safety: pure functions over immutable tables; callable from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"

namespace echotrace {

struct MatchToken {
  std::string key;     // folded word (see above); never empty
  std::string roman;   // romanization key of the word; never empty
  uint32_t begin = 0;  // bytes of the word in the tokenized text
  uint32_t end = 0;
  uint64_t hash = 0;        // hash of `key`
  uint64_t roman_hash = 0;  // hash of `roman`: n-grams use it, so re-romanized names still share them
  bool capitalized = false;
  bool bracketed = false;
  bool elision_before = false;
};

struct TokenStream {
  std::vector<MatchToken> tokens;
};

// Tokenizes `text` (UTF-8). Offsets are relative to `text` plus `base`
// (so a paragraph can be tokenized with offsets into its Document::text).
// Appends to `out`. REQUIRES: base + text.size() fits in 32 bits.
void AppendTokens(std::string_view text, uint32_t base, TokenStream* out);
TokenStream Tokenize(std::string_view text);
// The words linking compares in a Document: its title and body paragraphs
// (boilerplate left out), offsets into doc.text. A document without
// extraction spans is tokenized whole.
TokenStream TokenizeDocument(const Document& doc);

// The folded key of one word as Tokenize would make it (lowercase, British
// spellings folded). Exposed for tests and tables.
std::string FoldWord(std::string_view word);
// The romanization key of one word ("Dok" and "Tok" -> "tok").
std::string RomanKey(std::string_view word);

// True when two tokens are the same word for linking: equal keys, or both
// capitalized and equal romanization keys (a re-romanized name).
inline bool SameWord(const MatchToken& a, const MatchToken& b) {
  return a.hash == b.hash || (a.capitalized && b.capitalized && a.roman == b.roman);
}

// Hash of the n tokens starting at tokens[i] (order-sensitive), over their
// romanization keys: coarser than `key` (a few unrelated words collide,
// which alignment sorts out) so that re-romanized names keep their n-grams.
// REQUIRES: i + n <= tokens.size().
uint64_t NgramHash(const std::vector<MatchToken>& tokens, size_t i, size_t n);

// Stop words: too common to anchor a match on their own ("the", "of").
bool IsStopWord(const MatchToken& token);

}  // namespace echotrace

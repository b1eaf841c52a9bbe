// Word tokens of page text for the annotation finders (internal to annotate/).
//
// A token is a run of letters and digits with internal hyphens ("Tok-hun",
// "anti-DPRK"), internal apostrophes ("Ch'oe") and acronym dots ("U.S.");
// a possessive "'s"/"’s" and a trailing apostrophe ("Workers’") are not part
// of it. Non-ASCII bytes count as letters except the punctuation that news
// text uses (curly quotes, dashes, ellipsis, no-break space).
//
// Cost: linear in the text. Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace echotrace::annotate_internal {

struct Token {
  uint32_t begin = 0;  // byte offsets into the text given to Tokenize (plus `base`)
  uint32_t end = 0;
  bool capitalized = false;  // first character is an uppercase ASCII letter, a digit or non-ASCII
  bool all_caps = false;     // no lowercase ASCII letter
  bool lower = false;        // first character is a lowercase ASCII letter
  // True when only spaces (and a possessive or plural apostrophe) separate
  // this token from the previous one: a name may run across the gap.
  bool joined = false;
  // True when a sentence ends between the previous token and this one
  // (". ", "? ", "! ", or a block start).
  bool sentence_start = false;
};

// Tokens of `text`; offsets are `base` + offset in `text`.
std::vector<Token> Tokenize(std::string_view text, uint32_t base);

// The matching key of a token sequence's word: the romanization key of the
// word alone (`first`: as the first word of a name, surname-canonicalized) or
// as a later word.
std::string WordKey(std::string_view word, bool first);

// Length in bytes of the UTF-8 punctuation mark at s[i] that ends or separates
// words (curly quotes, dashes, ellipsis, NBSP), 0 if none.
size_t PunctuationLength(std::string_view s, size_t i);

}  // namespace echotrace::annotate_internal

// Word tokens for the annotation finders (internal to annotate/): the one
// tokenizer's NameWords cut (lexicon/tokens.h: "Tok-hun", "Ch'oe", "U.S."
// one word each, a possessive "'s" left out), plus what the name and quote
// finders ask of each word: its case, and whether it runs on from the
// previous word or starts a sentence.
//
// Cost: linear in the text. Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "lexicon/tokens.h"

namespace echotrace::annotate_internal {

struct NameToken {
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
std::vector<NameToken> Tokenize(std::string_view text, uint32_t base);

// The same, appended to `*out`; `*scratch` is working space (its contents are replaced).
void AppendNameTokens(std::string_view text, uint32_t base, std::vector<TextToken>* scratch,
                      std::vector<NameToken>* out);

}  // namespace echotrace::annotate_internal

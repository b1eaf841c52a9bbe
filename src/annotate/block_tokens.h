// Tokens of one block of text, shared by the date, event and work scanners
// (annotate/dates.cc, annotate/events.cc). Internal to those two: not a public API.
//
// The one tokenizer's BlockWords cut (lexicon/tokens.h): a token is an ASCII
// word, a run of digits, or one other character (a whole UTF-8 character, so
// curly quotes and dashes are single tokens). Whitespace is dropped but
// remembered as `space_before`, so scanners can tell "2022-03-29" (adjacent)
// from "2022 - 03". This adds the lowercase text and a number's value.
//
// Cost: linear in the block; the lowercase copy and the token vector are
// reused across calls by the caller.
// Thread-safety: free functions; each caller owns its buffers.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lexicon/tokens.h"

namespace echotrace::block_tokens {

enum class TokenType : uint8_t { kWord, kNumber, kPunct };

struct BlockToken {
  uint32_t begin = 0, end = 0;  // byte offsets into the text given to Tokenize
  TokenType type = TokenType::kPunct;
  bool space_before = true;  // whitespace or the block start precedes it
  bool capitalized = false;  // a word whose first letter is uppercase
  int value = 0;             // numbers: the value (capped at 100000 and beyond)
  int digits = 0;            // numbers: how many digits
  bool ordinal = false;      // "4th": set only with merge_ordinal_suffix (the suffix is then part of the token)
  std::string_view lower;    // lowercase text: a view into *lower_buffer
  std::string_view raw;      // text as written: a view into `text`
};

// True when `word` is one of `table` (small compiled-in word lists).
template <size_t N>
bool OneOf(const std::array<std::string_view, N>& table, std::string_view word) {
  for (std::string_view entry : table) {
    if (entry == word) return true;
  }
  return false;
}

inline bool IsAsciiLetter(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }

// Tokenizes text[begin, end). `*lower_buffer` receives the block's ASCII-lowercase
// copy; the tokens' `lower` views point into it and stay valid until the buffer is
// next changed. With `merge_ordinal_suffix`, "4th" is one number token with
// ordinal = true; otherwise it is "4" and an adjacent word "th".
// REQUIRES: begin <= end <= text.size().
void Tokenize(std::string_view text, uint32_t begin, uint32_t end, bool merge_ordinal_suffix, std::string* lower_buffer,
              std::vector<BlockToken>* tokens);

// The same, appended to `*tokens`, over a lowercase copy the caller made:
// `lower_block` is text[begin, end) ASCII-lowercased, and the tokens' `lower`
// views point into it. `*scratch` is working space (its contents are replaced).
// REQUIRES: begin <= end <= text.size() and lower_block.size() == end - begin.
void AppendTokens(std::string_view text, uint32_t begin, uint32_t end, std::string_view lower_block,
                  bool merge_ordinal_suffix, std::vector<TextToken>* scratch, std::vector<BlockToken>* tokens);

}  // namespace echotrace::block_tokens

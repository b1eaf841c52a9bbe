#include "annotate/block_tokens.h"

#include <algorithm>

namespace echotrace::block_tokens {

void Tokenize(std::string_view text, uint32_t begin, uint32_t end, bool merge_ordinal_suffix, std::string* lower_buffer,
              std::vector<Token>* tokens) {
  tokens->clear();
  tokens->reserve((end - begin) / 4 + 4);  // about one token per 4-6 bytes of English
  lower_buffer->assign(text.substr(begin, end - begin));
  for (char& c : *lower_buffer) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  }
  const std::string_view lower = *lower_buffer;
  uint32_t i = begin;
  bool space = true;
  while (i < end) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = true;
      ++i;
      continue;
    }
    Token token;
    token.begin = i;
    token.space_before = space;
    space = false;
    if (IsAsciiLetter(c)) {
      while (i < end && IsAsciiLetter(static_cast<unsigned char>(text[i]))) ++i;
      token.type = TokenType::kWord;
      token.capitalized = c >= 'A' && c <= 'Z';
    } else if (IsDigit(c)) {
      int value = 0, digits = 0;
      while (i < end && IsDigit(static_cast<unsigned char>(text[i]))) {
        if (value < 100000) value = value * 10 + (text[i] - '0');
        ++digits;
        ++i;
      }
      token.type = TokenType::kNumber;
      token.value = value;
      token.digits = digits;
      if (merge_ordinal_suffix) {
        uint32_t k = i;
        while (k < end && IsAsciiLetter(static_cast<unsigned char>(text[k]))) ++k;
        const std::string_view suffix = lower.substr(i - begin, k - i);
        if (suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th") {
          token.ordinal = true;
          i = k;
        }
      }
    } else {
      // One punctuation token per character; a multi-byte UTF-8 character
      // (curly quote, dash) is one token.
      uint32_t length = 1;
      if (c >= 0xF0) {
        length = 4;
      } else if (c >= 0xE0) {
        length = 3;
      } else if (c >= 0xC0) {
        length = 2;
      }
      i = std::min(end, i + length);
      token.type = TokenType::kPunct;
    }
    token.end = i;
    token.lower = lower.substr(token.begin - begin, token.end - token.begin);
    token.raw = text.substr(token.begin, token.end - token.begin);
    tokens->push_back(token);
  }
}

}  // namespace echotrace::block_tokens

#include "annotate/block_tokens.h"

#include <algorithm>

namespace echotrace::block_tokens {

void Tokenize(std::string_view text, uint32_t begin, uint32_t end, bool merge_ordinal_suffix, std::string* lower_buffer,
              std::vector<BlockToken>* tokens) {
  tokens->clear();
  lower_buffer->assign(text.substr(begin, end - begin));
  for (char& c : *lower_buffer) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  }
  std::vector<TextToken> scratch;
  AppendTokens(text, begin, end, *lower_buffer, merge_ordinal_suffix, &scratch, tokens);
}

void AppendTokens(std::string_view text, uint32_t begin, uint32_t end, std::string_view lower_block,
                  bool merge_ordinal_suffix, std::vector<TextToken>* scratch, std::vector<BlockToken>* tokens) {
  TokenizeOptions options = TokenizeOptions::BlockWords();
  options.merge_ordinal_suffix = merge_ordinal_suffix;
  std::vector<TextToken>& words = *scratch;
  words.clear();
  echotrace::Tokenize(text.substr(begin, end - begin), begin, options, &words);
  // Geometric growth: a document's blocks are appended one after another to one vector.
  if (tokens->capacity() < tokens->size() + words.size()) {
    tokens->reserve(std::max(tokens->size() + words.size(), 2 * tokens->capacity()));
  }
  for (const TextToken& word : words) {
    BlockToken token;
    token.begin = word.begin;
    token.end = word.end;
    token.space_before = word.space_before;
    token.lower = lower_block.substr(token.begin - begin, token.end - token.begin);
    token.raw = text.substr(token.begin, token.end - token.begin);
    switch (word.kind) {
      case TokenKind::kWord:
        token.type = TokenType::kWord;
        token.capitalized = word.upper_first;
        break;
      case TokenKind::kNumber:
        token.type = TokenType::kNumber;
        token.ordinal = word.ordinal;
        for (const char c : token.raw) {
          if (!IsDigit(static_cast<unsigned char>(c))) break;
          if (token.value < 100000) token.value = token.value * 10 + (c - '0');
          ++token.digits;
        }
        break;
      case TokenKind::kPunct: token.type = TokenType::kPunct; break;
    }
    tokens->push_back(token);
  }
}

}  // namespace echotrace::block_tokens

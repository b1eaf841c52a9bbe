#include "annotate/doc_tokens.h"

#include <algorithm>
#include <tuple>

#include "annotate/dates.h"
#include "lexicon/tokens.h"

namespace echotrace::annotate_internal {

const TokenizedBlock* DocTokens::Find(uint32_t begin, uint32_t end) const {
  const auto at = std::lower_bound(by_range.begin(), by_range.end(), std::pair(begin, end),
                                   [&](uint32_t index, const std::pair<uint32_t, uint32_t>& range) {
                                     return std::pair(blocks[index].begin, blocks[index].end) < range;
                                   });
  if (at == by_range.end() || blocks[*at].begin != begin || blocks[*at].end != end) return nullptr;
  return &blocks[*at];
}

DocTokens TokenizeDocument(const Document& doc) {
  DocTokens out;
  const std::string_view text = doc.text;
  out.lower.assign(text);
  for (char& c : out.lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  }
  const std::string_view lower = out.lower;
  std::vector<TextToken> scratch;
  // About one word per 5-6 bytes of English (lexicon/tokens.cc), a token more for punctuation.
  out.names.reserve(text.size() / 6 + 1);
  out.words.reserve(text.size() / 4 + 1);
  for (const Span& span : doc.spans) {
    if (span.kind != SpanKind::kTitle && span.kind != SpanKind::kParagraph && !CarriesPageFacts(span)) continue;
    if (span.end > text.size() || span.begin > span.end) continue;
    TokenizedBlock block;
    block.begin = span.begin;
    block.end = span.end;
    block.name_first = out.names.size();
    AppendNameTokens(text.substr(span.begin, span.end - span.begin), span.begin, &scratch, &out.names);
    block.name_last = out.names.size();
    block.block_first = out.words.size();
    block_tokens::AppendTokens(text, span.begin, span.end, lower.substr(span.begin, span.end - span.begin),
                               /*merge_ordinal_suffix=*/false, &scratch, &out.words);
    block.block_last = out.words.size();
    out.blocks.push_back(block);
  }
  out.by_range.resize(out.blocks.size());
  for (uint32_t i = 0; i < out.by_range.size(); ++i) out.by_range[i] = i;
  std::sort(out.by_range.begin(), out.by_range.end(), [&](uint32_t a, uint32_t b) {
    return std::tie(out.blocks[a].begin, out.blocks[a].end) < std::tie(out.blocks[b].begin, out.blocks[b].end);
  });
  return out;
}

void MergeOrdinalSuffixes(std::span<const block_tokens::BlockToken> words,
                          std::vector<block_tokens::BlockToken>* merged) {
  using block_tokens::TokenType;
  merged->clear();
  merged->reserve(words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    block_tokens::BlockToken token = words[i];
    if (token.type == TokenType::kNumber && i + 1 < words.size()) {
      const block_tokens::BlockToken& next = words[i + 1];
      const std::string_view suffix = next.lower;
      if (next.type == TokenType::kWord && next.begin == token.end &&
          (suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th")) {
        token.end = next.end;
        token.ordinal = true;
        token.lower = std::string_view(token.lower.data(), token.lower.size() + suffix.size());
        token.raw = std::string_view(token.raw.data(), token.raw.size() + next.raw.size());
        ++i;
      }
    }
    merged->push_back(token);
  }
}

}  // namespace echotrace::annotate_internal

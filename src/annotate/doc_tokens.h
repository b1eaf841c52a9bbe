// The tokens of a document's annotated blocks, cut once and shared by the
// annotators (internal to annotate/: not a public API).
//
// Entities and quotes read the NameWords cut (name_tokens.h); dates, events
// and works read the BlockWords cut (block_tokens.h). Annotate (annotate.cc)
// tokenizes each block once per cut and hands the result to every finder,
// instead of each finder tokenizing the blocks again. A finder called on its
// own (tests, eval) builds a DocTokens itself: the spans are the same either way.
//
// Blocks: every kTitle and kParagraph span, and every block that
// CarriesPageFacts (dates.h), whose range lies inside the text, in the order
// of doc.spans. A finder picks the blocks it reads among them.
//
// Cost: linear in the text; one lowercase copy of the text and two token
// vectors. Ownership: the BlockTokens' `lower` views point into `lower` and
// their `raw` views into doc.text, so a DocTokens is valid while its Document
// lives unchanged and is not to be copied (moving keeps the views).
// Thread-safety: immutable once built; may be read from several threads.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "annotate/block_tokens.h"
#include "annotate/name_tokens.h"
#include "core/budget.h"
#include "core/document.h"
#include "lexicon/gazetteer.h"

namespace echotrace::annotate_internal {

struct TokenizedBlock {
  uint32_t begin = 0, end = 0;             // the block's byte range in doc.text
  size_t name_first = 0, name_last = 0;    // its tokens in DocTokens::names: [name_first, name_last)
  size_t block_first = 0, block_last = 0;  // its tokens in DocTokens::words: [block_first, block_last)
};

struct DocTokens {
  DocTokens() = default;
  DocTokens(DocTokens&&) = default;
  DocTokens& operator=(DocTokens&&) = default;
  // A copy's `lower` views would point into the original's buffer: pass by reference.
  DocTokens(const DocTokens&) = delete;
  DocTokens& operator=(const DocTokens&) = delete;

  std::string lower;                            // doc.text with ASCII letters lowercased
  std::vector<NameToken> names;                 // NameWords cut of every block, block after block
  std::vector<block_tokens::BlockToken> words;  // BlockWords cut (ordinal suffixes apart) of every block
  std::vector<TokenizedBlock> blocks;           // in doc.spans order
  std::vector<uint32_t> by_range;               // indexes of `blocks` sorted by (begin, end)

  // The block [begin, end), or null when it is not one of `blocks`.
  const TokenizedBlock* Find(uint32_t begin, uint32_t end) const;
  std::span<const NameToken> NamesOf(const TokenizedBlock& b) const {
    return std::span<const NameToken>(names).subspan(b.name_first, b.name_last - b.name_first);
  }
  std::span<const block_tokens::BlockToken> WordsOf(const TokenizedBlock& b) const {
    return std::span<const block_tokens::BlockToken>(words).subspan(b.block_first, b.block_last - b.block_first);
  }
};

// Tokenizes every block of `doc` (see above) under both cuts.
DocTokens TokenizeDocument(const Document& doc);

// The BlockWords cut with merge_ordinal_suffix ("4th" one ordinal number), made
// from the cut without it: a number directly followed by the word st, nd, rd or
// th (any case, exactly two letters) becomes one token. Same tokens as
// block_tokens::Tokenize(..., merge_ordinal_suffix = true, ...) of the block.
void MergeOrdinalSuffixes(std::span<const block_tokens::BlockToken> words,
                          std::vector<block_tokens::BlockToken>* merged);

// The finders over `tokens` = TokenizeDocument(doc): the same spans as the
// public finder of the same name (dates.h, entities.h, events.h, quotes.h),
// which tokenizes the document itself and calls these.
std::vector<Span> FindDates(const Document& doc, const DocTokens& tokens, const Deadline& deadline);
// `dates` = FindDates(doc), or null to have them found when needed.
std::vector<Span> FindEntities(const Document& doc, const DocTokens& tokens, const Gazetteer& gazetteer,
                               const std::vector<Span>* dates, const Deadline& deadline);
std::vector<Span> FindQuotes(const Document& doc, const DocTokens& tokens, const std::vector<Span>& entities,
                             std::vector<Span>* terms, const Deadline& deadline);
std::vector<Span> FindEvents(const Document& doc, const DocTokens& tokens, const Deadline& deadline);
std::vector<Span> FindWorks(const Document& doc, const DocTokens& tokens, const Deadline& deadline);

}  // namespace echotrace::annotate_internal

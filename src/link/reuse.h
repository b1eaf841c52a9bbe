// Reuse clusters: passages shared between articles across the corpus (as
// passim does), for studying how set phrases and whole paragraphs travel.
//
// For each document, the documents sharing its rarest n-grams are found in
// the NgramIndex; for each such pair the maximal runs of consecutive word
// 3-grams of the document that the other holds are the reused passages
// (a run of r n-grams is r + 2 words). Pairs with a passage of at least
// `min_words` words are joined (union-find); a cluster lists its documents
// and its longest passage.
//
// Cost: O(D * (probes * max_df + candidates * |set|)) plus one tokenization
// per document with candidates. Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "link/ngram_index.h"
#include "store/store.h"

namespace echotrace {

struct ReusePassage {
  int64_t docno = 0;            // the document the passage was read from
  uint32_t begin = 0, end = 0;  // bytes of its text
  size_t words = 0;
  std::string text;
};

struct ReuseCluster {
  std::vector<int64_t> docnos;  // ascending
  ReusePassage longest;
};

// `sets[slot]` is the n-gram set of index slot `slot`.
Result<std::vector<ReuseCluster>> FindReuse(const NgramIndex& index, const std::vector<std::vector<uint32_t>>& sets,
                                            const std::function<Result<StoredVersion>(int64_t)>& loader,
                                            size_t min_words);

}  // namespace echotrace

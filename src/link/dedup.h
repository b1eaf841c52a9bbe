// Near-duplicate detection: republications of one text across outlets and
// days, and teaser stubs that repeat an article's lead.
//
// A Deduper adds documents to an NgramIndex with their LSH band keys (the
// index keeps both the n-gram sets and the band keys, in memory or on disk).
// Adding a document finds candidates (documents sharing a band key;
// for short texts, documents sharing the rarest n-grams through the
// NgramIndex, since a short text's Jaccard with its full article is low)
// and confirms each with the exact Jaccard (>= min_jaccard) or containment
// of the smaller set in the larger (>= min_containment, smaller set of at
// least min_contained_ngrams). Confirmed pairs join groups (union-find);
// a group's original is its earliest member (date, then docno).
//
// Cost: Add is O(64 * |set| + candidates * |set|) (BandKeysOf is the first
// term and may run on other threads beforehand); the Deduper's own memory is
// 8 bytes per document (the groups), the rest lives in the index.
// Thread-safety: not thread-safe; one writer. BandKeysOf is a pure function.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "link/minhash.h"
#include "link/ngram_index.h"

namespace echotrace {

struct DedupOptions {
  double min_jaccard = 0.6;         // Default 0.6: headline changes and a trimmed paragraph stay above.
  double min_containment = 0.85;    // Default 0.85: a teaser's lead is inside its article.
  size_t min_contained_ngrams = 6;  // Default 6: a lead of ~8 words; bare headlines do not count.
  size_t short_ngrams = 80;         // Texts with fewer n-grams also look for containment candidates.
  // Containment also needs this many shared n-grams that are rare (in at
  // most max(rare_df_min, documents / 2000) documents): formulaic leads
  // ("Kim Jong Un, general secretary of ...") are in thousands of articles.
  size_t min_rare_shared = 3;
  size_t rare_df_min = 10;
};

struct DupPair {
  uint32_t a = 0, b = 0;  // slots, a < b
  double similarity = 0;  // the Jaccard or containment that confirmed it
};

class Deduper {
 public:
  // Documents go into `index`, which must outlive the Deduper and receive
  // no other Add while the Deduper is used (slots must match).
  explicit Deduper(NgramIndex* index, DedupOptions options = {});

  // The LSH band keys of an n-gram set (MinHash signature, banded).
  static std::vector<uint64_t> BandKeysOf(const std::vector<uint32_t>& ngrams);

  // Adds the document to the index with its band keys and returns the
  // confirmed pairs with documents added before it. *slot (if given) is the
  // slot it got. `keys` must be BandKeysOf(ngrams); the overload without
  // computes them.
  std::vector<DupPair> Add(const IndexedDoc& doc, const std::vector<uint32_t>& ngrams, uint32_t* slot = nullptr);
  std::vector<DupPair> Add(const IndexedDoc& doc, const std::vector<uint32_t>& ngrams,
                           const std::vector<uint64_t>& keys, uint32_t* slot);

  // The group representative (the original's slot) of every slot, over the
  // pairs this Deduper confirmed.
  uint32_t OriginalOf(uint32_t slot);

 private:
  uint32_t Find(uint32_t slot);
  void Grow(uint32_t slot);
  void Union(uint32_t a, uint32_t b);
  bool EarlierSlot(uint32_t a, uint32_t b) const;
  size_t SharedRare(std::span<const uint32_t> a, std::span<const uint32_t> b) const;

  NgramIndex* index_;
  DedupOptions options_;
  std::vector<uint32_t> parent_;
  std::vector<uint32_t> original_;  // valid at roots: the earliest member
};

// Runs prepare(i) for every i in [0, n) on two threads (the calling one and
// one more) and consume(i) on the calling thread in order 0, 1, ..., each
// after its prepare(i) returned: the per-document work of near-duplicate
// detection (tokens, n-gram set, BandKeysOf) is spread over both cores while
// the index and the pairs (Deduper::Add) stay single-threaded.
// REQUIRES: prepare(i) touches only its own outputs (it runs concurrently
// with other prepare calls and with consume(j) for j < i).
void PrepareInParallel(size_t n, const std::function<void(size_t)>& prepare,
                       const std::function<void(size_t)>& consume);

}  // namespace echotrace

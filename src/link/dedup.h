// Near-duplicate detection: republications of one text across outlets and
// days, and teaser stubs that repeat an article's lead.
//
// A Deduper holds, for every document added, its n-gram set and its LSH band
// keys. Adding a document finds candidates (documents sharing a band key;
// for short texts, documents sharing the rarest n-grams through the
// NgramIndex, since a short text's Jaccard with its full article is low)
// and confirms each with the exact Jaccard (>= min_jaccard) or containment
// of the smaller set in the larger (>= min_containment, smaller set of at
// least min_contained_ngrams). Confirmed pairs join groups (union-find);
// a group's original is its earliest member (date, then docno).
//
// Cost: Add is O(64 * |set| + candidates * |set|); memory about 4 bytes per
// n-gram plus 16 band keys per document.
// Thread-safety: not thread-safe; one writer.
#pragma once

#include <cstdint>
#include <unordered_map>
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
  // `index` holds the same documents under the same slots (Add to the index
  // first); it must outlive the Deduper.
  Deduper(const NgramIndex* index, DedupOptions options = {});

  // Registers slot `slot` (already in the index) with its n-gram set and
  // returns the confirmed pairs with earlier-added documents.
  std::vector<DupPair> Add(uint32_t slot, std::vector<uint32_t> ngrams);

  // Registers slot `slot` without looking for pairs (reloading documents
  // whose pairs are already stored): O(64 * |set|).
  void Register(uint32_t slot, std::vector<uint32_t> ngrams);

  // The group representative (the original's slot) of every slot.
  uint32_t OriginalOf(uint32_t slot);
  size_t size() const { return sets_.size(); }

 private:
  uint32_t Find(uint32_t slot);
  void Grow(uint32_t slot);
  void Union(uint32_t a, uint32_t b);
  bool EarlierSlot(uint32_t a, uint32_t b) const;
  size_t SharedRare(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) const;

  const NgramIndex* index_;
  DedupOptions options_;
  std::vector<std::vector<uint32_t>> sets_;  // by slot
  std::vector<uint32_t> parent_;
  std::vector<uint32_t> original_;  // valid at roots: the earliest member
  std::unordered_map<uint64_t, std::vector<uint32_t>> bands_;
};

}  // namespace echotrace

// NgramIndex: an inverted index from word n-grams to documents, for finding
// which articles might contain a quoted passage.
//
// Every document contributes the set of its word 3-grams (hashed to 32 bits
// over normalized tokens, see link/normalize.h). A query looks up its own
// n-grams, rarest first (as passim does): a rare n-gram shared with a
// document is strong evidence, a common one ("of the Workers' Party") is
// not, and the very common are skipped. Documents are ranked by how many of
// the probed n-grams they share.
//
// Layout: a compacted base (sorted keys, offsets, postings: 4 bytes per
// posting) plus a small delta hash map for documents added since the last
// Compact(), so an ingest can add documents without rebuilding.
//
// Cost: Add is linear in the document's n-grams; Compact is O(P log P) for
// P postings; Candidates probes at most `max_probes` posting lists, each
// bounded by `max_df`, so a query costs O(q log K + max_probes * max_df).
// Memory: about 4 bytes per posting plus 8 per distinct n-gram.
// Thread-safety: const methods may run concurrently; Add/Compact need
// exclusive access.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "link/normalize.h"

namespace echotrace {

inline constexpr size_t kNgramLength = 3;

// Facts about an indexed document that filtering needs without loading it.
struct IndexedDoc {
  int64_t docno = 0;
  int32_t day = kUnknownDay;  // days since 1970-01-01; kUnknownDay when undated
  bool state_media = false;
  static constexpr int32_t kUnknownDay = INT32_MIN;
};

// "YYYY-MM-DD" -> days since 1970-01-01; IndexedDoc::kUnknownDay when malformed or empty.
int32_t DayNumber(std::string_view iso_date);
// The days a date covers: "YYYY-MM-DD" one day, "YYYY-MM" (month
// precision) the month's first to last day. False (both kUnknownDay) when
// the date is empty or malformed.
bool DayRange(std::string_view date, int32_t* first, int32_t* last);

// The distinct 32-bit n-gram hashes of `tokens`, sorted. N-grams that cross
// an elision or contain a bracketed (inserted) word are left out.
std::vector<uint32_t> NgramSet(const std::vector<Token>& tokens);
// The same n-grams in token order with their start positions (duplicates kept).
struct PositionedNgram {
  uint32_t hash;
  uint32_t position;
};
std::vector<PositionedNgram> NgramsWithPositions(const std::vector<Token>& tokens);

struct CandidateOptions {
  // N-gram posting lists read per query, rarest first. Default 16: enough
  // that a quote with a few edits still shares several with its origin.
  size_t max_probes = 16;
  // Posting lists longer than this are not read (too common to prove reuse).
  // Default 20000.
  size_t max_df = 20000;
  // Stop probing once this many postings were read (at least `min_probes`
  // lists are read). Default 20000: bounds a query's cost whatever the
  // corpus size, since the rarest lists come first.
  size_t posting_budget = 20000;
  size_t min_probes = 3;
  // Documents returned, most shared n-grams first. Default 24.
  size_t max_candidates = 24;
  // Only documents dated on or before this day (undated ones pass).
  // Default: no bound.
  int32_t last_day = INT32_MAX;
  // Only documents dated on or after this day (undated ones pass). Default:
  // no bound.
  int32_t first_day = INT32_MIN;
  bool state_media_only = false;
  int64_t exclude_docno = 0;  // the citing document itself; 0 for none
};

struct Candidate {
  uint32_t slot = 0;    // index into docs()
  uint32_t shared = 0;  // probed n-grams the document has
};

class NgramIndex {
 public:
  // Adds a document and its n-gram set (from NgramSet). Returns its slot.
  uint32_t Add(const IndexedDoc& doc, const std::vector<uint32_t>& ngrams);
  // Bulk loading: like Add, but the postings become visible only after the
  // next Compact(). About 8 bytes per posting until then, no hashing.
  uint32_t AddForBulk(const IndexedDoc& doc, const std::vector<uint32_t>& ngrams);
  // Folds the delta and bulk postings into the base.
  void Compact();
  // Compacts when the delta has grown past max(1M, base) postings, so that
  // incremental adds cost amortized O(log P) per posting.
  void MaybeCompact();

  // How many documents have the n-gram.
  size_t DocFrequency(uint32_t ngram) const;
  std::vector<Candidate> Candidates(const std::vector<uint32_t>& query_ngrams, const CandidateOptions& options) const;

  const std::vector<IndexedDoc>& docs() const { return docs_; }
  size_t postings() const { return base_postings_.size() + delta_postings_; }
  // Slot of a docno, or -1.
  int64_t SlotOf(int64_t docno) const;

 private:
  template <typename F>
  void ForEachPosting(uint32_t ngram, F&& f) const;

  std::vector<IndexedDoc> docs_;
  std::unordered_map<int64_t, uint32_t> slot_of_docno_;
  std::vector<uint32_t> base_keys_;      // sorted distinct n-grams
  std::vector<uint64_t> base_offsets_;   // base_keys_.size() + 1 offsets into base_postings_
  std::vector<uint32_t> base_postings_;  // slots, ascending within one key
  std::unordered_map<uint32_t, std::vector<uint32_t>> delta_;
  size_t delta_postings_ = 0;
  std::vector<std::pair<uint32_t, uint32_t>> bulk_;  // (n-gram, slot) awaiting Compact
};

}  // namespace echotrace

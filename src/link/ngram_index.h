// NgramIndex: an inverted index from word n-grams to documents, for finding
// which articles might contain a quoted passage.
//
// Every document contributes the set of its word 3-grams (hashed to 32 bits
// over normalized tokens, see link/normalize.h). A query looks up its own
// n-grams, rarest first (as passim does): a rare n-gram shared with a
// document is strong evidence, a common one ("of the Workers' Party") is
// not, and the very common are skipped. Documents are ranked by how many of
// the probed n-grams they share. The index also keeps each document's
// n-gram set (NgramsOf) and, when given, its LSH band keys inverted
// (ForEachLshSlot), which near-duplicate detection reads (dedup.h).
//
// Two kinds:
//   - in memory (the default constructor): a compacted base (sorted keys,
//     offsets, postings: 4 bytes per posting) plus a small delta hash map
//     for documents added since the last Compact();
//   - on disk (Open/Create on a directory): immutable memory-mapped segment
//     files (ngram_segment.h), each covering a run of slots, listed by a
//     MANIFEST file with the link mark they cover; documents added since
//     the last Flush are held in memory as above. Flush writes them as a
//     new segment and merges the newest segments while the older of the
//     last two holds no more documents than the newer (a binary counter:
//     O(log N) segments, each posting rewritten O(log N) times). A merge
//     streams: its memory is a few MiB whatever the index size.
//     Crash safety: segment files and the MANIFEST are written under a
//     temporary name, fsynced and renamed; a killed writer leaves the last
//     published MANIFEST and its segments intact (stray files are removed
//     by the next writable Open). Readers in other processes see either the
//     old or the new MANIFEST; segments they mapped stay readable after a
//     merge removes their files.
//
// Cost: Add is linear in the document's n-grams; a lookup costs one binary
// search per segment plus the pending part; Candidates probes at most
// `max_probes` posting lists, each bounded by `max_df`, so a query costs
// O(S * q log K + max_probes * max_df) for S segments. Opening the on-disk
// kind maps the files and copies the document table (16 bytes a document);
// nothing else is read until queried.
// Memory: in memory, about 8 bytes per posting (inverted list and set) plus
// 8 per distinct n-gram; on disk, 16 bytes per document plus the pending
// part, and the mapped pages a query touches (ReleaseMemory drops them).
// Thread-safety: const methods may run concurrently; Add, Compact, Flush
// need exclusive access. One writer per directory (the data directory's
// writable Xapian index already admits one writing process).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "link/flat_postings.h"
#include "link/ngram_segment.h"
#include "link/normalize.h"

namespace echotrace {

inline constexpr size_t kNgramLength = 3;

// "YYYY-MM-DD" -> days since 1970-01-01; IndexedDoc::kUnknownDay when malformed or empty.
int32_t DayNumber(std::string_view iso_date);
// The days a date covers: "YYYY-MM-DD" one day, "YYYY-MM" (month
// precision) the month's first to last day. False (both kUnknownDay) when
// the date is empty or malformed.
bool DayRange(std::string_view date, int32_t* first, int32_t* last);

// The distinct 32-bit n-gram hashes of `tokens`, sorted. N-grams that cross
// an elision or contain a bracketed (inserted) word are left out.
std::vector<uint32_t> NgramSet(const std::vector<MatchToken>& tokens);
// The same n-grams in token order with their start positions (duplicates kept).
struct PositionedNgram {
  uint32_t hash;
  uint32_t position;
};
std::vector<PositionedNgram> NgramsWithPositions(const std::vector<MatchToken>& tokens);

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
  NgramIndex();  // in memory; nothing on disk
  ~NgramIndex();
  NgramIndex(const NgramIndex&) = delete;  // may own mappings; hold a unique_ptr to share
  NgramIndex& operator=(const NgramIndex&) = delete;

  // Opens the on-disk index in `dir`. Writable opens also check every
  // segment's content checksum and remove files the MANIFEST does not list.
  // Errors: kNotFound when `dir` holds no MANIFEST; kCorrupt when the
  // MANIFEST or a segment is damaged, truncated or of another format;
  // kIOError when a file cannot be read or mapped.
  static Result<std::unique_ptr<NgramIndex>> Open(const std::string& dir, bool writable);
  // A new, empty on-disk index in `dir` (created if missing), replacing any
  // index there: its files are removed. Errors: kIOError.
  static Result<std::unique_ptr<NgramIndex>> Create(const std::string& dir);

  // Adds a document, its n-gram set (from NgramSet) and its LSH band keys
  // (dedup.h; empty when near-duplicates are not looked for). Returns its slot.
  uint32_t Add(const IndexedDoc& doc, const std::vector<uint32_t>& ngrams, const std::vector<uint64_t>& lsh_keys = {});
  // Bulk loading: like Add, but the postings become visible only after the
  // next Compact() (or Flush). About 8 bytes per posting until then, no hashing.
  uint32_t AddForBulk(const IndexedDoc& doc, const std::vector<uint32_t>& ngrams,
                      const std::vector<uint64_t>& lsh_keys = {});
  // Folds the delta and bulk postings of the in-memory part into its base.
  void Compact();
  // Compacts when the delta has grown past max(1M, base) postings, so that
  // incremental adds cost amortized O(log P) per posting.
  void MaybeCompact();

  // On disk and writable only: writes the documents added since the last
  // Flush as a segment, merges segments (see above) and publishes a MANIFEST
  // recording `mark` (the caller's high-water mark: the link mark).
  // Errors: kIOError (the index on disk is then as before the call; the
  // documents stay pending); kUsage for an in-memory or read-only index.
  Status Flush(int64_t mark);
  // The mark of the MANIFEST opened or last flushed; 0 for a new index.
  int64_t mark() const { return mark_; }
  bool on_disk() const { return !dir_.empty(); }
  size_t segment_count() const { return segments_.size(); }
  // Documents added since the last Flush (all of them in memory).
  size_t pending_docs() const { return docs_.size() - pending_first_; }
  size_t pending_postings() const { return base_postings_.size() + delta_postings_ + bulk_.size(); }
  // Drops the mapped segment pages from the resident set (see
  // NgramSegment::Release); answers are unchanged.
  void ReleaseMemory() const;

  // How many documents have the n-gram.
  size_t DocFrequency(uint32_t ngram) const;
  std::vector<Candidate> Candidates(const std::vector<uint32_t>& query_ngrams, const CandidateOptions& options) const;

  // Every document, by slot. Valid until the next Add.
  const std::vector<IndexedDoc>& docs() const { return docs_; }
  size_t postings() const;
  // Slot of a docno, or -1.
  int64_t SlotOf(int64_t docno) const;
  // The n-gram set of a slot, sorted; empty for an unknown slot. The view
  // is valid until the next Add, Flush or Compact, or the index's end.
  std::span<const uint32_t> NgramsOf(uint32_t slot) const;
  // Calls f(slot) for every document with LSH band key `key`, ascending.
  template <typename F>
  void ForEachLshSlot(uint64_t key, F&& f) const {
    for (const auto& seg : segments_) {
      for (uint32_t slot : seg->LshSlots(key)) f(slot);
    }
    pending_lsh_.ForEach(key, f);
  }

 private:
  template <typename F>
  void ForEachPosting(uint32_t ngram, F&& f) const;
  // The base's postings of `ngram` as [first, last) into base_postings_ (empty when absent).
  std::pair<uint64_t, uint64_t> BaseRange(uint32_t ngram) const;
  uint32_t AddDoc(const IndexedDoc& doc, const std::vector<uint32_t>& ngrams, const std::vector<uint64_t>& lsh_keys);
  Status WriteManifest() const;
  Status MergeTail();

  // On disk (empty dir_: in memory).
  std::string dir_;
  bool writable_ = true;
  int64_t mark_ = 0;
  uint64_t next_file_ = 1;                                     // number of the next segment file
  std::vector<std::shared_ptr<const NgramSegment>> segments_;  // slot order
  std::vector<std::string> obsolete_;                          // merged away; removed after the MANIFEST

  std::vector<IndexedDoc> docs_;
  bool docnos_ascending_ = true;                         // then SlotOf is a binary search
  std::unordered_map<int64_t, uint32_t> slot_of_docno_;  // filled only when not ascending

  // The pending part: slots from pending_first_ on.
  uint32_t pending_first_ = 0;
  std::vector<uint32_t> base_keys_;      // sorted distinct n-grams
  std::vector<uint64_t> base_offsets_;   // base_keys_.size() + 1 offsets into base_postings_
  std::vector<uint32_t> base_postings_;  // slots, ascending within one key
  FlatPostings<uint32_t> delta_;
  size_t delta_postings_ = 0;
  std::vector<std::pair<uint32_t, uint32_t>> bulk_;  // (n-gram, slot) awaiting Compact
  std::vector<uint64_t> set_offsets_{0};             // pending docs + 1, into set_values_
  std::vector<uint32_t> set_values_;
  FlatPostings<uint64_t> pending_lsh_;
};

}  // namespace echotrace

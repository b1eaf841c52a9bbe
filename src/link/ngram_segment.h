// NgramSegment: one immutable, memory-mapped file of the on-disk n-gram
// index (ngram_index.h): the documents of a run of slots, the inverted lists
// of their n-grams, each document's n-gram set, and each document's LSH band
// keys (dedup.h) inverted.
//
// File layout (little-endian, every section 8-byte aligned, in this order):
//   header (128 bytes): magic "ETNGSEG1", format version (2), first slot,
//     the counts below (P postings in B bytes), the file size, an XXH3 of
//     the content and of the header;
//   docs:        D x {int64 docno, int32 day, uint32 flags (1 = state media)}
//   keys:        K x uint32, the distinct n-grams, ascending
//   entries:     K x uint32, each key's postings: with the top bit set, its
//                one posting inline (slot - first slot in the low 31 bits;
//                most n-grams are in one document); else the byte offset
//                of its list in `postings`
//   set_offsets: (D + 1) x uint32 into set_values
//   set_values:  V x uint32, each document's sorted n-gram set
//   lsh_keys:    L x uint64 ascending; lsh_slots: L x uint32 (same order;
//                ascending slots within a key)
//   postings:    B bytes of lists of two or more global slots, ascending:
//                varint count, then varint gaps (the first from the first
//                slot). About a quarter of 4 bytes a posting (format 1).
// Counts are limited to 2^32 - 1 per segment, B and D to 2^31 - 1.
//
// Errors on open: kIOError when the file cannot be read or mapped; kCorrupt
// when the magic, version, header checksum, size or layout is wrong (a
// truncated file is caught here). The content checksum is checked by
// Verify() (reads the whole file), which writable opens call; readers
// check only the header and clamp every offset they read, so a damaged
// content section gives wrong answers, never a read outside the file.
//
// Ownership: the views returned point into the mapping and stay valid
// while the segment object lives (hold its shared_ptr).
// Thread-safety: immutable after Open; every method may run concurrently.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/varint.h"

namespace echotrace {

// Facts about an indexed document that filtering needs without loading it.
struct IndexedDoc {
  int64_t docno = 0;
  int32_t day = kUnknownDay;  // days since 1970-01-01; kUnknownDay when undated
  bool state_media = false;
  static constexpr int32_t kUnknownDay = INT32_MIN;
};

// The first i with keys[i] >= key in ascending `keys` (keys.size() when
// none), searched outward from where a uniform key would sit
// (key / 2^bits * size), then by halving. The n-grams and band keys are
// hashes, so the answer is usually within a few cache lines of the guess,
// where std::lower_bound touches about log2(size) lines spread over a
// mapped array of megabytes. Correct for any ascending keys (skewed ones
// only cost more steps): at most 2 log2(size) + 2 comparisons.
template <typename Key>
size_t LowerBoundOfHash(std::span<const Key> keys, Key key) {
  static_assert(sizeof(Key) == 4 || sizeof(Key) == 8, "32- or 64-bit hash keys");
  const size_t n = keys.size();
  if (n == 0) return 0;
  // The key's top 32 bits scaled to the size (sizes stay below 2^32).
  const uint64_t top = sizeof(Key) == 4 ? uint64_t{key} : static_cast<uint64_t>(key) >> 32;
  const size_t guess = static_cast<size_t>((top * std::min<uint64_t>(n, UINT32_MAX)) >> 32);
  size_t lo = 0, hi = n;  // the answer lies in [lo, hi]
  if (keys[guess] < key) {
    lo = guess + 1;
    for (size_t step = 1;; step *= 2) {
      const size_t probe = guess + step;
      if (probe >= n) break;
      if (keys[probe] >= key) {
        hi = probe;
        break;
      }
      lo = probe + 1;
    }
  } else {
    hi = guess;
    for (size_t step = 1; step <= guess; step *= 2) {
      const size_t probe = guess - step;
      if (keys[probe] < key) {
        lo = probe + 1;
        break;
      }
      hi = probe;
    }
  }
  return static_cast<size_t>(std::lower_bound(keys.begin() + lo, keys.begin() + hi, key) - keys.begin());
}

// The contents of a segment being written (built in memory by the index).
struct SegmentData {
  uint32_t first_slot = 0;
  std::vector<IndexedDoc> docs;
  std::vector<uint32_t> keys, offsets, postings;  // offsets: keys.size() + 1
  std::vector<uint32_t> set_offsets, set_values;  // set_offsets: docs.size() + 1
  std::vector<uint64_t> lsh_keys;
  std::vector<uint32_t> lsh_slots;
};

class NgramSegment {
 public:
  static Result<std::shared_ptr<const NgramSegment>> Open(const std::string& path);
  ~NgramSegment();
  NgramSegment(const NgramSegment&) = delete;  // owns a mapping; share the shared_ptr
  NgramSegment& operator=(const NgramSegment&) = delete;

  // Checks the content checksum: kCorrupt when it differs. Reads the file.
  Status Verify() const;
  // Drops the mapped pages from this process's resident set (they stay in
  // the page cache and fault back in when read again). Bounds the RSS of a
  // long-running writer; the views stay valid.
  void Release() const;

  uint32_t first_slot() const { return first_slot_; }
  uint32_t doc_count() const { return static_cast<uint32_t>(docs_count_); }
  uint64_t posting_count() const { return posting_count_; }
  uint64_t file_size() const { return size_; }
  const std::string& path() const { return path_; }

  // REQUIRES: i < doc_count().
  IndexedDoc doc(uint32_t i) const;
  // Calls f(slot) for each posting of `key` (global slots, ascending);
  // none when absent. Cost: one key search, then the list's bytes.
  template <typename F>
  void ForEachPosting(uint32_t key, F&& f) const {
    const size_t k = LowerBoundOfHash(keys_, key);
    if (k < keys_.size() && keys_[k] == key) ForEachPostingAt(k, f);
  }
  // How many documents have `key` (a key search and one varint).
  size_t PostingCount(uint32_t key) const;
  // The same by key index (REQUIRES: k < keys().size()), for merging.
  template <typename F>
  void ForEachPostingAt(size_t k, F&& f) const {
    const uint32_t entry = entries_[k];
    if ((entry & kInlinePosting) != 0) {
      f(first_slot_ + (entry & ~kInlinePosting));
      return;
    }
    // Bounded reads: a damaged entry or list gives a short list, never a
    // read outside the mapping.
    if (entry >= posting_bytes_.size()) return;
    ByteReader list(posting_bytes_.substr(entry));
    uint64_t count = 0, slot = first_slot_, gap = 0;
    if (!list.GetVarint(&count)) return;
    for (uint64_t i = 0; i < count && list.GetVarint(&gap); ++i) {
      slot += gap;
      if (slot > UINT32_MAX) return;
      f(static_cast<uint32_t>(slot));
    }
  }
  // The n-gram set of document i (0-based within the segment).
  std::span<const uint32_t> Set(uint32_t i) const;
  // Slots whose band keys include `key`, ascending.
  std::span<const uint32_t> LshSlots(uint64_t key) const;

  // Raw sections, for merging.
  std::span<const uint32_t> keys() const { return keys_; }
  std::span<const uint32_t> set_offsets() const { return set_offsets_; }
  std::span<const uint32_t> set_values() const { return set_values_; }
  std::span<const uint64_t> lsh_keys() const { return lsh_keys_; }
  std::span<const uint32_t> lsh_slots() const { return lsh_slots_; }

 private:
  NgramSegment() = default;

  std::string path_;
  const unsigned char* base_ = nullptr;
  uint64_t size_ = 0;
  uint64_t content_hash_ = 0;
  uint32_t first_slot_ = 0;
  uint64_t docs_count_ = 0;
  const unsigned char* docs_ = nullptr;
  static constexpr uint32_t kInlinePosting = 0x80000000u;
  uint64_t posting_count_ = 0;
  std::span<const uint32_t> keys_, entries_, set_offsets_, set_values_, lsh_slots_;
  std::string_view posting_bytes_;
  std::span<const uint64_t> lsh_keys_;
};

// Writes `data` to `path` (through `path`.tmp, fsynced, renamed).
// Errors: kIOError; kInternal when a count exceeds the format's limit.
Status WriteSegment(const std::string& path, const SegmentData& data);
// Writes the merge of two adjacent segments (a's slots precede b's) to
// `path`, streaming: memory stays a few MiB whatever their size.
// REQUIRES: a.first_slot() + a.doc_count() == b.first_slot().
Status MergeSegments(const NgramSegment& a, const NgramSegment& b, const std::string& path);

}  // namespace echotrace

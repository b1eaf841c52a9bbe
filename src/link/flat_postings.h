// FlatPostings: an append-only map from a key (an n-gram hash or an LSH band
// key) to the ascending list of slots added under it, for the pending part
// of NgramIndex. One open-addressing table of keys plus one pool of posting
// nodes, so adding a posting costs no allocation of its own (a hash map of
// vectors allocated a vector per new key: most keys are new).
//
// Each key's slots are a chain through the pool in the order they were
// added; NgramIndex adds slots in ascending order, so chains are ascending.
// Cost: Add and Count are O(1) expected; ForEach is linear in the key's
// postings; the table doubles when 1/2 full.
// Memory: 8 bytes per posting plus 12 (4-byte keys) or 16 (8-byte keys)
// bytes per table entry, at most 4 entries per distinct key.
// Thread-safety: const methods may run concurrently; Add and Clear need
// exclusive access.
#pragma once

#include <cstdint>
#include <type_traits>
#include <vector>

namespace echotrace {

template <typename Key>
class FlatPostings {
  static_assert(std::is_unsigned_v<Key>, "keys are hashes");

 public:
  // Adds `slot` under `key`.
  void Add(Key key, uint32_t slot) {
    if ((used_ + 1) * 2 > entries_.size()) Grow();
    Entry& e = entries_[Find(key)];
    const auto node = static_cast<uint32_t>(pool_.size());
    pool_.push_back({slot, kNone});
    if (e.count == 0) {
      e.key = key;
      e.head = node;
      ++used_;
    } else {
      pool_[e.tail].next = node;
    }
    e.tail = node;
    ++e.count;
  }
  // How many slots `key` has.
  uint32_t Count(Key key) const {
    if (used_ == 0) return 0;
    return entries_[Find(key)].count;
  }
  // Calls f(slot) for the slots of `key`, in the order added.
  template <typename F>
  void ForEach(Key key, F&& f) const {
    if (used_ == 0) return;
    const Entry& e = entries_[Find(key)];
    if (e.count == 0) return;
    for (uint32_t n = e.head; n != kNone; n = pool_[n].next) f(pool_[n].slot);
  }
  // Calls f(key, slot) for every posting (keys in no particular order).
  template <typename F>
  void ForEachPosting(F&& f) const {
    for (const Entry& e : entries_) {
      if (e.count == 0) continue;
      for (uint32_t n = e.head; n != kNone; n = pool_[n].next) f(e.key, pool_[n].slot);
    }
  }
  size_t postings() const { return pool_.size(); }
  bool empty() const { return pool_.empty(); }
  // Removes everything and frees the memory.
  void Clear() {
    std::vector<Entry>().swap(entries_);
    std::vector<Node>().swap(pool_);
    used_ = 0;
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Entry {
    Key key = 0;
    uint32_t count = 0;  // 0: an empty entry
    uint32_t head = kNone, tail = kNone;
  };
  struct Node {
    uint32_t slot, next;
  };

  static size_t Mix(Key key) {
    uint64_t h = static_cast<uint64_t>(key);
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    return static_cast<size_t>(h);
  }
  // The entry of `key`, or the empty entry where it would go.
  // REQUIRES: entries_ is not empty and not full.
  size_t Find(Key key) const {
    const size_t mask = entries_.size() - 1;
    size_t i = Mix(key) & mask;
    while (entries_[i].count != 0 && entries_[i].key != key) i = (i + 1) & mask;
    return i;
  }
  void Grow() {
    std::vector<Entry> old;
    old.swap(entries_);
    entries_.assign(old.empty() ? 1024 : old.size() * 2, Entry{});
    for (const Entry& e : old) {
      if (e.count != 0) entries_[Find(e.key)] = e;
    }
  }

  std::vector<Entry> entries_;  // a power of two in size
  std::vector<Node> pool_;
  size_t used_ = 0;
};

}  // namespace echotrace

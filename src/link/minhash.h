// MinHash signatures over a document's word 3-gram set, and the band keys
// of banded LSH that make near-duplicates collide.
//
// With kMinHashSize = 64 values cut into kBands = 16 bands of 4 rows, two
// documents share a band key with probability 1 - (1 - J^4)^16: 0.5 at a
// Jaccard similarity J of 0.5, 0.98 at J = 0.75, 0.01 at J = 0.2.
// Candidates are then confirmed with the exact Jaccard or containment of
// the n-gram sets (dedup.h).
//
// The 64 hash functions are MurmurHash3's 32-bit finalizer over the n-gram
// xor a per-function seed, computed 8 lanes at a time (AVX2 where the CPU
// has it): about 2 multiplications per n-gram and lane block.
// Cost: O(64 * |set|) per signature. Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace echotrace {

inline constexpr size_t kMinHashSize = 64;
inline constexpr size_t kBands = 16;
inline constexpr size_t kRowsPerBand = kMinHashSize / kBands;

// REQUIRES: `ngrams` sorted and distinct (NgramSet). Empty for an empty set.
std::vector<uint32_t> MinHashSignature(const std::vector<uint32_t>& ngrams);
// One key per band (kBands values); empty for an empty signature.
std::vector<uint64_t> BandKeys(const std::vector<uint32_t>& signature);

// Calls f(x) for each element in both sorted ranges (vectors or spans); returns how many.
template <typename A, typename B, typename F>
size_t ForEachCommon(const A& a, const B& b, F&& f) {
  size_t i = 0, j = 0, n = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) {
      f(a[i]);
      ++n;
      ++i;
      ++j;
    } else if (a[i] < b[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return n;
}

// Exact similarity of two sorted distinct sets.
double Jaccard(std::span<const uint32_t> a, std::span<const uint32_t> b);
// |a ∩ b| / min(|a|, |b|): how much of the smaller set the larger holds.
double Containment(std::span<const uint32_t> a, std::span<const uint32_t> b);

}  // namespace echotrace

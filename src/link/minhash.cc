#include "link/minhash.h"

#include <algorithm>
#include <limits>

namespace echotrace {
namespace {

uint32_t Mix(uint32_t x, uint32_t seed) {
  uint64_t h = (static_cast<uint64_t>(x) << 32 | seed) * 0x9E3779B97F4A7C15ULL;
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 32;
  return static_cast<uint32_t>(h);
}

size_t Common(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  return ForEachCommon(a, b, [](uint32_t) {});
}

}  // namespace

std::vector<uint32_t> MinHashSignature(const std::vector<uint32_t>& ngrams) {
  if (ngrams.empty()) return {};
  std::vector<uint32_t> sig(kMinHashSize, std::numeric_limits<uint32_t>::max());
  for (uint32_t g : ngrams) {
    for (size_t k = 0; k < kMinHashSize; ++k) sig[k] = std::min(sig[k], Mix(g, static_cast<uint32_t>(k) + 1));
  }
  return sig;
}

std::vector<uint64_t> BandKeys(const std::vector<uint32_t>& signature) {
  std::vector<uint64_t> keys;
  if (signature.size() != kMinHashSize) return keys;
  for (size_t b = 0; b < kBands; ++b) {
    uint64_t h = 0xCBF29CE484222325ULL ^ b;
    for (size_t r = 0; r < kRowsPerBand; ++r) {
      h ^= signature[b * kRowsPerBand + r];
      h *= 0x100000001B3ULL;
      h ^= h >> 27;
    }
    keys.push_back(h >> 1);  // fits a signed SQLite INTEGER
  }
  return keys;
}

double Jaccard(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  if (a.empty() && b.empty()) return 0;
  const size_t common = Common(a, b);
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

double Containment(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  const size_t smaller = std::min(a.size(), b.size());
  return smaller == 0 ? 0.0 : static_cast<double>(Common(a, b)) / static_cast<double>(smaller);
}

}  // namespace echotrace

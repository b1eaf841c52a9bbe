#include "link/minhash.h"

#include <algorithm>
#include <cstring>

namespace echotrace {
namespace {

// The 64 hash functions are h_k(x) = fmix32(x ^ seed_k) (MurmurHash3's
// finalizer, a bijection with full avalanche), so a signature is 32-bit
// lane arithmetic that vectorizes: 8 lanes at a time with GCC/Clang vector
// extensions (AVX2 where the CPU has it, chosen once at run time).
constexpr uint64_t SplitMix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

struct Seeds {
  alignas(32) uint32_t v[kMinHashSize];
  constexpr Seeds() : v{} {
    for (size_t k = 0; k < kMinHashSize; ++k) v[k] = static_cast<uint32_t>(SplitMix(k + 1));
  }
};
constexpr Seeds kSeeds;

typedef uint32_t Lanes __attribute__((vector_size(32)));
constexpr size_t kLanes = 8;
constexpr size_t kBlocks = kMinHashSize / kLanes;
static_assert(kMinHashSize % kLanes == 0, "the signature is whole blocks of 8 lanes");

__attribute__((always_inline)) inline void SignatureInto(const uint32_t* ngrams, size_t n, uint32_t* out) {
  Lanes seed[kBlocks], acc[kBlocks];
  for (size_t b = 0; b < kBlocks; ++b) {
    __builtin_memcpy(&seed[b], kSeeds.v + b * kLanes, sizeof(Lanes));
    acc[b] = Lanes{} - 1u;  // all ones: the largest value
  }
  for (size_t i = 0; i < n; ++i) {
    const uint32_t g = ngrams[i];
    for (size_t b = 0; b < kBlocks; ++b) {
      Lanes h = seed[b] ^ g;
      h ^= h >> 16;
      h *= 0x85EBCA6Bu;
      h ^= h >> 13;
      h *= 0xC2B2AE35u;
      h ^= h >> 16;
      const Lanes smaller = (Lanes)(h < acc[b]);
      acc[b] = (h & smaller) | (acc[b] & ~smaller);
    }
  }
  for (size_t b = 0; b < kBlocks; ++b) __builtin_memcpy(out + b * kLanes, &acc[b], sizeof(Lanes));
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) void SignatureAvx2(const uint32_t* ngrams, size_t n, uint32_t* out) {
  SignatureInto(ngrams, n, out);
}
#endif

void SignaturePlain(const uint32_t* ngrams, size_t n, uint32_t* out) { SignatureInto(ngrams, n, out); }

using SignatureFn = void (*)(const uint32_t*, size_t, uint32_t*);

SignatureFn ChooseSignature() {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx2")) return SignatureAvx2;
#endif
  return SignaturePlain;
}

size_t Common(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  return ForEachCommon(a, b, [](uint32_t) {});
}

}  // namespace

std::vector<uint32_t> MinHashSignature(const std::vector<uint32_t>& ngrams) {
  if (ngrams.empty()) return {};
  static const SignatureFn signature = ChooseSignature();
  std::vector<uint32_t> sig(kMinHashSize);
  signature(ngrams.data(), ngrams.size(), sig.data());
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

double Jaccard(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  if (a.empty() && b.empty()) return 0;
  const size_t common = Common(a, b);
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

double Containment(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  const size_t smaller = std::min(a.size(), b.size());
  return smaller == 0 ? 0.0 : static_cast<double>(Common(a, b)) / static_cast<double>(smaller);
}

}  // namespace echotrace

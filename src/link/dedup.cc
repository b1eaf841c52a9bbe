#include "link/dedup.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>

namespace echotrace {

Deduper::Deduper(NgramIndex* index, DedupOptions options) : index_(index), options_(options) {}

std::vector<uint64_t> Deduper::BandKeysOf(const std::vector<uint32_t>& ngrams) {
  return BandKeys(MinHashSignature(ngrams));
}

uint32_t Deduper::Find(uint32_t slot) {
  Grow(slot);
  while (parent_[slot] != slot) {
    parent_[slot] = parent_[parent_[slot]];
    slot = parent_[slot];
  }
  return slot;
}

bool Deduper::EarlierSlot(uint32_t a, uint32_t b) const {
  const IndexedDoc& x = index_->docs()[a];
  const IndexedDoc& y = index_->docs()[b];
  const bool x_known = x.day != IndexedDoc::kUnknownDay, y_known = y.day != IndexedDoc::kUnknownDay;
  if (x_known != y_known) return x_known;
  if (x.day != y.day) return x.day < y.day;
  return x.docno < y.docno;
}

void Deduper::Union(uint32_t a, uint32_t b) {
  a = Find(a);
  b = Find(b);
  if (a == b) return;
  const uint32_t first = EarlierSlot(original_[a], original_[b]) ? original_[a] : original_[b];
  parent_[b] = a;
  original_[a] = first;
}

uint32_t Deduper::OriginalOf(uint32_t slot) { return original_[Find(slot)]; }

size_t Deduper::SharedRare(std::span<const uint32_t> a, std::span<const uint32_t> b) const {
  const size_t rare_df = std::max<size_t>(options_.rare_df_min, index_->docs().size() / 2000);
  size_t n = 0;
  ForEachCommon(a, b, [&](uint32_t g) { n += index_->DocFrequency(g) <= rare_df ? 1 : 0; });
  return n;
}

void Deduper::Grow(uint32_t slot) {
  if (parent_.size() <= slot) {
    const auto old = static_cast<uint32_t>(parent_.size());
    parent_.resize(slot + 1);
    original_.resize(slot + 1);
    for (uint32_t s = old; s <= slot; ++s) parent_[s] = original_[s] = s;
  }
}

std::vector<DupPair> Deduper::Add(const IndexedDoc& doc, const std::vector<uint32_t>& ngrams, uint32_t* slot) {
  return Add(doc, ngrams, BandKeysOf(ngrams), slot);
}

std::vector<DupPair> Deduper::Add(const IndexedDoc& doc, const std::vector<uint32_t>& ngrams,
                                  const std::vector<uint64_t>& keys, uint32_t* slot_out) {
  // Band candidates: earlier documents sharing a band key.
  // Slots, sorted and made distinct before they are confirmed.
  std::vector<uint32_t> candidates;
  for (uint64_t key : keys) index_->ForEachLshSlot(key, [&](uint32_t other) { candidates.push_back(other); });
  const uint32_t slot = index_->Add(doc, ngrams, keys);
  if (slot_out != nullptr) *slot_out = slot;
  Grow(slot);
  // Rarest-n-gram probes through the index, for containment that band keys miss.
  auto probe = [&](size_t max_probes, size_t max_candidates, size_t max_df, auto&& keep) {
    CandidateOptions copt;
    copt.max_probes = max_probes;
    copt.max_candidates = max_candidates;
    copt.max_df = max_df;
    copt.exclude_docno = doc.docno;
    for (const Candidate& c : index_->Candidates(ngrams, copt)) {
      if (c.slot < slot && keep(c)) candidates.push_back(c.slot);
    }
  };
  // A short text (a teaser) looks for the article that contains it.
  if (ngrams.size() >= options_.min_contained_ngrams && ngrams.size() < options_.short_ngrams) {
    probe(6, 16, 5000, [](const Candidate& c) { return c.shared >= 4; });
  }
  // A long text looks for short texts added before it that it contains
  // (their band keys rarely collide with ours).
  if (ngrams.size() >= options_.short_ngrams) {
    probe(4, 32, 2000, [&](const Candidate& c) { return index_->NgramsOf(c.slot).size() < options_.short_ngrams; });
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  std::vector<DupPair> pairs;
  const std::span<const uint32_t> mine(ngrams);
  for (uint32_t other : candidates) {
    if (other >= slot) continue;
    const std::span<const uint32_t> theirs = index_->NgramsOf(other);
    if (theirs.empty()) continue;
    const double j = Jaccard(mine, theirs);
    double similarity = 0;
    if (j >= options_.min_jaccard) {
      similarity = j;
    } else if (std::min(mine.size(), theirs.size()) >= options_.min_contained_ngrams) {
      const double c = Containment(mine, theirs);
      if (c >= options_.min_containment && SharedRare(mine, theirs) >= options_.min_rare_shared) similarity = c;
    }
    if (similarity <= 0) continue;
    pairs.push_back({std::min(slot, other), std::max(slot, other), similarity});
    Union(slot, other);
  }
  return pairs;
}

void PrepareInParallel(size_t n, const std::function<void(size_t)>& prepare,
                       const std::function<void(size_t)>& consume) {
  constexpr size_t kBlock = 16;
  const size_t blocks = (n + kBlock - 1) / kBlock;
  std::unique_ptr<std::atomic<bool>[]> done(new std::atomic<bool>[blocks]);
  for (size_t b = 0; b < blocks; ++b) done[b].store(false, std::memory_order_relaxed);
  std::atomic<size_t> next{0};
  // Claims the next unprepared block and prepares it; false when none is left.
  auto work = [&]() {
    const size_t b = next.fetch_add(1);
    if (b >= blocks) return false;
    for (size_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i) prepare(i);
    done[b].store(true, std::memory_order_release);
    return true;
  };
  std::thread helper([&]() {
    while (work()) {
    }
  });
  for (size_t b = 0; b < blocks; ++b) {
    while (!done[b].load(std::memory_order_acquire)) {
      if (!work()) std::this_thread::yield();
    }
    for (size_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i) consume(i);
  }
  helper.join();
}

}  // namespace echotrace

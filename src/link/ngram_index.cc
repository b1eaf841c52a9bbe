#include "link/ngram_index.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "lexicon/calendar.h"

namespace echotrace {
namespace {

bool UsableAt(const std::vector<Token>& tokens, size_t i) {
  for (size_t k = 0; k < kNgramLength; ++k) {
    if (tokens[i + k].bracketed) return false;
    if (k > 0 && tokens[i + k].elision_before) return false;
  }
  return true;
}

}  // namespace

int32_t DayNumber(std::string_view iso) {
  if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-') return IndexedDoc::kUnknownDay;
  int parts[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (size_t k = 0; k < lengths[p]; ++k) {
      const char c = iso[starts[p] + k];
      if (c < '0' || c > '9') return IndexedDoc::kUnknownDay;
      parts[p] = parts[p] * 10 + (c - '0');
    }
  }
  if (parts[1] < 1 || parts[1] > 12 || parts[2] < 1 || parts[2] > 31) return IndexedDoc::kUnknownDay;
  if (!lexicon::ValidDate(parts[0], parts[1], parts[2])) return IndexedDoc::kUnknownDay;
  return static_cast<int32_t>(lexicon::DaysFromCivil(parts[0], parts[1], parts[2]));
}

bool DayRange(std::string_view date, int32_t* first, int32_t* last) {
  *first = *last = IndexedDoc::kUnknownDay;
  if (date.size() >= 10) {
    *first = *last = DayNumber(date);
    return *first != IndexedDoc::kUnknownDay;
  }
  if (date.size() != 7 || date[4] != '-') return false;
  const std::string month(date);
  const int32_t start = DayNumber(month + "-01");
  if (start == IndexedDoc::kUnknownDay) return false;
  // The next month's first day, minus one.
  int y = std::stoi(month.substr(0, 4)), m = std::stoi(month.substr(5, 2)) + 1;
  if (m == 13) {
    m = 1;
    ++y;
  }
  char next[48];
  std::snprintf(next, sizeof next, "%04d-%02d-01", y, m);
  *first = start;
  *last = DayNumber(next) - 1;
  return true;
}

std::vector<PositionedNgram> NgramsWithPositions(const std::vector<Token>& tokens) {
  std::vector<PositionedNgram> out;
  if (tokens.size() < kNgramLength) return out;
  out.reserve(tokens.size());
  for (size_t i = 0; i + kNgramLength <= tokens.size(); ++i) {
    if (!UsableAt(tokens, i)) continue;
    out.push_back({static_cast<uint32_t>(NgramHash(tokens, i, kNgramLength)), static_cast<uint32_t>(i)});
  }
  return out;
}

std::vector<uint32_t> NgramSet(const std::vector<Token>& tokens) {
  std::vector<uint32_t> out;
  for (const PositionedNgram& g : NgramsWithPositions(tokens)) out.push_back(g.hash);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

uint32_t NgramIndex::Add(const IndexedDoc& doc, const std::vector<uint32_t>& ngrams) {
  const auto slot = static_cast<uint32_t>(docs_.size());
  docs_.push_back(doc);
  slot_of_docno_[doc.docno] = slot;
  for (uint32_t g : ngrams) delta_[g].push_back(slot);
  delta_postings_ += ngrams.size();
  return slot;
}

uint32_t NgramIndex::AddForBulk(const IndexedDoc& doc, const std::vector<uint32_t>& ngrams) {
  const auto slot = static_cast<uint32_t>(docs_.size());
  docs_.push_back(doc);
  slot_of_docno_[doc.docno] = slot;
  for (uint32_t g : ngrams) bulk_.emplace_back(g, slot);
  return slot;
}

void NgramIndex::Compact() {
  if (delta_.empty() && bulk_.empty()) return;
  std::vector<std::pair<uint32_t, uint32_t>> pairs = std::move(bulk_);
  bulk_.clear();
  pairs.reserve(pairs.size() + base_postings_.size() + delta_postings_);
  for (size_t k = 0; k < base_keys_.size(); ++k) {
    for (uint64_t p = base_offsets_[k]; p < base_offsets_[k + 1]; ++p)
      pairs.emplace_back(base_keys_[k], base_postings_[p]);
  }
  for (auto& [key, slots] : delta_) {
    for (uint32_t s : slots) pairs.emplace_back(key, s);
  }
  delta_.clear();
  delta_postings_ = 0;
  std::sort(pairs.begin(), pairs.end());
  base_keys_.clear();
  base_offsets_.clear();
  base_postings_.clear();
  base_postings_.reserve(pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i == 0 || pairs[i].first != pairs[i - 1].first) {
      base_keys_.push_back(pairs[i].first);
      base_offsets_.push_back(base_postings_.size());
    }
    base_postings_.push_back(pairs[i].second);
  }
  base_offsets_.push_back(base_postings_.size());
  base_keys_.shrink_to_fit();
  base_offsets_.shrink_to_fit();
}

void NgramIndex::MaybeCompact() {
  if (delta_postings_ > std::max<size_t>(size_t{1} << 20, base_postings_.size())) Compact();
}

template <typename F>
void NgramIndex::ForEachPosting(uint32_t ngram, F&& f) const {
  auto it = std::lower_bound(base_keys_.begin(), base_keys_.end(), ngram);
  if (it != base_keys_.end() && *it == ngram) {
    const size_t k = static_cast<size_t>(it - base_keys_.begin());
    for (uint64_t p = base_offsets_[k]; p < base_offsets_[k + 1]; ++p) f(base_postings_[p]);
  }
  auto d = delta_.find(ngram);
  if (d != delta_.end()) {
    for (uint32_t s : d->second) f(s);
  }
}

size_t NgramIndex::DocFrequency(uint32_t ngram) const {
  size_t n = 0;
  auto it = std::lower_bound(base_keys_.begin(), base_keys_.end(), ngram);
  if (it != base_keys_.end() && *it == ngram) {
    const size_t k = static_cast<size_t>(it - base_keys_.begin());
    n += base_offsets_[k + 1] - base_offsets_[k];
  }
  auto d = delta_.find(ngram);
  if (d != delta_.end()) n += d->second.size();
  return n;
}

int64_t NgramIndex::SlotOf(int64_t docno) const {
  auto it = slot_of_docno_.find(docno);
  return it == slot_of_docno_.end() ? -1 : it->second;
}

std::vector<Candidate> NgramIndex::Candidates(const std::vector<uint32_t>& query_ngrams,
                                              const CandidateOptions& options) const {
  std::vector<std::pair<size_t, uint32_t>> by_rarity;  // (df, ngram)
  by_rarity.reserve(query_ngrams.size());
  for (uint32_t g : query_ngrams) {
    const size_t df = DocFrequency(g);
    if (df > 0 && df <= options.max_df) by_rarity.emplace_back(df, g);
  }
  std::sort(by_rarity.begin(), by_rarity.end());
  by_rarity.erase(std::unique(by_rarity.begin(), by_rarity.end()), by_rarity.end());
  if (by_rarity.size() > options.max_probes) by_rarity.resize(options.max_probes);
  std::unordered_map<uint32_t, uint32_t> shared;
  shared.reserve(std::min<size_t>(options.posting_budget, 1 << 16));
  size_t read = 0, probes = 0;
  for (const auto& [df, g] : by_rarity) {
    if (probes >= options.min_probes && read + df > options.posting_budget) break;
    read += df;
    ++probes;
    ForEachPosting(g, [&](uint32_t slot) {
      const IndexedDoc& doc = docs_[slot];
      if (doc.docno == options.exclude_docno) return;
      if (options.state_media_only && !doc.state_media) return;
      if (doc.day != IndexedDoc::kUnknownDay && doc.day > options.last_day) return;
      if (doc.day != IndexedDoc::kUnknownDay && doc.day < options.first_day) return;
      ++shared[slot];
    });
  }
  std::vector<Candidate> out;
  out.reserve(shared.size());
  for (const auto& [slot, n] : shared) out.push_back({slot, n});
  std::sort(out.begin(), out.end(), [&](const Candidate& a, const Candidate& b) {
    if (a.shared != b.shared) return a.shared > b.shared;
    return docs_[a.slot].day != docs_[b.slot].day ? docs_[a.slot].day < docs_[b.slot].day : a.slot < b.slot;
  });
  if (out.size() > options.max_candidates) out.resize(options.max_candidates);
  return out;
}

}  // namespace echotrace

#include "link/ngram_index.h"

#include <fcntl.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "lexicon/calendar.h"

namespace echotrace {
namespace {

bool UsableAt(const std::vector<MatchToken>& tokens, size_t i) {
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

std::vector<PositionedNgram> NgramsWithPositions(const std::vector<MatchToken>& tokens) {
  std::vector<PositionedNgram> out;
  if (tokens.size() < kNgramLength) return out;
  out.reserve(tokens.size());
  for (size_t i = 0; i + kNgramLength <= tokens.size(); ++i) {
    if (!UsableAt(tokens, i)) continue;
    out.push_back({static_cast<uint32_t>(NgramHash(tokens, i, kNgramLength)), static_cast<uint32_t>(i)});
  }
  return out;
}

std::vector<uint32_t> NgramSet(const std::vector<MatchToken>& tokens) {
  std::vector<uint32_t> out;
  for (const PositionedNgram& g : NgramsWithPositions(tokens)) out.push_back(g.hash);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

NgramIndex::NgramIndex() = default;
NgramIndex::~NgramIndex() = default;

namespace {

constexpr const char* kManifest = "MANIFEST";
constexpr const char* kManifestHead = "echotrace-ngram-index 1";

std::string SegmentName(uint64_t n) {
  char name[32];
  std::snprintf(name, sizeof name, "seg-%08llu.ngs", static_cast<unsigned long long>(n));
  return name;
}

std::string HashHex(std::string_view text) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(XXH3_64bits(text.data(), text.size())));
  return hex;
}

struct Manifest {
  int64_t mark = 0;
  uint64_t next_file = 1;
  struct Entry {
    std::string name;
    uint64_t first = 0, count = 0;
  };
  std::vector<Entry> segments;
};

Result<Manifest> ReadManifest(const std::filesystem::path& dir) {
  const std::filesystem::path path = dir / kManifest;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!std::filesystem::exists(path)) return Status::NotFound("no n-gram index in " + dir.string());
    return Status::IOError("cannot read " + path.string());
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto corrupt = [&](const std::string& why) { return Status::Corrupt("n-gram index " + path.string() + ": " + why); };
  const size_t end = text.rfind("end ");
  if (end == std::string::npos || (end > 0 && text[end - 1] != '\n')) return corrupt("truncated (no end line)");
  std::string want = text.substr(end + 4);
  while (!want.empty() && (want.back() == '\n' || want.back() == '\r')) want.pop_back();
  if (want != HashHex(std::string_view(text).substr(0, end))) return corrupt("checksum mismatch");
  std::istringstream lines(text.substr(0, end));
  std::string line;
  if (!std::getline(lines, line) || line != kManifestHead) return corrupt("not an n-gram index of this format");
  Manifest m;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string word;
    words >> word;
    if (word == "mark") {
      words >> m.mark;
    } else if (word == "next") {
      words >> m.next_file;
    } else if (word == "segment") {
      Manifest::Entry e;
      words >> e.name >> e.first >> e.count;
      if (e.name.find('/') != std::string::npos) return corrupt("bad segment name");
      m.segments.push_back(e);
    } else if (!word.empty()) {
      return corrupt("unknown line '" + line + "'");
    }
    if (words.fail()) return corrupt("malformed line '" + line + "'");
  }
  return m;
}

Status SyncDir(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::IOError("cannot open " + dir.string() + ": " + std::strerror(errno));
  const int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : Status::IOError("cannot sync " + dir.string() + ": " + std::strerror(errno));
}

}  // namespace

Result<std::unique_ptr<NgramIndex>> NgramIndex::Open(const std::string& dir, bool writable) {
  // A reader may race a writer that merges and removes segments between
  // reading the MANIFEST and opening them: read it again (a few times).
  Status last = Status::Ok();
  for (int attempt = 0; attempt < 5; ++attempt) {
    ET_ASSIGN_OR_RETURN(Manifest m, ReadManifest(dir));
    std::unique_ptr<NgramIndex> index(new NgramIndex());
    index->dir_ = dir;
    index->writable_ = writable;
    index->mark_ = m.mark;
    index->next_file_ = m.next_file;
    bool vanished = false;
    for (const Manifest::Entry& e : m.segments) {
      const std::string path = (std::filesystem::path(dir) / e.name).string();
      Result<std::shared_ptr<const NgramSegment>> seg = NgramSegment::Open(path);
      if (!seg.ok()) {
        if (!writable && !std::filesystem::exists(path)) {
          vanished = true;
          last = seg.status();
          break;
        }
        return seg.status();
      }
      if ((*seg)->first_slot() != index->docs_.size() || e.first != index->docs_.size() ||
          (*seg)->doc_count() != e.count) {
        return Status::Corrupt("n-gram index " + dir + ": segment " + e.name + " does not continue the slots");
      }
      if (writable) ET_RETURN_IF_ERROR((*seg)->Verify());
      for (uint32_t i = 0; i < (*seg)->doc_count(); ++i) {
        const IndexedDoc d = (*seg)->doc(i);
        if (!index->docs_.empty() && d.docno <= index->docs_.back().docno) index->docnos_ascending_ = false;
        index->docs_.push_back(d);
      }
      index->segments_.push_back(std::move(seg).value());
    }
    if (vanished) continue;
    if (!index->docnos_ascending_) {
      for (uint32_t slot = 0; slot < index->docs_.size(); ++slot)
        index->slot_of_docno_[index->docs_[slot].docno] = slot;
    }
    index->pending_first_ = static_cast<uint32_t>(index->docs_.size());
    if (writable) {
      // Leftovers of a killed writer: temporary files, segments not listed.
      std::set<std::string> listed;
      for (const Manifest::Entry& e : m.segments) listed.insert(e.name);
      std::error_code ec;
      for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name != kManifest && listed.count(name) == 0) std::filesystem::remove(entry.path(), ec);
      }
    }
    return index;
  }
  return last;
}

Result<std::unique_ptr<NgramIndex>> NgramIndex::Create(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create " + dir + ": " + ec.message());
  std::unique_ptr<NgramIndex> index(new NgramIndex());
  index->dir_ = dir;
  index->writable_ = true;
  if (auto old = ReadManifest(dir); old.ok()) index->next_file_ = old->next_file;  // names never reused
  ET_RETURN_IF_ERROR(index->WriteManifest());
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().filename() != kManifest) std::filesystem::remove(entry.path(), ec);
  }
  return index;
}

uint32_t NgramIndex::AddDoc(const IndexedDoc& doc, const std::vector<uint32_t>& ngrams,
                            const std::vector<uint64_t>& lsh_keys) {
  const auto slot = static_cast<uint32_t>(docs_.size());
  if (!docs_.empty() && doc.docno <= docs_.back().docno && docnos_ascending_) {
    docnos_ascending_ = false;
    for (uint32_t s = 0; s < docs_.size(); ++s) slot_of_docno_[docs_[s].docno] = s;
  }
  docs_.push_back(doc);
  if (!docnos_ascending_) slot_of_docno_[doc.docno] = slot;
  set_values_.insert(set_values_.end(), ngrams.begin(), ngrams.end());
  set_offsets_.push_back(set_values_.size());
  for (uint64_t key : lsh_keys) pending_lsh_.Add(key, slot);
  return slot;
}

uint32_t NgramIndex::Add(const IndexedDoc& doc, const std::vector<uint32_t>& ngrams,
                         const std::vector<uint64_t>& lsh_keys) {
  const uint32_t slot = AddDoc(doc, ngrams, lsh_keys);
  for (uint32_t g : ngrams) delta_.Add(g, slot);
  delta_postings_ += ngrams.size();
  return slot;
}

uint32_t NgramIndex::AddForBulk(const IndexedDoc& doc, const std::vector<uint32_t>& ngrams,
                                const std::vector<uint64_t>& lsh_keys) {
  const uint32_t slot = AddDoc(doc, ngrams, lsh_keys);
  for (uint32_t g : ngrams) bulk_.emplace_back(g, slot);
  return slot;
}

void NgramIndex::Compact() {
  if (delta_.empty() && bulk_.empty()) return;
  // Only the new postings are sorted; they are merged with the base, whose
  // slots are all lower (slots are handed out in ascending order), so each
  // key's list stays ascending: the base's postings, then the new ones.
  std::vector<std::pair<uint32_t, uint32_t>> fresh = std::move(bulk_);
  bulk_.clear();
  fresh.reserve(fresh.size() + delta_postings_);
  delta_.ForEachPosting([&](uint32_t key, uint32_t s) { fresh.emplace_back(key, s); });
  delta_.Clear();
  delta_postings_ = 0;
  std::sort(fresh.begin(), fresh.end());
  std::vector<uint32_t> keys, postings;
  std::vector<uint64_t> offsets;
  keys.reserve(base_keys_.size() + fresh.size());
  offsets.reserve(base_keys_.size() + fresh.size() + 1);
  postings.reserve(base_postings_.size() + fresh.size());
  size_t k = 0, f = 0;
  while (k < base_keys_.size() || f < fresh.size()) {
    const uint32_t key =
        f == fresh.size() || (k < base_keys_.size() && base_keys_[k] < fresh[f].first) ? base_keys_[k] : fresh[f].first;
    keys.push_back(key);
    offsets.push_back(postings.size());
    if (k < base_keys_.size() && base_keys_[k] == key) {
      postings.insert(postings.end(), base_postings_.begin() + static_cast<std::ptrdiff_t>(base_offsets_[k]),
                      base_postings_.begin() + static_cast<std::ptrdiff_t>(base_offsets_[k + 1]));
      ++k;
    }
    for (; f < fresh.size() && fresh[f].first == key; ++f) postings.push_back(fresh[f].second);
  }
  offsets.push_back(postings.size());
  keys.shrink_to_fit();
  base_keys_ = std::move(keys);
  base_offsets_ = std::move(offsets);
  base_postings_ = std::move(postings);
}

std::pair<uint64_t, uint64_t> NgramIndex::BaseRange(uint32_t ngram) const {
  // The keys are hashes: searched as a segment's are (ngram_segment.h).
  const size_t k = LowerBoundOfHash(std::span<const uint32_t>(base_keys_), ngram);
  if (k == base_keys_.size() || base_keys_[k] != ngram) return {0, 0};
  return {base_offsets_[k], base_offsets_[k + 1]};
}

void NgramIndex::MaybeCompact() {
  if (delta_postings_ > std::max<size_t>(size_t{1} << 20, base_postings_.size())) Compact();
}

Status NgramIndex::WriteManifest() const {
  std::string text = std::string(kManifestHead) + "\n";
  text += "mark " + std::to_string(mark_) + "\n";
  text += "next " + std::to_string(next_file_) + "\n";
  uint64_t first = 0;
  for (const auto& seg : segments_) {
    text += "segment " + std::filesystem::path(seg->path()).filename().string() + " " + std::to_string(first) + " " +
            std::to_string(seg->doc_count()) + "\n";
    first += seg->doc_count();
  }
  text += "end " + HashHex(text) + "\n";
  const std::filesystem::path dir(dir_);
  const std::string tmp = (dir / (std::string(kManifest) + ".tmp")).string();
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return WriteFailure("cannot create", tmp, errno);
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool synced = written && ::fsync(fd) == 0;
  ::close(fd);
  if (!synced || ::rename(tmp.c_str(), (dir / kManifest).c_str()) != 0) {
    const Status s = WriteFailure("cannot write", tmp, errno);
    ::unlink(tmp.c_str());
    return s;
  }
  return SyncDir(dir);
}

Status NgramIndex::MergeTail() {
  const size_t n = segments_.size();
  const std::string path = (std::filesystem::path(dir_) / SegmentName(next_file_++)).string();
  ET_RETURN_IF_ERROR(MergeSegments(*segments_[n - 2], *segments_[n - 1], path));
  ET_ASSIGN_OR_RETURN(std::shared_ptr<const NgramSegment> merged, NgramSegment::Open(path));
  obsolete_.push_back(segments_[n - 2]->path());
  obsolete_.push_back(segments_[n - 1]->path());
  segments_.resize(n - 2);
  segments_.push_back(std::move(merged));
  return Status::Ok();
}

Status NgramIndex::Flush(int64_t mark) {
  if (dir_.empty() || !writable_) return Status::Usage("Flush needs an on-disk index opened writable");
  const std::vector<std::shared_ptr<const NgramSegment>> before = segments_;
  const uint64_t next_before = next_file_;
  auto body = [&]() -> Status {
    if (pending_docs() > 0) {
      Compact();
      SegmentData data;
      data.first_slot = pending_first_;
      data.docs.assign(docs_.begin() + pending_first_, docs_.end());
      data.keys = base_keys_;
      data.offsets.reserve(base_offsets_.size());
      for (uint64_t o : base_offsets_) data.offsets.push_back(static_cast<uint32_t>(o));
      if (data.offsets.empty()) data.offsets.push_back(0);
      data.postings = base_postings_;
      for (uint64_t o : set_offsets_) data.set_offsets.push_back(static_cast<uint32_t>(o));
      data.set_values = set_values_;
      std::vector<std::pair<uint64_t, uint32_t>> lsh;
      lsh.reserve(pending_lsh_.postings());
      pending_lsh_.ForEachPosting([&](uint64_t key, uint32_t slot) { lsh.emplace_back(key, slot); });
      std::sort(lsh.begin(), lsh.end());
      for (const auto& [key, slot] : lsh) {
        data.lsh_keys.push_back(key);
        data.lsh_slots.push_back(slot);
      }
      const std::string path = (std::filesystem::path(dir_) / SegmentName(next_file_++)).string();
      ET_RETURN_IF_ERROR(WriteSegment(path, data));
      ET_ASSIGN_OR_RETURN(std::shared_ptr<const NgramSegment> seg, NgramSegment::Open(path));
      segments_.push_back(std::move(seg));
      // The older of the last two holds no more documents than the newer: merge them.
      while (segments_.size() >= 2 && segments_[segments_.size() - 2]->doc_count() <= segments_.back()->doc_count()) {
        ET_RETURN_IF_ERROR(MergeTail());
      }
    }
    const int64_t mark_before = mark_;
    mark_ = mark;
    const Status written = WriteManifest();
    if (!written.ok()) mark_ = mark_before;
    return written;
  };
  const Status status = body();
  if (!status.ok()) {
    // The MANIFEST on disk still lists the old segments: keep them and the pending documents.
    std::error_code ec;
    for (const auto& seg : segments_) {
      if (std::find(before.begin(), before.end(), seg) == before.end()) std::filesystem::remove(seg->path(), ec);
    }
    segments_ = before;
    next_file_ = std::max(next_file_, next_before);
    obsolete_.clear();
    return status;
  }
  std::error_code ec;
  for (const std::string& path : obsolete_) std::filesystem::remove(path, ec);
  obsolete_.clear();
  // The pending part is on disk now.
  pending_first_ = static_cast<uint32_t>(docs_.size());
  base_keys_.clear();
  base_offsets_.clear();
  base_postings_.clear();
  base_keys_.shrink_to_fit();
  base_offsets_.shrink_to_fit();
  base_postings_.shrink_to_fit();
  delta_.Clear();
  delta_postings_ = 0;
  bulk_.clear();
  bulk_.shrink_to_fit();
  set_offsets_.assign(1, 0);
  set_values_.clear();
  set_values_.shrink_to_fit();
  pending_lsh_.Clear();
  return Status::Ok();
}

void NgramIndex::ReleaseMemory() const {
  for (const auto& seg : segments_) seg->Release();
}

size_t NgramIndex::postings() const {
  size_t n = base_postings_.size() + delta_postings_;
  for (const auto& seg : segments_) n += seg->posting_count();
  return n;
}

std::span<const uint32_t> NgramIndex::NgramsOf(uint32_t slot) const {
  if (slot >= docs_.size()) return {};
  if (slot >= pending_first_) {
    const size_t i = slot - pending_first_;
    return std::span<const uint32_t>(set_values_).subspan(set_offsets_[i], set_offsets_[i + 1] - set_offsets_[i]);
  }
  auto it = std::upper_bound(segments_.begin(), segments_.end(), slot,
                             [](uint32_t s, const auto& seg) { return s < seg->first_slot(); });
  if (it == segments_.begin()) return {};
  const NgramSegment& seg = **(it - 1);
  return seg.Set(slot - seg.first_slot());
}

template <typename F>
void NgramIndex::ForEachPosting(uint32_t ngram, F&& f) const {
  for (const auto& seg : segments_) {
    seg->ForEachPosting(ngram, f);
  }
  const auto [first, last] = BaseRange(ngram);
  for (uint64_t p = first; p < last; ++p) f(base_postings_[p]);
  delta_.ForEach(ngram, f);
}

size_t NgramIndex::DocFrequency(uint32_t ngram) const {
  size_t n = 0;
  for (const auto& seg : segments_) n += seg->PostingCount(ngram);
  const auto [first, last] = BaseRange(ngram);
  n += last - first;
  n += delta_.Count(ngram);
  return n;
}

int64_t NgramIndex::SlotOf(int64_t docno) const {
  if (docnos_ascending_) {
    auto it =
        std::lower_bound(docs_.begin(), docs_.end(), docno, [](const IndexedDoc& d, int64_t n) { return d.docno < n; });
    return it != docs_.end() && it->docno == docno ? static_cast<int64_t>(it - docs_.begin()) : -1;
  }
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
  // The slots each probed posting list passes, counted after a sort (a
  // hash map reserved for the budget cost more than the probes it counts).
  std::vector<uint32_t> hits;
  size_t read = 0, probes = 0;
  for (const auto& [df, g] : by_rarity) {
    if (probes >= options.min_probes && read + df > options.posting_budget) break;
    read += df;
    ++probes;
    ForEachPosting(g, [&](uint32_t slot) {
      if (slot >= docs_.size()) return;  // a damaged segment
      const IndexedDoc& doc = docs_[slot];
      if (doc.docno == options.exclude_docno) return;
      if (options.state_media_only && !doc.state_media) return;
      if (doc.day != IndexedDoc::kUnknownDay && doc.day > options.last_day) return;
      if (doc.day != IndexedDoc::kUnknownDay && doc.day < options.first_day) return;
      hits.push_back(slot);
    });
  }
  std::sort(hits.begin(), hits.end());
  std::vector<Candidate> out;
  for (size_t i = 0; i < hits.size();) {
    size_t j = i + 1;
    while (j < hits.size() && hits[j] == hits[i]) ++j;
    out.push_back({hits[i], static_cast<uint32_t>(j - i)});
    i = j;
  }
  // A total order (the slot breaks ties), so the first max_candidates are those of a full sort.
  auto before = [&](const Candidate& a, const Candidate& b) {
    if (a.shared != b.shared) return a.shared > b.shared;
    return docs_[a.slot].day != docs_[b.slot].day ? docs_[a.slot].day < docs_[b.slot].day : a.slot < b.slot;
  };
  if (out.size() > options.max_candidates) {
    std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(options.max_candidates), out.end(),
                      before);
    out.resize(options.max_candidates);
  } else {
    std::sort(out.begin(), out.end(), before);
  }
  return out;
}

}  // namespace echotrace

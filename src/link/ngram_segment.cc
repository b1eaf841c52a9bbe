#include "link/ngram_segment.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <limits>

namespace echotrace {
namespace {

static_assert(std::endian::native == std::endian::little, "the segment format is written in host order: little-endian");

constexpr char kMagic[8] = {'E', 'T', 'N', 'G', 'S', 'E', 'G', '1'};
// 2: postings as an inline slot or a varint-gap list (1: 4-byte slots).
constexpr uint32_t kVersion = 2;
constexpr uint64_t kHeaderSize = 128;
constexpr uint64_t kDocBytes = 16;
constexpr uint32_t kStateFlag = 1;

struct Header {
  char magic[8];
  uint32_t version;
  uint32_t header_size;
  uint64_t first_slot;
  uint64_t docs, keys, postings, set_values, lsh;
  uint64_t file_size;
  uint64_t content_hash;
  uint64_t posting_bytes;
  uint64_t reserved[4];
  uint64_t header_hash;  // XXH3 of the bytes before it
};
static_assert(sizeof(Header) == kHeaderSize, "the header is 128 bytes");

struct Layout {
  uint64_t docs, keys, entries, set_offsets, set_values, lsh_keys, lsh_slots, postings, end;
};

uint64_t Align8(uint64_t x) { return (x + 7) & ~uint64_t{7}; }

// Where each section starts, from the counts (b: bytes of posting lists).
Layout LayoutOf(uint64_t d, uint64_t k, uint64_t v, uint64_t l, uint64_t b) {
  Layout at;
  at.docs = kHeaderSize;
  at.keys = Align8(at.docs + d * kDocBytes);
  at.entries = Align8(at.keys + k * 4);
  at.set_offsets = Align8(at.entries + k * 4);
  at.set_values = Align8(at.set_offsets + (d + 1) * 4);
  at.lsh_keys = Align8(at.set_values + v * 4);
  at.lsh_slots = Align8(at.lsh_keys + l * 8);
  at.postings = Align8(at.lsh_slots + l * 4);
  at.end = Align8(at.postings + b);
  return at;
}

constexpr uint32_t kInline = 0x80000000u;  // NgramSegment::kInlinePosting
constexpr uint64_t kMaxPostingBytes = kInline - 1;

// Encodes one key's postings (ascending global slots): its entry, and the
// list's bytes appended to *bytes unless it is one posting, inlined.
// `next(&slot)` yields the slots in order, false at the end.
template <typename Next>
uint32_t EncodeList(uint32_t first_slot, size_t count, Next&& next, std::string* bytes) {
  uint32_t slot = 0;
  if (count == 1) {
    next(&slot);
    return kInline | (slot - first_slot);
  }
  const auto entry = static_cast<uint32_t>(bytes->size());
  PutVarint(count, bytes);
  uint32_t previous = first_slot;
  while (next(&slot)) {
    PutVarint(slot - previous, bytes);
    previous = slot;
  }
  return entry;
}

Status Errno(const std::string& what, const std::string& path) { return WriteFailure(what, path, errno); }

// Appends to a new file through a buffer, hashing what it writes; the
// header goes in last, at offset 0.
class FileWriter {
 public:
  ~FileWriter() {
    if (fd_ >= 0) {
      ::close(fd_);
      ::unlink(tmp_.c_str());
    }
    if (state_ != nullptr) XXH3_freeState(state_);
  }
  Status Open(const std::string& path) {
    path_ = path;
    tmp_ = path + ".tmp";
    fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) return Errno("cannot create", tmp_);
    state_ = XXH3_createState();
    if (state_ == nullptr || XXH3_64bits_reset(state_) != XXH_OK) return Status::Internal("xxhash state");
    buffer_.resize(kBuffer);
    pos_ = kHeaderSize;
    if (::lseek(fd_, static_cast<off_t>(kHeaderSize), SEEK_SET) < 0) return Errno("cannot seek in", tmp_);
    return Status::Ok();
  }
  void Append(const void* data, size_t n) {
    const auto* p = static_cast<const char*>(data);
    pos_ += n;
    while (n > 0) {
      const size_t take = std::min(n, kBuffer - used_);
      std::memcpy(buffer_.data() + used_, p, take);
      used_ += take;
      p += take;
      n -= take;
      if (used_ == kBuffer) Drain();
    }
  }
  template <typename T>
  void Put(T value) {
    Append(&value, sizeof value);
  }
  template <typename T>
  void PutAll(std::span<const T> values) {
    Append(values.data(), values.size() * sizeof(T));
  }
  // Zero bytes up to the section start `at`.
  void PadTo(uint64_t at) {
    static const char kZeros[8] = {};
    if (at > pos_) Append(kZeros, at - pos_);
  }
  uint64_t pos() const { return pos_; }
  Status Finish(Header header) {
    Drain();
    if (!status_.ok()) return status_;
    header.content_hash = XXH3_64bits_digest(state_);
    header.file_size = pos_;
    header.header_hash = XXH3_64bits(&header, offsetof(Header, header_hash));
    if (::pwrite(fd_, &header, sizeof header, 0) != static_cast<ssize_t>(sizeof header)) {
      return Errno("cannot write", tmp_);
    }
    if (::fsync(fd_) != 0) return Errno("cannot sync", tmp_);
    if (::close(fd_) != 0) {
      fd_ = -1;
      return Errno("cannot close", tmp_);
    }
    fd_ = -1;
    if (::rename(tmp_.c_str(), path_.c_str()) != 0) return Errno("cannot rename", tmp_);
    return Status::Ok();
  }

 private:
  static constexpr size_t kBuffer = 1 << 20;
  void Drain() {
    XXH3_64bits_update(state_, buffer_.data(), used_);
    size_t done = 0;
    while (status_.ok() && done < used_) {
      const ssize_t w = ::write(fd_, buffer_.data() + done, used_ - done);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        status_ = Errno("cannot write", tmp_);
        break;
      }
      done += static_cast<size_t>(w);
    }
    used_ = 0;
  }

  std::string path_, tmp_;
  int fd_ = -1;
  XXH3_state_t* state_ = nullptr;
  std::vector<char> buffer_;
  size_t used_ = 0;
  uint64_t pos_ = 0;
  Status status_ = Status::Ok();
};

Header MakeHeader(uint64_t first_slot, uint64_t d, uint64_t k, uint64_t p, uint64_t v, uint64_t l, uint64_t b) {
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = kVersion;
  h.header_size = kHeaderSize;
  h.first_slot = first_slot;
  h.docs = d;
  h.keys = k;
  h.postings = p;
  h.set_values = v;
  h.lsh = l;
  h.posting_bytes = b;
  return h;
}

Status CheckLimits(uint64_t first_slot, uint64_t d, uint64_t k, uint64_t p, uint64_t v, uint64_t l, uint64_t b) {
  constexpr uint64_t kMax = std::numeric_limits<uint32_t>::max() - 1;
  if (first_slot + d > kMax || k > kMax || p > kMax || v > kMax || l > kMax || d > kMaxPostingBytes ||
      b > kMaxPostingBytes) {
    return Status::Internal("n-gram index segment over its format's limits (2^32 entries, 2^31 documents or bytes)");
  }
  return Status::Ok();
}

void PutDoc(FileWriter* w, const IndexedDoc& doc) {
  w->Put<int64_t>(doc.docno);
  w->Put<int32_t>(doc.day);
  w->Put<uint32_t>(doc.state_media ? kStateFlag : 0);
}

// Reads every `kEvery` steps of a streaming pass: drops the inputs' pages
// from the resident set, so a merge of large segments stays small in RSS.
class Releaser {
 public:
  Releaser(const NgramSegment& a, const NgramSegment& b) : a_(a), b_(b) {}
  void Step() {
    if (++n_ % kEvery == 0) {
      a_.Release();
      b_.Release();
    }
  }

 private:
  static constexpr uint64_t kEvery = 1 << 20;
  const NgramSegment& a_;
  const NgramSegment& b_;
  uint64_t n_ = 0;
};

}  // namespace

Result<std::shared_ptr<const NgramSegment>> NgramSegment::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open", path);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const Status s = Errno("cannot stat", path);
    ::close(fd);
    return s;
  }
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size < kHeaderSize) {
    ::close(fd);
    return Status::Corrupt("n-gram index segment " + path + " is truncated (" + std::to_string(size) + " bytes)");
  }
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return Errno("cannot map", path);
  std::shared_ptr<NgramSegment> seg(new NgramSegment());
  seg->path_ = path;
  seg->base_ = static_cast<const unsigned char*>(map);
  seg->size_ = size;
  Header h;
  std::memcpy(&h, seg->base_, sizeof h);
  auto corrupt = [&](const std::string& why) { return Status::Corrupt("n-gram index segment " + path + ": " + why); };
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) return corrupt("not a segment file (bad magic)");
  if (XXH3_64bits(&h, offsetof(Header, header_hash)) != h.header_hash) return corrupt("header checksum mismatch");
  if (h.version != kVersion || h.header_size != kHeaderSize) {
    return corrupt("format version " + std::to_string(h.version) + ", this build reads " + std::to_string(kVersion));
  }
  if (CheckLimits(h.first_slot, h.docs, h.keys, h.postings, h.set_values, h.lsh, h.posting_bytes).ok() == false) {
    return corrupt("counts out of range");
  }
  const Layout at = LayoutOf(h.docs, h.keys, h.set_values, h.lsh, h.posting_bytes);
  if (h.file_size != size || at.end != size) {
    return corrupt("truncated or padded: " + std::to_string(size) + " bytes, header says " +
                   std::to_string(h.file_size));
  }
  seg->content_hash_ = h.content_hash;
  seg->first_slot_ = static_cast<uint32_t>(h.first_slot);
  seg->docs_count_ = h.docs;
  seg->docs_ = seg->base_ + at.docs;
  auto u32 = [&](uint64_t off, uint64_t n) {
    return std::span<const uint32_t>(reinterpret_cast<const uint32_t*>(seg->base_ + off), n);
  };
  seg->keys_ = u32(at.keys, h.keys);
  seg->entries_ = u32(at.entries, h.keys);
  seg->posting_count_ = h.postings;
  seg->posting_bytes_ = std::string_view(reinterpret_cast<const char*>(seg->base_ + at.postings), h.posting_bytes);
  seg->set_offsets_ = u32(at.set_offsets, h.docs + 1);
  seg->set_values_ = u32(at.set_values, h.set_values);
  seg->lsh_keys_ = std::span<const uint64_t>(reinterpret_cast<const uint64_t*>(seg->base_ + at.lsh_keys), h.lsh);
  seg->lsh_slots_ = u32(at.lsh_slots, h.lsh);
  return std::shared_ptr<const NgramSegment>(std::move(seg));
}

NgramSegment::~NgramSegment() {
  if (base_ != nullptr) ::munmap(const_cast<unsigned char*>(base_), size_);
}

Status NgramSegment::Verify() const {
  const uint64_t got = XXH3_64bits(base_ + kHeaderSize, size_ - kHeaderSize);
  Release();
  if (got != content_hash_) return Status::Corrupt("n-gram index segment " + path_ + ": content checksum mismatch");
  return Status::Ok();
}

void NgramSegment::Release() const { ::madvise(const_cast<unsigned char*>(base_), size_, MADV_DONTNEED); }

IndexedDoc NgramSegment::doc(uint32_t i) const {
  const unsigned char* p = docs_ + static_cast<uint64_t>(i) * kDocBytes;
  IndexedDoc d;
  int32_t day = 0;
  uint32_t flags = 0;
  std::memcpy(&d.docno, p, 8);
  std::memcpy(&day, p + 8, 4);
  std::memcpy(&flags, p + 12, 4);
  d.day = day;
  d.state_media = (flags & kStateFlag) != 0;
  return d;
}

size_t NgramSegment::PostingCount(uint32_t key) const {
  const size_t k = LowerBoundOfHash(keys_, key);
  if (k == keys_.size() || keys_[k] != key) return 0;
  const uint32_t entry = entries_[k];
  if ((entry & kInlinePosting) != 0) return 1;
  if (entry >= posting_bytes_.size()) return 0;
  ByteReader list(posting_bytes_.substr(entry));
  uint64_t count = 0;
  // Each posting takes a byte at least: a damaged count is clamped.
  return list.GetVarint(&count) ? static_cast<size_t>(std::min<uint64_t>(count, list.remaining())) : 0;
}

std::span<const uint32_t> NgramSegment::Set(uint32_t i) const {
  if (i >= docs_count_) return {};
  const uint64_t end = std::min<uint64_t>(set_offsets_[i + 1], set_values_.size());
  const uint64_t begin = std::min<uint64_t>(set_offsets_[i], end);
  return set_values_.subspan(begin, end - begin);
}

std::span<const uint32_t> NgramSegment::LshSlots(uint64_t key) const {
  const size_t lo = LowerBoundOfHash(lsh_keys_, key);
  size_t hi = lo;
  while (hi < lsh_keys_.size() && lsh_keys_[hi] == key) ++hi;  // linear, as is the caller's walk over them
  return lsh_slots_.subspan(lo, hi - lo);
}

Status WriteSegment(const std::string& path, const SegmentData& data) {
  const uint64_t d = data.docs.size(), k = data.keys.size(), p = data.postings.size(), v = data.set_values.size(),
                 l = data.lsh_keys.size();
  if (data.offsets.size() != k + 1 || data.set_offsets.size() != d + 1 || data.lsh_slots.size() != l) {
    return Status::Internal("n-gram segment: inconsistent section sizes");
  }
  ET_RETURN_IF_ERROR(CheckLimits(data.first_slot, d, k, p, v, l, 0));
  // The lists are encoded first: their size places nothing before them.
  std::string bytes;
  std::vector<uint32_t> entries(k);
  for (uint64_t i = 0; i < k; ++i) {
    const uint32_t begin = data.offsets[i], end = data.offsets[i + 1];
    if (end <= begin || end > p) return Status::Internal("n-gram segment: an empty or misplaced posting list");
    uint32_t at = begin;
    entries[i] = EncodeList(
        data.first_slot, end - begin,
        [&](uint32_t* slot) {
          if (at == end) return false;
          *slot = data.postings[at++];
          return true;
        },
        &bytes);
  }
  const uint64_t b = bytes.size();
  ET_RETURN_IF_ERROR(CheckLimits(data.first_slot, d, k, p, v, l, b));
  const Layout at = LayoutOf(d, k, v, l, b);
  FileWriter w;
  ET_RETURN_IF_ERROR(w.Open(path));
  for (const IndexedDoc& doc : data.docs) PutDoc(&w, doc);
  w.PadTo(at.keys);
  w.PutAll<uint32_t>(data.keys);
  w.PadTo(at.entries);
  w.PutAll<uint32_t>(entries);
  w.PadTo(at.set_offsets);
  w.PutAll<uint32_t>(data.set_offsets);
  w.PadTo(at.set_values);
  w.PutAll<uint32_t>(data.set_values);
  w.PadTo(at.lsh_keys);
  w.PutAll<uint64_t>(data.lsh_keys);
  w.PadTo(at.lsh_slots);
  w.PutAll<uint32_t>(data.lsh_slots);
  w.PadTo(at.postings);
  w.Append(bytes.data(), bytes.size());
  w.PadTo(at.end);
  return w.Finish(MakeHeader(data.first_slot, d, k, p, v, l, b));
}

Status MergeSegments(const NgramSegment& a, const NgramSegment& b, const std::string& path) {
  if (static_cast<uint64_t>(a.first_slot()) + a.doc_count() != b.first_slot()) {
    return Status::Internal("n-gram segments to merge are not adjacent");
  }
  Releaser release(a, b);
  // Walks the union of the keys in order: f(key, in a (index or -1), in b).
  auto walk_keys = [&](auto&& f) {
    const auto ka = a.keys(), kb = b.keys();
    size_t i = 0, j = 0;
    while (i < ka.size() || j < kb.size()) {
      release.Step();
      if (j == kb.size() || (i < ka.size() && ka[i] < kb[j])) {
        f(ka[i], static_cast<int64_t>(i), int64_t{-1});
        ++i;
      } else if (i == ka.size() || kb[j] < ka[i]) {
        f(kb[j], int64_t{-1}, static_cast<int64_t>(j));
        ++j;
      } else {
        f(ka[i], static_cast<int64_t>(i), static_cast<int64_t>(j));
        ++i;
        ++j;
      }
    }
  };
  uint64_t k = 0;
  walk_keys([&](uint32_t, int64_t, int64_t) { ++k; });
  const uint64_t d = uint64_t{a.doc_count()} + b.doc_count(), p = a.posting_count() + b.posting_count(),
                 v = a.set_values().size() + b.set_values().size(), l = a.lsh_keys().size() + b.lsh_keys().size();
  ET_RETURN_IF_ERROR(CheckLimits(a.first_slot(), d, k, p, v, l, 0));
  Layout at = LayoutOf(d, k, v, l, 0);  // the sections before the lists do not depend on their size
  FileWriter w;
  ET_RETURN_IF_ERROR(w.Open(path));
  for (uint32_t i = 0; i < a.doc_count(); ++i) PutDoc(&w, a.doc(i));
  for (uint32_t i = 0; i < b.doc_count(); ++i) PutDoc(&w, b.doc(i));
  w.PadTo(at.keys);
  walk_keys([&](uint32_t key, int64_t, int64_t) { w.Put<uint32_t>(key); });
  // A key's merged list: a's postings, then b's (all of b's slots follow a's).
  std::vector<uint32_t> list;
  auto merged = [&](int64_t i, int64_t j) {
    list.clear();
    const auto push = [&](uint32_t slot) { list.push_back(slot); };
    if (i >= 0) a.ForEachPostingAt(static_cast<size_t>(i), push);
    if (j >= 0) b.ForEachPostingAt(static_cast<size_t>(j), push);
  };
  // Entries: an inline slot or the offset its list will have.
  w.PadTo(at.entries);
  uint64_t bytes = 0, postings = 0;
  Status damaged = Status::Ok();
  walk_keys([&](uint32_t, int64_t i, int64_t j) {
    merged(i, j);
    postings += list.size();
    if (list.empty())
      damaged = Status::Corrupt("n-gram index segments " + a.path() + ", " + b.path() + ": a key without postings");
    if (list.size() == 1) {
      w.Put<uint32_t>(kInline | (list[0] - a.first_slot()));
      return;
    }
    w.Put<uint32_t>(static_cast<uint32_t>(std::min<uint64_t>(bytes, kMaxPostingBytes)));
    bytes += VarintLength(list.size());
    uint32_t previous = a.first_slot();
    for (const uint32_t slot : list) {
      bytes += VarintLength(slot - previous);
      previous = slot;
    }
  });
  ET_RETURN_IF_ERROR(damaged);
  if (postings != p) {
    return Status::Corrupt("n-gram index segments " + a.path() + ", " + b.path() + ": posting counts disagree");
  }
  ET_RETURN_IF_ERROR(CheckLimits(a.first_slot(), d, k, p, v, l, bytes));
  at = LayoutOf(d, k, v, l, bytes);
  w.PadTo(at.set_offsets);
  for (uint32_t i = 0; i < a.doc_count(); ++i) w.Put<uint32_t>(a.set_offsets()[i]);
  const auto shift = static_cast<uint32_t>(a.set_values().size());
  for (uint32_t i = 0; i <= b.doc_count(); ++i) w.Put<uint32_t>(b.set_offsets()[i] + shift);
  w.PadTo(at.set_values);
  w.PutAll<uint32_t>(a.set_values());
  w.PutAll<uint32_t>(b.set_values());
  w.PadTo(at.lsh_keys);
  // Band keys: a merge of two sorted runs; a's slots first on equal keys.
  auto walk_lsh = [&](auto&& f) {
    const auto ka = a.lsh_keys(), kb = b.lsh_keys();
    size_t i = 0, j = 0;
    while (i < ka.size() || j < kb.size()) {
      release.Step();
      if (j == kb.size() || (i < ka.size() && ka[i] <= kb[j])) {
        f(ka[i], a.lsh_slots()[i]);
        ++i;
      } else {
        f(kb[j], b.lsh_slots()[j]);
        ++j;
      }
    }
  };
  walk_lsh([&](uint64_t key, uint32_t) { w.Put<uint64_t>(key); });
  w.PadTo(at.lsh_slots);
  walk_lsh([&](uint64_t, uint32_t slot) { w.Put<uint32_t>(slot); });
  // The lists, as their entries placed them.
  w.PadTo(at.postings);
  std::string encoded;
  walk_keys([&](uint32_t, int64_t i, int64_t j) {
    merged(i, j);
    if (list.size() < 2) return;
    encoded.clear();
    size_t next = 0;
    EncodeList(
        a.first_slot(), list.size(),
        [&](uint32_t* slot) {
          if (next == list.size()) return false;
          *slot = list[next++];
          return true;
        },
        &encoded);
    w.Append(encoded.data(), encoded.size());
  });
  w.PadTo(at.end);
  a.Release();
  b.Release();
  if (w.pos() != at.end) return Status::Internal("n-gram segment merge: layout mismatch");
  return w.Finish(MakeHeader(a.first_slot(), d, k, p, v, l, bytes));
}

}  // namespace echotrace

// The on-disk n-gram index (link/ngram_index.h, link/ngram_segment.h): a
// round trip gives the answers of the in-memory index, incremental flushes
// merge into few segments, truncated or damaged files are refused, and a
// reader opening while a writer appends sees a published state; the
// segments' key search agrees with std::lower_bound.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "link/dedup.h"
#include "link/ngram_index.h"
#include "link/ngram_segment.h"
#include "test_util.h"

namespace echotrace {
namespace {

// A generated document: n-grams from a small vocabulary (so lists are
// shared), one n-gram every document has, a few of its own.
std::vector<uint32_t> Set(uint32_t doc, std::mt19937* rng) {
  std::vector<uint32_t> set = {7, 1000000 + doc};
  for (int i = 0; i < 40; ++i) set.push_back(100 + (*rng)() % 500);
  std::sort(set.begin(), set.end());
  set.erase(std::unique(set.begin(), set.end()), set.end());
  return set;
}

IndexedDoc Doc(uint32_t i) {
  return {static_cast<int64_t>(10 + 3 * i), static_cast<int32_t>(19000 + i % 50), i % 3 != 0};
}

// Every answer of `a` equals `b`'s for the first `docs` documents.
void ExpectSameAnswers(const NgramIndex& a, const NgramIndex& b, uint32_t docs) {
  ASSERT_EQ(a.docs().size(), docs);
  ASSERT_EQ(b.docs().size(), docs);
  EXPECT_EQ(a.postings(), b.postings());
  for (uint32_t slot = 0; slot < docs; ++slot) {
    EXPECT_EQ(a.docs()[slot].docno, b.docs()[slot].docno);
    EXPECT_EQ(a.docs()[slot].day, b.docs()[slot].day);
    EXPECT_EQ(a.docs()[slot].state_media, b.docs()[slot].state_media);
    EXPECT_EQ(a.SlotOf(b.docs()[slot].docno), slot);
    const auto x = a.NgramsOf(slot), y = b.NgramsOf(slot);
    ASSERT_TRUE(std::equal(x.begin(), x.end(), y.begin(), y.end())) << "slot " << slot;
  }
  for (uint32_t g : {7u, 100u, 350u, 599u, 1000000u, 1000005u, 42u}) EXPECT_EQ(a.DocFrequency(g), b.DocFrequency(g));
  CandidateOptions copt;
  copt.max_candidates = 50;
  copt.state_media_only = true;
  const std::vector<uint32_t> query = {7, 101, 205, 333, 1000003};
  const auto ca = a.Candidates(query, copt), cb = b.Candidates(query, copt);
  ASSERT_EQ(ca.size(), cb.size());
  for (size_t i = 0; i < ca.size(); ++i) {
    EXPECT_EQ(ca[i].slot, cb[i].slot);
    EXPECT_EQ(ca[i].shared, cb[i].shared);
  }
}

TEST(NgramIndexDisk, RoundTripGivesTheInMemoryAnswers) {
  testing::TempDir dir;
  const std::string path = dir / "ngrams";
  NgramIndex memory;
  std::mt19937 rng(5), rng2(5);
  {
    auto disk = NgramIndex::Create(path);
    ASSERT_TRUE(disk.ok()) << disk.status().ToString();
    for (uint32_t i = 0; i < 300; ++i) {
      const auto set = Set(i, &rng);
      memory.Add(Doc(i), set);
      (*disk)->Add(Doc(i), set, Deduper::BandKeysOf(set));
    }
    ASSERT_TRUE((*disk)->Flush(1234).ok());
    EXPECT_EQ((*disk)->pending_docs(), 0u);
    ExpectSameAnswers(**disk, memory, 300);
  }
  auto reader = NgramIndex::Open(path, false);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->mark(), 1234);
  EXPECT_EQ((*reader)->segment_count(), 1u);
  ExpectSameAnswers(**reader, memory, 300);
  // Band keys: a document finds itself under each of its keys.
  const auto keys = Deduper::BandKeysOf(Set(0, &rng2));
  ASSERT_EQ(keys.size(), kBands);
  bool found = false;
  (*reader)->ForEachLshSlot(keys[3], [&](uint32_t slot) { found |= slot == 0; });
  EXPECT_TRUE(found);
}

TEST(NgramIndexDisk, IncrementalFlushesMergeIntoFewSegments) {
  testing::TempDir dir;
  const std::string path = dir / "ngrams";
  NgramIndex memory;
  std::mt19937 rng(9);
  uint32_t n = 0;
  {
    auto disk = NgramIndex::Create(path);
    ASSERT_TRUE(disk.ok());
    for (int flush = 0; flush < 16; ++flush) {
      for (int k = 0; k < 25; ++k, ++n) {
        const auto set = Set(n, &rng);
        memory.Add(Doc(n), set);
        (*disk)->Add(Doc(n), set);
      }
      ASSERT_TRUE((*disk)->Flush(n).ok());
    }
    EXPECT_EQ((*disk)->segment_count(), 1u);  // 16 equal flushes: a binary counter ends in one
  }
  // A writable reopen appends after what is there.
  {
    auto disk = NgramIndex::Open(path, true);
    ASSERT_TRUE(disk.ok()) << disk.status().ToString();
    EXPECT_EQ((*disk)->mark(), n);
    for (int k = 0; k < 30; ++k, ++n) {
      const auto set = Set(n, &rng);
      memory.Add(Doc(n), set);
      (*disk)->Add(Doc(n), set);
    }
    // Pending documents are answered before they are flushed.
    ExpectSameAnswers(**disk, memory, n);
    ASSERT_TRUE((*disk)->Flush(n).ok());
    EXPECT_EQ((*disk)->segment_count(), 2u);
  }
  auto reader = NgramIndex::Open(path, false);
  ASSERT_TRUE(reader.ok());
  ExpectSameAnswers(**reader, memory, n);
  // Only the MANIFEST and the listed segments are left.
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(path)) files += entry.is_regular_file() ? 1 : 0;
  EXPECT_EQ(files, 3u);
}

std::string OnlySegment(const std::string& dir) {
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".ngs") return entry.path().string();
  }
  return "";
}

void FlipByte(const std::string& path, std::streamoff at) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(at);
  char c = 0;
  f.get(c);
  f.seekp(at);
  f.put(static_cast<char>(c ^ 0x5A));
}

TEST(NgramIndexDisk, TruncatedOrDamagedFilesAreRefused) {
  testing::TempDir dir;
  const std::string path = dir / "ngrams";
  auto build = [&]() {
    std::filesystem::remove_all(path);
    std::mt19937 rng(3);
    auto disk = NgramIndex::Create(path);
    ASSERT_TRUE(disk.ok());
    for (uint32_t i = 0; i < 50; ++i) (*disk)->Add(Doc(i), Set(i, &rng));
    ASSERT_TRUE((*disk)->Flush(50).ok());
  };
  build();
  std::string seg = OnlySegment(path);
  ASSERT_FALSE(seg.empty());
  std::filesystem::resize_file(seg, std::filesystem::file_size(seg) - 100);
  auto truncated = NgramIndex::Open(path, false);
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.status().code(), StatusCode::kCorrupt) << truncated.status().ToString();
  EXPECT_NE(truncated.status().message().find("truncated"), std::string::npos) << truncated.status().ToString();

  build();
  seg = OnlySegment(path);
  FlipByte(seg, 40);  // inside the header
  auto header = NgramIndex::Open(path, false);
  ASSERT_FALSE(header.ok());
  EXPECT_EQ(header.status().code(), StatusCode::kCorrupt);

  build();
  seg = OnlySegment(path);
  FlipByte(seg, static_cast<std::streamoff>(std::filesystem::file_size(seg)) - 200);  // content
  EXPECT_TRUE(NgramIndex::Open(path, false).ok());  // readers check the header only...
  auto content = NgramIndex::Open(path, true);      // ...writers the whole content
  ASSERT_FALSE(content.ok());
  EXPECT_EQ(content.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(content.status().message().find("checksum"), std::string::npos);

  build();
  FlipByte(path + "/MANIFEST", 30);
  auto manifest = NgramIndex::Open(path, false);
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.status().code(), StatusCode::kCorrupt);

  std::filesystem::remove_all(path);
  EXPECT_EQ(NgramIndex::Open(path, false).status().code(), StatusCode::kNotFound);
}

TEST(NgramIndexDisk, PostingListsTakeAFractionOfFourBytesAPosting) {
  testing::TempDir dir;
  const std::string path = dir / "ngrams";
  std::mt19937 rng(9);
  auto disk = NgramIndex::Create(path);
  ASSERT_TRUE(disk.ok());
  uint64_t set_values = 0;
  for (uint32_t i = 0; i < 400; ++i) {
    const auto set = Set(i, &rng);
    set_values += set.size();
    (*disk)->Add(Doc(i), set);
  }
  ASSERT_TRUE((*disk)->Flush(400).ok());
  const uint64_t postings = (*disk)->postings();
  EXPECT_EQ(postings, set_values);
  // Format 1 kept each posting in 4 bytes and an offset per key; the keys
  // here are 500 shared n-grams, one every document has and 400 of their own.
  const uint64_t keys = 1 + 500 + 400;
  const uint64_t format1 = 128 + 400 * 16 + keys * 4 + (keys + 1) * 4 + postings * 4 + 401 * 4 + set_values * 4;
  const uint64_t size = std::filesystem::file_size(OnlySegment(path));
  EXPECT_LT(size + postings * 2, format1) << size << " bytes; format 1 would take " << format1;
}

TEST(NgramIndexDisk, DamagedPostingListsGiveBoundedAnswers) {
  testing::TempDir dir;
  const std::string path = dir / "ngrams";
  std::mt19937 rng(4);
  {
    auto disk = NgramIndex::Create(path);
    ASSERT_TRUE(disk.ok());
    for (uint32_t i = 0; i < 120; ++i) (*disk)->Add(Doc(i), Set(i, &rng));
    ASSERT_TRUE((*disk)->Flush(120).ok());
  }
  // The lists are the file's last section: garble its bytes (readers check
  // the header only), then ask about every key; under the sanitizers a
  // read outside the mapping would fail the test.
  const std::string seg = OnlySegment(path);
  const auto size = static_cast<std::streamoff>(std::filesystem::file_size(seg));
  for (std::streamoff at = size - 400; at < size; at += 3) FlipByte(seg, at);
  auto reader = NgramIndex::Open(path, false);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  CandidateOptions copt;
  copt.max_candidates = 200;
  for (uint32_t g = 0; g < 700; ++g) {
    EXPECT_LE((*reader)->DocFrequency(g), 120u);
    for (const Candidate& c : (*reader)->Candidates({g, 7}, copt)) EXPECT_LT(c.slot, 120u);
  }
}

TEST(NgramIndexDisk, ReaderWhileWriterAppendsSeesAPublishedState) {
  testing::TempDir dir;
  const std::string path = dir / "ngrams";
  auto writer = NgramIndex::Create(path);
  ASSERT_TRUE(writer.ok());
  std::atomic<bool> done{false};
  std::atomic<int> opened{0}, bad{0};
  std::thread reader([&]() {
    while (!done.load()) {
      auto r = NgramIndex::Open(path, false);
      if (!r.ok()) {
        ++bad;
        continue;
      }
      ++opened;
      const NgramIndex& index = **r;
      // Flushes are of 20 documents and the mark is the document count.
      if (index.docs().size() % 20 != 0 || static_cast<int64_t>(index.docs().size()) != index.mark() ||
          index.DocFrequency(7) != index.docs().size()) {
        ++bad;
      }
    }
  });
  std::mt19937 rng(11);
  uint32_t n = 0;
  for (int flush = 0; flush < 40; ++flush) {
    for (int k = 0; k < 20; ++k, ++n) (*writer)->Add(Doc(n), Set(n, &rng));
    ASSERT_TRUE((*writer)->Flush(n).ok());
  }
  done = true;
  reader.join();
  EXPECT_GT(opened.load(), 0);
  EXPECT_EQ(bad.load(), 0);
}

// LowerBoundOfHash (the segments' key search) gives std::lower_bound's
// answer for uniform hashes, skewed keys, runs of equal keys and the
// extremes, in 32 and 64 bits.
template <typename Key>
void ExpectLowerBoundsAgree(std::vector<Key> keys, std::mt19937_64* rng) {
  std::sort(keys.begin(), keys.end());
  const std::span<const Key> view(keys);
  std::vector<Key> probes = {0, std::numeric_limits<Key>::max(), 1,
                             static_cast<Key>(std::numeric_limits<Key>::max() - 1)};
  for (const Key k : keys) {
    probes.push_back(k);
    probes.push_back(k + 1);
    probes.push_back(k - 1);
  }
  for (int i = 0; i < 200; ++i) probes.push_back(static_cast<Key>((*rng)()));
  for (const Key probe : probes) {
    const auto expected = static_cast<size_t>(std::lower_bound(keys.begin(), keys.end(), probe) - keys.begin());
    ASSERT_EQ(LowerBoundOfHash(view, probe), expected) << "probe " << probe << " in " << keys.size() << " keys";
  }
}

template <typename Key>
void ExpectLowerBoundsAgreeOnShapes() {
  std::mt19937_64 rng(17);
  ExpectLowerBoundsAgree<Key>({}, &rng);
  ExpectLowerBoundsAgree<Key>({42}, &rng);
  std::vector<Key> uniform, skewed, runs, top;
  for (int i = 0; i < 3000; ++i) uniform.push_back(static_cast<Key>(rng()));
  for (int i = 0; i < 3000; ++i) skewed.push_back(static_cast<Key>(rng() % 5000));  // all near the bottom
  for (int i = 0; i < 3000; ++i) runs.push_back(static_cast<Key>(rng() % 7) * (std::numeric_limits<Key>::max() / 7));
  for (int i = 0; i < 300; ++i) top.push_back(static_cast<Key>(std::numeric_limits<Key>::max() - rng() % 100));
  ExpectLowerBoundsAgree(uniform, &rng);
  ExpectLowerBoundsAgree(skewed, &rng);
  ExpectLowerBoundsAgree(runs, &rng);
  ExpectLowerBoundsAgree(top, &rng);
}

TEST(NgramSegmentSearch, HashSearchAgreesWithLowerBound) {
  ExpectLowerBoundsAgreeOnShapes<uint32_t>();
  ExpectLowerBoundsAgreeOnShapes<uint64_t>();
}

}  // namespace
}  // namespace echotrace

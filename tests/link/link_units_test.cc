// Unit tests of the linking building blocks, each alone: MinHash and its
// bands, the n-gram index (postings, rarest-first candidates, day and
// outlet filters), and corpus-wide reuse.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "link/flat_postings.h"
#include "link/minhash.h"
#include "link/ngram_index.h"
#include "link/normalize.h"
#include "link/reuse.h"

namespace echotrace {
namespace {

std::vector<uint32_t> Ngrams(const std::string& text) { return NgramSet(Tokenize(text).tokens); }

const char* const kPassage =
    "The plenary meeting reviewed the implementation of the decisions and set out the tasks for the coming year "
    "in the fields of agriculture, light industry and public health across every province of the country";

TEST(MinHash, SimilarSetsShareBandsAndDifferentOnesDoNot) {
  const std::vector<uint32_t> a = Ngrams(kPassage);
  const std::vector<uint32_t> b = Ngrams(std::string(kPassage) + " this week");
  const std::vector<uint32_t> c = Ngrams("An unrelated wire story about football results and weather in another place");
  ASSERT_EQ(MinHashSignature(a).size(), kMinHashSize);
  EXPECT_GT(Jaccard(a, b), 0.8);
  EXPECT_LT(Jaccard(a, c), 0.05);
  EXPECT_DOUBLE_EQ(Containment(a, a), 1.0);
  // Banded LSH: near-copies share at least one band key, unrelated texts none.
  auto shared_bands = [](const std::vector<uint32_t>& x, const std::vector<uint32_t>& y) {
    const std::vector<uint64_t> kx = BandKeys(MinHashSignature(x)), ky = BandKeys(MinHashSignature(y));
    size_t shared = 0;
    for (size_t band = 0; band < kx.size(); ++band) shared += kx[band] == ky[band];
    return shared;
  };
  EXPECT_GT(shared_bands(a, b), 0u);
  EXPECT_EQ(shared_bands(a, c), 0u);
}

TEST(NgramIndex, CandidatesRespectDaysOutletsAndTheCitingDocument) {
  NgramIndex index;
  const int32_t day = DayNumber("2022-01-01");
  ASSERT_NE(day, IndexedDoc::kUnknownDay);
  index.Add({1, day, true}, Ngrams(kPassage));                                        // the state original
  index.Add({2, day + 2, false}, Ngrams(std::string("A wire quoted: ") + kPassage));  // a foreign copy
  index.Add({3, day, true}, Ngrams("Farmers harvested rice in the autumn fields of the county"));
  index.Compact();
  EXPECT_EQ(index.DocFrequency(Ngrams(kPassage).front()), 2u);
  const std::vector<uint32_t> query = Ngrams("the decisions and set out the tasks for the coming year");

  CandidateOptions all;
  std::vector<int64_t> found;
  for (const Candidate& c : index.Candidates(query, all)) found.push_back(index.docs()[c.slot].docno);
  EXPECT_NE(std::find(found.begin(), found.end(), 1), found.end());
  EXPECT_NE(std::find(found.begin(), found.end(), 2), found.end());
  EXPECT_EQ(std::find(found.begin(), found.end(), 3), found.end());  // shares no probed n-gram

  CandidateOptions state_only;
  state_only.state_media_only = true;
  for (const Candidate& c : index.Candidates(query, state_only)) EXPECT_TRUE(index.docs()[c.slot].state_media);

  CandidateOptions before;
  before.last_day = day - 1;  // nothing was published before the first day
  EXPECT_TRUE(index.Candidates(query, before).empty());

  CandidateOptions not_itself;
  not_itself.exclude_docno = 1;
  for (const Candidate& c : index.Candidates(query, not_itself)) EXPECT_NE(index.docs()[c.slot].docno, 1);
}

TEST(FlatPostings, AgreesWithAMapOfVectorsThroughGrowth) {
  FlatPostings<uint64_t> flat;
  std::map<uint64_t, std::vector<uint32_t>> want;
  std::mt19937_64 rng(5);
  for (uint32_t slot = 0; slot < 3000; ++slot) {
    for (int k = 0; k < 4; ++k) {
      // Few distinct keys, some equal modulo the table size: chains and collisions.
      const uint64_t key = (rng() % 1500) << (k == 0 ? 20 : 0);
      flat.Add(key, slot);
      want[key].push_back(slot);
    }
  }
  EXPECT_EQ(flat.postings(), 12000u);
  for (const auto& [key, slots] : want) {
    std::vector<uint32_t> got;
    flat.ForEach(key, [&](uint32_t s) { got.push_back(s); });
    EXPECT_EQ(got, slots) << key;
    EXPECT_EQ(flat.Count(key), slots.size());
  }
  EXPECT_EQ(flat.Count(1500), 0u);  // never added
  size_t all = 0;
  flat.ForEachPosting([&](uint64_t key, uint32_t) { all += want.count(key); });
  EXPECT_EQ(all, 12000u);
  flat.Clear();
  EXPECT_TRUE(flat.empty());
  EXPECT_EQ(flat.Count(want.begin()->first), 0u);
}

TEST(NgramIndex, PendingAndCompactedPostingsAnswerAlike) {
  // The same documents, answered from the pending delta, then after Compact,
  // then with more added on top of the compacted base.
  NgramIndex index;
  const char* const texts[] = {"the decisions and set out the tasks for the coming year of struggle",
                               "farmers harvested rice in the autumn fields of the county",
                               "the tasks for the coming year were set out at the plenary meeting",
                               "rice in the autumn fields of the county was harvested early"};
  for (int i = 0; i < 4; ++i) index.Add({i + 1, 100 + i, i % 2 == 0}, Ngrams(texts[i]));
  const std::vector<uint32_t> query = Ngrams("set out the tasks for the coming year in the autumn fields");
  auto answer = [&]() {
    std::vector<std::pair<int64_t, uint32_t>> out;
    for (const Candidate& c : index.Candidates(query, CandidateOptions{})) {
      out.emplace_back(index.docs()[c.slot].docno, c.shared);
    }
    std::vector<size_t> dfs;
    for (uint32_t g : query) dfs.push_back(index.DocFrequency(g));
    return std::make_pair(out, dfs);
  };
  const auto pending = answer();
  ASSERT_FALSE(pending.first.empty());
  EXPECT_EQ(pending.first.front().first, 1);  // shares the most probed n-grams, then the earliest
  index.Compact();
  EXPECT_EQ(answer(), pending);
  index.Add({5, 200, false}, Ngrams(texts[0]));
  const auto more = answer();
  EXPECT_EQ(index.DocFrequency(Ngrams(texts[0]).front()), 2u);
  index.Compact();
  EXPECT_EQ(answer(), more);
}

TEST(Days, IsoDatesAndMonthsBecomeDayNumbers) {
  EXPECT_EQ(DayNumber("1970-01-02"), 1);
  EXPECT_EQ(DayNumber("2022-02-30"), IndexedDoc::kUnknownDay);
  EXPECT_EQ(DayNumber("not a date"), IndexedDoc::kUnknownDay);
}

TEST(Reuse, SharedPassageFormsOneCluster) {
  NgramIndex index;
  std::vector<std::vector<uint32_t>> sets;
  const std::vector<std::string> texts = {std::string("Report one. ") + kPassage,
                                          std::string("Commentary: ") + kPassage + " said the paper.",
                                          "Farmers harvested rice in the autumn fields of the county"};
  for (size_t i = 0; i < texts.size(); ++i) {
    sets.push_back(Ngrams(texts[i]));
    index.Add({static_cast<int64_t>(i + 1), DayNumber("2022-01-01"), true}, sets.back());
  }
  index.Compact();
  auto loader = [&](int64_t docno) -> Result<StoredVersion> {
    StoredVersion v;
    v.docno = docno;
    v.doc.text = texts[static_cast<size_t>(docno - 1)];
    return v;
  };
  auto clusters = FindReuse(index, sets, loader, 12);
  ASSERT_TRUE(clusters.ok()) << clusters.status().ToString();
  ASSERT_EQ(clusters->size(), 1u);
  EXPECT_EQ((*clusters)[0].docnos, (std::vector<int64_t>{1, 2}));
  EXPECT_GE((*clusters)[0].longest.words, 30u);
}

}  // namespace
}  // namespace echotrace

// What a search lists and in which order: headline stubs folded into their
// story (whichever is indexed first), sort by date, the full-range month
// histogram, and query mistakes explained with their place.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "search/index.h"
#include "test_util.h"

namespace echotrace {
namespace {

IndexedVersion Version(int64_t docno, const std::string& title, const std::string& body, const std::string& date,
                       const std::string& source = "kcna") {
  IndexedVersion v;
  v.docno = docno;
  v.version_id = "v" + std::to_string(docno);
  v.title = title;
  v.body = body;
  v.source = source;
  v.date = date;
  v.stub = body.empty();
  v.media = source == "kcna" ? "state" : "foreign";
  return v;
}

std::string NoBody(int64_t) { return {}; }

std::vector<int64_t> Docnos(const SearchResponse& response) {
  std::vector<int64_t> out;
  for (const SearchHit& hit : response.hits) out.push_back(hit.docno);
  return out;
}

TEST(SearchOrder, HeadlineStubsFoldIntoTheirStoryInEitherOrder) {
  testing::TempDir dir;
  auto index = Index::OpenWritable(dir / "index");
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  Index& w = **index;
  // Stub before its story, in one uncommitted batch.
  ASSERT_TRUE(w.Put(Version(1, "Tideland Reclaimed in North Phyongan", "", "2011-05-02")).ok());
  ASSERT_TRUE(
      w.Put(Version(2, "Tideland reclaimed in North Phyongan", "The tideland was reclaimed.", "2011-05-02")).ok());
  ASSERT_TRUE(w.Commit(2).ok());
  // Story before its stub, across commits.
  ASSERT_TRUE(w.Put(Version(3, "Tideland dyke finished", "A tideland dyke was finished.", "2011-06-01")).ok());
  ASSERT_TRUE(w.Commit(3).ok());
  ASSERT_TRUE(w.Put(Version(4, "Tideland Dyke Finished", "", "2011-06-01")).ok());
  // Not the same story: another day, another outlet, no story at all.
  ASSERT_TRUE(w.Put(Version(5, "Tideland dyke finished", "", "2011-06-02")).ok());
  ASSERT_TRUE(w.Put(Version(6, "Tideland reclaimed in North Phyongan", "", "2011-05-02", "reuters")).ok());
  ASSERT_TRUE(w.Commit(6).ok());

  SearchRequest request;
  request.query = "tideland";
  request.limit = 20;
  auto folded = w.Search(request, NoBody);
  ASSERT_TRUE(folded.ok()) << folded.status().ToString();
  std::vector<int64_t> got = Docnos(*folded);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<int64_t>{2, 3, 5, 6}));
  EXPECT_EQ(folded->total_estimate, 4);
  EXPECT_EQ(folded->by_source.at("kcna"), 3);  // facets do not count the folded stubs either

  auto stubs = w.StubsOfStory("Tideland reclaimed in North Phyongan", "kcna", "2011-05-02");
  ASSERT_TRUE(stubs.ok());
  EXPECT_EQ(*stubs, (std::vector<int64_t>{1}));
  stubs = w.StubsOfStory("Tideland dyke finished", "kcna", "2011-06-01");
  ASSERT_TRUE(stubs.ok());
  EXPECT_EQ(*stubs, (std::vector<int64_t>{4}));

  request.fold_stubs = false;
  auto every = w.Search(request, NoBody);
  ASSERT_TRUE(every.ok());
  EXPECT_EQ(every->total_estimate, 6);
}

TEST(SearchOrder, SortByDateNewestFirstUndatedLastAndEmptyQueryDefaultsToIt) {
  testing::TempDir dir;
  auto index = Index::OpenWritable(dir / "index");
  ASSERT_TRUE(index.ok());
  Index& w = **index;
  ASSERT_TRUE(w.Put(Version(1, "Harvest", "harvest harvest harvest harvest", "2011-01-05")).ok());
  ASSERT_TRUE(w.Put(Version(2, "Rice", "a harvest of rice", "2012-03-01")).ok());
  ASSERT_TRUE(w.Put(Version(3, "Maize", "the harvest of maize", "")).ok());
  ASSERT_TRUE(w.Put(Version(4, "Wheat", "harvest of wheat", "2011-09-30")).ok());
  ASSERT_TRUE(w.Commit(4).ok());
  SearchRequest request;
  request.query = "harvest";
  request.sort = SearchSort::kNewest;
  auto by_date = w.Search(request, NoBody);
  ASSERT_TRUE(by_date.ok());
  EXPECT_EQ(Docnos(*by_date), (std::vector<int64_t>{2, 4, 1, 3}));
  EXPECT_EQ(by_date->sort, SearchSort::kNewest);
  request.sort = SearchSort::kDefault;
  auto ranked = w.Search(request, NoBody);
  ASSERT_TRUE(ranked.ok());
  EXPECT_EQ(ranked->sort, SearchSort::kRelevance);
  EXPECT_EQ(ranked->hits.front().docno, 1);  // four times the word, and in the title
  request.query = "";
  auto everything = w.Search(request, NoBody);
  ASSERT_TRUE(everything.ok());
  EXPECT_EQ(everything->sort, SearchSort::kNewest);
  EXPECT_EQ(Docnos(*everything), (std::vector<int64_t>{2, 4, 1, 3}));
  EXPECT_EQ(SearchSortFromName("date"), SearchSort::kNewest);
  EXPECT_EQ(SearchSortFromName("relevance"), SearchSort::kRelevance);
  EXPECT_FALSE(SearchSortFromName("oldest").has_value());
}

TEST(SearchOrder, HistogramCountsEveryMatchBeyondTheFacetLimit) {
  testing::TempDir dir;
  auto index = Index::OpenWritable(dir / "index");
  ASSERT_TRUE(index.ok());
  Index& w = **index;
  const int64_t n = kFacetMatches + 500;
  for (int64_t i = 1; i <= n; ++i) {
    const std::string date = i % 2 ? "2011-02-10" : (i % 3 ? "2012-07-01" : "");
    ASSERT_TRUE(w.Put(Version(i, "Report " + std::to_string(i), "a report", date)).ok());
  }
  ASSERT_TRUE(w.Commit(n).ok());
  SearchRequest request;
  request.query = "report";
  request.with_histogram = true;
  auto response = w.Search(request, NoBody);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_FALSE(response->histogram_approximate);  // every match, not the first kFacetMatches
  int64_t odd = 0, even_dated = 0, undated = 0;
  for (int64_t i = 1; i <= n; ++i) (i % 2 ? odd : (i % 3 ? even_dated : undated))++;
  EXPECT_EQ(response->histogram.at("2011-02"), odd);
  EXPECT_EQ(response->histogram.at("2012-07"), even_dated);
  EXPECT_EQ(response->histogram.at(""), undated);
  EXPECT_EQ(response->total_estimate, n);
}

TEST(SearchOrder, QueryProblemsAreExplainedWithTheirPlace) {
  struct Case {
    std::string query;
    size_t position;
    std::string words;
  };
  const std::vector<Case> bad = {
      {"\"nothing is impossible", 1, "unterminated quote"},
      {"kim \"nothing is", 5, "unterminated quote"},
      {"tractor AND OR harvest", 13, "follows 'AND'"},
      {"AND tractor", 1, "nothing before it"},
      {"tractor OR", 9, "nothing after it"},
      {"(tractor OR harvest", 1, "never closed"},
      {"tractor) harvest", 8, "closes nothing"},
      {"Ŏ AND OR x", 7, "follows 'AND'"},  // characters, not bytes
  };
  for (const Case& c : bad) {
    auto problem = FindQueryProblem(c.query);
    ASSERT_TRUE(problem.has_value()) << c.query;
    EXPECT_EQ(problem->position, c.position) << c.query << ": " << problem->message;
    EXPECT_NE(problem->message.find(c.words), std::string::npos) << problem->message;
  }
  for (const std::string good :
       {"tractor harvest", "tractor AND NOT harvest", "NOT harvest", "(tractor OR harvest) rice", "title:\"a b\" c",
        "missile -test", "kim NEAR jong", "\"AND OR\" inside a phrase", "and or lowercase words", "a NEAR/3 b"}) {
    EXPECT_FALSE(FindQueryProblem(good).has_value()) << good << ": " << FindQueryProblem(good)->message;
  }
  // The index refuses them with the same words (kUsage), before Xapian does.
  testing::TempDir dir;
  auto index = Index::OpenWritable(dir / "index");
  ASSERT_TRUE(index.ok());
  ASSERT_TRUE((*index)->Put(Version(1, "Tractor", "a tractor", "2011-01-01")).ok());
  ASSERT_TRUE((*index)->Commit(1).ok());
  SearchRequest request;
  request.query = "\"nothing is impossible";
  auto refused = (*index)->Search(request, NoBody);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUsage);
  EXPECT_NE(refused.status().message().find("unterminated quote"), std::string::npos);
}

}  // namespace
}  // namespace echotrace

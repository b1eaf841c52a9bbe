// Reindex re-runs extraction over stored raw bytes: pages stored before the
// extractor cut their teaser lists get their teaser stubs, once.
#include <gtest/gtest.h>

#include "engine/engine.h"
#include "extract/extract.h"
#include "link/link_store.h"
#include "store/store.h"
#include "test_util.h"

namespace echotrace {
namespace {

constexpr const char* kTeaserPage =
    "Harvest Report\n\nFarms in the province gathered a rich crop this autumn.\n\n"
    "More From Naenara (En)\nA new school opened in the county town\nOctober 2, 2024\n"
    "A new school opened in the county town\nA theatre troupe toured the coast\n"
    "October 1, 2024\nA theatre troupe toured the coast\n";

// The data dir as an older echotrace left it: the page, without its stubs.
void StorePageWithoutStubs(const std::string& data_dir) {
  auto store = Store::Open(data_dir + "/echotrace.sqlite", true, false);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto page = Extract(kTeaserPage, InputFormat::kText, "harvest.txt");
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(SplitTeasers(page.value()).size(), 2u);
  ASSERT_TRUE((*store)->Begin().ok());
  ASSERT_TRUE((*store)->Add(page.value()).ok());
  ASSERT_TRUE((*store)->Commit().ok());
}

int64_t SearchCount(const Engine& engine, const std::string& query) {
  SearchRequest request;
  request.query = query;
  auto response = engine.Search(request);
  EXPECT_TRUE(response.ok()) << response.status().ToString();
  return response.ok() ? static_cast<int64_t>(response->hits.size()) : -1;
}

TEST(Reindex, RecreatesTeaserStubsOnce) {
  testing::TempDir dir;
  StorePageWithoutStubs(dir.path());
  auto engine = Engine::Open(dir.path(), Engine::Mode::kWrite);
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  ASSERT_EQ((*engine)->Stats()->versions, 1);
  EXPECT_EQ(SearchCount(**engine, "theatre troupe"), 0) << "a teaser list is not the page's body";

  auto first = (*engine)->Reindex(nullptr);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->versions, 1) << "stubs are cut again, not re-extracted";
  EXPECT_EQ(first->teaser_stubs, 2);
  auto stats = (*engine)->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->versions, 3);
  EXPECT_EQ(stats->headline_stubs, 2);
  EXPECT_EQ(SearchCount(**engine, "theatre troupe"), 1) << "the stub is indexed";
  EXPECT_EQ(SearchCount(**engine, "rich crop"), 1) << "the page still is";

  auto second = (*engine)->Reindex(nullptr);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->teaser_stubs, 0) << "existing stubs are not duplicated";
  EXPECT_EQ((*engine)->Stats()->versions, 3);
  SearchRequest request;
  request.query = "\"theatre troupe\"";
  auto response = (*engine)->Search(request);
  ASSERT_TRUE(response.ok());
  int derived = 0;
  for (const SearchHit& hit : response->hits) {
    auto version = (*engine)->Version(hit.docno);
    ASSERT_TRUE(version.ok());
    derived += version->doc.derived_from.empty() ? 0 : 1;
  }
  EXPECT_EQ(derived, 1) << "the stub points at the page it was cut from";
}

TEST(Reindex, IngestedPageGetsNoSecondSetOfStubs) {
  testing::TempDir dir;
  testing::WriteFile(dir / "harvest.txt", kTeaserPage);
  auto engine = Engine::Open(dir / "data", Engine::Mode::kWrite);
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  auto ingested = (*engine)->Ingest({dir / "harvest.txt"}, {}, nullptr);
  ASSERT_TRUE(ingested.ok()) << ingested.status().ToString();
  EXPECT_EQ(ingested->totals.teaser_stubs, 2);
  auto report = (*engine)->Reindex(nullptr);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->teaser_stubs, 0);
  EXPECT_EQ(report->changed, 0);
  EXPECT_EQ((*engine)->Stats()->versions, 3);
  auto stub = (*engine)->Stats();
  ASSERT_TRUE(stub.ok());
  EXPECT_EQ(stub->by_source.at("naenara"), 3) << "stubs keep their page's outlet through reindex";
}

}  // namespace
}  // namespace echotrace

namespace echotrace {
namespace {

// Quote links point into stored texts; after reindex they are made again
// over the re-extracted texts, so the same quotes find the same originals.
TEST(Reindex, LinksAreMadeAgain) {
  testing::TempDir dir;
  auto engine = Engine::Open(dir.path(), Engine::Mode::kWrite);
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  ASSERT_TRUE((*engine)->Ingest({testing::SampleDir()}, {}, nullptr).ok());
  SearchRequest request;
  request.query = "title:propaganda";
  request.sources = {"reuters"};
  auto hits = (*engine)->Search(request);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->hits.size(), 1u);
  const int64_t wire = hits->hits[0].docno;
  auto before = (*engine)->LinksOf(wire);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  ASSERT_FALSE(before->empty());
  {  // Links lost (or stale, as after an extractor change): reindex makes them again.
    auto links = LinkStore::Open(dir.path() + "/echotrace.sqlite", false);
    ASSERT_TRUE(links.ok());
    ASSERT_TRUE((*links)->Clear().ok());
  }
  ASSERT_TRUE((*engine)->LinksOf(wire)->empty());

  auto report = (*engine)->Reindex(nullptr);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  auto after = (*engine)->LinksOf(wire);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  ASSERT_EQ(after->size(), before->size());
  for (size_t i = 0; i < after->size(); ++i) {
    EXPECT_EQ((*after)[i].match.version_id, (*before)[i].match.version_id);
    EXPECT_EQ((*after)[i].match.quote_begin, (*before)[i].match.quote_begin);
  }
}

}  // namespace
}  // namespace echotrace

// End-to-end through the library: the project's own fixtures in data/sample.
#include "engine/engine.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace echotrace {
namespace {

using testing::SampleDir;
using testing::TempDir;

// The example in engine/engine.h's header comment, compiled so it cannot go stale.
Result<SearchResponse> HeaderExample(const std::string& dir) {
  ET_ASSIGN_OR_RETURN(auto engine, Engine::Open(dir, Engine::Mode::kWrite));
  ET_ASSIGN_OR_RETURN(IngestReport report, engine->Ingest({SampleDir()}, {}, nullptr));
  SearchRequest request;
  request.query = "\"nothing is impossible\"";
  request.entities = {"kim-jong-un"};  // annotation gave every mention of him this id
  ET_ASSIGN_OR_RETURN(SearchResponse hits, engine->Search(request));
  return hits;
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto engine = Engine::Open(dir_.path(), Engine::Mode::kWrite);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(engine).value();
    auto report = engine_->Ingest({SampleDir()}, {}, nullptr);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    first_ = report.value();
  }

  std::vector<StoredVersion> Search(SearchRequest request) {
    auto response = engine_->Search(request);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    std::vector<StoredVersion> found;
    if (!response.ok()) return found;
    for (const SearchHit& hit : response->hits) found.push_back(engine_->Version(hit.docno).value());
    return found;
  }
  std::vector<StoredVersion> Search(const std::string& query) {
    SearchRequest request;
    request.query = query;
    return Search(request);
  }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  IngestReport first_;
};

TEST_F(EngineTest, HeaderExampleFindsThePhrase) {
  TempDir other;
  auto hits = HeaderExample(other.path());
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  EXPECT_GE(hits->hits.size(), 1u);
}

TEST_F(EngineTest, FirstIngestAddsEveryRecordAndOneVersion) {
  EXPECT_EQ(first_.files, 5);                // README.md in the folder is not an article
  EXPECT_EQ(first_.totals.records, 16);      // 4 pages + 12 JSON lines
  EXPECT_EQ(first_.totals.new_versions, 1);  // sample-kcna-2024-009 corrected
  EXPECT_EQ(first_.totals.added, 15);
  EXPECT_EQ(first_.totals.skipped, 0);
  EXPECT_FALSE(first_.HasErrors());
  auto stats = engine_->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->articles, 15);
  EXPECT_EQ(stats->versions, 16);
  EXPECT_EQ(stats->headline_stubs, 2);
  EXPECT_EQ(engine_->IndexLag(), 0);
}

TEST_F(EngineTest, ReingestIsANoOp) {
  auto again = engine_->Ingest({SampleDir()}, {}, nullptr);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->totals.duplicates, 16);
  EXPECT_EQ(again->totals.added + again->totals.new_versions, 0);
  EXPECT_EQ(engine_->Stats()->versions, 16);
}

TEST_F(EngineTest, PhraseQueryFindsTheStateMediaOriginal) {
  auto found = Search("\"nothing is impossible\"");
  ASSERT_FALSE(found.empty());
  bool workshop = false;
  for (const auto& v : found) workshop |= v.doc.origin.find("kcna_2022-03-29_workshop") != std::string::npos;
  EXPECT_TRUE(workshop);
  EXPECT_TRUE(Search("\"impossible nothing is\"").empty()) << "a phrase is ordered";
}

TEST_F(EngineTest, SnippetHighlightsMatches) {
  SearchRequest request;
  request.query = "\"great life-and-death struggle\"";
  auto response = engine_->Search(request);
  ASSERT_TRUE(response.ok());
  ASSERT_EQ(response->hits.size(), 1u);
  EXPECT_NE(response->hits[0].snippet.find("<mark>"), std::string::npos);
  EXPECT_EQ(response->by_source.count("rodong"), 0u) << "plain-text pages have no outlet yet";
}

TEST_F(EngineTest, LatestVersionByDefaultAllVersionsOnRequest) {
  EXPECT_EQ(Search("Mundok").size(), 1u);
  EXPECT_TRUE(Search("Sunchon").empty()) << "the superseded version is hidden by default";
  SearchRequest request;
  request.query = "Sunchon";
  request.all_versions = true;
  auto old = Search(request);
  ASSERT_EQ(old.size(), 1u);
  EXPECT_FALSE(old[0].latest);
  EXPECT_EQ(old[0].seq, 1);
}

TEST_F(EngineTest, ShowAcceptsEveryIdForm) {
  auto by_external = engine_->Show("sample-kcna-2024-009");
  ASSERT_TRUE(by_external.ok()) << by_external.status().ToString();
  ASSERT_EQ(by_external->versions.size(), 2u);
  EXPECT_TRUE(by_external->version.latest);
  EXPECT_NE(by_external->version.doc.Body().find("Mundok"), std::string::npos);
  EXPECT_FALSE(by_external->version.doc.raw.empty()) << "raw bytes are kept";

  const std::string old_id = by_external->versions[1].version_id;
  auto by_version = engine_->Show(by_external->versions[1].version_id);
  ASSERT_TRUE(by_version.ok());
  EXPECT_EQ(by_version->version.version_id, old_id);
  auto by_prefix = engine_->Show(old_id.substr(0, 8));
  ASSERT_TRUE(by_prefix.ok());
  EXPECT_EQ(by_prefix->version.version_id, old_id);

  auto missing = engine_->Show("no-such-article");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST_F(EngineTest, HeadlineStubsAreSearchableByTitle) {
  auto found = Search("title:greenhouse");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(found[0].doc.IsHeadlineStub());
}

TEST_F(EngineTest, FiltersBySourceAndDate) {
  SearchRequest request;
  request.query = "";
  request.sources = {"rodong"};
  request.limit = 100;
  auto rodong = Search(request);
  ASSERT_FALSE(rodong.empty());
  for (const auto& v : rodong) EXPECT_EQ(v.doc.source, "rodong");

  request.sources.clear();
  request.from_date = "2024-03-01";
  request.to_date = "2024-03-31";
  auto march = Search(request);
  ASSERT_FALSE(march.empty());
  for (const auto& v : march) EXPECT_EQ(v.doc.date.substr(0, 7), "2024-03");
}

TEST_F(EngineTest, BadQueryIsAUsageError) {
  SearchRequest request;
  request.from_date = "March 2024";
  EXPECT_EQ(engine_->Search(request).status().code(), StatusCode::kUsage);
  request.from_date = "";
  request.limit = 0;
  EXPECT_EQ(engine_->Search(request).status().code(), StatusCode::kUsage);
}

TEST_F(EngineTest, ReindexKeepsIdsAndCounts) {
  auto before = engine_->Show("sample-kcna-2024-001");
  ASSERT_TRUE(before.ok());
  auto report = engine_->Reindex(nullptr);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->versions, 16);
  EXPECT_EQ(report->failed, 0);
  EXPECT_EQ(report->changed, 0) << "same extractor, same output";
  auto after = engine_->Show("sample-kcna-2024-001");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->version.version_id, before->version.version_id);
  EXPECT_EQ(Search("Mundok").size(), 1u);
}

TEST(EngineOpen, RefusesAFolderThatIsNotOurs) {
  TempDir dir;
  testing::WriteFile(dir / "notes.txt", "my own files");
  auto engine = Engine::Open(dir.path(), Engine::Mode::kWrite);
  EXPECT_EQ(engine.status().code(), StatusCode::kCorrupt);
  EXPECT_TRUE(std::filesystem::exists(dir / "notes.txt"));
  EXPECT_FALSE(std::filesystem::exists(dir / "echotrace.sqlite"));
}

TEST(EngineOpen, RefusesASqliteFileThatIsNotOurs) {
  TempDir dir;
  testing::WriteFile(dir / "echotrace.sqlite", "this is not a database at all, just text........");
  auto engine = Engine::Open(dir.path(), Engine::Mode::kWrite);
  EXPECT_EQ(engine.status().code(), StatusCode::kCorrupt);
}

TEST(EngineOpen, ReadModeNeedsData) {
  TempDir dir;
  auto engine = Engine::Open(dir / "nothing-here", Engine::Mode::kRead);
  EXPECT_EQ(engine.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace echotrace

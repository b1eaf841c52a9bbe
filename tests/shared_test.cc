// Tests on ../shared (seeds and the real corpus). They skip, saying why,
// when ../shared is not beside the clone (a user's fresh clone).
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <set>
#include <thread>

#include "engine/engine.h"
#include "extract/extract.h"
#include "store/store.h"
#include "test_util.h"

namespace echotrace {
namespace {

using testing::HaveShared;
using testing::SharedDir;
using testing::TempDir;

#define REQUIRE_SHARED() \
  if (!HaveShared())     \
  GTEST_SKIP() << "../shared is not beside the clone (" << SharedDir() << " missing): seed and corpus tests skipped"

TEST(Seeds, IngestSearchAndReingest) {
  REQUIRE_SHARED();
  TempDir dir;
  auto engine = Engine::Open(dir.path(), Engine::Mode::kWrite);
  ASSERT_TRUE(engine.ok());
  auto first = (*engine)->Ingest({SharedDir() + "/seeds"}, {}, nullptr);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->files, 5);
  EXPECT_EQ(first->totals.added, 5);
  EXPECT_FALSE(first->HasErrors());
  for (const InputIssue& issue : first->issues) ADD_FAILURE() << issue.where << ": " << issue.message;

  SearchRequest request;
  request.query = "\"nothing impossible\"";
  auto response = (*engine)->Search(request);
  ASSERT_TRUE(response.ok());
  ASSERT_GE(response->hits.size(), 1u);
  auto top = (*engine)->Version(response->hits[0].docno);
  ASSERT_TRUE(top.ok());
  EXPECT_NE(top->doc.origin.find("001_"), std::string::npos) << top->doc.origin;

  auto again = (*engine)->Ingest({SharedDir() + "/seeds"}, {}, nullptr);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->totals.duplicates, 5);
  EXPECT_EQ(again->totals.added + again->totals.new_versions, 0);
  // Seed 001's "More From Naenara" list: 20 items, each shown twice, kept once as stubs.
  EXPECT_EQ(first->totals.teaser_stubs, 20);
  EXPECT_EQ(again->totals.teaser_stubs, 0);
  EXPECT_EQ((*engine)->Stats()->articles, 25);
  EXPECT_EQ((*engine)->Stats()->headline_stubs, 20);
  request.query = "Musan blasting";
  auto teaser = (*engine)->Search(request);
  ASSERT_TRUE(teaser.ok());
  ASSERT_EQ(teaser->hits.size(), 1u);
  auto stub = (*engine)->Version(teaser->hits[0].docno);
  EXPECT_EQ(stub->doc.date, "2026-01-27");
  EXPECT_EQ(stub->doc.source, "naenara");
  EXPECT_EQ(stub->doc.derived_from, top->version_id) << "linked to the page it came from";
}

// What the store should end with, computed without the store: every record
// extracted, identical content counted once, versions grouped by identity.
struct Expected {
  int64_t records = 0, versions = 0, articles = 0;
};

Expected ExpectedFromCorpus(const std::string& dir) {
  Expected expected;
  std::set<std::string> version_ids, identities;
  std::vector<InputIssue> issues;
  auto files = ExpandInputs({dir}, &issues);
  EXPECT_TRUE(files.ok());
  for (const InputFile& file : *files) {
    Status status = ReadInput(
        file, ReadLimits(),
        [&](RawRecord&& record) {
          ++expected.records;
          auto doc = Extract(record.bytes, record.format, record.Origin());
          if (!doc.ok()) return Status::Ok();
          const std::string version_id = VersionIdOf(*doc);
          if (version_ids.insert(version_id).second) identities.insert(IdentityKeyOf(*doc, version_id));
          return Status::Ok();
        },
        &issues);
    EXPECT_TRUE(status.ok()) << status.ToString();
  }
  expected.versions = static_cast<int64_t>(version_ids.size());
  expected.articles = static_cast<int64_t>(identities.size());
  return expected;
}

class Corpus : public ::testing::Test {
 protected:
  void SetUp() override {
#ifdef ECHOTRACE_SANITIZED
    GTEST_SKIP() << "the whole-corpus ingest runs in the regular build, not under sanitizers";
#endif
    REQUIRE_SHARED();
  }
};

TEST_F(Corpus, WholeCorpusIngestsAndCountsDistinctArticles) {
  const std::string corpus = SharedDir() + "/corpus";
  const Expected expected = ExpectedFromCorpus(corpus);
  EXPECT_EQ(expected.records, 122121) << "the corpus README's record count";

  TempDir dir;
  auto engine = Engine::Open(dir.path(), Engine::Mode::kWrite);
  ASSERT_TRUE(engine.ok());
  auto report = (*engine)->Ingest({corpus}, {}, nullptr);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->totals.records, expected.records);
  EXPECT_EQ(report->totals.skipped, 0);
  auto stats = (*engine)->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->versions, expected.versions);
  EXPECT_EQ(stats->articles, expected.articles);
  EXPECT_EQ(report->totals.added, expected.articles);
  EXPECT_EQ(report->totals.duplicates, expected.records - expected.versions);
  EXPECT_GT(report->totals.duplicates, 800) << "kcna_stiles_2024 alone has 802 exact copies";
  EXPECT_GT(stats->headline_stubs, 99000) << "headline-only records are kept as stubs";
  EXPECT_EQ(stats->by_source.at("rodong"), 134);

  SearchRequest request;  // a headline-only stub is found by its title
  request.query = "title:\"Kim Jong Il Inspects\"";
  request.with_facets = false;
  auto response = (*engine)->Search(request);
  ASSERT_TRUE(response.ok());
  EXPECT_GT(response->total_estimate, 10);
}

TEST_F(Corpus, SigkillMidIngestThenRerunMatchesACleanRun) {
  const std::string corpus = SharedDir() + "/corpus";
  TempDir clean, killed;
  ASSERT_EQ(testing::RunCli({"ingest", corpus, "--data", clean.path()}).exit_code, 0);
  const pid_t pid = fork();
  if (pid == 0) {
    if (!freopen("/dev/null", "wb", stdout) || !freopen("/dev/null", "wb", stderr)) _exit(127);
    execl(ECHOTRACE_BINARY, ECHOTRACE_BINARY, "ingest", corpus.c_str(), "--data", killed.path().c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::seconds(4));
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the ingest finished before the kill; kill earlier";
  ASSERT_EQ(testing::RunCli({"ingest", corpus, "--data", killed.path()}).exit_code, 0);

  auto a = Engine::Open(clean.path(), Engine::Mode::kRead);
  auto b = Engine::Open(killed.path(), Engine::Mode::kRead);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)->Stats()->articles, (*b)->Stats()->articles);
  EXPECT_EQ((*a)->Stats()->versions, (*b)->Stats()->versions);
  EXPECT_EQ((*b)->IndexLag(), 0);
  SearchRequest all;
  all.all_versions = true;
  all.with_facets = false;
  all.fold_stubs = false;  // every stored version, headline stubs folded into their story included
  EXPECT_EQ((*b)->Search(all)->total_estimate, (*b)->Stats()->versions) << "index and store agree";
}

}  // namespace
}  // namespace echotrace

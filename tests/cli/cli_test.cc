// The command line as a user meets it: exit codes, messages, stdin, and
// crash safety (SIGKILL in the middle of an ingest).
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "engine/engine.h"
#include "test_util.h"

namespace echotrace {
namespace {

using testing::CliRun;
using testing::RunCli;
using testing::SampleDir;
using testing::TempDir;
using testing::WriteFile;

// A synthetic state-media-like corpus: `n` records, some exact copies and
// some corrected versions, so a crash can land on every kind of write.
std::string SyntheticCorpus(int n) {
  static const char* kWords[] = {"socialist", "construction", "factory", "cooperative", "farm",   "revolutionary",
                                 "Party",     "cell",         "workers", "innovation",  "youth",  "campaign",
                                 "province",  "county",       "harvest", "delegation",  "letter", "plenary"};
  std::string out;
  unsigned seed = 12345;
  auto next = [&]() { return seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7fff; };
  for (int i = 0; i < n; ++i) {
    std::string body = "Pyongyang, May " + std::to_string(1 + i % 28) + " (KCNA) --";
    for (int w = 0; w < 60; ++w) (body += ' ') += kWords[next() % 18];
    body += " number " + std::to_string(i) + ".";
    const int id = (i % 50 == 49) ? i - 1 : i;  // every 50th record corrects the previous one
    nlohmann::json j = {{"id", "syn-" + std::to_string(id)},
                        {"source", i % 3 == 0 ? "rodong" : "kcna"},
                        {"date", "2024-05-" + std::string(i % 28 < 9 ? "0" : "") + std::to_string(1 + i % 28)},
                        {"title", "Report " + std::to_string(id)},
                        {"body", body}};
    out += j.dump() + "\n";
    if (i % 101 == 100) out += j.dump() + "\n";  // an exact duplicate line
  }
  return out;
}

TEST(Cli, UsageErrorsExitWithTwo) {
  EXPECT_EQ(RunCli({}).exit_code, 2);
  EXPECT_EQ(RunCli({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(RunCli({"search"}).exit_code, 2);
  EXPECT_EQ(RunCli({"search", "x", "--limit", "0"}).exit_code, 2);
  EXPECT_EQ(RunCli({"--help"}).exit_code, 0);
}

// With --json an error is JSON on stdout too, with a stable code (the API's envelope).
TEST(Cli, JsonErrorsCarryAStableCode) {
  TempDir dir;
  ASSERT_EQ(RunCli({"ingest", testing::SampleDir(), "--data", dir / "data"}).exit_code, 0);
  CliRun run = RunCli({"show", "no-such-article", "--json", "--data", dir / "data"});
  EXPECT_EQ(run.exit_code, 1);
  nlohmann::json error = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_TRUE(error.is_object()) << run.out;
  EXPECT_EQ(error["code"], "not_found") << run.out;
  EXPECT_EQ(error["exit_code"], 1);
  EXPECT_NE(run.err.find("no-such-article"), std::string::npos) << run.err;  // and in words on stderr
  run = RunCli({"trace", "some passage", "--before", "2020-99-99", "--json", "--data", dir / "data"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(nlohmann::json::parse(run.out, nullptr, false).value("code", ""), "bad_parameter") << run.out;
  run = RunCli({"events", "--json", "--data", dir / "missing"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(nlohmann::json::parse(run.out, nullptr, false).value("code", ""), "not_found") << run.out;
}

// `ingest --no-link` leaves linking to `link`: readers are told what waits.
TEST(Cli, IngestWithoutLinkingLeavesItToLink) {
  TempDir dir;
  ASSERT_EQ(RunCli({"ingest", testing::SampleDir(), "--no-link", "--data", dir / "data"}).exit_code, 0);
  CliRun run = RunCli({"events", "--data", dir / "data"});
  EXPECT_NE(run.err.find("are not linked yet"), std::string::npos) << run.err;
  run = RunCli({"link", "--data", dir / "data"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.find("linked 0 versions"), std::string::npos) << run.out;
  EXPECT_EQ(RunCli({"events", "--data", dir / "data"}).err.find("not linked yet"), std::string::npos);
}

// A typo gets the nearest word; a word far from any gets the way to the list.
TEST(Cli, TyposAreAnsweredWithTheNearestWord) {
  CliRun run = RunCli({"serach", "harvest"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("did you mean 'search'?"), std::string::npos) << run.err;
  run = RunCli({"--data", "somewhere", "evnets"});
  EXPECT_NE(run.err.find("did you mean 'events'?"), std::string::npos) << run.err;
  run = RunCli({"search", "harvest", "--jsno"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("unknown flag '--jsno' for 'search'; did you mean '--json'?"), std::string::npos) << run.err;
  run = RunCli({"eval", "provenanse", "dir"});
  EXPECT_NE(run.err.find("did you mean 'eval provenance'?"), std::string::npos) << run.err;
  run = RunCli({"frobnicate"});
  EXPECT_NE(run.err.find("unknown command 'frobnicate'; `echotrace --help` lists the commands"), std::string::npos)
      << run.err;
  run = RunCli({"--version"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out.rfind("echotrace ", 0), 0u) << run.out;
  // Dates are checked before anything runs.
  run = RunCli({"search", "x", "--from", "2012-13-45", "--data", "somewhere"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("'2012-13-45' is not a calendar date"), std::string::npos) << run.err;
  EXPECT_EQ(RunCli({"events", "--to", "2023-02-29", "--data", "somewhere"}).exit_code, 2);
}

TEST(Cli, BadInputExitsWithOneAndNamesTheFile) {
  TempDir dir;
  WriteFile(dir / "in/empty.txt", "");
  WriteFile(dir / "in/ok.txt", "A Title\n\nA body paragraph about the cooperative farm.");
  WriteFile(dir / "in/lines.jsonl",
            "{\"id\":\"x1\",\"title\":\"Good\",\"body\":\"Fine.\"}\n{\"id\":\"x2\",\"title\":\"Cut off\n"
            "{\"id\":\"x3\",\"title\":\"Also good\",\"body\":\"Bad \xff byte.\"}\n");
  CliRun run = RunCli({"ingest", dir / "in", "--data", dir / "data"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("empty.txt: empty file"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("lines.jsonl:2: truncated JSON"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("lines.jsonl:3: malformed UTF-8"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("3 added"), std::string::npos) << run.out << "\nthe good records are kept";
  EXPECT_NE(run.out.find("1 skipped"), std::string::npos) << run.out;
}

TEST(Cli, NothingReadableAndForeignDataDir) {
  TempDir dir;
  WriteFile(dir / "docs/README.md", "# not an article");
  CliRun run = RunCli({"ingest", dir / "docs", "--data", dir / "data"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("no readable article files"), std::string::npos) << run.err;

  WriteFile(dir / "mine/thesis.tex", "precious");
  run = RunCli({"ingest", SampleDir(), "--data", dir / "mine"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("not an echotrace data directory"), std::string::npos) << run.err;
  EXPECT_EQ(testing::ReadFile(dir / "mine/thesis.tex"), "precious");

  run = RunCli({"search", "x", "--data", dir / "nowhere"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("no echotrace data here"), std::string::npos) << run.err;
}

TEST(Cli, StdinAndJsonOutput) {
  TempDir dir;
  CliRun run = RunCli({"ingest", "-", "--data", dir / "data", "--json"},
                      "{\"id\":\"s1\",\"title\":\"Tideland reclamation\",\"body\":\"Tideland work advances.\"}\n");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(nlohmann::json::parse(run.out)["added"], 1);
  run = RunCli({"search", "tideland", "--data", dir / "data", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto hit = nlohmann::json::parse(run.out)["hits"].at(0);  // the API's envelope
  EXPECT_EQ(hit["external_id"], "s1");
  EXPECT_NE(hit["snippet"].get<std::string>().find("<mark>Tideland</mark>"), std::string::npos);
  run = RunCli({"show", "s1", "--data", dir / "data", "--json", "--versions"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(nlohmann::json::parse(run.out)["all_versions"].size(), 1u);
  run = RunCli({"show", "nope", "--data", dir / "data"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("no article with id 'nope'"), std::string::npos);
}

TEST(Cli, ShowVersionsAndSpans) {
  TempDir dir;
  ASSERT_EQ(RunCli({"ingest", SampleDir(), "--data", dir / "data"}).exit_code, 0);
  CliRun run = RunCli({"show", "sample-kcna-2024-009", "--versions", "--spans", "--data", dir / "data"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("version 2 of 2 (latest)"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("paragraph"), std::string::npos);
  run = RunCli({"stats", "--json", "--data", dir / "data"});
  const auto stats = nlohmann::json::parse(run.out);
  EXPECT_EQ(stats["articles"], 15);
  EXPECT_EQ(stats["unindexed"], 0);
  // Every part of the data directory, the n-gram index included, and the
  // text they are measured against.
  const auto& bytes = stats["bytes"];
  for (const char* part : {"total", "store file", "index", "ngrams", "text"}) {
    ASSERT_TRUE(bytes.contains(part)) << part << ": " << bytes.dump();
    EXPECT_GT(bytes[part].get<int64_t>(), 0) << part;
  }
  EXPECT_GE(bytes["total"].get<int64_t>(),
            bytes["store file"].get<int64_t>() + bytes["index"].get<int64_t>() + bytes["ngrams"].get<int64_t>());
  run = RunCli({"stats", "--data", dir / "data"});
  EXPECT_NE(run.out.find("x the stored text"), std::string::npos) << run.out;
}

struct Counts {
  int64_t articles = -1, versions = -1, searchable_versions = -1, searchable_latest = -1, lag = -1;
  bool operator==(const Counts&) const = default;
};

Counts CountsOf(const std::string& data_dir) {
  Counts counts;
  auto engine = Engine::Open(data_dir, Engine::Mode::kRead);
  if (!engine.ok()) return counts;
  auto stats = (*engine)->Stats();
  counts.articles = stats->articles;
  counts.versions = stats->versions;
  counts.lag = (*engine)->IndexLag();
  SearchRequest all;
  all.with_facets = false;
  all.all_versions = true;
  counts.searchable_versions = (*engine)->Search(all)->total_estimate;
  all.all_versions = false;
  counts.searchable_latest = (*engine)->Search(all)->total_estimate;
  return counts;
}

// The synthetic corpus the crash tests ingest: large enough for several
// batches of 1,000; smaller under the sanitizers, which run it ~10x slower
// (the sanitized suite must keep a wide margin under its time limit).
// Sizing: the longest, SigkillAtAnyMoment (four whole ingests), took 210 s
// with 20,000 records in the release build at load ~16 on 2 cores; 4,000
// records at ~10x put it near 420 s under ASan, a 3.6x margin to the 1,500 s
// test timeout (6,000 would be ~630 s, 2.4x). KilledBetween needs > 3,000.
#ifdef ECHOTRACE_SANITIZED
constexpr int kCrashCorpusRecords = 4000;
#else
constexpr int kCrashCorpusRecords = 20000;
#endif

class CrashTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new TempDir();
    WriteFile(*corpus_ / "synthetic.jsonl", SyntheticCorpus(kCrashCorpusRecords));
    const CliRun clean = RunCli({"ingest", *corpus_ / "synthetic.jsonl", "--data", *corpus_ / "clean"}, "",
                                {"ECHOTRACE_BATCH_VERSIONS=1000"});
    ASSERT_EQ(clean.exit_code, 0) << clean.err;
    expected_ = CountsOf(*corpus_ / "clean");
  }
  static void TearDownTestSuite() { delete corpus_; }
  static TempDir* corpus_;
  static Counts expected_;
};
TempDir* CrashTest::corpus_ = nullptr;
Counts CrashTest::expected_;

TEST_F(CrashTest, CleanRunIsConsistent) {
  EXPECT_GT(expected_.articles, kCrashCorpusRecords * 3 / 4);
  EXPECT_GT(expected_.versions, expected_.articles) << "the corpus has corrected versions";
  EXPECT_EQ(expected_.searchable_versions, expected_.versions);
  EXPECT_EQ(expected_.searchable_latest, expected_.articles);
  EXPECT_EQ(expected_.lag, 0);
}

// The worst moment: the store has committed a batch the index has not.
TEST_F(CrashTest, KilledBetweenStoreAndIndexCommitRecovers) {
  TempDir data;
  const CliRun crashed = RunCli({"ingest", *corpus_ / "synthetic.jsonl", "--data", data.path()}, "",
                                {"ECHOTRACE_BATCH_VERSIONS=1000", "ECHOTRACE_TEST_CRASH_AFTER_STORE_COMMITS=3"});
  ASSERT_EQ(crashed.exit_code, -SIGKILL);
  const Counts mid = CountsOf(data.path());
  EXPECT_EQ(mid.versions, 3000);
  EXPECT_EQ(mid.lag, 1000) << "the third batch is stored but not yet searchable";
  EXPECT_EQ(mid.searchable_versions, 2000) << "nothing half-visible: whole batches only";

  const CliRun rerun =
      RunCli({"ingest", *corpus_ / "synthetic.jsonl", "--data", data.path()}, "", {"ECHOTRACE_BATCH_VERSIONS=1000"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_NE(rerun.out.find("recovered: indexed 1000 versions"), std::string::npos) << rerun.out;
  EXPECT_EQ(CountsOf(data.path()), expected_);
}

// A real SIGKILL from outside, at several moments.
TEST_F(CrashTest, SigkillAtAnyMomentThenRerunGivesTheSameCounts) {
  for (int delay_ms : {150, 400, 900}) {
    TempDir data;
    const pid_t pid = fork();
    if (pid == 0) {
      putenv(const_cast<char*>("ECHOTRACE_BATCH_VERSIONS=700"));
      if (!freopen("/dev/null", "wb", stdout) || !freopen("/dev/null", "wb", stderr)) _exit(127);
      const std::string corpus = *corpus_ / "synthetic.jsonl";
      execl(ECHOTRACE_BINARY, ECHOTRACE_BINARY, "ingest", corpus.c_str(), "--data", data.path().c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    const CliRun rerun = RunCli({"ingest", *corpus_ / "synthetic.jsonl", "--data", data.path()});
    ASSERT_EQ(rerun.exit_code, 0) << "after kill at " << delay_ms << " ms: " << rerun.err;
    EXPECT_EQ(CountsOf(data.path()), expected_) << "after kill at " << delay_ms << " ms";
  }
}

}  // namespace
}  // namespace echotrace

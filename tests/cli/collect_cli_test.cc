// collect, ledger, export, watch from the command line, against the fixture
// site; the WARC export is read back by an independent reader (warcio).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "collect_fixture.h"
#include "test_util.h"

namespace echotrace {
namespace {

using nlohmann::json;
using testing::ArticlePage;
using testing::FixtureServer;
using testing::JsonLines;
using testing::Page;
using testing::RssFeed;
using testing::RunCli;
using testing::TempDir;

// Runs `command` with a shell and returns its stdout and exit code.
std::pair<std::string, int> Shell(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {"", -1};
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  const int status = pclose(pipe);
  return {out, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

class CollectCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Set("/a1", Page(200, ArticlePage("Rally in Pyongyang", "2026-11-01",
                                             "Pyongyang, November 1 (KCNA) -- A mass rally was held in the capital.\n\n"
                                             "Participants vowed to carry out the tasks of the year.")));
    server_.Set("/a2", Page(200,
                            ArticlePage("Harvest report", "2026-11-02",
                                        "Pyongyang, November 2 (KCNA) -- Farms reported a rich harvest.\n\n"
                                        "The missile industry sector was also mentioned in the report."),
                            "text/html; charset=utf-8", "", "\"a2-v1\""));
    server_.Set("/feed.xml", Page(200, RssFeed(server_, {"/a2", "/a1"}), "application/rss+xml"));
    data_ = dir_ / "data";
  }
  std::vector<std::string> Args(std::vector<std::string> rest) {
    rest.insert(rest.begin(), {"--data", data_});
    return rest;
  }

  FixtureServer server_;
  TempDir dir_;
  std::string data_;
};

TEST_F(CollectCliTest, CollectLedgerExportWatch) {
  // Poll once by URL, no sources file.
  auto first = RunCli(Args({"collect", server_.Url("/feed.xml"), "--json"}));
  ASSERT_EQ(first.exit_code, 0) << first.err << first.out;
  auto summary = JsonLines(first.out);
  ASSERT_EQ(summary.size(), 1u) << first.out;
  EXPECT_EQ(summary[0]["sources"][0]["new"], 2);
  EXPECT_EQ(summary[0]["sources"][0]["feed_kind"], "rss");

  // A watchlist, then an edit found through a sources file.
  auto added = RunCli(Args({"watch", "add", "missiles", "--query", "missile"}));
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_NE(added.out.find("1 articles match now"), std::string::npos) << added.out;
  testing::WriteFile(dir_ / "sources.toml",
                     "[collect]\nper_host_delay = \"0s\"\n\n[[source]]\nname = \"fixture\"\nurl = \"" +
                         server_.Url("/feed.xml") + "\"\noutlet = \"kcna\"\n");
  server_.Set("/a1", Page(200, ArticlePage("Rally in Pyongyang", "2026-11-01",
                                           "Pyongyang, November 1 (KCNA) -- A mass rally was held in the capital.\n\n"
                                           "Participants vowed to carry out the tasks of the year and to build "
                                           "more missile launchers.")));
  auto second = RunCli(Args({"collect", "--sources", dir_ / "sources.toml"}));
  ASSERT_EQ(second.exit_code, 0) << second.err << second.out;
  EXPECT_NE(second.out.find("fixture: rss, 2 listed, 2 fetched: 0 new, 1 edited, 1 unchanged, 0 gone"),
            std::string::npos)
      << second.out;
  EXPECT_NE(second.out.find("1 new watchlist matches"), std::string::npos) << second.out;

  auto ledger = RunCli(Args({"ledger", "--json"}));
  ASSERT_EQ(ledger.exit_code, 0) << ledger.err;
  const json entries = json::parse(ledger.out);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[2]["kind"], "edited");
  EXPECT_EQ(entries[2]["url"], server_.Url("/a1"));
  EXPECT_EQ(entries[2]["title"], "Rally in Pyongyang");
  EXPECT_EQ(entries[2]["diff"].back()["op"], "inserted");
  EXPECT_EQ(entries[2]["diff"].back()["quote"], "and to build more missile launchers");
  auto one_url = RunCli(Args({"ledger", "--url", server_.Url("/a1"), "--json"}));
  ASSERT_EQ(one_url.exit_code, 0) << one_url.err;
  EXPECT_EQ(json::parse(one_url.out).size(), 2u);  // a1: new, edited
  auto edited_only = RunCli(Args({"ledger", "--kind", "edited"}));
  EXPECT_NE(edited_only.out.find("{+and+} {+to+} {+build+} {+more+} {+missile+} {+launchers+}"), std::string::npos)
      << edited_only.out;
  EXPECT_EQ(RunCli(Args({"ledger", "--kind", "deleted"})).exit_code, 2);

  auto show = RunCli(Args({"watch", "show", "missiles", "--json"}));
  ASSERT_EQ(show.exit_code, 0) << show.err;
  const json watch = json::parse(show.out);
  ASSERT_EQ(watch["matches"].size(), 2u);
  EXPECT_EQ(watch["matches"][0]["title"], "Rally in Pyongyang");
  EXPECT_EQ(watch["watch"]["query"], "missile");
  auto list = RunCli(Args({"watch", "list", "--json"}));
  EXPECT_EQ(json::parse(list.out).size(), 1u);
  EXPECT_EQ(RunCli(Args({"watch", "add", "bad name"})).exit_code, 2);

  // WARC: every capture, gzip per record, read back by warcio.
  const std::string warc = dir_ / "out.warc.gz";
  auto exported = RunCli(Args({"export", "--all", "--gzip", "-o", warc}));
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_EQ(RunCli(Args({"export"})).exit_code, 2);
  if (Shell("command -v node").second != 0) GTEST_SKIP() << "node not found: the WARC read-back is skipped";
  auto [read, code] = Shell("node " + testing::SourceDir() + "/tests/collect/warc_read.mjs " + warc);
  if (code == 77) GTEST_SKIP() << read;
  ASSERT_EQ(code, 0) << read;
  const auto records = JsonLines(read);
  // warcinfo, then per poll robots.txt (404 here: kept all the same), the
  // feed and its two articles; a2 answered 304 the second time: a revisit
  // record that refers to its first response.
  ASSERT_EQ(records.size(), 9u) << read;
  EXPECT_EQ(records[0]["type"], "warcinfo");
  int edited_seen = 0, robots_seen = 0, revisits = 0;
  std::map<std::string, json> first_response;  // by URI
  for (size_t i = 1; i < records.size(); ++i) {
    const json& r = records[i];
    EXPECT_TRUE(r["digest_ok"].get<bool>()) << r.dump();
    EXPECT_EQ(r["date"].get<std::string>().size(), 20u);
    if (r["type"] == "response" && !first_response.count(r["uri"])) first_response[r["uri"]] = r;
    if (r["uri"] == server_.Url("/robots.txt")) {
      ++robots_seen;
      EXPECT_EQ(r["type"], "response");
      EXPECT_EQ(r["status"], 404);
    }
    if (r["type"] == "revisit") {
      ++revisits;
      EXPECT_EQ(r["uri"], server_.Url("/a2"));
      EXPECT_EQ(r["status"], 304);
      EXPECT_EQ(r["etag"], "\"a2-v1\"");
      EXPECT_EQ(r["profile"], "http://netpreserve.org/warc/1.1/revisit/server-not-modified");
      ASSERT_TRUE(first_response.count(server_.Url("/a2")));
      const json& confirmed = first_response[server_.Url("/a2")];
      EXPECT_EQ(r["refers_to"], confirmed["id"]);
      EXPECT_EQ(r["refers_to_uri"], server_.Url("/a2"));
      EXPECT_EQ(r["refers_to_date"], confirmed["date"]);
      EXPECT_LE(confirmed["date"].get<std::string>(), r["date"].get<std::string>());
    } else {
      EXPECT_EQ(r["type"], "response") << r.dump();
    }
    if (r["uri"] == server_.Url("/a1") &&
        r["text"].get<std::string>().find("more missile launchers") != std::string::npos) {
      ++edited_seen;
      EXPECT_EQ(r["status"], 200);
    }
  }
  EXPECT_EQ(edited_seen, 1);
  EXPECT_EQ(robots_seen, 2);
  EXPECT_EQ(revisits, 1);
}

// `collect --every` polls until SIGTERM, then exits cleanly.
TEST_F(CollectCliTest, EveryLoopStopsOnSignal) {
  const std::string out_path = dir_ / "out";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (!freopen(out_path.c_str(), "wb", stdout)) _exit(127);
    std::string binary = ECHOTRACE_BINARY;
    std::vector<std::string> args = {binary,    "--data", data_,   "collect", server_.Url("/feed.xml"),
                                     "--every", "1s",     "--json"};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  // Two polls, then the signal during the wait for the third.
  for (int i = 0; i < 100 && JsonLines(testing::ReadFile(out_path)).size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(pid, SIGTERM);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  const auto polls = JsonLines(testing::ReadFile(out_path));
  ASSERT_GE(polls.size(), 2u);
  EXPECT_EQ(polls[0]["sources"][0]["new"], 2);
  EXPECT_EQ(polls[1]["sources"][0]["unchanged"], 2);
  EXPECT_EQ(polls[1]["sources"][0]["new"], 0);
}

}  // namespace
}  // namespace echotrace

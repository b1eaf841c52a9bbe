// The analyst's workbench end to end (issue 15): one vocabulary for filters in
// CLI flags, API parameters and query prefixes; headline stubs folded into
// their story; sort by date; the month histogram; query mistakes explained
// with their place; export as CSV and JSON Lines from CLI and API alike.
#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "server/server.h"
#include "test_util.h"

namespace echotrace::server {
namespace {

using Json = nlohmann::json;
using testing::RunCli;
using testing::TempDir;

// A story and its own headline stub (same outlet, day, title), a stub with no
// story, a foreign story, an undated one.
constexpr const char* kRecords =
    "{\"id\":\"t-story\",\"source\":\"kcna\",\"date\":\"2011-05-02\",\"url\":\"http://kcna.example/t1\","
    "\"title\":\"Tideland Reclaimed in North Phyongan\",\"body\":\"A vast tideland was reclaimed, "
    "workers said.\"}\n"
    "{\"id\":\"t-stub\",\"source\":\"kcna\",\"date\":\"2011-05-02\",\"url\":\"http://kcna.example/hl#1\","
    "\"title\":\"Tideland reclaimed in North Phyongan\",\"body\":\"\"}\n"
    "{\"id\":\"t-lone-stub\",\"source\":\"kcna\",\"date\":\"2012-02-03\",\"url\":\"http://kcna.example/hl#2\","
    "\"title\":\"Tideland dyke inspected\",\"body\":\"\"}\n"
    "{\"id\":\"t-wire\",\"source\":\"Reuters\",\"date\":\"2012-07-09\",\"url\":\"https://www.reuters.com/t\","
    "\"title\":\"North Korea touts tideland\",\"body\":\"North Korea said its tideland work, \\\"a great "
    "victory\\\", was done.\"}\n"
    "{\"id\":\"t-undated\",\"source\":\"kcna\",\"title\":\"Tideland song\",\"body\":\"A tideland song was "
    "composed.\"}\n";

class WorkbenchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    testing::WriteFile(*dir_ / "in/tideland.jsonl", kRecords);
    auto engine = Engine::Open(*dir_ / "data", Engine::Mode::kWrite);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    ASSERT_TRUE((*engine)->Ingest({testing::SampleDir(), *dir_ / "in"}, {}, nullptr).ok());
    engine->reset();
    ServerOptions options;
    options.data_dir = *dir_ / "data";
    options.port = 0;
    auto server = Server::Start(options);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = server->release();
  }
  static void TearDownTestSuite() {
    server_->Stop();
    delete server_;
    delete dir_;
  }
  static std::string Data() { return *dir_ / "data"; }
  static httplib::Result Get(const std::string& target) {
    httplib::Client client("127.0.0.1", server_->port());
    return client.Get(target.c_str());
  }
  static Json Api(const std::string& target) {
    auto result = Get(target);
    EXPECT_TRUE(result);
    return result ? Json::parse(result->body, nullptr, false) : Json();
  }
  static Json Cli(std::vector<std::string> args) {
    args.insert(args.end(), {"--data", Data(), "--json"});
    const testing::CliRun run = RunCli(args);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return Json::parse(run.out, nullptr, false);
  }
  static std::set<std::string> Ids(const Json& answer) {
    std::set<std::string> out;
    for (const Json& hit : answer["hits"]) out.insert(hit["id"].get<std::string>());
    return out;
  }
  static TempDir* dir_;
  static Server* server_;
};
TempDir* WorkbenchTest::dir_ = nullptr;
Server* WorkbenchTest::server_ = nullptr;

std::string Escape(const std::string& s) { return httplib::detail::encode_query_param(s); }

TEST_F(WorkbenchTest, EveryFilterMeansTheSameInCliFlagsApiParametersAndQueryPrefixes) {
  // Each filter: CLI flags (new spelling, old), API parameters (new, old), query prefixes (new, old).
  struct Filter {
    std::string name;
    std::vector<std::vector<std::string>> cli;
    std::vector<std::string> api;
    std::vector<std::string> prefix;
  };
  const std::vector<Filter> filters = {
      {"outlet",
       {{"--outlet", "kcna"}, {"--source", "kcna"}},
       {"outlet=kcna", "source=kcna"},
       {"outlet:kcna", "source:kcna"}},
      {"kind",
       {{"--kind", "foreign"}, {"--media", "foreign"}},
       {"kind=foreign", "media=foreign"},
       {"kind:foreign", "media:foreign"}},
      {"entity", {{"--entity", "kim-jong-un"}}, {"entity=kim-jong-un"}, {"entity:kim-jong-un", "person:kim-jong-un"}},
      {"organization", {{"--entity", "wpk"}}, {"entity=wpk"}, {"organization:wpk", "org:wpk", "entity:wpk"}},
      {"event", {{"--event", "wpk/cc-8/plenary-4"}}, {"event=wpk/cc-8/plenary-4"}, {"event:wpk/cc-8/plenary-4"}},
      {"speaker", {{"--speaker", "kim-jong-un"}}, {"speaker=kim-jong-un"}, {"speaker:kim-jong-un"}},
      {"dates",
       {{"--from", "2022-01-01", "--to", "2022-12-31"}},
       {"from=2022-01-01&to=2022-12-31"},
       {"date:2022-01-01..2022-12-31"}},
  };
  const std::set<std::string> everything = Ids(Api("/api/search?q=&limit=100"));
  ASSERT_GT(everything.size(), 5u);
  for (const Filter& f : filters) {
    std::set<std::string> expected;
    bool first = true;
    auto same = [&](const std::set<std::string>& got, const std::string& how) {
      if (first) {
        expected = got;
        first = false;
        // A filter that keeps nothing, or everything, would prove nothing.
        EXPECT_FALSE(got.empty()) << f.name << " via " << how;
        EXPECT_LT(got.size(), everything.size()) << f.name << " via " << how;
      }
      EXPECT_EQ(got, expected) << f.name << " via " << how;
    };
    for (const auto& flags : f.cli) {
      std::vector<std::string> args = {"search", "", "--limit", "100"};
      args.insert(args.end(), flags.begin(), flags.end());
      same(Ids(Cli(args)), "CLI " + flags[0]);
    }
    for (const std::string& params : f.api) same(Ids(Api("/api/search?q=&limit=100&" + params)), "API " + params);
    for (const std::string& prefix : f.prefix) {
      same(Ids(Api("/api/search?limit=100&q=" + Escape(prefix))), "query " + prefix);
      same(Ids(Cli({"search", prefix, "--limit", "100"})), "CLI query " + prefix);
    }
  }
}

TEST_F(WorkbenchTest, AStoryAndItsOwnHeadlineStubAreOneHit) {
  const Json answer = Api("/api/search?q=tideland&limit=100");
  ASSERT_EQ(answer["total"], 4) << answer.dump();  // story, lone stub, wire, undated: not the story's own stub
  bool folded = false;
  for (const Json& hit : answer["hits"]) {
    EXPECT_NE(hit["external_id"], "t-stub");
    if (hit["external_id"] == "t-story") {
      ASSERT_TRUE(hit.contains("also_listed_as")) << hit.dump();
      ASSERT_EQ(hit["also_listed_as"].size(), 1u);
      EXPECT_EQ(hit["also_listed_as"][0]["external_id"], "t-stub");
      EXPECT_TRUE(hit["also_listed_as"][0]["headline_stub"].get<bool>());
      folded = true;
    }
  }
  EXPECT_TRUE(folded);
  EXPECT_EQ(answer["facets"]["outlet"][0]["count"].get<int>() + answer["facets"]["outlet"][1]["count"].get<int>(), 4);
}

TEST_F(WorkbenchTest, SortByDateAndTheHistogram) {
  const Json by_date = Api("/api/search?q=tideland&sort=date&histogram=1&entity_facets=1&limit=100");
  ASSERT_EQ(by_date["sort"], "date") << by_date.dump();
  std::vector<std::string> dates;
  for (const Json& hit : by_date["hits"]) dates.push_back(hit["date"]);
  EXPECT_EQ(dates, (std::vector<std::string>{"2012-07-09", "2012-02-03", "2011-05-02", ""}));
  EXPECT_EQ(by_date["histogram"]["months"], (Json{{"2011-05", 1}, {"2012-02", 1}, {"2012-07", 1}}));
  EXPECT_EQ(by_date["histogram"]["undated"], 1);
  EXPECT_EQ(Api("/api/search?q=tideland")["sort"], "relevance");
  EXPECT_EQ(Api("/api/search?q=")["sort"], "date");  // an empty query has nothing to rank by
  const Json bad = Api("/api/search?q=x&sort=oldest");
  EXPECT_EQ(bad["status"], 400);
  EXPECT_EQ(bad["parameter"], "sort");
  // The CLI prints the API's answer for the same search (one encoder).
  Json cli = Cli({"search", "tideland", "--sort", "date", "--histogram", "--limit", "100"});
  Json api = by_date;
  api.erase("entity");
  EXPECT_EQ(cli, api);
}

TEST_F(WorkbenchTest, QueryMistakesSayWhatAndWhereInApiAndCli) {
  Json error = Api("/api/search?q=" + Escape("\"nothing is impossible"));
  EXPECT_EQ(error["status"], 400);
  EXPECT_EQ(error["code"], "query_syntax");
  EXPECT_EQ(error["parameter"], "q");
  EXPECT_EQ(error["position"], 1);
  EXPECT_NE(error["error"].get<std::string>().find("unterminated quote"), std::string::npos) << error.dump();
  error = Api("/api/search?q=" + Escape("tractor AND OR harvest"));
  EXPECT_EQ(error["code"], "query_syntax");
  EXPECT_EQ(error["position"], 13);
  EXPECT_EQ(error["error"].get<std::string>().find("Syntax:"), std::string::npos) << "not Xapian's raw message";

  const testing::CliRun run = RunCli({"search", "tractor AND OR harvest", "--data", Data()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("follows 'AND'"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("  tractor AND OR harvest\n              ^"), std::string::npos) << run.err;
  const testing::CliRun json = RunCli({"search", "tractor AND OR harvest", "--data", Data(), "--json"});
  const Json body = Json::parse(json.out, nullptr, false);
  EXPECT_EQ(body["code"], "query_syntax");
  EXPECT_EQ(body["position"], 13);
  EXPECT_EQ(body["exit_code"], 2);
}

TEST_F(WorkbenchTest, ExportWritesEveryHitAsCsvOrJsonLinesFromCliAndApi) {
  auto csv = Get("/api/export?q=tideland&format=csv&sort=date");
  ASSERT_TRUE(csv);
  ASSERT_EQ(csv->status, 200) << csv->body;
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv->get_header_value("Content-Disposition").find("attachment"), std::string::npos);
  std::vector<std::string> lines;
  std::istringstream in(csv->body);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 5u) << csv->body;  // a header and the four hits
  EXPECT_EQ(lines[0],
            "rank,id,article_id,outlet,outlet_name,state_media,date,title,url,external_id,also_listed_as,snippet\r");
  EXPECT_NE(lines[1].find("2012-07-09,North Korea touts tideland,https://www.reuters.com/t"), std::string::npos);
  // A field with a comma or a quote is quoted, its quotes doubled.
  EXPECT_NE(lines[1].find("\"\"a great victory\"\""), std::string::npos) << lines[1];

  // The CLI writes the same bytes for the same search.
  const testing::CliRun cli = RunCli({"export", "tideland", "--format", "csv", "--sort", "date", "--data", Data()});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(cli.out, csv->body);

  auto jsonl = Get("/api/export?q=tideland&format=jsonl&outlet=kcna");
  ASSERT_TRUE(jsonl);
  ASSERT_EQ(jsonl->status, 200);
  std::istringstream rows(jsonl->body);
  int n = 0;
  for (std::string line; std::getline(rows, line); ++n) {
    const Json row = Json::parse(line);
    EXPECT_EQ(row["outlet"], "kcna");
    if (row["external_id"] == "t-story") {
      EXPECT_EQ(row["also_listed_as"].size(), 1u);
    }
  }
  EXPECT_EQ(n, 3);
  const testing::CliRun cli_jsonl =
      RunCli({"export", "tideland", "--format", "jsonl", "--outlet", "kcna", "--data", Data()});
  EXPECT_EQ(cli_jsonl.out, jsonl->body);

  auto bad = Get("/api/export?q=tideland&format=xlsx");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Json::parse(bad->body)["parameter"], "format");
  // export --warc still means captures: none here, and not mixed with a query.
  EXPECT_EQ(RunCli({"export", "tideland", "--all", "--data", Data()}).exit_code, 2);
}

}  // namespace
}  // namespace echotrace::server

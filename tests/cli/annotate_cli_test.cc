// Annotation end to end through the command line: what ingest annotates is
// listed (entities, quotes), searchable (person:, --entity, --media), added
// later by reindex when ingest skipped it, and scored by `eval annotate`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "test_util.h"

namespace echotrace {
namespace {

using nlohmann::json;
using testing::JsonLines;
using testing::RunCli;
using testing::SampleDir;
using testing::TempDir;

TEST(AnnotateCli, IngestAnnotatesAndAnnotationsAreListedAndSearchable) {
  TempDir dir;
  ASSERT_EQ(RunCli({"ingest", SampleDir(), "--data", dir.path()}).exit_code, 0);

  const auto entities = RunCli({"entities", "--type", "person", "--json", "--data", dir.path()});
  ASSERT_EQ(entities.exit_code, 0) << entities.err;
  bool kim = false;
  const json entity_list = json::parse(entities.out)["entities"];
  for (const json& e : entity_list) {
    EXPECT_EQ(e["kind"], "person");
    if (e["key"] == "kim-jong-un") {
      kim = true;
      EXPECT_GE(e["articles"].get<int>(), 2);
    }
  }
  EXPECT_TRUE(kim) << entities.out;

  const auto quotes = RunCli({"quotes", "--speaker", "kim-jong-un", "--json", "--data", dir.path()});
  ASSERT_EQ(quotes.exit_code, 0) << quotes.err;
  const json quote_list = json::parse(quotes.out)["quotes"];
  ASSERT_FALSE(quote_list.empty());
  for (const json& q : quote_list) EXPECT_EQ(q["speaker"], "kim-jong-un");
  // "organization" (the API's word) and "org" (annotation's label) are one type.
  const auto orgs = json::parse(RunCli({"entities", "--type", "organization", "--json", "--data", dir.path()}).out);
  const auto orgs_short = json::parse(RunCli({"entities", "--type", "org", "--json", "--data", dir.path()}).out);
  EXPECT_GT(orgs["total"].get<int>(), 0);
  EXPECT_EQ(orgs, orgs_short);

  const auto by_person = RunCli({"search", "person:kim-jong-un", "--json", "--data", dir.path()});
  ASSERT_EQ(by_person.exit_code, 0) << by_person.err;
  const auto by_flag = RunCli({"search", "", "--entity", "kim-jong-un", "--json", "--data", dir.path()});
  ASSERT_EQ(by_flag.exit_code, 0) << by_flag.err;
  EXPECT_FALSE(json::parse(by_person.out)["hits"].empty());
  // The same articles (a query with words ranks; an empty one lists newest first).
  const auto ids = [](const std::string& out) {
    std::set<std::string> set;
    const json parsed = json::parse(out);  // kept alive: the loop walks its member
    for (const json& hit : parsed["hits"]) set.insert(hit["id"].get<std::string>());
    return set;
  };
  EXPECT_EQ(ids(by_person.out), ids(by_flag.out));
  // The wire story is foreign press, the KCNA letter state media.
  const json foreign =
      json::parse(RunCli({"search", "ideological", "--media", "foreign", "--json", "--data", dir.path()}).out);
  EXPECT_FALSE(foreign["hits"].empty());
  for (const json& hit : foreign["hits"]) EXPECT_NE(hit["outlet"]["id"], "kcna");
  EXPECT_EQ(RunCli({"search", "x", "--media", "martian", "--data", dir.path()}).exit_code, 2);
}

TEST(AnnotateCli, ReindexAnnotatesWhatIngestSkipped) {
  TempDir dir;
  ASSERT_EQ(RunCli({"ingest", SampleDir(), "--no-annotate", "--data", dir.path()}).exit_code, 0);
  EXPECT_EQ(json::parse(RunCli({"entities", "--json", "--data", dir.path()}).out)["total"], 0);
  ASSERT_EQ(RunCli({"reindex", "--data", dir.path()}).exit_code, 0);
  EXPECT_GT(json::parse(RunCli({"entities", "--json", "--data", dir.path()}).out)["total"], 0);
  EXPECT_FALSE(
      json::parse(RunCli({"search", "person:kim-jong-un", "--json", "--data", dir.path()}).out)["hits"].empty());
}

TEST(AnnotateCli, EvalAnnotateMeetsTheTargets) {
  const auto run = RunCli(
      {"eval", "annotate", testing::SourceDir() + "/tests/data/annotate", "--shared", testing::SharedDir(), "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const json result = json::parse(run.out);
  const json& overall = result["overall"];
  EXPECT_GE(overall["dates"]["f1"].get<double>(), 0.97);
  EXPECT_GE(overall["entities"]["f1"].get<double>(), 0.95);
  EXPECT_GE(overall["quotes"]["f1"].get<double>(), 0.95);
  EXPECT_GE(overall["events"]["f1"].get<double>(), 0.95);
  EXPECT_GE(result["speaker_accuracy"].get<double>(), 0.95);
  if (!testing::HaveShared()) GTEST_SKIP() << "../shared not found: seed targets not checked";
  EXPECT_DOUBLE_EQ(result["seeds"]["dates"]["f1"].get<double>(), 1.0);
  EXPECT_GE(result["seeds"]["entities"]["f1"].get<double>(), 0.95);
}

}  // namespace
}  // namespace echotrace

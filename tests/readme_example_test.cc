// The end-to-end example at the top of README.md, compiled and run: ingest
// (extract -> annotate -> store -> index -> link), search, trace. The test
// also checks that README.md shows exactly this code, so it cannot go stale.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "test_util.h"

// README-EXAMPLE-BEGIN
#include "engine/engine.h"

using namespace echotrace;

// Ingests the embedded sample, finds a phrase, and traces a wire story's
// quote to the state-media passage it reuses.
Status Example(const std::string& data_dir, std::string* out) {
  ET_ASSIGN_OR_RETURN(auto engine, Engine::Open(data_dir, Engine::Mode::kWrite));
  ET_ASSIGN_OR_RETURN(IngestReport ingested, engine->Ingest({"data/sample"}, {}, nullptr));

  SearchRequest request;
  request.query = "\"nothing is impossible\"";
  request.entities = {"kim-jong-un"};  // annotation gave every mention of him this id
  ET_ASSIGN_OR_RETURN(SearchResponse hits, engine->Search(request));

  ET_ASSIGN_OR_RETURN(auto origins, engine->Trace("the sharpest weapons of persuasion", TraceRequest{}));
  *out = std::to_string(ingested.totals.added) + " articles; " + std::to_string(hits.total_estimate) + " hits; ";
  for (const QuoteMatch& origin : origins) *out += "quoted from " + origin.outlet + " " + origin.date;
  return Status::Ok();
}
// README-EXAMPLE-END

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

TEST(ReadmeExampleTest, RunsEndToEnd) {
  echotrace::testing::TempDir dir;
  const std::string cwd = echotrace::testing::SourceDir();  // "data/sample" is relative to the clone
  ASSERT_EQ(chdir(cwd.c_str()), 0);
  std::string out;
  const Status status = Example(dir.path() + "/data", &out);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_NE(out.find(" hits; quoted from kcna 2022-03-2"), std::string::npos) << out;
  EXPECT_EQ(out.find(" 0 hits"), std::string::npos) << out;
}

TEST(ReadmeExampleTest, ReadmeShowsThisCode) {
  const std::string test = ReadFile(std::string(ECHOTRACE_SOURCE_DIR) + "/tests/readme_example_test.cc");
  const size_t begin = test.find("// README-EXAMPLE-BEGIN\n");
  const size_t end = test.find("// README-EXAMPLE-END");
  ASSERT_NE(begin, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  const std::string code = test.substr(begin + 24, end - begin - 24);
  const std::string readme = ReadFile(std::string(ECHOTRACE_SOURCE_DIR) + "/README.md");
  EXPECT_NE(readme.find(code), std::string::npos) << "README.md must show the example exactly as compiled here:\n"
                                                  << code;
}

}  // namespace

// Per-document budgets of ingest (engine.h IngestBudgets): a pathological
// record over its extraction, annotation or linking budget is skipped and
// reported, and the records around it are stored as usual. The clock is
// injected (one tick per reading), so a budget runs out after a fixed number
// of checks: the tests are deterministic and assert no timing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "engine/engine.h"
#include "test_util.h"

namespace echotrace {
namespace {

using Json = nlohmann::json;
using testing::SampleDir;
using testing::TempDir;
using testing::WriteFile;

// Ticks: every reading of the clock is one second later.
IngestOptions TickingBudgets(int64_t* ticks) {
  IngestOptions options;
  options.budgets.TEST_clock = [ticks] { return static_cast<double>(++*ticks); };
  options.workers = 1;  // the counter is read on the calling thread only
  for (StageBudget* stage : {&options.budgets.extract, &options.budgets.annotate, &options.budgets.link}) {
    stage->max_seconds = 1e9;  // each test tightens the stage it probes
  }
  return options;
}

std::string Line(const std::string& title, const std::string& body, const std::string& extra = "") {
  Json record{{"title", title}, {"body", body}, {"date", "2022-03-30"}, {"source", "example-wire"}};
  if (!extra.empty()) record["url"] = extra;
  return record.dump() + "\n";
}

class IngestBudgetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto engine = Engine::Open(dir_ / "data", Engine::Mode::kWrite);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(engine).value();
  }
  int64_t Hits(const std::string& query) {
    SearchRequest request;
    request.query = query;
    auto response = engine_->Search(request);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    return response.ok() ? response->total_estimate : -1;
  }
  int64_t DocnoOf(const std::string& query) {
    SearchRequest request;
    request.query = query;
    auto response = engine_->Search(request);
    return response.ok() && response->hits.size() == 1 ? response->hits[0].docno : 0;
  }
  // The one error issue of `report`, checked to name `where` and `stage`.
  static void ExpectOneSkip(const IngestReport& report, const std::string& where, const std::string& stage) {
    int errors = 0;
    for (const InputIssue& issue : report.issues) {
      if (!issue.is_error) continue;
      ++errors;
      EXPECT_NE(issue.where.find(where), std::string::npos) << issue.where;
      EXPECT_NE(issue.message.find("over the " + stage + " budget"), std::string::npos) << issue.message;
    }
    EXPECT_EQ(errors, 1);
    EXPECT_TRUE(report.HasErrors());
  }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

// A page of 60,000 elements: the DOM walk reads the clock every 256 nodes and
// gives up; the pages before and after it are stored.
TEST_F(IngestBudgetTest, ExtractionOverItsTimeBudgetSkipsThePage) {
  std::string html = "<html><head><title>Endless Markup</title></head><body><p>Start.";
  for (int i = 0; i < 60000; ++i) html += "<span>w</span>";
  html += "</p></body></html>";
  WriteFile(dir_ / "in/a.txt", "Walrus Census\n\nThe walruses were counted on the northern shore this spring.");
  WriteFile(dir_ / "in/b.html", html);
  WriteFile(dir_ / "in/c.txt", "Quokka Census\n\nThe quokkas were counted on the island this spring.");
  int64_t ticks = 0;
  IngestOptions options = TickingBudgets(&ticks);
  options.budgets.extract.max_seconds = 100;
  auto report = engine_->Ingest({dir_ / "in"}, options, nullptr);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->totals.added, 2);
  EXPECT_EQ(report->totals.skipped, 1);
  ExpectOneSkip(*report, "b.html", "extraction");
  EXPECT_EQ(Hits("walruses"), 1);
  EXPECT_EQ(Hits("quokkas"), 1);
  EXPECT_EQ(Hits("endless"), 0);

  // The same page within an ordinary budget is extracted (not a bug of the page).
  TempDir other;
  auto fresh = Engine::Open(other / "data", Engine::Mode::kWrite);
  ASSERT_TRUE(fresh.ok());
  auto whole = (*fresh)->Ingest({dir_ / "in/b.html"}, {}, nullptr);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->totals.added, 1);
  EXPECT_FALSE(whole->HasErrors());
}

TEST_F(IngestBudgetTest, RecordsOverASizeBudgetAreSkippedBeforeTheStageRuns) {
  const std::string big(200 << 10, 'x');
  WriteFile(dir_ / "in.jsonl", Line("Walrus Census", "The walruses were counted.") +
                                   Line("Huge Record", "Long text " + big) +
                                   Line("Quokka Census", "The quokkas were counted."));
  IngestOptions options;
  options.budgets.extract.max_bytes = 100 << 10;
  auto report = engine_->Ingest({dir_ / "in.jsonl"}, options, nullptr);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->totals.added, 2);
  ExpectOneSkip(*report, "in.jsonl:2", "extraction");
  EXPECT_EQ(Hits("huge"), 0);

  // Under the extraction limit, over the annotation limit (text bytes).
  WriteFile(dir_ / "in2.jsonl", Line("Second Huge Record", "Long text " + big));
  options.budgets.extract.max_bytes = 0;
  options.budgets.annotate.max_bytes = 100 << 10;
  auto second = engine_->Ingest({dir_ / "in2.jsonl"}, options, nullptr);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->totals.added, 0);
  ExpectOneSkip(*second, "in2.jsonl:1", "annotation");
}

// 400 paragraphs: every annotator reads the clock at each block. The short
// records around it are annotated and stored.
TEST_F(IngestBudgetTest, AnnotationOverItsTimeBudgetSkipsTheRecord) {
  std::string body;
  for (int i = 0; i < 400; ++i)
    body += "Kim Jong Un said on March " + std::to_string(i % 28 + 1) + " that \"all is well\".\n";
  WriteFile(dir_ / "in.jsonl", Line("Walrus Census", "Kim Jong Un counted the walruses on March 3.") +
                                   Line("Many Paragraphs", body) +
                                   Line("Quokka Census", "Kim Jong Un counted the quokkas on March 4."));
  int64_t ticks = 0;
  IngestOptions options = TickingBudgets(&ticks);
  options.budgets.annotate.max_seconds = 100;
  auto report = engine_->Ingest({dir_ / "in.jsonl"}, options, nullptr);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->totals.added, 2);
  EXPECT_EQ(report->totals.skipped, 1);
  ExpectOneSkip(*report, "in.jsonl:2", "annotation");
  // The records kept were annotated in full.
  SearchRequest request;
  request.query = "walruses";
  request.entities = {"kim-jong-un"};
  auto found = engine_->Search(request);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->total_estimate, 1);
  EXPECT_EQ(Hits("paragraphs"), 0);
}

// A foreign article with 300 quoted passages: tracing reads the clock at each
// passage and gives up. The article is stored and searchable without links;
// a normal foreign article of the same run is linked to its origin.
TEST_F(IngestBudgetTest, LinkingOverItsTimeBudgetLeavesTheArticleUnlinked) {
  ASSERT_TRUE(engine_->Ingest({SampleDir()}, {}, nullptr).ok());
  const std::string quote = "Kim called films and posters \"the sharpest weapons of persuasion\", KCNA said.";
  std::string many = quote + "\n";
  for (int i = 0; i < 300; ++i) many += "An official said \"number " + std::to_string(i) + " is a quoted word\".\n";
  WriteFile(dir_ / "in.jsonl", Line("Normal Wire Story", quote, "https://wire.example/1") +
                                   Line("Quote Storm Story", many, "https://wire.example/2"));
  int64_t ticks = 0;
  IngestOptions options = TickingBudgets(&ticks);
  options.budgets.link.max_seconds = 100;
  auto report = engine_->Ingest({dir_ / "in.jsonl"}, options, nullptr);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->totals.added, 2);
  EXPECT_EQ(report->link_skipped, 1);
  ExpectOneSkip(*report, "in.jsonl:2", "linking");

  const int64_t normal = DocnoOf("\"normal wire story\"");
  const int64_t storm = DocnoOf("\"quote storm story\"");
  ASSERT_GT(normal, 0);
  ASSERT_GT(storm, 0);
  auto normal_links = engine_->LinksOf(normal);
  ASSERT_TRUE(normal_links.ok()) << normal_links.status().ToString();
  EXPECT_FALSE(normal_links->empty()) << "the normal article is linked to the KCNA letter";
  auto storm_links = engine_->LinksOf(storm);
  ASSERT_TRUE(storm_links.ok());
  EXPECT_TRUE(storm_links->empty());

  // The link mark moved past it: a later run does not stall on it.
  WriteFile(dir_ / "later.txt", "Walrus Census\n\nThe walruses were counted.");
  auto later = engine_->Ingest({dir_ / "later.txt"}, {}, nullptr);
  ASSERT_TRUE(later.ok());
  EXPECT_FALSE(later->HasErrors());
  auto lag = engine_->LinkLag();
  ASSERT_TRUE(lag.ok());
  EXPECT_EQ(*lag, 0);
}

TEST_F(IngestBudgetTest, LinkingSizeBudget) {
  ASSERT_TRUE(engine_->Ingest({SampleDir()}, {}, nullptr).ok());
  std::string body = "Kim called films and posters \"the sharpest weapons of persuasion\", KCNA said.\n";
  while (body.size() < (20 << 10)) body += "The analysts wrote at length about the letter and its words.\n";
  WriteFile(dir_ / "in.jsonl", Line("Long Wire Story", body, "https://wire.example/3"));
  IngestOptions options;
  options.budgets.link.max_bytes = 10 << 10;
  auto report = engine_->Ingest({dir_ / "in.jsonl"}, options, nullptr);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->totals.added, 1);
  ExpectOneSkip(*report, "in.jsonl:1", "linking");
  const int64_t docno = DocnoOf("\"long wire story\"");
  ASSERT_GT(docno, 0);
  auto links = engine_->LinksOf(docno);
  ASSERT_TRUE(links.ok());
  EXPECT_TRUE(links->empty());
}

}  // namespace
}  // namespace echotrace

// Ingest's pipeline (engine/ingest_run.h): records extracted and annotated
// on worker threads, written in input order. The store, the index and the
// report must be those of a serial run, whatever the number of workers.
// Also run under ThreadSanitizer (scripts/test.sh).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/engine.h"
#include "test_util.h"

namespace echotrace {
namespace {

using testing::SampleDir;
using testing::TempDir;
using testing::WriteFile;

// A generated input with what makes ordering matter: new articles, new
// versions of earlier ones (same id, new text), exact copies (raw bytes and
// content), a line that is not JSON (skipped), one with malformed UTF-8
// (repaired, a warning), quotes to annotate and near-copies to link.
std::string GeneratedLines(int n) {
  static const char* const kWords[] = {"harvest",   "factory", "railway",  "delegation", "school",  "hospital",
                                       "reservoir", "plenary", "congress", "fisheries",  "orchard", "power"};
  std::string out;
  for (int i = 0; i < n; ++i) {
    const std::string w1 = kWords[i % 12], w2 = kWords[(i * 7 + 3) % 12];
    const int article = i % 5 == 4 ? i - 3 : i;  // every fifth line: a new version of an earlier article
    std::string body = "Pyongyang, March " + std::to_string(1 + i % 28) + " (KCNA) -- The " + w1 +
                       " workers of the county met the " + w2 + " team on day " + std::to_string(i) + ".\\n" +
                       "Kim Jong Un said \\\"the " + w1 + " must be built faster than ever before in the " + w2 +
                       " sector\\\" at the meeting.\\nThe report number " + std::to_string(i % 7) +
                       " was adopted unanimously by the participants of the " + w1 + " meeting.";
    std::string line = "{\"id\": \"gen-" + std::to_string(article) + "\", \"source\": \"kcna\", \"date\": \"2024-03-" +
                       (1 + i % 28 < 10 ? "0" : "") + std::to_string(1 + i % 28) + "\", \"title\": \"The " + w1 +
                       " and the " + w2 + " " + std::to_string(i) + "\", \"body\": \"" + body + "\"}\n";
    out += line;
    if (i % 11 == 3) out += line;                                                            // the same bytes again
    if (i % 17 == 5) out += "{\"id\": \"broken-" + std::to_string(i) + "\", \"title\": \n";  // not JSON
    if (i % 23 == 7) {
      std::string bad = line;
      bad.replace(bad.find("workers"), 7, "work\xff\xfers");  // malformed UTF-8: repaired, warned
      bad.replace(bad.find("gen-"), 4, "bad-");
      out += bad;
    }
  }
  return out;
}

struct Ingested {
  IngestReport report;
  std::vector<StoredVersion> versions;                 // docno 1..max, with raw bytes
  std::vector<std::vector<int64_t>> hits;              // per query, in rank order
  std::vector<std::pair<int64_t, int64_t>> dup_pairs;  // linking's near-duplicates
};

std::vector<std::string> Queries() {
  return {"harvest", "factory workers", "\"report number 3\"", "plenary OR school"};
}

Ingested IngestWith(const std::string& data, const std::vector<std::string>& inputs, int workers) {
  Ingested out;
  auto engine = Engine::Open(data, Engine::Mode::kWrite);
  EXPECT_TRUE(engine.ok()) << engine.status().ToString();
  if (!engine.ok()) return out;
  IngestOptions options;
  options.workers = workers;
  options.batch_versions = 37;  // many batches: commits and links between them
  auto report = (*engine)->Ingest(inputs, options, nullptr);
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  if (!report.ok()) return out;
  out.report = *report;
  auto stats = (*engine)->Stats();
  EXPECT_TRUE(stats.ok());
  for (int64_t docno = 1; stats.ok() && docno <= stats->max_docno; ++docno) {
    auto version = (*engine)->Version(docno);
    EXPECT_TRUE(version.ok()) << docno;
    if (version.ok()) out.versions.push_back(std::move(version).value());
  }
  for (const std::string& query : Queries()) {
    SearchRequest request;
    request.query = query;
    request.limit = 50;
    auto response = (*engine)->Search(request);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    std::vector<int64_t> docnos;
    if (response.ok()) {
      for (const SearchHit& hit : response->hits) docnos.push_back(hit.docno);
    }
    out.hits.push_back(std::move(docnos));
  }
  auto pairs = (*engine)->DupPairs();
  EXPECT_TRUE(pairs.ok());
  if (pairs.ok()) {
    for (const DupPairRow& row : **pairs) out.dup_pairs.emplace_back(row.a, row.b);
  }
  return out;
}

void ExpectSame(const Ingested& serial, const Ingested& parallel) {
  const IngestRunTotals &a = serial.report.totals, &b = parallel.report.totals;
  EXPECT_EQ(a.records, b.records);
  EXPECT_EQ(a.added, b.added);
  EXPECT_EQ(a.new_versions, b.new_versions);
  EXPECT_EQ(a.duplicates, b.duplicates);
  EXPECT_EQ(a.skipped, b.skipped);
  EXPECT_EQ(a.warnings, b.warnings);
  EXPECT_EQ(a.teaser_stubs, b.teaser_stubs);
  EXPECT_EQ(serial.report.files_failed, parallel.report.files_failed);
  ASSERT_EQ(serial.report.issues.size(), parallel.report.issues.size());
  for (size_t i = 0; i < serial.report.issues.size(); ++i) {
    EXPECT_EQ(serial.report.issues[i].where, parallel.report.issues[i].where) << i;
    EXPECT_EQ(serial.report.issues[i].message, parallel.report.issues[i].message) << i;
  }
  ASSERT_EQ(serial.versions.size(), parallel.versions.size());
  for (size_t i = 0; i < serial.versions.size(); ++i) {
    const StoredVersion &x = serial.versions[i], &y = parallel.versions[i];
    SCOPED_TRACE("docno " + std::to_string(x.docno));
    EXPECT_EQ(x.docno, y.docno);
    EXPECT_EQ(x.version_id, y.version_id);
    EXPECT_EQ(x.article_id, y.article_id);
    EXPECT_EQ(x.seq, y.seq);
    EXPECT_EQ(x.latest, y.latest);
    EXPECT_EQ(x.doc.origin, y.doc.origin);
    EXPECT_EQ(x.doc.title, y.doc.title);
    EXPECT_EQ(x.doc.text, y.doc.text);
    EXPECT_TRUE(x.doc.spans == y.doc.spans);
    EXPECT_EQ(x.doc.warnings, y.doc.warnings);
    EXPECT_EQ(x.doc.derived_from, y.doc.derived_from);
  }
  EXPECT_EQ(serial.hits, parallel.hits);
  EXPECT_EQ(serial.dup_pairs, parallel.dup_pairs);
}

TEST(IngestPipelineTest, WorkersGiveTheSerialStoreIndexAndReport) {
  TempDir input;
  WriteFile(input / "a/generated.jsonl", GeneratedLines(160));
  WriteFile(input / "b/more.jsonl", GeneratedLines(40));  // copies of a's first lines, in another file
  const std::vector<std::string> inputs = {SampleDir(), input / "a", input / "b"};
  TempDir one, two, three;
  const Ingested serial = IngestWith(one.path(), inputs, 1);
  ASSERT_GT(serial.versions.size(), 150u);
  EXPECT_GT(serial.report.totals.new_versions, 20);
  EXPECT_GT(serial.report.totals.duplicates, 40);
  EXPECT_GT(serial.report.totals.skipped, 5);
  EXPECT_GT(serial.report.totals.warnings, 3);
  EXPECT_GT(serial.report.totals.teaser_stubs + serial.report.totals.added, 100);
  for (const auto& hits : serial.hits) EXPECT_FALSE(hits.empty());
  {
    SCOPED_TRACE("2 workers");
    ExpectSame(serial, IngestWith(two.path(), inputs, 2));
  }
  {
    SCOPED_TRACE("3 workers");
    ExpectSame(serial, IngestWith(three.path(), inputs, 3));
  }
}

// A record whose raw bytes are stored is a duplicate before extraction: its
// repaired-UTF-8 warning is not given again, nor is anything re-added.
TEST(IngestPipelineTest, KnownRecordsAreNotExtractedAgain) {
  TempDir input, data;
  WriteFile(input / "generated.jsonl", GeneratedLines(60));
  auto engine = Engine::Open(data.path(), Engine::Mode::kWrite);
  ASSERT_TRUE(engine.ok());
  IngestOptions options;
  options.workers = 2;
  auto first = (*engine)->Ingest({input.path()}, options, nullptr);
  ASSERT_TRUE(first.ok());
  ASSERT_GT(first->totals.warnings, 0);
  auto again = (*engine)->Ingest({input.path()}, options, nullptr);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->totals.records, first->totals.records);
  EXPECT_EQ(again->totals.duplicates, first->totals.records - first->totals.skipped);
  EXPECT_EQ(again->totals.added + again->totals.new_versions, 0);
  EXPECT_EQ(again->totals.warnings, 0);                     // not extracted again
  EXPECT_EQ(again->totals.skipped, first->totals.skipped);  // what failed fails again
}

// Progress names the stage and the file being read.
TEST(IngestPipelineTest, ProgressSaysTheStageAndTheFile) {
  TempDir input, data;
  WriteFile(input / "generated.jsonl", GeneratedLines(30));
  auto engine = Engine::Open(data.path(), Engine::Mode::kWrite);
  ASSERT_TRUE(engine.ok());
  std::vector<IngestProgress> seen;
  IngestOptions options;
  options.batch_versions = 10;
  auto report = (*engine)->Ingest({input.path()}, options, [&](const IngestProgress& p) { seen.push_back(p); });
  ASSERT_TRUE(report.ok());
  ASSERT_FALSE(seen.empty());
  bool indexing = false, linking = false;
  for (const IngestProgress& p : seen) {
    indexing |= p.stage == IngestStage::kIndexing;
    linking |= p.stage == IngestStage::kLinking;
    if (p.stage != IngestStage::kDone) {
      EXPECT_EQ(p.file, input / "generated.jsonl");
    }
  }
  EXPECT_TRUE(indexing);
  EXPECT_TRUE(linking);
  EXPECT_EQ(seen.back().stage, IngestStage::kDone);
  EXPECT_EQ(seen.back().records, report->totals.records);
  EXPECT_EQ(IngestStageName(IngestStage::kLinking), "linking");
}

}  // namespace
}  // namespace echotrace

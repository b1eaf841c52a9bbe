// Throughput of the date, event and work finders against extraction on the same
// documents: what annotation adds to ingest time.
//
// Run: build/bench/echotrace_annotate_bench ../shared/corpus [max_records] [repeats]
// Reads every *.jsonl file in the folder (one record a line), extracts each record
// (timed), then runs FindDates, FindEvents and FindWorks over the extracted documents
// (each timed), `repeats` rounds (default 3, each round extraction then the finders),
// and prints the best time of each with MB/s
// over doc.text bytes and the ratio to extraction time.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "annotate/dates.h"
#include "annotate/events.h"
#include "extract/extract.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

}  // namespace

int main(int argc, char** argv) {
  using namespace echotrace;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [max_records] [repeats]\n", argv[0]);
    return 2;
  }
  const size_t max_records = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1000000;
  const int repeats = argc > 3 ? std::max(1, std::atoi(argv[3])) : 3;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    if (entry.path().extension() == ".jsonl") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> records;
  for (const auto& file : files) {
    std::ifstream in(file);
    std::string line;
    while (records.size() < max_records && std::getline(in, line)) {
      if (!line.empty()) records.push_back(line);
    }
  }
  size_t raw_bytes = 0;
  for (const std::string& record : records) raw_bytes += record.size();

  struct Stage {
    const char* name;
    std::function<size_t(const Document&)> run;
    double best = 1e30;
    size_t spans = 0;
  };
  std::vector<Stage> stages = {
      {"FindDates", [](const Document& d) { return FindDates(d).size(); }},
      {"FindEvents", [](const Document& d) { return FindEvents(d).size(); }},
      {"FindWorks", [](const Document& d) { return FindWorks(d).size(); }},
  };
  // Rounds interleave extraction and the finders, so that load from other
  // processes on a shared machine weighs on both sides of the ratio alike.
  std::vector<Document> docs;
  double extract_best = 1e30;
  size_t text_bytes = 0;
  for (int r = 0; r < repeats; ++r) {
    std::vector<Document> round;
    round.reserve(records.size());
    const auto start = Clock::now();
    for (const std::string& record : records) {
      Result<Document> doc = Extract(record, InputFormat::kJsonLine, "bench");
      if (doc.ok()) round.push_back(std::move(doc).value());
    }
    extract_best = std::min(extract_best, Seconds(start));
    docs = std::move(round);
    text_bytes = 0;
    for (const Document& doc : docs) text_bytes += doc.text.size();
    for (Stage& stage : stages) {
      size_t spans = 0;
      const auto stage_start = Clock::now();
      for (const Document& doc : docs) spans += stage.run(doc);
      stage.best = std::min(stage.best, Seconds(stage_start));
      stage.spans = spans;
    }
  }
  const double mb = static_cast<double>(text_bytes) / 1e6;
  std::printf("%zu records (%.1f MB raw), %zu documents, %.1f MB of doc.text; best of %d\n", records.size(),
              static_cast<double>(raw_bytes) / 1e6, docs.size(), mb, repeats);
  std::printf("%-12s %8.3f s  %8.1f MB/s (text)  ratio 1.000\n", "Extract", extract_best, mb / extract_best);
  double total = 0;
  for (const Stage& stage : stages) {
    total += stage.best;
    std::printf("%-12s %8.3f s  %8.1f MB/s (text)  ratio %.3f  spans %zu\n", stage.name, stage.best, mb / stage.best,
                stage.best / extract_best, stage.spans);
  }
  std::printf("%-12s %8.3f s  %8.1f MB/s (text)  ratio %.3f\n", "all three", total, mb / total, total / extract_best);
  return 0;
}

// echotrace_annotate_entities_bench: cost of entity and quote finding relative
// to extraction, on the same documents, in one process.
//
//   echotrace_annotate_entities_bench FILE.jsonl... [--rounds N] [--limit N] [--top N] [--no-ingest]
//
// Reads every line of the given JSON Lines files (records without a body are
// skipped), and per round: extracts every record (Extract, kJsonLine) timing
// it, then runs FindEntities + FindQuotes over the extracted Documents timing
// that. Prints, for the fastest round of each, the seconds and the ratio
// annotate/extract (the share annotation adds to extraction), plus counts:
// entities and quotes found, entities by type, unseen names (the --top N most
// frequent, to inspect the rule's false positives) and quotes with a speaker.
// Unless --no-ingest, it also ingests the same files once (Engine::Ingest into
// a fresh temporary data dir: read, extract, store, index) and prints the
// ratio annotate/ingest: the share the finders would add to ingest time.
// Ingest skips duplicate records (the finders see all of them), so that ratio
// errs high. --limit applies to the timing rounds, not to the ingest.
//
// Exit status: 0 on success, 1 if a file cannot be read, 2 on bad usage.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "annotate/entities.h"
#include "annotate/quotes.h"
#include "engine/engine.h"
#include "extract/extract.h"
#include "lexicon/gazetteer.h"

namespace {

using Clock = std::chrono::steady_clock;
double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> files;
  int rounds = 3;
  size_t limit = 0, top = 20;
  bool ingest = true;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--rounds" || arg == "--limit" || arg == "--top") && i + 1 < argc) {
      const long value = std::strtol(argv[++i], nullptr, 10);
      if (arg == "--rounds") rounds = static_cast<int>(std::max(1L, value));
      if (arg == "--limit") limit = static_cast<size_t>(std::max(0L, value));
      if (arg == "--top") top = static_cast<size_t>(std::max(0L, value));
    } else if (arg == "--no-ingest") {
      ingest = false;
    } else if (!arg.empty() && arg[0] != '-') {
      files.push_back(arg);
    } else {
      std::fprintf(stderr, "usage: %s FILE.jsonl... [--rounds N] [--limit N] [--top N]\n", argv[0]);
      return 2;
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: %s FILE.jsonl... [--rounds N] [--limit N] [--top N]\n", argv[0]);
    return 2;
  }
  std::vector<std::string> lines;
  size_t bytes = 0;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "cannot read %s\n", file.c_str());
      return 1;
    }
    std::string line;
    while (std::getline(in, line) && (limit == 0 || lines.size() < limit)) {
      if (line.find("\"body\": \"\"") != std::string::npos || line.find("\"body\":\"\"") != std::string::npos) continue;
      bytes += line.size();
      lines.push_back(std::move(line));
    }
  }
  double best_extract = 1e300, best_annotate = 1e300, best_entities = 1e300, best_quotes = 1e300;
  size_t entity_count = 0, quote_count = 0, with_speaker = 0, docs = 0;
  std::map<std::string, size_t> by_type, unseen;
  for (int round = 0; round < rounds; ++round) {
    std::vector<echotrace::Document> documents;
    documents.reserve(lines.size());
    const Clock::time_point t0 = Clock::now();
    for (size_t i = 0; i < lines.size(); ++i) {
      echotrace::Result<echotrace::Document> doc =
          echotrace::Extract(lines[i], echotrace::InputFormat::kJsonLine, "bench:" + std::to_string(i));
      if (doc.ok()) documents.push_back(std::move(doc).value());
    }
    const Clock::time_point t1 = Clock::now();
    const echotrace::Gazetteer& gazetteer = echotrace::DefaultGazetteer();
    size_t round_entities = 0, round_quotes = 0;
    std::vector<std::vector<echotrace::Span>> all_entities(documents.size()), all_quotes(documents.size());
    const Clock::time_point t2 = Clock::now();
    for (size_t i = 0; i < documents.size(); ++i) all_entities[i] = echotrace::FindEntities(documents[i], gazetteer);
    const Clock::time_point t_entities = Clock::now();
    for (size_t i = 0; i < documents.size(); ++i) {
      all_quotes[i] = echotrace::FindQuotes(documents[i], all_entities[i]);
      round_entities += all_entities[i].size();
      round_quotes += all_quotes[i].size();
    }
    const Clock::time_point t3 = Clock::now();
    best_extract = std::min(best_extract, Seconds(t1 - t0));
    best_annotate = std::min(best_annotate, Seconds(t3 - t2));
    best_entities = std::min(best_entities, Seconds(t_entities - t2));
    best_quotes = std::min(best_quotes, Seconds(t3 - t_entities));
    if (round == 0) {
      docs = documents.size();
      entity_count = round_entities;
      quote_count = round_quotes;
      for (size_t i = 0; i < documents.size(); ++i) {
        for (const echotrace::Span& e : all_entities[i]) {
          ++by_type[e.label];
          if (e.Attr("new") == "1") ++unseen[std::string(documents[i].SpanText(e))];
        }
        for (const echotrace::Span& q : all_quotes[i]) with_speaker += q.Attr("speaker").empty() ? 0 : 1;
      }
    }
  }
  std::printf("documents %zu (%.1f MB of JSON Lines), rounds %d (fastest shown)\n", docs, bytes / 1e6, rounds);
  std::printf("extract            %.3f s  (%.0f docs/s)\n", best_extract, docs / best_extract);
  std::printf("entities+quotes    %.3f s  (%.0f docs/s)\n", best_annotate, docs / best_annotate);
  std::printf("  of which entities %.3f s, quotes %.3f s\n", best_entities, best_quotes);
  std::printf("ratio annotate/extract %.3f\n", best_annotate / best_extract);
  std::printf("entities %zu (", entity_count);
  for (const auto& [type, count] : by_type) std::printf(" %s %zu", type.c_str(), count);
  std::printf(" ), quotes %zu, with a speaker %zu\n", quote_count, with_speaker);
  if (ingest) {
    std::string pattern = (std::filesystem::temp_directory_path() / "echotrace-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      std::fprintf(stderr, "cannot make a temporary directory\n");
      return 1;
    }
    const std::string data_dir = pattern + "/data";
    double ingest_seconds = -1;
    {
      echotrace::Result<std::unique_ptr<echotrace::Engine>> engine =
          echotrace::Engine::Open(data_dir, echotrace::Engine::Mode::kWrite);
      if (engine.ok()) {
        const Clock::time_point t0 = Clock::now();
        echotrace::Result<echotrace::IngestReport> report = engine.value()->Ingest(files, {}, nullptr);
        if (report.ok()) ingest_seconds = Seconds(Clock::now() - t0);
      }
    }
    std::error_code ec;
    std::filesystem::remove_all(pattern, ec);
    if (ingest_seconds < 0) {
      std::fprintf(stderr, "ingest failed\n");
      return 1;
    }
    std::printf("ingest (Engine::Ingest, once) %.3f s\n", ingest_seconds);
    std::printf("ratio annotate/ingest %.3f\n", best_annotate / ingest_seconds);
  }
  std::vector<std::pair<size_t, std::string>> ranked;
  for (const auto& [name, count] : unseen) ranked.emplace_back(count, name);
  std::sort(ranked.rbegin(), ranked.rend());
  std::printf("unseen names: %zu distinct; most frequent:\n", ranked.size());
  for (size_t i = 0; i < ranked.size() && i < top; ++i)
    std::printf("  %6zu  %s\n", ranked[i].first, ranked[i].second.c_str());
  return 0;
}

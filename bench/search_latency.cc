// echotrace_search_latency: per-query search latency inside one process.
//
//   echotrace_search_latency DATA_DIR QUERIES_FILE [--limit N] [--warmup N]
//
// Opens DATA_DIR read-only (Engine::Mode::kRead), reads one query per line
// (blank lines skipped), and runs every query in five modes:
//   facets     Engine::Search, with_facets = true (the default)
//   nofacets   Engine::Search, with_facets = false (the baseline)
//   noentity   Engine::Search with facets but no entity facet (the API's
//              default: the UI asks for entities, a plain API call does not)
//   histogram  as facets, plus the month histogram over every match
//              (histogram=1: what the web UI's search page asks)
//   indexonly  Index::Search on DATA_DIR/index with no facets and no
//              BodyLookup: the Xapian match alone, without snippets and
//              store reads (to attribute the cost; not a user-facing path)
// The order of the modes rotates from query to query, so that no mode always
// runs on a cache another has just warmed. The first --warmup queries
// (default 20) are run once in each mode beforehand and not measured.
//
// Prints one flat JSON object (keys listed in Report below) to stdout.
// Latencies are in milliseconds; percentiles are nearest-rank. A query
// counts as kind "phrase" if it contains a double quote, "words2" if it
// contains a space, otherwise "words1".
//
// Exit status: 0 on success, 1 if the data dir cannot be opened or the
// queries file cannot be read, 2 on bad usage. Queries that Search rejects
// (kUsage) are counted in "errors" and left out of the latencies.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "search/index.h"

namespace {

using Clock = std::chrono::steady_clock;
using echotrace::Engine;
using echotrace::SearchRequest;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Percentile(std::vector<double> sorted, double p) {  // nearest rank
  if (sorted.empty()) return 0;
  std::sort(sorted.begin(), sorted.end());
  size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

double Round3(double v) { return std::round(v * 1000.0) / 1000.0; }

const char* KindOf(const std::string& query) {
  if (query.find('"') != std::string::npos) return "phrase";
  if (query.find(' ') != std::string::npos) return "words2";
  return "words1";
}

struct Sample {
  double ms = 0;
  const char* kind = "";
};

void AddStats(nlohmann::ordered_json& out, const std::string& prefix, const std::vector<Sample>& samples) {
  std::vector<double> all;
  std::map<std::string, std::vector<double>> by_kind;
  double total = 0;
  for (const Sample& s : samples) {
    all.push_back(s.ms);
    by_kind[s.kind].push_back(s.ms);
    total += s.ms;
  }
  out[prefix + "_p50_ms"] = Round3(Percentile(all, 0.50));
  out[prefix + "_p99_ms"] = Round3(Percentile(all, 0.99));
  out[prefix + "_max_ms"] = Round3(all.empty() ? 0 : *std::max_element(all.begin(), all.end()));
  out[prefix + "_mean_ms"] = Round3(all.empty() ? 0 : total / static_cast<double>(all.size()));
  out[prefix + "_qps"] = std::round(total > 0 ? static_cast<double>(all.size()) / (total / 1000.0) : 0);
  for (const char* kind : {"words1", "words2", "phrase"}) {
    const std::vector<double>& v = by_kind[kind];
    out[prefix + "_" + kind + "_n"] = v.size();
    out[prefix + "_" + kind + "_p50_ms"] = Round3(Percentile(v, 0.50));
    out[prefix + "_" + kind + "_p99_ms"] = Round3(Percentile(v, 0.99));
  }
}

int Usage() {
  std::cerr << "usage: echotrace_search_latency DATA_DIR QUERIES_FILE [--limit N] [--warmup N]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> positional;
  int limit = 10;
  int warmup = 20;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--limit" || arg == "--warmup") && i + 1 < argc) {
      char* end = nullptr;
      const long value = std::strtol(argv[++i], &end, 10);
      if (*end != '\0' || value < 0 || value > 10000) return Usage();
      (arg == "--limit" ? limit : warmup) = static_cast<int>(value);
    } else if (!arg.empty() && arg[0] == '-') {
      return Usage();
    } else {
      positional.push_back(arg);
    }
  }
  if (positional.size() != 2 || limit < 1) return Usage();

  std::vector<std::string> queries;
  {
    std::ifstream in(positional[1]);
    if (!in) {
      std::cerr << "echotrace_search_latency: cannot read " << positional[1] << "\n";
      return 1;
    }
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") != std::string::npos) queries.push_back(line);
    }
  }
  if (queries.empty()) {
    std::cerr << "echotrace_search_latency: no queries in " << positional[1] << "\n";
    return 1;
  }

  const Clock::time_point open_start = Clock::now();
  auto engine = Engine::Open(positional[0], Engine::Mode::kRead);
  const double open_ms = Ms(Clock::now() - open_start);
  if (!engine.ok()) {
    std::cerr << "echotrace_search_latency: " << engine.status().ToString() << "\n";
    return 1;
  }

  // Third mode, for attribution only: the Xapian index alone (data dir's
  // "index/" folder, see engine.h), no facets and no snippets (no store reads).
  auto index = echotrace::Index::OpenReadOnly(positional[0] + "/index");
  if (!index.ok()) {
    std::cerr << "echotrace_search_latency: " << index.status().ToString() << "\n";
    return 1;
  }

  struct Mode {
    const char* name;
    bool facets;
    bool entity_facet;
    bool engine;  // false: Index::Search without a BodyLookup
    bool histogram;
    std::vector<Sample> samples;
  };
  Mode modes[] = {{"facets", true, true, true, false, {}},
                  {"nofacets", false, false, true, false, {}},
                  {"indexonly", false, false, false, false, {}},
                  {"noentity", true, false, true, false, {}},
                  {"histogram", true, true, true, true, {}}};
  constexpr size_t kModes = sizeof(modes) / sizeof(modes[0]);

  int64_t errors = 0, zero_hits = 0, approximate_facets = 0;
  double total_estimate_sum = 0;
  std::string first_error;
  // Runs one query in one mode; returns false if Search rejected it.
  auto run = [&](Mode& mode, const std::string& query, Sample* sample) {
    SearchRequest request;
    request.query = query;
    request.limit = limit;
    request.with_facets = mode.facets;
    request.with_entity_facet = mode.entity_facet;
    request.with_histogram = mode.histogram;
    const Clock::time_point start = Clock::now();
    auto response = mode.engine ? (*engine)->Search(request) : (*index)->Search(request, nullptr);
    sample->ms = Ms(Clock::now() - start);
    sample->kind = KindOf(query);
    if (!response.ok()) {
      if (first_error.empty()) first_error = response.status().ToString();
      return false;
    }
    if (&mode == &modes[0]) {
      total_estimate_sum += static_cast<double>(response->total_estimate);
      if (response->hits.empty()) ++zero_hits;
      if (response->facets_approximate) ++approximate_facets;
    }
    return true;
  };

  for (int i = 0; i < warmup && i < static_cast<int>(queries.size()); ++i) {
    Sample ignored;
    for (Mode& mode : modes) (void)run(mode, queries[static_cast<size_t>(i)], &ignored);
  }

  std::string slowest_query;
  double slowest_ms = -1;
  const Clock::time_point run_start = Clock::now();
  for (size_t i = 0; i < queries.size(); ++i) {
    Sample samples[kModes];
    bool ok = true;
    // Rotate which mode goes first, so no mode always runs on a cache warmed by another.
    for (size_t k = 0; k < kModes; ++k) {
      const size_t m = (i + k) % kModes;
      ok = run(modes[m], queries[i], &samples[m]) && ok;
    }
    if (!ok) {
      ++errors;
      continue;
    }
    for (size_t m = 0; m < kModes; ++m) modes[m].samples.push_back(samples[m]);
    if (samples[0].ms > slowest_ms) {
      slowest_ms = samples[0].ms;
      slowest_query = queries[i];
    }
  }
  const double run_s = Ms(Clock::now() - run_start) / 1000.0;

  nlohmann::ordered_json out;
  out["queries"] = queries.size();
  out["measured"] = modes[0].samples.size();
  out["errors"] = errors;
  if (!first_error.empty()) out["first_error"] = first_error;
  out["limit"] = limit;
  out["warmup"] = warmup;
  out["open_ms"] = Round3(open_ms);
  out["wall_s"] = Round3(run_s);
  out["zero_hit_queries"] = zero_hits;
  out["facets_approximate_queries"] = approximate_facets;  // counted over the first kFacetMatches matches only
  out["mean_total_estimate"] =
      modes[0].samples.empty() ? 0.0 : std::round(total_estimate_sum / static_cast<double>(modes[0].samples.size()));
  out["slowest_query_facets"] = slowest_query;
  for (const Mode& mode : modes) AddStats(out, mode.name, mode.samples);
  const double p50_plain = out["nofacets_p50_ms"].get<double>();
  const double p99_plain = out["nofacets_p99_ms"].get<double>();
  const double mean_plain = out["nofacets_mean_ms"].get<double>();
  out["ratio_p50"] = p50_plain > 0 ? Round3(out["facets_p50_ms"].get<double>() / p50_plain) : 0.0;
  out["ratio_p99"] = p99_plain > 0 ? Round3(out["facets_p99_ms"].get<double>() / p99_plain) : 0.0;
  out["ratio_mean"] = mean_plain > 0 ? Round3(out["facets_mean_ms"].get<double>() / mean_plain) : 0.0;
  std::cout << out.dump(2) << "\n";
  return 0;
}

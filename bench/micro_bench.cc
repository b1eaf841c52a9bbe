// Micro benchmarks for echotrace (Google Benchmark).
//
// Everything is generated in code: no fixture file is read. Text is built
// from a fixed word list with a fixed-seed SplitMix64, so every run (and every
// machine) sees the same bytes.
//
//   BM_Extract{JsonLine,Text,Html}   Extract() on one record of each format
//   BM_RepairUtf8{Valid,Invalid}     RepairUtf8() on ~10 KB of text
//   BM_NormalizeInline               NormalizeInline() on ~10 KB of text
//   BM_Hash64Hex                     Hash64Hex() on ~10 KB
//   BM_EngineIngest                  Engine::Open(kWrite) + Ingest() of ~2,000
//                                    synthetic JSONL articles into a fresh dir
//   BM_EngineSearch/facets:{0,1}     Engine::Search() (limit 10) over the same
//                                    2,000 articles, cycling through 64 queries
//
// Run: build/bench/echotrace_micro_bench --benchmark_min_time=0.2
#include <benchmark/benchmark.h>
#include <stdlib.h>  // mkdtemp

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "engine/engine.h"
#include "extract/extract.h"

namespace echotrace {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------
// Deterministic text generation.

class Rng {  // SplitMix64: tiny, portable, same sequence everywhere.
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }

 private:
  uint64_t state_;
};

// clang-format off
constexpr std::string_view kWords[] = {
    "party", "central", "committee", "workers", "people", "korea", "socialist", "construction", "revolution",
    "revolutionary", "leader", "respected", "supreme", "assembly", "plenary", "meeting", "policy", "economy",
    "economic", "agricultural", "farming", "harvest", "cooperative", "county", "province", "pyongyang", "factory",
    "production", "modern", "technology", "science", "education", "university", "students", "youth", "league", "army",
    "military", "defence", "nuclear", "strategic", "deterrent", "imperialists", "aggression", "hostile", "forces",
    "puppet", "sovereignty", "independence", "friendship", "delegation", "ambassador", "embassy", "message",
    "greetings", "congratulatory", "anniversary", "founding", "republic", "democratic", "juche", "idea",
    "ideological", "campaign", "struggle", "victory", "historic", "great", "achievements", "innovation", "labour",
    "feat", "power", "station", "steel", "complex", "fertilizer", "housing", "district", "street", "hospital",
    "medical", "service", "cultural", "performance", "art", "troupe", "theatre", "national", "reunification",
    "peninsula", "statement", "spokesman", "ministry", "foreign", "affairs", "denounced", "condemned", "called",
    "urged", "noted", "stressed", "visited", "inspected", "guidance", "field", "the", "of", "and", "to", "in", "a",
    "for", "on", "with", "by", "at", "was", "were", "is", "that", "as", "this", "their", "all", "new",
};
// clang-format on
constexpr size_t kWordCount = sizeof(kWords) / sizeof(kWords[0]);

std::string Sentence(Rng& rng, size_t min_words, size_t max_words) {
  const size_t n = min_words + rng.Below(max_words - min_words + 1);
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    std::string_view w = kWords[rng.Below(kWordCount)];
    if (i > 0) out += ' ';
    if (i == 0) {
      out += static_cast<char>(w[0] - 'a' + 'A');
      out.append(w.substr(1));
    } else {
      out.append(w);
    }
  }
  out += '.';
  return out;
}

std::string Paragraph(Rng& rng) {
  std::string out;
  const size_t sentences = 2 + rng.Below(3);
  for (size_t i = 0; i < sentences; ++i) {
    if (i > 0) out += ' ';
    out += Sentence(rng, 10, 22);
  }
  return out;
}

std::string Title(Rng& rng) {
  std::string t = Sentence(rng, 5, 10);
  t.pop_back();  // no final period in a headline
  return t;
}

std::string DateFor(size_t i) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04zu-%02zu-%02zu", 2019 + i % 6, 1 + (i / 7) % 12, 1 + (i / 3) % 28);
  return buffer;
}

// One corpus-style JSON line (keys as in shared/corpus), ~1.5-3 KB.
std::string JsonArticle(Rng& rng, size_t i) {
  std::string body;
  const size_t paragraphs = 3 + rng.Below(5);
  for (size_t p = 0; p < paragraphs; ++p) {
    if (p > 0) body += '\n';
    body += Paragraph(rng);
  }
  nlohmann::json j = {{"id", "bench-" + std::to_string(i)},
                      {"source", i % 3 == 0 ? "rodong" : "kcna"},
                      {"date", DateFor(i)},
                      {"url", "http://example.invalid/article/" + std::to_string(i) + ".html"},
                      {"title", Title(rng)},
                      {"body", body}};
  return j.dump();
}

std::string TextPage(Rng& rng) {
  std::string out = Title(rng) + "\n\nPyongyang, March 29 (KCNA) -- " + Paragraph(rng) + "\n\n";
  for (int p = 0; p < 8; ++p) out += Paragraph(rng) + "\n\n";
  out += "-0-\n";
  return out;
}

std::string HtmlPage(Rng& rng) {
  const std::string title = Title(rng);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + title +
      " | Bench Desk</title>\n<meta property=\"og:title\" content=\"" + title +
      "\">\n<meta property=\"og:site_name\" content=\"Bench Desk\">\n"
      "<meta property=\"article:published_time\" content=\"2022-01-05T09:00:00+09:00\">\n"
      "<link rel=\"stylesheet\" href=\"/style.css\">\n<script>var x = 1;</script>\n</head>\n<body>\n"
      "<header><a href=\"/\">Bench Desk</a><nav><a href=\"/\">Home</a> <a href=\"/politics/\">Politics</a> "
      "<a href=\"/economy/\">Economy</a> <a href=\"/about/\">About</a></nav></header>\n<main>\n<article>\n<h1>" +
      title + "</h1>\n<p class=\"byline\">Posted by desk editor on <time>January 5, 2022</time></p>\n";
  for (int p = 0; p < 9; ++p) {
    out += "  <p>" + Paragraph(rng) + " &#8220;Quoted&#8221; &amp; <em>emphasised</em> words.</p>\n";
  }
  out += "</article>\n<aside class=\"related\"><h2>Related</h2><ul>";
  for (int i = 0; i < 5; ++i) out += "<li><a href=\"/r/" + std::to_string(i) + "\">" + Title(rng) + "</a></li>";
  out +=
      "</ul></aside>\n</main>\n<form class=\"comment\"><textarea></textarea><button>Post</button></form>\n"
      "<footer><p>&copy; 2022 Bench Desk. All rights reserved.</p></footer>\n</body>\n</html>\n";
  return out;
}

// ~10 KB of paragraphs with the things NormalizeInline works on: runs of
// spaces and newlines, tabs, NBSP, typographic quotes, a zero-width space,
// and a decomposed "é" (e + U+0301) that NFC composes.
std::string MessyText(size_t target_bytes) {
  Rng rng(7);
  std::string out;
  while (out.size() < target_bytes) {
    out += Paragraph(rng);
    out += "  \t\xC2\xA0\xE2\x80\x9CWorkers\xE2\x80\x99 Party\xE2\x80\x9D\xE2\x80\x8B caf\x65\xCC\x81 \n\n   ";
  }
  return out;
}

// The same with ill-formed UTF-8 sprinkled in (stray continuation byte,
// truncated sequence, overlong, surrogate) every ~500 bytes.
std::string BrokenText(size_t target_bytes) {
  std::string clean = MessyText(target_bytes);
  constexpr std::string_view kBad[] = {"\x80", "\xE2\x80", "\xC0\xAF", "\xED\xA0\x80"};
  std::string out;
  size_t k = 0;
  for (size_t i = 0; i < clean.size(); ++i) {
    out += clean[i];
    if (i % 500 == 499 && static_cast<unsigned char>(clean[i]) < 0x80) out.append(kBad[k++ % 4]);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Extraction and text primitives.

void RunExtract(benchmark::State& state, const std::string& raw, InputFormat format) {
  {
    auto check = Extract(raw, format, "bench");
    if (!check.ok()) {
      state.SkipWithError(("Extract failed: " + check.status().ToString()).c_str());
      return;
    }
  }
  for (auto _ : state) {
    auto doc = Extract(raw, format, "bench");
    benchmark::DoNotOptimize(doc);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(raw.size()));
  state.counters["input_bytes"] = static_cast<double>(raw.size());
}

void BM_ExtractJsonLine(benchmark::State& state) {
  Rng rng(1);
  RunExtract(state, JsonArticle(rng, 1), InputFormat::kJsonLine);
}
BENCHMARK(BM_ExtractJsonLine);

void BM_ExtractText(benchmark::State& state) {
  Rng rng(2);
  RunExtract(state, TextPage(rng), InputFormat::kText);
}
BENCHMARK(BM_ExtractText);

void BM_ExtractHtml(benchmark::State& state) {
  Rng rng(3);
  RunExtract(state, HtmlPage(rng), InputFormat::kHtml);
}
BENCHMARK(BM_ExtractHtml);

void BM_RepairUtf8Valid(benchmark::State& state) {
  const std::string text = MessyText(10 * 1024);
  for (auto _ : state) {
    Utf8Repair r = RepairUtf8(text);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
  state.counters["input_bytes"] = static_cast<double>(text.size());
}
BENCHMARK(BM_RepairUtf8Valid);

void BM_RepairUtf8Invalid(benchmark::State& state) {
  const std::string text = BrokenText(10 * 1024);
  size_t replaced = 0;
  for (auto _ : state) {
    Utf8Repair r = RepairUtf8(text);
    replaced = r.replaced;
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
  state.counters["input_bytes"] = static_cast<double>(text.size());
  state.counters["replaced"] = static_cast<double>(replaced);
}
BENCHMARK(BM_RepairUtf8Invalid);

void BM_NormalizeInline(benchmark::State& state) {
  const std::string text = MessyText(10 * 1024);
  for (auto _ : state) {
    std::string out = NormalizeInline(text);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
  state.counters["input_bytes"] = static_cast<double>(text.size());
}
BENCHMARK(BM_NormalizeInline);

void BM_Hash64Hex(benchmark::State& state) {
  const std::string text = MessyText(10 * 1024);
  for (auto _ : state) {
    std::string out = Hash64Hex(text);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_Hash64Hex);

// ---------------------------------------------------------------------------
// Engine, end to end, over a generated corpus in a temporary folder.

constexpr size_t kArticles = 2000;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "echotrace-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// The generated input file, written once per process.
struct Corpus {
  TempDir dir;
  std::string jsonl_path;
  int64_t bytes = 0;
  std::vector<std::string> queries;

  Corpus() {
    jsonl_path = (dir.path() / "articles.jsonl").string();
    std::ofstream out(jsonl_path, std::ios::binary);
    Rng rng(42);
    for (size_t i = 0; i < kArticles; ++i) out << JsonArticle(rng, i) << '\n';
    out.close();
    if (!out) throw std::runtime_error("cannot write " + jsonl_path);
    bytes = static_cast<int64_t>(fs::file_size(jsonl_path));
    // 64 queries: one word, two words, a quoted phrase (words of length >= 5).
    std::vector<std::string_view> longer;
    for (std::string_view w : kWords) {
      if (w.size() >= 5) longer.push_back(w);
    }
    Rng q(99);
    for (int i = 0; i < 64; ++i) {
      const std::string a(longer[q.Below(longer.size())]);
      const std::string b(longer[q.Below(longer.size())]);
      switch (i % 3) {
        case 0: queries.push_back(a); break;
        case 1: queries.push_back(a + " " + b); break;
        default: queries.push_back("\"" + a + " " + b + "\""); break;
      }
    }
  }
};

Corpus& GetCorpus() {
  static Corpus corpus;
  return corpus;
}

void BM_EngineIngest(benchmark::State& state) {
  Corpus& corpus = GetCorpus();
  int64_t records = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto data = std::make_unique<TempDir>();
    const std::string data_dir = (data->path() / "data").string();
    state.ResumeTiming();

    auto engine = Engine::Open(data_dir, Engine::Mode::kWrite);
    if (!engine.ok()) {
      state.SkipWithError(("Open failed: " + engine.status().ToString()).c_str());
      break;
    }
    auto report = (*engine)->Ingest({corpus.jsonl_path}, IngestOptions{}, nullptr);
    if (!report.ok()) {
      state.SkipWithError(("Ingest failed: " + report.status().ToString()).c_str());
      break;
    }
    records = report->totals.records;
    engine->reset();  // closing (final flush) is part of the cost

    state.PauseTiming();
    data.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * records);
  state.SetBytesProcessed(state.iterations() * corpus.bytes);
  state.counters["records"] = static_cast<double>(records);
}
BENCHMARK(BM_EngineIngest)->Unit(benchmark::kMillisecond)->UseRealTime();

// A data directory with the corpus ingested, shared by the search benchmarks.
struct SearchFixture {
  TempDir dir;
  std::string data_dir;
  std::unique_ptr<Engine> engine;
  std::string error;

  SearchFixture() {
    data_dir = (dir.path() / "data").string();
    {
      auto writer = Engine::Open(data_dir, Engine::Mode::kWrite);
      if (!writer.ok()) {
        error = writer.status().ToString();
        return;
      }
      auto report = (*writer)->Ingest({GetCorpus().jsonl_path}, IngestOptions{}, nullptr);
      if (!report.ok()) {
        error = report.status().ToString();
        return;
      }
    }
    auto reader = Engine::Open(data_dir, Engine::Mode::kRead);
    if (!reader.ok()) {
      error = reader.status().ToString();
      return;
    }
    engine = std::move(*reader);
  }
};

SearchFixture& GetSearchFixture() {
  static SearchFixture fixture;
  return fixture;
}

void BM_EngineSearch(benchmark::State& state) {
  SearchFixture& fixture = GetSearchFixture();
  if (!fixture.engine) {
    state.SkipWithError(("setup failed: " + fixture.error).c_str());
    return;
  }
  const std::vector<std::string>& queries = GetCorpus().queries;
  SearchRequest request;
  request.limit = 10;
  request.with_facets = state.range(0) != 0;
  size_t i = 0;
  int64_t hits = 0;
  for (auto _ : state) {
    request.query = queries[i++ % queries.size()];
    auto response = fixture.engine->Search(request);
    if (!response.ok()) {
      state.SkipWithError(("Search failed: " + response.status().ToString()).c_str());
      break;
    }
    hits += static_cast<int64_t>(response->hits.size());
    benchmark::DoNotOptimize(response);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["hits_per_query"] =
      state.iterations() > 0 ? static_cast<double>(hits) / static_cast<double>(state.iterations()) : 0.0;
}
BENCHMARK(BM_EngineSearch)->ArgName("facets")->Arg(1)->Arg(0)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace echotrace

BENCHMARK_MAIN();

// echotrace command line: a thin layer over engine/. Parses flags, calls the
// library, prints. Exit codes: 0 success, 1 bad input or a failure, 2 bad usage.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/text.h"
#include "engine/engine.h"
#include "eval/eval.h"
#include "extract/extract.h"

namespace echotrace {
namespace {

using Json = nlohmann::json;

int ExitCodeFor(const Status& status) { return status.code() == StatusCode::kUsage ? 2 : 1; }

int Fail(const Status& status) {
  std::cerr << "echotrace: " << status.ToString() << "\n";
  return ExitCodeFor(status);
}

std::string HumanBytes(double bytes) {
  char buffer[32];
  if (bytes >= 1e9)
    std::snprintf(buffer, sizeof buffer, "%.2f GB", bytes / 1e9);
  else if (bytes >= 1e6)
    std::snprintf(buffer, sizeof buffer, "%.1f MB", bytes / 1e6);
  else if (bytes >= 1e3)
    std::snprintf(buffer, sizeof buffer, "%.1f kB", bytes / 1e3);
  else
    std::snprintf(buffer, sizeof buffer, "%.0f B", bytes);
  return buffer;
}

// Snippets come HTML-escaped with <mark> around matches: render for a terminal.
std::string RenderSnippet(const std::string& html, bool color) {
  std::string out;
  for (size_t i = 0; i < html.size();) {
    auto starts = [&](std::string_view s) { return html.compare(i, s.size(), s) == 0; };
    if (starts("<mark>")) {
      out += color ? "\x1b[1;33m" : "**";
      i += 6;
    } else if (starts("</mark>")) {
      out += color ? "\x1b[0m" : "**";
      i += 7;
    } else if (starts("&amp;")) {
      out += '&';
      i += 5;
    } else if (starts("&lt;")) {
      out += '<';
      i += 4;
    } else if (starts("&gt;")) {
      out += '>';
      i += 4;
    } else if (starts("&quot;")) {
      out += '"';
      i += 6;
    } else if (starts("&#39;")) {
      out += '\'';
      i += 5;
    } else
      out += html[i++];
  }
  return out;
}

Json VersionJson(const StoredVersion& v, bool with_text) {
  Json j = {{"id", v.version_id},
            {"article_id", v.article_id},
            {"version", v.seq},
            {"versions", v.version_count},
            {"latest", v.latest},
            {"title", v.doc.title},
            {"source", v.doc.source},
            {"date", v.doc.date},
            {"url", v.doc.url},
            {"external_id", v.doc.external_id},
            {"origin", v.doc.origin},
            {"format", std::string(InputFormatName(v.doc.format))},
            {"ingested_at", v.ingested_at},
            {"headline_stub", v.doc.IsHeadlineStub()},
            {"warnings", v.doc.warnings},
            {"derived_from", v.doc.derived_from}};
  if (with_text) {
    j["body"] = v.doc.Body();
    Json spans = Json::array();
    for (const Span& span : v.doc.spans) {
      spans.push_back({{"begin", span.begin},
                       {"end", span.end},
                       {"kind", std::string(SpanKindName(span.kind))},
                       {"label", span.label},
                       {"text", std::string(v.doc.SpanText(span))}});
    }
    j["spans"] = std::move(spans);
  }
  return j;
}

class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  void Update(const IngestProgress& p) {
    if (!enabled_) return;
    const double seconds = p.seconds > 0 ? p.seconds : 1e-9;
    const double rate = static_cast<double>(p.records) / seconds;
    const double mbps = static_cast<double>(p.bytes_done) / 1e6 / seconds;
    char line[200];
    int n = std::snprintf(line, sizeof line, "\r%lld records  %.0f rec/s  %.1f MB/s", static_cast<long long>(p.records),
                          rate, mbps);
    if (p.bytes_total > 0 && p.bytes_done > 0) {
      const double done = static_cast<double>(p.bytes_done) / static_cast<double>(p.bytes_total);
      const double eta = done > 0 ? seconds * (1 - done) / done : 0;
      n += std::snprintf(line + n, sizeof line - static_cast<size_t>(n), "  %3.0f%%  ETA %d:%02d", done * 100,
                         static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
    }
    std::fprintf(stderr, "%s\x1b[K", line);
    std::fflush(stderr);
    shown_ = true;
  }
  void Done() {
    if (shown_) std::fprintf(stderr, "\n");
  }

 private:
  bool enabled_;
  bool shown_ = false;
};

void PrintIssues(const std::vector<InputIssue>& issues) {
  constexpr size_t kShown = 20;
  size_t errors = 0, warnings = 0;
  for (const InputIssue& issue : issues) {
    size_t& count = issue.is_error ? errors : warnings;
    if (++count <= kShown) {
      std::cerr << "echotrace: " << (issue.is_error ? "error: " : "warning: ") << issue.where << ": " << issue.message
                << "\n";
    }
  }
  if (errors > kShown) std::cerr << "echotrace: ... and " << errors - kShown << " more errors (see the ingest log)\n";
  if (warnings > kShown) std::cerr << "echotrace: ... and " << warnings - kShown << " more warnings\n";
}

std::string JoinArgs(int argc, char** argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) out += ' ';
    out += argv[i];
  }
  return out;
}

int RunIngest(const std::string& data_dir, const std::vector<std::string>& paths, bool force_progress, bool json,
              const std::string& command_line) {
  auto engine = Engine::Open(data_dir, Engine::Mode::kWrite);
  if (!engine.ok()) return Fail(engine.status());
  IngestOptions options;
  options.command_line = command_line;
  if (const char* crash = std::getenv("ECHOTRACE_TEST_CRASH_AFTER_STORE_COMMITS")) {
    options.test_crash_after_store_commits = std::atoi(crash);
  }
  if (const char* batch = std::getenv("ECHOTRACE_BATCH_VERSIONS")) {
    const int n = std::atoi(batch);
    if (n > 0) options.batch_versions = static_cast<size_t>(n);
  }
  ProgressLine line(force_progress || isatty(STDERR_FILENO));
  auto report = (*engine)->Ingest(paths, options, [&](const IngestProgress& p) { line.Update(p); });
  line.Done();
  if (!report.ok()) return Fail(report.status());
  PrintIssues(report->issues);
  const IngestRunTotals& t = report->totals;
  const double seconds = report->seconds > 0 ? report->seconds : 1e-9;
  if (json) {
    std::cout << Json{{"files", report->files},         {"files_failed", report->files_failed},
                      {"records", t.records},           {"added", t.added},
                      {"new_versions", t.new_versions}, {"duplicates", t.duplicates},
                      {"skipped", t.skipped},           {"warnings", t.warnings},
                      {"recovered", report->recovered}, {"bytes", report->bytes},
                      {"seconds", report->seconds}}
                     .dump()
              << "\n";
  } else {
    if (report->recovered > 0) {
      std::cout << "recovered: indexed " << report->recovered << " versions left unindexed by an interrupted run\n";
    }
    if (t.teaser_stubs > 0) std::printf("%lld teaser stubs cut from pages\n", static_cast<long long>(t.teaser_stubs));
    std::printf(
        "%lld files, %lld records: %lld added, %lld new versions, %lld duplicates, %lld skipped, %lld warnings\n",
        static_cast<long long>(report->files), static_cast<long long>(t.records), static_cast<long long>(t.added),
        static_cast<long long>(t.new_versions), static_cast<long long>(t.duplicates), static_cast<long long>(t.skipped),
        static_cast<long long>(t.warnings));
    std::printf("%.2f s, %.0f records/s, %s/s; data in %s\n", report->seconds, static_cast<double>(t.records) / seconds,
                HumanBytes(static_cast<double>(report->bytes) / seconds).c_str(), data_dir.c_str());
  }
  return report->HasErrors() ? 1 : 0;
}

int RunSearch(const std::string& data_dir, const SearchRequest& request, bool json) {
  auto engine = Engine::Open(data_dir, Engine::Mode::kRead);
  if (!engine.ok()) return Fail(engine.status());
  auto response = (*engine)->Search(request);
  if (!response.ok()) return Fail(response.status());
  if (const int64_t lag = (*engine)->IndexLag(); lag > 0) {
    std::cerr << "echotrace: warning: " << lag
              << " stored versions are not indexed yet (an ingest is running or was interrupted; "
                 "run `echotrace ingest` again to finish)\n";
  }
  const bool color = !json && isatty(STDOUT_FILENO);
  if (!json) {
    std::cout << response->total_estimate << " matching articles";
    if (!response->by_source.empty()) {
      std::cout << " (";
      bool first = true;
      for (const auto& [source, count] : response->by_source) {
        std::cout << (first ? "" : ", ") << (source.empty() ? "unknown" : source) << " " << count;
        first = false;
      }
      std::cout << ")";
    }
    std::cout << "\n";
  }
  int rank = request.offset;
  for (const SearchHit& hit : response->hits) {
    ++rank;
    auto v = (*engine)->Version(hit.docno);
    if (!v.ok()) return Fail(v.status());
    if (json) {
      Json j = VersionJson(*v, false);
      j["rank"] = rank;
      j["score"] = hit.score;
      j["snippet"] = hit.snippet;
      std::cout << j.dump() << "\n";
      continue;
    }
    std::cout << "\n"
              << rank << ". " << (color ? "\x1b[1m" : "") << (v->doc.title.empty() ? "(untitled)" : v->doc.title)
              << (color ? "\x1b[0m" : "") << "\n";
    std::cout << "   " << (v->doc.source.empty() ? "unknown source" : v->doc.source) << " | "
              << (v->doc.date.empty() ? "undated" : v->doc.date) << " | id " << v->version_id;
    if (!v->doc.external_id.empty()) std::cout << " | " << v->doc.external_id;
    if (v->version_count > 1) std::cout << " | version " << v->seq << "/" << v->version_count;
    char score[32];
    std::snprintf(score, sizeof score, "%.2f", hit.score);
    std::cout << " | score " << score << "\n";
    if (!hit.snippet.empty()) std::cout << "   " << RenderSnippet(hit.snippet, color) << "\n";
  }
  return 0;
}

int RunShow(const std::string& data_dir, const std::string& id, bool versions, bool spans, bool raw, bool json) {
  auto engine = Engine::Open(data_dir, Engine::Mode::kRead);
  if (!engine.ok()) return Fail(engine.status());
  auto view = (*engine)->Show(id);
  if (!view.ok()) return Fail(view.status());
  const StoredVersion& v = view->version;
  if (raw) {
    std::cout << v.doc.raw;
    return 0;
  }
  if (json) {
    Json j = VersionJson(v, true);
    if (versions) {
      Json list = Json::array();
      for (const StoredVersion& other : view->versions) list.push_back(VersionJson(other, false));
      j["all_versions"] = std::move(list);
    }
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::cout << (v.doc.title.empty() ? "(untitled)" : v.doc.title) << "\n";
  std::cout << "id " << v.version_id << "  article " << v.article_id << "  version " << v.seq << " of "
            << v.version_count << (v.latest ? " (latest)" : "") << "\n";
  std::cout << "source " << (v.doc.source.empty() ? "unknown" : v.doc.source) << "  date "
            << (v.doc.date.empty() ? "unknown" : v.doc.date);
  if (!v.doc.external_id.empty()) std::cout << "  external id " << v.doc.external_id;
  std::cout << "\n";
  if (!v.doc.url.empty()) std::cout << "url " << v.doc.url << "\n";
  if (!v.doc.derived_from.empty()) std::cout << "teaser cut from page " << v.doc.derived_from << "\n";
  std::cout << "from " << v.doc.origin << " (" << InputFormatName(v.doc.format) << ", " << v.doc.raw.size()
            << " bytes) ingested " << v.ingested_at << "\n";
  for (const std::string& warning : v.doc.warnings) std::cout << "warning: " << warning << "\n";
  if (versions) {
    std::cout << "\nversions:\n";
    for (const StoredVersion& other : view->versions) {
      std::cout << (other.docno == v.docno ? " * " : "   ") << other.seq << "  " << other.version_id << "  "
                << other.ingested_at << "  " << other.doc.title << (other.latest ? "  (latest)" : "") << "\n";
    }
  }
  if (spans) {
    std::cout << "\nspans:\n";
    for (const Span& span : v.doc.spans) {
      std::string text(v.doc.SpanText(span));
      if (text.size() > 100) text = text.substr(0, 97) + "...";
      std::cout << "  [" << span.begin << "," << span.end << ") " << SpanKindName(span.kind)
                << (span.label.empty() ? "" : "/" + span.label) << ": " << text << "\n";
    }
  }
  const std::string body = v.doc.Body();
  std::cout << "\n" << (body.empty() ? "(headline only: no body)" : body) << "\n";
  return 0;
}

int RunStats(const std::string& data_dir, bool json) {
  auto engine = Engine::Open(data_dir, Engine::Mode::kRead);
  if (!engine.ok()) return Fail(engine.status());
  auto stats = (*engine)->Stats();
  if (!stats.ok()) return Fail(stats.status());
  const int64_t lag = (*engine)->IndexLag();
  if (json) {
    std::cout << Json{{"articles", stats->articles},
                      {"versions", stats->versions},
                      {"headline_stubs", stats->headline_stubs},
                      {"unindexed", lag},
                      {"by_source", stats->by_source},
                      {"by_month", stats->by_month}}
                     .dump()
              << "\n";
    return 0;
  }
  std::cout << stats->articles << " articles (" << stats->versions << " versions, " << stats->headline_stubs
            << " headline-only stubs)";
  if (lag > 0) std::cout << "; " << lag << " versions not yet indexed";
  std::cout << "\n\nby source:\n";
  for (const auto& [source, count] : stats->by_source) {
    std::printf("  %-20s %10lld\n", source.empty() ? "(unknown)" : source.c_str(), static_cast<long long>(count));
  }
  std::cout << "\nby month:\n";
  for (const auto& [month, count] : stats->by_month) {
    std::printf("  %-20s %10lld\n", month.empty() ? "(undated)" : month.c_str(), static_cast<long long>(count));
  }
  return 0;
}

int RunReindex(const std::string& data_dir) {
  auto engine = Engine::Open(data_dir, Engine::Mode::kWrite);
  if (!engine.ok()) return Fail(engine.status());
  ProgressLine line(isatty(STDERR_FILENO));
  auto report = (*engine)->Reindex([&](const IngestProgress& p) { line.Update(p); });
  line.Done();
  if (!report.ok()) return Fail(report.status());
  std::cout << "re-extracted " << report->versions << " versions: " << report->changed << " changed, " << report->failed
            << " failed (kept as they were)\n";
  return 0;
}

int RunExtract(const std::vector<std::string>& paths, bool json) {
  std::vector<InputIssue> issues;
  auto files = ExpandInputs(paths, &issues);
  if (!files.ok()) {
    PrintIssues(issues);
    return Fail(files.status());
  }
  int failures = 0;
  for (const InputFile& file : *files) {
    Status status = ReadInput(
        file, ReadLimits(),
        [&](RawRecord&& record) -> Status {
          auto doc = Extract(record.bytes, record.format, record.Origin());
          if (!doc.ok()) {
            issues.push_back({true, record.Origin(), doc.status().message()});
            return Status::Ok();
          }
          for (const std::string& w : doc->warnings) issues.push_back({false, record.Origin(), w});
          if (json) {
            StoredVersion v;
            v.doc = std::move(doc).value();
            Json j = VersionJson(v, true);
            for (const char* key : {"id", "article_id", "version", "versions", "latest", "ingested_at"}) j.erase(key);
            std::cout << j.dump() << "\n";
          } else {
            std::cout << "# " << (doc->title.empty() ? "(untitled)" : doc->title) << "\n";
            std::cout << "source: " << doc->source << "  date: " << doc->date << "  url: " << doc->url << "\n\n";
            std::cout << doc->Body() << "\n\n";
          }
          return Status::Ok();
        },
        &issues);
    if (!status.ok()) {
      ++failures;
      issues.push_back({true, file.path, status.message()});
    }
  }
  PrintIssues(issues);
  for (const InputIssue& issue : issues) failures += issue.is_error ? 1 : 0;
  return failures > 0 ? 1 : 0;
}

int RunEvalExtract(const std::string& dir, const std::string& shared_dir, bool json) {
  std::vector<std::string> skipped;
  auto run = EvaluateGold(dir, shared_dir, &skipped);
  if (!run.ok()) return Fail(run.status());
  for (const std::string& name : skipped) {
    std::cerr << "echotrace: skipped " << name << ": " << shared_dir << " is not there\n";
  }
  if (json) {
    Json cases = Json::array();
    for (const GoldCaseResult& c : run->cases) {
      cases.push_back({{"name", c.name},
                       {"precision", c.body.precision},
                       {"recall", c.body.recall},
                       {"f1", c.body.f1},
                       {"title", c.title_ok},
                       {"source", c.source_ok},
                       {"date", c.date_ok},
                       {"url", c.url_ok},
                       {"paragraphs", c.paragraphs_ok},
                       {"removed", c.removed_ok},
                       {"problems", c.problems}});
    }
    std::cout
        << Json{{"cases", cases},        {"precision", run->overall.precision},         {"recall", run->overall.recall},
                {"f1", run->overall.f1}, {"metadata_accuracy", run->metadata_accuracy}, {"skipped", skipped}}
               .dump(1)
        << "\n";
    return 0;
  }
  std::printf("%-44s %6s %6s %6s  %s\n", "case", "P", "R", "F1", "metadata / structure");
  for (const GoldCaseResult& c : run->cases) {
    std::printf("%-44s %6.3f %6.3f %6.3f  %s%s%s%s%s%s\n", c.name.c_str(), c.body.precision, c.body.recall, c.body.f1,
                c.title_ok ? "T" : "-", c.source_ok ? "S" : "-", c.date_ok ? "D" : "-", c.url_ok ? "U" : "-",
                c.paragraphs_ok ? "P" : "-", c.removed_ok ? "R" : "-");
    for (const std::string& problem : c.problems) std::printf("    %s\n", problem.c_str());
  }
  std::printf("overall (token micro-average): P %.3f  R %.3f  F1 %.3f; metadata fields right: %.1f%%\n",
              run->overall.precision, run->overall.recall, run->overall.f1, run->metadata_accuracy * 100);
  return 0;
}

int RunEvalBenchmark(const std::string& dir, const std::string& out_path, bool json) {
  auto run = EvaluateBenchmark(dir);
  if (!run.ok()) return Fail(run.status());
  if (!out_path.empty()) {
    Json predictions = Json::object();
    for (const auto& [id, body] : run->predictions) predictions[id] = {{"articleBody", body}};
    std::ofstream(out_path) << predictions.dump() << "\n";
  }
  const double pages_per_second = run->seconds > 0 ? run->score.pages / run->seconds : 0;
  if (json) {
    std::cout << Json{{"tool", "echotrace"},         {"pages", run->score.pages},
                      {"seconds", run->seconds},     {"pages_per_second", pages_per_second},
                      {"f1", run->score.f1},         {"precision", run->score.precision},
                      {"recall", run->score.recall}, {"accuracy", run->score.accuracy}}
                     .dump()
              << "\n";
    return 0;
  }
  std::printf("echotrace on %d pages: F1 %.3f  P %.3f  R %.3f  accuracy %.3f  (%.1f pages/s, extraction only)\n",
              run->score.pages, run->score.f1, run->score.precision, run->score.recall, run->score.accuracy,
              pages_per_second);
  return 0;
}

}  // namespace
}  // namespace echotrace

int main(int argc, char** argv) {
  using namespace echotrace;
  CLI::App app{"echotrace: ingest, search and trace DPRK state media and its echoes in the world's press"};
  app.require_subcommand(1);
  app.fallthrough();
  std::string data_dir = DefaultDataDir();
  app.add_option("--data", data_dir, "data directory (default: $ECHOTRACE_DATA or ./echotrace-data)");

  std::vector<std::string> ingest_paths;
  bool ingest_progress = false, ingest_json = false;
  CLI::App* ingest = app.add_subcommand("ingest", "ingest files, folders (recursively) or - (stdin)");
  ingest->add_option("paths", ingest_paths, "files, folders, or - for stdin")->required();
  ingest->add_flag("--progress", ingest_progress, "show the progress line even when stderr is not a terminal");
  ingest->add_flag("--json", ingest_json, "print the summary as JSON");

  SearchRequest request;
  bool search_json = false;
  CLI::App* search = app.add_subcommand("search", "ranked full-text search (Xapian query syntax)");
  search->add_option("query", request.query, "words, \"phrases\", AND/OR/NOT, -word, title:word, source:kcna")
      ->required();
  search->add_option("--source", request.sources, "only these outlets (repeatable)");
  search->add_option("--from", request.from_date, "published on or after (YYYY-MM-DD)");
  search->add_option("--to", request.to_date, "published on or before (YYYY-MM-DD)");
  search->add_option("--limit", request.limit, "hits to show (default 10)")->check(CLI::Range(1, 10000));
  search->add_option("--offset", request.offset, "hits to skip (paging)")->check(CLI::NonNegativeNumber);
  search->add_flag("--all-versions", request.all_versions, "search every version, not only the latest");
  search->add_flag("--json", search_json, "one JSON object per hit");

  std::string show_id;
  bool show_versions = false, show_spans = false, show_raw = false, show_json = false;
  CLI::App* show = app.add_subcommand("show", "show one article (by id, article id or external id)");
  show->add_option("id", show_id, "version id, article id, unique prefix, or external id")->required();
  show->add_flag("--versions", show_versions, "list every version of the article");
  show->add_flag("--spans", show_spans, "list the spans: title, paragraphs, removed boilerplate");
  show->add_flag("--raw", show_raw, "print the raw input bytes as ingested");
  show->add_flag("--json", show_json, "print as JSON");

  bool stats_json = false;
  CLI::App* stats = app.add_subcommand("stats", "counts by source and by month");
  stats->add_flag("--json", stats_json, "print as JSON");

  CLI::App* reindex = app.add_subcommand("reindex", "re-run extraction over stored raw bytes and re-index");

  std::vector<std::string> extract_paths;
  bool extract_json = false;
  CLI::App* extract = app.add_subcommand("extract", "run extraction alone (no store) and print the articles");
  extract->add_option("paths", extract_paths, "files or folders")->required();
  extract->add_flag("--json", extract_json, "one JSON object per article");

  CLI::App* eval = app.add_subcommand("eval", "score extraction against gold data");
  eval->require_subcommand(1);
  std::string eval_dir, eval_shared = "../shared", eval_out;
  bool eval_json = false;
  CLI::App* eval_extract = eval->add_subcommand("extract", "score tests/data/extract-style gold cases");
  eval_extract->add_option("dir", eval_dir, "folder with cases/*.json (e.g. tests/data/extract)")->required();
  eval_extract->add_option("--shared", eval_shared, "where inputs named shared:... live (default ../shared)");
  eval_extract->add_flag("--json", eval_json, "print as JSON");
  CLI::App* eval_bench =
      eval->add_subcommand("benchmark", "score the article-extraction benchmark (html/, ground-truth.json)");
  eval_bench->add_option("dir", eval_dir, "the benchmark folder")->required();
  eval_bench->add_option("--out", eval_out, "write predictions as {id: {articleBody}} JSON");
  eval_bench->add_flag("--json", eval_json, "print as JSON");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  for (auto& source : request.sources) source = AsciiLower(source);
  if (*ingest) return RunIngest(data_dir, ingest_paths, ingest_progress, ingest_json, JoinArgs(argc, argv));
  if (*search) return RunSearch(data_dir, request, search_json);
  if (*show) return RunShow(data_dir, show_id, show_versions, show_spans, show_raw, show_json);
  if (*stats) return RunStats(data_dir, stats_json);
  if (*reindex) return RunReindex(data_dir);
  if (*extract) return RunExtract(extract_paths, extract_json);
  if (*eval_extract) return RunEvalExtract(eval_dir, eval_shared, eval_json);
  if (*eval_bench) return RunEvalBenchmark(eval_dir, eval_out, eval_json);
  return 2;
}

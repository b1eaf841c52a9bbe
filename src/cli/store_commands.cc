// ingest, search, show, stats, reindex: the commands over a data directory.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "core/text.h"
#include "engine/json.h"
#include "engine/views.h"
#include "lexicon/outlets.h"
#include "link/link_store.h"

namespace echotrace::cli {
namespace {

int RunIngest(const std::string& data_dir, const std::vector<std::string>& paths, bool force_progress, bool json,
              bool annotate, bool link, int workers, const std::string& command_line) {
  auto engine = Engine::Open(data_dir, Engine::Mode::kWrite);
  if (!engine.ok()) return Fail(json, engine.status());
  IngestOptions options;
  options.command_line = command_line;
  options.annotate = annotate;
  options.link = link;
  options.workers = workers;
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
  if (!report.ok()) return Fail(json, report.status());
  PrintIssues(report->issues);
  const IngestRunTotals& t = report->totals;
  const double seconds = report->seconds > 0 ? report->seconds : 1e-9;
  // A path, folder or file that was skipped is an error too (README: exit 1).
  Json errors = Json::array();
  for (const InputIssue& issue : report->issues) {
    if (issue.is_error && errors.size() < 1000) errors.push_back({{"where", issue.where}, {"message", issue.message}});
  }
  const bool failed = report->HasErrors() || !errors.empty();
  if (json) {
    Json out = IngestReportJson(*report);
    out["errors"] = std::move(errors);
    std::cout << out.dump() << "\n";
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
  return failed ? 1 : 0;
}

int RunSearch(const std::string& data_dir, const SearchRequest& request, bool json) {
  auto engine = Engine::Open(data_dir, Engine::Mode::kRead);
  if (!engine.ok()) return Fail(json, engine.status());
  if (const int64_t lag = (*engine)->IndexLag(); lag > 0) {
    std::cerr << "echotrace: warning: " << lag
              << " stored versions are not indexed yet (an ingest is running or was interrupted; "
                 "run `echotrace ingest` again to finish)\n";
  }
  // The API's answer for the same filters (one encoder: engine/views.h).
  auto view = SearchView(**engine, request);
  if (!view.ok()) return FailSearch(json, request.query, view.status());
  const Json& r = *view;
  for (const Json& warning : r.value("warnings", Json::array())) {  // an outlet with no article here
    std::cerr << "echotrace: warning: " << warning.get<std::string>() << "\n";
  }
  if (json) {
    std::cout << r.dump(-1, ' ', false, Json::error_handler_t::replace) << "\n";
    return 0;
  }
  const bool color = isatty(STDOUT_FILENO);
  std::cout << (r["approximate"].get<bool>() ? "about " : "") << r["total"].get<int64_t>() << " matching articles";
  if (!r["facets"].value("outlet", Json::array()).empty()) {
    std::cout << " (";
    bool first = true;
    for (const Json& o : r["facets"]["outlet"]) {
      const std::string id = o["id"];
      std::cout << (first ? "" : ", ") << (id.empty() ? "unknown" : id) << " " << o["count"].get<int64_t>();
      first = false;
    }
    std::cout << ")";
  }
  if (r.value("facets_approximate", false)) {
    const int64_t counted = r["facet_documents"].get<int64_t>();
    const int64_t entities = r.value("entity_facet_documents", counted);
    if (entities < counted) {
      std::cout << " [outlets counted over the first " << counted << " matches, entities over the first " << entities
                << "]";
    } else {
      std::cout << " [outlets and entities counted over the first " << counted << " matches]";
    }
  }
  std::cout << "; by " << r["sort"].get<std::string>() << "\n";
  if (r["facets"].contains("entity") && !r["facets"]["entity"].empty()) {
    std::cout << "entities:";
    size_t shown = 0;
    for (const Json& e : r["facets"]["entity"]) {
      if (shown == 8) break;
      std::cout << (shown++ ? ", " : " ") << e["key"].get<std::string>() << " " << e["count"].get<int64_t>();
    }
    std::cout << "\n";
  }
  if (r["hits"].empty() && r["offset"].get<int64_t>() > 0 && r["total"].get<int64_t>() > 0) {
    std::cout << "\nno hits past " << r["total"].get<int64_t>() << ": --offset " << r["offset"].get<int64_t>()
              << " is beyond the last page\n";
  }
  for (const Json& hit : r["hits"]) {
    const std::string title = hit["title"];
    const std::string source = hit["outlet"]["id"];
    const std::string date = hit["date"];
    std::cout << "\n"
              << hit["rank"].get<int64_t>() << ". " << (color ? "\x1b[1m" : "")
              << (title.empty() ? "(untitled)" : title) << (color ? "\x1b[0m" : "") << "\n";
    std::cout << "   " << (source.empty() ? "unknown source" : source) << " | " << (date.empty() ? "undated" : date)
              << " | id " << hit["id"].get<std::string>();
    if (!hit["external_id"].get<std::string>().empty()) std::cout << " | " << hit["external_id"].get<std::string>();
    if (hit["versions"].get<int64_t>() > 1) {
      std::cout << " | version " << hit["version"].get<int64_t>() << "/" << hit["versions"].get<int64_t>();
    }
    char score[32];
    std::snprintf(score, sizeof score, "%.2f", hit["score"].get<double>());
    std::cout << " | score " << score << "\n";
    const std::string snippet = hit["snippet"];
    if (!snippet.empty()) std::cout << "   " << RenderSnippet(snippet, color) << "\n";
    if (hit.contains("also_listed_as")) {
      for (const Json& other : hit["also_listed_as"]) {
        std::cout << "   also listed as " << other["id"].get<std::string>() << " (headline only, "
                  << other["outlet"]["id"].get<std::string>() << " " << other["date"].get<std::string>() << ")\n";
      }
    }
  }
  return 0;
}

}  // namespace

int RunSearchExport(const std::string& data_dir, const SearchFlags& flags, const std::string& format_name, int64_t rows,
                    const std::string& output) {
  const auto format = ExportFormatFromName(format_name);
  if (!format) return Fail(Status::Usage("--format: csv or jsonl, not '" + format_name + "'"));
  auto engine = Engine::Open(data_dir, Engine::Mode::kRead);
  if (!engine.ok()) return Fail(engine.status());
  WarnUnknownOutlets(**engine, flags.request.sources);
  std::ofstream file;
  if (output != "-") {
    file.open(output, std::ios::binary | std::ios::trunc);
    if (!file) return Fail(Status::IOError("cannot write " + output));
  }
  std::ostream& out = output == "-" ? std::cout : file;
  auto written = ExportSearch(**engine, flags.request, *format, rows, [&](std::string_view text) {
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    return out ? Status::Ok() : Status::IOError("cannot write " + output);
  });
  if (!written.ok()) return FailSearch(false, flags.request.query, written.status());
  out.flush();
  if (output != "-") std::cerr << "echotrace: wrote " << *written << " rows to " << output << "\n";
  return 0;
}

namespace {

int RunShow(const std::string& data_dir, const std::string& id, bool versions, bool spans, bool raw, bool json) {
  auto engine = Engine::Open(data_dir, Engine::Mode::kRead);
  if (!engine.ok()) return Fail(json, engine.status());
  auto view = (*engine)->Show(id);
  if (!view.ok()) return Fail(json, view.status());
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
                << (span.label.empty() ? "" : "/" + span.label) << (span.key.empty() ? "" : " = " + span.key);
      for (const auto& [name, value] : span.attrs) std::cout << " " << name << "=" << value;
      std::cout << ": " << text << "\n";
    }
  }
  // Where this article's quotes come from (linking traced them at ingest).
  if (auto links = (*engine)->LinksOf(v.docno); links.ok() && !links->empty()) {
    std::cout << "\nquotes traced to state media:\n";
    for (const StoredQuoteLink& link : *links) {
      const QuoteMatch& m = link.match;
      std::string quote = v.doc.text.substr(m.quote_begin, m.quote_end - m.quote_begin);
      if (quote.size() > 80) quote = quote.substr(0, 77) + "...";
      const Outlet* outlet = FindOutletByName(m.outlet);
      std::cout << "  \"" << quote << "\"\n    quoted from: " << (outlet ? std::string(outlet->name) : m.outlet) << ", "
                << (m.date.empty() ? "undated" : m.date) << ", paragraph " << m.paragraph << " (id " << m.version_id
                << ")\n";
    }
  }
  const std::string body = v.doc.Body();
  std::cout << "\n" << (body.empty() ? "(headline only: no body)" : body) << "\n";
  return 0;
}

int RunStats(const std::string& data_dir, bool json) {
  auto engine = Engine::Open(data_dir, Engine::Mode::kRead);
  if (!engine.ok()) return Fail(json, engine.status());
  auto stats = (*engine)->Stats();
  if (!stats.ok()) return Fail(json, stats.status());
  const int64_t lag = (*engine)->IndexLag();
  auto sizes = (*engine)->SizeBreakdown();
  if (!sizes.ok()) return Fail(json, sizes.status());
  if (json) {
    Json bytes = Json::object();
    for (const auto& [part, size] : *sizes) bytes[part] = size;
    bytes["text"] = stats->text_bytes;
    std::cout << Json{{"articles", stats->articles},
                      {"versions", stats->versions},
                      {"headline_stubs", stats->headline_stubs},
                      {"unindexed", lag},
                      {"by_source", stats->by_source},
                      {"by_month", stats->by_month},
                      {"bytes", std::move(bytes)}}
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
  std::cout << "\nsize on disk (MiB):\n";
  for (const auto& [part, size] : *sizes) {
    std::printf("  %-40s %10.1f\n", part.c_str(), static_cast<double>(size) / (1 << 20));
  }
  // The figure issue 17 sets a bound on: every byte of the data directory
  // against the text it makes searchable.
  const int64_t total = sizes->empty() ? 0 : sizes->front().second;
  if (stats->text_bytes > 0) {
    std::printf("\ntotal %.1f MiB = %.2f x the stored text (%.1f MiB of titles and bodies)\n",
                static_cast<double>(total) / (1 << 20),
                static_cast<double>(total) / static_cast<double>(stats->text_bytes),
                static_cast<double>(stats->text_bytes) / (1 << 20));
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

}  // namespace

void AddStoreCommands(CLI::App& app, Context* context) {
  struct Flags {
    std::vector<std::string> ingest_paths;
    bool ingest_progress = false, ingest_json = false, ingest_no_annotate = false, ingest_no_link = false;
    int ingest_workers = 0;
    SearchFlags search;
    bool search_json = false;
    std::string show_id;
    bool show_versions = false, show_spans = false, show_raw = false, show_json = false;
    bool stats_json = false;
  };
  auto f = std::make_shared<Flags>();

  CLI::App* ingest = app.add_subcommand("ingest", "ingest files, folders (recursively) or - (stdin)");
  ingest->add_option("paths", f->ingest_paths, "files, folders, or - for stdin")->required();
  ingest->add_flag("--progress", f->ingest_progress, "show the progress line even when stderr is not a terminal");
  ingest->add_flag("--json", f->ingest_json, "print the summary as JSON");
  ingest->add_flag("--no-annotate", f->ingest_no_annotate,
                   "store extraction only (faster; `echotrace reindex` annotates later)");
  ingest->add_flag("--no-link", f->ingest_no_link,
                   "do not link (near-duplicates, quote tracing) now; `echotrace link` does it later");
  ingest
      ->add_option("--workers", f->ingest_workers,
                   "threads that extract and annotate (default 0: one per core; 1: none, all on one thread)")
      ->check(CLI::Range(0, 64));
  ingest->callback([f, context] {
    context->exit_code =
        RunIngest(context->data_dir, f->ingest_paths, f->ingest_progress, f->ingest_json, !f->ingest_no_annotate,
                  !f->ingest_no_link, f->ingest_workers, context->command_line);
  });

  CLI::App* search = app.add_subcommand("search", "ranked full-text search (Xapian query syntax)");
  search
      ->add_option("query", f->search.request.query,
                   "words, \"phrases\", AND/OR/NOT, -word, title:word, outlet:kcna (empty: everything)")
      ->required();
  AddSearchFilters(search, &f->search);
  search->add_option("--limit", f->search.request.limit, "hits to show (default 10)")->check(CLI::Range(1, 10000));
  search->add_option("--offset", f->search.request.offset, "hits to skip (paging)")->check(CLI::NonNegativeNumber);
  search->add_flag("--histogram", f->search.request.with_histogram, "count every match by month (--json: histogram)");
  search->add_flag("--json", f->search_json, "the API's answer: {total, sort, hits, facets...} (docs/api.md)");
  search->callback([f, context] {
    FinishSearchFlags(&f->search);
    context->exit_code = RunSearch(context->data_dir, f->search.request, f->search_json);
  });

  CLI::App* show = app.add_subcommand("show", "show one article (by any id form; ID@N: its Nth version)");
  show->add_option("id", f->show_id,
                   "version id, article id, unique prefix, or external id; ID@N for the Nth version (1 = first)")
      ->required();
  show->add_flag("--versions", f->show_versions, "list every version of the article");
  show->add_flag("--spans", f->show_spans, "list the spans: title, paragraphs, removed boilerplate, annotations");
  show->add_flag("--raw", f->show_raw, "print the raw input bytes as ingested");
  show->add_flag("--json", f->show_json, "print as JSON");
  show->callback([f, context] {
    context->exit_code =
        RunShow(context->data_dir, f->show_id, f->show_versions, f->show_spans, f->show_raw, f->show_json);
  });

  CLI::App* stats = app.add_subcommand("stats", "counts by source and by month");
  stats->add_flag("--json", f->stats_json, "print as JSON");
  stats->callback([f, context] { context->exit_code = RunStats(context->data_dir, f->stats_json); });

  CLI::App* reindex = app.add_subcommand("reindex", "re-run extraction over stored raw bytes and re-index");
  reindex->callback([context] { context->exit_code = RunReindex(context->data_dir); });
}

}  // namespace echotrace::cli

// collect, ledger, export, watch: the commands of collection (see engine/collect.h).
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "collect/warc.h"
#include "core/text.h"
#include "engine/json.h"

namespace echotrace::cli {
namespace {

// SIGINT and SIGTERM are blocked while collecting and read with sigpending
// and sigtimedwait: a poll stops cleanly between two items (everything
// fetched so far is committed) and the wait between polls ends at once,
// with no signal handler and no global flag.
class StopSignals {
 public:
  StopSignals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  ~StopSignals() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  bool Pending() {
    if (stopped_) return true;
    sigset_t pending;
    sigpending(&pending);
    stopped_ = sigismember(&pending, SIGINT) == 1 || sigismember(&pending, SIGTERM) == 1;
    return stopped_;
  }
  // Sleeps `seconds` or until a signal; true when a signal came.
  bool Wait(long seconds) {
    if (Pending()) return true;
    timespec timeout{seconds, 0};
    for (;;) {
      const int sig = sigtimedwait(&set_, nullptr, &timeout);
      if (sig == SIGINT || sig == SIGTERM) return stopped_ = true;
      if (sig < 0 && errno == EAGAIN) return false;
      // EINTR (another signal): keep the remaining time approximately.
    }
  }

 private:
  sigset_t set_, old_;
  bool stopped_ = false;
};

void PrintSummary(const CollectReport& report) {
  for (const SourceSummary& s : report.sources) {
    std::printf(
        "%s: %s%s, %lld listed, %lld fetched: %lld new, %lld edited, %lld unchanged, %lld gone, "
        "%lld restored, %lld errors (%.1f s)\n",
        s.name.c_str(), s.feed_kind.empty() ? "feed failed" : s.feed_kind.c_str(), s.feed_not_modified ? " (304)" : "",
        static_cast<long long>(s.items), static_cast<long long>(s.fetched), static_cast<long long>(s.new_articles),
        static_cast<long long>(s.edited), static_cast<long long>(s.unchanged), static_cast<long long>(s.gone),
        static_cast<long long>(s.restored), static_cast<long long>(s.errors), s.seconds);
    for (size_t i = 0; i < s.messages.size() && i < 20; ++i) std::printf("  %s\n", s.messages[i].c_str());
  }
  if (report.new_matches > 0) std::printf("%lld new watchlist matches\n", static_cast<long long>(report.new_matches));
  if (report.webhook_delivered > 0) {
    std::printf("webhook: %lld deliveries sent\n", static_cast<long long>(report.webhook_delivered));
  }
  if (!report.webhook_error.empty()) {
    std::printf("webhook failed: %s (%lld deliveries pending; sent on the next poll)\n", report.webhook_error.c_str(),
                static_cast<long long>(report.webhook_pending));
  }
  if (report.interrupted) std::printf("interrupted: what was fetched is kept; run again to go on\n");
}

int RunCollect(const std::string& data_dir, const std::vector<std::string>& urls, const std::string& sources_path,
               const std::string& every, bool json, bool progress) {
  CollectConfig config;
  if (!urls.empty()) {
    config = SourcesFromUrls(urls);
    for (const Source& source : config.sources) {
      if (HostOf(source.url).empty()) return Fail(Status::Usage("not an http(s) URL: " + source.url));
    }
  } else {
    auto loaded = LoadSources(sources_path);
    if (!loaded.ok()) {
      if (loaded.status().code() == StatusCode::kNotFound) {
        return Fail(Status::Usage(loaded.status().message() +
                                  " (give feed URLs, or write the file: see README \"Watching sources\")"));
      }
      return Fail(loaded.status());
    }
    config = std::move(loaded).value();
    if (config.sources.empty()) return Fail(Status::Usage(sources_path + ": no [[source]] listed"));
  }
  long interval = 0;
  if (!every.empty()) {
    auto seconds = ParseDurationSeconds(every);
    if (!seconds.ok()) return Fail(seconds.status());
    interval = static_cast<long>(*seconds);
    if (interval < 1) return Fail(Status::Usage("--every must be at least 1s"));
  }
  auto engine = Engine::Open(data_dir, Engine::Mode::kWrite);
  if (!engine.ok()) return Fail(engine.status());
  StopSignals signals;
  CollectOptions options;
  options.should_stop = [&signals] { return signals.Pending(); };
  if (const char* crash = std::getenv("ECHOTRACE_TEST_CRASH_AFTER_COLLECT_COMMITS")) {
    options.test_crash_after_commits = std::atoi(crash);
  }
  const bool show = progress || (!json && isatty(STDERR_FILENO));
  CollectProgress on_item;
  if (show) {
    on_item = [](const SourceSummary& s) {
      std::fprintf(stderr, "\r%s: %lld/%lld, %lld new, %lld edited, %lld gone, %lld errors   ", s.name.c_str(),
                   static_cast<long long>(s.fetched), static_cast<long long>(s.items),
                   static_cast<long long>(s.new_articles), static_cast<long long>(s.edited),
                   static_cast<long long>(s.gone), static_cast<long long>(s.errors));
    };
  }
  int exit_code = 0;
  for (;;) {
    auto report = (*engine)->Collect(config, options, on_item);
    if (show) std::fprintf(stderr, "\n");
    if (!report.ok()) return Fail(report.status());
    if (json) {
      std::cout << CollectReportJson(*report).dump() << std::endl;
    } else {
      PrintSummary(*report);
      std::fflush(stdout);
    }
    exit_code = report->HasErrors() ? 1 : 0;
    if (interval == 0 || report->interrupted || signals.Wait(interval)) break;
  }
  return exit_code;
}

int RunLedger(const std::string& data_dir, const LedgerQuery& query, bool json) {
  auto engine = Engine::Open(data_dir, Engine::Mode::kRead);
  if (!engine.ok()) return Fail(engine.status());
  auto entries = (*engine)->Ledger(query);
  if (!entries.ok()) return Fail(entries.status());
  if (json) {
    Json out = Json::array();
    for (const LedgerView& view : *entries) out.push_back(LedgerJson(view));
    std::cout << out.dump() << "\n";
    return 0;
  }
  if (entries->empty()) std::cout << "the ledger is empty (nothing collected in that range)\n";
  for (const LedgerView& view : *entries) {
    const LedgerEntry& e = view.entry;
    std::cout << e.at << "  " << e.kind << "  " << e.source << "  " << e.url;
    if (!view.title.empty()) std::cout << "  \"" << view.title << "\"";
    if (!e.reason.empty()) std::cout << "  (" << e.reason << ")";
    std::cout << "\n";
    if (e.kind == "edited") {
      // Only the changed stretches, with a few words of context.
      std::vector<DiffWord> shown;
      for (size_t i = 0; i < view.diff.size(); ++i) {
        bool near_change = false;
        for (size_t j = i >= 3 ? i - 3 : 0; j < view.diff.size() && j <= i + 3; ++j) {
          near_change = near_change || view.diff[j].op != DiffOp::kKept;
        }
        if (near_change) shown.push_back(view.diff[i]);
      }
      std::cout << "    " << RenderDiff(shown) << "\n";
    }
  }
  return 0;
}

// Names a capture's record in WARC-Record-ID (so a revisit can refer to it).
std::string CaptureRecordKey(int64_t id) { return "capture " + std::to_string(id); }

int RunExport(const std::string& data_dir, const std::vector<int64_t>& ids, bool all, bool gzip,
              const std::string& output) {
  if (ids.empty() && !all) return Fail(Status::Usage("export: give --warc ID (repeatable) or --all"));
  auto engine = Engine::Open(data_dir, Engine::Mode::kRead);
  if (!engine.ok()) return Fail(engine.status());
  std::vector<int64_t> wanted = ids;
  if (all) {
    for (int64_t after = 0;;) {
      auto chunk = (*engine)->CaptureIds(after, 10000);
      if (!chunk.ok()) return Fail(chunk.status());
      if (chunk->empty()) break;
      wanted.insert(wanted.end(), chunk->begin(), chunk->end());
      after = chunk->back();
    }
    if (wanted.empty()) return Fail(Status::NotFound("no captures yet (run `echotrace collect` first)"));
  }
  std::ofstream file;
  if (output != "-") {
    file.open(output, std::ios::binary | std::ios::trunc);
    if (!file) return Fail(Status::IOError(output + ": cannot write"));
  }
  std::ostream& out = output == "-" ? std::cout : file;
  const std::string name = output == "-" ? "echotrace-export.warc" : output;
  out << WarcInfoRecord(name, UtcNowIso(), gzip);
  for (int64_t id : wanted) {
    auto capture = (*engine)->Capture(id, true);
    if (!capture.ok()) return Fail(capture.status());
    if (capture->status == 0) continue;  // no response to archive (timeout, refused)
    WarcResponse response;
    response.url = capture->url;
    response.fetched_at = capture->fetched_at;
    response.status_line = capture->status_line;
    for (const auto& [header, value] : capture->headers) response.headers.push_back({header, value});
    response.body = capture->body;
    response.record_key = CaptureRecordKey(capture->id);
    if (capture->status != 304) {
      out << WarcResponseRecord(response, gzip);
      continue;
    }
    // Not modified: a revisit record pointing at the capture it confirmed.
    auto confirmed = (*engine)->ConfirmedCapture(capture->url, capture->id);
    if (!confirmed.ok()) return Fail(confirmed.status());
    WarcRefersTo refers;
    if (*confirmed) refers = {CaptureRecordKey((*confirmed)->id), (*confirmed)->url, (*confirmed)->fetched_at};
    out << WarcRevisitRecord(response, refers, gzip);
  }
  out.flush();
  if (!out) return Fail(Status::IOError(output + ": write failed"));
  return 0;
}

int RunWatchList(const std::string& data_dir, bool json) {
  auto engine = Engine::Open(data_dir, Engine::Mode::kRead);
  if (!engine.ok()) return Fail(engine.status());
  auto watches = (*engine)->Watches();
  if (!watches.ok()) return Fail(watches.status());
  if (json) {
    Json out = Json::array();
    for (const WatchSpec& w : *watches) out.push_back(WatchSpecJson(w));
    std::cout << out.dump() << "\n";
    return 0;
  }
  if (watches->empty()) std::cout << "no watchlists (add one with `echotrace watch add NAME --query ...`)\n";
  for (const WatchSpec& w : *watches) std::cout << w.name << "  " << WatchSpecJson(w).dump() << "\n";
  return 0;
}

int RunWatchAdd(const std::string& data_dir, const WatchSpec& spec) {
  auto engine = Engine::Open(data_dir, Engine::Mode::kWrite);
  if (!engine.ok()) return Fail(engine.status());
  auto matches = (*engine)->AddWatch(spec);
  if (!matches.ok()) return Fail(matches.status());
  std::cout << "watchlist " << spec.name << " saved; " << *matches << " articles match now\n";
  return 0;
}

int RunWatchRemove(const std::string& data_dir, const std::string& name) {
  auto engine = Engine::Open(data_dir, Engine::Mode::kWrite);
  if (!engine.ok()) return Fail(engine.status());
  if (Status status = (*engine)->RemoveWatch(name); !status.ok()) return Fail(status);
  std::cout << "watchlist " << name << " removed\n";
  return 0;
}

int RunWatchShow(const std::string& data_dir, const std::string& name, int64_t limit, bool json) {
  auto engine = Engine::Open(data_dir, Engine::Mode::kRead);
  if (!engine.ok()) return Fail(engine.status());
  auto view = (*engine)->ShowWatch(name, limit);
  if (!view.ok()) return Fail(view.status());
  Json matches = Json::array();
  for (const WatchMatch& m : view->matches) {
    auto v = (*engine)->Version(m.docno);
    if (!v.ok()) return Fail(v.status());
    Json j = VersionJson(*v, false);
    j["matched_at"] = m.matched_at;
    matches.push_back(std::move(j));
  }
  Json uses = Json::array();
  for (const auto& use : view->phrase_uses) {
    uses.push_back(
        {{"source", use.source}, {"first", use.first_date}, {"last", use.last_date}, {"articles", use.articles}});
  }
  if (json) {
    std::cout << Json{{"watch", WatchSpecJson(view->spec)},
                      {"created_at", view->created_at},
                      {"matches", matches},
                      {"phrase_uses", uses}}
                     .dump()
              << "\n";
    return 0;
  }
  std::cout << view->spec.name << "  " << WatchSpecJson(view->spec).dump() << "\n";
  for (const Json& use : uses) {
    std::cout << "  phrase in "
              << (use["source"].get<std::string>().empty() ? "unknown" : use["source"].get<std::string>()) << ": first "
              << use["first"].get<std::string>() << ", last " << use["last"].get<std::string>() << " ("
              << use["articles"].get<int64_t>() << " articles)\n";
  }
  std::cout << matches.size() << " matches (newest first)\n";
  for (const Json& m : matches) {
    std::cout << "  " << m["matched_at"].get<std::string>() << "  " << m["source"].get<std::string>() << "  "
              << m["date"].get<std::string>() << "  " << m["title"].get<std::string>() << "  "
              << m["id"].get<std::string>() << "\n";
  }
  return 0;
}

}  // namespace

void AddCollectCommands(CLI::App& app, Context* context) {
  struct Flags {
    std::vector<std::string> urls;
    std::string sources = "echotrace-sources.toml";
    std::string every;
    bool json = false, progress = false;
    LedgerQuery ledger;
    bool ledger_json = false;
    std::vector<int64_t> warc_ids;
    bool warc_all = false, warc_gzip = false;
    std::string output = "-";
    SearchFlags search;  // export QUERY --format csv|jsonl
    std::string format;
    int64_t rows = 10000;
    WatchSpec watch;
    int64_t watch_limit = 50;
    bool watch_json = false;
  };
  auto f = std::make_shared<Flags>();

  CLI::App* collect = app.add_subcommand("collect", "poll feeds, sitemaps and listing pages; store what changed");
  collect->add_option("urls", f->urls, "feed or sitemap URLs to poll once (no sources file needed)");
  collect->add_option("--sources", f->sources, "sources file (TOML; default echotrace-sources.toml)");
  collect->add_option("--every", f->every, "poll again at this interval (15m, 1h...) until SIGINT/SIGTERM");
  collect->add_flag("--json", f->json, "print each poll's summary as one JSON line");
  collect->add_flag("--progress", f->progress, "show progress even when stderr is not a terminal");
  collect->callback([f, context] {
    context->exit_code = RunCollect(context->data_dir, f->urls, f->sources, f->every, f->json, f->progress);
  });

  CLI::App* ledger = app.add_subcommand("ledger", "timeline of new, edited, deleted (gone) and restored articles");
  ledger->add_option("--from", f->ledger.from, "on or after (YYYY-MM-DD or a full UTC time)");
  ledger->add_option("--to", f->ledger.to, "on or before (YYYY-MM-DD covers the day)");
  ledger->add_option("--source", f->ledger.source, "only this source (its name in the sources file)");
  ledger->add_option("--url", f->ledger.url, "only this article URL");
  ledger->add_option("--kind", f->ledger.kinds, "only these kinds (repeatable)")
      ->check(CLI::IsMember({"new", "edited", "gone", "restored"}));
  ledger->add_option("--limit", f->ledger.limit, "entries at most (default 1000)")->check(CLI::Range(1, 1000000));
  ledger->add_flag("--json", f->ledger_json, "print as JSON");
  ledger->callback([f, context] { context->exit_code = RunLedger(context->data_dir, f->ledger, f->ledger_json); });

  CLI::App* export_cmd =
      app.add_subcommand("export", "search results as CSV or JSON Lines (QUERY --format), or captures as WARC/1.1");
  export_cmd->add_option("query", f->search.request.query, "a search, as `search` takes it (with --format)");
  export_cmd->add_option("--format", f->format, "csv or jsonl: write the query's hits (default csv with a QUERY)")
      ->check(CLI::IsMember({"csv", "jsonl"}));
  AddSearchFilters(export_cmd, &f->search);
  export_cmd->add_option("--rows", f->rows, "most hits to write (default 10000)")->check(CLI::PositiveNumber);
  export_cmd->add_option("--warc", f->warc_ids, "capture id (repeatable; see `ledger --json` capture_id)");
  export_cmd->add_flag("--all", f->warc_all, "every capture");
  export_cmd->add_flag("--gzip", f->warc_gzip, "gzip each record (a .warc.gz file)");
  export_cmd->add_option("-o,--output", f->output, "file to write (default - : stdout)");
  export_cmd->callback([f, export_cmd, context] {
    const bool search = !f->format.empty() || export_cmd->count("query") > 0;
    if (search && (!f->warc_ids.empty() || f->warc_all)) {
      context->exit_code = Fail(Status::Usage("export: a QUERY (--format) or captures (--warc/--all), not both"));
      return;
    }
    if (search) {
      FinishSearchFlags(&f->search);
      context->exit_code =
          RunSearchExport(context->data_dir, f->search, f->format.empty() ? "csv" : f->format, f->rows, f->output);
      return;
    }
    context->exit_code = RunExport(context->data_dir, f->warc_ids, f->warc_all, f->warc_gzip, f->output);
  });

  CLI::App* watch = app.add_subcommand("watch", "watchlists: saved searches whose new matches are recorded");
  watch->require_subcommand(1);
  CLI::App* list = watch->add_subcommand("list", "list watchlists");
  list->add_flag("--json", f->watch_json, "print as JSON");
  list->callback([f, context] { context->exit_code = RunWatchList(context->data_dir, f->watch_json); });
  CLI::App* add = watch->add_subcommand("add", "save a watchlist (replaces one of that name)");
  add->add_option("name", f->watch.name, "name ([A-Za-z0-9_-], names /feeds/NAME.atom)")->required();
  add->add_option("--query", f->watch.query, "search query (Xapian syntax, as `search`)");
  add->add_option("--phrase", f->watch.phrase, "an exact phrase (reports its first and last use per outlet)");
  add->add_option("--speaker", f->watch.speaker, "articles quoting this speaker id");
  add->add_option("--entity", f->watch.entities, "articles mentioning this entity id (repeatable: all)");
  add->add_option("--source", f->watch.sources, "only these outlets (repeatable)");
  add->add_option("--from", f->watch.from_date, "published on or after (YYYY-MM-DD)");
  add->add_option("--to", f->watch.to_date, "published on or before (YYYY-MM-DD)");
  add->add_option("--media", f->watch.media, "state or foreign")->check(CLI::IsMember({"state", "foreign"}));
  add->callback([f, context] { context->exit_code = RunWatchAdd(context->data_dir, f->watch); });
  CLI::App* rm = watch->add_subcommand("rm", "remove a watchlist and its matches");
  rm->add_option("name", f->watch.name, "name")->required();
  rm->callback([f, context] { context->exit_code = RunWatchRemove(context->data_dir, f->watch.name); });
  CLI::App* show = watch->add_subcommand("show", "a watchlist's matches, newest first");
  show->add_option("name", f->watch.name, "name")->required();
  show->add_option("--limit", f->watch_limit, "matches at most (default 50)")->check(CLI::Range(1, 100000));
  show->add_flag("--json", f->watch_json, "print as JSON");
  show->callback([f, context] {
    context->exit_code = RunWatchShow(context->data_dir, f->watch.name, f->watch_limit, f->watch_json);
  });
}

}  // namespace echotrace::cli

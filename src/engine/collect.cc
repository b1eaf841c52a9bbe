// Engine::Collect, the ledger and watchlists (see engine/collect.h).
#include "engine/collect.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <unordered_map>

#include "collect/feed.h"
#include "collect/fetch.h"
#include "engine/engine.h"
#include "engine/ingest_run.h"
#include "ingest/reader.h"

namespace echotrace {
namespace {

// --- Ledger rules -----------------------------------------------------------

// HTTP statuses that say an article was deleted. Anything else that is not
// 200 or 304 (403, 429, 5xx) may be passing trouble: an error, not a deletion.
constexpr long kGoneStatuses[] = {404, 410};
// Paths a redirect lands on when a site sends a deleted article's readers
// to its front page (besides the source's own listing URL, and a language
// root such as "/en/").
constexpr std::string_view kFrontPagePaths[] = {"/", "/index.html", "/index.htm", "/index.php", "/index.jsp"};
constexpr std::string_view kDroppedReason = "dropped from the listing";

bool IsGoneStatus(long status) {
  return std::find(std::begin(kGoneStatuses), std::end(kGoneStatuses), status) != std::end(kGoneStatuses);
}

std::string PathOnly(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "/";
  const size_t slash = url.find('/', scheme + 3);
  if (slash == std::string_view::npos) return "/";
  std::string_view path = url.substr(slash);
  return std::string(path.substr(0, path.find_first_of("?#")));
}

bool IsFrontPageRedirect(const FetchResult& r, const Source& source) {
  if (r.redirects == 0 || r.final_url == r.url) return false;
  if (r.final_url == source.url) return true;
  const std::string path = PathOnly(r.final_url);
  for (std::string_view front : kFrontPagePaths) {
    if (path == front) return true;
  }
  // "/en/": one segment and a slash.
  return path.size() > 1 && path.back() == '/' && path.find('/', 1) == path.size() - 1;
}

CaptureRow ToCapture(const FetchResult& r, const std::string& source) {
  CaptureRow c;
  c.url = r.url;
  c.final_url = r.final_url;
  c.source = source;
  c.fetched_at = r.fetched_at;
  c.status = r.status;
  c.error = r.error;
  c.sha256 = Sha256Hex(r.wire_body);
  c.status_line = r.status_line;
  for (const HttpHeader& h : r.headers) c.headers.emplace_back(h.name, h.value);
  c.body = r.wire_body;
  c.body_size = static_cast<int64_t>(r.wire_body.size());
  return c;
}

// --- Watchlist specs ----------------------------------------------------------

std::string SpecToJson(const WatchSpec& s) {
  nlohmann::json j = {{"query", s.query},       {"phrase", s.phrase},  {"speaker", s.speaker}, {"sources", s.sources},
                      {"entities", s.entities}, {"from", s.from_date}, {"to", s.to_date},      {"media", s.media}};
  return j.dump();
}

WatchSpec SpecFromJson(const std::string& name, const std::string& json) {
  WatchSpec s;
  s.name = name;
  const nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object()) return s;
  auto text = [&](const char* key) { return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : ""; };
  auto list = [&](const char* key) {
    std::vector<std::string> out;
    if (j.contains(key) && j[key].is_array()) {
      for (const auto& v : j[key]) {
        if (v.is_string()) out.push_back(v.get<std::string>());
      }
    }
    return out;
  };
  s.query = text("query");
  s.phrase = text("phrase");
  s.speaker = text("speaker");
  s.sources = list("sources");
  s.entities = list("entities");
  s.from_date = text("from");
  s.to_date = text("to");
  s.media = text("media");
  return s;
}

// The search a watchlist runs: its query AND "its phrase" AND speaker:ID.
SearchRequest ToRequest(const WatchSpec& s) {
  SearchRequest r;
  std::string query = s.query;
  auto add = [&](const std::string& part) { query += (query.empty() ? "" : " AND ") + part; };
  if (!s.phrase.empty()) {
    std::string phrase = s.phrase;
    std::replace(phrase.begin(), phrase.end(), '"', ' ');
    add("\"" + phrase + "\"");
  }
  if (!s.speaker.empty()) add("speaker:" + s.speaker);
  r.query = query;
  r.sources = s.sources;
  r.entities = s.entities;
  r.from_date = s.from_date;
  r.to_date = s.to_date;
  r.media = s.media;
  r.limit = 10000;
  r.with_facets = false;
  return r;
}

Status CheckWatchName(std::string_view name) {
  const bool ok = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
  if (ok) return Status::Ok();
  return Status::Usage("watchlist name '" + std::string(name) +
                       "' must be 1 to 64 letters, digits, '-' or '_' (it names /feeds/NAME.atom)");
}

// --- Webhook deliveries -------------------------------------------------------

// Deliveries sent per poll at most (oldest first); the rest wait.
constexpr int64_t kMaxDeliveriesPerPoll = 100;
// The longest wait between two attempts of one delivery.
constexpr std::chrono::milliseconds kMaxWebhookBackoff{30000};

// Worth another attempt in this poll: no answer, 408, 429, 5xx.
bool IsRetryableWebhookAnswer(long status) { return status == 0 || status == 408 || status == 429 || status >= 500; }

// {"matches": [{"watch", "id", "title", "source", "date", "url", "matched_at"}]}
Result<std::string> WebhookBody(const Store& store, const std::vector<WatchMatch>& matches) {
  nlohmann::json list = nlohmann::json::array();
  for (const WatchMatch& m : matches) {
    ET_ASSIGN_OR_RETURN(StoredVersion v, store.Get(m.docno, false));
    list.push_back({{"watch", m.name},
                    {"id", v.version_id},
                    {"title", v.doc.title},
                    {"source", v.doc.source},
                    {"date", v.doc.date},
                    {"url", v.doc.url},
                    {"matched_at", m.matched_at}});
  }
  return nlohmann::json{{"matches", std::move(list)}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

// One source's poll. Its writes (versions, captures, URL states, ledger) go
// into the IngestRun's open batch, one transaction; Commit() commits it,
// then indexes and links what it added.
class Engine::CollectRun {
 public:
  CollectRun(Engine* engine, CaptureStore* captures, Fetcher* fetcher, IngestRun* run, const CollectOptions& options,
             const CollectProgress& progress)
      : engine_(engine), captures_(captures), fetcher_(fetcher), run_(run), options_(options), progress_(progress) {}

  // Polls `source` into `summary`. Returns a failure of ours (store, index);
  // network trouble goes into the summary.
  Status Poll(const Source& source, SourceSummary* summary, bool* interrupted) {
    source_ = &source;
    s_ = summary;
    s_->name = source.name;
    s_->url = source.url;
    const auto start = std::chrono::steady_clock::now();
    Status status = PollFeed(interrupted);
    if (status.ok()) status = Commit();
    s_->seconds = engine_internal::SecondsSince(start);
    return status;
  }

  Status Commit() {
    ET_RETURN_IF_ERROR(run_->CommitBatch());
    since_commit_ = 0;
    return Status::Ok();
  }

 private:
  Status Open() { return run_->BeginBatch(); }

  void Error(const std::string& url, const std::string& message) {
    ++s_->errors;
    if (s_->messages.size() < 200) s_->messages.push_back(url + ": " + message);
  }

  // Keeps `r` as a capture, after the robots.txt responses the fetcher
  // read on its way (they came first).
  Result<int64_t> Capture(const FetchResult& r) {
    ET_RETURN_IF_ERROR(Open());
    for (const FetchResult& robots : fetcher_->TakeRobotsFetches()) {
      ET_RETURN_IF_ERROR(captures_->AddCapture(ToCapture(robots, source_->name)).status());
    }
    return captures_->AddCapture(ToCapture(r, source_->name));
  }

  Status Ledger(std::string_view kind, const WatchedUrl& u, std::string_view at, std::string reason,
                int64_t previous_docno, int64_t capture_id) {
    ET_RETURN_IF_ERROR(Open());
    LedgerEntry e;
    e.at = std::string(at);
    e.kind = std::string(kind);
    e.url = u.url;
    e.source = source_->name;
    e.reason = std::move(reason);
    e.docno = u.docno;
    e.previous_docno = previous_docno;
    e.capture_id = capture_id;
    return captures_->AddLedger(e).status();
  }

  Status Restore(WatchedUrl* u, std::string_view at, int64_t capture_id) {
    const std::string why = "was gone since " + u->gone_since + " (" + u->gone_reason + ")";
    u->state = UrlState::kLive;
    u->gone_reason.clear();
    u->gone_since.clear();
    ++s_->restored;
    return Ledger("restored", *u, at, why, 0, capture_id);
  }

  // Fetches the feed (and a sitemap index's children) into `items`.
  // Returns false in *clean when the listing cannot be trusted to tell a
  // deletion (malformed, empty, not modified).
  Status FetchListing(std::vector<FeedItem>* items, bool* clean, std::string* polled_at) {
    *clean = false;
    ET_ASSIGN_OR_RETURN(std::optional<SourceState> state, captures_->Source(source_->name));
    Validators validators;
    if (state && state->url == source_->url) validators = {state->etag, state->last_modified};
    const FetchResult feed = fetcher_->Get(source_->url, validators);
    *polled_at = feed.fetched_at;
    ET_RETURN_IF_ERROR(Capture(feed).status());
    s_->feed_status = feed.status;
    if (feed.status == 304) {
      s_->feed_not_modified = true;
      s_->feed_kind = "not modified";
      ET_ASSIGN_OR_RETURN(std::vector<WatchedUrl> known, captures_->UrlsOf(source_->name));
      for (const WatchedUrl& u : known) {
        if (u.listed) items->push_back({u.url, "", ""});
      }
    } else if (feed.status != 200) {
      Error(source_->url, feed.error.empty() ? "HTTP " + std::to_string(feed.status) : feed.error);
      return Status::Ok();
    } else if (!source_->pattern.empty()) {
      FeedParse listing = ParseListing(feed.body, feed.final_url, source_->pattern);
      s_->feed_kind = FeedKindName(listing.kind);
      *items = std::move(listing.items);
      *clean = !items->empty();  // a redesigned page listing nothing deletes nothing
    } else {
      Result<FeedParse> parsed = ParseFeed(feed.body, feed.final_url);
      if (!parsed.ok()) {
        Error(source_->url, parsed.status().message());
        return Status::Ok();
      }
      s_->feed_kind = FeedKindName(parsed->kind);
      *clean = parsed->warning.empty() && !parsed->items.empty();
      if (!parsed->warning.empty()) Error(source_->url, parsed->warning + " (items before it kept)");
      if (parsed->kind == FeedKind::kSitemapIndex) {
        int children = 0;
        for (const FeedItem& child : parsed->items) {
          if (children++ >= options_.max_child_sitemaps) break;
          const FetchResult r = fetcher_->Get(child.url, {});
          ET_RETURN_IF_ERROR(Capture(r).status());
          Result<FeedParse> sub = r.status == 200
                                      ? ParseFeed(r.body, r.final_url)
                                      : Status::BadInput("HTTP " + std::to_string(r.status) + " " + r.error);
          if (!sub.ok() || !sub->warning.empty()) {
            *clean = false;
            Error(child.url, sub.ok() ? sub->warning : sub.status().message());
            if (!sub.ok()) continue;
          }
          for (FeedItem& item : sub->items) items->push_back(std::move(item));
        }
      } else {
        *items = std::move(parsed->items);
      }
    }
    SourceState next{source_->name, source_->url, std::string(feed.Header("ETag")),
                     std::string(feed.Header("Last-Modified")), feed.fetched_at};
    if (feed.status == 304 && state)
      next = {source_->name, source_->url, state->etag, state->last_modified, feed.fetched_at};
    ET_RETURN_IF_ERROR(Open());
    return captures_->PutSource(next);
  }

  Status PollFeed(bool* interrupted) {
    std::vector<FeedItem> items;
    bool clean = false;
    std::string polled_at;
    ET_RETURN_IF_ERROR(FetchListing(&items, &clean, &polled_at));
    s_->items = static_cast<int64_t>(items.size());
    ET_ASSIGN_OR_RETURN(std::vector<WatchedUrl> previous, captures_->UrlsOf(source_->name));
    std::unordered_map<std::string, WatchedUrl> known;
    for (WatchedUrl& u : previous) known.emplace(u.url, u);
    std::set<std::string> listed_now;
    for (const FeedItem& item : items) listed_now.insert(item.url);

    for (size_t rank = 0; rank < items.size(); ++rank) {
      if (options_.should_stop && options_.should_stop()) {
        *interrupted = true;
        return Status::Ok();
      }
      auto it = known.find(items[rank].url);
      std::optional<WatchedUrl> seen;
      if (it != known.end()) {
        seen = it->second;
      } else {  // listed before by another source (or by `collect URL`)
        ET_ASSIGN_OR_RETURN(seen, captures_->Url(items[rank].url));
      }
      ET_RETURN_IF_ERROR(ProcessUrl(items[rank].url, static_cast<int64_t>(rank), true, seen));
      if (++since_commit_ >= options_.commit_every) ET_RETURN_IF_ERROR(Commit());
      if (progress_) progress_(*s_);
    }

    for (const WatchedUrl& before : previous) {
      if (listed_now.count(before.url) != 0) continue;
      if (options_.should_stop && options_.should_stop()) {
        *interrupted = true;
        return Status::Ok();
      }
      if (before.state == UrlState::kGone) {
        // Deleted by status or redirect: ask again, it may come back. A
        // drop from the listing comes back by being listed again.
        if (before.gone_reason != kDroppedReason)
          ET_RETURN_IF_ERROR(ProcessUrl(before.url, before.rank, false, before));
        continue;
      }
      if (!before.listed || !clean) continue;
      WatchedUrl u = before;
      u.listed = false;
      // An older item (listed after it last time) still listed: this one was
      // taken out, not pushed off the end by newer ones.
      const bool older_remains = std::any_of(previous.begin(), previous.end(), [&](const WatchedUrl& other) {
        return other.listed && other.rank > before.rank && listed_now.count(other.url) != 0;
      });
      if (older_remains) {
        u.state = UrlState::kGone;
        u.gone_reason = std::string(kDroppedReason);
        u.gone_since = polled_at;
        ++s_->gone;
        ET_RETURN_IF_ERROR(Ledger("gone", u, polled_at, u.gone_reason, 0, 0));
      }
      ET_RETURN_IF_ERROR(Open());
      ET_RETURN_IF_ERROR(captures_->PutUrl(u));
    }
    return Status::Ok();
  }

  // One article URL: fetch (conditionally), capture, store a changed page,
  // and write what it showed to the ledger.
  Status ProcessUrl(const std::string& url, int64_t rank, bool listed, const std::optional<WatchedUrl>& known) {
    WatchedUrl u = known.value_or(WatchedUrl{});
    u.url = url;
    u.source = source_->name;
    const FetchResult r = fetcher_->Get(url, known ? Validators{u.etag, u.last_modified} : Validators{});
    ++s_->fetched;
    ET_ASSIGN_OR_RETURN(const int64_t capture_id, Capture(r));
    if (!known) u.first_seen = r.fetched_at;
    u.last_checked = r.fetched_at;
    u.listed = listed;
    if (listed) u.rank = rank;
    auto put = [&]() -> Status {
      ET_RETURN_IF_ERROR(Open());
      return captures_->PutUrl(u);
    };

    if (r.status == 0) {
      Error(url, r.error);
      return known ? put() : Status::Ok();
    }
    const bool front_page = IsFrontPageRedirect(r, *source_);
    if (IsGoneStatus(r.status) || front_page) {
      if (!known) {
        Error(url, "listed but answers HTTP " + std::to_string(r.status) + (front_page ? " (front page)" : ""));
        return Status::Ok();
      }
      if (u.state == UrlState::kLive) {
        u.state = UrlState::kGone;
        u.gone_reason =
            front_page ? "redirected to the front page (" + r.final_url + ")" : "HTTP " + std::to_string(r.status);
        u.gone_since = r.fetched_at;
        ++s_->gone;
        ET_RETURN_IF_ERROR(Ledger("gone", u, r.fetched_at, u.gone_reason, 0, capture_id));
      }
      return put();
    }
    if (r.status == 304) {
      if (!known) {
        Error(url, "HTTP 304 to an unconditional request");
        return Status::Ok();
      }
      if (u.state == UrlState::kGone) {
        ET_RETURN_IF_ERROR(Restore(&u, r.fetched_at, capture_id));
      } else {
        ++s_->unchanged;
      }
      return put();
    }
    if (r.status != 200) {
      Error(url, "HTTP " + std::to_string(r.status));
      return known ? put() : Status::Ok();
    }
    u.etag = std::string(r.Header("ETag"));
    u.last_modified = std::string(r.Header("Last-Modified"));
    const std::string sha = Sha256Hex(r.body);
    if (known && u.docno != 0 && sha == u.sha256) {  // no validators, same bytes
      if (u.state == UrlState::kGone) {
        ET_RETURN_IF_ERROR(Restore(&u, r.fetched_at, capture_id));
      } else {
        ++s_->unchanged;
      }
      return put();
    }
    RawRecord record;
    record.format = DetectFormat(std::string_view(r.body).substr(0, 4096), url);
    record.bytes = r.body;
    record.path = url;
    const std::string outlet = source_->outlet;
    AddResult added;
    ET_RETURN_IF_ERROR(run_->AddFetched(
        std::move(record),
        [&](Document* doc) {
          if (doc->url.empty()) doc->url = url;
          if (doc->source.empty()) doc->source = outlet;
        },
        &added));
    u.sha256 = sha;
    if (added.docno == 0) {
      Error(url, "the page does not extract (see the ingest log)");
      return put();
    }
    const int64_t previous = u.docno;
    u.docno = added.docno;
    if (previous == 0) {
      ++s_->new_articles;
      ET_RETURN_IF_ERROR(Ledger("new", u, r.fetched_at, "", 0, capture_id));
    } else if (previous != added.docno) {
      ++s_->edited;
      ET_RETURN_IF_ERROR(Ledger("edited", u, r.fetched_at, "", previous, capture_id));
    } else {
      ++s_->unchanged;
    }
    if (u.state == UrlState::kGone) ET_RETURN_IF_ERROR(Restore(&u, r.fetched_at, capture_id));
    return put();
  }

  Engine* const engine_;
  CaptureStore* const captures_;
  Fetcher* const fetcher_;
  IngestRun* const run_;
  const CollectOptions& options_;
  const CollectProgress& progress_;
  const Source* source_ = nullptr;
  SourceSummary* s_ = nullptr;
  int since_commit_ = 0;
};

Result<CaptureStore*> Engine::Captures() const {
  if (!captures_) {
    ET_ASSIGN_OR_RETURN(captures_, CaptureStore::Open(store_.get(), mode_ == Mode::kRead));
  }
  return captures_.get();
}

Result<CollectReport> Engine::Collect(const CollectConfig& config, const CollectOptions& options,
                                      const CollectProgress& progress) {
  if (mode_ != Mode::kWrite) return Status::Internal("Collect on a read-only engine");
  const auto start = std::chrono::steady_clock::now();
  ET_ASSIGN_OR_RETURN(CaptureStore * captures, Captures());
  ET_ASSIGN_OR_RETURN(std::unique_ptr<Fetcher> fetcher, Fetcher::Create(config.fetch));
  ET_ASSIGN_OR_RETURN(const int64_t run_id, store_->StartRun("collect"));
  IngestOptions ingest_options;
  ingest_options.batch_versions = static_cast<size_t>(std::max(options.commit_every, 1)) + 1;  // ours come first
  ingest_options.test_crash_after_store_commits = options.test_crash_after_commits;
  IngestReport ingest_report;
  const ProgressCallback no_progress;
  IngestRun run(this, ingest_options, no_progress, run_id, -1, &ingest_report);
  CollectReport report;
  for (const Source& source : config.sources) {
    CollectRun poll(this, captures, fetcher.get(), &run, options, progress);
    SourceSummary summary;
    const Status status = poll.Poll(source, &summary, &report.interrupted);
    report.sources.push_back(std::move(summary));
    if (!status.ok()) {
      run.Abandon(status);
      return status;
    }
    if (report.interrupted) break;
  }
  ET_RETURN_IF_ERROR(run.Finish());
  ET_ASSIGN_OR_RETURN(std::vector<WatchMatch> matches, UpdateWatches(config.webhook));
  report.new_matches = static_cast<int64_t>(matches.size());
  if (options.test_crash_before_webhook) kill(getpid(), SIGKILL);
  if (!config.webhook.empty()) ET_RETURN_IF_ERROR(DeliverWebhooks(config, options, fetcher.get(), &report));
  report.seconds = engine_internal::SecondsSince(start);
  return report;
}

Result<std::vector<LedgerView>> Engine::Ledger(const LedgerQuery& query) const {
  ET_ASSIGN_OR_RETURN(CaptureStore * captures, Captures());
  ET_ASSIGN_OR_RETURN(std::vector<LedgerEntry> entries, captures->Ledger(query));
  std::vector<LedgerView> out;
  out.reserve(entries.size());
  for (LedgerEntry& e : entries) {
    LedgerView view;
    if (e.docno != 0) {
      ET_ASSIGN_OR_RETURN(StoredVersion shown, store_->Get(e.docno, false));
      view.title = shown.doc.title;
      if (e.kind == "edited" && e.previous_docno != 0) {
        ET_ASSIGN_OR_RETURN(StoredVersion before, store_->Get(e.previous_docno, false));
        view.diff = VersionDiff(before.doc, shown.doc);
      }
    }
    view.entry = std::move(e);
    out.push_back(std::move(view));
  }
  return out;
}

Result<CaptureRow> Engine::Capture(int64_t id, bool with_body) const {
  ET_ASSIGN_OR_RETURN(CaptureStore * captures, Captures());
  return captures->Capture(id, with_body);
}

Result<std::vector<int64_t>> Engine::CaptureIds(int64_t after, int64_t limit) const {
  ET_ASSIGN_OR_RETURN(CaptureStore * captures, Captures());
  return captures->CaptureIds(after, limit);
}

Result<int64_t> Engine::AddWatch(const WatchSpec& spec) {
  if (mode_ != Mode::kWrite) return Status::Internal("AddWatch on a read-only engine");
  ET_RETURN_IF_ERROR(CheckWatchName(spec.name));
  const SearchRequest request = ToRequest(spec);
  if (request.query.empty() && request.entities.empty() && request.sources.empty()) {
    return Status::Usage("watchlist '" + spec.name + "' needs a query, a phrase, a speaker, an entity or a source");
  }
  ET_RETURN_IF_ERROR(MatchOnly(request).status());  // a malformed query fails now, not at every poll
  ET_ASSIGN_OR_RETURN(CaptureStore * captures, Captures());
  ET_RETURN_IF_ERROR(captures->Begin());
  Status status = captures->PutWatch({spec.name, SpecToJson(spec), UtcNowIso(), 0});
  if (!status.ok()) {
    captures->Rollback();
    return status;
  }
  ET_RETURN_IF_ERROR(captures->Commit());
  ET_ASSIGN_OR_RETURN(std::vector<WatchMatch> matches, UpdateWatches());
  int64_t mine = 0;
  for (const WatchMatch& m : matches) mine += m.name == spec.name ? 1 : 0;
  return mine;
}

Status Engine::RemoveWatch(std::string_view name) {
  if (mode_ != Mode::kWrite) return Status::Internal("RemoveWatch on a read-only engine");
  ET_ASSIGN_OR_RETURN(CaptureStore * captures, Captures());
  ET_RETURN_IF_ERROR(captures->Begin());
  Status status = captures->DeleteWatch(name);
  if (!status.ok()) {
    captures->Rollback();
    return status;
  }
  return captures->Commit();
}

Result<std::vector<WatchSpec>> Engine::Watches() const {
  ET_ASSIGN_OR_RETURN(CaptureStore * captures, Captures());
  ET_ASSIGN_OR_RETURN(std::vector<Watchlist> rows, captures->Watches());
  std::vector<WatchSpec> out;
  for (const Watchlist& w : rows) out.push_back(SpecFromJson(w.name, w.spec));
  return out;
}

Result<WatchView> Engine::ShowWatch(std::string_view name, int64_t limit) const {
  ET_ASSIGN_OR_RETURN(CaptureStore * captures, Captures());
  ET_ASSIGN_OR_RETURN(std::optional<Watchlist> row, captures->Watch(name));
  if (!row) return Status::NotFound("no watchlist named '" + std::string(name) + "' (see `echotrace watch list`)");
  WatchView view;
  view.spec = SpecFromJson(row->name, row->spec);
  view.created_at = row->created_at;
  ET_ASSIGN_OR_RETURN(view.matches, captures->Matches(name, limit));
  if (!view.spec.phrase.empty()) {
    WatchSpec phrase_only;
    phrase_only.phrase = view.spec.phrase;
    phrase_only.sources = view.spec.sources;
    std::vector<StoredVersion> hits;  // read once, by the search itself
    ET_RETURN_IF_ERROR(Search(ToRequest(phrase_only), &hits).status());
    std::map<std::string, WatchView::PhraseUse> by_source;
    for (const StoredVersion& v : hits) {
      WatchView::PhraseUse& use = by_source[v.doc.source];
      use.source = v.doc.source;
      ++use.articles;
      if (v.doc.date.empty()) continue;
      if (use.first_date.empty() || v.doc.date < use.first_date) use.first_date = v.doc.date;
      if (v.doc.date > use.last_date) use.last_date = v.doc.date;
    }
    for (auto& [source, use] : by_source) view.phrase_uses.push_back(std::move(use));
  }
  return view;
}

Result<SearchResponse> Engine::MatchOnly(const SearchRequest& request) const {
  if (!index_) return SearchResponse{};
  return index_->Search(request, nullptr);  // no body lookup: no store reads, no snippets
}

Result<std::vector<WatchMatch>> Engine::UpdateWatches(const std::string& webhook) {
  std::vector<WatchMatch> fresh;
  if (mode_ != Mode::kWrite) return Status::Internal("UpdateWatches on a read-only engine");
  ET_ASSIGN_OR_RETURN(CaptureStore * captures, Captures());
  ET_ASSIGN_OR_RETURN(std::vector<Watchlist> watches, captures->Watches());
  if (watches.empty()) return fresh;
  ET_ASSIGN_OR_RETURN(const int64_t max_docno, store_->MaxDocno());
  const std::string now = UtcNowIso();
  ET_RETURN_IF_ERROR(captures->Begin());
  for (Watchlist& w : watches) {
    if (w.mark >= max_docno) continue;
    Result<SearchResponse> hits = MatchOnly(ToRequest(SpecFromJson(w.name, w.spec)));
    if (!hits.ok()) {
      captures->Rollback();
      return hits.status();
    }
    for (const SearchHit& hit : hits->hits) {
      if (hit.docno <= w.mark) continue;
      Result<bool> added = captures->AddMatch({w.name, hit.docno, now});
      if (!added.ok()) {
        captures->Rollback();
        return added.status();
      }
      if (*added) fresh.push_back({w.name, hit.docno, now});
    }
    w.mark = max_docno;
    if (Status status = captures->PutWatch(w); !status.ok()) {
      captures->Rollback();
      return status;
    }
  }
  if (!webhook.empty() && !fresh.empty()) {
    Result<std::string> body = WebhookBody(*store_, fresh);
    Result<int64_t> added = body.ok() ? captures->AddDelivery({0, webhook, *body, now, 0, "", ""}) : body.status();
    if (!added.ok()) {
      captures->Rollback();
      return added.status();
    }
  }
  ET_RETURN_IF_ERROR(captures->Commit());
  return fresh;
}

Status Engine::DeliverWebhooks(const CollectConfig& config, const CollectOptions& options, Fetcher* fetcher,
                               CollectReport* report) {
  ET_ASSIGN_OR_RETURN(CaptureStore * captures, Captures());
  ET_ASSIGN_OR_RETURN(std::vector<WebhookDelivery> pending, captures->Deliveries(true, kMaxDeliveriesPerPoll));
  for (WebhookDelivery& d : pending) {
    if (options.should_stop && options.should_stop()) break;
    // The receiver sees the delivery's id: a POST repeated after a crash
    // between its 2xx and our commit can be dropped by id.
    nlohmann::json body = nlohmann::json::parse(d.body, nullptr, false);
    if (!body.is_object()) return Status::Corrupt("webhook delivery " + std::to_string(d.id) + ": body is not JSON");
    body["delivery"] = d.id;
    const std::string text = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::chrono::milliseconds wait = config.webhook_backoff;
    for (int attempt = 1; attempt <= std::max(config.webhook_attempts, 1); ++attempt) {
      if (attempt > 1) {
        std::this_thread::sleep_for(wait);
        wait = std::min(wait * 2, kMaxWebhookBackoff);
      }
      const FetchResult posted = fetcher->Post(d.url, text, "application/json");
      ++d.attempts;
      report->webhook_status = posted.status;
      if (posted.status >= 200 && posted.status <= 299) {
        d.delivered_at = posted.fetched_at;
        d.last_error.clear();
        break;
      }
      d.last_error = posted.error.empty() ? "HTTP " + std::to_string(posted.status) : posted.error;
      if (!IsRetryableWebhookAnswer(posted.status)) break;
    }
    ET_RETURN_IF_ERROR(captures->Begin());
    if (Status status = captures->PutDelivery(d); !status.ok()) {
      captures->Rollback();
      return status;
    }
    ET_RETURN_IF_ERROR(captures->Commit());
    if (d.delivered_at.empty()) {
      report->webhook_error = d.last_error;
      break;  // the receiver is down: the rest wait for the next poll, in order
    }
    ++report->webhook_delivered;
  }
  ET_ASSIGN_OR_RETURN(std::vector<WebhookDelivery> left, captures->Deliveries(true, kMaxDeliveriesPerPoll));
  report->webhook_pending = static_cast<int64_t>(left.size());
  return Status::Ok();
}

Result<std::vector<WebhookDelivery>> Engine::WebhookDeliveries(bool pending_only) const {
  ET_ASSIGN_OR_RETURN(CaptureStore * captures, Captures());
  return captures->Deliveries(pending_only, 100000);
}

Result<std::optional<CaptureRow>> Engine::ConfirmedCapture(std::string_view url, int64_t id) const {
  ET_ASSIGN_OR_RETURN(CaptureStore * captures, Captures());
  return captures->LastFullCapture(url, id);
}

}  // namespace echotrace

// Collection, the ledger and watchlists as the Engine offers them (the CLI
// and the server use these through Engine; see engine.h for the methods).
//
// One poll of a source: fetch its feed, sitemap or listing page
// (conditionally), then every article it lists (conditionally); a page that
// changed goes through the pipeline as an ingested one does (extract ->
// annotate -> store -> index -> link). What each URL showed decides its
// ledger entries (rules at the top of engine/collect.cc):
//   new       first seen;
//   edited    it now shows another version than last time (word diff
//             against that version);
//   gone      404/410, a redirect to the front page, or dropped from a
//             cleanly parsed listing while an item listed after it (older)
//             is still there; `at` is the time it was first missed;
//   restored  a gone article answers again (or is listed again).
// A timeout, a 5xx or a malformed feed is an error of that poll, never a
// deletion.
//
// Thread-safety: as Engine (one thread at a time).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "collect/sources.h"
#include "link/diff.h"
#include "store/capture_store.h"

namespace echotrace {

struct CollectOptions {
  // Asked between items; true ends the poll cleanly after committing what
  // was fetched (Collect then returns with `interrupted`). Default: never.
  std::function<bool()> should_stop;
  // A commit (versions, captures, URL states, ledger: one transaction) every
  // this many items and at the end of each source. Default 100: a killed
  // run fetches at most this many again.
  int commit_every = 100;
  // Largest number of child sitemaps read from a sitemap index. Default 50.
  int max_child_sitemaps = 50;
  // TEST only: after this many commits, SIGKILL the process before the
  // committed batch is indexed and linked (the worst moment). 0: never.
  int test_crash_after_commits = 0;
  // TEST only: SIGKILL the process once the webhook delivery is recorded,
  // before it is sent.
  bool test_crash_before_webhook = false;
};

struct SourceSummary {
  std::string name, url;
  std::string feed_kind;  // "rss", "atom", "sitemap", "html"...; "" when the feed failed
  int64_t feed_status = 0;
  bool feed_not_modified = false;
  int64_t items = 0;    // URLs listed
  int64_t fetched = 0;  // article requests made
  int64_t new_articles = 0, edited = 0, unchanged = 0, gone = 0, restored = 0, errors = 0;
  std::vector<std::string> messages;  // errors and warnings: "URL: timeout after 30000 ms"
  double seconds = 0;
};

struct CollectReport {
  std::vector<SourceSummary> sources;
  int64_t new_matches = 0;  // watchlist matches recorded after the poll
  // The webhook (CollectConfig::webhook): the new matches are recorded as
  // a delivery in the transaction that records them, then POSTed (with
  // retries, CollectConfig::webhook_attempts); deliveries left pending by an
  // earlier poll (failed, or the collector was killed) are sent first.
  // `webhook_status` is the last answer's HTTP status (0: none),
  // `webhook_error` the last failure; `webhook_delivered` counts deliveries
  // sent this poll, `webhook_pending` those still owed after it.
  int64_t webhook_status = 0;
  std::string webhook_error;
  int64_t webhook_delivered = 0, webhook_pending = 0;
  bool interrupted = false;
  double seconds = 0;
  bool HasErrors() const {
    for (const SourceSummary& s : sources) {
      if (s.errors > 0) return true;
    }
    return false;
  }
};

// Progress: called after each item with the source being polled.
using CollectProgress = std::function<void(const SourceSummary& source)>;

// A ledger entry with what the UI and CLI show beside it.
struct LedgerView {
  LedgerEntry entry;
  std::string title;           // of the version shown (or last shown)
  std::vector<DiffWord> diff;  // edited: the previous version's words against this one's
};

// A saved search. Exactly what matches is decided by Engine::Search with
// `request` (query, sources, dates, entities, media); a `phrase` is searched
// as an exact phrase (and reported per outlet, first and last use).
struct WatchSpec {
  std::string name;  // REQUIRES: [A-Za-z0-9_-]{1,64} (it names a feed URL)
  std::string query;
  std::string phrase;
  std::string speaker;  // canonical id; matches articles quoting this speaker
  std::vector<std::string> sources, entities;
  std::string from_date, to_date, media;
};

struct WatchView {
  WatchSpec spec;
  std::string created_at;
  std::vector<WatchMatch> matches;  // newest first
  // A phrase watch: per outlet, the first and last dated use.
  struct PhraseUse {
    std::string source, first_date, last_date;
    int64_t articles = 0;
  };
  std::vector<PhraseUse> phrase_uses;
};

}  // namespace echotrace

// CaptureStore: what collection remembers, in the Store's SQLite database
// and through the Store's own connection, so one transaction holds a poll's
// new versions and what it learned about their URLs:
//
//   captures(id, url, final_url, source, fetched_at, status, error, sha256,
//            status_line, headers, body): every fetch's response as it came
//            (body zstd-compressed, still gzip if it came gzip; sha256 of it);
//   watched_urls(url, source, state, ...): each article URL a source listed,
//            with its validators (ETag, Last-Modified), the docno of the
//            version it last showed, and whether it is live or gone;
//   source_state(name, ...): each source's validators and last poll;
//   ledger(id, at, kind, url, ...): the timeline of what happened to
//            articles: new, edited, gone, restored;
//   watchlists(name, spec, ...) and watch_matches(name, docno, ...);
//   webhook_deliveries(id, url, body, ...): each webhook POST owed, written
//            in the transaction that records its matches, marked delivered
//            once the receiver said 2xx (a re-run sends what is pending).
//
// Transactions are the Store's: Begin/Commit/Rollback here are the Store's,
// and a write needs one open (Store::Begin or Begin here). A process killed
// before the commit leaves neither the versions nor the URL states and
// ledger entries of the batch, so the next run sees those URLs as before and
// records the same events once.
//
// Thread-safety: as the Store it shares (one thread at a time).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store.h"

struct sqlite3;

namespace echotrace {

struct CaptureRow {
  int64_t id = 0;  // assigned by AddCapture
  std::string url, final_url, source, fetched_at;
  int64_t status = 0;  // 0: no response (see error)
  std::string error;
  std::string sha256;       // of body, hex
  std::string status_line;  // "HTTP/1.1 200 OK"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // as transferred; empty unless asked for
  int64_t body_size = 0;
};

enum class UrlState { kLive, kGone };

struct WatchedUrl {
  std::string url;
  std::string source;
  UrlState state = UrlState::kLive;
  std::string gone_reason;  // "http 404", "redirected to the front page", "dropped from the listing"
  std::string first_seen, last_checked, gone_since;
  std::string etag, last_modified, sha256;
  int64_t docno = 0;   // the version this URL last showed; 0 before any
  bool listed = true;  // in the source's last listing
  int64_t rank = 0;    // position in the last listing that had it (0 = newest)
};

struct SourceState {
  std::string name, url, etag, last_modified, last_polled;
};

struct LedgerEntry {
  int64_t id = 0;
  std::string at;    // UTC ISO 8601: when it was seen (for gone: first missed)
  std::string kind;  // "new", "edited", "gone", "restored"
  std::string url, source, reason;
  int64_t docno = 0;           // the version shown (new, edited, restored) or last shown (gone)
  int64_t previous_docno = 0;  // edited: the version before
  int64_t capture_id = 0;      // the capture that showed it; 0 for a listing drop
};

struct LedgerQuery {
  std::string from, to;            // inclusive bounds on `at` (prefixes: "2026-11-30" covers the day); empty: open
  std::string source;              // empty: all
  std::vector<std::string> kinds;  // empty: all
  int64_t limit = 1000;
  std::string url;  // an article URL, exactly; empty: all
};

struct Watchlist {
  std::string name;
  std::string spec;  // JSON of the saved search (see engine/watch.h)
  std::string created_at;
  int64_t mark = 0;  // the highest docno already matched against
};

struct WatchMatch {
  std::string name;
  int64_t docno = 0;
  std::string matched_at;
};

// A webhook POST owed to `url`: written with the matches it reports,
// delivered (and marked) later, retried until delivered.
struct WebhookDelivery {
  int64_t id = 0;  // assigned by AddDelivery; the receiver sees it as "delivery" (to drop a repeat)
  std::string url, body, created_at;
  int64_t attempts = 0;
  std::string last_error;    // of the last failed attempt
  std::string delivered_at;  // "" while pending
};

class CaptureStore {
 public:
  // The tables in `store`'s database, created when missing unless
  // `read_only` (then a database without them reads as empty).
  // REQUIRES: `store` outlives the CaptureStore and no transaction is open.
  // Errors: kIOError when the tables cannot be created.
  static Result<std::unique_ptr<CaptureStore>> Open(Store* store, bool read_only);
  ~CaptureStore();
  CaptureStore(const CaptureStore&) = delete;  // owns cached statements; share a unique_ptr instead
  CaptureStore& operator=(const CaptureStore&) = delete;

  Status Begin();
  Status Commit();
  void Rollback();

  // Writes need Begin() first (else kInternal, nothing written).
  Result<int64_t> AddCapture(const CaptureRow& capture);
  // kNotFound when there is no capture `id`.
  Result<CaptureRow> Capture(int64_t id, bool with_body) const;
  // The latest capture of `url` with status 200 and an id below `before_id`
  // (headers only): what a later 304 confirmed. nullopt when none.
  Result<std::optional<CaptureRow>> LastFullCapture(std::string_view url, int64_t before_id) const;
  // Ids of captures after `after`, ascending, at most `limit`.
  Result<std::vector<int64_t>> CaptureIds(int64_t after, int64_t limit) const;

  // nullopt when the URL was never seen.
  Result<std::optional<WatchedUrl>> Url(std::string_view url) const;
  Status PutUrl(const WatchedUrl& url);
  Result<std::vector<WatchedUrl>> UrlsOf(std::string_view source) const;

  Result<std::optional<SourceState>> Source(std::string_view name) const;
  Status PutSource(const SourceState& state);

  Result<int64_t> AddLedger(const LedgerEntry& entry);
  // Oldest first.
  Result<std::vector<LedgerEntry>> Ledger(const LedgerQuery& query) const;

  // Watchlists. PutWatch replaces one of that name.
  Status PutWatch(const Watchlist& watch);
  // kNotFound when there is none of that name.
  Status DeleteWatch(std::string_view name);
  Result<std::vector<Watchlist>> Watches() const;
  Result<std::optional<Watchlist>> Watch(std::string_view name) const;
  // Records a match; false when it was recorded before (nothing written).
  Result<bool> AddMatch(const WatchMatch& match);
  // Newest first.
  Result<std::vector<WatchMatch>> Matches(std::string_view name, int64_t limit) const;

  // Webhook deliveries (writes need Begin()). AddDelivery returns the id;
  // PutDelivery updates attempts, last_error and delivered_at of `d.id`.
  Result<int64_t> AddDelivery(const WebhookDelivery& d);
  Status PutDelivery(const WebhookDelivery& d);
  // Oldest first; only those not delivered when `pending_only`.
  Result<std::vector<WebhookDelivery>> Deliveries(bool pending_only, int64_t limit) const;

 private:
  struct Statements;
  CaptureStore(Store* store, bool has_tables);
  bool InTransaction() const { return store_->in_transaction_; }

  Store* const store_;  // not owned
  sqlite3* const db_;   // the store's connection
  std::unique_ptr<Statements> statements_;
  bool has_tables_ = true;  // false: a read-only open of a database without our tables
};

std::string_view UrlStateName(UrlState state);  // "live", "gone"

}  // namespace echotrace

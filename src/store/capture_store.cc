#include "store/capture_store.h"

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "store/sqlite_util.h"

namespace echotrace {
namespace {

// Created if missing; a new column later goes in with ALTER TABLE, as
// link_store.cc does, so older data directories open unchanged.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS captures(
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL, final_url TEXT NOT NULL, source TEXT NOT NULL, fetched_at TEXT NOT NULL,
  status INTEGER NOT NULL, error TEXT NOT NULL, sha256 TEXT NOT NULL, status_line TEXT NOT NULL,
  headers TEXT NOT NULL,            -- JSON [[name, value], ...]
  body BLOB NOT NULL,               -- zstd of the body as transferred
  body_size INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS captures_by_url ON captures(url);
CREATE TABLE IF NOT EXISTS watched_urls(
  url TEXT PRIMARY KEY, source TEXT NOT NULL, state TEXT NOT NULL, gone_reason TEXT NOT NULL,
  first_seen TEXT NOT NULL, last_checked TEXT NOT NULL, gone_since TEXT NOT NULL,
  etag TEXT NOT NULL, last_modified TEXT NOT NULL, sha256 TEXT NOT NULL,
  docno INTEGER NOT NULL, listed INTEGER NOT NULL, rank INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS watched_urls_by_source ON watched_urls(source);
CREATE TABLE IF NOT EXISTS source_state(
  name TEXT PRIMARY KEY, url TEXT NOT NULL, etag TEXT NOT NULL, last_modified TEXT NOT NULL,
  last_polled TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ledger(
  id INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, url TEXT NOT NULL, source TEXT NOT NULL,
  reason TEXT NOT NULL, docno INTEGER NOT NULL, previous_docno INTEGER NOT NULL, capture_id INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS ledger_by_at ON ledger(at);
CREATE TABLE IF NOT EXISTS watchlists(
  name TEXT PRIMARY KEY, spec TEXT NOT NULL, created_at TEXT NOT NULL, mark INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS watch_matches(
  name TEXT NOT NULL, docno INTEGER NOT NULL, matched_at TEXT NOT NULL, PRIMARY KEY(name, docno));
CREATE INDEX IF NOT EXISTS ledger_by_url ON ledger(url);
CREATE TABLE IF NOT EXISTS webhook_deliveries(
  id INTEGER PRIMARY KEY, url TEXT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL,
  attempts INTEGER NOT NULL, last_error TEXT NOT NULL, delivered_at TEXT NOT NULL);
)sql";

constexpr const char* kUrlColumns =
    "url, source, state, gone_reason, first_seen, last_checked, gone_since, etag, last_modified, sha256, docno, "
    "listed, rank";

WatchedUrl ReadUrl(const Query& q) {
  WatchedUrl u;
  u.url = q.Text(0);
  u.source = q.Text(1);
  u.state = q.Text(2) == "gone" ? UrlState::kGone : UrlState::kLive;
  u.gone_reason = q.Text(3);
  u.first_seen = q.Text(4);
  u.last_checked = q.Text(5);
  u.gone_since = q.Text(6);
  u.etag = q.Text(7);
  u.last_modified = q.Text(8);
  u.sha256 = q.Text(9);
  u.docno = q.Int(10);
  u.listed = q.Int(11) != 0;
  u.rank = q.Int(12);
  return u;
}

LedgerEntry ReadLedger(const Query& q) {
  LedgerEntry e;
  e.id = q.Int(0);
  e.at = q.Text(1);
  e.kind = q.Text(2);
  e.url = q.Text(3);
  e.source = q.Text(4);
  e.reason = q.Text(5);
  e.docno = q.Int(6);
  e.previous_docno = q.Int(7);
  e.capture_id = q.Int(8);
  return e;
}

}  // namespace

struct CaptureStore::Statements : StatementCache {};

std::string_view UrlStateName(UrlState state) { return state == UrlState::kGone ? "gone" : "live"; }

Result<std::unique_ptr<CaptureStore>> CaptureStore::Open(Store* store, bool read_only) {
  sqlite3* db = store->db_;
  bool has_tables = true;
  if (read_only) {
    sqlite3_stmt* check = nullptr;
    has_tables = sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type='table' AND name='watch_matches'", -1,
                                    &check, nullptr) == SQLITE_OK &&
                 sqlite3_step(check) == SQLITE_ROW;
    sqlite3_finalize(check);
  } else {
    char* error = nullptr;
    if (const int rc = sqlite3_exec(db, kSchema, nullptr, nullptr, &error); rc != SQLITE_OK) {
      std::string message = error != nullptr ? error : "unknown error";
      sqlite3_free(error);
      return SqliteFailure(db, rc, "creating collection tables: " + message);
    }
  }
  return std::unique_ptr<CaptureStore>(new CaptureStore(store, has_tables));
}

CaptureStore::CaptureStore(Store* store, bool has_tables)
    : store_(store), db_(store->db_), statements_(std::make_unique<Statements>()), has_tables_(has_tables) {
  statements_->db = db_;
}

CaptureStore::~CaptureStore() = default;

Status CaptureStore::Begin() { return store_->Begin(); }
Status CaptureStore::Commit() { return store_->Commit(); }
void CaptureStore::Rollback() { store_->Rollback(); }

#define ET_REQUIRE_TRANSACTION(what) \
  if (!InTransaction()) return Status::Internal(std::string("CaptureStore::") + what + " outside a transaction")

Result<int64_t> CaptureStore::AddCapture(const CaptureRow& c) {
  ET_REQUIRE_TRANSACTION("AddCapture");
  static constexpr const char* kSql =
      "INSERT INTO captures(url, final_url, source, fetched_at, status, error, sha256, status_line, headers, body, "
      "body_size) VALUES(?,?,?,?,?,?,?,?,?,?,?)";
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, statements_->Get(kSql));
  nlohmann::json headers = nlohmann::json::array();
  for (const auto& [name, value] : c.headers) headers.push_back({name, value});
  Query q(stmt);
  q.Bind(1, c.url).Bind(2, c.final_url).Bind(3, c.source).Bind(4, c.fetched_at).Bind(5, c.status);
  q.Bind(6, c.error).Bind(7, c.sha256).Bind(8, c.status_line);
  q.Bind(9, headers.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  q.BindBlob(10, Compress(c.body)).Bind(11, static_cast<int64_t>(c.body.size()));
  ET_RETURN_IF_ERROR(q.Run());
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

Result<CaptureRow> CaptureStore::Capture(int64_t id, bool with_body) const {
  if (!has_tables_) return Status::NotFound("no capture " + std::to_string(id) + " (nothing was collected)");
  static constexpr const char* kSql =
      "SELECT id, url, final_url, source, fetched_at, status, error, sha256, status_line, headers, body, body_size "
      "FROM captures WHERE id = ?";
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, statements_->Get(kSql));
  Query q(stmt);
  q.Bind(1, id);
  Status status;
  if (!q.Step(&status)) {
    ET_RETURN_IF_ERROR(status);
    return Status::NotFound("no capture " + std::to_string(id));
  }
  CaptureRow c;
  c.id = q.Int(0);
  c.url = q.Text(1);
  c.final_url = q.Text(2);
  c.source = q.Text(3);
  c.fetched_at = q.Text(4);
  c.status = q.Int(5);
  c.error = q.Text(6);
  c.sha256 = q.Text(7);
  c.status_line = q.Text(8);
  const nlohmann::json headers = nlohmann::json::parse(q.Text(9), nullptr, false);
  if (!headers.is_array()) return Status::Corrupt("capture " + std::to_string(id) + ": headers are not JSON");
  for (const auto& h : headers) {
    if (!h.is_array() || h.size() != 2 || !h[0].is_string() || !h[1].is_string()) {
      return Status::Corrupt("capture " + std::to_string(id) + ": malformed header");
    }
    c.headers.emplace_back(h[0].get<std::string>(), h[1].get<std::string>());
  }
  c.body_size = q.Int(11);
  if (with_body) {
    const std::string_view blob = q.Blob(10);
    ET_ASSIGN_OR_RETURN(c.body, Decompress(blob.data(), blob.size(), static_cast<size_t>(c.body_size)));
  }
  return c;
}

Result<std::optional<CaptureRow>> CaptureStore::LastFullCapture(std::string_view url, int64_t before_id) const {
  if (!has_tables_) return std::optional<CaptureRow>();
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, statements_->Get("SELECT id FROM captures WHERE url = ? AND id < ? AND "
                                                            "status = 200 ORDER BY id DESC LIMIT 1"));
  int64_t id = 0;
  {
    Query q(stmt);
    q.Bind(1, url).Bind(2, before_id);
    Status status;
    if (!q.Step(&status)) {
      ET_RETURN_IF_ERROR(status);
      return std::optional<CaptureRow>();
    }
    id = q.Int(0);
  }
  ET_ASSIGN_OR_RETURN(CaptureRow row, Capture(id, false));
  return std::optional<CaptureRow>(std::move(row));
}

Result<std::vector<int64_t>> CaptureStore::CaptureIds(int64_t after, int64_t limit) const {
  std::vector<int64_t> ids;
  if (!has_tables_) return ids;
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                      statements_->Get("SELECT id FROM captures WHERE id > ? ORDER BY id LIMIT ?"));
  Query q(stmt);
  q.Bind(1, after).Bind(2, limit);
  Status status;
  while (q.Step(&status)) ids.push_back(q.Int(0));
  ET_RETURN_IF_ERROR(status);
  return ids;
}

Result<std::optional<WatchedUrl>> CaptureStore::Url(std::string_view url) const {
  if (!has_tables_) return std::optional<WatchedUrl>();
  static const std::string kSql = std::string("SELECT ") + kUrlColumns + " FROM watched_urls WHERE url = ?";
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, statements_->Get(kSql.c_str()));
  Query q(stmt);
  q.Bind(1, url);
  Status status;
  if (q.Step(&status)) return std::optional<WatchedUrl>(ReadUrl(q));
  ET_RETURN_IF_ERROR(status);
  return std::optional<WatchedUrl>();
}

Status CaptureStore::PutUrl(const WatchedUrl& u) {
  ET_REQUIRE_TRANSACTION("PutUrl");
  static const std::string kSql =
      std::string("INSERT OR REPLACE INTO watched_urls(") + kUrlColumns + ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)";
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, statements_->Get(kSql.c_str()));
  Query q(stmt);
  q.Bind(1, u.url).Bind(2, u.source).Bind(3, UrlStateName(u.state)).Bind(4, u.gone_reason).Bind(5, u.first_seen);
  q.Bind(6, u.last_checked).Bind(7, u.gone_since).Bind(8, u.etag).Bind(9, u.last_modified).Bind(10, u.sha256);
  q.Bind(11, u.docno).Bind(12, int64_t{u.listed ? 1 : 0}).Bind(13, u.rank);
  return q.Run();
}

Result<std::vector<WatchedUrl>> CaptureStore::UrlsOf(std::string_view source) const {
  std::vector<WatchedUrl> urls;
  if (!has_tables_) return urls;
  static const std::string kSql =
      std::string("SELECT ") + kUrlColumns + " FROM watched_urls WHERE source = ? ORDER BY rank, url";
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, statements_->Get(kSql.c_str()));
  Query q(stmt);
  q.Bind(1, source);
  Status status;
  while (q.Step(&status)) urls.push_back(ReadUrl(q));
  ET_RETURN_IF_ERROR(status);
  return urls;
}

Result<std::optional<SourceState>> CaptureStore::Source(std::string_view name) const {
  if (!has_tables_) return std::optional<SourceState>();
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                      statements_->Get("SELECT name, url, etag, last_modified, last_polled FROM source_state "
                                       "WHERE name = ?"));
  Query q(stmt);
  q.Bind(1, name);
  Status status;
  if (q.Step(&status))
    return std::optional<SourceState>(SourceState{q.Text(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4)});
  ET_RETURN_IF_ERROR(status);
  return std::optional<SourceState>();
}

Status CaptureStore::PutSource(const SourceState& s) {
  ET_REQUIRE_TRANSACTION("PutSource");
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                      statements_->Get("INSERT OR REPLACE INTO source_state(name, url, etag, last_modified, "
                                       "last_polled) VALUES(?,?,?,?,?)"));
  Query q(stmt);
  q.Bind(1, s.name).Bind(2, s.url).Bind(3, s.etag).Bind(4, s.last_modified).Bind(5, s.last_polled);
  return q.Run();
}

Result<int64_t> CaptureStore::AddLedger(const LedgerEntry& e) {
  ET_REQUIRE_TRANSACTION("AddLedger");
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                      statements_->Get("INSERT INTO ledger(at, kind, url, source, reason, docno, previous_docno, "
                                       "capture_id) VALUES(?,?,?,?,?,?,?,?)"));
  Query q(stmt);
  q.Bind(1, e.at).Bind(2, e.kind).Bind(3, e.url).Bind(4, e.source).Bind(5, e.reason).Bind(6, e.docno);
  q.Bind(7, e.previous_docno).Bind(8, e.capture_id);
  ET_RETURN_IF_ERROR(q.Run());
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

Result<std::vector<LedgerEntry>> CaptureStore::Ledger(const LedgerQuery& query) const {
  std::vector<LedgerEntry> entries;
  if (!has_tables_) return entries;
  // `to` is a prefix bound: "2026-11-30" must include that whole day.
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                      statements_->Get("SELECT id, at, kind, url, source, reason, docno, previous_docno, capture_id "
                                       "FROM ledger WHERE (?1 = '' OR at >= ?1) AND (?2 = '' OR at <= ?2 || '~') "
                                       "AND (?3 = '' OR source = ?3) AND (?4 = '' OR url = ?4) ORDER BY at, id"));
  Query q(stmt);
  q.Bind(1, query.from).Bind(2, query.to).Bind(3, query.source).Bind(4, query.url);
  Status status;
  while (q.Step(&status)) {
    LedgerEntry e = ReadLedger(q);
    bool wanted = query.kinds.empty();
    for (const std::string& kind : query.kinds) wanted = wanted || kind == e.kind;
    if (!wanted) continue;
    entries.push_back(std::move(e));
    if (static_cast<int64_t>(entries.size()) >= query.limit) break;
  }
  ET_RETURN_IF_ERROR(status);
  return entries;
}

Status CaptureStore::PutWatch(const Watchlist& w) {
  ET_REQUIRE_TRANSACTION("PutWatch");
  ET_ASSIGN_OR_RETURN(
      sqlite3_stmt * stmt,
      statements_->Get("INSERT OR REPLACE INTO watchlists(name, spec, created_at, mark) VALUES(?,?,?,?)"));
  Query q(stmt);
  q.Bind(1, w.name).Bind(2, w.spec).Bind(3, w.created_at).Bind(4, w.mark);
  return q.Run();
}

Status CaptureStore::DeleteWatch(std::string_view name) {
  ET_REQUIRE_TRANSACTION("DeleteWatch");
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, statements_->Get("DELETE FROM watchlists WHERE name = ?"));
  {
    Query q(stmt);
    q.Bind(1, name);
    ET_RETURN_IF_ERROR(q.Run());
  }
  if (sqlite3_changes(db_) == 0) return Status::NotFound("no watchlist named '" + std::string(name) + "'");
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * matches, statements_->Get("DELETE FROM watch_matches WHERE name = ?"));
  Query q(matches);
  q.Bind(1, name);
  return q.Run();
}

Result<std::vector<Watchlist>> CaptureStore::Watches() const {
  std::vector<Watchlist> out;
  if (!has_tables_) return out;
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                      statements_->Get("SELECT name, spec, created_at, mark FROM watchlists ORDER BY name"));
  Query q(stmt);
  Status status;
  while (q.Step(&status)) out.push_back({q.Text(0), q.Text(1), q.Text(2), q.Int(3)});
  ET_RETURN_IF_ERROR(status);
  return out;
}

Result<std::optional<Watchlist>> CaptureStore::Watch(std::string_view name) const {
  if (!has_tables_) return std::optional<Watchlist>();
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                      statements_->Get("SELECT name, spec, created_at, mark FROM watchlists WHERE name = ?"));
  Query q(stmt);
  q.Bind(1, name);
  Status status;
  if (q.Step(&status)) return std::optional<Watchlist>(Watchlist{q.Text(0), q.Text(1), q.Text(2), q.Int(3)});
  ET_RETURN_IF_ERROR(status);
  return std::optional<Watchlist>();
}

Result<bool> CaptureStore::AddMatch(const WatchMatch& m) {
  ET_REQUIRE_TRANSACTION("AddMatch");
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                      statements_->Get("INSERT OR IGNORE INTO watch_matches(name, docno, matched_at) VALUES(?,?,?)"));
  Query q(stmt);
  q.Bind(1, m.name).Bind(2, m.docno).Bind(3, m.matched_at);
  ET_RETURN_IF_ERROR(q.Run());
  return sqlite3_changes(db_) > 0;
}

Result<std::vector<WatchMatch>> CaptureStore::Matches(std::string_view name, int64_t limit) const {
  std::vector<WatchMatch> out;
  if (!has_tables_) return out;
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                      statements_->Get("SELECT name, docno, matched_at FROM watch_matches WHERE name = ? "
                                       "ORDER BY matched_at DESC, docno DESC LIMIT ?"));
  Query q(stmt);
  q.Bind(1, name).Bind(2, limit);
  Status status;
  while (q.Step(&status)) out.push_back({q.Text(0), q.Int(1), q.Text(2)});
  ET_RETURN_IF_ERROR(status);
  return out;
}

Result<int64_t> CaptureStore::AddDelivery(const WebhookDelivery& d) {
  ET_REQUIRE_TRANSACTION("AddDelivery");
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                      statements_->Get("INSERT INTO webhook_deliveries(url, body, created_at, attempts, last_error, "
                                       "delivered_at) VALUES(?,?,?,?,?,?)"));
  Query q(stmt);
  q.Bind(1, d.url).Bind(2, d.body).Bind(3, d.created_at).Bind(4, d.attempts).Bind(5, d.last_error);
  q.Bind(6, d.delivered_at);
  ET_RETURN_IF_ERROR(q.Run());
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

Status CaptureStore::PutDelivery(const WebhookDelivery& d) {
  ET_REQUIRE_TRANSACTION("PutDelivery");
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, statements_->Get("UPDATE webhook_deliveries SET attempts = ?, "
                                                            "last_error = ?, delivered_at = ? WHERE id = ?"));
  Query q(stmt);
  q.Bind(1, d.attempts).Bind(2, d.last_error).Bind(3, d.delivered_at).Bind(4, d.id);
  return q.Run();
}

Result<std::vector<WebhookDelivery>> CaptureStore::Deliveries(bool pending_only, int64_t limit) const {
  std::vector<WebhookDelivery> out;
  if (!has_tables_) return out;
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                      statements_->Get("SELECT id, url, body, created_at, attempts, last_error, delivered_at FROM "
                                       "webhook_deliveries WHERE (?1 = 0 OR delivered_at = '') ORDER BY id LIMIT ?2"));
  Query q(stmt);
  q.Bind(1, int64_t{pending_only ? 1 : 0}).Bind(2, limit);
  Status status;
  while (q.Step(&status)) out.push_back({q.Int(0), q.Text(1), q.Text(2), q.Text(3), q.Int(4), q.Text(5), q.Text(6)});
  ET_RETURN_IF_ERROR(status);
  return out;
}

}  // namespace echotrace

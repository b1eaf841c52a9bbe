#include "link/link_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

#include "store/sqlite_util.h"

namespace echotrace {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS link_docs(
  docno INTEGER PRIMARY KEY, day INTEGER, state INTEGER NOT NULL,
  event_keys TEXT NOT NULL, entity_keys TEXT NOT NULL, stub INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS link_dup_pairs(a INTEGER NOT NULL, b INTEGER NOT NULL, similarity REAL NOT NULL,
  PRIMARY KEY(a, b));
CREATE TABLE IF NOT EXISTS link_quotes(
  citing INTEGER NOT NULL, quote_begin INTEGER NOT NULL, quote_end INTEGER NOT NULL,
  origin INTEGER NOT NULL, origin_version TEXT NOT NULL, origin_article TEXT NOT NULL, outlet TEXT NOT NULL,
  date TEXT NOT NULL, origin_begin INTEGER NOT NULL, origin_end INTEGER NOT NULL, paragraph INTEGER NOT NULL,
  score REAL NOT NULL, coverage REAL NOT NULL, matched INTEGER NOT NULL, diff TEXT NOT NULL,
  republications TEXT NOT NULL, why TEXT NOT NULL DEFAULT 'verbatim', confidence REAL NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS link_quotes_citing ON link_quotes(citing);
CREATE INDEX IF NOT EXISTS link_quotes_origin ON link_quotes(origin);
CREATE TABLE IF NOT EXISTS link_state(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
)sql";

// A prepared statement, finalized on scope exit.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() { return stmt_; }
  void Text(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  void Int(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void Real(int i, double v) { sqlite3_bind_double(stmt_, i, v); }
  std::string ColText(int i) {
    const auto* p = sqlite3_column_text(stmt_, i);
    return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p));
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

// A full disk or a read-only folder is named as such (SqliteFailure), as the store does.
Status SqlError(sqlite3* db, const char* what) {
  return SqliteFailure(db, sqlite3_extended_errcode(db),
                       std::string("link store: ") + what + ": " + sqlite3_errmsg(db));
}

std::string JoinLines(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += '\n';
    out += s;
  }
  return out;
}

std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find('\n', start);
    if (end == std::string::npos) end = s.size();
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool HasColumn(sqlite3* db, const char* table, const char* column) {
  Stmt s(db, (std::string("PRAGMA table_info(") + table + ")").c_str());
  if (!s.ok()) return false;
  while (sqlite3_step(s.get()) == SQLITE_ROW) {
    if (s.ColText(1) == column) return true;
  }
  return false;
}

}  // namespace

Result<std::unique_ptr<LinkStore>> LinkStore::Open(const std::string& path, bool read_only) {
  sqlite3* db = nullptr;
  const int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    if (read_only) return Status::NotFound(path + ": cannot open for reading: " + message);
    return Status::IOError(path + ": " + message);
  }
  sqlite3_busy_timeout(db, 10000);
  bool has_tables = false;
  if (read_only) {
    Stmt check(db, "SELECT 1 FROM sqlite_master WHERE type='table' AND name='link_quotes'");
    has_tables = check.ok() && sqlite3_step(check.get()) == SQLITE_ROW;
  } else {
    char* error = nullptr;
    if (sqlite3_exec(db, kSchema, nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error != nullptr ? error : "unknown error";
      sqlite3_free(error);
      sqlite3_close(db);
      return Status::IOError(path + ": creating link tables: " + message);
    }
    has_tables = true;
    // Stores made before links said why: add the columns (defaults describe those links).
    if (!HasColumn(db, "link_quotes", "why")) {
      sqlite3_exec(db,
                   "ALTER TABLE link_quotes ADD COLUMN why TEXT NOT NULL DEFAULT 'verbatim';"
                   "ALTER TABLE link_quotes ADD COLUMN confidence REAL NOT NULL DEFAULT 0;",
                   nullptr, nullptr, nullptr);
    }
    // Stores made before events told headline stubs apart: 0 until relinked.
    if (!HasColumn(db, "link_docs", "stub")) {
      sqlite3_exec(db, "ALTER TABLE link_docs ADD COLUMN stub INTEGER NOT NULL DEFAULT 0;", nullptr, nullptr, nullptr);
    }
    // Stores made before the on-disk n-gram index kept each document's
    // n-gram set here too; the index (rebuilt from the stored texts when
    // missing) is now their one home. One statement: atomic.
    if (HasColumn(db, "link_docs", "ngrams")) {
      char* drop_error = nullptr;
      if (sqlite3_exec(db, "ALTER TABLE link_docs DROP COLUMN ngrams;", nullptr, nullptr, &drop_error) != SQLITE_OK) {
        std::string message = drop_error != nullptr ? drop_error : "unknown error";
        sqlite3_free(drop_error);
        sqlite3_close(db);
        return Status::IOError(path + ": dropping link_docs.ngrams: " + message);
      }
      // Give the freed pages back (best effort: another connection may be reading).
      sqlite3_exec(db, "VACUUM;", nullptr, nullptr, nullptr);
    }
  }
  auto store = std::unique_ptr<LinkStore>(new LinkStore(db, has_tables));
  store->has_why_ = has_tables && HasColumn(db, "link_quotes", "why");
  store->has_stub_ = has_tables && HasColumn(db, "link_docs", "stub");
  return store;
}

LinkStore::~LinkStore() { sqlite3_close(db_); }

Status LinkStore::Exec(const char* sql) const {
  char* error = nullptr;
  if (const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error); rc != SQLITE_OK) {
    std::string message = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    return SqliteFailure(db_, rc, std::string("link store: ") + message);
  }
  return Status::Ok();
}

Status LinkStore::Begin() { return Exec("BEGIN IMMEDIATE"); }
Status LinkStore::Commit() { return Exec("COMMIT"); }
void LinkStore::Rollback() { (void)Exec("ROLLBACK"); }

Result<int64_t> LinkStore::Mark() const {
  if (!has_tables_) return int64_t{0};
  Stmt s(db_, "SELECT value FROM link_state WHERE key='linked_upto'");
  if (!s.ok()) return SqlError(db_, "mark");
  return sqlite3_step(s.get()) == SQLITE_ROW ? sqlite3_column_int64(s.get(), 0) : int64_t{0};
}

Status LinkStore::SetMark(int64_t docno) {
  Stmt s(db_, "INSERT OR REPLACE INTO link_state(key, value) VALUES('linked_upto', ?)");
  if (!s.ok()) return SqlError(db_, "set mark");
  s.Int(1, docno);
  return sqlite3_step(s.get()) == SQLITE_DONE ? Status::Ok() : SqlError(db_, "set mark");
}

Status LinkStore::Clear() {
  // One transaction: a kill leaves either the old links or none (mark 0),
  // and the next catch-up relinks from the start either way.
  ET_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  Status status = Exec(
      "DELETE FROM link_docs; DELETE FROM link_dup_pairs; DELETE FROM link_quotes; "
      "INSERT OR REPLACE INTO link_state(key, value) VALUES('linked_upto', 0)");
  if (!status.ok()) {
    (void)Exec("ROLLBACK");
    return status;
  }
  return Exec("COMMIT");
}

Status LinkStore::PutDoc(const LinkDocRow& row) {
  Stmt s(db_,
         "INSERT OR REPLACE INTO link_docs(docno, day, state, event_keys, entity_keys, stub) "
         "VALUES(?,?,?,?,?,?)");
  if (!s.ok()) return SqlError(db_, "put doc");
  s.Int(1, row.docno);
  if (row.day == IndexedDoc::kUnknownDay) {
    sqlite3_bind_null(s.get(), 2);
  } else {
    s.Int(2, row.day);
  }
  s.Int(3, row.state_media ? 1 : 0);
  s.Text(4, JoinLines(row.event_keys));
  s.Text(5, JoinLines(row.entity_keys));
  s.Int(6, row.headline_stub ? 1 : 0);
  return sqlite3_step(s.get()) == SQLITE_DONE ? Status::Ok() : SqlError(db_, "put doc");
}

Status LinkStore::ForEachDoc(const std::function<void(LinkDocRow&&)>& fn, int64_t after_docno) const {
  if (!has_tables_) return Status::Ok();
  Stmt s(db_, has_stub_ ? "SELECT docno, day, state, event_keys, entity_keys, stub FROM link_docs "
                          "WHERE docno > ? ORDER BY docno"
                        : "SELECT docno, day, state, event_keys, entity_keys, 0 FROM link_docs "
                          "WHERE docno > ? ORDER BY docno");
  if (!s.ok()) return SqlError(db_, "read docs");
  sqlite3_bind_int64(s.get(), 1, after_docno);
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    LinkDocRow row;
    row.docno = sqlite3_column_int64(s.get(), 0);
    row.day = sqlite3_column_type(s.get(), 1) == SQLITE_NULL ? IndexedDoc::kUnknownDay
                                                             : static_cast<int32_t>(sqlite3_column_int64(s.get(), 1));
    row.state_media = sqlite3_column_int(s.get(), 2) != 0;
    row.event_keys = SplitLines(s.ColText(3));
    row.entity_keys = SplitLines(s.ColText(4));
    row.headline_stub = sqlite3_column_int(s.get(), 5) != 0;
    fn(std::move(row));
  }
  return rc == SQLITE_DONE ? Status::Ok() : SqlError(db_, "read docs");
}

Status LinkStore::PutDupPair(const DupPairRow& pair) {
  Stmt s(db_, "INSERT OR REPLACE INTO link_dup_pairs(a, b, similarity) VALUES(?,?,?)");
  if (!s.ok()) return SqlError(db_, "put dup");
  s.Int(1, pair.a);
  s.Int(2, pair.b);
  s.Real(3, pair.similarity);
  return sqlite3_step(s.get()) == SQLITE_DONE ? Status::Ok() : SqlError(db_, "put dup");
}

Result<std::vector<DupPairRow>> LinkStore::DupPairs() const {
  std::vector<DupPairRow> out;
  if (!has_tables_) return out;
  Stmt s(db_, "SELECT a, b, similarity FROM link_dup_pairs ORDER BY a, b");
  if (!s.ok()) return SqlError(db_, "read dups");
  while (sqlite3_step(s.get()) == SQLITE_ROW) {
    out.push_back(
        {sqlite3_column_int64(s.get(), 0), sqlite3_column_int64(s.get(), 1), sqlite3_column_double(s.get(), 2)});
  }
  return out;
}

Status LinkStore::PutQuoteLinks(int64_t citing, const std::vector<QuoteMatch>& matches) {
  {
    Stmt del(db_, "DELETE FROM link_quotes WHERE citing=?");
    if (!del.ok()) return SqlError(db_, "delete links");
    del.Int(1, citing);
    if (sqlite3_step(del.get()) != SQLITE_DONE) return SqlError(db_, "delete links");
  }
  Stmt s(db_,
         "INSERT INTO link_quotes(citing, quote_begin, quote_end, origin, origin_version, origin_article, outlet, "
         "date, origin_begin, origin_end, paragraph, score, coverage, matched, diff, republications, why, "
         "confidence) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!s.ok()) return SqlError(db_, "put links");
  for (const QuoteMatch& m : matches) {
    sqlite3_reset(s.get());
    s.Int(1, citing);
    s.Int(2, m.quote_begin);
    s.Int(3, m.quote_end);
    s.Int(4, m.docno);
    s.Text(5, m.version_id);
    s.Text(6, m.article_id);
    s.Text(7, m.outlet);
    s.Text(8, m.date);
    s.Int(9, m.origin_begin);
    s.Int(10, m.origin_end);
    s.Int(11, m.paragraph);
    s.Real(12, m.score);
    s.Real(13, m.coverage);
    s.Int(14, static_cast<int64_t>(m.matched_words));
    nlohmann::json diff = nlohmann::json::array();
    for (const DiffWord& w : m.diff) diff.push_back({std::string(DiffOpName(w.op)), w.quote, w.origin});
    s.Text(15, diff.dump());
    s.Text(16, nlohmann::json(m.republications).dump());
    s.Text(17, m.why);
    s.Real(18, m.confidence);
    if (sqlite3_step(s.get()) != SQLITE_DONE) return SqlError(db_, "put links");
  }
  return Status::Ok();
}

Result<std::vector<StoredQuoteLink>> LinkStore::QueryLinks(std::string_view where, int64_t key) const {
  std::vector<StoredQuoteLink> out;
  if (!has_tables_) return out;
  // One column list for every query; a store made before why/confidence
  // existed (read-only, so not upgraded) reads them as a verbatim link.
  const std::string sql = std::string(
                              "SELECT citing, quote_begin, quote_end, origin, origin_version, origin_article, outlet, "
                              "date, origin_begin, origin_end, paragraph, score, coverage, matched, diff, "
                              "republications, ") +
                          (has_why_ ? "why, confidence" : "'verbatim', 0") + " FROM link_quotes " + std::string(where);
  Stmt s(db_, sql.c_str());
  if (!s.ok()) return SqlError(db_, "read links");
  if (key != 0) s.Int(1, key);  // the citing or origin docno `where` selects by
  while (sqlite3_step(s.get()) == SQLITE_ROW) {
    StoredQuoteLink link;
    link.citing = sqlite3_column_int64(s.get(), 0);
    QuoteMatch& m = link.match;
    m.quote_begin = static_cast<uint32_t>(sqlite3_column_int64(s.get(), 1));
    m.quote_end = static_cast<uint32_t>(sqlite3_column_int64(s.get(), 2));
    m.docno = sqlite3_column_int64(s.get(), 3);
    m.version_id = s.ColText(4);
    m.article_id = s.ColText(5);
    m.outlet = s.ColText(6);
    m.date = s.ColText(7);
    m.origin_begin = static_cast<uint32_t>(sqlite3_column_int64(s.get(), 8));
    m.origin_end = static_cast<uint32_t>(sqlite3_column_int64(s.get(), 9));
    m.paragraph = sqlite3_column_int(s.get(), 10);
    m.score = sqlite3_column_double(s.get(), 11);
    m.coverage = sqlite3_column_double(s.get(), 12);
    m.matched_words = static_cast<size_t>(sqlite3_column_int64(s.get(), 13));
    const auto diff = nlohmann::json::parse(s.ColText(14), nullptr, false);
    if (diff.is_array()) {
      for (const auto& w : diff) {
        // Decoding never throws: a malformed word is skipped.
        if (!w.is_array() || w.size() != 3 || !w[0].is_string() || !w[1].is_string() || !w[2].is_string()) continue;
        DiffWord word;
        const std::string op = w[0].get<std::string>();
        word.op = op == "changed"    ? DiffOp::kChanged
                  : op == "inserted" ? DiffOp::kInserted
                  : op == "omitted"  ? DiffOp::kOmitted
                                     : DiffOp::kKept;
        word.quote = w[1].get<std::string>();
        word.origin = w[2].get<std::string>();
        m.diff.push_back(std::move(word));
      }
    }
    const auto reps = nlohmann::json::parse(s.ColText(15), nullptr, false);
    if (reps.is_array()) {
      for (const auto& r : reps) {
        if (r.is_number_integer()) m.republications.push_back(r.get<int64_t>());
      }
    }
    m.why = s.ColText(16);
    m.confidence = sqlite3_column_double(s.get(), 17);
    out.push_back(std::move(link));
  }
  return out;
}

Result<std::vector<StoredQuoteLink>> LinkStore::QuoteLinksOf(int64_t citing) const {
  return QueryLinks("WHERE citing=? ORDER BY quote_begin", citing);
}

Result<std::vector<StoredQuoteLink>> LinkStore::QuoteLinksTo(int64_t origin) const {
  return QueryLinks("WHERE origin=? ORDER BY citing, quote_begin", origin);
}

Result<std::vector<StoredQuoteLink>> LinkStore::NewestQuoteLinks(int64_t limit, int64_t offset, int64_t* total) const {
  if (total != nullptr) {
    *total = 0;
    if (has_tables_) {
      Stmt s(db_, "SELECT COUNT(*) FROM link_quotes");
      if (!s.ok() || sqlite3_step(s.get()) != SQLITE_ROW) return SqlError(db_, "count links");
      *total = sqlite3_column_int64(s.get(), 0);
    }
  }
  // Whole numbers formatted into the statement: nothing from outside is spliced in.
  return QueryLinks("ORDER BY citing DESC, quote_begin LIMIT " + std::to_string(std::max<int64_t>(limit, 0)) +
                        " OFFSET " + std::to_string(std::max<int64_t>(offset, 0)),
                    0);
}

Result<std::vector<StoredQuoteLink>> LinkStore::AllQuoteLinks() const {
  return QueryLinks("ORDER BY citing, quote_begin", 0);
}

}  // namespace echotrace

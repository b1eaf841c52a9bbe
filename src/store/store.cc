#include "store/store.h"

#include <sqlite3.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_map>

#include "core/text.h"
#include "store/sqlite_util.h"
#include "store/version_content.h"

namespace echotrace {
struct Store::Statements : StatementCache {
  ContentReader content;  // decodes versions.content; used by the Store's one thread
  // The newest content dictionary (new frames use it) and the version count it was trained on.
  std::shared_ptr<const ContentDictionary> newest_dictionary;
  int64_t newest_trained_on = 0;  // the highest docno then
};

namespace {

// 'ETC1': tells our databases from other SQLite files.
constexpr int kApplicationId = 0x45544331;
// 1: articles, versions, aliases, ingest log. 2: + mentions (annotations, one row each).
// 3: versions keep text, spans and raw bytes in one zstd frame (content; was
// text, spans as JSON, raw); older files are migrated on a writable open.
// 4: + content_dictionaries (zstd dictionaries that content frames name).
constexpr int kSchemaVersion = 4;
// The oldest schema a read-only open reads as it is (4 only adds a table).
constexpr int kOldestReadableSchema = 3;

// The columns of the versions table; a macro so that the schema and the
// migration's new table (MigrateVersions) stay one string literal each.
#define ET_VERSIONS_TABLE_COLUMNS                                                                                 \
  "(docno INTEGER PRIMARY KEY AUTOINCREMENT, /* also the Xapian document id */"                                   \
  " version_id TEXT NOT NULL UNIQUE, /* hash of normalized content */"                                            \
  " raw_hash TEXT NOT NULL, /* hash of the raw bytes */"                                                          \
  " article_id TEXT NOT NULL, seq INTEGER NOT NULL,"                                                              \
  " source TEXT NOT NULL, date TEXT NOT NULL, title TEXT NOT NULL, url TEXT NOT NULL, external_id TEXT NOT NULL," \
  " warnings TEXT NOT NULL, /* JSON array of strings */"                                                          \
  " format TEXT NOT NULL, origin TEXT NOT NULL,"                                                                  \
  " content BLOB NOT NULL, /* zstd frame: text, spans, raw (store/version_content.h) */"                          \
  " text_size INTEGER NOT NULL, /* bytes of the text */"                                                          \
  " raw_size INTEGER NOT NULL, /* bytes of the raw input */"                                                      \
  " is_stub INTEGER NOT NULL,"                                                                                    \
  " derived_from TEXT NOT NULL, /* version id of the page a teaser stub came from */"                             \
  " ingested_at TEXT NOT NULL)"

constexpr const char* kSchema = "CREATE TABLE IF NOT EXISTS versions" ET_VERSIONS_TABLE_COLUMNS
                                ";"
                                R"sql(
CREATE TABLE IF NOT EXISTS articles(
  article_id    TEXT PRIMARY KEY,          -- version id of its first version
  identity      TEXT NOT NULL UNIQUE,      -- what makes two records the same article
  latest_docno  INTEGER NOT NULL,
  version_count INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS versions_by_article ON versions(article_id, seq);
CREATE INDEX IF NOT EXISTS versions_by_raw ON versions(raw_hash);
CREATE TABLE IF NOT EXISTS aliases(
  alias      TEXT PRIMARY KEY,   -- an external id
  article_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ingest_runs(
  run_id INTEGER PRIMARY KEY, command TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
  status TEXT NOT NULL, records INTEGER, added INTEGER, new_versions INTEGER,
  duplicates INTEGER, skipped INTEGER, warnings INTEGER
);
CREATE TABLE IF NOT EXISTS mentions(    -- one row per annotation span, for aggregate queries
  docno   INTEGER NOT NULL,             -- the version it is in
  kind    TEXT NOT NULL,                -- date | entity | event | work | quote
  key     TEXT NOT NULL,                -- canonical id, ISO date, event key; '' when unresolved
  label   TEXT NOT NULL,                -- person | org | place | outlet | direct | reported ...
  begin   INTEGER NOT NULL, end INTEGER NOT NULL,
  text    TEXT NOT NULL,                -- the span's text as written (the surface form)
  speaker TEXT NOT NULL,                -- quotes: canonical id of the speaker, else ''
  channel TEXT NOT NULL                 -- quotes: outlet id of the channel, else ''
);
CREATE INDEX IF NOT EXISTS mentions_by_key ON mentions(kind, key);
CREATE INDEX IF NOT EXISTS articles_by_latest ON articles(latest_docno);  -- "latest versions only" joins
CREATE INDEX IF NOT EXISTS mentions_by_docno ON mentions(docno);
CREATE TABLE IF NOT EXISTS content_dictionaries(  -- zstd dictionaries of versions.content (version_content.h)
  id INTEGER PRIMARY KEY,            -- the dictionary's zstd id, which its frames name
  trained_on INTEGER NOT NULL,       -- the highest docno when it was trained
  covers_docno INTEGER NOT NULL,     -- frames up to this docno are to be re-encoded with it
  reencoded_docno INTEGER NOT NULL,  -- ... and are, up to this one
  created_at TEXT NOT NULL,
  dict BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS ingest_issues(
  run_id INTEGER NOT NULL, origin TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL
);
)sql";

// Schema 2's spans (JSON [[begin,end,kind,label(,key,attrs)],...]), read
// only to migrate a store to schema 3.
Status SpansFromJson(const std::string& json, size_t text_size, std::vector<Span>* spans) {
  // Decoding never throws: every field's type is checked before it is read.
  const nlohmann::json array = nlohmann::json::parse(json, nullptr, false);
  if (!array.is_array()) return Status::Corrupt("stored spans are not a JSON array");
  const Status malformed = Status::Corrupt("stored span is malformed");
  for (const auto& item : array) {
    if (!item.is_array() || (item.size() != 4 && item.size() != 6)) return malformed;
    if (!item[0].is_number_unsigned() || !item[1].is_number_unsigned() || !item[2].is_string() ||
        !item[3].is_string()) {
      return malformed;
    }
    Span span;
    const uint64_t begin = item[0].get<uint64_t>(), end = item[1].get<uint64_t>();
    if (begin > end || end > text_size) return Status::Corrupt("stored span is out of range");
    span.begin = static_cast<uint32_t>(begin);
    span.end = static_cast<uint32_t>(end);
    if (!ParseSpanKind(item[2].get_ref<const std::string&>(), &span.kind)) span.kind = SpanKind::kBoilerplate;
    span.label = item[3].get<std::string>();
    if (item.size() == 6) {
      if (!item[4].is_string() || !item[5].is_array()) return malformed;
      span.key = item[4].get<std::string>();
      for (const auto& attr : item[5]) {
        if (!attr.is_array() || attr.size() != 2 || !attr[0].is_string() || !attr[1].is_string()) {
          return Status::Corrupt("stored span attribute is malformed");
        }
        span.attrs.emplace_back(attr[0].get<std::string>(), attr[1].get<std::string>());
      }
    }
    spans->push_back(std::move(span));
  }
  return Status::Ok();
}

// The stored warnings (a JSON array of strings); what is not a string is skipped.
std::vector<std::string> WarningsFromJson(const std::string& json) {
  std::vector<std::string> out;
  const auto warnings = nlohmann::json::parse(json, nullptr, false);
  if (warnings.is_array()) {
    for (const auto& w : warnings) {
      if (w.is_string()) out.push_back(w.get<std::string>());
    }
  }
  return out;
}

}  // namespace

std::string VersionIdOf(const Document& doc) {
  std::string key;
  key.reserve(doc.text.size() + 64);
  key += doc.source;
  key += '\x1f';
  key += doc.date;
  key += '\x1f';
  key += doc.title;
  key += '\x1f';
  key += doc.Body();
  return Hash64Hex(key);
}

std::string RawHashOf(std::string_view raw) { return Hash64Hex(raw); }

PreparedVersion PrepareVersion(const Document& doc, const ContentDictionary* dictionary) {
  PreparedVersion p;
  p.version_id = VersionIdOf(doc);
  p.raw_hash = RawHashOf(doc.raw);
  p.identity = IdentityKeyOf(doc, p.version_id);
  p.warnings_json = nlohmann::json(doc.warnings).dump();
  p.content = EncodeVersionContent(doc.text, doc.spans, doc.raw, dictionary);
  return p;
}

std::string IdentityKeyOf(const Document& doc, std::string_view version_id) {
  if (!doc.external_id.empty()) return "id:" + doc.external_id;
  if (!doc.url.empty()) return "url:" + doc.url;
  if (!doc.title.empty() && (!doc.source.empty() || !doc.date.empty())) {
    return "std:" + doc.source + "|" + FoldForKey(doc.title) + "|" + doc.date;
  }
  return "doc:" + std::string(version_id);
}

Store::Store(sqlite3* db) : db_(db), statements_(std::make_unique<Statements>()) { statements_->db = db; }

Store::~Store() {
  if (in_transaction_) Rollback();
  statements_.reset();  // statements before the connection
  sqlite3_close_v2(db_);
}

Status Store::Exec(const char* sql) {
  char* error = nullptr;
  if (const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error); rc != SQLITE_OK) {
    std::string message = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    return SqliteFailure(db_, rc, message);
  }
  return Status::Ok();
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, bool create, bool read_only) {
  if (!read_only) {
    // SQLite writes its -wal and -shm files beside the database: the folder must be writable.
    const std::string folder = std::filesystem::path(path).parent_path().string();
    if (access(folder.empty() ? "." : folder.c_str(), W_OK) != 0) {
      return Status::IOError(path + ": cannot write: the data directory is read-only (" + std::strerror(errno) +
                             "): make it writable, or choose another folder with --data");
    }
  }
  sqlite3* db = nullptr;
  const int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0));
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return SqliteFailure(nullptr, rc, path + ": cannot open database: " + message);
  }
  std::unique_ptr<Store> store(new Store(db));
  sqlite3_busy_timeout(db, 10000);
  ET_RETURN_IF_ERROR(store->EnsureSchema(create, read_only).WithContext(path));
  ET_RETURN_IF_ERROR(store->LoadContentDictionaries().WithContext(path));
  return store;
}

Status Store::EnsureSchema(bool create, bool read_only) {
  sqlite3_stmt* stmt = nullptr;
  int application_id = 0;
  int user_version = 0;
  int tables = 0;
  auto read_int = [&](const char* sql, int* out) -> Status {
    if (sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) != SQLITE_OK) {
      return Status::Corrupt(std::string("not a SQLite database (") + sqlite3_errmsg(db_) + ")");
    }
    if (sqlite3_step(stmt) == SQLITE_ROW) *out = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return Status::Ok();
  };
  // Tables without our application id, on a create: another process may be
  // creating this store right now (its reads are not one snapshot with ours):
  // look again for up to 3 s before calling the file foreign.
  for (int attempt = 0;; ++attempt) {
    ET_RETURN_IF_ERROR(read_int("PRAGMA application_id", &application_id));
    ET_RETURN_IF_ERROR(read_int("PRAGMA user_version", &user_version));
    ET_RETURN_IF_ERROR(read_int("SELECT count(*) FROM sqlite_master", &tables));
    if (application_id != 0 || tables == 0 || !create || attempt >= 30) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (application_id != kApplicationId) {
    if (application_id != 0 || tables != 0 || !create) {
      return Status::Corrupt("not an echotrace database (application_id " + std::to_string(application_id) + ")");
    }
  } else if (user_version > kSchemaVersion) {
    return Status::Corrupt("written by a newer echotrace (schema " + std::to_string(user_version) + ")");
  } else if (user_version < kOldestReadableSchema && read_only) {
    // Schema 2 kept versions in other columns: reading them as 3 would fail
    // on every article; a writable open migrates the file.
    return Status::Corrupt("written by an older echotrace (schema " + std::to_string(user_version) +
                           ", this one reads " + std::to_string(kSchemaVersion) +
                           "): run any command that writes to it once, such as 'echotrace link --data DIR', to "
                           "migrate it (or 'echotrace reindex')");
  }
  if (!read_only) {
    ET_RETURN_IF_ERROR(Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"));
    // An index no query used (quotes by speaker are found through
    // mentions_by_key, as EXPLAIN QUERY PLAN shows): 3% of a store's pages.
    int unused_index = 0;
    ET_RETURN_IF_ERROR(
        read_int("SELECT count(*) FROM sqlite_master WHERE name = 'mentions_by_speaker'", &unused_index));
    if (unused_index > 0) ET_RETURN_IF_ERROR(Exec("DROP INDEX IF EXISTS mentions_by_speaker"));
  }
  // A new file gets the whole schema; an older one gets the tables it lacks
  // (CREATE ... IF NOT EXISTS) and the new version number.
  bool migrated = false;
  if ((application_id == 0 || user_version < kSchemaVersion) && !read_only) {
    // IMMEDIATE: a second process opening the same old store waits here,
    // then finds it migrated (MigrateVersions looks again inside).
    ET_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    Status status = MigrateVersions(&migrated);
    if (status.ok()) status = Exec(kSchema);
    if (status.ok()) {
      status = Exec(("PRAGMA application_id=" + std::to_string(kApplicationId) +
                     "; PRAGMA user_version=" + std::to_string(kSchemaVersion))
                        .c_str());
    }
    if (!status.ok()) {
      (void)Exec("ROLLBACK");
      return status;
    }
    ET_RETURN_IF_ERROR(Exec("COMMIT"));
  }
  // The old columns' pages are free now: give them back to the file system.
  // Best effort (another reader may hold the file); atomic like any write.
  if (migrated) (void)Exec("VACUUM");
  return Status::Ok();
}

Status Store::MigrateVersions(bool* migrated) {
  *migrated = false;
  bool old_columns = false;
  {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT count(*) FROM pragma_table_info('versions') WHERE name = 'spans'", -1, &stmt,
                           nullptr) != SQLITE_OK) {
      return SqliteFailure(db_, sqlite3_errcode(db_), "reading the versions table's columns");
    }
    old_columns = sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_int(stmt, 0) > 0;
    sqlite3_finalize(stmt);
  }
  if (!old_columns) return Status::Ok();
  ET_RETURN_IF_ERROR(Exec("CREATE TABLE versions_migrating" ET_VERSIONS_TABLE_COLUMNS));
  int64_t sequence = 0;
  {
    StatementCache cache;  // finalized before the tables change below
    cache.db = db_;
    ET_ASSIGN_OR_RETURN(sqlite3_stmt * seq, cache.Get("SELECT seq FROM sqlite_sequence WHERE name = 'versions'"));
    Query sq(seq);
    Status status;
    if (sq.Step(&status)) sequence = sq.Int(0);
    ET_RETURN_IF_ERROR(status);
    ET_ASSIGN_OR_RETURN(
        sqlite3_stmt * read,
        cache.Get("SELECT docno, version_id, raw_hash, article_id, seq, source, date, title, url, external_id, "
                  "warnings, format, origin, is_stub, derived_from, ingested_at, text, spans, raw, raw_size "
                  "FROM versions ORDER BY docno"));
    ET_ASSIGN_OR_RETURN(
        sqlite3_stmt * write,
        cache.Get("INSERT INTO versions_migrating(docno, version_id, raw_hash, article_id, seq, source, date, title, "
                  "url, external_id, warnings, format, origin, is_stub, derived_from, ingested_at, content, "
                  "text_size, raw_size) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19)"));
    Query q(read);
    while (q.Step(&status)) {
      const int64_t docno = q.Int(0);
      const std::string text = q.Text(16);
      std::vector<Span> spans;
      const std::string where = "migrating version " + q.Text(1) + " (docno " + std::to_string(docno) + ")";
      ET_RETURN_IF_ERROR(SpansFromJson(q.Text(17), text.size(), &spans).WithContext(where));
      const std::string_view blob = q.Blob(18);
      Result<std::string> raw = Decompress(blob.data(), blob.size(), static_cast<size_t>(q.Int(19)));
      if (!raw.ok()) return raw.status().WithContext(where);
      Query w(write);
      for (int column = 0; column < 16; ++column) {
        if (column == 0 || column == 4 || column == 13) {
          w.Bind(column + 1, q.Int(column));
        } else {
          w.Bind(column + 1, q.Text(column));
        }
      }
      w.BindBlob(17, EncodeVersionContent(text, spans, *raw));
      w.Bind(18, static_cast<int64_t>(text.size())).Bind(19, static_cast<int64_t>(raw->size()));
      ET_RETURN_IF_ERROR(w.Run());
    }
    ET_RETURN_IF_ERROR(status);
  }
  ET_RETURN_IF_ERROR(Exec("DROP TABLE versions; ALTER TABLE versions_migrating RENAME TO versions;"));
  // Docnos of versions ever stored are never reused (AUTOINCREMENT).
  const std::string keep_sequence =
      "UPDATE sqlite_sequence SET seq = max(seq, " + std::to_string(sequence) + ") WHERE name = 'versions'";
  ET_RETURN_IF_ERROR(Exec(keep_sequence.c_str()));
  *migrated = true;
  return Status::Ok();
}

Status Store::Begin() {
  ET_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  in_transaction_ = true;
  return Status::Ok();
}

Status Store::Commit() {
  in_transaction_ = false;
  return Exec("COMMIT");
}

void Store::Rollback() {
  in_transaction_ = false;
  (void)Exec("ROLLBACK");
}

Result<AddResult> Store::Add(const Document& doc) {
  if (!in_transaction_) return Status::Internal("Store::Add outside a transaction: call Begin() first");
  return Add(doc, PrepareVersion(doc, statements_->newest_dictionary.get()));
}

Result<bool> Store::HasRaw(std::string_view raw_hash) const {
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, statements_->Get("SELECT 1 FROM versions WHERE raw_hash = ?1 LIMIT 1"));
  Query q(stmt);
  q.Bind(1, raw_hash);
  Status status;
  const bool found = q.Step(&status);
  ET_RETURN_IF_ERROR(status);
  return found;
}

Result<AddResult> Store::Add(const Document& doc, const PreparedVersion& prepared) {
  if (!in_transaction_) return Status::Internal("Store::Add outside a transaction: call Begin() first");
  AddResult result;
  result.version_id = prepared.version_id;
  const std::string& raw_hash = prepared.raw_hash;
  Status status;

  // Duplicate: same raw bytes, or same content.
  {
    ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, statements_->Get("SELECT docno, version_id, article_id FROM versions "
                                                              "WHERE version_id = ?1 OR raw_hash = ?2 LIMIT 1"));
    Query q(stmt);
    q.Bind(1, result.version_id).Bind(2, raw_hash);
    if (q.Step(&status)) {
      result.outcome = AddOutcome::kDuplicate;
      result.docno = q.Int(0);
      result.version_id = q.Text(1);
      result.article_id = q.Text(2);
    }
    ET_RETURN_IF_ERROR(status);
  }
  if (result.outcome == AddOutcome::kDuplicate) {
    // The copy's own external id still finds the article.
    if (!doc.external_id.empty()) {
      ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                          statements_->Get("INSERT OR IGNORE INTO aliases(alias, article_id) VALUES(?1, ?2)"));
      ET_RETURN_IF_ERROR(Query(stmt).Bind(1, doc.external_id).Bind(2, result.article_id).Run());
    }
    return result;
  }

  const std::string& identity = prepared.identity;
  int64_t seq = 1;
  {
    ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                        statements_->Get("SELECT article_id, latest_docno, version_count FROM articles "
                                         "WHERE identity = ?1"));
    Query q(stmt);
    q.Bind(1, identity);
    if (q.Step(&status)) {
      result.outcome = AddOutcome::kNewVersion;
      result.article_id = q.Text(0);
      result.replaced_latest = q.Int(1);
      seq = q.Int(2) + 1;
    }
    ET_RETURN_IF_ERROR(status);
  }
  if (result.outcome == AddOutcome::kNewArticle) result.article_id = result.version_id;

  {
    ET_ASSIGN_OR_RETURN(
        sqlite3_stmt * stmt,
        statements_->Get("INSERT INTO versions(version_id, raw_hash, article_id, seq, source, date, title, url, "
                         "external_id, text_size, content, warnings, format, origin, raw_size, is_stub, ingested_at, "
                         "derived_from) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?16,?17,?18,?19)"));
    Query q(stmt);
    q.Bind(1, result.version_id).Bind(2, raw_hash).Bind(3, result.article_id).Bind(4, seq);
    q.Bind(5, doc.source).Bind(6, doc.date).Bind(7, doc.title).Bind(8, doc.url).Bind(9, doc.external_id);
    q.Bind(10, static_cast<int64_t>(doc.text.size())).BindBlob(11, prepared.content).Bind(12, prepared.warnings_json);
    q.Bind(13, InputFormatName(doc.format)).Bind(14, doc.origin);
    q.Bind(16, static_cast<int64_t>(doc.raw.size())).Bind(17, int64_t{doc.IsHeadlineStub() ? 1 : 0});
    q.Bind(18, NowUtc()).Bind(19, doc.derived_from);
    ET_RETURN_IF_ERROR(q.Run());
    result.docno = sqlite3_last_insert_rowid(db_);
  }
  ET_RETURN_IF_ERROR(WriteMentions(result.docno, doc, /*replace=*/false));
  if (result.outcome == AddOutcome::kNewArticle) {
    ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                        statements_->Get("INSERT INTO articles(article_id, identity, latest_docno, version_count) "
                                         "VALUES(?1, ?2, ?3, 1)"));
    ET_RETURN_IF_ERROR(Query(stmt).Bind(1, result.article_id).Bind(2, identity).Bind(3, result.docno).Run());
  } else {
    ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                        statements_->Get("UPDATE articles SET latest_docno = ?2, version_count = version_count + 1 "
                                         "WHERE article_id = ?1"));
    ET_RETURN_IF_ERROR(Query(stmt).Bind(1, result.article_id).Bind(2, result.docno).Run());
  }
  if (!doc.external_id.empty()) {
    ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                        statements_->Get("INSERT OR REPLACE INTO aliases(alias, article_id) VALUES(?1, ?2)"));
    ET_RETURN_IF_ERROR(Query(stmt).Bind(1, doc.external_id).Bind(2, result.article_id).Run());
  }
  return result;
}

Status Store::UpdateExtraction(int64_t docno, const Document& doc) {
  if (!in_transaction_) return Status::Internal("Store::UpdateExtraction outside a transaction: call Begin() first");
  // The raw bytes stay as stored; they share the frame with the new text.
  std::string raw;
  {
    ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, statements_->Get("SELECT content FROM versions WHERE docno = ?1"));
    Query q(stmt);
    q.Bind(1, docno);
    Status status;
    if (!q.Step(&status)) {
      ET_RETURN_IF_ERROR(status);
      return Status::NotFound("no version with docno " + std::to_string(docno));
    }
    std::string old_text;
    std::vector<Span> old_spans;
    ET_RETURN_IF_ERROR(
        DecodeContent(q.Blob(0), &old_text, &old_spans, &raw).WithContext("version " + std::to_string(docno)));
  }
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                      statements_->Get("UPDATE versions SET source=?2, date=?3, title=?4, url=?5, external_id=?6, "
                                       "text_size=?7, content=?8, warnings=?9, is_stub=?10 WHERE docno=?1"));
  Query q(stmt);
  q.Bind(1, docno).Bind(2, doc.source).Bind(3, doc.date).Bind(4, doc.title).Bind(5, doc.url);
  q.Bind(6, doc.external_id).Bind(7, static_cast<int64_t>(doc.text.size()));
  q.BindBlob(8, EncodeVersionContent(doc.text, doc.spans, raw, statements_->newest_dictionary.get()));
  q.Bind(9, nlohmann::json(doc.warnings).dump()).Bind(10, int64_t{doc.IsHeadlineStub() ? 1 : 0});
  ET_RETURN_IF_ERROR(q.Run());
  return WriteMentions(docno, doc, /*replace=*/true);
}

Status Store::WriteMentions(int64_t docno, const Document& doc, bool replace) {
  if (replace) {
    ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, statements_->Get("DELETE FROM mentions WHERE docno = ?1"));
    ET_RETURN_IF_ERROR(Query(stmt).Bind(1, docno).Run());
  }
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                      statements_->Get("INSERT INTO mentions(docno, kind, key, label, begin, end, text, speaker, "
                                       "channel) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)"));
  for (const Span& span : doc.spans) {
    if (span.kind == SpanKind::kTitle || span.kind == SpanKind::kParagraph || span.kind == SpanKind::kBoilerplate) {
      continue;
    }
    Query q(stmt);
    q.Bind(1, docno).Bind(2, SpanKindName(span.kind)).Bind(3, span.key).Bind(4, span.label);
    q.Bind(5, int64_t{span.begin}).Bind(6, int64_t{span.end}).Bind(7, doc.SpanText(span));
    q.Bind(8, span.Attr("speaker")).Bind(9, span.Attr("channel"));
    ET_RETURN_IF_ERROR(q.Run());
  }
  return Status::Ok();
}

Result<std::vector<KeyCount>> Store::TopKeys(std::string_view kind, std::string_view label, int64_t limit) const {
  // Latest versions only, so an edited article is counted once.
  ET_ASSIGN_OR_RETURN(
      sqlite3_stmt * stmt,
      statements_->Get("SELECT m.key, max(m.label), count(*), count(DISTINCT m.docno), "
                       "group_concat(DISTINCT m.text) FROM mentions m JOIN articles a ON a.latest_docno = m.docno "
                       "WHERE m.kind = ?1 AND m.key != '' AND (?2 = '' OR m.label = ?2) "
                       "GROUP BY m.key ORDER BY count(DISTINCT m.docno) DESC, count(*) DESC, m.key LIMIT ?3"));
  Query q(stmt);
  q.Bind(1, kind).Bind(2, label).Bind(3, limit);
  std::vector<KeyCount> out;
  Status status;
  while (q.Step(&status)) {
    KeyCount row;
    row.key = q.Text(0);
    row.label = q.Text(1);
    row.mentions = q.Int(2);
    row.documents = q.Int(3);
    // group_concat joins with ','; surface forms rarely hold one, and a
    // split there only shows a name in two pieces.
    const std::string forms = q.Text(4);
    size_t start = 0;
    while (start <= forms.size()) {
      const size_t comma = forms.find(',', start);
      const size_t stop = comma == std::string::npos ? forms.size() : comma;
      if (stop > start) row.surface_forms.push_back(forms.substr(start, stop - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    out.push_back(std::move(row));
  }
  ET_RETURN_IF_ERROR(status);
  return out;
}

Result<std::vector<std::pair<std::string, int64_t>>> Store::SurfaceForms(std::string_view kind, std::string_view key,
                                                                         int64_t limit) const {
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                      statements_->Get("SELECT m.text, count(*) FROM mentions m JOIN articles a ON a.latest_docno = "
                                       "m.docno WHERE m.kind = ?1 AND m.key = ?2 GROUP BY m.text "
                                       "ORDER BY count(*) DESC, m.text LIMIT ?3"));
  Query q(stmt);
  q.Bind(1, kind).Bind(2, key).Bind(3, limit);
  std::vector<std::pair<std::string, int64_t>> out;
  Status status;
  while (q.Step(&status)) out.emplace_back(q.Text(0), q.Int(1));
  ET_RETURN_IF_ERROR(status);
  return out;
}

Result<std::vector<int64_t>> Store::DocnosWithKey(std::string_view kind, std::string_view key, bool newest,
                                                  int64_t limit) const {
  ET_ASSIGN_OR_RETURN(
      sqlite3_stmt * stmt,
      statements_->Get("SELECT DISTINCT m.docno, v.date FROM mentions m JOIN articles a ON a.latest_docno = m.docno "
                       "JOIN versions v ON v.docno = m.docno WHERE m.kind = ?1 AND m.key = ?2 "
                       "ORDER BY v.date = '', CASE WHEN ?3 THEN v.date END DESC, v.date, m.docno LIMIT ?4"));
  Query q(stmt);
  q.Bind(1, kind).Bind(2, key).Bind(3, int64_t{newest ? 1 : 0}).Bind(4, limit);
  std::vector<int64_t> out;
  Status status;
  while (q.Step(&status)) out.push_back(q.Int(0));
  ET_RETURN_IF_ERROR(status);
  return out;
}

Result<std::vector<QuoteRow>> Store::Quotes(std::string_view speaker, int64_t limit, int64_t offset) const {
  ET_ASSIGN_OR_RETURN(
      sqlite3_stmt * stmt,
      statements_->Get("SELECT m.docno, m.begin, m.end, m.text, m.label, m.speaker, m.channel, v.version_id, "
                       "v.source, v.date, v.title FROM mentions m JOIN articles a ON a.latest_docno = m.docno "
                       "JOIN versions v ON v.docno = m.docno WHERE m.kind = 'quote' AND (?1 = '' OR m.speaker = ?1) "
                       "ORDER BY v.date DESC, m.docno DESC, m.begin LIMIT ?2 OFFSET ?3"));
  Query q(stmt);
  q.Bind(1, speaker).Bind(2, limit).Bind(3, offset);
  std::vector<QuoteRow> out;
  Status status;
  while (q.Step(&status)) {
    QuoteRow row;
    row.docno = q.Int(0);
    row.begin = q.Int(1);
    row.end = q.Int(2);
    row.text = q.Text(3);
    row.label = q.Text(4);
    row.speaker = q.Text(5);
    row.channel = q.Text(6);
    row.version_id = q.Text(7);
    row.source = q.Text(8);
    row.date = q.Text(9);
    row.title = q.Text(10);
    out.push_back(std::move(row));
  }
  ET_RETURN_IF_ERROR(status);
  return out;
}

namespace {

// The columns of a version that every read takes, in ReadVersionColumns'
// order. A macro so that each query stays one string literal (the statement
// cache is keyed by the literal's address).
#define ET_VERSION_COLUMNS                                                                                    \
  "v.version_id, v.article_id, v.seq, v.source, v.date, v.title, v.url, v.external_id, v.content, v.format, " \
  "v.origin, v.ingested_at, a.latest_docno, a.version_count, v.derived_from, v.warnings"

// Steps `q` (bound to one docno) to its row and reads ET_VERSION_COLUMNS; the
// content frame (column kContent) is left to the caller, which decodes what
// it needs.
constexpr int kContent = 8;
Result<StoredVersion> ReadVersionColumns(Query& q, int64_t docno) {
  Status status;
  if (!q.Step(&status)) {
    ET_RETURN_IF_ERROR(status);
    return Status::NotFound("no version with docno " + std::to_string(docno));
  }
  StoredVersion v;
  v.docno = docno;
  v.version_id = q.Text(0);
  v.article_id = q.Text(1);
  v.seq = static_cast<int>(q.Int(2));
  v.doc.source = q.Text(3);
  v.doc.date = q.Text(4);
  v.doc.title = q.Text(5);
  v.doc.url = q.Text(6);
  v.doc.external_id = q.Text(7);
  v.doc.format = InputFormatFromName(q.Text(9));
  v.doc.origin = q.Text(10);
  v.ingested_at = q.Text(11);
  v.latest = q.Int(12) == docno;
  v.version_count = static_cast<int>(q.Int(13));
  v.doc.derived_from = q.Text(14);
  v.doc.warnings = WarningsFromJson(q.Text(15));
  return v;
}

}  // namespace

Result<StoredVersion> Store::Get(int64_t docno, bool with_raw) const {
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                      statements_->Get("SELECT " ET_VERSION_COLUMNS
                                       " FROM versions v JOIN articles a USING(article_id) WHERE v.docno = ?1"));
  Query q(stmt);
  q.Bind(1, docno);
  ET_ASSIGN_OR_RETURN(StoredVersion v, ReadVersionColumns(q, docno));
  ET_RETURN_IF_ERROR(DecodeContent(q.Blob(kContent), &v.doc.text, &v.doc.spans, with_raw ? &v.doc.raw : nullptr)
                         .WithContext("version " + v.version_id + " (docno " + std::to_string(docno) + ")"));
  return v;
}

Result<StoredVersion> Store::GetHit(int64_t docno) const {
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                      statements_->Get("SELECT " ET_VERSION_COLUMNS
                                       " FROM versions v JOIN articles a USING(article_id) WHERE v.docno = ?1"));
  Query q(stmt);
  q.Bind(1, docno);
  ET_ASSIGN_OR_RETURN(StoredVersion v, ReadVersionColumns(q, docno));
  ET_RETURN_IF_ERROR(DecodeContent(q.Blob(kContent), &v.doc.text, &v.doc.spans, nullptr, /*paragraphs_only=*/true)
                         .WithContext("version " + v.version_id + " (docno " + std::to_string(docno) + ")"));
  return v;
}

#undef ET_VERSION_COLUMNS

Result<std::vector<int64_t>> Store::VersionsOf(std::string_view article_id) const {
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                      statements_->Get("SELECT docno FROM versions WHERE article_id = ?1 ORDER BY seq"));
  Query q(stmt);
  q.Bind(1, article_id);
  std::vector<int64_t> docnos;
  Status status;
  while (q.Step(&status)) docnos.push_back(q.Int(0));
  ET_RETURN_IF_ERROR(status);
  return docnos;
}

Result<std::vector<int64_t>> Store::DocnosAfter(int64_t after, int64_t limit) const {
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                      statements_->Get("SELECT docno FROM versions WHERE docno > ?1 ORDER BY docno LIMIT ?2"));
  Query q(stmt);
  q.Bind(1, after).Bind(2, limit);
  std::vector<int64_t> docnos;
  Status status;
  while (q.Step(&status)) docnos.push_back(q.Int(0));
  ET_RETURN_IF_ERROR(status);
  return docnos;
}

Result<std::vector<int64_t>> Store::Resolve(std::string_view id, int64_t* exact_docno) const {
  id = TrimAscii(id);
  if (id.empty()) return Status::Usage("empty id");
  // "ID@N": the Nth version. An id that merely contains '@' (an external id
  // may) falls through when the part before it names no article.
  if (const size_t at = id.rfind('@'); at != std::string_view::npos && at + 1 < id.size() &&
                                       id.find_first_not_of("0123456789", at + 1) == std::string_view::npos) {
    const std::string_view number = id.substr(at + 1);
    int64_t nth = 0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), nth);
    auto docnos = Resolve(id.substr(0, at), exact_docno);
    if (docnos.ok()) {
      if (error != std::errc() || end != number.data() + number.size() || nth < 1) {
        return Status::Usage("'" + std::string(id) + "': after '@' comes a version number (1 = the first version)");
      }
      if (static_cast<size_t>(nth) > docnos->size()) {
        return Status::NotFound("article '" + std::string(id.substr(0, at)) + "' has " +
                                std::to_string(docnos->size()) + (docnos->size() == 1 ? " version" : " versions") +
                                ", not " + std::to_string(nth));
      }
      *exact_docno = (*docnos)[static_cast<size_t>(nth) - 1];
      return docnos;
    }
    if (docnos.status().code() != StatusCode::kNotFound) return docnos.status();
  }
  Status status;
  std::string article_id;
  *exact_docno = 0;
  {  // A version id (or a unique prefix of one).
    const bool hex =
        id.size() >= 6 && id.size() <= 16 && id.find_first_not_of("0123456789abcdef") == std::string_view::npos;
    if (hex) {
      ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                          statements_->Get("SELECT docno, article_id FROM versions WHERE version_id >= ?1 "
                                           "AND version_id < ?2 LIMIT 2"));
      Query q(stmt);
      std::string upper(id);
      upper.back() = static_cast<char>(upper.back() + 1);
      q.Bind(1, id).Bind(2, upper);
      int found = 0;
      while (q.Step(&status)) {
        if (++found == 1) {
          *exact_docno = q.Int(0);
          article_id = q.Text(1);
        }
      }
      ET_RETURN_IF_ERROR(status);
      if (found > 1) return Status::Usage("id prefix '" + std::string(id) + "' is ambiguous; type more digits");
    }
  }
  if (article_id.empty()) {  // An external id.
    ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, statements_->Get("SELECT article_id FROM aliases WHERE alias = ?1"));
    Query q(stmt);
    q.Bind(1, id);
    if (q.Step(&status)) article_id = q.Text(0);
    ET_RETURN_IF_ERROR(status);
  }
  if (article_id.empty()) {
    return Status::NotFound(
        "no article with id '" + std::string(id) +
        "' (give a version id, an article id, a unique prefix of 6+ hex digits, or an external id)");
  }
  ET_ASSIGN_OR_RETURN(std::vector<int64_t> docnos, VersionsOf(article_id));
  if (docnos.empty()) return Status::Corrupt("article " + article_id + " has no versions");
  if (*exact_docno == 0 || *exact_docno == docnos.front()) {
    // An article id names the article: show its latest version.
    ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                        statements_->Get("SELECT latest_docno FROM articles WHERE article_id = ?1"));
    Query q(stmt);
    q.Bind(1, article_id);
    if (q.Step(&status)) *exact_docno = q.Int(0);
    ET_RETURN_IF_ERROR(status);
  }
  return docnos;
}

Result<StoreStats> Store::Stats() const {
  StoreStats stats;
  Status status;
  {
    ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                        statements_->Get("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM versions), "
                                         "(SELECT coalesce(max(docno), 0) FROM versions), "
                                         "(SELECT coalesce(sum(text_size), 0) FROM versions)"));
    Query q(stmt);
    if (q.Step(&status)) {
      stats.articles = q.Int(0);
      stats.versions = q.Int(1);
      stats.max_docno = q.Int(2);
      stats.text_bytes = q.Int(3);
    }
    ET_RETURN_IF_ERROR(status);
  }
  {
    ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                        statements_->Get("SELECT v.source, substr(v.date, 1, 7), v.is_stub, count(*) FROM articles a "
                                         "JOIN versions v ON v.docno = a.latest_docno GROUP BY 1, 2, 3"));
    Query q(stmt);
    while (q.Step(&status)) {
      const int64_t n = q.Int(3);
      stats.by_source[q.Text(0)] += n;
      stats.by_month[q.Text(1)] += n;
      if (q.Int(2) != 0) stats.headline_stubs += n;
    }
    ET_RETURN_IF_ERROR(status);
  }
  return stats;
}

Result<std::vector<std::pair<std::string, int64_t>>> Store::SizeBreakdown() const {
  std::vector<std::pair<std::string, int64_t>> out;
  {
    ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                        statements_->Get("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"));
    Query q(stmt);
    Status status;
    while (q.Step(&status)) out.emplace_back("table " + q.Text(0), q.Int(1));
    ET_RETURN_IF_ERROR(status);
  }
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, statements_->Get("SELECT coalesce(sum(length(content)), 0) FROM versions"));
  Query q(stmt);
  Status status;
  if (q.Step(&status)) {
    out.emplace_back("versions.content (zstd: text+spans+raw)", q.Int(0));
  }
  ET_RETURN_IF_ERROR(status);
  ET_ASSIGN_OR_RETURN(const bool has_dictionaries, HasTable("content_dictionaries"));
  if (has_dictionaries) {
    ET_ASSIGN_OR_RETURN(sqlite3_stmt * sum, statements_->Get("SELECT coalesce(sum(length(dict)), 0), count(*) FROM "
                                                             "content_dictionaries"));
    Query d(sum);
    if (d.Step(&status) && d.Int(1) > 0) {
      out.emplace_back("content dictionaries (" + std::to_string(d.Int(1)) + ", zstd)", d.Int(0));
    }
    ET_RETURN_IF_ERROR(status);
  }
  return out;
}

Result<bool> Store::HasTable(std::string_view name) const {
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                      statements_->Get("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1"));
  Query q(stmt);
  q.Bind(1, name);
  Status status;
  const bool found = q.Step(&status) && q.Int(0) > 0;
  ET_RETURN_IF_ERROR(status);
  return found;
}

Status Store::LoadContentDictionaries() const {
  ET_ASSIGN_OR_RETURN(const bool has_table, HasTable("content_dictionaries"));
  if (!has_table) return Status::Ok();  // a schema-3 store, opened read-only
  ET_ASSIGN_OR_RETURN(
      sqlite3_stmt * stmt,
      statements_->Get("SELECT id, trained_on, dict FROM content_dictionaries ORDER BY trained_on, id"));
  Query q(stmt);
  Status status;
  while (q.Step(&status)) {
    const auto id = static_cast<uint32_t>(q.Int(0));
    if (statements_->content.HasDictionary(id)) continue;
    // A damaged dictionary is skipped, not fatal: only the frames that name
    // it are unreadable (each read says which dictionary it lacks), and no
    // new frame is written with it.
    auto dictionary = ContentDictionary::Load(std::string(q.Blob(2)));
    if (!dictionary.ok() || (*dictionary)->id() != id) continue;
    statements_->content.AddDictionary(*dictionary);
    statements_->newest_dictionary = std::move(dictionary).value();
    statements_->newest_trained_on = q.Int(1);
  }
  return status;
}

Status Store::DecodeContent(std::string_view frame, std::string* text, std::vector<Span>* spans, std::string* raw,
                            bool paragraphs_only) const {
  const uint32_t id = VersionContentDictionaryId(frame);
  // A dictionary trained since this store was opened (by this or another process).
  if (id != 0 && !statements_->content.HasDictionary(id)) ET_RETURN_IF_ERROR(LoadContentDictionaries());
  return statements_->content.Decode(frame, text, spans, raw, paragraphs_only);
}

std::shared_ptr<const ContentDictionary> Store::content_dictionary() const { return statements_->newest_dictionary; }

Result<ContentCompression> Store::CompressContent(const ContentCompaction& options) {
  if (in_transaction_) return Status::Internal("Store::CompressContent inside a transaction");
  ET_RETURN_IF_ERROR(LoadContentDictionaries());
  ET_ASSIGN_OR_RETURN(const bool has_table, HasTable("content_dictionaries"));
  if (!has_table) return Status::Internal("Store::CompressContent on a read-only store of schema 3");
  ContentCompression report;
  // Docnos are never reused: the highest one counts the versions ever stored.
  ET_ASSIGN_OR_RETURN(const int64_t max_docno, MaxDocno());
  const bool none = statements_->newest_dictionary == nullptr;
  const bool due =
      none ? max_docno >= options.min_versions : max_docno >= options.retrain_growth * statements_->newest_trained_on;
  if (due) {
    // Samples spread over the whole docno range, each cut to a bounded prefix.
    std::vector<std::string> samples;
    const int64_t step = std::max<int64_t>(1, max_docno / std::max<int64_t>(1, options.samples));
    ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, statements_->Get("SELECT content FROM versions WHERE docno % ?1 = 0 "
                                                              "ORDER BY docno LIMIT ?2"));
    Query q(stmt);
    q.Bind(1, step).Bind(2, options.samples);
    Status status;
    while (q.Step(&status)) {
      std::string text, raw;
      std::vector<Span> spans;
      if (!DecodeContent(q.Blob(0), &text, &spans, &raw).ok()) continue;  // a damaged frame teaches nothing
      std::string payload = VersionContentPayload(text, spans, raw);
      payload.resize(std::min(payload.size(), options.max_sample_bytes));
      samples.push_back(std::move(payload));
    }
    ET_RETURN_IF_ERROR(status);
    auto trained = TrainContentDictionary(samples);
    if (!trained.ok()) {  // too little to learn from: frames stay as they are
      report.training_failed = true;
      return report;
    }
    ET_ASSIGN_OR_RETURN(std::shared_ptr<const ContentDictionary> dictionary, ContentDictionary::Load(*trained));
    ET_ASSIGN_OR_RETURN(sqlite3_stmt * insert,
                        statements_->Get("INSERT OR IGNORE INTO content_dictionaries(id, trained_on, covers_docno, "
                                         "reencoded_docno, created_at, dict) VALUES(?1, ?2, ?3, 0, ?4, ?5)"));
    ET_RETURN_IF_ERROR(Query(insert)
                           .Bind(1, static_cast<int64_t>(dictionary->id()))
                           .Bind(2, max_docno)
                           .Bind(3, max_docno)
                           .Bind(4, NowUtc())
                           .BindBlob(5, dictionary->bytes())
                           .Run());
    ET_RETURN_IF_ERROR(LoadContentDictionaries());
    // (The same samples can give a dictionary the store holds already: then nothing is new.)
    report.trained = statements_->newest_dictionary != nullptr &&
                     statements_->newest_dictionary->id() == dictionary->id() &&
                     statements_->newest_trained_on == max_docno;
  }
  const std::shared_ptr<const ContentDictionary> newest = statements_->newest_dictionary;
  if (newest == nullptr) return report;
  // Re-encode, a chunk per transaction, the frames written before the
  // dictionary: resumable where a killed run stopped (reencoded_docno).
  for (;;) {
    int64_t from = 0, to = 0;
    {
      ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, statements_->Get("SELECT reencoded_docno, covers_docno FROM "
                                                                "content_dictionaries WHERE id = ?1"));
      Query q(stmt);
      q.Bind(1, static_cast<int64_t>(newest->id()));
      Status status;
      if (q.Step(&status)) {
        from = q.Int(0);
        to = q.Int(1);
      }
      ET_RETURN_IF_ERROR(status);
    }
    if (from >= to) break;
    ET_RETURN_IF_ERROR(Begin());
    Status status = [&]() -> Status {
      ET_ASSIGN_OR_RETURN(sqlite3_stmt * select, statements_->Get("SELECT docno, content FROM versions WHERE docno > "
                                                                  "?1 AND docno <= ?2 ORDER BY docno LIMIT ?3"));
      Query q(select);
      q.Bind(1, from).Bind(2, to).Bind(3, options.chunk);
      std::vector<std::pair<int64_t, std::string>> frames;
      Status read;
      int64_t last = from, rows = 0;
      while (q.Step(&read)) {
        const int64_t docno = q.Int(0);
        last = docno;
        ++rows;
        if (VersionContentDictionaryId(q.Blob(1)) != newest->id()) {
          std::string text, raw;
          std::vector<Span> spans;
          // A damaged frame stays as it is (reading it says so); the rest go on.
          if (!DecodeContent(q.Blob(1), &text, &spans, &raw).ok()) continue;
          frames.emplace_back(docno, EncodeVersionContent(text, spans, raw, newest.get()));
        }
      }
      ET_RETURN_IF_ERROR(read);
      if (rows < options.chunk) last = to;  // the range is done
      ET_ASSIGN_OR_RETURN(sqlite3_stmt * update, statements_->Get("UPDATE versions SET content = ?2 WHERE docno = ?1"));
      for (const auto& [docno, frame] : frames) {
        ET_RETURN_IF_ERROR(Query(update).Bind(1, docno).BindBlob(2, frame).Run());
      }
      ET_ASSIGN_OR_RETURN(sqlite3_stmt * progress,
                          statements_->Get("UPDATE content_dictionaries SET reencoded_docno = ?2 WHERE id = ?1"));
      ET_RETURN_IF_ERROR(Query(progress).Bind(1, static_cast<int64_t>(newest->id())).Bind(2, last).Run());
      report.reencoded += static_cast<int64_t>(frames.size());
      return Status::Ok();
    }();
    if (!status.ok()) {
      Rollback();
      return status;
    }
    ET_RETURN_IF_ERROR(Commit());
  }
  return report;
}

Result<int64_t> Store::MaxDocno() const {
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, statements_->Get("SELECT coalesce(max(docno), 0) FROM versions"));
  Query q(stmt);
  Status status;
  const int64_t max_docno = q.Step(&status) ? q.Int(0) : 0;
  ET_RETURN_IF_ERROR(status);
  return max_docno;
}

Result<int64_t> Store::StartRun(std::string_view command) {
  ET_ASSIGN_OR_RETURN(
      sqlite3_stmt * stmt,
      statements_->Get("INSERT INTO ingest_runs(command, started_at, status) VALUES(?1, ?2, 'running')"));
  ET_RETURN_IF_ERROR(Query(stmt).Bind(1, command).Bind(2, NowUtc()).Run());
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

Status Store::LogIssue(int64_t run_id, std::string_view origin, bool is_error, std::string_view message) {
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                      statements_->Get("INSERT INTO ingest_issues(run_id, origin, severity, message) "
                                       "VALUES(?1, ?2, ?3, ?4)"));
  return Query(stmt).Bind(1, run_id).Bind(2, origin).Bind(3, is_error ? "error" : "warning").Bind(4, message).Run();
}

Status Store::FinishRun(int64_t run_id, const IngestRunTotals& t, std::string_view status) {
  ET_ASSIGN_OR_RETURN(sqlite3_stmt * stmt,
                      statements_->Get("UPDATE ingest_runs SET finished_at=?2, status=?3, records=?4, added=?5, "
                                       "new_versions=?6, duplicates=?7, skipped=?8, warnings=?9 WHERE run_id=?1"));
  Query q(stmt);
  q.Bind(1, run_id).Bind(2, NowUtc()).Bind(3, status).Bind(4, t.records).Bind(5, t.added);
  q.Bind(6, t.new_versions).Bind(7, t.duplicates).Bind(8, t.skipped).Bind(9, t.warnings);
  return q.Run();
}

}  // namespace echotrace

// SQLite helpers shared by the store stage's tables (Store, CaptureStore):
// error mapping, a cached-statement runner, zstd for raw bytes, the clock.
// Internal to store/: not part of its public contract.
// Thread-safety: a Query or StatementCache belongs to one connection, used by
// one thread at a time.
#pragma once

#include <sqlite3.h>
#include <zstd.h>

#include <chrono>
#include <ctime>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"

namespace echotrace {

// A failed SQLite call as a Status whose message says what to do: a full
// disk and a read-only folder are named as such, not as SQLite codes.
inline Status SqliteFailure(sqlite3* db, int rc, const std::string& detail) {
  switch (rc & 0xff) {
    case SQLITE_FULL: {
      const char* file = db != nullptr ? sqlite3_db_filename(db, "main") : nullptr;
      const std::string where = file != nullptr && *file != '\0' ? std::string(" writing ") + file : std::string();
      return Status::IOError("the disk is full (" + detail + where +
                             "): free some space and run the same command again; every committed batch is kept");
    }
    case SQLITE_READONLY:
      return Status::IOError("cannot write: the data directory or its database is read-only (" + detail +
                             "): make it writable, or choose another folder with --data");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::IOError("another process is writing to this data directory (" + detail + "); try again later");
    default: break;
  }
  return Status::IOError("SQLite: " + detail);
}

inline std::string NowUtc() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

inline std::string Compress(std::string_view raw) {
  std::string out(ZSTD_compressBound(raw.size()), '\0');
  const size_t n = ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), 3);
  out.resize(ZSTD_isError(n) ? 0 : n);
  return out;
}

inline Result<std::string> Decompress(const void* data, size_t size, size_t raw_size) {
  std::string out(raw_size, '\0');
  const size_t n = ZSTD_decompress(out.data(), out.size(), data, size);
  if (ZSTD_isError(n) || n != raw_size) return Status::Corrupt("stored raw bytes do not decompress");
  return out;
}

// Binds and steps one cached statement; resets it on destruction.
class Query {
 public:
  explicit Query(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Query() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& Bind(int i, std::string_view text) {
    // An empty view may have a null data(), which SQLite would bind as NULL.
    sqlite3_bind_text(stmt_, i, text.empty() ? "" : text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Query& Bind(int i, int64_t value) {
    sqlite3_bind_int64(stmt_, i, value);
    return *this;
  }
  Query& BindBlob(int i, std::string_view blob) {
    sqlite3_bind_blob(stmt_, i, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    return *this;
  }
  // Returns true while rows come; sets *status on error.
  bool Step(Status* status) {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) {
      sqlite3* db = sqlite3_db_handle(stmt_);
      *status = SqliteFailure(db, rc, sqlite3_errmsg(db));
    }
    return false;
  }
  Status Run() {
    Status status;
    while (Step(&status)) {
    }
    return status;
  }
  std::string Text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p == nullptr
               ? std::string()
               : std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
  }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string_view Blob(int col) const {
    const void* p = sqlite3_column_blob(stmt_, col);
    return std::string_view(static_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
  }

 private:
  sqlite3_stmt* stmt_;
};

// Prepared statements of one connection, prepared once and kept.
struct StatementCache {
  StatementCache() = default;
  StatementCache(const StatementCache&) = delete;  // owns statements
  StatementCache& operator=(const StatementCache&) = delete;
  sqlite3* db = nullptr;
  std::unordered_map<const char*, sqlite3_stmt*> cache;
  ~StatementCache() {
    for (auto& entry : cache) sqlite3_finalize(entry.second);
  }
  // `sql` must be a string literal: the cache is keyed by its address.
  Result<sqlite3_stmt*> Get(const char* sql) {
    auto it = cache.find(sql);
    if (it != cache.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      return Status::Internal(std::string("SQLite prepare: ") + sqlite3_errmsg(db));
    }
    cache.emplace(sql, stmt);
    return stmt;
  }
};

}  // namespace echotrace

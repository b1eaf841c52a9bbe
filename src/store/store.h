// Store: the durable record of every article version (SQLite).
//
// One SQLite database in WAL mode holds articles, their versions (metadata,
// and the clean text, spans and raw input bytes in one zstd frame: see
// version_content.h), aliases
// (external ids), and the ingest log. It is the source of truth: the search
// index is derived from it and can be rebuilt from it.
//
// Identity. A *version* is identified by a hash of its normalized content
// (source, date, title, body): ingesting the same content again is a
// duplicate and changes nothing. An *article* groups versions that share an
// identity key: the external id if the input gave one, else the URL, else
// source + folded title + date, else the content itself. A new version of
// an article never overwrites an older one.
//
// Atomicity. Writes happen between Begin() and Commit(); a process killed in
// between leaves the database as of the last Commit (SQLite's journal).
//
// Thread-safety: a Store is used by one thread at a time (it owns one SQLite
// connection and cached statements). Other processes may read concurrently;
// SQLite serializes writers.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"
#include "core/status.h"

struct sqlite3;

namespace echotrace {

class ContentDictionary;  // store/version_content.h

// The content hash that names a version (16 hex digits).
std::string VersionIdOf(const Document& doc);
// The key that decides which article a version belongs to (see above).
std::string IdentityKeyOf(const Document& doc, std::string_view version_id);

// The hash of a record's raw bytes (16 hex digits), as the store keeps it:
// a record whose raw hash is stored (Store::HasRaw) is a duplicate before it
// is extracted. Thread-safety: pure.
std::string RawHashOf(std::string_view raw);

// What Store::Add derives from a document alone: its hashes, identity key,
// the encoded spans and warnings, the compressed raw bytes. Computing it is
// most of an add's CPU; PrepareVersion does it on any thread, so that the one
// thread that writes the store only writes.
struct PreparedVersion {
  std::string version_id, raw_hash, identity;
  std::string warnings_json;
  std::string content;  // EncodeVersionContent(text, spans, raw)
};
// `dictionary`: the store's content_dictionary() (null: none yet).
// Thread-safety: a pure function of `doc`, safe on any thread. Cost: linear
// in the document (zstd level 3 over the text, the encoded spans and the raw
// bytes in one frame).
PreparedVersion PrepareVersion(const Document& doc, const ContentDictionary* dictionary = nullptr);

// When and how Store::CompressContent trains a content dictionary.
struct ContentCompaction {
  int64_t min_versions = 1000;                 // the first dictionary, once this many versions were stored
  int64_t retrain_growth = 8;                  // a new one once the store has grown this many times since
  int64_t samples = 2000;                      // versions sampled (spread over the docnos) to train on
  size_t max_sample_bytes = size_t{64} << 10;  // each sample cut to this many bytes
  int64_t chunk = 1000;                        // frames re-encoded per transaction
};
// What Store::CompressContent did.
struct ContentCompression {
  bool trained = false;          // a new dictionary
  bool training_failed = false;  // one was due, but zstd found too little to learn from
  int64_t reencoded = 0;         // frames re-encoded with the newest dictionary
};

enum class AddOutcome { kNewArticle, kNewVersion, kDuplicate };

struct AddResult {
  AddOutcome outcome = AddOutcome::kNewArticle;
  int64_t docno = 0;  // of the stored version (the existing one for a duplicate)
  std::string version_id;
  std::string article_id;
  int64_t replaced_latest = 0;  // docno of the version that stopped being latest, or 0
};

struct StoredVersion {
  int64_t docno = 0;  // row id; also the search index's document id
  std::string version_id;
  std::string article_id;
  int seq = 1;            // 1 for the first version of its article
  int version_count = 1;  // versions the article has
  bool latest = true;
  std::string ingested_at;  // UTC, ISO 8601
  Document doc;             // raw is filled only when asked for
};

struct StoreStats {
  int64_t articles = 0;
  int64_t versions = 0;
  int64_t headline_stubs = 0;  // latest versions with no body
  int64_t max_docno = 0;
  int64_t text_bytes = 0;                    // bytes of the stored texts (title and body), every version
  std::map<std::string, int64_t> by_source;  // latest versions; "" = unknown
  std::map<std::string, int64_t> by_month;   // "YYYY-MM"; "" = undated
};

// An annotation key (entity id, event key...) and how often it occurs.
struct KeyCount {
  std::string key;
  std::string label;  // e.g. "person"
  int64_t mentions = 0;
  int64_t documents = 0;                   // distinct latest versions
  std::vector<std::string> surface_forms;  // distinct texts it was written as
};

// One quote span, with the article it is in.
struct QuoteRow {
  int64_t docno = 0, begin = 0, end = 0;
  std::string text, label, speaker, channel;
  std::string version_id, source, date, title;
};

struct IngestRunTotals {
  int64_t records = 0, added = 0, new_versions = 0, duplicates = 0, skipped = 0, warnings = 0;
  int64_t teaser_stubs = 0;  // headline stubs cut from pages' teaser lists (not counted in `added`)
};

class Store {
 public:
  // Opens (creating if `create`) the database at `path`. A writable open of
  // a store written by an older echotrace migrates it first, in one
  // transaction (a process killed meanwhile leaves the old store, which the
  // next open migrates again); it takes about a second per 10k versions.
  // Errors: kCorrupt if the file exists but is not an echotrace store (or is
  // a newer schema), or, read-only, is an older schema than this one reads
  // (the message says to open it writable once); kCorrupt also when a stored
  // version cannot be migrated (nothing is changed then); kIOError if it
  // cannot be opened or created.
  static Result<std::unique_ptr<Store>> Open(const std::string& path, bool create, bool read_only);
  ~Store();
  Store(const Store&) = delete;  // owns a connection; share a unique_ptr instead
  Store& operator=(const Store&) = delete;

  Status Begin();
  Status Commit();
  void Rollback();

  // Stores `doc` as a new article, a new version, or recognizes a duplicate.
  // REQUIRES: between Begin() and Commit() (else kInternal, nothing written);
  // doc has been extracted.
  Result<AddResult> Add(const Document& doc);
  // The same with `prepared` = PrepareVersion(doc), made beforehand (on
  // another thread). REQUIRES: prepared was made from this doc as it is now.
  Result<AddResult> Add(const Document& doc, const PreparedVersion& prepared);
  // Whether a version with this raw hash (RawHashOf) is stored: such a record
  // would be a duplicate, and need not be extracted. One index lookup.
  Result<bool> HasRaw(std::string_view raw_hash) const;

  // Replaces the extraction of an existing version (reindex): text, spans,
  // title, metadata and mentions change, the version id and raw bytes do not.
  // REQUIRES: between Begin() and Commit() (else kInternal, nothing written).
  Status UpdateExtraction(int64_t docno, const Document& doc);

  // Loads one version. kNotFound if there is none with that docno; kCorrupt
  // (naming the version) when its stored content is damaged.
  Result<StoredVersion> Get(int64_t docno, bool with_raw) const;
  // Loads what a search hit shows: the version's metadata, warnings and
  // text, with its paragraph spans only (enough for Body() and
  // IsHeadlineStub()); the raw bytes are not decompressed. kNotFound as Get;
  // kCorrupt (naming the version) when its stored content is damaged.
  Result<StoredVersion> GetHit(int64_t docno) const;

  // Resolves an id as a user types it: a version id, an article id, an
  // external id, or a unique prefix (>= 6 hex digits) of a version id, each
  // optionally followed by "@N" for the article's Nth version (1 = oldest).
  // Returns the docnos of the matching article's versions, oldest first, and
  // sets *exact_docno to the docno of the version named (or the latest: an
  // article id is also its first version's id, and names the article; "ID@1"
  // names that first version). kNotFound if nothing matches or the article has
  // fewer than N versions; kUsage if a prefix is ambiguous or N is not a number.
  Result<std::vector<int64_t>> Resolve(std::string_view id, int64_t* exact_docno) const;

  // Docnos of every version of `article_id`, oldest first.
  Result<std::vector<int64_t>> VersionsOf(std::string_view article_id) const;
  // Docnos greater than `after`, ascending, at most `limit`.
  Result<std::vector<int64_t>> DocnosAfter(int64_t after, int64_t limit) const;

  // Annotation keys of one span kind ("entity", "event", "work", "date"),
  // optionally of one label ("person"; "" for any), most documents first.
  // Counts latest versions only. Cost: one grouped scan of the kind's rows.
  Result<std::vector<KeyCount>> TopKeys(std::string_view kind, std::string_view label, int64_t limit) const;
  // Quote spans of latest versions, newest article first; `speaker` ""
  // for every speaker, else a canonical id.
  Result<std::vector<QuoteRow>> Quotes(std::string_view speaker, int64_t limit, int64_t offset) const;
  // How one key was written: its distinct surface forms in latest versions
  // with their mention counts, most frequent first, at most `limit`.
  // Cost: the key's rows (index mentions_by_key).
  Result<std::vector<std::pair<std::string, int64_t>>> SurfaceForms(std::string_view kind, std::string_view key,
                                                                    int64_t limit) const;
  // Latest versions with a span of that kind and key, by publication date
  // (newest first when `newest`, else oldest first; undated last), at most `limit`.
  Result<std::vector<int64_t>> DocnosWithKey(std::string_view kind, std::string_view key, bool newest,
                                             int64_t limit) const;

  Result<StoreStats> Stats() const;
  // Bytes of database pages per table and index (SQLite's dbstat), largest
  // first; then the bytes of the versions' content frames (text, spans and
  // raw bytes, compressed), a part of the `versions` table's pages.
  // Cost: reads every page once (about a second per GiB).
  // Errors: kInternal when this SQLite lacks the dbstat table.
  Result<std::vector<std::pair<std::string, int64_t>>> SizeBreakdown() const;
  // The content dictionary new frames are written with (null when none yet).
  // Shared, immutable: pass it to PrepareVersion on any thread.
  std::shared_ptr<const ContentDictionary> content_dictionary() const;
  // Trains a zstd dictionary for the content frames (version_content.h) when
  // the store has none and holds options.min_versions versions, or has grown
  // options.retrain_growth times since the newest was trained; then
  // re-encodes with it the frames stored before it, options.chunk per
  // transaction. Cheap when nothing is due (a few one-row queries).
  // Older dictionaries are kept: every frame stays readable, by this and
  // other processes, at every moment. A process killed midway leaves the
  // store consistent; the next call finishes the re-encoding.
  // REQUIRES: a writable store, outside Begin/Commit (else kInternal).
  // Cost: ~0.5 s to train, then a decode and an encode per frame re-encoded
  // (about 1 s per 10k news items).
  Result<ContentCompression> CompressContent(const ContentCompaction& options = {});
  // The highest docno stored (0 when empty): one index lookup, unlike Stats().
  Result<int64_t> MaxDocno() const;

  // Ingest log.
  Result<int64_t> StartRun(std::string_view command);
  Status LogIssue(int64_t run_id, std::string_view origin, bool is_error, std::string_view message);
  Status FinishRun(int64_t run_id, const IngestRunTotals& totals, std::string_view status);

 private:
  friend class CaptureStore;  // shares the connection, so a poll commits its captures with its versions
  struct Statements;
  explicit Store(sqlite3* db);
  Status Exec(const char* sql);
  Status EnsureSchema(bool create, bool read_only);
  // Inside EnsureSchema's transaction: rewrites a schema-2 versions table
  // (text, spans as JSON, raw) as schema 3's (one content frame); sets
  // *migrated when it did. A no-op on a table already in the new shape.
  Status MigrateVersions(bool* migrated);
  // Writes the mentions rows of `docno` from doc's annotation spans,
  // replacing its rows when `replace` (a new docno has none).
  Status WriteMentions(int64_t docno, const Document& doc, bool replace);
  Result<bool> HasTable(std::string_view name) const;
  // Reads the content dictionaries this store's reader lacks (the newest
  // becomes content_dictionary()); none on a read-only schema-3 store.
  Status LoadContentDictionaries() const;
  // Decodes a content frame, loading its dictionary first when it is new.
  Status DecodeContent(std::string_view frame, std::string* text, std::vector<Span>* spans, std::string* raw,
                       bool paragraphs_only = false) const;

  sqlite3* db_;
  std::unique_ptr<Statements> statements_;  // prepared once, reused
  bool in_transaction_ = false;
};

}  // namespace echotrace

// Search index (Xapian): what is searchable, and how a query string becomes
// a ranked list of versions.
//
// Schema. Document id = the store's docno. Free text: title (weighted x3,
// also under the "title:" prefix) and body, stemmed (English, Porter2),
// with positions for phrase queries. Boolean filter terms: "XSRC<source>",
// "XLATEST" (the article's newest version), "XSTUB" (headline-only),
// "Q<version id>", "XMEDIA<state|foreign>", "XENT<entity id>" (query
// prefixes entity:, person:, org:, place:), "XEVT<event key>" (event:),
// "XSPK<speaker id>" (speaker:), "XTKEY<story key>" (StoryKey: outlet, day
// and folded title), "XFOLDED" (a headline stub whose story, a version with
// the same story key and a body, is indexed: searches leave it out and list
// it under its story). Value slots: 0 date as YYYYMMDD, 1 source,
// 2 month "YYYY-MM", 3 entity ids joined by '\n' (for the entity facet).
//
// Consistency. The store is the truth; the index records in its metadata
// ("indexed_upto") the highest docno whose indexing has been committed, and
// Commit() writes documents and that mark atomically. After a crash, docnos
// above the mark are indexed again (Put is idempotent: it replaces).
//
// Thread-safety: an Index is used by one thread at a time. Any number of
// processes may search while one writes (Xapian's MVCC); a second writer
// gets kIOError ("locked").
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace Xapian {
class Database;
class Document;
class WritableDatabase;
}  // namespace Xapian

namespace echotrace {

// Query cost limits: what one query string may ask of the index.
// A wildcard term ("harv*") expands to at most kMaxWildcardExpansion terms
// (the most frequent; Xapian's WILDCARD_LIMIT_MOST_FREQUENT), a query holds
// at most kMaxQueryWildcards wildcard terms, and a search spends at most
// kSearchTimeLimitSeconds counting matches beyond the page asked for (facets
// and the total then become estimates). Trade-off: a rare completion of a
// short prefix can be missed; "harv*" over a 100k-article corpus is exact.
inline constexpr int kMaxQueryWildcards = 16;
inline constexpr unsigned kMaxWildcardExpansion = 200;
inline constexpr double kSearchTimeLimitSeconds = 2.0;
inline constexpr size_t kMaxQueryStringBytes = 2048;
// An ingest compacts the index (Index::Compact) once this many documents were
// added since the last compaction: small runs are not worth a rewrite.
inline constexpr int64_t kCompactMinDocuments = 10000;

// Checks a query string before it is parsed: at most kMaxQueryStringBytes bytes,
// at most kMaxQueryWildcards wildcards, and NEAR/ADJ only between plain
// words (Xapian 1.4.22's parser leaks memory on shapes like "-x NEAR b.g").
// Errors: kUsage naming the limit and what to do instead.
Status CheckQueryCost(const std::string& query);

// The query with a hyphen between two letters outside "phrases" and
// prefix:values read as a space, so that the romanizations "Kim Jong-un",
// "Kim Jong-Un" and "Kim Jong Un" find the same articles (unquoted, Xapian
// would read "Jong-un" as a phrase and "Jong Un" as two words). In a phrase
// the words stay in order ("\"Kim Jong-un\"" finds the three adjacent
// words, whatever the spelling; MarkExactSpellings narrows a phrase with a
// capitalized hyphenated name to that spelling).
// Linear in the query; pure.
std::string FoldHyphenatedWords(std::string_view query);

// The query with each bare "phrase" that holds a capitalized hyphenated
// name ("\"Kim Jong-un\"") grouped with a filter on that exact spelling:
// ("\"Kim Jong-un\"" spelling:jong-un). The phrase alone finds every
// romanization ("Kim Jong Un" too, see FoldHyphenatedWords); the filter keeps
// the documents that write the name with that hyphen (case aside). The
// spelling is checked per document, not per position: a page with "Kim Jong
// Un" and, elsewhere, "Jong-un" also passes. A lowercase "\"kim jong-un\""
// is no exact spelling (the index keeps capitalized ones only). Phrases
// after a prefix ("title:\"...\"") are left alone. Linear in the query; pure.
std::string MarkExactSpellings(std::string_view query);

// What is wrong with a query string, in words, before Xapian sees it: an
// unterminated quote, an unbalanced parenthesis, an operator without words
// on one side ("AND OR", "tractor AND", "OR harvest"). `position` is the
// 1-based character (code point) where the problem is.
struct QueryProblem {
  size_t position = 0;
  std::string message;  // "unterminated quote: the phrase opened at character 9 is never closed"
};
// Returns nothing for a query that reads well. Cost: linear in the query.
std::optional<QueryProblem> FindQueryProblem(std::string_view query);

// The story key of a version: its outlet, its day and its folded title
// (FoldForKey), hashed. A headline stub and the full story it lists share it.
// Empty when the title or the date is empty (an undated stub is never folded).
std::string StoryKey(std::string_view title, std::string_view source, std::string_view date);

// How hits are ordered. kDefault: relevance for a query with words, newest
// first for an empty query (nothing to rank by).
enum class SearchSort { kDefault, kRelevance, kNewest };
// "relevance" / "date" (also "newest"); nullopt for anything else.
std::optional<SearchSort> SearchSortFromName(std::string_view name);
std::string_view SearchSortName(SearchSort sort);  // "relevance" or "date"

struct IndexedVersion {
  int64_t docno = 0;
  std::string version_id;
  std::string title;
  std::string body;  // the article body (paragraph spans), not boilerplate
  std::string source;
  std::string date;  // YYYY-MM-DD or empty
  bool latest = true;
  bool stub = false;
  std::string media;                  // MediaKindOfSource (lexicon/outlets.h): "state" or "foreign"
  std::vector<std::string> entities;  // canonical ids of entities mentioned in title or body
  std::vector<std::string> events;    // canonical keys of named events mentioned
  std::vector<std::string> speakers;  // canonical ids of people quoted
};

struct SearchRequest {
  std::string query;  // Xapian query syntax: words, "phrases", AND/OR/NOT, -word, title:word, source:kcna
  std::vector<std::string> sources;   // any of these (lowercase); empty: all
  std::string from_date;              // inclusive YYYY-MM-DD; empty: unbounded
  std::string to_date;                // inclusive YYYY-MM-DD; empty: unbounded
  std::vector<std::string> entities;  // every one of these entity ids (canonical, e.g. "kim-jong-un")
  std::vector<std::string> events;    // every one of these event keys
  std::vector<std::string> speakers;  // articles quoting every one of these speaker ids
  std::string media;                  // "state", "foreign", or "" for both
  bool all_versions = false;          // false: only each article's latest version
  // Leave out headline stubs whose story is indexed (XFOLDED): one story, one
  // hit. Default true; false lists every listing (the stub's own page).
  bool fold_stubs = true;
  SearchSort sort = SearchSort::kDefault;
  int offset = 0;
  int limit = 10;  // REQUIRES: 0 < limit <= 10000
  // Count hits by source, month and entity: over every match up to
  // kFacetMatches, then over the first kFacetMatches matches in index order
  // (SearchResponse::facets_approximate says so). Default true.
  bool with_facets = true;
  // With facets, also count entities (a slot of several ids per document,
  // the costliest facet). Default true; the API asks only when it shows them.
  bool with_entity_facet = true;
  // Also count matches by month over every match (not only kFacetMatches):
  // the date histogram. A second pass over the match set with one value
  // read per match, bounded by kSearchTimeLimitSeconds (then approximate).
  // Default false.
  bool with_histogram = false;
};

// Facets are counted over at most this many matches. Past it the match stops
// counting (Xapian's check_at_least) instead of visiting every matching
// document: a one-word query over the whole corpus would otherwise pay for
// tens of thousands of value reads. Trade-off: a broad query's facets come
// from its first matches in index order (the oldest ingested), marked
// approximate; narrow queries (most) are counted exactly.
inline constexpr int64_t kFacetMatches = 2000;

// Read from the index (a reader's first search, the CLI), the entity facet
// counts only the first this many of those matches: each
// document holds a dozen or more entity ids, which made the facet most of a
// search's time (bench/RESULTS.md, "Facet columns in memory"), and the top
// 20 entities of 500 matches are those of 2,000 but for close ranks. Counted
// over fewer documents than the matches, it is marked approximate
// (SearchResponse::entity_facet_documents).
inline constexpr int64_t kEntityFacetMatches = 500;

struct SearchHit {
  int64_t docno = 0;
  double score = 0;  // BM25 weight
  int percent = 0;
  std::string snippet;  // HTML-escaped, matches wrapped in <mark>…</mark>
};

struct SearchResponse {
  int64_t total_estimate = 0;  // exact when total_exact, else Xapian's estimate
  bool total_exact = false;    // the facet match counted every match (so total_estimate is the count)
  std::vector<SearchHit> hits;
  std::map<std::string, int64_t> by_source;                // facets over `facet_documents` matches
  std::map<std::string, int64_t> by_month;                 // "YYYY-MM"
  std::vector<std::pair<std::string, int64_t>> by_entity;  // top 20 entity ids, most first
  int64_t facet_documents = 0;                             // matches the facets counted
  int64_t entity_facet_documents = 0;  // matches the entity facet counted (at most kEntityFacetMatches)
  // true: the facets counted only some of the matches (kFacetMatches), or
  // the entity facet only a sample of those (kEntityFacetMatches).
  bool facets_approximate = false;
  SearchSort sort = SearchSort::kRelevance;  // the order the hits are in (kDefault resolved)
  // With with_histogram: matches per month "YYYY-MM" over every match ("" for
  // undated ones); approximate when the time limit cut the count short.
  std::map<std::string, int64_t> histogram;
  bool histogram_approximate = false;
};

// A version's index document built without the index: its terms (stemmed,
// with positions), filter terms and values, all but the "XLATEST" term,
// which Index::Put adds when asked. Building it is most of indexing's CPU;
// PrepareIndexDocument does it on any thread, so that the thread that owns
// the writable index only writes. Movable, not copyable.
// Thread-safety: one thread at a time (hand it over under a lock).
class PreparedIndexDocument {
 public:
  PreparedIndexDocument();
  ~PreparedIndexDocument();
  PreparedIndexDocument(PreparedIndexDocument&&) noexcept;
  PreparedIndexDocument& operator=(PreparedIndexDocument&&) noexcept;
  PreparedIndexDocument(const PreparedIndexDocument&) = delete;  // owns its document: move it
  PreparedIndexDocument& operator=(const PreparedIndexDocument&) = delete;
  bool empty() const { return doc_ == nullptr; }

 private:
  friend class Index;
  friend Result<PreparedIndexDocument> PrepareIndexDocument(const IndexedVersion& version);
  std::unique_ptr<Xapian::Document> doc_;
  std::string story_;  // StoryKey of the version: Put folds stubs by it
  bool stub_ = false;
};

// Builds `version`'s document; its `docno` and `latest` are ignored (Put
// takes them). Thread-safety: pure, safe on any thread. Errors: kInternal
// if Xapian throws (it does not on valid UTF-8 or any other bytes).
Result<PreparedIndexDocument> PrepareIndexDocument(const IndexedVersion& version);

// Supplies the body text of a hit (to build its snippet).
using BodyLookup = std::function<std::string(int64_t docno)>;

class FacetColumnCache;  // facet_columns.h

class Index {
 public:
  // Opens or creates the index folder. kIOError if another process is
  // writing (locked) or the folder cannot be created; kCorrupt if it is not
  // a Xapian database.
  static Result<std::unique_ptr<Index>> OpenWritable(const std::string& dir);
  // kNotFound if there is no index yet.
  static Result<std::unique_ptr<Index>> OpenReadOnly(const std::string& dir);
  ~Index();
  Index(const Index&) = delete;  // owns a database handle
  Index& operator=(const Index&) = delete;

  // Adds or replaces a version. REQUIRES: opened writable.
  Status Put(const IndexedVersion& version);
  // The same for a document prepared beforehand, as `docno`, with the
  // "XLATEST" term when `latest`. REQUIRES: opened writable, !doc.empty().
  // The document is consumed (left empty).
  Status Put(PreparedIndexDocument&& doc, int64_t docno, bool latest);
  // Opens a batch: what is Put until Commit() stays invisible and off disk
  // (Xapian's transaction: its automatic flushes do not commit), and
  // Cancel() drops it. Without Begin(), Commit() commits what was Put all
  // the same, but Xapian may have committed part of it before (every 10,000
  // documents). REQUIRES: opened writable, no batch open.
  Status Begin();
  // Drops what was Put since Begin() (nothing is written); a no-op without a batch.
  void Cancel();
  // Makes everything Put so far visible, together with the mark.
  Status Commit(int64_t indexed_upto);
  // Rewrites the index compactly and puts the result in its place: Xapian's
  // compact (FULLER level, document ids kept, so they stay the store's
  // docnos) into a sibling folder, which is then swapped with this one in one
  // step (renameat2 RENAME_EXCHANGE: a reader opening the folder meanwhile
  // finds the old index or the new, whole); the writer reopens on it and the
  // old folder is removed. Worth it after a large ingest: pages written as
  // documents arrive are left partly empty (about half the size after).
  // REQUIRES: opened writable, everything committed. Errors: kIOError (disk
  // full, rename refused); the index is then left as it was.
  Status Compact();
  // Whether enough was added since the last Compact() (or since the start)
  // for compacting to pay: kCompactMinDocuments, and at least half as many
  // documents as the index had then. Errors: reading the index.
  Result<bool> ShouldCompact() const;
  // Bytes of the files in the index folder.
  int64_t SizeOnDisk() const;
  // The highest docno committed (0 for a new index). An unreadable or damaged
  // mark is an error, never 0: 0 would make the next open re-index everything.
  Result<int64_t> IndexedUpTo() const;
  Result<int64_t> DocCount() const;
  // The latest committed revision of the index, after catching up with any
  // commit made since this reader opened (Xapian's reopen()): it changes
  // exactly when a writer commits (or compacts: a reader then reopens on the
  // new folder). REQUIRES: opened read-only (a writer knows
  // its own commits). Not thread-safe: one thread at a time per Index.
  Result<int64_t> LatestRevision();

  // Runs a query. kUsage for a query that does not parse (the message says
  // why and where: FindQueryProblem, else Xapian's reason). A read-only index
  // counts facets from columns in memory (facet_columns.h) from its second
  // facet search on: a one-shot search reads the few values it needs from
  // the index, a long-lived reader decodes the facet slots once per revision.
  Result<SearchResponse> Search(const SearchRequest& request, const BodyLookup& bodies) const;

  // Shares the facet columns with other readers of the same index (the
  // server's pool): one build per revision for all of them. By default each
  // read-only Index has its own.
  void ShareFacetColumns(std::shared_ptr<FacetColumnCache> cache) { facet_columns_ = std::move(cache); }

  // The latest headline stubs folded into the story `title`/`source`/`date`
  // (same StoryKey), by docno; empty when none. Errors: reading the index.
  Result<std::vector<int64_t>> StubsOfStory(std::string_view title, std::string_view source,
                                            std::string_view date) const;

 private:
  Index();
  std::string dir_;
  uint64_t dir_inode_ = 0;                            // of dir_ when opened: Compact() swaps in a new folder
  std::unique_ptr<Xapian::Database> reader_;          // set when read-only
  std::unique_ptr<Xapian::WritableDatabase> writer_;  // set when writable
  bool in_batch_ = false;                             // between Begin() and Commit()/Cancel()
  std::shared_ptr<FacetColumnCache> facet_columns_;   // read-only: never null
  mutable std::atomic<int64_t> facet_searches_{0};
  const Xapian::Database& db() const;
};

}  // namespace echotrace

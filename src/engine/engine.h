// Engine: one data directory, the pipeline run end to end.
//
//   raw files --ingest/--> RawRecord --extract/--> Document --annotate/--> spans
//             --store/--> SQLite (truth) --search/--> Xapian (derived)
//
// A data directory holds `echotrace.sqlite` (the store) and `index/` (the
// Xapian index). Ingest writes in batches: each batch is committed to the
// store first, then indexed and committed to the index with a high-water
// mark. A process killed at any moment leaves both consistent with some
// batch boundary; the next writable Open indexes whatever the store has
// beyond the mark, so a re-run completes the work and nothing is counted
// twice (re-ingested records are recognized as duplicates).
//
// Example (compiled in tests/engine_test.cc):
//   ET_ASSIGN_OR_RETURN(auto engine, Engine::Open(dir, Engine::Mode::kWrite));
//   ET_ASSIGN_OR_RETURN(IngestReport report, engine->Ingest({"data/sample"}, {}, nullptr));
//   SearchRequest request;
//   request.query = "\"nothing is impossible\"";
//   request.entities = {"kim-jong-un"};  // annotation gave every mention of him this id
//   ET_ASSIGN_OR_RETURN(SearchResponse hits, engine->Search(request));
//
// Thread-safety: an Engine is used by one thread at a time. Many processes
// may read a data directory while one process writes it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/budget.h"
#include "core/status.h"
#include "engine/collect.h"
#include "engine/data_dir.h"
#include "engine/link_snapshots.h"
#include "ingest/reader.h"
#include "link/events.h"
#include "link/link_store.h"
#include "link/linker.h"
#include "link/reuse.h"
#include "link/trace.h"
#include "search/index.h"
#include "store/store.h"

namespace echotrace {

// Per-document budgets of the ingest stages (core/budget.h). A record over
// its extraction or annotation budget is skipped: reported as an error
// (exit 1, in --json and in the ingest log) and not stored; the records
// around it are stored as usual. A foreign article over its linking budget
// is stored, indexed and deduplicated, but its quotes are not traced (an
// error too). Real articles take milliseconds per stage; the defaults leave
// room for a sanitizer build on a loaded machine.
struct IngestBudgets {
  // Raw bytes and seconds of one record's extraction. Default 16 MiB (pages
  // with inline images reach a few MiB; the reader refuses more than
  // ReadLimits first), 30 s.
  StageBudget extract{size_t{16} << 20, 30};
  // Text bytes and seconds of one document's annotation. Default 4 MiB (the
  // longest real article is under 100 KiB), 30 s.
  StageBudget annotate{size_t{4} << 20, 30};
  // Text bytes and seconds of one foreign article's quote tracing. Default
  // 1 MiB, 30 s: tracing costs a search per passage and paragraph.
  StageBudget link{size_t{1} << 20, 30};
  // TEST only: the clock every deadline reads (empty: the steady clock).
  BudgetClock TEST_clock;
  // TEST_clock when set, else nullptr (the steady clock): what Deadline takes.
  const BudgetClock* clock() const { return TEST_clock ? &TEST_clock : nullptr; }
};

// Versions per committed batch of ingest, recovery and reindex. Measured
// (bench/RESULTS.md, "Batch size"): Xapian inverts a batch in in-memory
// maps that get slower as they grow, so 1,000 took a quarter less CPU and
// 40% less peak memory than 5,000 on the corpus, while each commit's fixed
// cost (SQLite's and Xapian's syncs) stays small; a crash also loses less.
inline constexpr size_t kIngestBatchVersions = 1000;

struct IngestOptions {
  ReadLimits limits;
  IngestBudgets budgets;
  // A batch is committed after this many new versions... Default
  // kIngestBatchVersions.
  size_t batch_versions = kIngestBatchVersions;
  // ...or this many raw bytes. Default 64 MiB, to bound memory.
  size_t batch_bytes = size_t{64} << 20;
  // Run annotation (dates, entities, events, works, quotes) on each record.
  // Default true. false stores extraction only — faster, and `reindex`
  // adds annotation later; used to measure what annotation costs.
  bool annotate = true;
  // Link each batch (near-duplicates, quote tracing) as it is committed.
  // Default true. false leaves linking to `echotrace link` (LinkLag counts
  // what waits); used to measure what linking costs.
  bool link = true;
  // Threads that extract, annotate and prepare records while the calling
  // thread writes them in input order (store, index) and links each batch.
  // Default 0: one per core (std::thread::hardware_concurrency). 1: no
  // worker threads, everything on the calling thread. Any value gives the
  // same store and index (same docnos, ids, content); more workers only
  // finish sooner, and hold up to 1,024 records (8 MiB of input) in flight.
  int workers = 0;
  std::string command_line;  // recorded in the ingest log
  // TEST only: after this many store commits, kill the process with SIGKILL
  // before indexing the batch (the worst moment). 0: never.
  int test_crash_after_store_commits = 0;
};

// What an ingest is doing: reading input, extracting and annotating it
// (on the workers, while the reader goes on), storing it, indexing and
// linking a committed batch; done at the end. With workers, reading,
// extracting and storing overlap: the stage is the calling thread's.
enum class IngestStage { kReading, kExtracting, kStoring, kIndexing, kLinking, kDone };
// "reading", "extracting", "storing", "indexing", "linking", "done".
std::string_view IngestStageName(IngestStage stage);

struct IngestProgress {
  int64_t records = 0;  // read so far
  uint64_t bytes_done = 0;
  int64_t bytes_total = -1;  // -1 when unknown (stdin)
  double seconds = 0;
  IngestStage stage = IngestStage::kReading;
  std::string file;  // the input file being read ("" when none)
};
using ProgressCallback = std::function<void(const IngestProgress&)>;

struct IngestReport {
  IngestRunTotals totals;          // records seen, added, new versions, duplicates, skipped
  std::vector<InputIssue> issues;  // every error and warning, in input order
  int64_t files = 0;
  int64_t files_failed = 0;  // files skipped whole (empty, binary, unreadable)
  uint64_t bytes = 0;
  double seconds = 0;
  int64_t recovered = 0;     // versions indexed on open after an interrupted run
  int64_t link_skipped = 0;  // stored articles whose quotes were not traced (over the linking budget)
  bool HasErrors() const { return files_failed > 0 || totals.skipped > 0 || link_skipped > 0; }
};

struct ArticleView {
  StoredVersion version;                // the version asked for (latest by default), with raw bytes
  std::vector<StoredVersion> versions;  // all versions of the article, oldest first, without raw
};

// One article of a batch provenance report (Engine::TraceFiles).
struct TracedArticle {
  std::string origin;               // "path" or "path:line"
  Document doc;                     // extracted and annotated as ingest would; not stored
  size_t passages = 0;              // quoted passages traced (link/doc_trace.h FindQuotedPassages)
  std::vector<QuoteMatch> matches;  // quote offsets: bytes of doc.text
};
// Receives each traced article in input order; a non-OK Status stops the run.
using TracedSink = std::function<Status(TracedArticle&&)>;

struct ReindexReport {
  int64_t versions = 0;
  int64_t changed = 0;       // versions whose extraction came out different
  int64_t failed = 0;        // raw bytes that no longer extract (kept as they were)
  int64_t teaser_stubs = 0;  // teaser stubs cut from re-extracted pages that were not stored yet
};

class Fetcher;

class Engine {
 public:
  enum class Mode { kRead, kWrite };
  ~Engine();                       // out of line: Linker is incomplete here
  Engine(const Engine&) = delete;  // owns the store and index; share a unique_ptr instead
  Engine& operator=(const Engine&) = delete;
  // Opens `data_dir`. kWrite creates it if missing and refuses (kCorrupt) a
  // non-empty folder that is not an echotrace data directory; it also
  // indexes versions a killed run left unindexed. kRead returns kNotFound
  // when there is no data yet.
  // `links` (optional) is shared by engines that should load the linking
  // state once between them (the server's readers); null: this engine keeps
  // its own, loaded on first use.
  static Result<std::unique_ptr<Engine>> Open(const std::string& data_dir, Mode mode,
                                              std::shared_ptr<LinkSnapshots> links = nullptr);

  // Reads, extracts, stores and indexes `paths` (files, folders, "-").
  // Per-record and per-file problems are reported in IngestReport::issues
  // and do not stop the run; kNotFound when no path is readable, and store
  // or index failures (disk full) end the run with an error after the last
  // complete batch. REQUIRES: Mode::kWrite.
  Result<IngestReport> Ingest(const std::vector<std::string>& paths, const IngestOptions& options,
                              const ProgressCallback& progress);

  // kUsage for a malformed query or filter. `versions` (optional) receives
  // each hit's version as HitVersion loads it, in hit order: read once, for
  // the snippet and for the results page.
  Result<SearchResponse> Search(const SearchRequest& request, std::vector<StoredVersion>* versions = nullptr) const;
  // The other listings of a story: the latest headline stubs folded into it
  // (same outlet, day and title; search/index.h StoryKey), by docno, which
  // searches leave out. Empty for a stub or a story listed once.
  Result<std::vector<int64_t>> ListingsOf(const StoredVersion& story) const;

  // Resolves any id form (see Store::Resolve). kNotFound / kUsage as there.
  Result<ArticleView> Show(std::string_view id) const;

  // One stored version by its docno (as in SearchHit), without raw bytes.
  Result<StoredVersion> Version(int64_t docno) const;
  // What a search hit shows of a version (Store::GetHit: metadata, text and
  // paragraph spans; no annotations, warnings or raw bytes).
  Result<StoredVersion> HitVersion(int64_t docno) const;

  Result<StoreStats> Stats() const;
  // Where the data directory's bytes are: "total" (every file under the
  // directory), "store file", "store wal", "index", "ngrams" (the on-disk
  // n-gram index), then Store::SizeBreakdown's parts ("table NAME", the
  // versions' content). Cost: reads the whole store.
  Result<std::vector<std::pair<std::string, int64_t>>> SizeBreakdown() const;
  // Annotation aggregates (see Store::TopKeys and Store::Quotes).
  Result<std::vector<KeyCount>> TopKeys(std::string_view kind, std::string_view label, int64_t limit) const;
  Result<std::vector<QuoteRow>> Quotes(std::string_view speaker, int64_t limit, int64_t offset) const;
  // One key's spellings and the latest versions that carry it (Store::SurfaceForms, Store::DocnosWithKey).
  Result<std::vector<std::pair<std::string, int64_t>>> SurfaceForms(std::string_view kind, std::string_view key,
                                                                    int64_t limit) const;
  Result<std::vector<int64_t>> DocnosWithKey(std::string_view kind, std::string_view key, bool newest,
                                             int64_t limit) const;
  // Versions in the store that the index does not have yet (0 normally).
  int64_t IndexLag() const;

  // The stored quote links of a version (its quotes traced to state-media
  // originals at ingest; see link/linker.h), in quote order; empty if none.
  Result<std::vector<StoredQuoteLink>> LinksOf(int64_t docno) const;
  // The reverse ("echoed by"): the stored links of foreign articles whose
  // quotes were traced to this version, oldest citing article first.
  Result<std::vector<StoredQuoteLink>> EchoesOf(int64_t docno) const;
  // A feed: the stored links of the most recently ingested foreign articles
  // first (see LinkStore::NewestQuoteLinks); *total counts every link.
  Result<std::vector<StoredQuoteLink>> NewestLinks(int64_t limit, int64_t offset, int64_t* total) const;

  // --- Linking queries (link/): what the CLI and the server ask of the link
  // tables, read from a snapshot at the current link mark (LinkSnapshots).

  // Traces `text` (a quote, a passage, or a whole pasted article) to the
  // state-media passages it reuses. Errors: reading the store or link tables.
  Result<std::vector<QuoteMatch>> Trace(std::string_view text, const TraceRequest& request) const;
  // Articles grouped by the event they report, in time order. The list is
  // shared (not copied) and stays valid as long as the pointer is held.
  Result<std::shared_ptr<const std::vector<EventGroup>>> Events() const;
  // Every confirmed near-duplicate pair (republications, teaser stubs); shared likewise.
  Result<std::shared_ptr<const std::vector<DupPairRow>>> DupPairs() const;
  // Passages of at least `min_words` words shared between stored articles.
  Result<std::vector<ReuseCluster>> Reuse(size_t min_words) const;
  // Versions stored but not linked yet (0 normally; a killed ingest leaves some).
  Result<int64_t> LinkLag() const;
  // Links what is not linked yet (ingest does this itself). REQUIRES: Mode::kWrite.
  Result<LinkReport> Link();

  // A pasted article traced like an ingested one: `text` (paragraphs on
  // their own lines) becomes the Document that ingesting the JSON record
  // {"url": url, "date": date, "body": text} would store, is annotated, and
  // its quotes (and long verbatim paragraphs) are traced with their context
  // (link/doc_trace.h). `date`: "YYYY-MM-DD", "YYYY-MM", "April 2012" or
  // empty (then no window: short quotes link only when anchored). On
  // success *doc (if given) holds that Document; quote offsets of the
  // matches are bytes of its text. Errors: kUsage for an empty text or an
  // unrecognized date; the store's (kIOError).
  Result<std::vector<QuoteMatch>> TraceText(std::string_view text, std::string_view date, std::string_view url,
                                            Document* doc = nullptr) const;
  // The quotes of an extracted and annotated Document traced with its
  // context, as ingest links a foreign article (link/doc_trace.h);
  // `exclude_docno`: the document itself when stored, else 0. Quote offsets
  // are bytes of doc.text. Errors: reading the store or link tables.
  Result<std::vector<QuoteMatch>> TraceDocument(const Document& doc, int64_t exclude_docno) const;

  // A batch provenance report: reads `paths` (files, folders; any format
  // ingest reads) as Ingest does, and traces every article like TraceText,
  // with its own date as the window, storing nothing. Records that do not
  // extract, and files that cannot be read, go to *issues and the run goes
  // on. Returns the number of articles traced. Errors: kNotFound when no
  // path is readable; the sink's; reading the store or link tables.
  Result<int64_t> TraceFiles(const std::vector<std::string>& paths, const ReadLimits& limits, const TracedSink& sink,
                             std::vector<InputIssue>* issues) const;

  // Runs extraction and annotation again over every stored raw record,
  // re-indexes, and links everything again (links point into the texts).
  // REQUIRES: Mode::kWrite.
  Result<ReindexReport> Reindex(const ProgressCallback& progress);

  // --- Collection (engine/collect.h) ----------------------------------------

  // Polls every source of `config` once. Network failures are per-URL
  // errors in the report and do not stop the poll; store or index failures
  // end it with an error after the last commit. After the poll, watchlists
  // are matched against what it added. REQUIRES: Mode::kWrite.
  Result<CollectReport> Collect(const CollectConfig& config, const CollectOptions& options,
                                const CollectProgress& progress);
  // The timeline of new, edited, gone and restored articles, oldest first;
  // edits carry their word diff. Empty before any collection.
  Result<std::vector<LedgerView>> Ledger(const LedgerQuery& query) const;
  // A capture (a fetch's response as received). kNotFound for an unknown id.
  Result<CaptureRow> Capture(int64_t id, bool with_body) const;
  // Capture ids after `after`, ascending, at most `limit`.
  Result<std::vector<int64_t>> CaptureIds(int64_t after, int64_t limit) const;
  // The capture a 304 capture `id` of `url` confirmed: the latest earlier
  // capture of that URL that answered 200 (headers only). nullopt when none.
  Result<std::optional<CaptureRow>> ConfirmedCapture(std::string_view url, int64_t id) const;
  // Webhook deliveries, oldest first (all, or only those still owed).
  Result<std::vector<WebhookDelivery>> WebhookDeliveries(bool pending_only) const;

  // --- Watchlists (engine/collect.h) ----------------------------------------

  // Saves (or replaces) a watchlist; matches from now on are recorded
  // (existing articles are matched at once, so `watch show` is never empty
  // for a query that has hits). kUsage for a bad name or an empty spec, or a
  // query Search rejects. REQUIRES: Mode::kWrite.
  Result<int64_t> AddWatch(const WatchSpec& spec);
  // kNotFound when there is no watchlist of that name. REQUIRES: Mode::kWrite.
  Status RemoveWatch(std::string_view name);
  Result<std::vector<WatchSpec>> Watches() const;
  // kNotFound when there is no watchlist of that name.
  Result<WatchView> ShowWatch(std::string_view name, int64_t limit) const;
  // Matches every watchlist against versions added since it last looked;
  // returns the new matches (Collect and Ingest call this). With `webhook`
  // given and new matches found, a delivery of them to that URL is recorded
  // in the same transaction (Collect sends it). REQUIRES: Mode::kWrite.
  Result<std::vector<WatchMatch>> UpdateWatches(const std::string& webhook = "");

  const std::string& data_dir() const { return data_dir_; }
  DataDir layout() const { return DataDir{data_dir_}; }

 private:
  Engine() = default;
  class IngestRun;  // one Ingest call, phase by phase (engine.cc)
  // Links what the last batches added (dedup, quote tracing) within `budget`
  // per foreign article; see link/linker.h.
  Result<LinkReport> LinkNew(const StageBudget& budget = IngestBudgets().link, const BudgetClock* clock = nullptr);
  Result<std::shared_ptr<const LinkSnapshots::Snapshot>> LinkSnapshot() const;
  // The matching docnos of `request` without reading any article (no
  // snippets): watchlists need only which articles match.
  Result<SearchResponse> MatchOnly(const SearchRequest& request) const;
  // This engine's read-only connection to the link tables, opened on first
  // use and kept (a store without the tables yet is reopened next time).
  Result<const LinkStore*> LinkReader() const;
  Result<int64_t> CatchUpIndex();
  class CollectRun;                        // one source's poll (collect.cc)
  Result<CaptureStore*> Captures() const;  // opened on first use
  // Sends the pending webhook deliveries (oldest first, with retries) and
  // marks each delivered in its own transaction once answered 2xx.
  Status DeliverWebhooks(const CollectConfig& config, const CollectOptions& options, Fetcher* fetcher,
                         CollectReport* report);
  Status IndexDocnos(const std::vector<int64_t>& docnos);

  std::string data_dir_;
  Mode mode_ = Mode::kRead;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Index> index_;  // absent in kRead mode before anything was indexed
  int64_t recovered_ = 0;
  std::unique_ptr<Linker> linker_;                  // opened by the first LinkNew
  std::shared_ptr<LinkSnapshots> link_snapshots_;   // never null after Open; may be shared
  mutable std::unique_ptr<LinkStore> link_reader_;  // see LinkReader()
  mutable std::unique_ptr<CaptureStore> captures_;  // opened by the first Captures()
};

}  // namespace echotrace

// Linker: linking over a data directory, kept up to date incrementally.
//
// Owns a LinkStore (the link tables) and the n-gram index (ngram_index.h),
// kept on disk beside the store file (IndexDir) and brought up to the link
// mark on Open: missing documents are added from the stored texts (their
// n-gram sets made again, as CatchUp makes them; the sets are stored in the
// index only); a missing, damaged or foreign index is rebuilt that way
// (writable opens; read-only opens index into memory instead), with a notice
// on stderr.
// A writable linker flushes the index after each committed chunk, so its
// memory is bounded by a chunk whatever the corpus size. CatchUp links every
// stored version beyond the link mark: indexes it, confirms its duplicate
// pairs with earlier documents, and traces the quotes of foreign (not state
// media) articles to their state-media origins, storing the links. Earlier
// documents are never re-processed, so an ingest costs time in proportion to
// what it added.
//
// Thread-safety: one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "link/dedup.h"
#include "link/doc_trace.h"
#include "link/events.h"
#include "link/link_store.h"
#include "link/ngram_index.h"
#include "link/trace.h"
#include "store/store.h"

namespace echotrace {

// A foreign article whose quotes were not traced: over the linking budget.
// Its n-grams and duplicate pairs are stored as any other's.
struct LinkSkip {
  int64_t docno = 0;
  std::string origin;   // the record's origin ("file.jsonl:12")
  std::string message;  // OverSizeBudget / OverTimeBudget (core/budget.h)
};

struct LinkReport {
  int64_t documents = 0;        // versions linked by this call
  int64_t dup_pairs = 0;        // near-duplicate pairs confirmed
  int64_t quotes = 0;           // quotes traced in foreign articles
  int64_t quote_links = 0;      // of which found an origin
  std::vector<LinkSkip> skips;  // articles over the budget, in docno order
};

// Events over everything linked so far: the stored documents' event and
// entity keys, quote links and duplicate pairs, with their n-gram sets from
// `index` (the linker's, covering the same link mark), grouped by
// GroupEvents (events.h). Cost: one pass over the link tables, then
// O(D log D + pairs).
Result<std::vector<EventGroup>> StoredEvents(const LinkStore& links, const NgramIndex& index,
                                             const EventOptions& options = {});

class Linker {
 public:
  // Opens the link tables of the store file at `store_path` and loads the
  // in-memory state. kNotFound (read_only) when there is no store file.
  static Result<std::unique_ptr<Linker>> Open(const std::string& store_path, bool read_only);
  // Where the n-gram index of the store at `store_path` lives: "ngrams"
  // beside the store file.
  static std::string IndexDir(const std::string& store_path);
  // The n-gram set linking indexes for a document (NgramSet of its tokens).
  static std::vector<uint32_t> NgramsOfDocument(const Document& doc);
  // Forgets every link and the n-gram index, so the next catch-up links
  // everything again (after reindex changed the texts links point into).
  // Errors: opening or writing the link tables or the index directory.
  static Status ForgetLinks(const std::string& store_path);

  // Links every version of `store` with a docno above the mark (writable only).
  // Each foreign article's quote tracing gets `budget` (text bytes, seconds
  // read from `clock`, nullptr: the steady clock); an article over it keeps
  // no quote links and is listed in LinkReport::skips, and the mark moves
  // past it as past any other (`echotrace link` does not retry it).
  Result<LinkReport> CatchUp(const Store& store, const StageBudget& budget = {}, const BudgetClock* clock = nullptr);

  // Traces a text against the indexed corpus; `store` loads candidates.
  Result<std::vector<QuoteMatch>> Trace(const Store& store, std::string_view text, const TraceRequest& request,
                                        const TraceOptions& options = {}) const;

  // Traces the quotes of a whole document with its context (doc_trace.h),
  // as CatchUp does for a foreign article; `exclude_docno` is the document
  // itself when stored, else 0. Quote offsets are bytes of doc.text.
  Result<std::vector<QuoteMatch>> TraceDocument(const Store& store, const Document& doc, int64_t exclude_docno,
                                                const DocumentTraceOptions& options = {}) const;

  const NgramIndex& index() const { return *index_; }
  LinkStore& links() { return *links_; }
  const LinkStore& links() const { return *links_; }

 private:
  Linker() = default;
  Status Load(const std::string& dir);

  std::unique_ptr<LinkStore> links_;
  std::unique_ptr<NgramIndex> index_;
  std::unique_ptr<Deduper> deduper_;  // writable only
  std::string dir_;                   // IndexDir of the store
  std::string store_path_;            // the store file (Load re-reads texts from it)
  bool read_only_ = true;
};

}  // namespace echotrace

// LinkStore: the linking tables (quote links, duplicate pairs, per-document
// n-gram sets) in the data directory's SQLite file, next to the Store's own
// tables but through a connection and a schema of its own.
//
// Tables (created if missing when opened writable):
//   link_docs(docno, day, state, event_keys, entity_keys, stub): what
//     events need of each linked document without re-reading it (its
//     n-gram set lives in the n-gram index only: ngram_index.h; a writable
//     open drops the ngrams column older stores had);
//   link_dup_pairs(a, b, similarity): confirmed near-duplicate pairs;
//   link_quotes(citing, ...): each quote of a foreign article traced to its
//     state-media origin, with the word diff as JSON, why it was linked
//     (QuoteMatch::why) and a confidence;
//   link_state(key, value): the high-water mark of linked docnos.
// A read-only LinkStore over a file without the tables reads as empty.
//
// Thread-safety: one thread at a time (one connection, cached statements).
// Other processes may read concurrently; SQLite serializes writers.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "link/trace.h"

struct sqlite3;

namespace echotrace {

struct LinkDocRow {
  int64_t docno = 0;
  int32_t day = IndexedDoc::kUnknownDay;
  bool state_media = false;
  std::vector<uint32_t> ngrams;          // NgramSet of the document: not stored (ForEachDoc leaves it empty)
  std::vector<std::string> event_keys;   // keys of its kEvent spans
  std::vector<std::string> entity_keys;  // keys of its kEntity spans (distinct)
  bool headline_stub = false;            // a title with no body (Document::IsHeadlineStub)
};

struct StoredQuoteLink {
  int64_t citing = 0;  // the quoting (foreign) document
  QuoteMatch match;    // quote_begin/end are bytes of the citing document's text
};

struct DupPairRow {
  int64_t a = 0, b = 0;
  double similarity = 0;
};

class LinkStore {
 public:
  // Opens the SQLite file at `path` (the Store's file). Writable opens create
  // the link tables. Errors: kIOError when the file cannot be opened;
  // kNotFound for a read-only open of a missing file.
  static Result<std::unique_ptr<LinkStore>> Open(const std::string& path, bool read_only);
  ~LinkStore();
  LinkStore(const LinkStore&) = delete;  // owns a connection; share a unique_ptr instead
  LinkStore& operator=(const LinkStore&) = delete;

  Status Begin();
  Status Commit();
  void Rollback();

  // Highest docno linked so far (0 when none).
  Result<int64_t> Mark() const;
  Status SetMark(int64_t docno);
  // Forgets every link and sets the mark to 0, so the next catch-up links
  // everything again (after reindex changed the texts links point into).
  // REQUIRES: opened writable, no transaction open.
  Status Clear();

  Status PutDoc(const LinkDocRow& row);
  // Calls `fn` for every row with a docno above `after_docno`, in docno order.
  Status ForEachDoc(const std::function<void(LinkDocRow&&)>& fn, int64_t after_docno = 0) const;

  Status PutDupPair(const DupPairRow& pair);
  Result<std::vector<DupPairRow>> DupPairs() const;

  // Replaces the stored links of `citing`.
  Status PutQuoteLinks(int64_t citing, const std::vector<QuoteMatch>& matches);
  // Links of one citing document, in quote order; empty when none.
  Result<std::vector<StoredQuoteLink>> QuoteLinksOf(int64_t citing) const;
  // The reverse: every stored link whose origin is `origin` (the foreign
  // articles that quote it), oldest citing document first.
  Result<std::vector<StoredQuoteLink>> QuoteLinksTo(int64_t origin) const;
  Result<std::vector<StoredQuoteLink>> AllQuoteLinks() const;
  // A feed of traced quotes: the links of the most recently linked citing
  // documents first (highest docno: ingest order), in quote order within
  // one; `offset` links skipped, at most `limit` returned. *total (if given)
  // counts every stored link.
  Result<std::vector<StoredQuoteLink>> NewestQuoteLinks(int64_t limit, int64_t offset, int64_t* total) const;

  // False for a store made before linking existed (read-only opens then
  // answer empty lists); a writable open creates the tables.
  bool has_tables() const { return has_tables_; }

 private:
  explicit LinkStore(sqlite3* db, bool has_tables) : db_(db), has_tables_(has_tables) {}
  Status Exec(const char* sql) const;
  // Every stored link selected by `where` ("WHERE citing=? ORDER BY ..."),
  // with `key` bound to its one parameter (none when 0).
  Result<std::vector<StoredQuoteLink>> QueryLinks(std::string_view where, int64_t key) const;

  sqlite3* db_;
  bool has_tables_;
  bool has_stub_ = false;  // link_docs has the stub column (read-only opens of older stores lack it)
  bool has_why_ = false;   // link_quotes has the why/confidence columns (stores made before them lack them)
};

}  // namespace echotrace

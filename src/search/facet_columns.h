// Facet columns: the facet slots of every document of one index revision,
// decoded once into memory, for readers that search many times.
//
// A facet search reads the outlet, month and entity values of up to
// kFacetMatches matches. From the index that is a value-stream walk per slot
// and query (B-tree blocks read and decoded each time): most of a search's
// time on a warm reader (bench/RESULTS.md, "Facet columns in memory").
// A long-lived reader (the server's pool, a benchmark) instead decodes each
// slot once, for the whole index, into a column the spies index by docid.
//
// Memory: 4 bytes per document and column plus 4 per entity id (some 15 a
// document on the corpus: about 70 bytes per document, 1.6 MiB at 22k
// documents), and each distinct value once. Cost of a build: one pass over
// each slot's value stream (10-15 ms at 22k documents, once per revision).
// Readers of one revision share one build (FacetColumnCache).
// Thread-safety: FacetColumns is immutable once built; FacetColumnCache's
// methods may be called from any thread.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/thread_annotations.h"

namespace echotrace {

// One slot of every document: the values of docid d (ids joined by '\n' in
// the slot, or one value) are names[ids[k]] for k in [offsets[d],
// offsets[d + 1]).
struct FacetColumn {
  std::vector<uint32_t> offsets;  // one per docid 0 .. last docid, plus one
  std::vector<uint32_t> ids;
  std::vector<std::string> names;

  // Whether docid `d` was in the index when the column was read.
  bool Covers(Xapian::docid d) const { return static_cast<size_t>(d) + 1 < offsets.size(); }
  // REQUIRES: Covers(d).
  std::span<const uint32_t> IdsOf(Xapian::docid d) const {
    return {ids.data() + offsets[d], ids.data() + offsets[d + 1]};
  }
};

// Calls `fn(id)` for each non-empty id of a facet slot's value (ids joined
// by '\n'; a one-value slot is one id). The one reading of that format.
template <typename Fn>
void ForEachFacetId(std::string_view value, Fn&& fn) {
  for (size_t start = 0; start < value.size();) {
    size_t stop = value.find('\n', start);
    if (stop == std::string_view::npos) stop = value.size();
    if (stop > start) fn(value.substr(start, stop - start));
    start = stop + 1;
  }
}

// Decodes `slot` of every document of `database`. Throws Xapian::Error.
FacetColumn ReadFacetColumn(const Xapian::Database& database, Xapian::valueno slot);

// The columns of the three facet slots, for one revision of one index.
struct FacetColumns {
  std::string key;  // the database's UUID and revision they were read at
  FacetColumn source, month, entity;
};

// Holds the columns of the latest revision asked for, shared by the readers
// of that revision (the server's pooled readers all see the same one).
class FacetColumnCache {
 public:
  // The columns of `database` as it is now, read on first use for its
  // revision (under a lock: concurrent readers of one revision wait for one
  // build). A reader of another revision replaces them. Throws Xapian::Error.
  std::shared_ptr<const FacetColumns> Get(const Xapian::Database& database, Xapian::valueno source_slot,
                                          Xapian::valueno month_slot, Xapian::valueno entity_slot) ET_EXCLUDES(mutex_);

 private:
  Mutex mutex_;
  std::shared_ptr<const FacetColumns> columns_ ET_GUARDED_BY(mutex_);
};

}  // namespace echotrace

// Match spies that count facets and trends (Xapian::MatchSpy subclasses).
//
// Each spy can be cloned, serialised and unserialised, and its results
// serialised and merged, as Xapian's remote backend requires: a shard server
// that registers them (Xapian::Registry::register_match_spy) counts its own
// matches and the client merges the counts. MultiValueCountSpy counts a slot
// of one value (source, month) or of several ids (entities); MonthOutletSpy
// makes the two-level (month, outlet) count of trends.
//
// Cost: given the local database they were built for, the spies stream their
// slots (SlotReader) instead of asking each document for its values, which is
// what makes facets over 2,000 matches cost about a millisecond instead of tens
// (bench/RESULTS.md, "Facets from value streams"). Rebuilt by unserialise on a
// shard server they have no database and read each document's values.
//
// Wire format (serialise and serialise_results): unsigned integers as
// little-endian base-128 varints, strings as a varint length then the bytes.
// unserialise and merge_results throw Xapian::NetworkError on malformed input.
//
// Thread-safety: a spy is used by one match at a time (Xapian's rule).
#pragma once

#include <xapian.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "search/facet_columns.h"
#include "search/trends.h"  // MonthOutletCounts

namespace echotrace {

// Reads one value slot of the documents a match spy is shown. Xapian's matcher
// shows them in ascending docid order, so with a database the reader moves one
// ValueIterator forward over the slot's value chunks; Document::get_value
// instead finds the chunk holding the document and decodes it from its start,
// once per document and slot. A document shown out of order restarts the
// stream (correct, only slower). Without a database it reads doc.get_value.
// The database handle is copied (Xapian handles are reference-counted); the
// reader is used by one thread at a time, like the database.
class SlotReader {
 public:
  SlotReader(Xapian::valueno slot, const Xapian::Database* database);
  // The document's value in the slot ("" when it has none).
  std::string Read(const Xapian::Document& doc);
  Xapian::valueno slot() const { return slot_; }
  const Xapian::Database* database() const { return database_ ? &*database_ : nullptr; }

 private:
  Xapian::valueno slot_;
  std::optional<Xapian::Database> database_;
  Xapian::ValueIterator stream_;
  bool started_ = false;
  Xapian::docid last_ = 0;
};

// Counts each id of a multi-valued slot (ids joined by '\n') over the
// documents it is shown.
class MultiValueCountSpy : public Xapian::MatchSpy {
 public:
  // Looked up by string_view (no copy per id): a match spy runs on every
  // counted document, with a dozen or more ids each.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Counts = std::unordered_map<std::string, int64_t, Hash, std::equal_to<>>;

  // `database`: the local database the match runs on (streams the slot), or
  // null (reads each document's value). `max_documents` > 0: count only the
  // first that many documents shown (the rest are passed over unread), a
  // sample for costly slots; 0 counts every document. `column` (optional,
  // not owned, must outlive the spy): the slot decoded in memory
  // (facet_columns.h), read instead of the index for the documents it covers.
  explicit MultiValueCountSpy(Xapian::valueno slot, const Xapian::Database* database = nullptr,
                              int64_t max_documents = 0, const FacetColumn* column = nullptr)
      : slot_(slot, database), max_documents_(max_documents), column_(column) {}
  void operator()(const Xapian::Document& doc, double weight) override;
  Xapian::MatchSpy* clone() const override {
    return new MultiValueCountSpy(slot_.slot(), slot_.database(), max_documents_, column_);
  }
  std::string name() const override { return "echotrace.MultiValueCountSpy"; }
  std::string serialise() const override;
  Xapian::MatchSpy* unserialise(const std::string& serialised, const Xapian::Registry& context) const override;
  std::string serialise_results() const override;
  void merge_results(const std::string& serialised) override;
  std::string get_description() const override { return "MultiValueCountSpy(" + std::to_string(slot_.slot()) + ")"; }

  // The `n` most frequent ids, most first (ties by id).
  std::vector<std::pair<std::string, int64_t>> Top(size_t n) const;
  // Documents counted by this spy (and by spies merged into it).
  int64_t documents() const { return documents_; }
  // Every value counted, with its count (unordered).
  const Counts& counts() const {
    FoldColumnCounts();
    return counts_;
  }

 private:
  // Moves the counts made by column ids into counts_ (by name).
  void FoldColumnCounts() const;

  SlotReader slot_;
  int64_t max_documents_ = 0;
  const FacetColumn* column_ = nullptr;
  int64_t documents_ = 0;
  // Counted by column id (indexed by id, sized on first use) until read;
  // mutable: folding the ids touched into names is lazy.
  mutable std::vector<int64_t> column_counts_;
  mutable std::vector<uint32_t> column_touched_;
  mutable Counts counts_;
};

// Counts documents by (month, outlet) into MonthOutletCounts (trends.h: "?"
// for an unknown outlet, "" for the month's total) from a date slot
// (YYYYMMDD) and a source slot, between two months inclusive ("" = unbounded). Undated
// documents are not counted.
class MonthOutletSpy : public Xapian::MatchSpy {
 public:
  // `database` as for MultiValueCountSpy.
  MonthOutletSpy(Xapian::valueno date_slot, Xapian::valueno source_slot, std::string from_month, std::string to_month,
                 const Xapian::Database* database = nullptr)
      : date_slot_(date_slot, database),
        source_slot_(source_slot, database),
        from_month_(std::move(from_month)),
        to_month_(std::move(to_month)) {}
  void operator()(const Xapian::Document& doc, double weight) override;
  Xapian::MatchSpy* clone() const override {
    return new MonthOutletSpy(date_slot_.slot(), source_slot_.slot(), from_month_, to_month_, date_slot_.database());
  }
  std::string name() const override { return "echotrace.MonthOutletSpy"; }
  std::string serialise() const override;
  Xapian::MatchSpy* unserialise(const std::string& serialised, const Xapian::Registry& context) const override;
  std::string serialise_results() const override;
  void merge_results(const std::string& serialised) override;
  std::string get_description() const override { return "MonthOutletSpy"; }

  const MonthOutletCounts& counts() const { return counts_; }

 private:
  SlotReader date_slot_, source_slot_;
  std::string from_month_, to_month_;
  MonthOutletCounts counts_;
};

}  // namespace echotrace

// Match spies that count facets and trends (Xapian::MatchSpy subclasses).
//
// Each spy can be cloned, serialised and unserialised, and its results
// serialised and merged, as Xapian's remote backend requires: a shard server
// that registers them (Xapian::Registry::register_match_spy) counts its own
// matches and the client merges the counts. Single-valued slots (source,
// month) use Xapian's stock ValueCountMatchSpy; these two cover what it cannot:
// a slot holding several ids, and a two-level (month, outlet) count.
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
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "search/trends.h"  // MonthOutletCounts

namespace echotrace {

// Counts each id of a multi-valued slot (ids joined by '\n') over the
// documents it is shown.
class MultiValueCountSpy : public Xapian::MatchSpy {
 public:
  explicit MultiValueCountSpy(Xapian::valueno slot) : slot_(slot) {}
  void operator()(const Xapian::Document& doc, double weight) override;
  Xapian::MatchSpy* clone() const override { return new MultiValueCountSpy(slot_); }
  std::string name() const override { return "echotrace.MultiValueCountSpy"; }
  std::string serialise() const override;
  Xapian::MatchSpy* unserialise(const std::string& serialised, const Xapian::Registry& context) const override;
  std::string serialise_results() const override;
  void merge_results(const std::string& serialised) override;
  std::string get_description() const override { return "MultiValueCountSpy(" + std::to_string(slot_) + ")"; }

  // The `n` most frequent ids, most first (ties by id).
  std::vector<std::pair<std::string, int64_t>> Top(size_t n) const;
  // Documents shown to this spy (and to spies merged into it).
  int64_t documents() const { return documents_; }

 private:
  // Looked up by string_view (no copy per id): a match spy runs on every
  // counted document, with a dozen or more ids each.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  Xapian::valueno slot_;
  int64_t documents_ = 0;
  std::unordered_map<std::string, int64_t, Hash, std::equal_to<>> counts_;
};

// Counts documents by (month, outlet) into MonthOutletCounts (trends.h: "?"
// for an unknown outlet, "" for the month's total) from a date slot
// (YYYYMMDD) and a source slot, between two months inclusive ("" = unbounded). Undated
// documents are not counted.
class MonthOutletSpy : public Xapian::MatchSpy {
 public:
  MonthOutletSpy(Xapian::valueno date_slot, Xapian::valueno source_slot, std::string from_month, std::string to_month)
      : date_slot_(date_slot),
        source_slot_(source_slot),
        from_month_(std::move(from_month)),
        to_month_(std::move(to_month)) {}
  void operator()(const Xapian::Document& doc, double weight) override;
  Xapian::MatchSpy* clone() const override {
    return new MonthOutletSpy(date_slot_, source_slot_, from_month_, to_month_);
  }
  std::string name() const override { return "echotrace.MonthOutletSpy"; }
  std::string serialise() const override;
  Xapian::MatchSpy* unserialise(const std::string& serialised, const Xapian::Registry& context) const override;
  std::string serialise_results() const override;
  void merge_results(const std::string& serialised) override;
  std::string get_description() const override { return "MonthOutletSpy"; }

  const MonthOutletCounts& counts() const { return counts_; }

 private:
  Xapian::valueno date_slot_, source_slot_;
  std::string from_month_, to_month_;
  MonthOutletCounts counts_;
};

}  // namespace echotrace

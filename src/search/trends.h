// Trends: how often terms appear, month by month and outlet by outlet, counted
// straight from the search index (no store access).
//
// For each term (any query the search box accepts: a word, a "phrase",
// title:word, a OR b), CountTrends counts the articles (latest versions) that
// match, bucketed by (month, outlet) from the index's value slots (slot 0:
// date YYYYMMDD, slot 1: source; see search/index.h). It also counts every
// article per (month, outlet), the denominator for per-1,000-articles rates.
// Undated articles are left out of both (they have no month).
//
// Example (compiled in tests/server_test.cc):
//   TrendsRequest request;
//   request.terms = {"harvest", "\"nothing is impossible\""};
//   ET_ASSIGN_OR_RETURN(TrendsResponse trends, CountTrends(data_dir + "/index", request));
//   double rate = PerThousand(trends.matches[0]["2024-03"][""], trends.articles["2024-03"][""]);
//
// Cost: one match per term plus one for the denominator, each visiting every
// matching document once (linear in the matches; memory bounded by months x
// outlets). Terms are parsed by Xapian's QueryParser (no backtracking).
// Thread-safety: free functions; each call opens its own read-only handle on
// the index, so calls may run concurrently with each other and with a writer.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace echotrace {

struct TrendsRequest {
  // Queries to count; REQUIRES: 1 to kMaxTrendTerms, each non-empty, at most kMaxTrendTermBytes.
  std::vector<std::string> terms;
  std::vector<std::string> sources;  // only these outlets (lowercase ids); empty: all
  std::string from_month;            // inclusive "YYYY-MM"; empty: unbounded
  std::string to_month;              // inclusive "YYYY-MM"; empty: unbounded
};

inline constexpr size_t kMaxTrendTerms = 8;
inline constexpr size_t kMaxTrendTermBytes = 200;

// month ("YYYY-MM") -> outlet id -> article count (counted by
// MonthOutletSpy, search/facet_spies.h, which a shard server can run). The outlet "" also holds
// the total over all outlets of that month (unknown outlets appear as "?").
using MonthOutletCounts = std::map<std::string, std::map<std::string, int64_t>>;

struct TrendsResponse {
  std::vector<std::string> months;         // every month from the first to the last with articles, in order
  MonthOutletCounts articles;              // all latest articles (the denominator)
  std::vector<MonthOutletCounts> matches;  // one per request term, same order
};

// Counts `request.terms` in the index at `index_dir`.
// Errors: kUsage (naming the term) for a term that does not parse, an empty
// or oversized term, too many terms, or a month not in YYYY-MM form;
// kNotFound when there is no index yet; kCorrupt/kInternal from Xapian.
Result<TrendsResponse> CountTrends(const std::string& index_dir, const TrendsRequest& request);

// Every outlet id the index has a document for, sorted ("" for documents
// without an outlet), from its boolean source terms: linear in the number of
// outlets. Errors: kNotFound when there is no index yet; kCorrupt/kInternal.
Result<std::vector<std::string>> IndexedSources(const std::string& index_dir);

// count per 1,000 articles; 0 when there are no articles.
double PerThousand(int64_t count, int64_t articles);

}  // namespace echotrace

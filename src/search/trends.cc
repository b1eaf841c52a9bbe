#include "search/trends.h"

#include <xapian.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <utility>

#include "search/facet_spies.h"
#include "search/index.h"

namespace echotrace {
namespace {

// Value slots and boolean terms written by search/index.cc (documented in index.h).
constexpr Xapian::valueno kDateSlot = 0;
constexpr Xapian::valueno kSourceSlot = 1;
constexpr const char* kSourcePrefix = "XSRC";
constexpr const char* kLatestTerm = "XLATEST";

bool IsMonth(const std::string& s) {
  if (s.size() != 7 || s[4] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return s.substr(5, 2) >= "01" && s.substr(5, 2) <= "12";
}

std::string NextMonth(const std::string& month) {
  int year = std::stoi(month.substr(0, 4));
  int m = std::stoi(month.substr(5, 2)) + 1;
  if (m > 12) {
    m = 1;
    ++year;
  }
  std::string out = std::to_string(year);
  while (out.size() < 4) out.insert(out.begin(), '0');
  return out + (m < 10 ? "-0" : "-") + std::to_string(m);
}

Status FromXapian(const Xapian::Error& e, const std::string& context) {
  const std::string type = e.get_type();
  if (type == "DatabaseOpeningError" || type == "DatabaseCorruptError" || type == "DatabaseVersionError") {
    return Status::Corrupt(context + ": " + type + ": " + e.get_msg());
  }
  return Status::Internal(context + ": " + type + ": " + e.get_msg());
}

Result<std::unique_ptr<Xapian::Database>> OpenIndex(const std::string& index_dir) {
  std::error_code ec;
  if (!std::filesystem::exists(index_dir, ec)) {
    return Status::NotFound(index_dir + ": no search index yet (ingest something first)");
  }
  try {
    return std::make_unique<Xapian::Database>(index_dir);
  } catch (const Xapian::Error& e) {
    return FromXapian(e, index_dir);
  }
}

// Counts the latest versions matching `query` (restricted to `sources`).
void Count(const Xapian::Database& db, Xapian::Query query, const TrendsRequest& request, MonthOutletCounts* out) {
  query = Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(kLatestTerm));
  if (!request.sources.empty()) {
    std::vector<Xapian::Query> sources;
    for (const std::string& source : request.sources) sources.emplace_back(kSourcePrefix + source);
    query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                          Xapian::Query(Xapian::Query::OP_OR, sources.begin(), sources.end()));
  }
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_weighting_scheme(Xapian::BoolWeight());  // counting only: no ranking work
  MonthOutletSpy spy(kDateSlot, kSourceSlot, request.from_month, request.to_month, &db);
  enquire.add_matchspy(&spy);
  (void)enquire.get_mset(0, 0, db.get_doccount());  // trends are exact: every match is counted
  *out = spy.counts();
}

}  // namespace

double PerThousand(int64_t count, int64_t articles) {
  return articles > 0 ? 1000.0 * static_cast<double>(count) / static_cast<double>(articles) : 0.0;
}

Result<TrendsResponse> CountTrends(const std::string& index_dir, const TrendsRequest& request) {
  if (request.terms.empty()) return Status::Usage("terms: give at least one term");
  if (request.terms.size() > kMaxTrendTerms) {
    return Status::Usage("terms: at most " + std::to_string(kMaxTrendTerms) + " terms at once");
  }
  for (const std::string& term : request.terms) {
    if (term.find_first_not_of(" \t\r\n") == std::string::npos) return Status::Usage("terms: a term is empty");
    if (term.size() > kMaxTrendTermBytes) {
      return Status::Usage("terms: a term is longer than " + std::to_string(kMaxTrendTermBytes) + " bytes");
    }
  }
  if (!request.from_month.empty() && !IsMonth(request.from_month)) return Status::Usage("from: must be YYYY-MM");
  if (!request.to_month.empty() && !IsMonth(request.to_month)) return Status::Usage("to: must be YYYY-MM");

  ET_ASSIGN_OR_RETURN(std::unique_ptr<Xapian::Database> db, OpenIndex(index_dir));
  TrendsResponse response;
  try {
    // The same parser set-up as Index::Search, so a term counts what a search finds.
    Xapian::QueryParser parser;
    parser.set_stemmer(Xapian::Stem("english"));
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser.set_database(*db);
    parser.set_default_op(Xapian::Query::OP_AND);
    parser.set_max_expansion(kMaxWildcardExpansion, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    parser.add_prefix("title", "S");
    parser.add_boolean_prefix("source", kSourcePrefix);
    const unsigned flags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                           Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD;
    std::vector<Xapian::Query> queries;
    for (const std::string& term : request.terms) {
      if (Status cost = CheckQueryCost(term); !cost.ok()) return Status::Usage("terms: " + cost.message());
      try {
        queries.push_back(parser.parse_query(term, flags));
      } catch (const Xapian::QueryParserError& e) {
        return Status::Usage("terms: cannot parse '" + term + "': " + e.get_msg());
      }
    }
    Count(*db, Xapian::Query::MatchAll, request, &response.articles);
    for (const Xapian::Query& query : queries) {
      MonthOutletCounts counts;
      if (!query.empty()) Count(*db, query, request, &counts);
      response.matches.push_back(std::move(counts));
    }
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "trends");
  }
  // Every month in between (a chart needs the gaps), unless odd dates make
  // that span absurd: then only the months that have articles.
  constexpr size_t kMaxContinuousMonths = 1200;
  for (std::string month = response.articles.empty() ? "" : response.articles.begin()->first;
       !month.empty() && month <= response.articles.rbegin()->first; month = NextMonth(month)) {
    if (response.months.size() >= kMaxContinuousMonths) {
      response.months.clear();
      for (const auto& [with_articles, unused] : response.articles) response.months.push_back(with_articles);
      break;
    }
    response.months.push_back(month);
  }
  return response;
}

Result<std::vector<std::string>> IndexedSources(const std::string& index_dir) {
  ET_ASSIGN_OR_RETURN(std::unique_ptr<Xapian::Database> db, OpenIndex(index_dir));
  std::vector<std::string> sources;
  try {
    const std::string prefix = kSourcePrefix;
    for (auto it = db->allterms_begin(prefix); it != db->allterms_end(prefix); ++it) {
      sources.push_back((*it).substr(prefix.size()));
    }
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "listing sources");
  }
  return sources;
}

}  // namespace echotrace

#include "search/index.h"

#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <string_view>

namespace echotrace {
namespace {

constexpr Xapian::valueno kDateSlot = 0;
constexpr Xapian::valueno kSourceSlot = 1;
constexpr Xapian::valueno kMonthSlot = 2;
constexpr Xapian::valueno kEntitySlot = 3;
constexpr size_t kEntityFacetSize = 20;
constexpr const char* kIndexedUpTo = "indexed_upto";

// "2022-03-29" -> "20220329"; empty if `iso` is not in that form.
std::string CompactDate(const std::string& iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return {};
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (iso[i] < '0' || iso[i] > '9') return {};
  }
  return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
}

// Counts each entity id of a multi-valued slot ('\n'-joined) over the
// matches; Xapian's ValueCountMatchSpy counts a slot as one value.
class EntityCountSpy : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double) override {
    const std::string ids = doc.get_value(kEntitySlot);
    size_t start = 0;
    while (start < ids.size()) {
      size_t stop = ids.find('\n', start);
      if (stop == std::string::npos) stop = ids.size();
      if (stop > start) ++counts_[ids.substr(start, stop - start)];
      start = stop + 1;
    }
  }
  std::vector<std::pair<std::string, int64_t>> Top(size_t n) const {
    std::vector<std::pair<std::string, int64_t>> top(counts_.begin(), counts_.end());
    std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    if (top.size() > n) top.resize(n);
    return top;
  }

 private:
  std::map<std::string, int64_t> counts_;
};

Status FromXapian(const Xapian::Error& e, const std::string& context) {
  const std::string message = context + ": " + e.get_type() + ": " + e.get_msg();
  // Xapian::Error is not polymorphic: compare the type name.
  const std::string type = e.get_type();
  if (type == "DatabaseModifiedError") return Status::Retry(message);
  const std::string why = e.get_error_string() != nullptr ? e.get_error_string() : "";
  if (why.find("No space left") != std::string::npos || message.find("No space left") != std::string::npos) {
    return Status::IOError(context +
                           ": the disk is full (No space left on device): free some space and run the same command "
                           "again; every committed batch is kept and the next run indexes the rest");
  }
  if (why.find("Permission denied") != std::string::npos || why.find("Read-only") != std::string::npos) {
    return Status::IOError(context + ": cannot write (" + why +
                           "): make the data directory writable, or choose another folder with --data");
  }
  if (type == "DatabaseLockError") {
    return Status::IOError(context + ": another process is writing to this data directory (index locked)");
  }
  if (type == "DatabaseOpeningError" || type == "DatabaseCorruptError" || type == "DatabaseVersionError") {
    return Status::Corrupt(message);
  }
  return Status::Internal(message);
}

}  // namespace

Index::Index() = default;
Index::~Index() = default;

const Xapian::Database& Index::db() const {
  return writer_ ? static_cast<const Xapian::Database&>(*writer_) : *reader_;
}

Result<std::unique_ptr<Index>> Index::OpenWritable(const std::string& dir) {
  std::unique_ptr<Index> index(new Index());
  try {
    index->writer_ = std::make_unique<Xapian::WritableDatabase>(dir, Xapian::DB_CREATE_OR_OPEN);
  } catch (const Xapian::Error& e) {
    return FromXapian(e, dir);
  }
  return index;
}

Result<std::unique_ptr<Index>> Index::OpenReadOnly(const std::string& dir) {
  if (!std::filesystem::exists(dir)) return Status::NotFound(dir + ": no search index yet (ingest something first)");
  std::unique_ptr<Index> index(new Index());
  try {
    index->reader_ = std::make_unique<Xapian::Database>(dir);
  } catch (const Xapian::Error& e) {
    return FromXapian(e, dir);
  }
  return index;
}

Status Index::Put(const IndexedVersion& v) {
  if (!writer_) return Status::Internal("index opened read-only");
  try {
    Xapian::TermGenerator generator;
    generator.set_stemmer(Xapian::Stem("english"));
    generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    Xapian::Document doc;
    generator.set_document(doc);
    generator.index_text(v.title, 1, "S");
    generator.index_text(v.title, 3);
    generator.increase_termpos();
    generator.index_text(v.body);
    doc.add_boolean_term("Q" + v.version_id);
    doc.add_boolean_term("XSRC" + v.source);
    if (v.latest) doc.add_boolean_term("XLATEST");
    if (v.stub) doc.add_boolean_term("XSTUB");
    if (!v.media.empty()) doc.add_boolean_term("XMEDIA" + v.media);
    std::string entity_slot;
    for (const std::string& id : v.entities) {
      doc.add_boolean_term("XENT" + id);
      if (!entity_slot.empty()) entity_slot += '\n';
      entity_slot += id;
    }
    for (const std::string& key : v.events) doc.add_boolean_term("XEVT" + key);
    for (const std::string& id : v.speakers) doc.add_boolean_term("XSPK" + id);
    if (!entity_slot.empty()) doc.add_value(kEntitySlot, entity_slot);
    const std::string date = CompactDate(v.date);
    doc.add_value(kDateSlot, date);
    doc.add_value(kSourceSlot, v.source);
    doc.add_value(kMonthSlot, v.date.size() >= 7 ? v.date.substr(0, 7) : std::string());
    doc.set_data(v.version_id);
    writer_->replace_document(static_cast<Xapian::docid>(v.docno), doc);
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "indexing " + v.version_id);
  }
  return Status::Ok();
}

Status Index::Commit(int64_t indexed_upto) {
  if (!writer_) return Status::Internal("index opened read-only");
  try {
    writer_->set_metadata(kIndexedUpTo, std::to_string(indexed_upto));
    writer_->commit();
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "committing the index");
  }
  return Status::Ok();
}

Result<int64_t> Index::IndexedUpTo() const {
  std::string mark;
  try {
    mark = db().get_metadata(kIndexedUpTo);
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "reading the index mark");
  }
  if (mark.empty()) return int64_t{0};
  int64_t value = 0;
  for (char c : mark) {
    if (c < '0' || c > '9' || value > (INT64_MAX - 9) / 10) {
      return Status::Corrupt("the index mark '" + mark + "' is not a number");
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

Result<int64_t> Index::LatestRevision() {
  if (!reader_) return Status::Internal("LatestRevision needs a read-only index");
  try {
    reader_->reopen();
    return static_cast<int64_t>(reader_->get_revision());
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "reading the index revision");
  }
}

Result<int64_t> Index::DocCount() const {
  try {
    return static_cast<int64_t>(db().get_doccount());
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "counting indexed documents");
  }
}

Status CheckQueryCost(const std::string& query) {
  if (query.size() > kMaxQueryStringBytes) {
    return Status::Usage("query: longer than " + std::to_string(kMaxQueryStringBytes) + " bytes");
  }
  const auto wildcards = std::count(query.begin(), query.end(), '*');
  if (wildcards > kMaxQueryWildcards) {
    return Status::Usage("query: " + std::to_string(wildcards) + " wildcards; at most " +
                         std::to_string(kMaxQueryWildcards) + " per query (use fewer, longer prefixes)");
  }
  // NEAR or ADJ anywhere as a word (Xapian's lexer also takes "NEAR(" and
  // "NEAR/3"): then the query may hold only words, spaces and "/n".
  const auto alnum = [](unsigned char c) { return std::isalnum(c) != 0 || c >= 0x80; };
  // The operator's boundaries are judged by ASCII letters and digits only: a
  // stray byte after "NEAR" (invalid UTF-8 included) still ends the operator
  // for Xapian's lexer (the fuzzer found "-x NEAR\x87...").
  const auto ascii_alnum = [](unsigned char c) { return c < 0x80 && std::isalnum(c) != 0; };
  bool proximity = false;
  for (const char* op : {"NEAR", "ADJ"}) {
    const std::string_view o = op;
    for (size_t at = query.find(o); at != std::string::npos; at = query.find(o, at + 1)) {
      const bool starts = at == 0 || !ascii_alnum(static_cast<unsigned char>(query[at - 1]));
      const bool ends = at + o.size() == query.size() || !ascii_alnum(static_cast<unsigned char>(query[at + o.size()]));
      if (starts && ends) proximity = true;
    }
  }
  if (proximity) {
    for (const char c : query) {
      const auto u = static_cast<unsigned char>(c);
      if (!alnum(u) && c != ' ' && c != '\t' && c != '/') {
        return Status::Usage(std::string("query: NEAR and ADJ take plain words only ('") + c +
                             "' is not allowed with them); use a \"phrase\" instead");
      }
    }
  }
  return Status::Ok();
}

Result<SearchResponse> Index::Search(const SearchRequest& request, const BodyLookup& bodies) const {
  if (request.limit <= 0 || request.limit > 10000) return Status::Usage("limit must be between 1 and 10000");
  if (request.offset < 0) return Status::Usage("offset must not be negative");
  SearchResponse response;
  try {
    const Xapian::Database& database = db();
    Xapian::QueryParser parser;
    const Xapian::Stem stemmer("english");
    parser.set_stemmer(stemmer);
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser.set_database(database);
    parser.set_default_op(Xapian::Query::OP_AND);
    parser.set_max_expansion(kMaxWildcardExpansion, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    parser.add_prefix("title", "S");
    parser.add_boolean_prefix("source", "XSRC");
    // One id space for entities: person:kim-jong-un and entity:kim-jong-un agree.
    for (const char* field : {"entity", "person", "org", "place"}) parser.add_boolean_prefix(field, "XENT");
    parser.add_boolean_prefix("event", "XEVT");
    parser.add_boolean_prefix("speaker", "XSPK");
    parser.add_boolean_prefix("media", "XMEDIA");
    Xapian::DateRangeProcessor dates(kDateSlot, "date:");
    parser.add_rangeprocessor(&dates);
    Xapian::Query query;
    const unsigned flags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                           Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
                           Xapian::QueryParser::FLAG_PURE_NOT;
    if (request.query.find_first_not_of(" \t\n") == std::string::npos) {
      query = Xapian::Query::MatchAll;
    } else {
      ET_RETURN_IF_ERROR(CheckQueryCost(request.query));
      try {
        query = parser.parse_query(request.query, flags);
      } catch (const Xapian::QueryParserError& e) {
        return Status::Usage("cannot parse query '" + request.query + "': " + e.get_msg());
      }
      if (query.empty()) query = Xapian::Query::MatchNothing;  // only stopwords or punctuation
    }
    std::vector<Xapian::Query> filters;
    if (!request.all_versions) filters.emplace_back("XLATEST");
    if (!request.sources.empty()) {
      std::vector<Xapian::Query> sources;
      for (const std::string& source : request.sources) sources.emplace_back("XSRC" + source);
      filters.emplace_back(Xapian::Query::OP_OR, sources.begin(), sources.end());
    }
    for (const std::string& id : request.entities) filters.emplace_back("XENT" + id);
    for (const std::string& key : request.events) filters.emplace_back("XEVT" + key);
    if (!request.media.empty()) {
      if (request.media != "state" && request.media != "foreign") {
        return Status::Usage("media must be 'state' or 'foreign', not '" + request.media + "'");
      }
      filters.emplace_back("XMEDIA" + request.media);
    }
    if (!request.from_date.empty() || !request.to_date.empty()) {
      const std::string from = request.from_date.empty() ? "00000000" : CompactDate(request.from_date);
      const std::string to = request.to_date.empty() ? "99999999" : CompactDate(request.to_date);
      if (from.empty() || to.empty()) return Status::Usage("dates must be YYYY-MM-DD");
      filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, kDateSlot, from, to);
    }
    for (const Xapian::Query& filter : filters) query = Xapian::Query(Xapian::Query::OP_FILTER, query, filter);

    Xapian::Enquire enquire(database);
    enquire.set_query(query);
    enquire.set_time_limit(kSearchTimeLimitSeconds);
    Xapian::ValueCountMatchSpy source_spy(kSourceSlot);
    Xapian::ValueCountMatchSpy month_spy(kMonthSlot);
    EntityCountSpy entity_spy;
    if (request.with_facets) {
      enquire.add_matchspy(&source_spy);
      enquire.add_matchspy(&month_spy);
      enquire.add_matchspy(&entity_spy);
    }
    const Xapian::doccount check_at_least = request.with_facets ? database.get_doccount() : 0;
    Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(request.offset),
                                         static_cast<Xapian::doccount>(request.limit), check_at_least);
    response.total_estimate = mset.get_matches_estimated();
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      SearchHit hit;
      hit.docno = static_cast<int64_t>(*it);
      hit.score = it.get_weight();
      hit.percent = it.get_percent();
      if (bodies) {
        const std::string body = bodies(hit.docno);
        hit.snippet =
            mset.snippet(body, 300, stemmer, Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE,
                         "<mark>", "</mark>", "…");
      }
      response.hits.push_back(std::move(hit));
    }
    if (request.with_facets) {
      for (auto it = source_spy.values_begin(); it != source_spy.values_end(); ++it) {
        response.by_source[*it] = it.get_termfreq();
      }
      for (auto it = month_spy.values_begin(); it != month_spy.values_end(); ++it) {
        response.by_month[*it] = it.get_termfreq();
      }
      response.by_entity = entity_spy.Top(kEntityFacetSize);
    }
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "search");
  }
  return response;
}

}  // namespace echotrace

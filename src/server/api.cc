// Read endpoints: search, article, stats, trends, and the engine's views (engine/views.h).
#include "server/api.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include "annotate/entities.h"
#include "core/text.h"
#include "lexicon/gazetteer.h"
#include "lexicon/outlets.h"
#include "search/trends.h"

namespace echotrace::server {
namespace {

constexpr size_t kMaxQueryBytes = 1000;
constexpr size_t kMaxIdBytes = 200;
constexpr int kMaxLimit = 100;
constexpr int kMaxOffset = 10000;
constexpr int kMaxExportRows = 10000;

// A checked parameter, or the reply that says what is wrong with it.
template <typename T>
struct Checked {
  T value{};
  bool ok = true;
  ApiReply error;
};

template <typename T>
Checked<T> Bad(const std::string& parameter, const std::string& message) {
  Checked<T> c;
  c.ok = false;
  c.error = ErrorReply(400, parameter + ": " + message, parameter);
  return c;
}

// Every value of `name` (a repeated name, or one value with commas when
// `split_commas`), trimmed, empty ones dropped.
std::vector<std::string> AllValues(const Params& params, const std::string& name, bool split_commas) {
  std::vector<std::string> out;
  auto [begin, end] = params.equal_range(name);
  for (auto it = begin; it != end; ++it) {
    std::string_view rest = it->second;
    while (true) {
      const size_t comma = split_commas ? rest.find(',') : std::string_view::npos;
      std::string_view piece = TrimAscii(rest.substr(0, comma));
      if (!piece.empty()) out.emplace_back(piece);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return out;
}

Checked<std::string> Text(const Params& params, const std::string& name, size_t max_bytes) {
  if (params.count(name) > 1) return Bad<std::string>(name, "give it once");
  auto it = params.find(name);
  if (it == params.end()) return {};
  if (it->second.size() > max_bytes) {
    return Bad<std::string>(name, "longer than " + std::to_string(max_bytes) + " bytes");
  }
  Checked<std::string> c;
  c.value = RepairUtf8(it->second).text;
  return c;
}

// Reads one text parameter into *out; the error reply when it is bad.
std::optional<ApiReply> ReadText(const Params& params, const std::string& name, size_t max_bytes, std::string* out) {
  Checked<std::string> c = Text(params, name, max_bytes);
  if (!c.ok) return c.error;
  *out = std::move(c.value);
  return std::nullopt;
}

Checked<int> Int(const Params& params, const std::string& name, int fallback, int min, int max) {
  Checked<std::string> text = Text(params, name, 20);
  if (!text.ok) return Bad<int>(name, "give it once, as a number");
  Checked<int> c;
  c.value = fallback;
  if (text.value.empty()) return c;
  const char* first = text.value.data();
  const char* last = first + text.value.size();
  auto [ptr, ec] = std::from_chars(first, last, c.value);
  if (ec != std::errc() || ptr != last) return Bad<int>(name, "'" + text.value + "' is not a whole number");
  if (c.value < min || c.value > max) {
    return Bad<int>(name, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return c;
}

// offset (default 0) and limit (default 50) of a list endpoint.
std::optional<ApiReply> ReadPaging(const Params& params, int* offset, int* limit) {
  Checked<int> o = Int(params, "offset", 0, 0, kMaxOffset);
  if (!o.ok) return o.error;
  Checked<int> l = Int(params, "limit", 50, 1, kMaxLimit);
  if (!l.ok) return l.error;
  *offset = o.value;
  *limit = l.value;
  return std::nullopt;
}

Checked<bool> Flag(const Params& params, const std::string& name, bool fallback) {
  Checked<std::string> text = Text(params, name, 10);
  if (!text.ok) return Bad<bool>(name, "give it once");
  Checked<bool> c;
  c.value = fallback;
  if (text.value.empty()) return c;
  if (text.value == "1" || text.value == "true" || text.value == "yes") {
    c.value = true;
  } else if (text.value == "0" || text.value == "false" || text.value == "no") {
    c.value = false;
  } else {
    return Bad<bool>(name, "must be 1/true or 0/false");
  }
  return c;
}

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

// YYYY-MM-DD (or YYYY-MM when `month`), checked for shape and range.
Checked<std::string> DateParam(const Params& params, const std::string& name, bool month) {
  Checked<std::string> c = Text(params, name, 10);
  if (!c.ok || c.value.empty()) return c;
  const std::string& v = c.value;
  const bool shape = month ? (v.size() == 7 && v[4] == '-' && AllDigits(v.substr(0, 4)) && AllDigits(v.substr(5)))
                           : (v.size() == 10 && v[4] == '-' && v[7] == '-' && AllDigits(v.substr(0, 4)) &&
                              AllDigits(v.substr(5, 2)) && AllDigits(v.substr(8)));
  if (!shape) return Bad<std::string>(name, month ? "must be YYYY-MM" : "must be YYYY-MM-DD");
  const int m = std::stoi(v.substr(5, 2));
  const int d = month ? 1 : std::stoi(v.substr(8, 2));
  const int y = std::stoi(v.substr(0, 4));
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) {
    return Bad<std::string>(name, "'" + v + "' is not a calendar date");
  }
  return c;
}

// Outlet ids: lowercase letters, digits and '-'.
Checked<std::vector<std::string>> Outlets(const Params& params) {
  Checked<std::vector<std::string>> c;
  std::vector<std::string> given = AllValues(params, "outlet", true);
  for (std::string& alias : AllValues(params, "source", true)) given.push_back(std::move(alias));  // old spelling
  for (const std::string& outlet : given) {
    const std::string id = AsciiLower(outlet);
    // Outlet ids are lowercase names ("kcna", "fox-news", or a byline as given): printable, short.
    if (id.size() > 64 ||
        !std::all_of(id.begin(), id.end(), [](char ch) { return static_cast<unsigned char>(ch) >= 0x20; })) {
      return Bad<std::vector<std::string>>("outlet", "'" + outlet + "' is not an outlet id (like kcna, reuters)");
    }
    c.value.push_back(id);
  }
  if (c.value.size() > 50) return Bad<std::vector<std::string>>("outlet", "at most 50 outlets");
  return c;
}

// kind (alias media): "state", "foreign", "all" or empty.
Checked<std::string> KindParam(const Params& params) {
  const bool as_media = params.count("kind") == 0 && params.count("media") > 0;
  const std::string name = as_media ? "media" : "kind";
  Checked<std::string> kind = Text(params, name, 20);
  if (!kind.ok) return Bad<std::string>(name, "give it once");
  if (!kind.value.empty() && kind.value != "all" && kind.value != "state" && kind.value != "foreign") {
    return Bad<std::string>(name, "must be state, foreign or all");
  }
  return kind;
}

// Applies kind=state|foreign to the outlet list: the outlets of that kind in
// the index, intersected with the ones asked for. Sets *nothing when no
// outlet is left (the answer is then empty).
Checked<std::vector<std::string>> OutletsOfKind(const ApiContext& context, const Params& params,
                                                std::vector<std::string> outlets, bool* nothing) {
  *nothing = false;
  Checked<std::string> kind = KindParam(params);
  if (!kind.ok) {
    Checked<std::vector<std::string>> bad;
    bad.ok = false;
    bad.error = kind.error;
    return bad;
  }
  Checked<std::vector<std::string>> c;
  if (kind.value.empty() || kind.value == "all") {
    c.value = std::move(outlets);
    return c;
  }
  const bool want_state = kind.value == "state";
  auto indexed = IndexedSources(DataDir{context.pool->data_dir()}.IndexPath());
  if (!indexed.ok()) {
    *nothing = true;  // no index: no hits either way
    return c;
  }
  const std::set<std::string> asked(outlets.begin(), outlets.end());
  for (const std::string& source : *indexed) {
    if (IsStateMediaSource(source) != want_state) continue;
    if (!asked.empty() && asked.count(source) == 0) continue;
    c.value.push_back(source);
  }
  *nothing = c.value.empty();
  return c;
}

// Byte offset -> UTF-16 code unit offset, for a browser slicing JS strings.
std::vector<uint32_t> Utf16Offsets(const std::string& text) {
  std::vector<uint32_t> at(text.size() + 1, 0);
  uint32_t units = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    at[i] = units;
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xC0) != 0x80) units += byte >= 0xF0 ? 2 : 1;  // a lead byte; 4-byte sequences are surrogate pairs
  }
  at[text.size()] = units;
  return at;
}

Json SpanToJson(const Document& doc, const Span& span, const std::vector<uint32_t>& u16) {
  const uint32_t end = std::min<uint32_t>(span.end, static_cast<uint32_t>(doc.text.size()));
  const uint32_t begin = std::min(span.begin, end);
  Json attrs = Json::object();
  for (const auto& [name, value] : span.attrs) attrs[name] = value;
  return {{"kind", std::string(SpanKindName(span.kind))},
          {"label", span.label},
          {"key", span.key},
          {"attrs", std::move(attrs)},
          {"begin", begin},
          {"end", end},
          {"begin16", u16[begin]},
          {"end16", u16[end]},
          {"text", doc.text.substr(begin, end - begin)}};
}

bool IsAnnotation(SpanKind kind) {
  return kind != SpanKind::kTitle && kind != SpanKind::kParagraph && kind != SpanKind::kBoilerplate;
}

// Runs a view on a borrowed engine; its errors become the HTTP status.
template <typename Query>
ApiReply CallView(const ApiContext& context, Result<Json> (*view)(const Engine&, const Query&), const Query& query) {
  auto lease = context.pool->Acquire();
  if (!lease.ok()) return LeaseError(lease.status());
  auto result = view(**lease, query);
  if (!result.ok()) return FromStatus(result.status());
  return {200, std::move(result).value()};
}

}  // namespace

ApiReply FromStatus(const Status& status) {
  return ErrorReply(HttpStatusFor(status), status.message(), "", StatusCodeId(status.code()));
}

ApiReply FromStatus(const Status& status, const std::string& parameter) {
  return ErrorReply(HttpStatusFor(status), status.message(), parameter, StatusCodeId(status.code()));
}

std::optional<ApiReply> BadIdReply(const std::string& id, const std::string& parameter) {
  if (id.empty() || id.size() > kMaxIdBytes) return ErrorReply(400, parameter + ": empty or too long", parameter);
  for (const char ch : id) {
    if (static_cast<unsigned char>(ch) < 0x20)
      return ErrorReply(400, parameter + ": has control characters", parameter);
  }
  return std::nullopt;
}

ApiReply LeaseError(const Status& status) {
  if (status.code() == StatusCode::kNotFound) return ErrorReply(404, status.message(), "", "no_data");
  return FromStatus(status);
}

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return 200;
    case StatusCode::kUsage: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kBadInput: return 422;
    case StatusCode::kIOError:
    case StatusCode::kRetry: return 503;
    case StatusCode::kCorrupt:
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

namespace {

std::string_view HttpCodeId(int status) {
  switch (status) {
    case 400: return "bad_parameter";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 408: return "timeout";
    case 409: return "busy";
    case 413: return "too_large";
    case 415: return "unsupported_media_type";
    case 422: return "bad_input";
    case 429: return "too_many_requests";
    case 503: return "unavailable";
    default: return status >= 500 ? "internal" : "error";
  }
}

}  // namespace

ApiReply ErrorReply(int status, const std::string& message, const std::string& parameter, std::string_view code) {
  Json body = {{"error", message}, {"status", status}, {"code", code.empty() ? HttpCodeId(status) : code}};
  if (!parameter.empty()) body["parameter"] = parameter;
  return {status, std::move(body)};
}

namespace {

// The search filters of /api/search and /api/export, one vocabulary with the
// CLI's flags and the query prefixes (docs/api.md): outlet (alias source),
// kind (alias media), entity, event, speaker, from, to, sort, all_versions.
std::optional<ApiReply> ReadSearchRequest(const Params& params, SearchRequest* request, std::string* entity_key) {
  auto q = Text(params, "q", kMaxQueryBytes);
  if (!q.ok) return q.error;
  auto outlets = Outlets(params);
  if (!outlets.ok) return outlets.error;
  auto kind = KindParam(params);
  if (!kind.ok) return kind.error;
  auto from = DateParam(params, "from", false);
  if (!from.ok) return from.error;
  auto to = DateParam(params, "to", false);
  if (!to.ok) return to.error;
  if (!from.value.empty() && !to.value.empty() && from.value > to.value) {
    return ErrorReply(400, "to: is before from", "to");
  }
  auto entity = Text(params, "entity", kMaxIdBytes);
  if (!entity.ok) return entity.error;
  auto sort = Text(params, "sort", 20);
  if (!sort.ok) return sort.error;
  std::optional<SearchSort> order = SearchSort::kDefault;
  if (!sort.value.empty()) order = SearchSortFromName(sort.value);
  if (!order) return ErrorReply(400, "sort: must be relevance or date, not '" + sort.value + "'", "sort");
  auto all_versions = Flag(params, "all_versions", false);
  if (!all_versions.ok) return all_versions.error;
  for (const char* name : {"event", "speaker"}) {
    for (const std::string& value : AllValues(params, name, true)) {
      if (value.size() > kMaxIdBytes) return ErrorReply(400, std::string(name) + ": too long", name);
    }
  }
  request->query = q.value;
  request->sources = outlets.value;
  request->media = kind.value == "all" ? "" : kind.value;
  request->from_date = from.value;
  request->to_date = to.value;
  request->sort = *order;
  request->all_versions = all_versions.value;
  request->events = AllValues(params, "event", true);
  request->speakers = AllValues(params, "speaker", true);
  if (!entity.value.empty()) {
    // The index holds each article's entity ids (XENT terms): the filter is
    // exact over all matches. A name ("Kim Tok Hun") is turned into its id.
    std::string key = CanonicalId(DefaultGazetteer(), entity.value);
    if (key.empty()) key = AsciiLower(entity.value);
    request->entities.push_back(key);
    *entity_key = key;
  }
  return std::nullopt;
}

// A search refused for its query (or a filter): the view's error body
// (code "query_syntax" and the position when the query does not read).
ApiReply QueryError(const std::string& query, const Status& status) {
  Json body = QueryErrorJson(query, status);
  body["status"] = 400;
  return {400, std::move(body)};
}

// Runs `run` on a borrowed engine; if the index moved under the reader
// (Xapian's DatabaseModifiedError, surfacing as kRetry), once more on a
// fresh one.
template <typename T>
Result<T> WithRetry(EnginePool& pool, const std::function<Result<T>(const Engine&)>& run, Status* lease_error) {
  for (int attempt = 0;; ++attempt) {
    auto lease = pool.Acquire();
    if (!lease.ok()) {
      *lease_error = lease.status();
      return lease.status();
    }
    Result<T> result = run(**lease);
    if (result.ok() || result.status().code() != StatusCode::kRetry || attempt > 0) return result;
    lease->Discard();
  }
}

}  // namespace

ApiReply ApiSearch(const ApiContext& context, const Params& params) {
  SearchRequest request;
  std::string entity_key;
  if (auto error = ReadSearchRequest(params, &request, &entity_key)) return *error;
  auto offset = Int(params, "offset", 0, 0, kMaxOffset);
  if (!offset.ok) return offset.error;
  auto limit = Int(params, "limit", 20, 1, kMaxLimit);
  if (!limit.ok) return limit.error;
  auto facets = Flag(params, "facets", true);
  if (!facets.ok) return facets.error;
  auto entity_facets = Flag(params, "entity_facets", false);
  if (!entity_facets.ok) return entity_facets.error;
  auto histogram = Flag(params, "histogram", false);
  if (!histogram.ok) return histogram.error;
  request.offset = offset.value;
  request.limit = limit.value;
  request.with_facets = facets.value;
  request.with_entity_facet = entity_facets.value || !entity_key.empty();
  request.with_histogram = histogram.value;

  Status lease_error;
  auto body = WithRetry<Json>(
      *context.pool, [&](const Engine& engine) { return SearchView(engine, request); }, &lease_error);
  if (!lease_error.ok()) return LeaseError(lease_error);
  if (!body.ok()) {
    if (body.status().code() == StatusCode::kUsage) return QueryError(request.query, body.status());
    return FromStatus(body.status());
  }
  body->operator[]("entity") = entity_key;
  return {200, std::move(body).value()};
}

ExportReply ApiExport(const ApiContext& context, const Params& params) {
  ExportReply reply;
  SearchRequest request;
  std::string entity_key;
  if (auto error = ReadSearchRequest(params, &request, &entity_key)) {
    reply.error = *error;
    return reply;
  }
  auto format_name = Text(params, "format", 20);
  if (!format_name.ok) {
    reply.error = format_name.error;
    return reply;
  }
  const auto format = ExportFormatFromName(format_name.value.empty() ? "csv" : format_name.value);
  if (!format) {
    reply.error = ErrorReply(400, "format: must be csv or jsonl, not '" + format_name.value + "'", "format");
    return reply;
  }
  auto offset = Int(params, "offset", 0, 0, kMaxOffset);
  auto limit = Int(params, "limit", kMaxExportRows, 1, kMaxExportRows);
  if (!offset.ok || !limit.ok) {
    reply.error = !offset.ok ? offset.error : limit.error;
    return reply;
  }
  request.offset = offset.value;
  Status lease_error;
  auto rows = WithRetry<int64_t>(
      *context.pool,
      [&](const Engine& engine) {
        reply.body.clear();
        return ExportSearch(engine, request, *format, limit.value, [&](std::string_view text) {
          reply.body += text;
          return Status::Ok();
        });
      },
      &lease_error);
  if (!lease_error.ok()) {
    reply.error = LeaseError(lease_error);
  } else if (!rows.ok()) {
    reply.error = rows.status().code() == StatusCode::kUsage
                      ? ApiReply{400, QueryErrorJson(request.query, rows.status())}
                      : FromStatus(rows.status());
  } else {
    reply.ok = true;
    reply.rows = *rows;
    reply.content_type = std::string(ExportContentType(*format));
    reply.filename = *format == ExportFormat::kCsv ? "echotrace-search.csv" : "echotrace-search.jsonl";
  }
  return reply;
}

ApiReply ApiArticle(const ApiContext& context, const std::string& id, const Params& params) {
  if (auto bad = BadIdReply(id, "id")) return *bad;
  auto raw = Flag(params, "raw", false);
  if (!raw.ok) return raw.error;
  auto lease = context.pool->Acquire();
  if (!lease.ok()) return LeaseError(lease.status());
  auto view = (*lease)->Show(RepairUtf8(id).text);
  if (!view.ok()) return FromStatus(view.status(), "id");
  const StoredVersion& v = view->version;
  const Document& doc = v.doc;
  const std::vector<uint32_t> u16 = Utf16Offsets(doc.text);
  Json body = ArticleSummaryJson(v);
  body["origin"] = doc.origin;
  body["format"] = std::string(InputFormatName(doc.format));
  body["warnings"] = doc.warnings;
  body["derived_from"] = doc.derived_from;
  body["text"] = doc.text;
  body["body"] = doc.Body();
  body["raw_bytes"] = doc.raw.size();
  if (raw.value) body["raw"] = RepairUtf8(doc.raw).text;
  Json blocks = Json::array(), annotations = Json::array(), removed = Json::array();
  for (const Span& span : doc.spans) {
    Json j = SpanToJson(doc, span, u16);
    if (IsAnnotation(span.kind)) {
      annotations.push_back(std::move(j));
    } else {
      if (span.kind == SpanKind::kBoilerplate) removed.push_back(j);
      j.erase("text");  // blocks are slices of "text"; no need to send them twice
      blocks.push_back(std::move(j));
    }
  }
  body["blocks"] = std::move(blocks);
  body["removed"] = std::move(removed);
  body["annotations"] = std::move(annotations);
  Json versions = Json::array();
  for (const StoredVersion& other : view->versions) versions.push_back(ArticleSummaryJson(other));
  body["all_versions"] = std::move(versions);
  body["links"] = nullptr;
  body["links_available"] = true;
  auto links = ArticleLinksView(**lease, v);
  if (links.ok()) {
    body["links"] = std::move(links).value();
  } else {
    body["links_error"] = links.status().message();
  }
  return {200, std::move(body)};
}

ApiReply ApiStats(const ApiContext& context) {
  // Every read endpoint is always there; only ingest depends on the server's options.
  Json available = {{"entities", true}, {"quotes", true},        {"trace", true},
                    {"events", true},   {"article_links", true}, {"ingest", context.options->allow_ingest}};
  auto lease = context.pool->Acquire();
  if (!lease.ok()) {
    if (lease.status().code() != StatusCode::kNotFound) return FromStatus(lease.status());
    // No data yet: still a useful answer (the UI shows how to ingest).
    return {200,
            {{"articles", 0},
             {"versions", 0},
             {"headline_stubs", 0},
             {"unindexed", 0},
             {"outlets", Json::array()},
             {"by_month", Json::object()},
             {"available", available},
             {"empty", true}}};
  }
  const int64_t generation = context.pool->IndexGeneration();
  Json body;
  {
    MutexLock lock(&context.stats_cache->mutex);
    if (context.stats_cache->generation == generation && generation != 0) body = context.stats_cache->stats;
  }
  if (body.is_null()) {
    auto stats = (*lease)->Stats();
    if (!stats.ok()) return FromStatus(stats.status());
    body = {{"articles", stats->articles},
            {"versions", stats->versions},
            {"headline_stubs", stats->headline_stubs},
            {"outlets", SourceFacetJson(stats->by_source)},
            {"by_month", stats->by_month},
            {"empty", stats->versions == 0}};
    MutexLock lock(&context.stats_cache->mutex);
    context.stats_cache->generation = generation;
    context.stats_cache->stats = body;
  }
  body["unindexed"] = (*lease)->IndexLag();
  body["available"] = std::move(available);
  return {200, std::move(body)};
}

ApiReply ApiTrends(const ApiContext& context, const Params& params) {
  TrendsRequest request;
  request.terms = AllValues(params, "term", false);
  for (const std::string& term : AllValues(params, "terms", true)) request.terms.push_back(term);
  if (request.terms.empty()) return ErrorReply(400, "term: give at least one term (term=a&term=b)", "term");
  for (std::string& term : request.terms) term = RepairUtf8(term).text;
  auto outlets = Outlets(params);
  if (!outlets.ok) return outlets.error;
  auto from = DateParam(params, "from", true);
  if (!from.ok) return from.error;
  auto to = DateParam(params, "to", true);
  if (!to.ok) return to.error;
  auto split = Text(params, "split", 10);
  if (!split.ok) return split.error;
  if (!split.value.empty() && split.value != "outlet" && split.value != "none") {
    return ErrorReply(400, "split: must be outlet or none", "split");
  }
  bool nothing = false;
  auto sources = OutletsOfKind(context, params, outlets.value, &nothing);
  if (!sources.ok) return sources.error;
  request.sources = nothing ? std::vector<std::string>{"\x01none"} : sources.value;
  request.from_month = from.value;
  request.to_month = to.value;
  auto trends = CountTrends(DataDir{context.pool->data_dir()}.IndexPath(), request);
  if (!trends.ok()) {
    ApiReply reply = FromStatus(trends.status());
    if (trends.status().code() == StatusCode::kUsage) {
      const std::string m = trends.status().message();  // status() returns a copy
      reply.body["parameter"] = m.rfind("from", 0) == 0 ? "from" : m.rfind("to", 0) == 0 ? "to" : "term";
    }
    if (trends.status().code() == StatusCode::kNotFound) reply.status = 503;
    return reply;
  }
  auto column = [&](const MonthOutletCounts& counts, const std::string& outlet) {
    std::vector<int64_t> out;
    out.reserve(trends->months.size());
    for (const std::string& month : trends->months) {
      auto row = counts.find(month);
      int64_t n = 0;
      if (row != counts.end()) {
        auto cell = row->second.find(outlet);
        if (cell != row->second.end()) n = cell->second;
      }
      out.push_back(n);
    }
    return out;
  };
  std::set<std::string> outlet_ids;
  for (const auto& [month, row] : trends->articles) {
    for (const auto& [outlet, n] : row) {
      if (!outlet.empty()) outlet_ids.insert(outlet);
    }
  }
  Json articles = {{"total", column(trends->articles, "")}, {"by_outlet", Json::object()}};
  for (const std::string& outlet : outlet_ids) articles["by_outlet"][outlet] = column(trends->articles, outlet);
  Json series = Json::array();
  const bool by_outlet = split.value == "outlet";
  for (size_t t = 0; t < request.terms.size(); ++t) {
    std::vector<std::string> keys = {""};
    if (by_outlet) keys.assign(outlet_ids.begin(), outlet_ids.end());
    for (const std::string& outlet : keys) {
      const std::vector<int64_t> counts = column(trends->matches[t], outlet);
      const std::vector<int64_t> totals = column(trends->articles, outlet);
      std::vector<double> rates;
      int64_t sum = 0;
      for (size_t i = 0; i < counts.size(); ++i) {
        rates.push_back(PerThousand(counts[i], totals[i]));
        sum += counts[i];
      }
      if (by_outlet && sum == 0) continue;  // an outlet that never uses the term adds only a flat line
      Json s = {{"term", request.terms[t]}, {"counts", counts}, {"per_1000", rates}, {"total", sum}};
      s["outlet"] = outlet.empty() ? Json(nullptr) : OutletJson(outlet == "?" ? "" : outlet);
      series.push_back(std::move(s));
    }
  }
  return {200, {{"months", trends->months}, {"articles", std::move(articles)}, {"series", std::move(series)}}};
}

ApiReply ApiEntities(const ApiContext& context, const Params& params) {
  EntitiesQuery query;
  if (auto bad = ReadText(params, "q", kMaxIdBytes, &query.prefix)) return *bad;
  if (auto bad = ReadText(params, "kind", 40, &query.kind)) return *bad;
  if (auto bad = ReadPaging(params, &query.offset, &query.limit)) return *bad;
  return CallView(context, EntitiesView, query);
}

ApiReply ApiEntity(const ApiContext& context, const std::string& id, const Params& params) {
  if (id.empty() || id.size() > kMaxIdBytes) return ErrorReply(400, "id: empty or too long", "id");
  EntityQuery query;
  query.id = RepairUtf8(id).text;
  auto quotes = Int(params, "quotes", 20, 0, kMaxLimit);
  if (!quotes.ok) return quotes.error;
  query.quotes = quotes.value;
  ApiReply reply = CallView(context, EntityView, query);
  if (reply.status == 404 && reply.body.value("code", "") == "not_found") reply.body["parameter"] = "id";
  return reply;
}

ApiReply ApiQuotes(const ApiContext& context, const Params& params) {
  QuotesQuery query;
  if (auto bad = ReadText(params, "article", kMaxIdBytes, &query.article)) return *bad;
  if (auto bad = ReadText(params, "speaker", kMaxIdBytes, &query.speaker)) return *bad;
  if (auto bad = ReadText(params, "q", kMaxQueryBytes, &query.text)) return *bad;
  if (auto bad = ReadPaging(params, &query.offset, &query.limit)) return *bad;
  auto newest = Flag(params, "newest", false);
  if (!newest.ok) return newest.error;
  query.newest = newest.value;
  return CallView(context, QuotesView, query);
}

ApiReply ApiEvents(const ApiContext& context, const Params& params) {
  EventsQuery query;
  auto from = DateParam(params, "from", false);
  if (!from.ok) return from.error;
  auto to = DateParam(params, "to", false);
  if (!to.ok) return to.error;
  query.from_date = from.value;
  query.to_date = to.value;
  if (auto bad = ReadText(params, "q", kMaxQueryBytes, &query.text)) return *bad;
  if (auto bad = ReadPaging(params, &query.offset, &query.limit)) return *bad;
  return CallView(context, EventsView, query);
}

ApiReply ApiTrace(const ApiContext& context, const std::string& content_type, const std::string& body) {
  TraceQuery query;
  if (content_type.rfind("application/json", 0) == 0) {
    Json request = Json::parse(body, nullptr, false);
    if (request.is_discarded() || !request.is_object()) return ErrorReply(400, "body: not a JSON object", "body");
    if (!request.contains("text") || !request["text"].is_string()) {
      return ErrorReply(400, "text: a string is required", "text");
    }
    query.text = request["text"].get<std::string>();
    if (request.contains("limit")) {
      if (!request["limit"].is_number_integer() || request["limit"].get<int64_t>() < 1 ||
          request["limit"].get<int64_t>() > kMaxLimit) {
        return ErrorReply(400, "limit: must be a whole number between 1 and " + std::to_string(kMaxLimit), "limit");
      }
      query.limit = request["limit"].get<int>();
    }
    for (const char* field : {"date", "url"}) {
      if (!request.contains(field) || request[field].is_null()) continue;
      if (!request[field].is_string() || request[field].get<std::string>().size() > 2048) {
        return ErrorReply(400, std::string(field) + ": a string (at most 2048 bytes) is expected", field);
      }
      (std::string(field) == "date" ? query.date : query.url) = request[field].get<std::string>();
    }
  } else {
    query.text = body;
  }
  query.text = RepairUtf8(query.text).text;
  if (query.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return ErrorReply(400, "text: paste some text to trace", "text");
  }
  return CallView(context, TraceView, query);
}

}  // namespace echotrace::server

// Views: the JSON answers to the engine's list and provenance queries
// (search and its export, entities and one entity's page, quotes, trace,
// events, an article's links), built in one place
// so that the CLI's --json and the HTTP API print the same fields for the
// same thing. The server adds only the HTTP status; docs/api.md documents
// each shape.
//
// Inputs: a query already checked by its caller (the server and the CLI
// bound limits to 1..100 and text to 1 MiB; dates are YYYY-MM-DD).
// Errors: kUsage for a bad parameter (its message names the parameter),
// kNotFound for an unknown article, else what the engine returns.
// Thread-safety: each call uses only its Engine (one thread at a time per
// Engine, as engine.h says). Cost: linear in the page asked for, plus the
// engine's own query (entities and quotes scan at most 20,000 / 5,000 rows and
// say "approximate" beyond).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "engine/engine.h"

namespace echotrace {

// GET /api/entities
struct EntitiesQuery {
  std::string prefix;               // name prefix to match (folded); empty: all
  std::string kind;                 // "person", "organization" (or "org"), "place", "outlet"...; empty: all
  std::string key_kind = "entity";  // or "event", "work", "date": other annotation keys
  int offset = 0;
  int limit = 50;
};

// GET /api/quotes
struct QuotesQuery {
  std::string article;  // only quotes in this article (any id form); empty: all
  std::string speaker;  // canonical speaker id; empty: all
  std::string text;     // words the quote must contain; empty: all
  // true: the feed of traced quotes instead: stored quote links, the most
  // recently ingested foreign article first (`newest=1`); the filters above
  // do not apply.
  bool newest = false;
  int offset = 0;
  int limit = 50;
};

// POST /api/trace
struct TraceQuery {
  std::string text;  // pasted article or quote (valid UTF-8, NFC-normalized by the server)
  int limit = 20;    // most matches to return
  // Optional, for a whole pasted article: its publication date (YYYY-MM-DD,
  // YYYY-MM) and URL; with either (or several lines of text) it is traced
  // like an ingested article (Engine::TraceText).
  std::string date, url;
  // For one passage only: originals published on or before this day
  // (YYYY-MM-DD), and origins in any outlet rather than state media only.
  std::string before;
  bool all_outlets = false;
};

// True when `query` is traced as a whole article: a date or URL given, or
// several lines or quotation marks in its text.
bool TracesAsArticle(const TraceQuery& query);

// GET /api/events
struct EventsQuery {
  std::string from_date;  // inclusive YYYY-MM-DD; empty: unbounded
  std::string to_date;    // inclusive YYYY-MM-DD; empty: unbounded
  std::string text;       // words in the event's name; empty: all
  int offset = 0;
  int limit = 50;
};

// GET /api/search, `echotrace search --json`: {"query", "sort", "offset",
// "limit", "total", "approximate", "hits": [ArticleSummary + {rank, score,
// snippet, also_listed_as?: [ArticleSummary]}], "facets": {"outlet",
// "month", "entity"?}, "facets_approximate", "facet_documents",
// "entity_facet_documents"? (with the entity facet: the matches it counted),
// "histogram"?: {"months": {"YYYY-MM": n}, "undated", "approximate"}, "unindexed"?, "warnings"?: [text]}. "warnings"
// names each asked outlet with no article here (UnknownOutletWarnings). Headline stubs of a hit's story
// are folded into it (also_listed_as) and not counted. Errors: the engine's (kUsage for a query that does not read:
// SearchErrorJson says where).
Result<nlohmann::json> SearchView(const Engine& engine, const SearchRequest& request);

// One message per outlet in `outlets` that no indexed article has ("no articles from outlet 'bbc'; outlets here:
// kcna, reuters"), so a misspelt filter is not read as "no coverage". Empty when every outlet is known or the index
// cannot be listed. Cost: one pass over the index's outlet terms.
std::vector<std::string> UnknownOutletWarnings(const Engine& engine, const std::vector<std::string>& outlets);

// The error body for a query Search refused: {"error", "code": "query_syntax",
// "parameter": "q", "position"?: 1-based character} when FindQueryProblem
// places it, else {"error", "code": "bad_parameter", "parameter": "q"}.
nlohmann::json QueryErrorJson(const std::string& query, const Status& status);

// Search results as a file: one row per hit, in the search's order.
enum class ExportFormat { kCsv, kJsonLines };
std::optional<ExportFormat> ExportFormatFromName(std::string_view name);  // "csv", "jsonl" (or "json-lines")
std::string_view ExportContentType(ExportFormat format);                  // "text/csv; charset=utf-8"...
// The columns of a row, in CSV order: rank, id, article_id, outlet,
// outlet_name, state_media, date, title, url, external_id, also_listed_as
// (version ids, ';'-separated in CSV), snippet (plain text, no marks).
const std::vector<std::string>& ExportColumns();
// Writes the hits of `request` (from its offset, at most `max_rows`; its
// limit is ignored) through `write`, a CSV header first; returns the rows
// written. Facets are not counted. Errors: Search's; write's, which stop it.
// Cost: one search per 500 rows, one store read per row.
Result<int64_t> ExportSearch(const Engine& engine, SearchRequest request, ExportFormat format, int64_t max_rows,
                             const std::function<Status(std::string_view)>& write);

// GET /api/entity/:id, `echotrace entity ID`: one person, organization,
// place or outlet. `id` is a canonical id or a name ("Kim Tok-hun").
struct EntityQuery {
  std::string id;
  int quotes = 20;  // quotes by the person to list, newest first
};
// {"key", "name", "kind", "known" (in the gazetteer), "articles" (latest
// versions mentioning it), "spellings": [{text, mentions}], "roles": [{role,
// first, last, articles}] (titles written beside the name, by first date;
// "roles_sampled": the articles read for them), "by_month": {"YYYY-MM": n},
// "undated", "co_occurring": [{key, name, count}], "quotes": QuotesView's
// answer for it as speaker, "published"?: {"articles", "by_month"} for an
// outlet}. Errors: kNotFound when nothing mentions it and it is not in the
// gazetteer; kUsage for an empty id. Cost: two index searches (a month
// histogram over every match), one grouped mentions read, and at most 300
// articles read for the roles.
Result<nlohmann::json> EntityView(const Engine& engine, const EntityQuery& query);

// GET /api/entities, `echotrace entities --json`:
// {"total", "entities": [{key, name, kind, articles, mentions, surface_forms}], "approximate"}
Result<nlohmann::json> EntitiesView(const Engine& engine, const EntitiesQuery& query);
// GET /api/quotes, `echotrace quotes --json`: {"total", "quotes": [...], "approximate"}; each quote has
// its article, speaker, channel and, when traced, "original", "diff", "match", "why", "confidence".
Result<nlohmann::json> QuotesView(const Engine& engine, const QuotesQuery& query);
// POST /api/trace, `echotrace trace --json`: {"quotes": [...], "republications": [], "traced_text"?}.
Result<nlohmann::json> TraceView(const Engine& engine, const TraceQuery& query);
// One traced quote as TraceView lists it: {"article": null, begin, end, text
// (cut from `traced_text`), score, matched_words, original {article, text,
// begin, end}, similarity, diff, paragraph, match, why, confidence, chain}.
nlohmann::json QuoteMatchJson(const Engine& engine, const QuoteMatch& match, std::string_view traced_text);
// GET /api/events, `echotrace events --json`: {"total", "events": [{key, name, date, end_date, state, foreign}]}.
Result<nlohmann::json> EventsView(const Engine& engine, const EventsQuery& query);
// "links" of GET /api/article/:id, `echotrace links ID --json`:
// {"quotes", "republications", "events", "echoed_by", "echoes"}.
Result<nlohmann::json> ArticleLinksView(const Engine& engine, const StoredVersion& version);

// An id that opens exactly version `v` wherever ids are read (Store::Resolve): its version id, except for a first
// version, whose version id is also the article's id (which opens the latest): "ARTICLE@1".
std::string VersionRef(const StoredVersion& v);

// The summary of one version every endpoint uses for an article (id,
// article_id, title, outlet {id, name, state_media, known}, date, url,
// external_id, version, versions, latest, headline_stub, ingested_at); every view
// describes articles with it so the UI can show them.
nlohmann::json ArticleSummaryJson(const StoredVersion& version);

// An outlet id as {id, name, state_media, known}.
nlohmann::json OutletJson(const std::string& source);
// Counts by outlet as a list of OutletJson + {"count"} (search facets, /api/stats).
nlohmann::json SourceFacetJson(const std::map<std::string, int64_t>& by_source);

}  // namespace echotrace

// Views: the JSON answers to the engine's list and provenance queries
// (entities, quotes, trace, events, an article's links), built in one place
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
#include <nlohmann/json.hpp>
#include <string>

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

// The summary of one version every endpoint uses for an article (id,
// article_id, title, outlet {id, name, state_media, known}, date, url,
// external_id, version, versions, latest, headline_stub, ingested_at); every view
// describes articles with it so the UI can show them.
nlohmann::json ArticleSummaryJson(const StoredVersion& version);

// An outlet id as {id, name, state_media, known}.
nlohmann::json OutletJson(const std::string& source);

}  // namespace echotrace

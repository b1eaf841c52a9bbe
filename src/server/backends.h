// Backends: the HTTP API's hooks into stages that live outside server/
// (annotation: entities and quotes; linking: quote provenance, republications,
// events). The server owns no such logic; it calls these hooks and passes
// their JSON through. A hook left empty makes its endpoint answer 501 with
// {"error": "... not available in this build"}, and the web UI says so.
//
// Wiring: DefaultBackends() (backends.cc) is the one place that fills them;
// `echotrace serve` and the tests call it. The JSON each hook must return is
// specified in docs/api.md ("Backend hooks"); the server adds nothing to it
// except the HTTP status.
//
// Errors: a hook returns kUsage for a bad parameter (-> 400, its message
// should name the parameter), kNotFound (-> 404), anything else -> 500.
// Thread-safety: the server calls hooks from many threads at once, each call
// with its own read-only Engine (one thread at a time per Engine), so a hook
// must not keep mutable state outside that Engine without locking.
// Cost: hooks see untrusted parameters; bounds below are checked before the
// call (limit 1..100, text at most 1 MiB).
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"
#include "engine/engine.h"

namespace echotrace::server {

// GET /api/entities
struct EntitiesQuery {
  std::string prefix;  // name prefix to match (folded); empty: all
  std::string kind;    // "person", "organization", "place", "outlet"...; empty: all
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
};

// GET /api/events
struct EventsQuery {
  std::string from_date;  // inclusive YYYY-MM-DD; empty: unbounded
  std::string to_date;    // inclusive YYYY-MM-DD; empty: unbounded
  std::string text;       // words in the event's name; empty: all
  int offset = 0;
  int limit = 50;
};

template <typename Query>
using BackendHook = std::function<Result<nlohmann::json>(const Engine& engine, const Query& query)>;

struct Backends {
  BackendHook<EntitiesQuery> entities;  // -> {"total", "entities": [...]}
  BackendHook<QuotesQuery> quotes;      // -> {"total", "quotes": [...]}
  BackendHook<TraceQuery> trace;        // -> {"quotes": [...], "republications": [...]}
  BackendHook<EventsQuery> events;      // -> {"total", "events": [...]}
  // Links of one article, added to GET /api/article/:id as "links":
  // -> {"quotes": [...], "republications": [...], "events": [...]}
  std::function<Result<nlohmann::json>(const Engine& engine, const StoredVersion& version)> article_links;
};

// The summary of one version every endpoint uses for an article (id,
// article_id, title, outlet {id, name, state_media, known}, date, url,
// external_id, version, versions, latest, headline_stub, ingested_at); hooks
// should describe articles with it so the UI can show them.
nlohmann::json ArticleSummaryJson(const StoredVersion& version);

// The hooks this build has (empty ones until their stages are merged).
Backends DefaultBackends();

}  // namespace echotrace::server

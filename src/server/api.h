// The JSON API's handlers, free of HTTP: each takes the request's parameters
// (and body) and returns a status code with a JSON body. server.cc routes
// requests to them; docs/api.md documents every endpoint.
//
// Errors: a bad parameter gives 400 with {"error": "...", "parameter": name};
// an unknown id 404; no data yet 503; failures 500.
// Cost: every parameter is length-checked before use; list sizes are bounded
// (limit <= 100, trend terms <= 8); the entity filter and facet are the
// index's (terms and a match spy), so they cost what the match costs.
// Thread-safety: handlers may run concurrently; each borrows its own Engine.
#pragma once

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "engine/views.h"
#include "server/engine_pool.h"
#include "server/server.h"

namespace echotrace::server {

using Json = nlohmann::json;
// Query-string parameters; a name may repeat.
using Params = std::multimap<std::string, std::string>;

struct ApiReply {
  int status = 200;
  Json body;
};

// The store's counts take a full scan (about 0.4 s on the 122k-record
// corpus): kept until the index changes.
struct StatsCache {
  Mutex mutex;
  int64_t generation ET_GUARDED_BY(mutex) = -1;
  Json stats ET_GUARDED_BY(mutex);  // the StoreStats part of /api/stats
};

class Writer;  // server/writer.h

struct ApiContext {
  EnginePool* pool = nullptr;              // not owned
  const ServerOptions* options = nullptr;  // not owned
  Writer* writer = nullptr;                // not owned; runs every write (ingest, watchlists), one at a time
  StatsCache* stats_cache = nullptr;       // not owned
};

ApiReply ApiSearch(const ApiContext& context, const Params& params);
// GET /api/export: the search's hits as a file (csv or jsonl), at most 10,000 rows.
struct ExportReply {
  bool ok = false;
  ApiReply error;  // when !ok
  std::string content_type, filename, body;
  int64_t rows = 0;
};
ExportReply ApiExport(const ApiContext& context, const Params& params);
ApiReply ApiArticle(const ApiContext& context, const std::string& id, const Params& params);
ApiReply ApiStats(const ApiContext& context);
ApiReply ApiTrends(const ApiContext& context, const Params& params);
ApiReply ApiEntities(const ApiContext& context, const Params& params);
// GET /api/entity/:id (EntityView); `quotes` (0..100, default 20) bounds the quotes listed.
ApiReply ApiEntity(const ApiContext& context, const std::string& id, const Params& params);
ApiReply ApiQuotes(const ApiContext& context, const Params& params);
ApiReply ApiEvents(const ApiContext& context, const Params& params);
// `body`: JSON {"text": ..., "limit": n} or the text itself (text/plain).
ApiReply ApiTrace(const ApiContext& context, const std::string& content_type, const std::string& body);

// One uploaded file: a name (sanitized before use) and its bytes.
struct Upload {
  std::string name;
  std::string bytes;
};
// Writes the uploads to a private temp folder and ingests them on the
// context's Writer: waits for the writes queued before it, and answers once
// its records are committed (searches see them from then on). 503 when the
// writer's queue is full; 409 when another process holds the data directory.
// REQUIRES: ingest allowed and authorized (the caller checks).
ApiReply ApiIngest(const ApiContext& context, const std::vector<Upload>& uploads);

// Collection (api_collect.cc). GET /api/ledger: from, to, source, url, kind
// (repeatable), limit <= 5000.
ApiReply ApiLedger(const ApiContext& context, const Params& params);
// GET /api/article/:id/changes[?against=ID]: the word diff of a version
// against another version of its article (default: the one before it).
ApiReply ApiArticleChanges(const ApiContext& context, const std::string& id, const Params& params);
ApiReply ApiWatchlists(const ApiContext& context);
ApiReply ApiWatch(const ApiContext& context, const std::string& name);
// `body`: JSON {"name", "query", "phrase", "speaker", "sources", "entities",
// "from", "to", "media"}. REQUIRES: writes allowed and authorized (the caller checks).
ApiReply ApiWatchAdd(const ApiContext& context, const std::string& body);
ApiReply ApiWatchRemove(const ApiContext& context, const std::string& name);
// /feeds/NAME.atom: an Atom document (status 200) or an error message.
struct FeedReply {
  int status = 200;
  std::string body;
};
FeedReply WatchFeed(const ApiContext& context, const std::string& name, const std::string& self_url);

// A JSON error reply: {"error": message, "status": HTTP status, "code":
// stable id, "parameter"?}. `code` defaults to the HTTP status's id
// ("bad_parameter" for 400, "not_found", "forbidden", "busy", "too_large"...);
// clients (the web UI included) branch on "code", never on the message.
// `parameter` may be empty.
ApiReply ErrorReply(int status, const std::string& message, const std::string& parameter = "",
                    std::string_view code = "");
// The reply for a Status: its HTTP status and StatusCodeId as the code
// ("bad_parameter" for kUsage, like any 400).
ApiReply FromStatus(const Status& status);
// FromStatus naming the parameter whose value failed ("id", "against").
ApiReply FromStatus(const Status& status, const std::string& parameter);
// The reply for an article or version id that no endpoint takes: empty,
// over 200 bytes, or holding control characters; nullopt when it is fine.
std::optional<ApiReply> BadIdReply(const std::string& id, const std::string& parameter);
// The reply when no engine could be borrowed: a missing data directory is
// 404 with code "no_data" (the UI then explains how to ingest).
ApiReply LeaseError(const Status& status);
// HTTP status for a Status (kUsage 400, kNotFound 404, kBadInput 422, kIOError 503, else 500).
int HttpStatusFor(const Status& status);

}  // namespace echotrace::server

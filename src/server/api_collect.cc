// GET /api/ledger, the watchlist endpoints and /feeds/NAME.atom (see
// docs/api.md): collection's results through the same Engine calls as
// `echotrace ledger` and `echotrace watch`.
#include "core/text.h"
#include "engine/json.h"
#include "engine/views.h"
#include "link/diff.h"
#include "server/api.h"
#include "server/writer.h"

namespace echotrace::server {
namespace {

constexpr size_t kMaxParamBytes = 200;
constexpr size_t kMaxUrlBytes = 2000;
constexpr int64_t kMaxLedgerEntries = 5000;
constexpr int64_t kMaxWatchMatches = 100;  // shown by the API and the feed, newest first

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::optional<std::string> One(const Params& params, const std::string& name, std::string* out,
                               size_t max_bytes = kMaxParamBytes) {
  if (params.count(name) > 1) return name + ": give it once";
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  if (it->second.size() > max_bytes) return name + ": longer than " + std::to_string(max_bytes) + " bytes";
  *out = it->second;
  return std::nullopt;
}

// A watchlist's match as the API and the feed show it.
Result<Json> MatchJson(const Engine& engine, const WatchMatch& m) {
  ET_ASSIGN_OR_RETURN(StoredVersion v, engine.Version(m.docno));
  return Json{{"id", v.version_id}, {"title", v.doc.title}, {"source", v.doc.source},
              {"date", v.doc.date}, {"url", v.doc.url},     {"matched_at", m.matched_at}};
}

}  // namespace

ApiReply ApiLedger(const ApiContext& context, const Params& params) {
  LedgerQuery query;
  for (const char* name : {"from", "to", "source"}) {
    std::string value;
    if (auto bad = One(params, name, &value)) return ErrorReply(400, *bad, name);
    if (std::string_view(name) == "from") query.from = value;
    if (std::string_view(name) == "to") query.to = value;
    if (std::string_view(name) == "source") query.source = value;
  }
  if (auto bad = One(params, "url", &query.url, kMaxUrlBytes)) return ErrorReply(400, *bad, "url");
  auto [first, last] = params.equal_range("kind");
  for (auto it = first; it != last; ++it) {
    if (it->second != "new" && it->second != "edited" && it->second != "gone" && it->second != "restored") {
      return ErrorReply(400, "kind: '" + it->second.substr(0, 50) + "' is not one of new, edited, gone, restored",
                        "kind");
    }
    query.kinds.push_back(it->second);
  }
  std::string limit;
  if (auto bad = One(params, "limit", &limit)) return ErrorReply(400, *bad, "limit");
  if (!limit.empty()) {
    char* end = nullptr;
    const long long n = std::strtoll(limit.c_str(), &end, 10);
    if (*end != '\0' || n < 1 || n > kMaxLedgerEntries) {
      return ErrorReply(400, "limit: must be a whole number between 1 and " + std::to_string(kMaxLedgerEntries),
                        "limit");
    }
    query.limit = n;
  }
  auto lease = context.pool->Acquire();
  if (!lease.ok()) {
    if (lease.status().code() == StatusCode::kNotFound) return {200, {{"entries", Json::array()}}};
    return ErrorReply(HttpStatusFor(lease.status()), lease.status().message());
  }
  auto entries = (*lease)->Ledger(query);
  if (!entries.ok()) return ErrorReply(HttpStatusFor(entries.status()), entries.status().message());
  Json out = Json::array();
  for (const LedgerView& view : *entries) {
    Json j = LedgerJson(view);
    for (const auto& [field, docno] :
         {std::pair{"version", view.entry.docno}, std::pair{"previous_version", view.entry.previous_docno}}) {
      if (docno == 0) continue;
      auto v = (*lease)->Version(docno);
      if (v.ok()) j[field] = VersionRef(*v);
    }
    out.push_back(std::move(j));
  }
  return {200, {{"entries", std::move(out)}}};
}

ApiReply ApiArticleChanges(const ApiContext& context, const std::string& id, const Params& params) {
  std::string against;
  if (auto bad = One(params, "against", &against)) return ErrorReply(400, *bad, "against");
  if (auto bad = BadIdReply(id, "id")) return *bad;
  auto lease = context.pool->Acquire();
  if (!lease.ok()) return LeaseError(lease.status());
  auto view = (*lease)->Show(RepairUtf8(id).text);
  if (!view.ok()) return FromStatus(view.status(), "id");
  const StoredVersion& newer = view->version;
  std::optional<StoredVersion> older;
  if (!against.empty()) {
    auto other = (*lease)->Show(RepairUtf8(against).text);
    if (!other.ok()) return FromStatus(other.status(), "against");
    if (other->version.article_id != newer.article_id) {
      return ErrorReply(400, "against: not a version of article " + newer.article_id, "against");
    }
    older = std::move(other->version);
  } else {
    for (const StoredVersion& v : view->versions) {  // oldest first: the last one before this
      if (v.seq < newer.seq) older = v;
    }
  }
  Json body = {{"version", ArticleSummaryJson(newer)}, {"against", nullptr}, {"diff", Json::array()}};
  if (older) {
    body["against"] = ArticleSummaryJson(*older);
    body["diff"] = DiffJson(VersionDiff(older->doc, newer.doc));
  }
  return {200, std::move(body)};
}

ApiReply ApiWatchlists(const ApiContext& context) {
  auto lease = context.pool->Acquire();
  if (!lease.ok()) {
    if (lease.status().code() == StatusCode::kNotFound) return {200, {{"watchlists", Json::array()}}};
    return ErrorReply(HttpStatusFor(lease.status()), lease.status().message());
  }
  auto watches = (*lease)->Watches();
  if (!watches.ok()) return ErrorReply(HttpStatusFor(watches.status()), watches.status().message());
  Json out = Json::array();
  for (const WatchSpec& w : *watches) out.push_back(WatchSpecJson(w));
  return {200, {{"watchlists", std::move(out)}}};
}

ApiReply ApiWatch(const ApiContext& context, const std::string& name) {
  auto lease = context.pool->Acquire();
  if (!lease.ok()) return ErrorReply(HttpStatusFor(lease.status()), lease.status().message());
  auto view = (*lease)->ShowWatch(name, kMaxWatchMatches);
  if (!view.ok()) return ErrorReply(HttpStatusFor(view.status()), view.status().message());
  Json matches = Json::array();
  for (const WatchMatch& m : view->matches) {
    auto j = MatchJson(**lease, m);
    if (!j.ok()) return ErrorReply(HttpStatusFor(j.status()), j.status().message());
    matches.push_back(std::move(j).value());
  }
  Json uses = Json::array();
  for (const auto& use : view->phrase_uses) {
    uses.push_back(
        {{"source", use.source}, {"first", use.first_date}, {"last", use.last_date}, {"articles", use.articles}});
  }
  return {200,
          {{"watch", WatchSpecJson(view->spec)},
           {"created_at", view->created_at},
           {"matches", std::move(matches)},
           {"phrase_uses", std::move(uses)}}};
}

ApiReply ApiWatchAdd(const ApiContext& context, const std::string& body) {
  const Json request = Json::parse(body, nullptr, false);
  if (!request.is_object()) return ErrorReply(400, "body: not a JSON object", "body");
  WatchSpec spec;
  for (const auto& [field, target] :
       {std::pair{"name", &spec.name}, std::pair{"query", &spec.query}, std::pair{"phrase", &spec.phrase},
        std::pair{"speaker", &spec.speaker}, std::pair{"from", &spec.from_date}, std::pair{"to", &spec.to_date},
        std::pair{"media", &spec.media}}) {
    if (!request.contains(field) || request[field].is_null()) continue;
    if (!request[field].is_string() || request[field].get<std::string>().size() > 1000) {
      return ErrorReply(400, std::string(field) + ": must be a string of at most 1000 bytes", field);
    }
    *target = request[field].get<std::string>();
  }
  for (const auto& [field, target] : {std::pair{"sources", &spec.sources}, std::pair{"entities", &spec.entities}}) {
    if (!request.contains(field)) continue;
    if (!request[field].is_array() || request[field].size() > 20) {
      return ErrorReply(400, std::string(field) + ": must be a list of at most 20 strings", field);
    }
    for (const Json& item : request[field]) {
      if (!item.is_string()) return ErrorReply(400, std::string(field) + ": must be a list of strings", field);
      target->push_back(item.get<std::string>());
    }
  }
  return context.writer->Run([&](Engine& engine) -> ApiReply {
    auto matches = engine.AddWatch(spec);
    if (!matches.ok()) {
      const bool bad_name = matches.status().message().find("watchlist name") != std::string::npos;
      return ErrorReply(HttpStatusFor(matches.status()), matches.status().message(), bad_name ? "name" : "");
    }
    return {201, {{"watch", WatchSpecJson(spec)}, {"matches", *matches}}};
  });
}

ApiReply ApiWatchRemove(const ApiContext& context, const std::string& name) {
  return context.writer->Run([&](Engine& engine) -> ApiReply {
    if (Status status = engine.RemoveWatch(name); !status.ok()) {
      return ErrorReply(HttpStatusFor(status), status.message());
    }
    return {200, {{"removed", name}}};
  });
}

FeedReply WatchFeed(const ApiContext& context, const std::string& name, const std::string& self_url) {
  auto lease = context.pool->Acquire();
  if (!lease.ok()) return {HttpStatusFor(lease.status()), lease.status().message()};
  auto view = (*lease)->ShowWatch(name, kMaxWatchMatches);
  if (!view.ok()) return {HttpStatusFor(view.status()), view.status().message()};
  const std::string updated = view->matches.empty() ? view->created_at : view->matches.front().matched_at;
  std::string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
  xml += "<title>echotrace watchlist " + XmlEscape(name) + "</title>\n";
  xml += "<id>urn:echotrace:watch:" + XmlEscape(name) + "</id>\n";
  xml += "<link rel=\"self\" href=\"" + XmlEscape(self_url) + "\"/>\n";
  xml += "<updated>" + XmlEscape(updated) + "</updated>\n<author><name>echotrace</name></author>\n";
  for (const WatchMatch& m : view->matches) {
    auto v = (*lease)->Version(m.docno);
    if (!v.ok()) return {HttpStatusFor(v.status()), v.status().message()};
    const std::string title = v->doc.title.empty() ? "(untitled)" : v->doc.title;
    xml += "<entry>\n<title>" + XmlEscape(title) + "</title>\n";
    xml += "<id>urn:echotrace:version:" + XmlEscape(v->version_id) + "</id>\n";
    if (!v->doc.url.empty()) xml += "<link href=\"" + XmlEscape(v->doc.url) + "\"/>\n";
    xml += "<updated>" + XmlEscape(m.matched_at) + "</updated>\n";
    const std::string summary(Utf8Prefix(v->doc.Body(), 400));
    xml += "<summary>" + XmlEscape((v->doc.source.empty() ? "" : v->doc.source + ", ") + v->doc.date + ": " + summary) +
           "</summary>\n</entry>\n";
  }
  xml += "</feed>\n";
  return {200, std::move(xml)};
}

}  // namespace echotrace::server

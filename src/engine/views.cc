// The JSON views of views.h: one encoder for the CLI's --json and the API.
#include "engine/views.h"

#include <algorithm>
#include <climits>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "annotate/entities.h"
#include "core/text.h"
#include "engine/json.h"
#include "lexicon/gazetteer.h"
#include "lexicon/outlets.h"
#include "link/linker.h"
#include "search/trends.h"

namespace echotrace {
namespace {

using Json = nlohmann::json;

std::string EntityName(std::string_view key, const std::vector<std::string>& surface_forms) {
  if (const GazetteerEntry* entry = FindEntry(DefaultGazetteer(), key)) return entry->name;
  return surface_forms.empty() ? std::string(key) : surface_forms.front();
}

// "organization" is what a reader types; annotation labels it "org".
std::string EntityLabel(const std::string& kind) { return kind == "organization" ? "org" : kind; }

bool StartsWithFolded(const std::string& folded_prefix, std::string_view text) {
  const std::string folded = FoldForKey(text);
  return folded.compare(0, folded_prefix.size(), folded_prefix) == 0;
}

// The original of a traced quote, its diff and its chain of republications.
Json MatchJson(const Engine& engine, const QuoteMatch& match) {
  Json j = {{"original", nullptr},
            {"similarity", std::clamp(match.coverage, 0.0, 1.0)},
            {"diff", DiffJson(match.diff)},
            {"paragraph", match.paragraph},
            {"match", std::string(MatchKind(match))},  // verbatim | near | paraphrase
            {"why", match.why},                        // verbatim | anchored | window+topic | paraphrase
            {"confidence", match.confidence}};
  auto origin = engine.Version(match.docno);
  if (!origin.ok()) return j;
  const std::string& text = origin->doc.text;
  const uint32_t end = std::min<uint32_t>(match.origin_end, static_cast<uint32_t>(text.size()));
  const uint32_t begin = std::min(match.origin_begin, end);
  j["original"] = {{"article", ArticleSummaryJson(*origin)},
                   {"text", text.substr(begin, end - begin)},
                   {"begin", begin},
                   {"end", end}};
  Json chain = Json::array();
  Json first = ArticleSummaryJson(*origin);
  first["relation"] = "original";
  chain.push_back(std::move(first));
  for (int64_t docno : match.republications) {
    auto again = engine.Version(docno);
    if (!again.ok()) continue;
    Json item = ArticleSummaryJson(*again);
    item["relation"] = "republication";
    chain.push_back(std::move(item));
  }
  j["chain"] = std::move(chain);
  return j;
}

// The stored link whose matched bytes fall inside [begin, end), if any.
const StoredQuoteLink* LinkInside(const std::vector<StoredQuoteLink>& links, int64_t begin, int64_t end) {
  for (const StoredQuoteLink& link : links) {
    if (link.match.quote_begin < end && link.match.quote_end > begin) return &link;
  }
  return nullptr;
}

}  // namespace

Result<Json> EntitiesView(const Engine& engine, const EntitiesQuery& query) {
  // TopKeys is ordered by articles; a prefix filters that list.
  constexpr int64_t kScan = 20000;
  ET_ASSIGN_OR_RETURN(std::vector<KeyCount> rows, engine.TopKeys(query.key_kind, EntityLabel(query.kind), kScan));
  const std::string prefix = FoldForKey(query.prefix);
  Json list = Json::array();
  int64_t total = 0;
  for (const KeyCount& row : rows) {
    const std::string name = EntityName(row.key, row.surface_forms);
    if (!prefix.empty()) {
      bool hit = StartsWithFolded(prefix, name) || StartsWithFolded(prefix, row.key);
      for (const std::string& form : row.surface_forms) hit = hit || StartsWithFolded(prefix, form);
      if (!hit) continue;
    }
    if (total >= query.offset && total < int64_t{query.offset} + query.limit) {
      list.push_back({{"key", row.key},
                      {"name", name},
                      {"kind", row.label},
                      {"articles", row.documents},
                      {"mentions", row.mentions},
                      {"surface_forms", row.surface_forms}});
    }
    ++total;
  }
  return Json{{"total", total}, {"entities", std::move(list)}, {"approximate", rows.size() >= size_t{kScan}}};
}

namespace {

Result<Json> QuoteJson(const Engine& engine, const StoredVersion& version, const Span& span,
                       const std::vector<StoredQuoteLink>& links) {
  Json j = {{"id", "q-" + version.version_id + "-" + std::to_string(span.begin)},
            {"article", ArticleSummaryJson(version)},
            {"begin", span.begin},
            {"end", span.end},
            {"text", std::string(version.doc.SpanText(span))},
            {"type", span.label},
            {"speaker", std::string(span.Attr("speaker"))},
            {"channel", std::string(span.Attr("channel"))},
            {"original", nullptr}};
  if (!span.Attr("speaker").empty()) j["speaker_name"] = EntityName(span.Attr("speaker"), {});
  if (const StoredQuoteLink* link = LinkInside(links, span.begin, span.end)) j.update(MatchJson(engine, link->match));
  return j;
}

// The feed of traced quotes: stored links, newest citing article first.
Result<Json> NewestTraced(const Engine& engine, const QuotesQuery& query) {
  int64_t total = 0;
  ET_ASSIGN_OR_RETURN(const std::vector<StoredQuoteLink> links, engine.NewestLinks(query.limit, query.offset, &total));
  Json list = Json::array();
  std::optional<StoredVersion> citing;
  for (const StoredQuoteLink& link : links) {
    if (!citing || citing->docno != link.citing) {
      auto v = engine.Version(link.citing);
      if (!v.ok()) continue;
      citing = std::move(v).value();
    }
    const std::string& text = citing->doc.text;
    const uint32_t end = std::min<uint32_t>(link.match.quote_end, static_cast<uint32_t>(text.size()));
    const uint32_t begin = std::min(link.match.quote_begin, end);
    Json j = {{"id", "q-" + citing->version_id + "-" + std::to_string(begin)},
              {"article", ArticleSummaryJson(*citing)},
              {"begin", begin},
              {"end", end},
              {"text", text.substr(begin, end - begin)}};
    j.update(MatchJson(engine, link.match));
    list.push_back(std::move(j));
  }
  return Json{{"total", total}, {"quotes", std::move(list)}, {"approximate", false}};
}

}  // namespace

Result<Json> QuotesView(const Engine& engine, const QuotesQuery& query) {
  if (query.newest) return NewestTraced(engine, query);
  // Quotes of one article come from its spans; otherwise from the mentions
  // table (newest first), filtered by words when asked.
  struct Found {
    int64_t docno;
    uint32_t begin, end;
  };
  std::vector<Found> found;
  bool approximate = false;
  if (!query.article.empty()) {
    ET_ASSIGN_OR_RETURN(ArticleView view, engine.Show(query.article));
    for (const Span& span : view.version.doc.spans) {
      if (span.kind != SpanKind::kQuote) continue;
      if (!query.speaker.empty() && span.Attr("speaker") != query.speaker) continue;
      found.push_back({view.version.docno, span.begin, span.end});
    }
  } else {
    constexpr int64_t kScan = 5000;
    ET_ASSIGN_OR_RETURN(std::vector<QuoteRow> rows, engine.Quotes(query.speaker, kScan, 0));
    approximate = rows.size() >= size_t{kScan};
    for (const QuoteRow& row : rows) {
      found.push_back({row.docno, static_cast<uint32_t>(row.begin), static_cast<uint32_t>(row.end)});
    }
  }
  const std::string words = FoldForKey(query.text);
  Json list = Json::array();
  int64_t total = 0;
  int64_t loaded_docno = 0;
  std::optional<StoredVersion> version;
  std::optional<std::vector<StoredQuoteLink>> links;  // of `version`, read once when first needed
  for (const Found& item : found) {
    const bool in_page = total >= query.offset && total < int64_t{query.offset} + query.limit;
    // Without a word filter a quote outside the page is only counted: its
    // article need not be read (mentions rows are the latest versions' spans).
    if (words.empty() && !in_page) {
      ++total;
      continue;
    }
    if (loaded_docno != item.docno) {
      ET_ASSIGN_OR_RETURN(StoredVersion v, engine.Version(item.docno));
      version = std::move(v);
      loaded_docno = item.docno;
      links.reset();
    }
    const auto span = std::find_if(version->doc.spans.begin(), version->doc.spans.end(), [&](const Span& s) {
      return s.kind == SpanKind::kQuote && s.begin == item.begin && s.end == item.end;
    });
    if (span == version->doc.spans.end()) continue;
    if (!words.empty() && FoldForKey(version->doc.SpanText(*span)).find(words) == std::string::npos) continue;
    if (total >= query.offset && total < int64_t{query.offset} + query.limit) {
      if (!links) {
        auto stored = engine.LinksOf(item.docno);
        links = stored.ok() ? std::move(stored).value() : std::vector<StoredQuoteLink>{};
      }
      ET_ASSIGN_OR_RETURN(Json j, QuoteJson(engine, *version, *span, *links));
      list.push_back(std::move(j));
    }
    ++total;
  }
  return Json{{"total", total}, {"quotes", std::move(list)}, {"approximate", approximate}};
}

Json QuoteMatchJson(const Engine& engine, const QuoteMatch& match, std::string_view traced_text) {
  const uint32_t end = std::min<uint32_t>(match.quote_end, static_cast<uint32_t>(traced_text.size()));
  const uint32_t begin = std::min(match.quote_begin, end);
  Json j = {{"article", nullptr},   {"begin", begin},
            {"end", end},           {"text", std::string(traced_text.substr(begin, end - begin))},
            {"score", match.score}, {"matched_words", match.matched_words}};
  j.update(MatchJson(engine, match));
  return j;
}

bool TracesAsArticle(const TraceQuery& query) {
  const std::string& text = query.text;
  return !query.date.empty() || !query.url.empty() || text.find('\n') != std::string::npos ||
         text.find('"') != std::string::npos || text.find("\xE2\x80\x9C") != std::string::npos;
}

Result<Json> TraceView(const Engine& engine, const TraceQuery& query) {
  // A whole article is traced like an ingested one (Engine::TraceText);
  // offsets are then bytes of its extracted text, returned as
  // "traced_text". Otherwise the text is one passage.
  const bool article = TracesAsArticle(query);
  std::vector<QuoteMatch> matches;
  Document doc;
  if (article) {
    if (!query.before.empty() || query.all_outlets) {
      return Status::Usage(
          "before: --before and --all-outlets trace one passage; a whole article is bounded by its date");
    }
    ET_ASSIGN_OR_RETURN(matches, engine.TraceText(query.text, query.date, query.url, &doc));
  } else {
    TraceRequest request;
    request.state_media_only = !query.all_outlets;
    if (!query.before.empty()) {
      const int32_t day = DayNumber(query.before);
      if (day == IndexedDoc::kUnknownDay) return Status::Usage("before: wants YYYY-MM-DD, got '" + query.before + "'");
      request.last_day = day;
    }
    ET_ASSIGN_OR_RETURN(matches, engine.Trace(query.text, request));
  }
  const std::string& traced = article ? doc.text : query.text;
  Json quotes = Json::array();
  for (const QuoteMatch& match : matches) {
    if (quotes.size() >= static_cast<size_t>(query.limit)) break;
    quotes.push_back(QuoteMatchJson(engine, match, traced));
  }
  Json out{{"quotes", std::move(quotes)}, {"republications", Json::array()}};
  if (article) out["traced_text"] = traced;
  return out;
}

namespace {

// An event's members, described; its dates and a display name.
Json EventJson(const Engine& engine, const EventGroup& event) {
  Json state = Json::array(), foreign = Json::array();
  std::string first_date, last_date, name, opening;
  for (int64_t docno : event.docnos) {
    auto v = engine.Version(docno);
    if (!v.ok()) continue;
    const std::string& date = v->doc.date;
    if (!date.empty()) {
      if (first_date.empty() || date < first_date) first_date = date;
      if (date > last_date) last_date = date;
    }
    if (name.empty()) {  // the event's own wording when a member names it
      for (const Span& span : v->doc.spans) {
        if (span.kind == SpanKind::kEvent && !event.key.empty() && span.key == event.key) {
          name = std::string(v->doc.SpanText(span));
          break;
        }
      }
    }
    if (opening.empty()) {  // read now: a member without a title may have to name the event
      constexpr size_t kOpeningBytes = 80;
      opening = std::string(Utf8Prefix(v->doc.Body(), kOpeningBytes));
    }
    (IsStateMediaSource(v->doc.source) ? state : foreign).push_back(ArticleSummaryJson(*v));
  }
  // Else the first member's headline (state media first), else the opening
  // words of its text (some corpus years have no titles).
  for (const Json* side : {&state, &foreign}) {
    for (const Json& member : *side) {
      if (name.empty()) name = member.value("title", "");
    }
  }
  if (name.empty() && !opening.empty()) name = opening + "\xE2\x80\xA6";
  return {{"key", event.key.empty() ? "e-" + std::to_string(event.docnos.front()) : event.key},
          {"name", name},
          {"date", first_date},
          {"end_date", last_date},
          {"articles", event.docnos.size()},
          {"stubs", event.stubs},
          {"state", std::move(state)},
          {"foreign", std::move(foreign)}};
}

}  // namespace

Result<Json> EventsView(const Engine& engine, const EventsQuery& query) {
  ET_ASSIGN_OR_RETURN(const auto events, engine.Events());
  // Dates filter on the group's own days, so only the page's members are
  // read from the store (the whole list is about 15,000 events on the corpus).
  const int32_t from = query.from_date.empty() ? INT32_MIN : DayNumber(query.from_date);
  const int32_t to = query.to_date.empty() ? INT32_MAX : DayNumber(query.to_date);
  if (from == IndexedDoc::kUnknownDay && !query.from_date.empty()) {
    return Status::Usage("from: wants YYYY-MM-DD, got '" + query.from_date + "'");
  }
  if (to == IndexedDoc::kUnknownDay && !query.to_date.empty()) {
    return Status::Usage("to: wants YYYY-MM-DD, got '" + query.to_date + "'");
  }
  const bool dated_only = !query.from_date.empty() || !query.to_date.empty();
  std::vector<const EventGroup*> chosen;
  for (const EventGroup& event : *events) {
    if (event.docnos.empty()) continue;
    if (dated_only && (event.first_day == IndexedDoc::kUnknownDay || event.last_day < from || event.first_day > to)) {
      continue;
    }
    chosen.push_back(&event);
  }
  // Newest first; undated events last. GroupEvents gives time order, undated last.
  const auto undated = std::find_if(chosen.begin(), chosen.end(),
                                    [](const EventGroup* e) { return e->first_day == IndexedDoc::kUnknownDay; });
  std::reverse(chosen.begin(), undated);
  const std::string words = FoldForKey(query.text);
  Json list = Json::array();
  int64_t total = 0;
  for (const EventGroup* event : chosen) {
    const bool in_page = total >= query.offset && total < int64_t{query.offset} + query.limit;
    if (words.empty()) {
      if (in_page) list.push_back(EventJson(engine, *event));
      ++total;
      continue;
    }
    Json j = EventJson(engine, *event);  // the name is needed to filter
    if (FoldForKey(j["name"].get<std::string>() + " " + event->key).find(words) == std::string::npos) continue;
    if (in_page) list.push_back(std::move(j));
    ++total;
  }
  return Json{{"total", total}, {"events", std::move(list)}};
}

Result<Json> ArticleLinksView(const Engine& engine, const StoredVersion& version) {
  ET_ASSIGN_OR_RETURN(std::vector<StoredQuoteLink> links, engine.LinksOf(version.docno));
  Json quotes = Json::array();
  for (const StoredQuoteLink& link : links) {
    // Report the article's quote span that holds the match, as the UI links spans.
    int64_t begin = link.match.quote_begin, end = link.match.quote_end;
    for (const Span& span : version.doc.spans) {
      if (span.kind == SpanKind::kQuote && span.begin <= begin && span.end >= end) {
        begin = span.begin;
        end = span.end;
        break;
      }
    }
    Json j = {{"begin", begin}, {"end", end}};
    j.update(MatchJson(engine, link.match));
    quotes.push_back(std::move(j));
  }
  ET_ASSIGN_OR_RETURN(const auto dup_pairs, engine.DupPairs());
  ET_ASSIGN_OR_RETURN(const auto events_of_corpus, engine.Events());
  Json republications = Json::array();
  for (const DupPairRow& pair : *dup_pairs) {
    if (pair.a != version.docno && pair.b != version.docno) continue;
    const int64_t other = pair.a == version.docno ? pair.b : pair.a;
    auto v = engine.Version(other);
    if (!v.ok()) continue;
    republications.push_back({{"article", ArticleSummaryJson(*v)},
                              // A headline stub of the same story is another listing of it, not a republication.
                              {"relation", v->doc.IsHeadlineStub() || version.doc.IsHeadlineStub()
                                               ? "also listed as"
                                               : (other < version.docno ? "republishes" : "republished by")},
                              {"similarity", pair.similarity}});
  }
  Json events = Json::array();
  for (const EventGroup& event : *events_of_corpus) {
    if (std::find(event.docnos.begin(), event.docnos.end(), version.docno) == event.docnos.end()) continue;
    Json j = EventJson(engine, event);
    events.push_back({{"key", j["key"]}, {"name", j["name"]}, {"date", j["date"]}});
  }
  // Echoed by: the foreign articles whose quotes were traced to this one.
  constexpr size_t kMaxEchoes = 200;  // a much-quoted speech; the rest are counted
  ET_ASSIGN_OR_RETURN(const std::vector<StoredQuoteLink> echoes, engine.EchoesOf(version.docno));
  // Byte ranges clamped to their texts (stored links outlive re-extraction until relinked).
  auto cut = [](const std::string& text, uint32_t from, uint32_t to) {
    const size_t end = std::min<size_t>(to, text.size());
    const size_t begin = std::min<size_t>(from, end);
    return text.substr(begin, end - begin);
  };
  Json echoed_by = Json::array();
  std::optional<StoredVersion> citing;
  for (const StoredQuoteLink& echo : echoes) {
    if (echoed_by.size() >= kMaxEchoes) break;
    if (!citing || citing->docno != echo.citing) {
      auto v = engine.Version(echo.citing);
      if (!v.ok()) continue;
      citing = std::move(v).value();
    }
    echoed_by.push_back({{"article", ArticleSummaryJson(*citing)},
                         {"quote", cut(citing->doc.text, echo.match.quote_begin, echo.match.quote_end)},
                         {"original", cut(version.doc.text, echo.match.origin_begin, echo.match.origin_end)},
                         {"match", std::string(MatchKind(echo.match))},
                         {"why", echo.match.why},
                         {"confidence", echo.match.confidence},
                         {"diff", DiffJson(echo.match.diff)}});
  }
  return Json{{"quotes", std::move(quotes)},
              {"republications", std::move(republications)},
              {"events", events},
              {"echoed_by", std::move(echoed_by)},
              {"echoes", echoes.size()}};
}

Json OutletJson(const std::string& source) {
  const Outlet* outlet = source.empty() ? nullptr : FindOutletByName(source);
  return {{"id", source},
          {"name", outlet != nullptr ? std::string(outlet->name) : (source.empty() ? "unknown" : source)},
          {"state_media", IsStateMediaSource(source)},
          {"known", outlet != nullptr}};
}

std::string VersionRef(const StoredVersion& v) {
  return v.version_id == v.article_id ? v.article_id + "@" + std::to_string(v.seq) : v.version_id;
}

Json ArticleSummaryJson(const StoredVersion& v) {
  return {{"id", v.version_id},
          {"article_id", v.article_id},
          {"title", v.doc.title},
          {"outlet", OutletJson(v.doc.source)},
          {"date", v.doc.date},
          {"url", v.doc.url},
          {"external_id", v.doc.external_id},
          {"version", v.seq},
          {"versions", v.version_count},
          {"latest", v.latest},
          {"headline_stub", v.doc.IsHeadlineStub()},
          {"ingested_at", v.ingested_at}};
}

}  // namespace echotrace

namespace echotrace {
namespace {

// The entity facet: ids with their display names (gazetteer, else the id).
Json EntityFacetJson(const std::vector<std::pair<std::string, int64_t>>& counts) {
  Json out = Json::array();
  for (const auto& [key, count] : counts) {
    const GazetteerEntry* entry = FindEntry(DefaultGazetteer(), key);
    out.push_back({{"key", key}, {"name", entry != nullptr ? entry->name : key}, {"count", count}});
  }
  return out;
}

// A snippet's text without its <mark> tags and HTML escapes.
std::string PlainSnippet(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  for (size_t i = 0; i < html.size();) {
    if (html.compare(i, 6, "<mark>") == 0) {
      i += 6;
    } else if (html.compare(i, 7, "</mark>") == 0) {
      i += 7;
    } else if (html[i] == '&') {
      static constexpr std::pair<std::string_view, char> kEntities[] = {
          {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&#x27;", '\''}};
      bool done = false;
      for (const auto& [entity, ch] : kEntities) {
        if (html.compare(i, entity.size(), entity) == 0) {
          out += ch;
          i += entity.size();
          done = true;
          break;
        }
      }
      if (!done) out += html[i++];
    } else {
      out += html[i++];
    }
  }
  return out;
}

// The other listings of `story` (folded headline stubs), loaded.
std::vector<StoredVersion> Listings(const Engine& engine, const StoredVersion& story) {
  std::vector<StoredVersion> out;
  auto docnos = engine.ListingsOf(story);
  if (!docnos.ok()) return out;
  for (int64_t docno : *docnos) {
    if (docno == story.docno) continue;
    if (auto v = engine.Version(docno); v.ok()) out.push_back(std::move(v).value());
  }
  return out;
}

std::string CsvCell(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

Json SourceFacetJson(const std::map<std::string, int64_t>& by_source) {
  Json out = Json::array();
  for (const auto& [source, count] : by_source) {
    Json outlet = OutletJson(source);
    outlet["count"] = count;
    out.push_back(std::move(outlet));
  }
  return out;
}

Result<Json> SearchView(const Engine& engine, const SearchRequest& request) {
  std::vector<StoredVersion> versions;
  ET_ASSIGN_OR_RETURN(SearchResponse response, engine.Search(request, &versions));
  Json hits = Json::array();
  for (size_t i = 0; i < response.hits.size() && i < versions.size(); ++i) {
    const SearchHit& hit = response.hits[i];
    Json j = ArticleSummaryJson(versions[i]);
    j["rank"] = request.offset + static_cast<int64_t>(i) + 1;
    j["score"] = hit.score;
    j["snippet"] = hit.snippet;
    const std::vector<StoredVersion> listings = Listings(engine, versions[i]);
    if (!listings.empty()) {
      Json also = Json::array();
      for (const StoredVersion& v : listings) also.push_back(ArticleSummaryJson(v));
      j["also_listed_as"] = std::move(also);
    }
    hits.push_back(std::move(j));
  }
  const bool exact_total =
      request.with_histogram ? !response.histogram_approximate : request.with_facets && response.total_exact;
  Json body = {{"query", request.query},           {"sort", std::string(SearchSortName(response.sort))},
               {"offset", request.offset},         {"limit", request.limit},
               {"total", response.total_estimate}, {"approximate", !exact_total},
               {"hits", std::move(hits)},          {"facets", Json::object()}};
  if (request.with_facets) {
    body["facets"] = {{"outlet", SourceFacetJson(response.by_source)}, {"month", response.by_month}};
    if (request.with_entity_facet) body["facets"]["entity"] = EntityFacetJson(response.by_entity);
    body["facets_approximate"] = response.facets_approximate;
    body["facet_documents"] = response.facet_documents;
    if (request.with_entity_facet) body["entity_facet_documents"] = response.entity_facet_documents;
  }
  if (request.with_histogram) {
    Json months = Json::object();
    int64_t undated = 0;
    for (const auto& [month, count] : response.histogram) {
      if (month.empty()) {
        undated += count;
      } else {
        months[month] = count;
      }
    }
    Json histogram = {{"months", months}, {"undated", undated}, {"approximate", response.histogram_approximate}};
    body["histogram"] = std::move(histogram);
  }
  if (const int64_t lag = engine.IndexLag(); lag > 0) body["unindexed"] = lag;
  // An asked outlet with hits in the facets is known: list the index's outlets only for the others.
  std::vector<std::string> unseen;
  for (const std::string& outlet : request.sources) {
    if (response.by_source.count(outlet) == 0) unseen.push_back(outlet);
  }
  if (std::vector<std::string> warnings = UnknownOutletWarnings(engine, unseen); !warnings.empty()) {
    body["warnings"] = std::move(warnings);
  }
  return body;
}

std::vector<std::string> UnknownOutletWarnings(const Engine& engine, const std::vector<std::string>& outlets) {
  std::vector<std::string> warnings;
  if (outlets.empty()) return warnings;
  auto known = IndexedSources(engine.layout().IndexPath());
  if (!known.ok()) return warnings;
  for (const std::string& outlet : outlets) {
    if (std::find(known->begin(), known->end(), outlet) != known->end()) continue;
    std::string list;
    for (const std::string& k : *known) list += (list.empty() ? "" : ", ") + (k.empty() ? std::string("(unknown)") : k);
    warnings.push_back("no articles from outlet '" + outlet + "'; outlets here: " + list);
  }
  return warnings;
}

Json QueryErrorJson(const std::string& query, const Status& status) {
  Json error = {{"error", status.message()}, {"code", std::string(StatusCodeId(status.code()))}, {"parameter", "q"}};
  if (status.code() != StatusCode::kUsage) return error;
  error["code"] = "bad_parameter";
  if (auto problem = FindQueryProblem(query)) {
    error["code"] = "query_syntax";
    error["position"] = problem->position;
  } else if (status.message().rfind("query: cannot be read", 0) == 0) {
    error["code"] = "query_syntax";
  }
  return error;
}

Result<Json> EntityView(const Engine& engine, const EntityQuery& query) {
  const std::string id(TrimAscii(query.id));
  if (id.empty()) return Status::Usage("id: give an entity id or name (see `echotrace entities`)");
  std::string key = CanonicalId(DefaultGazetteer(), id);
  if (key.empty()) key = AsciiLower(id);
  const GazetteerEntry* entry = FindEntry(DefaultGazetteer(), key);

  // Articles, months and neighbours come from the index (exact filter XENT).
  SearchRequest request;
  request.entities = {key};
  request.limit = 1;
  request.with_histogram = true;
  ET_ASSIGN_OR_RETURN(SearchResponse found, engine.Search(request));
  ET_ASSIGN_OR_RETURN(auto forms, engine.SurfaceForms("entity", key, 50));
  if (found.total_estimate == 0 && forms.empty() && entry == nullptr) {
    return Status::NotFound("id: no entity '" + id + "' (see `echotrace entities` for the ids)");
  }
  Json months = Json::object();
  int64_t undated = 0;
  for (const auto& [month, count] : found.histogram) {
    if (month.empty()) {
      undated = count;
    } else {
      months[month] = count;
    }
  }
  Json spellings = Json::array();
  for (const auto& [text, count] : forms) spellings.push_back({{"text", text}, {"mentions", count}});
  Json co = Json::array();
  for (const auto& [other, count] : found.by_entity) {
    if (other == key) continue;
    const GazetteerEntry* e = FindEntry(DefaultGazetteer(), other);
    co.push_back({{"key", other}, {"name", e != nullptr ? e->name : other}, {"count", count}});
  }

  // Titles and roles written beside the name ("Premier Kim Tok Hun"), with
  // the first and last day each was seen: the newest articles and the oldest.
  struct Seen {
    std::string first, last;
    int64_t articles = 0;
  };
  std::map<std::string, Seen> roles;
  std::set<int64_t> read;
  for (const bool newest : {true, false}) {
    ET_ASSIGN_OR_RETURN(std::vector<int64_t> docnos, engine.DocnosWithKey("entity", key, newest, newest ? 250 : 50));
    for (const int64_t docno : docnos) {
      if (!read.insert(docno).second) continue;
      auto v = engine.Version(docno);
      if (!v.ok()) continue;
      std::set<std::string> here;
      for (const Span& span : v->doc.spans) {
        if (span.kind != SpanKind::kEntity || span.key != key) continue;
        const std::string role(TrimAscii(span.Attr("role")));
        if (!role.empty()) here.insert(role);
      }
      for (const std::string& role : here) {
        Seen& seen = roles[role];
        ++seen.articles;
        const std::string& day = v->doc.date;
        if (day.empty()) continue;
        if (seen.first.empty() || day < seen.first) seen.first = day;
        if (seen.last.empty() || day > seen.last) seen.last = day;
      }
    }
  }
  std::vector<std::pair<std::string, Seen>> by_first(roles.begin(), roles.end());
  std::sort(by_first.begin(), by_first.end(), [](const auto& a, const auto& b) {
    if (a.second.first != b.second.first) return a.second.first < b.second.first;
    return a.first < b.first;
  });
  Json role_list = Json::array();
  for (const auto& [role, seen] : by_first) {
    role_list.push_back({{"role", role}, {"first", seen.first}, {"last", seen.last}, {"articles", seen.articles}});
  }

  QuotesQuery quotes;
  quotes.speaker = key;
  quotes.limit = query.quotes;
  ET_ASSIGN_OR_RETURN(Json quoted, QuotesView(engine, quotes));

  std::string kind = entry != nullptr ? entry->type : "";
  if (kind.empty()) {
    ET_ASSIGN_OR_RETURN(std::vector<int64_t> one, engine.DocnosWithKey("entity", key, true, 1));
    if (!one.empty()) {
      if (auto v = engine.Version(one.front()); v.ok()) {
        for (const Span& span : v->doc.spans) {
          if (span.kind == SpanKind::kEntity && span.key == key) {
            kind = span.label;
            break;
          }
        }
      }
    }
  }
  Json body = {
      {"key", key},
      {"name", EntityName(key, forms.empty() ? std::vector<std::string>{} : std::vector<std::string>{forms[0].first})},
      {"kind", kind == "org" ? "organization" : kind},
      {"known", entry != nullptr},
      {"articles", found.total_estimate},
      {"spellings", std::move(spellings)},
      {"roles", std::move(role_list)},
      {"roles_sampled", read.size()},
      {"by_month", std::move(months)},
      {"undated", undated},
      {"co_occurring", std::move(co)},
      {"quotes", std::move(quoted)}};
  if (kind == "outlet" || FindOutletByName(key) != nullptr) {
    // An outlet also publishes: its own articles by month.
    SearchRequest published;
    published.sources = {key};
    published.limit = 1;
    published.with_facets = false;
    published.with_histogram = true;
    ET_ASSIGN_OR_RETURN(SearchResponse own, engine.Search(published));
    Json own_months = Json::object();
    for (const auto& [month, count] : own.histogram) {
      if (!month.empty()) own_months[month] = count;
    }
    body["published"] = {{"articles", own.total_estimate}, {"by_month", std::move(own_months)}};
  }
  return body;
}

std::optional<ExportFormat> ExportFormatFromName(std::string_view name) {
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "jsonl" || name == "json-lines" || name == "ndjson") return ExportFormat::kJsonLines;
  return std::nullopt;
}

std::string_view ExportContentType(ExportFormat format) {
  return format == ExportFormat::kCsv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
}

const std::vector<std::string>& ExportColumns() {
  static const std::vector<std::string> kColumns = {"rank",        "id",          "article_id",     "outlet",
                                                    "outlet_name", "state_media", "date",           "title",
                                                    "url",         "external_id", "also_listed_as", "snippet"};
  return kColumns;
}

Result<int64_t> ExportSearch(const Engine& engine, SearchRequest request, ExportFormat format, int64_t max_rows,
                             const std::function<Status(std::string_view)>& write) {
  constexpr int kPage = 500;
  request.with_facets = false;
  request.with_entity_facet = false;
  request.with_histogram = false;
  const std::vector<std::string>& columns = ExportColumns();
  if (format == ExportFormat::kCsv) {
    std::string header;
    for (size_t i = 0; i < columns.size(); ++i) header += (i ? "," : "") + columns[i];
    ET_RETURN_IF_ERROR(write(header + "\r\n"));
  }
  int64_t rows = 0;
  while (rows < max_rows) {
    request.limit = static_cast<int>(std::min<int64_t>(kPage, max_rows - rows));
    std::vector<StoredVersion> versions;
    ET_ASSIGN_OR_RETURN(SearchResponse response, engine.Search(request, &versions));
    for (size_t i = 0; i < response.hits.size() && i < versions.size(); ++i) {
      const StoredVersion& v = versions[i];
      std::string also;
      for (const StoredVersion& listing : Listings(engine, v)) also += (also.empty() ? "" : ";") + listing.version_id;
      const Json outlet = OutletJson(v.doc.source);
      const Json row = {{"rank", request.offset + static_cast<int64_t>(i) + 1},
                        {"id", v.version_id},
                        {"article_id", v.article_id},
                        {"outlet", v.doc.source},
                        {"outlet_name", outlet["name"]},
                        {"state_media", outlet["state_media"]},
                        {"date", v.doc.date},
                        {"title", v.doc.title},
                        {"url", v.doc.url},
                        {"external_id", v.doc.external_id},
                        {"also_listed_as", also},
                        {"snippet", PlainSnippet(response.hits[i].snippet)}};
      std::string line;
      if (format == ExportFormat::kJsonLines) {
        Json j = row;
        Json ids = Json::array();
        if (!also.empty()) {
          for (std::string_view rest = also; !rest.empty();) {
            const size_t semi = rest.find(';');
            ids.push_back(std::string(rest.substr(0, semi)));
            rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
          }
        }
        j["also_listed_as"] = std::move(ids);
        line = j.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
      } else {
        for (size_t c = 0; c < columns.size(); ++c) {
          const Json& cell = row[columns[c]];
          if (c) line += ',';
          line += CsvCell(cell.is_string() ? cell.get<std::string>() : cell.dump());
        }
        line += "\r\n";
      }
      ET_RETURN_IF_ERROR(write(line));
      ++rows;
    }
    if (static_cast<int>(response.hits.size()) < request.limit) break;
    request.offset += request.limit;
  }
  return rows;
}

}  // namespace echotrace

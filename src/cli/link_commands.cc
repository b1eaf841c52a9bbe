// trace, dups, reuse, events, links, link: the linking commands (link/).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "engine/json.h"
#include "engine/views.h"
#include "lexicon/outlets.h"
#include "link/doc_trace.h"
#include "link/events.h"
#include "link/linker.h"
#include "link/reuse.h"

namespace echotrace::cli {
namespace {

// Opens the data directory for reading through the Engine (the one door)
// and says when part of it is not linked yet.
Result<std::unique_ptr<Engine>> OpenReadOnly(const std::string& data_dir) {
  ET_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine, Engine::Open(data_dir, Engine::Mode::kRead));
  ET_ASSIGN_OR_RETURN(const int64_t lag, engine->LinkLag());
  if (lag > 0) std::cerr << "echotrace: " << lag << " versions are not linked yet; run `echotrace link`\n";
  return engine;
}

std::string OutletName(const std::string& source) {
  const Outlet* o = FindOutletByName(source);
  return o != nullptr ? std::string(o->name) : (source.empty() ? "unknown outlet" : source);
}

void PrintMatch(const QuoteMatch& m, const Engine& engine, std::string_view quote_text) {
  std::printf("quoted from: %s, %s, paragraph %d  (id %s, score %.2f, %zu words kept)\n", OutletName(m.outlet).c_str(),
              m.date.empty() ? "undated" : m.date.c_str(), m.paragraph, m.version_id.c_str(), m.score, m.matched_words);
  std::printf("  match:  %s, linked as %s, confidence %.2f\n", std::string(MatchKind(m)).c_str(), m.why.c_str(),
              m.confidence);
  std::cout << "  quote:  " << quote_text << "\n";
  auto origin = engine.Version(m.docno);
  if (origin.ok() && m.origin_end <= origin->doc.text.size()) {
    std::cout << "  origin: " << origin->doc.text.substr(m.origin_begin, m.origin_end - m.origin_begin) << "\n";
  }
  std::cout << "  diff:   " << RenderDiff(m.diff) << "\n";
  if (!m.republications.empty())
    std::cout << "  also republished in " << m.republications.size() << " later version(s)\n";
}

// Prints what TraceView found (or, with --json, the view itself: the same
// JSON as POST /api/trace).
int RunTrace(const std::string& data_dir, const TraceQuery& query, bool json) {
  auto opened = OpenReadOnly(data_dir);
  if (!opened.ok()) return Fail(json, opened.status());
  const Engine& engine = **opened;
  auto view = TraceView(engine, query);
  if (!view.ok()) return Fail(json, view.status());
  if (json) {
    std::cout << view->dump() << "\n";
    return 0;
  }
  const Json& quotes = (*view)["quotes"];
  for (const Json& q : quotes) {
    const Json& original = q["original"];
    if (original.is_null()) continue;
    const Json& article = original["article"];
    std::printf("quoted from: %s, %s, paragraph %d  (id %s, %s, linked as %s, confidence %.2f)\n",
                article["outlet"]["name"].get<std::string>().c_str(),
                article["date"].get<std::string>().empty() ? "undated" : article["date"].get<std::string>().c_str(),
                q["paragraph"].get<int>(), article["id"].get<std::string>().c_str(),
                q["match"].get<std::string>().c_str(), q["why"].get<std::string>().c_str(),
                q["confidence"].get<double>());
    std::cout << "  quote:  " << q["text"].get<std::string>() << "\n";
    std::cout << "  origin: " << original["text"].get<std::string>() << "\n";
    if (q["match"] != "paraphrase") std::cout << "  diff:   " << RenderDiffJson(q["diff"]) << "\n";
    const size_t again = q["chain"].size();
    if (again > 1) std::cout << "  also republished in " << again - 1 << " later version(s)\n";
  }
  if (quotes.empty()) {
    std::cout << "no state-media origin found\n";
  } else if (TracesAsArticle(query)) {
    std::cout << quotes.size() << " passage(s) traced\n";
  }
  return 0;
}

// The quotes of a stored article traced afresh with its context, as linking
// at ingest traces them (its date bounds the originals).
int RunTraceStored(const std::string& data_dir, const std::string& doc_id, bool json) {
  auto opened = OpenReadOnly(data_dir);
  if (!opened.ok()) return Fail(json, opened.status());
  const Engine& engine = **opened;
  auto view = engine.Show(doc_id);
  if (!view.ok()) return Fail(json, view.status());
  const StoredVersion& v = view->version;
  auto matches = engine.TraceDocument(v.doc, v.docno);
  if (!matches.ok()) return Fail(json, matches.status());
  Json quotes = Json::array();
  for (const QuoteMatch& m : *matches) quotes.push_back(QuoteMatchJson(engine, m, v.doc.text));
  if (json) {
    std::cout << Json{{"article", ArticleSummaryJson(v)}, {"quotes", quotes}, {"republications", Json::array()}}.dump()
              << "\n";
    return 0;
  }
  for (const QuoteMatch& m : *matches) {
    PrintMatch(m, engine, v.doc.text.substr(m.quote_begin, m.quote_end - m.quote_begin));
  }
  if (matches->empty()) std::cout << "no state-media origin found\n";
  return 0;
}

std::vector<std::vector<int64_t>> DupGroups(const std::vector<DupPairRow>& pairs) {
  std::map<int64_t, int64_t> parent;
  auto find = [&](int64_t x) {
    if (!parent.count(x)) parent[x] = x;
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const DupPairRow& p : pairs) parent[find(p.a)] = find(p.b);
  std::map<int64_t, std::vector<int64_t>> groups;
  for (auto& [x, unused] : parent) groups[find(x)].push_back(x);
  std::vector<std::vector<int64_t>> out;
  for (auto& [root, members] : groups) out.push_back(members);
  return out;
}

int RunDups(const std::string& data_dir, bool json) {
  auto opened = OpenReadOnly(data_dir);
  if (!opened.ok()) return Fail(json, opened.status());
  auto pairs = (*opened)->DupPairs();
  if (!pairs.ok()) return Fail(json, pairs.status());
  Json out = Json::array();
  size_t groups = 0;
  for (std::vector<int64_t>& members : DupGroups(**pairs)) {
    std::vector<StoredVersion> versions;
    for (int64_t docno : members) {
      auto v = (*opened)->Version(docno);
      if (v.ok()) versions.push_back(std::move(*v));
    }
    std::sort(versions.begin(), versions.end(), [](const StoredVersion& a, const StoredVersion& b) {
      if (a.doc.date.empty() != b.doc.date.empty()) return !a.doc.date.empty();
      return a.doc.date != b.doc.date ? a.doc.date < b.doc.date : a.docno < b.docno;
    });
    if (versions.size() < 2) continue;
    ++groups;
    if (json) {
      Json g = Json::array();
      for (const StoredVersion& v : versions) g.push_back(VersionJson(v, false));
      out.push_back({{"original", versions.front().version_id}, {"members", g}});
      continue;
    }
    std::cout << "group of " << versions.size() << " (original first):\n";
    for (const StoredVersion& v : versions) {
      std::cout << "  " << v.version_id << "  " << (v.doc.date.empty() ? "undated   " : v.doc.date) << "  "
                << (v.doc.source.empty() ? "?" : v.doc.source) << "  " << v.doc.title.substr(0, 80) << "\n";
    }
  }
  if (json) {
    std::cout << out.dump() << "\n";
  } else {
    std::cout << groups << " near-duplicate groups\n";
  }
  return 0;
}

// Text: one line per event and its articles; --json: EventsView, the same
// JSON as GET /api/events (paged, with the total).
int RunEvents(const std::string& data_dir, const EventsQuery& query, bool json) {
  auto opened = OpenReadOnly(data_dir);
  if (!opened.ok()) return Fail(json, opened.status());
  auto view = EventsView(**opened, query);
  if (!view.ok()) return Fail(json, view.status());
  if (json) {
    std::cout << view->dump() << "\n";
    return 0;
  }
  const Json& events = (*view)["events"];
  for (const Json& e : events) {
    const std::string date = e["date"], end = e["end_date"];
    std::cout << (date.empty() ? "undated" : date) << (end.empty() || end == date ? "" : " .. " + end) << "  "
              << e["name"].get<std::string>() << "  (" << e["state"].size() << " state, " << e["foreign"].size()
              << " foreign; " << e["key"].get<std::string>() << ")\n";
    for (const char* side : {"state", "foreign"}) {
      for (const Json& a : e[side]) {
        const std::string d = a["date"];
        std::cout << "  " << (d.empty() ? "undated   " : d) << "  " << a["id"].get<std::string>() << "  "
                  << a["outlet"]["id"].get<std::string>() << "  " << a["title"].get<std::string>().substr(0, 80)
                  << "\n";
      }
    }
  }
  const int64_t total = (*view)["total"];
  std::cout << events.size() << " of " << total << " events";
  if (query.offset + static_cast<int64_t>(events.size()) < total) {
    std::cout << " (next page: --offset " << query.offset + static_cast<int64_t>(events.size()) << ")";
  }
  std::cout << "\n";
  return 0;
}

int RunReuse(const std::string& data_dir, size_t min_words, bool json) {
  auto opened = OpenReadOnly(data_dir);
  if (!opened.ok()) return Fail(json, opened.status());
  auto clusters = (*opened)->Reuse(min_words);
  if (!clusters.ok()) return Fail(json, clusters.status());
  Json out = Json::array();
  for (const ReuseCluster& c : *clusters) {
    if (json) {
      out.push_back({{"docnos", c.docnos},
                     {"passage", {{"docno", c.longest.docno}, {"words", c.longest.words}, {"text", c.longest.text}}}});
      continue;
    }
    std::cout << c.docnos.size() << " articles share up to " << c.longest.words << " words: \""
              << c.longest.text.substr(0, 160) << (c.longest.text.size() > 160 ? "..." : "") << "\"\n";
  }
  if (json) {
    std::cout << out.dump() << "\n";
  } else {
    std::cout << clusters->size() << " reuse clusters\n";
  }
  return 0;
}

int RunLinks(const std::string& data_dir, const std::string& id, bool json) {
  auto engine = Engine::Open(data_dir, Engine::Mode::kRead);
  if (!engine.ok()) return Fail(json, engine.status());
  auto view = (*engine)->Show(id);
  if (!view.ok()) return Fail(json, view.status());
  if (json) {  // the same JSON as "links" in GET /api/article/:id
    auto out = ArticleLinksView(**engine, view->version);
    if (!out.ok()) return Fail(json, out.status());
    std::cout << Json{{"article", ArticleSummaryJson(view->version)}, {"links", *out}}.dump() << "\n";
    return 0;
  }
  auto links = (*engine)->LinksOf(view->version.docno);
  if (!links.ok()) return Fail(json, links.status());
  const std::string& text = view->version.doc.text;
  for (const StoredQuoteLink& link : *links) {
    const QuoteMatch& m = link.match;
    const std::string quote =
        m.quote_end <= text.size() ? text.substr(m.quote_begin, m.quote_end - m.quote_begin) : std::string();
    std::printf("\"%s\"\n  quoted from: %s, %s, paragraph %d (id %s)\n  match: %s, linked as %s, confidence %.2f\n",
                quote.c_str(), OutletName(m.outlet).c_str(), m.date.empty() ? "undated" : m.date.c_str(), m.paragraph,
                m.version_id.c_str(), std::string(MatchKind(m)).c_str(), m.why.c_str(), m.confidence);
    if (m.why != "paraphrase") std::printf("  diff: %s\n", RenderDiff(m.diff).c_str());
  }
  // The reverse direction: foreign articles that quote this one.
  auto echoes = (*engine)->EchoesOf(view->version.docno);
  if (!echoes.ok()) return Fail(json, echoes.status());
  if (links->empty() && echoes->empty()) std::cout << "no quote links for this article\n";
  if (!echoes->empty()) std::printf("echoed by %zu foreign quote(s):\n", echoes->size());
  for (const StoredQuoteLink& echo : *echoes) {
    auto citing = (*engine)->Version(echo.citing);
    if (!citing.ok()) continue;
    const std::string& citing_text = citing->doc.text;
    const QuoteMatch& m = echo.match;
    const std::string quote = m.quote_end <= citing_text.size()
                                  ? citing_text.substr(m.quote_begin, m.quote_end - m.quote_begin)
                                  : std::string();
    std::printf("  %s, %s: \"%s\" (%s, id %s)\n", OutletName(citing->doc.source).c_str(),
                citing->doc.date.empty() ? "undated" : citing->doc.date.c_str(), quote.c_str(),
                std::string(MatchKind(m)).c_str(), citing->version_id.c_str());
  }
  return 0;
}

// `trace --report`: foreign articles read from files, traced, not stored. One
// JSON line per article to `out` ("-": standard output, then no table), and
// a table on standard output.
int RunTraceReport(const std::string& data_dir, const std::vector<std::string>& paths, const std::string& out,
                   bool json) {
  auto engine = OpenReadOnly(data_dir);
  if (!engine.ok()) return Fail(engine.status());
  std::ofstream file;
  const bool to_stdout = out == "-" || (out.empty() && json);
  if (!out.empty() && out != "-") {
    file.open(out, std::ios::trunc);
    if (!file) return Fail(Status::IOError("cannot write " + out));
  }
  const bool table = !to_stdout;
  int64_t linked_articles = 0, links = 0, passages = 0;
  std::vector<InputIssue> issues;
  auto traced = (*engine)->TraceFiles(
      paths, ReadLimits{},
      [&](TracedArticle&& a) -> Status {
        passages += static_cast<int64_t>(a.passages);
        links += static_cast<int64_t>(a.matches.size());
        linked_articles += a.matches.empty() ? 0 : 1;
        Json found = Json::array();
        for (const QuoteMatch& m : a.matches) {
          found.push_back(QuoteMatchJson(**engine, m, a.doc.text));  // as `trace --json` lists it
        }
        if (to_stdout || file.is_open()) {
          const Json line{{"file", a.origin},     {"url", a.doc.url},       {"date", a.doc.date},
                          {"title", a.doc.title}, {"passages", a.passages}, {"links", std::move(found)}};
          (to_stdout ? std::cout : file) << line.dump() << "\n";
          if (file.is_open() && !file) return Status::IOError("writing " + out + " failed");
        }
        if (table) {
          std::printf("%s  %s  %s\n  %zu quoted passage(s), %zu traced\n", a.origin.c_str(),
                      a.doc.date.empty() ? "undated" : a.doc.date.c_str(), a.doc.title.substr(0, 70).c_str(),
                      a.passages, a.matches.size());
          for (const QuoteMatch& m : a.matches) {
            std::string quote = a.doc.text.substr(m.quote_begin, m.quote_end - m.quote_begin);
            if (quote.size() > 60) quote = quote.substr(0, 57) + "...";
            std::printf("    %-62s -> %s %s p%d  %s/%s %.2f  (id %s)\n", ("\"" + quote + "\"").c_str(),
                        OutletName(m.outlet).c_str(), m.date.empty() ? "undated" : m.date.c_str(), m.paragraph,
                        std::string(MatchKind(m)).c_str(), m.why.c_str(), m.confidence, m.version_id.c_str());
          }
        }
        return Status::Ok();
      },
      &issues);
  PrintIssues(issues);
  if (!traced.ok()) return Fail(traced.status());
  if (table) {
    std::printf("%lld article(s), %lld quoted passage(s), %lld traced to state media, in %lld article(s)%s\n",
                static_cast<long long>(*traced), static_cast<long long>(passages), static_cast<long long>(links),
                static_cast<long long>(linked_articles), out.empty() ? "" : ("; report in " + out).c_str());
  }
  return 0;
}

}  // namespace

int RunNewestTraced(const std::string& data_dir, int limit, int offset) {
  auto engine = Engine::Open(data_dir, Engine::Mode::kRead);
  if (!engine.ok()) return Fail(engine.status());
  int64_t total = 0;
  auto links = (*engine)->NewestLinks(limit, offset, &total);
  if (!links.ok()) return Fail(links.status());
  std::optional<StoredVersion> citing;
  for (const StoredQuoteLink& link : *links) {
    if (!citing || citing->docno != link.citing) {
      auto v = (*engine)->Version(link.citing);
      if (!v.ok()) continue;
      citing = std::move(v).value();
    }
    const QuoteMatch& m = link.match;
    const std::string& text = citing->doc.text;
    const std::string quote =
        m.quote_end <= text.size() ? text.substr(m.quote_begin, m.quote_end - m.quote_begin) : std::string();
    std::printf("%s, %s: \"%s\"\n  from %s, %s (id %s), %s, linked as %s, confidence %.2f | citing id %s\n",
                OutletName(citing->doc.source).c_str(), citing->doc.date.empty() ? "undated" : citing->doc.date.c_str(),
                quote.c_str(), OutletName(m.outlet).c_str(), m.date.empty() ? "undated" : m.date.c_str(),
                m.version_id.c_str(), std::string(MatchKind(m)).c_str(), m.why.c_str(), m.confidence,
                citing->version_id.c_str());
  }
  if (links->empty()) {
    std::cout << "no traced quotes" << (offset > 0 ? " on this page" : "") << "\n";
  } else {
    std::printf("%d-%zu of %lld traced quotes (--offset %zu for the next)\n", offset + 1,
                static_cast<size_t>(offset) + links->size(), static_cast<long long>(total),
                static_cast<size_t>(offset) + links->size());
  }
  return 0;
}

namespace {

int RunLink(const std::string& data_dir) {
  auto engine = Engine::Open(data_dir, Engine::Mode::kWrite);
  if (!engine.ok()) return Fail(engine.status());
  auto report = (*engine)->Link();
  if (!report.ok()) return Fail(report.status());
  std::printf("linked %lld versions: %lld near-duplicate pairs, %lld quotes traced, %lld linked to an origin\n",
              static_cast<long long>(report->documents), static_cast<long long>(report->dup_pairs),
              static_cast<long long>(report->quotes), static_cast<long long>(report->quote_links));
  for (const LinkSkip& skip : report->skips) {
    std::fprintf(stderr, "echotrace: %s: quotes not traced: %s\n", skip.origin.c_str(), skip.message.c_str());
  }
  return report->skips.empty() ? 0 : 1;
}

}  // namespace

void AddLinkCommands(CLI::App& app, Context* context) {
  struct Flags {
    std::string trace_text, trace_doc, trace_before, trace_date, trace_url, trace_out;
    std::vector<std::string> trace_report;
    bool trace_all = false, trace_json = false, dups_json = false, events_json = false, reuse_json = false;
    size_t reuse_min_words = 12;
    std::string links_id;
    bool links_json = false;
    EventsQuery events;
  };
  auto f = std::make_shared<Flags>();

  CLI::App* trace =
      app.add_subcommand("trace", "find the state-media passage a quote or article reuses, with a word diff");
  trace->add_option("text", f->trace_text, "the quote or passage");
  trace->add_option("--doc", f->trace_doc, "trace the quotes of a stored article (its date bounds the originals)");
  trace->add_option("--before", f->trace_before, "originals published on or before (YYYY-MM-DD)");
  trace->add_flag("--all-outlets", f->trace_all, "look for origins in every outlet, not only state media");
  trace->add_option("--date", f->trace_date,
                    "TEXT is a whole article published on this day (YYYY-MM-DD, YYYY-MM): traced like an ingested one");
  trace->add_option("--url", f->trace_url, "TEXT is a whole article from this URL: traced like an ingested one");
  trace->add_flag("--json", f->trace_json, "print matches as a JSON array");
  trace->add_option("--report", f->trace_report,
                    "a provenance report: trace these foreign articles (files, folders; not ingested), each with its "
                    "own date; a table, and JSON Lines with --out or --json");
  trace->add_option("--out", f->trace_out, "--report: write one JSON line per article to this file ('-': stdout)");
  trace->callback([f, context] {
    if (!f->trace_report.empty()) {
      if (!f->trace_text.empty() || !f->trace_doc.empty() || !f->trace_date.empty() || !f->trace_url.empty()) {
        context->exit_code = Fail(Status::Usage("--report traces files: it takes no TEXT, --doc, --date or --url"));
        return;
      }
      context->exit_code = RunTraceReport(context->data_dir, f->trace_report, f->trace_out, f->trace_json);
      return;
    }
    if (!f->trace_out.empty()) {
      context->exit_code = Fail(Status::Usage("--out goes with --report"));
      return;
    }
    if (f->trace_text.empty() == f->trace_doc.empty()) {
      context->exit_code = Fail(Status::Usage("trace wants either TEXT or --doc ID"));
      return;
    }
    if (!f->trace_doc.empty()) {
      context->exit_code = RunTraceStored(context->data_dir, f->trace_doc, f->trace_json);
      return;
    }
    TraceQuery query;
    query.text = f->trace_text;
    query.date = f->trace_date;
    query.url = f->trace_url;
    query.before = f->trace_before;
    query.all_outlets = f->trace_all;
    query.limit = 100;
    context->exit_code = RunTrace(context->data_dir, query, f->trace_json);
  });

  CLI::App* dups = app.add_subcommand("dups", "near-duplicate groups (republications, teasers), original first");
  dups->add_flag("--json", f->dups_json, "print as JSON");
  dups->callback([f, context] { context->exit_code = RunDups(context->data_dir, f->dups_json); });

  CLI::App* reuse = app.add_subcommand("reuse", "corpus-wide reuse clusters: passages shared between articles");
  reuse->add_option("--min-words", f->reuse_min_words, "shortest passage counted (default 12)")
      ->check(CLI::Range(4, 10000));
  reuse->add_flag("--json", f->reuse_json, "print as JSON");
  reuse->callback(
      [f, context] { context->exit_code = RunReuse(context->data_dir, f->reuse_min_words, f->reuse_json); });

  CLI::App* events = app.add_subcommand("events", "articles grouped by the event they report, in time order");
  events->add_option("--from", f->events.from_date, "events ending on or after this day (YYYY-MM-DD)")
      ->check(IsoDateValidator());
  events->add_option("--to", f->events.to_date, "events starting on or before this day (YYYY-MM-DD)")
      ->check(IsoDateValidator());
  events->add_option("--text,-q", f->events.text, "only events whose name holds these words");
  events->add_option("--limit", f->events.limit, "how many (default 50)")->check(CLI::Range(1, 100000));
  events->add_option("--offset", f->events.offset, "skip this many (paging)")->check(CLI::NonNegativeNumber);
  events->add_flag("--json", f->events_json, "print as JSON (the same as GET /api/events)");
  events->callback([f, context] { context->exit_code = RunEvents(context->data_dir, f->events, f->events_json); });

  CLI::App* links = app.add_subcommand("links", "the stored quote links of an article (where its quotes came from)");
  links->add_option("id", f->links_id, "version id, article id, unique prefix, or external id")->required();
  links->add_flag("--json", f->links_json, "print as JSON");
  links->callback([f, context] { context->exit_code = RunLinks(context->data_dir, f->links_id, f->links_json); });

  CLI::App* link = app.add_subcommand("link", "link versions not linked yet (ingest does this itself)");
  link->callback([context] { context->exit_code = RunLink(context->data_dir); });
}

}  // namespace echotrace::cli

// entities, quotes, eval annotate: what annotation found, and its scoring.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "cli/cli.h"
#include "engine/views.h"
#include "eval/annotate_eval.h"

namespace echotrace::cli {
namespace {

// Text: a table; --json: EntitiesView, the same JSON as GET /api/entities.
int RunEntities(const std::string& data_dir, const EntitiesQuery& query, bool json) {
  auto engine = Engine::Open(data_dir, Engine::Mode::kRead);
  if (!engine.ok()) return Fail(json, engine.status());
  auto view = EntitiesView(**engine, query);
  if (!view.ok()) return Fail(json, view.status());
  if (json) {
    std::cout << view->dump() << "\n";
    return 0;
  }
  std::printf("%-36s %-8s %9s %9s  %s\n", "id", "type", "articles", "mentions", "written as");
  for (const Json& row : (*view)["entities"]) {
    const auto& surface_forms = row["surface_forms"];
    std::string forms;
    for (size_t i = 0; i < surface_forms.size() && i < 6; ++i) {
      forms += (i ? " | " : "") + surface_forms[i].get<std::string>();
    }
    if (surface_forms.size() > 6) forms += " | ...";
    std::printf("%-36s %-8s %9lld %9lld  %s\n", row["key"].get<std::string>().c_str(),
                row["kind"].get<std::string>().c_str(), row["articles"].get<long long>(),
                row["mentions"].get<long long>(), forms.c_str());
  }
  const int64_t total = (*view)["total"].get<int64_t>();
  if (total == 0 && query.kind.empty() && query.prefix.empty()) {
    std::cout << "(none: ingest something, or run `echotrace reindex` on data made before annotation)\n";
  } else if (total == 0) {
    std::cout << "(no " << (query.kind.empty() ? "entity" : query.kind) << " matches"
              << (query.prefix.empty() ? "" : " '" + query.prefix + "'")
              << "; types are person, organization, place, outlet)\n";
  } else if ((*view)["entities"].size() < static_cast<size_t>(total)) {
    std::cout << (*view)["entities"].size() << " of " << total << " shown (--offset, --top for more)\n";
  }
  return 0;
}

// Text: the entity's page; --json: EntityView, the same JSON as GET /api/entity/ID.
int RunEntity(const std::string& data_dir, const EntityQuery& query, bool json) {
  auto engine = Engine::Open(data_dir, Engine::Mode::kRead);
  if (!engine.ok()) return Fail(json, engine.status());
  auto view = EntityView(**engine, query);
  if (!view.ok()) return Fail(json, view.status());
  const Json& e = *view;
  if (json) {
    std::cout << e.dump() << "\n";
    return 0;
  }
  std::cout << e["name"].get<std::string>() << "  (" << e["key"].get<std::string>() << ", "
            << (e["kind"].get<std::string>().empty() ? "entity" : e["kind"].get<std::string>()) << ")\n"
            << e["articles"].get<int64_t>() << " articles mention it\n";
  if (!e["spellings"].empty()) {
    std::cout << "\nwritten as:\n";
    for (const Json& s : e["spellings"]) {
      std::printf("  %-40s %7lld\n", s["text"].get<std::string>().c_str(), s["mentions"].get<long long>());
    }
  }
  if (!e["roles"].empty()) {
    std::cout << "\ntitles and roles (from " << e["roles_sampled"].get<int64_t>() << " articles):\n";
    for (const Json& r : e["roles"]) {
      std::printf("  %-40s %s .. %s  (%lld articles)\n", r["role"].get<std::string>().c_str(),
                  r["first"].get<std::string>().c_str(), r["last"].get<std::string>().c_str(),
                  r["articles"].get<long long>());
    }
  }
  if (!e["by_month"].empty()) {
    std::cout << "\nmentions per month (articles):\n";
    for (const auto& [month, count] : e["by_month"].items()) {
      std::printf("  %s %7lld\n", month.c_str(), count.get<long long>());
    }
  }
  if (e.contains("published")) {
    std::cout << "\npublished " << e["published"]["articles"].get<int64_t>() << " articles\n";
  }
  if (!e["co_occurring"].empty()) {
    std::cout << "\nmentioned with:\n";
    for (const Json& c : e["co_occurring"]) {
      std::printf("  %-40s %7lld\n", c["key"].get<std::string>().c_str(), c["count"].get<long long>());
    }
  }
  const Json& quotes = e["quotes"]["quotes"];
  if (!quotes.empty()) {
    std::cout << "\nquotes (" << e["quotes"]["total"].get<int64_t>() << "):\n";
    for (const Json& q : quotes) {
      std::cout << "  \"" << q["text"].get<std::string>() << "\"\n    "
                << q["article"]["outlet"]["id"].get<std::string>() << " " << q["article"]["date"].get<std::string>()
                << " " << q["article"]["title"].get<std::string>() << "\n";
      if (q.contains("original") && q["original"].is_object()) {
        std::cout << "    origin: " << q["original"]["article"]["outlet"]["name"].get<std::string>() << ", "
                  << q["original"]["article"]["date"].get<std::string>() << "\n";
      }
    }
  }
  return 0;
}

// Text: one block per quote; --json: QuotesView, the same JSON as GET /api/quotes.
int RunQuotes(const std::string& data_dir, const QuotesQuery& query, bool json) {
  auto engine = Engine::Open(data_dir, Engine::Mode::kRead);
  if (!engine.ok()) return Fail(json, engine.status());
  auto view = QuotesView(**engine, query);
  if (!view.ok()) return Fail(json, view.status());
  if (json) {
    std::cout << view->dump() << "\n";
    return 0;
  }
  for (const Json& q : (*view)["quotes"]) {
    const Json& article = q["article"];
    const std::string speaker = q.value("speaker_name", q["speaker"].get<std::string>());
    const std::string channel = q["channel"];
    const std::string date = article["date"];
    std::cout << "\n\"" << q["text"].get<std::string>() << "\"\n   " << (speaker.empty() ? "unknown speaker" : speaker);
    if (!channel.empty()) std::cout << " via " << channel;
    std::cout << " | " << article["outlet"]["name"].get<std::string>() << " " << (date.empty() ? "undated" : date)
              << " | " << article["title"].get<std::string>() << " | id " << article["id"].get<std::string>() << "\n";
    if (!q["original"].is_null()) {
      const Json& origin = q["original"]["article"];
      std::cout << "   traced to " << origin["outlet"]["name"].get<std::string>() << " "
                << origin["date"].get<std::string>() << " (" << q["match"].get<std::string>() << ", id "
                << origin["id"].get<std::string>() << ")\n";
    }
  }
  if ((*view)["total"].get<int64_t>() == 0) {
    std::cout << "no quotes" << (query.speaker.empty() ? "" : " by " + query.speaker) << "\n";
  }
  return 0;
}

void PrintKind(const char* name, const KindScore& score) {
  std::printf("  %-9s P %.3f  R %.3f  F1 %.3f  (gold %lld, found %lld, matched %lld)\n", name, score.precision(),
              score.recall(), score.f1(), static_cast<long long>(score.gold), static_cast<long long>(score.predicted),
              static_cast<long long>(score.matched));
}

double Ratio(int64_t right, int64_t checked) { return checked == 0 ? 1.0 : double(right) / double(checked); }

Json KindJson(const KindScore& s) {
  return {{"precision", s.precision()}, {"recall", s.recall()}, {"f1", s.f1()}, {"gold", s.gold},
          {"found", s.predicted},       {"matched", s.matched}};
}

// Real foreign pages (a provenance-dev folder), printed apart from the project's own gold.
int RunEvalRealPages(const std::string& dev_dir, bool json, bool verbose) {
  auto run = EvaluateRealPages(dev_dir);
  if (!run.ok()) return Fail(json, run.status());
  if (json) {
    Json out{{"pages", run->pages},
             {"quotes", KindJson(run->quotes)},
             {"persons", KindJson(run->persons)},
             {"dates", KindJson(run->dates)},
             {"speaker_accuracy", Ratio(run->speakers_right, run->speakers_checked)},
             {"channel_accuracy", Ratio(run->channels_right, run->channels_checked)}};
    if (verbose) out["problems"] = run->problems;
    std::cout << out.dump(1) << "\n";
    return 0;
  }
  if (verbose) {
    for (const std::string& problem : run->problems) std::printf("  %s\n", problem.c_str());
  }
  std::printf("real pages (%s, %lld pages):\n", dev_dir.c_str(), static_cast<long long>(run->pages));
  PrintKind("quotes", run->quotes);
  PrintKind("persons", run->persons);
  PrintKind("dates", run->dates);
  std::printf("speaker attribution %.3f (%lld quotes), channel %.3f (%lld quotes)\n",
              Ratio(run->speakers_right, run->speakers_checked), static_cast<long long>(run->speakers_checked),
              Ratio(run->channels_right, run->channels_checked), static_cast<long long>(run->channels_checked));
  return 0;
}

int RunEvalAnnotate(const std::string& dir, const std::string& shared_dir, bool json, bool verbose) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(fs::path(dir) / "annotations.jsonl", ec)) return RunEvalRealPages(dir, json, verbose);
  std::vector<std::string> skipped;
  auto run = EvaluateAnnotations(dir, shared_dir, &skipped);
  if (!run.ok()) return Fail(json, run.status());
  for (const std::string& name : skipped)
    std::cerr << "echotrace: skipped " << name << ": " << shared_dir << " is not there\n";
  auto kinds_json = [](const std::map<std::string, KindScore>& kinds) {
    Json j = Json::object();
    for (const auto& [name, s] : kinds) {
      j[name] = {{"precision", s.precision()}, {"recall", s.recall()}, {"f1", s.f1()}, {"gold", s.gold},
                 {"found", s.predicted},       {"matched", s.matched}};
    }
    return j;
  };
  if (json) {
    Json cases = Json::array();
    for (const AnnotateCaseResult& c : run->cases) {
      cases.push_back({{"name", c.name}, {"seed", c.seed}, {"kinds", kinds_json(c.kinds)}, {"problems", c.problems}});
    }
    std::cout << Json{{"cases", cases},
                      {"overall", kinds_json(run->overall)},
                      {"seeds", kinds_json(run->seeds)},
                      {"speaker_accuracy", Ratio(run->speakers_right, run->speakers_checked)},
                      {"channel_accuracy", Ratio(run->channels_right, run->channels_checked)},
                      {"skipped", skipped}}
                     .dump(1)
              << "\n";
    return 0;
  }
  for (const AnnotateCaseResult& c : run->cases) {
    std::printf("%s%s\n", c.name.c_str(), c.seed ? " (seed)" : "");
    for (const auto& [name, score] : c.kinds) PrintKind(name.c_str(), score);
    for (const std::string& problem : c.problems) std::printf("    %s\n", problem.c_str());
  }
  std::printf("\nseeds:\n");
  for (const auto& [name, score] : run->seeds) PrintKind(name.c_str(), score);
  std::printf("overall (%zu cases):\n", run->cases.size());
  for (const auto& [name, score] : run->overall) PrintKind(name.c_str(), score);
  std::printf("speaker attribution %.3f (%lld quotes), channel %.3f (%lld quotes)\n",
              Ratio(run->speakers_right, run->speakers_checked), static_cast<long long>(run->speakers_checked),
              Ratio(run->channels_right, run->channels_checked), static_cast<long long>(run->channels_checked));
  return 0;
}

}  // namespace

void AddAnnotateCommands(CLI::App& app, Context* context) {
  struct Flags {
    EntitiesQuery entities;
    EntityQuery entity;
    QuotesQuery quotes;
    bool json = false, verbose = false;
    std::string eval_dir, eval_shared = "../shared";
  };
  auto f = std::make_shared<Flags>();
  f->entities.limit = 30;
  f->quotes.limit = 20;

  CLI::App* entities = app.add_subcommand("entities", "entities found by annotation, most articles first");
  entities->add_option("--top,--limit", f->entities.limit, "how many (default 30)")->check(CLI::Range(1, 100000));
  entities->add_option("--offset", f->entities.offset, "skip this many (paging)")->check(CLI::NonNegativeNumber);
  entities->add_option("--type", f->entities.kind, "only this type: person, organization (org), place, outlet");
  entities->add_option("--prefix,-q", f->entities.prefix, "only names starting with this (any spelling)");
  entities->add_option("--kind", f->entities.key_kind, "entity (default), event, work or date keys")
      ->check(CLI::IsMember({"entity", "event", "work", "date"}));
  entities->add_flag("--json", f->json, "print as JSON (the same as GET /api/entities)");
  entities->callback([f, context] { context->exit_code = RunEntities(context->data_dir, f->entities, f->json); });

  CLI::App* entity = app.add_subcommand("entity",
                                        "one person, organization, place or outlet: spellings, roles, "
                                        "mentions per month, quotes, who it appears with");
  entity->add_option("id", f->entity.id, "canonical id (kim-tok-hun) or a name as written (\"Kim Tok Hun\")")
      ->required();
  entity->add_option("--quotes", f->entity.quotes, "quotes to list (default 20)")->check(CLI::Range(0, 100));
  entity->add_flag("--json", f->json, "print as JSON (the same as GET /api/entity/ID)");
  entity->callback([f, context] { context->exit_code = RunEntity(context->data_dir, f->entity, f->json); });

  CLI::App* quotes = app.add_subcommand("quotes", "quotes found by annotation, with speaker, channel and origin");
  quotes->add_option("--speaker", f->quotes.speaker, "only quotes by this canonical id (e.g. kim-jong-un)");
  quotes->add_option("--article", f->quotes.article, "only quotes in this article (any id form)");
  quotes->add_option("--text,-q", f->quotes.text, "only quotes holding these words");
  quotes->add_option("--limit", f->quotes.limit, "how many (default 20)")->check(CLI::Range(1, 100000));
  quotes->add_option("--offset", f->quotes.offset, "skip this many (paging)")->check(CLI::NonNegativeNumber);
  quotes->add_flag("--json", f->json, "print as JSON (the same as GET /api/quotes)");
  quotes->add_flag("--newest", f->quotes.newest,
                   "the feed of traced quotes instead: quotes linked to a state-media original, newest ingested "
                   "first (GET /api/quotes?newest=1)");
  quotes->callback([f, context] {
    if (f->quotes.newest && (!f->quotes.speaker.empty() || !f->quotes.article.empty() || !f->quotes.text.empty())) {
      context->exit_code =
          Fail(Status::Usage("--newest lists every traced quote; it takes no --speaker, --article or -q"));
      return;
    }
    context->exit_code = f->quotes.newest && !f->json
                             ? RunNewestTraced(context->data_dir, f->quotes.limit, f->quotes.offset)
                             : RunQuotes(context->data_dir, f->quotes, f->json);
  });

  // `eval` is registered by AddExtractCommands; annotation adds its scorer there.
  CLI::App* eval = app.get_subcommand("eval");
  CLI::App* eval_annotate = eval->add_subcommand(
      "annotate", "score annotation against tests/data/annotate gold, or real pages (../shared/provenance-dev)");
  eval_annotate
      ->add_option("dir", f->eval_dir,
                   "folder with cases/*.json (e.g. tests/data/annotate), or with annotations.jsonl and pages/ "
                   "(e.g. ../shared/provenance-dev)")
      ->required();
  eval_annotate->add_option("--shared", f->eval_shared, "where inputs named shared:... live (default ../shared)");
  eval_annotate->add_flag("--json", f->json, "print as JSON");
  eval_annotate->add_flag("--verbose", f->verbose, "real pages: list every miss, extra and wrong attribution");
  eval_annotate->callback(
      [f, context] { context->exit_code = RunEvalAnnotate(f->eval_dir, f->eval_shared, f->json, f->verbose); });
}

}  // namespace echotrace::cli

// eval provenance: quote tracing scored on real foreign pages (eval/provenance_eval.h).
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "cli/cli.h"
#include "eval/provenance_eval.h"

namespace echotrace::cli {
namespace {

void PrintScore(const char* name, const KindScore& s) {
  std::printf("  %-14s P %.3f  R %.3f  F1 %.3f   (%lld gold, %lld linked, %lld right)\n", name, s.precision(),
              s.recall(), s.f1(), static_cast<long long>(s.gold), static_cast<long long>(s.predicted),
              static_cast<long long>(s.matched));
}

int RunEvalProvenance(const std::string& dir, const ProvenanceEvalOptions& options, bool verbose, bool json) {
  auto run = EvaluateProvenance(dir, options);
  if (!run.ok()) return Fail(json, run.status());
  if (json) {
    Json out{{"pages", run->pages},
             {"negatives", run->negatives},
             {"negatives_linked", run->negatives_linked},
             {"extra_links", run->extra_links},
             {"ingest_seconds", run->ingest_seconds},
             {"link_seconds", run->link_seconds}};
    for (const auto& [name, s] : run->scores) {
      out["scores"][name] = {{"precision", s.precision()}, {"recall", s.recall()}, {"f1", s.f1()}, {"gold", s.gold},
                             {"linked", s.predicted},      {"right", s.matched}};
    }
    Json rows = Json::array();
    for (const ProvenanceRowResult& r : run->rows) {
      rows.push_back({{"page", r.page},
                      {"quote", r.quote},
                      {"match", r.match},
                      {"gold_origin", r.gold_origin},
                      {"linked", r.linked},
                      {"correct", r.correct},
                      {"linked_to", r.linked_to},
                      {"why", r.why},
                      {"confidence", r.confidence}});
    }
    out["rows"] = rows;
    std::cout << out.dump(1) << "\n";
    return 0;
  }
  if (verbose) {
    for (const ProvenanceRowResult& r : run->rows) {
      const bool ok = r.gold_origin.empty() ? !r.linked : r.correct;
      if (ok) continue;
      const char* what = r.gold_origin.empty() ? "LINKED NEGATIVE" : (r.linked ? "WRONG" : "MISS");
      std::printf("%-15s %-13s %s \"%s\" gold %s%s%s\n", what, r.match.c_str(), r.page.c_str(), r.quote.c_str(),
                  r.gold_origin.empty() ? "none" : r.gold_origin.c_str(), r.linked ? " linked " : "",
                  r.linked ? (r.linked_to + " (" + r.why + ")").c_str() : "");
    }
    for (const std::string& e : run->extra) std::printf("UNSCORED LINK   %s\n", e.c_str());
    std::printf("\n");
  }
  std::printf("provenance on %lld pages (%lld corpus records; corpus %.1f s, pages %.1f s)\n",
              static_cast<long long>(run->pages), static_cast<long long>(run->corpus_records), run->ingest_seconds,
              run->link_seconds);
  for (const char* name : {"verbatim", "near", "retranslation", "verbatim+near", "short", "long", "all"}) {
    auto it = run->scores.find(name);
    if (it != run->scores.end()) PrintScore(name, it->second);
  }
  std::printf("  negatives linked: %lld of %lld (%.1f%%)\n", static_cast<long long>(run->negatives_linked),
              static_cast<long long>(run->negatives),
              run->negatives == 0 ? 0.0 : 100.0 * double(run->negatives_linked) / double(run->negatives));
  std::printf("  links covering no gold row (not scored): %lld\n", static_cast<long long>(run->extra_links));
  if (options.keep_data) std::printf("data kept in %s\n", run->data_dir.c_str());
  return 0;
}

}  // namespace

void AddProvenanceCommands(CLI::App& app, Context* context) {
  struct Flags {
    std::string dir;
    ProvenanceEvalOptions options;
    bool verbose = false, json = false;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* eval = app.get_subcommand("eval");
  CLI::App* prov = eval->add_subcommand(
      "provenance",
      "score quote tracing on real foreign pages (e.g. ../shared/provenance-dev; ingests into a temp dir)");
  prov->add_option("dir", f->dir, "folder with pages/ and provenance.jsonl")->required();
  prov->add_option("--corpus", f->options.corpus_dir, "state-media corpus folder (default DIR/../corpus)");
  prov->add_option("--base", f->options.base_data_dir,
                   "a data directory already holding the corpus: copied instead of ingesting it (faster tuning)");
  prov->add_option("--window-days", f->options.window_days,
                   "ingest only corpus records from N days before a page to a day after (default: whole files)")
      ->check(CLI::NonNegativeNumber);
  prov->add_flag("--keep", f->options.keep_data, "keep the temporary data directory");
  prov->add_flag("--verbose,-v", f->verbose, "list misses, wrong links and linked negatives");
  prov->add_flag("--json", f->json, "print as JSON (with every row)");
  prov->callback([f, context] { context->exit_code = RunEvalProvenance(f->dir, f->options, f->verbose, f->json); });
}

}  // namespace echotrace::cli

// extract, eval: extraction alone (no store) and its scoring.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "eval/eval.h"
#include "extract/extract.h"

namespace echotrace::cli {
namespace {

int RunExtract(const std::vector<std::string>& paths, bool json) {
  std::vector<InputIssue> issues;
  auto files = ExpandInputs(paths, &issues);
  if (!files.ok()) {
    PrintIssues(issues);
    return Fail(json, files.status());
  }
  int failures = 0;
  for (const InputFile& file : *files) {
    Status status = ReadInput(
        file, ReadLimits(),
        [&](RawRecord&& record) -> Status {
          auto doc = Extract(record.bytes, record.format, record.Origin());
          if (!doc.ok()) {
            issues.push_back({true, record.Origin(), doc.status().message()});
            return Status::Ok();
          }
          for (const std::string& w : doc->warnings) issues.push_back({false, record.Origin(), w});
          if (json) {
            StoredVersion v;
            v.doc = std::move(doc).value();
            Json j = VersionJson(v, true);
            for (const char* key : {"id", "article_id", "version", "versions", "latest", "ingested_at"}) j.erase(key);
            std::cout << j.dump() << "\n";
          } else {
            std::cout << "# " << (doc->title.empty() ? "(untitled)" : doc->title) << "\n";
            std::cout << "source: " << doc->source << "  date: " << doc->date << "  url: " << doc->url << "\n\n";
            std::cout << doc->Body() << "\n\n";
          }
          return Status::Ok();
        },
        &issues);
    if (!status.ok()) {
      ++failures;
      issues.push_back({true, file.path, status.message()});
    }
  }
  PrintIssues(issues);
  for (const InputIssue& issue : issues) failures += issue.is_error ? 1 : 0;
  return failures > 0 ? 1 : 0;
}

int RunEvalExtract(const std::string& dir, const std::string& shared_dir, bool json) {
  std::vector<std::string> skipped;
  auto run = EvaluateGold(dir, shared_dir, &skipped);
  if (!run.ok()) return Fail(json, run.status());
  for (const std::string& name : skipped) {
    std::cerr << "echotrace: skipped " << name << ": " << shared_dir << " is not there\n";
  }
  if (json) {
    Json cases = Json::array();
    for (const GoldCaseResult& c : run->cases) {
      cases.push_back({{"name", c.name},
                       {"precision", c.body.precision},
                       {"recall", c.body.recall},
                       {"f1", c.body.f1},
                       {"title", c.title_ok},
                       {"source", c.source_ok},
                       {"date", c.date_ok},
                       {"url", c.url_ok},
                       {"paragraphs", c.paragraphs_ok},
                       {"removed", c.removed_ok},
                       {"problems", c.problems}});
    }
    std::cout
        << Json{{"cases", cases},        {"precision", run->overall.precision},         {"recall", run->overall.recall},
                {"f1", run->overall.f1}, {"metadata_accuracy", run->metadata_accuracy}, {"skipped", skipped}}
               .dump(1)
        << "\n";
    return 0;
  }
  std::printf("%-44s %6s %6s %6s  %s\n", "case", "P", "R", "F1", "metadata / structure");
  for (const GoldCaseResult& c : run->cases) {
    std::printf("%-44s %6.3f %6.3f %6.3f  %s%s%s%s%s%s\n", c.name.c_str(), c.body.precision, c.body.recall, c.body.f1,
                c.title_ok ? "T" : "-", c.source_ok ? "S" : "-", c.date_ok ? "D" : "-", c.url_ok ? "U" : "-",
                c.paragraphs_ok ? "P" : "-", c.removed_ok ? "R" : "-");
    for (const std::string& problem : c.problems) std::printf("    %s\n", problem.c_str());
  }
  std::printf("overall (token micro-average): P %.3f  R %.3f  F1 %.3f; metadata fields right: %.1f%%\n",
              run->overall.precision, run->overall.recall, run->overall.f1, run->metadata_accuracy * 100);
  return 0;
}

int RunEvalBenchmark(const std::string& dir, const std::string& out_path, bool json) {
  auto run = EvaluateBenchmark(dir);
  if (!run.ok()) return Fail(json, run.status());
  if (!out_path.empty()) {
    Json predictions = Json::object();
    for (const auto& [id, body] : run->predictions) predictions[id] = {{"articleBody", body}};
    std::ofstream(out_path) << predictions.dump() << "\n";
  }
  const double pages_per_second = run->seconds > 0 ? run->score.pages / run->seconds : 0;
  if (json) {
    std::cout << Json{{"tool", "echotrace"},         {"pages", run->score.pages},
                      {"seconds", run->seconds},     {"pages_per_second", pages_per_second},
                      {"f1", run->score.f1},         {"precision", run->score.precision},
                      {"recall", run->score.recall}, {"accuracy", run->score.accuracy}}
                     .dump()
              << "\n";
    return 0;
  }
  std::printf("echotrace on %d pages: F1 %.3f  P %.3f  R %.3f  accuracy %.3f  (%.1f pages/s, extraction only)\n",
              run->score.pages, run->score.f1, run->score.precision, run->score.recall, run->score.accuracy,
              pages_per_second);
  return 0;
}

}  // namespace

void AddExtractCommands(CLI::App& app, Context* context) {
  struct Flags {
    std::vector<std::string> extract_paths;
    bool extract_json = false;
    std::string eval_dir, eval_shared = "../shared", eval_out;
    bool eval_json = false;
  };
  auto f = std::make_shared<Flags>();

  CLI::App* extract = app.add_subcommand("extract", "run extraction alone (no store) and print the articles");
  extract->add_option("paths", f->extract_paths, "files or folders")->required();
  extract->add_flag("--json", f->extract_json, "one JSON object per article");
  extract->callback([f, context] { context->exit_code = RunExtract(f->extract_paths, f->extract_json); });

  CLI::App* eval = app.add_subcommand("eval", "score extraction against gold data");
  eval->require_subcommand(1);
  CLI::App* eval_extract = eval->add_subcommand("extract", "score tests/data/extract-style gold cases");
  eval_extract->add_option("dir", f->eval_dir, "folder with cases/*.json (e.g. tests/data/extract)")->required();
  eval_extract->add_option("--shared", f->eval_shared, "where inputs named shared:... live (default ../shared)");
  eval_extract->add_flag("--json", f->eval_json, "print as JSON");
  eval_extract->callback(
      [f, context] { context->exit_code = RunEvalExtract(f->eval_dir, f->eval_shared, f->eval_json); });
  CLI::App* eval_bench =
      eval->add_subcommand("benchmark", "score the article-extraction benchmark (html/, ground-truth.json)");
  eval_bench->add_option("dir", f->eval_dir, "the benchmark folder")->required();
  eval_bench->add_option("--out", f->eval_out, "write predictions as {id: {articleBody}} JSON");
  eval_bench->add_flag("--json", f->eval_json, "print as JSON");
  eval_bench->callback([f, context] { context->exit_code = RunEvalBenchmark(f->eval_dir, f->eval_out, f->eval_json); });
}

}  // namespace echotrace::cli

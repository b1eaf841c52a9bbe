#include "eval/annotate_eval.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "annotate/annotate.h"
#include "core/text.h"
#include "extract/extract.h"
#include "ingest/reader.h"

namespace echotrace {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// What a kind's gold items and spans are compared on.
struct KindRule {
  const char* name;      // key in the case file
  SpanKind kind;         // span kind predicted
  const char* value_of;  // gold field compared with Span::key; nullptr: text only
};
constexpr KindRule kRules[] = {
    {"dates", SpanKind::kDate, "value"}, {"entities", SpanKind::kEntity, "id"}, {"events", SpanKind::kEvent, "key"},
    {"works", SpanKind::kWork, "key"},   {"quotes", SpanKind::kQuote, nullptr},
};

Result<std::string> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot read");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string MatchKey(std::string_view text, std::string_view value) {
  return NormalizeInline(text) + '\x1f' + std::string(value);
}

// Scores one kind of one case; appends what differs to `problems`.
KindScore ScoreKind(const KindRule& rule, const Json& gold_items, const Document& doc,
                    std::vector<std::string>* problems) {
  std::multiset<std::string> gold, predicted;
  for (const Json& item : gold_items) {
    gold.insert(MatchKey(item.value("text", ""), rule.value_of ? item.value(rule.value_of, "") : ""));
  }
  for (const Span& span : doc.spans) {
    if (span.kind != rule.kind) continue;
    predicted.insert(MatchKey(doc.SpanText(span), rule.value_of ? span.key : std::string()));
  }
  KindScore score;
  score.gold = static_cast<int64_t>(gold.size());
  score.predicted = static_cast<int64_t>(predicted.size());
  auto show = [](const std::string& key) {
    const size_t cut = key.find('\x1f');
    std::string text = key.substr(0, cut), value = key.substr(cut + 1);
    if (text.size() > 80) text = text.substr(0, 77) + "...";
    return "'" + text + "'" + (value.empty() ? "" : " = " + value);
  };
  std::multiset<std::string> unmatched_predicted = predicted;
  for (const std::string& key : gold) {
    auto it = unmatched_predicted.find(key);
    if (it != unmatched_predicted.end()) {
      ++score.matched;
      unmatched_predicted.erase(it);
    } else {
      problems->push_back(std::string("missed ") + rule.name + " " + show(key));
    }
  }
  for (const std::string& key : unmatched_predicted) {
    problems->push_back(std::string("extra ") + rule.name + " " + show(key));
  }
  return score;
}

// Speaker and channel of gold quotes that were found, compared in order of
// occurrence among quotes with the same text.
void ScoreQuoteAttribution(const Json& gold_items, const Document& doc, AnnotateCaseResult* result) {
  std::map<std::string, std::vector<const Span*>> by_text;
  for (const Span& span : doc.spans) {
    if (span.kind == SpanKind::kQuote) by_text[NormalizeInline(doc.SpanText(span))].push_back(&span);
  }
  std::map<std::string, size_t> used;
  for (const Json& item : gold_items) {
    const std::string text = NormalizeInline(item.value("text", ""));
    auto it = by_text.find(text);
    if (it == by_text.end() || used[text] >= it->second.size()) continue;
    const Span& span = *it->second[used[text]++];
    auto check = [&](const char* field, int64_t* checked, int64_t* right) {
      if (!item.contains(field)) return;
      const std::string want = item.value(field, "");
      ++*checked;
      if (span.Attr(field) == want) {
        ++*right;
      } else {
        result->problems.push_back("quote '" + text.substr(0, 60) + "': " + field + " '" +
                                   std::string(span.Attr(field)) + "', want '" + want + "'");
      }
    };
    check("speaker", &result->speakers_checked, &result->speakers_right);
    check("channel", &result->channels_checked, &result->channels_right);
  }
}

}  // namespace

Result<AnnotateRun> EvaluateAnnotations(const std::string& dir, const std::string& shared_dir,
                                        std::vector<std::string>* skipped) {
  const fs::path cases_dir = fs::path(dir) / "cases";
  std::error_code ec;
  if (!fs::is_directory(cases_dir, ec)) return Status::NotFound(cases_dir.string() + ": no annotation gold here");
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(cases_dir, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  AnnotateRun run;
  for (const fs::path& file : files) {
    ET_ASSIGN_OR_RETURN(std::string case_text, ReadFileBytes(file.string()));
    const Json gold = Json::parse(case_text, nullptr, false);
    if (!gold.is_object()) return Status::BadInput(file.string() + ": not a JSON object");
    const std::string input = gold.value("input", "");
    AnnotateCaseResult result;
    result.name = file.stem().string();
    std::string path;
    if (input.rfind("shared:", 0) == 0) {
      path = shared_dir + "/" + input.substr(7);
      result.seed = input.find("seeds/") != std::string::npos;
      if (!fs::exists(path, ec)) {
        if (skipped != nullptr) skipped->push_back(result.name);
        continue;
      }
    } else {
      path = (fs::path(dir) / input).string();
    }
    ET_ASSIGN_OR_RETURN(std::string raw, ReadFileBytes(path));
    auto doc = Extract(raw, DetectFormat(raw, path), path);
    if (!doc.ok()) return Status::BadInput(file.string() + ": input does not extract: " + doc.status().ToString());
    if (doc->date.empty()) doc->date = gold.value("published", "");
    Annotate(&doc.value());
    for (const KindRule& rule : kRules) {
      if (!gold.contains(rule.name)) continue;
      if (!gold[rule.name].is_array()) return Status::BadInput(file.string() + ": '" + rule.name + "' is not a list");
      result.kinds[rule.name] = ScoreKind(rule, gold[rule.name], *doc, &result.problems);
      run.overall[rule.name].Add(result.kinds[rule.name]);
      if (result.seed) run.seeds[rule.name].Add(result.kinds[rule.name]);
    }
    if (gold.contains("quotes")) ScoreQuoteAttribution(gold["quotes"], *doc, &result);
    run.speakers_checked += result.speakers_checked;
    run.speakers_right += result.speakers_right;
    run.channels_checked += result.channels_checked;
    run.channels_right += result.channels_right;
    run.cases.push_back(std::move(result));
  }
  return run;
}

}  // namespace echotrace

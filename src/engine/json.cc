#include "engine/json.h"

#include <string>

namespace echotrace {

nlohmann::json DiffJson(const std::vector<DiffWord>& diff) {
  nlohmann::json out = nlohmann::json::array();
  auto append = [](nlohmann::json& field, const std::string& more) {
    if (more.empty()) return;
    const std::string text = field.get<std::string>();
    field = text.empty() ? more : text + " " + more;
  };
  for (const DiffWord& word : diff) {
    const std::string op(DiffOpName(word.op));
    if (!out.empty() && out.back()["op"] == op) {
      nlohmann::json& last = out.back();
      append(last["quote"], word.quote);
      append(last["original"], word.origin);
      continue;
    }
    out.push_back({{"op", op}, {"quote", word.quote}, {"original", word.origin}});
  }
  return out;
}

nlohmann::json IngestReportJson(const IngestReport& report) {
  const IngestRunTotals& t = report.totals;
  return {{"files", report.files},          {"files_failed", report.files_failed},
          {"records", t.records},           {"added", t.added},
          {"new_versions", t.new_versions}, {"duplicates", t.duplicates},
          {"skipped", t.skipped},           {"warnings", t.warnings},
          {"teaser_stubs", t.teaser_stubs}, {"recovered", report.recovered},
          {"bytes", report.bytes},          {"seconds", report.seconds}};
}

std::string RenderDiffJson(const nlohmann::json& runs) {
  // Each run back as one DiffWord, so that RenderDiff alone spells the notation.
  std::vector<DiffWord> words;
  for (const nlohmann::json& run : runs) {
    const std::string op = run.value("op", "");
    DiffWord word{DiffOp::kOmitted, run.value("quote", ""), run.value("original", "")};
    for (DiffOp candidate : {DiffOp::kKept, DiffOp::kChanged, DiffOp::kInserted}) {
      if (op == DiffOpName(candidate)) word.op = candidate;
    }
    words.push_back(std::move(word));
  }
  return RenderDiff(words);
}

nlohmann::json CollectReportJson(const CollectReport& report) {
  nlohmann::json sources = nlohmann::json::array();
  for (const SourceSummary& s : report.sources) {
    sources.push_back({{"name", s.name},
                       {"url", s.url},
                       {"feed_kind", s.feed_kind},
                       {"feed_status", s.feed_status},
                       {"feed_not_modified", s.feed_not_modified},
                       {"items", s.items},
                       {"fetched", s.fetched},
                       {"new", s.new_articles},
                       {"edited", s.edited},
                       {"unchanged", s.unchanged},
                       {"gone", s.gone},
                       {"restored", s.restored},
                       {"errors", s.errors},
                       {"messages", s.messages},
                       {"seconds", s.seconds}});
  }
  nlohmann::json out = {{"sources", std::move(sources)},
                        {"new_matches", report.new_matches},
                        {"interrupted", report.interrupted},
                        {"seconds", report.seconds}};
  if (report.webhook_status != 0 || !report.webhook_error.empty() || report.webhook_pending != 0) {
    out["webhook"] = {{"status", report.webhook_status},
                      {"error", report.webhook_error},
                      {"delivered", report.webhook_delivered},
                      {"pending", report.webhook_pending}};
  }
  return out;
}

nlohmann::json LedgerJson(const LedgerView& view) {
  const LedgerEntry& e = view.entry;
  nlohmann::json j = {{"id", e.id},
                      {"at", e.at},
                      {"kind", e.kind},
                      {"url", e.url},
                      {"source", e.source},
                      {"reason", e.reason},
                      {"docno", e.docno},
                      {"previous_docno", e.previous_docno},
                      {"capture_id", e.capture_id},
                      {"title", view.title}};
  if (e.kind == "edited") j["diff"] = DiffJson(view.diff);
  return j;
}

nlohmann::json WatchSpecJson(const WatchSpec& spec) {
  return {{"name", spec.name},       {"query", spec.query},     {"phrase", spec.phrase},
          {"speaker", spec.speaker}, {"sources", spec.sources}, {"entities", spec.entities},
          {"from", spec.from_date},  {"to", spec.to_date},      {"media", spec.media}};
}

}  // namespace echotrace

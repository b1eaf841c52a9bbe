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
  std::string out;
  for (const nlohmann::json& run : runs) {
    const std::string op = run.value("op", "");
    const std::string quote = run.value("quote", ""), original = run.value("original", "");
    if (!out.empty()) out += ' ';
    if (op == "kept") {
      out += quote;
    } else if (op == "changed") {
      out += "[-" + original + "-]{+" + quote + "+}";
    } else if (op == "inserted") {
      out += "{+" + quote + "+}";
    } else {
      out += "[-" + original + "-]";
    }
  }
  return out;
}

}  // namespace echotrace

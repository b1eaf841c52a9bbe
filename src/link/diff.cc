#include "link/diff.h"

namespace echotrace {
namespace {

std::string WordAt(const std::vector<Token>& tokens, int32_t index, std::string_view text) {
  if (index < 0) return {};
  const Token& t = tokens[static_cast<size_t>(index)];
  if (t.end > text.size() || t.begin > t.end) return t.key;
  return std::string(text.substr(t.begin, t.end - t.begin));
}

}  // namespace

std::string_view DiffOpName(DiffOp op) {
  switch (op) {
    case DiffOp::kKept: return "kept";
    case DiffOp::kChanged: return "changed";
    case DiffOp::kInserted: return "inserted";
    case DiffOp::kOmitted: return "omitted";
  }
  return "kept";
}

std::vector<DiffWord> WordDiff(const Alignment& alignment, const std::vector<Token>& query, std::string_view quote_text,
                               const std::vector<Token>& origin, std::string_view origin_text) {
  std::vector<DiffWord> out;
  out.reserve(alignment.steps.size());
  for (const AlignStep& step : alignment.steps) {
    DiffWord word;
    word.quote = WordAt(query, step.query, quote_text);
    word.origin = WordAt(origin, step.origin, origin_text);
    switch (step.op) {
      case AlignOp::kMatch:
        word.op = query[static_cast<size_t>(step.query)].hash == origin[static_cast<size_t>(step.origin)].hash
                      ? DiffOp::kKept
                      : DiffOp::kChanged;
        break;
      case AlignOp::kChange: word.op = DiffOp::kChanged; break;
      case AlignOp::kInsert: word.op = DiffOp::kInserted; break;
      case AlignOp::kOmit: word.op = DiffOp::kOmitted; break;
    }
    out.push_back(std::move(word));
  }
  return out;
}

std::string RenderDiff(const std::vector<DiffWord>& diff) {
  std::string out;
  for (const DiffWord& w : diff) {
    if (!out.empty()) out += ' ';
    switch (w.op) {
      case DiffOp::kKept: out += w.quote; break;
      case DiffOp::kChanged: out += "[-" + w.origin + "-]{+" + w.quote + "+}"; break;
      case DiffOp::kInserted: out += "{+" + w.quote + "+}"; break;
      case DiffOp::kOmitted: out += "[-" + w.origin + "-]"; break;
    }
  }
  return out;
}

}  // namespace echotrace

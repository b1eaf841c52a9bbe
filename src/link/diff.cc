#include "link/diff.h"

namespace echotrace {
namespace {

std::string WordAt(const std::vector<MatchToken>& tokens, int32_t index, std::string_view text) {
  if (index < 0) return {};
  const MatchToken& t = tokens[static_cast<size_t>(index)];
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

std::vector<DiffWord> WordDiff(const Alignment& alignment, const std::vector<MatchToken>& query,
                               std::string_view quote_text, const std::vector<MatchToken>& origin,
                               std::string_view origin_text) {
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

std::vector<DiffWord> VersionDiff(const Document& older, const Document& newer) {
  const std::vector<MatchToken> old_tokens = TokenizeDocument(older).tokens;
  const std::vector<MatchToken> new_tokens = TokenizeDocument(newer).tokens;
  size_t head = 0;
  while (head < old_tokens.size() && head < new_tokens.size() && old_tokens[head].hash == new_tokens[head].hash) ++head;
  size_t tail = 0;
  while (tail < old_tokens.size() - head && tail < new_tokens.size() - head &&
         old_tokens[old_tokens.size() - 1 - tail].hash == new_tokens[new_tokens.size() - 1 - tail].hash) {
    ++tail;
  }
  std::vector<DiffWord> out;
  auto kept = [&](size_t new_index) {
    out.push_back({DiffOp::kKept, WordAt(new_tokens, static_cast<int32_t>(new_index), newer.text),
                   WordAt(new_tokens, static_cast<int32_t>(new_index), newer.text)});
  };
  auto omitted = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i)
      out.push_back({DiffOp::kOmitted, "", WordAt(old_tokens, static_cast<int32_t>(i), older.text)});
  };
  auto inserted = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i)
      out.push_back({DiffOp::kInserted, WordAt(new_tokens, static_cast<int32_t>(i), newer.text), ""});
  };
  for (size_t i = 0; i < head; ++i) kept(i);
  const size_t old_end = old_tokens.size() - tail, new_end = new_tokens.size() - tail;
  const std::vector<MatchToken> old_mid(old_tokens.begin() + static_cast<ptrdiff_t>(head),
                                        old_tokens.begin() + static_cast<ptrdiff_t>(old_end));
  const std::vector<MatchToken> new_mid(new_tokens.begin() + static_cast<ptrdiff_t>(head),
                                        new_tokens.begin() + static_cast<ptrdiff_t>(new_end));
  Alignment a;
  if (!old_mid.empty() && !new_mid.empty() && old_mid.size() * new_mid.size() <= kMaxVersionDiffCells) {
    a = AlignLocal(new_mid, old_mid, 0, old_mid.size());
  }
  if (a.steps.empty()) {
    omitted(head, old_end);
    inserted(head, new_end);
  } else {
    omitted(head, head + a.origin_begin);
    inserted(head, head + a.query_begin);
    for (DiffWord& w : WordDiff(a, new_mid, newer.text, old_mid, older.text)) out.push_back(std::move(w));
    omitted(head + a.origin_end, old_end);
    inserted(head + a.query_end, new_end);
  }
  for (size_t i = new_end; i < new_tokens.size(); ++i) kept(i);
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

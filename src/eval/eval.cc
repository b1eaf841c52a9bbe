#include "eval/eval.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/text.h"
#include "extract/extract.h"
#include "ingest/reader.h"

namespace echotrace {
namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

bool IsWordChar(UChar32 c) {
  if (c == '_') return true;
  if (u_isalpha(c)) return true;
  const int8_t type = u_charType(c);
  return type == U_DECIMAL_DIGIT_NUMBER || type == U_LETTER_NUMBER || type == U_OTHER_NUMBER;
}

using Multiset = std::map<std::string, int>;

Multiset Shingles(const std::vector<std::string>& tokens) {
  Multiset shingles;
  if (tokens.empty()) return shingles;
  const size_t n = std::min<size_t>(4, tokens.size());
  for (size_t i = 0; i + n <= tokens.size(); ++i) {
    std::string key;
    for (size_t j = i; j < i + n; ++j) (key += tokens[j]) += '\x1f';
    ++shingles[key];
  }
  return shingles;
}

Result<std::string> ReadWhole(const std::string& path) {
  std::string bytes;
  Status status = ReadInput(
      {path, -1}, ReadLimits(),
      [&](RawRecord&& record) {
        bytes = std::move(record.bytes);
        return Status::Ok();
      },
      nullptr);
  if (!status.ok()) return status;
  return bytes;
}

Result<Json> ReadJsonFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path + ": cannot open");
  std::stringstream buffer;
  buffer << in.rdbuf();
  Json json = Json::parse(buffer.str(), nullptr, false);
  if (json.is_discarded()) return Status::BadInput(path + ": not valid JSON");
  return json;
}

std::string JoinLines(const std::string& text, const Json& line_numbers) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(std::string_view(text).substr(start, end - start));
    start = end + 1;
  }
  std::string body;
  for (const Json& n : line_numbers) {
    const size_t i = n.get<size_t>();
    if (i == 0 || i > lines.size()) continue;
    if (!body.empty()) body += "\n\n";
    body += NormalizeInline(lines[i - 1]);
  }
  return body;
}

}  // namespace

std::vector<std::string> WordTokens(std::string_view utf8) {
  std::vector<std::string> tokens;
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t length = static_cast<int32_t>(utf8.size());
  int32_t i = 0;
  int32_t word_start = -1;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    const bool word = c >= 0 && IsWordChar(c);
    if (word && word_start < 0) word_start = start;
    if (!word && word_start >= 0) {
      tokens.emplace_back(utf8.substr(static_cast<size_t>(word_start), static_cast<size_t>(start - word_start)));
      word_start = -1;
    }
  }
  if (word_start >= 0) tokens.emplace_back(utf8.substr(static_cast<size_t>(word_start)));
  return tokens;
}

PageScore ScoreShingles(std::string_view predicted, std::string_view truth) {
  const std::vector<std::string> pred_tokens = WordTokens(predicted);
  const std::vector<std::string> true_tokens = WordTokens(truth);
  const Multiset p = Shingles(pred_tokens);
  const Multiset t = Shingles(true_tokens);
  PageScore score;
  score.exact = pred_tokens == true_tokens;
  double tp = 0, fp = 0, fn = 0;
  for (const auto& [key, count] : p) {
    auto it = t.find(key);
    const int shared = it == t.end() ? 0 : std::min(count, it->second);
    tp += shared;
    fp += count - shared;
  }
  for (const auto& [key, count] : t) {
    auto it = p.find(key);
    fn += count - (it == p.end() ? 0 : std::min(count, it->second));
  }
  const double total = tp + fp + fn;
  if (total > 0) {
    tp /= total;
    fp /= total;
    fn /= total;
  }
  score.tp = tp;
  score.fp = fp;
  score.fn = fn;
  score.has_predicted = !p.empty();
  score.has_truth = !t.empty();
  score.precision = (fp == 0 && fn == 0) ? 1.0 : (tp + fp == 0 ? 0.0 : tp / (tp + fp));
  score.recall = (fp == 0 && fn == 0) ? 1.0 : (tp + fn == 0 ? 0.0 : tp / (tp + fn));
  return score;
}

BenchmarkScore Aggregate(const std::vector<PageScore>& pages) {
  BenchmarkScore out;
  double p_sum = 0, r_sum = 0;
  int p_n = 0, r_n = 0, exact = 0;
  for (const PageScore& page : pages) {
    if (page.has_predicted) p_sum += page.precision, ++p_n;
    if (page.has_truth) r_sum += page.recall, ++r_n;
    exact += page.exact ? 1 : 0;
  }
  out.pages = static_cast<int>(pages.size());
  out.precision = p_n > 0 ? p_sum / p_n : 0;
  out.recall = r_n > 0 ? r_sum / r_n : 0;
  out.f1 = out.precision + out.recall > 0 ? 2 * out.precision * out.recall / (out.precision + out.recall) : 0;
  out.accuracy = pages.empty() ? 0 : static_cast<double>(exact) / static_cast<double>(pages.size());
  return out;
}

TokenScore ScoreTokens(std::string_view predicted, std::string_view truth) {
  Multiset p, t;
  for (std::string& token : WordTokens(predicted)) ++p[std::move(token)];
  for (std::string& token : WordTokens(truth)) ++t[std::move(token)];
  double shared = 0, np = 0, nt = 0;
  for (const auto& [key, count] : p) {
    np += count;
    auto it = t.find(key);
    if (it != t.end()) shared += std::min(count, it->second);
  }
  for (const auto& entry : t) nt += entry.second;
  TokenScore score;
  score.precision = np > 0 ? shared / np : (nt == 0 ? 1 : 0);
  score.recall = nt > 0 ? shared / nt : 1;
  score.f1 =
      score.precision + score.recall > 0 ? 2 * score.precision * score.recall / (score.precision + score.recall) : 0;
  return score;
}

Result<GoldRun> EvaluateGold(const std::string& dir, const std::string& shared_dir, std::vector<std::string>* skipped) {
  const fs::path cases_dir = fs::path(dir) / "cases";
  std::error_code ec;
  if (!fs::is_directory(cases_dir, ec)) return Status::NotFound(cases_dir.string() + ": no gold cases here");
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(cases_dir, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  GoldRun run;
  double shared_tokens = 0, predicted_tokens = 0, true_tokens = 0;
  int fields = 0, fields_ok = 0;
  for (const fs::path& file : files) {
    ET_ASSIGN_OR_RETURN(Json gold, ReadJsonFile(file.string()));
    const std::string input = gold.value("input", "");
    std::string path;
    if (input.rfind("shared:", 0) == 0) {
      path = shared_dir + "/" + input.substr(7);
      if (!fs::exists(path, ec)) {
        if (skipped != nullptr) skipped->push_back(file.stem().string());
        continue;
      }
    } else {
      path = (fs::path(dir) / input).string();
    }
    ET_ASSIGN_OR_RETURN(std::string raw, ReadWhole(path));
    const Utf8Repair repaired = RepairUtf8(raw);
    std::string truth =
        gold.contains("body_lines") ? JoinLines(repaired.text, gold["body_lines"]) : gold.value("body", "");
    auto doc = Extract(raw, DetectFormat(raw, path), path);
    GoldCaseResult result;
    result.name = file.stem().string();
    if (!doc.ok()) {
      result.problems.push_back("extraction failed: " + doc.status().ToString());
      run.cases.push_back(std::move(result));
      continue;
    }
    const std::string body = doc->Body();
    result.body = ScoreTokens(body, truth);
    auto check = [&](const char* field, const std::string& got, bool* ok) {
      const std::string want = NormalizeInline(gold.value(field, ""));
      *ok = got == want;
      ++fields;
      fields_ok += *ok ? 1 : 0;
      if (!*ok) result.problems.push_back(std::string(field) + ": got '" + got + "', want '" + want + "'");
    };
    check("title", doc->title, &result.title_ok);
    check("source", doc->source, &result.source_ok);
    check("date", doc->date, &result.date_ok);
    check("url", doc->url, &result.url_ok);
    int paragraphs = 0;
    std::vector<std::string> labels;
    for (const Span& span : doc->spans) {
      paragraphs += span.kind == SpanKind::kParagraph ? 1 : 0;
      if (span.kind == SpanKind::kBoilerplate) labels.push_back(span.label);
    }
    result.paragraphs_ok = paragraphs == gold.value("paragraphs", -1);
    if (!result.paragraphs_ok) {
      result.problems.push_back("paragraphs: got " + std::to_string(paragraphs) + ", want " +
                                std::to_string(gold.value("paragraphs", -1)));
    }
    std::vector<std::string> want_labels;
    for (const Json& removed : gold.value("removed", Json::array())) want_labels.push_back(removed.value("label", ""));
    // Labels as a multiset: the order of boilerplate blocks is not scored.
    std::vector<std::string> got_sorted = labels, want_sorted = want_labels;
    std::sort(got_sorted.begin(), got_sorted.end());
    std::sort(want_sorted.begin(), want_sorted.end());
    result.removed_ok = got_sorted == want_sorted;
    if (!result.removed_ok) {
      std::string got, want;
      for (const auto& l : got_sorted) got += l + " ";
      for (const auto& l : want_sorted) want += l + " ";
      result.problems.push_back("removed: got [" + got + "], want [" + want + "]");
    }
    const TokenScore& s = result.body;
    const double np = static_cast<double>(WordTokens(body).size());
    const double nt = static_cast<double>(WordTokens(truth).size());
    predicted_tokens += np;
    true_tokens += nt;
    shared_tokens += s.precision * np;
    run.cases.push_back(std::move(result));
  }
  run.overall.precision = predicted_tokens > 0 ? shared_tokens / predicted_tokens : 0;
  run.overall.recall = true_tokens > 0 ? shared_tokens / true_tokens : 0;
  const double pr = run.overall.precision + run.overall.recall;
  run.overall.f1 = pr > 0 ? 2 * run.overall.precision * run.overall.recall / pr : 0;
  run.metadata_accuracy = fields > 0 ? static_cast<double>(fields_ok) / fields : 0;
  return run;
}

Result<BenchmarkRun> EvaluateBenchmark(const std::string& dir) {
  ET_ASSIGN_OR_RETURN(Json truth, ReadJsonFile(dir + "/ground-truth.json"));
  if (!truth.is_object()) return Status::BadInput(dir + "/ground-truth.json: not an object");
  BenchmarkRun run;
  std::vector<PageScore> pages;
  std::vector<std::pair<std::string, std::string>> pages_html;
  for (const auto& [id, entry] : truth.items()) {
    ET_ASSIGN_OR_RETURN(std::string html, ReadWhole(dir + "/html/" + id + ".html.gz"));
    pages_html.emplace_back(id, std::move(html));
  }
  const auto start = std::chrono::steady_clock::now();
  for (const auto& [id, html] : pages_html) {
    auto doc = Extract(html, InputFormat::kHtml, id);
    run.predictions.emplace_back(id, doc.ok() ? doc->Body() : std::string());
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const auto& [id, body] : run.predictions) {
    pages.push_back(ScoreShingles(body, truth[id].value("articleBody", "")));
  }
  run.score = Aggregate(pages);
  return run;
}

}  // namespace echotrace

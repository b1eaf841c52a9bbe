#include "eval/provenance_eval.h"

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "engine/engine.h"
#include "eval/dev_pages.h"
#include "link/ngram_index.h"

namespace echotrace {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

struct GoldRow {
  std::string page, quote, match, origin_id, source_file;
  std::vector<std::string> dups;
  int n_words = 0;
};

Result<std::vector<GoldRow>> ReadGold(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(path + ": no gold file");
  std::vector<GoldRow> rows;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("page") || !j.contains("quote")) {
      return Status::BadInput(path + ":" + std::to_string(number) + ": not a gold row");
    }
    GoldRow row;
    row.page = j.value("page", "");
    row.quote = j.value("quote", "");
    row.match = j.value("match", "none");
    if (j.contains("origin_id") && j["origin_id"].is_string()) row.origin_id = j["origin_id"].get<std::string>();
    if (j.contains("origin_source_file") && j["origin_source_file"].is_string())
      row.source_file = j["origin_source_file"].get<std::string>();
    if (j.contains("origin_dups") && j["origin_dups"].is_array()) {
      for (const Json& d : j["origin_dups"])
        if (d.is_string()) row.dups.push_back(d.get<std::string>());
    }
    row.n_words = j.value("n_words", 0);
    if (row.n_words == 0) {
      std::istringstream words(row.quote);
      for (std::string w; words >> w;) ++row.n_words;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// [first, last] days a page date covers ("2012-06" covers the month).
std::pair<int32_t, int32_t> PageDays(const std::string& date) {
  if (date.size() == 7) {
    const int32_t first = DayNumber(date + "-01");
    if (first == IndexedDoc::kUnknownDay) return {first, first};
    int32_t last = first + 27;
    while (DayNumber(date + "-" + std::to_string(last - first + 2)) != IndexedDoc::kUnknownDay) ++last;
    return {first, last};
  }
  const int32_t day = DayNumber(date);
  return {day, day};
}

Status MakeTempDir(std::string* out) {
  std::string pattern = (fs::temp_directory_path() / "echotrace-prov-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return Status::IOError("cannot create a temporary folder");
  *out = pattern;
  return Status::Ok();
}

// Writes the records of `in_path` dated inside one of `windows` to `out_path`.
Result<int64_t> FilterCorpus(const std::string& in_path, const std::string& out_path,
                             const std::vector<std::pair<int32_t, int32_t>>& windows) {
  std::ifstream in(in_path);
  if (!in) return Status::NotFound(in_path + ": no such corpus file");
  std::ofstream out(out_path);
  if (!out) return Status::IOError(out_path + ": cannot write");
  std::string line;
  int64_t kept = 0;
  while (std::getline(in, line)) {
    const size_t at = line.find("\"date\": \"");
    const size_t at2 = at == std::string::npos ? line.find("\"date\":\"") : at;
    if (at2 == std::string::npos) continue;
    const size_t begin = line.find('"', line.find(':', at2) + 1) + 1;
    const int32_t day = DayNumber(std::string_view(line).substr(begin, 10));
    bool inside = false;
    for (const auto& [lo, hi] : windows) inside |= day >= lo && day <= hi;
    if (!inside) continue;
    out << line << '\n';
    ++kept;
  }
  return kept;
}

Status CopyTree(const std::string& from, const std::string& to) {
  std::error_code error;
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing, error);
  if (error) return Status::IOError("copying " + from + ": " + error.message());
  return Status::Ok();
}

}  // namespace

Result<ProvenanceRun> EvaluateProvenance(const std::string& dir, const ProvenanceEvalOptions& options) {
  ProvenanceRun run;
  ET_ASSIGN_OR_RETURN(std::vector<GoldRow> gold, ReadGold((fs::path(dir) / "provenance.jsonl").string()));
  ET_ASSIGN_OR_RETURN(std::vector<DevPage> pages, ReadDevPages(dir));
  run.pages = static_cast<int64_t>(pages.size());
  const std::string corpus_dir =
      options.corpus_dir.empty() ? (fs::path(dir) / ".." / "corpus").lexically_normal().string() : options.corpus_dir;
  std::set<std::string> files;
  for (const GoldRow& row : gold)
    if (!row.source_file.empty()) files.insert(row.source_file);

  ET_RETURN_IF_ERROR(MakeTempDir(&run.data_dir));
  struct Cleanup {
    std::string dir;  // a copy: `run` is moved out before this runs
    bool keep;
    ~Cleanup() {
      std::error_code ignored;
      if (!keep) fs::remove_all(dir, ignored);
    }
  } cleanup{run.data_dir, options.keep_data};
  const std::string data = (fs::path(run.data_dir) / "data").string();
  const auto start = std::chrono::steady_clock::now();

  // 1. The corpus (or a copy of a data directory holding it).
  if (!options.base_data_dir.empty()) {
    ET_RETURN_IF_ERROR(CopyTree(options.base_data_dir, data));
  } else {
    std::vector<std::string> inputs;
    std::vector<std::pair<int32_t, int32_t>> windows;
    for (const DevPage& page : pages) {
      auto [first, last] = PageDays(page.date);
      if (first == IndexedDoc::kUnknownDay) continue;
      windows.emplace_back(first - options.window_days, last + 1);
    }
    for (const std::string& file : files) {
      const std::string path = (fs::path(corpus_dir) / file).string();
      if (!fs::exists(path)) return Status::NotFound(path + ": corpus file named by the gold is missing");
      if (options.window_days > 0) {
        const std::string filtered = (fs::path(run.data_dir) / file).string();
        ET_RETURN_IF_ERROR(FilterCorpus(path, filtered, windows).status());
        inputs.push_back(filtered);
      } else {
        inputs.push_back(path);
      }
    }
    ET_ASSIGN_OR_RETURN(auto engine, Engine::Open(data, Engine::Mode::kWrite));
    ET_ASSIGN_OR_RETURN(IngestReport report, engine->Ingest(inputs, {}, nullptr));
    run.corpus_records = report.totals.records;
  }
  const auto corpus_done = std::chrono::steady_clock::now();
  run.ingest_seconds = std::chrono::duration<double>(corpus_done - start).count();

  // 2. The pages, as records with their URL and date (what a user ingests).
  const std::string pages_file = (fs::path(run.data_dir) / "pages.jsonl").string();
  {
    std::ofstream out(pages_file);
    for (const DevPage& page : pages) {
      // The record Engine::TraceText makes of a pasted page, plus an id.
      Json record{{"id", "dev:" + page.name}, {"url", page.url}, {"date", page.date}, {"body", page.text}};
      out << record.dump() << '\n';
    }
    if (!out) return Status::IOError(pages_file + ": cannot write");
  }
  ET_ASSIGN_OR_RETURN(auto engine, Engine::Open(data, Engine::Mode::kWrite));
  ET_RETURN_IF_ERROR(engine->Ingest({pages_file}, {}, nullptr).status());
  run.link_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - corpus_done).count();

  // 3. Score each row against its page's stored links.
  std::map<std::string, std::pair<StoredVersion, std::vector<StoredQuoteLink>>> page_links;
  std::set<std::pair<std::string, size_t>> covered;  // (page, link index) covering some gold row
  auto origin_docnos = [&](const GoldRow& row) {
    std::set<int64_t> out;
    std::vector<std::string> ids = row.dups;
    ids.push_back(row.origin_id);
    for (const std::string& id : ids) {
      auto view = engine->Show(id);
      if (!view.ok()) continue;
      for (const StoredVersion& v : view->versions) out.insert(v.docno);
    }
    return out;
  };
  for (const GoldRow& row : gold) {
    ProvenanceRowResult result;
    result.page = row.page;
    result.quote = row.quote;
    result.match = row.match;
    result.n_words = row.n_words;
    result.gold_origin = row.origin_id;
    auto it = page_links.find(row.page);
    if (it == page_links.end()) {
      auto view = engine->Show("dev:" + row.page);
      if (!view.ok()) return Status::NotFound(row.page + ": page not stored (" + view.status().message() + ")");
      StoredVersion version = view->version;
      ET_ASSIGN_OR_RETURN(std::vector<StoredQuoteLink> links, engine->LinksOf(version.docno));
      it = page_links.emplace(row.page, std::make_pair(std::move(version), std::move(links))).first;
    }
    const std::string& text = it->second.first.doc.text;
    const std::vector<StoredQuoteLink>& links = it->second.second;
    const std::string needle = CollapseSpaces(row.quote);
    const std::set<int64_t> wanted = row.origin_id.empty() ? std::set<int64_t>{} : origin_docnos(row);
    for (size_t at = text.find(needle); !needle.empty() && at != std::string::npos; at = text.find(needle, at + 1)) {
      const size_t b = at, e = at + needle.size();
      for (size_t k = 0; k < links.size(); ++k) {
        const QuoteMatch& m = links[k].match;
        const size_t lo = std::max<size_t>(b, m.quote_begin), hi = std::min<size_t>(e, m.quote_end);
        if (hi <= lo || 2 * (hi - lo) < e - b) continue;
        covered.insert({row.page, k});
        const bool right = wanted.count(m.docno) != 0;
        if (!result.linked || (right && !result.correct)) {
          result.linked = true;
          result.correct = right;
          auto origin = engine->Version(m.docno);
          result.linked_to = origin.ok() && !origin->doc.external_id.empty() ? origin->doc.external_id : m.version_id;
          result.why = m.why;
          result.confidence = m.confidence;
        }
      }
    }
    run.rows.push_back(std::move(result));
  }
  for (const auto& [page, entry] : page_links) {
    for (size_t k = 0; k < entry.second.size(); ++k) {
      if (covered.count({page, k}) != 0) continue;
      const QuoteMatch& m = entry.second[k].match;
      ++run.extra_links;
      auto origin = engine->Version(m.docno);
      run.extra.push_back(page + ": \"" + entry.first.doc.text.substr(m.quote_begin, m.quote_end - m.quote_begin) +
                          "\" -> " + (origin.ok() ? origin->doc.external_id : m.version_id) + " (" + m.why + ")");
    }
  }
  for (const ProvenanceRowResult& r : run.rows) {
    if (r.gold_origin.empty()) {
      ++run.negatives;
      run.negatives_linked += r.linked ? 1 : 0;
      continue;
    }
    KindScore s;
    s.gold = 1;
    s.predicted = r.linked ? 1 : 0;
    s.matched = r.correct ? 1 : 0;
    run.scores[r.match].Add(s);
    if (r.match == "verbatim" || r.match == "near") run.scores["verbatim+near"].Add(s);
    run.scores["all"].Add(s);
    run.scores[r.n_words <= 3 ? "short" : "long"].Add(s);
  }
  return run;
}

}  // namespace echotrace

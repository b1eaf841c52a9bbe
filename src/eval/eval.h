// Evaluation of extraction: the project's gold set (tests/data/extract) and
// the public article-extraction benchmark, scored the way it publishes.
//
// Thread-safety: free functions without shared state.
// Cost: linear in the texts scored.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace echotrace {

// Words as Python's `\w+` finds them on str: runs of letters, digits
// (decimal, letter and other numbers) and underscore.
std::vector<std::string> WordTokens(std::string_view utf8);

struct PageScore {
  double tp = 0, fp = 0, fn = 0;  // normalized to sum to 1 (benchmark rule)
  double precision = 0, recall = 0;
  bool has_predicted = false, has_truth = false;
  bool exact = false;  // token lists equal
};

// The benchmark's rule: 4-token shingles as multisets (a text shorter than
// four tokens gives one shorter shingle).
PageScore ScoreShingles(std::string_view predicted, std::string_view truth);

struct BenchmarkScore {
  double precision = 0, recall = 0, f1 = 0, accuracy = 0;
  int pages = 0;
};
// Means over pages (pages without predicted / true shingles left out of the
// precision / recall mean), F1 of the means.
BenchmarkScore Aggregate(const std::vector<PageScore>& pages);

// Bag-of-words precision/recall/F1 of a body against gold.
struct TokenScore {
  double precision = 0, recall = 0, f1 = 0;
};
TokenScore ScoreTokens(std::string_view predicted, std::string_view truth);

// --- Runs used by `echotrace eval` ------------------------------------------

struct GoldCaseResult {
  std::string name;
  TokenScore body;
  bool title_ok = false, source_ok = false, date_ok = false, url_ok = false;
  bool paragraphs_ok = false, removed_ok = false;
  std::vector<std::string> problems;  // human-readable differences
};

struct GoldRun {
  std::vector<GoldCaseResult> cases;
  TokenScore overall;            // micro-average over all body tokens
  double metadata_accuracy = 0;  // share of (title, source, date, url) fields right
};

// Scores every case in `dir`/cases/*.json. `shared_dir` resolves inputs named
// "shared:..."; cases needing it are skipped (listed in *skipped) when absent.
Result<GoldRun> EvaluateGold(const std::string& dir, const std::string& shared_dir, std::vector<std::string>* skipped);

struct BenchmarkRun {
  BenchmarkScore score;
  double seconds = 0;                                            // extraction time only
  std::vector<std::pair<std::string, std::string>> predictions;  // id, body
};

// Extracts every html/<id>.html.gz of the benchmark folder and scores it
// against ground-truth.json.
Result<BenchmarkRun> EvaluateBenchmark(const std::string& dir);

}  // namespace echotrace

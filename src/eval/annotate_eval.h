// Evaluation of annotation against the project's gold set
// (tests/data/annotate/cases/*.json), per kind of annotation.
//
// A case names an input page (a path relative to the gold folder, or
// "shared:seeds/<file>") and lists, per kind, every gold occurrence:
//   "dates":    [{"text", "value", "resolution"}]   matched on text + value
//   "entities": [{"text", "id", "type"}]            matched on text + id
//   "events":   [{"text", "key"}]                   matched on text + key
//   "works":    [{"text", "key", "author"}]         matched on text + key
//   "quotes":   [{"text", "speaker", "channel"}]    matched on text; speaker
//                                                   and channel scored on matches
// A kind absent from a case is not scored for it. Items are a multiset:
// a text that occurs twice is listed twice. Texts are compared after
// whitespace normalization. "published" (optional) supplies the publication
// date when extraction finds none.
//
// Thread-safety: free functions without shared state.
// Cost: linear in the size of the cases.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace echotrace {

struct KindScore {
  int64_t gold = 0, predicted = 0, matched = 0;
  double precision() const { return predicted == 0 ? (gold == 0 ? 1.0 : 0.0) : double(matched) / double(predicted); }
  double recall() const { return gold == 0 ? 1.0 : double(matched) / double(gold); }
  double f1() const {
    const double p = precision(), r = recall();
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }
  void Add(const KindScore& other) {
    gold += other.gold;
    predicted += other.predicted;
    matched += other.matched;
  }
};

struct AnnotateCaseResult {
  std::string name;
  bool seed = false;                                 // input is one of ../shared/seeds
  std::map<std::string, KindScore> kinds;            // "dates", "entities", "events", "works", "quotes"
  int64_t speakers_checked = 0, speakers_right = 0;  // over matched quotes with a gold speaker
  int64_t channels_checked = 0, channels_right = 0;  // over matched quotes with a gold channel
  std::vector<std::string> problems;                 // "missed date 'March 29' = 2022-03-29", ...
};

struct AnnotateRun {
  std::vector<AnnotateCaseResult> cases;
  std::map<std::string, KindScore> overall;  // micro-averaged over every case
  std::map<std::string, KindScore> seeds;    // over seed cases only
  int64_t speakers_checked = 0, speakers_right = 0;
  int64_t channels_checked = 0, channels_right = 0;
};

// Scores every case in `dir`/cases/*.json: Extract, then Annotate, then
// compare. Cases whose input is "shared:..." are skipped (named in *skipped)
// when `shared_dir` lacks it. Errors: kNotFound without a cases folder,
// kBadInput for a malformed case file (the message names it).
Result<AnnotateRun> EvaluateAnnotations(const std::string& dir, const std::string& shared_dir,
                                        std::vector<std::string>* skipped);

}  // namespace echotrace

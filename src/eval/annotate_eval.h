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

// Scores of annotation on real foreign pages (../shared/provenance-dev):
// `annotations.jsonl` holds, per page, "quote" records (text, speaker,
// channel), "person" records (name, id) and "date" records (text, value);
// the folder's README gives the conventions. Each page is extracted as plain
// text and annotated with its page date (a month-only date "YYYY-MM" is taken
// as the month's last day: the page was written by then, so "on the 30th"
// resolves within the month).
//  - quotes: gold texts against quote spans, compared after whitespace and
//    edge punctuation are normalized; a "reported" span (speech without marks)
//    may match a gold quote but is not counted as extra when it matches none,
//    since the gold lists only quotations (and one marked exception).
//    Speaker and channel are scored over matched quotes; predicted ids are
//    mapped to the gold's naming conventions first (SpeakerToGoldId); a
//    gold id of a Korean name written in another romanization matches its
//    RomanizationKey ("lee-jung-hoon" = "ri-jong-hun").
//  - persons: distinct (surface, id) per page, surface compared
//    case-insensitively; an id counts only when it is the gold's (same
//    conventions as speakers).
//  - dates: texts that contain one another ("On Thursday" vs "Thursday") and
//    the same value at the gold's precision: equal, or the same day with a
//    time, or a range inside the gold's month or year ("late 2011"). As in
//    the gold, clock times alone ("10 a.m.") are not dates.
struct RealPageRun {
  int64_t pages = 0;
  KindScore quotes, persons, dates;
  int64_t speakers_checked = 0, speakers_right = 0;
  int64_t channels_checked = 0, channels_right = 0;
  std::vector<std::string> problems;  // "07_almanar_kju_marshal.txt: missed quote '...'", ...
};

// kNotFound when `dev_dir` lacks annotations.jsonl or pages/; kBadInput
// naming the line for a malformed record.
Result<RealPageRun> EvaluateRealPages(const std::string& dev_dir);

// A predicted speaker or channel id written in the real-page gold's naming
// conventions: places that speak for the North are "north-korea", "rodong" is
// "rodong-sinmun", "tass" is "itar-tass", "wpk-politburo" is
// "wpk-political-bureau"; other ids are unchanged.
std::string SpeakerToGoldId(std::string_view id);

}  // namespace echotrace

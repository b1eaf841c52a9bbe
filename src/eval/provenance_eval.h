// Evaluation of quote provenance on real foreign pages
// (../shared/provenance-dev: pages/*.txt and provenance.jsonl).
//
// The run ingests, into a temporary data directory, the state-media corpus
// files the gold rows name (`origin_source_file`, read from `corpus_dir`),
// then the dev pages as records with their URL and date, exactly as a user
// would ingest foreign coverage. Linking at ingest traces the pages' quotes;
// the stored quote links of each page are then scored against the gold:
//   - a gold row with an origin is matched when a stored link of its page
//     covers the row's quote text and points at `origin_id` or one of
//     `origin_dups` (any version of those articles);
//   - a link covering the row's quote but pointing elsewhere is a wrong link
//     (a false positive and a miss);
//   - a negative row (`origin_id` null) is a false positive when linked.
// Scores are given by the gold's match kind (verbatim, near,
// retranslation), by quote length (1-3 words vs longer), and for
// verbatim+near together; negatives are reported as the share linked.
//
// Thread-safety: free functions without shared state.
// Cost: dominated by ingesting the corpus files (about a minute for the four
// files with bodies); `base_data_dir` skips that by copying a data directory
// that already holds them.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "eval/annotate_eval.h"  // KindScore

namespace echotrace {

struct ProvenanceEvalOptions {
  // Where the state-media JSON Lines files live. Default: `dir`/../corpus.
  std::string corpus_dir;
  // A data directory already holding the corpus (and nothing of the pages):
  // copied into the temporary directory instead of ingesting the corpus.
  // Default: empty (ingest). Faster when tuning; the figures are the same
  // only if it was built from the same corpus files by the same binary.
  std::string base_data_dir;
  // When > 0, only corpus records dated within [page day - window_days,
  // page day + 1] of some page are ingested (month-only pages count from the
  // month's first day to its last). Default 0: whole files. Smaller corpora
  // ingest faster (tests) but change how rare an n-gram looks, so the
  // figures differ slightly from a whole-file run.
  int window_days = 0;
  // Keep the temporary data directory (its path is in ProvenanceRun::data_dir).
  bool keep_data = false;
};

struct ProvenanceRowResult {
  std::string page, quote, match;  // match: verbatim | near | retranslation | none
  int n_words = 0;
  std::string gold_origin;  // origin_id; empty for a negative
  bool linked = false;      // some link covers the quote
  bool correct = false;     // ...and points at the gold origin (or a duplicate)
  std::string linked_to;    // external id (or version id) of the linked origin
  std::string why;          // the link's reason, when linked
  double confidence = 0;
};

struct ProvenanceRun {
  std::vector<ProvenanceRowResult> rows;
  // Keys: "verbatim", "near", "retranslation", "verbatim+near", "all" (with
  // origin), "short" (1-3 words, with origin), "long" (with origin).
  // gold = rows with an origin, predicted = rows linked, matched = correct.
  std::map<std::string, KindScore> scores;
  int64_t negatives = 0, negatives_linked = 0;
  int64_t extra_links = 0;         // stored links of the pages that cover no gold row (not scored)
  std::vector<std::string> extra;  // "page: quote -> origin" for --verbose
  int64_t pages = 0, corpus_records = 0;
  double ingest_seconds = 0, link_seconds = 0;
  std::string data_dir;  // the temporary data directory (removed unless keep_data)
};

// Runs the evaluation over `dir` (pages/ and provenance.jsonl). Errors:
// kNotFound when the folder, its gold or a corpus file is missing;
// kBadInput for a malformed gold row (the message names its line); the
// engine's errors (kIOError) while ingesting.
Result<ProvenanceRun> EvaluateProvenance(const std::string& dir, const ProvenanceEvalOptions& options);

}  // namespace echotrace

// Token-level local alignment (Smith-Waterman with affine gaps, Gotoh).
//
// Aligns a quoted passage (the query) against a window of a candidate
// origin. Tolerances built into the scoring:
//   - words are equal when their normalized keys are (case, quotes, British
//     and US spelling), and nearly equal when both are capitalized and their
//     romanization keys agree (a re-romanized name, scored `name_match`);
//   - a bracketed query word ("(is)", "[the]") may be skipped for free: an
//     editor's insertion;
//   - where the query marks an elision ("...", "{snip}"), skipping origin
//     words is free: the outlet said it left text out;
//   - the alignment is local, so trimmed sentence starts and ends cost nothing.
//
// Cost: O(m * n) time and 3 * (m + 1) * (n + 1) bytes of traceback for a
// query of m tokens and a window of n; callers bound both (trace.h caps a
// query at 2,000 tokens and a window at 6,000).
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "link/normalize.h"

namespace echotrace {

struct AlignOptions {
  double match = 1.0;
  double name_match = 0.8;  // re-romanized name
  double mismatch = -1.0;
  double gap_open = -2.0;  // first word of a gap
  double gap_extend = -0.5;
};

enum class AlignOp : uint8_t {
  kMatch,   // same word (possibly another spelling or romanization)
  kChange,  // the outlet wrote another word in this place
  kInsert,  // a query word with no counterpart in the origin
  kOmit,    // an origin word the query left out
};

struct AlignStep {
  AlignOp op;
  int32_t query = -1;   // token index in the query, -1 for kOmit
  int32_t origin = -1;  // token index in the origin, -1 for kInsert
};

struct Alignment {
  double score = 0;
  size_t matched = 0;  // kMatch steps
  // Half-open token ranges of the aligned region (empty when score == 0).
  size_t query_begin = 0, query_end = 0;
  size_t origin_begin = 0, origin_end = 0;
  std::vector<AlignStep> steps;  // in text order
};

// Aligns query[0..m) with origin[origin_from, origin_to). Returns the best
// local alignment (score 0 and no steps when nothing scores above zero).
// REQUIRES: origin_from <= origin_to <= origin.size().
Alignment AlignLocal(const std::vector<MatchToken>& query, const std::vector<MatchToken>& origin, size_t origin_from,
                     size_t origin_to, const AlignOptions& options = {});

}  // namespace echotrace

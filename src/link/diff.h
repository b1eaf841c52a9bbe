// Word-level diff of a quote against its origin, read off an alignment.
//
// Each entry says what happened to one word:
//   kKept     - the outlet kept the origin's word (spelling, case, quote
//               style may differ: "colour"/"color" is kept);
//   kChanged  - the outlet put another word in its place (a re-romanized
//               name, a synonym, a typo);
//   kInserted - a word the outlet added ("(is)", "[Kim]");
//   kOmitted  - a word of the origin the outlet left out (inside the quoted
//               stretch: an ellipsis, a cut).
// Words are copied from the two texts as written.
//
// Cost: linear in the alignment. Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "link/align.h"
#include "link/normalize.h"

namespace echotrace {

enum class DiffOp : uint8_t { kKept, kChanged, kInserted, kOmitted };
std::string_view DiffOpName(DiffOp op);  // "kept", "changed", "inserted", "omitted"

struct DiffWord {
  DiffOp op = DiffOp::kKept;
  std::string quote;   // the word as the outlet wrote it; empty for kOmitted
  std::string origin;  // the word as the origin has it; empty for kInserted
};

// REQUIRES: `alignment` was computed over `query` (tokens of quote_text) and
// `origin` (tokens of origin_text).
std::vector<DiffWord> WordDiff(const Alignment& alignment, const std::vector<MatchToken>& query,
                               std::string_view quote_text, const std::vector<MatchToken>& origin,
                               std::string_view origin_text);

// The word diff of one version of an article against the next (the
// ledger's "edited"): `quote` words are the newer version's, `origin` words
// the older's. Both documents are tokenized as linking does (title and body,
// boilerplate left out); the common head and tail are kept, the middle is
// aligned with AlignLocal. Cost: linear in the documents plus
// O(m * n) for a changed middle of m and n words; a middle over
// kMaxVersionDiffCells is shown as omitted-then-inserted without aligning.
inline constexpr size_t kMaxVersionDiffCells = size_t{4} << 20;
std::vector<DiffWord> VersionDiff(const Document& older, const Document& newer);

// Compact one-line rendering: kept words plain, "[-omitted-]", "{+inserted+}",
// "[-old-]{+new+}" for a change.
std::string RenderDiff(const std::vector<DiffWord>& diff);

}  // namespace echotrace

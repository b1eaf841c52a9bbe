#include "link/align.h"

#include <algorithm>
#include <limits>

namespace echotrace {
namespace {

constexpr double kNegInf = -1e18;

// Traceback codes.
enum : uint8_t { kFromZero = 0, kFromDiag = 1, kFromE = 2, kFromF = 3 };
enum : uint8_t { kOpen = 0, kExtend = 1 };

}  // namespace

Alignment AlignLocal(const std::vector<MatchToken>& query, const std::vector<MatchToken>& origin, size_t origin_from,
                     size_t origin_to, const AlignOptions& options) {
  Alignment best;
  const size_t m = query.size();
  const size_t n = origin_to - origin_from;
  if (m == 0 || n == 0) return best;
  const size_t width = n + 1;
  std::vector<uint8_t> h_from((m + 1) * width, kFromZero);
  std::vector<uint8_t> e_from((m + 1) * width, kOpen);
  std::vector<uint8_t> f_from((m + 1) * width, kOpen);
  std::vector<double> h_prev(width, 0.0), h_cur(width, 0.0);
  std::vector<double> f_prev(width, kNegInf), f_cur(width, kNegInf);
  double best_score = 0;
  size_t best_i = 0, best_j = 0;
  for (size_t i = 1; i <= m; ++i) {
    const MatchToken& q = query[i - 1];
    // Gap in the origin (query word skipped) costs nothing for a bracketed word.
    const double q_open = q.bracketed ? 0.0 : options.gap_open;
    const double q_extend = q.bracketed ? 0.0 : options.gap_extend;
    // Gap in the query (origin words skipped) at row i is free where the
    // next query word follows an elision marker.
    const bool free_skip = i < m && query[i].elision_before;
    const double o_open = free_skip ? 0.0 : options.gap_open;
    const double o_extend = free_skip ? 0.0 : options.gap_extend;
    double e = kNegInf;
    h_cur[0] = 0;
    f_cur[0] = kNegInf;
    for (size_t j = 1; j <= n; ++j) {
      const size_t cell = i * width + j;
      // E: consume origin word j (omitted by the quote).
      const double e_open = h_cur[j - 1] + o_open;
      const double e_ext = e + o_extend;
      if (e_ext > e_open) {
        e = e_ext;
        e_from[cell] = kExtend;
      } else {
        e = e_open;
        e_from[cell] = kOpen;
      }
      // F: consume query word i (inserted by the quote).
      const double f_open = h_prev[j] + q_open;
      const double f_ext = f_prev[j] + q_extend;
      if (f_ext > f_open) {
        f_cur[j] = f_ext;
        f_from[cell] = kExtend;
      } else {
        f_cur[j] = f_open;
        f_from[cell] = kOpen;
      }
      const MatchToken& o = origin[origin_from + j - 1];
      double s;
      if (q.hash == o.hash) {
        s = options.match;
      } else if (q.capitalized && o.capitalized && q.roman == o.roman) {
        s = options.name_match;
      } else {
        s = options.mismatch;
      }
      double h = 0;
      uint8_t from = kFromZero;
      const double diag = h_prev[j - 1] + s;
      if (diag > h) {
        h = diag;
        from = kFromDiag;
      }
      if (e > h) {
        h = e;
        from = kFromE;
      }
      if (f_cur[j] > h) {
        h = f_cur[j];
        from = kFromF;
      }
      h_cur[j] = h;
      h_from[cell] = from;
      if (h > best_score && from == kFromDiag) {
        best_score = h;
        best_i = i;
        best_j = j;
      }
    }
    std::swap(h_prev, h_cur);
    std::swap(f_prev, f_cur);
  }
  if (best_score <= 0) return best;
  // Traceback from the best cell, following the state machine.
  size_t i = best_i, j = best_j;
  uint8_t state = kFromDiag;  // which matrix we are in: H via diag, E or F
  std::vector<AlignStep> steps;
  for (;;) {
    const size_t cell = i * width + j;
    if (state == kFromDiag || state == kFromZero) {
      const uint8_t from = h_from[cell];
      if (from == kFromZero || i == 0 || j == 0) break;
      if (from == kFromDiag) {
        const MatchToken& q = query[i - 1];
        const MatchToken& o = origin[origin_from + j - 1];
        const bool same = q.hash == o.hash || (q.capitalized && o.capitalized && q.roman == o.roman);
        steps.push_back({same ? AlignOp::kMatch : AlignOp::kChange, static_cast<int32_t>(i - 1),
                         static_cast<int32_t>(origin_from + j - 1)});
        --i;
        --j;
        state = kFromDiag;
        continue;
      }
      state = from;
      continue;
    }
    if (state == kFromE) {
      steps.push_back({AlignOp::kOmit, -1, static_cast<int32_t>(origin_from + j - 1)});
      const uint8_t how = e_from[cell];
      --j;
      state = how == kExtend ? kFromE : kFromDiag;
      continue;
    }
    // kFromF
    steps.push_back({AlignOp::kInsert, static_cast<int32_t>(i - 1), -1});
    const uint8_t how = f_from[cell];
    --i;
    state = how == kExtend ? kFromF : kFromDiag;
  }
  std::reverse(steps.begin(), steps.end());
  best.score = best_score;
  best.steps = std::move(steps);
  best.query_begin = std::numeric_limits<size_t>::max();
  best.origin_begin = std::numeric_limits<size_t>::max();
  for (const AlignStep& step : best.steps) {
    if (step.op == AlignOp::kMatch) ++best.matched;
    if (step.query >= 0) {
      best.query_begin = std::min(best.query_begin, static_cast<size_t>(step.query));
      best.query_end = std::max(best.query_end, static_cast<size_t>(step.query) + 1);
    }
    if (step.origin >= 0) {
      best.origin_begin = std::min(best.origin_begin, static_cast<size_t>(step.origin));
      best.origin_end = std::max(best.origin_end, static_cast<size_t>(step.origin) + 1);
    }
  }
  return best;
}

}  // namespace echotrace

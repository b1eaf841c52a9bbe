// Per-document work budgets: a size limit, checked before a stage runs, and
// a deadline, checked by the stage as it works.
//
// Ingest gives every record a budget per stage (extraction, annotation,
// linking; engine.h IngestOptions::budgets). A record over a budget is
// skipped by that stage and reported; the records around it are not
// touched. The deadline is cooperative: a stage reads it at its loop heads
// (every few hundred HTML nodes or text lines, every block of an annotator,
// every passage traced), so the work between two readings is not cut; each
// such step is linear in its input, which the size limit bounds.
//
// Thread-safety: a Deadline is used by one thread at a time; a BudgetClock
// must be safe to call from the thread that reads the deadline.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace echotrace {

// Monotonic seconds. Default: the steady clock (SteadySeconds). Tests inject
// a counter so a budget runs out after a fixed number of readings: fast and
// deterministic, with no timing in the assertion.
using BudgetClock = std::function<double()>;
double SteadySeconds();

// One stage's budget for one document.
struct StageBudget {
  // Largest input the stage takes, in bytes (raw bytes for extraction, the
  // extracted text for annotation and linking). 0: no limit.
  size_t max_bytes = 0;
  // Longest the stage may work on one document, in seconds. <= 0: no limit.
  double max_seconds = 0;
};

// A point in time after which a stage gives up on its document.
class Deadline {
 public:
  // Never passes.
  Deadline() = default;
  // Passes `max_seconds` after now, read from `clock` (nullptr or empty: the
  // steady clock). max_seconds <= 0: never passes. REQUIRES: *clock outlives
  // this Deadline.
  explicit Deadline(double max_seconds, const BudgetClock* clock = nullptr);

  // True once the deadline is behind; reads the clock (about 20 ns).
  bool Passed() const;
  double max_seconds() const { return max_seconds_; }

 private:
  const BudgetClock* clock_ = nullptr;
  double max_seconds_ = 0;
  double end_ = 0;
};

// The error of a document over a stage's budget (kBadInput, so a caller
// skips the record and goes on): "over the annotation budget: 9.2 MiB of
// text, the limit is 8 MiB" or "... took longer than 30 s".
Status OverSizeBudget(std::string_view stage, size_t bytes, size_t max_bytes);
Status OverTimeBudget(std::string_view stage, double max_seconds);
// True for the errors built by the two functions above.
bool IsOverBudget(const Status& status);

}  // namespace echotrace

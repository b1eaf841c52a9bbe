#include "core/budget.h"

#include <chrono>
#include <cstdio>

namespace echotrace {
namespace {

constexpr std::string_view kOverBudget = "over the ";

double Now(const BudgetClock* clock) { return clock != nullptr && *clock ? (*clock)() : SteadySeconds(); }

std::string Size(size_t bytes) {
  char text[32];
  if (bytes >= (size_t{1} << 20)) {
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  } else {
    std::snprintf(text, sizeof text, "%zu bytes", bytes);
  }
  return text;
}

}  // namespace

double SteadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

Deadline::Deadline(double max_seconds, const BudgetClock* clock) : clock_(clock), max_seconds_(max_seconds) {
  if (max_seconds_ > 0) end_ = Now(clock_) + max_seconds_;
}

bool Deadline::Passed() const { return max_seconds_ > 0 && Now(clock_) > end_; }

Status OverSizeBudget(std::string_view stage, size_t bytes, size_t max_bytes) {
  return Status::BadInput(std::string(kOverBudget) + std::string(stage) + " budget: " + Size(bytes) +
                          ", the limit is " + Size(max_bytes) + " (record skipped)");
}

Status OverTimeBudget(std::string_view stage, double max_seconds) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%g", max_seconds);
  return Status::BadInput(std::string(kOverBudget) + std::string(stage) + " budget: took longer than " + seconds +
                          " s (record skipped)");
}

bool IsOverBudget(const Status& status) {
  return status.code() == StatusCode::kBadInput && status.message().starts_with(kOverBudget) &&
         status.message().find(" budget: ") != std::string::npos;
}

}  // namespace echotrace

// Status and Result<T>: the one error type of echotrace.
//
// Every function that can fail for an expected reason (bad input, a missing
// article, an I/O error) returns a Status or a Result<T>; exceptions from
// libraries are caught at the module boundary and turned into a Status.
// Both types are [[nodiscard]] so a failure cannot be dropped silently.
//
// Thread-safety: plain values; safe to copy between threads.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace echotrace {

// Stable codes: the CLI maps them to exit codes (kUsage -> 2, others -> 1),
// the HTTP API to status codes. Append only; never renumber.
enum class StatusCode : int {
  kOk = 0,
  kUsage = 1,     // the caller asked for something malformed (bad flag, bad query)
  kBadInput = 2,  // input data is malformed (truncated JSON, binary junk, empty file)
  kNotFound = 3,  // an id, file or key does not exist
  kIOError = 4,   // the operating system refused a read or write
  kCorrupt = 5,   // stored data is damaged or not ours
  kInternal = 6,  // a bug or a library failure we did not expect
  // A reader saw the data change under it (Xapian's DatabaseModifiedError):
  // nothing is wrong; the same call on a fresh reader succeeds.
  kRetry = 7,
};

std::string_view StatusCodeName(StatusCode code);
// A stable identifier for programs ("bad_parameter", "bad_input", "not_found",
// "io_error", "corrupt", "internal", "retry"): JSON errors carry it as
// "code"; unlike the message it never changes wording.
std::string_view StatusCodeId(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  static Status Ok() { return Status(); }
  static Status Usage(std::string msg) { return Status(StatusCode::kUsage, std::move(msg)); }
  static Status BadInput(std::string msg) { return Status(StatusCode::kBadInput, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(StatusCode::kNotFound, std::move(msg)); }
  static Status IOError(std::string msg) { return Status(StatusCode::kIOError, std::move(msg)); }
  static Status Corrupt(std::string msg) { return Status(StatusCode::kCorrupt, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(StatusCode::kInternal, std::move(msg)); }
  static Status Retry(std::string msg) { return Status(StatusCode::kRetry, std::move(msg)); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "not found: no article with id 'x'"; "ok" for success.
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context` ("file.jsonl:12: ...").
  Status WithContext(std::string_view context) const;

 private:
  Status(StatusCode code, std::string msg) : code_(code), message_(std::move(msg)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A failed write to the data directory as a Status whose message says what to
// do: `error` is the errno of the failed call (ENOSPC/EDQUOT: a full disk, named
// by `path`; EROFS/EACCES/EPERM: a read-only folder). `what` says which write
// ("cannot write /data/ngrams/seg-2.ngs.tmp"). The one wording of these cases,
// which the SQLite and Xapian wrappers use too.
Status WriteFailure(const std::string& what, const std::string& path, int error);

// Either a value or a non-OK Status. REQUIRES: constructed from a non-OK
// Status when it holds an error (checked by assert in debug builds).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(state_).ok() && "Result built from an OK Status");
  }

  bool ok() const { return std::holds_alternative<T>(state_); }
  // The error; Status::Ok() when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(state_); }

  // REQUIRES: ok().
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace echotrace

// Propagates a non-OK Status from the current function.
#define ET_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::echotrace::Status et_status_ = (expr); \
    if (!et_status_.ok()) return et_status_; \
  } while (0)

#define ET_CONCAT_INNER(a, b) a##b
#define ET_CONCAT(a, b) ET_CONCAT_INNER(a, b)
// `ET_ASSIGN_OR_RETURN(auto x, Compute());` binds x or returns the error.
#define ET_ASSIGN_OR_RETURN(lhs, expr) ET_ASSIGN_OR_RETURN_IMPL(ET_CONCAT(et_result_, __LINE__), lhs, expr)
#define ET_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()

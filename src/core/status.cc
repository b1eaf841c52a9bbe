#include "core/status.h"

#include <cerrno>
#include <cstring>

namespace echotrace {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kUsage: return "usage";
    case StatusCode::kBadInput: return "bad input";
    case StatusCode::kNotFound: return "not found";
    case StatusCode::kIOError: return "I/O error";
    case StatusCode::kCorrupt: return "corrupt";
    case StatusCode::kInternal: return "internal error";
    case StatusCode::kRetry: return "changed while reading (retry)";
  }
  return "unknown";
}

std::string_view StatusCodeId(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kUsage: return "bad_parameter";
    case StatusCode::kBadInput: return "bad_input";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kIOError: return "io_error";
    case StatusCode::kCorrupt: return "corrupt";
    case StatusCode::kInternal: return "internal";
    case StatusCode::kRetry: return "retry";
  }
  return "internal";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out(StatusCodeName(code_));
  out += ": ";
  out += message_;
  return out;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  std::string msg(context);
  msg += ": ";
  msg += message_;
  return Status(code_, std::move(msg));
}

Status WriteFailure(const std::string& what, const std::string& path, int error) {
  switch (error) {
    case ENOSPC:
    case EDQUOT:
      return Status::IOError(what + ": the disk is full (" + std::strerror(error) + " writing " + path +
                             "): free some space and run the same command again; every committed batch is kept");
    case EROFS:
    case EACCES:
    case EPERM:
      return Status::IOError(what + ": cannot write (" + std::strerror(error) + " at " + path +
                             "): make the data directory writable, or choose another folder with --data");
    default: return Status::IOError(what + " " + path + ": " + std::strerror(error));
  }
}

}  // namespace echotrace

// DataDir: the layout of a data directory, spelled in one place.
//
//   DIR/echotrace.sqlite   the store (truth) and the link tables (SQLite, WAL)
//   DIR/index/             the Xapian index (derived from the store)
//
// Thread-safety: a plain value. Cost: path arithmetic and stat() calls.
#pragma once

#include <string>

#include "core/status.h"

namespace echotrace {

struct DataDir {
  std::string root;

  std::string StorePath() const;  // root/echotrace.sqlite
  std::string IndexPath() const;  // root/index
  // True when the store file exists (something was ingested here).
  bool HasStore() const;
  // kUsage for an empty path (a data directory must be named).
  static Result<DataDir> Named(const std::string& root);
};

// Where data lives unless told: $ECHOTRACE_DATA, else ./echotrace-data.
std::string DefaultDataDir();

}  // namespace echotrace

// JSON views of engine results, one encoder for the CLI's --json and the
// HTTP API, so the same thing has the same field names everywhere.
//
// Thread-safety: pure functions. Cost: linear in the value encoded.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "link/diff.h"

namespace echotrace {

// A word diff as runs: consecutive words of one op make one entry
// {"op": "kept"|"changed"|"inserted"|"omitted", "quote": ..., "original": ...}.
nlohmann::json DiffJson(const std::vector<DiffWord>& diff);

}  // namespace echotrace

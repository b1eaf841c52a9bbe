// Shared set-up for the libFuzzer targets (fuzz/*.cc): where the sample data
// is, and a data directory built once per process from data/sample.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

#include "engine/engine.h"

namespace echotrace::fuzz {

inline std::string SourceDir() { return ECHOTRACE_SOURCE_DIR; }

// A data directory holding data/sample, made once per process under the
// temp dir (removed at exit). Aborts when it cannot be built: a fuzz run
// without its corpus would be meaningless.
inline const std::string& SampleDataDir() {
  static const std::string dir = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "echotrace-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    const std::string data = pattern + "/data";
    auto engine = Engine::Open(data, Engine::Mode::kWrite);
    if (!engine.ok()) std::abort();
    IngestOptions options;
    if (!(*engine)->Ingest({SourceDir() + "/data/sample"}, options, nullptr).ok()) std::abort();
    static const std::string remove = pattern;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(remove, ec);
    });
    return data;
  }();
  return dir;
}

}  // namespace echotrace::fuzz

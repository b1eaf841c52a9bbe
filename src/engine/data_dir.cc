#include "engine/data_dir.h"

#include <cstdlib>
#include <filesystem>

namespace echotrace {

std::string DataDir::StorePath() const { return (std::filesystem::path(root) / "echotrace.sqlite").string(); }

std::string DataDir::IndexPath() const { return (std::filesystem::path(root) / "index").string(); }

bool DataDir::HasStore() const {
  std::error_code error;
  return std::filesystem::exists(StorePath(), error);
}

Result<DataDir> DataDir::Named(const std::string& root) {
  if (root.empty()) return Status::Usage("the data directory is empty: pass --data DIR or set ECHOTRACE_DATA");
  return DataDir{root};
}

std::string DefaultDataDir() {
  const char* env = std::getenv("ECHOTRACE_DATA");
  return env != nullptr && *env != '\0' ? std::string(env) : std::string("echotrace-data");
}

}  // namespace echotrace

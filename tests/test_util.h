// Helpers shared by the tests: temporary folders, file writing, running the CLI.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace echotrace::testing {

inline std::string SourceDir() { return ECHOTRACE_SOURCE_DIR; }
inline std::string SharedDir() { return ECHOTRACE_SHARED_DIR; }
inline std::string SampleDir() { return SourceDir() + "/data/sample"; }
inline bool HaveShared() { return std::filesystem::exists(SharedDir() + "/seeds"); }

// A fresh folder under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "echotrace-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline void WriteFile(const std::string& path, const std::string& bytes) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct CliRun {
  int exit_code = -1;  // -signal if killed by a signal
  std::string out, err;
};

// Runs the echotrace binary with `args`, feeding `input` on stdin.
inline CliRun RunCli(const std::vector<std::string>& args, const std::string& input = "",
                     const std::vector<std::string>& env = {}) {
  TempDir io;
  WriteFile(io / "in", input);
  const std::string out_path = io / "out", err_path = io / "err";
  const pid_t pid = fork();
  if (pid == 0) {
    for (const std::string& assignment : env) putenv(const_cast<char*>(assignment.c_str()));
    if (!freopen((io / "in").c_str(), "rb", stdin) || !freopen(out_path.c_str(), "wb", stdout) ||
        !freopen(err_path.c_str(), "wb", stderr)) {
      _exit(127);
    }
    std::vector<char*> argv;
    std::string binary = ECHOTRACE_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (std::string& arg : copy) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  CliRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  run.out = ReadFile(out_path);
  run.err = ReadFile(err_path);
  return run;
}

// The JSON objects of JSON Lines text, one per complete line (a last line
// without its newline is still being written and is left out).
inline std::vector<nlohmann::json> JsonLines(const std::string& text) {
  std::vector<nlohmann::json> out;
  size_t start = 0;
  for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    if (end > start) out.push_back(nlohmann::json::parse(text.substr(start, end - start)));
  }
  return out;
}

}  // namespace echotrace::testing

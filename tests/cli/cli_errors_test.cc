// The command line's exit codes and messages for skipped inputs and data
// directories it cannot use: every loss is exit 1 and named, usage is exit 2.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "test_util.h"

namespace echotrace {
namespace {

using testing::CliRun;
using testing::RunCli;
using testing::SampleDir;
using testing::TempDir;
using testing::WriteFile;

TEST(CliErrors, MissingPathExitsOneAndIsInTheJson) {
  TempDir dir;
  WriteFile(dir / "ok.txt", "A Title\n\nA body paragraph about the cooperative farm.");
  CliRun run = RunCli({"ingest", dir / "ok.txt", dir / "missing.txt", "--data", dir / "data", "--json"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const auto report = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << run.out;
  EXPECT_EQ(report["added"], 1);
  ASSERT_TRUE(report.contains("errors")) << run.out;
  ASSERT_EQ(report["errors"].size(), 1u) << run.out;
  EXPECT_NE(report["errors"][0]["where"].get<std::string>().find("missing.txt"), std::string::npos);
  EXPECT_NE(run.err.find("missing.txt"), std::string::npos) << run.err;
}

TEST(CliErrors, EmptyDataIsUsage) {
  CliRun run = RunCli({"stats", "--data", ""});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("--data"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("cannot create folder"), std::string::npos) << run.err;
}

TEST(CliErrors, ReadOnlyDataDirIsNamedAsSuch) {
  if (geteuid() == 0) GTEST_SKIP() << "running as root: permissions do not stop writes";
  TempDir dir;
  ASSERT_EQ(RunCli({"ingest", SampleDir(), "--data", dir / "data"}).exit_code, 0);
  std::filesystem::permissions(dir / "data", std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  CliRun run = RunCli({"ingest", SampleDir(), "--data", dir / "data"});
  std::filesystem::permissions(dir / "data", std::filesystem::perms::owner_all);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("read-only"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("locked"), std::string::npos) << run.err;
}

// Two ingests creating the same data directory at once: neither may call it
// corrupt or foreign; at worst one is told another process is writing.
TEST(CliErrors, RaceToCreateADataDirIsNotCorruption) {
  for (int round = 0; round < 3; ++round) {
    TempDir dir;
    CliRun a, b;
    std::thread first([&] { a = RunCli({"ingest", SampleDir(), "--data", dir / "data"}); });
    std::thread second([&] { b = RunCli({"ingest", SampleDir(), "--data", dir / "data"}); });
    first.join();
    second.join();
    for (const CliRun* run : {&a, &b}) {
      EXPECT_EQ(run->err.find("not an echotrace"), std::string::npos) << run->err;
      EXPECT_EQ(run->err.find("orrupt"), std::string::npos) << run->err;
      if (run->exit_code != 0) {
        EXPECT_NE(run->err.find("another process"), std::string::npos) << run->err;
      }
    }
    EXPECT_TRUE(a.exit_code == 0 || b.exit_code == 0) << a.err << b.err;
  }
}

// True when this machine lets a process mount a tmpfs in a private mount
// namespace (unshare -rm: also as an ordinary user).
bool CanMountInNamespace(const TempDir& dir) {
  const std::string probe = "unshare -rm sh -c 'mount -t tmpfs -o size=64k tmpfs \"" + dir.path() + "\"' 2>/dev/null";
  return std::system(probe.c_str()) == 0;
}

// Runs `script` with sh in such a namespace; its mounts end with it. Returns
// the exit status.
int RunInMountNamespace(const TempDir& dir, const std::string& script) {
  WriteFile(dir / "script.sh", script);
  const std::string command = "unshare -rm sh \"" + (dir / "script.sh") + "\"";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string Slurp(const std::string& path) { return testing::ReadFile(path); }

// A full disk mid-ingest: the error names the disk and says how to resume,
// the committed batches stay consistent, and the same command run again
// with room to spare ends where a clean run ends.
TEST(CliErrors, FullDiskIsNamedAndTheRerunResumes) {
  TempDir dir;
  std::string lines;
  for (int i = 0; i < 3000; ++i) {
    std::string body = "Record " + std::to_string(i) + " tells of the harvest in county " + std::to_string(i * 7919) +
                       ", where farmers counted " + std::to_string(i * 31) + " sacks of grain.";
    for (int k = 0; k < 6; ++k) body += " Sentence " + std::to_string(i * 10 + k) + " adds its own words.";
    lines += nlohmann::json{{"title", "Harvest report " + std::to_string(i)}, {"body", body}}.dump() + "\n";
  }
  WriteFile(dir / "in/records.jsonl", lines);
  std::filesystem::create_directories(dir / "mnt");
  const std::string bin = ECHOTRACE_BINARY;
  const std::string script =
      "set -u\n"
      "mount -t tmpfs -o size=1536k tmpfs '" +
      dir / "mnt" +
      "' || exit 3\n"
      "ECHOTRACE_BATCH_VERSIONS=300 '" +
      bin + "' ingest '" + dir / "in" + "' --data '" + dir / "mnt/data" + "' > '" + dir / "out1" + "' 2> '" +
      dir / "err1" +
      "'\n"
      "echo $? > '" +
      dir / "rc1" +
      "'\n"
      "'" +
      bin + "' stats --json --data '" + dir / "mnt/data" + "' > '" + dir / "stats1" +
      "' 2>&1\n"
      "mount -o remount,size=256m '" +
      dir / "mnt" +
      "' || exit 4\n"
      "'" +
      bin + "' ingest '" + dir / "in" + "' --data '" + dir / "mnt/data" + "' > '" + dir / "out2" + "' 2> '" +
      dir / "err2" +
      "'\n"
      "echo $? > '" +
      dir / "rc2" +
      "'\n"
      "'" +
      bin + "' stats --json --data '" + dir / "mnt/data" + "' > '" + dir / "stats2" + "' 2>&1\n";
  if (!CanMountInNamespace(dir)) GTEST_SKIP() << "cannot mount a small tmpfs here (unshare -rm)";
  ASSERT_EQ(RunInMountNamespace(dir, script), 0);
  const std::string err1 = Slurp(dir / "err1");
  EXPECT_EQ(Slurp(dir / "rc1"), "1\n") << err1;
  EXPECT_NE(err1.find("disk is full"), std::string::npos) << err1;
  EXPECT_NE(err1.find(dir / "mnt/data"), std::string::npos) << "names the disk's folder: " << err1;
  EXPECT_NE(err1.find("run the same command again"), std::string::npos) << err1;
  const auto partial = nlohmann::json::parse(Slurp(dir / "stats1"), nullptr, false);
  ASSERT_TRUE(partial.is_object()) << Slurp(dir / "stats1");
  EXPECT_LT(partial["articles"].get<int>(), 3000);
  EXPECT_EQ(Slurp(dir / "rc2"), "0\n") << Slurp(dir / "err2");
  const auto whole = nlohmann::json::parse(Slurp(dir / "stats2"), nullptr, false);
  ASSERT_TRUE(whole.is_object()) << Slurp(dir / "stats2");
  EXPECT_EQ(whole["articles"], 3000) << whole.dump();
  EXPECT_EQ(whole["versions"], 3000) << whole.dump();
}

// A data directory on a read-only mount (as root too, where permissions
// would not stop the write): named as read-only, not as locked or corrupt.
TEST(CliErrors, ReadOnlyMountIsNamedAsSuch) {
  TempDir dir;
  std::filesystem::create_directories(dir / "mnt");
  const std::string bin = ECHOTRACE_BINARY;
  const std::string script = "mount -t tmpfs -o size=16m tmpfs '" + dir / "mnt" +
                             "' || exit 3\n"
                             "'" +
                             bin + "' ingest '" + SampleDir() + "' --data '" + dir / "mnt/data" +
                             "' > /dev/null 2>&1 || exit 5\n"
                             "mount -o remount,ro '" +
                             dir / "mnt" +
                             "' || exit 4\n"
                             "'" +
                             bin + "' ingest '" + SampleDir() + "' --data '" + dir / "mnt/data" + "' > '" +
                             dir / "out" + "' 2> '" + dir / "err" +
                             "'\n"
                             "echo $? > '" +
                             dir / "rc" + "'\n";
  if (!CanMountInNamespace(dir)) GTEST_SKIP() << "cannot mount a small tmpfs here (unshare -rm)";
  ASSERT_EQ(RunInMountNamespace(dir, script), 0);
  const std::string err = Slurp(dir / "err");
  EXPECT_EQ(Slurp(dir / "rc"), "1\n") << err;
  EXPECT_NE(err.find("read-only"), std::string::npos) << err;
  EXPECT_EQ(err.find("locked"), std::string::npos) << err;
  EXPECT_EQ(err.find("orrupt"), std::string::npos) << err;
}

}  // namespace
}  // namespace echotrace

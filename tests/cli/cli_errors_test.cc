// The command line's exit codes and messages for skipped inputs and data
// directories it cannot use: every loss is exit 1 and named, usage is exit 2.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
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

}  // namespace
}  // namespace echotrace

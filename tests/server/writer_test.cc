// The server's writer (server/writer.h): jobs run one at a time on one
// engine kept open between them; a full queue answers 503 at once.
#include "server/writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "test_util.h"

namespace echotrace::server {
namespace {

using testing::TempDir;

TEST(WriterTest, RunsJobsInTurnOnOneEngine) {
  TempDir data;
  Writer writer(data.path(), {});
  std::atomic<int> running{0}, overlaps{0};
  std::vector<std::thread> threads;
  std::vector<int> statuses(6, 0);
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      statuses[i] = writer
                        .Run([&](Engine&) {
                          if (running.fetch_add(1) != 0) ++overlaps;
                          std::this_thread::sleep_for(std::chrono::milliseconds(5));
                          running.fetch_sub(1);
                          return ApiReply{200, {}};
                        })
                        .status;
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int status : statuses) EXPECT_EQ(status, 200);
  EXPECT_EQ(overlaps.load(), 0);
  EXPECT_EQ(writer.counts().jobs, 6);
  EXPECT_EQ(writer.counts().opens, 1);  // kept open between jobs
}

TEST(WriterTest, FullQueueAnswers503AndFailureReopens) {
  TempDir data;
  Writer::Options options;
  options.max_queued = 1;
  Writer writer(data.path(), options);
  std::atomic<bool> started{false}, release{false};
  std::thread first([&] {
    writer.Run([&](Engine&) {
      started = true;
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return ApiReply{503, {}};  // as a store failure: the engine is closed after it
    });
  });
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::atomic<int> second_status{0};
  std::thread second([&] { second_status = writer.Run([](Engine&) { return ApiReply{200, {}}; }).status; });
  // Once the second job waits, a third finds the queue full, at once.
  while (writer.counts().waiting < 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const ApiReply third = writer.Run([](Engine&) { return ApiReply{201, {}}; });
  EXPECT_EQ(third.status, 503);
  EXPECT_EQ(third.body["code"], "busy") << third.body.dump();
  release = true;
  first.join();
  second.join();
  EXPECT_EQ(second_status.load(), 200);
  EXPECT_EQ(writer.counts().opens, 2);  // reopened after the failed job
}

TEST(WriterTest, ClosesTheEngineWhenIdle) {
  TempDir data;
  Writer::Options options;
  options.idle_close = std::chrono::milliseconds(1);
  Writer writer(data.path(), options);
  EXPECT_EQ(writer.Run([](Engine&) { return ApiReply{200, {}}; }).status, 200);
  // Once idle, the write lock is released: another writer can open the directory.
  bool opened = false;
  for (int i = 0; i < 5000 && !opened; ++i) {
    opened = Engine::Open(data.path(), Engine::Mode::kWrite).ok();
    if (!opened) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_TRUE(opened);
}

}  // namespace
}  // namespace echotrace::server

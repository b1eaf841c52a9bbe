// What an unchanged poll costs: a feed of N items (default 1,000) whose
// articles all answer 304 to the conditional request. Polls once to learn
// the articles (through the whole pipeline), then times a second poll: the
// collecting thread's CPU time (the fixture server runs on other threads
// and is not counted), the process's, and the wall clock. Then polls 20
// more times and reports the resident memory after every fifth: collection
// memory is bounded when it levels off (SQLite's page cache fills first)
// instead of growing with every poll.
// Usage: echotrace_collect_bench [N]   (see bench/RESULTS-collect.md)
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "collect_fixture.h"
#include "engine/engine.h"
#include "test_util.h"

namespace {

double CpuSeconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// A field of /proc/self/status in MiB ("VmRSS", "VmHWM"), 0 when unreadable.
double StatusMiB(const std::string& field) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::atof(line.c_str() + field.size() + 1) / 1024;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace echotrace;
  const int n = argc > 1 ? std::atoi(argv[1]) : 1000;
  testing::FixtureServer site;
  std::vector<std::string> paths;
  for (int i = 0; i < n; ++i) {
    const std::string path = "/article/" + std::to_string(i);
    site.Set(path, testing::Page(200,
                                 testing::ArticlePage("Article " + std::to_string(i), "2026-11-01",
                                                      "Pyongyang, November 1 (KCNA) -- Report number " +
                                                          std::to_string(i) + " on the work of the farms."),
                                 "text/html; charset=utf-8", "", "\"v" + std::to_string(i) + "\""));
    paths.push_back(path);
  }
  site.Set("/feed.xml", testing::Page(200, testing::RssFeed(site, paths), "application/rss+xml", "", "\"feed\""));
  testing::TempDir dir;
  auto engine = Engine::Open(dir / "data", Engine::Mode::kWrite);
  if (!engine.ok()) return 1;
  CollectConfig config = SourcesFromUrls({site.Url("/feed.xml")});
  config.fetch.per_host_delay = std::chrono::milliseconds(0);
  const auto learn_start = std::chrono::steady_clock::now();
  auto first = (*engine)->Collect(config, {}, nullptr);
  if (!first.ok() || first->sources[0].new_articles != n) {
    std::fprintf(stderr, "first poll failed: %s\n",
                 first.ok() ? "not every article new" : first.status().ToString().c_str());
    return 1;
  }
  const double learn = std::chrono::duration<double>(std::chrono::steady_clock::now() - learn_start).count();
  const double thread0 = CpuSeconds(CLOCK_THREAD_CPUTIME_ID), process0 = CpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
  const auto start = std::chrono::steady_clock::now();
  auto second = (*engine)->Collect(config, {}, nullptr);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double thread = CpuSeconds(CLOCK_THREAD_CPUTIME_ID) - thread0;
  const double process = CpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - process0;
  if (!second.ok() || second->sources[0].unchanged != n || !second->sources[0].feed_not_modified) {
    std::fprintf(stderr, "second poll was not all 304s\n");
    return 1;
  }
  std::printf("items %d: first poll (all new, whole pipeline) %.2f s wall\n", n, learn);
  std::printf("304 poll: collector thread CPU %.3f s, process CPU (with the fixture server) %.3f s, wall %.3f s\n",
              thread, process, wall);
  const double rss_after_first = StatusMiB("VmRSS");
  std::printf("resident memory: peak %.1f MiB (the first poll), %.1f MiB after the 304 poll; after 5, 10, 15, 20 more:",
              StatusMiB("VmHWM"), rss_after_first);
  double rss_10 = 0, rss_20 = 0;
  for (int poll = 1; poll <= 20; ++poll) {
    auto again = (*engine)->Collect(config, {}, nullptr);
    if (!again.ok()) return 1;
    if (poll % 5 != 0) continue;
    const double rss = StatusMiB("VmRSS");
    std::printf(" %.1f", rss);
    if (poll == 10) rss_10 = rss;
    if (poll == 20) rss_20 = rss;
  }
  std::printf(" MiB\n");
  if (thread >= 1.0) return 2;
  return rss_20 - rss_10 < 8 ? 0 : 3;  // still growing poll after poll: not bounded
}

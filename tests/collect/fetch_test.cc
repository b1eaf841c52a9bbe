// The fetcher against loopback sites: redirects are followed hop by hop, so
// each hop's host gets its own robots.txt check and per-host delay, and
// every robots.txt response is handed back to be archived.
#include "collect/fetch.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "collect_fixture.h"

namespace echotrace {
namespace {

using testing::FixtureServer;
using testing::Page;

TEST(FetchRedirects, EachHopObeysItsHostsRobotsAndDelay) {
  FixtureServer a, b;  // two hosts: 127.0.0.1 on two ports
  a.Set("/robots.txt", Page(200, "User-agent: *\nDisallow: /private/\n", "text/plain"));
  b.Set("/robots.txt", Page(200, "User-agent: *\nDisallow: /secret/\n", "text/plain"));
  a.Set("/to-b", Page(302, "", "text/html", b.Url("/open")));
  a.Set("/to-b-secret", Page(301, "", "text/html", b.Url("/secret/x")));
  a.Set("/to-a-private", Page(302, "", "text/html", "/private/y"));
  b.Set("/open", Page(200, "open page", "text/plain"));
  b.Set("/secret/x", Page(200, "secret page", "text/plain"));
  a.Set("/private/y", Page(200, "private page", "text/plain"));

  FetchOptions options;
  options.per_host_delay = std::chrono::milliseconds(1000);
  auto fetcher = Fetcher::Create(options);
  ASSERT_TRUE(fetcher.ok());
  std::vector<std::pair<std::string, long>> waits;  // host, milliseconds
  (*fetcher)->TEST_SetSleep([&](const std::string& host, std::chrono::milliseconds d) {
    waits.emplace_back(host, static_cast<long>(d.count()));
  });
  const std::string host_a = HostOf(a.Url("/")), host_b = HostOf(b.Url("/"));
  ASSERT_NE(host_a, host_b);

  // a -> b: b's robots.txt is read, and b's delay waited before its page.
  FetchResult r = (*fetcher)->Get(a.Url("/to-b"), {});
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.body, "open page");
  EXPECT_EQ(r.redirects, 1);
  EXPECT_EQ(r.url, a.Url("/to-b"));
  EXPECT_EQ(r.final_url, b.Url("/open"));
  EXPECT_EQ(b.Hits("/robots.txt"), 1);
  // Waits: a's page after a's robots.txt, b's page after b's robots.txt.
  ASSERT_EQ(waits.size(), 2u);
  EXPECT_EQ(waits[0].first, host_a);
  EXPECT_EQ(waits[1].first, host_b);
  EXPECT_GT(waits[1].second, 900);
  std::vector<FetchResult> robots = (*fetcher)->TakeRobotsFetches();
  ASSERT_EQ(robots.size(), 2u);
  EXPECT_EQ(robots[0].url, a.Url("/robots.txt"));
  EXPECT_EQ(robots[1].url, b.Url("/robots.txt"));
  EXPECT_EQ(robots[1].status, 200);
  EXPECT_TRUE((*fetcher)->TakeRobotsFetches().empty());  // handed over once

  // a -> b's disallowed path: refused before b is asked; robots.txt of each
  // host was read once for the Fetcher's life.
  waits.clear();
  r = (*fetcher)->Get(a.Url("/to-b-secret"), {});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.error.find("disallowed by robots.txt"), std::string::npos) << r.error;
  EXPECT_EQ(r.final_url, b.Url("/secret/x"));
  EXPECT_EQ(b.Hits("/secret/x"), 0);
  EXPECT_EQ(a.Hits("/robots.txt"), 1);
  EXPECT_EQ(b.Hits("/robots.txt"), 1);
  EXPECT_TRUE((*fetcher)->TakeRobotsFetches().empty());

  // A redirect within a host to a disallowed path is refused too.
  r = (*fetcher)->Get(a.Url("/to-a-private"), {});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.error.find("disallowed by robots.txt"), std::string::npos) << r.error;
  EXPECT_EQ(a.Hits("/private/y"), 0);
  // Each request to a waited for a's delay (the hops included).
  for (const auto& [host, ms] : waits) EXPECT_EQ(host, host_a);
  EXPECT_EQ(waits.size(), 2u);
}

TEST(FetchRedirects, LoopEndsAtTheCapAndRobotsCanBeOff) {
  FixtureServer a;
  a.Set("/robots.txt", Page(200, "User-agent: *\nDisallow: /\n", "text/plain"));
  a.Set("/loop1", Page(302, "", "text/html", "/loop2"));
  a.Set("/loop2", Page(302, "", "text/html", "/loop1"));
  FetchOptions options;
  options.per_host_delay = std::chrono::milliseconds(0);
  options.obey_robots = false;
  options.max_redirects = 3;
  auto fetcher = Fetcher::Create(options);
  ASSERT_TRUE(fetcher.ok());
  const FetchResult r = (*fetcher)->Get(a.Url("/loop1"), {});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.error, "more than 3 redirects");
  EXPECT_EQ(a.Hits("/loop1") + a.Hits("/loop2"), 4);  // the first request and three hops
  EXPECT_EQ(a.Hits("/robots.txt"), 0);
}

}  // namespace
}  // namespace echotrace

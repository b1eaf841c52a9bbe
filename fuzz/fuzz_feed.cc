// Parsing what a source serves: arbitrary bytes as an XML feed or sitemap,
// an HTML listing page, a robots.txt and a sources file. The first byte picks
// the parser. Checks: no crash, every item's URL is absolute when the base
// is, each URL once, and robots rules never match an empty path prefix.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "collect/feed.h"
#include "collect/fetch.h"
#include "collect/sources.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace echotrace;
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string base = "http://kcna.kp/en/rss.xml";
  auto check = [&](const FeedParse& parse) {
    std::set<std::string> seen;
    for (const FeedItem& item : parse.items) {
      if (!seen.insert(item.url).second) __builtin_trap();
    }
  };
  switch (data[0] % 4) {
    case 0: {
      auto parse = ParseFeed(input, base);
      if (parse.ok()) check(*parse);
      break;
    }
    case 1: {
      const FeedParse listing = ParseListing(input, base, "http://kcna.kp/*");
      for (const FeedItem& item : listing.items) {
        if (!GlobMatch("http://kcna.kp/*", item.url)) __builtin_trap();
      }
      check(listing);
      break;
    }
    case 2: {
      const RobotsRules rules = ParseRobots(input, "echotrace-collector/0.1");
      for (const auto& [prefix, allowed] : rules.rules) {
        if (prefix.empty()) __builtin_trap();
      }
      (void)rules.Allows("/en/article/1");
      break;
    }
    default: (void)ParseSources(input, "fuzz.toml"); break;
  }
  return 0;
}

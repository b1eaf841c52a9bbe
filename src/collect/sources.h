// Sources: what `echotrace collect` polls, read from a TOML file
// (echotrace-sources.toml):
//
//   [collect]                      # optional; every key optional
//   per_host_delay = "1s"          # FetchOptions::per_host_delay
//   timeout = "30s"                # FetchOptions::timeout_ms
//   max_bytes = 16777216           # FetchOptions::max_bytes (1 KiB to 1 GiB)
//   max_redirects = 5              # FetchOptions::max_redirects (0 to 20)
//   user_agent = "..."             # FetchOptions::user_agent
//   robots = true                  # FetchOptions::obey_robots
//   webhook = "http://host/hook"   # each poll's new watchlist matches are POSTed there (JSON)
//   webhook_attempts = 4           # CollectConfig::webhook_attempts (1 to 20)
//   webhook_backoff = "2s"         # CollectConfig::webhook_backoff
//
//   [[source]]
//   name = "kcna-en"               # required, unique: names the source in summaries and the ledger
//   url = "http://kcna.kp/en/rss"  # required: a feed, a sitemap, or an HTML listing page
//   pattern = "http://kcna.kp/en/article/*"  # makes `url` an HTML listing: links matching this glob
//   outlet = "kcna"                # the outlet of its articles when the page does not say
//
// Thread-safety: free functions without shared state.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "collect/fetch.h"
#include "core/status.h"

namespace echotrace {

struct Source {
  std::string name;
  std::string url;
  std::string pattern;  // empty: `url` is a feed or sitemap (told apart by its root element)
  std::string outlet;   // may be empty
};

struct CollectConfig {
  std::vector<Source> sources;
  FetchOptions fetch;
  std::string webhook;  // empty: none
  // POSTs tried per delivery and poll before it is left pending for the
  // next poll (a delivery is recorded before it is sent, so a failure or a
  // kill loses nothing). Default 4; 1 means no retry within a poll.
  int webhook_attempts = 4;
  // The wait before the first retry; each later wait doubles, capped at
  // 30 s (default 2 s: 2 + 4 + 8 s at most between 4 attempts). Retried
  // only after no answer, 408, 429 or 5xx; another status waits for the
  // next poll.
  std::chrono::milliseconds webhook_backoff{2000};
};

// Parses the TOML text of a sources file. `origin` names it in messages.
// Errors (kUsage, naming the line): TOML syntax; a source without name or
// url, a duplicate name; an unknown key (listed with the valid ones);
// a duration that is not "<n>ms", "<n>s", "<n>m" or "<n>h".
Result<CollectConfig> ParseSources(std::string_view toml, std::string_view origin);
// Reads and parses a file. kNotFound when it does not exist.
Result<CollectConfig> LoadSources(const std::string& path);
// A config polling `urls` once each with default options (collect URL...):
// each source is named after its URL.
CollectConfig SourcesFromUrls(const std::vector<std::string>& urls);

// The longest duration ParseDurationSeconds accepts: 30 days.
inline constexpr double kMaxDurationSeconds = 30 * 24 * 3600.0;
// "15m" -> 900; "90s" -> 90; "2h"; "500ms" -> 0.5 s. kUsage for anything
// else: no number, a negative one, another unit, or over kMaxDurationSeconds
// (infinity and NaN included).
Result<double> ParseDurationSeconds(std::string_view text);

}  // namespace echotrace

// Fetching: one HTTP(S) GET with the manners of a polite collector.
//
// A Fetcher sends conditional requests (If-None-Match / If-Modified-Since
// from what the last capture said), asks for gzip and keeps the body exactly
// as it came over the wire (FetchResult::wire_body, what a WARC record holds)
// beside the decoded body (FetchResult::body, what extraction reads). It
// follows redirects up to a cap, gives up after a timeout, refuses bodies
// over a size cap, waits a per-host delay between requests to one host, and
// obeys robots.txt (fetched once per host and kept for the Fetcher's life).
// Redirects are followed here, hop by hop, not by libcurl: each hop's host
// gets its own robots.txt check and per-host delay, so a redirect to another
// site obeys that site's rules. Only http and https URLs are fetched.
// Every robots.txt response is kept for the caller to archive
// (TakeRobotsFetches), as every other response is.
//
// Failures of the network (refused, timeout, too many redirects, too big,
// blocked by robots.txt) are not errors of the call: they come back as a
// FetchResult with status 0 and `error` saying what happened, because a
// collector reports them per URL and goes on.
//
// Cost: memory is bounded by FetchOptions::max_bytes per request (wire body
// and decoded body each); time by timeout_ms per request plus the per-host delay.
// Thread-safety: a Fetcher is used by one thread at a time (one curl handle,
// the per-host clocks and the robots cache). Distinct Fetchers are independent.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace echotrace {

struct FetchOptions {
  // Sent with every request, robots.txt included. Default names the tool and
  // where to read about it, so a site operator can tell who is polling.
  std::string user_agent = "echotrace-collector/0.1 (+https://github.com/echotrace; research archive of DPRK media)";
  // Whole request, connect to last byte. Default 30 s: state-media servers
  // are slow from abroad; longer stalls a poll of many items.
  long timeout_ms = 30000;
  // Redirects followed before giving up (a loop ends here). Default 5.
  long max_redirects = 5;
  // Largest body accepted, on the wire and decoded. Default 16 MiB: real
  // articles and feeds are far below; a larger answer is not an article.
  size_t max_bytes = size_t{16} << 20;
  // Minimum time between two requests to one host. Default 1 s (polite to
  // small servers); 0 in tests.
  std::chrono::milliseconds per_host_delay{1000};
  // Read and obey /robots.txt of each host. Default true.
  bool obey_robots = true;
};

// One HTTP header as received; names keep their case.
struct HttpHeader {
  std::string name;
  std::string value;
};

struct FetchResult {
  std::string url;         // as requested
  std::string final_url;   // after redirects (== url when none)
  std::string fetched_at;  // UTC ISO 8601 with seconds, when the response ended
  long status = 0;         // HTTP status of the final response; 0: no response (see error)
  std::string error;       // why there is no response: "timeout", "too many redirects", ...
  int redirects = 0;
  std::string status_line;          // "HTTP/1.1 200 OK" of the final response
  std::vector<HttpHeader> headers;  // of the final response, in order
  std::string wire_body;            // as transferred (gzip stays gzip)
  std::string body;                 // decoded (Content-Encoding undone)
  bool not_modified() const { return status == 304; }
  // The first header of that name (case-insensitive), or "".
  std::string_view Header(std::string_view name) const;
};

// What a conditional request sends; empty fields are not sent.
struct Validators {
  std::string etag;
  std::string last_modified;
};

// Parsed robots.txt rules for one user agent (RFC 9309: the longest
// matching Allow/Disallow path prefix wins; Allow wins ties).
struct RobotsRules {
  std::vector<std::pair<std::string, bool>> rules;  // path prefix, allowed
  bool Allows(std::string_view path) const;
};
// Rules of the group for `user_agent` (matched by product token, case
// insensitive), else the `*` group, else none (everything allowed).
// Cost: linear in the text; never fails (unknown lines are ignored).
RobotsRules ParseRobots(std::string_view text, std::string_view user_agent);

// SHA-256 of `bytes` as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view bytes);
// The same digest as WARC writes it: "sha256:" + base32 (RFC 4648, upper case).
std::string Sha256Base32(std::string_view bytes);
// UTC now as "2026-11-30T22:15:03Z".
std::string UtcNowIso();

// "http://Host:8080/a?b" -> "host:8080"; "" when not an http(s) URL.
std::string HostOf(std::string_view url);
// Resolves `ref` against `base` (RFC 3986, enough for feed and page links:
// absolute, scheme-relative, absolute-path and relative refs; fragments dropped).
std::string ResolveUrl(std::string_view base, std::string_view ref);

class Fetcher {
 public:
  // Errors: kInternal when libcurl cannot be initialized.
  static Result<std::unique_ptr<Fetcher>> Create(const FetchOptions& options);
  ~Fetcher();
  Fetcher(const Fetcher&) = delete;  // owns a curl handle and per-host state
  Fetcher& operator=(const Fetcher&) = delete;

  // GETs `url`, conditionally when `validators` has values (sent on every
  // hop: they came from the final response of the last fetch). Never fails
  // as a call: see the file comment for how network failures are reported;
  // a hop refused by robots.txt reports "disallowed by robots.txt" with
  // `final_url` the refused URL.
  FetchResult Get(const std::string& url, const Validators& validators);

  // The robots.txt responses fetched since the last call (at most one per
  // host over the Fetcher's life), oldest first; the Fetcher keeps none.
  // A collector stores them as captures like any other response.
  std::vector<FetchResult> TakeRobotsFetches() { return std::exchange(robots_fetches_, {}); }

  // POSTs `body` to `url` (a webhook): no robots.txt, no conditional
  // headers, no redirects followed (a webhook that moves is misconfigured);
  // the per-host delay applies. Failures come back as for Get.
  FetchResult Post(const std::string& url, const std::string& body, const std::string& content_type);

  // TEST only: the sleep that waits out per-host delays, called with the
  // host and the wait (a test checks the waits without waiting).
  void TEST_SetSleep(std::function<void(const std::string& host, std::chrono::milliseconds)> sleep) {
    sleep_ = std::move(sleep);
  }

 private:
  explicit Fetcher(const FetchOptions& options);
  // GET with redirects followed hop by hop (robots.txt checked on each hop
  // when `check_robots`).
  FetchResult Follow(const std::string& url, const Validators& validators, bool check_robots);
  // One request, no redirect followed; `post_body` non-null makes it a POST
  // of that body. `redirect_to` receives the Location of a 3xx, resolved.
  FetchResult Transfer(const std::string& url, const Validators& validators, const std::string* post_body = nullptr,
                       const std::string& content_type = "", std::string* redirect_to = nullptr);
  void WaitForHost(const std::string& host);
  bool RobotsAllow(const std::string& url, const std::string& host);

  const FetchOptions options_;
  void* curl_ = nullptr;  // CURL*, kept between requests to reuse connections
  std::map<std::string, std::chrono::steady_clock::time_point> last_request_;  // by host
  std::map<std::string, RobotsRules> robots_;                                  // by host
  std::vector<FetchResult> robots_fetches_;                                    // not yet taken by TakeRobotsFetches
  std::function<void(const std::string& host, std::chrono::milliseconds)> sleep_;
};

}  // namespace echotrace

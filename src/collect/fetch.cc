#include "collect/fetch.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <zlib.h>

#include <ctime>
#include <thread>

#include "core/text.h"

namespace echotrace {
namespace {

bool IEquals(std::string_view a, std::string_view b) { return AsciiLower(a) == AsciiLower(b); }

// What the curl callbacks fill during one transfer.
struct Transfer {
  FetchResult* result = nullptr;
  size_t max_bytes = 0;
  bool too_big = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (t->result->wire_body.size() + n > t->max_bytes) {
    t->too_big = true;
    return 0;  // curl stops with CURLE_WRITE_ERROR
  }
  t->result->wire_body.append(data, n);
  return n;
}

// One header line; a status line starts the headers of the next response
// (after a redirect, or a 100 Continue), so only the final response's remain.
size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.substr(0, 5) == "HTTP/") {
    t->result->status_line = std::string(line);
    t->result->headers.clear();
    t->result->wire_body.clear();
  } else if (const size_t colon = line.find(':'); colon != std::string_view::npos && colon > 0) {
    t->result->headers.push_back(
        {std::string(TrimAscii(line.substr(0, colon))), std::string(TrimAscii(line.substr(colon + 1)))});
  }
  return n;
}

// Undoes gzip (or zlib) Content-Encoding, refusing output over `cap`.
Result<std::string> Gunzip(std::string_view in, size_t cap) {
  z_stream z{};
  if (inflateInit2(&z, 32 + MAX_WBITS) != Z_OK) return Status::Internal("zlib init failed");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buffer[65536];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      return Status::BadInput("corrupt gzip body");
    }
    out.append(buffer, sizeof buffer - z.avail_out);
    if (out.size() > cap) {
      inflateEnd(&z);
      return Status::BadInput("decoded body over " + std::to_string(cap) + " bytes");
    }
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) break;  // truncated: keep what decoded
  }
  inflateEnd(&z);
  return out;
}

std::string PathOf(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "/";
  const size_t slash = url.find('/', scheme + 3);
  if (slash == std::string_view::npos) return "/";
  std::string path(url.substr(slash));
  if (const size_t hash = path.find('#'); hash != std::string::npos) path.resize(hash);
  return path;
}

std::string SchemeOf(std::string_view url) {
  const size_t scheme = url.find("://");
  return scheme == std::string_view::npos ? "" : AsciiLower(url.substr(0, scheme));
}

}  // namespace

std::string_view FetchResult::Header(std::string_view name) const {
  for (const HttpHeader& h : headers) {
    if (IEquals(h.name, name)) return h.value;
  }
  return {};
}

bool RobotsRules::Allows(std::string_view path) const {
  size_t best = 0;
  bool allowed = true;
  for (const auto& [prefix, allow] : rules) {
    if (prefix.empty() || path.substr(0, prefix.size()) != prefix) continue;
    if (prefix.size() > best || (prefix.size() == best && allow)) {
      best = prefix.size();
      allowed = allow;
    }
  }
  return allowed;
}

RobotsRules ParseRobots(std::string_view text, std::string_view user_agent) {
  // The product token: "echotrace-collector/0.1 (...)" -> "echotrace-collector".
  std::string token = AsciiLower(user_agent.substr(0, user_agent.find_first_of("/ ")));
  RobotsRules mine, star;
  bool have_mine = false, have_star = false;
  // The group being read: which agents it names, and whether rules began
  // (a User-agent line after rules starts a new group).
  bool group_mine = false, group_star = false, in_rules = false;
  for (std::string_view line : SplitTrimmed(text, '\n')) {
    if (const size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string key = AsciiLower(TrimAscii(line.substr(0, colon)));
    const std::string_view value = TrimAscii(line.substr(colon + 1));
    if (key == "user-agent") {
      if (in_rules) group_mine = group_star = in_rules = false;
      const std::string agent = AsciiLower(value);
      if (agent == "*") {
        group_star = have_star = true;
      } else if (!token.empty() && agent == token) {
        group_mine = have_mine = true;
      }
    } else if (key == "allow" || key == "disallow") {
      in_rules = true;
      std::pair<std::string, bool> rule{std::string(value), key == "allow"};
      if (rule.first.empty()) continue;  // "Disallow:" allows everything
      if (group_mine) mine.rules.push_back(rule);
      if (group_star) star.rules.push_back(rule);
    }
  }
  if (have_mine) return mine;
  return have_star ? star : RobotsRules{};
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

std::string Sha256Base32(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out = "sha256:";
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned int i = 0; i < length; ++i) {
    buffer = (buffer << 8) | digest[i];
    bits += 8;
    while (bits >= 5) {
      out += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
  while ((out.size() - 7) % 8 != 0) out += '=';
  return out;
}

std::string UtcNowIso() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string HostOf(std::string_view url) {
  const std::string scheme = SchemeOf(url);
  if (scheme != "http" && scheme != "https") return "";
  std::string_view rest = url.substr(scheme.size() + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  return AsciiLower(rest);
}

std::string ResolveUrl(std::string_view base, std::string_view ref) {
  ref = TrimAscii(ref);
  if (const size_t hash = ref.find('#'); hash != std::string_view::npos) ref = ref.substr(0, hash);
  if (!SchemeOf(ref).empty()) return std::string(ref);
  const std::string scheme = SchemeOf(base);
  if (scheme.empty()) return std::string(ref);
  if (ref.substr(0, 2) == "//") return scheme + ":" + std::string(ref);
  const size_t authority_end = base.find_first_of("/?#", scheme.size() + 3);
  const std::string origin(base.substr(0, authority_end));
  if (!ref.empty() && ref[0] == '/') return origin + std::string(ref);
  std::string path = authority_end == std::string_view::npos ? "/" : PathOf(base);
  if (ref.empty()) return origin + path;
  if (ref[0] == '?') return origin + path.substr(0, path.find('?')) + std::string(ref);
  path = path.substr(0, path.find('?'));
  path = path.substr(0, path.rfind('/') + 1);
  // Dot segments: enough for "../x" and "./x".
  while (ref.substr(0, 2) == "./" || ref.substr(0, 3) == "../") {
    if (ref[1] == '/') {
      ref.remove_prefix(2);
    } else {
      ref.remove_prefix(3);
      if (path.size() > 1) path = path.substr(0, path.rfind('/', path.size() - 2) + 1);
    }
  }
  return origin + path + std::string(ref);
}

Result<std::unique_ptr<Fetcher>> Fetcher::Create(const FetchOptions& options) {
  std::unique_ptr<Fetcher> fetcher(new Fetcher(options));
  fetcher->curl_ = curl_easy_init();
  if (fetcher->curl_ == nullptr) return Status::Internal("libcurl failed to initialize");
  return fetcher;
}

Fetcher::Fetcher(const FetchOptions& options)
    : options_(options),
      sleep_([](const std::string&, std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }) {}

Fetcher::~Fetcher() {
  if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

void Fetcher::WaitForHost(const std::string& host) {
  const auto now = std::chrono::steady_clock::now();
  auto it = last_request_.find(host);
  if (it != last_request_.end() && options_.per_host_delay.count() > 0) {
    const auto due = it->second + options_.per_host_delay;
    if (due > now) sleep_(host, std::chrono::duration_cast<std::chrono::milliseconds>(due - now));
  }
  last_request_[host] = std::chrono::steady_clock::now();
}

bool Fetcher::RobotsAllow(const std::string& url, const std::string& host) {
  auto it = robots_.find(host);
  if (it == robots_.end()) {
    const std::string robots_url = SchemeOf(url) + "://" + host + "/robots.txt";
    FetchResult robots = Follow(robots_url, {}, false);  // RFC 9309 2.3.1.2: redirects are followed
    RobotsRules rules;
    if (robots.status == 200) {
      rules = ParseRobots(robots.body, options_.user_agent);
    } else if (robots.status >= 500) {
      rules.rules.push_back({"/", false});  // RFC 9309 2.3.1.4: a failing server means "do not crawl"
    }
    it = robots_.emplace(host, std::move(rules)).first;
    robots_fetches_.push_back(std::move(robots));
  }
  return it->second.Allows(PathOf(url));
}

namespace {

FetchResult Refused(const std::string& url, const std::string& at, std::string error, int redirects) {
  FetchResult result;
  result.url = url;
  result.final_url = at;
  result.fetched_at = UtcNowIso();
  result.error = std::move(error);
  result.redirects = redirects;
  return result;
}

bool IsRedirectStatus(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

FetchResult Fetcher::Get(const std::string& url, const Validators& validators) {
  return Follow(url, validators, options_.obey_robots);
}

FetchResult Fetcher::Follow(const std::string& url, const Validators& validators, bool check_robots) {
  std::string at = url;
  for (int hop = 0;; ++hop) {
    const std::string host = HostOf(at);
    if (host.empty()) {
      return Refused(url, at, hop == 0 ? "not an http(s) URL" : "redirected to a non-http(s) URL: " + at, hop);
    }
    if (check_robots && !RobotsAllow(at, host)) {
      return Refused(
          url, at, hop == 0 ? "disallowed by robots.txt" : "disallowed by robots.txt (after a redirect to " + at + ")",
          hop);
    }
    std::string next;
    FetchResult result = Transfer(at, validators, nullptr, "", &next);
    result.url = url;
    result.final_url = at;
    result.redirects = hop;
    if (!IsRedirectStatus(result.status) || next.empty()) return result;
    if (hop >= options_.max_redirects) {
      return Refused(url, at, "more than " + std::to_string(options_.max_redirects) + " redirects", hop);
    }
    at = std::move(next);
  }
}

FetchResult Fetcher::Post(const std::string& url, const std::string& body, const std::string& content_type) {
  if (HostOf(url).empty()) {
    FetchResult result;
    result.url = result.final_url = url;
    result.fetched_at = UtcNowIso();
    result.error = "not an http(s) URL";
    return result;
  }
  return Transfer(url, {}, &body, content_type);
}

FetchResult Fetcher::Transfer(const std::string& url, const Validators& validators, const std::string* post_body,
                              const std::string& content_type, std::string* redirect_to) {
  WaitForHost(HostOf(url));
  CURL* curl = static_cast<CURL*>(curl_);
  curl_easy_reset(curl);
  FetchResult result;
  result.url = url;
  struct Transfer transfer {
    &result, options_.max_bytes, false
  };
  curl_slist* headers = curl_slist_append(nullptr, "Accept-Encoding: gzip");
  if (!validators.etag.empty()) headers = curl_slist_append(headers, ("If-None-Match: " + validators.etag).c_str());
  if (!validators.last_modified.empty()) {
    headers = curl_slist_append(headers, ("If-Modified-Since: " + validators.last_modified).c_str());
  }
  if (post_body != nullptr) {
    headers = curl_slist_append(headers, ("Content-Type: " + content_type).c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, post_body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post_body->size()));
  }
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // Follow() takes each hop (robots.txt, delay)
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, options_.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);               // timeouts without SIGALRM (we may run threads)
  curl_easy_setopt(curl, CURLOPT_HTTP_CONTENT_DECODING, 0L);  // keep gzip as sent; we decode below
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_bytes));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  result.fetched_at = UtcNowIso();
  char* effective = nullptr;
  curl_easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &effective);
  result.final_url = effective != nullptr ? effective : url;
  if (code != CURLE_OK) {
    if (transfer.too_big || code == CURLE_FILESIZE_EXCEEDED) {
      result.error = "body over " + std::to_string(options_.max_bytes) + " bytes";
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
      result.error = "timeout after " + std::to_string(options_.timeout_ms) + " ms";
    } else {
      result.error = curl_easy_strerror(code);
    }
    result.headers.clear();
    result.wire_body.clear();
    return result;
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  if (redirect_to != nullptr) {
    char* location = nullptr;  // the Location header resolved against the URL, when a 3xx sent one
    curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location);
    *redirect_to = location != nullptr ? location : "";
  }
  const std::string encoding = AsciiLower(result.Header("Content-Encoding"));
  if (encoding == "gzip" || encoding == "x-gzip" || encoding == "deflate") {
    Result<std::string> decoded = Gunzip(result.wire_body, options_.max_bytes);
    if (!decoded.ok()) {
      result.error = decoded.status().message();
      result.status = 0;
      return result;
    }
    result.body = std::move(decoded).value();
  } else {
    result.body = result.wire_body;
  }
  return result;
}

}  // namespace echotrace

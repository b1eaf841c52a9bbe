// HTTP plumbing: routes, limits, errors, authorization and the static files.
#include "server/server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "server/api.h"
#include "server/writer.h"

namespace echotrace::server {

struct Server::State {
  ServerOptions options;
  std::unique_ptr<EnginePool> pool;
  std::unique_ptr<Writer> writer;  // every write request (ingest, watchlists)
  StatsCache stats_cache;
  std::string assets_root;              // canonical path of the assets folder, or empty
  std::vector<std::string> hosts;       // allowed Host values (lowercase, without port)
  bool any_host = false;                // allow_hosts holds "*"
  std::vector<std::string> path_roots;  // server paths never shown in error bodies

  ApiContext Context() { return ApiContext{pool.get(), &options, writer.get(), &stats_cache}; }
};

namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxAssetBytes = size_t{32} << 20;

using Clock = std::chrono::steady_clock;

// Replaces every server path in the strings of `json` by a placeholder.
void ScrubPaths(Json& json, const std::vector<std::string>& roots) {
  if (json.is_string()) {
    std::string& text = json.get_ref<std::string&>();
    for (const std::string& root : roots) {
      for (size_t at = text.find(root); at != std::string::npos; at = text.find(root, at)) {
        text.replace(at, root.size(), "<server path>");
        at += 13;
      }
    }
  } else if (json.is_structured()) {
    for (Json& item : json) ScrubPaths(item, roots);
  }
}

// Every JSON answer goes through here: the body's "status" follows the HTTP
// status, error bodies lose server paths, 409 and 503 say when to retry.
void SendJson(httplib::Response& res, ApiReply reply, const std::vector<std::string>* path_roots = nullptr) {
  if (reply.body.is_object() && reply.body.contains("status") && reply.body["status"].is_number_integer()) {
    reply.body["status"] = reply.status;
  }
  if (reply.status >= 400 && path_roots != nullptr) ScrubPaths(reply.body, *path_roots);
  // 409: another process writes; 503: the write queue is full, the index changed under a reader, or it is not there
  // yet.
  if (reply.status == 409 || reply.status == 503) res.set_header("Retry-After", "2");
  res.status = reply.status;
  // Replace, not throw, on invalid UTF-8 (every string should be valid already).
  res.set_content(reply.body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json; charset=utf-8");
}

// One connection's socket as httplib reads and writes it, with one total
// deadline for the client's part of each request (not one per read) and a
// cap on the bytes read per request. Used by one worker thread only.
class DeadlineStream final : public httplib::Stream {
 public:
  DeadlineStream(int sock, int io_timeout_ms, std::chrono::milliseconds budget, size_t max_request_bytes)
      : sock_(sock), io_timeout_ms_(io_timeout_ms), budget_(budget), max_request_bytes_(max_request_bytes) {}

  // A new request: a fresh deadline and byte count.
  void StartRequest() {
    deadline_ = Clock::now() + budget_;
    request_bytes_ = 0;
  }
  void Suspend() { deadline_ = Clock::time_point::max(); }  // the handler runs: its time is ours
  void Restart() { deadline_ = Clock::now() + budget_; }    // the client reads the answer
  void RequestClose() { close_ = true; }
  bool close_requested() const { return close_; }

  // True when a request starts within `timeout_ms` (or bytes wait in the buffer).
  bool WaitForRequest(int timeout_ms) const { return begin_ < end_ || Poll(POLLIN, timeout_ms); }

  bool is_readable() const override { return begin_ < end_ || Wait(POLLIN); }
  bool is_writable() const override { return Wait(POLLOUT); }
  ssize_t read(char* ptr, size_t size) override {
    if (size == 0) return 0;
    if (begin_ == end_) {
      if (request_bytes_ >= max_request_bytes_ || !Wait(POLLIN)) return -1;
      ssize_t n;
      do {
        n = recv(sock_, buffer_, sizeof buffer_, 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      begin_ = 0;
      end_ = static_cast<size_t>(n);
      request_bytes_ += static_cast<size_t>(n);
    }
    const size_t n = std::min(size, end_ - begin_);
    std::memcpy(ptr, buffer_ + begin_, n);
    begin_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    if (!Wait(POLLOUT)) return -1;
    ssize_t n;
    do {
      n = send(sock_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override { Address(true, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { Address(false, ip, port); }
  socket_t socket() const override { return sock_; }

 private:
  // Waits for `events` until the per-operation timeout or the deadline.
  bool Wait(short events) const {
    int timeout = io_timeout_ms_;
    if (deadline_ != Clock::time_point::max()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now()).count();
      if (left <= 0) return false;
      timeout = static_cast<int>(std::min<long long>(timeout, left));
    }
    return Poll(events, timeout);
  }
  bool Poll(short events, int timeout_ms) const {
    const auto end = Clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      pollfd p{sock_, events, 0};
      const int left = static_cast<int>(
          std::max<long long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count()));
      const int r = poll(&p, 1, left);
      if (r > 0) return true;  // ready, or hung up / failed: the next call says which
      if (r == 0 || errno != EINTR) return false;
    }
  }
  void Address(bool peer, std::string& ip, int& port) const {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    sockaddr* raw = reinterpret_cast<sockaddr*>(&address);
    if ((peer ? getpeername(sock_, raw, &length) : getsockname(sock_, raw, &length)) != 0) return;
    char text[INET6_ADDRSTRLEN] = {};
    if (address.ss_family == AF_INET) {
      const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
      inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
      port = ntohs(v4->sin_port);
    } else if (address.ss_family == AF_INET6) {
      const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
      inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
      port = ntohs(v6->sin6_port);
    }
    ip = text;
  }

  const int sock_;
  const int io_timeout_ms_;
  const std::chrono::milliseconds budget_;
  const size_t max_request_bytes_;
  Clock::time_point deadline_ = Clock::time_point::max();
  size_t request_bytes_ = 0;
  bool close_ = false;
  char buffer_[16384];
  size_t begin_ = 0;
  size_t end_ = 0;
};

// The stream of the request this worker thread serves (null outside one).
thread_local DeadlineStream* t_stream = nullptr;

void SuspendDeadline() {
  if (t_stream != nullptr) t_stream->Suspend();
}
void RestartDeadline() {
  if (t_stream != nullptr) t_stream->Restart();
}
void CloseAfterResponse(httplib::Response& res) {
  res.set_header("Connection", "close");
  if (t_stream != nullptr) t_stream->RequestClose();
}

// httplib's server with our own connection loop: each connection is read
// through a DeadlineStream (httplib's own stream has per-read timeouts only).
class HttpServer final : public httplib::Server {
 public:
  HttpServer(std::chrono::milliseconds budget, size_t max_request_bytes)
      : budget_(budget), max_request_bytes_(max_request_bytes) {}

 private:
  bool process_and_close_socket(socket_t sock) override {
    const int io_timeout_ms = static_cast<int>(read_timeout_sec_ * 1000 + read_timeout_usec_ / 1000);
    DeadlineStream stream(sock, io_timeout_ms, budget_, max_request_bytes_);
    t_stream = &stream;
    bool ok = false;
    for (size_t count = keep_alive_max_count_; count > 0; --count) {
      if (!WaitForRequest(stream)) break;
      stream.StartRequest();
      bool connection_closed = false;
      ok = process_request(stream, count == 1, connection_closed, nullptr);
      if (!ok || connection_closed || stream.close_requested()) break;
    }
    t_stream = nullptr;
    shutdown(sock, SHUT_RDWR);
    close(sock);
    return ok;
  }

  // Keep-alive: waits for the next request in short slices, so that Stop()
  // is not held up by idle connections.
  bool WaitForRequest(const DeadlineStream& stream) const {
    const auto end = Clock::now() + std::chrono::seconds(keep_alive_timeout_sec_);
    while (svr_sock_ != INVALID_SOCKET) {
      if (stream.WaitForRequest(50)) return true;
      if (Clock::now() >= end) return false;
    }
    return false;
  }

  const std::chrono::milliseconds budget_;
  const size_t max_request_bytes_;
};

// "Host" or "host:port" or "[v6]:port" → the lowercase host without port.
std::string HostOnly(const std::string& value) {
  std::string host = value;
  if (!host.empty() && host[0] == '[') {
    const size_t close = host.find(']');
    host = close == std::string::npos ? host : host.substr(1, close - 1);
  } else if (std::count(host.begin(), host.end(), ':') == 1) {
    host = host.substr(0, host.find(':'));
  }
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
  return host;
}

bool IsIpLiteral(const std::string& host) {
  in_addr v4{};
  in6_addr v6{};
  return inet_pton(AF_INET, host.c_str(), &v4) == 1 || inet_pton(AF_INET6, host.c_str(), &v6) == 1;
}

// DNS rebinding needs a name that resolves to us: IP literals, loopback
// names, the bound name and the allowed ones are safe.
bool HostAllowed(const Server::State& state, const std::string& header) {
  if (state.any_host) return true;
  const std::string host = HostOnly(header);
  if (IsIpLiteral(host) || IsLoopback(host)) return true;
  return std::find(state.hosts.begin(), state.hosts.end(), host) != state.hosts.end();
}

enum class OriginKind { kOwn, kListed, kRefused };

// An Origin is allowed when it is this server's own (same host and port as
// the Host header) or listed in allow_origins.
OriginKind ClassifyOrigin(const Server::State& state, const httplib::Request& req) {
  std::string origin = req.get_header_value("Origin");
  std::transform(origin.begin(), origin.end(), origin.begin(), [](unsigned char c) { return std::tolower(c); });
  for (std::string allowed : state.options.allow_origins) {
    std::transform(allowed.begin(), allowed.end(), allowed.begin(), [](unsigned char c) { return std::tolower(c); });
    while (!allowed.empty() && allowed.back() == '/') allowed.pop_back();
    if (allowed == "*" || allowed == origin) return OriginKind::kListed;
  }
  std::string rest;
  if (origin.rfind("http://", 0) == 0) {
    rest = origin.substr(7);
  } else if (origin.rfind("https://", 0) == 0) {
    rest = origin.substr(8);
  } else {
    return OriginKind::kRefused;  // "null" (sandboxed frames, files) and other schemes
  }
  std::string host = req.get_header_value("Host");
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
  const auto strip_default_port = [](std::string& h) {
    for (const char* port : {":80", ":443"}) {
      const size_t n = std::strlen(port);
      if (h.size() > n && h.compare(h.size() - n, n, port) == 0) h.resize(h.size() - n);
    }
  };
  strip_default_port(rest);
  strip_default_port(host);
  return !host.empty() && rest == host ? OriginKind::kOwn : OriginKind::kRefused;
}

// The byte budget of a request's body: 0 when its route takes none.
size_t BodyBudget(const Server::State& state, const httplib::Request& req) {
  if (req.method != "POST") return 0;
  if (req.path == "/api/trace") return state.options.max_body_bytes;
  if (req.path == "/api/ingest") return state.options.allow_ingest ? state.options.max_ingest_bytes : 0;
  if (req.path == "/api/watchlists") return state.options.allow_ingest ? state.options.max_body_bytes : 0;
  return 0;
}

// Runs before any body is read: Host and Origin checks, and bodies refused
// or sized before they are read. Answers and closes the connection on refusal.
httplib::Server::HandlerResponse PreRoute(const Server::State& state, const httplib::Request& req,
                                          httplib::Response& res) {
  const auto refuse = [&](int status, const std::string& message, const std::string& parameter) {
    CloseAfterResponse(res);
    SendJson(res, ErrorReply(status, message, parameter), &state.path_roots);
    return httplib::Server::HandlerResponse::Handled;
  };
  if (req.has_header("Host") && !HostAllowed(state, req.get_header_value("Host"))) {
    return refuse(403,
                  "Host: '" + HostOnly(req.get_header_value("Host")).substr(0, 100) +
                      "' is not served here (start the server with --allow-host NAME to allow a name)",
                  "Host");
  }
  if (req.has_header("Origin")) {
    const OriginKind kind = ClassifyOrigin(state, req);
    if (kind == OriginKind::kRefused) {
      return refuse(403,
                    "Origin: cross-origin requests are refused (start the server with --allow-origin to allow one)",
                    "Origin");
    }
    if (kind == OriginKind::kListed) {  // CORS for the origins the operator listed
      res.set_header("Access-Control-Allow-Origin", req.get_header_value("Origin"));
      res.set_header("Vary", "Origin");
      if (req.method == "OPTIONS") {
        res.set_header("Access-Control-Allow-Methods", "GET, POST");
        res.set_header("Access-Control-Allow-Headers", "Content-Type, Authorization, X-Echotrace-Token");
        res.set_header("Access-Control-Max-Age", "600");
        res.status = 204;
        return httplib::Server::HandlerResponse::Handled;
      }
    }
  }
  if (req.method == "POST") {
    const std::string site = req.get_header_value("Sec-Fetch-Site");
    if (!site.empty() && site != "same-origin" && site != "none" && !req.has_header("Origin")) {
      return refuse(403, "cross-site requests may not write", "Origin");
    }
  }
  const bool chunked = req.has_header("Transfer-Encoding");
  const size_t length = req.get_header_value<uint64_t>("Content-Length");
  // httplib reads a body for these methods, up to the end of the stream when no length is given.
  const bool expects_body = req.method == "POST" || req.method == "PUT" || req.method == "PATCH" ||
                            req.method == "DELETE" || req.method == "PRI";
  const bool has_body = chunked || length > 0 || (expects_body && !req.has_header("Content-Length"));
  if (!has_body) return httplib::Server::HandlerResponse::Unhandled;
  const size_t budget = BodyBudget(state, req);
  if (budget == 0) {
    if (req.method == "POST" && req.path != "/api/trace" && req.path != "/api/ingest" &&
        req.path != "/api/watchlists") {
      return refuse(req.path.rfind("/api/", 0) == 0 ? 404 : 405,
                    "no such endpoint for POST: " + req.path.substr(0, 200) + " (see docs/api.md)", "");
    }
    if (req.method != "POST") return refuse(405, "method not allowed (this endpoint takes no request body)", "");
    if (req.path == "/api/ingest") {
      return refuse(403, "ingest is disabled: start the server with --allow-ingest", "");
    }
    return refuse(413, "body: not accepted here", "body");
  }
  if (length > budget) {
    return refuse(413, "body: larger than " + std::to_string(budget) + " bytes", "body");
  }
  return httplib::Server::HandlerResponse::Unhandled;
}

// Reads a (non-multipart) body through `budget`; false after answering 413
// (too large) or 400 (cut short, malformed chunks, timed out).
bool ReadBody(const Server::State& state, const httplib::ContentReader& reader, size_t budget, std::string* body,
              httplib::Response& res) {
  bool too_large = false;
  const bool ok = reader([&](const char* data, size_t length) {
    if (body->size() + length > budget) {
      too_large = true;
      return false;
    }
    body->append(data, length);
    return true;
  });
  if (ok) return true;
  CloseAfterResponse(res);
  SendJson(res,
           too_large ? ErrorReply(413, "body: larger than " + std::to_string(budget) + " bytes", "body")
                     : ErrorReply(400, "body: could not be read (cut short, malformed or too slow)", "body"),
           &state.path_roots);
  return false;
}

Params ToParams(const httplib::Request& req) { return Params(req.params.begin(), req.params.end()); }

// Compares in time independent of where the first difference is.
bool SameToken(const std::string& given, const std::string& expected) {
  if (given.size() != expected.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < given.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ expected[i]);
  return diff == 0;
}

std::string ContentTypeFor(const std::string& path) {
  const std::string ext = fs::path(path).extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

// Maps a request path to a file under `root`, or "" when it must not be
// served: empty, "." or ".." segments, dotfiles, backslashes, NULs, or a
// resolved path (symlinks followed) that leaves `root`.
std::string AssetPath(const std::string& root, const std::string& request_path) {
  if (root.empty() || request_path.empty() || request_path[0] != '/') return {};
  std::string relative = request_path.substr(1);
  if (relative.empty()) relative = "index.html";
  if (relative.size() > 512) return {};
  size_t start = 0;
  while (start <= relative.size()) {
    const size_t slash = relative.find('/', start);
    const std::string segment = relative.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (segment.empty() || segment[0] == '.') return {};
    for (const char ch : segment) {
      if (ch == '\\' || ch == '\0' || static_cast<unsigned char>(ch) < 0x20) return {};
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  std::error_code ec;
  const fs::path resolved = fs::weakly_canonical(fs::path(root) / relative, ec);
  if (ec) return {};
  const std::string candidate = resolved.string();
  if (candidate.size() <= root.size() || candidate.compare(0, root.size(), root) != 0 ||
      candidate[root.size()] != '/') {
    return {};
  }
  if (!fs::is_regular_file(resolved, ec)) return {};
  return candidate;
}

bool ReadSmallFile(const std::string& path, std::string* out) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec || size > kMaxAssetBytes) return false;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *out = buffer.str();
  return static_cast<bool>(in) || in.eof();
}

constexpr const char* kNoUiPage =
    "<!doctype html><meta charset=utf-8><title>echotrace</title>"
    "<body style=\"font-family:sans-serif;max-width:40em;margin:3em auto\">"
    "<h1>echotrace</h1><p>The web UI is not built, or <code>--assets</code> does not point at it. "
    "Build it with <code>bash web/build.sh</code> (Node 20, npm), then restart <code>echotrace serve</code>.</p>"
    "<p>The JSON API works without it: try <a href=\"/api/stats\">/api/stats</a> or "
    "<a href=\"/api/search?q=\">/api/search?q=</a> (docs/api.md).</p></body>";

void ServeStatic(const Server::State& state, const httplib::Request& req, httplib::Response& res) {
  if (req.path.rfind("/api/", 0) == 0 || req.path == "/api") {
    SendJson(res, ErrorReply(404, "no such endpoint: " + req.path + " (see docs/api.md)"));
    return;
  }
  if (state.assets_root.empty()) {
    if (req.path == "/" || req.path == "/index.html") {
      res.set_content(kNoUiPage, "text/html; charset=utf-8");
    } else {
      SendJson(res, ErrorReply(404, "not found (the web UI is not built)"));
    }
    return;
  }
  std::string path = AssetPath(state.assets_root, req.path);
  if (path.empty() && req.path.find('.') == std::string::npos && req.path.find("/..") == std::string::npos) {
    path = AssetPath(state.assets_root, "/index.html");  // client-side routes fall back to the app
  }
  std::string bytes;
  if (path.empty() || !ReadSmallFile(path, &bytes)) {
    SendJson(res, ErrorReply(404, "not found"));
    return;
  }
  // Vite names built assets by content hash: they never change.
  const bool hashed = req.path.rfind("/assets/", 0) == 0;
  res.set_header("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
  res.set_content(std::move(bytes), ContentTypeFor(path));
}

// Ingest is a write: allowed only with --allow-ingest, and with the token
// when the server listens beyond loopback. Returns false after answering.
bool AuthorizeWrite(const Server::State& state, const httplib::Request& req, httplib::Response& res) {
  if (!state.options.allow_ingest) {
    SendJson(res, ErrorReply(403, "ingest is disabled: start the server with --allow-ingest"), &state.path_roots);
    return false;
  }
  if (IsLoopback(state.options.bind) && !state.options.TEST_require_token) return true;
  std::string given = req.get_header_value("Authorization");
  if (given.rfind("Bearer ", 0) == 0) given = given.substr(7);
  if (given.empty()) given = req.get_header_value("X-Echotrace-Token");
  if (given.empty() || !SameToken(given, state.options.token)) {
    res.set_header("WWW-Authenticate", "Bearer");
    SendJson(res, ErrorReply(401, "a valid token is required (Authorization: Bearer <token from --token-file>)"),
             &state.path_roots);
    return false;
  }
  return true;
}

void HandleIngest(Server::State& state, const httplib::Request& req, httplib::Response& res,
                  const httplib::ContentReader& reader) {
  const std::vector<std::string>* roots = &state.path_roots;
  if (!AuthorizeWrite(state, req, res)) {
    CloseAfterResponse(res);  // the body is not read
    return;
  }
  const std::string type = req.get_header_value("Content-Type");
  const bool json = type.rfind("application/json", 0) == 0;
  // A browser sends Origin with every cross-origin POST and may send
  // text/plain, form or multipart bodies without asking first: from a page,
  // writes are JSON only.
  if (!json && req.has_header("Origin")) {
    CloseAfterResponse(res);
    SendJson(res, ErrorReply(415, "Content-Type: a page must send application/json", "Content-Type"), roots);
    return;
  }
  const size_t budget = state.options.max_ingest_bytes;
  std::vector<Upload> uploads;
  if (req.is_multipart_form_data()) {
    size_t total = 0;
    bool too_large = false;
    bool too_many = false;
    const bool ok = reader(
        [&](const httplib::MultipartFormData& file) {
          if (uploads.size() >= 1000) {
            too_many = true;
            return false;
          }
          uploads.push_back({file.filename.empty() ? file.name : file.filename, ""});
          return true;
        },
        [&](const char* data, size_t length) {
          total += length;
          if (total > budget) {
            too_large = true;
            return false;
          }
          uploads.back().bytes.append(data, length);
          return true;
        });
    if (!ok) {
      CloseAfterResponse(res);
      SendJson(res,
               too_large  ? ErrorReply(413, "body: larger than " + std::to_string(budget) + " bytes", "body")
               : too_many ? ErrorReply(400, "files: at most 1000 files at once", "files")
                          : ErrorReply(400, "body: could not be read (cut short, malformed or too slow)", "body"),
               roots);
      return;
    }
    std::erase_if(uploads, [](const Upload& upload) { return upload.bytes.empty(); });
  } else {
    std::string body;
    if (!ReadBody(state, reader, budget, &body, res)) return;
    if (json) {
      Json parsed = Json::parse(body, nullptr, false);
      body.clear();
      if (parsed.is_discarded() || !parsed.is_object()) {
        SendJson(res, ErrorReply(400, "body: not a JSON object", "body"), roots);
        return;
      }
      if (!parsed.contains("text") || !parsed["text"].is_string()) {
        SendJson(res, ErrorReply(400, "text: a string is required", "text"), roots);
        return;
      }
      std::string name = "paste.txt";
      if (parsed.contains("name")) {
        if (!parsed["name"].is_string()) {
          SendJson(res, ErrorReply(400, "name: must be a string", "name"), roots);
          return;
        }
        name = parsed["name"].get<std::string>();
      }
      uploads.push_back({name, std::move(parsed["text"].get_ref<std::string&>())});
    } else if (!body.empty()) {
      uploads.push_back({req.has_param("name") ? req.get_param_value("name") : "paste.txt", std::move(body)});
    }
  }
  SuspendDeadline();
  SendJson(res, ApiIngest(state.Context(), uploads), roots);
  RestartDeadline();
}

// Wraps a handler that reads no body: its own time is not the client's.
httplib::Server::Handler Timed(std::function<ApiReply(const httplib::Request&)> handler, const Server::State* state) {
  return [handler = std::move(handler), state](const httplib::Request& req, httplib::Response& res) {
    SuspendDeadline();
    SendJson(res, handler(req), &state->path_roots);
    RestartDeadline();
  };
}

}  // namespace

bool IsLoopback(const std::string& address) {
  if (address == "localhost" || address == "::1" || address == "[::1]") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  return false;
}

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  if (options.data_dir.empty()) return Status::Usage("--data: no data directory given");
  if (options.port < 0 || options.port > 65535) return Status::Usage("--port: must be between 0 and 65535");
  if (options.threads < 1 || options.threads > 256) return Status::Usage("--threads: must be between 1 and 256");
  if (options.allow_ingest && !IsLoopback(options.bind)) {
    if (options.token.empty()) {
      return Status::Usage("--allow-ingest on a non-loopback address (" + options.bind +
                           ") needs --token-file: anyone who can reach the port could write");
    }
    if (options.token.size() < 16) return Status::Usage("--token-file: the token must be at least 16 characters");
  }
  std::unique_ptr<Server> server(new Server());
  server->state_ = std::make_unique<State>();
  State& state = *server->state_;
  state.options = options;
  state.pool = std::make_unique<EnginePool>(options.data_dir);
  state.writer = std::make_unique<Writer>(options.data_dir, Writer::Options{options.max_queued_writes});
  if (!options.assets_dir.empty()) {
    std::error_code ec;
    const fs::path root = fs::canonical(options.assets_dir, ec);
    if (!ec && fs::is_regular_file(root / "index.html", ec)) state.assets_root = root.string();
  }

  // Host names that may reach us (DNS rebinding needs a name; IP literals are always fine).
  for (const std::string& name : options.allow_hosts) {
    if (name == "*") state.any_host = true;
    state.hosts.push_back(HostOnly(name));
  }
  state.hosts.push_back(HostOnly(
      options.bind.find(':') != std::string::npos && options.bind[0] != '[' ? "[" + options.bind + "]" : options.bind));
  if (options.bind == "0.0.0.0" || options.bind == "::" || options.bind == "[::]") {
    char name[256] = {};
    if (gethostname(name, sizeof name - 1) == 0 && name[0] != '\0') state.hosts.push_back(HostOnly(name));
  }
  // Server paths never shown in an error body, longest first.
  {
    std::error_code ec;
    for (const fs::path& path : {fs::absolute(options.data_dir, ec), fs::weakly_canonical(options.data_dir, ec),
                                 fs::temp_directory_path(ec), fs::path(state.assets_root), fs::current_path(ec)}) {
      std::string text = path.string();
      while (text.size() > 1 && text.back() == '/') text.pop_back();
      if (text.size() > 1 && text[0] == '/') state.path_roots.push_back(text);
    }
    std::sort(state.path_roots.begin(), state.path_roots.end(),
              [](const std::string& x, const std::string& y) { return x.size() > y.size(); });
  }

  const size_t payload_max =
      options.allow_ingest ? std::max(options.max_ingest_bytes, options.max_body_bytes) : options.max_body_bytes;
  const auto deadline = std::chrono::milliseconds(std::max(100, options.request_deadline_ms));
  // Headers (at most ~1 MiB with httplib's limits) plus the largest body and its multipart framing.
  auto http = std::make_unique<HttpServer>(deadline, payload_max + (size_t{2} << 20));
  const size_t threads = static_cast<size_t>(options.threads);
  http->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http->set_payload_max_length(payload_max);
  http->set_read_timeout(10, 0);
  http->set_write_timeout(10, 0);
  http->set_keep_alive_max_count(1000);
  http->set_tcp_nodelay(true);  // small JSON answers: do not wait 40 ms for a delayed ACK
  http->set_default_headers({{"X-Content-Type-Options", "nosniff"},
                             {"Referrer-Policy", "no-referrer"},
                             {"Content-Security-Policy",
                              "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
                              "frame-ancestors 'none'"}});
  State* s = &state;
  const std::vector<std::string>* roots = &state.path_roots;
  http->set_pre_routing_handler(
      [s](const httplib::Request& req, httplib::Response& res) { return PreRoute(*s, req, res); });
  // Any status >= 400 without a body of ours gets a JSON one (413 from the body limit, 400 from a bad request line).
  http->set_error_handler(
      httplib::Server::HandlerWithResponse([roots](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        std::string message = res.status == 413 ? "request body too large" : "request failed";
        if (res.status == 404) message = "not found: " + req.path.substr(0, 200);
        if (res.status == 405) message = "method not allowed";
        if (res.status == 413 || res.status == 400) CloseAfterResponse(res);
        SendJson(res, ErrorReply(res.status, message, res.status == 413 ? "body" : ""), roots);
        return httplib::Server::HandlerResponse::Handled;
      }));
  http->set_exception_handler([roots](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
    std::string what = "unknown";
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    std::fprintf(stderr, "echotrace serve: request failed: %s\n", what.c_str());
    RestartDeadline();
    SendJson(res, ErrorReply(500, "internal error: " + what), roots);
  });

  http->Get("/api/search",
            Timed([s](const httplib::Request& req) { return ApiSearch(s->Context(), ToParams(req)); }, s));
  http->Get("/api/export", [s](const httplib::Request& req, httplib::Response& res) {
    SuspendDeadline();
    ExportReply reply = ApiExport(s->Context(), ToParams(req));
    if (!reply.ok) {
      SendJson(res, std::move(reply.error), &s->path_roots);
    } else {
      res.status = 200;
      res.set_header("Content-Disposition", "attachment; filename=\"" + reply.filename + "\"");
      res.set_header("X-Echotrace-Rows", std::to_string(reply.rows));
      res.set_content(std::move(reply.body), reply.content_type);
    }
    RestartDeadline();
  });
  http->Get(
      R"(/api/article/([^/]+))",
      Timed([s](const httplib::Request& req) { return ApiArticle(s->Context(), req.matches[1].str(), ToParams(req)); },
            s));
  const auto changes = [s](const httplib::Request& req) {
    return ApiArticleChanges(s->Context(), req.matches[1].str(), ToParams(req));
  };
  http->Get(R"(/api/article/([^/]+)/changes)", Timed(changes, s));
  http->Get("/api/stats", Timed([s](const httplib::Request&) { return ApiStats(s->Context()); }, s));
  http->Get("/api/trends",
            Timed([s](const httplib::Request& req) { return ApiTrends(s->Context(), ToParams(req)); }, s));
  http->Get("/api/entities",
            Timed([s](const httplib::Request& req) { return ApiEntities(s->Context(), ToParams(req)); }, s));
  http->Get(
      R"(/api/entity/([^/]+))",
      Timed([s](const httplib::Request& req) { return ApiEntity(s->Context(), req.matches[1].str(), ToParams(req)); },
            s));
  http->Get("/api/quotes",
            Timed([s](const httplib::Request& req) { return ApiQuotes(s->Context(), ToParams(req)); }, s));
  http->Get("/api/events",
            Timed([s](const httplib::Request& req) { return ApiEvents(s->Context(), ToParams(req)); }, s));
  http->Post("/api/trace",
             [s](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
               std::string body;
               if (!ReadBody(*s, reader, s->options.max_body_bytes, &body, res)) return;
               SuspendDeadline();
               SendJson(res, ApiTrace(s->Context(), req.get_header_value("Content-Type"), body), &s->path_roots);
               RestartDeadline();
             });
  http->Post("/api/ingest", [s](const httplib::Request& req, httplib::Response& res,
                                const httplib::ContentReader& reader) { HandleIngest(*s, req, res, reader); });
  http->Get("/api/ledger",
            Timed([s](const httplib::Request& req) { return ApiLedger(s->Context(), ToParams(req)); }, s));
  http->Get("/api/watchlists", Timed([s](const httplib::Request&) { return ApiWatchlists(s->Context()); }, s));
  http->Get(R"(/api/watchlists/([A-Za-z0-9_-]{1,64}))",
            Timed([s](const httplib::Request& req) { return ApiWatch(s->Context(), req.matches[1].str()); }, s));
  // Saving and removing watchlists are writes: allowed as ingest is (--allow-ingest, the token).
  http->Post("/api/watchlists",
             [s](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
               if (!AuthorizeWrite(*s, req, res)) {
                 CloseAfterResponse(res);
                 return;
               }
               std::string body;
               if (!ReadBody(*s, reader, s->options.max_body_bytes, &body, res)) return;
               SuspendDeadline();
               SendJson(res, ApiWatchAdd(s->Context(), body), &s->path_roots);
               RestartDeadline();
             });
  http->Post(R"(/api/watchlists/([A-Za-z0-9_-]{1,64})/delete)",
             [s](const httplib::Request& req, httplib::Response& res) {
               if (!AuthorizeWrite(*s, req, res)) return;
               SuspendDeadline();
               SendJson(res, ApiWatchRemove(s->Context(), req.matches[1].str()), &s->path_roots);
               RestartDeadline();
             });
  http->Get(R"(/feeds/([A-Za-z0-9_-]{1,64})\.atom)", [s](const httplib::Request& req, httplib::Response& res) {
    SuspendDeadline();
    FeedReply feed = WatchFeed(s->Context(), req.matches[1].str(), req.path);
    if (feed.status != 200) {
      SendJson(res, ErrorReply(feed.status, feed.body), &s->path_roots);
    } else {
      res.status = 200;
      res.set_content(std::move(feed.body), "application/atom+xml; charset=utf-8");
    }
    RestartDeadline();
  });
  http->Post(R"(/.*)", [roots](const httplib::Request& req, httplib::Response& res) {
    SendJson(res,
             ErrorReply(req.path.rfind("/api/", 0) == 0 ? 404 : 405,
                        "no such endpoint for POST: " + req.path.substr(0, 200) + " (see docs/api.md)"),
             roots);
  });
  http->Get(R"(/.*)", [s](const httplib::Request& req, httplib::Response& res) {
    SuspendDeadline();
    ServeStatic(*s, req, res);
    RestartDeadline();
  });

  int port = options.port;
  if (port == 0) {
    port = http->bind_to_any_port(options.bind);
    if (port < 0) return Status::IOError("cannot listen on " + options.bind + " (any port)");
  } else if (!http->bind_to_port(options.bind, port)) {
    return Status::IOError("cannot listen on " + options.bind + ":" + std::to_string(port) +
                           " (in use, or not an address of this machine)");
  }
  server->port_ = port;
  const std::string host =
      options.bind.find(':') != std::string::npos && options.bind[0] != '[' ? "[" + options.bind + "]" : options.bind;
  server->url_ = "http://" + host + ":" + std::to_string(port) + "/";
  httplib::Server* raw = http.get();
  server->http_ = std::move(http);
  server->listener_ = std::thread([raw] { raw->listen_after_bind(); });
  // Stop() is a no-op until the listener runs: wait for it, so that a
  // Start() followed at once by Stop() cannot leave the listener behind.
  for (int i = 0; i < 5000 && !raw->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!raw->is_running()) return Status::Internal("the HTTP listener did not start");
  return server;
}

void Server::Wait() {
  if (listener_.joinable()) listener_.join();
}

void Server::Stop() {
  if (http_) http_->stop();
  Wait();
}

Server::~Server() { Stop(); }

}  // namespace echotrace::server

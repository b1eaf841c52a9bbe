// HTTP plumbing: routes, limits, errors, authorization and the static files.
#include "server/server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "server/api.h"

namespace echotrace::server {

struct Server::State {
  ServerOptions options;
  Backends backends;
  std::unique_ptr<EnginePool> pool;
  std::mutex ingest_mutex;
  StatsCache stats_cache;
  std::string assets_root;  // canonical path of the assets folder, or empty

  ApiContext Context() { return ApiContext{pool.get(), &backends, &options, &ingest_mutex, &stats_cache}; }
};

namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxAssetBytes = size_t{32} << 20;

void SendJson(httplib::Response& res, const ApiReply& reply) {
  res.status = reply.status;
  // Replace, not throw, on invalid UTF-8 (every string should be valid already).
  res.set_content(reply.body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json; charset=utf-8");
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
    SendJson(res, ErrorReply(403, "ingest is disabled: start the server with --allow-ingest"));
    return false;
  }
  if (IsLoopback(state.options.bind) && !state.options.TEST_require_token) return true;
  std::string given = req.get_header_value("Authorization");
  if (given.rfind("Bearer ", 0) == 0) given = given.substr(7);
  if (given.empty()) given = req.get_header_value("X-Echotrace-Token");
  if (given.empty() || !SameToken(given, state.options.token)) {
    res.set_header("WWW-Authenticate", "Bearer");
    SendJson(res, ErrorReply(401, "a valid token is required (Authorization: Bearer <token from --token-file>)"));
    return false;
  }
  return true;
}

void HandleIngest(Server::State& state, const httplib::Request& req, httplib::Response& res) {
  if (!AuthorizeWrite(state, req, res)) return;
  std::vector<Upload> uploads;
  if (req.is_multipart_form_data()) {
    for (const auto& [field, file] : req.files) {
      if (file.content.empty()) continue;
      uploads.push_back({file.filename.empty() ? field : file.filename, file.content});
    }
  } else if (req.get_header_value("Content-Type").rfind("application/json", 0) == 0) {
    Json body = Json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      SendJson(res, ErrorReply(400, "body: not a JSON object", "body"));
      return;
    }
    if (!body.contains("text") || !body["text"].is_string()) {
      SendJson(res, ErrorReply(400, "text: a string is required", "text"));
      return;
    }
    std::string name = "paste.txt";
    if (body.contains("name")) {
      if (!body["name"].is_string()) {
        SendJson(res, ErrorReply(400, "name: must be a string", "name"));
        return;
      }
      name = body["name"].get<std::string>();
    }
    uploads.push_back({name, body["text"].get<std::string>()});
  } else if (!req.body.empty()) {
    uploads.push_back({req.has_param("name") ? req.get_param_value("name") : "paste.txt", req.body});
  }
  SendJson(res, ApiIngest(state.Context(), uploads));
}

}  // namespace

bool IsLoopback(const std::string& address) {
  if (address == "localhost" || address == "::1" || address == "[::1]") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  return false;
}

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options, Backends backends) {
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
  state.backends = std::move(backends);
  state.pool = std::make_unique<EnginePool>(options.data_dir);
  if (!options.assets_dir.empty()) {
    std::error_code ec;
    const fs::path root = fs::canonical(options.assets_dir, ec);
    if (!ec && fs::is_regular_file(root / "index.html", ec)) state.assets_root = root.string();
  }

  auto http = std::make_unique<httplib::Server>();
  const size_t threads = static_cast<size_t>(options.threads);
  http->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http->set_payload_max_length(options.allow_ingest ? std::max(options.max_ingest_bytes, options.max_body_bytes)
                                                    : options.max_body_bytes);
  http->set_read_timeout(10, 0);
  http->set_write_timeout(10, 0);
  http->set_keep_alive_max_count(1000);
  http->set_tcp_nodelay(true);  // small JSON answers: do not wait 40 ms for a delayed ACK
  http->set_default_headers({{"X-Content-Type-Options", "nosniff"},
                             {"Referrer-Policy", "no-referrer"},
                             {"Content-Security-Policy",
                              "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
                              "frame-ancestors 'none'"}});
  // Any status >= 400 without a body of ours gets a JSON one (413 from the body limit, 400 from a bad request line).
  http->set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    std::string message = res.status == 413 ? "request body too large" : "request failed";
    if (res.status == 404) message = "not found: " + req.path;
    if (res.status == 405) message = "method not allowed";
    SendJson(res, ErrorReply(res.status, message, res.status == 413 ? "body" : ""));
    return httplib::Server::HandlerResponse::Handled;
  }));
  http->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
    std::string what = "unknown";
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    std::fprintf(stderr, "echotrace serve: request failed: %s\n", what.c_str());
    SendJson(res, ErrorReply(500, "internal error: " + what));
  });

  State* s = &state;
  http->Get("/api/search", [s](const httplib::Request& req, httplib::Response& res) {
    SendJson(res, ApiSearch(s->Context(), ToParams(req)));
  });
  http->Get(R"(/api/article/([^/]+))", [s](const httplib::Request& req, httplib::Response& res) {
    SendJson(res, ApiArticle(s->Context(), req.matches[1].str(), ToParams(req)));
  });
  http->Get("/api/stats",
            [s](const httplib::Request&, httplib::Response& res) { SendJson(res, ApiStats(s->Context())); });
  http->Get("/api/trends", [s](const httplib::Request& req, httplib::Response& res) {
    SendJson(res, ApiTrends(s->Context(), ToParams(req)));
  });
  http->Get("/api/entities", [s](const httplib::Request& req, httplib::Response& res) {
    SendJson(res, ApiEntities(s->Context(), ToParams(req)));
  });
  http->Get("/api/quotes", [s](const httplib::Request& req, httplib::Response& res) {
    SendJson(res, ApiQuotes(s->Context(), ToParams(req)));
  });
  http->Get("/api/events", [s](const httplib::Request& req, httplib::Response& res) {
    SendJson(res, ApiEvents(s->Context(), ToParams(req)));
  });
  http->Post("/api/trace", [s](const httplib::Request& req, httplib::Response& res) {
    if (req.body.size() > s->options.max_body_bytes) {
      SendJson(res,
               ErrorReply(413, "body: larger than " + std::to_string(s->options.max_body_bytes) + " bytes", "body"));
      return;
    }
    SendJson(res, ApiTrace(s->Context(), req.get_header_value("Content-Type"), req.body));
  });
  http->Post("/api/ingest", [s](const httplib::Request& req, httplib::Response& res) { HandleIngest(*s, req, res); });
  http->Post(R"(/.*)", [](const httplib::Request& req, httplib::Response& res) {
    SendJson(res, ErrorReply(req.path.rfind("/api/", 0) == 0 ? 404 : 405,
                             "no such endpoint for POST: " + req.path + " (see docs/api.md)"));
  });
  http->Get(R"(/.*)", [s](const httplib::Request& req, httplib::Response& res) { ServeStatic(*s, req, res); });

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

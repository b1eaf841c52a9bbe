// The HTTP server behind `echotrace serve`: a JSON API over one data
// directory (docs/api.md) and the web UI's built assets (web/dist).
//
// Example (compiled in tests/server_test.cc):
//   ServerOptions options;
//   options.data_dir = dir;
//   options.port = 0;  // any free port
//   ET_ASSIGN_OR_RETURN(std::unique_ptr<Server> server, Server::Start(options));
//   // GET http://127.0.0.1:<server->port()>/api/search?q=harvest
//   server->Stop();
//
// Safety. Every request parameter is checked (a bad one gets 400 with a JSON
// error naming it); every request body is read through a byte budget, chunked
// bodies included (413, and the connection is closed); a body on any other
// route is refused before it is read. The Host header must name an allowed
// host (loopback names, the bound address, `allow_hosts`) and an Origin
// header, when sent, an allowed origin (403 otherwise: no DNS rebinding, no
// cross-site writes). The client's part of each request (headers, body, and
// reading the answer) has one total deadline, so slow clients cannot hold
// the workers. Error bodies never show server paths; the HTTP status and the
// body's "status" always agree; 409 carries Retry-After. The static handler
// serves only regular files inside `assets_dir` (no "..", no symlink escape,
// no dotfiles); a handler that throws answers 500 and the server keeps
// running. Ingest is off unless `allow_ingest`, accepts JSON (and, from
// clients that send no Origin, multipart or raw bytes); when bound to an
// address other than loopback, ingest also needs the token (Authorization: Bearer).
//
// Thread-safety: Start/Stop/Wait from one controlling thread; requests are
// served by a pool of `threads` workers, each borrowing its own read-only
// Engine (see EnginePool), so reads run in parallel with one ingest.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"

namespace httplib {
class Server;
}

namespace echotrace::server {

struct ServerOptions {
  std::string data_dir;                // REQUIRED; need not hold data yet (searches then answer 404)
  std::string bind = "127.0.0.1";      // Default loopback: nothing leaves the machine unless asked
  int port = 8080;                     // 0: any free port (see Server::port())
  bool allow_ingest = false;           // POST /api/ingest; Default off: a read-only server
  std::string token;                   // REQUIRED (>= 16 bytes) for ingest when `bind` is not loopback
  std::string assets_dir;              // built UI (web/dist); empty or missing: the API only
  size_t max_body_bytes = 1 << 20;     // POST bodies other than ingest; Default 1 MiB
  size_t max_ingest_bytes = 64 << 20;  // POST /api/ingest; Default 64 MiB
  int threads = 16;                    // worker threads (each holds a connection while it is kept alive)
  // Write requests (ingests, watchlist changes) that may wait for the one
  // writer (server/writer.h) before more are answered 503 with Retry-After.
  // Default 64. Each waiting request holds a worker thread and its upload.
  size_t max_queued_writes = 64;
  // Hosts accepted in the Host header besides loopback names and `bind`
  // ("example.org" or "example.org:8080"; "*" accepts any). Default none.
  // Trade-off: each added name is one a DNS-rebinding page could use.
  std::vector<std::string> allow_hosts;
  // Origins accepted in the Origin header besides http(s)://<an allowed
  // host>[:port] ("https://tools.example.org"). Default none.
  std::vector<std::string> allow_origins;
  // Total time a client gets for its part of one request: sending the
  // request line, headers and body, then reading the answer (the handler's
  // own time does not count). Past it the connection is closed. Default 15 s:
  // a 64 MiB upload needs ~35 Mbit/s; slower links need more.
  int request_deadline_ms = 15000;
  bool TEST_require_token = false;  // TEST only: demand the token even on loopback
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopback(const std::string& address);

class Server {
 public:
  // Binds and starts serving in a background thread.
  // Errors: kUsage for inconsistent options (ingest on a public address
  // without a token, a short token, a bad port); kIOError when the address
  // cannot be bound (in use, not local).
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options);
  ~Server();                       // stops
  Server(const Server&) = delete;  // owns a listening socket and threads
  Server& operator=(const Server&) = delete;

  int port() const { return port_; }
  const std::string& url() const { return url_; }  // "http://127.0.0.1:8080/"
  // Blocks until Stop() is called from elsewhere (or the listener fails).
  void Wait();
  void Stop();

  struct State;  // shared with the request handlers (server.cc)

 private:
  Server() = default;
  std::unique_ptr<State> state_;
  std::unique_ptr<httplib::Server> http_;
  std::thread listener_;
  int port_ = 0;
  std::string url_;
};

}  // namespace echotrace::server

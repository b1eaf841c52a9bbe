// The server against hostile clients: huge chunked bodies, cross-site pages,
// DNS-rebinding Host names, slow trickling connections, and the shape of
// error answers (no server paths, HTTP status and body status agree).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "engine/engine.h"
#include "loopback_client.h"
#include "search/index.h"
#include "server/server.h"
#include "test_util.h"

namespace echotrace::server {
namespace {

using Json = nlohmann::json;
using testing::SampleDir;
using testing::TempDir;
using Clock = std::chrono::steady_clock;

// Reads and writes give up after 10 s: a server that stops answering fails the test, not the run.
int Connect(int port) { return testing::ConnectLoopback(port, 10); }
using testing::ReadAll;

// Resident memory of this process (server and client share it), in bytes.
size_t RssBytes() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  }
  return 0;
}

std::unique_ptr<Server> StartServer(const ServerOptions& base) {
  ServerOptions options = base;
  options.port = 0;
  auto server = Server::Start(options);
  EXPECT_TRUE(server.ok()) << server.status().ToString();
  return server.ok() ? std::move(server).value() : nullptr;
}

class HardeningTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new TempDir();
    auto engine = Engine::Open(data_->path(), Engine::Mode::kWrite);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    ASSERT_TRUE((*engine)->Ingest({SampleDir()}, {}, nullptr).ok());
  }
  static void TearDownTestSuite() { delete data_; }
  static TempDir* data_;
};
TempDir* HardeningTest::data_ = nullptr;

// A 100 MB chunked POST is cut at the body budget: the server never holds it.
TEST_F(HardeningTest, HugeChunkedBodyIsCutAtTheBudget) {
  ServerOptions options;
  options.data_dir = data_->path();
  auto server = StartServer(options);
  ASSERT_TRUE(server);
  const size_t before = RssBytes();
  std::atomic<bool> done{false};
  std::atomic<size_t> peak{before};
  std::thread sampler([&] {
    while (!done) {
      peak = std::max(peak.load(), RssBytes());
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  const int fd = Connect(server->port());
  ASSERT_GE(fd, 0);
  const std::string head =
      "POST /api/trace HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n";
  ASSERT_EQ(write(fd, head.data(), head.size()), static_cast<ssize_t>(head.size()));
  const std::string chunk = "10000\r\n" + std::string(0x10000, 'a') + "\r\n";
  size_t sent = 0;
  const auto start = Clock::now();
  while (sent < (size_t{100} << 20)) {
    const ssize_t n = send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL);
    if (n <= 0) break;  // the server closed the connection: expected
    sent += 0x10000;
  }
  const std::string response = ReadAll(fd);
  close(fd);
  done = true;
  sampler.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_LT(sent, size_t{100} << 20) << "the server read the whole body";
  if (!response.empty()) {
    EXPECT_NE(response.find(" 413 "), std::string::npos) << response.substr(0, 200);
  }
  EXPECT_LT(peak - before, size_t{64} << 20) << "RSS grew by " << ((peak - before) >> 20) << " MiB";
  EXPECT_LT(seconds, 30.0);
  // The server still answers.
  httplib::Client client("127.0.0.1", server->port());
  auto stats = client.Get("/api/stats");
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->status, 200);
}

// A chunked body under the budget is read whole and answered.
TEST_F(HardeningTest, SmallChunkedBodyIsServed) {
  ServerOptions options;
  options.data_dir = data_->path();
  auto server = StartServer(options);
  ASSERT_TRUE(server);
  const int fd = Connect(server->port());
  ASSERT_GE(fd, 0);
  const std::string text = "the harvest";
  char size[16];
  std::snprintf(size, sizeof size, "%zx", text.size());
  const std::string request =
      "POST /api/trace HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nTransfer-Encoding: "
      "chunked\r\nConnection: close\r\n\r\n" +
      std::string(size) + "\r\n" + text + "\r\n0\r\n\r\n";
  ASSERT_EQ(write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
  const std::string response = ReadAll(fd);
  close(fd);
  EXPECT_EQ(response.rfind("HTTP/1.1 200", 0), 0u) << response.substr(0, 300);
}

// Bodies on routes that take none are refused before they are read.
TEST_F(HardeningTest, BodiesElsewhereAreRefusedUnread) {
  ServerOptions options;
  options.data_dir = data_->path();
  auto server = StartServer(options);
  ASSERT_TRUE(server);
  for (const std::string& head :
       {std::string("PUT /api/search HTTP/1.1\r\n"), std::string("POST /api/nope HTTP/1.1\r\n"),
        std::string("POST /api/ingest HTTP/1.1\r\n")}) {
    const int fd = Connect(server->port());
    ASSERT_GE(fd, 0);
    const std::string request = head + "Host: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n10000\r\n";
    ASSERT_EQ(write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
    const auto start = Clock::now();
    const std::string response = ReadAll(fd);  // answered and closed without waiting for the body
    close(fd);
    EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 5.0) << head;
    EXPECT_EQ(response.rfind("HTTP/1.1 4", 0), 0u) << head << response.substr(0, 200);
  }
  // No length at all: httplib would read to the end of the stream; we answer at once.
  for (const char* method : {"PUT", "DELETE", "PATCH"}) {
    const int fd = Connect(server->port());
    ASSERT_GE(fd, 0);
    const std::string request = std::string(method) + " /api/search HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    ASSERT_EQ(write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
    const auto start = Clock::now();
    const std::string response = ReadAll(fd);
    close(fd);
    EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 5.0) << method;
    EXPECT_EQ(response.rfind("HTTP/1.1 405", 0), 0u) << method << ": " << response.substr(0, 200);
  }
}

// A page on another site cannot write, and a rebinding host name cannot read.
TEST_F(HardeningTest, CrossOriginWritesAndForeignHostsAreRefused) {
  TempDir data;
  ServerOptions options;
  options.data_dir = data.path();
  options.allow_ingest = true;
  options.allow_origins = {"https://tools.example.org"};
  options.allow_hosts = {"echotrace.internal"};
  auto server = StartServer(options);
  ASSERT_TRUE(server);
  const int port = server->port();
  httplib::Client client("127.0.0.1", port);
  const std::string text = "Quokka Census Completed\n\nThe island counted its quokkas this spring.";
  const std::string json = Json{{"text", text}}.dump();

  auto cross = client.Post("/api/ingest", {{"Origin", "http://evil.example"}}, text, "text/plain");
  ASSERT_TRUE(cross);
  EXPECT_EQ(cross->status, 403) << cross->body;
  auto cross_json = client.Post("/api/ingest", {{"Origin", "http://evil.example"}}, json, "application/json");
  ASSERT_TRUE(cross_json);
  EXPECT_EQ(cross_json->status, 403);
  auto null_origin = client.Post("/api/ingest", {{"Origin", "null"}}, json, "application/json");
  ASSERT_TRUE(null_origin);
  EXPECT_EQ(null_origin->status, 403);
  // Our own page: JSON only.
  const std::string self = "http://127.0.0.1:" + std::to_string(port);
  auto own_text = client.Post("/api/ingest", {{"Origin", self}}, text, "text/plain");
  ASSERT_TRUE(own_text);
  EXPECT_EQ(own_text->status, 415) << own_text->body;
  auto own_json = client.Post("/api/ingest", {{"Origin", self}}, json, "application/json");
  ASSERT_TRUE(own_json);
  EXPECT_EQ(own_json->status, 200) << own_json->body;
  auto listed = client.Get("/api/stats", {{"Origin", "https://tools.example.org"}});
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->status, 200);
  EXPECT_EQ(listed->get_header_value("Access-Control-Allow-Origin"), "https://tools.example.org");
  auto preflight = client.Options("/api/ingest", {{"Origin", "https://tools.example.org"}});
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 204);
  EXPECT_NE(preflight->get_header_value("Access-Control-Allow-Methods").find("POST"), std::string::npos);
  auto own = client.Get("/api/stats", {{"Origin", self}});
  ASSERT_TRUE(own);
  EXPECT_EQ(own->status, 200);
  EXPECT_EQ(own->get_header_value("Access-Control-Allow-Origin"), "");  // same origin needs no CORS
  // A command-line client (no Origin) may still send raw text.
  auto curl = client.Post("/api/ingest", "Walrus Count\n\nThe walruses were counted.", "text/plain");
  ASSERT_TRUE(curl);
  EXPECT_EQ(curl->status, 200) << curl->body;
  // Host names: loopback, IP literals and allowed names only.
  for (const auto& [host, status] :
       std::vector<std::pair<std::string, int>>{{"attacker.example", 403},
                                                {"attacker.example:" + std::to_string(port), 403},
                                                {"localhost:" + std::to_string(port), 200},
                                                {"127.0.0.1", 200},
                                                {"echotrace.internal:80", 200}}) {
    const int fd = Connect(port);
    ASSERT_GE(fd, 0);
    const std::string request = "GET /api/stats HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
    ASSERT_EQ(write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
    const std::string response = ReadAll(fd);
    close(fd);
    EXPECT_EQ(response.rfind("HTTP/1.1 " + std::to_string(status), 0), 0u) << host << ": " << response.substr(0, 200);
  }
}

// Sixteen connections sending one byte at a time hold every worker for at
// most the request deadline: a normal request still gets through.
TEST_F(HardeningTest, TricklingClientsDoNotBlockOthers) {
  ServerOptions options;
  options.data_dir = data_->path();
  options.threads = 16;
  options.request_deadline_ms = 1000;
  auto server = StartServer(options);
  ASSERT_TRUE(server);
  std::vector<int> slow;
  for (int i = 0; i < 16; ++i) {
    const int fd = Connect(server->port());
    ASSERT_GE(fd, 0);
    slow.push_back(fd);
  }
  std::atomic<bool> stop{false};
  std::atomic<int> cut{0};
  std::thread trickle([&] {
    const std::string request = "GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    for (size_t i = 0; !stop; ++i) {
      for (int& fd : slow) {
        if (fd < 0) continue;
        const char byte = i < request.size() ? request[i] : 'a';
        if (send(fd, &byte, 1, MSG_NOSIGNAL) != 1) {
          close(fd);
          fd = -1;
          ++cut;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto start = Clock::now();
  httplib::Client client("127.0.0.1", server->port());
  client.set_read_timeout(20, 0);
  auto stats = client.Get("/api/stats");
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->status, 200);
  EXPECT_LT(seconds, 5.0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  stop = true;
  trickle.join();
  EXPECT_EQ(cut.load(), 16) << "every trickling connection is closed after its deadline";
  for (const int fd : slow) {
    if (fd >= 0) close(fd);
  }
}

// Errors never show the data directory; the body's status is the HTTP status.
TEST_F(HardeningTest, ErrorsHideServerPathsAndAgreeOnStatus) {
  TempDir empty;
  ServerOptions options;
  options.data_dir = empty / "nothing-here";
  auto server = StartServer(options);
  ASSERT_TRUE(server);
  httplib::Client client("127.0.0.1", server->port());
  int unavailable = 0;  // /api/trends without an index is 503
  for (const char* path : {"/api/trends?term=harvest", "/api/search?q=harvest", "/api/article/abc", "/api/stats",
                           "/api/entities", "/api/quotes", "/api/events", "/api/nope"}) {
    auto result = client.Get(path);
    ASSERT_TRUE(result) << path;
    EXPECT_EQ(result->body.find(empty.path()), std::string::npos) << path << ": " << result->body;
    const Json body = Json::parse(result->body, nullptr, false);
    if (result->status >= 400 && body.is_object() && body.contains("status")) {
      EXPECT_EQ(body["status"], result->status) << path << ": " << result->body;
    }
    if (result->status == 503) {
      ++unavailable;
      EXPECT_EQ(result->get_header_value("Retry-After"), "2") << path;
    }
  }
  EXPECT_GT(unavailable, 0);
}

TEST_F(HardeningTest, ImpossibleDatesAreRejected) {
  ServerOptions options;
  options.data_dir = data_->path();
  auto server = StartServer(options);
  ASSERT_TRUE(server);
  httplib::Client client("127.0.0.1", server->port());
  for (const char* path : {"/api/search?q=harvest&from=2024-02-31", "/api/search?q=harvest&to=2023-02-29",
                           "/api/search?q=harvest&from=2024-04-31"}) {
    auto result = client.Get(path);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 400) << path << ": " << result->body;
  }
  auto leap = client.Get("/api/search?q=harvest&from=2024-02-29");
  ASSERT_TRUE(leap);
  EXPECT_EQ(leap->status, 200) << leap->body;
}

// Sixteen clients sending the costliest query allowed (kMaxQueryWildcards
// prefixes) at once, and one sending 200 wildcards: the latter is refused at
// once, the former answer, and a plain request still gets through.
TEST_F(HardeningTest, ConcurrentWildcardQueriesDoNotStallOthers) {
  ServerOptions options;
  options.data_dir = data_->path();
  auto server = StartServer(options);
  ASSERT_TRUE(server);
  const int port = server->port();
  std::string allowed, hostile;
  for (int i = 0; i < kMaxQueryWildcards; ++i) allowed += std::string(1, static_cast<char>('a' + i)) + "*+OR+";
  allowed += "harvest";
  for (int i = 0; i < 200; ++i) hostile += std::string(1, static_cast<char>('a' + i % 26)) + "*+";
  std::atomic<bool> stop{false};
  std::atomic<int> answered{0}, failed{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 16; ++i) {
    clients.emplace_back([&] {
      httplib::Client client("127.0.0.1", port);
      client.set_read_timeout(30, 0);
      while (!stop) {
        auto r = client.Get("/api/search?q=" + allowed);
        if (r && r->status == 200) {
          ++answered;
        } else {
          ++failed;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(30, 0);
  auto start = Clock::now();
  auto refused = client.Get("/api/search?q=" + hostile);
  const double refused_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400) << refused->body;
  EXPECT_NE(refused->body.find("wildcards"), std::string::npos) << refused->body;
  start = Clock::now();
  auto plain = client.Get("/api/search?q=harvest");
  const double plain_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  stop = true;
  for (std::thread& t : clients) t.join();
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 200);
  EXPECT_GT(answered.load(), 0);
  EXPECT_EQ(failed.load(), 0);
  // Bounds for a loaded machine: the issue saw 17 s stalls.
  EXPECT_LT(refused_seconds, 5.0);
  EXPECT_LT(plain_seconds, 2 * kSearchTimeLimitSeconds + 3);
}

// A 50 MB JSON paste to /api/ingest: read within the ingest byte budget,
// then refused by the extraction budget (engine.h IngestBudgets) without
// parsing it as a page; memory stays a small multiple of the body.
#if defined(__SANITIZE_THREAD__)
constexpr bool kThreadSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
constexpr bool kThreadSanitizer = true;
#else
constexpr bool kThreadSanitizer = false;
#endif
#else
constexpr bool kThreadSanitizer = false;
#endif

TEST_F(HardeningTest, FiftyMegabyteJsonBodyIsRefusedQuickly) {
  TempDir data;
  ServerOptions options;
  options.data_dir = data.path();
  options.allow_ingest = true;
  auto server = StartServer(options);
  ASSERT_TRUE(server);
  std::string body = "{\"text\": \"Huge Paste\\n\\n";
  while (body.size() < (size_t{50} << 20)) body += "The quick brown fox jumps over the lazy dog. ";
  body += "\"}";
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  const long peak_before_kib = usage.ru_maxrss;
  httplib::Client client("127.0.0.1", server->port());
  client.set_read_timeout(120, 0);
  client.set_write_timeout(120, 0);
  const auto start = Clock::now();
  auto result = client.Post("/api/ingest", body, "application/json");
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 422) << result->body.substr(0, 300);
  EXPECT_NE(result->body.find("over the extraction budget"), std::string::npos) << result->body.substr(0, 300);
  EXPECT_LT(seconds, 30.0);  // 300 s before the budgets
  getrusage(RUSAGE_SELF, &usage);
  // The client's copy of the body is counted too; the issue saw 1.9 GB.
  // ThreadSanitizer shadows every byte several times over: no RSS bound there.
  if (!kThreadSanitizer) {
    EXPECT_LT(usage.ru_maxrss - peak_before_kib, 512L << 10)
        << "peak RSS grew by " << ((usage.ru_maxrss - peak_before_kib) >> 10) << " MiB";
  }
  auto stats = client.Get("/api/stats");
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->status, 200);
}

// Another writer holds the data directory (its Xapian lock and an open
// SQLite write transaction, as an ingest in the middle of a batch does):
// /api/ingest answers 409 with Retry-After at once, not after lock timeouts.
TEST_F(HardeningTest, BusyWriterGets409AtOnce) {
  TempDir data;
  {
    auto engine = Engine::Open(data.path(), Engine::Mode::kWrite);
    ASSERT_TRUE(engine.ok());
    ASSERT_TRUE((*engine)->Ingest({testing::SampleDir()}, {}, nullptr).ok());
  }
  auto writer = Engine::Open(data.path(), Engine::Mode::kWrite);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(DataDir{data.path()}.StorePath().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  ServerOptions options;
  options.data_dir = data.path();
  options.allow_ingest = true;
  auto server = StartServer(options);
  ASSERT_TRUE(server);
  httplib::Client client("127.0.0.1", server->port());
  client.set_read_timeout(60, 0);
  const auto start = Clock::now();
  auto result = client.Post("/api/ingest", Json{{"text", "Walrus Count\n\nThe walruses were counted."}}.dump(),
                            "application/json");
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 409) << result->body;
  EXPECT_EQ(result->get_header_value("Retry-After"), "2");
  EXPECT_EQ(result->body.find(data.path()), std::string::npos) << result->body;
  EXPECT_LT(seconds, 5.0);  // ~40 s before (lock and busy timeouts)
  // Searches keep answering while the writer holds the lock.
  auto search = client.Get("/api/search?q=harvest");
  ASSERT_TRUE(search);
  EXPECT_EQ(search->status, 200);
}

}  // namespace
}  // namespace echotrace::server

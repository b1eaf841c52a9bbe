// The HTTP server over the sample corpus, fed raw request bytes on a
// loopback socket: every request line, header, body and parameter shape the
// fuzzer finds. The server must answer (or close) and keep serving.
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "fuzz_util.h"
#include "loopback_client.h"
#include "server/server.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace echotrace;
  if (size > (size_t{64} << 10)) return 0;
  static server::Server* server = [] {
    server::ServerOptions options;
    options.data_dir = fuzz::SampleDataDir();
    options.port = 0;
    options.threads = 4;
    options.request_deadline_ms = 2000;
    options.max_body_bytes = 32 << 10;
    auto started = server::Server::Start(options);
    if (!started.ok()) std::abort();
    return std::move(started).value().release();
  }();
  const int fd = testing::ConnectLoopback(server->port(), 5);
  if (fd < 0) __builtin_trap();  // the server stopped accepting
  (void)!send(fd, data, size, MSG_NOSIGNAL);
  shutdown(fd, SHUT_WR);
  (void)testing::ReadAll(fd);
  close(fd);
  return 0;
}

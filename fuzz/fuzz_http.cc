// The HTTP server over the sample corpus, fed raw request bytes on a
// loopback socket: every request line, header, body and parameter shape the
// fuzzer finds. The server must answer (or close) and keep serving.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "fuzz_util.h"
#include "server/server.h"

namespace {

int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  return fd;
}

}  // namespace

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
    auto started = server::Server::Start(options, server::DefaultBackends());
    if (!started.ok()) std::abort();
    return std::move(started).value().release();
  }();
  const int fd = Connect(server->port());
  if (fd < 0) __builtin_trap();  // the server stopped accepting
  (void)!send(fd, data, size, MSG_NOSIGNAL);
  shutdown(fd, SHUT_WR);
  char buffer[4096];
  while (read(fd, buffer, sizeof buffer) > 0) {
  }
  close(fd);
  return 0;
}

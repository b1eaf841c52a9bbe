// serve: the HTTP API and web UI over a data directory (src/server/).
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "cli/cli.h"
#include "core/text.h"
#include "server/server.h"

namespace echotrace::cli {
namespace {

namespace fs = std::filesystem;

// The built UI next to the binary (build/echotrace -> web/dist), else ./web/dist.
std::string DefaultAssetsDir() {
  char self[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  std::error_code ec;
  if (n > 0) {
    const fs::path exe(std::string(self, static_cast<size_t>(n)));
    for (const fs::path& candidate : {exe.parent_path().parent_path() / "web" / "dist",
                                      exe.parent_path().parent_path().parent_path() / "web" / "dist"}) {
      if (fs::is_regular_file(candidate / "index.html", ec)) return candidate.string();
    }
  }
  return "web/dist";
}

int RunServe(const std::string& data_dir, server::ServerOptions options, const std::string& token_file) {
  options.data_dir = data_dir;
  if (!token_file.empty()) {
    std::error_code ec;
    if (!fs::is_regular_file(token_file, ec))
      return Fail(Status::Usage("--token-file: '" + token_file + "' is not a file"));
    std::FILE* file = std::fopen(token_file.c_str(), "rb");
    if (file == nullptr) return Fail(Status::IOError("--token-file: cannot read '" + token_file + "'"));
    char buffer[512];
    const size_t got = std::fread(buffer, 1, sizeof buffer, file);
    std::fclose(file);
    options.token = std::string(TrimAscii(std::string_view(buffer, got)));
  }
  if (options.assets_dir.empty()) options.assets_dir = DefaultAssetsDir();
  auto started = server::Server::Start(options);
  if (!started.ok()) return Fail(started.status());
  std::error_code ec;
  if (!DataDir{data_dir}.HasStore()) {
    std::cerr << "echotrace serve: note: " << data_dir
              << " holds no data yet; searches answer 404 until something is ingested\n";
  }
  if (!fs::is_regular_file(fs::path(options.assets_dir) / "index.html", ec)) {
    std::cerr << "echotrace serve: note: no web UI in " << options.assets_dir
              << " (build it: bash web/build.sh); serving the API only\n";
  }
  std::cout << "echotrace: serving " << data_dir << " at " << (*started)->url() << std::endl;
  (*started)->Wait();
  return 0;
}

}  // namespace

void AddServerCommands(CLI::App& app, Context* context) {
  struct Flags {
    server::ServerOptions options;
    std::string token_file;
    size_t max_ingest_mb = 64;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* serve = app.add_subcommand("serve", "serve the JSON API and the web UI (loopback by default)");
  serve->add_option("--bind", f->options.bind, "address to listen on (default 127.0.0.1)");
  serve->add_option("--port", f->options.port, "port (default 8080; 0: any free port)")->check(CLI::Range(0, 65535));
  serve->add_flag("--allow-ingest", f->options.allow_ingest, "accept POST /api/ingest (uploads and pasted text)");
  serve->add_option("--token-file", f->token_file,
                    "file holding the token write endpoints require when --bind is not loopback");
  serve->add_option("--assets", f->options.assets_dir, "built web UI folder (default: web/dist beside the build)");
  serve->add_option("--threads", f->options.threads, "worker threads (default 16)")->check(CLI::Range(1, 256));
  serve->add_option("--allow-host", f->options.allow_hosts,
                    "a host name clients may use besides loopback names and --bind (repeatable; '*': any)");
  serve->add_option("--allow-origin", f->options.allow_origins,
                    "a web origin (https://tools.example.org) whose pages may call the API (repeatable)");
  serve
      ->add_option("--request-deadline-ms", f->options.request_deadline_ms,
                   "total time a client has to send a request and read the answer (default 15000)")
      ->check(CLI::Range(100, 3600000));
  serve->add_option("--max-ingest-mb", f->max_ingest_mb, "largest ingest upload in MiB (default 64)")
      ->check(CLI::Range(1, 4096));
  serve->callback([f, context] {
    f->options.max_ingest_bytes = f->max_ingest_mb << 20;
    context->exit_code = RunServe(context->data_dir, f->options, f->token_file);
  });
}

}  // namespace echotrace::cli

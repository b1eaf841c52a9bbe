// echotrace command line: the root app and its global flags. Each stage's
// subcommands are registered by a file of their own (see cli/cli.h).
#include <CLI/CLI.hpp>
#include <string>

#include "cli/cli.h"
#include "engine/engine.h"

namespace {

std::string JoinArgs(int argc, char** argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) out += ' ';
    out += argv[i];
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace echotrace;
  CLI::App app{"echotrace: ingest, search and trace DPRK state media and its echoes in the world's press"};
  app.require_subcommand(1);
  app.fallthrough();
  cli::Context context;
  context.data_dir = DefaultDataDir();
  context.command_line = JoinArgs(argc, argv);
  app.add_option("--data", context.data_dir, "data directory (default: $ECHOTRACE_DATA or ./echotrace-data)")
      ->check(CLI::Validator(
          [](std::string& dir) {
            return dir.empty() ? std::string("must name a folder (it is empty)") : std::string();
          },
          "DIR"));

  cli::AddStoreCommands(app, &context);
  cli::AddExtractCommands(app, &context);
  cli::AddAnnotateCommands(app, &context);
  cli::AddLinkCommands(app, &context);
  cli::AddServerCommands(app, &context);
  cli::AddProvenanceCommands(app, &context);
  cli::AddCollectCommands(app, &context);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  return context.exit_code;
}

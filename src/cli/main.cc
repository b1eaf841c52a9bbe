// echotrace command line: the root app and its global flags. Each stage's
// subcommands are registered by a file of their own (see cli/cli.h).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

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

// Optimal string alignment distance, capped: enough to tell a typo from
// another word.
size_t TypoDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

// The closest of `names` to `word` when it is a likely typo of it, else "".
std::string Nearest(std::string_view word, const std::vector<std::string>& names) {
  std::string best;
  size_t best_distance = std::max<size_t>(1, word.size() / 3) + 1;  // a third of the word, at least one edit
  for (const std::string& name : names) {
    const size_t distance = TypoDistance(word, name);
    if (distance < best_distance) {
      best_distance = distance;
      best = name;
    }
  }
  return best;
}

CLI::App* SubcommandNamed(CLI::App& parent, std::string_view name) {
  for (CLI::App* sub : parent.get_subcommands({})) {
    if (sub->get_name() == name) return sub;
  }
  return nullptr;
}

// Before parsing: an unknown subcommand or flag gets a "did you mean" (CLI11
// alone says "A subcommand is required" or lists the extra argument). Returns
// the message, or "" when the words are known.
std::string SuggestFor(CLI::App& app, int argc, char** argv) {
  CLI::App* command = nullptr;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg.rfind("-", 0) == 0) {
      const std::string name(arg.substr(0, arg.find('=')));
      if (name == "--data" && arg.find('=') == std::string_view::npos) ++i;  // its value follows
      if (command == nullptr || name.rfind("--", 0) != 0 || name == "--help" || name == "--data") continue;
      if (command->get_option_no_throw(name) != nullptr) continue;
      std::vector<std::string> flags;
      for (const CLI::Option* option : command->get_options()) {
        for (const std::string& long_name : option->get_lnames()) flags.push_back("--" + long_name);
      }
      const std::string near = Nearest(name, flags);
      return "unknown flag '" + name + "' for '" + command->get_name() + "'" +
             (near.empty() ? "" : "; did you mean '" + near + "'?");
    }
    if (command != nullptr) {
      // A nested subcommand (eval extract/annotate/provenance) or a positional value.
      if (CLI::App* sub = SubcommandNamed(*command, arg)) {
        command = sub;
      } else if (command->get_require_subcommand_min() > 0) {
        std::vector<std::string> names;
        for (const CLI::App* child : command->get_subcommands({})) names.push_back(child->get_name());
        const std::string near = Nearest(arg, names);
        return "unknown command '" + command->get_name() + " " + std::string(arg) + "'" +
               (near.empty() ? "" : "; did you mean '" + command->get_name() + " " + near + "'?");
      }
      continue;
    }
    command = SubcommandNamed(app, arg);
    if (command != nullptr) continue;
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
    const std::string near = Nearest(arg, names);
    return "unknown command '" + std::string(arg) + "'" +
           (near.empty() ? "; `echotrace --help` lists the commands" : "; did you mean '" + near + "'?");
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace echotrace;
  CLI::App app{"echotrace: ingest, search and trace DPRK state media and its echoes in the world's press"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("echotrace ") + ECHOTRACE_VERSION);
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

  if (const std::string suggestion = SuggestFor(app, argc, argv); !suggestion.empty()) {
    std::cerr << "echotrace: " << suggestion << "\n";
    return 2;
  }
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

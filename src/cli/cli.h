// The command line's shared parts: how commands register, and the printing
// helpers they share. Each file in cli/ registers the subcommands of one
// stage (store_commands.cc: ingest/search/show/stats/reindex,
// extract_commands.cc: extract/eval, ...) and stays a thin layer over the
// library: parse flags, call, print.
//
// Exit codes: 0 success, 1 bad input or a failure, 2 bad usage.
// Thread-safety: single-threaded by design (one command per process).
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/engine.h"

namespace echotrace::cli {

using Json = nlohmann::json;

// Shared by every command of one run. A subcommand's callback runs after the
// whole command line is parsed, so `data_dir` is final when it runs.
struct Context {
  std::string data_dir;      // --data, else $ECHOTRACE_DATA, else ./echotrace-data
  std::string command_line;  // argv joined, for the ingest log
  int exit_code = 2;         // set by the command that ran
};

// Registration: each adds its subcommands to `app`; their callbacks set
// context->exit_code. `context` must outlive app.parse().
void AddStoreCommands(CLI::App& app, Context* context);
void AddExtractCommands(CLI::App& app, Context* context);
void AddAnnotateCommands(CLI::App& app, Context* context);  // after AddExtractCommands (extends `eval`)
void AddLinkCommands(CLI::App& app, Context* context);
void AddServerCommands(CLI::App& app, Context* context);      // serve (server_commands.cc)
void AddProvenanceCommands(CLI::App& app, Context* context);  // eval provenance; after AddExtractCommands
// `quotes --newest`: the feed of traced quotes (link_commands.cc).
int RunNewestTraced(const std::string& data_dir, int limit, int offset);
void AddCollectCommands(CLI::App& app, Context* context);  // collect, ledger, export, watch

// Prints "echotrace: <status>" to stderr; returns the exit code for it.
int Fail(const Status& status);
// The same, and when `json` (the command was given --json) also prints the
// error to stdout as {"error": message, "code": stable id, "exit_code": n},
// the envelope the HTTP API uses for errors, so a script reads one shape.
int Fail(bool json, const Status& status);
int ExitCodeFor(const Status& status);
std::string HumanBytes(double bytes);
// Snippets come HTML-escaped with <mark> around matches: renders them for a
// terminal (bold yellow) or a pipe (**word**).
std::string RenderSnippet(const std::string& html, bool color);
// One version as JSON; with_text adds the body and every span (with its key
// and attributes).
Json VersionJson(const StoredVersion& v, bool with_text);
Json SpanJson(const Document& doc, const Span& span);
// Checks a YYYY-MM-DD flag is a calendar date ("2012-13-45" is refused
// with its reason) before any command runs.
CLI::Validator IsoDateValidator();
// The filters `search` and `export QUERY` share, named as the API's
// parameters and the query prefixes are (outlet, kind, entity, event,
// speaker, from, to, sort; --source and --media are the old spellings).
struct SearchFlags {
  SearchRequest request;
  std::string kind;  // state, foreign, all
  std::string sort;  // relevance, date; empty: relevance for words, date for an empty query
};
void AddSearchFilters(CLI::App* command, SearchFlags* flags);
// Completes flags->request from the flags (lowercase outlets, kind, sort).
void FinishSearchFlags(SearchFlags* flags);
// A search refused: the message, and for a query that does not read the
// query with a caret under the place (stderr); with --json also the API's
// error body (QueryErrorJson) plus "exit_code" on stdout.
int FailSearch(bool json, const std::string& query, const Status& status);
// `search` and `export QUERY --format` (store_commands.cc).
int RunSearchExport(const std::string& data_dir, const SearchFlags& flags, const std::string& format, int64_t rows,
                    const std::string& output);
// Warns on stderr about outlets asked for that have no articles, listing the known ones.
void WarnUnknownOutlets(const Engine& engine, const std::vector<std::string>& outlets);

// Errors and warnings to stderr, the first 20 of each.
void PrintIssues(const std::vector<InputIssue>& issues);

// The "records/s, MB/s, %, ETA" line on stderr.
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  void Update(const IngestProgress& p);
  void Done();

 private:
  bool enabled_;
  bool shown_ = false;
};

}  // namespace echotrace::cli

// Shared helpers of the command line (see cli.h).
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "cli/cli.h"
#include "core/text.h"
#include "engine/views.h"
#include "lexicon/calendar.h"

namespace echotrace::cli {

int ExitCodeFor(const Status& status) { return status.code() == StatusCode::kUsage ? 2 : 1; }

int Fail(const Status& status) {
  std::cerr << "echotrace: " << status.ToString() << "\n";
  return ExitCodeFor(status);
}

int Fail(bool json, const Status& status) {
  const int code = Fail(status);
  if (json) {
    std::cout << Json{{"error", status.message()}, {"code", StatusCodeId(status.code())}, {"exit_code", code}}.dump()
              << "\n";
  }
  return code;
}

std::string HumanBytes(double bytes) {
  char buffer[32];
  if (bytes >= 1e9)
    std::snprintf(buffer, sizeof buffer, "%.2f GB", bytes / 1e9);
  else if (bytes >= 1e6)
    std::snprintf(buffer, sizeof buffer, "%.1f MB", bytes / 1e6);
  else if (bytes >= 1e3)
    std::snprintf(buffer, sizeof buffer, "%.1f kB", bytes / 1e3);
  else
    std::snprintf(buffer, sizeof buffer, "%.0f B", bytes);
  return buffer;
}

// Snippets come HTML-escaped with <mark> around matches: render for a terminal.
std::string RenderSnippet(const std::string& html, bool color) {
  std::string out;
  for (size_t i = 0; i < html.size();) {
    auto starts = [&](std::string_view s) { return html.compare(i, s.size(), s) == 0; };
    if (starts("<mark>")) {
      out += color ? "\x1b[1;33m" : "**";
      i += 6;
    } else if (starts("</mark>")) {
      out += color ? "\x1b[0m" : "**";
      i += 7;
    } else if (starts("&amp;")) {
      out += '&';
      i += 5;
    } else if (starts("&lt;")) {
      out += '<';
      i += 4;
    } else if (starts("&gt;")) {
      out += '>';
      i += 4;
    } else if (starts("&quot;")) {
      out += '"';
      i += 6;
    } else if (starts("&#39;")) {
      out += '\'';
      i += 5;
    } else
      out += html[i++];
  }
  return out;
}

Json VersionJson(const StoredVersion& v, bool with_text) {
  Json j = {{"id", v.version_id},
            {"article_id", v.article_id},
            {"version", v.seq},
            {"versions", v.version_count},
            {"latest", v.latest},
            {"title", v.doc.title},
            {"source", v.doc.source},
            {"date", v.doc.date},
            {"url", v.doc.url},
            {"external_id", v.doc.external_id},
            {"origin", v.doc.origin},
            {"format", std::string(InputFormatName(v.doc.format))},
            {"ingested_at", v.ingested_at},
            {"headline_stub", v.doc.IsHeadlineStub()},
            {"warnings", v.doc.warnings},
            {"derived_from", v.doc.derived_from}};
  if (with_text) {
    j["body"] = v.doc.Body();
    Json spans = Json::array();
    for (const Span& span : v.doc.spans) {
      spans.push_back(SpanJson(v.doc, span));
    }
    j["spans"] = std::move(spans);
  }
  return j;
}

void PrintIssues(const std::vector<InputIssue>& issues) {
  constexpr size_t kShown = 20;
  size_t errors = 0, warnings = 0;
  for (const InputIssue& issue : issues) {
    size_t& count = issue.is_error ? errors : warnings;
    if (++count <= kShown) {
      std::cerr << "echotrace: " << (issue.is_error ? "error: " : "warning: ") << issue.where << ": " << issue.message
                << "\n";
    }
  }
  if (errors > kShown) std::cerr << "echotrace: ... and " << errors - kShown << " more errors (see the ingest log)\n";
  if (warnings > kShown) std::cerr << "echotrace: ... and " << warnings - kShown << " more warnings\n";
}

Json SpanJson(const Document& doc, const Span& span) {
  Json j = {{"begin", span.begin},
            {"end", span.end},
            {"kind", std::string(SpanKindName(span.kind))},
            {"label", span.label},
            {"text", std::string(doc.SpanText(span))}};
  if (!span.key.empty()) j["key"] = span.key;
  if (!span.attrs.empty()) {
    Json attrs = Json::object();
    for (const auto& [name, value] : span.attrs) attrs[name] = value;
    j["attrs"] = std::move(attrs);
  }
  return j;
}

void ProgressLine::Update(const IngestProgress& p) {
  if (!enabled_) return;
  const double seconds = p.seconds > 0 ? p.seconds : 1e-9;
  const double rate = static_cast<double>(p.records) / seconds;
  const double mbps = static_cast<double>(p.bytes_done) / 1e6 / seconds;
  char line[200];
  int n = std::snprintf(line, sizeof line, "\r%lld records  %.0f rec/s  %.1f MB/s", static_cast<long long>(p.records),
                        rate, mbps);
  if (p.bytes_total > 0 && p.bytes_done > 0) {
    const double done = static_cast<double>(p.bytes_done) / static_cast<double>(p.bytes_total);
    const double eta = done > 0 ? seconds * (1 - done) / done : 0;
    n += std::snprintf(line + n, sizeof line - static_cast<size_t>(n), "  %3.0f%%  ETA %d:%02d", done * 100,
                       static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
  }
  // The stage, and the file's name (its last 40 bytes, whole characters).
  std::string file = p.file.substr(p.file.rfind('/') == std::string::npos ? 0 : p.file.rfind('/') + 1);
  if (file.size() > 40) {
    size_t cut = file.size() - 40;
    while (cut < file.size() && (static_cast<unsigned char>(file[cut]) & 0xC0) == 0x80) ++cut;
    file = "…" + file.substr(cut);
  }
  n += std::snprintf(line + n, sizeof line - static_cast<size_t>(n), "  %s%s%s",
                     std::string(IngestStageName(p.stage)).c_str(), file.empty() ? "" : " ", file.c_str());
  std::fprintf(stderr, "%s\x1b[K", line);
  std::fflush(stderr);
  shown_ = true;
}

void ProgressLine::Done() {
  if (shown_) std::fprintf(stderr, "\n");
}

CLI::Validator IsoDateValidator() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        lexicon::Ymd day;
        if (value.size() == 10 && lexicon::ParseIsoDay(value, &day)) return {};
        return "'" + value + "' is not a calendar date (YYYY-MM-DD)";
      },
      "YYYY-MM-DD");
}

void AddSearchFilters(CLI::App* command, SearchFlags* flags) {
  SearchRequest& r = flags->request;
  command->add_option("--outlet,--source", r.sources, "only these outlets (repeatable; query prefix outlet:)");
  command->add_option("--kind,--media", flags->kind, "state (DPRK state media), foreign or all (prefix kind:)")
      ->check(CLI::IsMember({"state", "foreign", "all"}));
  command->add_option("--entity", r.entities, "only articles mentioning this entity id (repeatable: all; entity:)");
  command->add_option("--event", r.events, "only articles mentioning this event key (repeatable: all; event:)");
  command->add_option("--speaker", r.speakers, "only articles quoting this speaker id (repeatable: all; speaker:)");
  command->add_option("--from", r.from_date, "published on or after (YYYY-MM-DD)")->check(IsoDateValidator());
  command->add_option("--to", r.to_date, "published on or before (YYYY-MM-DD)")->check(IsoDateValidator());
  command->add_option("--sort", flags->sort, "relevance or date (newest first); default: date for an empty query")
      ->check(CLI::IsMember({"relevance", "date"}));
  command->add_flag("--all-versions", r.all_versions, "search every version, not only the latest");
}

void FinishSearchFlags(SearchFlags* flags) {
  for (auto& source : flags->request.sources) source = AsciiLower(source);
  flags->request.media = flags->kind == "all" ? "" : flags->kind;
  flags->request.sort = SearchSortFromName(flags->sort).value_or(SearchSort::kDefault);
}

int FailSearch(bool json, const std::string& query, const Status& status) {
  const int code = Fail(status);
  const Json error = QueryErrorJson(query, status);
  if (error.contains("position")) {
    // The query again, with a caret under the character at fault.
    const size_t position = error["position"].get<size_t>();
    std::string pad;
    size_t chars = 0;
    for (const char c : query) {
      if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && ++chars >= position) break;
      if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) pad += c == '\t' ? '\t' : ' ';
    }
    std::cerr << "  " << query << "\n  " << pad << "^\n";
  }
  if (json) {
    Json out = error;
    out["exit_code"] = code;
    std::cout << out.dump() << "\n";
  }
  return code;
}

void WarnUnknownOutlets(const Engine& engine, const std::vector<std::string>& outlets) {
  for (const std::string& warning : UnknownOutletWarnings(engine, outlets)) {
    std::cerr << "echotrace: warning: " << warning << "\n";
  }
}

}  // namespace echotrace::cli

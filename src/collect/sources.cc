#include "collect/sources.h"

#include <toml++/toml.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

namespace echotrace {
namespace {

// The keys each table accepts; a typo is an error that lists them.
constexpr std::string_view kCollectKeys[] = {"per_host_delay", "timeout",          "max_bytes",
                                             "max_redirects",  "user_agent",       "robots",
                                             "webhook",        "webhook_attempts", "webhook_backoff"};
constexpr std::string_view kSourceKeys[] = {"name", "url", "pattern", "outlet"};

template <size_t N>
Status CheckKeys(const toml::table& table, const std::string_view (&valid)[N], std::string_view where) {
  for (const auto& [key, value] : table) {
    bool known = false;
    for (std::string_view k : valid) known = known || k == key.str();
    if (known) continue;
    std::string list;
    for (std::string_view k : valid) list += (list.empty() ? "" : ", ") + std::string(k);
    return Status::Usage(std::string(where) + ":" + std::to_string(value.source().begin.line) + ": unknown key '" +
                         std::string(key.str()) + "' (valid: " + list + ")");
  }
  return Status::Ok();
}

std::string At(std::string_view origin, const toml::node& node) {
  return std::string(origin) + ":" + std::to_string(node.source().begin.line);
}

}  // namespace

Result<double> ParseDurationSeconds(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const std::string_view unit(end, static_cast<size_t>(text.data() + text.size() - end));
  if (ec != std::errc() || value < 0) {
    return Status::Usage("bad duration '" + std::string(text) + "' (expected e.g. 500ms, 90s, 15m, 2h)");
  }
  double seconds = 0;
  if (unit == "ms") {
    seconds = value / 1000;
  } else if (unit == "s" || unit.empty()) {
    seconds = value;
  } else if (unit == "m") {
    seconds = value * 60;
  } else if (unit == "h") {
    seconds = value * 3600;
  } else {
    return Status::Usage("bad duration unit in '" + std::string(text) + "' (expected ms, s, m or h)");
  }
  // Callers turn durations into integer milliseconds: "inf", "nan" and
  // 1e30 s would overflow that conversion (found by fuzz_feed).
  if (!(seconds <= kMaxDurationSeconds)) {
    return Status::Usage("duration '" + std::string(text) + "' is over the longest allowed, 30 days");
  }
  return seconds;
}

Result<CollectConfig> ParseSources(std::string_view text, std::string_view origin) {
  toml::table root;
  try {
    root = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    return Status::Usage(std::string(origin) + ":" + std::to_string(e.source().begin.line) + ": " +
                         std::string(e.description()));
  }
  CollectConfig config;
  for (const auto& [key, value] : root) {
    if (key.str() != "collect" && key.str() != "source") {
      return Status::Usage(At(origin, value) + ": unknown table '" + std::string(key.str()) +
                           "' (valid: [collect], [[source]])");
    }
  }
  if (const toml::table* collect = root["collect"].as_table()) {
    ET_RETURN_IF_ERROR(CheckKeys(*collect, kCollectKeys, origin));
    auto duration = [&](std::string_view key, double* seconds) -> Status {
      const toml::node* node = collect->get(key);
      if (node == nullptr) return Status::Ok();
      auto parsed = ParseDurationSeconds(node->value_or(std::string_view()));
      if (!parsed.ok()) return parsed.status().WithContext(At(origin, *node));
      *seconds = *parsed;
      return Status::Ok();
    };
    double delay = static_cast<double>(config.fetch.per_host_delay.count()) / 1000;
    double timeout = static_cast<double>(config.fetch.timeout_ms) / 1000;
    ET_RETURN_IF_ERROR(duration("per_host_delay", &delay));
    ET_RETURN_IF_ERROR(duration("timeout", &timeout));
    double backoff = static_cast<double>(config.webhook_backoff.count()) / 1000;
    ET_RETURN_IF_ERROR(duration("webhook_backoff", &backoff));
    config.webhook_backoff = std::chrono::milliseconds(static_cast<long>(backoff * 1000));
    // A number present must be an integer in range: a negative max_bytes
    // cast to size_t would lift the bound, "10MB" would be silently ignored.
    auto integer = [&](std::string_view key, int64_t low, int64_t high, int64_t* out) -> Status {
      const toml::node* node = collect->get(key);
      if (node == nullptr) return Status::Ok();
      const std::optional<int64_t> value = node->value_exact<int64_t>();
      if (!value || *value < low || *value > high) {
        return Status::Usage(At(origin, *node) + ": " + std::string(key) + " must be an integer from " +
                             std::to_string(low) + " to " + std::to_string(high));
      }
      *out = *value;
      return Status::Ok();
    };
    auto string = [&](std::string_view key, std::string* out) -> Status {
      const toml::node* node = collect->get(key);
      if (node == nullptr) return Status::Ok();
      const std::optional<std::string> value = node->value_exact<std::string>();
      if (!value) return Status::Usage(At(origin, *node) + ": " + std::string(key) + " must be a string");
      *out = *value;
      return Status::Ok();
    };
    int64_t attempts = config.webhook_attempts;
    ET_RETURN_IF_ERROR(integer("webhook_attempts", 1, 20, &attempts));
    config.webhook_attempts = static_cast<int>(attempts);
    int64_t max_bytes = static_cast<int64_t>(config.fetch.max_bytes);
    ET_RETURN_IF_ERROR(integer("max_bytes", 1024, int64_t{1} << 30, &max_bytes));
    config.fetch.max_bytes = static_cast<size_t>(max_bytes);
    int64_t redirects = config.fetch.max_redirects;
    ET_RETURN_IF_ERROR(integer("max_redirects", 0, 20, &redirects));
    config.fetch.max_redirects = static_cast<long>(redirects);
    config.fetch.per_host_delay = std::chrono::milliseconds(static_cast<long>(delay * 1000));
    config.fetch.timeout_ms = static_cast<long>(timeout * 1000);
    ET_RETURN_IF_ERROR(string("user_agent", &config.fetch.user_agent));
    ET_RETURN_IF_ERROR(string("webhook", &config.webhook));
    if (const toml::node* robots = collect->get("robots")) {
      const std::optional<bool> value = robots->value_exact<bool>();
      if (!value) return Status::Usage(At(origin, *robots) + ": robots must be true or false");
      config.fetch.obey_robots = *value;
    }
  }
  std::set<std::string> names;
  if (const toml::array* sources = root["source"].as_array()) {
    for (const toml::node& node : *sources) {
      const toml::table* table = node.as_table();
      if (table == nullptr) return Status::Usage(At(origin, node) + ": [[source]] must be a table");
      ET_RETURN_IF_ERROR(CheckKeys(*table, kSourceKeys, origin));
      Source source;
      source.name = (*table)["name"].value_or(std::string());
      source.url = (*table)["url"].value_or(std::string());
      source.pattern = (*table)["pattern"].value_or(std::string());
      source.outlet = (*table)["outlet"].value_or(std::string());
      if (source.name.empty() || source.url.empty()) {
        return Status::Usage(At(origin, node) + ": a [[source]] needs a name and a url");
      }
      if (HostOf(source.url).empty()) {
        return Status::Usage(At(origin, node) + ": source '" + source.name + "': url must be http(s)");
      }
      if (!names.insert(source.name).second) {
        return Status::Usage(At(origin, node) + ": two sources are named '" + source.name + "'");
      }
      config.sources.push_back(std::move(source));
    }
  }
  return config;
}

Result<CollectConfig> LoadSources(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return Status::NotFound(path + ": no such sources file");
    return Status::IOError(path + ": cannot read");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParseSources(text.str(), path);
}

CollectConfig SourcesFromUrls(const std::vector<std::string>& urls) {
  CollectConfig config;
  for (const std::string& url : urls) config.sources.push_back({url, url, "", ""});
  return config;
}

}  // namespace echotrace

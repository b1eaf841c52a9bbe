#include "lexicon/outlets.h"

#include <string>
#include <vector>

#include "core/text.h"

namespace echotrace {
namespace lexicon_internal {
extern const std::string_view kOutletsTsv;
}

namespace {

struct OutletRow {
  Outlet outlet;
  std::vector<std::string> domains;
  std::vector<std::string> names;  // folded: id, display name, aliases
};

const std::vector<OutletRow>& Table() {
  static const std::vector<OutletRow> table = [] {
    std::vector<OutletRow> rows;
    for (std::string_view line : SplitTrimmed(lexicon_internal::kOutletsTsv, '\n')) {
      if (line.empty() || line[0] == '#') continue;
      const std::vector<std::string_view> columns = SplitTrimmed(line, '\t');
      if (columns.size() < 3) continue;
      OutletRow row;
      row.outlet = {columns[0], columns[1], columns[2] == "state", {}};
      row.names = {FoldForKey(columns[0]), FoldForKey(columns[1])};
      if (columns.size() > 3) {
        for (std::string_view domain : SplitTrimmed(columns[3], ',')) {
          if (!domain.empty()) row.domains.push_back(AsciiLower(domain));
        }
      }
      if (columns.size() > 4) {
        for (std::string_view alias : SplitTrimmed(columns[4], ',')) {
          if (alias.empty()) continue;
          row.names.push_back(FoldForKey(alias));
          row.outlet.aliases.push_back(alias);
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }();
  return table;
}

}  // namespace

std::vector<const Outlet*> AllOutlets() {
  std::vector<const Outlet*> out;
  for (const OutletRow& row : Table()) out.push_back(&row.outlet);
  return out;
}

const Outlet* FindOutletByName(std::string_view name) {
  const std::string key = FoldForKey(name);
  if (key.empty()) return nullptr;
  for (const OutletRow& row : Table()) {
    for (const std::string& candidate : row.names) {
      if (candidate == key) return &row.outlet;
    }
  }
  return nullptr;
}

bool IsStateMediaSource(std::string_view source) {
  const Outlet* outlet = source.empty() ? nullptr : FindOutletByName(source);
  return outlet != nullptr && outlet->state_media;
}

std::string_view MediaKindOfSource(std::string_view source) { return IsStateMediaSource(source) ? "state" : "foreign"; }

const Outlet* FindOutletByUrl(std::string_view url) {
  url = TrimAscii(url);
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return nullptr;
  std::string_view host = url.substr(scheme + 3);
  host = host.substr(0, host.find_first_of("/?#:"));
  const std::string lower = AsciiLower(host);
  for (const OutletRow& row : Table()) {
    for (const std::string& domain : row.domains) {
      if (lower == domain ||
          (lower.size() > domain.size() && lower.compare(lower.size() - domain.size(), domain.size(), domain) == 0 &&
           lower[lower.size() - domain.size() - 1] == '.')) {
        return &row.outlet;
      }
    }
  }
  return nullptr;
}

}  // namespace echotrace

#include "lexicon/zones.h"

#include <array>
#include <cstdio>

#include "core/text.h"

namespace echotrace::lexicon {
namespace {

struct NamedZone {
  std::string_view name;  // lower case
  std::string_view offset;
};
// Zones the outlets in data/outlets.tsv and the wires that cover them write.
constexpr std::array<NamedZone, 18> kNamedZones = {{{"kst", "+09:00"},
                                                    {"jst", "+09:00"},
                                                    {"sgt", "+08:00"},
                                                    {"hkt", "+08:00"},
                                                    {"cst", "+08:00"},  // China Standard Time (see header)
                                                    {"ist", "+05:30"},
                                                    {"gmt", "+00:00"},
                                                    {"utc", "+00:00"},
                                                    {"est", "-05:00"},
                                                    {"edt", "-04:00"},
                                                    {"cdt", "-05:00"},
                                                    {"pst", "-08:00"},
                                                    {"pdt", "-07:00"},
                                                    {"cet", "+01:00"},
                                                    {"cest", "+02:00"},
                                                    {"bst", "+01:00"},
                                                    {"msk", "+03:00"},
                                                    {"mst", "-07:00"}}};

bool Digits(std::string_view s, size_t min, size_t max) {
  if (s.size() < min || s.size() > max) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int ToInt(std::string_view s) {
  int value = 0;
  for (char c : s) value = value * 10 + (c - '0');
  return value;
}

// US Eastern time: daylight saving from the second Sunday of March to the
// first Sunday of November (rules of 2007 on; earlier years used April and
// October, which the pages this tool reads rarely need).
bool UsDaylightSaving(const Ymd& date) {
  if (date.month < 3 || date.month > 11) return false;
  if (date.month > 3 && date.month < 11) return true;
  const int64_t first = DaysFromCivil(date.year, date.month, 1);
  const int first_sunday = 1 + (7 - Weekday(first)) % 7;
  if (date.month == 3) return date.day >= first_sunday + 7;
  return date.day < first_sunday;
}

}  // namespace

bool IsZoneName(std::string_view word) {
  const std::string lower = AsciiLower(word);
  if (lower == "et") return true;
  for (const NamedZone& zone : kNamedZones) {
    if (lower == zone.name) return true;
  }
  return false;
}

std::string ZoneOffset(std::string_view word, const Ymd* date) {
  const std::string lower = AsciiLower(word);
  for (const NamedZone& zone : kNamedZones) {
    if (lower == zone.name) return std::string(zone.offset);
  }
  if (lower == "et") {
    if (date == nullptr || date->year == 0 || date->month == 0 || date->day == 0) return {};
    return UsDaylightSaving(*date) ? "-04:00" : "-05:00";
  }
  if (!lower.starts_with("gmt") && !lower.starts_with("utc")) return {};
  std::string_view rest = std::string_view(lower).substr(3);
  if (rest.empty() || (rest[0] != '+' && rest[0] != '-')) return {};
  const char sign = rest[0];
  rest.remove_prefix(1);
  const size_t colon = rest.find(':');
  const std::string_view hours_text = rest.substr(0, colon);
  if (!Digits(hours_text, 1, 2)) return {};
  const int hours = ToInt(hours_text);
  int minutes = 0;
  if (colon != std::string_view::npos) {
    if (!Digits(rest.substr(colon + 1), 2, 2)) return {};
    minutes = ToInt(rest.substr(colon + 1));
  }
  if (hours > 14 || minutes > 59) return {};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%c%02d:%02d", sign, hours, minutes);
  return buffer;
}

}  // namespace echotrace::lexicon

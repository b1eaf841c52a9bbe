// Plain-text pages: pages already flattened to text (copied from a browser,
// saved by a scraper). One block per line, or per paragraph when the text is
// hard-wrapped. Rules that hold on any news site mark page chrome, source
// lines, datelines, captions, editorial marks, teaser lists and comment forms
// as typed boilerplate spans; the rest is the article.
//
// Cost: linear in the input; no regular expressions.
#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "core/text.h"
#include "extract/blocks.h"
#include "extract/extract.h"
#include "lexicon/calendar.h"
#include "lexicon/outlets.h"
#include "lexicon/zones.h"

namespace echotrace::extract_internal {
namespace {

bool IsBlankLine(std::string_view line) { return TrimAscii(line).empty(); }

// A paragraph hard-wrapped at a fixed width (e-mail style): several lines of
// similar, moderate length. Pages flattened to text put one paragraph per
// line instead, with lines of very different lengths.
bool LooksHardWrapped(const std::vector<std::string_view>& lines) {
  if (lines.size() < 3) return false;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    const size_t n = TrimAscii(lines[i]).size();
    if (n < 40 || n > 100) return false;
  }
  return true;
}

// A headline: short, one line, no sentence-final full stop.
bool LooksLikeHeadline(std::string_view line) {
  line = TrimAscii(line);
  return !line.empty() && line.size() <= 250 && line.back() != '.' && line.back() != ':';
}

bool StartsWithFolded(std::string_view folded, std::string_view prefix) {
  return folded.substr(0, prefix.size()) == prefix;
}

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (char c : text) {
    if (c == ' ' || c == '(' || c == ')' || c == ',' || c == '|' || c == '/') {
      if (!current.empty()) words.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

int MonthNumber(std::string_view word) { return lexicon::MonthNumber(AsciiLower(word)); }

// "City, Month Day (Outlet) -- ... Month Day[, Juche N] (YYYY) ..." -> the
// dateline's day in the year the paragraph names (see the caller). Leaves
// *iso untouched when the paragraph is not of that shape. Linear in `text`.
void DatelessDateline(std::string_view text, std::string* iso) {
  const std::string_view head = text.substr(0, 80);
  const size_t comma = head.find(", ");
  const size_t open = head.find(" (");
  if (comma == std::string_view::npos || open == std::string_view::npos || open < comma) return;
  const std::string_view month_day = head.substr(comma + 2, open - comma - 2);  // "March 29"
  const size_t space = month_day.find(' ');
  if (space == std::string_view::npos) return;
  const int month = MonthNumber(month_day.substr(0, space));
  int day = 0;
  for (const char ch : month_day.substr(space + 1)) {
    if (ch < '0' || ch > '9' || day > 31) return;
    day = day * 10 + (ch - '0');
  }
  if (month == 0 || day < 1 || day > 31) return;
  // The first "(YYYY)" after the dateline, with the month and day before it.
  for (size_t at = text.find('(', open + 2); at != std::string_view::npos && at + 5 < text.size();
       at = text.find('(', at + 1)) {
    const std::string_view digits = text.substr(at + 1, 4);
    if (text[at + 5] != ')' || digits.find_first_not_of("0123456789") != std::string_view::npos) continue;
    const int year = (digits[0] - '0') * 1000 + (digits[1] - '0') * 100 + (digits[2] - '0') * 10 + (digits[3] - '0');
    if (year < 1945 || year > 2200) return;
    // The reported day: the "Month Day" closest before the year.
    const std::string_view before = text.substr(0, at);
    const size_t month_at = before.rfind(month_day.substr(0, space));
    if (month_at == std::string_view::npos || at - month_at > 40) return;
    int reported = 0;
    for (size_t k = month_at + space + 1; k < before.size() && before[k] >= '0' && before[k] <= '9'; ++k) {
      reported = reported * 10 + (before[k] - '0');
    }
    if (reported < 1 || reported > day || day - reported > 7) return;
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
    *iso = buffer;
    return;
  }
}

bool IsNumber(std::string_view w, size_t min_digits, size_t max_digits) {
  if (w.size() < min_digits || w.size() > max_digits) return false;
  for (char c : w) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsTime(std::string_view w) {  // 08:59, 08:59AM, 8:59pm, 08:59:00
  const size_t colon = w.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2) return false;
  std::string rest = AsciiLower(w.substr(colon + 1));
  if (rest.size() >= 2 && (rest.ends_with("am") || rest.ends_with("pm"))) rest.resize(rest.size() - 2);
  // Minutes "59", or minutes and seconds "59:00": digits (ReadTime parses them; "9:::::" is no time).
  const bool minutes = IsNumber(rest, 2, 2) || (rest.size() == 5 && rest[2] == ':' &&
                                                IsNumber(rest.substr(0, 2), 2, 2) && IsNumber(rest.substr(3), 2, 2));
  return IsNumber(w.substr(0, colon), 1, 2) && minutes;
}

// A line that is nothing but a publication date and time: "29 Mar 2022
// 08:59AM (Updated: 29 Mar 2022 08:59AM)", "January 30, 2026",
// "Published: Tuesday, March 29, 2022, 10:00 KST". Sets *iso to the first date.
}  // namespace

namespace {

// One date and time as a line states it; fields 0 / empty when absent.
struct Stamp {
  int year = 0, month = 0, day = 0, hour = -1, minute = -1;
  std::string zone;  // "+09:00", "Z"
  bool pm = false, am = false;
};

// "2024-09-03", "2024.04.18." as a whole word.
bool NumericDate(std::string_view w, Stamp* stamp) {
  if (w.ends_with('.')) w.remove_suffix(1);
  if (w.size() != 10 || (w[4] != '-' && w[4] != '.') || w[7] != w[4]) return false;
  if (!IsNumber(w.substr(0, 4), 4, 4) || !IsNumber(w.substr(5, 2), 2, 2) || !IsNumber(w.substr(8, 2), 2, 2)) {
    return false;
  }
  stamp->year = std::stoi(std::string(w.substr(0, 4)));
  stamp->month = std::stoi(std::string(w.substr(5, 2)));
  stamp->day = std::stoi(std::string(w.substr(8, 2)));
  return true;
}

bool ReadTime(std::string_view w, Stamp* stamp) {
  if (!IsTime(w)) return false;
  const size_t colon = w.find(':');
  stamp->hour = std::stoi(std::string(w.substr(0, colon)));
  stamp->minute = std::stoi(std::string(w.substr(colon + 1, 2)));
  const std::string lower = AsciiLower(w);
  stamp->pm = lower.ends_with("pm");
  stamp->am = lower.ends_with("am");
  return true;
}

std::string StampKey(const Stamp& stamp) {
  std::string iso;
  if (!FormatIsoDate(stamp.year, stamp.month, stamp.day, &iso)) return {};
  if (stamp.hour < 0) return iso;
  int hour = stamp.hour;
  if (stamp.pm && hour < 12) hour += 12;
  if (stamp.am && hour == 12) hour = 0;
  if (hour > 23 || stamp.minute > 59) return iso;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "T%02d:%02d", hour, stamp.minute);
  return iso + buffer + stamp.zone;
}

}  // namespace

bool ParseDateLineParts(std::string_view line, DateLineParts* parts) {
  if (line.size() > 120) return false;
  static constexpr std::array<std::string_view, 15> kFiller = {
      "published", "published:", "posted", "posted:", "on",    "at",       "-",      "—",
      "–",         "last",       "et",     "date:",   "juche", "created:", "issued:"};
  const std::vector<std::string> words = Words(line);
  Stamp stamps[2];
  int which = 0;  // 0: the publication stamp; 1: after "Updated"
  int juche = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    const std::string lower = AsciiLower(w);
    Stamp& stamp = stamps[which];
    if (lower == "updated" || lower == "updated:" || lower == "modified" || lower == "modified:") {
      if (stamps[0].year != 0) which = 1;
      continue;
    }
    std::string_view month_word = w;
    if (month_word.ends_with('.')) month_word.remove_suffix(1);  // "Oct. 10"
    if (const int m = MonthNumber(month_word); m != 0) {
      if (stamp.month == 0) {
        stamp.month = m;
        if (i > 0 && IsNumber(words[i - 1], 1, 2)) stamp.day = std::stoi(words[i - 1]);
        if (stamp.day == 0 && i + 1 < words.size() && IsNumber(words[i + 1], 1, 2)) stamp.day = std::stoi(words[i + 1]);
      }
      continue;
    }
    if (stamp.year == 0 && NumericDate(w, &stamp)) continue;
    if (IsNumber(w, 4, 4)) {
      if (stamp.year == 0 && stamp.month != 0) stamp.year = std::stoi(w);
      continue;
    }
    if (i > 0 && AsciiLower(words[i - 1]) == "juche" && IsNumber(w, 1, 3)) {  // "May 10, Juche 113 (2024)"
      juche = std::stoi(w);
      continue;
    }
    if (ReadTime(w, &stamp)) continue;
    if (IsNumber(w, 1, 2)) continue;
    if (lower == "am" || lower == "a.m." || lower == "pm" || lower == "p.m.") {
      (lower[0] == 'p' ? stamp.pm : stamp.am) = true;
      continue;
    }
    if (lower == "by" && stamps[0].year != 0) break;  // "Posted on November 5, 2023 by admin"
    const lexicon::Ymd stamp_date{stamp.year, stamp.month, stamp.day};
    if (std::string zone = lexicon::ZoneOffset(lower, &stamp_date); !zone.empty()) {  // "KST", "GMT+9"
      if (stamp.zone.empty()) stamp.zone = zone;
      continue;
    }
    bool filler = false;
    for (std::string_view ago : {"ago", "hour", "hours", "minute", "minutes", "min", "mins", "day", "days"}) {
      filler |= lower == ago;  // "Updated 2 hours ago"
    }
    for (std::string_view f : kFiller) filler |= lower == f;
    filler |= lexicon::WeekdayNumber(lower) != 0;
    if (!filler) return false;
  }
  const Stamp& first = stamps[0];
  if (first.year == 0 || first.month == 0 || first.day == 0) return false;
  if (juche != 0 && juche + lexicon::kJucheOffset != first.year) return false;  // a mismatch is no date
  DateLineParts out;
  if (!FormatIsoDate(first.year, first.month, first.day, &out.date)) return false;
  // A zone stated once ("May 2, 2024 8:41 AM GMT+9 Updated 10:15 AM") holds for both.
  Stamp updated = stamps[1];
  if (updated.zone.empty()) updated.zone = first.zone;
  if (updated.year == 0 && updated.hour >= 0)
    updated.year = first.year, updated.month = first.month, updated.day = first.day;
  out.key = StampKey(first);
  if (updated.year != 0 && updated.month != 0 && updated.day != 0) out.updated = StampKey(updated);
  *parts = std::move(out);
  return true;
}

namespace {

bool StartsUpper(std::string_view word) {
  return !word.empty() && ((word[0] >= 'A' && word[0] <= 'Z') || static_cast<unsigned char>(word[0]) >= 0x80);
}

// "HANNAH PARK" -> "Hannah Park", "MIN-HO" -> "Min-Ho"; mixed case is kept.
std::string TitleCaseIfShouting(std::string_view name) {
  bool has_lower = false;
  for (char c : name) has_lower |= c >= 'a' && c <= 'z';
  std::string out(name);
  if (has_lower) return out;
  bool word_start = true;
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z' && !word_start) c = static_cast<char>(c - 'A' + 'a');
    word_start = c == ' ' || c == '-';
  }
  return out;
}

// "Seo Ji-woo in Seoul and Dana Whitfield in Tokyo" -> {"Seo Ji-woo",
// "Dana Whitfield"}; false if a part does not read as a name.
bool SplitNames(std::string_view text, std::vector<std::string>* names) {
  std::string list(TrimAscii(text));
  for (std::string_view joiner : {" and ", " AND ", " & "}) {
    for (size_t at = list.find(joiner); at != std::string::npos; at = list.find(joiner)) {
      list.replace(at, joiner.size(), ",");
    }
  }
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    std::string_view name = TrimAscii(std::string_view(list).substr(start, end - start));
    if (const size_t in = name.find(" in "); in != std::string_view::npos) name = name.substr(0, in);  // the place
    if (!name.empty()) {
      const std::vector<std::string> words = Words(name);
      if (words.empty() || words.size() > 5) return false;
      for (const std::string& word : words) {
        if (!StartsUpper(word)) return false;
      }
      names->push_back(TitleCaseIfShouting(name));
    }
    start = end + 1;
  }
  return !names->empty();
}

std::string JoinKeys(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out += "; ";
    out += part;
  }
  return out;
}

}  // namespace

bool ParseByline(std::string_view line, std::string* names, std::vector<std::pair<std::string, std::string>>* roles) {
  line = TrimAscii(line);
  if (line.empty() || line.size() > 200) return false;
  // Segments: "Reporting by A; Editing by B", "Translated by A. Edited by B."
  std::vector<std::string_view> segments;
  size_t start = 0;
  for (size_t i = 0; i <= line.size(); ++i) {
    const bool cut =
        i == line.size() || line[i] == ';' || (line[i] == '.' && i + 1 < line.size() && line[i + 1] == ' ');
    if (!cut) continue;
    std::string_view segment = TrimAscii(line.substr(start, i - start));
    if (segment.ends_with('.')) segment.remove_suffix(1);
    if (!segment.empty()) segments.push_back(segment);
    start = i + 1;
  }
  std::vector<std::string> writers;
  std::vector<std::pair<std::string, std::string>> credits;
  for (size_t n = 0; n < segments.size(); ++n) {
    const std::string_view segment = segments[n];
    const std::string lower = AsciiLower(segment);
    std::string role;
    std::string_view who;
    static constexpr std::string_view kContributed = " contributed to this report";
    if (lower.starts_with("by ")) {
      who = segment.substr(3);
    } else if (const size_t by = lower.find(" by "); by != std::string::npos && by <= 24) {
      role = lower.substr(0, by);
      who = segment.substr(by + 4);
    } else if (lower.ends_with(kContributed)) {
      role = "contributing";
      who = segment.substr(0, segment.size() - kContributed.size());
      const std::string who_lower = AsciiLower(who);
      for (std::string_view title : {"writers ", "writer ", "correspondent ", "reporter "}) {
        if (const size_t at = who_lower.find(title); at != std::string::npos) {
          who = who.substr(at + title.size());
          break;
        }
      }
    } else {
      if (n == 0) return false;
      continue;
    }
    static constexpr std::array<std::string_view, 14> kRoles = {
        "",       "reporting",  "additional reporting", "writing",  "written", "contributing", "editing",
        "edited", "translated", "translation",          "compiled", "photos",  "photography",  "graphics"};
    if (std::find(kRoles.begin(), kRoles.end(), role) == kRoles.end()) {
      if (n == 0) return false;
      continue;
    }
    std::vector<std::string> people;
    if (!SplitNames(who, &people)) {
      if (n == 0) return false;
      continue;
    }
    if (role.empty() || role == "reporting" || role == "writing" || role == "written" || role == "contributing") {
      writers.insert(writers.end(), people.begin(), people.end());
    } else {
      const std::string name = role == "edited" ? "editing" : role == "translated" ? "translation" : role;
      credits.emplace_back(name, JoinKeys(people));
    }
  }
  if (writers.empty() && credits.empty()) return false;
  *names = JoinKeys(writers);
  *roles = std::move(credits);
  return true;
}

bool ParseCategoryLine(std::string_view line, std::string* key) {
  line = TrimAscii(line);
  if (line.empty() || line.size() > 200) return false;
  std::vector<std::string> parts;
  auto split = [&](std::string_view list, char separator) {
    size_t start = 0;
    while (start <= list.size()) {
      size_t end = list.find(separator, start);
      if (end == std::string_view::npos) end = list.size();
      parts.emplace_back(TrimAscii(list.substr(start, end - start)));
      start = end + 1;
    }
  };
  const std::string lower = AsciiLower(line);
  if (line[0] == '#') {  // a hashtag row: two or more short tags, not "#1 priority is ..."
    split(line.substr(1), '#');
    if (parts.size() < 2) return false;
    for (const std::string& part : parts) {
      if (part.empty() || part.size() > 30) return false;
    }
  } else if (lower.starts_with("posted in ")) {  // "Posted in Analysis Tagged A, B"
    std::string_view rest = line.substr(10);
    const size_t tagged = AsciiLower(rest).find(" tagged ");
    split(rest.substr(0, tagged), ',');
    if (tagged != std::string_view::npos) split(rest.substr(tagged + 8), ',');
  } else {
    bool prefixed = false;
    for (std::string_view prefix : {"categories:", "category:", "tags:", "filed under:", "topics:", "section:"}) {
      if (lower.starts_with(prefix)) {
        split(line.substr(prefix.size()), ',');
        prefixed = true;
        break;
      }
    }
    if (!prefixed) return false;
  }
  std::string joined = JoinKeys(parts);
  if (joined.empty()) return false;
  *key = std::move(joined);
  return true;
}

std::string PhotoCredit(std::string_view caption) {
  const std::string lower = AsciiLower(caption);
  auto until_close = [&](size_t from) {
    std::string_view rest = caption.substr(from);
    const size_t end = rest.find_first_of(")]");
    rest = TrimAscii(rest.substr(0, end));
    while (rest.ends_with('.')) rest.remove_suffix(1);
    return std::string(rest);
  };
  for (std::string_view agency : {"reuters/", "ap photo/", "afp/", "yonhap/", "epa/", "kcna/"}) {
    if (const size_t at = lower.find(agency); at != std::string::npos) return until_close(at);
  }
  for (std::string_view cue : {"(photo credit:", "(file photo:", "(photo:", "photo:", "(photo courtesy of"}) {
    if (const size_t at = lower.find(cue); at != std::string::npos) return until_close(at + cue.size());
  }
  if (const size_t at = lower.find(" via "); at != std::string::npos && lower.find(')', at) != std::string::npos) {
    return until_close(at + 5);  // "(KCNA via AP)" -> "AP"
  }
  for (std::string_view cue : {"released by ", "provided by ", "courtesy of ", "distributed by "}) {
    const size_t at = lower.find(cue);
    if (at == std::string::npos) continue;
    std::string_view rest = caption.substr(at + cue.size());
    const size_t end = rest.find_first_of(",;)(");
    rest = TrimAscii(rest.substr(0, end));
    while (rest.ends_with('.')) rest.remove_suffix(1);
    for (std::string_view possessive : {"'s ", "\xE2\x80\x99s "}) {  // "North Korea's Korean Central News Agency"
      if (const size_t p = rest.find(possessive); p != std::string_view::npos)
        rest = rest.substr(p + possessive.size());
    }
    if (!rest.empty() && rest.size() <= 80) return std::string(rest);
  }
  return {};
}

bool IsPhotoCaptionText(std::string_view text) {
  if (!text.starts_with("In this ") || text.size() > 600) return false;
  const std::string head = AsciiLower(text.substr(0, 60));
  return head.find(" photo") != std::string::npos || head.find(" image") != std::string::npos;
}

void SetDateKey(const DateLineParts& parts, Span* span) {
  span->key = parts.key;
  if (!parts.updated.empty()) span->attrs.emplace_back("updated", parts.updated);
}

bool ParseDateLine(std::string_view line, std::string* iso) {
  DateLineParts parts;
  if (!ParseDateLineParts(line, &parts)) return false;
  *iso = parts.date;
  return true;
}

bool FormatIsoDate(int year, int month, int day, std::string* iso) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  return NormalizeMetadataDate(buffer, iso);
}

bool ParseJucheDateStamp(std::string_view line, std::string* iso) {
  const std::string lower = AsciiLower(line);
  const size_t at = lower.find("juche");
  if (at == std::string::npos) return false;
  size_t i = at + 5;
  auto skip_spaces = [&] {
    while (i < lower.size() && lower[i] == ' ') ++i;
  };
  auto number = [&](size_t max_digits) {
    int value = 0;
    size_t digits = 0;
    while (i < lower.size() && digits < max_digits && lower[i] >= '0' && lower[i] <= '9') {
      value = value * 10 + (lower[i++] - '0');
      ++digits;
    }
    return digits == 0 ? -1 : value;
  };
  skip_spaces();
  const int juche = number(3);
  if (juche <= 0) return false;
  int year = juche + lexicon::kJucheOffset;
  skip_spaces();
  if (i < lower.size() && lower[i] == '(') {
    ++i;
    const int gregorian = number(4);
    if (gregorian != year || i >= lower.size() || lower[i] != ')') return false;  // a mismatch is no date
    ++i;
  }
  if (i >= lower.size() || lower[i] != '.') return false;
  ++i;
  const int month = number(2);
  if (month <= 0 || i >= lower.size() || lower[i] != '.') return false;
  ++i;
  const int day = number(2);
  if (day <= 0) return false;
  return FormatIsoDate(year, month, day, iso);
}

namespace {

// "posted on November 5, 2023 by admin": a month name with a year after it,
// which headlines almost never carry.
bool MentionsFullDate(std::string_view line) {
  const std::vector<std::string> words = Words(line);
  for (size_t i = 0; i < words.size(); ++i) {
    if (MonthNumber(words[i]) == 0) continue;
    for (size_t j = i + 1; j < words.size() && j <= i + 3; ++j) {
      if (IsNumber(words[j], 4, 4)) return true;
    }
  }
  return false;
}

bool IsUrl(std::string_view s) {
  s = TrimAscii(s);
  return (s.starts_with("http://") || s.starts_with("https://")) && s.find(' ') == std::string_view::npos;
}

// Page furniture that flattening leaves behind: logos, app banners, ads.
// "© 2025 AFP", "Copyright 2012-2024 KCNA": the outlet when the line names
// nothing else (a site's own "All rights reserved" footer names more).
const Outlet* CopyrightOutlet(std::string_view line) {
  std::string_view rest = TrimAscii(line);
  for (std::string_view mark : {"\xC2\xA9", "(c)", "(C)", "Copyright", "copyright"}) {
    if (rest.starts_with(mark)) rest = TrimAscii(rest.substr(mark.size()));
  }
  while (!rest.empty() && ((rest[0] >= '0' && rest[0] <= '9') || rest[0] == '-' || rest[0] == ' ')) {
    rest.remove_prefix(1);
  }
  while (rest.ends_with('.')) rest.remove_suffix(1);
  return rest.size() < 40 ? FindOutletByName(rest) : nullptr;
}

// "16:40 KST", "4:05 PM": a time of day alone (a live-blog entry's stamp).
bool IsTimeOnly(std::string_view folded) {
  const std::vector<std::string> words = Words(folded);
  if (words.empty() || words.size() > 3 || !IsTime(words[0])) return false;
  for (size_t i = 1; i < words.size(); ++i) {
    if (words[i] != "am" && words[i] != "pm" && words[i] != "kst" && words[i] != "gmt" && words[i] != "utc" &&
        words[i] != "et" && words[i] != "sgt") {
      return false;
    }
  }
  return true;
}

}  // namespace

const char* ChromeLabel(std::string_view folded) {
  if (folded == "read in app" || folded == "open in app" || folded == "get the app" ||
      StartsWithFolded(folded, "download the app")) {
    return "app_banner";
  }
  if (folded == "advertisement" || folded == "sponsored" || folded == "ad") return "advertisement";
  if (StartsWithFolded(folded, "get the ") && folded.find(" app") != std::string_view::npos && folded.size() < 80) {
    return "app_banner";  // "Get the AP News app for iOS and Android"
  }
  if (folded == "share" || folded == "share this article" || folded == "share this:" || folded == "print" ||
      folded == "email" || StartsWithFolded(folded, "copy link") || folded == "facebook" || folded == "x" ||
      folded == "twitter" || folded == "linkedin" || folded == "whatsapp" || folded == "telegram" ||
      folded == "reddit") {
    return "share_bar";
  }
  // "© 2025 AFP", "Copyright 2024 The Associated Press. All rights reserved."
  if (folded.size() < 120 &&
      (StartsWithFolded(folded, "\xC2\xA9") || StartsWithFolded(folded, "(c) ") ||
       (StartsWithFolded(folded, "copyright ") && folded.size() > 10 &&
        ((folded[10] >= '0' && folded[10] <= '9') || StartsWithFolded(folded.substr(10), "\xC2\xA9") ||
         StartsWithFolded(folded.substr(10), "(c)"))))) {
    return "footer";  // not "Copyright law was revised ..."
  }
  if (folded.size() < 100 && folded.find(" > ") != std::string_view::npos) return "navigation";  // a breadcrumb
  if (IsTimeOnly(folded)) return "dateline";  // a live blog's "16:40 KST"
  if (StartsWithFolded(folded, "skip to ") || folded == "menu" || folded == "search" || folded == "subscribe" ||
      folded == "sign in" || folded == "log in" || folded == "home") {
    return "navigation";
  }
  // "Logo", "date 2022-03-29 Logo": the masthead, flattened.
  if (folded.size() <= 60 && (folded == "logo" || folded.ends_with(" logo"))) return "header";
  return nullptr;
}

namespace {

// "{snip}", "{snip]", "[...]", "[…]", "(...)": an elision mark on its own line.
bool IsElisionMark(std::string_view folded) {
  return folded == "{snip}" || folded == "{snip]" || folded == "[snip]" || folded == "[snip}" || folded == "[...]" ||
         folded == "[\xE2\x80\xA6]" || folded == "(...)" || folded == "..." || folded == "\xE2\x80\xA6";
}

}  // namespace

bool IsTeaserHeading(std::string_view folded) {
  return StartsWithFolded(folded, "more from ") || folded == "more articles" || folded == "related articles" ||
         folded == "related" || folded == "related stories" || folded == "related news" || folded == "read more" ||
         folded == "more stories" || folded == "you may also like" || folded == "recommended" ||
         folded == "latest news" || folded == "most read";
}

namespace {

// "We and our partners use cookies to ...": short, about cookies, and
// addressed to the reader.
bool IsCookieNotice(std::string_view text) {
  if (text.size() > 600) return false;
  const std::string lower = AsciiLower(text);
  if (lower.find("cookie") == std::string::npos) return false;
  for (std::string_view cue : {"we use", "we and our", "this site", "this website", "our partners", "your device",
                               "you consent", "you agree", "your choices", "your consent", "by continuing"}) {
    if (lower.find(cue) != std::string::npos) return true;
  }
  return false;
}

bool IsCookieHeading(std::string_view folded) {
  return folded.find("privacy") != std::string_view::npos || folded.find("cookie") != std::string_view::npos ||
         folded.find("consent") != std::string_view::npos;
}

bool IsConsentButton(std::string_view folded) {
  for (std::string_view button : {"accept", "accept all", "accept cookies", "reject all", "reject", "decline",
                                  "manage preferences", "manage settings", "cookie settings", "settings", "i agree",
                                  "agree", "ok", "got it", "allow all", "customize", "customise", "more options"}) {
    if (folded == button) return true;
  }
  return false;
}

bool IsCommentFormStart(std::string_view folded) {
  return folded == "leave a reply" || folded == "leave a comment" || folded == "post a comment" ||
         folded == "add a comment" || StartsWithFolded(folded, "fill in your details below");
}

struct Block {
  std::string text;
  SpanKind kind = SpanKind::kParagraph;
  std::string label;
  std::string key;                                         // the span's key: a date line's time, a byline's names
  std::vector<std::pair<std::string, std::string>> attrs;  // the span's attributes
};

void Mark(Block* block, const char* label) {
  block->kind = SpanKind::kBoilerplate;
  block->label = label;
}

// Agency photo credits and caption markers, folded ("reuters/", "ap photo/"):
// a line holding one is a photo caption.
constexpr std::array<std::string_view, 7> kPhotoCreditMarks = {
    "reuters/", "ap photo/", "afp/", "getty images", "(file photo:", "(photo:", "(photo credit"};

bool HasPhotoCredit(std::string_view folded) {
  for (std::string_view mark : kPhotoCreditMarks) {
    if (folded.find(mark) != std::string_view::npos) return true;
  }
  return StartsWithFolded(folded, "photo:");
}

// Lines into blank-line separated groups, then into blocks (a
// hard-wrapped group is one paragraph; otherwise each line is a block).
std::vector<Block> SplitIntoBlocks(std::string_view utf8) {
  std::vector<std::vector<std::string_view>> groups(1);
  size_t start = 0;
  while (start < utf8.size()) {
    size_t end = utf8.find('\n', start);
    if (end == std::string_view::npos) end = utf8.size();
    std::string_view line = utf8.substr(start, end - start);
    if (IsBlankLine(line)) {
      if (!groups.back().empty()) groups.emplace_back();
    } else {
      groups.back().push_back(line);
    }
    start = end + 1;
  }
  std::vector<Block> blocks;
  for (const auto& group : groups) {
    if (group.empty()) continue;
    if (LooksHardWrapped(group)) {
      std::string joined;
      for (std::string_view line : group) (joined += line) += ' ';
      blocks.push_back({NormalizeInline(joined), SpanKind::kParagraph, {}, {}, {}});
    } else {
      for (std::string_view line : group) {
        std::string normalized = NormalizeInline(line);
        if (!normalized.empty()) blocks.push_back({std::move(normalized), SpanKind::kParagraph, {}, {}, {}});
      }
    }
  }
  return blocks;
}

// A cookie consent notice: the notice itself (a short paragraph about
// cookies), the heading above it and the buttons below it.
void MarkCookieBanners(std::vector<Block>& blocks) {
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (!IsCookieNotice(blocks[i].text)) continue;
    Mark(&blocks[i], "cookie_banner");
    if (i > 0 && blocks[i - 1].text.size() <= 60 && IsCookieHeading(FoldForKey(blocks[i - 1].text))) {
      Mark(&blocks[i - 1], "cookie_banner");
    }
    for (size_t j = i + 1; j < blocks.size() && IsConsentButton(FoldForKey(blocks[j].text)); ++j) {
      Mark(&blocks[j], "cookie_banner");
    }
  }
}

// Regions that run to the end: a comment form, a teaser list. `folded[i]` is blocks[i].text folded.
void MarkTrailingRegions(std::vector<Block>& blocks, const std::vector<std::string>& folded, Document* doc) {
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (IsCommentFormStart(folded[i])) {
      for (size_t j = i; j < blocks.size(); ++j) Mark(&blocks[j], "comment_form");
      break;
    }
  }
  for (size_t i = 1; i < blocks.size(); ++i) {
    if (blocks[i].kind != SpanKind::kParagraph || !IsTeaserHeading(folded[i])) continue;
    // A teaser list is a heading followed by short items, with dates or
    // nothing at all after it; a "Read more" inside the text is not one.
    size_t dated = 0, end = i + 1;
    for (; end < blocks.size() && blocks[end].kind == SpanKind::kParagraph; ++end) {
      std::string iso;
      if (ParseDateLine(blocks[end].text, &iso)) ++dated;
    }
    // Undated items qualify when they are headlines running to the page's end.
    bool headlines_to_end = end == blocks.size() && end >= i + 3;
    for (size_t j = i + 1; j < end && headlines_to_end; ++j) {
      headlines_to_end = blocks[j].text.size() <= 120 && LooksLikeHeadline(blocks[j].text);
    }
    if (dated < 2 && end != i + 1 && !headlines_to_end) continue;
    for (size_t j = i; j < end; ++j) Mark(&blocks[j], "teaser_list");
    if (doc->source.empty() && StartsWithFolded(folded[i], "more from ")) {
      if (const Outlet* outlet = FindOutletByName(std::string_view(blocks[i].text).substr(10))) {
        doc->source = outlet->id;
      }
    }
    break;
  }
}

// Blocks judged alone: chrome labels, editorial marks, source and
// category lines, mastheads, datelines, bylines, photo captions (the first
// rule that fits wins). Sets the page's source, date and URL when a block
// states them.
void MarkSingleLines(std::vector<Block>& blocks, const std::vector<std::string>& folded, Document* doc) {
  for (size_t i = 0; i < blocks.size(); ++i) {
    Block& block = blocks[i];
    if (block.kind != SpanKind::kParagraph) continue;
    const std::string& f = folded[i];
    std::string iso;
    if (const char* label = ChromeLabel(f)) {
      Mark(&block, label);
      if (const Outlet* credited = std::string_view(label) == "footer" ? CopyrightOutlet(block.text) : nullptr) {
        Mark(&block, "source_line");  // "© 2025 AFP" under a story a portal republished
        if (doc->source.empty()) doc->source = credited->id;
      }
    } else if (IsElisionMark(f)) {
      Mark(&block, "editorial_mark");
    } else if (StartsWithFolded(f, "* original article:") || StartsWithFolded(f, "original article:")) {
      Mark(&block, "editorial_mark");
      std::string_view rest = TrimAscii(std::string_view(block.text).substr(block.text.find(':') + 1));
      if (rest.empty() && i + 1 < blocks.size() && IsUrl(blocks[i + 1].text)) {
        Mark(&blocks[i + 1], "editorial_mark");
        rest = blocks[i + 1].text;
      }
      if (IsUrl(rest)) {
        doc->url.assign(TrimAscii(rest));
        if (const Outlet* outlet = FindOutletByUrl(rest)) doc->source = outlet->id;
      }
    } else if (StartsWithFolded(f, "source:") && block.text.size() < 80) {
      Mark(&block, "source_line");
      std::string_view name = TrimAscii(std::string_view(block.text).substr(7));
      name = TrimAscii(name.substr(0, name.find('/')));
      if (const Outlet* outlet = FindOutletByName(name); outlet != nullptr && doc->source.empty()) {
        doc->source = outlet->id;
      }
    } else if (ParseCategoryLine(block.text, &block.key)) {
      Mark(&block, "category");
    } else if (const Outlet* masthead = block.text.size() <= 60 ? FindOutletByName(block.text) : nullptr) {
      Mark(&block, "header");  // the outlet's name on a line of its own
      if (doc->source.empty()) doc->source = masthead->id;
    } else if (DateLineParts stamp; ParseDateLineParts(block.text, &stamp) ||
                                    (block.text.size() <= 60 && ParseJucheDateStamp(block.text, &stamp.date))) {
      Mark(&block, "dateline");
      block.key = stamp.key.empty() ? stamp.date : stamp.key;
      if (!stamp.updated.empty()) block.attrs.emplace_back("updated", stamp.updated);
      if (doc->date.empty()) doc->date = stamp.date;
    } else if (std::vector<std::pair<std::string, std::string>> roles;
               block.text.size() <= 200 && ParseByline(block.text, &block.key, &roles)) {
      Mark(&block, "byline");
      block.attrs = std::move(roles);
    } else if (HasPhotoCredit(f) || IsPhotoCaptionText(block.text)) {
      Mark(&block, "photo_caption");
    }
  }
}

// A wire dateline names the outlet: "SEOUL, May 2 (Reuters) -", "(KCNA) --".
void SourceFromWireDateline(const std::vector<Block>& blocks, Document* doc) {
  if (!doc->source.empty()) return;
  for (const Block& block : blocks) {
    if (block.kind != SpanKind::kParagraph || block.text.size() < 80) continue;
    const std::string_view head = std::string_view(block.text).substr(0, 80);
    const size_t open = head.find('(');
    const size_t close = head.find(')', open == std::string_view::npos ? 0 : open);
    if (open != std::string_view::npos && close != std::string_view::npos) {
      const std::string_view after = TrimAscii(head.substr(close + 1));
      if (after.starts_with("-") || after.starts_with("\xE2\x80\x94") || after.starts_with("\xE2\x80\x93")) {
        if (const Outlet* outlet = FindOutletByName(head.substr(open + 1, close - open - 1))) {
          doc->source = outlet->id;
        }
      }
    }
    break;  // only the first paragraph carries the dateline
  }
}

// A state-media dateline gives month and day only ("Pyongyang, March 29
// (KCNA) --"); the lead paragraph usually states the year of what it
// reports ("on March 28, Juche 111 (2022)"). Take that year only when the
// reported day falls within a week before the dateline, so a story about
// an anniversary decades ago does not date the article.
void YearFromLead(const std::vector<Block>& blocks, Document* doc) {
  if (!doc->date.empty()) return;
  for (const Block& block : blocks) {
    if (block.kind != SpanKind::kParagraph || block.text.size() < 80) continue;
    DatelessDateline(block.text, &doc->date);
    break;
  }
}

// The title: flattened pages put menus, section labels and kickers above
// the headline, so take the last headline-like line (four words or more,
// not a "|"-separated menu) before the first real paragraph; the short
// lines above it are navigation or a section label.
void ChooseTitle(std::vector<Block>& blocks, Document* doc) {
  size_t first_prose = blocks.size();
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (blocks[i].kind == SpanKind::kParagraph && blocks[i].text.size() >= 120) {
      first_prose = i;
      break;
    }
  }
  auto word_count = [](const std::string& text) {
    return static_cast<size_t>(std::count(text.begin(), text.end(), ' ')) + 1;
  };
  size_t title_index = blocks.size();
  for (size_t i = 0; i < first_prose; ++i) {
    const Block& block = blocks[i];
    if (block.kind == SpanKind::kParagraph && LooksLikeHeadline(block.text) && word_count(block.text) >= 4 &&
        block.text.find(" | ") == std::string::npos && !MentionsFullDate(block.text)) {
      title_index = i;
    }
  }
  if (title_index == blocks.size()) {  // no such line: the first block, if it reads like a headline
    for (size_t i = 0; i < blocks.size(); ++i) {
      if (blocks[i].kind != SpanKind::kParagraph) continue;
      if (LooksLikeHeadline(blocks[i].text)) title_index = i;
      break;
    }
  }
  if (title_index < blocks.size()) {
    // An outlet's name alone under the headline credits it ("Agence
    // France-Presse"); above it, it is the masthead.
    for (size_t i = title_index + 1; i < blocks.size(); ++i) {
      if (blocks[i].label == "header" && FindOutletByName(blocks[i].text) != nullptr) blocks[i].label = "source_line";
    }
    blocks[title_index].kind = SpanKind::kTitle;
    doc->title = blocks[title_index].text;
    for (size_t i = 0; i < title_index; ++i) {
      Block& above = blocks[i];
      if (above.kind != SpanKind::kParagraph) continue;
      if (above.text.find(" | ") != std::string::npos)
        Mark(&above, "navigation");
      else if (word_count(above.text) < 4)
        Mark(&above, "category"), above.key = above.text;  // a section kicker names the section
    }
  }
}

// Last phase: the blocks, in order, become the document's text and spans.
void EmitBlocks(std::vector<Block>& blocks, Document* doc) {
  for (Block& block : blocks) {
    if (block.label == "photo_caption") block.key = PhotoCredit(block.text);
    if (!AppendBlock(doc, block.text, block.kind, block.label)) continue;
    doc->spans.back().key = std::move(block.key);
    doc->spans.back().attrs = std::move(block.attrs);
  }
}

}  // namespace

Status ExtractPlainText(std::string_view utf8, Document* doc, const Deadline& deadline) {
  const auto over = [&] { return OverTimeBudget("extraction", deadline.max_seconds()); };
  std::vector<Block> blocks = SplitIntoBlocks(utf8);
  MarkCookieBanners(blocks);
  if (deadline.Passed()) return over();
  std::vector<std::string> folded;
  folded.reserve(blocks.size());
  for (const Block& block : blocks) folded.push_back(FoldForKey(block.text));
  MarkTrailingRegions(blocks, folded, doc);
  if (deadline.Passed()) return over();
  MarkSingleLines(blocks, folded, doc);
  if (deadline.Passed()) return over();
  SourceFromWireDateline(blocks, doc);
  YearFromLead(blocks, doc);
  ChooseTitle(blocks, doc);
  if (deadline.Passed()) return over();
  EmitBlocks(blocks, doc);
  if (doc->text.empty()) return Status::BadInput("no text");
  return Status::Ok();
}

}  // namespace echotrace::extract_internal

namespace echotrace {

std::vector<Document> SplitTeasers(const Document& page) {
  using extract_internal::AppendBlock;
  std::vector<std::string> texts;
  for (const Span& span : page.spans) {
    if (span.kind == SpanKind::kBoilerplate && span.label == "teaser_list") texts.emplace_back(page.SpanText(span));
  }
  std::vector<Document> stubs;
  std::vector<std::pair<std::string, std::string>> seen;  // (title, date)
  for (size_t i = 1; i < texts.size(); ++i) {
    std::string iso;
    if (!extract_internal::ParseDateLine(texts[i], &iso)) continue;
    const std::string& lead = texts[i - 1];
    std::string ignored;
    if (extract_internal::ParseDateLine(lead, &ignored) || extract_internal::IsTeaserHeading(FoldForKey(lead))) {
      continue;
    }
    const std::pair<std::string, std::string> key(lead, iso);
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    Document stub;
    stub.raw = lead + "\n" + texts[i] + "\n";
    stub.format = InputFormat::kText;
    stub.origin = page.origin + "#teaser-" + std::to_string(seen.size());
    stub.title = lead;
    stub.date = iso;
    stub.source = page.source;
    AppendBlock(&stub, lead, SpanKind::kTitle);
    AppendBlock(&stub, texts[i], SpanKind::kBoilerplate, "dateline");
    stubs.push_back(std::move(stub));
  }
  return stubs;
}

}  // namespace echotrace

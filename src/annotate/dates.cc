#include "annotate/dates.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "annotate/block_tokens.h"
#include "annotate/doc_tokens.h"
#include "lexicon/calendar.h"
#include "lexicon/zones.h"

namespace echotrace {
namespace {

// Calendar facts (month and weekday names, civil days, ISO forms, the Juche
// offset) and zones come from lexicon/, shared with extraction and linking.
using lexicon::CivilFromDays;
using lexicon::DaysFromCivil;
using lexicon::DaysInMonth;
using lexicon::IsoDay;
using lexicon::IsoMonth;
using lexicon::IsoWeek;
using lexicon::IsoYear;
using lexicon::MonthNumber;
using lexicon::Weekday;
using lexicon::WeekdayNumber;
using Ymd = lexicon::Ymd;
bool ParseIsoDate(std::string_view s, Ymd* out) { return lexicon::ParseIsoDay(s, out); }

int SmallNumberWord(std::string_view w) {
  static constexpr std::array<std::string_view, 13> kWords = {
      "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"};
  for (int k = 1; k < 13; ++k) {
    if (w == kWords[k]) return k;
  }
  if (w == "a" || w == "an") return 1;
  return 0;
}

// Words before a bare month name that make it a date ("in March", "early April").
bool IsMonthCue(std::string_view w) {
  static constexpr auto kCues =
      std::to_array<std::string_view>({"in",     "since", "until",  "till",  "by",      "from", "to",  "through",
                                       "during", "of",    "before", "after", "between", "and",  "or",  "throughout",
                                       "for",    "last",  "next",   "this",  "early",   "late", "mid", "until"});
  return block_tokens::OneOf(kCues, w);
}

// Words after a number that make it a quantity, not a year ("2000 tons").
bool IsUnitWord(std::string_view w) {
  static constexpr std::array<std::string_view, 30> kUnits = {
      "people",  "persons",   "tons",         "tonnes",   "kg",       "km",      "metres", "meters",
      "m",       "hectares",  "troops",       "soldiers", "won",      "dollars", "yuan",   "units",
      "pieces",  "cases",     "households",   "workers",  "students", "copies",  "times",  "families",
      "members", "delegates", "participants", "miles",    "feet",     "percent"};
  return block_tokens::OneOf(kUnits, w);
}

// Words before a number that make it an identifier, not a year ("Resolution 2094").
bool IsIdentifierCue(std::string_view w) {
  static constexpr std::array<std::string_view, 14> kCues = {
      "resolution", "resolutions", "no",   "number", "article", "room",    "flight",
      "code",       "model",       "type", "route",  "unit",    "highway", "rule"};
  return block_tokens::OneOf(kCues, w);
}

// Nouns that end names built on a date ("April 25 House of Culture").
bool IsFacilityNoun(std::string_view w) {
  static constexpr std::array<std::string_view, 23> kNouns = {
      "joint",   "house",      "factory", "complex",   "school",  "street",      "stadium", "plant",
      "mine",    "works",      "farm",    "movement",  "hall",    "park",        "square",  "bridge",
      "station", "university", "college", "institute", "theatre", "declaration", "company"};
  return block_tokens::OneOf(kNouns, w);
}

// Words that put a clause in the future ("will", "scheduled").
bool IsFutureCue(std::string_view w) {
  static constexpr std::array<std::string_view, 12> kCues = {"will",     "shall",    "would",   "scheduled",
                                                             "slated",   "plans",    "planned", "planning",
                                                             "upcoming", "expected", "ll",      "ahead"};
  return block_tokens::OneOf(kCues, w);
}

// True for the words a date expression can start with (months, weekdays, "last",
// "early", "the", number words, "Juche" ...): one hash lookup rejects the rest.
bool CanStartDate(std::string_view w) {
  static const std::unordered_set<std::string_view> kStarts = {
      "today",     "tonight",  "yesterday", "tomorrow", "the",    "last",  "this", "earlier", "later",
      "next",      "early",    "late",      "mid",      "juche",  "a",     "an",   "one",     "two",
      "three",     "four",     "five",      "six",      "seven",  "eight", "nine", "ten",     "eleven",
      "twelve",    "january",  "february",  "march",    "april",  "may",   "june", "july",    "august",
      "september", "october",  "november",  "december", "jan",    "feb",   "mar",  "apr",     "jun",
      "jul",       "aug",      "sep",       "sept",     "oct",    "nov",   "dec",  "monday",  "tuesday",
      "wednesday", "thursday", "friday",    "saturday", "sunday", "mon",   "tue",  "tues",    "wed",
      "thu",       "thur",     "thurs",     "fri",      "sat",    "sun"};
  return kStarts.count(w) > 0;
}

// ---------------------------------------------------------------------------
// Tokens of one block.

using block_tokens::BlockToken;
using block_tokens::IsAsciiLetter;
using block_tokens::IsDigit;
using block_tokens::TokenType;

// ---------------------------------------------------------------------------
// Values being built.

// A year as written after a month or alone: "2022", "Juche 111 (2022)", "last year".
struct YearPart {
  int year = 0;           // resolved Gregorian year; 0 when relative without a publication date
  bool relative = false;  // "last year", "this year", "next year"
  int juche = 0;          // the Juche year when the Juche calendar was used
  bool mismatch = false;  // the bracketed Gregorian year disagrees with the Juche year
};

// A calendar date as written, perhaps without a year: "March 29", "29 Mar 2022".
struct CalendarDate {
  int month = 0;
  int day = 0;  // 0: month only
  bool has_year = false;
  YearPart year;
  bool bare_month = false;  // a month name alone ("March")
};

struct Found {
  size_t end = 0;  // one past the last token of the match
  std::string key;
  std::string label = "date";
  std::string resolution;
  bool relative = false;
  int juche_year = 0;
  std::string flag;
  std::string zone;
};

struct Time {
  int hour = 0, minute = 0;
  std::string zone;        // as written
  std::string offset;      // "+09:00"; empty for local time
  bool pyongyang = false;  // Pyongyang time: +08:30 between 2015-08-15 and 2018-05-04
  bool seasonal = false;   // the zone's offset depends on the day ("ET"): `offset` is the publication day's
};

class DateScanner {
 public:
  DateScanner(std::string_view text, std::string_view published) : text_(text) {
    Ymd ymd;
    if (ParseIsoDate(published, &ymd)) {
      have_pub_ = true;
      pub_ = ymd;
      pub_days_ = DaysFromCivil(ymd.year, ymd.month, ymd.day);
    }
  }

  // Dates of one block, given its tokens (BlockWords, ordinal suffixes apart).
  void ScanBlock(std::span<const BlockToken> tokens, std::vector<Span>* out) {
    tokens_ = tokens;
    size_t i = 0;
    last_end_ = SIZE_MAX;
    while (i < tokens_.size()) {
      Found found;
      if (Match(i, &found) && found.end > i) {
        out->push_back(ToSpan(i, found));
        // The last day named is the event that "the previous day" counts from.
        Ymd day;
        if (found.resolution == "day" && found.key.size() == 10 && ParseIsoDate(found.key, &day)) {
          last_day_ = DaysFromCivil(day.year, day.month, day.day);
          have_last_day_ = true;
        }
        i = last_end_ = found.end;
      } else {
        ++i;
      }
    }
  }

 private:
  // --- token access ---------------------------------------------------------
  bool InRange(size_t i) const { return i < tokens_.size(); }
  std::string_view Word(size_t i) const {
    return InRange(i) && tokens_[i].type == TokenType::kWord ? tokens_[i].lower : std::string_view();
  }
  bool IsWord(size_t i, std::string_view w) const { return Word(i) == w; }
  bool IsPunct(size_t i, std::string_view p) const {
    return InRange(i) && tokens_[i].type == TokenType::kPunct && tokens_[i].lower == p;
  }
  bool IsDash(size_t i) const { return IsPunct(i, "-") || IsPunct(i, "\u2013") || IsPunct(i, "\u2014"); }
  bool IsNumber(size_t i) const { return InRange(i) && tokens_[i].type == TokenType::kNumber; }
  bool Adjacent(size_t i) const { return InRange(i) && !tokens_[i].space_before; }
  int Value(size_t i) const { return tokens_[i].value; }

  // The month at token i (capitalized as a name must be), with an optional
  // "." after an abbreviation; returns the index after it, or 0.
  size_t MonthAt(size_t i, int* month, bool* abbreviated) const {
    if (!InRange(i) || tokens_[i].type != TokenType::kWord || !tokens_[i].capitalized) return 0;
    *month = MonthNumber(tokens_[i].lower, abbreviated);
    if (*month == 0) return 0;
    size_t next = i + 1;
    // A stray period after a full name in a page header ("Posted June. 05, 2012").
    const bool stray_period = !*abbreviated && IsNumber(next + 1) && tokens_[next + 1].digits <= 2 &&
                              IsPunct(next + 2, ",") && IsYearNumber(next + 3);
    if ((*abbreviated || stray_period) && IsPunct(next, ".") && Adjacent(next)) ++next;
    return next;
  }

  size_t WeekdayAt(size_t i, int* weekday, bool* abbreviated) const {
    if (!InRange(i) || tokens_[i].type != TokenType::kWord || !tokens_[i].capitalized) return 0;
    *weekday = WeekdayNumber(tokens_[i].lower, abbreviated);
    if (*weekday == 0) return 0;
    size_t next = i + 1;
    if (*abbreviated && IsPunct(next, ".") && Adjacent(next)) ++next;
    return next;
  }

  // A day of month (1..31) with an optional ordinal suffix ("29", "29th").
  size_t DayAt(size_t i, int* day) const {
    if (!IsNumber(i) || tokens_[i].digits > 2 || Value(i) < 1 || Value(i) > 31) return 0;
    *day = Value(i);
    size_t next = i + 1;
    const std::string_view suffix = Word(next);
    if (Adjacent(next) && (suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th")) ++next;
    if (IsPunct(next, ":") && Adjacent(next)) return 0;                                        // a time, not a day
    if (InRange(next) && Adjacent(next) && tokens_[next].type != TokenType::kPunct) return 0;  // "29abc"
    return next;
  }

  bool IsYearNumber(size_t i) const {
    return IsNumber(i) && tokens_[i].digits == 4 && Value(i) >= 1800 && Value(i) <= 2100 &&
           !(IsPunct(i + 1, ":") && Adjacent(i + 1)) && !(InRange(i + 1) && Adjacent(i + 1) && !IsPunctToken(i + 1));
  }
  // A year 1000-1799, which needs more evidence than a modern one: "rebuilt in 1635.",
  // "since 1392 and" (a preposition before, punctuation or a small word after).
  bool IsOldYear(size_t i) const {
    if (!IsNumber(i) || tokens_[i].digits != 4 || Value(i) < 1000 || Value(i) >= 1800 || i == 0) return false;
    const std::string_view before = Word(i - 1);
    if (before != "in" && before != "since" && before != "from" && before != "until" && before != "by" &&
        before != "around") {
      return false;
    }
    if (!InRange(i + 1)) return true;
    if (!tokens_[i + 1].space_before) return IsPunctToken(i + 1) && !IsPunct(i + 1, ":") && !IsDash(i + 1);
    if (IsPunctToken(i + 1)) return true;
    const std::string_view after = Word(i + 1);
    return after == "and" || after == "when" || after == "to" || after == "after" || after == "before" ||
           after == "as" || after == "by" || after == "under" || after == "during";
  }

  bool IsPunctToken(size_t i) const { return InRange(i) && tokens_[i].type == TokenType::kPunct; }

  // "2022", "Juche 111", "Juche 111 (2022)", "last year"; returns the index after it, or 0.
  size_t YearAt(size_t i, YearPart* year) const {
    if (IsYearNumber(i)) {
      year->year = Value(i);
      return i + 1;
    }
    if (IsWord(i, "juche") && tokens_[i].capitalized && IsNumber(i + 1) && tokens_[i + 1].digits <= 3 &&
        Value(i + 1) >= 1) {
      year->juche = Value(i + 1);
      year->year = year->juche + lexicon::kJucheOffset;
      size_t next = i + 2;
      if (IsPunct(next, "(") && IsNumber(next + 1) && tokens_[next + 1].digits == 4 && IsPunct(next + 2, ")")) {
        year->mismatch = Value(next + 1) != year->year;
        next += 3;
      }
      return next;
    }
    const std::string_view w = Word(i);
    if ((w == "last" || w == "this" || w == "next") && IsWord(i + 1, "year")) {
      year->relative = true;
      year->year = have_pub_ ? pub_.year + (w == "last" ? -1 : w == "next" ? 1 : 0) : 0;
      return i + 2;
    }
    return 0;
  }

  // An optional "," then a year part.
  size_t TrailingYearAt(size_t i, YearPart* year) const {
    size_t at = i;
    if (IsPunct(at, ",")) ++at;
    if (size_t next = YearAt(at, year)) return next;
    return 0;
  }

  // "March 29[, 2022]", "29 March [2022]", "the 29th of March", "March [2022]",
  // "2022-03-29". Returns the index after it, or 0.
  size_t CalendarAt(size_t i, CalendarDate* date) const {
    int month = 0, day = 0;
    bool abbreviated = false;
    if (size_t next = MonthAt(i, &month, &abbreviated)) {
      date->month = month;
      if (size_t after_day = DayAt(next, &day); after_day && day <= 31) {
        date->day = day;
        if (size_t after_year = TrailingYearAt(after_day, &date->year)) {
          date->has_year = true;
          return after_year;
        }
        return after_day;
      }
      if (size_t after_year = YearAt(next, &date->year)) {
        date->has_year = true;
        return after_year;
      }
      // "January of 1936"
      if (IsWord(next, "of") && IsYearNumber(next + 1)) {
        date->has_year = true;
        date->year.year = Value(next + 1);
        return next + 2;
      }
      if (abbreviated && month != 5) return 0;
      date->bare_month = true;
      return next;
    }
    if (IsWord(i, "the") && DayAt(i + 1, &day) && Adjacent(i + 2) && IsWord(i + 3, "of")) {
      if (size_t next = MonthAt(i + 4, &month, &abbreviated)) {
        date->month = month;
        date->day = day;
        if (size_t after_year = TrailingYearAt(next, &date->year)) {
          date->has_year = true;
          return after_year;
        }
        return next;
      }
      return 0;
    }
    // 19-07-2012, 8/24/2011, 24.08.2011: day and month in either order, taken
    // only when one of them cannot be a month (3/4/2011 is left alone).
    if (IsNumber(i) && tokens_[i].digits <= 2 && InRange(i + 4) && Adjacent(i + 1) && Adjacent(i + 2) &&
        Adjacent(i + 3) && Adjacent(i + 4) && IsNumber(i + 2) && IsNumber(i + 4) && tokens_[i + 2].digits <= 2 &&
        tokens_[i + 4].digits == 4 && tokens_[i + 1].lower == tokens_[i + 3].lower &&
        (IsPunct(i + 1, "-") || IsPunct(i + 1, "/") || IsPunct(i + 1, ".")) &&
        !(InRange(i + 5) && Adjacent(i + 5) && tokens_[i + 5].lower == tokens_[i + 1].lower)) {
      const int a = Value(i), b = Value(i + 2), y = Value(i + 4);
      if ((a > 12) == (b > 12)) return 0;
      const int m = a > 12 ? b : a, d = a > 12 ? a : b;
      if (y < 1800 || y > 2100 || m < 1 || d < 1 || d > DaysInMonth(y, m)) return 0;
      date->month = m;
      date->day = d;
      date->has_year = true;
      date->year.year = y;
      return i + 5;
    }
    if (size_t next = DayAt(i, &day)) {
      if (size_t after_month = MonthAt(next, &month, &abbreviated)) {
        date->month = month;
        date->day = day;
        if (size_t after_year = TrailingYearAt(after_month, &date->year)) {
          date->has_year = true;
          return after_year;
        }
        return after_month;
      }
      return 0;
    }
    // 2022-03-29, 2022/3/29, 2022.03.29: all adjacent.
    if (IsNumber(i) && tokens_[i].digits == 4 && InRange(i + 4) && Adjacent(i + 1) && Adjacent(i + 2) &&
        Adjacent(i + 3) && Adjacent(i + 4) && IsNumber(i + 2) && IsNumber(i + 4) && tokens_[i + 2].digits <= 2 &&
        tokens_[i + 4].digits <= 2 && tokens_[i + 1].lower == tokens_[i + 3].lower &&
        (IsPunct(i + 1, "-") || IsPunct(i + 1, "/") || IsPunct(i + 1, "."))) {
      const int y = Value(i), m = Value(i + 2), d = Value(i + 4);
      if (y < 1800 || y > 2100 || m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return 0;
      date->month = m;
      date->day = d;
      date->has_year = true;
      date->year.year = y;
      return i + 5;
    }
    return 0;
  }

  // --- context --------------------------------------------------------------
  // True when the clause before token i speaks of the future ("will ... on Friday").
  bool FutureBefore(size_t i) const {
    const size_t stop = i > 20 ? i - 20 : 0;
    for (size_t k = i; k > stop; --k) {
      const BlockToken& t = tokens_[k - 1];
      if (t.type == TokenType::kPunct && (t.lower == "." || t.lower == "!" || t.lower == "?" || t.lower == ";" ||
                                          t.lower == "\"" || t.lower == "\u201c" || t.lower == "\u201d")) {
        return false;
      }
      if (t.type != TokenType::kWord) continue;
      // "..., state media said on Tuesday": the reporting verb starts a new clause.
      if (t.lower == "said" || t.lower == "says" || t.lower == "reported" || t.lower == "announced" ||
          t.lower == "told" || t.lower == "added") {
        return false;
      }
      if (IsFutureCue(t.lower)) return true;
      if ((t.lower == "is" || t.lower == "are" || t.lower == "set" || t.lower == "due") && IsWord(k, "to")) {
        return true;
      }
    }
    return false;
  }

  // --- resolution against the publication date --------------------------------
  // Year of a month-day (or month, when day == 0) without a year: the most recent
  // on or before publication, or the next one for a future clause or when the past
  // one is over nine months back and the next within three months ahead.
  int InferYear(int month, int day, bool future) const {
    const int probe_day = day == 0 ? 1 : day;
    auto days_of = [&](int y) {
      const int d = std::min(probe_day, DaysInMonth(y, month));
      return DaysFromCivil(y, month, d);
    };
    const int64_t pub_anchor = day == 0 ? DaysFromCivil(pub_.year, pub_.month, 1) : pub_days_;
    int past = pub_.year;
    if (days_of(past) > pub_anchor) --past;
    const int next = days_of(past) == pub_anchor ? past : past + 1;
    if (future) return next;
    const int64_t back = pub_anchor - days_of(past);
    const int64_t ahead = days_of(past + 1) - pub_anchor;
    if (back > 270 && ahead < 90) return past + 1;
    return past;
  }

  // Key for a resolved day/month/year.
  static std::string CalendarKey(int y, int m, int d) {
    if (m == 0) return IsoYear(y);
    if (d == 0) return IsoMonth(y, m);
    return IsoDay(y, m, d);
  }

  // Fills key/resolution/relative for a calendar date; false when it is not a
  // real date (February 30).
  bool ResolveCalendar(const CalendarDate& date, size_t first, Found* found, int* year_out) const {
    int y = 0;
    if (date.has_year) {
      y = date.year.year;
      found->relative = date.year.relative;
      if (date.year.juche > 0) found->juche_year = date.year.juche;
      if (date.year.mismatch) found->flag = "juche-mismatch";
    } else {
      found->relative = true;
      if (have_pub_) y = InferYear(date.month, date.day, FutureBefore(first));
    }
    if (y != 0 && date.day > DaysInMonth(y, date.month)) return false;
    if (y == 0 && date.day > 31) return false;
    *year_out = y;
    found->resolution = date.day ? "day" : "month";
    if (y != 0) found->key = CalendarKey(y, date.month, date.day);
    return true;
  }

  // --- the matchers ------------------------------------------------------------
  bool Match(size_t i, Found* found) const {
    const BlockToken& t = tokens_[i];
    if (t.type == TokenType::kPunct) return false;
    // A word or number glued to the previous word ("COVID-19" is fine: '-' is punct).
    if (!t.space_before && i > 0 && tokens_[i - 1].type != TokenType::kPunct) return false;
    if (t.type == TokenType::kWord) {
      if (!CanStartDate(t.lower)) return false;
      if (MatchRelative(i, found)) return true;
      if (MatchWeekday(i, found)) return true;
      if (MatchCalendar(i, found)) return true;
      if (MatchJucheYear(i, found)) return true;
      return false;
    }
    if (MatchRelative(i, found)) return true;  // "30 years ago"
    if (MatchDayFirstRange(i, found)) return true;
    if (MatchCalendar(i, found)) return true;
    if (MatchTime(i, found)) return true;
    return MatchYear(i, found);
  }

  // "Juche 111 (2022)" alone.
  bool MatchJucheYear(size_t i, Found* found) const {
    if (!IsWord(i, "juche")) return false;
    YearPart year;
    const size_t next = YearAt(i, &year);
    if (!next) return false;
    found->end = next;
    found->key = IsoYear(year.year);
    found->resolution = "year";
    found->juche_year = year.juche;
    if (year.mismatch) found->flag = "juche-mismatch";
    // The KCNA stamp "Juche113.7.23": year.month.day, all adjacent.
    if (IsPunct(next, ".") && Adjacent(next) && IsNumber(next + 1) && Adjacent(next + 1) && IsPunct(next + 2, ".") &&
        Adjacent(next + 2) && IsNumber(next + 3) && Adjacent(next + 3)) {
      const int m = Value(next + 1), d = Value(next + 3);
      if (m >= 1 && m <= 12 && d >= 1 && d <= DaysInMonth(year.year, m)) {
        found->end = next + 4;
        found->key = IsoDay(year.year, m, d);
        found->resolution = "day";
      }
    }
    return true;
  }

  // Calendar dates, ranges of them, and a time after them.
  bool MatchCalendar(size_t i, Found* found) const {
    CalendarDate date;
    const size_t next = CalendarAt(i, &date);
    if (!next) return false;
    if (date.bare_month) {
      // "March" alone: a date only after a cue ("in March", "since May").
      if (i == 0 || !IsMonthCue(Word(i - 1))) return false;
      // "May Day Stadium", "the April Revolution": names built on a month.
      if (InRange(next) && tokens_[next].type == TokenType::kWord && tokens_[next].capitalized &&
          (IsFacilityNoun(tokens_[next].lower) || tokens_[next].lower == "day" || tokens_[next].lower == "revolution" ||
           tokens_[next].lower == "holiday" || tokens_[next].lower == "uprising" ||
           tokens_[next].lower == "festival")) {
        return false;
      }
    }
    // "the April 25 House of Culture", "February 8 Vinalon Complex": names.
    if (date.day && !date.has_year && IsNameAfter(next, i > 0 && IsWord(i - 1, "the"))) return false;
    if (date.day && MatchDayRange(i, next, date, found)) return true;
    int year = 0;
    if (!ResolveCalendar(date, i, found, &year)) return false;
    found->end = next;
    if (date.day) AttachTime(next, year, date.month, date.day, found);
    return true;
  }

  // True when the capitalized words at `next` make a month-day a name: after "the"
  // any capitalized word does; otherwise one of the next three must be a facility noun.
  // ("the October 4 declaration", "June 15 North-South Joint Declaration": documents).
  bool IsNameAfter(size_t next, bool after_the) const {
    if (!InRange(next) || tokens_[next].type != TokenType::kWord) return false;
    if (after_the && tokens_[next].capitalized) return true;
    for (size_t k = next; k < next + 6 && InRange(k); ++k) {
      if (tokens_[k].type == TokenType::kPunct && tokens_[k].lower == "-" && !tokens_[k].space_before) continue;
      if (tokens_[k].type != TokenType::kWord) break;
      if (IsFacilityNoun(tokens_[k].lower)) return true;
      if (!tokens_[k].capitalized) break;
    }
    return false;
  }

  // "April 1-10", "April 1 to May 3, 2022", "Dec 27-31", "1-3 March 2022" (the first
  // date is already parsed as `first` ending before token `next`).
  bool MatchDayRange(size_t i, size_t next, const CalendarDate& first, Found* found) const {
    bool dash = IsDash(next);
    const bool word = IsWord(next, "to") || IsWord(next, "through") || IsWord(next, "until") ||
                      (IsWord(next, "and") && i > 0 && IsWord(i - 1, "between"));
    if (!dash && !word) return false;
    CalendarDate second;
    size_t end = 0;
    int day = 0;
    bool abbreviated = false;
    int month = 0;
    if (MonthAt(next + 1, &month, &abbreviated)) {
      end = CalendarAt(next + 1, &second);
      if (!end || second.day == 0) return false;
    } else if (size_t after_day = DayAt(next + 1, &day)) {
      second.month = first.month;
      second.day = day;
      end = after_day;
      if (size_t after_year = TrailingYearAt(after_day, &second.year)) {
        second.has_year = true;
        end = after_year;
      }
    } else {
      return false;
    }
    CalendarDate start = first;
    if (!start.has_year && second.has_year) {
      start.has_year = true;
      start.year = second.year;
      if (start.month > second.month && second.year.year != 0) --start.year.year;
    }
    if (!start.has_year) {
      // Neither has a year: infer the first, carry it over.
      Found probe;
      int year = 0;
      if (!ResolveCalendar(start, i, &probe, &year)) return false;
      found->relative = true;
      if (year == 0) {
        found->end = end;
        found->label = "range";
        found->resolution = "range";
        return true;
      }
      start.has_year = second.has_year = true;
      start.year.year = year;
      second.year.year = second.month < start.month ? year + 1 : year;
    } else if (!second.has_year) {
      second.has_year = true;
      second.year = start.year;
    }
    if (start.year.year == 0 || second.year.year == 0) {
      found->end = end;
      found->label = "range";
      found->resolution = "range";
      found->relative = true;
      return true;
    }
    if (start.day > DaysInMonth(start.year.year, start.month) ||
        second.day > DaysInMonth(second.year.year, second.month)) {
      return false;
    }
    const int64_t a = DaysFromCivil(start.year.year, start.month, start.day);
    const int64_t b = DaysFromCivil(second.year.year, second.month, second.day);
    if (b <= a) return false;
    found->end = end;
    found->label = "range";
    found->resolution = "range";
    found->relative = found->relative || start.year.relative;
    if (start.year.juche) found->juche_year = start.year.juche;
    if (start.year.mismatch || second.year.mismatch) found->flag = "juche-mismatch";
    found->key = IsoDay(a) + "/" + IsoDay(b);
    return true;
  }

  // "1-3 March 2022", "27 to 31 December": two days sharing the month after them.
  bool MatchDayFirstRange(size_t i, Found* found) const {
    int first_day = 0;
    const size_t after_first = DayAt(i, &first_day);
    if (!after_first) return false;
    const bool joined = (IsDash(after_first) && Adjacent(after_first)) || IsWord(after_first, "to") ||
                        (IsWord(after_first, "and") && i > 0 && IsWord(i - 1, "between"));
    if (!joined) return false;
    CalendarDate second;
    const size_t end = CalendarAt(after_first + 1, &second);
    if (!end || second.day == 0 || second.day <= first_day) return false;
    Found probe;
    int year = 0;
    if (!ResolveCalendar(second, i, &probe, &year)) return false;
    found->end = end;
    found->label = "range";
    found->resolution = "range";
    found->relative = probe.relative;
    found->juche_year = probe.juche_year;
    found->flag = probe.flag;
    if (year != 0) found->key = IsoDay(year, second.month, first_day) + "/" + IsoDay(year, second.month, second.day);
    return true;
  }

  // "Tuesday", "Tuesday (Mar 29)", "Tuesday, March 29, 2022", "last Friday".
  bool MatchWeekday(size_t i, Found* found) const {
    int weekday = 0;
    bool abbreviated = false;
    const size_t next = WeekdayAt(i, &weekday, &abbreviated);
    if (!next) return false;
    // With a calendar date after it.
    size_t at = next;
    const bool paren = IsPunct(at, "(");
    // "Wed, 30 Mar 2022" but not "the Day of the Sun (April 15)": abbreviations need a comma.
    if (abbreviated && !IsPunct(at, ",")) return false;
    if (paren || IsPunct(at, ",")) ++at;
    CalendarDate date;
    if (size_t end = CalendarAt(at, &date); end && date.day) {
      if (paren && !IsPunct(end, ")")) return false;
      if (paren) ++end;
      int year = 0;
      if (!ResolveCalendarForWeekday(date, weekday, i, found, &year)) return false;
      found->end = end;
      AttachTime(end, year, date.month, date.day, found);
      return true;
    }
    if (abbreviated) return false;
    // "Thursday (17)": the weekday and its day of the month (a style of wire
    // copy translated from Spanish and Portuguese): the latest such day on or
    // before publication, within two months.
    if (paren && IsNumber(at) && tokens_[at].digits <= 2 && IsPunct(at + 1, ")") && Value(at) >= 1 && Value(at) <= 31) {
      found->end = at + 2;
      found->resolution = "day";
      found->relative = true;
      if (!have_pub_) return true;
      for (int64_t day = pub_days_; day > pub_days_ - 62; --day) {
        if (Weekday(day) == weekday && CivilFromDays(day).day == Value(at)) {
          found->key = IsoDay(day);
          return true;
        }
      }
      ResolveWeekday(weekday, 0, false, found);
      return true;
    }
    const bool future = FutureBefore(i);
    // "Tuesday to Saturday", "from Monday through Wednesday": the first day as usual, the
    // second the next such weekday after it.
    int last_weekday = 0;
    bool last_abbreviated = false;
    if ((IsWord(next, "to") || IsWord(next, "through") || IsWord(next, "till") || IsWord(next, "until")) &&
        WeekdayAt(next + 1, &last_weekday, &last_abbreviated) && !last_abbreviated && last_weekday != weekday) {
      Found start;
      ResolveWeekday(weekday, 0, future, &start);
      found->end = next + 2;
      found->label = "range";
      found->resolution = "range";
      found->relative = true;
      Ymd ymd;
      if (!start.key.empty() && ParseIsoDate(start.key, &ymd)) {
        const int64_t first = DaysFromCivil(ymd.year, ymd.month, ymd.day);
        found->key = start.key + "/" + IsoDay(first + (last_weekday - weekday + 7) % 7);
      }
      return true;
    }
    found->end = next;
    // "Thursday night", "Tuesday morning": still that day.
    const std::string_view part_of_day = Word(next);
    if (part_of_day == "night" || part_of_day == "morning" || part_of_day == "afternoon" || part_of_day == "evening") {
      found->end = next + 1;
    }
    ResolveWeekday(weekday, 0, future, found);
    AttachTime(found->end, 0, 0, 0, found);
    return true;
  }

  bool ResolveCalendarForWeekday(const CalendarDate& date, int weekday, size_t first, Found* found, int* year) const {
    if (!ResolveCalendar(date, first, found, year)) return false;
    if (*year != 0 && Weekday(DaysFromCivil(*year, date.month, date.day)) != weekday && found->flag.empty()) {
      found->flag = "weekday-mismatch";
    }
    return true;
  }

  // mode: -1 "last", +1 "next", 2 "this", 0 plain.
  void ResolveWeekday(int weekday, int mode, bool future, Found* found) const {
    found->resolution = "day";
    found->relative = true;
    if (!have_pub_) return;
    const int pub_weekday = Weekday(pub_days_);
    int64_t day = 0;
    if (mode == 2) {
      day = pub_days_ - pub_weekday + weekday;
    } else if (mode == 1 || (mode == 0 && future)) {
      int delta = (weekday - pub_weekday + 7) % 7;
      if (mode == 1 && delta == 0) delta = 7;
      day = pub_days_ + delta;
    } else {
      int delta = (pub_weekday - weekday + 7) % 7;
      if (mode == -1 && delta == 0) delta = 7;
      day = pub_days_ - delta;
    }
    found->key = IsoDay(day);
  }

  // Optional ", at 10 a.m. KST" after a date; turns the span into a datetime.
  void AttachTime(size_t next, int year, int month, int day, Found* found) const {
    size_t at = next;
    if (IsPunct(at, ",")) ++at;
    if (IsWord(at, "at")) ++at;
    Time time;
    const size_t end = TimeAt(at, &time);
    if (!end) return;
    found->end = end;
    found->label = "datetime";
    found->resolution = "time";
    found->zone = time.zone;
    if (found->key.empty()) return;
    if (year == 0) {  // a weekday: the key holds the day
      Ymd ymd;
      if (!ParseIsoDate(found->key, &ymd)) return;
      year = ymd.year;
      month = ymd.month;
      day = ymd.day;
    }
    found->key = IsoDay(year, month, day) + TimeSuffix(time, year, month, day);
  }

  static std::string TimeSuffix(const Time& time, int year, int month, int day) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "T%02d:%02d", time.hour, time.minute);
    std::string out = buffer;
    if (time.pyongyang) {
      const int64_t d = DaysFromCivil(year, month, day);
      const bool half_hour = year != 0 && d >= DaysFromCivil(2015, 8, 15) && d < DaysFromCivil(2018, 5, 5);
      out += half_hour ? "+08:30" : "+09:00";
    } else if (time.seasonal && year != 0 && month != 0 && day != 0) {
      // A zone whose offset depends on the season ("ET") takes the day it is on.
      const lexicon::Ymd on{year, month, day};
      const std::string offset = lexicon::ZoneOffset(time.zone, &on);
      out += offset.empty() ? time.offset : offset;
    } else {
      out += time.offset;
    }
    return out;
  }

  // "08:59AM", "10 a.m.", "15:30 KST", "9 p.m. (GMT)", "2300 GMT", "9 p.m. Pyongyang time".
  size_t TimeAt(size_t i, Time* time, bool allow_paren = true) const {
    if (!IsNumber(i)) return 0;
    size_t next = 0;
    bool need_zone = false;
    if (tokens_[i].digits <= 2 && IsPunct(i + 1, ":") && Adjacent(i + 1) && IsNumber(i + 2) && Adjacent(i + 2) &&
        tokens_[i + 2].digits == 2) {
      time->hour = Value(i);
      time->minute = Value(i + 2);
      next = i + 3;
      if (IsPunct(next, ":") && Adjacent(next) && IsNumber(next + 1) && Adjacent(next + 1)) next += 2;  // seconds
    } else if (tokens_[i].digits <= 2) {
      time->hour = Value(i);
      next = i + 1;
    } else if (tokens_[i].digits == 4) {
      time->hour = Value(i) / 100;
      time->minute = Value(i) % 100;
      next = i + 1;
      need_zone = true;
    } else {
      return 0;
    }
    if (time->minute > 59) return 0;
    // am / pm
    int meridiem = 0;  // 1 am, 2 pm
    if (IsWord(next, "am") || IsWord(next, "pm")) {
      meridiem = IsWord(next, "am") ? 1 : 2;
      ++next;
    } else if ((IsWord(next, "a") || IsWord(next, "p")) && IsPunct(next + 1, ".") && Adjacent(next + 1) &&
               IsWord(next + 2, "m") && Adjacent(next + 2)) {
      meridiem = IsWord(next, "a") ? 1 : 2;
      next += 3;
      if (IsPunct(next, ".") && Adjacent(next)) ++next;
    }
    const bool had_colon = next > i + 1 && IsPunct(i + 1, ":");
    if (meridiem) {
      if (time->hour < 1 || time->hour > 12) return 0;
      if (meridiem == 1 && time->hour == 12) time->hour = 0;
      if (meridiem == 2 && time->hour != 12) time->hour += 12;
    } else if (!had_colon && !need_zone) {
      return 0;  // "10" alone is no time
    }
    if (time->hour > 23) return 0;
    const size_t after_zone = ZoneAt(next, time);
    if (need_zone && !after_zone) return 0;
    const size_t after = after_zone ? after_zone : next;
    // "2:34 p.m. (0534 GMT)": the same moment in a known zone gives the local offset.
    if (allow_paren && time->offset.empty() && !time->pyongyang && IsPunct(after, "(")) {
      Time other;
      const size_t close = TimeAt(after + 1, &other, false);
      if (close && IsPunct(close, ")") && !other.offset.empty()) {
        const int other_offset =
            (other.offset[0] == '-' ? -1 : 1) * ((other.offset[1] - '0') * 600 + (other.offset[2] - '0') * 60 +
                                                 (other.offset[4] - '0') * 10 + (other.offset[5] - '0'));
        int local = (time->hour * 60 + time->minute) - (other.hour * 60 + other.minute) + other_offset;
        while (local > 14 * 60) local -= 24 * 60;
        while (local <= -12 * 60) local += 24 * 60;
        char buffer[16];
        std::snprintf(buffer, sizeof buffer, "%c%02d:%02d", local < 0 ? '-' : '+', std::abs(local) / 60,
                      std::abs(local) % 60);
        time->offset = buffer;
        time->zone = other.zone;
        return close + 1;
      }
    }
    return after;
  }

  size_t ZoneAt(size_t i, Time* time) const {
    size_t at = i;
    const bool paren = IsPunct(at, "(");
    if (paren) ++at;
    if (InRange(at) && tokens_[at].type == TokenType::kWord) {
      // A zone is written in capitals ("KST"); "est" in lower case is no zone.
      const std::string_view raw = tokens_[at].raw;
      const bool capitals = std::all_of(raw.begin(), raw.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
      if (capitals && lexicon::IsZoneName(raw)) {
        std::string offset = lexicon::ZoneOffset(raw);  // a fixed offset, or none for "ET"
        const bool seasonal = offset.empty();           // then the publication day's until a date is known
        if (seasonal && have_pub_) offset = lexicon::ZoneOffset(raw, &pub_);
        if (!offset.empty()) {
          if (paren && !IsPunct(at + 1, ")")) return 0;
          time->zone = std::string(raw);
          time->offset = std::move(offset);
          time->seasonal = seasonal;
          return at + (paren ? 2 : 1);
        }
      }
      if (!paren && IsWord(at + 1, "time")) {
        const std::string_view w = Word(at);
        if (w == "pyongyang") time->pyongyang = true;
        if (w == "seoul" || w == "tokyo") time->offset = "+09:00";
        if (w == "beijing") time->offset = "+08:00";
        if (time->pyongyang || !time->offset.empty() || w == "local") {
          time->zone = std::string(text_.substr(tokens_[at].begin, tokens_[at + 1].end - tokens_[at].begin));
          return at + 2;
        }
      }
    }
    return 0;
  }

  // A time alone, or a time followed by "on <date>".
  bool MatchTime(size_t i, Found* found) const {
    Time time;
    size_t next = TimeAt(i, &time);
    if (!next) return false;
    // "from 9:00 to 16:00", "03:00-06:00": a range of times.
    Time until;
    bool is_range = false;
    if (IsWord(next, "to") || IsWord(next, "until") || IsWord(next, "till") || IsDash(next)) {
      if (const size_t after = TimeAt(next + 1, &until)) {
        is_range = true;
        next = after;
        if (time.offset.empty() && !time.pyongyang) {
          time.offset = until.offset;
          time.pyongyang = until.pyongyang;
        }
      }
    }
    found->end = next;
    found->label = is_range ? "range" : "time";
    found->resolution = is_range ? "range" : "time";
    found->zone = is_range && !until.zone.empty() ? until.zone : time.zone;
    int year = 0, month = 0, day = 0;
    std::string date_key;
    // "10 a.m. on March 29", "10 a.m. on Tuesday", "09:45 of October 9", "9 a.m. Sunday"
    const size_t at = IsWord(next, "on") || IsWord(next, "of") ? next + 1 : next;
    if (InRange(at) && tokens_[at].type != TokenType::kPunct) {
      Found date;
      if ((MatchWeekday(at, &date) || MatchCalendar(at, &date)) && date.resolution == "day") {
        found->end = date.end;
        if (!is_range) found->label = "datetime";
        found->relative = date.relative;
        found->juche_year = date.juche_year;
        found->flag = date.flag;
        Ymd ymd;
        if (date.key.empty() || !ParseIsoDate(date.key, &ymd)) {
          found->key.clear();
          return true;
        }
        year = ymd.year;
        month = ymd.month;
        day = ymd.day;
        date_key = date.key;
      }
    }
    found->key = date_key + TimeSuffix(time, year, month, day);
    if (is_range) found->key += "/" + date_key + TimeSuffix(until, year, month, day);
    return true;
  }

  // A bare year ("in 2021", "since 2020") or a year range ("2021-2022").
  bool MatchYear(size_t i, Found* found) const {
    if (!IsYearNumber(i) && !IsOldYear(i)) return false;
    if (i > 0) {
      const BlockToken& before = tokens_[i - 1];
      if (before.type == TokenType::kPunct && (before.lower == "$" || before.lower == "#" || before.lower == "-") &&
          !before.space_before && !tokens_[i].space_before) {
        return false;
      }
      if (IsIdentifierCue(Word(i - 1)) || (IsPunct(i - 1, ".") && IsIdentifierCue(Word(i - 2)))) return false;
    }
    if (IsUnitWord(Word(i + 1)) || IsPunct(i + 1, "%")) return false;
    const int first = Value(i);
    // "2017 to 2019", "from 2018 through 2020", "between 2018 and 2019"
    if ((IsWord(i + 1, "to") || IsWord(i + 1, "through") || IsWord(i + 1, "until") ||
         (IsWord(i + 1, "and") && i > 0 && IsWord(i - 1, "between"))) &&
        IsYearNumber(i + 2) && Value(i + 2) > first && !IsUnitWord(Word(i + 3))) {
      found->end = i + 3;
      found->label = "range";
      found->resolution = "range";
      found->key = IsoYear(first) + "/" + IsoYear(Value(i + 2));
      return true;
    }
    // 2021-2022, 2021-22
    if (IsDash(i + 1) && Adjacent(i + 1) && IsNumber(i + 2) && Adjacent(i + 2)) {
      int second = -1;
      if (tokens_[i + 2].digits == 4) second = Value(i + 2);
      if (tokens_[i + 2].digits == 2) second = first / 100 * 100 + Value(i + 2);
      if (second > first && second <= 2100) {
        found->end = i + 3;
        found->label = "range";
        found->resolution = "range";
        found->key = IsoYear(first) + "/" + IsoYear(second);
        return true;
      }
      return false;
    }
    found->end = i + 1;
    found->key = IsoYear(first);
    found->resolution = "year";
    return true;
  }

  // today, yesterday, last week, earlier this month, three days ago, last Friday,
  // early April [last year], the end of last year, mid-2021, the first half of 2022.
  bool MatchRelative(size_t i, Found* found) const {
    const std::string_view w = Word(i);
    if (w == "today" || w == "tonight" || w == "yesterday" || w == "tomorrow") {
      const int offset = w == "yesterday" ? -1 : w == "tomorrow" ? 1 : 0;
      return DayOffset(i + 1, offset, found);
    }
    if (w == "the" && IsWord(i + 1, "day") && (IsWord(i + 2, "before") || IsWord(i + 2, "after")) &&
        (IsWord(i + 3, "yesterday") || IsWord(i + 3, "tomorrow"))) {
      return DayOffset(i + 4, IsWord(i + 3, "yesterday") ? -2 : 2, found);
    }
    if (w == "last" && IsWord(i + 1, "night")) return DayOffset(i + 2, -1, found);
    // "on the 30th" (a day of the month alone, as Korean-style reports write
    // it): the most recent such day on or before publication.
    if (w == "the" && i > 0 && IsWord(i - 1, "on") && IsNumber(i + 1) && tokens_[i + 1].digits <= 2 &&
        Adjacent(i + 2) && (IsWord(i + 2, "st") || IsWord(i + 2, "nd") || IsWord(i + 2, "rd") || IsWord(i + 2, "th")) &&
        (!InRange(i + 3) || tokens_[i + 3].type == TokenType::kPunct || IsWord(i + 3, "that") || IsWord(i + 3, "and") ||
         IsWord(i + 3, "when")) &&
        Value(i + 1) >= 1 && Value(i + 1) <= 31) {
      found->end = i + 3;
      found->resolution = "day";
      found->relative = true;
      if (have_pub_) {
        int y = pub_.year, m = pub_.month;
        if (Value(i + 1) > pub_.day) {
          if (--m == 0) m = 12, --y;
        }
        if (Value(i + 1) > DaysInMonth(y, m)) return false;
        found->key = IsoDay(y, m, Value(i + 1));
      }
      return true;
    }
    // "the previous day", "a day earlier", "the following day": one day from
    // the last day named before (the event in context), else from publication.
    if ((w == "the" || w == "a") && i + 2 < tokens_.size()) {
      int offset = 0;
      const std::string_view second = Word(i + 1), third = Word(i + 2);
      if (w == "the" && (second == "previous" || second == "preceding") && third == "day") offset = -1;
      if (w == "the" && (second == "following" || second == "next") && third == "day") offset = 1;
      // "a day before" alone; "a day after the launch" counts from another event.
      const bool alone = !InRange(i + 3) || tokens_[i + 3].type == TokenType::kPunct;
      if (second == "day" && (third == "earlier" || (third == "before" && alone))) offset = -1;
      if (second == "day" && (third == "later" || (third == "after" && alone))) offset = 1;
      // "on the 7th, the previous day": an apposition restating the day just named.
      if (offset != 0 && i >= 1 && IsPunct(i - 1, ",") && last_end_ == i - 1) return false;
      if (offset != 0) {
        found->end = i + 3;
        found->resolution = "day";
        found->relative = true;
        if (have_last_day_) {
          found->key = IsoDay(last_day_ + offset);
        } else if (have_pub_) {
          found->key = IsoDay(pub_days_ + offset);
        }
        return true;
      }
    }
    if (w == "this" && (IsWord(i + 1, "morning") || IsWord(i + 1, "afternoon") || IsWord(i + 1, "evening"))) {
      return DayOffset(i + 2, 0, found);
    }
    // N days/weeks/months/years ago
    if ((IsNumber(i) && tokens_[i].digits <= 2) || SmallNumberWord(w) > 0) {
      const int n = IsNumber(i) ? Value(i) : SmallNumberWord(w);
      const std::string_view unit = Word(i + 1);
      if (IsWord(i + 2, "ago")) {
        if (unit == "day" || unit == "days") return DayOffset(i + 3, -n, found);
        if (unit == "week" || unit == "weeks") return WeekOffset(i + 3, -n, found);
        if (unit == "month" || unit == "months") return MonthOffset(i + 3, -n, found);
        if (unit == "year" || unit == "years") return YearOffset(i + 3, -n, found);
      }
      return false;
    }
    // (earlier|later) (this|last|next) week/month/year
    size_t at = i;
    if (w == "earlier" || w == "later") ++at;
    const std::string_view which = Word(at);
    // "the last year", "the next month": a duration, not a calendar period.
    if (at == i && i > 0 && (IsWord(i - 1, "the") || IsWord(i - 1, "past"))) return false;
    if (which == "last" || which == "this" || which == "next") {
      const int offset = which == "last" ? -1 : which == "next" ? 1 : 0;
      const std::string_view unit = Word(at + 1);
      if (unit == "week") return WeekOffset(at + 2, offset, found);
      if (unit == "month") return MonthOffset(at + 2, offset, found);
      if (unit == "year") return YearOffset(at + 2, offset, found);
      if (at != i) return false;
      int weekday = 0, month = 0;
      bool abbreviated = false;
      if (size_t next = WeekdayAt(at + 1, &weekday, &abbreviated); next && !abbreviated) {
        found->end = next;
        ResolveWeekday(weekday, which == "last" ? -1 : which == "next" ? 1 : 2, false, found);
        return true;
      }
      // "in this February 16, 2012 file photo": the full date is the date.
      if (CalendarDate full; which == "this" && CalendarAt(at + 1, &full) != 0 && full.day != 0) return false;
      if (size_t next = MonthAt(at + 1, &month, &abbreviated); next && !abbreviated) {
        found->end = next;
        found->resolution = "month";
        found->relative = true;
        if (have_pub_) {
          int y = pub_.year;
          if (offset < 0 && month >= pub_.month) --y;
          if (offset > 0 && month <= pub_.month) ++y;
          found->key = IsoMonth(y, month);
        }
        return true;
      }
      return false;
    }
    return MatchPart(i, found);
  }

  bool DayOffset(size_t end, int offset, Found* found) const {
    found->end = end;
    found->resolution = "day";
    found->relative = true;
    if (have_pub_) found->key = IsoDay(pub_days_ + offset);
    return true;
  }
  bool WeekOffset(size_t end, int offset, Found* found) const {
    found->end = end;
    found->resolution = "week";
    found->relative = true;
    if (have_pub_) found->key = IsoWeek(pub_days_ + 7 * offset);
    return true;
  }
  bool MonthOffset(size_t end, int offset, Found* found) const {
    found->end = end;
    found->resolution = "month";
    found->relative = true;
    if (have_pub_) {
      const int index = pub_.year * 12 + (pub_.month - 1) + offset;
      found->key = IsoMonth(index / 12, index % 12 + 1);
    }
    return true;
  }
  bool YearOffset(size_t end, int offset, Found* found) const {
    found->end = end;
    found->resolution = "year";
    found->relative = true;
    if (have_pub_) found->key = IsoYear(pub_.year + offset);
    return true;
  }

  enum class Part : uint8_t { kEarly, kMid, kLate, kBeginning, kEnd, kFirstHalf, kSecondHalf };

  // A part of a month or year: "early April", "mid-2021", "late last year",
  // "the end of March", "the beginning of this year", "the first half of 2022".
  bool MatchPart(size_t i, Found* found) const {
    const std::string_view w = Word(i);
    Part part;
    size_t at = i + 1;
    if (w == "early") {
      part = Part::kEarly;
    } else if (w == "late") {
      part = Part::kLate;
    } else if (w == "mid") {
      part = Part::kMid;
      if (IsDash(at) && Adjacent(at)) ++at;
    } else if (w == "the" &&
               (IsWord(i + 1, "end") || IsWord(i + 1, "beginning") || IsWord(i + 1, "start") ||
                IsWord(i + 1, "middle")) &&
               IsWord(i + 2, "of")) {
      const std::string_view which = Word(i + 1);
      part = which == "end" ? Part::kEnd : which == "middle" ? Part::kMid : Part::kBeginning;
      at = i + 3;
    } else if (w == "the" && (IsWord(i + 1, "first") || IsWord(i + 1, "second")) && IsWord(i + 2, "half") &&
               IsWord(i + 3, "of")) {
      part = IsWord(i + 1, "first") ? Part::kFirstHalf : Part::kSecondHalf;
      at = i + 4;
    } else {
      return false;
    }
    // Target: a month (with or without a year), a year, or this/last/next month/year.
    int y = 0, m = 0;
    bool relative = false, resolved = true;
    size_t end = 0;
    CalendarDate date;
    YearPart year;
    const std::string_view which = Word(at);
    if ((which == "this" || which == "last" || which == "next") && IsWord(at + 1, "month")) {
      relative = true;
      end = at + 2;
      if (have_pub_) {
        const int index = pub_.year * 12 + (pub_.month - 1) + (which == "last" ? -1 : which == "next" ? 1 : 0);
        y = index / 12;
        m = index % 12 + 1;
      } else {
        resolved = false;
      }
    } else if (size_t next = CalendarAt(at, &date); next && date.day == 0) {
      m = date.month;
      end = next;
      if (date.has_year) {
        y = date.year.year;
        relative = date.year.relative;
        if (date.year.juche) found->juche_year = date.year.juche;
        if (date.year.mismatch) found->flag = "juche-mismatch";
      } else {
        relative = true;
        if (have_pub_) {
          y = InferYear(m, 0, FutureBefore(i));
        } else {
          resolved = false;
        }
      }
      if (date.has_year && y == 0) resolved = false;
    } else if (IsWord(at, "the") && IsWord(at + 1, "year")) {
      // "the end of the year", "the second half of the year": in news, the current year.
      relative = true;
      end = at + 2;
      if (have_pub_) {
        y = pub_.year;
      } else {
        resolved = false;
      }
    } else if (size_t after_year = YearAt(at, &year)) {
      end = after_year;
      y = year.year;
      relative = year.relative;
      if (year.juche) found->juche_year = year.juche;
      if (year.mismatch) found->flag = "juche-mismatch";
      if (y == 0) resolved = false;
    } else {
      return false;
    }
    found->end = end;
    found->relative = relative;
    if (m != 0) {
      found->label = "range";
      found->resolution = "range";
      if (!resolved) return true;
      const int last = DaysInMonth(y, m);
      int from = 1, to = 10;
      if (part == Part::kMid) from = 11, to = 20;
      if (part == Part::kLate || part == Part::kEnd) from = 21, to = last;
      if (part == Part::kFirstHalf) from = 1, to = 15;
      if (part == Part::kSecondHalf) from = 16, to = last;
      found->key = IsoDay(y, m, from) + "/" + IsoDay(y, m, to);
      return true;
    }
    if (part == Part::kBeginning || part == Part::kEnd) {
      found->resolution = "month";
      if (resolved) found->key = IsoMonth(y, part == Part::kEnd ? 12 : 1);
      return true;
    }
    found->label = "range";
    found->resolution = "range";
    if (!resolved) return true;
    int from = 1, to = 4;
    if (part == Part::kMid) from = 5, to = 8;
    if (part == Part::kLate) from = 9, to = 12;
    if (part == Part::kFirstHalf) from = 1, to = 6;
    if (part == Part::kSecondHalf) from = 7, to = 12;
    found->key = IsoMonth(y, from) + "/" + IsoMonth(y, to);
    return true;
  }

  Span ToSpan(size_t first, const Found& found) const {
    Span span;
    span.kind = SpanKind::kDate;
    span.begin = tokens_[first].begin;
    span.end = tokens_[found.end - 1].end;
    span.label = found.label;
    span.key = found.key;
    span.attrs.emplace_back("resolution", found.resolution);
    if (found.relative) span.attrs.emplace_back("relative", "1");
    if (found.juche_year > 0) {
      span.attrs.emplace_back("calendar", "juche");
      span.attrs.emplace_back("juche_year", std::to_string(found.juche_year));
    }
    if (!found.flag.empty()) span.attrs.emplace_back("flag", found.flag);
    if (!found.zone.empty()) span.attrs.emplace_back("zone", found.zone);
    return span;
  }

  std::string_view text_;
  bool have_pub_ = false;
  Ymd pub_;
  int64_t pub_days_ = 0;
  size_t last_end_ = SIZE_MAX;  // token after the last date of this block
  bool have_last_day_ = false;  // a day was named earlier in the document
  int64_t last_day_ = 0;
  std::span<const BlockToken> tokens_;  // the block being scanned
};

}  // namespace

bool CarriesPageFacts(const Span& block) {
  return block.kind == SpanKind::kBoilerplate &&
         (block.label == "dateline" || block.label == "byline" || block.label == "photo_caption");
}

std::vector<Span> FindDates(const Document& doc, const Deadline& deadline) {
  return annotate_internal::FindDates(doc, annotate_internal::TokenizeDocument(doc), deadline);
}

std::vector<Span> annotate_internal::FindDates(const Document& doc, const DocTokens& tokens, const Deadline& deadline) {
  std::vector<Span> out;
  DateScanner scanner(doc.text, doc.date);
  // DocTokens holds exactly the blocks read here: titles, paragraphs and page facts.
  for (const TokenizedBlock& block : tokens.blocks) {
    if (deadline.Passed()) break;
    scanner.ScanBlock(tokens.WordsOf(block), &out);
  }
  return out;
}

}  // namespace echotrace

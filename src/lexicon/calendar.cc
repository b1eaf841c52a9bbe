#include "lexicon/calendar.h"

#include <array>
#include <cstdio>

namespace echotrace::lexicon {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {"january",   "february", "march",    "april",
                                                      "may",       "june",     "july",     "august",
                                                      "september", "october",  "november", "december"};
constexpr std::array<std::string_view, 12> kMonthAbbreviations = {"jan", "feb", "mar", "apr", "may", "jun",
                                                                  "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> kWeekdays = {"monday", "tuesday",  "wednesday", "thursday",
                                                       "friday", "saturday", "sunday"};
constexpr std::array<std::string_view, 7> kWeekdayAbbreviations = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// Further abbreviations seen in datelines, with the number they stand for.
struct ExtraForm {
  std::string_view form;
  int number;
};
constexpr std::array<ExtraForm, 1> kExtraMonthForms = {{{"sept", 9}}};
constexpr std::array<ExtraForm, 3> kExtraWeekdayForms = {{{"tues", 2}, {"thur", 4}, {"thurs", 4}}};

template <size_t N, size_t M>
int LookUp(std::string_view lower, const std::array<std::string_view, N>& full,
           const std::array<std::string_view, N>& abbreviations, const std::array<ExtraForm, M>& extra,
           bool* abbreviated) {
  bool abbreviation = false;
  int number = 0;
  for (size_t k = 0; k < N && number == 0; ++k) {
    if (lower == full[k]) number = static_cast<int>(k) + 1;
  }
  for (size_t k = 0; k < N && number == 0; ++k) {
    if (lower == abbreviations[k]) number = static_cast<int>(k) + 1, abbreviation = true;
  }
  for (size_t k = 0; k < M && number == 0; ++k) {
    if (lower == extra[k].form) number = extra[k].number, abbreviation = true;
  }
  if (abbreviated != nullptr && number != 0) *abbreviated = abbreviation;
  return number;
}

}  // namespace

int MonthNumber(std::string_view lower, bool* abbreviated) {
  return LookUp(lower, kMonths, kMonthAbbreviations, kExtraMonthForms, abbreviated);
}

int WeekdayNumber(std::string_view lower, bool* abbreviated) {
  return LookUp(lower, kWeekdays, kWeekdayAbbreviations, kExtraWeekdayForms, abbreviated);
}

std::string_view MonthName(int month) { return month >= 1 && month <= 12 ? kMonths[month - 1] : std::string_view(); }

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return kDays[month - 1] + (month == 2 && IsLeapYear(year) ? 1 : 0);
}

bool ValidDate(int year, int month, int day) {
  return year >= 1 && year <= 9999 && day >= 1 && day <= DaysInMonth(year, month);
}

// Howard Hinnant's algorithms (public domain), days since 1970-01-01.
int64_t DaysFromCivil(int year, int month, int day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t yoe = year - era * 400;
  const int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Ymd CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  Ymd out;
  out.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  out.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  out.year = static_cast<int>(yoe + era * 400 + (out.month <= 2));
  return out;
}

// 1970-01-01 was a Thursday.
int Weekday(int64_t days) { return static_cast<int>(((days % 7) + 7 + 3) % 7) + 1; }

std::string IsoDay(int year, int month, int day) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  return buffer;
}

std::string IsoDay(int64_t days) {
  const Ymd ymd = CivilFromDays(days);
  return IsoDay(ymd.year, ymd.month, ymd.day);
}

std::string IsoMonth(int year, int month) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d", year, month);
  return buffer;
}

std::string IsoYear(int year) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d", year);
  return buffer;
}

std::string IsoWeek(int64_t days) {
  const int64_t thursday = days - Weekday(days) + 4;  // the week belongs to the year of its Thursday
  const int year = CivilFromDays(thursday).year;
  const int64_t week = (thursday - DaysFromCivil(year, 1, 1)) / 7 + 1;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-W%02d", year, static_cast<int>(week));
  return buffer;
}

bool ParseIsoDay(std::string_view text, Ymd* out) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return false;
  auto digits = [&](size_t at, size_t n) {
    int value = 0;
    for (size_t k = at; k < at + n; ++k) {
      if (text[k] < '0' || text[k] > '9') return -1;
      value = value * 10 + (text[k] - '0');
    }
    return value;
  };
  out->year = digits(0, 4);
  out->month = digits(5, 2);
  out->day = digits(8, 2);
  return ValidDate(out->year, out->month, out->day);
}

}  // namespace echotrace::lexicon

// Calendar facts, once for every stage: month and weekday names, civil-day
// arithmetic (proleptic Gregorian, days since 1970-01-01), ISO forms and weeks,
// and the Juche calendar (Juche 1 = 1912).
//
// Names are matched in lower case (callers fold). Thread-safety: pure
// functions, no state. Cost: O(1) each.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace echotrace::lexicon {

struct Ymd {
  int year = 0, month = 0, day = 0;  // 0 where unknown
};

// The Juche year of a Gregorian year is year - kJucheOffset (Juche 1 = 1912).
inline constexpr int kJucheOffset = 1911;

// 1..12 for "january".."december", "jan".."dec" and "sept"; 0 otherwise.
// `*abbreviated` (optional) says whether the form was an abbreviation, which
// needs a day or year beside it to count as a date ("may" is also a verb).
int MonthNumber(std::string_view lower, bool* abbreviated = nullptr);
// 1 = Monday .. 7 = Sunday for full names and "mon", "tue(s)", "thu(r)(s)"...; 0 otherwise.
int WeekdayNumber(std::string_view lower, bool* abbreviated = nullptr);
// "january" for 1 ... "december" for 12; empty outside 1..12.
std::string_view MonthName(int month);

bool IsLeapYear(int year);
// Days of `month` (1..12) in `year`; 0 for a month outside 1..12.
int DaysInMonth(int year, int month);
// True for a real day of the Gregorian calendar in years 1..9999.
bool ValidDate(int year, int month, int day);

int64_t DaysFromCivil(int year, int month, int day);
Ymd CivilFromDays(int64_t days);
// 1 = Monday ... 7 = Sunday.
int Weekday(int64_t days);

std::string IsoDay(int year, int month, int day);  // "2022-03-29"
std::string IsoDay(int64_t days);
std::string IsoMonth(int year, int month);  // "2022-03"
std::string IsoYear(int year);              // "2022"
std::string IsoWeek(int64_t days);          // "2022-W12" (ISO 8601 week of that day)

// Parses "YYYY-MM-DD" (a longer string may follow, e.g. a time) into a valid
// date; false otherwise, `*out` then unspecified.
bool ParseIsoDay(std::string_view text, Ymd* out);

}  // namespace echotrace::lexicon

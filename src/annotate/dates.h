// Dates and times: finds date and time expressions in an article and resolves
// them to ISO 8601 values, the way a reader of news would.
//
//   Document doc = ...;              // after Extract; doc.date = "2022-03-29"
//   doc.AddSpans(FindDates(doc));    // "on Tuesday (Mar 29)" -> kDate "2022-03-29"
//
// What is recognized (in kTitle and kParagraph spans only; boilerplate such as
// datelines and teaser lists is left alone):
//   - absolute dates: "March 29, 2022", "Mar. 29", "29 Mar 2022", "the 29th of March",
//     "2022-03-29", "2022/3/29", "2022.03.29", "March 2022", "Tuesday, March 29, 2022";
//   - times, alone or after a date, with zones: "08:59AM", "10 a.m. KST", "15:30 (GMT)",
//     "2300 GMT", "9 p.m. Pyongyang time" -> "2022-03-29T08:59", "T10:00+09:00";
//   - partial and relative dates resolved against the publication date (doc.date):
//     "Tuesday (Mar 29)", "on Monday", "December 31", "in March", "early April last year",
//     "last week", "earlier this month", "the end of last year", "three days ago", "yesterday";
//   - dates relative to another event: "the previous day", "a day earlier", "the following
//     day", "a day before/after" (alone) count from the last day named earlier in the
//     document, else from publication ("on the 7th, the previous day" is one date); a day
//     of the month alone, "on the 30th", is the most recent such day on or before
//     publication;
//   - ranges: "April 1-10", "from April 1 to May 3, 2022", "Dec 27-31", "2021-2022", "early April";
//   - the Juche calendar (Juche year = Gregorian year - 1911): "Juche 111 (2022)",
//     "March Juche 111", "October 10, Juche 110 (2021)". When the bracketed Gregorian year
//     disagrees, the Juche reading is kept and the span is flagged, never silently accepted.
//
// Each span: kind kDate; label "date" | "time" | "datetime" | "range"; key the ISO value
// ("2022-03-29", "2022-03", "2022", "2022-W12", "2022-03-29T08:59+08:00", "T10:00",
// "2022-04-01/2022-04-10"); attrs:
//   resolution  "day" | "month" | "year" | "week" | "range" | "time"
//   relative    "1" when the value depends on the publication date (a missing year, a
//               weekday, "last week"); without a publication date such spans have an empty key
//   calendar    "juche", with juche_year "111", when the Juche calendar was used
//   flag        "juche-mismatch" (bracketed year disagrees), "weekday-mismatch"
//               ("Monday, March 29, 2022" when March 29 is a Tuesday)
//   zone        the zone as written ("KST", "Pyongyang time") when a time has one
// Weekdays and month-days without a year mean the most recent such day on or before
// publication, unless the clause is about the future ("will ... on Friday", "scheduled
// for", "ahead of Tuesday's election") or the date would then be more than nine months
// back but is within three months ahead. Bare numbers and ordinals that are not dates ("8th Central Committee",
// "Resolution 2094", "2000 tons") are not tagged; a bare year needs 1800..2100.
//
// Cost: one pass over each paragraph's tokens; every pattern looks at a bounded
// number of tokens, so time is linear in the text; memory is one lowercase copy
// of doc.text plus the tokens of one paragraph.
// Thread-safety: a free function without shared state.
#pragma once

#include <vector>

#include "core/budget.h"
#include "core/document.h"

namespace echotrace {

// True for page furniture whose facts are the page's: a boilerplate block
// labelled dateline, byline or photo_caption ("Posted June 5, 2012", "By Jane
// Roe", "Kim Jong Un in this February 16, 2012 file photo"). Dates and
// person names are found there as in the article; quotes are not.
bool CarriesPageFacts(const Span& block);

// Dates and times in the title and body paragraphs (kTitle and kParagraph spans) of `doc`,
// and in blocks that CarriesPageFacts, resolved against doc.date (the publication date;
// when empty, relative dates get no key).
// Returned spans are sorted by begin and do not overlap each other.
// With `deadline`, the scan stops at the first block (or 1,024 tokens) read
// after it passed and returns what it found so far; the caller reads the
// deadline again to tell (annotate.h).
std::vector<Span> FindDates(const Document& doc, const Deadline& deadline = Deadline());

}  // namespace echotrace

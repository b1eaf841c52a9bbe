// Internal to extract/: building a Document from a sequence of text blocks.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/budget.h"
#include "core/document.h"
#include "core/status.h"

namespace echotrace::extract_internal {

// Appends `block` (normalized with NormalizeInline) to doc->text, separated
// from the previous block by "\n\n", and records a span of `kind`/`label`.
// Empty blocks are ignored. Returns false if nothing was added.
bool AppendBlock(Document* doc, std::string_view block, SpanKind kind, std::string_view label = {});

// A publication date line's parts: `date` "2022-03-29"; `key` the date
// with the time and zone the line states ("2022-03-29T08:59",
// "2024-05-02T08:41+09:00"); `updated` likewise for an "(Updated: ...)"
// stamp, empty if none.
struct DateLineParts {
  std::string date, key, updated;
};
bool ParseDateLineParts(std::string_view line, DateLineParts* parts);
// Puts a date line's parts on its span: key = parts.key, attribute
// "updated" when the line has one.
void SetDateKey(const DateLineParts& parts, Span* span);

// A byline: "By Dana Whitfield and Seo Ji-woo", "BY HANNAH PARK",
// "Reporting by Seo Ji-woo in Seoul; Editing by Martin Kell", "Translated by
// Martin Hale. Edited by ...", "Associated Press writer Mari Yamane in Tokyo
// contributed to this report". *names gets the writers' names joined with
// "; " (places dropped); *roles the other credits as (role, names) pairs
// ("editing", "Martin Kell"). False for anything else, *names untouched.
bool ParseByline(std::string_view line, std::string* names, std::vector<std::pair<std::string, std::string>>* roles);
// "Categories: Ideology, Narrated", "Posted in Analysis Tagged A, B",
// "#North Korea #border": the categories joined with "; ".
bool ParseCategoryLine(std::string_view line, std::string* key);
// The credit in a photo caption: "REUTERS/Kim Hong-Ji" -> "Reuters/Kim
// Hong-Ji", "(Photo: KCNA)" -> "KCNA", "... released by North Korea's Korean
// Central News Agency" -> "Korean Central News Agency". Empty if none.
std::string PhotoCredit(std::string_view caption);

// A wire photo caption set as a paragraph: "In this Dec. 12, 2006, file
// photo, made available by NASA, ...", "In this photo provided by ...".
bool IsPhotoCaptionText(std::string_view text);

// Page chrome recognised by its text alone ("share", "print", "get the ...
// app", "menu", "© 2025 ...", "World > Asia", "16:40 KST"), on case-folded
// input: the span label, or nullptr.
const char* ChromeLabel(std::string_view folded);

// A line that is only a publication date/time ("29 Mar 2022 08:59AM
// (Updated: ...)", "January 30, 2026"); *iso gets the first date.
bool ParseDateLine(std::string_view line, std::string* iso);
// "Juche 113(2024).4.18." or "(Juche113.7.27.)": KCNA's date stamp. The
// Gregorian year in brackets must agree with the Juche year (J + 1911).
bool ParseJucheDateStamp(std::string_view line, std::string* iso);
// Writes "YYYY-MM-DD" if it is a real calendar date.
bool FormatIsoDate(int year, int month, int day, std::string* iso);
// "More From X", "Related articles", "Read more" ... (case-folded input).
bool IsTeaserHeading(std::string_view folded);

// Extractors for each format; `doc` already holds raw, format and origin.
// Each reads `deadline` between its phases (HTML: also every 256 nodes) and
// returns OverTimeBudget("extraction", ...) once it has passed.
Status ExtractJsonLine(std::string_view utf8, Document* doc, const Deadline& deadline);
Status ExtractPlainText(std::string_view utf8, Document* doc, const Deadline& deadline);
Status ExtractHtml(std::string_view utf8, Document* doc, const Deadline& deadline);

}  // namespace echotrace::extract_internal

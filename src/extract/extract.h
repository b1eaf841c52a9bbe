// Extraction: raw record -> Document.
//
// Decides what the article is (title, body paragraphs, outlet, date, url,
// external id) and keeps everything else the page said as typed boilerplate
// spans, so the decision can be inspected and undone. After Extract returns,
// Document::text never changes.
//
// Metadata the Document has no field for sits on the boilerplate spans that
// state it (Span::key / attrs):
//   dateline       key "2024-05-02T08:41+09:00" (date, then the time and zone
//                  when the line gives them); attr "updated" likewise
//   byline         key "Dana Whitfield; Seo Ji-woo" (writers); attrs per
//                  other credit: "editing", "additional reporting", ...
//   category       key "Ideology; Narrated" (or the section kicker's text)
//   photo_caption  key the credit: "REUTERS/Kim Min-su", "KCNA"; empty if none
//
// Cost: linear in the input; HTML is walked iteratively (no recursion), so
// deeply nested markup cannot exhaust the stack. gumbo's own cost grows with
// the nesting depth, so start tags nested deeper than kMaxHtmlDepth (not
// counting elements that close implicitly, like p, li and td) are dropped
// before parsing, with a warning; their text is kept. Memory is a small
// multiple of the input size.
// Thread-safety: free functions without shared state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/budget.h"
#include "core/document.h"
#include "core/status.h"

namespace echotrace {

// Deepest HTML nesting parsed as written (see Cost above). Real pages stay
// under 100; 100k nested divs would otherwise cost gumbo ~35 s.
inline constexpr size_t kMaxHtmlDepth = 512;

// Extracts one record of the given format. `origin` is copied into the
// Document for error messages and provenance.
// Errors (kBadInput): malformed or truncated JSON, a JSON value that is not
// an object, a record with neither title nor body, a page with no text.
// Repairs (ill-formed UTF-8, an unparseable date) are not errors: they are
// listed in Document::warnings.
Result<Document> Extract(std::string_view raw, InputFormat format, std::string origin);
// The same within a time budget: the deadline is read after parsing, every
// 256 HTML nodes and between the phases of a page. Once it has passed,
// returns the OverTimeBudget error (kBadInput; core/budget.h) and no Document.
Result<Document> Extract(std::string_view raw, InputFormat format, std::string origin, const Deadline& deadline);

// The items of a page's teaser lists ("More From Naenara": a headline or
// lead, its date, the lead again) as headline-stub Documents: title = the
// item's text, its date, the page's source; each item once even when the
// page repeats it. `derived_from` is left to the caller (the page's version
// id). Returns nothing for a page without teaser_list spans.
std::vector<Document> SplitTeasers(const Document& page);

// Parses a publication date given in metadata ("2022-03-29",
// "2022-03-29T08:59:00+09:00", epoch milliseconds "1711929600000", compact "20241010173200") into
// "YYYY-MM-DD"; a date known only to the month ("2021-10", "April 2012",
// "Apr. 2012") into "YYYY-MM" (month precision: kept, shown and used as a
// window as such). Returns false (and leaves *iso untouched) if it is none
// of these or is not a real calendar date.
bool NormalizeMetadataDate(std::string_view value, std::string* iso);

}  // namespace echotrace

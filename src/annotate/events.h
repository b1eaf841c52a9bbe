// Named events (Party meetings, congresses, conferences, workshops, Assembly
// sessions) and titled works (letters, speeches, articles, treatises).
//
//   doc.AddSpans(FindEvents(doc));  // "the 4th Plenary Meeting of the 8th Central Committee
//                                   //  of the WPK" -> kEvent key "wpk/cc-8/plenary-4"
//   doc.AddSpans(FindWorks(doc));   // letter titled "On Eliminating Formalism ..." -> kWork
//
// Events (kEvent). A named mention is an ordinal and/or capitalized modifiers, a
// meeting type and its qualifier: "Fourth Plenary Meeting of the Eighth Central
// Committee of the Workers' Party of Korea", "4th Plenary Meeting of the Workers'
// Party's 8th Central Committee", "4th Plenary Meeting of the 8th C.C., WPK", "the 8th
// Party Congress", "Sixth Conference of Cell Secretaries", "First Workshop of Officials
// in the Information Field of the WPK", "the 6th Session of the 14th Supreme People's
// Assembly", "the 2nd Enlarged Meeting of the Political Bureau of the 8th Central
// Committee". Ordinals are normalized (4th = Fourth = four), abbreviations expanded
// (C.C. = CC = Central Committee; WPK = Workers' Party of Korea = the Party). The span
// starts at the ordinal or first capitalized word (a leading "the" is left out).
//   label  "plenary" | "congress" | "conference" | "workshop" | "course" | "session" | "meeting"
//   key    "wpk/cc-8/plenary-4", "wpk/congress-8", "wpk/conference-3" (a Party Conference),
//          "wpk/conference-cell-secretaries-6", "wpk/workshop-officials-information-field-1",
//          "spa-14/session-6", "wpk/cc-8/politburo-2", "wpk/cmc-8/meeting-1"
//          (the term is left out, "wpk/cc/plenary-4", when the text does not give it).
// A capitalized name without its number ("Party Congress", "Enlarged Plenary Meeting of WPK
// Central Committee") takes the key of the first numbered event of its kind in the document
// (attrs {"inferred","1"}).
// Generic mentions ("its year-end plenary", "the plenary meeting", "the plenum") are
// tagged only when the document names exactly one plenary meeting; they take its key
// and carry attrs {"generic","1"}. Lowercase phrases without an ordinal ("a workshop",
// "conferences of cell secretaries") are not events.
//
// Works (kWork). A quoted title ("..." or curly quotes) in title case, in a sentence that
// names a work ("letter titled", "speech", "article", "works ... including", "treatise",
// "lecture", "book"): span = the title without quotes or a final period; label = the
// kind of work named ("letter", "speech", "work", ...); key = the normalized title
// (lowercase ASCII words joined by single spaces, apostrophes dropped); attrs
// {"author", surface name} when the sentence says who sent, wrote, delivered, made public
// or published it ("Kim Jong Un ... sent ... a letter titled", "He made public many
// works" with "He" taken as the person last named before, a title "by Kim Il Sung",
// "Kim Il Sung's work", "his letter", "In a speech titled ..., Kim said"). Single-quoted
// titles count only right after the word naming the work ("a speech titled 'On ...'").
// Author names are recognized as a Korean surname (Kim, Ri, Pak, Choe ...) and one or two
// short given-name parts ("Kim Jong Un", "Kim Il-sung").
//
// Cost: each block is scanned once; every pattern looks at a bounded number of tokens
// (qualifiers and titles are capped), so time is linear in the text; memory is one
// lowercase copy of doc.text plus one block's tokens.
// Thread-safety: free functions without shared state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/budget.h"
#include "core/document.h"

namespace echotrace {

// Named meetings, congresses, workshops, plenums in the title and body paragraphs
// (kTitle and kParagraph spans) of `doc`. Sorted by begin, non-overlapping.
// With `deadline`, the scan stops at the first block (or 1,024 tokens) read
// after it passed and returns what it found so far; the caller reads the
// deadline again to tell (annotate.h).
std::vector<Span> FindEvents(const Document& doc, const Deadline& deadline = Deadline());

// Titled letters, speeches, articles, works in the title and body paragraphs of `doc`.
// Sorted by begin, non-overlapping.
std::vector<Span> FindWorks(const Document& doc, const Deadline& deadline = Deadline());

// Canonical key of a named event mention, e.g. "the Fourth Plenary Meeting of the Eighth Central
// Committee of the WPK" and "4th Plenary Meeting of the 8th C.C., WPK" -> the same key
// ("wpk/cc-8/plenary-4"). Returns "" when `mention` holds no named event.
std::string EventKey(std::string_view mention);

// The normalized form of a work title used as its key: "On Eliminating Formalism ... the
// Party’s Ideological Work." -> "on eliminating formalism ... the partys ideological work".
std::string WorkKey(std::string_view title);

}  // namespace echotrace

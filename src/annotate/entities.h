// Entity finding: people, organizations, places and outlets in the title and
// body paragraphs, each with a canonical id.
//
// Three sources, in order of trust:
//  1. the gazetteer (lexicon/gazetteer.h), longest alias first, matched by
//     romanization key so spelling variants of a name find one entry;
//  2. rules for unseen Korean names: a known surname followed by one or two
//     capitalized words that read as romanized syllables ("Kim Ryu Chol",
//     "Jon Jong Hwan"); their id is RomanizationKey of the name and they carry
//     {"new", "1"};
//  3. names outside the gazetteer found by shape and context: two or three
//     capitalized words (not all capitals, not starting a known name, not a
//     date) right after a title or role ("spokesman Jay Carney", "physicist
//     Siegfried Hecker"), after an outlet's possessive ("the BBC's Lucy
//     Williamson"), in apposition after a role ("the envoy for North Korea,
//     Sung Kim,") or followed by ", <role>" ("Daryl Kimball, director of
//     ..."); a given name may stand before a Korean surname ("Sung Kim");
//     id = the words lower-cased and joined by "-", {"new", "1"}; their last
//     word alone (unless a Korean surname) is the same person anywhere;
//  4. a given name alone ("Jong-un", "Jong Un") of a gazetteer person named in
//     the text is that person; an unseen Korean name that starts exactly one
//     such person ("Kim Jong ll") is that person;
//  5. a bare surname ("Kim", "Choe") refers to the nearest preceding person of
//     the document with that surname (or, failing that, the first following
//     one), never one in a possessive or an aside ("his grandfather Kim Il
//     Sung's", "the late Kim Jong Il"); a bare "Kim" that no name explains is
//     the DPRK leader on the document's date.
// Lost spaces around names, common in scraped KCNA text ("ComradeKim Jong
// Unin"), are repaired for matching (the span then covers "Kim Jong Un").
// Titles and honorifics right before a person ("Premier", "the respected
// Comrade", "North Korean leader", "Researcher") and a comma apposition right
// after ("Kim Jong Un, general secretary of ...") are kept as {"role", ...};
// "Researcher Kim Ryu Chol at the Academy of Social Sciences" also gets
// {"affiliation", "academy-of-social-sciences"}. A place whose possessive
// names a body the gazetteer lists as "<place> <words>" ("South Korea's
// military" = "ROK military") gets {"body", "rok-military"}.
//
// Spans: kind kEntity, label = entry type ("person", "org", "place",
// "outlet"), key = canonical id; begin/end cover the name only (no title, no
// possessive "'s"). Sorted by begin; never overlapping.
//
// Cost: linear in the text: one tokenization, then per capitalized token a
// hash probe per alias prefix (at most Gazetteer::max_alias_tokens); dates
// are found once, only when a name by shape has its cue.
// Thread-safety: pure functions; the gazetteer is read-only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/budget.h"
#include "core/document.h"
#include "lexicon/gazetteer.h"

namespace echotrace {

// Entities in the kTitle and kParagraph spans of `doc`.
// With `deadline`, the scan stops at the first block (or 1,024 tokens) read
// after it passed and returns what it found so far; the caller reads the
// deadline again to tell (annotate.h).
std::vector<Span> FindEntities(const Document& doc, const Gazetteer& gazetteer, const Deadline& deadline = Deadline());

// Canonical id for a name as written ("Kim Tok Hun", "Premier Kim Tok-hun",
// "KCNA"): a gazetteer alias, after dropping leading titles; else the
// RomanizationKey of an unseen Korean name; "" if none.
std::string CanonicalId(const Gazetteer& gazetteer, std::string_view surface);

}  // namespace echotrace

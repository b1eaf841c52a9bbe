// Romanization normalization for Korean names.
//
// Korean names reach English text in several romanizations: McCune–Reischauer
// ("Kim Tŏk-hun", "Ch'oe"), Revised Romanization ("Kim Deok-hun", "Choe"), the
// DPRK's official style ("Kim Tok Hun", "Thae"), South Korean habit ("Lee",
// "Park", "Choi") and newsroom styles (hyphens, spaces, capitals). A
// romanization key is equal for such variants of one name, so the gazetteer
// and unseen-name rules can match them to one canonical id.
//
// How the key is made: the name is split into words at spaces and into
// syllables at hyphens; diacritics and apostrophes are dropped and letters
// lowercased; the first word, if it is a known surname in any spelling, is
// replaced by its canonical DPRK-style form (Lee/Rhee/Yi -> "ri", Park ->
// "pak", Choi -> "choe"); every syllable is folded (eo and ou -> o, eu -> u,
// aspirated/plain/tense initials merge: g/k/kh -> k, d/t/th -> t, b/p/ph -> p,
// j/ch/tch -> j, sh -> s, l -> r; a final "ung" -> "ong"). Syllables are
// joined by "-", so "Kim Tok-hun", "Kim Tok Hun", "Kim Dok-hun" and
// "KIM TOK HUN" all give "kim-tok-hun", "Kim Il-sung" and "Kim Il Sung" give
// "kim-il-song". Syllables written together ("Tokhun") are not split.
//
// The folding is lossy by design (it merges a few distinct Korean syllables,
// e.g. 중/정 both end up "jong"); keys are for matching names, not for display.
// Any text can be keyed (English words fold harmlessly, consistently).
//
// Cost: linear in the input; no allocation beyond the result.
// Thread-safety: pure functions over immutable tables; callable from any thread.
#pragma once

#include <string>
#include <string_view>

namespace echotrace {

// The romanization key of a whole name ("Choi Son-hui" -> "choe-son-hi").
// Empty for input without letters or digits.
std::string RomanizationKey(std::string_view name);

// The key of one word (no spaces) in a non-initial position: its syllables
// folded and joined by "-" ("Tok-hun" -> "tok-hun"). RomanizationKey(name) is
// the first word's surname form (if any) followed by the other words' keys.
std::string RomanizationWordKey(std::string_view word);

// The canonical DPRK-style spelling of a Korean surname in any common
// romanization ("Lee" -> "ri", "Park" -> "pak", "Ch'oe" -> "choe"), or "" when
// `word` is not a known surname. Case-insensitive.
std::string_view CanonicalSurname(std::string_view word);

// True for a canonical surname that may stand alone for a person named
// earlier ("Kim said"); false for short ones that are also English words.
bool SurnameStandsAlone(std::string_view canonical);

// True for a lowercase spelling of a surname that is too common as an English
// word ("an", "so", "you") to start a name nobody listed.
bool IsAmbiguousSurnameSpelling(std::string_view lower);

// True when `word` (letters, optional hyphens and apostrophes) reads as one
// or two romanized Korean syllables per hyphen-separated part ("Chol",
// "Tok-hun", "Ryu", "Hwan"), by a table of initials, vowels and finals. Used
// by the unseen-name rules; English words mostly fail ("Calls", "Square").
bool LooksLikeKoreanSyllables(std::string_view word);

}  // namespace echotrace

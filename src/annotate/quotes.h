// Quote finding: direct quotes, partial quotes and reported speech, with the
// speaker resolved to an entity and the channel (the outlet that carried the
// words) recorded separately.
//
// What is found, in the title and body paragraphs:
//  - "direct": a quotation in marks (straight or curly double quotes; single
//    quotes when not nested in double ones) that stands as its own sentence
//    or clause; also DPRK-style colon speech without marks ("In the letter he
//    said: The ideological theory ..." up to the end of the paragraph).
//    A quotation running over several paragraphs (open mark not closed before
//    the paragraph ends) gives one span per paragraph, all with the same
//    speaker and {"part", "1"|"2"|...}. Nested quotes stay inside the outer one.
//  - "partial": words in marks inside a sentence ("amid \"the worst
//    difficulties\", KCNA said").
//  - "reported": the clause of "X said (that) ...", "he stressed that ...".
// Quoted titles of works ("a letter titled \"On ...\"", or Title-Cased words)
// and single quoted words are not quotes.
//
// Span: kind kQuote; begin/end = the words without the marks (trailing
// ",;:" and one final "." trimmed); label as above. Attributes, always
// present: "speaker" (entity id, or "" when unknown), "speaker_text" (the
// mention as written: "he", "Kim", "Korean Central News Agency"), "channel"
// (outlet id or ""); when the quote keeps editorial insertions:
// "insertions" = "(is);[the];…" in order. The speaker is the person (or a
// pronoun, resolved to the nearest preceding person who is the subject of
// their sentence) in the same sentence, after the quote first, then before
// it; a title with "the" ("the premier said") goes to the person last given
// that role; a body ("the Foreign Ministry said") speaks when it is the
// subject of a speech verb; a country or capital that is the subject of the
// sentence ("North Korea on Sunday accused ...") speaks for its government;
// when the sentence names only an outlet ("KCNA reported", "the news agency
// said"), the outlet is both speaker and channel. A direct quote with no
// attribution of its own continues the previous quote's speaker ("...,\" Thae
// said. \"So I ..."). Datelines ("SEOUL (Reuters) -") are sentences of their
// own, so the credited outlet is not taken for a speaker.
// Channels: an outlet in the quote's sentence ("state media KCNA said",
// "according to KCNA", "the KCNA report continued", "the paper said").
//
// Cost: linear in the text: each block is scanned a bounded number of times,
// sentence bounds are precomputed, lookups are binary searches, and every
// reference ("he", "the premier", "the paper") looks back over at most 64
// entities. Thread-safety: pure function.
#pragma once

#include <vector>

#include "core/document.h"

namespace echotrace {

// `entities` are FindEntities(doc, ...) spans (sorted by begin), used for
// speakers and channels; with none, quotes are still found, speakerless.
std::vector<Span> FindQuotes(const Document& doc, const std::vector<Span>& entities);

}  // namespace echotrace

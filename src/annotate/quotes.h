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
// Quoted titles of works ("a letter titled \"On ...\"", or Title-Cased words
// outside a title-cased headline, unless said: '"...," KCNA announced'), the
// names of broadcasts and documents, and glossed terms are not quotes but
// terms (see FindQuotes).
//
// Span: kind kQuote; begin/end = the words without the marks (trailing
// ",;:" and one final "." trimmed); label as above. Attributes, always
// present: "speaker" (entity id, "state-media", or "" when unknown),
// "speaker_text" (the mention as written: "he", "Kim", "Korean Central News
// Agency"), "channel" (outlet id, "state-media", or ""); when the quote keeps
// editorial insertions: "insertions" = "(is);[the];…" in order.
//
// Speaker (issue 13): the subject of the speech verb or frame that governs
// the quote ("said", "warned", "called X '…'", "quoting X", "according to"):
//  - a name that is an object or a possessor is no speaker ("of Kim Jong
//    Un", "called Kim Jong Un", "Kim Il Sung's", "told Lavrov"; a body after
//    "a spokesperson for" is);
//  - a person or body that speaks (a speech verb follows within its sentence,
//    past an apposition, or ", said X" before it) comes first, the one after
//    the quote before the one before it, unless a new clause ("while", "but")
//    separates them; then a place that is the sentence's subject ("North
//    Korea said"; "Japan's Defense Ministry said" speaks for Japan); then an
//    outlet that narrates ("Kim 'expressed great satisfaction', KCNA said");
//    then a name near the quote without a verb of its own;
//  - pronouns: "he"/"she" go to the nearest person who is the first person
//    of their sentence, never into a possessive or an aside ("his
//    grandfather Kim Il Sung's", "the late"); "he" skips, "she" prefers, a
//    person the text calls a woman ("his sister", "Ms"); "it said" goes to
//    the nearest body that spoke, else the last body quoted; "the General
//    Staff" is the body named in full earlier;
//  - descriptions: "the premier" is the person last given that role; "the
//    paper", "the report" the last outlet named; "state media" is
//    "state-media";
//  - a quote without attribution keeps the last speaker (a direct quote of
//    this or the previous paragraph, a partial quote of its paragraph); words
//    narrated by state media in a paragraph carried by a state outlet are
//    the outlet's.
// Channel: an outlet in the quote's sentence (a state outlet before a
// foreign relay: "Yonhap reported, citing KCNA"); else the one this
// speaker's words last came through; else the state outlet named in the
// paragraph or the one before ("according to KCNA" said once), or later in
// the paragraph; "state media" in an article naming one state outlet is it.
// Which quotes: a single quoted word only when its sentence attributes words
// (a speech verb or frame, not passive, or an outlet); a term glossed right
// after ("'juche', or self-reliance") is no quote; curly marks facing the
// wrong way are read by position. Datelines ("SEOUL (Reuters) -") are
// sentences of their own, so the credited outlet is not taken for a speaker.
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
// When `terms` is not null, words in marks that name rather than quote are
// appended to it as kTerm spans (the words without the marks), labelled
// "title" (a title of a work by its capitals or "titled"), "gloss" (a term
// glossed right after: "'juche', or self-reliance") or "name" (a broadcast
// or document: "a 'crucial report' broadcast at noon") or "unattributed" (one
// word in marks in a sentence that attributes nothing: a scare quote, or a
// word provenance may still trace to its origin).
std::vector<Span> FindQuotes(const Document& doc, const std::vector<Span>& entities,
                             std::vector<Span>* terms = nullptr);

}  // namespace echotrace

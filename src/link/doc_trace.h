// Document-level provenance: the quotes of one foreign article traced
// together, with the article's context.
//
// A wire story quotes state media in short pieces ("arch-enemy", a
// "horrible disaster"): one to three words never prove reuse alone, but
// they do when the article around them already points at the original.
// TraceDocument therefore works in tiers, each link saying which one made it
// (QuoteMatch::why):
//   1. verbatim: each quoted passage is traced alone (Tracer::Trace). A
//      passage of `long_match_words` matched words or more may link to an
//      older origin (up to the article's day + 1) when the window matches
//      much less of it; a shorter one links only to an origin inside the
//      article's window, an anchor's first (publication day −
//      `window_before_days` … + `window_after_days`; a month-only date
//      widens the window to the month). The origins found are the anchors.
//      The link covers the whole passage (the words around the matched
//      stretch are the outlet's own translation of the sentence).
//   2. anchored: a passage still unlinked (short ones included) links when
//      its words occur, in order, in an anchor (exact words first, then the
//      same stems: "bolstering" for "bolster", a near match).
//   3. window+topic: ...or in one of the `topic_docs` state-media articles
//      of the window that share the most rare word 3-grams with the whole
//      article (at least `min_topic_shared`), i.e. that report its event. A
//      phrase of three words or more whose n-grams are all frequent in the
//      corpus (a set phrase: "first, second and third") is not linked this
//      way: it needs an anchor.
//   4. paraphrase: a passage of at least `paraphrase_min_words` content
//      words, still unlinked, is compared with the anchors and topic
//      articles: the origin stretch holding most of its content words
//      (stemmed, with a small table of translation synonyms, number words as
//      digits) in about its order (longest common subsequence), its numbers
//      agreeing (`paraphrase_min_overlap`). Shorter passages
//      (`paraphrase_short_min_words`) need every word, close together, in a
//      proven origin. Reported as why "paraphrase", MatchKind "paraphrase",
//      never verbatim or near.
// The article's own passages are its kQuote and kTerm spans (annotation):
// quotes, and words in marks that annotation does not call quotes (single
// words: "arch-enemy"; titles), which provenance needs (FindQuotedPassages).
//
// Cost: one Tracer::Trace per passage (bounded, see trace.h), one candidate
// query over the article's n-grams, and at most anchors + `topic_docs`
// origins loaded and tokenized once each; linear in their length per
// passage for the phrase and sentence searches.
// Thread-safety: as Tracer (const; the loader must be thread-safe).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/document.h"
#include "core/status.h"
#include "link/trace.h"

namespace echotrace {

struct DocumentTraceOptions {
  // false: every passage alone (tier 1 without a window), as linking did
  // before document-level provenance; for comparisons. Default true.
  bool context = true;
  // The article's window of originals, in days before and after its
  // publication day. Defaults 10 and 1: state media is quoted within days.
  int window_before_days = 10;
  int window_after_days = 1;
  // Window articles kept as the article's topic. Default 6.
  size_t topic_docs = 6;
  // Rare n-grams a window article must share with the citing article to
  // count as its topic. Default 4: a few shared names or a phrase are not
  // enough, a report of the same event is.
  size_t min_topic_shared = 4;
  // Paragraphs that hold no quoted passage are traced whole, and link when
  // a long verbatim stretch (`long_match_words`) of them is found: a pasted
  // state-media paragraph without quotation marks. Default on.
  bool trace_paragraphs = true;
  // Tier 4 (paraphrase) on or off. Default on.
  bool paraphrase = true;
  // Content words a passage needs for the paraphrase tier. Default 5.
  size_t paraphrase_min_words = 5;
  // A passage with fewer content words than `paraphrase_min_words` but at
  // least this many is a paraphrase only of a proven origin (an anchor, or
  // one that a longer passage of the article paraphrases with at least 0.7
  // of its words), every word (stemmed,
  // synonyms folded) found within its length + 3 tokens, in any order
  // ("freedom of people's expression" / "people's freedom of expression").
  // Default 3: two words ("crush the enemy") are found together by chance.
  size_t paraphrase_short_min_words = 3;
  // Share of the passage's distinct content words (stemmed, synonyms
  // folded) found in one stretch of an origin no longer than twice the
  // passage (or passage + 10 words), mostly in the passage's order. Default
  // 0.55: on provenance-dev, 0.5 links more retranslations but also
  // journalists' own sentences on the same facts; 0.6 loses a few.
  double paraphrase_min_overlap = 0.55;
};

// A passage of the citing document that provenance traces.
struct QuotedPassage {
  uint32_t begin = 0, end = 0;  // bytes of Document::text
};

// The passages `doc` quotes: its kQuote and kTerm spans (annotation is the
// one reader of quotation marks: single quoted words and titles, which it
// does not call quotes, are its terms), in text order, each range once. A
// document without annotation spans has none. Linear in the spans.
std::vector<QuotedPassage> FindQuotedPassages(const Document& doc);

// Traces every passage of `doc` (dated by doc.date: "YYYY-MM-DD" or
// "YYYY-MM"; undated articles get tier 1 without a window, and tier 2).
// Returns at most one link per passage (the best) and per paragraph traced
// whole (`trace_paragraphs`), quote_begin/end in bytes of doc.text, in text
// order. `exclude_docno`: the document itself when it
// is stored (0 otherwise). Errors: the loader's.
Result<std::vector<QuoteMatch>> TraceDocument(const Tracer& tracer, const Document& doc, int64_t exclude_docno,
                                              const DocumentTraceOptions& options = {});

}  // namespace echotrace

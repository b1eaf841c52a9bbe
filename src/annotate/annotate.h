// Annotation: what the text says, as typed spans over Document::text.
//
// Annotate runs every annotator of this folder over a Document that
// extraction made — dates (dates.h), entities (entities.h), named events and
// works (events.h), quotes with speaker and channel (quotes.h) — and adds
// their spans (kinds kDate, kEntity, kEvent, kWork, kQuote). It never edits
// `text`: annotation can always be re-derived from an extraction.
//
// Only the title and the body paragraphs are read; boilerplate (captions,
// teaser lists, navigation) is what the page said, not what the article says.
//
// Cost: linear in the size of the text (every annotator is a hand-written
// scanner; no backtracking); memory a small multiple of the text.
// Thread-safety: free functions; the compiled-in gazetteer is immutable after
// its first use, so distinct Documents may be annotated on distinct threads.
#pragma once

#include "core/budget.h"
#include "core/document.h"
#include "core/status.h"

namespace echotrace {

// Replaces every annotation span of `doc` with a fresh annotation. Spans of
// extraction (title, paragraph, boilerplate) are kept as they are.
// REQUIRES: doc != nullptr and `doc` came out of Extract (its text is fixed).
void Annotate(Document* doc);

// The same within a time budget: every annotator reads `deadline` at each
// block (entities: every 1,024 tokens). Once it has passed, returns the
// OverTimeBudget error (kBadInput, core/budget.h) and `doc` is left without
// annotation spans (extraction's spans and text as they were).
Status Annotate(Document* doc, const Deadline& deadline);

}  // namespace echotrace

// Document: the spine of the pipeline.
//
// A Document keeps the exact raw bytes it was made from and one normalized
// `text` that is fixed once extraction has produced it. Every later stage adds
// typed Spans (byte offsets into `text`) and never edits the text, so any
// annotation can be shown in place and re-derived from the raw bytes.
//
// `text` holds every block of the page (body paragraphs *and* the blocks that
// extraction judged to be boilerplate), separated by "\n\n"; spans say which
// is which. Nothing the page said is lost: Body() is the article, the other
// spans are what was cut.
//
// Thread-safety: a plain value; distinct Documents may be used from distinct
// threads, one Document needs outside synchronization for writes.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace echotrace {

enum class InputFormat : uint8_t { kText, kHtml, kJsonLine };
std::string_view InputFormatName(InputFormat format);  // "text", "html", "jsonl"
// The inverse of InputFormatName; anything else reads as kText.
InputFormat InputFormatFromName(std::string_view name);

// What a span of `text` is. Stored by name, so values may be appended freely.
// Extraction makes the first three (they partition the blocks of `text`);
// annotation adds the others on top, overlapping them freely.
enum class SpanKind : uint8_t {
  kTitle,        // the headline as it appears in the page text
  kParagraph,    // a body paragraph: part of the article
  kBoilerplate,  // a block judged not to be article text (typed in `label`)
  kDate,         // a date or time expression; key = resolved ISO value
  kEntity,       // a mention of a person, organization, place or outlet; key = canonical id
  kEvent,        // a named meeting, congress, anniversary; key = canonical event key
  kWork,         // a titled letter, speech or article; key = canonical work key
  kQuote,        // quoted or reported speech; attrs name speaker and channel
  kTerm,         // words in quote marks that name rather than quote: a policy, a work, a broadcast, a gloss
};
std::string_view SpanKindName(SpanKind kind);
// Inverse of SpanKindName; returns false for unknown names.
bool ParseSpanKind(std::string_view name, SpanKind* kind);

// A half-open byte range [begin, end) of Document::text.
// REQUIRES: begin <= end <= text.size(), both on UTF-8 character boundaries.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
  SpanKind kind = SpanKind::kParagraph;
  std::string label;  // sub-type: "navigation" for kBoilerplate, "person" for kEntity; may be empty
  std::string key;    // normalized value: ISO date, canonical entity id, event key; may be empty
  // Further typed facts, e.g. {"resolution","day"}, {"speaker","kim-jong-un"}, {"role","Premier"}.
  // Few per span, so a flat vector; names are stable (stored), order is kept.
  std::vector<std::pair<std::string, std::string>> attrs;

  // The value of attribute `name`, or "" when absent.
  std::string_view Attr(std::string_view name) const;
  bool operator==(const Span&) const = default;
};

struct Document {
  // --- Input, as received -------------------------------------------------
  std::string raw;  // exact input bytes of this record (a file, or one JSON line)
  InputFormat format = InputFormat::kText;
  std::string origin;  // where it came from: "path/file.jsonl:12", "-" for stdin

  // --- Fixed after extraction ---------------------------------------------
  std::string text;    // NFC, valid UTF-8, blocks separated by "\n\n"
  std::string title;   // normalized headline; may be empty
  std::string source;  // outlet as given or detected, lowercase ("kcna"); may be empty
  // Publication date, ISO "YYYY-MM-DD", or "YYYY-MM" when only the month is
  // known (month precision); empty when unknown.
  std::string date;
  std::string url;                    // canonical URL; may be empty
  std::string external_id;            // id given by the input (corpus "id"); may be empty
  std::string derived_from;           // version id of the page this record was cut from (a teaser); may be empty
  std::vector<std::string> warnings;  // what extraction repaired (bad UTF-8, bad date)

  // --- Added by stages --------------------------------------------------------
  std::vector<Span> spans;  // sorted by begin

  // The article body: kParagraph spans joined by "\n\n". Empty for a
  // headline-only stub.
  std::string Body() const;
  // Inserts annotation spans keeping `spans` sorted by begin (stable: equal
  // begins keep insertion order). REQUIRES: each span is within `text`
  // (begin <= end <= text.size()); otherwise returns kInternal naming the
  // span and adds none of `more`.
  Status AddSpans(std::vector<Span> more);
  // Removes every span of the given kinds (re-annotation starts clean).
  void RemoveSpans(std::initializer_list<SpanKind> kinds);
  std::string_view SpanText(const Span& span) const {
    return std::string_view(text).substr(span.begin, span.end - span.begin);
  }
  bool IsHeadlineStub() const;  // has a title and no body paragraph
};

}  // namespace echotrace

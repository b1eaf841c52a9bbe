#include "core/document.h"

namespace echotrace {

std::string_view InputFormatName(InputFormat format) {
  switch (format) {
    case InputFormat::kText: return "text";
    case InputFormat::kHtml: return "html";
    case InputFormat::kJsonLine: return "jsonl";
  }
  return "text";
}

std::string_view SpanKindName(SpanKind kind) {
  switch (kind) {
    case SpanKind::kTitle: return "title";
    case SpanKind::kParagraph: return "paragraph";
    case SpanKind::kBoilerplate: return "boilerplate";
  }
  return "paragraph";
}

bool ParseSpanKind(std::string_view name, SpanKind* kind) {
  for (SpanKind k : {SpanKind::kTitle, SpanKind::kParagraph, SpanKind::kBoilerplate}) {
    if (SpanKindName(k) == name) {
      *kind = k;
      return true;
    }
  }
  return false;
}

std::string Document::Body() const {
  std::string body;
  for (const Span& span : spans) {
    if (span.kind != SpanKind::kParagraph) continue;
    if (!body.empty()) body += "\n\n";
    body += SpanText(span);
  }
  return body;
}

bool Document::IsHeadlineStub() const {
  for (const Span& span : spans) {
    if (span.kind == SpanKind::kParagraph) return false;
  }
  return !title.empty();
}

}  // namespace echotrace

#include "core/document.h"

#include <algorithm>

namespace echotrace {

std::string_view InputFormatName(InputFormat format) {
  switch (format) {
    case InputFormat::kText: return "text";
    case InputFormat::kHtml: return "html";
    case InputFormat::kJsonLine: return "jsonl";
  }
  return "text";
}

InputFormat InputFormatFromName(std::string_view name) {
  for (InputFormat format : {InputFormat::kHtml, InputFormat::kJsonLine}) {
    if (name == InputFormatName(format)) return format;
  }
  return InputFormat::kText;
}

std::string_view SpanKindName(SpanKind kind) {
  switch (kind) {
    case SpanKind::kTitle: return "title";
    case SpanKind::kParagraph: return "paragraph";
    case SpanKind::kBoilerplate: return "boilerplate";
    case SpanKind::kDate: return "date";
    case SpanKind::kEntity: return "entity";
    case SpanKind::kEvent: return "event";
    case SpanKind::kWork: return "work";
    case SpanKind::kQuote: return "quote";
    case SpanKind::kTerm: return "term";
  }
  return "paragraph";
}

bool ParseSpanKind(std::string_view name, SpanKind* kind) {
  for (SpanKind k : {SpanKind::kTitle, SpanKind::kParagraph, SpanKind::kBoilerplate, SpanKind::kDate, SpanKind::kEntity,
                     SpanKind::kEvent, SpanKind::kWork, SpanKind::kQuote, SpanKind::kTerm}) {
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

namespace echotrace {

std::string_view Span::Attr(std::string_view name) const {
  for (const auto& [attr_name, value] : attrs) {
    if (attr_name == name) return value;
  }
  return {};
}

Status Document::AddSpans(std::vector<Span> more) {
  for (const Span& span : more) {
    if (span.begin > span.end || span.end > text.size()) {
      return Status::Internal("span [" + std::to_string(span.begin) + ", " + std::to_string(span.end) +
                              ") is outside the text (" + std::to_string(text.size()) + " bytes)");
    }
  }
  for (Span& span : more) spans.push_back(std::move(span));
  std::stable_sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  return Status::Ok();
}

void Document::RemoveSpans(std::initializer_list<SpanKind> kinds) {
  std::erase_if(spans,
                [&](const Span& span) { return std::find(kinds.begin(), kinds.end(), span.kind) != kinds.end(); });
}

}  // namespace echotrace

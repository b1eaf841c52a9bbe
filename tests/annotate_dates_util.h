// Test helpers for the date, event and work finders: Documents built in code.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"

namespace echotrace::testing {

// A Document whose text is `title` (a kTitle span, when not empty) followed by
// `paragraphs` (kParagraph spans), blocks separated by "\n\n", published on `date`.
inline Document MakeDocument(const std::string& title, const std::vector<std::string>& paragraphs,
                             const std::string& date = "") {
  Document doc;
  doc.title = title;
  doc.date = date;
  auto add_block = [&](const std::string& block, SpanKind kind) {
    if (!doc.text.empty()) doc.text += "\n\n";
    Span span;
    span.kind = kind;
    span.begin = static_cast<uint32_t>(doc.text.size());
    doc.text += block;
    span.end = static_cast<uint32_t>(doc.text.size());
    doc.spans.push_back(span);
  };
  if (!title.empty()) add_block(title, SpanKind::kTitle);
  for (const std::string& paragraph : paragraphs) add_block(paragraph, SpanKind::kParagraph);
  return doc;
}

// A one-paragraph Document.
inline Document MakeParagraphDocument(const std::string& paragraph, const std::string& date) {
  return MakeDocument("", {paragraph}, date);
}

// "text=key" for every span of `kind`, in order: compact to compare in tests.
inline std::vector<std::string> SpanSummaries(const Document& doc, const std::vector<Span>& spans) {
  std::vector<std::string> out;
  for (const Span& span : spans) out.push_back(std::string(doc.SpanText(span)) + "=" + span.key);
  return out;
}

}  // namespace echotrace::testing

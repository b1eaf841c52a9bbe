// Internal to extract/: building a Document from a sequence of text blocks.
#pragma once

#include <string>
#include <string_view>

#include "core/document.h"
#include "core/status.h"

namespace echotrace::extract_internal {

// Appends `block` (normalized with NormalizeInline) to doc->text, separated
// from the previous block by "\n\n", and records a span of `kind`/`label`.
// Empty blocks are ignored. Returns false if nothing was added.
bool AppendBlock(Document* doc, std::string_view block, SpanKind kind, std::string_view label = {});

// Extractors for each format; `doc` already holds raw, format and origin.
Status ExtractJsonLine(std::string_view utf8, Document* doc);
Status ExtractPlainText(std::string_view utf8, Document* doc);
Status ExtractHtml(std::string_view utf8, Document* doc);

}  // namespace echotrace::extract_internal

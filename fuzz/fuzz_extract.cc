// Extraction of an arbitrary page: the first byte picks HTML, text or a JSON
// line; the rest is the page. Then teasers, dates, entities, quotes and the
// quoted passages of the result (every stage that reads page text).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "annotate/annotate.h"
#include "extract/extract.h"
#include "link/doc_trace.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace echotrace;
  if (size < 1 || size > (size_t{1} << 20)) return 0;
  const InputFormat format = data[0] % 3 == 0   ? InputFormat::kHtml
                             : data[0] % 3 == 1 ? InputFormat::kText
                                                : InputFormat::kJsonLine;
  const std::string_view raw(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto doc = Extract(raw, format, "fuzz");
  if (!doc.ok()) return 0;
  (void)SplitTeasers(*doc);
  Annotate(&*doc);
  for (const QuotedPassage& passage : FindQuotedPassages(*doc)) {
    if (passage.begin > passage.end || passage.end > doc->text.size()) __builtin_trap();
  }
  for (const Span& span : doc->spans) {
    if (span.begin > span.end || span.end > doc->text.size()) __builtin_trap();
  }
  return 0;
}

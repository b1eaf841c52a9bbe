// Entities, then quotes with speaker and channel, on arbitrary text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "annotate/entities.h"
#include "annotate/quotes.h"
#include "extract/extract.h"
#include "lexicon/gazetteer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace echotrace;
  if (size > (size_t{64} << 10)) return 0;
  auto doc = Extract(std::string_view(reinterpret_cast<const char*>(data), size), InputFormat::kText, "fuzz");
  if (!doc.ok()) return 0;
  const std::vector<Span> entities = FindEntities(*doc, DefaultGazetteer());
  for (const Span& span : FindQuotes(*doc, entities)) {
    if (span.begin > span.end || span.end > doc->text.size()) __builtin_trap();
  }
  return 0;
}

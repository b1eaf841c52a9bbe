// Date and metadata-date parsing on arbitrary text: every span lies in the
// text and every resolved key is shaped like an ISO date.
#include <cstddef>
#include <cstdint>
#include <string>

#include "annotate/dates.h"
#include "extract/extract.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace echotrace;
  if (size > (size_t{64} << 10)) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string iso;
  if (NormalizeMetadataDate(input, &iso) && (iso.size() < 4 || iso[0] < '0' || iso[0] > '9')) __builtin_trap();
  // "date\ntitle\n\nbody": the first line is the publication date.
  auto doc = Extract(input, InputFormat::kText, "fuzz");
  if (!doc.ok()) return 0;
  for (const Span& span : FindDates(*doc)) {
    if (span.begin > span.end || span.end > doc->text.size()) __builtin_trap();
  }
  return 0;
}

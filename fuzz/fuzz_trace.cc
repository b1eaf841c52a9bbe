// Tracing arbitrary text against state-media passages (data/sample):
// n-gram candidates, alignment and the word diff; every match lies in its texts.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "fuzz_util.h"
#include "link/ngram_index.h"
#include "link/normalize.h"
#include "link/trace.h"

namespace {

using namespace echotrace;

struct Corpus {
  std::vector<StoredVersion> versions;
  NgramIndex index;
};

Corpus* Load() {
  auto* corpus = new Corpus();
  for (const char* name : {"rodong_2021-12-31_plenary.txt", "kcna_2022-03-29_workshop.txt"}) {
    std::ifstream in(fuzz::SourceDir() + "/data/sample/" + name, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    auto doc = Extract(bytes.str(), InputFormat::kText, name);
    if (!doc.ok()) std::abort();
    StoredVersion version;
    version.docno = static_cast<int64_t>(corpus->versions.size() + 1);
    version.doc = std::move(doc).value();
    IndexedDoc indexed;
    indexed.docno = version.docno;
    indexed.day = DayNumber(version.doc.date);
    indexed.state_media = true;
    corpus->index.Add(indexed, NgramSet(TokenizeDocument(version.doc).tokens));
    corpus->versions.push_back(std::move(version));
  }
  return corpus;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;  // alignment is quadratic in the window: keep executions fast
  static Corpus* corpus = Load();
  static const Tracer tracer(&corpus->index, [](int64_t docno) -> Result<StoredVersion> {
    if (docno < 1 || docno > static_cast<int64_t>(corpus->versions.size())) return Status::NotFound("no such docno");
    return corpus->versions[static_cast<size_t>(docno - 1)];
  });
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto matches = tracer.Trace(text, {});
  if (!matches.ok()) return 0;
  for (const QuoteMatch& match : *matches) {
    if (match.quote_begin > match.quote_end || match.quote_end > text.size()) __builtin_trap();
    const StoredVersion& origin = corpus->versions[static_cast<size_t>(match.docno - 1)];
    if (match.origin_begin > match.origin_end || match.origin_end > origin.doc.text.size()) __builtin_trap();
  }
  return 0;
}

// The query parser and search over the sample corpus: any query string
// answers (hits or a kUsage error) and never throws past the API.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/engine.h"
#include "fuzz_util.h"
#include "search/trends.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace echotrace;
  if (size > 4096) return 0;
  static auto engine = [] {
    auto opened = Engine::Open(fuzz::SampleDataDir(), Engine::Mode::kRead);
    if (!opened.ok()) std::abort();
    return std::move(opened).value();
  }();
  SearchRequest request;
  request.query.assign(reinterpret_cast<const char*>(data), size);
  request.limit = 5;
  auto response = engine->Search(request);
  if (response.ok() && response->hits.size() > 5) __builtin_trap();
  if (!request.query.empty() && request.query.size() <= 200) {
    TrendsRequest trends;
    trends.terms = {request.query};
    (void)CountTrends(fuzz::SampleDataDir() + "/index", trends);
  }
  return 0;
}

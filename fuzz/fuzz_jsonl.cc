// Reading an arbitrary input file (JSON Lines, HTML, text; gzip or zstd):
// every record handed on is within the limits, and a line's bytes lie in the file.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "extract/extract.h"
#include "ingest/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace echotrace;
  static const std::string path = [] {
    std::string p =
        (std::filesystem::temp_directory_path() / ("echotrace-fuzz-input-" + std::to_string(getpid()) + ".jsonl"))
            .string();
    return p;
  }();
  FILE* out = std::fopen(path.c_str(), "wb");
  if (out == nullptr) return 0;
  std::fwrite(data, 1, size, out);
  std::fclose(out);
  ReadLimits limits;
  limits.max_document_bytes = 1 << 20;
  limits.max_line_bytes = 1 << 16;
  std::vector<InputIssue> issues;
  (void)ReadInput(
      {path, static_cast<int64_t>(size)}, limits,
      [&](RawRecord&& record) {
        if (record.format == InputFormat::kJsonLine && record.bytes.size() > limits.max_line_bytes) {
          __builtin_trap();
        }
        if (record.format == InputFormat::kJsonLine) (void)Extract(record.bytes, record.format, record.Origin());
        return Status::Ok();
      },
      &issues);
  return 0;
}

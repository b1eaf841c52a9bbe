// Ingest, first stage: turn paths into raw records.
//
// A path is a file, a folder (walked recursively, in sorted order, skipping
// hidden entries) or "-" for standard input. Files may be gzip- or
// zstd-compressed (detected by magic bytes, not by name). The format of the
// decompressed content is detected from the content, with the extension only
// as a tie-breaker: JSON Lines (one record per line), HTML, or plain text
// (one record per file).
//
// Cost: streaming; memory is bounded by ReadLimits (one line, or one
// document), never by the size of a file. Linear time in the input.
// Thread-safety: free functions without shared state.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"
#include "core/status.h"

namespace echotrace {

struct InputFile {
  std::string path;   // "-" means standard input
  int64_t size = -1;  // bytes on disk; -1 when unknown (stdin, pipes)
};

// A problem with the input that did not stop the run. `where` is
// "path", "path:line" or "path@offset".
struct InputIssue {
  bool is_error = false;  // error: something was skipped; warning: it was repaired
  std::string where;
  std::string message;
};

struct RawRecord {
  std::string bytes;  // exactly as read (after decompression), not repaired
  InputFormat format = InputFormat::kText;
  std::string path;            // InputFile::path
  uint64_t line = 0;           // 1-based line for JSON Lines; 0 for whole-file records
  std::string Origin() const;  // "path" or "path:line"
};

struct ReadLimits {
  // Largest text/HTML file accepted as one article. Larger files are skipped
  // with an error rather than loaded. Default: 64 MiB (the longest real
  // article seen is under 100 KiB; pages with inline images reach a few MiB).
  size_t max_document_bytes = size_t{64} << 20;
  // Longest JSON line accepted. Default: 64 MiB.
  size_t max_line_bytes = size_t{64} << 20;
};

// Expands `paths` into files. Unreadable or missing paths and folders
// without any regular file are reported in `issues` (as errors) and skipped.
// Returns kNotFound when nothing readable is left; kUsage when `paths` is empty.
Result<std::vector<InputFile>> ExpandInputs(const std::vector<std::string>& paths, std::vector<InputIssue>* issues);

// Detects the format of decompressed content from its first bytes. `path`
// is only a tie-breaker (".jsonl" with a malformed first line stays JSON Lines).
InputFormat DetectFormat(std::string_view head, std::string_view path);

// Called for each record; returning a non-OK Status stops the read and is
// returned by ReadInput.
using RecordSink = std::function<Status(RawRecord&&)>;
// Called now and then with the number of (compressed) bytes consumed so far.
using ByteProgress = std::function<void(uint64_t consumed)>;

// Reads one input and hands its records to `sink`, in order.
// Errors that lose a whole file (unreadable, empty, binary, over the size
// limit, corrupt compression) are returned as kBadInput/kIOError; per-record
// problems (an over-long line) go to `issues` and the read goes on.
Status ReadInput(const InputFile& file, const ReadLimits& limits, const RecordSink& sink,
                 std::vector<InputIssue>* issues, const ByteProgress& progress = nullptr);

}  // namespace echotrace

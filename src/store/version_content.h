// VersionContent: how the store keeps a version's text, spans and raw input
// bytes: one zstd frame per version, so the text is stored once.
//
// Payload (before compression), in this order:
//   byte  format (kVersionContentFormat)
//   varint text size, varint spans size, varint raw size
//   text bytes (Document::text)
//   spans: varint count, then per span: varint begin, varint end - begin,
//          string kind name (SpanKindName), string label, string key,
//          varint attribute count, then (string name, string value) pairs;
//          a string is a varint byte count and the bytes
//   raw bytes (Document::raw)
// The raw record usually repeats the text (HTML or JSON around the same
// words): with the text earlier in the same frame, zstd codes those
// stretches as short back-references, so the text costs little twice.
// Reads that do not need the raw bytes (search hits, linking) stop
// decompressing where the spans end.
//
// Errors: kCorrupt when a frame does not decompress, is cut short, has
// another format byte, or holds a span outside the text; the message names
// what is wrong. Decoding never reads outside its inputs.
//
// Thread-safety: free functions are pure; a ContentReader is used by one
// thread at a time (it owns a zstd decompression context).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"
#include "core/status.h"

struct ZSTD_DCtx_s;

namespace echotrace {

inline constexpr uint8_t kVersionContentFormat = 1;

// The compressed frame of `text`, `spans` and `raw` (zstd level 3, with a
// content checksum). Cost: linear in their size.
std::string EncodeVersionContent(std::string_view text, const std::vector<Span>& spans, std::string_view raw);

// The uncompressed payload size EncodeVersionContent compressed (for
// statistics), or 0 when `frame` does not say.
uint64_t VersionContentSize(std::string_view frame);

// Decodes frames, reusing one decompression context.
class ContentReader {
 public:
  ContentReader();
  ~ContentReader();
  ContentReader(const ContentReader&) = delete;  // owns a zstd context; make one per thread
  ContentReader& operator=(const ContentReader&) = delete;

  // Decodes `frame` into *text and *spans, and *raw when `raw` is not null
  // (only then is the whole frame decompressed and its checksum checked).
  // When `paragraphs_only`, only kParagraph spans are kept. On error the
  // outputs hold partial content and must not be used.
  Status Decode(std::string_view frame, std::string* text, std::vector<Span>* spans, std::string* raw,
                bool paragraphs_only = false);

 private:
  ZSTD_DCtx_s* context_;
};

}  // namespace echotrace

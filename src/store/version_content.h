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
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"
#include "core/status.h"

struct ZSTD_DCtx_s;
struct ZSTD_CDict_s;
struct ZSTD_DDict_s;

namespace echotrace {

inline constexpr uint8_t kVersionContentFormat = 1;

// A zstd dictionary trained on a store's own payloads. A version's frame
// alone is small (a news item of ~1.5 KB with its raw record): without a
// dictionary zstd relearns the corpus' words and JSON/HTML shapes in every
// frame; with one, frames are about a third smaller (bench/RESULTS.md). A
// frame names its dictionary's id, so frames of several dictionaries (and
// of none) are read side by side.
// Ownership: holds the dictionary bytes and zstd's digested forms of them.
// Thread-safety: immutable after Load; share it across threads freely.
class ContentDictionary {
 public:
  // Errors: kCorrupt when `bytes` is not a zstd dictionary (id 0).
  static Result<std::shared_ptr<const ContentDictionary>> Load(std::string bytes);
  ~ContentDictionary();
  ContentDictionary(const ContentDictionary&) = delete;  // owns zstd objects; share the shared_ptr
  ContentDictionary& operator=(const ContentDictionary&) = delete;

  uint32_t id() const { return id_; }
  const std::string& bytes() const { return bytes_; }

 private:
  ContentDictionary() = default;
  friend std::string EncodeVersionContent(std::string_view, const std::vector<Span>&, std::string_view,
                                          const ContentDictionary*);
  friend class ContentReader;

  uint32_t id_ = 0;
  std::string bytes_;
  ZSTD_CDict_s* compress_ = nullptr;
  ZSTD_DDict_s* decompress_ = nullptr;
};

// The uncompressed payload of a version (the layout above): what a frame
// holds, and what a dictionary is trained on.
std::string VersionContentPayload(std::string_view text, const std::vector<Span>& spans, std::string_view raw);

// A dictionary of at most `max_bytes` (about 110 KiB is zstd's advice)
// trained on `payloads` (VersionContentPayload of sample versions; a few
// thousand are plenty). Errors: kBadInput when zstd finds too little to
// learn from (too few or too small samples). Cost: about 0.5 s for 2,000
// news items; ~6 MB of working memory.
Result<std::string> TrainContentDictionary(const std::vector<std::string>& payloads, size_t max_bytes = 112640);

// The compressed frame of `text`, `spans` and `raw` (zstd level 3, with a
// content checksum), with `dictionary` when given. Cost: linear in their
// size.
std::string EncodeVersionContent(std::string_view text, const std::vector<Span>& spans, std::string_view raw,
                                 const ContentDictionary* dictionary = nullptr);

// The id of the dictionary `frame` was compressed with; 0 for none.
uint32_t VersionContentDictionaryId(std::string_view frame);

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

  // Makes frames of `dictionary` readable (the reader keeps it alive).
  void AddDictionary(std::shared_ptr<const ContentDictionary> dictionary);
  bool HasDictionary(uint32_t id) const { return dictionaries_.count(id) > 0; }

  // Decodes `frame` into *text and *spans, and *raw when `raw` is not null
  // (only then is the whole frame decompressed and its checksum checked).
  // When `paragraphs_only`, only kParagraph spans are kept. On error the
  // outputs hold partial content and must not be used; kCorrupt names a
  // frame's dictionary this reader was not given.
  Status Decode(std::string_view frame, std::string* text, std::vector<Span>* spans, std::string* raw,
                bool paragraphs_only = false);

 private:
  ZSTD_DCtx_s* context_;
  std::map<uint32_t, std::shared_ptr<const ContentDictionary>> dictionaries_;
};

}  // namespace echotrace

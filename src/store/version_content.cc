#include "store/version_content.h"

#include <zdict.h>
#include <zstd.h>

#include <algorithm>

#include "core/varint.h"

namespace echotrace {
namespace {

// The header: format byte and three varints of at most 10 bytes each.
constexpr size_t kMaxHeader = 1 + 3 * 10;
// zstd's default level: ~300 MB/s on a news item, about 3x smaller.
constexpr int kCompressionLevel = 3;

std::string EncodeSpans(const std::vector<Span>& spans) {
  std::string out;
  out.reserve(spans.size() * 12);
  PutVarint(spans.size(), &out);
  for (const Span& span : spans) {
    PutVarint(span.begin, &out);
    PutVarint(span.end - span.begin, &out);
    PutString(SpanKindName(span.kind), &out);
    PutString(span.label, &out);
    PutString(span.key, &out);
    PutVarint(span.attrs.size(), &out);
    for (const auto& [name, value] : span.attrs) {
      PutString(name, &out);
      PutString(value, &out);
    }
  }
  return out;
}

Status DecodeSpans(std::string_view bytes, size_t text_size, bool paragraphs_only, std::vector<Span>* spans) {
  const Status malformed = Status::Corrupt("stored spans are malformed");
  ByteReader c(bytes);
  uint64_t count = 0;
  if (!c.GetVarint(&count) || count > bytes.size()) return malformed;
  spans->reserve(spans->size() + (paragraphs_only ? 0 : count));
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t begin = 0, length = 0, attrs = 0;
    std::string_view kind, label, key;
    if (!c.GetVarint(&begin) || !c.GetVarint(&length) || !c.GetString(&kind) || !c.GetString(&label) ||
        !c.GetString(&key) || !c.GetVarint(&attrs)) {
      return malformed;
    }
    if (begin > text_size || length > text_size - begin) return Status::Corrupt("stored span is out of range");
    Span span;
    if (!ParseSpanKind(kind, &span.kind)) span.kind = SpanKind::kBoilerplate;
    const bool keep = !paragraphs_only || span.kind == SpanKind::kParagraph;
    span.begin = static_cast<uint32_t>(begin);
    span.end = static_cast<uint32_t>(begin + length);
    if (keep) {
      span.label = label;
      span.key = key;
    }
    for (uint64_t a = 0; a < attrs; ++a) {
      std::string_view name, value;
      if (!c.GetString(&name) || !c.GetString(&value)) return malformed;
      if (keep) span.attrs.emplace_back(name, value);
    }
    if (keep) spans->push_back(std::move(span));
  }
  if (!c.done()) return malformed;
  return Status::Ok();
}

}  // namespace

std::string VersionContentPayload(std::string_view text, const std::vector<Span>& spans, std::string_view raw) {
  const std::string span_bytes = EncodeSpans(spans);
  std::string payload;
  payload.reserve(kMaxHeader + text.size() + span_bytes.size() + raw.size());
  payload.push_back(static_cast<char>(kVersionContentFormat));
  PutVarint(text.size(), &payload);
  PutVarint(span_bytes.size(), &payload);
  PutVarint(raw.size(), &payload);
  payload.append(text);
  payload.append(span_bytes);
  payload.append(raw);
  return payload;
}

Result<std::shared_ptr<const ContentDictionary>> ContentDictionary::Load(std::string bytes) {
  const unsigned id = ZDICT_getDictID(bytes.data(), bytes.size());
  if (id == 0) return Status::Corrupt("a stored content dictionary is not a zstd dictionary");
  std::shared_ptr<ContentDictionary> dictionary(new ContentDictionary());
  dictionary->id_ = id;
  dictionary->bytes_ = std::move(bytes);
  dictionary->compress_ = ZSTD_createCDict(dictionary->bytes_.data(), dictionary->bytes_.size(), kCompressionLevel);
  dictionary->decompress_ = ZSTD_createDDict(dictionary->bytes_.data(), dictionary->bytes_.size());
  if (dictionary->compress_ == nullptr || dictionary->decompress_ == nullptr) {
    return Status::Corrupt("a stored content dictionary does not load (zstd refused it)");
  }
  return std::shared_ptr<const ContentDictionary>(std::move(dictionary));
}

ContentDictionary::~ContentDictionary() {
  ZSTD_freeCDict(compress_);
  ZSTD_freeDDict(decompress_);
}

Result<std::string> TrainContentDictionary(const std::vector<std::string>& payloads, size_t max_bytes) {
  std::string samples;
  std::vector<size_t> sizes;
  sizes.reserve(payloads.size());
  for (const std::string& payload : payloads) {
    samples += payload;
    sizes.push_back(payload.size());
  }
  std::string dictionary(max_bytes, '\0');
  const size_t n = ZDICT_trainFromBuffer(dictionary.data(), dictionary.size(), samples.data(), sizes.data(),
                                         static_cast<unsigned>(sizes.size()));
  if (ZDICT_isError(n)) {
    return Status::BadInput(std::string("no content dictionary could be trained (zstd: ") + ZDICT_getErrorName(n) +
                            ")");
  }
  dictionary.resize(n);
  return dictionary;
}

std::string EncodeVersionContent(std::string_view text, const std::vector<Span>& spans, std::string_view raw,
                                 const ContentDictionary* dictionary) {
  const std::string payload = VersionContentPayload(text, spans, raw);
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  if (dictionary != nullptr) {
    ZSTD_CCtx_refCDict(cctx, dictionary->compress_);  // its level: kCompressionLevel
  } else {
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, kCompressionLevel);
  }
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  std::string out(ZSTD_compressBound(payload.size()), '\0');
  const size_t n = ZSTD_compress2(cctx, out.data(), out.size(), payload.data(), payload.size());
  ZSTD_freeCCtx(cctx);
  out.resize(ZSTD_isError(n) ? 0 : n);  // only fails on allocation; an empty frame then reads as corrupt
  return out;
}

uint32_t VersionContentDictionaryId(std::string_view frame) {
  return ZSTD_getDictID_fromFrame(frame.data(), frame.size());
}

uint64_t VersionContentSize(std::string_view frame) {
  const unsigned long long n = ZSTD_getFrameContentSize(frame.data(), frame.size());
  return n == ZSTD_CONTENTSIZE_UNKNOWN || n == ZSTD_CONTENTSIZE_ERROR ? 0 : n;
}

ContentReader::ContentReader() : context_(ZSTD_createDCtx()) {}
ContentReader::~ContentReader() { ZSTD_freeDCtx(context_); }

void ContentReader::AddDictionary(std::shared_ptr<const ContentDictionary> dictionary) {
  if (dictionary != nullptr) dictionaries_[dictionary->id()] = std::move(dictionary);
}

Status ContentReader::Decode(std::string_view frame, std::string* text, std::vector<Span>* spans, std::string* raw,
                             bool paragraphs_only) {
  if (context_ == nullptr) return Status::Internal("out of memory for a zstd context");
  ZSTD_DCtx_reset(context_, ZSTD_reset_session_only);
  const uint32_t dictionary_id = VersionContentDictionaryId(frame);
  if (dictionary_id != 0) {
    const auto found = dictionaries_.find(dictionary_id);
    if (found == dictionaries_.end()) {
      return Status::Corrupt("stored content needs content dictionary " + std::to_string(dictionary_id) +
                             ", which the store does not hold");
    }
    ZSTD_DCtx_refDDict(context_, found->second->decompress_);
  } else {
    ZSTD_DCtx_refDDict(context_, nullptr);
  }
  ZSTD_inBuffer in{frame.data(), frame.size(), 0};
  std::string payload;
  // Decompresses until `want` payload bytes are out (or the frame ends).
  auto fill = [&](size_t want, bool* ended) -> Status {
    const size_t have = payload.size();
    payload.resize(want);
    ZSTD_outBuffer out{payload.data(), want, have};
    *ended = false;
    while (out.pos < want) {
      const size_t rc = ZSTD_decompressStream(context_, &out, &in);
      if (ZSTD_isError(rc)) {
        return Status::Corrupt(std::string("stored content does not decompress (zstd: ") + ZSTD_getErrorName(rc) + ")");
      }
      if (rc == 0) {
        *ended = true;
        break;
      }
      if (in.pos == in.size && out.pos < want) {
        return Status::Corrupt("stored content is cut short (the zstd frame ends early)");
      }
    }
    payload.resize(out.pos);
    return Status::Ok();
  };
  // Frames this store writes always declare their size; spans limit a text to 4 GiB.
  const uint64_t declared = VersionContentSize(frame);
  if (declared == 0 || declared > (uint64_t{1} << 33)) {
    return Status::Corrupt("stored content is not a zstd frame of a version (no valid content size)");
  }
  bool ended = false;
  ET_RETURN_IF_ERROR(fill(std::min<uint64_t>(kMaxHeader, declared), &ended));
  if (payload.empty() || static_cast<uint8_t>(payload[0]) != kVersionContentFormat) {
    return Status::Corrupt("stored content has an unknown format (byte " +
                           std::to_string(payload.empty() ? -1 : static_cast<uint8_t>(payload[0])) + ")");
  }
  ByteReader header(std::string_view(payload).substr(1));
  uint64_t text_size = 0, spans_size = 0, raw_size = 0;
  if (!header.GetVarint(&text_size) || !header.GetVarint(&spans_size) || !header.GetVarint(&raw_size)) {
    return Status::Corrupt("stored content has a malformed header");
  }
  const size_t start = payload.size() - header.remaining();
  const uint64_t total = start + text_size + spans_size + raw_size;
  if (total != declared) return Status::Corrupt("stored content's sizes do not add up");
  const uint64_t want = raw != nullptr ? total : start + text_size + spans_size;
  if (want > payload.size()) {
    ET_RETURN_IF_ERROR(fill(want, &ended));
    if (payload.size() < want) return Status::Corrupt("stored content is cut short");
  }
  if (raw != nullptr && !ended) {
    // The checksum is checked when the frame's end is read.
    char spare = 0;
    ZSTD_outBuffer out{&spare, 1, 0};
    const size_t rc = ZSTD_decompressStream(context_, &out, &in);
    if (ZSTD_isError(rc) || rc != 0 || out.pos != 0) {
      return Status::Corrupt(std::string("stored content fails its checksum (zstd: ") +
                             (ZSTD_isError(rc) ? ZSTD_getErrorName(rc) : "more bytes than declared") + ")");
    }
  }
  if (raw != nullptr && in.pos != in.size) return Status::Corrupt("stored content has bytes after its frame");
  text->assign(payload, start, text_size);
  spans->clear();
  ET_RETURN_IF_ERROR(
      DecodeSpans(std::string_view(payload).substr(start + text_size, spans_size), text_size, paragraphs_only, spans));
  if (raw != nullptr) raw->assign(payload, start + text_size + spans_size, raw_size);
  return Status::Ok();
}

}  // namespace echotrace

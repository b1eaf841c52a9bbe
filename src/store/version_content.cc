#include "store/version_content.h"

#include <zstd.h>

#include <algorithm>

#include "core/varint.h"

namespace echotrace {
namespace {

// The header: format byte and three varints of at most 10 bytes each.
constexpr size_t kMaxHeader = 1 + 3 * 10;

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

std::string EncodeVersionContent(std::string_view text, const std::vector<Span>& spans, std::string_view raw) {
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
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 3);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  std::string out(ZSTD_compressBound(payload.size()), '\0');
  const size_t n = ZSTD_compress2(cctx, out.data(), out.size(), payload.data(), payload.size());
  ZSTD_freeCCtx(cctx);
  out.resize(ZSTD_isError(n) ? 0 : n);  // only fails on allocation; an empty frame then reads as corrupt
  return out;
}

uint64_t VersionContentSize(std::string_view frame) {
  const unsigned long long n = ZSTD_getFrameContentSize(frame.data(), frame.size());
  return n == ZSTD_CONTENTSIZE_UNKNOWN || n == ZSTD_CONTENTSIZE_ERROR ? 0 : n;
}

ContentReader::ContentReader() : context_(ZSTD_createDCtx()) {}
ContentReader::~ContentReader() { ZSTD_freeDCtx(context_); }

Status ContentReader::Decode(std::string_view frame, std::string* text, std::vector<Span>* spans, std::string* raw,
                             bool paragraphs_only) {
  if (context_ == nullptr) return Status::Internal("out of memory for a zstd context");
  ZSTD_DCtx_reset(context_, ZSTD_reset_session_only);
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

#include "core/text.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>
#include <xxhash.h>

#include <cstdio>

namespace echotrace {
namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

bool IsSpaceLike(UChar32 c) {
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return true;
  if (c < 0x80) return false;
  return c == 0x00A0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000 || c == 0x0085;
}

bool IsDropped(UChar32 c) {
  if (c < 0x20 || c == 0x7F) return true;                           // C0 controls, DEL
  if (c >= 0x80 && c <= 0x9F) return true;                          // C1 controls
  return c == 0x200B || c == 0xFEFF || c == 0x2060 || c == 0x00AD;  // ZWSP, BOM, WJ, soft hyphen
}

// ICU's NFC normalizer, or null when ICU cannot load it. ICU builds it once
// behind its own atomics, which ThreadSanitizer cannot see (libicu is not
// instrumented): two ingest workers' first calls were reported as a race on
// the normalizer's fields. A function-local static's guard is visible to it
// and orders every thread's first use after the build.
const icu::Normalizer2* NfcNormalizer() {
  static const icu::Normalizer2* const nfc = [] {
    UErrorCode error = U_ZERO_ERROR;
    const icu::Normalizer2* instance = icu::Normalizer2::getNFCInstance(error);
    return U_SUCCESS(error) ? instance : nullptr;
  }();
  return nfc;
}

}  // namespace

Utf8Repair RepairUtf8(std::string_view bytes) {
  Utf8Repair out;
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  const int32_t length = static_cast<int32_t>(bytes.size());
  // Fast path: valid input is copied once.
  int32_t i = 0;
  bool valid = true;
  while (i < length) {
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) {
      valid = false;
      break;
    }
  }
  if (valid) {
    out.text.assign(bytes);
    return out;
  }
  out.text.reserve(bytes.size() + 16);
  i = 0;
  while (i < length) {
    const int32_t start = i;
    if (s[i] < 0x80) {
      out.text.push_back(static_cast<char>(s[i++]));
      continue;
    }
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) {
      if (out.replaced == 0) out.first_bad_offset = static_cast<size_t>(start);
      ++out.replaced;
      out.text += kReplacement;
    } else {
      out.text.append(bytes.data() + start, static_cast<size_t>(i - start));
    }
  }
  return out;
}

bool LooksBinary(std::string_view bytes, size_t window, size_t* offset) {
  const size_t n = bytes.size() < window ? bytes.size() : window;
  size_t controls = 0;
  size_t first = n;
  for (size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == 0) {
      if (offset) *offset = i;
      return true;
    }
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
      if (first == n) first = i;
      ++controls;
    }
  }
  if (n > 0 && controls * 10 > n) {
    if (offset) *offset = first;
    return true;
  }
  return false;
}

std::string NormalizeInline(std::string_view utf8) {
  std::string collapsed;
  collapsed.reserve(utf8.size());
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t length = static_cast<int32_t>(utf8.size());
  bool ascii = true;
  bool pending_space = false;
  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) c = 0xFFFD;  // defensive: callers promise valid UTF-8
    if (IsSpaceLike(c)) {
      pending_space = !collapsed.empty();
      continue;
    }
    if (IsDropped(c)) continue;
    if (pending_space) {
      collapsed.push_back(' ');
      pending_space = false;
    }
    if (c >= 0x80) ascii = false;
    if (c == 0xFFFD && utf8.substr(static_cast<size_t>(start), 3) != kReplacement) {
      collapsed += kReplacement;
    } else {
      collapsed.append(utf8.data() + start, static_cast<size_t>(i - start));
    }
  }
  if (ascii) return collapsed;

  const icu::Normalizer2* nfc = NfcNormalizer();
  if (nfc == nullptr) return collapsed;
  UErrorCode error = U_ZERO_ERROR;
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(collapsed);
  if (nfc->isNormalized(unicode, error) && U_SUCCESS(error)) return collapsed;
  error = U_ZERO_ERROR;
  icu::UnicodeString normalized = nfc->normalize(unicode, error);
  if (U_FAILURE(error)) return collapsed;
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

std::string_view Utf8Prefix(std::string_view utf8, size_t max_bytes) {
  if (utf8.size() <= max_bytes) return utf8;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(utf8[cut]) & 0xC0) == 0x80)
    --cut;  // utf8[cut] is the first byte left out
  return utf8.substr(0, cut);
}

std::string FoldForKey(std::string_view utf8) {
  std::string normalized = NormalizeInline(utf8);
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(normalized);
  unicode.foldCase();
  std::string out;
  unicode.toUTF8String(out);
  return out;
}

std::string Hash64Hex(std::string_view bytes) {
  const XXH64_hash_t hash = XXH3_64bits(bytes.data(), bytes.size());
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
  return std::string(buffer, 16);
}

std::string_view TrimAscii(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n' || s[b] == '\r' || s[b] == '\f' || s[b] == '\v')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n' || s[e - 1] == '\r' || s[e - 1] == '\f' ||
                   s[e - 1] == '\v'))
    --e;
  return s.substr(b, e - b);
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::vector<std::string_view> SplitTrimmed(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    const size_t end = s.find(separator, start);
    parts.push_back(TrimAscii(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start)));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

}  // namespace echotrace

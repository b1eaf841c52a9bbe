// Text primitives shared by every stage: UTF-8 repair, Unicode normalization,
// case folding for keys, and content hashing.
//
// Cost: every function here is linear in its input and allocates at most a
// constant multiple of it; none recurses. Safe on untrusted bytes.
// Thread-safety: free functions without shared state (ICU's normalizer
// singletons are thread-safe); callable from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace echotrace {

struct Utf8Repair {
  std::string text;             // valid UTF-8
  size_t replaced = 0;          // ill-formed sequences replaced by U+FFFD
  size_t first_bad_offset = 0;  // byte offset in the input of the first one (if replaced > 0)
};

// Replaces every ill-formed UTF-8 sequence (overlongs, surrogates, truncated
// sequences, stray continuation bytes) by U+FFFD, one per maximal subpart as
// the Unicode standard recommends. Valid input is returned unchanged.
Utf8Repair RepairUtf8(std::string_view bytes);

// True when `bytes` looks like binary data rather than text: a NUL byte, or
// more than 10% C0 control characters other than tab/CR/LF/FF. Looks at no
// more than the first `window` bytes. `*offset` (optional) receives the
// offset of the first offending byte.
bool LooksBinary(std::string_view bytes, size_t window = 65536, size_t* offset = nullptr);

// Normalizes one block of text for storage: NFC; every run of whitespace
// (including newlines, NBSP and the Unicode space separators) becomes one
// ASCII space; control and zero-width characters are dropped; the result is
// trimmed. REQUIRES: `utf8` is valid UTF-8 (use RepairUtf8 first).
std::string NormalizeInline(std::string_view utf8);

// NormalizeInline followed by Unicode full case folding: the form used to
// compare titles and names ("Workers’ Party" vs "WORKERS’ PARTY").
std::string FoldForKey(std::string_view utf8);

// 64-bit XXH3 of `bytes`, as 16 lowercase hex digits. Stable across
// platforms and releases (XXH3 is a frozen format).
std::string Hash64Hex(std::string_view bytes);

// The longest prefix of `utf8` of at most `max_bytes` that ends on a
// character boundary (a cut never splits a UTF-8 sequence).
std::string_view Utf8Prefix(std::string_view utf8, size_t max_bytes);

// Trims ASCII whitespace at both ends.
std::string_view TrimAscii(std::string_view s);

// The parts of `s` between separators, each trimmed (TrimAscii); n
// separators give n + 1 parts. The views point into `s`.
std::vector<std::string_view> SplitTrimmed(std::string_view s, char separator);

// Lowercases ASCII letters only.
std::string AsciiLower(std::string_view s);

}  // namespace echotrace

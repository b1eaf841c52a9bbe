// Little-endian base-128 varints and length-prefixed strings: the one byte
// encoding of the project's compact formats (the store's version frames,
// serialised match spies).
//
// Inputs: any bytes; ByteReader never reads outside the range it was given.
// Errors: a truncated or over-long varint, or a string longer than what is
// left, makes the Get call return false (the reader's position is then
// unspecified). Cost: linear in the bytes written or read. Pure; no state
// beyond a reader's position, so distinct readers may run on any threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace echotrace {

inline void PutVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

// The bytes PutVarint writes for `value` (1 to 10).
inline size_t VarintLength(uint64_t value) {
  size_t n = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++n;
  }
  return n;
}

// A varint byte count, then the bytes.
inline void PutString(std::string_view s, std::string* out) {
  PutVarint(s.size(), out);
  out->append(s);
}

// Reads what PutVarint and PutString wrote, from a bounded byte range.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : rest_(bytes) {}
  bool done() const { return rest_.empty(); }
  size_t remaining() const { return rest_.size(); }

  bool GetVarint(uint64_t* value) {
    *value = 0;
    for (int shift = 0; shift < 64 && !rest_.empty(); shift += 7) {
      const auto byte = static_cast<unsigned char>(rest_.front());
      rest_.remove_prefix(1);
      *value |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }
  // `s` views the reader's bytes.
  bool GetString(std::string_view* s) {
    uint64_t size = 0;
    if (!GetVarint(&size) || size > rest_.size()) return false;
    *s = rest_.substr(0, size);
    rest_.remove_prefix(size);
    return true;
  }

 private:
  std::string_view rest_;
};

}  // namespace echotrace

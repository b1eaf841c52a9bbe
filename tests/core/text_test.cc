#include "core/text.h"

#include <gtest/gtest.h>

namespace echotrace {
namespace {

TEST(RepairUtf8, ValidInputUnchanged) {
  const std::string text = "Workers\xE2\x80\x99 Party \xEA\xB9\x80\xEC\xA0\x95\xEC\x9D\x80";
  Utf8Repair r = RepairUtf8(text);
  EXPECT_EQ(r.text, text);
  EXPECT_EQ(r.replaced, 0u);
}

TEST(RepairUtf8, ReplacesEachIllFormedSequence) {
  // stray continuation byte, truncated 3-byte sequence, overlong '/', surrogate
  Utf8Repair r = RepairUtf8(
      "a\x80"
      "b\xE2\x80"
      "c\xC0\xAF"
      "d\xED\xA0\x80"
      "e");
  EXPECT_EQ(r.first_bad_offset, 1u);
  EXPECT_GE(r.replaced, 4u);
  EXPECT_EQ(RepairUtf8(r.text).replaced, 0u) << "repaired text must be valid";
  EXPECT_NE(r.text.find("a\xEF\xBF\xBD"
                        "b"),
            std::string::npos);
}

TEST(LooksBinary, NulAndControlBytes) {
  size_t offset = 0;
  EXPECT_TRUE(LooksBinary(std::string("abc\0def", 7), 65536, &offset));
  EXPECT_EQ(offset, 3u);
  EXPECT_TRUE(LooksBinary("\x01\x02\x03\x04\x05\x06 abc"));
  EXPECT_FALSE(LooksBinary("Pyongyang, March 29 (KCNA) --\n\tText.\r\n"));
}

TEST(NormalizeInline, CollapsesSpacesAndComposes) {
  // NBSP, tab, newline, zero-width space; e + combining acute -> é
  EXPECT_EQ(NormalizeInline("  Kim\xC2\xA0Jong\tUn\n said\xE2\x80\x8B  "), "Kim Jong Un said");
  EXPECT_EQ(NormalizeInline("Caf"
                            "e\xCC\x81"),
            "Caf\xC3\xA9");
  EXPECT_EQ(NormalizeInline(""), "");
}

TEST(FoldForKey, CaseAndWidth) {
  EXPECT_EQ(FoldForKey("WORKERS\xE2\x80\x99 PARTY"), FoldForKey("Workers\xE2\x80\x99  party"));
  EXPECT_NE(FoldForKey("Workers' Party"), FoldForKey("Workers Party"));
}

TEST(Hash64Hex, StableAndDistinct) {
  EXPECT_EQ(Hash64Hex("abc").size(), 16u);
  EXPECT_EQ(Hash64Hex("abc"), Hash64Hex("abc"));
  EXPECT_NE(Hash64Hex("abc"), Hash64Hex("abd"));
  // XXH3-64 is a frozen format: this value must never change, or every stored id would.
  EXPECT_EQ(Hash64Hex(""), "2d06800538d394c2");
}

}  // namespace
}  // namespace echotrace

namespace echotrace {
namespace {

TEST(SplitTrimmed, PartsAreTrimmedAndEmptyOnesKept) {
  EXPECT_EQ(SplitTrimmed(" a , b,,c ", ','), (std::vector<std::string_view>{"a", "b", "", "c"}));
  EXPECT_EQ(SplitTrimmed("", ','), (std::vector<std::string_view>{""}));
  EXPECT_EQ(SplitTrimmed("kcna\tKorean Central News Agency", '\t').size(), 2u);
}

}  // namespace
}  // namespace echotrace

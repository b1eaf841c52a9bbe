// The shared tokens (annotate/doc_tokens.h) must be exactly what each finder
// would cut for itself: the merged ordinal cut equals the tokenizer's own, and
// each block's tokens equal the block tokenized alone.
#include "annotate/doc_tokens.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "annotate/block_tokens.h"
#include "annotate/name_tokens.h"

namespace echotrace::annotate_internal {
namespace {

using block_tokens::BlockToken;

void ExpectSameTokens(const std::vector<BlockToken>& want, const std::vector<BlockToken>& got,
                      const std::string& text) {
  ASSERT_EQ(want.size(), got.size()) << text;
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(text + " token " + std::to_string(i));
    EXPECT_EQ(want[i].begin, got[i].begin);
    EXPECT_EQ(want[i].end, got[i].end);
    EXPECT_EQ(want[i].type, got[i].type);
    EXPECT_EQ(want[i].space_before, got[i].space_before);
    EXPECT_EQ(want[i].capitalized, got[i].capitalized);
    EXPECT_EQ(want[i].value, got[i].value);
    EXPECT_EQ(want[i].digits, got[i].digits);
    EXPECT_EQ(want[i].ordinal, got[i].ordinal);
    EXPECT_EQ(want[i].lower, got[i].lower);
    EXPECT_EQ(want[i].raw, got[i].raw);
  }
}

TEST(DocTokens, MergedOrdinalsMatchTheTokenizersOwnCut) {
  const std::vector<std::string> texts = {
      "the 4th plenary, the 22nd and 3rd meetings, the 1st.",
      "4TH Congress; 12Th session; 101st day",
      "4thly, 4 th, 4th5, 2nd-round, 3rd\xC3\xA9 and 21st's",  // no suffix, a space, digits and a letter after
      "on 2022-03-29 at 10:30, Juche 111 (2022)",
      "7th",
      "",
  };
  for (const std::string& text : texts) {
    std::string lower_merged, lower_apart;
    std::vector<BlockToken> want, apart, got;
    const auto end = static_cast<uint32_t>(text.size());
    block_tokens::Tokenize(text, 0, end, /*merge_ordinal_suffix=*/true, &lower_merged, &want);
    block_tokens::Tokenize(text, 0, end, /*merge_ordinal_suffix=*/false, &lower_apart, &apart);
    MergeOrdinalSuffixes(apart, &got);
    ExpectSameTokens(want, got, text);
  }
}

TEST(DocTokens, EachBlockHoldsItsOwnTokens) {
  Document doc;
  doc.text = "Kim Jong Un's 8th Congress\n\nOn March 4th, KCNA said \"the U.S. must act.\"\n\nPhoto: Jane Roe\n\nMenu";
  const auto at = [&](const std::string& s) { return static_cast<uint32_t>(doc.text.find(s)); };
  doc.spans.push_back(Span{0, at("\n\nOn"), SpanKind::kTitle, "", "", {}});
  doc.spans.push_back(Span{at("On March"), at("\n\nPhoto"), SpanKind::kParagraph, "", "", {}});
  doc.spans.push_back(Span{at("Photo"), at("\n\nMenu"), SpanKind::kBoilerplate, "photo_caption", "", {}});
  doc.spans.push_back(Span{at("Menu"), static_cast<uint32_t>(doc.text.size()), SpanKind::kBoilerplate, "nav", "", {}});
  const DocTokens tokens = TokenizeDocument(doc);
  // Title, paragraph and the caption (page facts); not the navigation.
  ASSERT_EQ(tokens.blocks.size(), 3u);
  EXPECT_EQ(tokens.Find(at("Menu"), static_cast<uint32_t>(doc.text.size())), nullptr);
  for (size_t b = 0; b < 3; ++b) {
    const Span& span = doc.spans[b];
    const TokenizedBlock* block = tokens.Find(span.begin, span.end);
    ASSERT_NE(block, nullptr);
    EXPECT_EQ(block, &tokens.blocks[b]);
    const std::string_view text = std::string_view(doc.text).substr(span.begin, span.end - span.begin);
    const std::vector<NameToken> names = Tokenize(text, span.begin);
    const auto shared_names = tokens.NamesOf(*block);
    ASSERT_EQ(names.size(), shared_names.size());
    ASSERT_FALSE(names.empty());
    for (size_t i = 0; i < names.size(); ++i) {
      EXPECT_EQ(names[i].begin, shared_names[i].begin);
      EXPECT_EQ(names[i].end, shared_names[i].end);
      EXPECT_EQ(names[i].joined, shared_names[i].joined);
      EXPECT_EQ(names[i].sentence_start, shared_names[i].sentence_start);
      EXPECT_EQ(names[i].all_caps, shared_names[i].all_caps);
    }
    std::string lower;
    std::vector<BlockToken> words;
    block_tokens::Tokenize(doc.text, span.begin, span.end, /*merge_ordinal_suffix=*/false, &lower, &words);
    const auto shared_words = tokens.WordsOf(*block);
    ExpectSameTokens(words, std::vector<BlockToken>(shared_words.begin(), shared_words.end()), std::string(text));
  }
}

}  // namespace
}  // namespace echotrace::annotate_internal

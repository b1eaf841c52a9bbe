// One romanization fact: a surname that annotation folds to one person
// (lexicon/romanization.h) also folds to one word for linking, so a wire's
// "Lee" aligns with KCNA's "Ri" as a re-romanized name, not an edit.
#include <gtest/gtest.h>

#include <string>

#include "lexicon/romanization.h"
#include "link/normalize.h"

namespace echotrace {
namespace {

TEST(RomanizationAgreementTest, SurnameSpellingsAgreeAcrossStages) {
  const std::pair<const char*, const char*> same_surname[] = {{"lee", "ri"},    {"rhee", "ri"},    {"park", "pak"},
                                                              {"choi", "choe"}, {"jeong", "jong"}, {"yoon", "yun"}};
  for (const auto& [a, b] : same_surname) {
    SCOPED_TRACE(std::string(a) + " / " + b);
    ASSERT_EQ(CanonicalSurname(a), CanonicalSurname(b));  // annotation: one person
    EXPECT_EQ(RomanKey(a), RomanKey(b));                  // linking: one word
  }
  EXPECT_EQ(RomanKey("dok"), RomanKey("tok"));
  EXPECT_NE(RomanKey("kim"), RomanKey("ri"));
}

}  // namespace
}  // namespace echotrace

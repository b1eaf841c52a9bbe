// The linker alone over a store written by hand: a foreign article's quote
// is traced to the state original, a republication is paired with it, and
// a second catch-up links nothing twice (the link mark).
#include "link/linker.h"

#include <gtest/gtest.h>

#include <string>

#include "annotate/annotate.h"
#include "extract/extract.h"
#include "store/store.h"
#include "test_util.h"

namespace echotrace {
namespace {

constexpr const char* kOriginal =
    "Letter to the workshop of propaganda officials\n2022-03-29\n\n"
    "The respected Comrade Kim Jong Un sent a letter to the workshop. He stressed that films and posters are the "
    "sharpest weapons of persuasion in the ideological work of the whole party and must be renewed in content.\n";

constexpr const char* kForeign =
    "Kim orders sharper propaganda\n2022-03-30\n\n"
    "SEOUL (Reuters) - North Korean leader Kim Jong Un called films and posters \"the sharpest weapons of persuasion "
    "in the ideological work of the whole party\", state media KCNA said on Wednesday.\n";

Result<AddResult> AddText(Store* store, const std::string& text, const std::string& source) {
  ET_ASSIGN_OR_RETURN(Document doc, Extract(text, InputFormat::kText, source + ".txt"));
  doc.source = source;
  Annotate(&doc);
  return store->Add(doc);
}

TEST(Linker, TracesQuotesOnceAndPairsCopies) {
  testing::TempDir dir;
  const std::string path = dir / "echotrace.sqlite";
  auto store = Store::Open(path, true, false);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->Begin().ok());
  auto original = AddText(store->get(), kOriginal, "kcna");
  auto copy = AddText(store->get(), std::string(kOriginal) + "\nRepublished.\n", "rodong");
  auto foreign = AddText(store->get(), kForeign, "reuters");
  ASSERT_TRUE(original.ok() && copy.ok() && foreign.ok());
  ASSERT_TRUE((*store)->Commit().ok());

  auto linker = Linker::Open(path, false);
  ASSERT_TRUE(linker.ok()) << linker.status().ToString();
  auto report = (*linker)->CatchUp(**store);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->documents, 3);
  EXPECT_GE(report->dup_pairs, 1);  // the republication
  EXPECT_GE(report->quote_links, 1);

  auto links = (*linker)->links().QuoteLinksOf(foreign->docno);
  ASSERT_TRUE(links.ok());
  ASSERT_FALSE(links->empty());
  EXPECT_EQ((*links)[0].match.docno, original->docno);  // the earliest publication, not the copy

  auto again = (*linker)->CatchUp(**store);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->documents, 0);  // everything was linked: nothing twice
}

}  // namespace
}  // namespace echotrace

// The linker alone over a store written by hand: a foreign article's quote
// is traced to the state original, a republication is paired with it, and
// a second catch-up links nothing twice (the link mark).
#include "link/linker.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
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

// An independent translation is linked by the paraphrase tier (content
// words, synonyms, number words), and a short quote with its words reordered
// is linked to the origin the article's other quotes proved; two words found
// together by chance are not.
constexpr const char* kStatement =
    "Statement of the spokesman for the General Staff\n2024-05-10\n\n"
    "The reckless provocation of the puppet warmongers along the frontline can never be tolerated, the spokesman "
    "said.\n"
    "A serious emergency case of the state occurred when a breach was made on our epidemic prevention front, which "
    "had been firmly defended for two years and three months.\n"
    "The freedom of our people is sacred and nobody should dare to touch it. The army is ready.\n";

constexpr const char* kRetold =
    "North warns over border drills\n2024-05-11\n\n"
    "SEOUL - The North said \"the reckless provocation of the puppet warmongers along the frontline can never be "
    "tolerated\" and that \"the biggest emergency incident in the country happened with a hole in our quarantine "
    "front, defended for 2 years and 3 months\".\n"
    "It also spoke of the \"sacred freedom of people\" and of \"ready troops\".\n";

TEST(Linker, ParaphrasesOfProvenOriginsLink) {
  testing::TempDir dir;
  const std::string path = dir / "echotrace.sqlite";
  auto store = Store::Open(path, true, false);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->Begin().ok());
  auto original = AddText(store->get(), kStatement, "kcna");
  auto foreign = AddText(store->get(), kRetold, "yonhap");
  ASSERT_TRUE(original.ok() && foreign.ok());
  ASSERT_TRUE((*store)->Commit().ok());
  auto linker = Linker::Open(path, false);
  ASSERT_TRUE(linker.ok()) << linker.status().ToString();
  ASSERT_TRUE((*linker)->CatchUp(**store).ok());
  auto links = (*linker)->links().QuoteLinksOf(foreign->docno);
  ASSERT_TRUE(links.ok());
  auto doc = (*store)->Get(foreign->docno, false);
  ASSERT_TRUE(doc.ok());
  std::map<std::string, std::string> why;  // quoted text -> why
  for (const StoredQuoteLink& l : *links) {
    EXPECT_EQ(l.match.docno, original->docno);
    why[doc->doc.text.substr(l.match.quote_begin, l.match.quote_end - l.match.quote_begin)] = l.match.why;
  }
  EXPECT_EQ(why["the reckless provocation of the puppet warmongers along the frontline can never be tolerated"],
            "verbatim");
  EXPECT_EQ(why["the biggest emergency incident in the country happened with a hole in our quarantine front, defended "
                "for 2 years and 3 months"],
            "paraphrase");
  EXPECT_EQ(why["sacred freedom of people"], "paraphrase");
  EXPECT_EQ(why.count("ready troops"), 0u);  // two words: chance, not proof
}

// The n-gram index on disk: a reader opens it without reading the stored
// n-gram sets; a killed run (index behind the tables), a lost or damaged
// index are caught up or rebuilt from the link tables on the next open, with
// the same answers.
TEST(Linker, OnDiskIndexRecoversFromAKilledRunOrDamage) {
  testing::TempDir dir;
  const std::string path = dir / "echotrace.sqlite";
  auto store = Store::Open(path, true, false);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->Begin().ok());
  auto original = AddText(store->get(), kOriginal, "kcna");
  ASSERT_TRUE(original.ok());
  ASSERT_TRUE((*store)->Commit().ok());
  const std::string index_dir = Linker::IndexDir(path);
  const std::string saved = dir / "index-after-one";
  {
    auto linker = Linker::Open(path, false);
    ASSERT_TRUE(linker.ok()) << linker.status().ToString();
    ASSERT_TRUE((*linker)->CatchUp(**store).ok());
    std::filesystem::copy(index_dir, saved);
    ASSERT_TRUE((*store)->Begin().ok());
    ASSERT_TRUE(AddText(store->get(), kForeign, "reuters").ok());
    ASSERT_TRUE((*store)->Commit().ok());
    ASSERT_TRUE((*linker)->CatchUp(**store).ok());
  }
  auto docs_of = [&](bool read_only) {
    auto linker = Linker::Open(path, read_only);
    EXPECT_TRUE(linker.ok()) << linker.status().ToString();
    return linker.ok() ? (*linker)->index().docs().size() : size_t{0};
  };
  auto traced = [&]() {
    auto linker = Linker::Open(path, true);
    if (!linker.ok()) return int64_t{-1};
    auto found = (*linker)->Trace(**store, "films and posters are the sharpest weapons of persuasion", {});
    return found.ok() && !found->empty() ? found->front().docno : int64_t{0};
  };
  EXPECT_EQ(docs_of(true), 2u);
  EXPECT_EQ(traced(), original->docno);

  // Killed between the tables' commit and the index's flush: the index is behind.
  std::filesystem::remove_all(index_dir);
  std::filesystem::copy(saved, index_dir);
  EXPECT_EQ(docs_of(true), 2u);   // a reader adds the missing document in memory
  EXPECT_EQ(docs_of(false), 2u);  // a writer adds it on disk
  auto reopened = NgramIndex::Open(index_dir, false);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->docs().size(), 2u);

  // Lost, then damaged: rebuilt from the tables.
  std::filesystem::remove_all(index_dir);
  EXPECT_EQ(docs_of(true), 2u);  // in memory, from the stored sets
  EXPECT_FALSE(std::filesystem::exists(index_dir + "/MANIFEST"));
  EXPECT_EQ(docs_of(false), 2u);
  EXPECT_TRUE(std::filesystem::exists(index_dir + "/MANIFEST"));
  for (const auto& entry : std::filesystem::directory_iterator(index_dir)) {
    if (entry.path().extension() == ".ngs") std::filesystem::resize_file(entry.path(), 64);
  }
  EXPECT_EQ(docs_of(false), 2u);
  EXPECT_EQ(traced(), original->docno);
}

}  // namespace
}  // namespace echotrace

// The search index alone: the committed mark, its revision as readers see
// it, a damaged mark reported (never read as 0), filters and phrases.
#include "search/index.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <string>

#include "test_util.h"

namespace echotrace {
namespace {

IndexedVersion Version(int64_t docno, const std::string& title, const std::string& body, const std::string& source) {
  IndexedVersion v;
  v.docno = docno;
  v.version_id = "v" + std::to_string(docno);
  v.title = title;
  v.body = body;
  v.source = source;
  v.date = "2022-03-29";
  v.media = source == "kcna" ? "state" : "foreign";
  return v;
}

std::string NoBody(int64_t) { return {}; }

TEST(Index, MarkRevisionAndSearch) {
  testing::TempDir dir;
  const std::string path = dir / "index";
  {
    auto writer = Index::OpenWritable(path);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    ASSERT_TRUE((*writer)->Put(Version(1, "Letter to workshop", "nothing is impossible for the masses", "kcna")).ok());
    ASSERT_TRUE((*writer)->Put(Version(2, "Kim urges push", "nothing is impossible, KCNA said", "reuters")).ok());
    ASSERT_TRUE((*writer)->Commit(2).ok());
    auto mark = (*writer)->IndexedUpTo();
    ASSERT_TRUE(mark.ok());
    EXPECT_EQ(*mark, 2);
  }
  auto reader = Index::OpenReadOnly(path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto before = (*reader)->LatestRevision();
  ASSERT_TRUE(before.ok());

  SearchRequest phrase;
  phrase.query = "\"nothing is impossible\"";
  auto both = (*reader)->Search(phrase, NoBody);
  ASSERT_TRUE(both.ok()) << both.status().ToString();
  EXPECT_EQ(both->hits.size(), 2u);
  phrase.media = "state";
  auto state = (*reader)->Search(phrase, NoBody);
  ASSERT_TRUE(state.ok());
  ASSERT_EQ(state->hits.size(), 1u);
  EXPECT_EQ(state->hits[0].docno, 1);

  {  // a writer commits again: the reader's latest revision moves
    auto writer = Index::OpenWritable(path);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Put(Version(3, "Farm news", "rice harvest", "kcna")).ok());
    ASSERT_TRUE((*writer)->Commit(3).ok());
  }
  auto after = (*reader)->LatestRevision();
  ASSERT_TRUE(after.ok());
  EXPECT_GT(*after, *before);
}

TEST(Index, DamagedMarkIsAnErrorNotZero) {
  testing::TempDir dir;
  const std::string path = dir / "index";
  {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN);
    db.set_metadata("indexed_upto", "12x");
    db.commit();
  }
  auto reader = Index::OpenReadOnly(path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto mark = (*reader)->IndexedUpTo();
  ASSERT_FALSE(mark.ok());
  EXPECT_EQ(mark.status().code(), StatusCode::kCorrupt);
}

}  // namespace
}  // namespace echotrace

// The store alone: versions, duplicates, ids as users type them, and the
// preconditions its header states.
#include "store/store.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace echotrace {
namespace {

Document Article(const std::string& external_id, const std::string& body) {
  Document doc;
  doc.title = "Premier visits farms";
  doc.raw = doc.title + "\n\n" + body;
  doc.text = doc.raw;
  doc.source = "kcna";
  doc.date = "2022-03-29";
  doc.external_id = external_id;
  doc.spans.push_back({0, static_cast<uint32_t>(doc.title.size()), SpanKind::kTitle, "", "", {}});
  doc.spans.push_back({static_cast<uint32_t>(doc.title.size() + 2),
                       static_cast<uint32_t>(doc.text.size()),
                       SpanKind::kParagraph,
                       "",
                       "",
                       {}});
  return doc;
}

TEST(Store, AddOutsideATransactionIsRefused) {
  testing::TempDir dir;
  auto store = Store::Open(dir / "s.sqlite", true, false);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto added = (*store)->Add(Article("a-1", "The premier toured farms."));
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.status().code(), StatusCode::kInternal);
  auto stats = (*store)->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->versions, 0);
}

TEST(Store, DuplicatesVersionsAndIdForms) {
  testing::TempDir dir;
  auto store = Store::Open(dir / "s.sqlite", true, false);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->Begin().ok());
  auto first = (*store)->Add(Article("a-1", "The premier toured farms."));
  auto again = (*store)->Add(Article("a-1", "The premier toured farms."));
  auto edited = (*store)->Add(Article("a-1", "The premier toured farms and a factory."));
  ASSERT_TRUE(first.ok() && again.ok() && edited.ok());
  ASSERT_TRUE((*store)->Commit().ok());

  EXPECT_EQ(first->outcome, AddOutcome::kNewArticle);
  EXPECT_EQ(again->outcome, AddOutcome::kDuplicate);
  EXPECT_EQ(again->docno, first->docno);
  EXPECT_EQ(edited->outcome, AddOutcome::kNewVersion);
  EXPECT_EQ(edited->article_id, first->article_id);  // an edit is a version of the same article
  EXPECT_EQ(edited->replaced_latest, first->docno);

  auto latest = (*store)->Get(edited->docno, false);
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->seq, 2);
  EXPECT_TRUE(latest->latest);
  auto older = (*store)->Get(first->docno, false);
  ASSERT_TRUE(older.ok());
  EXPECT_FALSE(older->latest);

  int64_t exact = 0;
  auto by_external = (*store)->Resolve("a-1", &exact);
  ASSERT_TRUE(by_external.ok()) << by_external.status().ToString();
  EXPECT_EQ(exact, edited->docno);  // an article's id forms name its latest version
  // The article's id is its first version's id: a prefix of it names the
  // article, whose versions come back oldest first.
  auto by_prefix = (*store)->Resolve(first->version_id.substr(0, 8), &exact);
  ASSERT_TRUE(by_prefix.ok());
  EXPECT_EQ(*by_prefix, (std::vector<int64_t>{first->docno, edited->docno}));
  auto by_version = (*store)->Resolve(edited->version_id, &exact);
  ASSERT_TRUE(by_version.ok());
  EXPECT_EQ(exact, edited->docno);
  EXPECT_EQ((*store)->Resolve("no-such-id", &exact).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace echotrace

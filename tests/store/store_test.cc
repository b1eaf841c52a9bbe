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

TEST(Store, GetHitLoadsWhatAHitShowsAndAgreesWithGet) {
  testing::TempDir dir;
  auto store = Store::Open(dir / "s.sqlite", true, false);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Document doc = Article("a-1", "The premier toured farms.\n\nHe praised the harvest.\n\nMenu Home About");
  // Two paragraphs, then boilerplate; an annotation span between them (spans are kept sorted).
  const auto at = [&](const std::string& s) { return static_cast<uint32_t>(doc.text.find(s)); };
  doc.spans.pop_back();
  doc.spans.push_back({at("The premier"), at("The premier") + 25, SpanKind::kParagraph, "", "", {}});
  doc.spans.push_back({at("premier toured"),
                       at("premier toured") + 7,
                       SpanKind::kEntity,
                       "person",
                       "pak-thae-song",
                       {{"role", "Premier"}}});
  doc.spans.push_back({at("He praised"), at("He praised") + 23, SpanKind::kParagraph, "", "", {}});
  doc.spans.push_back(
      {at("Menu"), static_cast<uint32_t>(doc.text.size()), SpanKind::kBoilerplate, "navigation", "", {}});
  doc.warnings = {"repaired UTF-8"};
  ASSERT_TRUE((*store)->Begin().ok());
  auto added = (*store)->Add(doc);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  ASSERT_TRUE((*store)->Commit().ok());

  auto full = (*store)->Get(added->docno, false);
  auto hit = (*store)->GetHit(added->docno);
  ASSERT_TRUE(full.ok() && hit.ok());
  EXPECT_EQ(hit->doc.Body(), "The premier toured farms.\n\nHe praised the harvest.");
  EXPECT_EQ(hit->doc.Body(), full->doc.Body());
  EXPECT_EQ(hit->doc.spans.size(), 2u) << "paragraph spans only";
  EXPECT_FALSE(hit->doc.IsHeadlineStub());
  EXPECT_EQ(hit->version_id, full->version_id);
  EXPECT_EQ(hit->article_id, full->article_id);
  EXPECT_EQ(hit->doc.title, full->doc.title);
  EXPECT_EQ(hit->doc.external_id, "a-1");
  EXPECT_EQ(hit->ingested_at, full->ingested_at);
  EXPECT_EQ(hit->doc.warnings, full->doc.warnings);
  EXPECT_TRUE(hit->latest);
  EXPECT_TRUE(hit->doc.raw.empty());
  EXPECT_EQ((*store)->GetHit(added->docno + 1).status().code(), StatusCode::kNotFound);
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

  // "@N" picks the Nth version of any id form: the only way to name a first
  // version, whose id is also the article's.
  auto first_version = (*store)->Resolve(first->article_id + "@1", &exact);
  ASSERT_TRUE(first_version.ok()) << first_version.status().ToString();
  EXPECT_EQ(exact, first->docno);
  ASSERT_TRUE((*store)->Resolve("a-1@2", &exact).ok());
  EXPECT_EQ(exact, edited->docno);
  EXPECT_EQ((*store)->Resolve(first->article_id + "@3", &exact).status().code(), StatusCode::kNotFound);
  EXPECT_EQ((*store)->Resolve("a-1@0", &exact).status().code(), StatusCode::kUsage);
  for (const std::string other : {"a-1@", "a-1@x", "a-1@-1", "a-1@1x", "nothing@1"}) {  // not "@N" of an article
    EXPECT_EQ((*store)->Resolve(other, &exact).status().code(), StatusCode::kNotFound) << other;
  }
}

}  // namespace
}  // namespace echotrace

// Facets counted from columns in memory (a reader's second search on) equal
// those counted from the index (its first), and follow a new commit.
#include "search/facet_columns.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <memory>
#include <string>

#include "search/index.h"
#include "test_util.h"

namespace echotrace {
namespace {

IndexedVersion Version(int64_t docno, const std::string& body, const std::string& source, const std::string& date,
                       std::vector<std::string> entities) {
  IndexedVersion v;
  v.docno = docno;
  v.version_id = "v" + std::to_string(docno);
  v.title = "Report";
  v.body = body;
  v.source = source;
  v.date = date;
  v.media = source == "kcna" ? "state" : "foreign";
  v.entities = std::move(entities);
  return v;
}

std::string NoBody(int64_t) { return {}; }

TEST(FacetColumns, ReadsEveryDocumentWithGapsAndEmptyValues) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir / "db", Xapian::DB_CREATE);
  Xapian::Document a, b, c;
  a.add_value(3, "kim-jong-un\nwpk");
  c.add_value(3, "wpk");
  db.replace_document(2, a);
  db.replace_document(3, b);  // no value
  db.replace_document(7, c);
  db.commit();
  const FacetColumn column = ReadFacetColumn(db, 3);
  EXPECT_TRUE(column.Covers(7));
  EXPECT_FALSE(column.Covers(8));
  ASSERT_EQ(column.IdsOf(2).size(), 2u);
  EXPECT_EQ(column.names[column.IdsOf(2)[0]], "kim-jong-un");
  EXPECT_EQ(column.names[column.IdsOf(2)[1]], "wpk");
  EXPECT_TRUE(column.IdsOf(1).empty());
  EXPECT_TRUE(column.IdsOf(3).empty());
  EXPECT_TRUE(column.IdsOf(5).empty());
  ASSERT_EQ(column.IdsOf(7).size(), 1u);
  EXPECT_EQ(column.IdsOf(7)[0], column.IdsOf(2)[1]) << "each name once";
  EXPECT_EQ(column.names.size(), 2u);
}

TEST(FacetColumns, ASecondSearchCountsFromMemoryTheSameAndFollowsCommits) {
  testing::TempDir dir;
  const std::string path = dir / "index";
  auto writer = Index::OpenWritable(path);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  // More matches than the entity facet's sample, so that the index path samples and memory does not.
  const int64_t n = kEntityFacetMatches + 40;
  for (int64_t docno = 1; docno <= n; ++docno) {
    std::vector<std::string> entities = {"kim-jong-un"};
    if (docno % 3 == 0) entities.push_back("wpk");
    const std::string date = docno % 2 ? "2024-05-02" : "2024-06-11";
    ASSERT_TRUE((*writer)->Put(Version(docno, "harvest", docno % 4 ? "kcna" : "reuters", date, entities)).ok());
  }
  ASSERT_TRUE((*writer)->Commit(n).ok());

  auto reader = Index::OpenReadOnly(path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  SearchRequest request;
  request.query = "harvest";
  request.with_histogram = true;
  auto first = (*reader)->Search(request, NoBody);  // from the index
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->entity_facet_documents, kEntityFacetMatches);
  EXPECT_TRUE(first->facets_approximate) << "the entity facet is a sample";
  EXPECT_TRUE(first->total_exact) << "but every match was counted";
  EXPECT_EQ(first->total_estimate, n);
  auto second = (*reader)->Search(request, NoBody);  // from memory
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->by_source, first->by_source);
  EXPECT_EQ(second->by_month, first->by_month);
  EXPECT_EQ(second->histogram, first->histogram);
  EXPECT_EQ(second->facet_documents, n);
  EXPECT_EQ(second->entity_facet_documents, n) << "from memory the entity facet counts every facet match";
  EXPECT_FALSE(second->facets_approximate);
  ASSERT_EQ(second->by_entity.size(), 2u);
  EXPECT_EQ(second->by_entity[0], (std::pair<std::string, int64_t>{"kim-jong-un", n}));
  EXPECT_EQ(second->by_entity[1], (std::pair<std::string, int64_t>{"wpk", n / 3}));
  EXPECT_EQ(second->by_source.at("reuters"), n / 4);

  // A commit after: a reader that catches up counts the new document too.
  ASSERT_TRUE((*writer)->Put(Version(n + 1, "harvest", "yonhap", "2024-07-01", {"choe-son-hui"})).ok());
  ASSERT_TRUE((*writer)->Commit(n + 1).ok());
  ASSERT_TRUE((*reader)->LatestRevision().ok());
  auto third = (*reader)->Search(request, NoBody);
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  EXPECT_EQ(third->facet_documents, n + 1);
  EXPECT_EQ(third->by_source.at("yonhap"), 1);
  EXPECT_EQ(third->by_month.at("2024-07"), 1);
  EXPECT_EQ(third->histogram.at("2024-07"), 1);

  // Readers sharing one cache agree with one that has its own.
  auto other = Index::OpenReadOnly(path);
  ASSERT_TRUE(other.ok());
  (*other)->ShareFacetColumns(std::make_shared<FacetColumnCache>());
  ASSERT_TRUE((*other)->Search(request, NoBody).ok());
  auto shared = (*other)->Search(request, NoBody);
  ASSERT_TRUE(shared.ok());
  EXPECT_EQ(shared->by_source, third->by_source);
  EXPECT_EQ(shared->by_entity, third->by_entity);
}

}  // namespace
}  // namespace echotrace

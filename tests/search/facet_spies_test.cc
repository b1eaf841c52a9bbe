// The facet and trend spies do what Xapian's remote backend asks of a spy:
// rebuilt from name + serialise() on a shard server, their results
// serialised there and merged on the client to the counts one spy would make.
#include "search/facet_spies.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <memory>
#include <string>
#include <tuple>

namespace echotrace {
namespace {

Xapian::Document Doc(const std::string& date, const std::string& source, const std::string& entities) {
  Xapian::Document doc;
  doc.add_value(0, date);
  doc.add_value(1, source);
  doc.add_value(3, entities);
  return doc;
}

TEST(FacetSpies, MultiValueCountsMergeAcrossShards) {
  const Xapian::Registry registry;
  MultiValueCountSpy client(3);
  // Two shards, each with a spy rebuilt from the client's serialisation.
  std::unique_ptr<Xapian::MatchSpy> shard1(client.unserialise(client.serialise(), registry));
  std::unique_ptr<Xapian::MatchSpy> shard2(client.unserialise(client.serialise(), registry));
  EXPECT_EQ(shard1->name(), client.name());
  (*shard1)(Doc("", "", "kim-jong-un\nwpk"), 1);
  (*shard1)(Doc("", "", "kim-jong-un"), 1);
  (*shard2)(Doc("", "", "wpk\nchoe-son-hui"), 1);
  (*shard2)(Doc("", "", ""), 1);
  client.merge_results(shard1->serialise_results());
  client.merge_results(shard2->serialise_results());
  EXPECT_EQ(client.documents(), 4);
  const auto top = client.Top(2);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0], (std::pair<std::string, int64_t>{"kim-jong-un", 2}));
  EXPECT_EQ(top[1], (std::pair<std::string, int64_t>{"wpk", 2}));
  EXPECT_EQ(client.Top(10).size(), 3u);
  std::unique_ptr<Xapian::MatchSpy> copy(client.clone());
  EXPECT_EQ(copy->serialise(), client.serialise());
}

TEST(FacetSpies, ASampledSpyCountsItsFirstDocumentsOnEachShard) {
  const Xapian::Registry registry;
  MultiValueCountSpy client(3, nullptr, 2);
  std::unique_ptr<Xapian::MatchSpy> shard(client.unserialise(client.serialise(), registry));
  (*shard)(Doc("", "", "kim-jong-un\nwpk"), 1);
  (*shard)(Doc("", "", "kim-jong-un"), 1);
  (*shard)(Doc("", "", "choe-son-hui"), 1);  // past the sample: not read
  client.merge_results(shard->serialise_results());
  EXPECT_EQ(client.documents(), 2);
  const auto top = client.Top(10);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0], (std::pair<std::string, int64_t>{"kim-jong-un", 2}));
  std::unique_ptr<Xapian::MatchSpy> copy(client.clone());
  EXPECT_EQ(copy->serialise(), client.serialise());
}

TEST(FacetSpies, MonthOutletCountsMergeAcrossShards) {
  const Xapian::Registry registry;
  MonthOutletSpy client(0, 1, "2024-01", "2024-12");
  std::unique_ptr<Xapian::MatchSpy> shard1(client.unserialise(client.serialise(), registry));
  std::unique_ptr<Xapian::MatchSpy> shard2(client.unserialise(client.serialise(), registry));
  (*shard1)(Doc("20240305", "kcna", ""), 1);
  (*shard1)(Doc("20230305", "kcna", ""), 1);  // before the range: not counted
  (*shard2)(Doc("20240311", "", ""), 1);      // unknown outlet
  (*shard2)(Doc("", "kcna", ""), 1);          // undated: not counted
  client.merge_results(shard1->serialise_results());
  client.merge_results(shard2->serialise_results());
  ASSERT_EQ(client.counts().size(), 1u);
  const auto& march = client.counts().at("2024-03");
  EXPECT_EQ(march.at(""), 2);
  EXPECT_EQ(march.at("kcna"), 1);
  EXPECT_EQ(march.at("?"), 1);
}

// Given the database, the spies stream the slots instead of asking each
// document: the counts must be the same as reading every document's values,
// for a match of some documents, with values missing in some of them, and
// when documents come out of docid order.
TEST(FacetSpies, StreamedSlotsCountWhatEachDocumentHolds) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  for (int i = 1; i <= 300; ++i) {
    Xapian::Document doc;
    doc.add_term(i % 3 == 0 ? "even" : "odd");
    if (i % 7 != 0) doc.add_value(1, i % 2 == 0 ? "kcna" : "rodong");
    if (i % 5 != 0) doc.add_value(0, "2024" + std::string(i % 4 == 0 ? "03" : "11") + "01");
    std::string ids = "kim-jong-un";
    if (i % 11 == 0) ids += "\nwpk";
    if (i % 13 != 0) doc.add_value(3, ids);
    db.add_document(doc);
  }
  const auto count = [&](const Xapian::Database* database) {
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query("even"));
    MultiValueCountSpy sources(1, database);
    MultiValueCountSpy entities(3, database);
    MonthOutletSpy months(0, 1, "", "", database);
    enquire.add_matchspy(&sources);
    enquire.add_matchspy(&entities);
    enquire.add_matchspy(&months);
    (void)enquire.get_mset(0, 10, db.get_doccount());
    return std::make_tuple(sources.counts(), entities.counts(), sources.documents(), months.counts());
  };
  const auto by_document = count(nullptr);
  const auto streamed = count(&db);
  EXPECT_EQ(std::get<2>(by_document), 100);
  EXPECT_EQ(std::get<0>(streamed), std::get<0>(by_document));
  EXPECT_EQ(std::get<1>(streamed), std::get<1>(by_document));
  EXPECT_EQ(std::get<2>(streamed), std::get<2>(by_document));
  EXPECT_EQ(std::get<3>(streamed), std::get<3>(by_document));
  EXPECT_EQ(std::get<1>(streamed).at("wpk"), 9);  // multiples of 33 up to 297, none of them of 13

  // Out of docid order (a shown document earlier than the last one): the
  // stream starts again and still reads the right values.
  MultiValueCountSpy backwards(1, &db);
  for (Xapian::docid did = 300; did >= 1; --did) backwards(db.get_document(did), 1);
  MultiValueCountSpy each(1);
  for (Xapian::docid did = 300; did >= 1; --did) each(db.get_document(did), 1);
  EXPECT_EQ(backwards.counts(), each.counts());
  EXPECT_EQ(backwards.counts().at("kcna") + backwards.counts().at("rodong"), 300 - 300 / 7);
}

TEST(FacetSpies, MalformedSerialisationIsANetworkError) {
  const Xapian::Registry registry;
  MultiValueCountSpy entities(3);
  EXPECT_THROW(entities.merge_results("\x05"
                                      "ab"),
               Xapian::NetworkError);
  MonthOutletSpy months(0, 1, "", "");
  EXPECT_THROW(months.unserialise("\x80", registry), Xapian::NetworkError);
  EXPECT_THROW(months.merge_results(std::string("\x07"
                                                "2024-03\x01\x04kcna",
                                                14)),
               Xapian::NetworkError);
}

}  // namespace
}  // namespace echotrace

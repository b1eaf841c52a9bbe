// The facet and trend spies do what Xapian's remote backend asks of a spy:
// rebuilt from name + serialise() on a shard server, their results
// serialised there and merged on the client to the counts one spy would make.
#include "search/facet_spies.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <memory>
#include <string>

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

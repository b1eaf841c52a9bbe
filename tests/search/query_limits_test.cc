// Query cost limits (search/index.h): wildcard count and expansion, the
// per-search time budget, and the NEAR/ADJ shapes Xapian's parser leaks on.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "engine/engine.h"
#include "search/index.h"
#include "search/trends.h"
#include "test_util.h"

namespace echotrace {
namespace {

using Clock = std::chrono::steady_clock;

class QueryLimitsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new testing::TempDir();
    auto engine = Engine::Open(data_->path(), Engine::Mode::kWrite);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    ASSERT_TRUE((*engine)->Ingest({testing::SampleDir()}, {}, nullptr).ok());
  }
  static void TearDownTestSuite() { delete data_; }
  static Result<SearchResponse> Search(const std::string& query) {
    auto engine = Engine::Open(data_->path(), Engine::Mode::kRead);
    if (!engine.ok()) return engine.status();
    SearchRequest request;
    request.query = query;
    return (*engine)->Search(request);
  }
  static testing::TempDir* data_;
};
testing::TempDir* QueryLimitsTest::data_ = nullptr;

TEST_F(QueryLimitsTest, TwoHundredWildcardsAnswerAtOnceWithAClearError) {
  std::string query;
  for (int i = 0; i < 200; ++i) query += std::string(1, static_cast<char>('a' + i % 26)) + "* ";
  const auto start = Clock::now();
  auto response = Search(query);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kUsage);
  EXPECT_NE(response.status().message().find("wildcards"), std::string::npos) << response.status().message();
  EXPECT_LT(seconds, kSearchTimeLimitSeconds);
}

TEST_F(QueryLimitsTest, AllowedWildcardsAreBoundedAndAnswer) {
  std::string query;
  for (int i = 0; i < kMaxQueryWildcards; ++i) query += std::string(1, static_cast<char>('a' + i)) + "* OR ";
  query += "harvest";
  const auto start = Clock::now();
  auto response = Search(query);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_GT(response->total_estimate, 0);
  EXPECT_LT(seconds, 2 * kSearchTimeLimitSeconds + 1);
  // A single prefix still finds what a plain word finds.
  auto prefix = Search("harv*");
  ASSERT_TRUE(prefix.ok()) << prefix.status().ToString();
  auto word = Search("harvest");
  ASSERT_TRUE(word.ok());
  EXPECT_GE(prefix->total_estimate, word->total_estimate);
}

TEST_F(QueryLimitsTest, ProximityTakesPlainWordsOnly) {
  // "-x NEAR\x87 (b)": a stray non-ASCII byte right after the operator (found by fuzz_query).
  for (const char* bad : {"-x NEAR b.g", "+a ADJ b", "x NEAR/3 \"a b\"", "title:x NEAR y", "-x NEAR\x87 (b)"}) {
    auto response = Search(bad);
    ASSERT_FALSE(response.ok()) << bad;
    EXPECT_EQ(response.status().code(), StatusCode::kUsage) << bad;
    EXPECT_NE(response.status().message().find("NEAR"), std::string::npos) << response.status().message();
  }
  for (const char* good : {"harvest NEAR farmers", "harvest NEAR/5 farmers", "harvest ADJ farmers", "near the farm"}) {
    EXPECT_TRUE(Search(good).ok()) << good;
  }
  TrendsRequest trends;
  trends.terms = {"-x NEAR b.g"};
  auto counted = CountTrends(data_->path() + "/index", trends);
  ASSERT_FALSE(counted.ok());
  EXPECT_EQ(counted.status().code(), StatusCode::kUsage);
}

TEST(QueryCostTest, LongQueriesAreRefused) {
  EXPECT_TRUE(CheckQueryCost("harvest").ok());
  EXPECT_FALSE(CheckQueryCost(std::string(kMaxQueryStringBytes + 1, 'a')).ok());
}

}  // namespace
}  // namespace echotrace

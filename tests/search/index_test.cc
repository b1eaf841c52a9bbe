// The search index alone: the committed mark, its revision as readers see
// it, a damaged mark reported (never read as 0), filters and phrases.
#include "search/index.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

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

// The docnos a query finds, ascending.
std::vector<int64_t> SortedDocnos(const Index& reader, const std::string& query) {
  SearchRequest request;
  request.query = query;
  auto response = reader.Search(request, NoBody);
  EXPECT_TRUE(response.ok()) << query << ": " << response.status().ToString();
  std::vector<int64_t> out;
  if (response.ok()) {
    for (const auto& hit : response->hits) out.push_back(hit.docno);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Issue 13: the romanizations of one name written with and without hyphens
// find the same articles; a phrase keeps the words adjacent (and with a
// hyphen, its spelling: QuotedHyphenatedNameFindsThatSpellingOnly).
TEST(Index, HyphenatedAndSpacedNameSpellingsFindTheSameArticles) {
  testing::TempDir dir;
  const std::string path = dir / "index";
  {
    auto writer = Index::OpenWritable(path);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    ASSERT_TRUE((*writer)->Put(Version(1, "Visit", "Pak Song-il toured a mill on Monday", "reuters")).ok());
    ASSERT_TRUE((*writer)->Put(Version(2, "Visit", "Pak Song Il toured a mill on Monday", "kcna")).ok());
    ASSERT_TRUE((*writer)->Put(Version(3, "Visit", "Pak met Il and Song at a mill", "ap")).ok());
    ASSERT_TRUE((*writer)->Commit(3).ok());
  }
  auto reader = Index::OpenReadOnly(path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  const auto docnos = [&](const std::string& query) { return SortedDocnos(**reader, query); };
  const std::vector<int64_t> all = {1, 2, 3};
  EXPECT_EQ(docnos("Pak Song-il"), all);
  EXPECT_EQ(docnos("Pak Song Il"), all);
  EXPECT_EQ(docnos("Pak Song-Il"), all);
  const std::vector<int64_t> adjacent = {1, 2};
  EXPECT_EQ(docnos("\"Pak Song-il\""), std::vector<int64_t>{1});  // a hyphen in a phrase: that spelling only
  EXPECT_EQ(docnos("\"Pak Song Il\""), adjacent);
  // Hyphens in prefixed values and between digits are left alone.
  EXPECT_EQ(FoldHyphenatedWords("person:kim-jong-un 2011-2012 Jong-un \"a-b\""),
            "person:kim-jong-un 2011-2012 Jong un \"a-b\"");
}

// Issue 13: a quoted phrase with a capitalized hyphenated name finds only
// that spelling; unquoted, and lowercase, the spellings still fold together.
TEST(Index, QuotedHyphenatedNameFindsThatSpellingOnly) {
  testing::TempDir dir;
  const std::string path = dir / "index";
  {
    auto writer = Index::OpenWritable(path);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    ASSERT_TRUE((*writer)->Put(Version(1, "Visit", "Pak Song-il toured a mill", "reuters")).ok());
    ASSERT_TRUE((*writer)->Put(Version(2, "Visit", "Pak Song Il toured a mill", "kcna")).ok());
    ASSERT_TRUE((*writer)->Put(Version(3, "Pak Song-Il at a mill", "a so-called visit by Ri Chol-ho", "ap")).ok());
    ASSERT_TRUE((*writer)->Commit(3).ok());
  }
  auto reader = Index::OpenReadOnly(path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  const auto docnos = [&](const std::string& query) { return SortedDocnos(**reader, query); };
  const std::vector<int64_t> hyphenated = {1, 3};  // "Song-Il" in a title is the same spelling, case aside
  EXPECT_EQ(docnos("\"Pak Song-il\""), hyphenated);
  EXPECT_EQ(docnos("\"Pak Song-Il\" mill"), hyphenated);
  EXPECT_EQ(docnos("\"Pak Song Il\""), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(docnos("Pak Song-il"), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(docnos("\"pak song-il\""), (std::vector<int64_t>{1, 2, 3}));  // lowercase: no exact spelling
  EXPECT_EQ(docnos("mill -\"Pak Song-il\""), (std::vector<int64_t>{2}));
  EXPECT_EQ(docnos("\"Pak Song-il\" OR \"Ri Chol-ho\""), hyphenated);
  EXPECT_EQ(docnos("\"Ri Chol-ho\" \"Pak Song-il\""), (std::vector<int64_t>{3}));
  EXPECT_EQ(MarkExactSpellings("a \"Kim Jong-Un and Ri Sol-ju\" title:\"Jong-un\" b-c"),
            "a (\"Kim Jong-Un and Ri Sol-ju\" spelling:jong-un spelling:sol-ju) title:\"Jong-un\" b-c");
  EXPECT_EQ(MarkExactSpellings("\"so-called\" \"2011-2012\" \"Jong-un2\""), "\"so-called\" \"2011-2012\" \"Jong-un2\"");
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

// `n` filler words, none of which a test query asks for.
std::string Filler(int n) {
  static const char* const kWords[] = {"the", "meeting", "discussed", "plans", "for", "coal", "output", "in", "spring"};
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (!out.empty()) out += ' ';
    out += kWords[i % 9];
  }
  return out;
}

// Runs `query` on `index` with `body` as every hit's body; the first hit's snippet.
std::string SnippetOf(const Index& index, const std::string& query, const std::string& body) {
  SearchRequest request;
  request.query = query;
  auto response = index.Search(request, [&](int64_t) { return body; });
  EXPECT_TRUE(response.ok()) << response.status().ToString();
  if (!response.ok() || response->hits.empty()) return "(no hit)";
  return response->hits[0].snippet;
}

TEST(Index, SnippetIsCutWhereTheQueryWordsAre) {
  testing::TempDir dir;
  auto index = Index::OpenWritable(dir / "index");
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  // A long speech: "tractor" alone early, "tractors" beside "harvest" near
  // the end, "Korea’s" (typographic apostrophe) in the middle.
  const std::string body = Filler(50) + " a tractor " + Filler(3000) + " Korea\u2019s fields " + Filler(3000) +
                           " new tractors for the harvest " + Filler(200);
  ASSERT_TRUE((*index)->Put(Version(1, "Speech on farming", body, "kcna")).ok());
  ASSERT_TRUE((*index)->Commit(1).ok());

  const std::string both = SnippetOf(**index, "harvest tractor", body);
  EXPECT_NE(both.find("<mark>tractors</mark>"), std::string::npos) << both;
  EXPECT_NE(both.find("<mark>harvest</mark>"), std::string::npos) << both;
  EXPECT_EQ(both.rfind("…", 0), 0u) << "cut from the middle: starts with an ellipsis: " << both;
  EXPECT_LT(both.size(), 400u) << both;

  const std::string one = SnippetOf(**index, "tractor", body);
  EXPECT_NE(one.find("<mark>tractor</mark>"), std::string::npos) << "the first of equal windows: " << one;

  const std::string apostrophe = SnippetOf(**index, "korea", body);
  EXPECT_NE(apostrophe.find("<mark>Korea\u2019s</mark>"), std::string::npos) << apostrophe;

  const std::string wildcard = SnippetOf(**index, "harv*", body);
  EXPECT_NE(wildcard.find("<mark>harvest</mark>"), std::string::npos) << wildcard;

  // A match in the title only: the body's start, as before.
  const std::string title = SnippetOf(**index, "speech", body);
  EXPECT_EQ(title.rfind("the meeting", 0), 0u) << title;
}

TEST(Index, FacetsCountEveryMatchUpToTheLimitThenSayTheyAreApproximate) {
  testing::TempDir dir;
  auto index = Index::OpenWritable(dir / "index");
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  const int64_t n = 2 * kFacetMatches + 10;
  for (int64_t docno = 1; docno <= n; ++docno) {
    IndexedVersion v =
        Version(docno, "Report", docno % 1000 == 0 ? "common rare" : "common", docno % 2 ? "kcna" : "nk-news");
    v.entities = {"kim-jong-un"};
    ASSERT_TRUE((*index)->Put(v).ok());
  }
  ASSERT_TRUE((*index)->Commit(n).ok());

  SearchRequest narrow;
  narrow.query = "rare";
  auto exact = (*index)->Search(narrow, NoBody);
  ASSERT_TRUE(exact.ok()) << exact.status().ToString();
  EXPECT_FALSE(exact->facets_approximate);
  EXPECT_TRUE(exact->total_exact);
  EXPECT_EQ(exact->total_estimate, 4);
  EXPECT_EQ(exact->facet_documents, 4);
  EXPECT_EQ(exact->by_source.at("nk-news"), 4);
  ASSERT_EQ(exact->by_entity.size(), 1u);
  EXPECT_EQ(exact->by_entity[0].second, 4);
  EXPECT_EQ(exact->entity_facet_documents, 4);

  SearchRequest broad;
  broad.query = "common";
  auto sampled = (*index)->Search(broad, NoBody);
  ASSERT_TRUE(sampled.ok()) << sampled.status().ToString();
  EXPECT_TRUE(sampled->facets_approximate);
  EXPECT_FALSE(sampled->total_exact);
  EXPECT_GE(sampled->facet_documents, kFacetMatches);
  EXPECT_LT(sampled->facet_documents, n);
  int64_t counted = 0;
  for (const auto& [source, count] : sampled->by_source) counted += count;
  EXPECT_EQ(counted, sampled->facet_documents) << "the facets count the same documents";
  // The entity facet is a smaller sample of the same matches.
  EXPECT_EQ(sampled->entity_facet_documents, kEntityFacetMatches);
  ASSERT_EQ(sampled->by_entity.size(), 1u);
  EXPECT_EQ(sampled->by_entity[0].second, kEntityFacetMatches);

  broad.with_entity_facet = false;
  auto no_entities = (*index)->Search(broad, NoBody);
  ASSERT_TRUE(no_entities.ok());
  EXPECT_TRUE(no_entities->by_entity.empty());
}

TEST(Index, CompactKeepsDocumentIdsAndReadersFollow) {
  testing::TempDir dir;
  const std::string path = dir / "index";
  auto writer = Index::OpenWritable(path);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  // Docnos with a gap at the start, as after a store whose first rows were not indexed here.
  for (int64_t docno = 5; docno < 400; ++docno)
    ASSERT_TRUE((*writer)->Put(Version(docno, "Farm", Filler(100), "kcna")).ok());
  ASSERT_TRUE((*writer)->Commit(399).ok());
  auto reader = Index::OpenReadOnly(path);
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE((*reader)->LatestRevision().ok());

  auto should = (*writer)->ShouldCompact();
  ASSERT_TRUE(should.ok());
  EXPECT_FALSE(*should) << "fewer than kCompactMinDocuments documents";
  ASSERT_TRUE((*writer)->Compact().ok());
  EXPECT_FALSE(std::filesystem::exists(path + ".compacting"));
  // The writer goes on in the compacted folder.
  ASSERT_TRUE((*writer)->Put(Version(400, "Rice", "rice harvest", "kcna")).ok());
  ASSERT_TRUE((*writer)->Commit(400).ok());
  auto mark = (*writer)->IndexedUpTo();
  ASSERT_TRUE(mark.ok());
  EXPECT_EQ(*mark, 400);

  ASSERT_TRUE((*reader)->LatestRevision().ok());
  SearchRequest request;
  request.query = "rice";
  auto found = (*reader)->Search(request, NoBody);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->hits.size(), 1u) << "the reader sees the commit made after compacting";
  EXPECT_EQ(found->hits[0].docno, 400);
  request.query = "farm";
  request.limit = 1000;
  auto old = (*reader)->Search(request, NoBody);
  ASSERT_TRUE(old.ok());
  ASSERT_EQ(old->hits.size(), 395u);
  int64_t lowest = old->hits[0].docno;
  for (const SearchHit& hit : old->hits) lowest = std::min(lowest, hit.docno);
  EXPECT_EQ(lowest, 5) << "document ids are the store's docnos: not renumbered";
}

}  // namespace
}  // namespace echotrace

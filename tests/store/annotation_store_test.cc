// Annotation spans through the store and the index: what annotation adds is
// kept exactly (key and attributes), aggregated (entities, quotes) and
// searchable (entity:, person:, event:, speaker:, media filters, entity facet).
// Spans are made by hand here, so these tests do not depend on what the
// annotators find (tests/annotate_*_test.cc cover that).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "search/index.h"
#include "store/store.h"
#include "test_util.h"

namespace echotrace {
namespace {

using testing::TempDir;

Span Annotation(const std::string& text, std::string_view surface, SpanKind kind, std::string label, std::string key,
                std::vector<std::pair<std::string, std::string>> attrs = {}) {
  const size_t at = text.find(surface);
  EXPECT_NE(at, std::string::npos) << surface;
  Span span;
  span.begin = static_cast<uint32_t>(at);
  span.end = static_cast<uint32_t>(at + surface.size());
  span.kind = kind;
  span.label = std::move(label);
  span.key = std::move(key);
  span.attrs = std::move(attrs);
  return span;
}

Document MakeDocument(const std::string& title, const std::string& body, const std::string& source) {
  Document doc;
  doc.raw = title + "\n\n" + body;
  doc.text = doc.raw;
  doc.title = title;
  doc.source = source;
  doc.date = "2022-03-29";
  doc.spans.push_back({0, static_cast<uint32_t>(title.size()), SpanKind::kTitle, "", "", {}});
  doc.spans.push_back({static_cast<uint32_t>(title.size() + 2),
                       static_cast<uint32_t>(doc.text.size()),
                       SpanKind::kParagraph,
                       "",
                       "",
                       {}});
  return doc;
}

Document LetterCoverage() {
  Document doc = MakeDocument("Kim urges ideological push",
                              "Kim Jong Un said \"nothing (is) impossible\", KCNA reported on Tuesday.", "reuters");
  EXPECT_TRUE(
      doc.AddSpans({Annotation(doc.text, "Kim Jong Un", SpanKind::kEntity, "person", "kim-jong-un", {{"role", ""}}),
                    Annotation(doc.text, "KCNA", SpanKind::kEntity, "outlet", "kcna"),
                    Annotation(doc.text, "nothing (is) impossible", SpanKind::kQuote, "direct", "",
                               {{"speaker", "kim-jong-un"}, {"channel", "kcna"}, {"insertions", "(is)"}}),
                    Annotation(doc.text, "Tuesday", SpanKind::kDate, "date", "2022-03-29",
                               {{"resolution", "day"}, {"relative", "1"}})})
          .ok());
  return doc;
}

TEST(AnnotationStore, SpansKeepKeyAndAttributes) {
  TempDir dir;
  auto store = Store::Open(dir / "s.sqlite", true, false);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const Document doc = LetterCoverage();
  ASSERT_TRUE((*store)->Begin().ok());
  auto added = (*store)->Add(doc);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  ASSERT_TRUE((*store)->Commit().ok());
  auto got = (*store)->Get(added->docno, false);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->doc.spans, doc.spans);
  const auto quote = std::find_if(got->doc.spans.begin(), got->doc.spans.end(),
                                  [](const Span& s) { return s.kind == SpanKind::kQuote; });
  ASSERT_NE(quote, got->doc.spans.end());
  EXPECT_EQ(quote->Attr("insertions"), "(is)");
  EXPECT_EQ(quote->Attr("absent"), "");
}

TEST(AnnotationStore, EntitiesAndQuotesAreAggregatedOverLatestVersions) {
  TempDir dir;
  auto store = Store::Open(dir / "s.sqlite", true, false);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->Begin().ok());
  ASSERT_TRUE((*store)->Add(LetterCoverage()).ok());
  Document other =
      MakeDocument("Premier visits farms", "Premier Kim Tok Hun toured farms. Kim Jong Un was not there.", "kcna");
  ASSERT_TRUE(other
                  .AddSpans({Annotation(other.text, "Kim Tok Hun", SpanKind::kEntity, "person", "kim-tok-hun",
                                        {{"role", "Premier"}}),
                             Annotation(other.text, "Kim Jong Un", SpanKind::kEntity, "person", "kim-jong-un")})
                  .ok());
  ASSERT_TRUE((*store)->Add(other).ok());
  ASSERT_TRUE((*store)->Commit().ok());

  auto people = (*store)->TopKeys("entity", "person", 10);
  ASSERT_TRUE(people.ok()) << people.status().ToString();
  ASSERT_EQ(people->size(), 2u);
  EXPECT_EQ((*people)[0].key, "kim-jong-un");  // two articles before one
  EXPECT_EQ((*people)[0].documents, 2);
  EXPECT_EQ((*people)[0].surface_forms, std::vector<std::string>{"Kim Jong Un"});
  EXPECT_EQ((*people)[1].key, "kim-tok-hun");
  auto outlets = (*store)->TopKeys("entity", "outlet", 10);
  ASSERT_TRUE(outlets.ok());
  ASSERT_EQ(outlets->size(), 1u);
  EXPECT_EQ((*outlets)[0].key, "kcna");

  auto quotes = (*store)->Quotes("kim-jong-un", 10, 0);
  ASSERT_TRUE(quotes.ok());
  ASSERT_EQ(quotes->size(), 1u);
  EXPECT_EQ((*quotes)[0].text, "nothing (is) impossible");
  EXPECT_EQ((*quotes)[0].channel, "kcna");
  EXPECT_EQ((*quotes)[0].source, "reuters");
  auto nobody = (*store)->Quotes("kim-tok-hun", 10, 0);
  ASSERT_TRUE(nobody.ok());
  EXPECT_TRUE(nobody->empty());

  // A re-extraction without annotations leaves no stale mentions behind.
  auto docnos = (*store)->DocnosAfter(0, 10);
  ASSERT_TRUE(docnos.ok());
  Document plain = LetterCoverage();
  plain.RemoveSpans({SpanKind::kEntity, SpanKind::kQuote, SpanKind::kDate});
  ASSERT_TRUE((*store)->Begin().ok());
  ASSERT_TRUE((*store)->UpdateExtraction(docnos->front(), plain).ok());
  ASSERT_TRUE((*store)->Commit().ok());
  auto after = (*store)->Quotes("", 10, 0);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->empty());
}

TEST(AnnotationStore, ASchemaOneStoreIsUpgradedOnWritableOpen) {
  TempDir dir;
  const std::string path = dir / "s.sqlite";
  {
    auto store = Store::Open(path, true, false);
    ASSERT_TRUE(store.ok());
  }
  // Make it look like a store written before mentions existed.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DROP TABLE mentions; PRAGMA user_version=1;", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = Store::Open(path, false, false);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->Begin().ok());
  ASSERT_TRUE((*store)->Add(LetterCoverage()).ok());
  ASSERT_TRUE((*store)->Commit().ok());
  auto quotes = (*store)->Quotes("", 10, 0);
  ASSERT_TRUE(quotes.ok()) << quotes.status().ToString();
  EXPECT_EQ(quotes->size(), 1u);
}

TEST(AnnotationIndex, EntityEventSpeakerAndMediaFilters) {
  TempDir dir;
  auto index = Index::OpenWritable(dir / "index");
  ASSERT_TRUE(index.ok());
  IndexedVersion foreign;
  foreign.docno = 1;
  foreign.version_id = "a1";
  foreign.title = "Kim urges ideological push";
  foreign.body = "ideology campaign";
  foreign.source = "reuters";
  foreign.date = "2022-03-29";
  foreign.media = "foreign";
  foreign.entities = {"kim-jong-un", "kcna"};
  foreign.speakers = {"kim-jong-un"};
  IndexedVersion state = foreign;
  state.docno = 2;
  state.version_id = "b2";
  state.source = "kcna";
  state.media = "state";
  state.entities = {"kim-jong-un", "wpk"};
  state.events = {"wpk/cc-8/plenary-4"};
  state.speakers = {};
  ASSERT_TRUE((*index)->Put(foreign).ok());
  ASSERT_TRUE((*index)->Put(state).ok());
  ASSERT_TRUE((*index)->Commit(2).ok());

  auto hits = [&](const std::string& query, auto&& adjust) {
    SearchRequest request;
    request.query = query;
    adjust(request);
    auto response = (*index)->Search(request, nullptr);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    std::vector<int64_t> docnos;
    if (response.ok()) {
      for (const SearchHit& hit : response->hits) docnos.push_back(hit.docno);
      std::sort(docnos.begin(), docnos.end());
    }
    return docnos;
  };
  auto none = [](SearchRequest&) {};
  EXPECT_EQ(hits("person:kim-jong-un ideology", none), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(hits("entity:wpk ideology", none), (std::vector<int64_t>{2}));
  EXPECT_EQ(hits("event:wpk/cc-8/plenary-4", none), (std::vector<int64_t>{2}));
  EXPECT_EQ(hits("speaker:kim-jong-un", none), (std::vector<int64_t>{1}));
  EXPECT_EQ(hits("ideology", [](SearchRequest& r) { r.media = "state"; }), (std::vector<int64_t>{2}));
  EXPECT_EQ(hits("ideology", [](SearchRequest& r) { r.entities = {"kcna"}; }), (std::vector<int64_t>{1}));
  EXPECT_EQ(hits("ideology", [](SearchRequest& r) { r.events = {"wpk/cc-8/plenary-4"}; }), (std::vector<int64_t>{2}));

  SearchRequest bad;
  bad.query = "ideology";
  bad.media = "both";
  auto refused = (*index)->Search(bad, nullptr);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUsage);

  SearchRequest faceted;
  faceted.query = "ideology";
  auto response = (*index)->Search(faceted, nullptr);
  ASSERT_TRUE(response.ok());
  ASSERT_GE(response->by_entity.size(), 3u);
  EXPECT_EQ(response->by_entity[0], (std::pair<std::string, int64_t>{"kim-jong-un", 2}));
}

}  // namespace
}  // namespace echotrace

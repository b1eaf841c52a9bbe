// Unit tests of link/: normalization, alignment and diff, tracing over a
// small generated corpus, dedup, events, the link tables, and the seeds
// end to end through the CLI.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "annotate/annotate.h"
#include "link/dedup.h"
#include "link/doc_trace.h"
#include "link/events.h"
#include "link/link_store.h"
#include "link/normalize.h"
#include "link/trace.h"
#include "test_util.h"

namespace echotrace {
namespace {

std::vector<std::string> Keys(std::string_view text) {
  std::vector<std::string> out;
  for (const MatchToken& t : Tokenize(text).tokens) out.push_back(t.key);
  return out;
}

TEST(Normalize, FoldsCaseQuotesSpellingAndHyphens) {
  EXPECT_EQ(Keys("Workers\xE2\x80\x99 Party"), Keys("workers' party"));
  EXPECT_EQ(Keys("the colour of honour, organised"), Keys("the color of honor, organized"));
  EXPECT_EQ(Keys("defence centre"), Keys("defense center"));
  EXPECT_EQ(Keys("life-and-death"), (std::vector<std::string>{"life", "and", "death"}));
  EXPECT_NE(FoldWord("four"), FoldWord("for"));  // short -our words are left alone
}

TEST(Normalize, MarksBracketsAndElisions) {
  const TokenStream t = Tokenize("nothing (is) impossible ... when {snip} the [the] people");
  ASSERT_EQ(t.tokens.size(), 7u);
  EXPECT_TRUE(t.tokens[1].bracketed);
  EXPECT_FALSE(t.tokens[2].bracketed);
  EXPECT_TRUE(t.tokens[3].elision_before);
  EXPECT_TRUE(t.tokens[4].elision_before);
  EXPECT_TRUE(t.tokens[5].bracketed);
  EXPECT_EQ(std::string("nothing (is) impossible").substr(t.tokens[2].begin, 10), "impossible");
}

TEST(Normalize, RomanizationVariantsMeetOnlyWhenCapitalized) {
  const TokenStream a = Tokenize("Kim Tok-hun"), b = Tokenize("Kim Dok Hun");
  ASSERT_EQ(a.tokens.size(), 3u);
  ASSERT_EQ(b.tokens.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_TRUE(SameWord(a.tokens[i], b.tokens[i])) << i;
  EXPECT_EQ(RomanKey("Jong"), RomanKey("Chong"));
  const TokenStream c = Tokenize("do to");
  EXPECT_FALSE(SameWord(c.tokens[0], c.tokens[1]));
}

TEST(Align, ToleratesInsertionsAndElisionsAndDiffSaysSo) {
  const std::string origin = "there is nothing impossible to do when the people are motivated ideologically and united";
  const std::string quote = "nothing (is) impossible to do ... people are motivated ideologically";
  const TokenStream o = Tokenize(origin), q = Tokenize(quote);
  const Alignment a = AlignLocal(q.tokens, o.tokens, 0, o.tokens.size());
  EXPECT_EQ(a.matched, 8u);
  const auto diff = WordDiff(a, q.tokens, quote, o.tokens, origin);
  size_t inserted = 0, omitted = 0;
  for (const DiffWord& w : diff) {
    inserted += w.op == DiffOp::kInserted;
    omitted += w.op == DiffOp::kOmitted;
  }
  EXPECT_EQ(inserted, 1u);
  EXPECT_EQ(omitted, 2u);  // "when the"
  EXPECT_NE(RenderDiff(diff).find("{+is+}"), std::string::npos);
}

// A small corpus of state-media-like documents built in code.
struct Mini {
  std::vector<StoredVersion> versions;
  NgramIndex index;
  void Add(const std::string& text, const std::string& date, bool state = true) {
    StoredVersion v;
    v.docno = static_cast<int64_t>(versions.size()) + 1;
    v.version_id = "v" + std::to_string(v.docno);
    v.doc.text = text;
    v.doc.date = date;
    v.doc.source = state ? "kcna" : "reuters";
    index.Add({v.docno, DayNumber(date), state}, NgramSet(TokenizeDocument(v.doc).tokens));
    versions.push_back(std::move(v));
  }
  Result<StoredVersion> Get(int64_t d) const { return versions[static_cast<size_t>(d - 1)]; }
};

TEST(Trace, FindsEarliestOriginAndRespectsDates) {
  Mini m;
  const std::string letter =
      "Premier Kim Tok Hun inspected the Ryongsong Machine Complex and stressed that the workers must raise the "
      "production of oxygen separators by every means this year.";
  m.Add("Unrelated report on a fishery station in South Hamgyong Province and its catch of pollack.", "2022-01-02");
  m.Add(letter, "2022-01-05");
  m.Add(letter + " The visit ended.", "2022-01-07");  // a republication
  m.Add("A football match was held between sports teams of the ministries in Pyongyang.", "2022-01-06");
  m.index.Compact();
  Tracer tracer(&m.index, [&](int64_t d) { return m.Get(d); });
  auto r = tracer.Trace(
      "\xE2\x80\x9CKim Dok-hun ... stressed that the workers must raise [the] production of oxygen "
      "separators\xE2\x80\x9D",
      {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->front().docno, 2);
  EXPECT_EQ(r->front().republications, (std::vector<int64_t>{3}));
  EXPECT_EQ(std::string_view(m.versions[1].doc.text).substr(r->front().origin_begin, 7), "Kim Tok");
  TraceRequest before;
  before.last_day = DayNumber("2022-01-04");
  auto none = tracer.Trace("stressed that the workers must raise the production of oxygen separators", before);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto fragment = tracer.Trace("the workers", {});
  ASSERT_TRUE(fragment.ok());
  EXPECT_TRUE(fragment->empty());
}

TEST(Days, MonthPrecisionCoversTheMonth) {
  int32_t first = 0, last = 0;
  ASSERT_TRUE(DayRange("2012-06", &first, &last));
  EXPECT_EQ(first, DayNumber("2012-06-01"));
  EXPECT_EQ(last, DayNumber("2012-06-30"));
  ASSERT_TRUE(DayRange("2024-02", &first, &last));
  EXPECT_EQ(last, DayNumber("2024-02-29"));
  ASSERT_TRUE(DayRange("2011-12", &first, &last));
  EXPECT_EQ(last, DayNumber("2011-12-31"));
  ASSERT_TRUE(DayRange("2022-03-25", &first, &last));
  EXPECT_EQ(first, last);
  EXPECT_FALSE(DayRange("", &first, &last));
  EXPECT_EQ(first, IndexedDoc::kUnknownDay);
}

TEST(Quotes, PassagesAreTheAnnotationsQuotesAndTerms) {
  Document doc;
  doc.text =
      "He said \"we will never give up the road of self-reliance\" and left. The town held a "
      "\xE2\x80\x9CShort\xE2\x80\x9D fair.";
  // Without annotation spans, no passages: annotation is the one reader of marks.
  EXPECT_TRUE(FindQuotedPassages(doc).empty());
  doc.spans.push_back({0, static_cast<uint32_t>(doc.text.size()), SpanKind::kParagraph, "", "", {}});
  Annotate(&doc);
  const auto quotes = FindQuotedPassages(doc);
  // The quote, and the one-word "Short", which annotation calls a term, not a
  // quote (provenance traces short quotes in context, see doc_trace.h).
  ASSERT_EQ(quotes.size(), 2u);
  EXPECT_EQ(doc.text.substr(quotes[0].begin, 7), "we will");
  EXPECT_EQ(doc.text.substr(quotes[1].begin, quotes[1].end - quotes[1].begin), "Short");
}

TEST(Dedup, GroupsCopiesAndTeasersWithEarliestOriginal) {
  Mini m;
  std::string body;
  for (int i = 0; i < 30; ++i)
    body += "Sentence number " + std::to_string(i) + " tells of the lathe plant in Huichon. ";
  m.Add(body + "Closing words of the first report.", "2023-05-02");
  m.Add("Headline Changed\n" + body, "2023-05-01");
  m.Add("Sentence number 0 tells of the lathe plant in Huichon. Sentence number 1 tells of", "2023-05-03");
  m.Add("An entirely different story about the tidal flats of the west coast and their rice fields.", "2023-05-01");
  NgramIndex index;  // the Deduper adds the documents itself
  Deduper d(&index);
  for (const StoredVersion& v : m.versions) {
    (void)d.Add({v.docno, DayNumber(v.doc.date), true}, NgramSet(TokenizeDocument(v.doc).tokens));
  }
  EXPECT_EQ(d.OriginalOf(0), 1u);
  EXPECT_EQ(d.OriginalOf(2), 1u);
  EXPECT_EQ(d.OriginalOf(3), 3u);
}

TEST(Events, QuoteLinksAndEventKeysJoinArticles) {
  std::vector<LinkDocRow> rows(4);
  for (int i = 0; i < 4; ++i) rows[static_cast<size_t>(i)].docno = i + 1;
  rows[0].day = DayNumber("2022-03-28");
  rows[1].day = DayNumber("2022-03-29");
  rows[2].day = DayNumber("2022-03-29");
  rows[2].event_keys = {"plenary-8-4"};
  rows[3].day = DayNumber("2022-03-30");
  rows[3].event_keys = {"plenary-8-4"};
  const auto events = GroupEvents(rows, {{2, 1}});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].docnos, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(events[1].docnos, (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(events[1].key, "plenary-8-4");
}

// What an event is not (issue 15): a title reused by a story of another year
// (a near-duplicate link), a chain of key links drifting across months, a
// story with only its own headline stub.
TEST(Events, LinksAcrossYearsLongChainsAndOwnStubsAreNotEvents) {
  std::vector<LinkDocRow> rows(6);
  for (int i = 0; i < 6; ++i) rows[static_cast<size_t>(i)].docno = i + 1;
  rows[0].day = DayNumber("2003-09-09");  // "Parade held", 2003
  rows[1].day = DayNumber("2008-09-09");  // the same headline in 2008
  rows[2].day = DayNumber("2022-05-01");  // a story ...
  rows[3].day = DayNumber("2022-05-01");  // ... and its own headline stub
  rows[3].headline_stub = true;
  rows[4].day = DayNumber("2022-05-02");  // a second report of the story
  rows[5].day = DayNumber("2022-05-02");
  rows[5].headline_stub = true;
  auto events = GroupEvents(rows, {{1, 2}, {3, 4}});
  EXPECT_TRUE(events.empty()) << events.size();
  events = GroupEvents(rows, {{1, 2}, {3, 4}, {3, 5}, {5, 6}});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].docnos, (std::vector<int64_t>{3, 4, 5, 6}));
  EXPECT_EQ(events[0].stubs, 2u);
  EXPECT_EQ(events[0].first_day, DayNumber("2022-05-01"));
  EXPECT_EQ(events[0].last_day, DayNumber("2022-05-02"));

  // A weekly meeting key linking week after week for three months: cut
  // into parts of at most max_span_days.
  std::vector<LinkDocRow> weekly(14);
  for (size_t i = 0; i < weekly.size(); ++i) {
    weekly[i].docno = static_cast<int64_t>(i + 1);
    weekly[i].day = DayNumber("2021-01-01") + static_cast<int32_t>(7 * i);
    weekly[i].event_keys = {"weekly-meeting"};
  }
  EventOptions options;
  events = GroupEvents(weekly, {}, options);
  ASSERT_GE(events.size(), 3u);
  size_t members = 0;
  for (const EventGroup& e : events) {
    EXPECT_LE(e.last_day - e.first_day, options.max_span_days) << e.docnos.front();
    members += e.docnos.size();
  }
  EXPECT_EQ(members, weekly.size());
  for (size_t i = 1; i < events.size(); ++i) EXPECT_LT(events[i - 1].first_day, events[i].first_day);
}

TEST(LinkStore, RoundTripsDocsPairsAndLinks) {
  testing::TempDir dir;
  auto store = LinkStore::Open(dir / "s.sqlite", false);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->Begin().ok());
  LinkDocRow row;
  row.docno = 7;
  row.day = 100;
  row.ngrams = {1, 5, 0xFFFFFFFFu};
  row.entity_keys = {"kim-jong-un"};
  ASSERT_TRUE((*store)->PutDoc(row).ok());
  ASSERT_TRUE((*store)->PutDupPair({7, 9, 0.8}).ok());
  QuoteMatch m;
  m.docno = 3;
  m.paragraph = 4;
  m.diff = {{DiffOp::kInserted, "is", ""}};
  ASSERT_TRUE((*store)->PutQuoteLinks(7, {m}).ok());
  ASSERT_TRUE((*store)->SetMark(7).ok());
  ASSERT_TRUE((*store)->Commit().ok());
  std::vector<LinkDocRow> rows;
  ASSERT_TRUE((*store)->ForEachDoc([&](LinkDocRow&& r) { rows.push_back(std::move(r)); }).ok());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0].ngrams.empty()) << "n-gram sets live in the n-gram index only";
  EXPECT_EQ(rows[0].entity_keys, row.entity_keys);
  auto links = (*store)->QuoteLinksOf(7);
  ASSERT_TRUE(links.ok());
  ASSERT_EQ(links->size(), 1u);
  EXPECT_EQ(links->front().match.paragraph, 4);
  EXPECT_EQ(links->front().match.diff.front().op, DiffOp::kInserted);
  auto echoes = (*store)->QuoteLinksTo(3);  // the reverse: who quoted docno 3
  ASSERT_TRUE(echoes.ok());
  ASSERT_EQ(echoes->size(), 1u);
  EXPECT_EQ(echoes->front().citing, 7);
  EXPECT_TRUE((*store)->QuoteLinksTo(7)->empty());
  EXPECT_EQ(*(*store)->Mark(), 7);
}

// Stores made before the on-disk n-gram index kept each document's n-gram
// set in link_docs as well: a writable open drops that copy, keeping the rows.
TEST(LinkStore, WritableOpenDropsTheOldNgramColumn) {
  testing::TempDir dir;
  const std::string path = dir / "s.sqlite";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE link_docs(docno INTEGER PRIMARY KEY, day INTEGER, state INTEGER NOT NULL, "
                         "ngrams BLOB NOT NULL, event_keys TEXT NOT NULL, entity_keys TEXT NOT NULL, stub INTEGER "
                         "NOT NULL DEFAULT 0); INSERT INTO link_docs VALUES(3, 10, 1, x'01000000', 'e', 'k', 0);",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  {
    auto reader = LinkStore::Open(path, true);  // read-only: reads the old table as it is
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  }
  auto store = LinkStore::Open(path, false);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  std::vector<LinkDocRow> rows;
  ASSERT_TRUE((*store)->ForEachDoc([&](LinkDocRow&& r) { rows.push_back(std::move(r)); }).ok());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].docno, 3);
  EXPECT_TRUE(rows[0].state_media);
  EXPECT_EQ(rows[0].entity_keys, std::vector<std::string>{"k"});
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT count(*) FROM pragma_table_info('link_docs') WHERE name = 'ngrams'", -1,
                               &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST(LinkCli, SeedsTraceAndShareAnEvent) {
  if (!testing::HaveShared()) GTEST_SKIP() << "../shared not found: no seeds";
  testing::TempDir dir;
  const std::string data = dir / "data";
  auto ingest = testing::RunCli({"--data", data, "ingest", testing::SharedDir() + "/seeds",
                                 testing::SharedDir() + "/corpus/rodong_thogra_2021-2022.jsonl"});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  auto trace = testing::RunCli({"--data", data, "trace", "--json", "great life-and-death struggle"});
  ASSERT_EQ(trace.exit_code, 0) << trace.err;
  const auto traced = nlohmann::json::parse(trace.out)["quotes"];
  ASSERT_FALSE(traced.empty()) << trace.out;
  EXPECT_EQ(traced[0]["original"]["article"]["outlet"]["id"], "rodong") << trace.out;
  EXPECT_EQ(traced[0]["original"]["article"]["date"], "2022-01-01") << trace.out;
  auto nothing = testing::RunCli({"--data", data, "trace",
                                  "nothing (is) impossible to do when the people are "
                                  "motivated ideologically"});
  EXPECT_NE(nothing.out.find("Naenara"), std::string::npos) << nothing.out;
  // Ingest linked everything already: nothing left for `link`.
  auto relink = testing::RunCli({"--data", data, "link"});
  ASSERT_EQ(relink.exit_code, 0) << relink.err;
  EXPECT_NE(relink.out.find("linked 0 versions"), std::string::npos) << relink.out;
  // The article view of seed 000 says where its quote came from.
  auto show = testing::RunCli({"--data", data, "search", "--json", "\"worst difficulties\""});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  const auto hit = nlohmann::json::parse(show.out)["hits"].at(0);  // --json is GET /api/search
  auto links = testing::RunCli({"--data", data, "links", hit.value("id", "")});
  ASSERT_EQ(links.exit_code, 0) << links.err;
  EXPECT_NE(links.out.find("quoted from: Naenara"), std::string::npos) << links.out;
  EXPECT_NE(links.out.find("{+is+}"), std::string::npos) << links.out;
  // ...and the Naenara original says who echoed it.
  auto original = testing::RunCli({"--data", data, "search", "--json", "--source", "naenara", "impossible"});
  ASSERT_EQ(original.exit_code, 0) << original.err;
  const auto naenara = nlohmann::json::parse(original.out)["hits"].at(0);
  auto echoed = testing::RunCli({"--data", data, "links", naenara.value("id", "")});
  ASSERT_EQ(echoed.exit_code, 0) << echoed.err;
  EXPECT_NE(echoed.out.find("echoed by"), std::string::npos) << echoed.out;
  EXPECT_NE(echoed.out.find("impossible"), std::string::npos) << echoed.out;
  auto events = testing::RunCli({"--data", data, "events", "--json", "--limit", "100000"});
  ASSERT_EQ(events.exit_code, 0) << events.err;
  // Seeds 000 (Reuters via CNA) and 001 (Naenara) must share one event.
  bool together = false;
  auto parsed = nlohmann::json::parse(events.out);
  EXPECT_EQ(parsed["total"].get<size_t>(), parsed["events"].size());
  for (const auto& e : parsed["events"]) {
    bool has000 = false, has001 = false;
    for (const char* side : {"state", "foreign"}) {
      for (const auto& a : e[side]) {
        has000 |= a["id"] == hit["id"];
        has001 |= a["id"] == naenara["id"];
      }
    }
    together |= has000 && has001;
  }
  EXPECT_TRUE(together) << events.out.substr(0, 2000);
}

// `trace --report` traces foreign articles from files without storing them
// (the same links ingest would store), and `quotes --newest` is the feed of
// what ingest traced, paged.
TEST(LinkCli, ReportTracesFilesWithoutIngestingAndFeedPages) {
  testing::TempDir dir;
  const std::string data = dir / "data";
  const std::string sample = testing::SampleDir();
  auto ingest = testing::RunCli(
      {"--data", data, "ingest", sample + "/kcna_2022-03-29_workshop.txt", sample + "/rodong_2021-12-31_plenary.txt"});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  auto empty_feed = testing::RunCli({"--data", data, "quotes", "--newest"});
  ASSERT_EQ(empty_feed.exit_code, 0) << empty_feed.err;
  EXPECT_NE(empty_feed.out.find("no traced quotes"), std::string::npos) << empty_feed.out;

  const std::string report = dir / "report.jsonl";
  auto run = testing::RunCli({"--data", data, "trace", "--report", sample + "/wire_2022-03-29_ideology.txt",
                              sample + "/blog_2022-01-05_rally.html", "--out", report});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("2 article(s)"), std::string::npos) << run.out;  // the table
  std::vector<nlohmann::json> lines;
  std::istringstream in(testing::ReadFile(report));
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(lines.size(), 2u);
  const nlohmann::json& wire = lines[0];
  EXPECT_EQ(wire["date"], "2022-03-29");
  ASSERT_FALSE(wire["links"].empty());
  std::set<std::string> quotes;
  for (const auto& link : wire["links"]) {
    // The workshop item, not the Rodong plenary report.
    EXPECT_EQ(link["original"]["article"]["outlet"]["id"], "kcna") << link.dump();
    quotes.insert(link["text"].get<std::string>());
  }
  EXPECT_EQ(quotes.count("the sharpest weapons of persuasion"), 1u);
  // Nothing was stored: the wire story is not in the data directory, and no link either.
  auto search = testing::RunCli({"--data", data, "search", "--json", "title:propaganda"});
  EXPECT_EQ(search.out.find("harshest"), std::string::npos) << search.out;

  // Ingesting it gives the same links, and the feed pages through them.
  ASSERT_EQ(testing::RunCli({"--data", data, "ingest", sample + "/wire_2022-03-29_ideology.txt"}).exit_code, 0);
  auto feed = testing::RunCli({"--data", data, "quotes", "--newest", "--json", "--limit", "100"});
  ASSERT_EQ(feed.exit_code, 0) << feed.err;
  std::set<std::string> fed;  // --json is GET /api/quotes?newest=1
  const auto fed_json = nlohmann::json::parse(feed.out);
  EXPECT_EQ(fed_json["total"], quotes.size());
  for (const auto& q : fed_json["quotes"]) fed.insert(q["text"].get<std::string>());
  EXPECT_EQ(fed, quotes);
  auto second = testing::RunCli({"--data", data, "quotes", "--newest", "--limit", "1", "--offset", "1"});
  EXPECT_NE(second.out.find("2-2 of " + std::to_string(quotes.size())), std::string::npos) << second.out;
}

}  // namespace
}  // namespace echotrace

// How the store keeps a version's text, spans and raw bytes (one zstd
// frame, schema 3; content dictionaries, schema 4), and the migration of a
// schema-2 store: round trips, damaged frames, dictionaries trained and
// frames re-encoded, and a process killed mid-migration or mid-re-encoding.
#include "store/version_content.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite_util.h"
#include "store/store.h"
#include "test_util.h"

namespace echotrace {
namespace {

std::vector<Span> SomeSpans(const std::string& text) {
  const auto at = [&](const std::string& s) { return static_cast<uint32_t>(text.find(s)); };
  return {
      {0, at("\n"), SpanKind::kTitle, "", "", {}},
      {at("The premier"), static_cast<uint32_t>(text.size()), SpanKind::kParagraph, "", "", {}},
      {at("premier"), at("premier") + 7, SpanKind::kEntity, "person", "pak-thae-song", {{"role", "Premier"}}},
      {at("farms"), at("farms") + 5, SpanKind::kQuote, "direct", "", {{"speaker", "x"}, {"channel", "kcna"}}},
  };
}

const std::string kText = "Premier visits farms\n\nThe premier toured farms (\xEC\xA0\x95) and praised the harvest.";
const std::string kRaw =
    "<html><h1>Premier visits farms</h1><p>The premier toured farms (&#xC815;) and praised the "
    "harvest.</p></html>";

TEST(VersionContent, RoundTripsTextSpansAndRaw) {
  const std::vector<Span> spans = SomeSpans(kText);
  const std::string frame = EncodeVersionContent(kText, spans, kRaw);
  ASSERT_FALSE(frame.empty());
  EXPECT_GT(VersionContentSize(frame), kText.size() + kRaw.size());
  ContentReader reader;
  std::string text, raw;
  std::vector<Span> decoded;
  ASSERT_TRUE(reader.Decode(frame, &text, &decoded, &raw).ok());
  EXPECT_EQ(text, kText);
  EXPECT_EQ(raw, kRaw);
  ASSERT_EQ(decoded.size(), spans.size());
  for (size_t i = 0; i < spans.size(); ++i) {
    EXPECT_EQ(decoded[i].begin, spans[i].begin);
    EXPECT_EQ(decoded[i].end, spans[i].end);
    EXPECT_EQ(decoded[i].kind, spans[i].kind);
    EXPECT_EQ(decoded[i].label, spans[i].label);
    EXPECT_EQ(decoded[i].key, spans[i].key);
    EXPECT_EQ(decoded[i].attrs, spans[i].attrs);
  }
  // Without the raw bytes, and with paragraphs only (what a search hit reads);
  // the same reader serves several frames.
  std::string no_raw = "untouched";
  ASSERT_TRUE(reader.Decode(frame, &text, &decoded, nullptr, /*paragraphs_only=*/true).ok());
  EXPECT_EQ(text, kText);
  ASSERT_EQ(decoded.size(), 1u);
  EXPECT_EQ(decoded[0].kind, SpanKind::kParagraph);
  // Empty parts round-trip too.
  const std::string empty = EncodeVersionContent("", {}, "");
  ASSERT_TRUE(reader.Decode(empty, &text, &decoded, &raw).ok());
  EXPECT_TRUE(text.empty() && decoded.empty() && raw.empty());
}

TEST(VersionContent, DamagedFramesGiveAClearError) {
  const std::string frame = EncodeVersionContent(kText, SomeSpans(kText), kRaw);
  ContentReader reader;
  std::string text, raw;
  std::vector<Span> spans;
  // Cut short.
  Status cut = reader.Decode(frame.substr(0, frame.size() / 2), &text, &spans, &raw);
  EXPECT_EQ(cut.code(), StatusCode::kCorrupt) << cut.ToString();
  // Not a frame at all.
  Status garbage = reader.Decode("not a zstd frame", &text, &spans, &raw);
  EXPECT_EQ(garbage.code(), StatusCode::kCorrupt);
  EXPECT_NE(garbage.message().find("stored content"), std::string::npos) << garbage.message();
  // Every single flipped byte is caught on a full read
  // (zstd's block checks or the content checksum), never read as content.
  for (size_t i = 0; i < frame.size(); ++i) {
    std::string damaged = frame;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x5a);
    Status status = reader.Decode(damaged, &text, &spans, &raw);
    EXPECT_EQ(status.code(), StatusCode::kCorrupt) << "byte " << i;
  }
  // A frame of something else (another format byte).
  const std::string other =
      Compress(std::string("\x07\x01\x01\x01"
                           "abc",
                           7));
  Status format = reader.Decode(other, &text, &spans, &raw);
  EXPECT_EQ(format.code(), StatusCode::kCorrupt);
  EXPECT_NE(format.message().find("unknown format"), std::string::npos) << format.message();
}

// A schema-2 store, as echotrace wrote it before schema 3: text and JSON
// spans in columns of their own, raw bytes compressed alone.
constexpr const char* kSchema2 = R"sql(
PRAGMA application_id=1163150129; PRAGMA user_version=2;
CREATE TABLE articles(article_id TEXT PRIMARY KEY, identity TEXT NOT NULL UNIQUE, latest_docno INTEGER NOT NULL,
  version_count INTEGER NOT NULL);
CREATE TABLE versions(docno INTEGER PRIMARY KEY AUTOINCREMENT, version_id TEXT NOT NULL UNIQUE,
  raw_hash TEXT NOT NULL, article_id TEXT NOT NULL, seq INTEGER NOT NULL, source TEXT NOT NULL, date TEXT NOT NULL,
  title TEXT NOT NULL, url TEXT NOT NULL, external_id TEXT NOT NULL, text TEXT NOT NULL, spans TEXT NOT NULL,
  warnings TEXT NOT NULL, format TEXT NOT NULL, origin TEXT NOT NULL, raw BLOB NOT NULL, raw_size INTEGER NOT NULL,
  is_stub INTEGER NOT NULL, derived_from TEXT NOT NULL, ingested_at TEXT NOT NULL);
CREATE INDEX versions_by_article ON versions(article_id, seq);
CREATE INDEX versions_by_raw ON versions(raw_hash);
)sql";

// Writes a schema-2 store of `count` versions; version i's text ends in i.
void WriteSchema2Store(const std::string& path, int count) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, kSchema2, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  ASSERT_EQ(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_stmt* insert = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "INSERT INTO versions VALUES(?1, ?2, ?3, ?2, 1, 'kcna', '2022-03-29', 'Premier visits "
                               "farms', '', ?4, ?5, ?6, '[\"w\"]', 'text', 'origin', ?7, ?8, 0, '', 't')",
                               -1, &insert, nullptr),
            SQLITE_OK);
  sqlite3_stmt* article = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "INSERT INTO articles VALUES(?1, ?1, ?2, 1)", -1, &article, nullptr), SQLITE_OK);
  for (int i = 1; i <= count; ++i) {
    const std::string text = kText + " Item " + std::to_string(i) + ".";
    const std::string raw = kRaw + std::to_string(i);
    const std::string id = "v" + std::to_string(i), zraw = Compress(raw);
    const std::string spans = "[[0,20,\"title\",\"\"],[22," + std::to_string(text.size()) +
                              ",\"paragraph\",\"\"],[26,33,\"entity\",\"person\",\"pak\",[[\"role\",\"Premier\"]]]]";
    sqlite3_bind_int64(insert, 1, i * 2);  // gaps, as deletions or failed inserts leave
    sqlite3_bind_text(insert, 2, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 3, ("r" + id).c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 4, ("x-" + id).c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 5, text.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 6, spans.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(insert, 7, zraw.data(), static_cast<int>(zraw.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(insert, 8, static_cast<int64_t>(raw.size()));
    ASSERT_EQ(sqlite3_step(insert), SQLITE_DONE) << sqlite3_errmsg(db);
    sqlite3_reset(insert);
    sqlite3_bind_text(article, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(article, 2, i * 2);
    ASSERT_EQ(sqlite3_step(article), SQLITE_DONE) << sqlite3_errmsg(db);
    sqlite3_reset(article);
  }
  sqlite3_finalize(insert);
  sqlite3_finalize(article);
  ASSERT_EQ(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

// Every version of a store written by WriteSchema2Store reads back whole.
void ExpectSchema2Content(Store& store, int count) {
  for (int i = 1; i <= count; ++i) {
    auto v = store.Get(i * 2, true);
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_EQ(v->doc.text, kText + " Item " + std::to_string(i) + ".");
    EXPECT_EQ(v->doc.raw, kRaw + std::to_string(i));
    ASSERT_EQ(v->doc.spans.size(), 3u);
    EXPECT_EQ(v->doc.spans[2].key, "pak");
    EXPECT_EQ(v->doc.spans[2].Attr("role"), "Premier");
    EXPECT_EQ(v->doc.warnings, std::vector<std::string>{"w"});
    EXPECT_EQ(v->doc.external_id, "x-v" + std::to_string(i));
  }
}

TEST(StoreMigration, ReadOnlyOpenOfAnOlderStoreSaysWhatToRun) {
  testing::TempDir dir;
  WriteSchema2Store(dir / "s.sqlite", 2);
  auto store = Store::Open(dir / "s.sqlite", false, true);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(store.status().message().find("schema 2"), std::string::npos) << store.status().message();
  EXPECT_NE(store.status().message().find("echotrace link"), std::string::npos) << store.status().message();
}

TEST(StoreMigration, WritableOpenMigratesAndKeepsEverything) {
  testing::TempDir dir;
  constexpr int kCount = 20;
  WriteSchema2Store(dir / "s.sqlite", kCount);
  {
    auto store = Store::Open(dir / "s.sqlite", false, false);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ExpectSchema2Content(**store, kCount);
    auto hit = (*store)->GetHit(4);
    ASSERT_TRUE(hit.ok());
    EXPECT_EQ(hit->doc.spans.size(), 1u);
    // Docnos keep counting after the highest ever given.
    ASSERT_TRUE((*store)->Begin().ok());
    Document doc;
    doc.title = "New";
    doc.text = "New\n\nA new article.";
    doc.raw = doc.text;
    doc.source = "kcna";
    auto added = (*store)->Add(doc);
    ASSERT_TRUE(added.ok()) << added.status().ToString();
    ASSERT_TRUE((*store)->Commit().ok());
    EXPECT_EQ(added->docno, kCount * 2 + 1);
  }
  // Now schema 3: a read-only open reads it.
  auto reader = Store::Open(dir / "s.sqlite", false, true);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  ExpectSchema2Content(**reader, kCount);
}

TEST(StoreMigration, AProcessKilledMidMigrationLeavesAStoreThatMigrates) {
  testing::TempDir dir;
  constexpr int kCount = 400;
  const std::string pristine = dir / "pristine.sqlite";
  WriteSchema2Store(pristine, kCount);
  // Kill the migrating process at several moments, from before it starts to
  // after it ends; whatever the moment, the next open finds every version.
  for (const int delay_ms : {0, 2, 5, 10, 20, 40, 80}) {
    SCOPED_TRACE("killed after " + std::to_string(delay_ms) + " ms");
    const std::string path = dir / ("s" + std::to_string(delay_ms) + ".sqlite");
    std::filesystem::copy_file(pristine, path);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto store = Store::Open(path, false, false);
      _exit(store.ok() ? 0 : 1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(child, SIGKILL);
    int wstatus = 0;
    waitpid(child, &wstatus, 0);
    EXPECT_TRUE(WIFSIGNALED(wstatus) || (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0));
    auto store = Store::Open(path, false, false);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ExpectSchema2Content(**store, kCount);
  }
}

TEST(StoreMigration, ADamagedStoredFrameNamesTheVersion) {
  testing::TempDir dir;
  const std::string path = dir / "s.sqlite";
  int64_t docno = 0;
  {
    auto store = Store::Open(path, true, false);
    ASSERT_TRUE(store.ok());
    Document doc;
    doc.title = "Premier visits farms";
    doc.text = kText;
    doc.raw = kRaw;
    doc.spans = SomeSpans(kText);
    ASSERT_TRUE((*store)->Begin().ok());
    auto added = (*store)->Add(doc);
    ASSERT_TRUE(added.ok());
    ASSERT_TRUE((*store)->Commit().ok());
    docno = added->docno;
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE versions SET content = substr(content, 1, length(content) / 2)", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto store = Store::Open(path, false, true);
  ASSERT_TRUE(store.ok());
  for (const auto& got : {(*store)->Get(docno, true), (*store)->Get(docno, false), (*store)->GetHit(docno)}) {
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), StatusCode::kCorrupt);
    EXPECT_NE(got.status().message().find("docno " + std::to_string(docno)), std::string::npos)
        << got.status().message();
  }
}

// A news-like item: `words` words drawn from a small vocabulary by a fixed
// generator, so that items share words and phrasing as a corpus does.
Document GeneratedItem(int i, int words = 220) {
  static const char* const kVocabulary[] = {
      "the",     "premier", "visited", "farms",      "in",      "province", "and",       "praised",      "harvest",
      "workers", "party",   "central", "committee",  "meeting", "plenary",  "session",   "held",         "on",
      "of",      "county",  "factory", "steel",      "output",  "plan",     "year",      "leader",       "said",
      "that",    "people",  "must",    "strive",     "for",     "victory",  "economic",  "construction", "delegation",
      "arrived", "capital", "talks",   "friendship", "was",     "signed",   "agreement", "report"};
  constexpr size_t kWords = sizeof(kVocabulary) / sizeof(kVocabulary[0]);
  uint64_t state = 0x9E3779B97F4A7C15ULL * static_cast<uint64_t>(i + 1);
  Document doc;
  doc.title = "Item " + std::to_string(i) + " premier visits farms";
  doc.source = "kcna";
  doc.date = "2022-03-29";
  std::string body;
  for (int w = 0; w < words; ++w) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    body += kVocabulary[(state >> 33) % kWords];
    body += (w % 17 == 16) ? ". " : " ";
  }
  doc.text = doc.title + "\n\n" + body;
  doc.raw = "{\"title\":\"" + doc.title + "\",\"body\":\"" + body + "\",\"n\":" + std::to_string(i) + "}";
  doc.spans = {{0, static_cast<uint32_t>(doc.title.size()), SpanKind::kTitle, "", "", {}},
               {static_cast<uint32_t>(doc.title.size() + 2),
                static_cast<uint32_t>(doc.text.size()),
                SpanKind::kParagraph,
                "",
                "",
                {}}};
  return doc;
}

TEST(ContentDictionary, FramesAreSmallerAndReadOnlyWithTheirDictionary) {
  std::vector<std::string> payloads;
  for (int i = 0; i < 300; ++i) {
    const Document doc = GeneratedItem(i);
    payloads.push_back(VersionContentPayload(doc.text, doc.spans, doc.raw));
  }
  auto trained = TrainContentDictionary(payloads, 16 << 10);
  ASSERT_TRUE(trained.ok()) << trained.status().ToString();
  EXPECT_LE(trained->size(), size_t{16} << 10);
  auto dictionary = ContentDictionary::Load(*trained);
  ASSERT_TRUE(dictionary.ok()) << dictionary.status().ToString();
  EXPECT_NE((*dictionary)->id(), 0u);

  ContentReader with, without;
  with.AddDictionary(*dictionary);
  size_t plain_bytes = 0, dictionary_bytes = 0;
  for (int i = 1000; i < 1050; ++i) {  // items the dictionary was not trained on
    const Document doc = GeneratedItem(i);
    const std::string plain = EncodeVersionContent(doc.text, doc.spans, doc.raw);
    const std::string small = EncodeVersionContent(doc.text, doc.spans, doc.raw, dictionary->get());
    EXPECT_EQ(VersionContentDictionaryId(plain), 0u);
    EXPECT_EQ(VersionContentDictionaryId(small), (*dictionary)->id());
    plain_bytes += plain.size();
    dictionary_bytes += small.size();
    for (const std::string* frame : {&plain, &small}) {
      std::string text, raw;
      std::vector<Span> spans;
      ASSERT_TRUE(with.Decode(*frame, &text, &spans, &raw).ok());
      EXPECT_EQ(text, doc.text);
      EXPECT_EQ(raw, doc.raw);
      EXPECT_EQ(spans.size(), doc.spans.size());
    }
    std::string text;
    std::vector<Span> spans;
    const Status missing = without.Decode(small, &text, &spans, nullptr);
    EXPECT_EQ(missing.code(), StatusCode::kCorrupt);
    EXPECT_NE(missing.message().find("dictionary " + std::to_string((*dictionary)->id())), std::string::npos)
        << missing.message();
  }
  EXPECT_LT(dictionary_bytes * 10, plain_bytes * 8) << dictionary_bytes << " vs " << plain_bytes;
}

TEST(ContentDictionary, TooLittleToLearnFromOrNotADictionary) {
  auto trained = TrainContentDictionary({"a", "b"});
  EXPECT_EQ(trained.status().code(), StatusCode::kBadInput);
  EXPECT_EQ(ContentDictionary::Load("not a dictionary").status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(ContentDictionary::Load("").status().code(), StatusCode::kCorrupt);
}

// Runs `sql` on the store file at `path` behind the Store's back (to damage
// or age it).
void ExecSql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

// Adds items first..last (inclusive) to the store in one transaction.
void AddItems(Store& store, int first, int last) {
  ASSERT_TRUE(store.Begin().ok());
  for (int i = first; i <= last; ++i) {
    auto added = store.Add(GeneratedItem(i));
    ASSERT_TRUE(added.ok()) << added.status().ToString();
  }
  ASSERT_TRUE(store.Commit().ok());
}

// Every item first..last reads back whole from `store` (docno i).
void ExpectItems(const Store& store, int first, int last) {
  for (int i = first; i <= last; ++i) {
    const Document want = GeneratedItem(i);
    auto v = store.Get(i, true);
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_EQ(v->doc.text, want.text);
    EXPECT_EQ(v->doc.raw, want.raw);
    ASSERT_EQ(v->doc.spans.size(), want.spans.size());
    EXPECT_EQ(v->doc.spans[1].end, want.spans[1].end);
  }
}

// The dictionary ids of the store's frames, by docno.
std::vector<uint32_t> FrameDictionaries(const std::string& path) {
  std::vector<uint32_t> ids;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT content FROM versions ORDER BY docno", -1, &stmt, nullptr), SQLITE_OK);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    const std::string_view frame(static_cast<const char*>(sqlite3_column_blob(stmt, 0)),
                                 static_cast<size_t>(sqlite3_column_bytes(stmt, 0)));
    ids.push_back(VersionContentDictionaryId(frame));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return ids;
}

int64_t ContentBytes(const Store& store) {
  auto breakdown = store.SizeBreakdown();
  EXPECT_TRUE(breakdown.ok());
  for (const auto& [name, bytes] : *breakdown) {
    if (name.rfind("versions.content", 0) == 0) return bytes;
  }
  return -1;
}

TEST(StoreContentCompression, TrainsWhenDueReencodesAndEveryReaderKeepsReading) {
  testing::TempDir dir;
  const std::string path = dir / "s.sqlite";
  auto store = Store::Open(path, true, false);
  ASSERT_TRUE(store.ok());
  AddItems(**store, 1, 119);
  ContentCompaction options;
  options.min_versions = 120;
  options.retrain_growth = 2;
  options.samples = 200;
  options.chunk = 7;  // several transactions
  // Not due below min_versions.
  auto none = (*store)->CompressContent(options);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE(none->trained);
  EXPECT_EQ(none->reencoded, 0);
  EXPECT_EQ((*store)->content_dictionary(), nullptr);
  AddItems(**store, 120, 120);
  auto reader = Store::Open(path, false, true);  // opened before any dictionary exists
  ASSERT_TRUE(reader.ok());
  const int64_t plain_bytes = ContentBytes(**store);

  auto first = (*store)->CompressContent(options);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->trained);
  EXPECT_EQ(first->reencoded, 120);
  ASSERT_NE((*store)->content_dictionary(), nullptr);
  const uint32_t first_id = (*store)->content_dictionary()->id();
  EXPECT_EQ(FrameDictionaries(path), std::vector<uint32_t>(120, first_id));
  EXPECT_LT(ContentBytes(**store) * 10, plain_bytes * 8);
  ExpectItems(**store, 1, 120);
  ExpectItems(**reader, 1, 120);  // loads the dictionary it had not seen
  auto again = (*store)->CompressContent(options);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->trained);
  EXPECT_EQ(again->reencoded, 0);

  // New versions are written with the dictionary; at twice the size, a new one.
  AddItems(**store, 121, 240);
  EXPECT_EQ(FrameDictionaries(path), std::vector<uint32_t>(240, first_id));
  auto second = (*store)->CompressContent(options);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_TRUE(second->trained);
  EXPECT_EQ(second->reencoded, 240);
  const uint32_t second_id = (*store)->content_dictionary()->id();
  EXPECT_NE(second_id, first_id);
  EXPECT_EQ(FrameDictionaries(path), std::vector<uint32_t>(240, second_id));
  ExpectItems(**reader, 1, 240);
  auto breakdown = (*store)->SizeBreakdown();
  ASSERT_TRUE(breakdown.ok());
  bool listed = false;
  for (const auto& [name, bytes] : *breakdown) listed = listed || name == "content dictionaries (2, zstd)";
  EXPECT_TRUE(listed);
}

TEST(StoreContentCompression, AProcessKilledMidReencodingLeavesAStoreThatFinishes) {
  testing::TempDir dir;
  constexpr int kCount = 300;
  const std::string pristine = dir / "pristine.sqlite";
  {
    auto store = Store::Open(pristine, true, false);
    ASSERT_TRUE(store.ok());
    AddItems(**store, 1, kCount);
  }
  ContentCompaction options;
  options.min_versions = 100;
  options.chunk = 3;
  for (const int delay_ms : {0, 5, 20, 60, 150}) {
    SCOPED_TRACE("killed after " + std::to_string(delay_ms) + " ms");
    const std::string path = dir / ("s" + std::to_string(delay_ms) + ".sqlite");
    std::filesystem::copy_file(pristine, path);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto store = Store::Open(path, false, false);
      _exit(store.ok() && (*store)->CompressContent(options).ok() ? 0 : 1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(child, SIGKILL);
    int wstatus = 0;
    waitpid(child, &wstatus, 0);
    EXPECT_TRUE(WIFSIGNALED(wstatus) || (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0));
    auto store = Store::Open(path, false, false);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ExpectItems(**store, 1, kCount);  // readable at whatever moment it stopped
    auto finished = (*store)->CompressContent(options);
    ASSERT_TRUE(finished.ok()) << finished.status().ToString();
    ASSERT_NE((*store)->content_dictionary(), nullptr);
    EXPECT_EQ(FrameDictionaries(path), std::vector<uint32_t>(kCount, (*store)->content_dictionary()->id()));
    ExpectItems(**store, 1, kCount);
  }
}

TEST(StoreContentCompression, TooLittleToLearnFromIsSaidAndChangesNothing) {
  testing::TempDir dir;
  const std::string path = dir / "s.sqlite";
  auto store = Store::Open(path, true, false);
  ASSERT_TRUE(store.ok());
  AddItems(**store, 1, 2);
  ContentCompaction options;
  options.min_versions = 2;
  auto compressed = (*store)->CompressContent(options);
  ASSERT_TRUE(compressed.ok()) << compressed.status().ToString();
  EXPECT_TRUE(compressed->training_failed);
  EXPECT_FALSE(compressed->trained);
  EXPECT_EQ((*store)->content_dictionary(), nullptr);
  EXPECT_EQ(FrameDictionaries(path), std::vector<uint32_t>(2, 0u));
  ExpectItems(**store, 1, 2);
}

TEST(StoreContentCompression, ADamagedDictionaryCostsOnlyItsFrames) {
  testing::TempDir dir;
  const std::string path = dir / "s.sqlite";
  {
    auto store = Store::Open(path, true, false);
    ASSERT_TRUE(store.ok());
    AddItems(**store, 1, 150);
    ContentCompaction options;
    options.min_versions = 150;
    auto compressed = (*store)->CompressContent(options);
    ASSERT_TRUE(compressed.ok() && compressed->trained) << compressed.status().ToString();
  }
  ExecSql(path, "UPDATE content_dictionaries SET dict = zeroblob(length(dict))");
  auto store = Store::Open(path, false, false);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->content_dictionary(), nullptr);  // new frames are written without it
  auto lost = (*store)->Get(7, true);
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(lost.status().message().find("docno 7"), std::string::npos) << lost.status().message();
  EXPECT_NE(lost.status().message().find("dictionary"), std::string::npos) << lost.status().message();
  AddItems(**store, 151, 151);
  ExpectItems(**store, 151, 151);
  EXPECT_TRUE((*store)->SizeBreakdown().ok());
  // Nothing readable to train on: said, and nothing changes.
  ContentCompaction options;
  options.min_versions = 150;
  auto compressed = (*store)->CompressContent(options);
  ASSERT_TRUE(compressed.ok()) << compressed.status().ToString();
  EXPECT_TRUE(compressed->training_failed);
  EXPECT_EQ(compressed->reencoded, 0);
  EXPECT_EQ((*store)->Get(7, true).status().code(), StatusCode::kCorrupt);
  ExpectItems(**store, 151, 151);
}

TEST(StoreContentCompression, AReadOnlyOpenReadsASchema3Store) {
  testing::TempDir dir;
  const std::string path = dir / "s.sqlite";
  {
    auto store = Store::Open(path, true, false);
    ASSERT_TRUE(store.ok());
    AddItems(**store, 1, 3);
  }
  ExecSql(path, "DROP TABLE content_dictionaries; PRAGMA user_version=3");
  {
    auto reader = Store::Open(path, false, true);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    ExpectItems(**reader, 1, 3);
    EXPECT_TRUE((*reader)->SizeBreakdown().ok());
  }
  auto writer = Store::Open(path, false, false);  // adds the table
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ContentCompaction options;
  options.min_versions = 1000;
  auto compressed = (*writer)->CompressContent(options);
  ASSERT_TRUE(compressed.ok()) << compressed.status().ToString();
  EXPECT_FALSE(compressed->trained);
  EXPECT_EQ(compressed->reencoded, 0);
}

}  // namespace
}  // namespace echotrace

// Ingest's first stage and extraction on bad and odd input.
#include "ingest/reader.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "extract/extract.h"
#include "test_util.h"

namespace echotrace {
namespace {

using testing::TempDir;
using testing::WriteFile;

struct ReadAll {
  Status status;
  std::vector<RawRecord> records;
  std::vector<InputIssue> issues;
};

ReadAll Read(const std::string& path, ReadLimits limits = {}) {
  ReadAll all;
  all.status = ReadInput(
      {path, -1}, limits,
      [&](RawRecord&& r) {
        all.records.push_back(std::move(r));
        return Status::Ok();
      },
      &all.issues);
  return all;
}

std::string Gzip(const std::string& data) {
  std::string out(compressBound(data.size()) + 64, '\0');
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string Zstd(const std::string& data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3));
  return out;
}

const std::string kTwoLines =
    "{\"id\":\"a1\",\"title\":\"First\",\"body\":\"Pyongyang, May 1 (KCNA) -- One.\\nTwo.\",\"date\":\"2024-05-01\"}\n"
    "{\"id\":\"a2\",\"title\":\"Second\",\"body\":\"\",\"date\":\"2024-05-02\",\"source\":\"KCNA\"}\n";

TEST(DetectFormat, FromContentNotOnlyName) {
  EXPECT_EQ(DetectFormat("{\"title\":\"x\"}\n", "a.txt"), InputFormat::kJsonLine);
  EXPECT_EQ(DetectFormat("{snip}\nKim said", "a.txt"), InputFormat::kText);
  EXPECT_EQ(DetectFormat("{snip}\nKim said", "a.jsonl"), InputFormat::kJsonLine);
  EXPECT_EQ(DetectFormat("\xEF\xBB\xBF  <!DOCTYPE html><html>", "page"), InputFormat::kHtml);
  EXPECT_EQ(DetectFormat("<p>Text</p>", "a.txt"), InputFormat::kHtml);
  EXPECT_EQ(DetectFormat("Title\n\nBody with <b> inside", "a.txt"), InputFormat::kText);
}

TEST(ReadInput, JsonLinesPlainGzipAndZstdGiveTheSameRecords) {
  TempDir dir;
  WriteFile(dir / "a.jsonl", kTwoLines);
  WriteFile(dir / "b.jsonl.gz", Gzip(kTwoLines));
  WriteFile(dir / "c.data", Zstd(kTwoLines));  // detected by magic, not by name
  for (const char* name : {"a.jsonl", "b.jsonl.gz", "c.data"}) {
    ReadAll all = Read(dir / name);
    ASSERT_TRUE(all.status.ok()) << name << ": " << all.status.ToString();
    ASSERT_EQ(all.records.size(), 2u) << name;
    EXPECT_EQ(all.records[0].format, InputFormat::kJsonLine);
    EXPECT_EQ(all.records[1].line, 2u);
    EXPECT_EQ(all.records[1].bytes,
              kTwoLines.substr(kTwoLines.find('\n') + 1, kTwoLines.size() - kTwoLines.find('\n') - 2));
  }
}

TEST(ReadInput, TruncatedCompressedStreamIsAnError) {
  TempDir dir;
  std::string big;
  for (int i = 0; i < 2000; ++i) big += kTwoLines;
  const std::string gz = Gzip(big);
  WriteFile(dir / "t.jsonl.gz", gz.substr(0, gz.size() / 2));
  EXPECT_EQ(Read(dir / "t.jsonl.gz").status.code(), StatusCode::kBadInput);
  const std::string zst = Zstd(big);
  WriteFile(dir / "t.jsonl.zst", zst.substr(0, zst.size() / 2));
  EXPECT_EQ(Read(dir / "t.jsonl.zst").status.code(), StatusCode::kBadInput);
}

TEST(ReadInput, EmptyAndBinaryFilesAreRefused) {
  TempDir dir;
  WriteFile(dir / "empty.txt", "");
  WriteFile(dir / "blank.txt", "  \n\n\t\n");
  WriteFile(dir / "junk.bin", std::string("\x7f"
                                          "ELF\x02\x01\x01\0\0\0\0",
                                          12) +
                                  std::string(500, '\x01'));
  for (const char* name : {"empty.txt", "blank.txt", "junk.bin"}) {
    ReadAll all = Read(dir / name);
    EXPECT_EQ(all.status.code(), StatusCode::kBadInput) << name;
    EXPECT_NE(all.status.message().find(name), std::string::npos) << "the error names the file";
    EXPECT_TRUE(all.records.empty());
  }
}

TEST(ReadInput, OverLongLineIsSkippedAndTheRestRead) {
  TempDir dir;
  ReadLimits limits;
  limits.max_line_bytes = 1000;
  WriteFile(dir / "long.jsonl",
            "{\"title\":\"a\"}\n{\"title\":\"" + std::string(300000, 'x') + "\"}\n{\"title\":\"c\"}\n");
  ReadAll all = Read(dir / "long.jsonl", limits);
  ASSERT_TRUE(all.status.ok());
  ASSERT_EQ(all.records.size(), 2u);
  EXPECT_EQ(all.records[1].line, 3u);
  ASSERT_EQ(all.issues.size(), 1u);
  EXPECT_TRUE(all.issues[0].is_error);
  EXPECT_NE(all.issues[0].where.find(":2"), std::string::npos);
}

TEST(ReadInput, HugeDocumentIsRefusedNotLoaded) {
  TempDir dir;
  ReadLimits limits;
  limits.max_document_bytes = 1 << 20;
  WriteFile(dir / "huge.txt", "Title\n\n" + std::string(3 << 20, 'a'));
  EXPECT_EQ(Read(dir / "huge.txt", limits).status.code(), StatusCode::kBadInput);
}

TEST(ExpandInputs, WalksFoldersSkipsNonArticlesReportsMissing) {
  TempDir dir;
  WriteFile(dir / "b/two.txt", "Two\n\nBody.");
  WriteFile(dir / "a/one.html", "<p>One</p>");
  WriteFile(dir / "a/.hidden.txt", "secret");
  WriteFile(dir / "a/picture.png", "png");
  WriteFile(dir / "only-readme/README.md", "# readme");
  std::vector<InputIssue> issues;
  auto files = ExpandInputs({dir.path(), dir / "missing.txt", dir / "only-readme"}, &issues);
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 2u);
  EXPECT_NE((*files)[0].path.find("a/one.html"), std::string::npos) << "sorted";
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_NE(issues[0].message.find("no such file"), std::string::npos);
  EXPECT_NE(issues[1].message.find("no readable article files"), std::string::npos);
  EXPECT_EQ(ExpandInputs({dir / "only-readme"}, nullptr).status().code(), StatusCode::kNotFound);
}

TEST(Extract, TruncatedAndMalformedJsonAreBadInput) {
  auto truncated = Extract("{\"title\":\"Kim Jong Un inspects", InputFormat::kJsonLine, "x.jsonl:3");
  EXPECT_EQ(truncated.status().code(), StatusCode::kBadInput);
  EXPECT_NE(truncated.status().message().find("truncated"), std::string::npos);
  EXPECT_EQ(Extract("[1,2]", InputFormat::kJsonLine, "").status().code(), StatusCode::kBadInput);
  EXPECT_EQ(Extract("{\"date\":\"2024-01-01\"}", InputFormat::kJsonLine, "").status().code(), StatusCode::kBadInput);
}

TEST(Extract, MalformedUtf8IsRepairedAndReported) {
  auto doc = Extract("{\"title\":\"Kim \xff\xfe Jong Un\",\"body\":\"Text \xc3\x28.\"}", InputFormat::kJsonLine, "");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_NE(doc->title.find("\xEF\xBF\xBD"), std::string::npos);
  ASSERT_EQ(doc->warnings.size(), 1u);
  EXPECT_NE(doc->warnings[0].find("malformed UTF-8"), std::string::npos);
  EXPECT_EQ(doc->raw.find("\xff"), 14u) << "raw bytes are kept as they came";
}

TEST(Extract, JsonFieldsAndParagraphs) {
  auto doc = Extract(kTwoLines.substr(0, kTwoLines.find('\n')), InputFormat::kJsonLine, "f:1");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->title, "First");
  EXPECT_EQ(doc->date, "2024-05-01");
  EXPECT_EQ(doc->external_id, "a1");
  EXPECT_EQ(doc->Body(), "Pyongyang, May 1 (KCNA) -- One.\n\nTwo.");
  EXPECT_FALSE(doc->IsHeadlineStub());
  auto stub = Extract(kTwoLines.substr(kTwoLines.find('\n') + 1), InputFormat::kJsonLine, "f:2");
  ASSERT_TRUE(stub.ok());
  EXPECT_TRUE(stub->IsHeadlineStub());
  EXPECT_EQ(stub->source, "kcna");
}

TEST(NormalizeMetadataDate, FormsAndInvalidDates) {
  std::string iso;
  EXPECT_TRUE(NormalizeMetadataDate("2022-03-29T08:59:00+08:00", &iso));
  EXPECT_EQ(iso, "2022-03-29");
  EXPECT_TRUE(NormalizeMetadataDate("1711929600000", &iso));
  EXPECT_EQ(iso, "2024-04-01");
  iso = "kept";
  EXPECT_FALSE(NormalizeMetadataDate("2023-02-29", &iso));
  EXPECT_FALSE(NormalizeMetadataDate("yesterday", &iso));
  EXPECT_EQ(iso, "kept");
}

TEST(Extract, DeeplyNestedHtmlDoesNotExhaustTheStack) {
  std::string html = "<html><body>";
  for (int i = 0; i < 20000; ++i) html += "<span>";
  html += "<p>Deep text.</p></body></html>";
  auto doc = Extract(html, InputFormat::kHtml, "deep.html");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_NE(doc->Body().find("Deep text."), std::string::npos);
}

// One raw NUL byte costs only its own line: the valid lines around it are kept.
TEST(ReadInput, NulByteLosesOnlyItsLine) {
  TempDir dir;
  for (const char* name : {"nul.jsonl", "nul-unnamed"}) {
    const std::string line1 = R"({"title": "First", "body": "One."})";
    const std::string line3 = R"({"title": "Third", "body": "Three."})";
    WriteFile(dir / name,
              line1 + "\n" + std::string("{\"title\": \"Bad\0\", \"body\": \"x\"}", 29) + "\n" + line3 + "\n");
    ReadAll all = Read(dir / name);
    ASSERT_TRUE(all.status.ok()) << name << ": " << all.status.ToString();
    ASSERT_EQ(all.records.size(), 2u) << name;
    EXPECT_EQ(all.records[0].line, 1u);
    EXPECT_EQ(all.records[1].line, 3u);
    ASSERT_EQ(all.issues.size(), 1u) << name;
    EXPECT_TRUE(all.issues[0].is_error);
    EXPECT_NE(all.issues[0].where.find(":2"), std::string::npos) << all.issues[0].where;
    EXPECT_NE(all.issues[0].message.find("NUL"), std::string::npos) << all.issues[0].message;
  }
  // A text file with a NUL is still binary, refused whole.
  WriteFile(dir / "bin.txt", std::string("Title\n\nBody\0text", 17));
  EXPECT_FALSE(Read(dir / "bin.txt").status.ok());
}

// A sub-folder that cannot be read is reported, not silently skipped.
TEST(ExpandInputs, UnreadableSubfolderIsReported) {
  if (geteuid() == 0) GTEST_SKIP() << "running as root: permissions do not stop reads";
  TempDir dir;
  WriteFile(dir / "top/a.txt", "Title\n\nBody.");
  WriteFile(dir / "top/locked/b.txt", "Title\n\nBody.");
  std::filesystem::permissions(dir / "top/locked", std::filesystem::perms::none);
  std::vector<InputIssue> issues;
  auto files = ExpandInputs({dir / "top"}, &issues);
  std::filesystem::permissions(dir / "top/locked", std::filesystem::perms::owner_all);
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->size(), 1u);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_TRUE(issues[0].is_error);
  EXPECT_NE(issues[0].where.find("locked"), std::string::npos);
}

}  // namespace
}  // namespace echotrace

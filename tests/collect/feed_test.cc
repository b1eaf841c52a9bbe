// The collect stage's parsers: feeds, sitemaps, listings, robots.txt,
// sources files, URLs, digests and WARC records.
#include "collect/feed.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "collect/fetch.h"
#include "collect/sources.h"
#include "collect/warc.h"

namespace echotrace {
namespace {

std::vector<std::string> Urls(const FeedParse& parse) {
  std::vector<std::string> out;
  for (const FeedItem& item : parse.items) out.push_back(item.url);
  return out;
}

TEST(Feed, Rss2WithRelativeLinksGuidsAndDuplicates) {
  auto parse = ParseFeed(
      "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>KCNA</title>"
      "<item><title>One</title><link>/en/article/1</link><pubDate>Mon, 30 Nov 2026 08:00:00 +0900</pubDate></item>"
      "<item><title>Two</title><guid>http://kcna.kp/en/article/2</guid></item>"
      "<item><title>Three</title><guid isPermaLink=\"false\">tag:3</guid></item>"
      "<item><title>One again</title><link>http://kcna.kp/en/article/1#top</link></item>"
      "</channel></rss>",
      "http://kcna.kp/en/rss.xml");
  ASSERT_TRUE(parse.ok()) << parse.status().ToString();
  EXPECT_EQ(parse->kind, FeedKind::kRss);
  EXPECT_EQ(Urls(*parse), (std::vector<std::string>{"http://kcna.kp/en/article/1", "http://kcna.kp/en/article/2"}));
  EXPECT_EQ(parse->items[0].title, "One");
  EXPECT_EQ(parse->items[0].date, "Mon, 30 Nov 2026 08:00:00 +0900");
  EXPECT_TRUE(parse->warning.empty());
}

TEST(Feed, AtomPrefersTheAlternateLink) {
  auto parse = ParseFeed(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>A</title>"
      "<link rel=\"self\" href=\"http://x.org/self\"/><link rel=\"alternate\" href=\"http://x.org/a\"/>"
      "<updated>2026-11-30T00:00:00Z</updated></entry></feed>",
      "http://x.org/feed");
  ASSERT_TRUE(parse.ok());
  EXPECT_EQ(parse->kind, FeedKind::kAtom);
  EXPECT_EQ(Urls(*parse), std::vector<std::string>{"http://x.org/a"});
  EXPECT_EQ(parse->items[0].date, "2026-11-30T00:00:00Z");
}

TEST(Feed, NewsSitemapAndSitemapIndex) {
  auto news = ParseFeed(
      "<urlset xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\"><url><loc>http://x.org/1</loc>"
      "<lastmod>2026-11-01</lastmod><news:news><news:publication_date>2026-11-02</news:publication_date>"
      "<news:title>Hello</news:title></news:news></url></urlset>",
      "http://x.org/sitemap.xml");
  ASSERT_TRUE(news.ok());
  EXPECT_EQ(news->kind, FeedKind::kSitemap);
  ASSERT_EQ(news->items.size(), 1u);
  EXPECT_EQ(news->items[0].title, "Hello");
  EXPECT_EQ(news->items[0].date, "2026-11-02");
  auto index = ParseFeed("<sitemapindex><sitemap><loc>http://x.org/s1.xml</loc></sitemap></sitemapindex>", "");
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->kind, FeedKind::kSitemapIndex);
  EXPECT_EQ(Urls(*index), std::vector<std::string>{"http://x.org/s1.xml"});
}

TEST(Feed, MalformedKeepsWhatCameBeforeTheBreak) {
  auto parse = ParseFeed(
      "<rss><channel><item><link>http://x.org/1</link></item><item><link>http://x.org/2</link></item>"
      "<item><link>http://x.org/3</li",
      "");
  ASSERT_TRUE(parse.ok()) << parse.status().ToString();
  EXPECT_FALSE(parse->warning.empty());
  EXPECT_GE(parse->items.size(), 2u);
  EXPECT_EQ(parse->items[0].url, "http://x.org/1");
  // Not a feed at all.
  auto html = ParseFeed("<html><body>hi</body></html>", "");
  ASSERT_FALSE(html.ok());
  EXPECT_EQ(html.status().code(), StatusCode::kBadInput);
  EXPECT_NE(html.status().message().find("<html>"), std::string::npos);
  EXPECT_FALSE(ParseFeed("", "").ok());
  EXPECT_FALSE(ParseFeed("\x1f\x8b binary", "").ok());
}

TEST(Feed, ListingLinksByGlob) {
  const FeedParse listing = ParseListing(
      "<a href=\"/en/article/1\">1</a> <A HREF = 'article/2?x=1&amp;y=2'>2</A> <a href=/en/about>a</a>"
      "<a href=\"/en/article/1\">again</a><a href=\"",
      "http://kcna.kp/en/index.html", "http://kcna.kp/en/article/*");
  EXPECT_EQ(Urls(listing),
            (std::vector<std::string>{"http://kcna.kp/en/article/1", "http://kcna.kp/en/article/2?x=1&y=2"}));
  EXPECT_TRUE(GlobMatch("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(GlobMatch("a*b*c", "aXXbYY"));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_FALSE(GlobMatch("abc", "abcd"));
}

TEST(Fetch, ResolveAndHost) {
  EXPECT_EQ(ResolveUrl("http://x.org/a/b.html", "c.html"), "http://x.org/a/c.html");
  EXPECT_EQ(ResolveUrl("http://x.org/a/b.html", "../c"), "http://x.org/c");
  EXPECT_EQ(ResolveUrl("http://x.org/a/b.html", "/c"), "http://x.org/c");
  EXPECT_EQ(ResolveUrl("https://x.org/a", "//y.org/z"), "https://y.org/z");
  EXPECT_EQ(ResolveUrl("http://x.org", "c"), "http://x.org/c");
  EXPECT_EQ(ResolveUrl("http://x.org/a?q", "?r"), "http://x.org/a?r");
  EXPECT_EQ(HostOf("http://User@X.org:8080/a"), "x.org:8080");
  EXPECT_EQ(HostOf("ftp://x.org/"), "");
  EXPECT_EQ(HostOf("file:///etc/passwd"), "");
}

TEST(Fetch, RobotsGroupsAndLongestMatch) {
  const std::string robots =
      "User-agent: *\nDisallow: /\n\nUser-agent: echotrace-collector\nUser-agent: other\n"
      "Disallow: /private/\nAllow: /private/open/\n# comment\n";
  const RobotsRules mine = ParseRobots(robots, "echotrace-collector/0.1 (+https://x)");
  EXPECT_TRUE(mine.Allows("/en/article/1"));
  EXPECT_FALSE(mine.Allows("/private/x"));
  EXPECT_TRUE(mine.Allows("/private/open/x"));
  const RobotsRules others = ParseRobots(robots, "SomeBot/1.0");
  EXPECT_FALSE(others.Allows("/en/article/1"));
  EXPECT_TRUE(ParseRobots("", "x").Allows("/"));
  EXPECT_TRUE(ParseRobots("User-agent: *\nDisallow:\n", "x").Allows("/a"));
}

TEST(Fetch, Digests) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Base32(""), "sha256:4OYMIQUY7QOBJGX36TEJS35ZEQT24QPEMSNZGTFESWMRW6CSXBKQ====");
  EXPECT_EQ(Sha256Base32("hello"), "sha256:FTZE3OS7WCRQ4JXIHMVMLOPCTYNRMHS4D6TUEXTTAQZWFE4LTASA====");
}

TEST(Sources, ParsesAndRejectsWithTheLine) {
  auto config = ParseSources(
      "[collect]\nper_host_delay = \"2s\"\ntimeout = \"500ms\"\nrobots = false\nwebhook = \"http://h/hook\"\n\n"
      "[[source]]\nname = \"kcna\"\nurl = \"http://kcna.kp/rss\"\noutlet = \"kcna\"\n\n"
      "[[source]]\nname = \"list\"\nurl = \"http://x.org/\"\npattern = \"http://x.org/a/*\"\n",
      "s.toml");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  ASSERT_EQ(config->sources.size(), 2u);
  EXPECT_EQ(config->sources[0].outlet, "kcna");
  EXPECT_EQ(config->sources[1].pattern, "http://x.org/a/*");
  EXPECT_EQ(config->fetch.per_host_delay, std::chrono::milliseconds(2000));
  EXPECT_EQ(config->fetch.timeout_ms, 500);
  EXPECT_FALSE(config->fetch.obey_robots);
  EXPECT_EQ(config->webhook, "http://h/hook");

  auto typo = ParseSources("[[source]]\nname = \"a\"\nurl = \"http://a/\"\nurll = \"x\"\n", "s.toml");
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.status().code(), StatusCode::kUsage);
  EXPECT_NE(typo.status().message().find("s.toml:4: unknown key 'urll' (valid: name, url, pattern, outlet)"),
            std::string::npos)
      << typo.status().message();
  auto duplicate =
      ParseSources("[[source]]\nname=\"a\"\nurl=\"http://a/\"\n[[source]]\nname=\"a\"\nurl=\"http://b/\"\n", "s.toml");
  ASSERT_FALSE(duplicate.ok());
  EXPECT_NE(duplicate.status().message().find("two sources are named 'a'"), std::string::npos);
  EXPECT_FALSE(ParseSources("[[source]]\nname=\"a\"\nurl=\"file:///etc\"\n", "s.toml").ok());
  EXPECT_FALSE(ParseSources("[collect]\ntimeout = \"soon\"\n", "s.toml").ok());
  auto syntax = ParseSources("[[source]\n", "s.toml");
  ASSERT_FALSE(syntax.ok());
  EXPECT_NE(syntax.status().message().find("s.toml:1"), std::string::npos) << syntax.status().message();
  EXPECT_EQ(LoadSources("/nonexistent/s.toml").status().code(), StatusCode::kNotFound);
  EXPECT_DOUBLE_EQ(*ParseDurationSeconds("15m"), 900);
  EXPECT_DOUBLE_EQ(*ParseDurationSeconds("2h"), 7200);
  EXPECT_FALSE(ParseDurationSeconds("-1s").ok());
  // Over 30 days, infinite or not a number: refused (they overflowed the
  // conversion to milliseconds; found by fuzz_feed).
  EXPECT_DOUBLE_EQ(*ParseDurationSeconds("720h"), kMaxDurationSeconds);
  for (const char* huge : {"721h", "55666666666666666666666666666", "inf", "nan", "1e308h"}) {
    EXPECT_EQ(ParseDurationSeconds(huge).status().code(), StatusCode::kUsage) << huge;
  }
  auto timeout = ParseSources("[collect]\ntimeout = \"55666666666666666666666666666\"\n", "s.toml");
  ASSERT_FALSE(timeout.ok());
  EXPECT_NE(timeout.status().message().find("30 days"), std::string::npos) << timeout.status().message();
}

TEST(Sources, NumbersOutOfRangeOrOfTheWrongTypeAreRefusedWithTheLine) {
  auto fine = ParseSources("[collect]\nmax_bytes = 2048\nmax_redirects = 0\nwebhook_attempts = 20\n", "s.toml");
  ASSERT_TRUE(fine.ok()) << fine.status().ToString();
  EXPECT_EQ(fine->fetch.max_bytes, 2048u);
  EXPECT_EQ(fine->fetch.max_redirects, 0);
  EXPECT_EQ(fine->webhook_attempts, 20);
  // A negative max_bytes cast to size_t would have lifted the bound; a
  // string or a float was silently replaced by the default.
  for (const char* bad : {"max_bytes = -1", "max_bytes = 0", "max_bytes = 9223372036854775807", "max_bytes = \"10MB\"",
                          "max_bytes = 2048.5", "max_redirects = -3", "max_redirects = 1000", "webhook_attempts = 0",
                          "robots = \"no\"", "user_agent = 7", "webhook = true"}) {
    auto refused = ParseSources(std::string("[collect]\n") + bad + "\n", "s.toml");
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.status().code(), StatusCode::kUsage) << bad;
    EXPECT_NE(refused.status().message().find("s.toml:2"), std::string::npos) << refused.status().message();
  }
}

std::string Gunzip(const std::string& in) {
  z_stream z{};
  inflateInit2(&z, 16 + MAX_WBITS);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  std::string out(1 << 20, '\0');
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

TEST(Warc, ResponseRecordLayout) {
  WarcResponse r;
  r.url = "http://kcna.kp/en/article/1";
  r.fetched_at = "2026-11-30T22:00:00Z";
  r.status_line = "HTTP/1.1 200 OK";
  r.headers = {{"Content-Type", "text/html"}, {"Transfer-Encoding", "chunked"}, {"X-Evil", "a\r\nWARC-Type: x"}};
  r.body = "<p>hello</p>";
  r.record_key = "capture 1";
  const std::string record = WarcResponseRecord(r, false);
  const std::string block =
      "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Echotrace-Original-Transfer-Encoding: chunked\r\n"
      "X-Evil: a  WARC-Type: x\r\n\r\n<p>hello</p>";
  EXPECT_EQ(record.rfind("WARC/1.1\r\nWARC-Type: response\r\n", 0), 0u);
  EXPECT_NE(record.find("WARC-Target-URI: http://kcna.kp/en/article/1\r\n"), std::string::npos);
  EXPECT_NE(record.find("WARC-Date: 2026-11-30T22:00:00Z\r\n"), std::string::npos);
  EXPECT_NE(record.find("Content-Type: application/http;msgtype=response\r\n"), std::string::npos);
  EXPECT_NE(record.find("WARC-Payload-Digest: " + Sha256Base32(r.body) + "\r\n"), std::string::npos);
  EXPECT_NE(record.find("WARC-Block-Digest: " + Sha256Base32(block) + "\r\n"), std::string::npos);
  EXPECT_NE(record.find("Content-Length: " + std::to_string(block.size()) + "\r\n\r\n" + block + "\r\n\r\n"),
            std::string::npos);
  EXPECT_NE(record.find("WARC-Record-ID: <urn:uuid:"), std::string::npos);
  // The same capture gets the same id; gzip wraps the same bytes.
  EXPECT_EQ(record, WarcResponseRecord(r, false));
  EXPECT_EQ(Gunzip(WarcResponseRecord(r, true)), record);
}

}  // namespace
}  // namespace echotrace

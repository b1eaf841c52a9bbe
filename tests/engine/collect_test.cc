// Collection against a fixture site that changes between polls: new items,
// an edit, deletions (404, 410, a redirect to the front page, a drop from
// the listing), restorations, and the network's misbehaviours (a malformed
// feed, a slow page, a redirect loop, an oversized body, robots.txt).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "collect_fixture.h"
#include "engine/engine.h"
#include "test_util.h"

namespace echotrace {
namespace {

using testing::ArticlePage;
using testing::FixturePage;
using testing::FixtureServer;
using testing::Page;
using testing::RssFeed;
using testing::TempDir;

CollectConfig Config(const FixtureServer& server, const std::vector<std::pair<std::string, std::string>>& feeds) {
  CollectConfig config;
  for (const auto& [name, path] : feeds) config.sources.push_back({name, server.Url(path), "", "kcna"});
  config.fetch.per_host_delay = std::chrono::milliseconds(0);
  config.fetch.timeout_ms = 1000;
  config.fetch.max_bytes = 256 << 10;
  return config;
}

std::string Body(int n, const std::string& extra = "") {
  return "Pyongyang, November " + std::to_string(n) +
         " (KCNA) -- The working people of the country held meeting number " + std::to_string(n) +
         " at the hall of culture.\n\nSpeakers stressed the need to increase production at every factory " +
         "and farm across the country this year." + extra;
}

// Ledger entries by URL path, in order.
std::map<std::string, std::vector<LedgerEntry>> ByPath(const FixtureServer& server,
                                                       const std::vector<LedgerView>& views) {
  std::map<std::string, std::vector<LedgerEntry>> out;
  const std::string prefix = server.Url("");
  for (const LedgerView& v : views) out[v.entry.url.substr(prefix.size())].push_back(v.entry);
  return out;
}

class CollectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Set("/robots.txt", Page(200, "User-agent: *\nDisallow: /private/\n", "text/plain"));
    server_.Set("/", Page(200, ArticlePage("Front page", "2026-11-01", "Welcome to the front page of the site.")));
    for (int i = 1; i <= 5; ++i) {
      FixturePage page =
          Page(200, ArticlePage("Meeting " + std::to_string(i), "2026-11-0" + std::to_string(i), Body(i)));
      if (i == 1) page.etag = "\"a1-v1\"";
      server_.Set("/a" + std::to_string(i), page);
    }
    server_.Set("/private/p", Page(200, ArticlePage("Private", "2026-11-01", Body(99))));
    server_.Set("/feed.xml",
                Page(200, RssFeed(server_, {"/a5", "/a4", "/a3", "/a2", "/a1", "/private/p"}), "application/rss+xml"));
    auto engine = Engine::Open(dir_.path(), Engine::Mode::kWrite);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(engine).value();
  }

  CollectReport Poll(const CollectConfig& config, std::string* before = nullptr, std::string* after = nullptr) {
    if (before) *before = UtcNowIso();
    auto report = engine_->Collect(config, {}, nullptr);
    if (after) *after = UtcNowIso();
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : CollectReport{};
  }

  FixtureServer server_;
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(CollectTest, LedgerRecordsEveryChangeWithItsStateAndTime) {
  const CollectConfig config = Config(server_, {{"fixture", "/feed.xml"}});

  // Poll 1: five new articles; the private one is refused by robots.txt.
  std::string before1, after1;
  CollectReport first = Poll(config, &before1, &after1);
  ASSERT_EQ(first.sources.size(), 1u);
  const SourceSummary& s1 = first.sources[0];
  EXPECT_EQ(s1.feed_kind, "rss");
  EXPECT_EQ(s1.items, 6);
  EXPECT_EQ(s1.new_articles, 5);
  EXPECT_EQ(s1.errors, 1);
  ASSERT_FALSE(s1.messages.empty());
  EXPECT_NE(s1.messages[0].find("robots.txt"), std::string::npos) << s1.messages[0];
  EXPECT_EQ(server_.Hits("/private/p"), 0);
  EXPECT_EQ(server_.Hits("/robots.txt"), 1);

  // A watchlist saved between polls records what later polls bring.
  WatchSpec watch;
  watch.name = "missiles";
  watch.query = "missile";
  auto now_matching = engine_->AddWatch(watch);
  ASSERT_TRUE(now_matching.ok()) << now_matching.status().ToString();
  EXPECT_EQ(*now_matching, 0);

  // Poll 2: a5 edited, a4 404, a3 410, a2 sent to the front page, a1
  // answers 304; a6 is new; a slow page, a redirect loop and an oversized
  // page are listed too.
  server_.Set("/a5",
              Page(200, ArticlePage("Meeting 5", "2026-11-05", Body(5, " A missile launch was also reported."))));
  server_.Set("/a4", Page(404, "gone"));
  server_.Set("/a3", Page(410, "gone for good"));
  server_.Set("/a2", Page(302, "", "text/html", "/"));
  server_.Set("/a6", Page(200, ArticlePage("Missile test", "2026-11-06", Body(6, " The missile flew far."))));
  server_.Set("/slow", Page(200, ArticlePage("Slow", "2026-11-06", Body(7)), "text/html", "", "", 3000));
  server_.Set("/loop1", Page(302, "", "text/html", "/loop2"));
  server_.Set("/loop2", Page(302, "", "text/html", "/loop1"));
  std::string big;
  for (int i = 0; big.size() < (400u << 10); ++i) big += "word" + std::to_string(i * 7919 % 100003) + " ";
  server_.Set("/big", Page(200, ArticlePage("Big", "2026-11-06", big)));
  server_.Set("/feed.xml",
              Page(200, RssFeed(server_, {"/a6", "/a5", "/a4", "/a3", "/a2", "/a1", "/slow", "/loop1", "/big"}),
                   "application/rss+xml"));
  std::string before2, after2;
  CollectReport second = Poll(config, &before2, &after2);
  const SourceSummary& s2 = second.sources[0];
  EXPECT_EQ(s2.new_articles, 1);
  EXPECT_EQ(s2.edited, 1);
  EXPECT_EQ(s2.gone, 3);
  EXPECT_EQ(s2.unchanged, 1);
  EXPECT_EQ(s2.errors, 3);
  std::string messages;
  for (const std::string& m : s2.messages) messages += m + "\n";
  EXPECT_NE(messages.find("/slow: timeout"), std::string::npos) << messages;
  EXPECT_NE(messages.find("/loop1: more than 5 redirects"), std::string::npos) << messages;
  EXPECT_NE(messages.find("/big: decoded body over"), std::string::npos) << messages;
  EXPECT_EQ(second.new_matches, 2);  // a6, and a5's new version

  // Poll 3: a4 is back as it was; a5 is taken out of the listing while
  // older items remain.
  server_.Set("/a4", Page(200, ArticlePage("Meeting 4", "2026-11-04", Body(4))));
  server_.Set("/feed.xml", Page(200, RssFeed(server_, {"/a6", "/a4", "/a3", "/a2", "/a1"}), "application/rss+xml"));
  std::string before3, after3;
  CollectReport third = Poll(config, &before3, &after3);
  EXPECT_EQ(third.sources[0].restored, 1);
  EXPECT_EQ(third.sources[0].gone, 1);
  EXPECT_EQ(third.sources[0].new_articles, 0);

  // Poll 4: a5 listed again: restored. Nothing else changes; a3 stays gone
  // without a second entry.
  server_.Set("/feed.xml",
              Page(200, RssFeed(server_, {"/a6", "/a5", "/a4", "/a3", "/a2", "/a1"}), "application/rss+xml"));
  std::string before4, after4;
  CollectReport fourth = Poll(config, &before4, &after4);
  EXPECT_EQ(fourth.sources[0].restored, 1);
  EXPECT_EQ(fourth.sources[0].gone, 0);
  EXPECT_EQ(fourth.sources[0].edited, 0);

  auto ledger = engine_->Ledger({});
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  auto by_path = ByPath(server_, *ledger);
  auto kinds = [&](const std::string& path) {
    std::vector<std::string> out;
    for (const LedgerEntry& e : by_path[path]) out.push_back(e.kind);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(kinds("/a1"), (V{"new"}));
  EXPECT_EQ(kinds("/a2"), (V{"new", "gone"}));
  EXPECT_EQ(kinds("/a3"), (V{"new", "gone"}));
  EXPECT_EQ(kinds("/a4"), (V{"new", "gone", "restored"}));
  EXPECT_EQ(kinds("/a5"), (V{"new", "edited", "gone", "restored"}));
  EXPECT_EQ(kinds("/a6"), (V{"new"}));
  EXPECT_TRUE(by_path["/slow"].empty());

  // Every entry is timed within the poll that saw it.
  auto within = [&](const std::string& path, size_t i, const std::string& from, const std::string& to) {
    ASSERT_GT(by_path[path].size(), i) << path;
    EXPECT_GE(by_path[path][i].at, from) << path << " " << by_path[path][i].kind;
    EXPECT_LE(by_path[path][i].at, to) << path << " " << by_path[path][i].kind;
  };
  for (const char* path : {"/a1", "/a2", "/a3", "/a4", "/a5"}) within(path, 0, before1, after1);
  within("/a6", 0, before2, after2);
  within("/a5", 1, before2, after2);  // edited
  within("/a2", 1, before2, after2);  // gone: front page
  within("/a3", 1, before2, after2);  // gone: 410
  within("/a5", 3, before4, after4);  // restored: listed again

  // Reasons and times: gone when first missed.
  const LedgerEntry& a4_gone = by_path["/a4"][1];
  EXPECT_EQ(a4_gone.reason, "HTTP 404");
  EXPECT_GE(a4_gone.at, before2);
  EXPECT_LE(a4_gone.at, after2);
  EXPECT_EQ(by_path["/a3"][1].reason, "HTTP 410");
  EXPECT_NE(by_path["/a2"][1].reason.find("front page"), std::string::npos) << by_path["/a2"][1].reason;
  const LedgerEntry& a5_dropped = by_path["/a5"][2];
  EXPECT_EQ(a5_dropped.reason, "dropped from the listing");
  EXPECT_GE(a5_dropped.at, before3);
  EXPECT_LE(a5_dropped.at, after3);
  EXPECT_GE(by_path["/a4"][2].at, before3);
  EXPECT_NE(by_path["/a4"][2].reason.find("HTTP 404"), std::string::npos);

  // The edit is a new version, and its diff names the added words.
  const LedgerEntry& edit = by_path["/a5"][1];
  ASSERT_NE(edit.previous_docno, 0);
  auto newer = engine_->Version(edit.docno);
  auto older = engine_->Version(edit.previous_docno);
  ASSERT_TRUE(newer.ok() && older.ok());
  EXPECT_EQ(newer->article_id, older->article_id);
  EXPECT_EQ(newer->seq, 2);
  EXPECT_NE(newer->doc.Body().find("missile launch"), std::string::npos);
  EXPECT_EQ(newer->doc.url, server_.Url("/a5"));
  EXPECT_EQ(newer->doc.source, "kcna");
  std::string inserted;
  for (const LedgerView& v : *ledger) {
    if (v.entry.id != edit.id) continue;
    for (const DiffWord& w : v.diff) {
      if (w.op == DiffOp::kInserted) inserted += w.quote + " ";
      EXPECT_NE(w.op, DiffOp::kOmitted) << w.origin;
    }
  }
  EXPECT_EQ(inserted, "A missile launch was also reported ");

  // Filters: by kind through the query, by time range.
  LedgerQuery gone_only;
  gone_only.kinds = {"gone"};
  auto gone = engine_->Ledger(gone_only);
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(gone->size(), 4u);
  LedgerQuery later;
  later.from = before3;
  auto recent = engine_->Ledger(later);
  ASSERT_TRUE(recent.ok());
  EXPECT_EQ(recent->size(), 3u);  // a4 restored, a5 gone, a5 restored

  // Captures: every fetch kept, gzip as it crossed the wire, with its hash.
  auto capture = engine_->Capture(edit.capture_id, true);
  ASSERT_TRUE(capture.ok()) << capture.status().ToString();
  EXPECT_EQ(capture->status, 200);
  EXPECT_EQ(capture->url, server_.Url("/a5"));
  bool gzipped = false;
  for (const auto& [name, value] : capture->headers)
    gzipped = gzipped || (name == "Content-Encoding" && value == "gzip");
  EXPECT_TRUE(gzipped);
  ASSERT_GE(capture->body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(capture->body[0]), 0x1f);
  EXPECT_EQ(capture->sha256, Sha256Hex(capture->body));

  // robots.txt is kept as a capture too, once per poll (one Fetcher each).
  auto ids = engine_->CaptureIds(0, 100000);
  ASSERT_TRUE(ids.ok());
  int robots_captures = 0;
  for (int64_t id : *ids) {
    auto c = engine_->Capture(id, true);
    ASSERT_TRUE(c.ok());
    if (c->url != server_.Url("/robots.txt")) continue;
    ++robots_captures;
    EXPECT_EQ(c->status, 200);
    EXPECT_GT(c->body_size, 0);
    EXPECT_EQ(c->sha256, Sha256Hex(c->body));
  }
  EXPECT_EQ(robots_captures, 4);

  // a1 was asked conditionally each time after the first and answered 304.
  EXPECT_EQ(server_.Hits("/a1"), 4);

  // The watchlist saw a6 and a5's new version, not the old ones.
  auto view = engine_->ShowWatch("missiles", 50);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  std::set<int64_t> matched;
  for (const WatchMatch& m : view->matches) matched.insert(m.docno);
  EXPECT_EQ(matched, (std::set<int64_t>{edit.docno, by_path["/a6"][0].docno}));
}

TEST_F(CollectTest, MalformedFeedKeepsItsItemsButDeletesNothing) {
  const CollectConfig config = Config(server_, {{"fixture", "/feed.xml"}});
  Poll(config);
  // Truncated XML listing only a5 and a4: items before the break are read,
  // and the others are not taken for deleted.
  std::string feed = RssFeed(server_, {"/a5", "/a4"});
  feed.resize(feed.size() - 20);
  server_.Set("/feed.xml", Page(200, feed, "application/rss+xml"));
  CollectReport report = Poll(config);
  EXPECT_EQ(report.sources[0].items, 2);
  EXPECT_EQ(report.sources[0].gone, 0);
  EXPECT_GE(report.sources[0].errors, 1);
  // Not XML at all: an error of the poll.
  server_.Set("/feed.xml", Page(200, "this is not a feed", "text/plain"));
  report = Poll(config);
  EXPECT_EQ(report.sources[0].items, 0);
  EXPECT_EQ(report.sources[0].errors, 1);
  EXPECT_EQ(report.sources[0].gone, 0);
  LedgerQuery gone_only;
  gone_only.kinds = {"gone"};
  auto gone = engine_->Ledger(gone_only);
  ASSERT_TRUE(gone.ok());
  EXPECT_TRUE(gone->empty());
}

TEST_F(CollectTest, FeedEtagAndSitemapsAndListings) {
  // A feed with an ETag answers 304 the second time; its items are still checked.
  server_.Set("/feed.xml", Page(200, RssFeed(server_, {"/a2", "/a1"}), "application/rss+xml", "", "\"feed-1\""));
  server_.Set(
      "/sitemap.xml",
      Page(200,
           "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
           "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\"><url><loc>" +
               server_.Url("/a3") + "</loc><news:news><news:title>Meeting 3</news:title></news:news></url></urlset>",
           "application/xml"));
  server_.Set(
      "/index.xml",
      Page(200, "<sitemapindex><sitemap><loc>" + server_.Url("/sitemap.xml") + "</loc></sitemap></sitemapindex>",
           "application/xml"));
  server_.Set("/list.html", Page(200,
                                 "<html><body><a href=\"/a4\">4</a><a href='a5'>5</a><a href=\"/contact\">contact</a>"
                                 "</body></html>"));
  CollectConfig config = Config(server_, {{"feed", "/feed.xml"}, {"sitemaps", "/index.xml"}});
  config.sources.push_back({"listing", server_.Url("/list.html"), server_.Url("/a*"), "kcna"});
  CollectReport first = Poll(config);
  ASSERT_EQ(first.sources.size(), 3u);
  EXPECT_EQ(first.sources[0].new_articles, 2);
  EXPECT_EQ(first.sources[1].feed_kind, "sitemapindex");
  EXPECT_EQ(first.sources[1].new_articles, 1);
  EXPECT_EQ(first.sources[2].feed_kind, "html");
  EXPECT_EQ(first.sources[2].items, 2);
  EXPECT_EQ(first.sources[2].new_articles, 2);
  CollectReport second = Poll(config);
  EXPECT_TRUE(second.sources[0].feed_not_modified);
  EXPECT_EQ(second.sources[0].items, 2);
  EXPECT_EQ(second.sources[0].fetched, 2);
  EXPECT_EQ(second.sources[0].unchanged, 2);
  EXPECT_EQ(second.sources[0].gone, 0);
}

TEST_F(CollectTest, PhraseWatchReportsFirstAndLastUsePerOutlet) {
  const CollectConfig config = Config(server_, {{"fixture", "/feed.xml"}});
  Poll(config);
  WatchSpec watch;
  watch.name = "production";
  watch.phrase = "increase production";
  auto matching = engine_->AddWatch(watch);
  ASSERT_TRUE(matching.ok()) << matching.status().ToString();
  EXPECT_EQ(*matching, 5);  // existing articles match at once
  auto view = engine_->ShowWatch("production", 10);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->phrase_uses.size(), 1u);
  EXPECT_EQ(view->phrase_uses[0].source, "kcna");
  EXPECT_EQ(view->phrase_uses[0].first_date, "2026-11-01");
  EXPECT_EQ(view->phrase_uses[0].last_date, "2026-11-05");
  EXPECT_EQ(view->phrase_uses[0].articles, 5);
  // Names name feed URLs: refused when they could not.
  watch.name = "../etc";
  EXPECT_EQ(engine_->AddWatch(watch).status().code(), StatusCode::kUsage);
  EXPECT_EQ(engine_->RemoveWatch("nope").code(), StatusCode::kNotFound);
  EXPECT_TRUE(engine_->RemoveWatch("production").ok());
  EXPECT_EQ(engine_->ShowWatch("production", 10).status().code(), StatusCode::kNotFound);
}

TEST_F(CollectTest, WebhookReceivesNewMatches) {
  CollectConfig config = Config(server_, {{"fixture", "/feed.xml"}});
  config.webhook = server_.Url("/hook");
  config.webhook_backoff = std::chrono::milliseconds(5);
  WatchSpec watch;
  watch.name = "meetings";
  watch.query = "meeting";
  ASSERT_TRUE(engine_->AddWatch(watch).ok());
  // The receiver fails twice (503), then accepts: one delivery, three POSTs.
  server_.FailPosts(2);
  CollectReport report = Poll(config);
  EXPECT_EQ(report.new_matches, 5);
  EXPECT_EQ(report.webhook_status, 204);
  EXPECT_TRUE(report.webhook_error.empty()) << report.webhook_error;
  EXPECT_EQ(report.webhook_delivered, 1);
  EXPECT_EQ(report.webhook_pending, 0);
  EXPECT_EQ(server_.PostAttempts("/hook"), 3);
  const std::vector<std::string> posted = server_.Posted("/hook");
  ASSERT_EQ(posted.size(), 1u);
  const auto body = nlohmann::json::parse(posted[0]);
  ASSERT_EQ(body["matches"].size(), 5u);
  EXPECT_EQ(body["matches"][0]["watch"], "meetings");
  EXPECT_EQ(body["matches"][0]["url"].get<std::string>().rfind(server_.Url("/a"), 0), 0u);
  auto deliveries = engine_->WebhookDeliveries(false);
  ASSERT_TRUE(deliveries.ok());
  ASSERT_EQ(deliveries->size(), 1u);
  EXPECT_EQ(body["delivery"], (*deliveries)[0].id);
  EXPECT_EQ((*deliveries)[0].attempts, 3);
  EXPECT_FALSE((*deliveries)[0].delivered_at.empty());
  // Nothing new: nothing posted.
  Poll(config);
  EXPECT_EQ(server_.PostAttempts("/hook"), 3);
  // A receiver down for every attempt of a poll: the delivery stays owed
  // (bounded attempts) and goes out, once, with the next poll.
  server_.Set("/a1", Page(200, ArticlePage("Meeting 1", "2026-11-01", Body(1, " Another meeting."))));
  config.webhook_attempts = 3;
  server_.FailPosts(3);
  report = Poll(config);
  EXPECT_EQ(report.new_matches, 1);
  EXPECT_EQ(report.webhook_status, 503);
  EXPECT_EQ(report.webhook_error, "HTTP 503");
  EXPECT_EQ(report.webhook_pending, 1);
  EXPECT_EQ(server_.PostAttempts("/hook"), 6);
  EXPECT_EQ(server_.Posted("/hook").size(), 1u);
  report = Poll(config);
  EXPECT_EQ(report.new_matches, 0);
  EXPECT_EQ(report.webhook_delivered, 1);
  EXPECT_EQ(report.webhook_pending, 0);
  ASSERT_EQ(server_.Posted("/hook").size(), 2u);
  const auto late = nlohmann::json::parse(server_.Posted("/hook")[1]);
  ASSERT_EQ(late["matches"].size(), 1u);
  EXPECT_EQ(late["matches"][0]["title"], "Meeting 1");
  Poll(config);
  EXPECT_EQ(server_.Posted("/hook").size(), 2u);
  // Nothing listens: reported, and the poll itself is not an error.
  server_.Set("/a2", Page(200, ArticlePage("Meeting 2", "2026-11-02", Body(2, " Another meeting."))));
  config.webhook = "http://127.0.0.1:1/hook";
  config.webhook_attempts = 1;
  report = Poll(config);
  EXPECT_EQ(report.new_matches, 1);
  EXPECT_EQ(report.webhook_status, 0);
  EXPECT_FALSE(report.webhook_error.empty());
  EXPECT_EQ(report.webhook_pending, 1);
}

// A collector killed after recording a webhook delivery, before sending
// it: the next run sends it once; later runs send nothing more.
TEST_F(CollectTest, KilledBeforeWebhookSendsItOnceOnTheNextRun) {
  CollectConfig config = Config(server_, {{"fixture", "/feed.xml"}});
  config.webhook = server_.Url("/hook");
  config.webhook_backoff = std::chrono::milliseconds(5);
  WatchSpec watch;
  watch.name = "meetings";
  watch.query = "meeting";
  ASSERT_TRUE(engine_->AddWatch(watch).ok());
  engine_.reset();
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto engine = Engine::Open(dir_.path(), Engine::Mode::kWrite);
    if (!engine.ok()) _exit(3);
    CollectOptions options;
    options.test_crash_before_webhook = true;
    (void)(*engine)->Collect(config, options, nullptr);
    _exit(4);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  EXPECT_EQ(server_.PostAttempts("/hook"), 0);
  auto engine = Engine::Open(dir_.path(), Engine::Mode::kWrite);
  ASSERT_TRUE(engine.ok());
  auto pending = (*engine)->WebhookDeliveries(true);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  for (int run = 0; run < 2; ++run) {
    auto report = (*engine)->Collect(config, {}, nullptr);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_EQ(report->new_matches, 0);
    EXPECT_EQ(report->webhook_delivered, run == 0 ? 1 : 0);
  }
  ASSERT_EQ(server_.Posted("/hook").size(), 1u);
  EXPECT_EQ(server_.PostAttempts("/hook"), 1);
  EXPECT_EQ(nlohmann::json::parse(server_.Posted("/hook")[0])["matches"].size(), 5u);
}

// A collector killed after a commit, before indexing it (the worst moment),
// loses nothing and doubles nothing on the next run.
TEST_F(CollectTest, KilledRunLosesAndDoublesNothing) {
  for (int i = 6; i <= 9; ++i) {
    server_.Set("/a" + std::to_string(i),
                Page(200, ArticlePage("Meeting " + std::to_string(i), "2026-11-0" + std::to_string(i), Body(i))));
  }
  server_.Set("/feed.xml", Page(200, RssFeed(server_, {"/a9", "/a8", "/a7", "/a6", "/a5", "/a4", "/a3", "/a2", "/a1"}),
                                "application/rss+xml"));
  const CollectConfig config = Config(server_, {{"fixture", "/feed.xml"}});
  engine_.reset();
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto engine = Engine::Open(dir_.path(), Engine::Mode::kWrite);
    if (!engine.ok()) _exit(3);
    CollectOptions options;
    options.commit_every = 3;
    options.test_crash_after_commits = 2;
    (void)(*engine)->Collect(config, options, nullptr);
    _exit(4);  // not killed: the hook did not fire
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGKILL);

  auto engine = Engine::Open(dir_.path(), Engine::Mode::kWrite);
  ASSERT_TRUE(engine.ok());
  {
    // Killed after its second commit: six versions and their ledger
    // entries stored together; opening indexed what the index missed.
    auto ledger = (*engine)->Ledger({});
    ASSERT_TRUE(ledger.ok());
    EXPECT_EQ(ledger->size(), 6u);
    EXPECT_EQ((*engine)->IndexLag(), 0);
    auto stats = (*engine)->Stats();
    ASSERT_TRUE(stats.ok());
    EXPECT_EQ(stats->versions, 6);
  }
  auto report = (*engine)->Collect(config, {}, nullptr);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  auto ledger = (*engine)->Ledger({});
  ASSERT_TRUE(ledger.ok());
  std::map<std::string, int> per_url;
  for (const LedgerView& v : *ledger) {
    EXPECT_EQ(v.entry.kind, "new");
    ++per_url[v.entry.url];
  }
  EXPECT_EQ(per_url.size(), 9u);
  for (const auto& [url, count] : per_url) EXPECT_EQ(count, 1) << url;
  auto stats = (*engine)->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->versions, 9);
  EXPECT_EQ(stats->articles, 9);
  EXPECT_EQ((*engine)->IndexLag(), 0);
  SearchRequest request;
  request.query = "meeting";
  request.limit = 100;
  auto hits = (*engine)->Search(request);
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ(hits->hits.size(), 9u);
}

}  // namespace
}  // namespace echotrace

// GET /api/ledger, the watchlist endpoints and /feeds/NAME.atom over a data
// directory filled by collecting from the fixture site.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "collect/feed.h"
#include "collect_fixture.h"
#include "engine/engine.h"
#include "server/server.h"
#include "test_util.h"

namespace echotrace {
namespace {

using nlohmann::json;
using testing::ArticlePage;
using testing::FixtureServer;
using testing::Page;
using testing::RssFeed;
using testing::TempDir;

TEST(CollectApi, LedgerWatchlistsAndFeeds) {
  FixtureServer site;
  site.Set("/a1", Page(200, ArticlePage("Missile launch", "2026-11-01",
                                        "Pyongyang, November 1 (KCNA) -- A new missile was tested.\n\n"
                                        "Scientists &amp; engineers &lt;celebrated&gt; the success.")));
  site.Set("/a2", Page(200, ArticlePage("Harvest", "2026-11-02", "Pyongyang, November 2 (KCNA) -- A rich harvest.")));
  site.Set("/feed.xml", Page(200, RssFeed(site, {"/a2", "/a1"}), "application/rss+xml"));
  TempDir data;
  CollectConfig config = SourcesFromUrls({site.Url("/feed.xml")});
  config.fetch.per_host_delay = std::chrono::milliseconds(0);
  {
    auto engine = Engine::Open(data.path(), Engine::Mode::kWrite);
    ASSERT_TRUE(engine.ok());
    ASSERT_TRUE((*engine)->Collect(config, {}, nullptr).ok());
    site.Set("/a2", Page(404, "gone"));
    site.Set("/a1", Page(200, ArticlePage("Missile launch", "2026-11-01",
                                          "Pyongyang, November 1 (KCNA) -- A new missile was tested.\n\n"
                                          "Scientists &amp; engineers &lt;celebrated&gt; the success.\n\n"
                                          "Officials watched the launch.")));
    ASSERT_TRUE((*engine)->Collect(config, {}, nullptr).ok());
  }
  server::ServerOptions options;
  options.data_dir = data.path();
  options.port = 0;
  options.allow_ingest = true;  // watchlists are saved as ingest writes
  auto started = server::Server::Start(options);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  httplib::Client client("127.0.0.1", (*started)->port());

  auto ledger = client.Get("/api/ledger?kind=gone");
  ASSERT_TRUE(ledger);
  ASSERT_EQ(ledger->status, 200) << ledger->body;
  const json gone = json::parse(ledger->body)["entries"];
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0]["url"], site.Url("/a2"));
  EXPECT_EQ(gone[0]["reason"], "HTTP 404");
  // The gone article's only version: named "ARTICLE@1", since the bare id (also the first version's) opens the latest.
  EXPECT_EQ(gone[0]["version"].get<std::string>().size(), 18u) << gone[0].dump();
  EXPECT_EQ(gone[0]["version"].get<std::string>().substr(16), "@1") << gone[0].dump();
  EXPECT_EQ(json::parse(client.Get("/api/ledger")->body)["entries"].size(), 4u);

  // One URL's history, and an edit's diff as the article view asks for it.
  auto history = client.Get("/api/ledger?url=" + httplib::detail::encode_query_param(site.Url("/a1")));
  ASSERT_EQ(history->status, 200) << history->body;
  const json a1 = json::parse(history->body)["entries"];
  ASSERT_EQ(a1.size(), 2u);
  EXPECT_EQ(a1[0]["kind"], "new");
  EXPECT_EQ(a1[1]["kind"], "edited");
  auto changes = client.Get("/api/article/" + a1[1]["version"].get<std::string>() + "/changes");
  ASSERT_EQ(changes->status, 200) << changes->body;
  const json diff = json::parse(changes->body);
  EXPECT_EQ(diff["version"]["version"], 2);
  // The "new" entry opens the first version itself, not the article's latest.
  auto first_get =
      client.Get("/api/article/" + httplib::detail::encode_query_param(a1[0]["version"].get<std::string>()));
  ASSERT_EQ(first_get->status, 200) << first_get->body;
  const json first_version = json::parse(first_get->body);
  EXPECT_EQ(first_version["version"], 1) << first_get->body;
  EXPECT_EQ(diff["against"]["id"], first_version["id"]);
  std::string inserted;
  for (const json& run : diff["diff"]) {
    EXPECT_NE(run["op"], "omitted") << run.dump();
    if (run["op"] == "inserted") inserted += run["quote"].get<std::string>() + " ";
  }
  EXPECT_NE(inserted.find("Officials watched the launch"), std::string::npos) << diff.dump();
  EXPECT_EQ(diff["diff"], a1[1]["diff"]);  // the ledger's diff, one definition
  // A first version (a2 had one): nothing to compare with.
  auto first = client.Get("/api/article/" + gone[0]["version"].get<std::string>() + "/changes");
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_TRUE(json::parse(first->body)["against"].is_null()) << first->body;
  EXPECT_TRUE(json::parse(first->body)["diff"].empty());
  auto other = client.Get("/api/article/" + a1[1]["version"].get<std::string>() +
                          "/changes?against=" + gone[0]["version"].get<std::string>());
  EXPECT_EQ(other->status, 400);
  EXPECT_EQ(json::parse(other->body)["parameter"], "against");
  EXPECT_EQ(client.Get("/api/article/ffffffffffffffff/changes")->status, 404);
  EXPECT_EQ(client.Get("/api/ledger?kind=deleted")->status, 400);
  EXPECT_EQ(client.Get("/api/ledger?limit=0")->status, 400);

  auto created = client.Post("/api/watchlists", R"({"name": "missiles", "query": "missile"})", "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(json::parse(created->body)["matches"], 1);
  EXPECT_EQ(client.Post("/api/watchlists", R"({"name": "a b", "query": "x"})", "application/json")->status, 400);
  EXPECT_EQ(client.Post("/api/watchlists", "[]", "application/json")->status, 400);
  EXPECT_EQ(json::parse(client.Get("/api/watchlists")->body)["watchlists"].size(), 1u);
  auto shown = client.Get("/api/watchlists/missiles");
  ASSERT_EQ(shown->status, 200) << shown->body;
  EXPECT_EQ(json::parse(shown->body)["matches"][0]["url"], site.Url("/a1"));
  EXPECT_EQ(client.Get("/api/watchlists/nope")->status, 404);

  auto feed = client.Get("/feeds/missiles.atom");
  ASSERT_TRUE(feed);
  ASSERT_EQ(feed->status, 200) << feed->body;
  EXPECT_EQ(feed->get_header_value("Content-Type"), "application/atom+xml; charset=utf-8");
  EXPECT_NE(feed->body.find("Scientists &amp; engineers &lt;celebrated&gt;"), std::string::npos) << feed->body;
  auto parsed = ParseFeed(feed->body, "http://127.0.0.1/");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->kind, FeedKind::kAtom);
  EXPECT_TRUE(parsed->warning.empty()) << parsed->warning;
  ASSERT_EQ(parsed->items.size(), 1u);
  EXPECT_EQ(parsed->items[0].url, site.Url("/a1"));
  EXPECT_EQ(parsed->items[0].title, "Missile launch");
  EXPECT_EQ(client.Get("/feeds/nope.atom")->status, 404);

  EXPECT_EQ(client.Post("/api/watchlists/missiles/delete", "", "application/json")->status, 200);
  EXPECT_EQ(client.Get("/feeds/missiles.atom")->status, 404);
  EXPECT_EQ(client.Post("/api/watchlists/missiles/delete", "", "application/json")->status, 404);
}

TEST(CollectApi, WatchlistWritesNeedIngestAllowed) {
  TempDir data;
  {
    auto engine = Engine::Open(data.path(), Engine::Mode::kWrite);
    ASSERT_TRUE(engine.ok());
  }
  server::ServerOptions options;
  options.data_dir = data.path();
  options.port = 0;
  auto started = server::Server::Start(options);
  ASSERT_TRUE(started.ok());
  httplib::Client client("127.0.0.1", (*started)->port());
  auto refused = client.Post("/api/watchlists", R"({"name": "x", "query": "x"})", "application/json");
  ASSERT_TRUE(refused);
  EXPECT_GE(refused->status, 400);
  EXPECT_EQ(client.Post("/api/watchlists/x/delete", "", "application/json")->status, 403);
  auto empty = client.Get("/api/ledger");
  ASSERT_EQ(empty->status, 200) << empty->body;
  EXPECT_EQ(json::parse(empty->body)["entries"].size(), 0u);
}

}  // namespace
}  // namespace echotrace

// The HTTP API end to end: a server on an ephemeral loopback port over a data
// directory built from data/sample, every endpoint with good and malformed
// input, body limits, path traversal, ingest while searching.
#include "server/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "engine/engine.h"
#include "loopback_client.h"
#include "search/trends.h"
#include "store/store.h"
#include "test_util.h"

namespace echotrace::server {
namespace {

using Json = nlohmann::json;
using testing::SampleDir;
using testing::TempDir;
using testing::WriteFile;

// The example in search/trends.h's header comment.
Result<double> TrendsHeaderExample(const std::string& data_dir) {
  TrendsRequest request;
  request.terms = {"harvest", "\"nothing is impossible\""};
  ET_ASSIGN_OR_RETURN(TrendsResponse trends, CountTrends(data_dir + "/index", request));
  double rate = PerThousand(trends.matches[0]["2024-03"][""], trends.articles["2024-03"][""]);
  return rate;
}

// The example in server/server.h's header comment.
Result<int> ServerHeaderExample(const std::string& dir) {
  ServerOptions options;
  options.data_dir = dir;
  options.port = 0;  // any free port
  ET_ASSIGN_OR_RETURN(std::unique_ptr<Server> server, Server::Start(options));
  const int port = server->port();
  server->Stop();
  return port;
}

void Ingest(const std::string& dir, const std::vector<std::string>& paths) {
  auto engine = Engine::Open(dir, Engine::Mode::kWrite);
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  auto report = (*engine)->Ingest(paths, {}, nullptr);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
}

struct Reply {
  int status = 0;
  Json body;
  std::string raw;
  std::string content_type;
};

Reply ToReply(const httplib::Result& result) {
  Reply reply;
  if (!result) return reply;  // status 0: no answer at all
  reply.status = result->status;
  reply.raw = result->body;
  reply.content_type = result->get_header_value("Content-Type");
  reply.body = Json::parse(result->body, nullptr, false);
  return reply;
}

// Sends bytes as they are (no client-side normalization) and returns the response text.
std::string RawRequest(int port, const std::string& request, bool close_write = false) {
  const int fd = testing::ConnectLoopback(port, 5);
  if (fd < 0) return "";
  (void)!write(fd, request.data(), request.size());
  if (close_write) shutdown(fd, SHUT_WR);  // garbage never ends otherwise
  std::string response = testing::ReadAll(fd);
  close(fd);
  return response;
}

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new TempDir();
    assets_ = new TempDir();
    Ingest(data_->path(), {SampleDir()});
    // A tiny UI folder, and a secret beside it that must stay unreachable.
    WriteFile(*assets_ / "dist/index.html", "<!doctype html><title>echotrace test ui</title>");
    WriteFile(*assets_ / "dist/assets/app-1234.js", "console.log('ui');");
    WriteFile(*assets_ / "dist/.hidden", "dotfile");
    WriteFile(*assets_ / "secret.txt", "TOP SECRET");
    std::filesystem::create_symlink(*assets_ / "secret.txt", *assets_ / "dist/link.txt");
    ServerOptions options;
    options.data_dir = data_->path();
    options.port = 0;
    options.assets_dir = *assets_ / "dist";
    options.max_body_bytes = 64 << 10;
    auto server = Server::Start(options);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value().release();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete assets_;
    delete data_;
  }

  static Reply Get(const std::string& path) {
    httplib::Client client("127.0.0.1", server_->port());
    return ToReply(client.Get(path.c_str()));
  }
  static Reply Post(const std::string& path, const std::string& body, const std::string& type) {
    httplib::Client client("127.0.0.1", server_->port());
    return ToReply(client.Post(path.c_str(), body, type.c_str()));
  }
  // Every 4xx names what was wrong in a JSON error.
  static void ExpectError(const Reply& reply, int status, const std::string& parameter) {
    EXPECT_EQ(reply.status, status) << reply.raw;
    ASSERT_TRUE(reply.body.is_object()) << reply.raw;
    EXPECT_TRUE(reply.body.contains("error")) << reply.raw;
    // Every error carries a stable code beside its words.
    EXPECT_TRUE(reply.body.value("code", "").size() > 0) << reply.raw;
    if (status == 400) {
      EXPECT_EQ(reply.body.value("code", ""), "bad_parameter") << reply.raw;
    }
    if (!parameter.empty()) {
      EXPECT_EQ(reply.body.value("parameter", ""), parameter) << reply.raw;
    }
  }

  static TempDir* data_;
  static TempDir* assets_;
  static Server* server_;
};

TempDir* ServerTest::data_ = nullptr;
TempDir* ServerTest::assets_ = nullptr;
Server* ServerTest::server_ = nullptr;

TEST_F(ServerTest, HeaderExamplesRun) {
  auto rate = TrendsHeaderExample(data_->path());
  ASSERT_TRUE(rate.ok()) << rate.status().ToString();
  EXPECT_GE(*rate, 0.0);
  auto port = ServerHeaderExample(data_->path());
  ASSERT_TRUE(port.ok()) << port.status().ToString();
  EXPECT_GT(*port, 0);
}

TEST_F(ServerTest, SearchFindsThePhraseWithHighlightsAndFacets) {
  Reply r = Get("/api/search?q=%22nothing%20is%20impossible%22");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_NE(r.content_type.find("application/json"), std::string::npos);
  ASSERT_GE(r.body["hits"].size(), 1u);
  EXPECT_GE(r.body["total"].get<int>(), 1);
  bool kcna = false;
  for (const Json& hit : r.body["hits"]) {
    EXPECT_NE(hit["snippet"].get<std::string>().find("<mark>"), std::string::npos) << hit.dump();
    kcna |= hit["outlet"]["id"] == "kcna";
  }
  EXPECT_TRUE(kcna) << "the KCNA workshop item says the phrase: " << r.raw;
  ASSERT_TRUE(r.body["facets"].contains("outlet"));
  int64_t sum = 0;
  for (const Json& outlet : r.body["facets"]["outlet"]) sum += outlet["count"].get<int64_t>();
  EXPECT_EQ(sum, r.body["total"].get<int64_t>());
}

TEST_F(ServerTest, SearchFiltersByOutletKindAndDate) {
  Reply all = Get("/api/search?q=&limit=100");
  ASSERT_EQ(all.status, 200) << all.raw;
  const int64_t total = all.body["total"];
  ASSERT_GT(total, 3);

  Reply kcna = Get("/api/search?q=&outlet=kcna&limit=100");
  ASSERT_EQ(kcna.status, 200);
  ASSERT_GT(kcna.body["hits"].size(), 0u);
  for (const Json& hit : kcna.body["hits"]) EXPECT_EQ(hit["outlet"]["id"], "kcna");
  EXPECT_FALSE(kcna.body.contains("warnings")) << kcna.raw;

  // An outlet with no article here is named in a warning, as the CLI does, so a misspelt filter is not read as
  // "no coverage".
  Reply nowhere = Get("/api/search?q=&outlet=no-such-outlet&limit=5");
  ASSERT_EQ(nowhere.status, 200) << nowhere.raw;
  EXPECT_EQ(nowhere.body["total"].get<int64_t>(), 0);
  ASSERT_TRUE(nowhere.body.contains("warnings")) << nowhere.raw;
  ASSERT_EQ(nowhere.body["warnings"].size(), 1u);
  const std::string warning = nowhere.body["warnings"][0].get<std::string>();
  EXPECT_NE(warning.find("no-such-outlet"), std::string::npos) << warning;
  EXPECT_NE(warning.find("kcna"), std::string::npos) << warning;

  Reply state = Get("/api/search?q=&kind=state&limit=100");
  Reply foreign = Get("/api/search?q=&kind=foreign&limit=100");
  ASSERT_EQ(state.status, 200);
  ASSERT_EQ(foreign.status, 200);
  for (const Json& hit : state.body["hits"]) EXPECT_TRUE(hit["outlet"]["state_media"].get<bool>()) << hit.dump();
  for (const Json& hit : foreign.body["hits"]) EXPECT_FALSE(hit["outlet"]["state_media"].get<bool>()) << hit.dump();
  EXPECT_GT(state.body["total"].get<int64_t>(), 0);
  EXPECT_GT(foreign.body["total"].get<int64_t>(), 0);
  EXPECT_EQ(state.body["total"].get<int64_t>() + foreign.body["total"].get<int64_t>(), total);

  Reply dated = Get("/api/search?q=&from=2024-02-01&to=2024-03-31&limit=100");
  ASSERT_EQ(dated.status, 200);
  ASSERT_GT(dated.body["hits"].size(), 0u);
  for (const Json& hit : dated.body["hits"]) {
    const std::string date = hit["date"];
    EXPECT_GE(date, "2024-02-01");
    EXPECT_LE(date, "2024-03-31");
  }
}

TEST_F(ServerTest, SearchPagesWithoutOverlap) {
  Reply first = Get("/api/search?q=&limit=3&offset=0");
  Reply second = Get("/api/search?q=&limit=3&offset=3");
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(second.status, 200);
  ASSERT_EQ(first.body["hits"].size(), 3u);
  ASSERT_GT(second.body["hits"].size(), 0u);
  for (const Json& a : first.body["hits"]) {
    for (const Json& b : second.body["hits"]) EXPECT_NE(a["id"], b["id"]);
  }
}

TEST_F(ServerTest, SearchRejectsBadParametersByName) {
  ExpectError(Get("/api/search?q=x&limit=abc"), 400, "limit");
  ExpectError(Get("/api/search?q=x&limit=0"), 400, "limit");
  ExpectError(Get("/api/search?q=x&limit=101"), 400, "limit");
  ExpectError(Get("/api/search?q=x&offset=-1"), 400, "offset");
  ExpectError(Get("/api/search?q=x&from=2024-13-01"), 400, "from");
  ExpectError(Get("/api/search?q=x&to=yesterday"), 400, "to");
  ExpectError(Get("/api/search?q=x&from=2024-03-01&to=2024-01-01"), 400, "to");
  ExpectError(Get("/api/search?q=x&kind=martian"), 400, "kind");
  ExpectError(Get("/api/search?q=x&facets=maybe"), 400, "facets");
  ExpectError(Get("/api/search?q=a&q=b"), 400, "q");
  ExpectError(Get("/api/search?q=" + std::string(1001, 'a')), 400, "q");
  // Odd bytes are not errors: they are repaired and searched.
  Reply odd = Get("/api/search?q=%FF%FE%22%28%29%5C");
  EXPECT_TRUE(odd.status == 200 || odd.status == 400) << odd.raw;
  EXPECT_TRUE(odd.body.is_object()) << odd.raw;
}

TEST_F(ServerTest, ArticleHasBodyRemovedBlocksVersionsAndOffsets) {
  Reply r = Get("/api/article/sample-kcna-2024-009");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["external_id"], "sample-kcna-2024-009");
  EXPECT_EQ(r.body["all_versions"].size(), 2u);
  EXPECT_FALSE(r.body["body"].get<std::string>().empty());
  EXPECT_TRUE(r.body["links_available"].get<bool>());
  for (const char* list : {"quotes", "republications", "events"}) EXPECT_TRUE(r.body["links"][list].is_array()) << list;
  const std::string text = r.body["text"];
  for (const Json& block : r.body["blocks"]) {
    EXPECT_LE(block["begin"].get<size_t>(), block["end"].get<size_t>());
    EXPECT_LE(block["end"].get<size_t>(), text.size());
  }

  // The HTML blog page has boilerplate that extraction removed.
  Reply search = Get("/api/search?q=title:rally%20title:backing");
  ASSERT_EQ(search.status, 200) << search.raw;
  ASSERT_GE(search.body["hits"].size(), 1u) << search.raw;
  Reply blog = Get("/api/article/" + search.body["hits"][0]["id"].get<std::string>());
  ASSERT_EQ(blog.status, 200) << blog.raw;
  ASSERT_GT(blog.body["removed"].size(), 0u) << blog.raw;
  for (const Json& removed : blog.body["removed"]) {
    EXPECT_EQ(removed["kind"], "boilerplate");
    EXPECT_FALSE(removed["label"].get<std::string>().empty());
  }
  // The UTF-16 offsets slice the same text the byte offsets do (the blog has curly quotes).
  const std::string blog_text = blog.body["text"];
  for (const Json& block : blog.body["blocks"]) {
    EXPECT_LE(block["end16"].get<size_t>(), block["end"].get<size_t>());
  }
  EXPECT_FALSE(blog_text.empty());
}

TEST_F(ServerTest, ArticleErrors) {
  ExpectError(Get("/api/article/no-such-article"), 404, "id");
  ExpectError(Get("/api/article/" + std::string(300, 'a')), 400, "id");
  ExpectError(Get("/api/article/%01%02"), 400, "id");
  ExpectError(Get("/api/article/sample-kcna-2024-009?raw=perhaps"), 400, "raw");
}

TEST_F(ServerTest, StatsMatchTheStore) {
  Reply r = Get("/api/stats");
  ASSERT_EQ(r.status, 200) << r.raw;
  auto engine = Engine::Open(data_->path(), Engine::Mode::kRead);
  ASSERT_TRUE(engine.ok());
  auto stats = (*engine)->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(r.body["articles"].get<int64_t>(), stats->articles);
  EXPECT_EQ(r.body["versions"].get<int64_t>(), stats->versions);
  EXPECT_TRUE(r.body["available"]["trace"].get<bool>());
  EXPECT_FALSE(r.body["available"]["ingest"].get<bool>());
}

TEST_F(ServerTest, TrendsAgreeWithSearchFacets) {
  Reply trends = Get("/api/trends?term=harvest&term=factory");
  ASSERT_EQ(trends.status, 200) << trends.raw;
  ASSERT_EQ(trends.body["series"].size(), 2u);
  const Json& months = trends.body["months"];
  const Json& harvest = trends.body["series"][0];
  EXPECT_EQ(harvest["term"], "harvest");
  ASSERT_EQ(harvest["counts"].size(), months.size());
  // The same matches as a search, month by month.
  Reply search = Get("/api/search?q=harvest");
  ASSERT_EQ(search.status, 200);
  for (size_t i = 0; i < months.size(); ++i) {
    const std::string month = months[i];
    const int64_t expected = search.body["facets"]["month"].value(month, int64_t{0});
    EXPECT_EQ(harvest["counts"][i].get<int64_t>(), expected) << month;
    const int64_t articles = trends.body["articles"]["total"][i];
    EXPECT_DOUBLE_EQ(harvest["per_1000"][i].get<double>(), articles ? 1000.0 * expected / articles : 0.0) << month;
  }
  EXPECT_GT(harvest["total"].get<int64_t>(), 0);

  Reply split = Get("/api/trends?term=harvest&split=outlet&kind=state&from=2024-01&to=2024-12");
  ASSERT_EQ(split.status, 200) << split.raw;
  ASSERT_GT(split.body["series"].size(), 0u);
  for (const Json& s : split.body["series"]) EXPECT_TRUE(s["outlet"]["state_media"].get<bool>()) << s.dump();
  for (const Json& month : split.body["months"]) EXPECT_GE(month.get<std::string>(), "2024-01");
}

TEST_F(ServerTest, TrendsRejectBadParametersByName) {
  ExpectError(Get("/api/trends"), 400, "term");
  std::string nine = "/api/trends?";
  for (int i = 0; i < 9; ++i) nine += "term=w" + std::to_string(i) + "&";
  ExpectError(Get(nine), 400, "term");
  ExpectError(Get("/api/trends?term=x&from=2024-1"), 400, "from");
  ExpectError(Get("/api/trends?term=x&to=2024-13"), 400, "to");
  ExpectError(Get("/api/trends?term=x&split=weekday"), 400, "split");
  ExpectError(Get("/api/trends?term=" + std::string(201, 'a')), 400, "term");
}

// The views answer from annotation and linking: the sample's wire story
// quotes the KCNA letter, and the quote comes back with its original and diff.
// One encoder: the CLI's --json prints what the API answers for the same
// query (engine/views.h), field for field.
TEST_F(ServerTest, CliJsonIsTheApiJson) {
  const std::string data = data_->path();
  struct Pair {
    std::vector<std::string> cli;
    std::string api;
  };
  const std::vector<Pair> pairs = {
      {{"entities", "--type", "person", "--limit", "10"}, "/api/entities?kind=person&limit=10"},
      {{"entities", "--type", "organization", "-q", "kor"}, "/api/entities?kind=organization&q=kor&limit=30"},
      {{"quotes", "--speaker", "kim-jong-un", "--limit", "5"}, "/api/quotes?speaker=kim-jong-un&limit=5"},
      {{"events", "--from", "2024-01-01", "--limit", "20"}, "/api/events?from=2024-01-01&limit=20"},
  };
  for (const Pair& pair : pairs) {
    std::vector<std::string> args = pair.cli;
    args.insert(args.end(), {"--json", "--data", data});
    const testing::CliRun cli = testing::RunCli(args);
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    const Reply api = Get(pair.api);
    ASSERT_EQ(api.status, 200) << api.raw;
    EXPECT_EQ(Json::parse(cli.out), api.body) << pair.api;
  }
  // The article's links: `links ID --json` holds the API article's "links".
  const Reply article = Get("/api/article/sample-kcna-2024-001");
  ASSERT_EQ(article.status, 200) << article.raw;
  const testing::CliRun links = testing::RunCli({"links", "sample-kcna-2024-001", "--json", "--data", data});
  ASSERT_EQ(links.exit_code, 0) << links.err;
  EXPECT_EQ(Json::parse(links.out)["links"], article.body["links"]);
  // A traced passage.
  const std::string passage = "the poisonous weeds of anti-socialist practices";
  const testing::CliRun trace = testing::RunCli({"trace", passage, "--json", "--data", data});
  ASSERT_EQ(trace.exit_code, 0) << trace.err;
  const Reply api_trace = Post("/api/trace", Json{{"text", passage}, {"limit", 100}}.dump(), "application/json");
  ASSERT_EQ(api_trace.status, 200) << api_trace.raw;
  EXPECT_EQ(Json::parse(trace.out), api_trace.body);
  EXPECT_FALSE(api_trace.body["quotes"].empty()) << api_trace.raw;
}

TEST_F(ServerTest, ViewsAnswerFromAnnotationAndLinking) {
  Reply entities = Get("/api/entities?q=kim&kind=person");
  ASSERT_EQ(entities.status, 200) << entities.raw;
  bool found = false;
  for (const Json& e : entities.body["entities"]) found = found || e["key"] == "kim-jong-un";
  EXPECT_TRUE(found) << entities.raw;
  for (const Json& e : entities.body["entities"]) EXPECT_EQ(e["kind"], "person");

  Reply quotes = Get("/api/quotes?speaker=kim-jong-un&q=sharpest%20weapons");
  ASSERT_EQ(quotes.status, 200) << quotes.raw;
  ASSERT_GE(quotes.body["quotes"].size(), 1u) << quotes.raw;
  const Json& quote = quotes.body["quotes"][0];
  EXPECT_EQ(quote["speaker"], "kim-jong-un");
  ASSERT_TRUE(quote["original"].is_object()) << quote.dump();
  EXPECT_EQ(quote["original"]["article"]["outlet"]["id"], "kcna");
  ASSERT_FALSE(quote["diff"].empty());

  Reply trace = Post("/api/trace",
                     R"({"text": "he called for the poisonous weeds of anti-socialist ... practices to be uprooted"})",
                     "application/json");
  ASSERT_EQ(trace.status, 200) << trace.raw;
  ASSERT_GE(trace.body["quotes"].size(), 1u) << trace.raw;
  bool omitted = false;
  for (const Json& op : trace.body["quotes"][0]["diff"]) omitted = omitted || op["op"] == "omitted";
  EXPECT_TRUE(omitted) << trace.raw;  // the ellipsis stands for words the original has

  // A whole pasted article (paragraphs, a URL): traced like an ingested one,
  // each link saying why it was made; offsets are bytes of "traced_text".
  Reply article = Post("/api/trace",
                       R"({"text": "SEOUL (Wire) - North Korea's leader wrote a letter.\n\nIn it he called for )"
                       R"(\"the poisonous weeds of anti-socialist ... practices to be uprooted\", state media said.",)"
                       R"( "url": "https://wire.example/story"})",
                       "application/json");
  ASSERT_EQ(article.status, 200) << article.raw;
  ASSERT_GE(article.body["quotes"].size(), 1u) << article.raw;
  const Json& first = article.body["quotes"][0];
  EXPECT_EQ(first["why"], "verbatim") << article.raw;
  EXPECT_EQ(first["match"], "near") << article.raw;  // the ellipsis leaves words out
  const std::string traced = article.body.value("traced_text", "");
  EXPECT_EQ(traced.substr(first["begin"].get<size_t>(), 18), "the poisonous weed") << article.raw;

  Reply events = Get("/api/events");
  ASSERT_EQ(events.status, 200) << events.raw;
  EXPECT_GE(events.body["total"].get<int>(), 1) << events.raw;
}

TEST_F(ServerTest, HookParametersAreCheckedFirst) {
  // Parameters are still checked first.
  ExpectError(Get("/api/entities?limit=0"), 400, "limit");
  ExpectError(Get("/api/events?from=soon"), 400, "from");
  ExpectError(Post("/api/trace", "{not json", "application/json"), 400, "body");
  ExpectError(Post("/api/trace", R"({"text": 5})", "application/json"), 400, "text");
  ExpectError(Post("/api/trace", R"({"text": "x", "limit": 1000})", "application/json"), 400, "limit");
  ExpectError(Post("/api/trace", "   ", "text/plain"), 400, "text");
  ExpectError(Post("/api/trace", R"({"text": "x", "date": 20240101})", "application/json"), 400, "date");
  Reply bad_date = Post("/api/trace", R"({"text": "x y z", "date": "soon"})", "application/json");
  EXPECT_EQ(bad_date.status, 400) << bad_date.raw;
}

TEST_F(ServerTest, OversizedBodiesGet413) {
  Reply r = Post("/api/trace", std::string(200 << 10, 'a'), "text/plain");
  EXPECT_EQ(r.status, 413) << r.raw.substr(0, 200);
  // And the server still answers.
  EXPECT_EQ(Get("/api/stats").status, 200);
}

TEST_F(ServerTest, IngestIsOffByDefault) {
  Reply r = Post("/api/ingest", R"({"text": "Title\n\nBody."})", "application/json");
  ExpectError(r, 403, "");
}

TEST_F(ServerTest, UnknownEndpointsAndMethods) {
  ExpectError(Get("/api/nope"), 404, "");
  ExpectError(Post("/api/search", "x", "text/plain"), 404, "");
  httplib::Client client("127.0.0.1", server_->port());
  auto put = client.Put("/api/search", "x", "text/plain");
  ASSERT_TRUE(put);
  EXPECT_GE(put->status, 400);
}

TEST_F(ServerTest, StaticFilesStayInsideTheAssetFolder) {
  Reply index = Get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_NE(index.raw.find("echotrace test ui"), std::string::npos);
  Reply script = Get("/assets/app-1234.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_NE(script.content_type.find("javascript"), std::string::npos);
  EXPECT_EQ(Get("/.hidden").status, 404);
  EXPECT_EQ(Get("/link.txt").status, 404);  // a symlink out of the folder
  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
                           "/..%5csecret.txt", "/assets/%2e%2e/%2e%2e/secret.txt", "//etc/passwd", "/%00index.html"}) {
    const std::string response = RawRequest(
        server_->port(), std::string("GET ") + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(response.rfind("HTTP/1.1 ", 0), 0u) << path << ": no answer";
    EXPECT_EQ(response.find("TOP SECRET"), std::string::npos) << path;
    EXPECT_EQ(response.find("root:"), std::string::npos) << path;
  }
}

TEST_F(ServerTest, GarbageRequestsDoNotKillTheServer) {
  for (const std::string& junk :
       {std::string("\x16\x03\x01\x02\x00garbage\r\n\r\n"), std::string("GET\r\n\r\n"),
        std::string("GET /api/search?q=%ZZ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), std::string(20000, 'A') + "\r\n\r\n",
        std::string("POST /api/trace HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999999999999999\r\n\r\nabc"),
        std::string("POST /api/trace HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n")}) {
    (void)RawRequest(server_->port(), junk, true);
  }
  EXPECT_EQ(Get("/api/stats").status, 200);
}

// Annotation spans (as the annotators will store them) come back in the
// article, drive the entity filter and facets, with UTF-16 offsets a browser can use.
TEST(ServerAnnotationsTest, StoredSpansReachTheApi) {
  TempDir data;
  Ingest(data.path(), {SampleDir()});
  {
    auto store = Store::Open(data / "echotrace.sqlite", false, false);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    int64_t docno = 0;
    ASSERT_TRUE((*store)->Resolve("sample-kcna-2024-001", &docno).ok());
    auto v = (*store)->Get(docno, true);
    ASSERT_TRUE(v.ok());
    Document doc = v->doc;
    const std::string name = "Songchon County";
    const size_t at = doc.text.find(name);
    ASSERT_NE(at, std::string::npos);
    Span entity;
    entity.begin = static_cast<uint32_t>(at);
    entity.end = static_cast<uint32_t>(at + name.size());
    entity.kind = SpanKind::kEntity;
    entity.label = "place";
    entity.key = "songchon-county";
    entity.attrs = {{"province", "South Phyongan"}};
    ASSERT_TRUE(doc.AddSpans({entity}).ok());
    ASSERT_TRUE((*store)->Begin().ok());
    ASSERT_TRUE((*store)->UpdateExtraction(docno, doc).ok());
    ASSERT_TRUE((*store)->Commit().ok());
  }
  ServerOptions options;
  options.data_dir = data.path();
  options.port = 0;
  auto server = Server::Start(options);
  ASSERT_TRUE(server.ok());
  httplib::Client client("127.0.0.1", (*server)->port());

  Json article = Json::parse(client.Get("/api/article/sample-kcna-2024-001")->body);
  const Json* found = nullptr;
  for (const Json& a : article["annotations"]) {
    if (a["key"] == "songchon-county") found = &a;
  }
  ASSERT_NE(found, nullptr) << article.dump();
  const Json& span = *found;
  EXPECT_EQ(span["kind"], "entity");
  EXPECT_EQ(span["label"], "place");
  EXPECT_EQ(span["key"], "songchon-county");
  EXPECT_EQ(span["attrs"]["province"], "South Phyongan");
  EXPECT_EQ(span["text"], "Songchon County");
  EXPECT_EQ(span["end16"].get<int>() - span["begin16"].get<int>(), 15);

  // The entity filter and facet come from the index (what the annotator stored).
  Json filtered = Json::parse(client.Get("/api/search?q=&entity=south-phyongan")->body);
  ASSERT_GE(filtered["total"].get<int>(), 1) << filtered.dump();
  bool has_sample = false;
  for (const Json& hit : filtered["hits"]) has_sample = has_sample || hit["external_id"] == "sample-kcna-2024-001";
  EXPECT_TRUE(has_sample) << filtered.dump();
  bool counted = false;  // every filtered hit mentions it, so its facet count is the total
  for (const Json& e : filtered["facets"]["entity"]) {
    counted = counted || (e["key"] == "south-phyongan" && e["count"] == filtered["total"]);
  }
  EXPECT_TRUE(counted) << filtered.dump();
  // By name as well as by key.
  EXPECT_EQ(Json::parse(client.Get("/api/search?q=&entity=South%20Phyongan%20Province")->body)["total"],
            filtered["total"]);
  EXPECT_EQ(Json::parse(client.Get("/api/search?q=&entity=nowhere")->body)["total"], 0);

  Json faceted = Json::parse(client.Get("/api/search?q=factory&entity_facets=1")->body);
  ASSERT_TRUE(faceted["facets"].contains("entity")) << faceted.dump();
  bool listed = false;
  for (const Json& e : faceted["facets"]["entity"]) listed = listed || e["name"] == "South Phyongan Province";
  EXPECT_TRUE(listed) << faceted.dump();
}

// "State media" and "foreign press" have one definition (MediaKindOfSource):
// the CLI's --media, the query prefix media: and the API's kind filter (the
// UI's) give the same articles, with the outlet read from a record's URL when
// it names none, and unknown sources counted as foreign.
TEST(ServerMediaTest, CliQueryPrefixAndApiAgreeOnStateAndForeign) {
  TempDir data, in;
  WriteFile(in / "records.jsonl",
            "{\"id\":\"m-url-state\",\"url\":\"http://www.kcna.kp/en/article/1\",\"title\":\"Tideland "
            "reclamation advances\",\"body\":\"Tideland work advances in the province.\",\"date\":\"2024-03-01\"}\n"
            "{\"id\":\"m-named\",\"source\":\"Reuters\",\"title\":\"Tideland project seen\",\"body\":\"Tideland "
            "work was reported from abroad.\",\"date\":\"2024-03-02\"}\n"
            "{\"id\":\"m-url-foreign\",\"url\":\"https://www.reuters.com/world/x\",\"title\":\"Tideland "
            "again\",\"body\":\"Tideland talk once more.\",\"date\":\"2024-03-03\"}\n"
            "{\"id\":\"m-unknown\",\"source\":\"Daily Bugle\",\"title\":\"Tideland note\",\"body\":\"A "
            "Tideland mention.\",\"date\":\"2024-03-04\"}\n"
            "{\"id\":\"m-none\",\"title\":\"Tideland unsourced\",\"body\":\"Tideland, source "
            "unknown.\",\"date\":\"2024-03-05\"}\n");
  Ingest(data.path(), {in / "records.jsonl"});
  ServerOptions options;
  options.data_dir = data.path();
  options.port = 0;
  auto server = Server::Start(options);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  httplib::Client client("127.0.0.1", (*server)->port());
  const auto ids = [](const Json& hits) {
    std::set<std::string> out;
    for (const Json& hit : hits) out.insert(hit.value("external_id", ""));
    return out;
  };
  const auto cli_ids = [&](const std::vector<std::string>& args) {
    std::vector<std::string> all = {"search"};
    all.insert(all.end(), args.begin(), args.end());
    all.insert(all.end(), {"--data", data.path(), "--json", "--limit", "100"});
    const testing::CliRun run = testing::RunCli(all);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return ids(Json::parse(run.out)["hits"]);  // --json is the API's answer
  };
  const std::map<std::string, std::set<std::string>> want = {
      {"state", {"m-url-state"}}, {"foreign", {"m-named", "m-url-foreign", "m-unknown", "m-none"}}};
  for (const auto& [kind, expected] : want) {
    const Json api = Json::parse(client.Get(("/api/search?q=tideland&limit=100&kind=" + kind).c_str())->body);
    EXPECT_EQ(ids(api["hits"]), expected) << kind << ": " << api.dump();
    const Json prefix =
        Json::parse(client.Get(("/api/search?q=tideland%20media:" + kind + "&limit=100").c_str())->body);
    EXPECT_EQ(ids(prefix["hits"]), expected) << kind << ": " << prefix.dump();
    EXPECT_EQ(cli_ids({"tideland", "--media", kind}), expected) << kind;
    EXPECT_EQ(cli_ids({"tideland media:" + kind}), expected) << kind;
  }
}

TEST(ServerOptionsTest, PublicIngestNeedsALongToken) {
  ServerOptions options;
  TempDir dir;
  options.data_dir = dir.path();
  options.port = 0;
  options.bind = "0.0.0.0";
  options.allow_ingest = true;
  auto no_token = Server::Start(options);
  ASSERT_FALSE(no_token.ok());
  EXPECT_EQ(no_token.status().code(), StatusCode::kUsage);
  options.token = "short";
  EXPECT_FALSE(Server::Start(options).ok());
  EXPECT_TRUE(IsLoopback("127.0.0.1"));
  EXPECT_TRUE(IsLoopback("127.1.2.3"));
  EXPECT_TRUE(IsLoopback("::1"));
  EXPECT_FALSE(IsLoopback("0.0.0.0"));
  EXPECT_FALSE(IsLoopback("192.168.1.1"));
}

TEST(ServerIngestTest, IngestWithTokenWhileSearchesKeepAnswering) {
  TempDir data;
  Ingest(data.path(), {SampleDir()});
  ServerOptions options;
  options.data_dir = data.path();
  options.port = 0;
  options.allow_ingest = true;
  options.token = "0123456789abcdef-test-token";
  options.TEST_require_token = true;
  auto server = Server::Start(options);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const int port = (*server)->port();

  std::atomic<bool> done{false};
  std::atomic<int> searches{0}, failures{0};
  std::thread reader([&] {
    httplib::Client client("127.0.0.1", port);
    while (!done) {
      auto r = client.Get("/api/search?q=pyongyang");
      if (!r || r->status != 200) ++failures;
      ++searches;
    }
  });

  httplib::Client client("127.0.0.1", port);
  const int64_t articles_before = Json::parse(client.Get("/api/stats")->body)["articles"];
  const std::string paste = R"({"name": "note.txt", "text": "Zanzibarian Gazette Reports Quokka Census\n\n)"
                            R"(The quokka census on the island counted many animals this spring."})";
  auto unauthorized = client.Post("/api/ingest", paste, "application/json");
  ASSERT_TRUE(unauthorized);
  EXPECT_EQ(unauthorized->status, 401);

  httplib::Headers headers = {{"Authorization", "Bearer " + options.token}};
  auto ingested = client.Post("/api/ingest", headers, paste, "application/json");
  ASSERT_TRUE(ingested);
  EXPECT_EQ(ingested->status, 200) << ingested->body;
  Json report = Json::parse(ingested->body);
  EXPECT_EQ(report["added"], 1);

  // Multipart upload of a whole sample file: a second ingest, while the reader runs.
  httplib::MultipartFormDataItems items = {{"files", testing::ReadFile(SampleDir() + "/kcna_2024_mixed.jsonl"),
                                            "../../mixed.jsonl", "application/x-ndjson"}};
  auto multipart = client.Post("/api/ingest", headers, items);
  ASSERT_TRUE(multipart);
  EXPECT_EQ(multipart->status, 200) << multipart->body;
  EXPECT_GT(Json::parse(multipart->body)["duplicates"].get<int>(), 0) << multipart->body;
  EXPECT_FALSE(std::filesystem::exists(data.path() + "/../mixed.jsonl"));

  // The new article is searchable at once.
  auto found = client.Get("/api/search?q=quokka");
  ASSERT_TRUE(found);
  EXPECT_EQ(Json::parse(found->body)["total"], 1) << found->body;
  // And counted: the cached stats follow the index.
  EXPECT_EQ(Json::parse(client.Get("/api/stats")->body)["articles"].get<int64_t>(), articles_before + 1);
  done = true;
  reader.join();
  EXPECT_GT(searches.load(), 0);
  EXPECT_EQ(failures.load(), 0);
}

// Write requests share one writer (server/writer.h): concurrent ingests wait
// their turn instead of failing, each answers once its record is committed,
// and every article is findable afterwards.
TEST(ServerIngestTest, ConcurrentIngestsAllSucceedAndAreFindable) {
  TempDir data;
  Ingest(data.path(), {SampleDir()});
  ServerOptions options;
  options.data_dir = data.path();
  options.port = 0;
  options.allow_ingest = true;
  auto server = Server::Start(options);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const int port = (*server)->port();
  constexpr int kThreads = 8, kPosts = 3;
  // A made-up word per note ("quillab", "quillac", ...), so each search finds exactly one.
  auto word = [](int thread, int post) { return std::string("quill") + char('a' + thread) + char('a' + post); };
  std::vector<std::vector<Reply>> replies(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client client("127.0.0.1", port);
      client.set_read_timeout(120, 0);
      for (int i = 0; i < kPosts; ++i) {
        const Json paste = {{"name", "note.txt"},
                            {"text", "Harbour Note " + word(t, i) + "\n\nThe harbour master " + word(t, i) +
                                         " counted " + std::to_string(10 * t + i) + " boats at dawn."}};
        replies[t].push_back(ToReply(client.Post("/api/ingest", paste.dump(), "application/json")));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  httplib::Client client("127.0.0.1", port);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPosts; ++i) {
      const Reply& reply = replies[t][i];
      EXPECT_EQ(reply.status, 200) << word(t, i) << ": " << reply.raw;
      if (reply.status == 200) {
        EXPECT_EQ(reply.body["added"], 1) << reply.raw;
      }
      const Reply found = ToReply(client.Get(("/api/search?q=" + word(t, i)).c_str()));
      ASSERT_EQ(found.status, 200) << found.raw;
      EXPECT_EQ(found.body["total"], 1) << word(t, i) << ": " << found.raw;
    }
  }
}

TEST(ServerEmptyTest, NoDataYetSearchIs404StatsSayEmpty) {
  TempDir data;
  ServerOptions options;
  options.data_dir = data / "not-yet";
  options.port = 0;
  auto server = Server::Start(options);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  httplib::Client client("127.0.0.1", (*server)->port());
  auto stats = client.Get("/api/stats");
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->status, 200);
  EXPECT_TRUE(Json::parse(stats->body)["empty"].get<bool>());
  auto search = client.Get("/api/search?q=x");
  ASSERT_TRUE(search);
  EXPECT_EQ(search->status, 404) << search->body;  // kNotFound: no data here
  EXPECT_EQ(Json::parse(search->body)["code"], "no_data") << search->body;
  EXPECT_EQ(client.Get("/")->status, 200);  // the "UI not built" page
}

}  // namespace
}  // namespace echotrace::server

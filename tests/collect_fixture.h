// A web site for the collection tests: an HTTP server on 127.0.0.1 (a free
// port) whose pages a test sets and changes between polls. It answers
// conditional requests (ETag), redirects, sleeps, and 404s for what is not
// set. cpp-httplib gzips text bodies when the client asks (our fetcher
// always does), so every page crosses the wire compressed.
#pragma once

#include <httplib.h>

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace echotrace::testing {

struct FixturePage {
  int status = 200;
  std::string body;
  std::string content_type = "text/html; charset=utf-8";
  std::string location;  // with a 3xx status
  std::string etag;      // answered with 304 when If-None-Match has it
  int delay_ms = 0;      // sleep before answering
};

inline FixturePage Page(int status, std::string body, std::string content_type = "text/html; charset=utf-8",
                        std::string location = "", std::string etag = "", int delay_ms = 0) {
  return {status, std::move(body), std::move(content_type), std::move(location), std::move(etag), delay_ms};
}

class FixtureServer {
 public:
  FixtureServer() {
    server_.Get(".*", [this](const httplib::Request& request, httplib::Response& response) {
      FixturePage page;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ++hits_[request.path];
        auto it = pages_.find(request.path);
        if (it == pages_.end()) {
          response.status = 404;
          response.set_content("not here", "text/plain");
          return;
        }
        page = it->second;
      }
      if (page.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(page.delay_ms));
      if (!page.etag.empty()) {
        response.set_header("ETag", page.etag);
        if (request.get_header_value("If-None-Match") == page.etag) {
          response.status = 304;
          return;
        }
      }
      response.status = page.status;
      if (!page.location.empty()) response.set_header("Location", Url(page.location));
      response.set_content(page.body, page.content_type);
    });
    server_.Post(".*", [this](const httplib::Request& request, httplib::Response& response) {
      std::lock_guard<std::mutex> lock(mutex_);
      ++post_attempts_[request.path];
      if (failing_posts_ > 0) {
        --failing_posts_;
        response.status = 503;
        return;
      }
      posts_[request.path].push_back(request.body);
      response.status = 204;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FixtureServer() {
    server_.stop();
    thread_.join();
  }
  FixtureServer(const FixtureServer&) = delete;
  FixtureServer& operator=(const FixtureServer&) = delete;

  void Set(const std::string& path, FixturePage page) {
    std::lock_guard<std::mutex> lock(mutex_);
    pages_[path] = std::move(page);
  }
  void Remove(const std::string& path) {
    std::lock_guard<std::mutex> lock(mutex_);
    pages_.erase(path);
  }
  int Hits(const std::string& path) {
    std::lock_guard<std::mutex> lock(mutex_);
    return hits_[path];
  }
  // Bodies POSTed to `path` and accepted (204), in order.
  std::vector<std::string> Posted(const std::string& path) {
    std::lock_guard<std::mutex> lock(mutex_);
    return posts_[path];
  }
  // POSTs to `path` received, refused ones included.
  int PostAttempts(const std::string& path) {
    std::lock_guard<std::mutex> lock(mutex_);
    return post_attempts_[path];
  }
  // The next `n` POSTs (to any path) are answered 503 and not kept.
  void FailPosts(int n) {
    std::lock_guard<std::mutex> lock(mutex_);
    failing_posts_ = n;
  }
  // An absolute URL for a path; a full URL passes through.
  std::string Url(const std::string& path) const {
    if (path.rfind("http", 0) == 0) return path;
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int port() const { return port_; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::map<std::string, FixturePage> pages_;
  std::map<std::string, int> hits_;
  std::map<std::string, std::vector<std::string>> posts_;
  std::map<std::string, int> post_attempts_;
  int failing_posts_ = 0;
};

// An article page in the shape extraction knows (title, date, paragraphs).
inline std::string ArticlePage(const std::string& title, const std::string& date, const std::string& body) {
  std::string html = "<!DOCTYPE html><html><head><title>" + title +
                     "</title><meta property=\"article:published_time\" content=\"" + date +
                     "\"></head><body><article><h1>" + title + "</h1>";
  size_t start = 0;
  for (size_t end; (end = body.find("\n\n", start)) != std::string::npos; start = end + 2) {
    html += "<p>" + body.substr(start, end - start) + "</p>";
  }
  html += "<p>" + body.substr(start) + "</p></article></body></html>";
  return html;
}

// An RSS 2.0 feed listing `paths` (newest first) on `server`.
inline std::string RssFeed(const FixtureServer& server, const std::vector<std::string>& paths) {
  std::string xml = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Fixture</title>";
  for (const std::string& path : paths) {
    xml += "<item><title>" + path + "</title><link>" + server.Url(path) + "</link></item>";
  }
  return xml + "</channel></rss>";
}

}  // namespace echotrace::testing

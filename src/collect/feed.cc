#include "collect/feed.h"

#include <pugixml.hpp>
#include <unordered_set>

#include "collect/fetch.h"
#include "core/text.h"

namespace echotrace {
namespace {

// "news:title" -> "title": feeds mix namespaces freely and name them as they like.
std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node Child(const pugi::xml_node& parent, std::string_view local) {
  for (pugi::xml_node child : parent.children()) {
    if (child.type() == pugi::node_element && LocalName(child) == local) return child;
  }
  return {};
}

std::string Text(const pugi::xml_node& node) { return std::string(TrimAscii(node.text().get())); }

// Each URL once, in first-listed order.
struct ItemList {
  explicit ItemList(std::string_view base) : base_url(base) {}
  void Add(std::string_view url, std::string title, std::string date) {
    if (TrimAscii(url).empty()) return;
    std::string absolute = ResolveUrl(base_url, url);
    if (!seen.insert(absolute).second) return;
    items.push_back({std::move(absolute), std::move(title), std::move(date)});
  }
  std::string_view base_url;
  std::unordered_set<std::string> seen;
  std::vector<FeedItem> items;
};

// An Atom entry's link: rel="alternate" (or no rel) wins over others.
std::string AtomLink(const pugi::xml_node& entry) {
  std::string fallback;
  for (pugi::xml_node child : entry.children()) {
    if (LocalName(child) != "link") continue;
    const std::string_view rel = child.attribute("rel").as_string();
    const std::string href = child.attribute("href").as_string();
    if (rel.empty() || rel == "alternate") return href;
    if (fallback.empty()) fallback = href;
  }
  return fallback;
}

void ReadRssItems(const pugi::xml_node& parent, ItemList* list) {
  for (pugi::xml_node item : parent.children()) {
    if (LocalName(item) != "item") continue;
    std::string link = Text(Child(item, "link"));
    if (link.empty()) {  // a guid is a permalink unless it says otherwise
      pugi::xml_node guid = Child(item, "guid");
      if (guid && std::string_view(guid.attribute("isPermaLink").as_string("true")) != "false") link = Text(guid);
    }
    if (link.empty()) link = item.attribute("rdf:about").as_string();
    std::string date = Text(Child(item, "pubDate"));
    if (date.empty()) date = Text(Child(item, "date"));  // dc:date
    list->Add(link, Text(Child(item, "title")), std::move(date));
  }
}

}  // namespace

std::string_view FeedKindName(FeedKind kind) {
  switch (kind) {
    case FeedKind::kRss: return "rss";
    case FeedKind::kAtom: return "atom";
    case FeedKind::kSitemap: return "sitemap";
    case FeedKind::kSitemapIndex: return "sitemapindex";
    case FeedKind::kHtmlListing: return "html";
  }
  return "rss";
}

Result<FeedParse> ParseFeed(std::string_view bytes, std::string_view base_url) {
  pugi::xml_document xml;
  const pugi::xml_parse_result parsed = xml.load_buffer(bytes.data(), bytes.size(), pugi::parse_default);
  FeedParse out;
  if (!parsed) {
    out.warning = std::string("malformed XML at byte ") + std::to_string(parsed.offset) + ": " + parsed.description();
  }
  pugi::xml_node root = xml.document_element();
  if (!root) return Status::BadInput("not a feed: " + (out.warning.empty() ? "no XML element" : out.warning));
  ItemList list(base_url);
  const std::string_view name = LocalName(root);
  if (name == "rss") {
    out.kind = FeedKind::kRss;
    ReadRssItems(Child(root, "channel"), &list);
  } else if (name == "RDF") {  // RSS 1.0: items are siblings of the channel
    out.kind = FeedKind::kRss;
    ReadRssItems(root, &list);
  } else if (name == "feed") {
    out.kind = FeedKind::kAtom;
    for (pugi::xml_node entry : root.children()) {
      if (LocalName(entry) != "entry") continue;
      std::string date = Text(Child(entry, "published"));
      if (date.empty()) date = Text(Child(entry, "updated"));
      list.Add(AtomLink(entry), Text(Child(entry, "title")), std::move(date));
    }
  } else if (name == "urlset" || name == "sitemapindex") {
    const bool index = name == "sitemapindex";
    out.kind = index ? FeedKind::kSitemapIndex : FeedKind::kSitemap;
    for (pugi::xml_node url : root.children()) {
      if (LocalName(url) != (index ? "sitemap" : "url")) continue;
      std::string title, date = Text(Child(url, "lastmod"));
      if (pugi::xml_node news = Child(url, "news")) {  // Google News sitemap
        title = Text(Child(news, "title"));
        if (std::string published = Text(Child(news, "publication_date")); !published.empty()) date = published;
      }
      list.Add(Text(Child(url, "loc")), std::move(title), std::move(date));
    }
  } else {
    return Status::BadInput("not a feed or sitemap: root element <" + std::string(root.name()) +
                            "> (expected rss, RDF, feed, urlset or sitemapindex)");
  }
  out.items = std::move(list.items);
  return out;
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // Iterative matcher with one backtrack point: linear per star, no recursion.
  size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

FeedParse ParseListing(std::string_view html, std::string_view base_url, std::string_view pattern) {
  // A scan for href attributes rather than a DOM: listing pages only need
  // their links, and the scan is linear whatever the markup.
  FeedParse out;
  out.kind = FeedKind::kHtmlListing;
  ItemList list(base_url);
  const std::string lower = AsciiLower(html);
  for (size_t at = lower.find("href"); at != std::string::npos; at = lower.find("href", at + 4)) {
    size_t i = at + 4;
    while (i < html.size() && (html[i] == ' ' || html[i] == '\t' || html[i] == '\n' || html[i] == '\r')) ++i;
    if (i >= html.size() || html[i] != '=') continue;
    ++i;
    while (i < html.size() && (html[i] == ' ' || html[i] == '\t' || html[i] == '\n' || html[i] == '\r')) ++i;
    if (i >= html.size()) break;
    size_t end;
    if (html[i] == '"' || html[i] == '\'') {
      end = html.find(html[i], i + 1);
      ++i;
    } else {
      end = html.find_first_of(" \t\r\n>", i);
    }
    if (end == std::string_view::npos) break;
    // "&amp;" → "&" in one pass (linear; GCC 12 also misreads an in-place
    // replace loop here as an overlapping copy under -O3 -Werror=restrict).
    const std::string_view raw_href = html.substr(i, end - i);
    std::string href;
    href.reserve(raw_href.size());
    for (size_t k = 0; k < raw_href.size(); ++k) {
      href += raw_href[k];
      if (raw_href.compare(k, 5, "&amp;") == 0) k += 4;
    }
    const std::string absolute = ResolveUrl(base_url, href);
    if (GlobMatch(pattern, absolute)) list.Add(absolute, "", "");
  }
  out.items = std::move(list.items);
  return out;
}

}  // namespace echotrace

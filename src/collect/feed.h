// Feeds: the article links a source lists, from RSS 2.0 / RSS 1.0 / Atom
// feeds, XML sitemaps (news sitemaps included, and sitemap indexes), or an
// HTML listing page filtered by a link pattern.
//
// XML is parsed with pugixml, element names compared without their namespace
// prefix ("news:title" is "title"). A malformed feed is not fatal: what was
// parsed before the error is kept, and FeedParse::warning says where it broke.
//
// Cost: linear in the input (pugixml is a non-recursive parser; we walk
// a bounded depth). Memory: a small multiple of the input.
// Thread-safety: free functions without shared state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace echotrace {

enum class FeedKind { kRss, kAtom, kSitemap, kSitemapIndex, kHtmlListing };
std::string_view FeedKindName(FeedKind kind);  // "rss", "atom", "sitemap", "sitemapindex", "html"

struct FeedItem {
  std::string url;    // absolute (resolved against the feed's URL)
  std::string title;  // as the feed gives it; may be empty
  std::string date;   // as the feed gives it (pubDate, updated, lastmod); may be empty
};

struct FeedParse {
  FeedKind kind = FeedKind::kRss;
  // In the order listed (feeds list newest first; the ledger relies on the
  // order to tell a deletion from an item that scrolled off the end). Each
  // URL once. For a sitemap index: the child sitemaps' URLs.
  std::vector<FeedItem> items;
  std::string warning;  // non-empty when the XML was malformed (items before the break are kept)
};

// Parses an XML feed or sitemap; `base_url` resolves relative links.
// Errors (kBadInput): not XML at all, or a root element that is none of
// rss, RDF, feed, urlset, sitemapindex (the message names the root).
Result<FeedParse> ParseFeed(std::string_view bytes, std::string_view base_url);

// The links of an HTML page whose absolute URL matches `pattern`: a glob
// where `*` matches any run of characters, anchored at both ends
// ("https://kcna.kp/en/article/*"). Never fails; a page without matching
// links gives no items.
FeedParse ParseListing(std::string_view html, std::string_view base_url, std::string_view pattern);

// The glob match used by ParseListing. Cost: O(size of text * stars).
bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace echotrace

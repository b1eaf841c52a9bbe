// HTML extraction with gumbo: walk the DOM once (iteratively), cut it into
// text blocks, then decide which blocks are the article.
#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/text.h"
#include "extract/blocks.h"
#include "extract/extract.h"
#include "lexicon/outlets.h"

namespace echotrace::extract_internal {
namespace {

struct Block {
  std::string text;
  std::string normalized;  // NormalizeInline(text), computed once after the walk
  std::string key;         // FoldForKey(normalized), likewise
  size_t link_chars = 0;
  GumboTag tag = GUMBO_TAG_UNKNOWN;                                // the block element that closed it
  std::string container;                                           // boilerplate container label, empty if none
  bool in_main = false;                                            // inside <article> or <main>
  std::vector<const GumboNode*> containers;                        // enclosing container elements, outermost first
  std::vector<std::pair<const GumboNode*, const char*>> labelled;  // boilerplate-looking ancestors
};

struct PageMeta {
  std::string og_title, title_tag, site_name, published, canonical_url;
  std::string ld_published, ld_headline, ld_publisher;  // from JSON-LD (schema.org NewsArticle)
};

bool IsBlockTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_BODY: return true;
    default: return false;
  }
}

// Elements whose content is never text a reader sees.
bool IsInvisible(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_TITLE:  // read into PageMeta on entry; <head> itself is walked for <meta>
    case GUMBO_TAG_TEXTAREA: return true;
    default: return false;
  }
}

// Containers whose blocks are boilerplate, with the span label they get.
const char* BoilerplateLabel(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_NAV: return "navigation";
    case GUMBO_TAG_FOOTER: return "footer";
    case GUMBO_TAG_HEADER: return "header";
    case GUMBO_TAG_ASIDE: return "aside";
    case GUMBO_TAG_FORM: return "comment_form";
    case GUMBO_TAG_FIGCAPTION: return "photo_caption";
    default: return nullptr;
  }
}

const char* Attribute(const GumboElement& element, const char* name) {
  const GumboAttribute* attr = gumbo_get_attribute(&element.attributes, name);
  return attr != nullptr ? attr->value : nullptr;
}

void ReadMeta(const GumboElement& element, PageMeta* meta) {
  if (element.tag == GUMBO_TAG_META) {
    const char* key = Attribute(element, "property");
    if (key == nullptr) key = Attribute(element, "name");
    if (key == nullptr) key = Attribute(element, "itemprop");
    const char* content = Attribute(element, "content");
    if (key == nullptr || content == nullptr) return;
    const std::string k = AsciiLower(key);
    if (k == "og:title")
      meta->og_title = content;
    else if (k == "og:site_name")
      meta->site_name = content;
    else if (k == "og:url" && meta->canonical_url.empty())
      meta->canonical_url = content;
    else if ((k == "article:published_time" || k == "datepublished" || k == "date" || k == "pubdate" ||
              k == "publish-date") &&
             meta->published.empty()) {
      meta->published = content;
    }
  } else if (element.tag == GUMBO_TAG_LINK) {
    const char* rel = Attribute(element, "rel");
    const char* href = Attribute(element, "href");
    if (rel != nullptr && href != nullptr && AsciiLower(rel) == "canonical") meta->canonical_url = href;
  } else if (element.tag == GUMBO_TAG_TIME && meta->published.empty()) {
    if (const char* datetime = Attribute(element, "datetime")) meta->published = datetime;
  }
}

// Class and id words that mark page furniture (after Readability's lists,
// which hold across news sites), with the span label each implies.
const char* UnlikelyLabel(const GumboElement& element) {
  if (element.tag == GUMBO_TAG_BODY || element.tag == GUMBO_TAG_ARTICLE || element.tag == GUMBO_TAG_MAIN ||
      element.tag == GUMBO_TAG_HTML) {
    return nullptr;
  }
  std::string hints;
  if (const char* cls = Attribute(element, "class")) (hints += AsciiLower(cls)) += ' ';
  if (const char* id = Attribute(element, "id")) hints += AsciiLower(id);
  if (const char* role = Attribute(element, "role")) {
    const std::string r = AsciiLower(role);
    if (r == "navigation" || r == "menu" || r == "menubar") return "navigation";
    if (r == "complementary") return "aside";
    if (r == "contentinfo") return "footer";
    if (r == "banner") return "header";
    if (r == "dialog" || r == "alertdialog") return "popup";
  }
  if (const char* hidden = Attribute(element, "aria-hidden"); hidden != nullptr && AsciiLower(hidden) == "true") {
    return "hidden";
  }
  if (Attribute(element, "hidden") != nullptr) return "hidden";
  if (const char* style = Attribute(element, "style")) {
    std::string st = AsciiLower(style);
    st.erase(std::remove(st.begin(), st.end(), ' '), st.end());
    if (st.find("display:none") != std::string::npos || st.find("visibility:hidden") != std::string::npos) {
      return "hidden";
    }
  }
  if (hints.empty()) return nullptr;
  auto has = [&](std::string_view word) { return hints.find(word) != std::string::npos; };
  // Whole class tokens for short words that are substrings of good ones.
  auto has_token = [&](std::string_view word) {
    size_t pos = 0;
    while ((pos = hints.find(word, pos)) != std::string::npos) {
      const bool left = pos == 0 || !std::isalnum(static_cast<unsigned char>(hints[pos - 1]));
      const size_t after = pos + word.size();
      const bool right = after >= hints.size() || !std::isalnum(static_cast<unsigned char>(hints[after]));
      if (left && right) return true;
      pos = after;
    }
    return false;
  };
  if (has("cookie") || has("gdpr") || has("consent")) return "cookie_banner";
  if (has("comment") || has("disqus") || has("replies") || has("respond")) return "comment_form";
  // An embedded post ("social-media-embed", a tweet) is quoted content, not buttons.
  if (has("embed") || has("twitter-tweet") || has("instagram-media")) return nullptr;
  if (has("share") || has("social") || has("sharing")) return "share_bar";
  if (has("related") || has("recommend") || has("more-stories") || has("outbrain") || has("taboola") ||
      has("read-more") || has("readmore")) {
    return "teaser_list";
  }
  if (has("breadcrumb") || has("menu") || has("navbar") || has("pagination") || has("pager") || has_token("nav")) {
    return "navigation";
  }
  if (has("sidebar") || has("widget") || has_token("rail")) return "aside";
  if (has("footer") || has("copyright")) return "footer";
  if (has("masthead") || has("site-header") || has_token("header")) return "header";
  if (has("newsletter") || has("subscribe") || has("signup") || has("paywall") || has("promo")) return "promo";
  if (has("sponsor") || has("advert") || has_token("ad") || has_token("ads") || has("-ad-") || has("banner")) {
    return "advertisement";
  }
  if (has("popup") || has("modal") || has("overlay")) return "popup";
  if (has("caption") || has("credit")) return "photo_caption";
  return nullptr;
}

// Class/id words that suggest the article container.
int ContainerWeight(const GumboElement& element) {
  std::string hints;
  if (const char* cls = Attribute(element, "class")) (hints += AsciiLower(cls)) += ' ';
  if (const char* id = Attribute(element, "id")) hints += AsciiLower(id);
  int weight = 0;
  for (std::string_view good : {"article", "content", "entry", "post", "story", "body", "text", "main", "blog"}) {
    if (hints.find(good) != std::string::npos) {
      weight += 25;
      break;
    }
  }
  if (element.tag == GUMBO_TAG_ARTICLE || element.tag == GUMBO_TAG_MAIN) weight += 25;
  if (const char* prop = Attribute(element, "itemprop"); prop != nullptr && AsciiLower(prop) == "articlebody") {
    weight += 50;
  }
  return weight;
}

bool IsContainerTag(GumboTag tag) {
  return tag == GUMBO_TAG_DIV || tag == GUMBO_TAG_SECTION || tag == GUMBO_TAG_ARTICLE || tag == GUMBO_TAG_MAIN ||
         tag == GUMBO_TAG_TD || tag == GUMBO_TAG_BODY || tag == GUMBO_TAG_BLOCKQUOTE;
}

// schema.org metadata in <script type="application/ld+json">: an object, an
// array of objects, or an object with "@graph". Reads the first article-like
// object's datePublished, headline and publisher name. Malformed JSON is
// ignored (nlohmann's parser is iterative over input, bounded by its size).
void ReadJsonLd(std::string_view json_text, PageMeta* meta) {
  const nlohmann::json json = nlohmann::json::parse(json_text, nullptr, false);
  if (json.is_discarded()) return;
  std::vector<const nlohmann::json*> objects;
  auto collect = [&](const nlohmann::json& value) {
    if (value.is_object()) objects.push_back(&value);
    if (value.is_array()) {
      for (const auto& item : value) {
        if (item.is_object()) objects.push_back(&item);
      }
    }
  };
  collect(json);
  if (json.is_object() && json.contains("@graph")) collect(json["@graph"]);
  for (const nlohmann::json* object : objects) {
    auto text = [&](const char* key) -> std::string {
      auto it = object->find(key);
      return it != object->end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    if (meta->ld_published.empty()) meta->ld_published = text("datePublished");
    if (meta->ld_headline.empty()) meta->ld_headline = text("headline");
    if (meta->ld_publisher.empty()) {
      auto it = object->find("publisher");
      if (it != object->end() && it->is_object() && it->contains("name") && (*it)["name"].is_string()) {
        meta->ld_publisher = (*it)["name"].get<std::string>();
      }
    }
  }
}

struct Walker {
  std::vector<Block> blocks;
  Block current;
  PageMeta meta;
  std::vector<const GumboNode*> containers;             // open container elements, outermost first
  std::unordered_set<const GumboNode*> paragraph_like;  // containers holding no block elements

  void Flush() {
    if (!TrimAscii(current.text).empty()) {
      current.containers = containers;
      blocks.push_back(current);
    }
    current.text.clear();
    current.link_chars = 0;
  }
};

struct Frame {
  const GumboNode* node;
  size_t next_child = 0;
  std::vector<std::pair<const GumboNode*, const char*>> labelled;  // inherited
  bool in_main = false;
  bool in_link = false;
  bool pushed_container = false;
  bool holds_blocks = false;  // a block element (other than <br>, <hr>) inside
};

// "KCNA | Headline", "Headline - Site Name": the <title> without the parts
// that name the site. Empty when nothing else is left.
std::string CleanTitleTag(const PageMeta& meta) {
  std::string title = NormalizeInline(meta.title_tag);
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t cut = std::string::npos, width = 0;
    for (std::string_view sep : {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: "}) {
      const size_t at = title.find(sep, start);
      if (at < cut) cut = at, width = sep.size();
    }
    parts.push_back(title.substr(start, cut == std::string::npos ? std::string::npos : cut - start));
    if (cut == std::string::npos) break;
    start = cut + width;
  }
  if (parts.size() == 1 && FindOutletByName(parts[0]) == nullptr) return title;
  const std::string site = FoldForKey(meta.site_name);
  std::string best;
  for (const std::string& part : parts) {
    if (FindOutletByName(part) != nullptr || (!site.empty() && FoldForKey(part) == site)) continue;
    if (part.size() > best.size()) best = part;
  }
  return best;
}

// A date line ("May 2, 2024 8:41 AM GMT+9", "Juche 113(2024).4.18.").
bool ParseDateStamp(std::string_view line, DateLineParts* parts) {
  if (ParseDateLineParts(line, parts)) return true;
  if (line.size() > 60 || !ParseJucheDateStamp(line, &parts->date)) return false;
  parts->key = parts->date;
  parts->updated.clear();
  return true;
}

// Days between two "YYYY-MM-DD" dates (absolute); a large number if either
// is malformed.
int DaysApart(std::string_view a, std::string_view b) {
  auto days = [](std::string_view iso) -> long {
    if (iso.size() < 10) return -1;
    const int y = std::atoi(std::string(iso.substr(0, 4)).c_str());
    const unsigned m = static_cast<unsigned>(std::atoi(std::string(iso.substr(5, 2)).c_str()));
    const unsigned d = static_cast<unsigned>(std::atoi(std::string(iso.substr(8, 2)).c_str()));
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
    if (!ymd.ok()) return -1;
    return std::chrono::sys_days{ymd}.time_since_epoch().count();
  };
  const long da = days(a), db = days(b);
  if (da < 0 || db < 0) return 1 << 20;
  return static_cast<int>(da > db ? da - db : db - da);
}

size_t CountSpaces(std::string_view text) { return static_cast<size_t>(std::count(text.begin(), text.end(), ' ')); }

size_t CountCommas(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += c == ',' ? 1 : 0;
  return n;
}

// ---- Nesting budget (before gumbo) ----
// gumbo's tree construction checks the stack of open elements and the list
// of active formatting elements on many start tags: cost O(depth) per tag,
// quadratic on pathological pages (100k nested divs: 35 s; 250 KB of
// unclosed <b>: 40 s). A linear pre-scan estimates the depth (elements that
// close implicitly, like p, li and td, are not counted) and, only when it
// goes past kMaxHtmlDepth, copies the page without the start tags beyond that
// depth (and as many of the end tags that follow them). Text is kept.

bool AsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Elements that never hold content, or close implicitly: not counted.
bool UncountedElement(std::string_view name) {
  static const std::unordered_set<std::string_view> kNames = {
      "area",  "base",   "br",     "col",      "embed",   "hr",       "img",     "input", "link",  "meta",
      "param", "source", "track",  "wbr",      "keygen",  "basefont", "bgsound", "frame", "p",     "li",
      "dt",    "dd",     "option", "optgroup", "tr",      "td",       "th",      "thead", "tbody", "tfoot",
      "rb",    "rt",     "rp",     "colgroup", "caption", "html",     "head",    "body",  "image"};
  return kNames.count(name) > 0;
}

// Elements whose content is raw text: skipped to their end tag.
bool RawTextElement(std::string_view name) {
  return name == "script" || name == "style" || name == "textarea" || name == "title" || name == "xmp" ||
         name == "iframe" || name == "noembed" || name == "noframes";
}

// Returns the number of start tags beyond `max_depth`; when `out` is not
// null, writes the page without them (and without matching end tags).
size_t BoundNesting(std::string_view html, size_t max_depth, std::string* out) {
  size_t depth = 0, dropped_open = 0, dropped = 0, copied_to = 0, i = 0;
  const auto drop = [&](size_t begin, size_t end) {
    if (out != nullptr) out->append(html.substr(copied_to, begin - copied_to));
    copied_to = end;
  };
  while ((i = html.find('<', i)) != std::string_view::npos) {
    if (html.substr(i, 4) == "<!--") {
      const size_t close = html.find("-->", i + 4);
      i = close == std::string_view::npos ? html.size() : close + 3;
      continue;
    }
    const bool is_end = i + 1 < html.size() && html[i + 1] == '/';
    size_t n = i + 1 + (is_end ? 1 : 0);
    if (n >= html.size() || !AsciiAlpha(html[n])) {
      if (n < html.size() && (html[n] == '!' || html[n] == '?')) {
        const size_t close = html.find('>', n);
        i = close == std::string_view::npos ? html.size() : close + 1;
      } else {
        ++i;
      }
      continue;
    }
    char name_buffer[16];
    size_t name_size = 0;
    while (n < html.size() && (std::isalnum(static_cast<unsigned char>(html[n])) || html[n] == '-')) {
      if (name_size < sizeof name_buffer) {
        name_buffer[name_size++] = static_cast<char>(std::tolower(static_cast<unsigned char>(html[n])));
      }
      ++n;
    }
    const std::string_view name(name_buffer, name_size);
    // The tag's end: the first '>' outside quoted attribute values.
    char quote = 0;
    for (; n < html.size(); ++n) {
      const char c = html[n];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        break;
      }
    }
    const size_t tag_end = n < html.size() ? n + 1 : html.size();
    const bool self_closing = tag_end >= 2 && html[tag_end - 2] == '/';
    if (is_end) {
      if (!UncountedElement(name)) {
        if (dropped_open > 0) {
          --dropped_open;
          drop(i, tag_end);
        } else if (depth > 0) {
          --depth;
        }
      }
    } else if (RawTextElement(name)) {
      // Skip to "</name" (case-insensitive); the element itself is not counted.
      size_t at = tag_end;
      for (;;) {
        at = html.find("</", at);
        if (at == std::string_view::npos) break;
        bool match = at + 2 + name.size() <= html.size();
        for (size_t k = 0; match && k < name.size(); ++k) {
          match = std::tolower(static_cast<unsigned char>(html[at + 2 + k])) == name[k];
        }
        if (match) break;
        at += 2;
      }
      i = at == std::string_view::npos ? html.size() : at;
      continue;
    } else if (!self_closing && !UncountedElement(name)) {
      if (depth >= max_depth) {
        ++dropped_open;
        ++dropped;
        drop(i, tag_end);
      } else {
        ++depth;
      }
    }
    i = tag_end;
  }
  if (out != nullptr) out->append(html.substr(copied_to));
  return dropped;
}
}  // namespace

namespace {

// Phase 1: one iterative walk of the DOM (no recursion: depth is bounded
// only by the page) into blocks of text, each with its enclosing containers
// and the boilerplate-looking elements around it; metadata on the way.
// Returns false (and a partial walker) when `deadline` passed on the way.
bool WalkDom(const GumboNode* root, const Deadline& deadline, Walker* out) {
  Walker& walker = *out;
  std::vector<Frame> stack;
  stack.push_back(Frame{root, 0, {}, false, false, false});
  for (size_t steps = 1; !stack.empty(); ++steps) {
    if (steps % 256 == 0 && deadline.Passed()) return false;
    Frame& frame = stack.back();
    const GumboNode* node = frame.node;
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE || node->type == GUMBO_NODE_CDATA) {
      std::string_view text = node->v.text.text;
      if (!walker.current.text.empty() || !TrimAscii(text).empty()) {
        walker.current.text += text;
        walker.current.labelled = frame.labelled;
        walker.current.in_main = frame.in_main;
        if (frame.in_link) walker.current.link_chars += TrimAscii(text).size();
      }
      stack.pop_back();
      continue;
    }
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_DOCUMENT) {
      stack.pop_back();
      continue;
    }
    const GumboVector& children =
        node->type == GUMBO_NODE_ELEMENT ? node->v.element.children : node->v.document.children;
    const GumboTag tag = node->type == GUMBO_NODE_ELEMENT ? node->v.element.tag : GUMBO_TAG_HTML;
    if (frame.next_child == 0 && node->type == GUMBO_NODE_ELEMENT) {  // entering
      ReadMeta(node->v.element, &walker.meta);
      if (tag == GUMBO_TAG_SCRIPT && children.length > 0) {
        const char* type = Attribute(node->v.element, "type");
        const auto* text = static_cast<const GumboNode*>(children.data[0]);
        if (type != nullptr && AsciiLower(type) == "application/ld+json" && text->type == GUMBO_NODE_TEXT) {
          ReadJsonLd(text->v.text.text, &walker.meta);
        }
      }
      if (tag == GUMBO_TAG_TITLE && children.length > 0) {
        const auto* text = static_cast<const GumboNode*>(children.data[0]);
        if (text->type == GUMBO_NODE_TEXT) walker.meta.title_tag = text->v.text.text;
      }
      if (IsInvisible(tag)) {
        stack.pop_back();
        continue;
      }
      if (IsBlockTag(tag)) walker.Flush();
      if (IsContainerTag(tag)) {
        walker.containers.push_back(node);
        frame.pushed_container = true;
      }
      if (const char* label = BoilerplateLabel(tag)) {
        frame.labelled.emplace_back(node, label);
      } else if (const char* hint = UnlikelyLabel(node->v.element)) {
        frame.labelled.emplace_back(node, hint);
      }
    }
    if (frame.next_child < children.length) {
      Frame child{static_cast<const GumboNode*>(children.data[frame.next_child++]),
                  0,
                  frame.labelled,
                  frame.in_main,
                  frame.in_link,
                  false};
      if (node->type == GUMBO_NODE_ELEMENT) {
        if (tag == GUMBO_TAG_ARTICLE || tag == GUMBO_TAG_MAIN) child.in_main = true;
        if (tag == GUMBO_TAG_A) child.in_link = true;
      }
      stack.push_back(std::move(child));  // invalidates `frame`
      continue;
    }
    if (IsBlockTag(tag)) {  // leaving
      walker.current.tag = tag;
      walker.Flush();
    }
    if (frame.pushed_container) {
      walker.containers.pop_back();
      // A <div> with only inline content is a paragraph, not a container
      // (Readability's rule): its text scores its parent.
      if (!frame.holds_blocks && (tag == GUMBO_TAG_DIV || tag == GUMBO_TAG_SECTION)) walker.paragraph_like.insert(node);
    }
    if (stack.size() >= 2) {
      stack[stack.size() - 2].holds_blocks |=
          frame.holds_blocks || (IsBlockTag(tag) && tag != GUMBO_TAG_BR && tag != GUMBO_TAG_HR);
    }
    stack.pop_back();
  }
  walker.Flush();
  return true;
}

// Phase 2: an inline-only <div> is a paragraph, not a container; each
// block's text is normalized and keyed once.
void NormalizeBlocks(Walker* walker_out) {
  Walker& walker = *walker_out;
  if (!walker.paragraph_like.empty()) {
    for (Block& block : walker.blocks) {
      std::erase_if(block.containers, [&](const GumboNode* node) { return walker.paragraph_like.count(node) != 0; });
    }
  }
  for (Block& block : walker.blocks) {
    block.normalized = NormalizeInline(block.text);
    block.key = FoldForKey(block.normalized);
  }
}

// Phase 3: which blocks belong to a teaser section.
std::vector<bool> TeaserSections(const Walker& walker) {
  // A section led by a teaser heading ("Related posts", "More from ...",
  // or a heading whose class says so) is a teaser list as a whole: its
  // items read like prose (headline and lead) but are other articles. The
  // section is the outermost container the heading opens that holds neither
  // an <h1> nor the page's title.
  const std::string page_title_key =
      FoldForKey(!walker.meta.og_title.empty() ? walker.meta.og_title : walker.meta.ld_headline);
  std::vector<bool> in_teaser_section(walker.blocks.size(), false);
  for (size_t i = 0; i < walker.blocks.size(); ++i) {
    const Block& heading = walker.blocks[i];
    const bool heading_tag = heading.tag >= GUMBO_TAG_H2 && heading.tag <= GUMBO_TAG_H6;
    bool teaser_class = false;
    for (const auto& entry : heading.labelled) teaser_class |= std::strcmp(entry.second, "teaser_list") == 0;
    if (heading.normalized.size() > 60 || !(heading_tag || teaser_class)) continue;
    if (!teaser_class && !IsTeaserHeading(heading.key)) continue;
    size_t end = i + 1;  // blocks [i, end) are the section
    for (size_t depth = heading.containers.size(); depth-- > 0;) {
      const GumboNode* node = heading.containers[depth];
      const auto& before = i > 0 ? walker.blocks[i - 1].containers : heading.containers;
      if (i > 0 && std::find(before.begin(), before.end(), node) != before.end()) break;  // does not open it
      size_t stop = i + 1;
      bool holds_article = false;
      for (; stop < walker.blocks.size(); ++stop) {
        const Block& item = walker.blocks[stop];
        if (std::find(item.containers.begin(), item.containers.end(), node) == item.containers.end()) break;
        holds_article |= item.tag == GUMBO_TAG_H1 || (!page_title_key.empty() && item.key == page_title_key);
      }
      if (holds_article || node->v.element.tag == GUMBO_TAG_BODY) break;
      end = stop;
    }
    for (size_t j = i; j < end; ++j) in_teaser_section[j] = true;
    i = end - 1;
  }

  return in_teaser_section;
}

// The article container a page was found to have, and the tests the
// emitting phase asks of each block.
struct ArticleChoice {
  const GumboNode* best = nullptr;  // the container holding the most prose; null on a page without prose
  const GumboNode* best_parent = nullptr;
  std::unordered_set<const GumboNode*> chosen;  // best and its strong siblings and twins

  // Within two levels above the article container: where its headline,
  // byline and date line sit.
  bool NearArticle(const Block& block) const {
    if (best == nullptr) return true;
    for (const GumboNode* node : block.containers) {
      if (chosen.count(node) != 0 || node == best->parent || node == best_parent) return true;
    }
    return false;
  }

  bool InsideChosen(const Block& block) const {
    if (chosen.empty()) return true;
    for (const GumboNode* node : block.containers) {
      if (chosen.count(node) != 0) return true;
    }
    // A real paragraph beside the article container (split by an ad slot).
    if (block.link_chars == 0 && block.normalized.size() >= 80) {
      if (block.tag == GUMBO_TAG_P) {
        for (const GumboNode* node : block.containers) {
          if (node == best_parent) return true;
        }
      }
      // An inline-only <div> used as a paragraph, directly beside it.
      if (block.tag == GUMBO_TAG_DIV &&
          (block.containers.back() == best_parent || block.containers.back() == best->parent)) {
        return true;
      }
    }
    return false;
  }
};

// Phase 4: label boilerplate containers and choose the article container
// (each block's `container` label is set here).
ArticleChoice ChooseArticle(Walker* walker_out, const std::vector<bool>& in_teaser_section) {
  Walker& walker = *walker_out;
  // A boilerplate-looking element (by tag, class, id or role) labels its
  // blocks only if it holds a minor share of the page's text: pages wrap
  // everything in <form>, or in a div whose class says "has-sidebar".
  std::unordered_map<const GumboNode*, size_t> labelled_text;
  size_t total_text = 0;
  for (const Block& block : walker.blocks) {
    total_text += block.text.size();
    for (const auto& entry : block.labelled) labelled_text[entry.first] += block.text.size();
  }
  // `wrapping`: label-bearing elements known to wrap the article; never labels.
  std::unordered_set<const GumboNode*> wrapping;
  // `around_best`: the chosen container, its ancestors and its descendants
  // that bear labels, once known. A large labelled element elsewhere on the
  // page (a sidebar of excerpts) labels whatever its size; inside the
  // container it is the article's own (a "paywall" div holding its second half).
  std::unordered_set<const GumboNode*> around_best;
  auto apply_labels = [&] {
    for (size_t i = 0; i < walker.blocks.size(); ++i) {
      Block& block = walker.blocks[i];
      block.container.clear();
      if (in_teaser_section[i]) block.container = "teaser_list";
      for (const auto& [node, label] : block.labelled) {
        const bool minor = labelled_text[node] * 10 <= total_text * 3;
        if (wrapping.count(node) == 0 && (minor || (!around_best.empty() && around_best.count(node) == 0))) {
          block.container = label;
          break;
        }
      }
    }
  };

  // Score containers by the prose they hold (Readability's idea): a block of
  // real sentences credits its parent container fully, the grandparent by
  // half; class/id words and <article> add weight. The best container is the
  // article; only blocks inside it (or a strong sibling) are body.
  std::unordered_map<const GumboNode*, double> scores;
  const GumboNode* best = nullptr;
  double best_score = 0;
  auto score_containers = [&](bool use_labels) {
    scores.clear();
    best = nullptr;
    best_score = 0;
    for (const Block& block : walker.blocks) {
      if ((use_labels && !block.container.empty()) || block.containers.empty()) continue;
      const std::string& normalized = block.normalized;
      // A list item that links somewhere is a teaser or a ticker entry
      // ("Headline — lead"), not prose, however long.
      if (normalized.size() < 25 || block.link_chars * 2 > normalized.size() ||
          (block.tag == GUMBO_TAG_LI && block.link_chars > 0)) {
        continue;
      }
      const double score = 1 + static_cast<double>(CountCommas(normalized)) +
                           std::min(3.0, static_cast<double>(normalized.size()) / 100.0);
      const size_t n = block.containers.size();
      scores[block.containers[n - 1]] += score;
      if (n >= 2) scores[block.containers[n - 2]] += score / 2;
      if (n >= 3) scores[block.containers[n - 3]] += score / 6;
    }
    for (const auto& [node, score] : scores) {
      const double weighted = score * (1.0 + ContainerWeight(node->v.element) / 100.0);
      if (weighted > best_score) {
        best_score = weighted;
        best = node;
      }
    }
  };
  // When the page's strongest prose sits inside an element that looks like
  // furniture (an "aside" holding the story, a "related" wrapper), trust the
  // prose: that element and its ancestors do not label.
  score_containers(false);
  const GumboNode* best_unlabelled = best;
  const double best_unlabelled_score = best_score;
  apply_labels();
  score_containers(true);
  if (best_unlabelled != nullptr && best_unlabelled_score > 2 * best_score) {
    for (const GumboNode* node = best_unlabelled; node != nullptr; node = node->parent) wrapping.insert(node);
    apply_labels();
    score_containers(true);
  }
  for (const GumboNode* node = best; node != nullptr; node = node->parent) around_best.insert(node);
  for (const auto& [node, text_size] : labelled_text) {
    for (const GumboNode* up = node; up != nullptr && best != nullptr; up = up->parent) {
      if (up == best) {
        around_best.insert(node);
        break;
      }
    }
  }
  apply_labels();
  score_containers(true);
  std::unordered_set<const GumboNode*> chosen;
  if (best != nullptr) {
    chosen.insert(best);
    const GumboNode* parent = best->parent;
    if (parent != nullptr && parent->type == GUMBO_NODE_ELEMENT) {
      const double threshold = std::max(10.0, best_score * 0.2);
      for (unsigned i = 0; i < parent->v.element.children.length; ++i) {
        const auto* sibling = static_cast<const GumboNode*>(parent->v.element.children.data[i]);
        auto it = scores.find(sibling);
        if (sibling != best && it != scores.end() && it->second >= threshold) chosen.insert(sibling);
      }
    }
    // Bodies cut into chunks around embeds and pull quotes repeat the
    // chunk's element and class ("div.article-body-text" three times), at
    // any depth: every prose-holding twin of the best container is article.
    const char* best_class = Attribute(best->v.element, "class");
    if (best_class != nullptr && *best_class != '\0') {
      for (const auto& [node, score] : scores) {
        if (node == best || score < 3 || node->v.element.tag != best->v.element.tag) continue;
        const char* node_class = Attribute(node->v.element, "class");
        if (node_class != nullptr && std::strcmp(node_class, best_class) == 0) chosen.insert(node);
      }
    }
  }
  // Paragraphs within two levels above the article container still belong
  // to it when they read as prose (pages split bodies around ads, embeds).
  const GumboNode* best_parent = best != nullptr ? best->parent : nullptr;
  if (best_parent != nullptr && best_parent->parent != nullptr && best_parent->type == GUMBO_NODE_ELEMENT &&
      best_parent->v.element.tag != GUMBO_TAG_BODY) {
    best_parent = best_parent->parent;
  }
  ArticleChoice choice;
  choice.best = best;
  choice.best_parent = best_parent;
  choice.chosen = std::move(chosen);
  return choice;
}

// Phase 5: every block becomes a span of the Document: the title, body
// paragraphs, or boilerplate with its label. Returns the dates the page
// shows: `shown` (the first date line after the headline) and `first`.
struct ShownDates {
  std::string shown, first;
};
ShownDates EmitBlocks(const Walker& walker, const ArticleChoice& choice, std::string* title_out, Document* doc) {
  std::string& title = *title_out;
  title = !walker.meta.og_title.empty()      ? walker.meta.og_title
          : !walker.meta.ld_headline.empty() ? walker.meta.ld_headline
                                             : CleanTitleTag(walker.meta);
  const std::string title_key = FoldForKey(title);
  bool title_placed = false;
  ShownDates dates;  // from date lines: the first after the headline, the first at all
  for (const Block& block : walker.blocks) {
    const std::string& normalized = block.normalized;
    if (normalized.empty()) continue;
    const std::string& key = block.key;
    const bool heading_instead = title_key.empty() && (block.tag == GUMBO_TAG_H2 || block.tag == GUMBO_TAG_H3) &&
                                 choice.NearArticle(block) && block.container.empty();
    if (!title_placed && (block.tag == GUMBO_TAG_H1 || heading_instead || key == title_key ||
                          (!title_key.empty() && key.size() > 10 && title_key.find(key) == 0))) {
      if (title.empty() || block.tag == GUMBO_TAG_H1 || heading_instead) title = normalized;
      AppendBlock(doc, normalized, SpanKind::kTitle);
      title_placed = true;
      continue;
    }
    // Inside the article a bullet summarising a linked story may be mostly
    // link text; a menu entry or a teaser title is short.
    const bool link_heavy = block.link_chars * 2 > normalized.size() &&
                            (block.tag != GUMBO_TAG_LI || normalized.size() < 100 || CountSpaces(normalized) < 15);
    DateLineParts stamp;
    if (block.container != "teaser_list" && normalized.size() <= 120 && ParseDateStamp(normalized, &stamp)) {
      // A line that is only a date: the publication date (or a top-bar
      // "today"), never body text. The first one after the headline is the
      // date the page shows for the article.
      AppendBlock(doc, normalized, SpanKind::kBoilerplate, "dateline");
      SetDateKey(stamp, &doc->spans.back());
      if (title_placed && dates.shown.empty()) dates.shown = stamp.date;
      if (dates.first.empty()) dates.first = stamp.date;
      continue;
    }
    std::vector<std::pair<std::string, std::string>> roles;
    std::string names;
    if (block.container != "teaser_list" && block.container != "comment_form" && normalized.size() <= 200 &&
        ParseByline(normalized, &names, &roles)) {
      AppendBlock(doc, normalized, SpanKind::kBoilerplate, "byline");
      doc->spans.back().key = std::move(names);
      doc->spans.back().attrs = std::move(roles);
      continue;
    }
    if (block.container.empty() && IsPhotoCaptionText(normalized)) {
      AppendBlock(doc, normalized, SpanKind::kBoilerplate, "photo_caption");
      doc->spans.back().key = PhotoCredit(normalized);
      continue;
    }
    if (std::string categories; ParseCategoryLine(normalized, &categories)) {
      AppendBlock(doc, normalized, SpanKind::kBoilerplate, "category");
      doc->spans.back().key = std::move(categories);
      continue;
    }
    if (const char* chrome = normalized.size() <= 60 ? ChromeLabel(block.key) : nullptr) {
      AppendBlock(doc, normalized, SpanKind::kBoilerplate, chrome);
      continue;
    }
    if (block.container == "header" && block.tag == GUMBO_TAG_LI && link_heavy) {
      AppendBlock(doc, normalized, SpanKind::kBoilerplate, "navigation");  // the menu in a site header
      continue;
    }
    if (!block.container.empty()) {
      AppendBlock(doc, normalized, SpanKind::kBoilerplate, block.container);
      if (block.container == "photo_caption") doc->spans.back().key = PhotoCredit(normalized);
    } else if (!choice.InsideChosen(block)) {
      AppendBlock(doc, normalized, SpanKind::kBoilerplate, "outside_article");
    } else if (link_heavy) {
      AppendBlock(doc, normalized, SpanKind::kBoilerplate, "link_list");
    } else {
      AppendBlock(doc, normalized, SpanKind::kParagraph);
    }
  }
  return dates;
}

// Phase 6: title, date, URL and outlet from what the page states.
Status SetPageFields(PageMeta meta, const std::string& title, const ShownDates& dates, Document* doc) {
  doc->title = NormalizeInline(title);
  if (meta.published.empty()) meta.published = meta.ld_published;
  if (meta.site_name.empty()) meta.site_name = meta.ld_publisher;
  if (!meta.published.empty() && !NormalizeMetadataDate(meta.published, &doc->date)) {
    doc->warnings.push_back("unrecognized date '" + meta.published.substr(0, 40) + "'");
  }
  // The day the page shows under its headline is the outlet's own calendar
  // day; metadata is often UTC ("2024-05-01T23:41Z" for a Seoul story shown
  // as May 2). It wins over metadata a day away; further apart, the
  // metadata is trusted (the line may be an update).
  if (!dates.shown.empty() && (doc->date.empty() || DaysApart(doc->date, dates.shown) <= 1)) doc->date = dates.shown;
  if (doc->date.empty()) doc->date = dates.first;
  doc->url = std::string(TrimAscii(meta.canonical_url));
  const Outlet* outlet = FindOutletByName(meta.site_name);
  if (outlet == nullptr) outlet = FindOutletByUrl(doc->url);
  // Only outlets of the table are sources: a site's own name (a personal
  // blog's og:site_name) is no outlet id.
  if (outlet != nullptr) doc->source = outlet->id;
  if (doc->text.empty() && doc->title.empty()) return Status::BadInput("HTML page has no text");
  if (doc->text.empty()) AppendBlock(doc, doc->title, SpanKind::kTitle);
  return Status::Ok();
}

}  // namespace

Status ExtractHtml(std::string_view utf8, Document* doc, const Deadline& deadline) {
  std::string bounded;
  if (BoundNesting(utf8, kMaxHtmlDepth, nullptr) > 0) {
    const size_t dropped = BoundNesting(utf8, kMaxHtmlDepth, &bounded);
    doc->warnings.push_back("HTML nested deeper than " + std::to_string(kMaxHtmlDepth) + " elements: " +
                            std::to_string(dropped) + " tags beyond that depth ignored (their text is kept)");
    utf8 = bounded;
  }
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 100;  // we never read them; bounding them bounds memory
  GumboOutput* output = gumbo_parse_with_options(&options, utf8.data(), utf8.size());
  if (output == nullptr) return Status::BadInput("HTML could not be parsed");
  const auto over = [&] {
    gumbo_destroy_output(&options, output);
    return OverTimeBudget("extraction", deadline.max_seconds());
  };
  if (deadline.Passed()) return over();

  // Blocks point into the tree (their containers): it lives until they are emitted.
  Walker walker;
  if (!WalkDom(output->root, deadline, &walker)) return over();
  NormalizeBlocks(&walker);
  const std::vector<bool> in_teaser_section = TeaserSections(walker);
  if (deadline.Passed()) return over();
  const ArticleChoice choice = ChooseArticle(&walker, in_teaser_section);
  if (deadline.Passed()) return over();
  std::string title;
  const ShownDates dates = EmitBlocks(walker, choice, &title, doc);
  gumbo_destroy_output(&options, output);
  return SetPageFields(walker.meta, title, dates, doc);
}

}  // namespace echotrace::extract_internal

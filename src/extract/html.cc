// HTML extraction with gumbo: walk the DOM once (iteratively), cut it into
// text blocks, then decide which blocks are the article.
#include <gumbo.h>

#include <string>
#include <vector>

#include "core/text.h"
#include "extract/blocks.h"
#include "extract/extract.h"
#include "extract/outlets.h"

namespace echotrace::extract_internal {
namespace {

struct Block {
  std::string text;
  size_t link_chars = 0;
  GumboTag tag = GUMBO_TAG_UNKNOWN;  // the block element that closed it
  std::string container;             // boilerplate container label, empty if none
  bool in_main = false;              // inside <article> or <main>
};

struct PageMeta {
  std::string og_title, title_tag, site_name, published, canonical_url;
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
    case GUMBO_TAG_HEAD:
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

struct Walker {
  std::vector<Block> blocks;
  Block current;
  PageMeta meta;

  void Flush() {
    if (!TrimAscii(current.text).empty()) blocks.push_back(current);
    current.text.clear();
    current.link_chars = 0;
  }
};

struct Frame {
  const GumboNode* node;
  size_t next_child = 0;
  std::string container;  // inherited boilerplate label
  bool in_main = false;
  bool in_link = false;
};

}  // namespace

Status ExtractHtml(std::string_view utf8, Document* doc) {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 100;  // we never read them; bounding them bounds memory
  GumboOutput* output = gumbo_parse_with_options(&options, utf8.data(), utf8.size());
  if (output == nullptr) return Status::BadInput("HTML could not be parsed");

  Walker walker;
  std::vector<Frame> stack;
  stack.push_back(Frame{output->root, 0, {}, false, false});
  while (!stack.empty()) {
    Frame& frame = stack.back();
    const GumboNode* node = frame.node;
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE || node->type == GUMBO_NODE_CDATA) {
      std::string_view text = node->v.text.text;
      if (!walker.current.text.empty() || !TrimAscii(text).empty()) {
        walker.current.text += text;
        walker.current.container = frame.container;
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
    if (frame.next_child == 0) {  // entering
      if (node->type == GUMBO_NODE_ELEMENT) {
        ReadMeta(node->v.element, &walker.meta);
        if (tag == GUMBO_TAG_TITLE && children.length > 0) {
          const auto* text = static_cast<const GumboNode*>(children.data[0]);
          if (text->type == GUMBO_NODE_TEXT) walker.meta.title_tag = text->v.text.text;
        }
        if (IsInvisible(tag)) {
          stack.pop_back();
          continue;
        }
        if (IsBlockTag(tag)) walker.Flush();
      }
    }
    if (frame.next_child < children.length) {
      Frame child{static_cast<const GumboNode*>(children.data[frame.next_child++]), 0, {}, false, false};
      child.container = frame.container;
      child.in_main = frame.in_main;
      child.in_link = frame.in_link;
      if (node->type == GUMBO_NODE_ELEMENT) {
        if (const char* label = BoilerplateLabel(tag)) child.container = label;
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
    stack.pop_back();
  }
  walker.Flush();
  gumbo_destroy_output(&options, output);

  bool has_main = false;
  for (const Block& block : walker.blocks) has_main |= block.in_main && block.container.empty();

  std::string title = !walker.meta.og_title.empty() ? walker.meta.og_title : walker.meta.title_tag;
  const std::string title_key = FoldForKey(title);
  bool title_placed = false;
  for (const Block& block : walker.blocks) {
    const std::string normalized = NormalizeInline(block.text);
    if (normalized.empty()) continue;
    if (!title_placed && (block.tag == GUMBO_TAG_H1 || FoldForKey(normalized) == title_key)) {
      if (title.empty()) title = normalized;
      if (FoldForKey(normalized) == title_key || block.tag == GUMBO_TAG_H1) {
        AppendBlock(doc, normalized, SpanKind::kTitle);
        title_placed = true;
        continue;
      }
    }
    const bool link_heavy = block.link_chars * 2 > normalized.size();
    if (!block.container.empty()) {
      AppendBlock(doc, normalized, SpanKind::kBoilerplate, block.container);
    } else if (has_main && !block.in_main) {
      AppendBlock(doc, normalized, SpanKind::kBoilerplate, "outside_article");
    } else if (link_heavy) {
      AppendBlock(doc, normalized, SpanKind::kBoilerplate, "link_list");
    } else {
      AppendBlock(doc, normalized, SpanKind::kParagraph);
    }
  }
  doc->title = NormalizeInline(title);
  if (!walker.meta.published.empty() && !NormalizeMetadataDate(walker.meta.published, &doc->date)) {
    doc->warnings.push_back("unrecognized date '" + walker.meta.published.substr(0, 40) + "'");
  }
  doc->url = std::string(TrimAscii(walker.meta.canonical_url));
  const Outlet* outlet = FindOutletByName(walker.meta.site_name);
  if (outlet == nullptr) outlet = FindOutletByUrl(doc->url);
  doc->source = outlet != nullptr ? std::string(outlet->id) : AsciiLower(TrimAscii(walker.meta.site_name));
  if (doc->text.empty() && doc->title.empty()) return Status::BadInput("HTML page has no text");
  if (doc->text.empty()) AppendBlock(doc, doc->title, SpanKind::kTitle);
  return Status::Ok();
}

}  // namespace echotrace::extract_internal

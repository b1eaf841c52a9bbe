#include "extract/extract.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/text.h"
#include "extract/blocks.h"
#include "lexicon/calendar.h"
#include "lexicon/outlets.h"

namespace echotrace {
namespace extract_internal {

bool AppendBlock(Document* doc, std::string_view block, SpanKind kind, std::string_view label) {
  const std::string normalized = NormalizeInline(block);
  if (normalized.empty()) return false;
  if (!doc->text.empty()) doc->text += "\n\n";
  Span span;
  span.begin = static_cast<uint32_t>(doc->text.size());
  doc->text += normalized;
  span.end = static_cast<uint32_t>(doc->text.size());
  span.kind = kind;
  span.label.assign(label);
  doc->spans.push_back(std::move(span));
  return true;
}

namespace {

using Json = nlohmann::json;

// First string-valued member among `keys`; numbers are printed (ids).
std::string StringField(const Json& object, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) continue;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<long long>());
  }
  return {};
}

// A scraper that joined a list of paragraphs with ", " (empty items left in)
// writes one line with ", ," between paragraphs and a tail of ", , ,": the
// KCNA stories of 2011-12 arrive so. A body of one line with at least two
// such separators is split at them; pieces without a letter or digit (the
// tail) are dropped. Cost: linear in the body.
constexpr int kMinListJoinSeparators = 2;

// Where a ", ," separator starts at `i` (a comma, optional spaces, a comma,
// then a space or the end): the index just past it, else 0.
size_t ListJoinSeparatorEnd(std::string_view body, size_t i) {
  if (body[i] != ',') return 0;
  size_t j = i + 1;
  while (j < body.size() && body[j] == ' ') ++j;
  if (j >= body.size() || body[j] != ',') return 0;
  ++j;
  if (j < body.size() && body[j] != ' ') return 0;
  while (j < body.size() && body[j] == ' ') ++j;
  return j;
}

std::vector<std::string> SplitListJoined(const std::string& body) {
  int separators = 0;
  for (size_t i = 0; i < body.size(); ++i) {
    if (const size_t end = ListJoinSeparatorEnd(body, i)) {
      ++separators;
      i = end - 1;
    }
  }
  if (separators < kMinListJoinSeparators) return {body};
  std::vector<std::string> out;
  auto keep = [&out](std::string_view piece) {
    piece = TrimAscii(piece);
    while (!piece.empty() && (piece.back() == ',' || piece.back() == ' ')) piece.remove_suffix(1);
    const bool words = std::any_of(piece.begin(), piece.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 || static_cast<unsigned char>(c) >= 0x80;
    });
    if (words) out.emplace_back(piece);
  };
  size_t start = 0;
  for (size_t i = 0; i < body.size(); ++i) {
    if (const size_t end = ListJoinSeparatorEnd(body, i)) {
      keep(std::string_view(body).substr(start, i - start));
      start = end;
      i = end - 1;
    }
  }
  keep(std::string_view(body).substr(start));
  return out;
}

// Body as a list of paragraphs: a string split on newlines (or at a list
// join's ", ," separators, SplitListJoined), or an array of strings.
std::vector<std::string> BodyParagraphs(const Json& object) {
  std::vector<std::string> paragraphs;
  for (const char* key : {"body", "text", "story_text", "content", "articleBody"}) {
    auto it = object.find(key);
    if (it == object.end()) continue;
    if (it->is_string()) {
      const std::string& body = it->get_ref<const std::string&>();
      if (body.find('\n') == std::string::npos) {
        for (std::string& piece : SplitListJoined(body)) paragraphs.push_back(std::move(piece));
        if (!paragraphs.empty()) break;
        continue;
      }
      size_t start = 0;
      while (start <= body.size()) {
        size_t end = body.find('\n', start);
        if (end == std::string::npos) end = body.size();
        paragraphs.push_back(body.substr(start, end - start));
        start = end + 1;
      }
    } else if (it->is_array()) {
      for (const Json& item : *it) {
        if (item.is_string()) paragraphs.push_back(item.get<std::string>());
      }
    }
    if (!paragraphs.empty()) break;
  }
  return paragraphs;
}

// A record's headline repeated with no separator ("Let Us StriveLet Us
// Strive", a scraper joining two copies of the same heading) is one headline.
// Only an exact double of a longer-than-word headline is cut.
std::string UndoubledHeadline(std::string title) {
  constexpr size_t kShortestHalf = 12;
  const size_t half = title.size() / 2;
  if (title.size() % 2 == 0 && half >= kShortestHalf && title.compare(0, half, title, half, half) == 0) {
    title.resize(half);
  }
  return title;
}

}  // namespace

Status ExtractJsonLine(std::string_view utf8, Document* doc, const Deadline& deadline) {
  Json object;
  try {
    object = Json::parse(utf8);
  } catch (const Json::parse_error& e) {
    const bool truncated = e.byte >= utf8.size();
    return Status::BadInput(std::string(truncated ? "truncated JSON" : "malformed JSON") + " at byte " +
                            std::to_string(e.byte) + " of the line");
  }
  if (!object.is_object()) return Status::BadInput("JSON line is not an object");
  if (deadline.Passed()) return OverTimeBudget("extraction", deadline.max_seconds());
  const std::string title = UndoubledHeadline(NormalizeInline(StringField(object, {"title", "headline"})));
  const std::vector<std::string> paragraphs = BodyParagraphs(object);
  AppendBlock(doc, title, SpanKind::kTitle);
  doc->title = title;
  for (const std::string& paragraph : paragraphs) AppendBlock(doc, paragraph, SpanKind::kParagraph);
  if (doc->text.empty()) return Status::BadInput("record has neither a title nor a body");

  const std::string date = StringField(object, {"date", "published", "datePublished", "published_time"});
  if (!date.empty() && !NormalizeMetadataDate(date, &doc->date)) {
    doc->warnings.push_back("unrecognized date '" + date.substr(0, 40) + "'");
  }
  doc->url = std::string(TrimAscii(StringField(object, {"url", "link"})));
  const std::string source(TrimAscii(StringField(object, {"source", "outlet", "publisher"})));
  // A known name in the record wins; else the URL's domain names the outlet
  // (records of scrapers often carry a URL and no source).
  const Outlet* outlet = FindOutletByName(source);
  if (outlet == nullptr) outlet = FindOutletByUrl(doc->url);
  doc->source = outlet != nullptr ? std::string(outlet->id) : AsciiLower(source);
  doc->external_id = std::string(TrimAscii(StringField(object, {"id", "external_id"})));
  return Status::Ok();
}

}  // namespace extract_internal

namespace {

bool ValidDate(int y, int m, int d) { return y >= 1000 && lexicon::ValidDate(y, m, d); }

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

bool NormalizeMetadataDate(std::string_view value, std::string* iso) {
  value = TrimAscii(value);
  if (value.size() >= 10 && AllDigits(value.substr(0, 4)) && value[4] == '-' && AllDigits(value.substr(5, 2)) &&
      value[7] == '-' && AllDigits(value.substr(8, 2)) &&
      (value.size() == 10 || value[10] == 'T' || value[10] == ' ')) {
    const int y = std::stoi(std::string(value.substr(0, 4)));
    const int m = std::stoi(std::string(value.substr(5, 2)));
    const int d = std::stoi(std::string(value.substr(8, 2)));
    if (!ValidDate(y, m, d)) return false;
    iso->assign(value.substr(0, 10));
    return true;
  }
  if ((value.size() == 8 || value.size() == 12 || value.size() == 14) && AllDigits(value) &&
      (value.starts_with("19") || value.starts_with("20"))) {  // compact "20241010" or "20241010173200"
    const int y = std::stoi(std::string(value.substr(0, 4)));
    const int m = std::stoi(std::string(value.substr(4, 2)));
    const int d = std::stoi(std::string(value.substr(6, 2)));
    if (!ValidDate(y, m, d)) return false;
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", y, m, d);
    iso->assign(buffer);
    return true;
  }
  // Month precision: "2021-10", "October 2021", "Oct. 2021" -> "YYYY-MM".
  if (value.size() == 7 && AllDigits(value.substr(0, 4)) && value[4] == '-' && AllDigits(value.substr(5, 2))) {
    const int m = std::stoi(std::string(value.substr(5, 2)));
    if (m < 1 || m > 12 || !ValidDate(std::stoi(std::string(value.substr(0, 4))), m, 1)) return false;
    iso->assign(value);
    return true;
  }
  if (const size_t space = value.find(' ');
      space != std::string_view::npos && space + 5 == value.size() && AllDigits(value.substr(space + 1))) {
    std::string_view word = value.substr(0, space);
    if (!word.empty() && word.back() == '.') word.remove_suffix(1);
    const int m = lexicon::MonthNumber(AsciiLower(word));
    const int y = std::stoi(std::string(value.substr(space + 1)));
    if (m == 0 || !ValidDate(y, m, 1)) return false;
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d", y, m);
    iso->assign(buffer);
    return true;
  }
  if ((value.size() == 10 || value.size() == 13) && AllDigits(value)) {  // epoch seconds or ms
    long long seconds = std::stoll(std::string(value));
    if (value.size() == 13) seconds /= 1000;
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    if (gmtime_r(&t, &tm) == nullptr) return false;
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    iso->assign(buffer);
    return true;
  }
  return false;
}

Result<Document> Extract(std::string_view raw, InputFormat format, std::string origin) {
  return Extract(raw, format, std::move(origin), Deadline());
}

Result<Document> Extract(std::string_view raw, InputFormat format, std::string origin, const Deadline& deadline) {
  Document doc;
  doc.raw.assign(raw);
  doc.format = format;
  doc.origin = std::move(origin);
  Utf8Repair repaired = RepairUtf8(raw);
  if (repaired.replaced > 0) {
    doc.warnings.push_back("malformed UTF-8: " + std::to_string(repaired.replaced) +
                           " sequence(s) replaced by U+FFFD, first at byte " +
                           std::to_string(repaired.first_bad_offset));
  }
  Status status;
  switch (format) {
    case InputFormat::kJsonLine: status = extract_internal::ExtractJsonLine(repaired.text, &doc, deadline); break;
    case InputFormat::kHtml: status = extract_internal::ExtractHtml(repaired.text, &doc, deadline); break;
    case InputFormat::kText: status = extract_internal::ExtractPlainText(repaired.text, &doc, deadline); break;
  }
  if (!status.ok()) return status;
  return doc;
}

}  // namespace echotrace

#include "eval/annotate_eval.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "annotate/annotate.h"
#include "core/text.h"
#include "eval/dev_pages.h"
#include "extract/extract.h"
#include "ingest/reader.h"
#include "lexicon/romanization.h"

namespace echotrace {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// What a kind's gold items and spans are compared on.
struct KindRule {
  const char* name;      // key in the case file
  SpanKind kind;         // span kind predicted
  const char* value_of;  // gold field compared with Span::key; nullptr: text only
};
constexpr KindRule kRules[] = {
    {"dates", SpanKind::kDate, "value"}, {"entities", SpanKind::kEntity, "id"}, {"events", SpanKind::kEvent, "key"},
    {"works", SpanKind::kWork, "key"},   {"quotes", SpanKind::kQuote, nullptr},
};

Result<std::string> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot read");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string MatchKey(std::string_view text, std::string_view value) {
  return NormalizeInline(text) + '\x1f' + std::string(value);
}

// Scores one kind of one case; appends what differs to `problems`.
KindScore ScoreKind(const KindRule& rule, const Json& gold_items, const Document& doc,
                    std::vector<std::string>* problems) {
  std::multiset<std::string> gold, predicted;
  for (const Json& item : gold_items) {
    gold.insert(MatchKey(item.value("text", ""), rule.value_of ? item.value(rule.value_of, "") : ""));
  }
  for (const Span& span : doc.spans) {
    if (span.kind != rule.kind) continue;
    predicted.insert(MatchKey(doc.SpanText(span), rule.value_of ? span.key : std::string()));
  }
  KindScore score;
  score.gold = static_cast<int64_t>(gold.size());
  score.predicted = static_cast<int64_t>(predicted.size());
  auto show = [](const std::string& key) {
    const size_t cut = key.find('\x1f');
    std::string text = key.substr(0, cut), value = key.substr(cut + 1);
    if (text.size() > 80) text = text.substr(0, 77) + "...";
    return "'" + text + "'" + (value.empty() ? "" : " = " + value);
  };
  std::multiset<std::string> unmatched_predicted = predicted;
  for (const std::string& key : gold) {
    auto it = unmatched_predicted.find(key);
    if (it != unmatched_predicted.end()) {
      ++score.matched;
      unmatched_predicted.erase(it);
    } else {
      problems->push_back(std::string("missed ") + rule.name + " " + show(key));
    }
  }
  for (const std::string& key : unmatched_predicted) {
    problems->push_back(std::string("extra ") + rule.name + " " + show(key));
  }
  return score;
}

// Speaker and channel of gold quotes that were found, compared in order of
// occurrence among quotes with the same text.
void ScoreQuoteAttribution(const Json& gold_items, const Document& doc, AnnotateCaseResult* result) {
  std::map<std::string, std::vector<const Span*>> by_text;
  for (const Span& span : doc.spans) {
    if (span.kind == SpanKind::kQuote) by_text[NormalizeInline(doc.SpanText(span))].push_back(&span);
  }
  std::map<std::string, size_t> used;
  for (const Json& item : gold_items) {
    const std::string text = NormalizeInline(item.value("text", ""));
    auto it = by_text.find(text);
    if (it == by_text.end() || used[text] >= it->second.size()) continue;
    const Span& span = *it->second[used[text]++];
    auto check = [&](const char* field, int64_t* checked, int64_t* right) {
      if (!item.contains(field)) return;
      const std::string want = item.value(field, "");
      ++*checked;
      if (span.Attr(field) == want) {
        ++*right;
      } else {
        result->problems.push_back("quote '" + text.substr(0, 60) + "': " + field + " '" +
                                   std::string(span.Attr(field)) + "', want '" + want + "'");
      }
    };
    check("speaker", &result->speakers_checked, &result->speakers_right);
    check("channel", &result->channels_checked, &result->channels_right);
  }
}

// --- Real pages -------------------------------------------------------------

// Naming conventions of the real-page gold for ids the annotator writes
// differently (never per page: these are spellings of the same body).
constexpr std::pair<std::string_view, std::string_view> kGoldIdConventions[] = {
    {"dprk", "north-korea"},
    {"pyongyang", "north-korea"},
    {"rodong", "rodong-sinmun"},
    {"tass", "itar-tass"},
    {"wpk-politburo", "wpk-political-bureau"},
};

bool IsEdgePunct(char c) {
  return c == ' ' || c == ',' || c == '.' || c == ';' || c == ':' || c == '!' || c == '?' || c == '"' || c == '\'';
}

// Whitespace collapsed, curly marks straightened, edge punctuation dropped.
std::string QuoteKey(std::string_view text) {
  std::string s = NormalizeInline(text);
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const std::string_view three = std::string_view(s).substr(i, 3);
    if (three == "\xE2\x80\x9C" || three == "\xE2\x80\x9D") {
      out.push_back('"');
      i += 2;
    } else if (three == "\xE2\x80\x98" || three == "\xE2\x80\x99") {
      out.push_back('\'');
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  size_t b = 0, e = out.size();
  while (b < e && IsEdgePunct(out[b])) ++b;
  while (e > b && (IsEdgePunct(out[e - 1]) && !(out[e - 1] == '.' && e >= 2 && out[e - 2] == '.'))) --e;
  return out.substr(b, e - b);
}

// A predicted id names the gold's person or body: the same id after the
// naming conventions, or a Korean name the gold spells in another
// romanization ("lee-jung-hoon" is RomanizationKey "ri-jong-hun").
bool SameId(std::string_view predicted, const std::string& gold) {
  const std::string ours = SpeakerToGoldId(predicted);
  if (ours == gold) return true;
  if (ours.empty() || gold.empty()) return false;
  std::string spaced = gold;
  std::replace(spaced.begin(), spaced.end(), '-', ' ');
  return RomanizationKey(spaced) == ours;
}

// A predicted date value states the gold's date at the gold's precision:
// the same value, the same day with a time ("2024-05-30T17:32+09:00" for
// "2024-05-30"), or a range inside the gold's month or year ("late 2011" =
// "2011-09/2011-12" for "2011").
bool SameDateValue(const std::string& predicted, const std::string& gold) {
  if (predicted == gold) return true;
  if (gold.empty()) return false;
  if (predicted.size() > gold.size() && predicted.compare(0, gold.size(), gold) == 0 && predicted[gold.size()] == 'T') {
    return true;
  }
  const size_t slash = predicted.find('/');
  if (slash == std::string::npos || gold.size() > 7) return false;
  const std::string from = predicted.substr(0, slash), to = predicted.substr(slash + 1);
  const auto inside = [&](const std::string& end) {
    return end.size() > gold.size() && end.compare(0, gold.size(), gold) == 0 && end[gold.size()] == '-';
  };
  return inside(from) && inside(to);
}

std::string Shorten(std::string s) { return s.size() > 80 ? s.substr(0, 77) + "..." : s; }

struct GoldPage {
  std::vector<Json> quotes, persons, dates;
};

void ScoreRealPage(const DevPage& page, const GoldPage& gold, RealPageRun* run) {
  auto doc = Extract(page.text, InputFormat::kText, page.name);
  const std::string where = page.name + ": ";
  if (!doc.ok()) {
    run->problems.push_back(where + "does not extract: " + doc.status().ToString());
    return;
  }
  doc->date = page.date;
  if (page.date.size() == 7) {
    // A month-only page date: the page was written by the month's end.
    const int year = std::atoi(page.date.substr(0, 4).c_str()), month = std::atoi(page.date.substr(5, 2).c_str());
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int last = month >= 1 && month <= 12 ? kDays[month - 1] + (month == 2 && leap ? 1 : 0) : 28;
    doc->date += "-" + std::to_string(last);
  }
  Annotate(&doc.value());
  ++run->pages;

  // Quotes: each gold quote takes the first unused span with its text.
  std::vector<const Span*> spans;
  for (const Span& span : doc->spans) {
    if (span.kind == SpanKind::kQuote) spans.push_back(&span);
  }
  std::vector<bool> used(spans.size(), false);
  for (const Json& item : gold.quotes) {
    const std::string want = QuoteKey(item.value("text", ""));
    ++run->quotes.gold;
    size_t found = spans.size();
    for (size_t i = 0; i < spans.size() && found == spans.size(); ++i) {
      if (!used[i] && QuoteKey(doc->SpanText(*spans[i])) == want) found = i;
    }
    if (found == spans.size()) {
      run->problems.push_back(where + "missed quote '" + Shorten(want) + "'");
      continue;
    }
    used[found] = true;
    ++run->quotes.matched;
    const Span& span = *spans[found];
    auto check = [&](const char* field, int64_t* checked, int64_t* right) {
      const std::string expected =
          item.contains(field) && item[field].is_string() ? item[field].get<std::string>() : "";
      const std::string got = SpeakerToGoldId(span.Attr(field));
      ++*checked;
      if (SameId(got, expected)) {
        ++*right;
      } else {
        run->problems.push_back(where + "quote '" + Shorten(want) + "': " + field + " '" + got + "' (" +
                                std::string(span.Attr(std::string(field) == "speaker" ? "speaker_text" : field)) +
                                "), want '" + expected + "'");
      }
    };
    check("speaker", &run->speakers_checked, &run->speakers_right);
    check("channel", &run->channels_checked, &run->channels_right);
  }
  // The gold lists each distinct quote text once per page (no page has two
  // records of one text), so a repeat of a matched text is no extra.
  std::set<std::string> matched_texts;
  for (size_t i = 0; i < spans.size(); ++i) {
    if (used[i]) matched_texts.insert(QuoteKey(doc->SpanText(*spans[i])));
  }
  for (size_t i = 0; i < spans.size(); ++i) {
    if (used[i]) {
      ++run->quotes.predicted;
    } else if (matched_texts.count(QuoteKey(doc->SpanText(*spans[i]))) > 0) {
      continue;
    } else if (spans[i]->label != "reported") {
      ++run->quotes.predicted;
      run->problems.push_back(where + "extra quote '" + Shorten(QuoteKey(doc->SpanText(*spans[i]))) + "' (" +
                              spans[i]->label + ")");
    }
  }

  // Persons: distinct (surface, id) pairs.
  std::set<std::pair<std::string, std::string>> want_people, got_people;
  for (const Json& item : gold.persons) {
    want_people.emplace(AsciiLower(NormalizeInline(item.value("name", ""))), item.value("id", ""));
  }
  for (const Span& span : doc->spans) {
    if (span.kind == SpanKind::kEntity && span.label == "person") {
      got_people.emplace(AsciiLower(NormalizeInline(doc->SpanText(span))), SpeakerToGoldId(span.key));
    }
  }
  run->persons.gold += static_cast<int64_t>(want_people.size());
  run->persons.predicted += static_cast<int64_t>(got_people.size());
  std::set<std::pair<std::string, std::string>> matched_people;
  for (const auto& person : want_people) {
    auto it = got_people.lower_bound({person.first, ""});
    for (; it != got_people.end() && it->first == person.first; ++it) {
      if (SameId(it->second, person.second)) break;
    }
    if (it != got_people.end() && it->first == person.first) {
      ++run->persons.matched;
      matched_people.insert(*it);
    } else {
      run->problems.push_back(where + "missed person '" + person.first + "' = " + person.second);
    }
  }
  for (const auto& person : got_people) {
    if (matched_people.count(person) == 0) {
      run->problems.push_back(where + "extra person '" + person.first + "' = " + person.second);
    }
  }

  // Dates: same value, texts containing one another. Like persons, the gold
  // lists each distinct expression once per page ("Wednesday" said twice is
  // one record; "on Thursday" and "Thursday" are two), so a repeat of a found
  // (text, value) is no extra once one of its kind matched or was counted.
  std::vector<std::pair<std::string, std::string>> got_dates;  // lowered text, value
  // The gold lists no clock times.
  for (const Span& span : doc->spans) {
    if (span.kind != SpanKind::kDate || span.key.empty() || span.key[0] == 'T') continue;
    std::pair<std::string, std::string> date(AsciiLower(NormalizeInline(doc->SpanText(span))), span.key);
    got_dates.push_back(std::move(date));
  }
  std::vector<bool> date_used(got_dates.size(), false);
  run->dates.gold += static_cast<int64_t>(gold.dates.size());
  for (const Json& item : gold.dates) {
    const std::string text = AsciiLower(NormalizeInline(item.value("text", "")));
    const std::string value = item.value("value", "");
    size_t found = got_dates.size();
    for (size_t i = 0; i < got_dates.size() && found == got_dates.size(); ++i) {
      const std::string& got = got_dates[i].first;
      if (!date_used[i] && SameDateValue(got_dates[i].second, value) &&
          (got.find(text) != std::string::npos || text.find(got) != std::string::npos)) {
        found = i;
      }
    }
    if (found == got_dates.size()) {
      run->problems.push_back(where + "missed date '" + text + "' = " + value);
      continue;
    }
    date_used[found] = true;
    ++run->dates.matched;
    ++run->dates.predicted;
  }
  std::set<std::pair<std::string, std::string>> counted;
  for (size_t i = 0; i < got_dates.size(); ++i) {
    if (date_used[i]) counted.insert(got_dates[i]);
  }
  for (size_t i = 0; i < got_dates.size(); ++i) {
    if (!date_used[i] && counted.insert(got_dates[i]).second) {
      ++run->dates.predicted;
      run->problems.push_back(where + "extra date '" + got_dates[i].first + "' = " + got_dates[i].second);
    }
  }
}

}  // namespace

std::string SpeakerToGoldId(std::string_view id) {
  for (const auto& [ours, gold] : kGoldIdConventions) {
    if (id == ours) return std::string(gold);
  }
  return std::string(id);
}

Result<RealPageRun> EvaluateRealPages(const std::string& dev_dir) {
  const std::string gold_path = (fs::path(dev_dir) / "annotations.jsonl").string();
  ET_ASSIGN_OR_RETURN(std::string gold_text, ReadFileBytes(gold_path));
  ET_ASSIGN_OR_RETURN(std::vector<DevPage> pages, ReadDevPages(dev_dir));
  std::map<std::string, GoldPage> gold;
  std::istringstream lines(gold_text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (TrimAscii(line).empty()) continue;
    Json record = Json::parse(line, nullptr, false);
    if (!record.is_object() || !record.contains("page") || !record.contains("kind")) {
      return Status::BadInput(gold_path + ":" + std::to_string(number) + ": expected an object with page and kind");
    }
    GoldPage& page = gold[record.value("page", "")];
    const std::string kind = record.value("kind", "");
    if (kind == "quote") {
      page.quotes.push_back(std::move(record));
    } else if (kind == "person") {
      page.persons.push_back(std::move(record));
    } else if (kind == "date") {
      page.dates.push_back(std::move(record));
    } else {
      return Status::BadInput(gold_path + ":" + std::to_string(number) + ": kind '" + kind +
                              "' is none of quote, person, date");
    }
  }
  RealPageRun run;
  for (const DevPage& page : pages) {
    auto it = gold.find(page.name);
    ScoreRealPage(page, it == gold.end() ? GoldPage{} : it->second, &run);
  }
  return run;
}

Result<AnnotateRun> EvaluateAnnotations(const std::string& dir, const std::string& shared_dir,
                                        std::vector<std::string>* skipped) {
  const fs::path cases_dir = fs::path(dir) / "cases";
  std::error_code ec;
  if (!fs::is_directory(cases_dir, ec)) return Status::NotFound(cases_dir.string() + ": no annotation gold here");
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(cases_dir, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  AnnotateRun run;
  for (const fs::path& file : files) {
    ET_ASSIGN_OR_RETURN(std::string case_text, ReadFileBytes(file.string()));
    const Json gold = Json::parse(case_text, nullptr, false);
    if (!gold.is_object()) return Status::BadInput(file.string() + ": not a JSON object");
    const std::string input = gold.value("input", "");
    AnnotateCaseResult result;
    result.name = file.stem().string();
    std::string path;
    if (input.rfind("shared:", 0) == 0) {
      path = shared_dir + "/" + input.substr(7);
      result.seed = input.find("seeds/") != std::string::npos;
      if (!fs::exists(path, ec)) {
        if (skipped != nullptr) skipped->push_back(result.name);
        continue;
      }
    } else {
      path = (fs::path(dir) / input).string();
    }
    ET_ASSIGN_OR_RETURN(std::string raw, ReadFileBytes(path));
    auto doc = Extract(raw, DetectFormat(raw, path), path);
    if (!doc.ok()) return Status::BadInput(file.string() + ": input does not extract: " + doc.status().ToString());
    if (doc->date.empty()) doc->date = gold.value("published", "");
    Annotate(&doc.value());
    for (const KindRule& rule : kRules) {
      if (!gold.contains(rule.name)) continue;
      if (!gold[rule.name].is_array()) return Status::BadInput(file.string() + ": '" + rule.name + "' is not a list");
      result.kinds[rule.name] = ScoreKind(rule, gold[rule.name], *doc, &result.problems);
      run.overall[rule.name].Add(result.kinds[rule.name]);
      if (result.seed) run.seeds[rule.name].Add(result.kinds[rule.name]);
    }
    if (gold.contains("quotes")) ScoreQuoteAttribution(gold["quotes"], *doc, &result);
    run.speakers_checked += result.speakers_checked;
    run.speakers_right += result.speakers_right;
    run.channels_checked += result.channels_checked;
    run.channels_right += result.channels_right;
    run.cases.push_back(std::move(result));
  }
  return run;
}

}  // namespace echotrace

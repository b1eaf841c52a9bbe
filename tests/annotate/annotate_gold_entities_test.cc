// Gold evaluation of the entity and quote finders over tests/data/annotate/cases
// (seed*_entities.json: the shared seeds; entities_*.json: passages written for
// this test). Prints precision/recall/F1 per kind and speaker attribution, and
// holds them to the targets of issue 5. Set ECHOTRACE_DUMP_ANNOTATE=1 to print
// what the finders found for every case (for writing new gold).
//
// Conventions of this gold (what counts as one mention or quote):
//  - An entity's text is the name alone: no title ("Premier"), no possessive
//    "'s"; aliases that begin with "The" keep it ("The Associated Press").
//    Capitalized "Party" is the WPK; lowercase "party" is not an entity. A
//    bare surname ("Kim") is a mention of the person it refers to. Names
//    inside hyphenated compounds ("Seoul-based") are not mentions. Only things
//    with a canonical id are listed (gazetteer entries, unseen Korean names
//    and, as the one known gap, unseen foreign names like "Wang Yajun").
//  - A quote's text is the words inside the marks, trimmed of spaces, of a
//    trailing ",;:" and of one final "."; a reported clause runs from after
//    "said (that)" to the end of the sentence, or to a trailing attribution
//    (", KCNA said", ", according to ...") keeping a closing mark before it.
//    Single quoted words and quoted titles of works are not quotes.
//  - speaker: the person (or body, or a country/capital as a sentence's
//    subject) whose words they are; an outlet when only the outlet speaks.
//    channel: the outlet named in the quote's sentence, else "".
// Cases whose JSON has a "note" saying so were written blind (gold before any
// run of the finders); the others were reviewed against the finders' output.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "annotate/entities.h"
#include "annotate/quotes.h"
#include "extract/extract.h"
#include "lexicon/gazetteer.h"
#include "test_util.h"

namespace echotrace {
namespace {

namespace fs = std::filesystem;

struct Score {
  size_t found = 0, gold = 0, matched = 0;
  double Precision() const { return found == 0 ? 1.0 : static_cast<double>(matched) / found; }
  double Recall() const { return gold == 0 ? 1.0 : static_cast<double>(matched) / gold; }
  double F1() const {
    const double p = Precision(), r = Recall();
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }
};

// Multiset intersection size of two lists of keys; removes the matched ones.
size_t Intersect(std::vector<std::string>* found, std::vector<std::string>* gold) {
  std::map<std::string, int> counts;
  for (const std::string& g : *gold) ++counts[g];
  size_t matched = 0;
  for (const std::string& f : *found) {
    if (counts[f] > 0) {
      --counts[f];
      ++matched;
    }
  }
  return matched;
}

std::vector<fs::path> CaseFiles() {
  std::vector<fs::path> files;
  const fs::path dir = fs::path(testing::SourceDir()) / "tests/data/annotate/cases";
  if (!fs::exists(dir)) return files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    const bool seed = name.rfind("seed", 0) == 0 && name.find("_entities.json") != std::string::npos;
    const bool passage = name.rfind("entities_", 0) == 0 && entry.path().extension() == ".json";
    if (seed || passage) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(AnnotateGoldEntities, EntitiesQuotesAndSpeakersMeetTargets) {
  const std::vector<fs::path> files = CaseFiles();
  ASSERT_GE(files.size(), getenv("ECHOTRACE_DUMP_ANNOTATE") ? 1u : 20u) << "gold cases missing";
  const bool dump = std::getenv("ECHOTRACE_DUMP_ANNOTATE") != nullptr;
  Score entities, quotes;
  size_t speaker_total = 0, speaker_right = 0, channel_total = 0, channel_right = 0, cases = 0, skipped = 0;
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    const nlohmann::json gold = nlohmann::json::parse(testing::ReadFile(file.string()));
    const std::string input = gold.at("input").get<std::string>();
    std::string path;
    if (input.rfind("shared:", 0) == 0) {
      if (!testing::HaveShared()) {
        ++skipped;
        continue;
      }
      path = testing::SharedDir() + "/" + input.substr(7);
    } else {
      path = testing::SourceDir() + "/tests/data/annotate/" + input;
    }
    ASSERT_TRUE(fs::exists(path)) << path;
    Result<Document> extracted = Extract(testing::ReadFile(path), InputFormat::kText, path);
    ASSERT_TRUE(extracted.ok()) << extracted.status().message();
    const Document& doc = extracted.value();
    const std::vector<Span> found_entities = FindEntities(doc, DefaultGazetteer());
    const std::vector<Span> found_quotes = FindQuotes(doc, found_entities);
    ++cases;
    if (dump) {
      nlohmann::json out;
      for (const Span& s : found_entities) {
        out["entities"].push_back({{"text", doc.SpanText(s)}, {"id", s.key}, {"type", s.label}});
      }
      for (const Span& s : found_quotes) {
        out["quotes"].push_back({{"text", doc.SpanText(s)},
                                 {"label", s.label},
                                 {"speaker", s.Attr("speaker")},
                                 {"channel", s.Attr("channel")}});
      }
      std::printf("=== %s\n%s\n", file.filename().c_str(), out.dump(1).c_str());
    }
    if (gold.contains("entities")) {
      std::vector<std::string> f, g;
      for (const Span& s : found_entities) f.push_back(std::string(doc.SpanText(s)) + "|" + s.key + "|" + s.label);
      for (const auto& e : gold["entities"]) {
        g.push_back(e.at("text").get<std::string>() + "|" + e.at("id").get<std::string>() + "|" +
                    e.at("type").get<std::string>());
      }
      const size_t matched = Intersect(&f, &g);
      entities.found += f.size();
      entities.gold += g.size();
      entities.matched += matched;
      if (matched != f.size() || matched != g.size()) {
        std::vector<std::string> missing = g, extra = f;
        for (const std::string& x : f) {
          auto it = std::find(missing.begin(), missing.end(), x);
          if (it != missing.end()) {
            missing.erase(it);
            extra.erase(std::find(extra.begin(), extra.end(), x));
          }
        }
        for (const std::string& x : missing)
          std::printf("  %s entity missing: %s\n", file.filename().c_str(), x.c_str());
        for (const std::string& x : extra) std::printf("  %s entity extra:   %s\n", file.filename().c_str(), x.c_str());
      }
    }
    if (gold.contains("quotes")) {
      std::vector<std::string> f, g;
      for (const Span& s : found_quotes) f.emplace_back(doc.SpanText(s));
      for (const auto& q : gold["quotes"]) g.push_back(q.at("text").get<std::string>());
      quotes.found += f.size();
      quotes.gold += g.size();
      quotes.matched += Intersect(&f, &g);
      // The k-th gold quote with a given text is compared with the k-th found one.
      std::map<std::string, size_t> seen;
      for (const auto& q : gold["quotes"]) {
        const std::string text = q.at("text").get<std::string>();
        size_t skip = seen[text]++;
        const auto it = std::find_if(found_quotes.begin(), found_quotes.end(),
                                     [&](const Span& s) { return doc.SpanText(s) == text && skip-- == 0; });
        if (it == found_quotes.end()) {
          std::printf("  %s quote missing: %s\n", file.filename().c_str(), text.c_str());
          continue;
        }
        ++speaker_total;
        if (it->Attr("speaker") == q.value("speaker", "")) {
          ++speaker_right;
        } else {
          std::printf("  %s speaker %s != gold %s: %s\n", file.filename().c_str(),
                      std::string(it->Attr("speaker")).c_str(), q.value("speaker", "").c_str(),
                      text.substr(0, 60).c_str());
        }
        ++channel_total;
        if (it->Attr("channel") == q.value("channel", "")) {
          ++channel_right;
        } else {
          std::printf("  %s channel %s != gold %s: %s\n", file.filename().c_str(),
                      std::string(it->Attr("channel")).c_str(), q.value("channel", "").c_str(),
                      text.substr(0, 60).c_str());
        }
      }
      for (const Span& s : found_quotes) {
        const std::string_view text = doc.SpanText(s);
        if (std::none_of(gold["quotes"].begin(), gold["quotes"].end(),
                         [&](const nlohmann::json& q) { return q.at("text").get<std::string>() == text; })) {
          std::printf("  %s quote extra: %s\n", file.filename().c_str(), std::string(text).c_str());
        }
      }
    }
  }
  const double speaker_accuracy = speaker_total == 0 ? 1.0 : static_cast<double>(speaker_right) / speaker_total;
  const double channel_accuracy = channel_total == 0 ? 1.0 : static_cast<double>(channel_right) / channel_total;
  std::printf("cases %zu (seeds skipped: %zu)\n", cases, skipped);
  std::printf("entities  P %.3f R %.3f F1 %.3f (gold %zu)\n", entities.Precision(), entities.Recall(), entities.F1(),
              entities.gold);
  std::printf("quotes    P %.3f R %.3f F1 %.3f (gold %zu)\n", quotes.Precision(), quotes.Recall(), quotes.F1(),
              quotes.gold);
  std::printf("speaker attribution %.3f (%zu/%zu), channel %.3f (%zu/%zu)\n", speaker_accuracy, speaker_right,
              speaker_total, channel_accuracy, channel_right, channel_total);
  EXPECT_GE(entities.F1(), 0.95);
  EXPECT_GE(quotes.F1(), 0.95);
  EXPECT_GE(speaker_accuracy, 0.95);
}

}  // namespace
}  // namespace echotrace

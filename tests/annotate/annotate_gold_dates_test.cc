// Scores FindDates, FindEvents and FindWorks against the gold cases in
// tests/data/annotate/cases/{seed*_dates,dates_*}.json (extraction first, as in ingest).
// Seed cases need ../shared and are skipped without it; passage cases always run.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "annotate/dates.h"
#include "annotate/events.h"
#include "extract/extract.h"
#include "test_util.h"

namespace echotrace {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Counts {
  int true_positives = 0, predicted = 0, gold = 0;
  void Add(const Counts& other) {
    true_positives += other.true_positives;
    predicted += other.predicted;
    gold += other.gold;
  }
  double Precision() const { return predicted ? static_cast<double>(true_positives) / predicted : 1.0; }
  double Recall() const { return gold ? static_cast<double>(true_positives) / gold : 1.0; }
  double F1() const {
    const double p = Precision(), r = Recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
  }
};

// "Kim Jong Un" -> "kim-jong-un": how a surface author name is compared with gold ids.
std::string AuthorSlug(std::string_view name) {
  std::string slug;
  for (char c : name) {
    if (c == ' ' || c == '-') {
      if (!slug.empty() && slug.back() != '-') slug += '-';
    } else {
      slug += static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
  }
  return slug;
}

// Multiset comparison of "item" strings; prints what differs.
Counts Compare(const std::string& name, const std::string& kind, std::vector<std::string> gold,
               std::vector<std::string> predicted) {
  std::sort(gold.begin(), gold.end());
  std::sort(predicted.begin(), predicted.end());
  std::vector<std::string> matched, missed, extra;
  std::set_intersection(gold.begin(), gold.end(), predicted.begin(), predicted.end(), std::back_inserter(matched));
  std::set_difference(gold.begin(), gold.end(), predicted.begin(), predicted.end(), std::back_inserter(missed));
  std::set_difference(predicted.begin(), predicted.end(), gold.begin(), gold.end(), std::back_inserter(extra));
  for (const std::string& item : missed) std::printf("  %s %s missed: %s\n", name.c_str(), kind.c_str(), item.c_str());
  for (const std::string& item : extra) std::printf("  %s %s extra:  %s\n", name.c_str(), kind.c_str(), item.c_str());
  return Counts{static_cast<int>(matched.size()), static_cast<int>(predicted.size()), static_cast<int>(gold.size())};
}

struct Scores {
  Counts dates, events, works;
};

// Scores one case file; returns false (and adds nothing) when its input is missing.
bool ScoreCase(const fs::path& path, Scores* scores) {
  const json gold = json::parse(testing::ReadFile(path.string()));
  const std::string input = gold.at("input").get<std::string>();
  std::string input_path;
  if (input.rfind("shared:", 0) == 0) {
    input_path = testing::SharedDir() + "/" + input.substr(7);
  } else {
    input_path = testing::SourceDir() + "/tests/data/annotate/" + input;
  }
  if (!fs::exists(input_path)) return false;
  Result<Document> extracted = Extract(testing::ReadFile(input_path), InputFormat::kText, input_path);
  EXPECT_TRUE(extracted.ok()) << path << ": " << extracted.status().ToString();
  if (!extracted.ok()) return false;
  Document doc = std::move(extracted).value();
  if (doc.date.empty() && gold.contains("published")) doc.date = gold["published"].get<std::string>();
  const std::string name = path.stem().string();

  if (gold.contains("dates")) {
    std::vector<std::string> want, got;
    for (const json& item : gold["dates"]) {
      want.push_back(item.at("text").get<std::string>() + " = " + item.at("value").get<std::string>() + " (" +
                     item.value("resolution", "") + ")");
    }
    for (const Span& span : FindDates(doc)) {
      got.push_back(std::string(doc.SpanText(span)) + " = " + span.key + " (" + std::string(span.Attr("resolution")) +
                    ")");
    }
    scores->dates.Add(Compare(name, "date", want, got));
  }
  if (gold.contains("events")) {
    std::vector<std::string> want, got;
    for (const json& item : gold["events"]) {
      want.push_back(item.at("text").get<std::string>() + " = " + item.at("key").get<std::string>());
    }
    for (const Span& span : FindEvents(doc)) got.push_back(std::string(doc.SpanText(span)) + " = " + span.key);
    scores->events.Add(Compare(name, "event", want, got));
  }
  if (gold.contains("works")) {
    std::vector<std::string> want, got;
    for (const json& item : gold["works"]) {
      want.push_back(item.at("text").get<std::string>() + " = " + item.at("key").get<std::string>() + " by " +
                     item.value("author", ""));
    }
    for (const Span& span : FindWorks(doc)) {
      got.push_back(std::string(doc.SpanText(span)) + " = " + span.key + " by " + AuthorSlug(span.Attr("author")));
    }
    scores->works.Add(Compare(name, "work", want, got));
  }
  return true;
}

void Print(const char* what, const Counts& counts) {
  std::printf("%-16s P %.3f  R %.3f  F1 %.3f  (tp %d, predicted %d, gold %d)\n", what, counts.Precision(),
              counts.Recall(), counts.F1(), counts.true_positives, counts.predicted, counts.gold);
}

std::vector<fs::path> CaseFiles(const std::string& prefix) {
  std::vector<fs::path> out;
  const fs::path folder = fs::path(testing::SourceDir()) / "tests/data/annotate/cases";
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string file = entry.path().filename().string();
    if (entry.path().extension() != ".json" || file.rfind(prefix, 0) != 0) continue;
    if (prefix == "seed" && file.find("_dates.json") == std::string::npos) continue;
    out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(AnnotateGoldDatesTest, PassagesAndSeeds) {
  Scores passages, seeds;
  int passage_cases = 0, seed_cases = 0;
  for (const fs::path& path : CaseFiles("dates_")) passage_cases += ScoreCase(path, &passages);
  for (const fs::path& path : CaseFiles("seed")) seed_cases += ScoreCase(path, &seeds);
  ASSERT_GE(passage_cases, 20) << "passage gold cases missing";
  Scores all = passages;
  all.dates.Add(seeds.dates);
  all.events.Add(seeds.events);
  all.works.Add(seeds.works);
  std::printf("%d passage cases, %d seed cases\n", passage_cases, seed_cases);
  if (seed_cases > 0) {
    Print("seeds dates", seeds.dates);
    Print("seeds events", seeds.events);
    Print("seeds works", seeds.works);
  }
  Print("all dates", all.dates);
  Print("all events", all.events);
  Print("all works", all.works);
  EXPECT_GE(all.dates.F1(), 0.97);
  EXPECT_GE(all.events.F1(), 0.95);
  EXPECT_GE(all.works.F1(), 0.95);
  if (seed_cases == 0) GTEST_SKIP() << "../shared not found: seed cases skipped (passages scored)";
  EXPECT_EQ(seed_cases, 5);
  EXPECT_DOUBLE_EQ(seeds.dates.F1(), 1.0);
  EXPECT_GE(seeds.events.F1(), 0.95);
  EXPECT_GE(seeds.works.F1(), 0.95);
}

}  // namespace
}  // namespace echotrace

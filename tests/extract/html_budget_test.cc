// Pathological HTML is bounded before gumbo (extract.h, kMaxHtmlDepth): the
// text is kept, a warning says what was ignored, and the cost stays linear.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "extract/extract.h"

namespace echotrace {
namespace {

double SecondsToExtract(const std::string& html, Result<Document>* doc) {
  const auto start = std::chrono::steady_clock::now();
  *doc = Extract(html, InputFormat::kHtml, "deep.html");
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool HasDepthWarning(const Document& doc) {
  for (const std::string& warning : doc.warnings) {
    if (warning.find("nested deeper than") != std::string::npos) return true;
  }
  return false;
}

TEST(HtmlBudget, HundredThousandNestedDivs) {
  std::string html = "<html><body>";
  for (int i = 0; i < 100000; ++i) html += "<div>";
  html += "<p>Deep text survives.</p></body></html>";
  Result<Document> doc = Status::Internal("not run");
  const double seconds = SecondsToExtract(html, &doc);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_NE(doc->Body().find("Deep text survives."), std::string::npos);
  EXPECT_TRUE(HasDepthWarning(*doc));
  EXPECT_LT(seconds, 5.0);  // 35 s before the bound; ~0.1 s after (more under sanitizers)
}

TEST(HtmlBudget, QuarterMegabyteOfUnclosedBold) {
  std::string html = "<html><body><p>Before the storm ";
  while (html.size() < (250 << 10)) html += "<b>x";
  html += " after.</p></body></html>";
  Result<Document> doc = Status::Internal("not run");
  const double seconds = SecondsToExtract(html, &doc);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_NE(doc->Body().find("Before the storm"), std::string::npos);
  EXPECT_TRUE(HasDepthWarning(*doc));
  EXPECT_LT(seconds, 5.0);
}

// The worst page (1 MB of unclosed <b>, over 120 s inside gumbo
// before the depth bound) extracts within ingest's default extraction
// budget (engine.h IngestBudgets: 30 s) on the real clock.
TEST(HtmlBudget, OneMegabyteOfUnclosedBoldFitsTheExtractionBudget) {
  std::string html = "<html><body><p>Before the storm ";
  while (html.size() < (1 << 20)) html += "<b>x";
  html += " after.</p></body></html>";
  auto doc = Extract(html, InputFormat::kHtml, "bold.html", Deadline(30));
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_NE(doc->Body().find("Before the storm"), std::string::npos);
  EXPECT_TRUE(HasDepthWarning(*doc));
}

// Past its deadline, extraction gives up with the budget's error.
TEST(HtmlBudget, ExtractionStopsAtItsDeadline) {
  std::string html = "<html><body><p>Start.";
  for (int i = 0; i < 5000; ++i) html += "<span>w</span>";
  html += "</p></body></html>";
  double now = 0;
  const BudgetClock ticking = [&now] { return now += 1; };
  auto over = Extract(html, InputFormat::kHtml, "spans.html", Deadline(10, &ticking));
  ASSERT_FALSE(over.ok());
  EXPECT_TRUE(IsOverBudget(over.status())) << over.status().ToString();
  EXPECT_NE(over.status().message().find("extraction"), std::string::npos);
  auto text = Extract("Title\n\nA body.", InputFormat::kText, "t.txt", Deadline(1, &ticking));
  ASSERT_FALSE(text.ok()) << "a deadline of one tick passes within the checks of a page";
  auto within = Extract(html, InputFormat::kHtml, "spans.html", Deadline(1000, &ticking));
  ASSERT_TRUE(within.ok()) << within.status().ToString();
}

TEST(HtmlBudget, OrdinaryPagesAreParsedAsWritten) {
  std::string html = "<html><head><title>T</title><script>if (a<b) { x = '<div>'; }</script></head><body>";
  for (int i = 0; i < 3000; ++i) html += "<p>Paragraph <b>bold</b> and <i>italic</i> text number " + std::to_string(i);
  html += "<table>";
  for (int i = 0; i < 2000; ++i) html += "<tr><td>cell<td>cell";
  html += "</table></body></html>";
  auto doc = Extract(html, InputFormat::kHtml, "ok.html");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_FALSE(HasDepthWarning(*doc));
}

}  // namespace
}  // namespace echotrace

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

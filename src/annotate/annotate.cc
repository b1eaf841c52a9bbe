#include "annotate/annotate.h"

#include <utility>
#include <vector>

#include "annotate/dates.h"
#include "annotate/entities.h"
#include "annotate/events.h"
#include "annotate/quotes.h"
#include "lexicon/gazetteer.h"

namespace echotrace {

void Annotate(Document* doc) { (void)Annotate(doc, Deadline()); }

Status Annotate(Document* doc, const Deadline& deadline) {
  doc->RemoveSpans(
      {SpanKind::kDate, SpanKind::kEntity, SpanKind::kEvent, SpanKind::kWork, SpanKind::kQuote, SpanKind::kTerm});
  const auto over = [&] { return OverTimeBudget("annotation", deadline.max_seconds()); };
  const Gazetteer& gazetteer = DefaultGazetteer();
  std::vector<Span> entities = FindEntities(*doc, gazetteer, deadline);
  if (deadline.Passed()) return over();
  std::vector<Span> terms;
  std::vector<Span> quotes = FindQuotes(*doc, entities, &terms, deadline);
  if (deadline.Passed()) return over();
  std::vector<Span> works = FindWorks(*doc, deadline);
  if (deadline.Passed()) return over();
  // A work names its author as written ("sent by Kim Jong Un"); the
  // gazetteer turns that into the same id the author's mentions carry.
  for (Span& work : works) {
    const std::string author(work.Attr("author"));
    if (author.empty()) continue;
    const std::string id = CanonicalId(gazetteer, author);
    if (!id.empty()) work.attrs.emplace_back("author_id", id);
  }
  std::vector<Span> all = FindDates(*doc, deadline);
  if (deadline.Passed()) return over();
  for (std::vector<Span>* more : {&entities, &quotes, &terms, &works}) {
    for (Span& span : *more) all.push_back(std::move(span));
  }
  for (Span& span : FindEvents(*doc, deadline)) all.push_back(std::move(span));
  if (deadline.Passed()) return over();
  // A span outside the text would be an annotator's bug: the document then
  // keeps its extraction alone, with a warning, rather than bad offsets.
  if (Status added = doc->AddSpans(std::move(all)); !added.ok()) {
    doc->warnings.push_back("annotation skipped: " + std::string(added.message()));
  }
  return Status::Ok();
}

}  // namespace echotrace

#include "annotate/annotate.h"

#include <utility>
#include <vector>

#include "annotate/dates.h"
#include "annotate/doc_tokens.h"
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
  // Each block is cut into words once per cut, for every finder below.
  const annotate_internal::DocTokens tokens = annotate_internal::TokenizeDocument(*doc);
  // Dates first: the entity finder reads them too ("Medvedev Wednesday" is no name).
  std::vector<Span> all = annotate_internal::FindDates(*doc, tokens, deadline);
  if (deadline.Passed()) return over();
  std::vector<Span> entities = annotate_internal::FindEntities(*doc, tokens, gazetteer, &all, deadline);
  if (deadline.Passed()) return over();
  std::vector<Span> terms;
  std::vector<Span> quotes = annotate_internal::FindQuotes(*doc, tokens, entities, &terms, deadline);
  if (deadline.Passed()) return over();
  std::vector<Span> works = annotate_internal::FindWorks(*doc, tokens, deadline);
  if (deadline.Passed()) return over();
  // A work names its author as written ("sent by Kim Jong Un"); the
  // gazetteer turns that into the same id the author's mentions carry.
  for (Span& work : works) {
    const std::string author(work.Attr("author"));
    if (author.empty()) continue;
    const std::string id = CanonicalId(gazetteer, author);
    if (!id.empty()) work.attrs.emplace_back("author_id", id);
  }
  for (std::vector<Span>* more : {&entities, &quotes, &terms, &works}) {
    for (Span& span : *more) all.push_back(std::move(span));
  }
  for (Span& span : annotate_internal::FindEvents(*doc, tokens, deadline)) all.push_back(std::move(span));
  if (deadline.Passed()) return over();
  // A span outside the text would be an annotator's bug: the document then
  // keeps its extraction alone, with a warning, rather than bad offsets.
  if (Status added = doc->AddSpans(std::move(all)); !added.ok()) {
    doc->warnings.push_back("annotation skipped: " + std::string(added.message()));
  }
  return Status::Ok();
}

}  // namespace echotrace

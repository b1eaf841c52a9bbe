#include "link/linker.h"

#include <algorithm>
#include <set>

#include "lexicon/outlets.h"
#include "link/doc_trace.h"

namespace echotrace {

Result<std::unique_ptr<Linker>> Linker::Open(const std::string& store_path, bool read_only) {
  std::unique_ptr<Linker> linker(new Linker());
  linker->read_only_ = read_only;
  ET_ASSIGN_OR_RETURN(linker->links_, LinkStore::Open(store_path, read_only));
  linker->deduper_ = std::make_unique<Deduper>(&linker->index_);
  ET_RETURN_IF_ERROR(linker->Load());
  return linker;
}

Status Linker::Load() {
  // Rows come in docno order, as they were added: slots repeat the order.
  std::vector<std::vector<uint32_t>> sets;
  ET_RETURN_IF_ERROR(links_->ForEachDoc([&](LinkDocRow&& row) {
    IndexedDoc doc;
    doc.docno = row.docno;
    doc.day = row.day;
    doc.state_media = row.state_media;
    index_.AddForBulk(doc, row.ngrams);
    sets.push_back(std::move(row.ngrams));
  }));
  index_.Compact();
  if (!read_only_) {
    // Dedup state: confirmed pairs are stored; re-registering rebuilds the
    // band buckets (pairs found again are already in the table).
    for (size_t slot = 0; slot < sets.size(); ++slot)
      deduper_->Register(static_cast<uint32_t>(slot), std::move(sets[slot]));
  }
  return Status::Ok();
}

Result<LinkReport> Linker::CatchUp(const Store& store, const StageBudget& budget, const BudgetClock* clock) {
  LinkReport report;
  if (read_only_) return Status::Internal("CatchUp on a read-only linker");
  ET_ASSIGN_OR_RETURN(int64_t mark, links_->Mark());
  constexpr int64_t kChunk = 2000;
  Tracer tracer(&index_, [&store](int64_t docno) { return store.Get(docno, false); });
  for (;;) {
    ET_ASSIGN_OR_RETURN(std::vector<int64_t> docnos, store.DocnosAfter(mark, kChunk));
    if (docnos.empty()) break;
    ET_RETURN_IF_ERROR(links_->Begin());
    std::vector<std::pair<int64_t, Document>> foreign;
    auto body = [&]() -> Status {
      for (int64_t docno : docnos) {
        ET_ASSIGN_OR_RETURN(StoredVersion v, store.Get(docno, false));
        LinkDocRow row;
        row.docno = docno;
        int32_t last_day = 0;
        (void)DayRange(v.doc.date, &row.day, &last_day);  // a month-only date counts from the month's first day
        row.state_media = IsStateMediaSource(v.doc.source);
        row.headline_stub = v.doc.IsHeadlineStub();
        const TokenStream tokens = TokenizeDocument(v.doc);
        row.ngrams = NgramSet(tokens.tokens);
        std::set<std::string> events, entities;
        for (const Span& span : v.doc.spans) {
          if (span.key.empty()) continue;
          if (span.kind == SpanKind::kEvent) events.insert(span.key);
          if (span.kind == SpanKind::kEntity) entities.insert(span.key);
        }
        row.event_keys.assign(events.begin(), events.end());
        row.entity_keys.assign(entities.begin(), entities.end());
        ET_RETURN_IF_ERROR(links_->PutDoc(row));
        IndexedDoc doc{docno, row.day, row.state_media};
        const uint32_t slot = index_.Add(doc, row.ngrams);
        for (const DupPair& pair : deduper_->Add(slot, std::move(row.ngrams))) {
          ET_RETURN_IF_ERROR(
              links_->PutDupPair({index_.docs()[pair.a].docno, index_.docs()[pair.b].docno, pair.similarity}));
          ++report.dup_pairs;
        }
        ++report.documents;
        if (!doc.state_media) foreign.emplace_back(docno, std::move(v.doc));
      }
      // Foreign articles' quotes, traced once this chunk is indexed.
      for (const auto& [docno, doc] : foreign) {
        Result<std::vector<QuoteMatch>> traced = Status::Internal("not traced");
        if (budget.max_bytes > 0 && doc.text.size() > budget.max_bytes) {
          traced = OverSizeBudget("linking", doc.text.size(), budget.max_bytes);
        } else {
          const Deadline deadline(budget.max_seconds, clock);
          DocumentTraceOptions options;
          options.deadline = &deadline;
          traced = echotrace::TraceDocument(tracer, doc, docno, options);
        }
        if (!traced.ok() && IsOverBudget(traced.status())) {
          report.skips.push_back(LinkSkip{docno, doc.origin, traced.status().message()});
          continue;
        }
        ET_ASSIGN_OR_RETURN(std::vector<QuoteMatch> links, std::move(traced));
        report.quotes += static_cast<int64_t>(FindQuotedPassages(doc).size());
        report.quote_links += static_cast<int64_t>(links.size());
        if (!links.empty()) ET_RETURN_IF_ERROR(links_->PutQuoteLinks(docno, links));
      }
      return links_->SetMark(docnos.back());
    };
    Status status = body();
    if (!status.ok()) {
      links_->Rollback();
      return status;
    }
    ET_RETURN_IF_ERROR(links_->Commit());
    mark = docnos.back();
    index_.MaybeCompact();
  }
  return report;
}

Result<std::vector<QuoteMatch>> Linker::Trace(const Store& store, std::string_view text, const TraceRequest& request,
                                              const TraceOptions& options) const {
  Tracer tracer(
      &index_, [&store](int64_t docno) { return store.Get(docno, false); }, options);
  return tracer.Trace(text, request);
}

Result<std::vector<QuoteMatch>> Linker::TraceDocument(const Store& store, const Document& doc, int64_t exclude_docno,
                                                      const DocumentTraceOptions& options) const {
  Tracer tracer(&index_, [&store](int64_t docno) { return store.Get(docno, false); });
  return echotrace::TraceDocument(tracer, doc, exclude_docno, options);
}

Result<std::vector<EventGroup>> StoredEvents(const LinkStore& links, const EventOptions& options) {
  std::vector<LinkDocRow> rows;
  ET_RETURN_IF_ERROR(links.ForEachDoc([&](LinkDocRow&& row) { rows.push_back(std::move(row)); }));
  std::vector<std::pair<int64_t, int64_t>> related;
  ET_ASSIGN_OR_RETURN(std::vector<StoredQuoteLink> quotes, links.AllQuoteLinks());
  for (const StoredQuoteLink& q : quotes) related.emplace_back(q.citing, q.match.docno);
  ET_ASSIGN_OR_RETURN(std::vector<DupPairRow> pairs, links.DupPairs());
  for (const DupPairRow& p : pairs) related.emplace_back(p.a, p.b);
  return GroupEvents(rows, related, options);
}

}  // namespace echotrace

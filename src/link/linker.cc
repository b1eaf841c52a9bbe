#include "link/linker.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>

#include "lexicon/outlets.h"
#include "link/doc_trace.h"

namespace echotrace {

namespace {

// Pending postings that make a rebuild flush a segment: bounds its memory.
constexpr size_t kRebuildFlushPostings = size_t{4} << 20;

void Notice(const std::string& message) { std::fprintf(stderr, "echotrace: %s\n", message.c_str()); }

}  // namespace

std::string Linker::IndexDir(const std::string& store_path) {
  return (std::filesystem::path(store_path).parent_path() / "ngrams").string();
}

Status Linker::ForgetLinks(const std::string& store_path) {
  // The index first: a kill in between leaves old links and no index, which
  // the next open rebuilds from those links.
  ET_RETURN_IF_ERROR(NgramIndex::Create(IndexDir(store_path)).status());
  ET_ASSIGN_OR_RETURN(std::unique_ptr<LinkStore> links, LinkStore::Open(store_path, false));
  return links->Clear();
}

std::vector<uint32_t> Linker::NgramsOfDocument(const Document& doc) { return NgramSet(TokenizeDocument(doc).tokens); }

Result<std::unique_ptr<Linker>> Linker::Open(const std::string& store_path, bool read_only) {
  std::unique_ptr<Linker> linker(new Linker());
  linker->read_only_ = read_only;
  linker->store_path_ = store_path;
  ET_ASSIGN_OR_RETURN(linker->links_, LinkStore::Open(store_path, read_only));
  linker->dir_ = IndexDir(store_path);
  ET_RETURN_IF_ERROR(linker->Load(linker->dir_));
  if (!read_only) linker->deduper_ = std::make_unique<Deduper>(linker->index_.get());
  return linker;
}

Status Linker::Load(const std::string& dir) {
  ET_ASSIGN_OR_RETURN(const int64_t link_mark, links_->Mark());
  Result<std::unique_ptr<NgramIndex>> opened = NgramIndex::Open(dir, !read_only_);
  std::string why;  // why the index on disk is not used
  if (opened.ok() && (*opened)->mark() > link_mark) {
    why = "is ahead of the link tables (they were cleared or replaced)";
  } else if (opened.ok()) {
    index_ = std::move(opened).value();
  } else if (opened.status().code() == StatusCode::kNotFound) {
    why = "is missing";
  } else {
    why = "cannot be used (" + opened.status().message() + ")";
  }
  if (link_mark == 0) why.clear();  // nothing linked: nothing to rebuild
  if (!index_) {
    if (read_only_) {
      index_ = std::make_unique<NgramIndex>();
      if (!why.empty()) {
        Notice("the n-gram index in " + dir + " " + why +
               "; indexing the stored texts in memory (run 'echotrace link' to rebuild it)");
      }
    } else {
      if (!why.empty()) Notice("the n-gram index in " + dir + " " + why + "; rebuilding it from the stored texts");
      ET_ASSIGN_OR_RETURN(index_, NgramIndex::Create(dir));
    }
  }
  const int64_t from = index_->on_disk() ? index_->mark() : 0;
  if (from >= link_mark) return Status::Ok();
  // A reader may open between a writer's commit and its flush: it reads the
  // few missing rows quietly. A writer finds the index behind only after a
  // killed run.
  if (why.empty() && from > 0 && !read_only_) {
    Notice("the n-gram index in " + dir +
           " was behind the link tables (a linking run was interrupted); adding the missing documents");
  }
  // Rows come in docno order, as they were added: slots repeat the order.
  // The n-gram sets are not stored apart from the index: each missing
  // document's set is made again from its stored text (as CatchUp made it).
  ET_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, Store::Open(store_path_, false, true));
  Status failed = Status::Ok();
  ET_RETURN_IF_ERROR(links_->ForEachDoc(
      [&](LinkDocRow&& row) {
        if (!failed.ok()) return;
        Result<StoredVersion> v = store->Get(row.docno, false);
        if (!v.ok()) {
          failed = v.status().WithContext("re-indexing the n-grams of docno " + std::to_string(row.docno));
          return;
        }
        const std::vector<uint32_t> ngrams = NgramsOfDocument(v->doc);
        const IndexedDoc doc{row.docno, row.day, row.state_media};
        index_->AddForBulk(doc, ngrams, read_only_ ? std::vector<uint64_t>{} : Deduper::BandKeysOf(ngrams));
        if (!read_only_ && index_->pending_postings() > kRebuildFlushPostings) failed = index_->Flush(row.docno);
      },
      from));
  ET_RETURN_IF_ERROR(failed);
  if (read_only_) {
    index_->Compact();
    return Status::Ok();
  }
  ET_RETURN_IF_ERROR(index_->Flush(link_mark));
  index_->ReleaseMemory();
  return Status::Ok();
}

Result<LinkReport> Linker::CatchUp(const Store& store, const StageBudget& budget, const BudgetClock* clock) {
  LinkReport report;
  if (read_only_) return Status::Internal("CatchUp on a read-only linker");
  ET_ASSIGN_OR_RETURN(int64_t mark, links_->Mark());
  constexpr int64_t kChunk = 2000;
  Tracer tracer(index_.get(), [&store](int64_t docno) { return store.Get(docno, false); });
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
        row.ngrams = NgramsOfDocument(v.doc);
        std::set<std::string> events, entities;
        for (const Span& span : v.doc.spans) {
          if (span.key.empty()) continue;
          if (span.kind == SpanKind::kEvent) events.insert(span.key);
          if (span.kind == SpanKind::kEntity) entities.insert(span.key);
        }
        row.event_keys.assign(events.begin(), events.end());
        row.entity_keys.assign(entities.begin(), entities.end());
        ET_RETURN_IF_ERROR(links_->PutDoc(row));
        const IndexedDoc doc{docno, row.day, row.state_media};
        for (const DupPair& pair : deduper_->Add(doc, row.ngrams)) {
          ET_RETURN_IF_ERROR(
              links_->PutDupPair({index_->docs()[pair.a].docno, index_->docs()[pair.b].docno, pair.similarity}));
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
      // The chunk's documents were added to the index's pending part: drop
      // them by reopening what is on disk (the tables no longer have them).
      index_.reset();
      deduper_.reset();
      const Status reloaded = Load(dir_);
      if (reloaded.ok()) deduper_ = std::make_unique<Deduper>(index_.get());
      return status;
    }
    ET_RETURN_IF_ERROR(links_->Commit());
    mark = docnos.back();
    // After the commit: a kill in between leaves the index behind the
    // tables, which the next open catches up.
    ET_RETURN_IF_ERROR(index_->Flush(mark));
    index_->ReleaseMemory();
  }
  return report;
}

Result<std::vector<QuoteMatch>> Linker::Trace(const Store& store, std::string_view text, const TraceRequest& request,
                                              const TraceOptions& options) const {
  Tracer tracer(
      index_.get(), [&store](int64_t docno) { return store.Get(docno, false); }, options);
  return tracer.Trace(text, request);
}

Result<std::vector<QuoteMatch>> Linker::TraceDocument(const Store& store, const Document& doc, int64_t exclude_docno,
                                                      const DocumentTraceOptions& options) const {
  Tracer tracer(index_.get(), [&store](int64_t docno) { return store.Get(docno, false); });
  return echotrace::TraceDocument(tracer, doc, exclude_docno, options);
}

Result<std::vector<EventGroup>> StoredEvents(const LinkStore& links, const NgramIndex& index,
                                             const EventOptions& options) {
  std::vector<LinkDocRow> rows;
  ET_RETURN_IF_ERROR(links.ForEachDoc([&](LinkDocRow&& row) {
    const int64_t slot = index.SlotOf(row.docno);
    if (slot >= 0) {
      const std::span<const uint32_t> set = index.NgramsOf(static_cast<uint32_t>(slot));
      row.ngrams.assign(set.begin(), set.end());
    }
    rows.push_back(std::move(row));
  }));
  std::vector<std::pair<int64_t, int64_t>> related;
  ET_ASSIGN_OR_RETURN(std::vector<StoredQuoteLink> quotes, links.AllQuoteLinks());
  for (const StoredQuoteLink& q : quotes) related.emplace_back(q.citing, q.match.docno);
  ET_ASSIGN_OR_RETURN(std::vector<DupPairRow> pairs, links.DupPairs());
  for (const DupPairRow& p : pairs) related.emplace_back(p.a, p.b);
  return GroupEvents(rows, related, options);
}

}  // namespace echotrace

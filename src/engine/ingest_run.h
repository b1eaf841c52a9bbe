// Engine::IngestRun: one ingest run, shared by Engine::Ingest (engine.cc)
// and Engine::Collect (collect.cc). Internal to the engine stage.
#pragma once

#include <chrono>
#include <csignal>
#include <functional>
#include <unordered_map>

#include "annotate/annotate.h"
#include "engine/engine.h"
#include "extract/extract.h"
#include "lexicon/outlets.h"

namespace echotrace {
namespace engine_internal {

inline IndexedVersion ToIndexed(int64_t docno, const std::string& version_id, const Document& doc, bool latest) {
  IndexedVersion v;
  v.docno = docno;
  v.version_id = version_id;
  v.title = doc.title;
  v.body = doc.Body();
  v.source = doc.source;
  v.date = doc.date;
  v.latest = latest;
  v.stub = doc.IsHeadlineStub();
  v.media = std::string(MediaKindOfSource(doc.source));
  auto add_once = [](std::vector<std::string>* keys, std::string_view key) {
    if (key.empty() || std::find(keys->begin(), keys->end(), key) != keys->end()) return;
    keys->emplace_back(key);
  };
  for (const Span& span : doc.spans) {
    if (span.kind == SpanKind::kEntity) add_once(&v.entities, span.key);
    if (span.kind == SpanKind::kEvent) add_once(&v.events, span.key);
    if (span.kind == SpanKind::kQuote) add_once(&v.speakers, span.Attr("speaker"));
  }
  return v;
}

inline double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace engine_internal

// One ingest run, phase by phase (Engine::Ingest calls them in order):
//   ReadFile      each input file's records, in order, into AddRecord;
//   AddRecord     extract and annotate one record, add it (and the teaser
//                 stubs cut from it) to the open store transaction;
//   CommitBatch   when the batch is full and at the end: commit the store,
//                 then index the batch with its high-water mark, then link it.
// A failure of ours (disk, database) stops the run after the last committed
// batch; bad input is reported in `report` and never stops it.
class Engine::IngestRun {
 public:
  IngestRun(Engine* engine, const IngestOptions& options, const ProgressCallback& progress, int64_t run_id,
            int64_t bytes_total, IngestReport* report)
      : engine_(engine),
        options_(options),
        progress_(progress),
        run_id_(run_id),
        bytes_total_(bytes_total),
        report_(report),
        start_(std::chrono::steady_clock::now()),
        last_progress_(start_) {}

  // Reads one file. Returns a failure of ours (the run must stop); a file
  // that cannot be read is reported and skipped.
  Status ReadFile(const InputFile& file) {
    ++report_->files;
    bytes_in_file_ = 0;
    std::vector<InputIssue> read_issues;
    const Status status = ReadInput(
        file, options_.limits, [this](RawRecord&& record) { return OnRecord(std::move(record)); }, &read_issues,
        [this](uint64_t consumed) { bytes_in_file_ = consumed; });
    for (InputIssue& issue : read_issues) {
      if (issue.is_error) ++report_->totals.skipped;
      Report(std::move(issue));
    }
    bytes_before_file_ += file.size > 0 ? static_cast<uint64_t>(file.size) : bytes_in_file_;
    if (status.ok()) return Status::Ok();
    if (!store_failure_.ok()) return store_failure_;  // stop after what was committed
    ++report_->files_failed;
    Report(InputIssue{true, file.path, status.message()});
    return Status::Ok();
  }

  // Commits what is pending (store, index, link); a no-op without a batch.
  Status CommitBatch() {
    if (!batch_.open) return Status::Ok();
    for (const InputIssue& issue : batch_.issues) {
      ET_RETURN_IF_ERROR(engine_->store_->LogIssue(run_id_, issue.where, issue.is_error, issue.message));
    }
    ET_RETURN_IF_ERROR(engine_->store_->Commit());
    batch_.open = false;
    if (options_.test_crash_after_store_commits > 0 && ++store_commits_ >= options_.test_crash_after_store_commits) {
      std::raise(SIGKILL);
    }
    ET_ASSIGN_OR_RETURN(int64_t mark, engine_->index_->IndexedUpTo());
    for (const IndexedVersion& v : batch_.added) {
      ET_RETURN_IF_ERROR(engine_->index_->Put(v));
      if (v.docno > mark) mark = v.docno;
    }
    ET_RETURN_IF_ERROR(engine_->IndexDocnos(batch_.demoted));
    ET_RETURN_IF_ERROR(engine_->index_->Commit(mark));
    batch_ = Batch();
    if (!options_.link) return Status::Ok();
    ET_ASSIGN_OR_RETURN(LinkReport linked, engine_->LinkNew(options_.budgets.link, clock()));
    // The batch is committed: these issues go to the log at once.
    for (const LinkSkip& skip : linked.skips) {
      ++report_->link_skipped;
      InputIssue issue{true, skip.origin, "quotes not traced: " + skip.message};
      ET_RETURN_IF_ERROR(engine_->store_->LogIssue(run_id_, issue.where, issue.is_error, issue.message));
      report_->issues.push_back(std::move(issue));
    }
    return Status::Ok();
  }

  // After a failure of ours: undo the open transaction, log the run as failed.
  void Abandon(const Status& fatal) {
    if (batch_.open) engine_->store_->Rollback();
    (void)engine_->store_->FinishRun(run_id_, report_->totals, "failed: " + fatal.message());
  }

  // After the last commit: issues of a file that failed after the last batch
  // closed, the run's totals, and the final progress report.
  Status Finish() {
    for (const InputIssue& issue : batch_.issues) {
      (void)engine_->store_->LogIssue(run_id_, issue.where, issue.is_error, issue.message);
    }
    ET_RETURN_IF_ERROR(
        engine_->store_->FinishRun(run_id_, report_->totals, report_->HasErrors() ? "done with errors" : "done"));
    report_->bytes = bytes_before_file_;
    report_->seconds = engine_internal::SecondsSince(start_);
    if (progress_) progress_({report_->totals.records, report_->bytes, bytes_total_, report_->seconds});
    return Status::Ok();
  }

  // Opens the batch's store transaction if it is not open (the collector
  // writes its captures and ledger into it).
  Status BeginBatch() {
    if (batch_.open) return Status::Ok();
    ET_RETURN_IF_ERROR(engine_->store_->Begin());
    batch_.open = true;
    return Status::Ok();
  }

  // The collector's door (engine/collect.cc): one fetched page, extracted
  // and annotated as a read record is, after `fill` supplied what the page
  // does not say (its URL, its outlet). *out gets what the store did; its
  // docno is 0 when the page did not extract (the issue is reported).
  Status AddFetched(RawRecord&& record, const std::function<void(Document*)>& fill, AddResult* out) {
    ++report_->totals.records;
    return AddRecord(std::move(record), fill, out);
  }

 private:
  // The batch being written: versions added to the store but not yet indexed.
  struct Batch {
    std::vector<IndexedVersion> added;
    std::unordered_map<int64_t, size_t> position;  // docno -> index in `added`
    std::vector<int64_t> demoted;                  // older docnos that lost "latest"
    std::vector<InputIssue> issues;
    size_t bytes = 0;
    bool open = false;
  };

  // The reader's sink: one record, then progress now and then.
  Status OnRecord(RawRecord&& record) {
    ++report_->totals.records;
    Status status = AddRecord(std::move(record));
    if (!status.ok()) store_failure_ = status;
    if (progress_ && engine_internal::SecondsSince(last_progress_) >= kProgressSeconds) {
      last_progress_ = std::chrono::steady_clock::now();
      progress_({report_->totals.records, bytes_before_file_ + bytes_in_file_, bytes_total_,
                 engine_internal::SecondsSince(start_)});
    }
    return status;
  }

  Status AddRecord(RawRecord&& record, const std::function<void(Document*)>& fill = nullptr, AddResult* out = nullptr) {
    Result<Document> extracted = ExtractAndAnnotate(record, fill);
    if (!extracted.ok()) {
      ++report_->totals.skipped;
      Report(InputIssue{true, record.Origin(), extracted.status().message()});
      if (out != nullptr) out->docno = 0;
      return Status::Ok();
    }
    Document& doc = extracted.value();
    for (const std::string& warning : doc.warnings) {
      ++report_->totals.warnings;
      Report(InputIssue{false, record.Origin(), warning});
    }
    if (!batch_.open) {
      ET_RETURN_IF_ERROR(engine_->store_->Begin());
      batch_.open = true;
    }
    ET_ASSIGN_OR_RETURN(AddResult added, engine_->store_->Add(doc));
    if (out != nullptr) *out = added;
    switch (added.outcome) {
      case AddOutcome::kDuplicate: ++report_->totals.duplicates; break;
      case AddOutcome::kNewArticle: ++report_->totals.added; break;
      case AddOutcome::kNewVersion: ++report_->totals.new_versions; break;
    }
    if (added.outcome != AddOutcome::kDuplicate) {
      if (added.replaced_latest != 0) {
        auto it = batch_.position.find(added.replaced_latest);
        if (it != batch_.position.end())
          batch_.added[it->second].latest = false;
        else
          batch_.demoted.push_back(added.replaced_latest);
      }
      batch_.position[added.docno] = batch_.added.size();
      batch_.added.push_back(engine_internal::ToIndexed(added.docno, added.version_id, doc, true));
      batch_.bytes += doc.raw.size() + doc.text.size();
      ET_RETURN_IF_ERROR(AddTeaserStubs(doc, added));
    }
    if (batch_.added.size() >= options_.batch_versions || batch_.bytes >= options_.batch_bytes) {
      ET_RETURN_IF_ERROR(CommitBatch());
    }
    return Status::Ok();
  }

  // Extraction, `fill`, then annotation, each within its budget
  // (IngestOptions::budgets). Errors: the record's (kBadInput), to report.
  Result<Document> ExtractAndAnnotate(const RawRecord& record, const std::function<void(Document*)>& fill) {
    const IngestBudgets& budgets = options_.budgets;
    if (budgets.extract.max_bytes > 0 && record.bytes.size() > budgets.extract.max_bytes) {
      return OverSizeBudget("extraction", record.bytes.size(), budgets.extract.max_bytes);
    }
    ET_ASSIGN_OR_RETURN(Document doc, Extract(record.bytes, record.format, record.Origin(),
                                              Deadline(budgets.extract.max_seconds, clock())));
    if (fill) fill(&doc);
    if (!options_.annotate) return doc;
    if (budgets.annotate.max_bytes > 0 && doc.text.size() > budgets.annotate.max_bytes) {
      return OverSizeBudget("annotation", doc.text.size(), budgets.annotate.max_bytes);
    }
    ET_RETURN_IF_ERROR(Annotate(&doc, Deadline(budgets.annotate.max_seconds, clock())));
    return doc;
  }

  const BudgetClock* clock() const { return options_.budgets.TEST_clock ? &options_.budgets.TEST_clock : nullptr; }

  // "More from ..." teaser lists of a new page become headline stubs linked to it.
  Status AddTeaserStubs(const Document& page, const AddResult& added) {
    for (Document& stub : SplitTeasers(page)) {
      stub.derived_from = added.version_id;
      if (options_.annotate) Annotate(&stub);
      ET_ASSIGN_OR_RETURN(AddResult stub_added, engine_->store_->Add(stub));
      if (stub_added.outcome == AddOutcome::kDuplicate) continue;
      ++report_->totals.teaser_stubs;
      if (stub_added.replaced_latest != 0) batch_.demoted.push_back(stub_added.replaced_latest);
      batch_.position[stub_added.docno] = batch_.added.size();
      batch_.added.push_back(engine_internal::ToIndexed(stub_added.docno, stub_added.version_id, stub, true));
    }
    return Status::Ok();
  }

  // An issue goes to the report now and to the ingest log with its batch.
  void Report(InputIssue issue) {
    report_->issues.push_back(issue);
    batch_.issues.push_back(std::move(issue));
  }

  // Progress is reported at most this often: often enough to look alive,
  // rarely enough to cost nothing.
  static constexpr double kProgressSeconds = 0.2;

  Engine* const engine_;
  const IngestOptions& options_;
  const ProgressCallback& progress_;
  const int64_t run_id_;
  const int64_t bytes_total_;
  IngestReport* const report_;
  const std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_progress_;
  Batch batch_;
  Status store_failure_;  // a failure of ours (disk, database), as opposed to bad input
  int store_commits_ = 0;
  uint64_t bytes_before_file_ = 0;
  uint64_t bytes_in_file_ = 0;
};

}  // namespace echotrace

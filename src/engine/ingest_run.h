// Engine::IngestRun: one ingest run, shared by Engine::Ingest (engine.cc)
// and Engine::Collect (collect.cc). Internal to the engine stage.
#pragma once

#include <algorithm>
#include <chrono>
#include <csignal>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <unordered_map>

#include "annotate/annotate.h"
#include "engine/engine.h"
#include "engine/index_writer.h"
#include "engine/ordered_workers.h"
#include "extract/extract.h"
#include "lexicon/outlets.h"
#include "store/version_content.h"

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

// One version as a worker leaves it: the document, what the store derives
// from it, and its index document.
struct PreparedDoc {
  Document doc;
  PreparedVersion stored;
  PreparedIndexDocument indexed;
};

// What a worker makes of one raw record, everything but the writes; or, for
// a file's end, what the reader said of the file (so that it is reported
// after the file's records, in order, as a serial run does).
struct PreparedRecord {
  std::string origin;
  std::string raw_hash;            // RawHashOf(the record's bytes)
  bool known = false;              // the raw hash was stored when the record was read: not extracted
  Status extracted;                // not OK: the record did not extract (the message says why)
  PreparedDoc page;                // when extracted
  std::vector<PreparedDoc> stubs;  // teaser stubs cut from the page (derived_from set)
  size_t input_bytes = 0;          // of the raw record: bounds the bytes in flight
  struct FileEnd {
    std::string path;
    Status status;  // ReadInput's
    std::vector<InputIssue> issues;
  };
  std::optional<FileEnd> file_end;  // set on the marker that closes a file
};

// A document and its derived forms, on any thread (`dictionary`: the
// store's content dictionary, or null). Cost: the document's size (hashing,
// JSON, zstd, Xapian's term generation).
inline PreparedDoc PrepareDoc(Document&& doc, const ContentDictionary* dictionary) {
  PreparedDoc out;
  out.doc = std::move(doc);
  out.stored = PrepareVersion(out.doc, dictionary);
  auto indexed = PrepareIndexDocument(ToIndexed(0, out.stored.version_id, out.doc, true));
  if (indexed.ok()) out.indexed = std::move(indexed).value();  // else Put reports it (empty document)
  return out;
}

// Extract (then `fill`), annotate, cut teaser stubs, and prepare the
// writes of one record. Thread-safety: pure but for `fill`; safe on any
// thread when `fill` is.
// Extraction and annotation each run within their budget (options.budgets):
// a record over one is not extracted (`extracted` says why, kBadInput).
inline PreparedRecord PrepareRecord(RawRecord&& record, std::string raw_hash, bool known, const IngestOptions& options,
                                    const std::function<void(Document*)>& fill, const ContentDictionary* dictionary) {
  PreparedRecord out;
  out.origin = record.Origin();
  out.input_bytes = record.bytes.size();
  out.raw_hash = std::move(raw_hash);
  out.known = known;
  if (known) return out;
  const IngestBudgets& budgets = options.budgets;
  const BudgetClock* clock = budgets.clock();
  if (budgets.extract.max_bytes > 0 && record.bytes.size() > budgets.extract.max_bytes) {
    out.extracted = OverSizeBudget("extraction", record.bytes.size(), budgets.extract.max_bytes);
    return out;
  }
  Result<Document> extracted =
      Extract(record.bytes, record.format, out.origin, Deadline(budgets.extract.max_seconds, clock));
  if (!extracted.ok()) {
    out.extracted = extracted.status();
    return out;
  }
  Document& doc = extracted.value();
  if (fill) fill(&doc);
  const bool annotate = options.annotate;
  if (annotate) {
    if (budgets.annotate.max_bytes > 0 && doc.text.size() > budgets.annotate.max_bytes) {
      out.extracted = OverSizeBudget("annotation", doc.text.size(), budgets.annotate.max_bytes);
      return out;
    }
    if (Status annotated = Annotate(&doc, Deadline(budgets.annotate.max_seconds, clock)); !annotated.ok()) {
      out.extracted = annotated;
      return out;
    }
  }
  out.page = PrepareDoc(std::move(doc), dictionary);
  for (Document& stub : SplitTeasers(out.page.doc)) {
    stub.derived_from = out.page.stored.version_id;
    if (annotate) Annotate(&stub);
    out.stubs.push_back(PrepareDoc(std::move(stub), dictionary));
  }
  return out;
}

inline double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace engine_internal

// One ingest run, phase by phase (Engine::Ingest calls them in order):
//   ReadFile      each input file's records, in order, into the pipeline;
//   (workers)     extract and annotate each record, cut its teaser stubs,
//                 and prepare its writes (hashes, encoded spans, compressed
//                 raw bytes, index terms): PrepareRecord, on
//                 IngestOptions::workers threads;
//   WriteRecord   on the calling thread, in input order: add the record (and
//                 its stubs) to the open store transaction;
//   CommitBatch   when the batch is full and at the end: commit the store,
//                 then index the batch with its high-water mark, then link it.
// Records are written in input order whatever the number of workers, so
// docnos, ids and the store's content are those of a serial run. At most
// kMaxInFlight records (and kMaxInFlightBytes of their input) are between
// the reader and the writer. A record whose raw bytes are stored already is
// a duplicate and is not extracted.
// A failure of ours (disk, database) stops the run after the last committed
// batch; bad input is reported in `report` and never stops it.
// Thread-safety: one thread calls every method; only PrepareRecord (a pure
// function of the record) runs on the workers.
class Engine::IngestRun {
  using PreparedDoc = engine_internal::PreparedDoc;
  using PreparedRecord = engine_internal::PreparedRecord;

 public:
  IngestRun(Engine* engine, const IngestOptions& options, const ProgressCallback& progress, int64_t run_id,
            int64_t bytes_total, IngestReport* report)
      : engine_(engine),
        options_(options),
        progress_(progress),
        run_id_(run_id),
        bytes_total_(bytes_total),
        report_(report),
        dictionary_(std::make_shared<SharedDictionary>(engine->store_->content_dictionary())),
        start_(std::chrono::steady_clock::now()),
        last_progress_(start_) {
    const int workers =
        options.workers > 0 ? options.workers : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (workers > 1) {
      // Each worker reads the budgets' clock; a TEST clock must then be thread-safe.
      workers_ = std::make_unique<Workers>(workers, [options, shared = dictionary_](Job&& job) {
        if (job.file_end) {
          PreparedRecord out;
          out.file_end = std::move(job.file_end);
          return out;
        }
        const std::shared_ptr<const ContentDictionary> dictionary = shared->Get();
        return engine_internal::PrepareRecord(std::move(job.record), std::move(job.raw_hash), job.known, options,
                                              nullptr, dictionary.get());
      });
      index_writer_ = std::make_unique<IndexWriter>(engine_->index_.get());
    }
  }

  // Reads one file. Returns a failure of ours (the run must stop); a file
  // that cannot be read is reported and skipped.
  Status ReadFile(const InputFile& file) {
    ++report_->files;
    bytes_in_file_ = 0;
    current_file_ = file.path;
    std::vector<InputIssue> read_issues;
    const Status status = ReadInput(
        file, options_.limits, [this](RawRecord&& record) { return OnRecord(std::move(record)); }, &read_issues,
        [this](uint64_t consumed) { bytes_in_file_ = consumed; });
    bytes_before_file_ += file.size > 0 ? static_cast<uint64_t>(file.size) : bytes_in_file_;
    if (!status.ok() && !store_failure_.ok()) return store_failure_;  // stop after what was committed
    PreparedRecord::FileEnd end{file.path, status, std::move(read_issues)};
    if (!workers_) return EndFile(std::move(end));
    Job job;
    job.file_end = std::move(end);
    return Submit(std::move(job));
  }

  // Writes what the workers still hold, then commits what is pending
  // (store, index, link) and waits for the index; a no-op without a batch.
  Status CommitBatch() {
    while (workers_ && workers_->InFlight() > 0) ET_RETURN_IF_ERROR(WriteNext());
    ET_RETURN_IF_ERROR(CommitOpenBatch());
    return index_writer_ ? index_writer_->Wait() : Status::Ok();
  }

  // After a failure of ours: undo the open transactions, log the run as failed.
  void Abandon(const Status& fatal) {
    workers_.reset();  // results not written are dropped
    index_writer_.reset();
    if (batch_.open) {
      engine_->store_->Rollback();
      engine_->index_->Cancel();
    }
    (void)engine_->store_->FinishRun(run_id_, report_->totals, "failed: " + fatal.message());
  }

  // After the last commit: issues of a file that failed after the last batch
  // closed, the run's totals, and the final progress report.
  Status Finish() {
    workers_.reset();
    index_writer_.reset();  // the index is the engine's again
    for (const InputIssue& issue : batch_.issues) {
      (void)engine_->store_->LogIssue(run_id_, issue.where, issue.is_error, issue.message);
    }
    ET_RETURN_IF_ERROR(
        engine_->store_->FinishRun(run_id_, report_->totals, report_->HasErrors() ? "done with errors" : "done"));
    report_->bytes = bytes_before_file_;
    report_->seconds = engine_internal::SecondsSince(start_);
    if (progress_) progress_(Progress(IngestStage::kDone));
    return Status::Ok();
  }

  // Opens the batch's store transaction if it is not open (the collector
  // writes its captures and ledger into it).
  Status BeginBatch() {
    if (batch_.open) return Status::Ok();
    ET_RETURN_IF_ERROR(engine_->store_->Begin());
    Status index = index_writer_ ? index_writer_->Begin() : engine_->index_->Begin();
    if (!index.ok()) {
      engine_->store_->Rollback();
      return index;
    }
    batch_.open = true;
    return Status::Ok();
  }

  // The collector's door (engine/collect.cc): one fetched page, extracted
  // and annotated as a read record is, after `fill` supplied what the page
  // does not say (its URL, its outlet). *out gets what the store did; its
  // docno is 0 when the page did not extract (the issue is reported).
  // Serial: the collector has one page at a time.
  Status AddFetched(RawRecord&& record, const std::function<void(Document*)>& fill, AddResult* out) {
    ++report_->totals.records;
    std::string raw_hash = RawHashOf(record.bytes);
    return WriteRecord(engine_internal::PrepareRecord(std::move(record), std::move(raw_hash), false, options_, fill,
                                                      dictionary_->Get().get()),
                       out);
  }

 private:
  // What the reader hands the workers: a record, or a file's end.
  struct Job {
    RawRecord record;
    std::string raw_hash;
    bool known = false;
    std::optional<PreparedRecord::FileEnd> file_end;
  };
  using Workers = OrderedWorkers<Job, PreparedRecord>;

  // The batch being written: versions added to the store and put in the
  // index (both uncommitted).
  struct Batch {
    size_t added = 0;              // versions
    int64_t max_docno = 0;         // of those
    std::vector<int64_t> demoted;  // docnos that lost "latest" (put again once the store commits)
    std::vector<InputIssue> issues;
    size_t bytes = 0;
    bool open = false;
  };

  // Records (and their input bytes) between the reader and the writer: enough
  // to keep the workers busy while the writer commits or links a batch, few
  // enough to bound memory (a prepared record, with its Xapian document, is
  // several times its input). Measured on the 22k set (bench/RESULTS.md,
  // "Ingest peak RSS at 4x"): 1,024 / 8 MiB peaked at 300 MiB, 256 / 2 MiB at 260
  // MiB in the same wall time, 64 / 1 MiB no lower.
  static constexpr size_t kMaxInFlight = 256;
  static constexpr size_t kMaxInFlightBytes = size_t{2} << 20;

  // The reader's sink: one record, then progress now and then.
  Status OnRecord(RawRecord&& record) {
    ++report_->totals.records;
    Status status = TakeRecord(std::move(record));
    if (!status.ok()) store_failure_ = status;
    if (progress_ && engine_internal::SecondsSince(last_progress_) >= kProgressSeconds) {
      last_progress_ = std::chrono::steady_clock::now();
      progress_(Progress(stage_));
    }
    return status;
  }

  // A known record (its raw bytes stored) is passed on without extraction.
  Status TakeRecord(RawRecord&& record) {
    std::string raw_hash = RawHashOf(record.bytes);
    ET_ASSIGN_OR_RETURN(const bool known, engine_->store_->HasRaw(raw_hash));
    if (!workers_) {
      stage_ = IngestStage::kExtracting;
      return WriteRecord(engine_internal::PrepareRecord(std::move(record), std::move(raw_hash), known, options_,
                                                        nullptr, dictionary_->Get().get()));
    }
    Job job;
    job.record = std::move(record);
    job.raw_hash = std::move(raw_hash);
    job.known = known;
    return Submit(std::move(job));
  }

  // Hands `job` to the workers, writing the oldest results first while too
  // much is in flight.
  Status Submit(Job&& job) {
    while (workers_->InFlight() >= kMaxInFlight || bytes_in_flight_ >= kMaxInFlightBytes) {
      ET_RETURN_IF_ERROR(WriteNext());
    }
    bytes_in_flight_ += job.record.bytes.size();
    workers_->Submit(std::move(job));
    stage_ = IngestStage::kExtracting;
    return Status::Ok();
  }

  // Writes the oldest result of the workers (waiting for it).
  Status WriteNext() {
    PreparedRecord next = workers_->Next();
    bytes_in_flight_ -= next.input_bytes;
    if (next.file_end) return EndFile(std::move(*next.file_end));
    return WriteRecord(std::move(next));
  }

  // A file's end, after its records: what the reader said of it.
  Status EndFile(PreparedRecord::FileEnd&& end) {
    for (InputIssue& issue : end.issues) {
      if (issue.is_error) ++report_->totals.skipped;
      Report(std::move(issue));
    }
    if (end.status.ok()) return Status::Ok();
    ++report_->files_failed;
    Report(InputIssue{true, end.path, end.status.message()});
    return Status::Ok();
  }

  // Adds one prepared record (and its stubs) to the open batch, in input order.
  Status WriteRecord(PreparedRecord&& record, AddResult* out = nullptr) {
    stage_ = IngestStage::kStoring;
    // Known by its raw bytes when read, or since (an earlier record of this
    // run): a duplicate, not extracted or not reported again.
    bool known = record.known;
    if (!known && workers_ && out == nullptr) {  // a serial run looked just now
      ET_ASSIGN_OR_RETURN(known, engine_->store_->HasRaw(record.raw_hash));
    }
    if (known && out == nullptr) {
      ++report_->totals.duplicates;
      return Status::Ok();
    }
    if (!record.extracted.ok()) {
      ++report_->totals.skipped;
      Report(InputIssue{true, record.origin, record.extracted.message()});
      if (out != nullptr) out->docno = 0;
      return Status::Ok();
    }
    Document& doc = record.page.doc;
    for (const std::string& warning : doc.warnings) {
      ++report_->totals.warnings;
      Report(InputIssue{false, record.origin, warning});
    }
    ET_RETURN_IF_ERROR(BeginBatch());
    ET_ASSIGN_OR_RETURN(AddResult added, engine_->store_->Add(doc, record.page.stored));
    if (out != nullptr) *out = added;
    switch (added.outcome) {
      case AddOutcome::kDuplicate: ++report_->totals.duplicates; break;
      case AddOutcome::kNewArticle: ++report_->totals.added; break;
      case AddOutcome::kNewVersion: ++report_->totals.new_versions; break;
    }
    if (added.outcome != AddOutcome::kDuplicate) {
      ET_RETURN_IF_ERROR(PutNew(added, std::move(record.page.indexed)));
      batch_.bytes += doc.raw.size() + doc.text.size();
      ET_RETURN_IF_ERROR(AddTeaserStubs(std::move(record.stubs)));
    }
    if (batch_.added >= options_.batch_versions || batch_.bytes >= options_.batch_bytes) {
      ET_RETURN_IF_ERROR(CommitOpenBatch());
    }
    return Status::Ok();
  }

  // "More from ..." teaser lists of a new page become headline stubs linked to it.
  Status AddTeaserStubs(std::vector<PreparedDoc>&& stubs) {
    for (PreparedDoc& stub : stubs) {
      ET_ASSIGN_OR_RETURN(AddResult stub_added, engine_->store_->Add(stub.doc, stub.stored));
      if (stub_added.outcome == AddOutcome::kDuplicate) continue;
      ++report_->totals.teaser_stubs;
      ET_RETURN_IF_ERROR(PutNew(stub_added, std::move(stub.indexed)));
    }
    return Status::Ok();
  }

  // A new version goes to the index (uncommitted) as the latest of its
  // article; the version it replaced is put again once the store commits.
  Status PutNew(const AddResult& added, PreparedIndexDocument&& doc) {
    if (added.replaced_latest != 0) batch_.demoted.push_back(added.replaced_latest);
    ++batch_.added;
    batch_.max_docno = std::max(batch_.max_docno, added.docno);
    if (doc.empty()) return Status::Internal("no index document for " + added.version_id);
    return index_writer_ ? index_writer_->Put(std::move(doc), added.docno, true)
                         : engine_->index_->Put(std::move(doc), added.docno, true);
  }

  // Commits the open batch: store, then index, then link.
  Status CommitOpenBatch() {
    if (!batch_.open) return Status::Ok();
    for (const InputIssue& issue : batch_.issues) {
      ET_RETURN_IF_ERROR(engine_->store_->LogIssue(run_id_, issue.where, issue.is_error, issue.message));
    }
    ET_RETURN_IF_ERROR(engine_->store_->Commit());
    batch_.open = false;
    if (options_.test_crash_after_store_commits > 0 && ++store_commits_ >= options_.test_crash_after_store_commits) {
      std::raise(SIGKILL);
    }
    stage_ = IngestStage::kIndexing;
    ShowStage(IngestStage::kIndexing);
    // Versions that lost "latest" in this batch, read back as committed.
    for (int64_t docno : batch_.demoted) {
      ET_ASSIGN_OR_RETURN(StoredVersion v, engine_->store_->Get(docno, false));
      ET_ASSIGN_OR_RETURN(PreparedIndexDocument doc,
                          PrepareIndexDocument(engine_internal::ToIndexed(docno, v.version_id, v.doc, v.latest)));
      ET_RETURN_IF_ERROR(index_writer_ ? index_writer_->Put(std::move(doc), docno, v.latest)
                                       : engine_->index_->Put(std::move(doc), docno, v.latest));
    }
    if (index_writer_) {
      ET_RETURN_IF_ERROR(index_writer_->Commit(batch_.max_docno));  // done on its thread, while this one links
    } else {
      ET_ASSIGN_OR_RETURN(const int64_t mark, engine_->index_->IndexedUpTo());
      ET_RETURN_IF_ERROR(engine_->index_->Commit(std::max(mark, batch_.max_docno)));
    }
    batch_ = Batch();
    // A content dictionary as soon as the store holds enough to train it
    // (and a new one as it grows): the rest of the run then writes frames a
    // third smaller, and the pages the re-encoded frames free are filled by
    // the next batches (a dictionary made after the run would leave them).
    if (!dictionary_failed_) {
      auto compressed = engine_->store_->CompressContent();
      if (!compressed.ok() || compressed->training_failed) {
        dictionary_failed_ = true;  // not again this run; only space is lost
        if (!compressed.ok()) {
          report_->issues.push_back(InputIssue{false, engine_->layout().StorePath(), compressed.status().message()});
        }
      } else if (compressed->trained) {
        dictionary_->Set(engine_->store_->content_dictionary());
      }
    }
    if (!options_.link) return Status::Ok();
    stage_ = IngestStage::kLinking;
    ShowStage(IngestStage::kLinking);
    ET_ASSIGN_OR_RETURN(LinkReport linked, engine_->LinkNew(options_.budgets.link, options_.budgets.clock()));
    // The batch is committed: these issues go to the log at once.
    for (const LinkSkip& skip : linked.skips) {
      ++report_->link_skipped;
      InputIssue issue{true, skip.origin, "quotes not traced: " + skip.message};
      ET_RETURN_IF_ERROR(engine_->store_->LogIssue(run_id_, issue.where, issue.is_error, issue.message));
      report_->issues.push_back(std::move(issue));
    }
    return Status::Ok();
  }

  // An issue goes to the report now and to the ingest log with its batch.
  void Report(InputIssue issue) {
    report_->issues.push_back(issue);
    batch_.issues.push_back(std::move(issue));
  }
  // A stage that takes a while is shown when it starts.
  void ShowStage(IngestStage stage) {
    if (progress_) {
      last_progress_ = std::chrono::steady_clock::now();
      progress_(Progress(stage));
    }
  }

  IngestProgress Progress(IngestStage stage) const {
    IngestProgress p;
    p.records = report_->totals.records;
    p.bytes_done = stage == IngestStage::kDone ? report_->bytes : bytes_before_file_ + bytes_in_file_;
    p.bytes_total = bytes_total_;
    p.seconds = stage == IngestStage::kDone ? report_->seconds : engine_internal::SecondsSince(start_);
    p.stage = stage;
    p.file = current_file_;
    return p;
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
  // The content dictionary new frames are written with: the store's when
  // the run began, or the first one, trained after a batch (see
  // CommitOpenBatch). Workers read it; the writer thread sets it.
  class SharedDictionary {
   public:
    explicit SharedDictionary(std::shared_ptr<const ContentDictionary> dictionary)
        : dictionary_(std::move(dictionary)) {}
    std::shared_ptr<const ContentDictionary> Get() {
      MutexLock lock(&mutex_);
      return dictionary_;
    }
    void Set(std::shared_ptr<const ContentDictionary> dictionary) {
      MutexLock lock(&mutex_);
      dictionary_ = std::move(dictionary);
    }

   private:
    Mutex mutex_;
    std::shared_ptr<const ContentDictionary> dictionary_ ET_GUARDED_BY(mutex_);
  };
  const std::shared_ptr<SharedDictionary> dictionary_;
  bool dictionary_failed_ = false;  // a training attempt failed: none again this run
  const std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_progress_;
  Batch batch_;
  Status store_failure_;  // a failure of ours (disk, database), as opposed to bad input
  int store_commits_ = 0;
  uint64_t bytes_before_file_ = 0;
  uint64_t bytes_in_file_ = 0;
  size_t bytes_in_flight_ = 0;  // input bytes of the records the workers hold
  std::string current_file_;
  IngestStage stage_ = IngestStage::kReading;
  std::unique_ptr<Workers> workers_;  // null: one thread does it all (IngestOptions::workers == 1)
  // Puts and commits the index on its own thread when there are workers;
  // the index is not touched from this thread while it lives.
  std::unique_ptr<IndexWriter> index_writer_;
};

}  // namespace echotrace

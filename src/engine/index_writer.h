// IndexWriter: the writable index driven from its own thread during an
// ingest, so that Xapian's writes (its in-memory inversion of each document
// and the flush at each commit: most of indexing's CPU) overlap with the
// store's writes and with linking on the ingest's thread. Internal to the
// engine stage (ingest_run.h).
//
// Operations run in the order they are queued: Begin, Put..., Commit (one
// index batch per store batch). The first failure stops the thread: later
// operations are dropped and every call returns that failure.
// Thread-safety: the methods are called by one thread (the owner); while
// the IndexWriter lives, only its thread touches the Index. Destroying it
// cancels what was not committed (Index::Cancel) and joins the thread.
#pragma once

#include <algorithm>
#include <deque>
#include <thread>
#include <utility>

#include "core/status.h"
#include "core/thread_annotations.h"
#include "search/index.h"

namespace echotrace {

class IndexWriter {
 public:
  // REQUIRES: `index` opened writable, outlives this object, and is not
  // used by anyone else until this object is destroyed.
  explicit IndexWriter(Index* index) : index_(index), thread_([this] { Run(); }) {}
  ~IndexWriter() {
    {
      MutexLock lock(&mutex_);
      stop_ = true;
    }
    changed_.SignalAll();
    thread_.join();
    index_->Cancel();  // what was not committed (an abandoned run)
  }
  IndexWriter(const IndexWriter&) = delete;  // owns its thread
  IndexWriter& operator=(const IndexWriter&) = delete;

  // Opens an index batch (Index::Begin).
  Status Begin() { return Queue(Op{Op::kBegin, 0, false, {}}); }
  // Queues a Put, waiting while kMaxQueued operations are queued (the
  // documents' memory stays bounded).
  Status Put(PreparedIndexDocument&& doc, int64_t docno, bool latest) {
    return Queue(Op{Op::kPut, docno, latest, std::move(doc)});
  }
  // Queues the batch's commit with the mark max(`indexed_upto`, the index's
  // mark).
  Status Commit(int64_t indexed_upto) { return Queue(Op{Op::kCommit, indexed_upto, false, {}}); }
  // Waits until every queued operation is done; the first failure, if any.
  Status Wait() {
    MutexLock lock(&mutex_);
    while (!queue_.empty() || busy_) changed_.Wait(&mutex_);
    return failure_;
  }

 private:
  struct Op {
    enum Kind { kBegin, kPut, kCommit } kind;
    int64_t docno;  // Put: the document's; Commit: the mark
    bool latest;
    PreparedIndexDocument doc;
  };
  // Enough to keep the thread busy, few enough to bound memory (a prepared
  // document is a few times its text).
  static constexpr size_t kMaxQueued = 512;

  Status Queue(Op&& op) {
    {
      MutexLock lock(&mutex_);
      while (queue_.size() >= kMaxQueued && failure_.ok()) changed_.Wait(&mutex_);
      if (!failure_.ok()) return failure_;
      queue_.push_back(std::move(op));
    }
    changed_.SignalAll();
    return Status::Ok();
  }

  Status Apply(Op& op) {
    switch (op.kind) {
      case Op::kBegin: return index_->Begin();
      case Op::kPut: return index_->Put(std::move(op.doc), op.docno, op.latest);
      case Op::kCommit: {
        ET_ASSIGN_OR_RETURN(const int64_t mark, index_->IndexedUpTo());
        return index_->Commit(std::max(mark, op.docno));
      }
    }
    return Status::Internal("unknown index operation");
  }

  void Run() {
    for (;;) {
      Op op;
      {
        MutexLock lock(&mutex_);
        while (queue_.empty() && !stop_) changed_.Wait(&mutex_);
        if (queue_.empty()) return;  // stopped, nothing left
        if (stop_) {                 // stopped early (an abandoned run): drop the rest
          queue_.clear();
          changed_.SignalAll();
          return;
        }
        op = std::move(queue_.front());
        queue_.pop_front();
        busy_ = true;
      }
      changed_.SignalAll();  // room in the queue
      Status status = Apply(op);
      {
        MutexLock lock(&mutex_);
        busy_ = false;
        if (!status.ok() && failure_.ok()) {
          failure_ = std::move(status);
          queue_.clear();  // nothing after a failure is applied
        }
      }
      changed_.SignalAll();
    }
  }

  Index* const index_;  // used only by thread_ while it runs
  Mutex mutex_;
  CondVar changed_;  // the queue, busy_, failure_ or stop_ changed
  std::deque<Op> queue_ ET_GUARDED_BY(mutex_);
  bool busy_ ET_GUARDED_BY(mutex_) = false;  // an operation is being applied
  bool stop_ ET_GUARDED_BY(mutex_) = false;
  Status failure_ ET_GUARDED_BY(mutex_);
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace echotrace

// Writer: the server's one writable Engine, owned by one thread that runs
// the write requests (POST /api/ingest, watchlist changes) one after the
// other, in arrival order.
//
// Opening a writable Engine and its Linker costs seconds on a large store
// (the linker loads its dedup state), and only one writer may hold a data
// directory. So instead of one Engine per request, the writer thread opens
// it on the first job and keeps it while jobs keep coming; a request waits in
// a bounded queue until its job has run (for an ingest: until its records
// are committed to the store and the index, so the EnginePool's readers see
// them on their next lease). Concurrent writes therefore wait their turn
// instead of failing. The queue answers 503 (code "busy", the server adds
// Retry-After) only when `max_queued` jobs already wait. After `idle_close`
// without a job the engine is closed, releasing the data directory's write
// lock for `echotrace ingest` and other writers; the next job reopens it.
//
// Every job runs Engine methods unchanged (Ingest commits batch by batch), so
// a process killed at any moment leaves the store as `echotrace ingest`
// would. A job whose Engine call fails with a store or index error makes the
// writer close the engine; the next job reopens it (and the open indexes
// what the store holds beyond the index's mark).
//
// Errors (as replies): opening the engine fails -> its status (409 when
// another process holds the write lock, at once); queue full -> 503;
// writer stopping -> 503.
// Thread-safety: Run may be called from any thread; jobs run on the writer
// thread only, one at a time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "engine/engine.h"
#include "server/api.h"

namespace echotrace::server {

class Writer {
 public:
  struct Options {
    // Jobs that may wait (besides the one running) before Run answers 503.
    // Default 64: an ingest of a short note takes tens of milliseconds, so a
    // full queue is a few seconds of work; more would only hold more
    // connections (and upload bytes) waiting.
    size_t max_queued = 64;
    // The engine is closed after this long without a job. Default 60 s:
    // long enough that a client posting every few seconds never pays the
    // open again, short enough that `echotrace ingest` can soon take over.
    std::chrono::milliseconds idle_close{60000};
  };
  // A job: gets the open writable engine, returns the request's reply. A
  // reply of status 500 or 503 (a store or index failure) closes the engine
  // after the job.
  using Job = std::function<ApiReply(Engine&)>;

  // Starts the writer thread; opens nothing yet.
  Writer(std::string data_dir, Options options);
  ~Writer();                       // answers the waiting jobs 503, lets the running one finish, joins the thread
  Writer(const Writer&) = delete;  // owns a thread; share by pointer
  Writer& operator=(const Writer&) = delete;

  // Queues `job` and blocks until it ran; returns its reply (or 503 when the
  // queue is full or the writer is stopping; the open error when the engine
  // cannot be opened).
  ApiReply Run(Job job);

  // Jobs run so far, engine opens, jobs waiting now (for tests).
  struct Counts {
    int64_t jobs = 0;
    int64_t opens = 0;
    int64_t waiting = 0;
  };
  Counts counts();

 private:
  struct Pending {
    Job job;
    std::optional<ApiReply> reply;  // set by the writer thread when done
  };
  void Loop();
  ApiReply RunOne(const Job& job);  // on the writer thread

  // Constant after construction.
  const std::string data_dir_;
  const Options options_;

  // Used only by the writer thread.
  std::unique_ptr<Engine> engine_;

  // Protected by mutex_ (a std::mutex: the idle close needs a timed wait,
  // which core/thread_annotations.h's CondVar does not offer).
  std::mutex mutex_;
  std::condition_variable wake_;  // a job arrived, or stopping
  std::condition_variable done_;  // a job's reply was set
  std::deque<Pending*> queue_;    // not owned: each lives on its caller's stack
  bool stopping_ = false;
  Counts counts_;

  std::thread thread_;  // last: starts after the members above exist
};

}  // namespace echotrace::server

// EnginePool: read-only Engines over one data directory, shared by the
// server's threads, that follow a concurrent writer.
//
// An Engine is used by one thread at a time, so each request borrows one
// (Lease) and gives it back when done. A Xapian reader sees the index as of
// the moment it was opened, so the pool watches the index's version file
// (index/iamglass, rewritten by every commit): when it changed, pooled
// engines are dropped and the next lease opens a fresh one. Searches thus see
// each committed ingest batch and keep answering while `echotrace ingest` (or
// POST /api/ingest) writes the same directory.
//
// Thread-safety: all methods may be called from any thread.
// Cost: a lease is a stat() plus, when the pool is empty or stale, one
// Engine::Open (a SQLite and a Xapian open, about a millisecond).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/thread_annotations.h"
#include "engine/engine.h"
#include "search/facet_columns.h"

namespace echotrace::server {

class EnginePool {
 public:
  explicit EnginePool(std::string data_dir)
      : data_dir_(std::move(data_dir)),
        link_snapshots_(std::make_shared<LinkSnapshots>(/*eager=*/true)),
        facet_columns_(std::make_shared<FacetColumnCache>()) {}
  EnginePool(const EnginePool&) = delete;  // owns engines; share by reference
  EnginePool& operator=(const EnginePool&) = delete;

  // An engine and, when the index exists, a reader of it: the server runs
  // searches on the index itself so that each hit's version is loaded once
  // (for its snippet and its summary together).
  struct Readers {
    std::unique_ptr<Engine> engine;
    std::unique_ptr<Index> index;  // null before anything was indexed
  };

  // A borrowed engine, returned to the pool on destruction. Must not outlive the pool.
  class Lease {
   public:
    Lease(EnginePool* pool, Readers readers, int64_t generation)
        : pool_(pool), readers_(std::move(readers)), generation_(generation) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Engine& operator*() const { return *readers_.engine; }
    Engine* operator->() const { return readers_.engine.get(); }
    const Index* index() const { return readers_.index.get(); }
    // Drops the readers instead of returning them (after a Xapian error, say).
    void Discard() { readers_ = Readers(); }

   private:
    EnginePool* pool_;
    Readers readers_;
    int64_t generation_;
  };

  // Borrows an engine that sees the latest committed index.
  // Errors: kNotFound when the directory holds no data yet; as Engine::Open.
  Result<Lease> Acquire() ET_EXCLUDES(mutex_);

  const std::string& data_dir() const { return data_dir_; }

  // Changes whenever a writer commits to the index: the index's revision as
  // Xapian reports it (Database::reopen + get_revision on a probe reader the
  // pool keeps), 0 while there is no index. Cost: one reopen check.
  int64_t IndexGeneration() ET_EXCLUDES(mutex_);

 private:
  void Return(Readers readers, int64_t generation) ET_EXCLUDES(mutex_);
  int64_t IndexGenerationLocked() ET_REQUIRES(mutex_);

  const std::string data_dir_;
  // Constant after construction: the linking state every pooled engine
  // reads, loaded once for all of them (LinkSnapshots is thread-safe), eager:
  // after a commit, readers keep the previous state until the new one is loaded.
  const std::shared_ptr<LinkSnapshots> link_snapshots_;
  // Constant after construction: the facet columns the pooled readers of one
  // index revision share (thread-safe), instead of one build per reader.
  const std::shared_ptr<FacetColumnCache> facet_columns_;
  static constexpr size_t kMaxIdle = 32;

  Mutex mutex_;
  int64_t generation_ ET_GUARDED_BY(mutex_) = -1;
  std::vector<Readers> idle_ ET_GUARDED_BY(mutex_);     // all of generation_
  std::unique_ptr<Index> probe_ ET_GUARDED_BY(mutex_);  // reads the revision; null until an index exists
};

}  // namespace echotrace::server

// LinkSnapshots: the linking state that queries read (the n-gram index for
// trace, the events, the near-duplicate pairs), opened once per data
// directory and link mark and shared by every Engine given the same object
// (the server's pool of readers shares one). Opening maps the on-disk n-gram
// index (link/ngram_index.h); events and pairs are read from the link tables
// on first use, so a trace never reads them.
//
// A server's readers share one object built with `eager` set: a fresh
// snapshot then reads its events and pairs before it is used, and while one
// thread builds it (after a commit moved the link mark) the others keep
// answering from the previous snapshot, so an ingest never stalls readers.
//
// Thread-safety: Get may be called from any thread (mutex_); a Snapshot is
// kept alive by its shared_ptr, its linker is immutable, and Events and
// DupPairs may be called from any thread (loaded once under its mutex).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/thread_annotations.h"
#include "link/events.h"
#include "link/link_store.h"
#include "link/linker.h"

namespace echotrace {

class LinkSnapshots {
 public:
  // `eager`: see above. Default false: a CLI engine loads what it uses.
  explicit LinkSnapshots(bool eager = false) : eager_(eager) {}

  class Snapshot {
   public:
    int64_t mark = -1;               // the link mark it was opened at
    std::unique_ptr<Linker> linker;  // read only through Trace and index(); its LinkStore connection is
                                     // used only by Events and DupPairs, under mutex_

    // StoredEvents at `mark` and every confirmed near-duplicate pair, read on
    // the first call; the pointers live as long as the snapshot.
    // Errors: reading the link tables (the next call tries again).
    Result<const std::vector<EventGroup>*> Events() const ET_EXCLUDES(mutex_);
    Result<const std::vector<DupPairRow>*> DupPairs() const ET_EXCLUDES(mutex_);

   private:
    mutable Mutex mutex_;
    mutable std::optional<std::vector<EventGroup>> events_ ET_GUARDED_BY(mutex_);
    mutable std::optional<std::vector<DupPairRow>> dup_pairs_ ET_GUARDED_BY(mutex_);
  };

  // The snapshot of the store at `store_path` for its current link mark,
  // opened now if the mark moved (eager: the previous one while another
  // thread opens the new one). Errors: opening or reading the link tables
  // or the n-gram index.
  Result<std::shared_ptr<const Snapshot>> Get(const std::string& store_path) ET_EXCLUDES(mutex_, build_mutex_);

 private:
  Result<std::shared_ptr<const Snapshot>> Build(const std::string& store_path, int64_t mark) const;

  const bool eager_;
  Mutex build_mutex_;  // held while a snapshot is built; taken before mutex_
  Mutex mutex_;
  std::string path_ ET_GUARDED_BY(mutex_);
  std::shared_ptr<const Snapshot> current_ ET_GUARDED_BY(mutex_);
  bool building_ ET_GUARDED_BY(mutex_) = false;  // a thread holds build_mutex_ and builds
};

}  // namespace echotrace

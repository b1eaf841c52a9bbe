// LinkSnapshots: the linking state that queries read (the n-gram index for
// trace, the events, the near-duplicate pairs), opened once per data
// directory and link mark and shared by every Engine given the same object
// (the server's pool of readers shares one). Opening maps the on-disk n-gram
// index (link/ngram_index.h); events and pairs are read from the link tables
// on first use, so a trace never reads them.
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
  // opened now if the mark moved. Errors: opening or reading the link tables
  // or the n-gram index.
  Result<std::shared_ptr<const Snapshot>> Get(const std::string& store_path) ET_EXCLUDES(mutex_);

 private:
  Mutex mutex_;
  std::string path_ ET_GUARDED_BY(mutex_);
  std::shared_ptr<const Snapshot> current_ ET_GUARDED_BY(mutex_);
};

}  // namespace echotrace

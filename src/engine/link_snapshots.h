// LinkSnapshots: the linking state that queries read (the n-gram index for
// trace, the events, the near-duplicate pairs), loaded once per data
// directory and link mark and shared by every Engine given the same object
// (the server's pool of readers shares one). Loading is the expensive part:
// the stored n-gram sets of the whole corpus.
//
// Thread-safety: Get may be called from any thread (mutex_); a Snapshot is
// immutable once returned and kept alive by its shared_ptr.
#pragma once

#include <cstdint>
#include <memory>
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
  struct Snapshot {
    int64_t mark = -1;                  // the link mark it was loaded at
    std::unique_ptr<Linker> linker;     // read only through Trace and index(): its LinkStore
                                        // connection is single-threaded and never used after loading
    std::vector<EventGroup> events;     // StoredEvents at `mark`
    std::vector<DupPairRow> dup_pairs;  // every confirmed near-duplicate pair
  };

  // The snapshot of the store at `store_path` for its current link mark,
  // loaded now if the mark moved. Errors: opening or reading the link tables.
  Result<std::shared_ptr<const Snapshot>> Get(const std::string& store_path) ET_EXCLUDES(mutex_);

 private:
  Mutex mutex_;
  std::string path_ ET_GUARDED_BY(mutex_);
  std::shared_ptr<const Snapshot> current_ ET_GUARDED_BY(mutex_);
};

}  // namespace echotrace

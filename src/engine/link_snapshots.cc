#include "engine/link_snapshots.h"

namespace echotrace {

Result<const std::vector<EventGroup>*> LinkSnapshots::Snapshot::Events() const {
  MutexLock lock(&mutex_);
  if (!events_) {
    ET_ASSIGN_OR_RETURN(std::vector<EventGroup> events, StoredEvents(linker->links(), linker->index()));
    events_ = std::move(events);
  }
  return &*events_;
}

Result<const std::vector<DupPairRow>*> LinkSnapshots::Snapshot::DupPairs() const {
  MutexLock lock(&mutex_);
  if (!dup_pairs_) {
    ET_ASSIGN_OR_RETURN(std::vector<DupPairRow> pairs, linker->links().DupPairs());
    dup_pairs_ = std::move(pairs);
  }
  return &*dup_pairs_;
}

Result<std::shared_ptr<const LinkSnapshots::Snapshot>> LinkSnapshots::Build(const std::string& store_path,
                                                                            int64_t mark) const {
  auto fresh = std::make_shared<Snapshot>();
  fresh->mark = mark;
  ET_ASSIGN_OR_RETURN(fresh->linker, Linker::Open(store_path, true));
  if (eager_) {
    ET_RETURN_IF_ERROR(fresh->Events().status());
    ET_RETURN_IF_ERROR(fresh->DupPairs().status());
  }
  return std::shared_ptr<const Snapshot>(std::move(fresh));
}

Result<std::shared_ptr<const LinkSnapshots::Snapshot>> LinkSnapshots::Get(const std::string& store_path) {
  ET_ASSIGN_OR_RETURN(std::unique_ptr<LinkStore> links, LinkStore::Open(store_path, true));
  ET_ASSIGN_OR_RETURN(const int64_t mark, links->Mark());
  {
    MutexLock lock(&mutex_);
    if (current_ && path_ == store_path && current_->mark == mark) return current_;
    // Eager: another thread builds the new snapshot; answer from the previous one meanwhile.
    if (eager_ && building_ && current_ && path_ == store_path) return current_;
  }
  MutexLock build(&build_mutex_);  // one builder at a time; without a previous snapshot, wait for it
  {
    MutexLock lock(&mutex_);
    if (current_ && path_ == store_path && current_->mark == mark) return current_;
    building_ = true;
  }
  Result<std::shared_ptr<const Snapshot>> fresh = Build(store_path, mark);
  MutexLock lock(&mutex_);
  building_ = false;
  if (!fresh.ok()) return fresh.status();
  current_ = *fresh;
  path_ = store_path;
  return current_;
}

}  // namespace echotrace

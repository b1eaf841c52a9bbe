#include "engine/link_snapshots.h"

namespace echotrace {

Result<std::shared_ptr<const LinkSnapshots::Snapshot>> LinkSnapshots::Get(const std::string& store_path) {
  ET_ASSIGN_OR_RETURN(std::unique_ptr<LinkStore> links, LinkStore::Open(store_path, true));
  ET_ASSIGN_OR_RETURN(const int64_t mark, links->Mark());
  MutexLock lock(&mutex_);
  if (current_ && path_ == store_path && current_->mark == mark) return current_;
  auto fresh = std::make_shared<Snapshot>();
  fresh->mark = mark;
  ET_ASSIGN_OR_RETURN(fresh->linker, Linker::Open(store_path, true));
  ET_ASSIGN_OR_RETURN(fresh->events, StoredEvents(fresh->linker->links()));
  ET_ASSIGN_OR_RETURN(fresh->dup_pairs, fresh->linker->links().DupPairs());
  current_ = fresh;
  path_ = store_path;
  return std::shared_ptr<const Snapshot>(current_);
}

}  // namespace echotrace

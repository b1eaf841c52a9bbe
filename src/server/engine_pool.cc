#include "server/engine_pool.h"

namespace echotrace::server {

EnginePool::Lease::~Lease() {
  if (readers_.engine && pool_ != nullptr) pool_->Return(std::move(readers_), generation_);
}

int64_t EnginePool::IndexGeneration() {
  MutexLock lock(&mutex_);
  return IndexGenerationLocked();
}

int64_t EnginePool::IndexGenerationLocked() {
  if (!probe_) {
    auto opened = Index::OpenReadOnly(DataDir{data_dir_}.IndexPath());
    if (!opened.ok()) return 0;  // no index yet
    probe_ = std::move(opened).value();
  }
  auto revision = probe_->LatestRevision();
  if (!revision.ok()) {  // reopened from scratch next time
    probe_.reset();
    return 0;
  }
  // Revision 0 is a fresh, empty index; keep 0 for "none", as before.
  return *revision + 1;
}

Result<EnginePool::Lease> EnginePool::Acquire() {
  int64_t generation = 0;
  {
    MutexLock lock(&mutex_);
    generation = IndexGenerationLocked();
    if (generation != generation_) {
      idle_.clear();
      generation_ = generation;
    }
    if (!idle_.empty()) {
      Readers readers = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(readers), generation);
    }
  }
  Readers readers;
  ET_ASSIGN_OR_RETURN(readers.engine, Engine::Open(data_dir_, Engine::Mode::kRead, link_snapshots_));
  auto index = Index::OpenReadOnly(DataDir{data_dir_}.IndexPath());
  if (index.ok()) {
    readers.index = std::move(index).value();
    readers.index->ShareFacetColumns(facet_columns_);
  } else if (index.status().code() != StatusCode::kNotFound) {
    return index.status();
  }
  return Lease(this, std::move(readers), generation);
}

void EnginePool::Return(Readers readers, int64_t generation) {
  MutexLock lock(&mutex_);
  if (generation != generation_ || idle_.size() >= kMaxIdle) return;  // stale or enough idle ones
  idle_.push_back(std::move(readers));
}

}  // namespace echotrace::server

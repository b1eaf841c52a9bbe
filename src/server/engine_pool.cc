#include "server/engine_pool.h"

#include <sys/stat.h>

namespace echotrace::server {

EnginePool::Lease::~Lease() {
  if (readers_.engine && pool_ != nullptr) pool_->Return(std::move(readers_), generation_);
}

int64_t EnginePool::IndexGeneration() const {
  struct stat info {};
  if (stat((data_dir_ + "/index/iamglass").c_str(), &info) != 0) return 0;
  return static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec +
         static_cast<int64_t>(info.st_size) * 7919;
}

Result<EnginePool::Lease> EnginePool::Acquire() {
  const int64_t generation = IndexGeneration();
  {
    MutexLock lock(&mutex_);
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

// OrderedWorkers: a function run on worker threads over items handed in one
// at a time, whose results come back in the order the items went in.
// Internal to the engine stage (ingest's pipeline, ingest_run.h).
//
//   OrderedWorkers<In, Out> pool(2, [](In&& in) { return Work(in); });
//   pool.Submit(item);              // never blocks
//   Out first = pool.Next();        // blocks until the oldest item is done
//
// Memory is bounded by the caller: Submit does not block, so the caller
// takes results (Next) once InFlight() reaches the bound it wants.
// Thread-safety: Submit, Next and InFlight are called by one thread (the
// owner); `work` runs on the worker threads, on one item at a time each, and
// must not touch what the owner uses without its own lock. Destroying the
// pool stops the workers after the item each is on; results not taken are
// dropped.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <thread>
#include <utility>
#include <vector>

#include "core/thread_annotations.h"

namespace echotrace {

template <typename In, typename Out>
class OrderedWorkers {
 public:
  // REQUIRES: workers >= 1. Starts the threads.
  OrderedWorkers(int workers, std::function<Out(In&&)> work) : work_(std::move(work)) {
    for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { Run(); });
  }
  ~OrderedWorkers() {
    {
      MutexLock lock(&mutex_);
      stop_ = true;
    }
    work_ready_.SignalAll();
    for (std::thread& thread : threads_) thread.join();
  }
  OrderedWorkers(const OrderedWorkers&) = delete;  // owns its threads
  OrderedWorkers& operator=(const OrderedWorkers&) = delete;

  // Queues `item`; its result is the one Next() returns after those of every
  // item submitted before it.
  void Submit(In item) {
    {
      MutexLock lock(&mutex_);
      todo_.emplace_back(next_submit_++, std::move(item));
    }
    work_ready_.Signal();
  }

  // The result of the oldest item not yet taken, waiting for it if need be.
  // REQUIRES: InFlight() > 0.
  Out Next() {
    MutexLock lock(&mutex_);
    for (;;) {
      auto it = done_.find(next_take_);
      if (it != done_.end()) {
        Out out = std::move(it->second);
        done_.erase(it);
        ++next_take_;
        return out;
      }
      result_ready_.Wait(&mutex_);
    }
  }

  // Items submitted whose result has not been taken.
  size_t InFlight() const {
    MutexLock lock(&mutex_);
    return static_cast<size_t>(next_submit_ - next_take_);
  }

 private:
  void Run() {
    for (;;) {
      std::pair<uint64_t, In> item;
      {
        MutexLock lock(&mutex_);
        while (todo_.empty() && !stop_) work_ready_.Wait(&mutex_);
        if (stop_) return;
        item = std::move(todo_.front());
        todo_.pop_front();
      }
      Out out = work_(std::move(item.second));
      {
        MutexLock lock(&mutex_);
        done_.emplace(item.first, std::move(out));
      }
      result_ready_.SignalAll();
    }
  }

  // Constant after construction.
  const std::function<Out(In&&)> work_;
  std::vector<std::thread> threads_;

  mutable Mutex mutex_;
  CondVar work_ready_;    // todo_ gained an item, or stop_ was set
  CondVar result_ready_;  // done_ gained a result
  std::deque<std::pair<uint64_t, In>> todo_ ET_GUARDED_BY(mutex_);
  std::map<uint64_t, Out> done_ ET_GUARDED_BY(mutex_);  // by submission number
  uint64_t next_submit_ ET_GUARDED_BY(mutex_) = 0;
  uint64_t next_take_ ET_GUARDED_BY(mutex_) = 0;
  bool stop_ ET_GUARDED_BY(mutex_) = false;
};

}  // namespace echotrace

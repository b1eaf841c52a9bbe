#include "server/writer.h"

#include <utility>

namespace echotrace::server {

Writer::Writer(std::string data_dir, Options options)
    : data_dir_(std::move(data_dir)), options_(options), thread_([this] { Loop(); }) {}

Writer::~Writer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    for (Pending* pending : queue_) pending->reply = ErrorReply(503, "the server is stopping");
    queue_.clear();
  }
  wake_.notify_all();
  done_.notify_all();
  thread_.join();
}

ApiReply Writer::Run(Job job) {
  Pending pending{std::move(job), std::nullopt};
  std::unique_lock<std::mutex> lock(mutex_);
  if (stopping_) return ErrorReply(503, "the server is stopping");
  if (queue_.size() >= options_.max_queued) {
    return ErrorReply(503, "too many writes waiting (" + std::to_string(queue_.size()) + "); try again shortly", "",
                      "busy");
  }
  queue_.push_back(&pending);
  wake_.notify_one();
  done_.wait(lock, [&] { return pending.reply.has_value(); });
  return std::move(*pending.reply);
}

Writer::Counts Writer::counts() {
  std::lock_guard<std::mutex> lock(mutex_);
  Counts counts = counts_;
  counts.waiting = static_cast<int64_t>(queue_.size());
  return counts;
}

ApiReply Writer::RunOne(const Job& job) {
  if (!engine_) {
    auto opened = Engine::Open(data_dir_, Engine::Mode::kWrite);
    if (!opened.ok()) {
      ApiReply reply = ErrorReply(HttpStatusFor(opened.status()), opened.status().message());
      if (opened.status().code() == StatusCode::kIOError) reply.status = 409;  // locked by another writer
      return reply;
    }
    engine_ = std::move(opened).value();
    std::lock_guard<std::mutex> lock(mutex_);
    ++counts_.opens;
  }
  ApiReply reply = job(*engine_);
  // A store or index failure: start again from what is on disk next time.
  if (reply.status == 500 || reply.status == 503) engine_.reset();
  return reply;
}

void Writer::Loop() {
  while (true) {
    Pending* pending = nullptr;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      const auto ready = [&] { return !queue_.empty() || stopping_; };
      if (!engine_) {
        wake_.wait(lock, ready);
      } else if (!wake_.wait_for(lock, options_.idle_close, ready)) {
        lock.unlock();
        engine_.reset();  // idle: release the write lock (outside the mutex: closing may commit)
        continue;
      }
      if (stopping_) break;
      pending = queue_.front();
      queue_.pop_front();
    }
    ApiReply reply = RunOne(pending->job);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++counts_.jobs;
      pending->reply = std::move(reply);
    }
    done_.notify_all();
  }
  engine_.reset();
}

}  // namespace echotrace::server

// Lock annotations checked by the compiler (clang's -Wthread-safety), after
// LevelDB's port/thread_annotations.h and Abseil's base/thread_annotations.h:
// a member marked ET_GUARDED_BY(mutex_) may only be touched with mutex_ held,
// and clang refuses to compile code that does otherwise. With other
// compilers the macros expand to nothing.
//
// std::mutex carries no annotation in libstdc++, so guarded state uses the
// annotated Mutex and MutexLock below (thin wrappers, same cost).
// Thread-safety: Mutex is a mutex; MutexLock is used by one thread; CondVar as
// std::condition_variable.
#pragma once

#include <condition_variable>
#include <mutex>

#if defined(__clang__)
#define ET_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define ET_THREAD_ANNOTATION(x)
#endif

#define ET_CAPABILITY(x) ET_THREAD_ANNOTATION(capability(x))
#define ET_SCOPED_CAPABILITY ET_THREAD_ANNOTATION(scoped_lockable)
#define ET_GUARDED_BY(x) ET_THREAD_ANNOTATION(guarded_by(x))
#define ET_PT_GUARDED_BY(x) ET_THREAD_ANNOTATION(pt_guarded_by(x))
#define ET_REQUIRES(...) ET_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define ET_ACQUIRE(...) ET_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define ET_RELEASE(...) ET_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define ET_EXCLUDES(...) ET_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))

namespace echotrace {

class ET_CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;  // a mutex has one identity; share the object that owns it
  Mutex& operator=(const Mutex&) = delete;
  void Lock() ET_ACQUIRE() { mutex_.lock(); }
  void Unlock() ET_RELEASE() { mutex_.unlock(); }

 private:
  friend class CondVar;
  std::mutex mutex_;
};

// A condition variable that waits on a Mutex the caller holds:
//   MutexLock lock(&mu_); while (!ready_) cv_.Wait(&mu_);
// Thread-safety: as std::condition_variable (Signal/SignalAll from any thread).
class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;  // waiters hold on to it; share the object that owns it
  CondVar& operator=(const CondVar&) = delete;
  // Releases *mutex, waits for a signal (or a spurious wake-up), takes it again.
  void Wait(Mutex* mutex) ET_REQUIRES(mutex) {
    std::unique_lock<std::mutex> lock(mutex->mutex_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();  // still held: the caller's MutexLock releases it
  }
  void Signal() { cv_.notify_one(); }
  void SignalAll() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

// Holds `mutex` for the scope: `MutexLock lock(&mutex_);`.
class ET_SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex* mutex) ET_ACQUIRE(mutex) : mutex_(mutex) { mutex_->Lock(); }
  ~MutexLock() ET_RELEASE() { mutex_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mutex_;
};

}  // namespace echotrace

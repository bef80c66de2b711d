// Worker threads spin briefly on the job generation counter (launches often come in quick succession),
// then sleep on a condition variable.
#include "thread_pool.h"

namespace cuport_cpu {
namespace {

constexpr int kSpinIterations = 20000;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#else
  std::this_thread::yield();
#endif
}

}  // namespace

ThreadPool::ThreadPool(unsigned participants) {
  const unsigned workers = participants > 1 ? participants - 1 : 0;
  workers_.reserve(workers);
  for (unsigned i = 0; i < workers; ++i) workers_.emplace_back([this, i] { worker_main(i + 1); });
}

ThreadPool::~ThreadPool() { stop(); }

void ThreadPool::stop() {
  std::lock_guard<std::mutex> submit(submit_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_.exchange(true)) return;
  }
  wake_cv_.notify_all();
  for (std::thread& t : workers_)
    if (t.joinable()) t.join();
  workers_.clear();
}

void ThreadPool::run(Body body, void* context, unsigned max_participants) {
  std::lock_guard<std::mutex> submit(submit_mu_);
  unsigned n = participants();
  if (max_participants < n) n = max_participants;
  if (n <= 1 || stopping_.load()) {
    body(context, 0);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    body_ = body;
    context_ = context;
    active_ = n;
    pending_.store(n - 1, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_cv_.notify_all();
  body(context, 0);
  for (int i = 0; i < kSpinIterations && pending_.load(std::memory_order_acquire) != 0; ++i) cpu_relax();
  if (pending_.load(std::memory_order_acquire) != 0) {
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait(lock, [this] { return pending_.load(std::memory_order_acquire) == 0; });
  }
}

void ThreadPool::worker_main(unsigned index) {
  uint64_t seen = 0;
  for (;;) {
    // Wait for a new job generation: spin first, then sleep.
    uint64_t gen = generation_.load(std::memory_order_acquire);
    for (int i = 0; i < kSpinIterations && gen == seen && !stopping_.load(std::memory_order_relaxed); ++i) {
      cpu_relax();
      gen = generation_.load(std::memory_order_acquire);
    }
    Body body = nullptr;
    void* context = nullptr;
    bool participate = false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_cv_.wait(lock, [&] { return stopping_.load() || generation_.load() != seen; });
      if (stopping_.load()) return;
      seen = generation_.load();
      body = body_;
      context = context_;
      participate = index < active_;
    }
    if (!participate) continue;
    body(context, index);
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard<std::mutex> lock(mu_);
      done_cv_.notify_one();
    }
  }
}

}  // namespace cuport_cpu

// Worker threads spin briefly on the job generation counter (launches often come in quick succession),
// then sleep on a condition variable.  Open jobs are served oldest first; a job stops accepting helpers
// once its submitter has finished its own share (the block counter is then exhausted anyway).
#include "thread_pool.h"

#include <algorithm>

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
  for (unsigned i = 0; i < workers; ++i) workers_.emplace_back([this] { worker_main(); });
}

ThreadPool::~ThreadPool() { stop(); }

void ThreadPool::stop() {
  std::lock_guard<std::mutex> guard(stop_mu_);
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
  const unsigned helpers = std::min(max_participants, participants()) - (max_participants ? 1 : 0);
  if (helpers == 0 || stopping_.load()) {
    body(context, 0);
    return;
  }
  Job job;
  job.body = body;
  job.context = context;
  job.wanted_helpers = helpers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    open_jobs_.push_back(&job);
    generation_.fetch_add(1, std::memory_order_release);
  }
  if (helpers == 1) wake_cv_.notify_one();
  else wake_cv_.notify_all();
  body(context, 0);
  std::unique_lock<std::mutex> lock(mu_);
  if (job.open) {
    job.open = false;
    open_jobs_.erase(std::find(open_jobs_.begin(), open_jobs_.end(), &job));
  }
  job.done_cv.wait(lock, [&] { return job.running == 0; });
}

void ThreadPool::worker_main() {
  uint64_t seen = 0;
  for (;;) {
    // Wait for an open job: spin on the generation first, then sleep.
    for (int i = 0; i < kSpinIterations && generation_.load(std::memory_order_acquire) == seen &&
                    !stopping_.load(std::memory_order_relaxed);
         ++i)
      cpu_relax();
    Job* job = nullptr;
    unsigned index = 0;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_cv_.wait(lock, [&] { return stopping_.load() || !open_jobs_.empty(); });
      if (stopping_.load()) return;
      seen = generation_.load(std::memory_order_relaxed);
      job = open_jobs_.front();
      index = job->next_index++;
      ++job->running;
      if (--job->wanted_helpers == 0) {
        job->open = false;
        open_jobs_.erase(open_jobs_.begin());
      }
    }
    job->body(job->context, index);
    std::lock_guard<std::mutex> lock(mu_);
    if (--job->running == 0 && !job->open) job->done_cv.notify_all();
  }
}

}  // namespace cuport_cpu

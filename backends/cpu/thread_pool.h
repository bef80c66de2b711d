// Internal to the CPU backend: a fixed pool of worker threads shared by concurrent jobs.  Every job's
// submitting thread takes part in it as participant 0, so a job always makes progress even while the
// workers are busy with other jobs (several runtime stream workers launch kernels at the same time).
#ifndef CUPORT_CPU_THREAD_POOL_H
#define CUPORT_CPU_THREAD_POOL_H

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace cuport_cpu {

class ThreadPool {
 public:
  // A job body: called once per participant with its index (0 = the submitting thread; helpers get
  // distinct indices 1..).  Participants share the job's work through their own means (the launch code
  // uses an atomic block counter), and a participant may find no work left.
  using Body = void (*)(void* context, unsigned participant);

  // `participants` >= 1 counts the calling thread: participants - 1 worker threads are started.
  explicit ThreadPool(unsigned participants);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  unsigned participants() const { return unsigned(workers_.size()) + 1; }

  // Runs `body` on the calling thread and on up to `max_participants - 1` idle workers, and returns when
  // every participant has finished.  Any thread, concurrently: jobs from several threads run at the same
  // time and share the workers.  A worker runs one body at a time, so per-thread scratch stays private.
  void run(Body body, void* context, unsigned max_participants);

  // Stops and joins the workers; afterwards run() executes jobs on the calling thread alone.
  void stop();

 private:
  struct Job {
    Body body;
    void* context;
    unsigned wanted_helpers;   // workers that may still join
    unsigned next_index = 1;
    unsigned running = 0;      // helpers inside body
    bool open = true;          // still accepting helpers
    std::condition_variable done_cv;
  };

  void worker_main();

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable wake_cv_;
  std::vector<Job*> open_jobs_;          // jobs that still want helpers (guarded by mu_)
  std::atomic<uint64_t> generation_{0};  // bumped when a job opens; lets idle workers spin before sleeping
  std::atomic<bool> stopping_{false};
  std::mutex stop_mu_;
};

}  // namespace cuport_cpu

#endif

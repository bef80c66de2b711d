// Internal to the CPU backend: a fixed pool of worker threads that run one job at a time, the submitting
// thread taking part as participant 0.
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
  // A job body: called once per participant with its index (0 = the submitting thread).  Participants
  // share the job's work through their own means (the launch code uses an atomic block counter).
  using Body = void (*)(void* context, unsigned participant);

  // `participants` >= 1 counts the calling thread: participants - 1 worker threads are started.
  explicit ThreadPool(unsigned participants);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  unsigned participants() const { return unsigned(workers_.size()) + 1; }

  // Runs `body` on up to `max_participants` participants and returns when all of them have finished.
  // Any thread; jobs from several threads run one after another.
  void run(Body body, void* context, unsigned max_participants);

  // Stops and joins the workers; afterwards run() executes jobs on the calling thread alone.
  void stop();

 private:
  void worker_main(unsigned index);

  std::vector<std::thread> workers_;
  std::mutex submit_mu_;            // one job at a time

  std::mutex mu_;                   // guards the fields below for sleeping/waking
  std::condition_variable wake_cv_;
  std::condition_variable done_cv_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<unsigned> pending_{0};
  std::atomic<bool> stopping_{false};
  Body body_ = nullptr;
  void* context_ = nullptr;
  unsigned active_ = 0;             // participants of the current job
};

}  // namespace cuport_cpu

#endif

// Shared by the backend plugins whose device runtime lives in a library with static objects that exit()
// destroys (PoCL's LLVM and Clang; the HIP runtime): the exit gate.
//
// libcuport's stream workers may still run queued work while exit() runs.  Every hook that calls into the
// vendor library holds a GatedCall; once exit() has begun (seen from the main thread), the gate closes after
// the calls in flight return (bounded by CUPORT_EXIT_TIMEOUT_MS, like libcuport's own exit drain), and later
// hooks fail with cudaErrorCudartUnloading instead of entering a library that is being torn down.
//
// How the gate learns of exit(): exit() runs the calling thread's thread_local destructors before any atexit
// handler or static destructor.  The main thread's watcher uses that moment to register the closing
// handler, which therefore runs before the destructors of everything the vendor library set up, including
// what it set up lazily.  Header-only: each plugin gets its own gate.
#ifndef CUPORT_BACKEND_EXIT_GATE_H
#define CUPORT_BACKEND_EXIT_GATE_H

#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>

namespace cuport_glue {

namespace exit_gate_detail {

struct Gate {
  std::mutex mu;
  std::condition_variable idle;
  int active = 0;
  bool closed = false;
};

inline Gate& gate() {
  static Gate* g = new Gate;  // leaked: used during exit
  return *g;
}

inline void close_gate() {
  long timeout_ms = 10000;
  if (const char* v = std::getenv("CUPORT_EXIT_TIMEOUT_MS")) timeout_ms = std::max(0L, std::atol(v));
  Gate& g = gate();
  std::unique_lock<std::mutex> lock(g.mu);
  g.closed = true;
  g.idle.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return g.active == 0; });
}

struct ExitWatch {
  ~ExitWatch() {
    if (::syscall(SYS_gettid) == ::getpid()) std::atexit(close_gate);
  }
};
inline thread_local ExitWatch t_exit_watch;

}  // namespace exit_gate_detail

// Held for the duration of one hook's calls into the vendor library; false once the gate has closed.
class GatedCall {
 public:
  GatedCall() {
    (void)&exit_gate_detail::t_exit_watch;  // constructs this thread's watcher
    exit_gate_detail::Gate& g = exit_gate_detail::gate();
    std::lock_guard<std::mutex> lock(g.mu);
    open_ = !g.closed;
    if (open_) ++g.active;
  }
  ~GatedCall() {
    if (!open_) return;
    exit_gate_detail::Gate& g = exit_gate_detail::gate();
    std::lock_guard<std::mutex> lock(g.mu);
    if (--g.active == 0) g.idle.notify_all();
  }
  GatedCall(const GatedCall&) = delete;
  GatedCall& operator=(const GatedCall&) = delete;
  explicit operator bool() const { return open_; }

 private:
  bool open_;
};

// The gate has closed: make no further calls into the vendor library.
inline bool exiting() {
  exit_gate_detail::Gate& g = exit_gate_detail::gate();
  std::lock_guard<std::mutex> lock(g.mu);
  return g.closed;
}

}  // namespace cuport_glue

#endif

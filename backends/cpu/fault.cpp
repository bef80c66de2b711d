#include "fault.h"

#include <signal.h>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace cuport_cpu {
namespace {

constexpr int kSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT};
struct sigaction g_previous[sizeof kSignals / sizeof kSignals[0]];
bool g_enabled = false;
thread_local FaultPoint* t_point = nullptr;
thread_local bool t_altstack = false;

void chain(int signo, siginfo_t* info, void* uctx) {
  for (size_t i = 0; i < sizeof kSignals / sizeof kSignals[0]; ++i) {
    if (kSignals[i] != signo) continue;
    const struct sigaction& prev = g_previous[i];
    if (prev.sa_flags & SA_SIGINFO) {
      if (prev.sa_sigaction) prev.sa_sigaction(signo, info, uctx);
      return;
    }
    if (prev.sa_handler == SIG_IGN) return;
    if (prev.sa_handler != SIG_DFL && prev.sa_handler) {
      prev.sa_handler(signo);
      return;
    }
    // Default action: restore it and re-raise, so the process dies as it would have.
    ::signal(signo, SIG_DFL);
    ::raise(signo);
    return;
  }
}

void handler(int signo, siginfo_t* info, void* uctx) {
  FaultPoint* p = t_point;
  if (p && p->armed) {
    p->armed = 0;
    p->signo = signo;
    p->address = info ? info->si_addr : nullptr;
    siglongjmp(p->env, 1);
  }
  chain(signo, info, uctx);
}

void install() {
  const char* env = std::getenv("CUPORT_CPU_CATCH_FAULTS");
  if (env && std::strcmp(env, "0") == 0) return;
  for (size_t i = 0; i < sizeof kSignals / sizeof kSignals[0]; ++i) {
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    ::sigaction(kSignals[i], &sa, &g_previous[i]);
  }
  g_enabled = true;
}

}  // namespace

bool fault_containment_ready() {
  static std::once_flag once;
  std::call_once(once, install);
  if (!g_enabled) return false;
  if (!t_altstack) {
    // Leaked with the thread: pool and stream threads live as long as the process.
    const size_t size = 64 * 1024;
    stack_t ss;
    ss.ss_sp = std::malloc(size);
    ss.ss_size = size;
    ss.ss_flags = 0;
    if (ss.ss_sp && ::sigaltstack(&ss, nullptr) == 0) t_altstack = true;
  }
  return true;
}

void set_fault_point(FaultPoint* point) { t_point = point; }

int fault_status(int signo) {
  switch (signo) {
    case SIGSEGV:
    case SIGBUS: return 700;  // cudaErrorIllegalAddress
    case SIGABRT: return 710; // cudaErrorAssert
    default: return 719;      // cudaErrorLaunchFailure
  }
}

const char* fault_description(int signo) {
  switch (signo) {
    case SIGSEGV: return "invalid memory access";
    case SIGBUS: return "misaligned or invalid memory access";
    case SIGABRT: return "device-side assertion failed";
    case SIGFPE: return "arithmetic exception (integer division by zero)";
    case SIGILL:
    case SIGTRAP: return "trap (__trap() or an unreachable point)";
    default: return "fault";
  }
}

}  // namespace cuport_cpu

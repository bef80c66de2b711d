// Fault containment for kernels on the CPU backend: a kernel that dereferences an invalid address,
// traps, fails a device assert or divides an integer by zero abandons its launch with a CUDA error
// instead of killing the process.
//
// While a participant thread runs blocks it arms a recovery point (sigsetjmp); the process-wide handler
// for SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP and SIGABRT jumps back to it when the signal arrives on an
// armed thread, and chains to the previous handler otherwise (a crash in host code stays a crash).
// Handlers run on a per-thread alternate stack, so a kernel that overflows its stack is contained too.
// CUPORT_CPU_CATCH_FAULTS=0 turns it off (for debuggers and sanitizers that want the raw signal).
//
// Limitation: a kernel that faults while holding a C library lock (inside malloc) leaves it held.
#ifndef CUPORT_CPU_FAULT_H
#define CUPORT_CPU_FAULT_H

#include <csetjmp>
#include <cstdint>

namespace cuport_cpu {

struct FaultPoint {
  sigjmp_buf env;
  volatile int armed = 0;
  volatile int signo = 0;
  void* volatile address = nullptr;
};

// Installs the handlers once and the calling thread's alternate stack; false when disabled.
bool fault_containment_ready();
// The calling thread's active recovery point (null when none).
void set_fault_point(FaultPoint* point);

// The CUDA error for a contained signal, and a description ("invalid memory access at 0x...").
int fault_status(int signo);
const char* fault_description(int signo);

}  // namespace cuport_cpu

#endif

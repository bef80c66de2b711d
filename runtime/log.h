// Internal: CUPORT_LOG tracing of runtime calls to stderr.
//
// CUPORT_LOG is a comma-separated list of categories: "launch", "memory", "stream" (streams and events),
// "device" (everything else), "api" (all of the former), "all" (api plus the execution of queued work on
// the stream workers).  It is read once, when libcuport loads.  When tracing is off, every trace point costs
// one relaxed atomic load and a predictable branch; the arguments are formatted only when it is on.
#ifndef CUPORT_RUNTIME_LOG_H
#define CUPORT_RUNTIME_LOG_H

#include <atomic>

#include "api.h"

namespace cuport {

enum LogCategory : unsigned {
  kLogLaunch = 1u << 0,
  kLogMemory = 1u << 1,
  kLogStream = 1u << 2,
  kLogDevice = 1u << 3,
  kLogExec = 1u << 4,   // queued work starting/finishing on a stream worker ("all" only)
};

extern std::atomic<unsigned> g_log_mask;

inline bool log_on(unsigned category) {
  return __builtin_expect((g_log_mask.load(std::memory_order_relaxed) & category) != 0, 0);
}

// Parses a CUPORT_LOG value into a mask (unknown words are reported once on stderr).  Exposed for tests.
unsigned parse_log_spec(const char* spec);

// Writes one line "cuport: <fn>(<formatted args>) -> <result name>" to stderr with a single write.
void log_call(const char* fn, cudaError_t result, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
// Writes one free-form line "cuport: <formatted>".
void log_line(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

}  // namespace cuport

// Returns `r` from the enclosing entry point, tracing the call in `cat` first when that category is on.
#define CUPORT_RETURN(cat, r, ...)                                                                   \
  do {                                                                                               \
    const cudaError_t cuport_r_ = (r);                                                               \
    if (::cuport::log_on(cat)) ::cuport::log_call(__func__, cuport_r_, __VA_ARGS__);                  \
    return cuport_r_;                                                                                \
  } while (0)

#endif

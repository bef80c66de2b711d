// CUPORT_LOG: see log.h.
#include "log.h"

#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace cuport {

std::atomic<unsigned> g_log_mask{0};

unsigned parse_log_spec(const char* spec) {
  if (!spec) return 0;
  unsigned mask = 0;
  std::string s(spec);
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t comma = s.find(',', pos);
    if (comma == std::string::npos) comma = s.size();
    const std::string w = s.substr(pos, comma - pos);
    pos = comma + 1;
    if (w.empty() || w == "0" || w == "none" || w == "off") continue;
    if (w == "launch") mask |= kLogLaunch;
    else if (w == "memory") mask |= kLogMemory;
    else if (w == "stream" || w == "event") mask |= kLogStream;
    else if (w == "device") mask |= kLogDevice;
    else if (w == "api" || w == "1") mask |= kLogLaunch | kLogMemory | kLogStream | kLogDevice;
    else if (w == "all") mask |= ~0u;
    else
      std::fprintf(stderr, "cuport: CUPORT_LOG: unknown category '%s' (use api, all, launch, memory, stream, device)\n",
                   w.c_str());
  }
  return mask;
}

namespace {

void emit(const std::string& line) {
  // One write(2) per line so that lines of concurrent threads do not interleave.
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(2, line.data() + done, line.size() - done);
    if (n <= 0) break;
    done += size_t(n);
  }
}

std::string vformat(const char* fmt, va_list ap) {
  char buf[512];
  va_list copy;
  va_copy(copy, ap);
  const int n = std::vsnprintf(buf, sizeof buf, fmt, copy);
  va_end(copy);
  if (n < 0) return std::string();
  if (size_t(n) < sizeof buf) return std::string(buf, size_t(n));
  std::string big(size_t(n) + 1, '\0');
  std::vsnprintf(&big[0], big.size(), fmt, ap);
  big.resize(size_t(n));
  return big;
}

struct LogInit {
  LogInit() { g_log_mask.store(parse_log_spec(std::getenv("CUPORT_LOG")), std::memory_order_relaxed); }
} g_log_init;

}  // namespace

void log_call(const char* fn, cudaError_t result, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string line = std::string("cuport: ") + fn + "(" + vformat(fmt, ap) + ") -> " + cudaGetErrorName(result) + "\n";
  va_end(ap);
  emit(line);
}

void log_line(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string line = "cuport: " + vformat(fmt, ap) + "\n";
  va_end(ap);
  emit(line);
}

}  // namespace cuport

// Device memory of the CPU backend is ordinary host memory (is_host_memory = 1).
#include <cstdlib>
#include <cstring>

#include "cpu_backend.h"

namespace cuport_cpu {

namespace {
constexpr size_t kAlignment = 256;  // CUDA guarantees at least 256-byte aligned allocations
}

// Any thread.
cuport_status mem_alloc(int device, size_t size, void** out) {
  if (device != 0) return fail(kInvalidDevice, "no such CPU device");
  if (!out) return fail(kInvalidValue, "null output");
  *out = nullptr;
  if (size == 0) return kSuccess;
  void* p = nullptr;
  if (::posix_memalign(&p, kAlignment, size) != 0 || !p)
    return fail(kMemoryAllocation, "cannot allocate " + std::to_string(size) + " bytes");
  *out = p;
  return kSuccess;
}

// Any thread; the runtime has synchronized the device.
cuport_status mem_free(int device, void* ptr) {
  if (device != 0) return fail(kInvalidDevice, "no such CPU device");
  std::free(ptr);
  return kSuccess;
}

// Any thread, concurrently with launches and other copies.  Ordering against kernels is the runtime's job
// (stream queues); the copy itself completes before returning.
cuport_status memcpy_(int device, void* dst, const void* src, size_t bytes, int kind) {
  if (device != 0) return fail(kInvalidDevice, "no such CPU device");
  if (kind < 0 || kind > 3) return fail(kInvalidMemcpyDirection, "unresolved copy kind");
  if (bytes == 0) return kSuccess;
  if (!dst || !src) return fail(kInvalidValue, "null pointer in copy");
  std::memmove(dst, src, bytes);
  return kSuccess;
}

// Any thread.
cuport_status memset_(int device, void* dst, int value, size_t bytes) {
  if (device != 0) return fail(kInvalidDevice, "no such CPU device");
  if (bytes == 0) return kSuccess;
  if (!dst) return fail(kInvalidValue, "null pointer in memset");
  std::memset(dst, value, bytes);
  return kSuccess;
}

}  // namespace cuport_cpu

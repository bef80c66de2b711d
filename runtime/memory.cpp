// Device and page-locked host memory: cudaMalloc, cudaFree, cudaMallocHost, cudaHostAlloc, cudaFreeHost,
// cudaMemcpy(Async), cudaMemset(Async), cudaMemGetInfo, cudaPointerGetAttributes.
#include "memory.h"

#include <cstdint>
#include <cstdlib>
#include <map>
#include <mutex>
#include <vector>

#include "error.h"

namespace cuport {
namespace {

struct Allocation {
  size_t size;
  int device;   // -1 for host allocations
};

struct Allocations {
  std::mutex mu;
  std::map<uintptr_t, Allocation> by_start;
};

Allocations& allocations() {
  static Allocations* a = new Allocations;  // leaked: usable during exit
  return *a;
}

// The allocation containing p, if any.  Requires allocations().mu.
const std::pair<const uintptr_t, Allocation>* containing(const void* p) {
  auto& m = allocations().by_start;
  const uintptr_t u = reinterpret_cast<uintptr_t>(p);
  auto it = m.upper_bound(u);
  if (it == m.begin()) return nullptr;
  --it;
  const uintptr_t end = it->first + (it->second.size ? it->second.size : 1);
  return u < end ? &*it : nullptr;
}

int kind_of(const void* p) {
  // -2: unknown, -1: host allocation, >= 0: device allocation of that device
  std::lock_guard<std::mutex> lock(allocations().mu);
  const auto* a = containing(p);
  return a ? a->second.device : -2;
}

// Waits for prior work and converts a failure of that work into the (sticky) error to report.
cudaError_t drain(const Current& cur) {
  const cuport_status st = cur.ops->synchronize(cur.local);
  if (st != cudaSuccess) note_device_error(cur.device, static_cast<cudaError_t>(st));
  return static_cast<cudaError_t>(st);
}

cudaError_t do_memcpy(void* dst, const void* src, size_t count, int kind) {
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  int resolved = 0;
  e = resolve_memcpy_kind(dst, src, kind, &resolved);
  if (e != cudaSuccess) return e;
  if (count == 0) return cudaSuccess;
  if (!dst || !src) return cudaErrorInvalidValue;
  e = drain(cur);
  if (e != cudaSuccess) return e;
  return static_cast<cudaError_t>(cur.ops->memcpy(cur.local, dst, src, count, resolved));
}

cudaError_t do_memset(void* ptr, int value, size_t count) {
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  if (count == 0) return cudaSuccess;
  if (!ptr) return cudaErrorInvalidValue;
  e = drain(cur);
  if (e != cudaSuccess) return e;
  return static_cast<cudaError_t>(cur.ops->memset(cur.local, ptr, value, count));
}

cudaError_t host_alloc(void** ptr, size_t size, unsigned flags) {
  if (!ptr) return cudaErrorInvalidValue;
  if (flags & ~unsigned(cudaHostAllocPortable | cudaHostAllocMapped | cudaHostAllocWriteCombined))
    return cudaErrorInvalidValue;
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  *ptr = nullptr;
  if (size == 0) return cudaSuccess;
  void* p = nullptr;
  if (::posix_memalign(&p, 256, size) != 0) return cudaErrorMemoryAllocation;
  std::lock_guard<std::mutex> lock(allocations().mu);
  allocations().by_start[reinterpret_cast<uintptr_t>(p)] = Allocation{size, -1};
  *ptr = p;
  return cudaSuccess;
}

}  // namespace

cudaError_t resolve_memcpy_kind(const void* dst, const void* src, int kind, int* resolved) {
  if (kind < cudaMemcpyHostToHost || kind > cudaMemcpyDefault) return cudaErrorInvalidMemcpyDirection;
  if (kind != cudaMemcpyDefault) {
    *resolved = kind;
    return cudaSuccess;
  }
  const bool dst_dev = kind_of(dst) >= 0;
  const bool src_dev = kind_of(src) >= 0;
  *resolved = dst_dev ? (src_dev ? cudaMemcpyDeviceToDevice : cudaMemcpyHostToDevice)
                      : (src_dev ? cudaMemcpyDeviceToHost : cudaMemcpyHostToHost);
  return cudaSuccess;
}

cudaError_t check_stream(cudaStream_t stream) {
  if (stream == nullptr || stream == cudaStreamLegacy || stream == cudaStreamPerThread) return cudaSuccess;
  return cudaErrorInvalidResourceHandle;
}

void free_device_allocations(const Current& cur) {
  std::vector<void*> doomed;
  {
    std::lock_guard<std::mutex> lock(allocations().mu);
    auto& m = allocations().by_start;
    for (auto it = m.begin(); it != m.end();) {
      if (it->second.device == cur.device) {
        doomed.push_back(reinterpret_cast<void*>(it->first));
        it = m.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (void* p : doomed) cur.ops->mem_free(cur.local, p);
}

}  // namespace cuport

using cuport::record_error;

extern "C" {

cudaError_t cudaMalloc(void** devPtr, size_t size) {
  if (!devPtr) return record_error(cudaErrorInvalidValue);
  cuport::Current cur;
  cudaError_t e = cuport::current(&cur);
  if (e != cudaSuccess) return record_error(e);
  *devPtr = nullptr;
  if (size == 0) return cudaSuccess;
  void* p = nullptr;
  const cuport_status st = cur.ops->mem_alloc(cur.local, size, &p);
  if (st != cudaSuccess || !p) return record_error(st != cudaSuccess ? static_cast<cudaError_t>(st)
                                                                      : cudaErrorMemoryAllocation);
  {
    std::lock_guard<std::mutex> lock(cuport::allocations().mu);
    cuport::allocations().by_start[reinterpret_cast<uintptr_t>(p)] = cuport::Allocation{size, cur.device};
  }
  *devPtr = p;
  return cudaSuccess;
}

cudaError_t cudaFree(void* devPtr) {
  cuport::Current cur;
  cudaError_t e = cuport::current(&cur);
  if (e != cudaSuccess) return record_error(e);
  if (!devPtr) return cudaSuccess;
  int device = -2;
  {
    std::lock_guard<std::mutex> lock(cuport::allocations().mu);
    auto& m = cuport::allocations().by_start;
    auto it = m.find(reinterpret_cast<uintptr_t>(devPtr));
    if (it == m.end() || it->second.device < 0) return record_error(cudaErrorInvalidValue);
    device = it->second.device;
    m.erase(it);
  }
  // The backend's contract: the device is idle when memory is freed.
  const cuport::DeviceEntry* owner = cuport::device_entry(device);
  if (!owner) return record_error(cudaErrorInvalidDevicePointer);
  const cuport_status sync = owner->ops->synchronize(owner->local);
  if (sync != cudaSuccess) cuport::note_device_error(device, static_cast<cudaError_t>(sync));
  return record_error(static_cast<cudaError_t>(owner->ops->mem_free(owner->local, devPtr)));
}

cudaError_t cudaMallocHost(void** ptr, size_t size) {
  return record_error(cuport::host_alloc(ptr, size, cudaHostAllocDefault));
}

cudaError_t cudaHostAlloc(void** pHost, size_t size, unsigned int flags) {
  return record_error(cuport::host_alloc(pHost, size, flags));
}

cudaError_t cudaFreeHost(void* ptr) {
  if (!ptr) return cudaSuccess;
  {
    std::lock_guard<std::mutex> lock(cuport::allocations().mu);
    auto& m = cuport::allocations().by_start;
    auto it = m.find(reinterpret_cast<uintptr_t>(ptr));
    if (it == m.end() || it->second.device != -1) return record_error(cudaErrorInvalidValue);
    m.erase(it);
  }
  std::free(ptr);
  return cudaSuccess;
}

cudaError_t cudaMemcpy(void* dst, const void* src, size_t count, enum cudaMemcpyKind kind) {
  return record_error(cuport::do_memcpy(dst, src, count, kind));
}

cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t count, enum cudaMemcpyKind kind,
                            cudaStream_t stream) {
  cudaError_t e = cuport::check_stream(stream);
  if (e != cudaSuccess) return record_error(e);
  // Only the default streams exist so far; completing the copy now is a valid asynchronous schedule.
  return record_error(cuport::do_memcpy(dst, src, count, kind));
}

cudaError_t cudaMemset(void* devPtr, int value, size_t count) {
  return record_error(cuport::do_memset(devPtr, value, count));
}

cudaError_t cudaMemsetAsync(void* devPtr, int value, size_t count, cudaStream_t stream) {
  cudaError_t e = cuport::check_stream(stream);
  if (e != cudaSuccess) return record_error(e);
  return record_error(cuport::do_memset(devPtr, value, count));
}

cudaError_t cudaMemGetInfo(size_t* free, size_t* total) {
  if (!free || !total) return record_error(cudaErrorInvalidValue);
  cuport::Current cur;
  cudaError_t e = cuport::current(&cur);
  if (e != cudaSuccess) return record_error(e);
  return record_error(static_cast<cudaError_t>(cur.ops->mem_info(cur.local, free, total)));
}

cudaError_t cudaPointerGetAttributes(struct cudaPointerAttributes* attributes, const void* ptr) {
  if (!attributes) return record_error(cudaErrorInvalidValue);
  cuport::Current cur;
  cudaError_t e = cuport::current(&cur);
  if (e != cudaSuccess) return record_error(e);
  const int where = cuport::kind_of(ptr);
  attributes->device = where >= 0 ? where : cur.device;
  if (where >= 0) {
    attributes->type = cudaMemoryTypeDevice;
    attributes->devicePointer = const_cast<void*>(ptr);
    attributes->hostPointer = cur.props->is_host_memory ? const_cast<void*>(ptr) : nullptr;
  } else if (where == -1) {
    attributes->type = cudaMemoryTypeHost;
    attributes->devicePointer = cur.props->is_host_memory ? const_cast<void*>(ptr) : nullptr;
    attributes->hostPointer = const_cast<void*>(ptr);
  } else {
    attributes->type = cudaMemoryTypeUnregistered;
    attributes->devicePointer = nullptr;
    attributes->hostPointer = nullptr;
  }
  return cudaSuccess;
}

}  // extern "C"

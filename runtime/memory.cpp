// Device and page-locked host memory: cudaMalloc, cudaFree, cudaMallocHost, cudaHostAlloc, cudaFreeHost,
// cudaMemcpy(Async), cudaMemset(Async), cudaMemGetInfo, cudaPointerGetAttributes.
//
// Copies and sets are stream work (stream.h).  Host synchronization follows CUDA's documented rules:
// - cudaMemcpy runs on the legacy stream and returns when the copy is done, except device-to-device copies,
//   which return at once; cudaMemset on device memory returns at once (pinned host targets: when done).
// - cudaMemcpyAsync from pageable host memory snapshots the source into a staging buffer before returning;
//   to pageable host memory, and host-to-host, it returns when the copy is done; otherwise it returns at once.
#include "memory.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "error.h"
#include "stream.h"

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

bool is_pinned(const void* p) { return kind_of(p) == -1; }

// A stream-ordered copy on the stream's device.  `sync_host` makes the call return when the copy is done.
cudaError_t enqueue_copy(const StreamRef& s, void* dst, const void* src, size_t count, int kind, bool sync_host) {
  const DeviceEntry* dev = device_entry(stream_device(s));
  if (!dev) return cudaErrorInvalidResourceHandle;
  const cuport_backend_ops* ops = dev->ops;
  const int local = dev->local, device = stream_device(s);
  std::shared_ptr<std::vector<char>> staged;
  if (!sync_host && kind == cudaMemcpyHostToDevice && !is_pinned(src)) {
    // Pageable source: CUDA copies it to staging memory before returning, so the caller may reuse it.
    staged = std::make_shared<std::vector<char>>(static_cast<const char*>(src), static_cast<const char*>(src) + count);
    src = staged->data();
  }
  StreamWork work = [ops, local, device, dst, src, count, kind, staged] {
    if (sticky_error(device) != cudaSuccess) return;
    const cuport_status st = ops->memcpy(local, dst, src, count, kind);
    if (st != cudaSuccess) note_async_error(device, static_cast<cudaError_t>(st));
  };
  if (!sync_host) return stream_enqueue(s, std::move(work));
  cudaError_t e = stream_run_and_wait(s, std::move(work));
  return e != cudaSuccess ? e : sync_result(device);
}

cudaError_t enqueue_set(const StreamRef& s, void* ptr, int value, size_t count, bool sync_host) {
  const DeviceEntry* dev = device_entry(stream_device(s));
  if (!dev) return cudaErrorInvalidResourceHandle;
  const cuport_backend_ops* ops = dev->ops;
  const int local = dev->local, device = stream_device(s);
  StreamWork work = [ops, local, device, ptr, value, count] {
    if (sticky_error(device) != cudaSuccess) return;
    const cuport_status st = ops->memset(local, ptr, value, count);
    if (st != cudaSuccess) note_async_error(device, static_cast<cudaError_t>(st));
  };
  if (!sync_host) return stream_enqueue(s, std::move(work));
  cudaError_t e = stream_run_and_wait(s, std::move(work));
  return e != cudaSuccess ? e : sync_result(device);
}

cudaError_t do_memcpy(void* dst, const void* src, size_t count, int kind, cudaStream_t stream, bool async) {
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  StreamRef s;
  e = resolve_stream(async ? stream : cudaStreamLegacy, cur, &s);
  if (e != cudaSuccess) return e;
  int resolved = 0;
  e = resolve_memcpy_kind(dst, src, kind, &resolved);
  if (e != cudaSuccess) return e;
  if (count == 0) return cudaSuccess;
  if (!dst || !src) return cudaErrorInvalidValue;
  return enqueue_copy(s, dst, src, count, resolved, host_sync_needed(dst, src, resolved, async));
}

cudaError_t do_memset(void* ptr, int value, size_t count, cudaStream_t stream, bool async) {
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  StreamRef s;
  e = resolve_stream(async ? stream : cudaStreamLegacy, cur, &s);
  if (e != cudaSuccess) return e;
  if (count == 0) return cudaSuccess;
  if (!ptr) return cudaErrorInvalidValue;
  return enqueue_set(s, ptr, value, count, !async && is_pinned(ptr));
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

bool host_sync_needed(const void* dst, const void* src, int kind, bool async) {
  (void)src;
  if (!async) return kind != cudaMemcpyDeviceToDevice;
  switch (kind) {
    case cudaMemcpyHostToHost: return true;
    case cudaMemcpyDeviceToHost: return !is_pinned(dst);
    default: return false;  // pageable host-to-device sources are staged by enqueue_copy
  }
}

cudaError_t stream_copy(const StreamRef& s, void* dst, const void* src, size_t count, int kind, bool async) {
  return enqueue_copy(s, dst, src, count, kind, host_sync_needed(dst, src, kind, async));
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
  // cudaFree synchronizes the device (CUDA's rule), which is also the backend's contract for mem_free.
  const cuport::DeviceEntry* owner = cuport::device_entry(device);
  if (!owner) return record_error(cudaErrorInvalidDevicePointer);
  cuport::synchronize_device_streams(device);
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
  // Like cudaFree, cudaFreeHost synchronizes: pending copies may still use the buffer.
  int device = 0;
  if (cudaGetDevice(&device) == cudaSuccess) cuport::synchronize_device_streams(device);
  std::free(ptr);
  return cudaSuccess;
}

cudaError_t cudaMemcpy(void* dst, const void* src, size_t count, enum cudaMemcpyKind kind) {
  return record_error(cuport::do_memcpy(dst, src, count, kind, cudaStreamLegacy, false));
}

cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t count, enum cudaMemcpyKind kind,
                            cudaStream_t stream) {
  return record_error(cuport::do_memcpy(dst, src, count, kind, stream, true));
}

cudaError_t cudaMemset(void* devPtr, int value, size_t count) {
  return record_error(cuport::do_memset(devPtr, value, count, cudaStreamLegacy, false));
}

cudaError_t cudaMemsetAsync(void* devPtr, int value, size_t count, cudaStream_t stream) {
  return record_error(cuport::do_memset(devPtr, value, count, stream, true));
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

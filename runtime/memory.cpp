// Device and page-locked host memory: cudaMalloc, cudaFree, cudaMallocHost, cudaHostAlloc, cudaFreeHost,
// cudaMemcpy(Async), cudaMemset(Async), cudaMemGetInfo, cudaPointerGetAttributes.
//
// Copies and sets are stream work (stream.h).  Host synchronization follows CUDA's documented rules:
// - cudaMemcpy runs on the legacy stream and returns when the copy is done, except device-to-device copies,
//   which return at once; cudaMemset on device memory returns at once (pinned host targets: when done).
// - cudaMemcpyAsync from pageable host memory snapshots the source into a staging buffer before returning;
//   to pageable host memory, and host-to-host, it returns when the copy is done; otherwise it returns at once.
#include "memory.h"

#include <dlfcn.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "backend_loader.h"
#include "error.h"
#include "log.h"
#include "stream.h"

namespace cuport {
namespace {

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
  // -2: unknown or host memory, >= 0: device-accessible runtime allocation (device or managed) of that device
  AllocationInfo a;
  if (!find_allocation(p, &a)) return -2;
  return a.type == MemType::Device || a.type == MemType::Managed ? a.device : -1;
}

// Page-locked (pinned or registered) host memory, or managed memory: never pageable.
bool is_pinned(const void* p) {
  AllocationInfo a;
  return find_allocation(p, &a) && a.type != MemType::Device;
}

bool is_managed(const void* p) {
  AllocationInfo a;
  return find_allocation(p, &a) && a.type == MemType::Managed;
}

// A stream-ordered copy on the stream's device.  `sync_host` makes the call return when the copy is done.
cudaError_t enqueue_copy(const StreamRef& s, void* dst, const void* src, size_t count, int kind, bool sync_host) {
  const DeviceEntry* dev = device_entry(stream_device(s));
  if (!dev) return cudaErrorInvalidResourceHandle;
  const cuport_backend_ops* ops = dev->ops;
  const int local = dev->local, device = stream_device(s);
  std::shared_ptr<std::vector<char>> staged;
  if (!sync_host && kind == cudaMemcpyHostToDevice && !is_pinned(src) && !stream_capturing(s)) {
    // (A captured copy reads its source each time the graph runs, as a graph's memcpy node does.)
    // Pageable source: CUDA copies it to staging memory before returning, so the caller may reuse it.
    staged = std::make_shared<std::vector<char>>(static_cast<const char*>(src), static_cast<const char*>(src) + count);
    src = staged->data();
  }
  StreamWork work = [ops, local, device, dst, src, count, kind, staged] {
    if (sticky_error(device) != cudaSuccess) return;
    const cuport_status st = ops->memcpy(local, dst, src, count, kind);
    if (st != cudaSuccess) note_async_error(device, static_cast<cudaError_t>(st));
  };
  if (!sync_host) return stream_enqueue_op(s, cudaGraphNodeTypeMemcpy, std::move(work));
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
  if (!sync_host) return stream_enqueue_op(s, cudaGraphNodeTypeMemset, std::move(work));
  cudaError_t e = stream_run_and_wait(s, std::move(work));
  return e != cudaSuccess ? e : sync_result(device);
}

cudaError_t do_memcpy(void* dst, const void* src, size_t count, int kind, cudaStream_t stream, bool async) {
  Current cur;
  StreamRef s;
  cudaError_t e = current_stream(async ? stream : cudaStreamLegacy, &cur, &s);
  if (e != cudaSuccess) return e;
  int resolved = 0;
  e = resolve_memcpy_kind(dst, src, kind, &resolved);
  if (e != cudaSuccess) return e;
  if (count == 0) return cudaSuccess;
  if (!dst || !src) return cudaErrorInvalidValue;
  if ((e = check_range(dst, count)) != cudaSuccess || (e = check_range(src, count)) != cudaSuccess) return e;
  // A capturing stream records the copy as a node, whatever memory it touches (the graph's copy then
  // completes in stream order each time the graph runs).
  const bool sync_host = host_sync_needed(dst, src, resolved, async) && !(async && stream_capturing(s));
  return enqueue_copy(s, dst, src, count, resolved, sync_host);
}

cudaError_t do_memset(void* ptr, int value, size_t count, cudaStream_t stream, bool async) {
  Current cur;
  StreamRef s;
  cudaError_t e = current_stream(async ? stream : cudaStreamLegacy, &cur, &s);
  if (e != cudaSuccess) return e;
  if (count == 0) return cudaSuccess;
  if (!ptr) return cudaErrorInvalidValue;
  if ((e = check_range(ptr, count)) != cudaSuccess) return e;
  return enqueue_set(s, ptr, value, count, !async && is_pinned(ptr));
}

thread_local const void* t_allocation_caller = nullptr;

// CUPORT_MEMCHECK=1: backends that check kernel accesses learn about the host memory kernels may use that
// the runtime allocates or registers itself (backend.h's host_memory hook; size 0 releases).
void notify_host_memory(void* p, size_t size, int type) {
  if (!memcheck_requested() || !p || !backends_loaded()) return;
  for (const LoadedBackend& b : backends())
    if (b.ops && CUPORT_BACKEND_HAS(b.ops, host_memory)) b.ops->host_memory(p, size, type);
}

void remember(void* p, size_t size, int device, MemType type, unsigned flags, bool backend = false) {
  std::lock_guard<std::mutex> lock(allocations().mu);
  allocations().by_start[reinterpret_cast<uintptr_t>(p)] =
      Allocation{size, device, type, flags, backend, t_allocation_caller};
}

}  // namespace

AllocationCaller::AllocationCaller(const void* return_address) { t_allocation_caller = return_address; }
AllocationCaller::~AllocationCaller() { t_allocation_caller = nullptr; }

bool memcheck_requested() {
  static const bool on = [] {
    const char* env = std::getenv("CUPORT_MEMCHECK");
    return env && std::strcmp(env, "1") == 0;
  }();
  return on;
}

void memcheck_begin(const std::vector<LoadedBackend>& loaded) {
  if (!memcheck_requested()) return;
  std::fprintf(stderr, "========= CUPORT MEMCHECK\n");
  std::string unchecked;
  for (const LoadedBackend& b : loaded)
    if (b.ops && !CUPORT_BACKEND_HAS(b.ops, memcheck_errors)) unchecked += (unchecked.empty() ? "" : ", ") + b.name;
  if (!unchecked.empty())
    std::fprintf(stderr,
                 "========= Warning: memcheck is CPU-backend only: kernels on the %s backend%s are not checked "
                 "(run with CUPORT_BACKEND=cpu to check them)\n",
                 unchecked.c_str(), unchecked.find(',') == std::string::npos ? "" : "s");
}

uint64_t memcheck_summary() {
  if (!memcheck_requested()) return 0;
  uint64_t errors = 0;
  if (backends_loaded())
    for (const LoadedBackend& b : backends())
      if (b.ops && CUPORT_BACKEND_HAS(b.ops, memcheck_errors)) errors += b.ops->memcheck_errors();
  std::fprintf(stderr, "========= ERROR SUMMARY: %llu error%s\n", static_cast<unsigned long long>(errors),
               errors == 1 ? "" : "s");
  std::fflush(stderr);
  return errors;
}

void report_leaks() {
  const char* env = std::getenv("CUPORT_LEAK_CHECK");
  if (!env || std::strcmp(env, "1") != 0) return;
  std::lock_guard<std::mutex> lock(allocations().mu);
  size_t count = 0, bytes = 0;
  for (const auto& [start, a] : allocations().by_start)
    if (a.type != MemType::Registered && !a.variable) ++count, bytes += a.size;
  if (count == 0) {
    std::fprintf(stderr, "cuport: leak check: every allocation was freed\n");
    return;
  }
  std::fprintf(stderr, "cuport: leak check: %zu allocation%s (%zu bytes) not freed at exit:\n", count,
               count == 1 ? "" : "s", bytes);
  for (const auto& [start, a] : allocations().by_start) {
    if (a.type == MemType::Registered || a.variable) continue;
    const char* what = a.type == MemType::Device ? "device memory (cudaMalloc)"
                       : a.type == MemType::Managed ? "managed memory (cudaMallocManaged)"
                                                    : "pinned host memory (cudaMallocHost/cudaHostAlloc)";
    std::string where = "an unknown caller";
    Dl_info info;
    if (a.caller && ::dladdr(a.caller, &info) && info.dli_fname) {
      char buf[512];
      if (info.dli_sname)
        std::snprintf(buf, sizeof buf, "%s+%#zx in %s", info.dli_sname,
                      size_t(static_cast<const char*>(a.caller) - static_cast<const char*>(info.dli_saddr)),
                      info.dli_fname);
      else  // the program's own symbols are not dynamic: addr2line names the line from the offset
        std::snprintf(buf, sizeof buf, "%s+%#zx (addr2line -Cfie %s %#zx)", info.dli_fname,
                      size_t(static_cast<const char*>(a.caller) - static_cast<const char*>(info.dli_fbase)),
                      info.dli_fname,
                      size_t(static_cast<const char*>(a.caller) - static_cast<const char*>(info.dli_fbase)) - 1);
      where = buf;
    }
    std::fprintf(stderr, "  %zu bytes of %s at %p on device %d, allocated from %s\n", a.size, what,
                 reinterpret_cast<void*>(start), a.device, where.c_str());
  }
}

namespace {

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
  remember(p, size, cur.device, MemType::Host, flags);
  notify_host_memory(p, size, CUPORT_HOST_MEMORY_PINNED);
  *ptr = p;
  return cudaSuccess;
}

// Removes a device allocation starting exactly at `p` from the table; its owner in *device.
cudaError_t forget_device_allocation(void* p, int* device, MemType* type, bool* backend) {
  std::lock_guard<std::mutex> lock(allocations().mu);
  auto& m = allocations().by_start;
  auto it = m.find(reinterpret_cast<uintptr_t>(p));
  if (it == m.end() || (it->second.type != MemType::Device && it->second.type != MemType::Managed) ||
      it->second.variable)
    return cudaErrorInvalidValue;
  *device = it->second.device;
  *type = it->second.type;
  *backend = it->second.backend;
  m.erase(it);
  return cudaSuccess;
}

cudaError_t free_device(void* devPtr) {
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  if (!devPtr) return cudaSuccess;
  int device = -2;
  MemType type = MemType::Device;
  bool backend = false;
  if ((e = forget_device_allocation(devPtr, &device, &type, &backend)) != cudaSuccess) return e;
  // cudaFree synchronizes the device (CUDA's rule), which is also the backend's contract for mem_free.
  const DeviceEntry* owner = device_entry(device);
  if (!owner) return cudaErrorInvalidDevicePointer;
  synchronize_device_streams(device);
  const cuport_status sync = owner->ops->synchronize(owner->local);
  if (sync != cudaSuccess) note_device_error(device, static_cast<cudaError_t>(sync));
  if (type == MemType::Managed && !backend) {
    notify_host_memory(devPtr, 0, CUPORT_HOST_MEMORY_MANAGED);
    std::free(devPtr);
    return cudaSuccess;
  }
  return static_cast<cudaError_t>(owner->ops->mem_free(owner->local, devPtr));
}

cudaError_t malloc_managed(void** devPtr, size_t size, unsigned flags) {
  if (!devPtr) return cudaErrorInvalidValue;
  if (flags != cudaMemAttachGlobal && flags != cudaMemAttachHost) return cudaErrorInvalidValue;
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  if (size == 0) return cudaErrorInvalidValue;  // CUDA documents this for cudaMallocManaged
  // Managed memory is memory the host and the device both use at one address: host memory on devices that
  // use host memory directly, else the backend's shared memory (OpenCL fine-grained SVM), if it has any.
  if (!cur.props->managed_memory) return cudaErrorNotSupported;
  void* p = nullptr;
  if (cur.props->is_host_memory) {
    if (::posix_memalign(&p, 256, size) != 0 || !p) return cudaErrorMemoryAllocation;
    remember(p, size, cur.device, MemType::Managed, flags);
    notify_host_memory(p, size, CUPORT_HOST_MEMORY_MANAGED);
  } else {
    const DeviceEntry* owner = device_entry(cur.device);
    if (!owner || !CUPORT_BACKEND_HAS(owner->ops, mem_alloc_shared)) return cudaErrorNotSupported;
    cuport_status st = owner->ops->mem_alloc_shared(owner->local, size, &p);
    if (st != cudaSuccess) return static_cast<cudaError_t>(st);
    remember(p, size, cur.device, MemType::Managed, flags, /*backend=*/true);
  }
  *devPtr = p;
  return cudaSuccess;
}

cudaError_t host_register(void* ptr, size_t size, unsigned flags) {
  if (!ptr || size == 0) return cudaErrorInvalidValue;
  const unsigned known = cudaHostRegisterPortable | cudaHostRegisterMapped | cudaHostRegisterIoMemory |
                         cudaHostRegisterReadOnly;
  if (flags & ~known) return cudaErrorInvalidValue;
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  // Registration only matters for devices that use host memory directly; I/O memory and read-only
  // registration are not modelled (cudaDevAttrHostRegisterReadOnlySupported is 0).
  if (!cur.props->is_host_memory || (flags & (cudaHostRegisterIoMemory | cudaHostRegisterReadOnly)))
    return cudaErrorNotSupported;
  const uintptr_t start = reinterpret_cast<uintptr_t>(ptr);
  if (start + size < start) return cudaErrorInvalidValue;
  std::lock_guard<std::mutex> lock(allocations().mu);
  auto& m = allocations().by_start;
  if (const auto* a = containing(ptr)) {
    // Device or managed memory cannot be registered; overlapping page-locked ranges are "already registered".
    return a->second.type == MemType::Device || a->second.type == MemType::Managed
               ? cudaErrorInvalidValue
               : cudaErrorHostMemoryAlreadyRegistered;
  }
  auto next = m.lower_bound(start);
  if (next != m.end() && next->first < start + size) return cudaErrorHostMemoryAlreadyRegistered;
  m[start] = Allocation{size, cur.device, MemType::Registered, flags};
  notify_host_memory(ptr, size, CUPORT_HOST_MEMORY_REGISTERED);
  return cudaSuccess;
}

cudaError_t host_unregister(void* ptr) {
  if (!ptr) return cudaErrorInvalidValue;
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  {
    std::lock_guard<std::mutex> lock(allocations().mu);
    auto& m = allocations().by_start;
    auto it = m.find(reinterpret_cast<uintptr_t>(ptr));
    if (it == m.end() || it->second.type != MemType::Registered) return cudaErrorHostMemoryNotRegistered;
    m.erase(it);
  }
  notify_host_memory(ptr, 0, CUPORT_HOST_MEMORY_REGISTERED);
  // Pending copies may still read the range as page-locked memory; they finish before it is unregistered.
  synchronize_device_streams(cur.device);
  return cudaSuccess;
}

cudaError_t host_get_device_pointer(void** pDevice, void* pHost, unsigned flags) {
  if (!pDevice || !pHost || flags != 0) return cudaErrorInvalidValue;
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  AllocationInfo a;
  if (!find_allocation(pHost, &a) || a.type == MemType::Device) return cudaErrorInvalidValue;
  const cuport_device_props* p = device_props(cur.device);
  if (!p || !p->can_map_host_memory || !p->is_host_memory) return cudaErrorNotSupported;
  *pDevice = pHost;  // host memory is the device's memory: the mapping is the identity
  return cudaSuccess;
}

cudaError_t host_get_flags(unsigned* pFlags, void* pHost) {
  if (!pFlags || !pHost) return cudaErrorInvalidValue;
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  AllocationInfo a;
  if (!find_allocation(pHost, &a) || (a.type != MemType::Host && a.type != MemType::Registered))
    return cudaErrorInvalidValue;
  *pFlags = a.flags;
  return cudaSuccess;
}

cudaError_t pointer_attributes(cudaPointerAttributes* attributes, const void* ptr) {
  if (!attributes) return cudaErrorInvalidValue;
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  AllocationInfo a;
  if (!find_allocation(ptr, &a)) {
    attributes->type = cudaMemoryTypeUnregistered;
    attributes->device = cudaInvalidDeviceId;
    attributes->devicePointer = nullptr;
    attributes->hostPointer = nullptr;
    return cudaSuccess;
  }
  const cuport_device_props* p = device_props(a.device);
  const bool host_visible = p && p->is_host_memory;
  void* q = const_cast<void*>(ptr);
  attributes->device = a.device;
  switch (a.type) {
    case MemType::Device:
      attributes->type = cudaMemoryTypeDevice;
      attributes->devicePointer = q;
      attributes->hostPointer = nullptr;  // CUDA: device memory has no host address
      break;
    case MemType::Host:
    case MemType::Registered:
      attributes->type = cudaMemoryTypeHost;
      attributes->devicePointer = host_visible ? q : nullptr;
      attributes->hostPointer = q;
      break;
    case MemType::Managed:
      attributes->type = cudaMemoryTypeManaged;
      attributes->devicePointer = q;
      attributes->hostPointer = q;
      break;
  }
  return cudaSuccess;
}

cudaError_t mem_get_info(size_t* free, size_t* total) {
  if (!free || !total) return cudaErrorInvalidValue;
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  return static_cast<cudaError_t>(cur.ops->mem_info(cur.local, free, total));
}

// ---- Stream-ordered allocation ------------------------------------------------------------------------

cudaError_t malloc_async(void** devPtr, size_t size, cudaStream_t stream) {
  if (!devPtr) return cudaErrorInvalidValue;
  Current cur;
  StreamRef s;
  cudaError_t e = current_stream(stream, &cur, &s);
  if (e != cudaSuccess) return e;
  // Allocation nodes in graphs are not implemented: capturing one invalidates the capture.
  if ((e = refuse_wait_if_capturing(s)) != cudaSuccess) return e;
  // The memory exists at once; using it in stream order (or after synchronizing) is therefore valid.
  const DeviceEntry* dev = device_entry(stream_device(s));
  if (!dev) return cudaErrorInvalidResourceHandle;
  *devPtr = nullptr;
  if (size == 0) return cudaSuccess;
  void* p = nullptr;
  const cuport_status st = dev->ops->mem_alloc(dev->local, size, &p);
  if (st != cudaSuccess || !p) return st != cudaSuccess ? static_cast<cudaError_t>(st) : cudaErrorMemoryAllocation;
  remember(p, size, stream_device(s), MemType::Device, 0);
  *devPtr = p;
  return cudaSuccess;
}

cudaError_t free_async(void* devPtr, cudaStream_t stream) {
  Current cur;
  StreamRef s;
  cudaError_t e = current_stream(stream, &cur, &s);
  if (e != cudaSuccess) return e;
  if ((e = refuse_wait_if_capturing(s)) != cudaSuccess) return e;  // no free nodes in graphs yet
  if (!devPtr) return cudaSuccess;
  int device = -2;
  MemType type = MemType::Device;
  {
    AllocationInfo a;
    if (!find_allocation(devPtr, &a) || a.base != reinterpret_cast<uintptr_t>(devPtr) || a.type != MemType::Device)
      return cudaErrorInvalidValue;
  }
  bool backend = false;
  if ((e = forget_device_allocation(devPtr, &device, &type, &backend)) != cudaSuccess) return e;
  const DeviceEntry* owner = device_entry(device);
  if (!owner) return cudaErrorInvalidDevicePointer;
  const cuport_backend_ops* ops = owner->ops;
  const int local = owner->local;
  // Freed when the stream reaches this point: earlier work in the stream may still use the memory.
  return stream_enqueue(s, [ops, local, devPtr] { ops->mem_free(local, devPtr); });
}

// ---- Managed-memory hints ------------------------------------------------------------------------------

bool valid_location(int device) {
  if (device == cudaCpuDeviceId) return true;
  return device_entry(device) != nullptr;
}

cudaError_t managed_range(const void* p, size_t count) {
  AllocationInfo a;
  if (!p || !find_allocation(p, &a) || a.type != MemType::Managed) return cudaErrorInvalidValue;
  return check_range(p, count);
}

cudaError_t mem_prefetch(const void* devPtr, size_t count, int dstDevice, cudaStream_t stream) {
  Current cur;
  StreamRef s;
  cudaError_t e = current_stream(stream, &cur, &s);
  if (e != cudaSuccess) return e;
  if (!valid_location(dstDevice)) return cudaErrorInvalidDevice;
  if (count == 0) return cudaErrorInvalidValue;
  // Managed memory is host memory every host-memory device reads directly: there is nothing to migrate.
  return managed_range(devPtr, count);
}

cudaError_t mem_advise(const void* devPtr, size_t count, int advice, int device) {
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  if (advice < cudaMemAdviseSetReadMostly || advice > cudaMemAdviseUnsetAccessedBy) return cudaErrorInvalidValue;
  if (count == 0) return cudaErrorInvalidValue;
  if ((e = managed_range(devPtr, count)) != cudaSuccess) return e;
  const bool needs_device = advice != cudaMemAdviseSetReadMostly && advice != cudaMemAdviseUnsetReadMostly;
  if (needs_device && !valid_location(device)) return cudaErrorInvalidDevice;
  return cudaSuccess;  // a hint: accepted
}

cudaError_t stream_attach(cudaStream_t stream, void* devPtr, size_t length, unsigned flags) {
  Current cur;
  StreamRef s;
  cudaError_t e = current_stream(stream, &cur, &s);
  if (e != cudaSuccess) return e;
  if (flags != cudaMemAttachGlobal && flags != cudaMemAttachHost && flags != cudaMemAttachSingle)
    return cudaErrorInvalidValue;
  AllocationInfo a;
  if (!devPtr || !find_allocation(devPtr, &a) || a.type != MemType::Managed) return cudaErrorInvalidValue;
  if (length != 0 && (reinterpret_cast<uintptr_t>(devPtr) != a.base || length != a.size)) return cudaErrorInvalidValue;
  return cudaSuccess;
}

// ---- Peer access -----------------------------------------------------------------------------------------

std::mutex g_peer_mu;
std::map<std::pair<int, int>, bool> g_peer_enabled;  // (device, peer) -> enabled

bool peers_possible(int a, int b) {
  const DeviceEntry* x = device_entry(a);
  const DeviceEntry* y = device_entry(b);
  return x && y && a != b && x->props.is_host_memory && y->props.is_host_memory;
}

// A copy between devices, enqueued on `s`: one backend memcpy when both devices address host memory (or
// it is the same device), else through a host buffer with a device-to-host then a host-to-device copy.
cudaError_t enqueue_peer_copy(const StreamRef& s, void* dst, int dstDevice, const void* src, int srcDevice,
                              size_t count, bool sync_host) {
  const DeviceEntry* d = device_entry(dstDevice);
  const DeviceEntry* r = device_entry(srcDevice);
  if (!d || !r) return cudaErrorInvalidDevice;
  const int device = stream_device(s);
  StreamWork work;
  if (dstDevice == srcDevice || (d->props.is_host_memory && r->props.is_host_memory)) {
    const cuport_backend_ops* ops = d->ops;
    const int local = d->local;
    work = [ops, local, device, dst, src, count] {
      if (sticky_error(device) != cudaSuccess) return;
      const cuport_status st = ops->memcpy(local, dst, src, count, cudaMemcpyDeviceToDevice);
      if (st != cudaSuccess) note_async_error(device, static_cast<cudaError_t>(st));
    };
  } else {
    work = [d, r, device, dst, src, count] {
      if (sticky_error(device) != cudaSuccess) return;
      std::vector<char> bounce(count);
      cuport_status st = r->ops->memcpy(r->local, bounce.data(), src, count, cudaMemcpyDeviceToHost);
      if (st == cudaSuccess) st = d->ops->memcpy(d->local, dst, bounce.data(), count, cudaMemcpyHostToDevice);
      if (st != cudaSuccess) note_async_error(device, static_cast<cudaError_t>(st));
    };
  }
  if (!sync_host) return stream_enqueue_op(s, cudaGraphNodeTypeMemcpy, std::move(work));
  cudaError_t e = stream_run_and_wait(s, std::move(work));
  return e != cudaSuccess ? e : sync_result(device);
}

cudaError_t memcpy_peer(void* dst, int dstDevice, const void* src, int srcDevice, size_t count,
                        cudaStream_t stream, bool async) {
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  if (!device_entry(dstDevice) || !device_entry(srcDevice)) return cudaErrorInvalidDevice;
  StreamRef s;
  if (async) {
    if ((e = resolve_stream(stream, cur, &s)) != cudaSuccess) return e;
  } else {
    // Ordered after the work of both devices' legacy streams: the source device's is waited for first.
    Current dc = cur, sc = cur;
    const DeviceEntry* de = device_entry(dstDevice);
    const DeviceEntry* se = device_entry(srcDevice);
    dc.device = dstDevice, dc.ops = de->ops, dc.local = de->local, dc.props = &de->props;
    sc.device = srcDevice, sc.ops = se->ops, sc.local = se->local, sc.props = &se->props;
    if (srcDevice != dstDevice) {
      StreamRef src_legacy;
      if ((e = resolve_stream(cudaStreamLegacy, sc, &src_legacy)) != cudaSuccess) return e;
      if ((e = stream_synchronize(src_legacy)) != cudaSuccess) return e;
    }
    if ((e = resolve_stream(cudaStreamLegacy, dc, &s)) != cudaSuccess) return e;
  }
  if (count == 0) return cudaSuccess;
  if (!dst || !src) return cudaErrorInvalidValue;
  if ((e = check_range(dst, count)) != cudaSuccess || (e = check_range(src, count)) != cudaSuccess) return e;
  return enqueue_peer_copy(s, dst, dstDevice, src, srcDevice, count, !async);
}

}  // namespace

cudaError_t device_alloc(void** devPtr, size_t size) {
  if (!devPtr) return cudaErrorInvalidValue;
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  *devPtr = nullptr;
  if (size == 0) return cudaSuccess;
  void* p = nullptr;
  const cuport_status st = cur.ops->mem_alloc(cur.local, size, &p);
  if (st != cudaSuccess || !p) return st != cudaSuccess ? static_cast<cudaError_t>(st) : cudaErrorMemoryAllocation;
  remember(p, size, cur.device, MemType::Device, 0);
  *devPtr = p;
  return cudaSuccess;
}

bool find_allocation(const void* p, AllocationInfo* out) {
  std::lock_guard<std::mutex> lock(allocations().mu);
  const auto* a = containing(p);
  if (!a) return false;
  static_cast<Allocation&>(*out) = a->second;
  out->base = a->first;
  return true;
}

cudaError_t check_range(const void* p, size_t bytes) {
  AllocationInfo a;
  if (!find_allocation(p, &a)) return cudaSuccess;
  const uintptr_t u = reinterpret_cast<uintptr_t>(p);
  const uintptr_t end = a.base + a.size;
  return bytes <= end - u ? cudaSuccess : cudaErrorInvalidValue;
}

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
  // Device-to-device cudaMemcpy returns at once, except when the host can read either side (managed
  // memory): then, as for every other kind, it returns when the copy is done.
  if (!async) return kind != cudaMemcpyDeviceToDevice || is_managed(dst) || is_managed(src);
  switch (kind) {
    case cudaMemcpyHostToHost: return true;
    case cudaMemcpyDeviceToHost: return !is_pinned(dst);
    default: return false;  // pageable host-to-device sources are staged by enqueue_copy
  }
}

cudaError_t stream_copy(const StreamRef& s, void* dst, const void* src, size_t count, int kind, bool async) {
  return enqueue_copy(s, dst, src, count, kind, host_sync_needed(dst, src, kind, async));
}

cudaError_t stream_copy_strided(const StreamRef& s, const StridedCopy& c, int kind, bool async) {
  const DeviceEntry* dev = device_entry(stream_device(s));
  if (!dev) return cudaErrorInvalidResourceHandle;
  bool sync_host = host_sync_needed(c.dst, c.src, kind, async);
  if (async && kind == cudaMemcpyHostToDevice && !is_pinned(c.src)) sync_host = true;  // no staging of boxes
  const cuport_backend_ops* ops = dev->ops;
  const int local = dev->local, device = stream_device(s);
  StreamWork work = [ops, local, device, c, kind] {
    if (sticky_error(device) != cudaSuccess) return;
    cuport_status st = cudaSuccess;
    const bool rows_contiguous = c.dpitch == c.width && c.spitch == c.width;
    if (rows_contiguous && (c.depth == 1 || (c.dslice == c.width * c.height && c.sslice == c.width * c.height))) {
      st = ops->memcpy(local, c.dst, c.src, c.width * c.height * c.depth, kind);
    } else {
      for (size_t z = 0; z < c.depth && st == cudaSuccess; ++z)
        for (size_t y = 0; y < c.height && st == cudaSuccess; ++y)
          st = ops->memcpy(local, c.dst + z * c.dslice + y * c.dpitch, c.src + z * c.sslice + y * c.spitch, c.width,
                           kind);
    }
    if (st != cudaSuccess) note_async_error(device, static_cast<cudaError_t>(st));
  };
  if (!sync_host) return stream_enqueue_op(s, cudaGraphNodeTypeMemcpy, std::move(work));
  cudaError_t e = stream_run_and_wait(s, std::move(work));
  return e != cudaSuccess ? e : sync_result(device);
}

cudaError_t stream_set_strided(const StreamRef& s, char* ptr, size_t pitch, size_t slice, int value, size_t width,
                               size_t height, size_t depth, bool async) {
  const DeviceEntry* dev = device_entry(stream_device(s));
  if (!dev) return cudaErrorInvalidResourceHandle;
  const cuport_backend_ops* ops = dev->ops;
  const int local = dev->local, device = stream_device(s);
  StreamWork work = [ops, local, device, ptr, pitch, slice, value, width, height, depth] {
    if (sticky_error(device) != cudaSuccess) return;
    cuport_status st = cudaSuccess;
    if (pitch == width && (depth == 1 || slice == width * height)) {
      st = ops->memset(local, ptr, value, width * height * depth);
    } else {
      for (size_t z = 0; z < depth && st == cudaSuccess; ++z)
        for (size_t y = 0; y < height && st == cudaSuccess; ++y)
          st = ops->memset(local, ptr + z * slice + y * pitch, value, width);
    }
    if (st != cudaSuccess) note_async_error(device, static_cast<cudaError_t>(st));
  };
  if (async || !is_pinned(ptr)) return stream_enqueue_op(s, cudaGraphNodeTypeMemset, std::move(work));
  cudaError_t e = stream_run_and_wait(s, std::move(work));
  return e != cudaSuccess ? e : sync_result(device);
}

void remember_managed_variable(void* p, size_t size) {
  Allocation a{size, 0, MemType::Managed, cudaMemAttachGlobal};
  a.variable = true;
  std::lock_guard<std::mutex> lock(allocations().mu);
  allocations().by_start[reinterpret_cast<uintptr_t>(p)] = a;
}

void forget_managed_variable(void* p) {
  std::lock_guard<std::mutex> lock(allocations().mu);
  auto& m = allocations().by_start;
  auto it = m.find(reinterpret_cast<uintptr_t>(p));
  if (it != m.end() && it->second.variable) m.erase(it);
}

void announce_managed_variable(void* p, size_t size) { notify_host_memory(p, size, CUPORT_HOST_MEMORY_MANAGED); }

void free_device_allocations(const Current& cur) {
  std::vector<std::pair<void*, MemType>> doomed;
  {
    std::lock_guard<std::mutex> lock(allocations().mu);
    auto& m = allocations().by_start;
    for (auto it = m.begin(); it != m.end();) {
      const MemType t = it->second.type;
      if (it->second.device == cur.device && t != MemType::Host && !it->second.variable) {
        doomed.emplace_back(reinterpret_cast<void*>(it->first), t);
        it = m.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (const auto& d : doomed) {
    if (d.second == MemType::Device) {
      cur.ops->mem_free(cur.local, d.first);
    } else if (d.second == MemType::Managed) {
      notify_host_memory(d.first, 0, CUPORT_HOST_MEMORY_MANAGED);
      std::free(d.first);
    } else {  // registered ranges belong to the caller: they are only forgotten
      notify_host_memory(d.first, 0, CUPORT_HOST_MEMORY_REGISTERED);
    }
  }
}

}  // namespace cuport

using cuport::record_error;
using cuport::kLogMemory;

extern "C" {

cudaError_t cudaMalloc(void** devPtr, size_t size) {
  cuport::AllocationCaller caller(__builtin_return_address(0));
  CUPORT_RETURN(kLogMemory, record_error(cuport::device_alloc(devPtr, size)), "devPtr=%p, size=%zu; *devPtr=%p",
                (void*)devPtr, size, devPtr ? *devPtr : nullptr);
}

cudaError_t cudaFree(void* devPtr) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::free_device(devPtr)), "devPtr=%p", devPtr);
}

cudaError_t cudaMallocHost(void** ptr, size_t size) {
  cuport::AllocationCaller caller(__builtin_return_address(0));
  CUPORT_RETURN(kLogMemory, record_error(cuport::host_alloc(ptr, size, cudaHostAllocDefault)),
                "ptr=%p, size=%zu; *ptr=%p", (void*)ptr, size, ptr ? *ptr : nullptr);
}

cudaError_t cudaHostAlloc(void** pHost, size_t size, unsigned int flags) {
  cuport::AllocationCaller caller(__builtin_return_address(0));
  CUPORT_RETURN(kLogMemory, record_error(cuport::host_alloc(pHost, size, flags)),
                "pHost=%p, size=%zu, flags=%#x; *pHost=%p", (void*)pHost, size, flags, pHost ? *pHost : nullptr);
}

cudaError_t cudaFreeHost(void* ptr) {
  cudaError_t r = cudaSuccess;
  if (ptr) {
    int device = -1;
    {
      std::lock_guard<std::mutex> lock(cuport::allocations().mu);
      auto& m = cuport::allocations().by_start;
      auto it = m.find(reinterpret_cast<uintptr_t>(ptr));
      if (it == m.end() || it->second.type != cuport::MemType::Host) {
        r = cudaErrorInvalidValue;
      } else {
        device = it->second.device;
        m.erase(it);
      }
    }
    if (r == cudaSuccess) {
      // Like cudaFree, cudaFreeHost synchronizes: pending copies may still use the buffer.
      cuport::synchronize_device_streams(device);
      cuport::notify_host_memory(ptr, 0, CUPORT_HOST_MEMORY_PINNED);
      std::free(ptr);
    }
  }
  CUPORT_RETURN(kLogMemory, record_error(r), "ptr=%p", ptr);
}

cudaError_t cudaMallocManaged(void** devPtr, size_t size, unsigned int flags) {
  cuport::AllocationCaller caller(__builtin_return_address(0));
  CUPORT_RETURN(kLogMemory, record_error(cuport::malloc_managed(devPtr, size, flags)),
                "devPtr=%p, size=%zu, flags=%#x; *devPtr=%p", (void*)devPtr, size, flags,
                devPtr ? *devPtr : nullptr);
}

cudaError_t cudaHostRegister(void* ptr, size_t size, unsigned int flags) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::host_register(ptr, size, flags)), "ptr=%p, size=%zu, flags=%#x", ptr,
                size, flags);
}

cudaError_t cudaHostUnregister(void* ptr) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::host_unregister(ptr)), "ptr=%p", ptr);
}

cudaError_t cudaHostGetDevicePointer(void** pDevice, void* pHost, unsigned int flags) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::host_get_device_pointer(pDevice, pHost, flags)),
                "pDevice=%p, pHost=%p, flags=%#x", (void*)pDevice, pHost, flags);
}

cudaError_t cudaHostGetFlags(unsigned int* pFlags, void* pHost) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::host_get_flags(pFlags, pHost)), "pFlags=%p, pHost=%p",
                (void*)pFlags, pHost);
}

cudaError_t cudaMemcpy(void* dst, const void* src, size_t count, enum cudaMemcpyKind kind) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::do_memcpy(dst, src, count, kind, cudaStreamLegacy, false)),
                "dst=%p, src=%p, count=%zu, kind=%d", dst, src, count, int(kind));
}

cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t count, enum cudaMemcpyKind kind,
                            cudaStream_t stream) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::do_memcpy(dst, src, count, kind, stream, true)),
                "dst=%p, src=%p, count=%zu, kind=%d, stream=%p", dst, src, count, int(kind), (void*)stream);
}

cudaError_t cudaMemset(void* devPtr, int value, size_t count) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::do_memset(devPtr, value, count, cudaStreamLegacy, false)),
                "devPtr=%p, value=%d, count=%zu", devPtr, value, count);
}

cudaError_t cudaMemsetAsync(void* devPtr, int value, size_t count, cudaStream_t stream) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::do_memset(devPtr, value, count, stream, true)),
                "devPtr=%p, value=%d, count=%zu, stream=%p", devPtr, value, count, (void*)stream);
}

cudaError_t cudaMemGetInfo(size_t* free, size_t* total) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::mem_get_info(free, total)), "free=%p, total=%p; free=%zu total=%zu",
                (void*)free, (void*)total, free ? *free : 0, total ? *total : 0);
}

cudaError_t cudaPointerGetAttributes(struct cudaPointerAttributes* attributes, const void* ptr) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::pointer_attributes(attributes, ptr)), "attributes=%p, ptr=%p",
                (void*)attributes, ptr);
}

cudaError_t cudaMallocAsync(void** devPtr, size_t size, cudaStream_t hStream) {
  cuport::AllocationCaller caller(__builtin_return_address(0));
  CUPORT_RETURN(kLogMemory, record_error(cuport::malloc_async(devPtr, size, hStream)),
                "devPtr=%p, size=%zu, stream=%p; *devPtr=%p", (void*)devPtr, size, (void*)hStream,
                devPtr ? *devPtr : nullptr);
}

cudaError_t cudaFreeAsync(void* devPtr, cudaStream_t hStream) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::free_async(devPtr, hStream)), "devPtr=%p, stream=%p", devPtr,
                (void*)hStream);
}

cudaError_t cudaMemPrefetchAsync(const void* devPtr, size_t count, int dstDevice, cudaStream_t stream) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::mem_prefetch(devPtr, count, dstDevice, stream)),
                "devPtr=%p, count=%zu, dstDevice=%d, stream=%p", devPtr, count, dstDevice, (void*)stream);
}

cudaError_t cudaMemAdvise(const void* devPtr, size_t count, enum cudaMemoryAdvise advice, int device) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::mem_advise(devPtr, count, int(advice), device)),
                "devPtr=%p, count=%zu, advice=%d, device=%d", devPtr, count, int(advice), device);
}

cudaError_t cudaStreamAttachMemAsync(cudaStream_t stream, void* devPtr, size_t length, unsigned int flags) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::stream_attach(stream, devPtr, length, flags)),
                "stream=%p, devPtr=%p, length=%zu, flags=%#x", (void*)stream, devPtr, length, flags);
}

cudaError_t cudaMemcpyPeer(void* dst, int dstDevice, const void* src, int srcDevice, size_t count) {
  CUPORT_RETURN(kLogMemory,
                record_error(cuport::memcpy_peer(dst, dstDevice, src, srcDevice, count, cudaStreamLegacy, false)),
                "dst=%p, dstDevice=%d, src=%p, srcDevice=%d, count=%zu", dst, dstDevice, src, srcDevice, count);
}

cudaError_t cudaMemcpyPeerAsync(void* dst, int dstDevice, const void* src, int srcDevice, size_t count,
                                cudaStream_t stream) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::memcpy_peer(dst, dstDevice, src, srcDevice, count, stream, true)),
                "dst=%p, dstDevice=%d, src=%p, srcDevice=%d, count=%zu, stream=%p", dst, dstDevice, src, srcDevice,
                count, (void*)stream);
}

cudaError_t cudaDeviceCanAccessPeer(int* canAccessPeer, int device, int peerDevice) {
  cudaError_t r = cudaSuccess;
  int n = 0;
  if (!canAccessPeer) r = cudaErrorInvalidValue;
  else if ((r = cuport::device_count(&n)) == cudaSuccess) {
    if (device < 0 || device >= n || peerDevice < 0 || peerDevice >= n) r = cudaErrorInvalidDevice;
    else *canAccessPeer = cuport::peers_possible(device, peerDevice) ? 1 : 0;
  }
  CUPORT_RETURN(cuport::kLogDevice, record_error(r), "canAccessPeer=%p, device=%d, peerDevice=%d",
                (void*)canAccessPeer, device, peerDevice);
}

cudaError_t cudaDeviceEnablePeerAccess(int peerDevice, unsigned int flags) {
  cuport::Current cur;
  cudaError_t r = cuport::current(&cur);
  if (r == cudaSuccess) {
    if (flags != 0) r = cudaErrorInvalidValue;
    else if (!cuport::device_entry(peerDevice) || peerDevice == cur.device) r = cudaErrorInvalidDevice;
    else if (!cuport::peers_possible(cur.device, peerDevice)) r = cudaErrorPeerAccessUnsupported;
    else {
      std::lock_guard<std::mutex> lock(cuport::g_peer_mu);
      bool& on = cuport::g_peer_enabled[{cur.device, peerDevice}];
      if (on) r = cudaErrorPeerAccessAlreadyEnabled;
      on = true;
    }
  }
  CUPORT_RETURN(cuport::kLogDevice, record_error(r), "peerDevice=%d, flags=%#x", peerDevice, flags);
}

cudaError_t cudaDeviceDisablePeerAccess(int peerDevice) {
  cuport::Current cur;
  cudaError_t r = cuport::current(&cur);
  if (r == cudaSuccess) {
    if (!cuport::device_entry(peerDevice) || peerDevice == cur.device) r = cudaErrorInvalidDevice;
    else {
      std::lock_guard<std::mutex> lock(cuport::g_peer_mu);
      auto it = cuport::g_peer_enabled.find({cur.device, peerDevice});
      if (it == cuport::g_peer_enabled.end() || !it->second) r = cudaErrorPeerAccessNotEnabled;
      else it->second = false;
    }
  }
  CUPORT_RETURN(cuport::kLogDevice, record_error(r), "peerDevice=%d", peerDevice);
}

}  // extern "C"

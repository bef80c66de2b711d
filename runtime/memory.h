// Internal: bookkeeping of allocations made through the runtime.
#ifndef CUPORT_RUNTIME_MEMORY_H
#define CUPORT_RUNTIME_MEMORY_H

#include "api.h"
#include "device.h"
#include "stream.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cuport {

// What the runtime knows about an address range it handed out or registered.
enum class MemType {
  Device,      // cudaMalloc, cudaMallocPitch, cudaMalloc3D, cudaMallocAsync
  Host,        // cudaMallocHost, cudaHostAlloc (page-locked host memory)
  Registered,  // cudaHostRegister (caller's memory, page-locked)
  Managed,     // cudaMallocManaged
};

struct Allocation {
  size_t size;
  int device;        // owning device (Device), or the device current when allocated/registered
  MemType type;
  unsigned flags;    // cudaHostAlloc / cudaHostRegister / cudaMemAttach* flags
  bool backend = false; // Managed: allocated by the backend's mem_alloc_shared (freed with mem_free)
  const void* caller = nullptr; // the program's code that called the allocating API (leak reports)
  bool variable = false; // Managed: a __managed__ variable's storage, which lives as long as the program
};

// Set for the duration of an allocating API call: the return address into the program, which the
// allocation records (CUPORT_LEAK_CHECK names it with dladdr).
class AllocationCaller {
 public:
  explicit AllocationCaller(const void* return_address);
  ~AllocationCaller();
  AllocationCaller(const AllocationCaller&) = delete;
  AllocationCaller& operator=(const AllocationCaller&) = delete;
};

// CUPORT_LEAK_CHECK=1: prints the allocations still live (device, managed and pinned host memory) with
// their size and the code that made them, or that there are none.  Called once libcuport is finalized.
void report_leaks();

// Memcheck (CUPORT_MEMCHECK=1, docs/memcheck.md): the checks are the CPU backend's; the runtime tells backends
// about the host memory it owns (backend.h's host_memory hook), prints the banner and the exit summary.
struct LoadedBackend;
bool memcheck_requested();
// Once, after loading the backends: "========= CUPORT MEMCHECK", and that kernels on loaded backends without
// memcheck (opencl, hip, cuda) are not checked.
void memcheck_begin(const std::vector<LoadedBackend>& loaded);
// At exit, once the streams are drained: "========= ERROR SUMMARY: N errors"; returns N (0 when off).
uint64_t memcheck_summary();

struct AllocationInfo : Allocation {
  uintptr_t base = 0;
  AllocationInfo() : Allocation{0, 0, MemType::Device, 0} {}
};

// The runtime allocation or registration containing `p`.  Thread-safe.
bool find_allocation(const void* p, AllocationInfo* out);

// cudaErrorInvalidValue when [p, p + bytes) starts inside a known allocation and runs past its end (or the
// size overflows); cudaSuccess otherwise (pointers the runtime does not know are the caller's business).
cudaError_t check_range(const void* p, size_t bytes);

// __managed__ variables (registry.cpp): their storage is the program's host shadow, recorded as managed
// memory (pointer attributes, prefetch, advice) that cudaFree, cudaDeviceReset and the leak check leave alone.
void remember_managed_variable(void* p, size_t size);
void forget_managed_variable(void* p);
// Tells the loaded backends that kernels may use it (memcheck).
void announce_managed_variable(void* p, size_t size);

// Frees every device allocation of `cur.device` (cudaDeviceReset).  The device must be idle.
void free_device_allocations(const Current& cur);

// Resolves cudaMemcpyDefault from what the runtime knows about dst and src; other kinds pass through.
// cudaErrorInvalidMemcpyDirection for values outside cudaMemcpyKind.
cudaError_t resolve_memcpy_kind(const void* dst, const void* src, int kind, int* resolved);

// Does a copy of resolved `kind` return only once complete?  Synchronous cudaMemcpy: all but
// device-to-device.  cudaMemcpyAsync: host-to-host and copies into pageable host memory (CUDA's rules).
bool host_sync_needed(const void* dst, const void* src, int kind, bool async);

// Enqueues a copy of resolved `kind` on `s` with the host synchronization above (pageable host-to-device
// sources of asynchronous copies are staged first).  Returns the pending async error when it waited.
cudaError_t stream_copy(const StreamRef& s, void* dst, const void* src, size_t count, int kind, bool async);

// cudaMalloc: device memory of the current device, recorded in the allocation table.
cudaError_t device_alloc(void** devPtr, size_t size);

// A strided box copy: `depth` slices of `height` rows of `width` bytes.  Implemented over the backend's
// memcpy hook, row by row (one call when both sides are contiguous).  Same host synchronization rules as
// stream_copy, except that asynchronous copies from pageable host memory complete before returning.
struct StridedCopy {
  char* dst;
  size_t dpitch, dslice;
  const char* src;
  size_t spitch, sslice;
  size_t width, height, depth;
};
cudaError_t stream_copy_strided(const StreamRef& s, const StridedCopy& c, int kind, bool async);

// A strided memset of `depth` x `height` rows of `width` bytes.
cudaError_t stream_set_strided(const StreamRef& s, char* ptr, size_t pitch, size_t slice, int value, size_t width,
                               size_t height, size_t depth, bool async);

}  // namespace cuport

#endif

// Memcheck on the CPU backend (docs/memcheck.md): images built with `cuport-cc --memcheck` (or -G) call a
// check before every global and shared memory access (include/cuport/cpu_kernel_abi.h).  With
// CUPORT_MEMCHECK=1 the check validates the access against what a kernel may touch:
//   - the backend's own device allocations (mem_alloc), and device heap blocks (malloc/new in device code);
//   - page-locked and managed host memory the runtime allocated or registered (the host_memory hook);
//   - the block's shared memory (static + dynamic), the thread's frame and the OS thread's stack;
//   - the global variables of loaded instrumented images (their cuport_cpu_memcheck_info table).
// An invalid access is reported on stderr like compute-sanitizer does (kind, size, function, file:line,
// thread, block, address, the nearest allocation or the freed one it hits) and abandons the launch through
// the fault-containment recovery point, with cudaErrorIllegalAddress (cudaErrorMisalignedAddress for a
// misaligned access).  Without CUPORT_MEMCHECK no hook is installed: instrumented code then only records
// the thread and source line of each access in the block context, so that a fault report names the thread.
#ifndef CUPORT_CPU_MEMCHECK_H
#define CUPORT_CPU_MEMCHECK_H

#include <atomic>
#include <cstddef>
#include <cstdint>

#include <cuport/cpu_kernel_abi.h>

struct cuport_kernel;
struct cuport_module;

namespace cuport_cpu {

struct FaultPoint;

// CUPORT_MEMCHECK=1 (read once).
bool memcheck_enabled();

// What a participant thread is running, set around each range of blocks (launch.cpp).  A report writes its
// CUDA error.
struct BlockScope {
  const cuport_kernel* kernel = nullptr;
  const cuport_cpu_block_ctx* ctx = nullptr;
  size_t static_shared = 0, dynamic_shared = 0, frame_bytes = 0;
  FaultPoint* point = nullptr;              // recovery point; null without fault containment
  std::atomic<bool>* reported = nullptr;    // the launch already printed a report
  int status = 0;
  // Set by set_block_scope for the checks: memcheck.cpp's per-thread state, and the block's own memory
  // ([lo, hi): static shared, dynamic shared, frames) from ctx and the sizes above.
  void* thread_state = nullptr;
  uintptr_t static_lo = 0, static_hi = 0, dynamic_lo = 0, dynamic_hi = 0, frame_lo = 0, frame_hi = 0;                           // a report abandoned the block with this CUDA error
};
// Also points ctx->memcheck_state at the scope, where the checks find it.
void set_block_scope(BlockScope* scope);

// Any thread.  The backend's device allocations (and their release: remembered as recently freed).
void memcheck_device_alloc(const void* p, size_t size);
void memcheck_device_free(const void* p);
// The host_memory hook (include/cuport/backend.h): runtime-owned host memory kernels may use.
void host_memory(void* ptr, size_t size, int type);
// The memcheck_errors hook: reports printed so far.
uint64_t memcheck_errors();

// module.cpp: an image was loaded or is being unloaded; installs the check in instrumented images.
void memcheck_module_loaded(cuport_module* module);
void memcheck_module_unloaded(cuport_module* module);
// launch.cpp: with CUPORT_MEMCHECK=1, a launch of a kernel whose image is not instrumented warns once per image.
void memcheck_check_launch(const cuport_kernel* kernel);

// A packed thread index (cpu_kernel_abi.h) as x, y, z; false when unknown.
bool unpack_thread(uint32_t packed, uint32_t out[3]);

}  // namespace cuport_cpu

#endif

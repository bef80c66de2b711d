// Internal to the OpenCL backend: devices, allocations, loaded "opencl-c" images and their kernels, and
// the hook implementations grouped by file.  Threading contracts are those of include/cuport/backend.h; each
// definition restates its own.
//
// Device memory is, in SVM mode, OpenCL 2.0 shared virtual memory: a device pointer is the SVM pointer
// itself, so pointers stored inside device memory stay valid, exactly as CUDA's flat address space requires.
// In buffer mode (devices without SVM, or CUPORT_OPENCL_SVM=none) it is cl_mem buffers, each at a made-up
// device address that every hook translates to (buffer, offset); kernels that move device pointers through
// memory cannot run there (buffers.cpp).
#ifndef CUPORT_OPENCL_BACKEND_H
#define CUPORT_OPENCL_BACKEND_H

#include <CL/cl.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <cuport/backend.h>

#include "../common/exit_gate.h"
#include "../common/plugin_glue.h"

namespace cuport_opencl {

using namespace cuport_glue;  // fail, last_error_message, the Status codes


// A usable OpenCL device (64-bit, with a compiler) with its own context.
struct Device {
  cl_platform_id platform = nullptr;
  cl_device_id id = nullptr;
  cl_context context = nullptr;
  int index = 0;                    // this backend's device index
  int version = 0;                  // OpenCL version * 10 (CL_DEVICE_VERSION)
  std::string name;                 // CL_DEVICE_NAME
  std::string platform_name;        // CL_PLATFORM_NAME
  // No SVM (OpenCL < 2.0, no SVM buffers, or CUPORT_OPENCL_SVM=none): memory is cl_mem buffers at made-up
  // device addresses; `no_svm_why` says why, for messages.
  bool buffer_mode = false;
  std::string no_svm_why;
  bool fine_grain = false;          // CL_DEVICE_SVM_FINE_GRAIN_BUFFER: the host may touch SVM directly
  bool host_copies = false;         // fine-grained and sharing host memory: copies are plain memmove/memset
  bool svm_align_256 = false;       // clSVMAlloc honours 256-byte alignment (PoCL stops at 128): else pad
  bool correctly_rounded_sqrt = false;  // CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT in CL_DEVICE_SINGLE_FP_CONFIG
  size_t local_mem = 0;             // CL_DEVICE_LOCAL_MEM_SIZE
  cuport_device_props props{};

  // Live allocations (user memory and module globals) by device address, guarded by alloc_mu.  SVM mode:
  // `generation` changes with every allocation or free, so launches can tell whether a kernel's
  // CL_KERNEL_EXEC_INFO_SVM_PTRS is stale.
  struct Allocation {
    size_t size;                    // bytes requested
    void* base;                     // what clSVMAlloc returned (below the 256-byte aligned start when padded)
    bool internal;                  // a module's globals buffer: not freeable through mem_free
    cl_mem mem = nullptr;           // buffer mode: the buffer behind the address
  };
  std::mutex alloc_mu;
  std::map<void*, Allocation> allocations;
  uint64_t allocated_bytes = 0;
  uint64_t generation = 1;
  std::shared_ptr<const std::vector<void*>> svm_list;  // cached base pointers for `generation`
  uint64_t svm_list_generation = 0;
  uint64_t next_address = 0;        // buffer mode: where the address allocator looks first (0: at the start)
};

// Buffer mode: the buffer holding a device address range, retained while the reference lives.
struct BufferRef {
  cl_mem mem = nullptr;
  size_t offset = 0;                // of the address within the buffer
  BufferRef() = default;
  BufferRef(BufferRef&& o) noexcept : mem(o.mem), offset(o.offset) { o.mem = nullptr; }
  BufferRef(const BufferRef&) = delete;
  BufferRef& operator=(const BufferRef&) = delete;
  ~BufferRef() {
    if (mem) clReleaseMemObject(mem);
  }
};

// Process exit.  An OpenCL implementation may need static objects (PoCL: LLVM's and Clang's) that exit()
// destroys while libcuport's streams still run queued work: every hook that calls into OpenCL holds an
// ExitGuard (backends/common/exit_gate.h); exiting() says the gate has closed.
using ExitGuard = cuport_glue::GatedCall;
cuport_status exiting_error();    // records and returns cudaErrorCudartUnloading

// device.cpp
cuport_status init();
void shutdown();
int device_count();
cuport_status device_props(int device, cuport_device_props* out);
cuport_status mem_info(int device, size_t* free_bytes, size_t* total_bytes);
Device* device_at(int device);  // null for an invalid index
// A CL call's error as a CUDA error: sets the thread's message to "<what>: <CL name> (<code>)".
cuport_status cl_fail(cl_int err, const std::string& what);
const char* cl_error_name(cl_int err);
// Prints "cuport: opencl: <message>" on stderr once per distinct message for the whole process.
void warn_once(const std::string& message);

// memory.cpp
cuport_status mem_alloc(int device, size_t size, void** out);
cuport_status mem_alloc_shared(int device, size_t size, void** out);
cuport_status mem_free(int device, void* ptr);
cuport_status memcpy_(int device, void* dst, const void* src, size_t bytes, int kind);
cuport_status memset_(int device, void* dst, int value, size_t bytes);
// Device memory in either mode, shared by user memory and module globals (tracked either way), 256-byte
// aligned; freed with free_memory.
cuport_status alloc_memory(Device& d, size_t size, bool internal, void** out);
void free_memory(Device& d, void* ptr);
// Blocking copy of `kind` (1: host to device, 2: device to host, 3: device to device) in either mode.
cuport_status copy_memory(Device& d, void* dst, const void* src, size_t bytes, int kind);
// SVM allocation, 256-byte aligned.
cuport_status svm_alloc(Device& d, size_t size, bool internal, void** out);
// Sets d.svm_align_256 (needs d.context and d.fine_grain).
void probe_svm_alignment(Device& d);
// Blocking copy between host memory and SVM (or SVM and SVM) on the calling thread's queue.
cuport_status svm_copy(Device& d, void* dst, const void* src, size_t bytes);
// Waits for `event` and releases it; returns the wait's error or the command's negative execution status.
cl_int wait_event(cl_event event);
// The live allocations' base pointers and the generation they belong to.
std::shared_ptr<const std::vector<void*>> svm_pointers(Device& d, uint64_t* generation);
// The calling thread's in-order queue for `d` (created on first use), or null with the error set.
cl_command_queue thread_queue(Device& d, cuport_status* status);
// clFinish on every queue of `d`; drops all queues at shutdown.
cuport_status finish_queues(Device& d);
void release_queues();

// buffers.cpp: buffer mode
// A cl_mem buffer at a new device address (disjoint from every live one, with a gap between them); freed
// with free_memory.
cuport_status buffer_alloc(Device& d, size_t size, bool internal, void** out);
// The buffer holding [ptr, ptr + bytes), which may end exactly at the allocation's end; false if none does.
bool find_buffer(Device& d, const void* ptr, size_t bytes, BufferRef* out);
cuport_status buffer_copy(Device& d, void* dst, const void* src, size_t bytes, int kind);
cuport_status buffer_fill(Device& d, void* dst, unsigned char value, size_t bytes);

// module.cpp
cuport_status module_load(int device, const void* image, size_t size, cuport_module** out);
cuport_status module_unload(cuport_module* module);
cuport_status kernel_get(cuport_module* module, const char* mangled_name, cuport_kernel** out);
cuport_status kernel_static_shared(cuport_kernel* kernel, size_t* out);
cuport_status symbol_get(cuport_module* module, const char* name, void** dptr, size_t* size);

// launch.cpp
cuport_status launch(int device, cuport_kernel* kernel, const cuport_launch* launch);
cuport_status synchronize(int device);

}  // namespace cuport_opencl

// One CUDA kernel parameter as the image describes it.
struct cuport_opencl_param {
  bool pointer;        // 'p': 8 bytes, passed as two OpenCL arguments: a buffer and an offset into it
  uint32_t size;       // 's<N>': N bytes by value; 'b<N>': N bytes in a device buffer
  bool buffer = false; // 'b<N>': the launch copies the bytes to device memory and passes its address
  cl_uint arg = 0;     // its (first) OpenCL argument index
};

struct cuport_kernel {
  cuport_module* module = nullptr;
  std::string name;                 // the CUDA (mangled) name
  cl_kernel handle = nullptr;
  size_t static_shared = 0;
  bool warp_scratch = false;        // flags bit 0: takes the __local warp-scratch argument
  std::vector<cuport_opencl_param> params;
  cl_uint hidden_arg = 0;           // OpenCL argument index of the globals buffer (the parameters' count)
  // clSetKernelArg is not thread-safe per cl_kernel: held from the first argument through the enqueue.
  std::mutex mu;
  uint64_t svm_generation = 0;      // allocation generation of the last CL_KERNEL_EXEC_INFO_SVM_PTRS, under mu
};

struct cuport_module {
  cuport_opencl::Device* device = nullptr;
  int device_index = 0;
  cl_program program = nullptr;
  void* globals = nullptr;          // device address: status word, then __device__/__constant__ variables
  cl_mem globals_mem = nullptr;     // buffer mode: the buffer at `globals` (owned by the device's allocations)
  size_t globals_size = 0;
  struct Symbol {
    size_t offset, size;
  };
  std::map<std::string, Symbol> symbols;
  struct KernelInfo {
    std::string cl_name;
    size_t static_shared = 0;
    unsigned flags = 0;               // bit 0: warp scratch; bit 1: needs SVM
    std::vector<cuport_opencl_param> params;
    cl_uint param_args = 0;           // OpenCL arguments taken by the CUDA parameters
  };
  std::map<std::string, KernelInfo> kernel_infos;
  std::map<std::string, std::string> unsupported;  // CUDA name -> reason
  std::map<std::string, std::string> svm_only;     // CUDA name -> why it needs SVM (//@svm-only)
  cuport_glue::KernelCache<> kernels;
  std::atomic<bool> fault_reported{false};  // the status word's error was printed once
};

#endif

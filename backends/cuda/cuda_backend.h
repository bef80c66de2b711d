// Internal to the CUDA backend: the driver's entry points (resolved with dlsym: the plugin does not link
// libcuda, so it builds and loads where no Nvidia driver is installed), devices, modules and kernels, and the
// hook implementations grouped by file.  Threading contracts are those of include/cuport/backend.h; each
// definition restates its own.
//
// This is the passthrough backend: device memory is the GPU's own (cuMemAlloc), images are PTX that the
// driver compiles for the device, and kernels keep CUDA's names and parameter lists.  All work runs in each
// device's primary context, made current on a calling thread before its first call for that device.  Every
// copy, fill and launch is enqueued on the calling host thread's own non-blocking stream for the device and
// waited for there (memory.cpp), so work of different CUDA streams (each on its own runtime worker thread)
// overlaps on the GPU.
#ifndef CUPORT_CUDA_BACKEND_H
#define CUPORT_CUDA_BACKEND_H

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <cuport/backend.h>

#include "../common/exit_gate.h"
#include "../common/plugin_glue.h"
#include "../common/vendor_hooks.h"
#include "../common/vendor_library.h"
#include "cuda_driver.h"

namespace cuport_cuda {

// The driver functions the backend calls, by their exported names.  Required ones must all resolve, or the
// backend reports no usable driver; optional ones may be null (the backend then does without).
#define CUPORT_CUDA_REQUIRED_FUNCTIONS(X)                                                                     \
  X(cuInit) X(cuDeviceGetCount) X(cuDeviceGet) X(cuDeviceGetName) X(cuDeviceGetAttribute) X(cuDeviceTotalMem_v2) \
  X(cuDevicePrimaryCtxRetain) X(cuCtxSetCurrent) X(cuCtxSynchronize) X(cuMemAlloc_v2) X(cuMemFree_v2)            \
  X(cuMemGetInfo_v2) X(cuMemcpyAsync) X(cuMemsetD8Async) X(cuStreamCreate) X(cuStreamDestroy_v2)                 \
  X(cuStreamSynchronize) X(cuModuleLoadDataEx) X(cuModuleUnload) X(cuModuleGetFunction) X(cuModuleGetGlobal_v2)   \
  X(cuFuncGetAttribute) X(cuLaunchKernel)
#define CUPORT_CUDA_OPTIONAL_FUNCTIONS(X)                                                                     \
  X(cuGetErrorName) X(cuGetErrorString) X(cuDriverGetVersion) X(cuMemAllocManaged) X(cuFuncSetAttribute)         \
  X(cuDevicePrimaryCtxRelease_v2) X(cuDevicePrimaryCtxRelease)

// Function pointers named like the functions: driver().cuMemAlloc_v2(&p, n).
CUPORT_GLUE_VENDOR_API(DriverApi, CUPORT_CUDA_REQUIRED_FUNCTIONS, CUPORT_CUDA_OPTIONAL_FUNCTIONS);

// An Nvidia GPU the backend offers.
struct Device {
  int index = 0;               // this backend's device index
  CUdevice handle = 0;         // the driver's device (cuDeviceGet)
  cuport_device_props props{};
  // The primary context, retained on first use (use_device) and released at shutdown.
  std::mutex context_mu;
  std::atomic<CUcontext> context{nullptr};
};

// device.cpp
cuport_status init();
void shutdown();
int device_count();
cuport_status device_props(int device, cuport_device_props* out);
cuport_status mem_info(int device, size_t* free_bytes, size_t* total_bytes);
const DriverApi& driver();       // the resolved entry points (valid once init found a driver)
Device* device_at(int device);   // null for an invalid index
// "<CUDA_ERROR_NAME> (<number>): <description>" as far as the driver can say.
std::string error_text(CUresult err);
// The CUDA version the driver implements ("12.2"), or "unknown".
std::string driver_version();
// A driver call's error as a CUDA runtime error number (the one mapping table), recording
// "<what>: <error_text>" as the calling thread's message.
cuport_status cuda_fail(CUresult err, const std::string& what);
// Makes `d`'s primary context current on the calling thread unless it is already (cached per thread),
// retaining the context on the device's first use.
cuport_status use_device(Device& d);

// Process exit: every hook that calls the driver holds a DriverCall (backends/common/exit_gate.h; a
// CudaDeviceCall and the hook shapes of backends/common/vendor_hooks.h hold one for it), so no call enters a
// driver whose static objects exit() is destroying; exiting() says the gate has closed.
using DriverCall = cuport_glue::GatedCall;
cuport_status exiting_error();  // records and returns cudaErrorCudartUnloading
// Whether the process is exiting (exit() has begun, or the exit gate has closed): no teardown calls then.
bool process_exiting();

// memory.cpp
cuport_status mem_alloc(int device, size_t size, void** out);
cuport_status mem_alloc_shared(int device, size_t size, void** out);
cuport_status mem_free(int device, void* ptr);
cuport_status memcpy_(int device, void* dst, const void* src, size_t bytes, int kind);
cuport_status memset_(int device, void* dst, int value, size_t bytes);
// Any thread: its non-blocking stream on `d` (created on first use; cuport_glue::ThreadStreams), with `d`'s
// context current on the thread; null with the error recorded in *status.
CUstream thread_stream(Device& d, cuport_status* status);
// cuStreamSynchronize(stream), as a CUDA status naming `what` on failure.
cuport_status wait_stream(CUstream stream, const std::string& what);
// Stops destroying per-thread streams (shutdown, exit).
void forget_streams();

// module.cpp
cuport_status module_load(int device, const void* image, size_t size, cuport_module** out);
cuport_status module_unload(cuport_module* module);
cuport_status kernel_get(cuport_module* module, const char* mangled_name, cuport_kernel** out);
cuport_status kernel_static_shared(cuport_kernel* kernel, size_t* out);
cuport_status symbol_get(cuport_module* module, const char* name, void** dptr, size_t* size);

// launch.cpp
cuport_status launch(int device, cuport_kernel* kernel, const cuport_launch* launch);
cuport_status synchronize(int device);

// The dynamic shared memory a launch may use without raising the kernel's limit (CUDA's default).
constexpr size_t kDefaultSharedLimit = 48 * 1024;

// The driver as the hook shapes of backends/common/vendor_hooks.h see it.
struct Cuda {
  using Device = cuport_cuda::Device;
  using Stream = CUstream;
  static constexpr const char* kName = "cuda";
  static constexpr const char* kNoSuchDevice = "no such CUDA device";
  static constexpr const char* kPlatform = "Nvidia GPUs";
  static constexpr const char* kEmptyImage = "PTX image (it has no PTX code)";
  static Device* device_at(int device) { return cuport_cuda::device_at(device); }
  static cuport_status use_device(Device& d) { return cuport_cuda::use_device(d); }
  static cuport_status exiting_error() { return cuport_cuda::exiting_error(); }
  static Stream thread_stream(Device& d, cuport_status* status) { return cuport_cuda::thread_stream(d, status); }
  static cuport_status wait_stream(Stream s, const std::string& what) { return cuport_cuda::wait_stream(s, what); }
};
using CudaDeviceCall = cuport_glue::DeviceCall<Cuda>;  // a DriverCall with the device's context made current

}  // namespace cuport_cuda

struct cuport_kernel {
  cuport_module* module = nullptr;
  std::string name;                    // the CUDA (mangled) name, which is also the PTX entry's name
  CUfunction function = nullptr;
  size_t static_shared = 0;            // CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES
  // CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES as the backend last set it (only ever raised, under mu).
  std::mutex mu;
  std::atomic<size_t> dynamic_shared_limit{0};
};

struct cuport_module {
  cuport_cuda::Device* device = nullptr;
  CUmodule handle = nullptr;  // null for an image without PTX code (an empty module)
  std::map<std::string, std::string> unsupported;  // kernels cuport-cc left out: name -> file:line: reason
  cuport_glue::KernelCache<> kernels;
};

#endif

// Internal to the HIP backend: the HIP runtime's entry points (resolved with dlsym: the plugin does not link
// libamdhip64, so it builds and loads where HIP is absent), devices, modules and kernels, and the hook
// implementations grouped by file.  Threading contracts are those of include/cuport/backend.h; each
// definition restates its own.
//
// Device memory is HIP device memory (hipMalloc): device pointers are the GPU's own virtual addresses, so
// pointers stored in device memory stay valid as CUDA requires.  Every copy, fill and launch is enqueued on
// the calling host thread's own non-blocking HIP stream for the device and waited for there (memory.cpp), so
// work of different CUDA streams (each on its own runtime worker thread) overlaps on the GPU.
#ifndef CUPORT_HIP_BACKEND_H
#define CUPORT_HIP_BACKEND_H

#ifndef __HIP_PLATFORM_AMD__
#define __HIP_PLATFORM_AMD__
#endif
// Only the C API: the header's C++ template overloads (hipMalloc(T**, ...)) would make decltype(&hipMalloc)
// ambiguous.
#ifndef __HIP_DISABLE_CPP_FUNCTIONS__
#define __HIP_DISABLE_CPP_FUNCTIONS__
#endif
#include <hip/hip_runtime_api.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <cuport/backend.h>

#include "../common/exit_gate.h"
#include "../common/plugin_glue.h"
#include "../common/vendor_hooks.h"
#include "../common/vendor_library.h"

namespace cuport_hip {

// The HIP functions the backend calls.  Required ones must all resolve, or the backend reports no HIP
// runtime; optional ones may be null (the backend then does without).
#define CUPORT_HIP_REQUIRED_FUNCTIONS(X)                                                                    \
  X(hipInit) X(hipGetDeviceCount) X(hipGetErrorName) X(hipGetErrorString) X(hipGetDeviceProperties)           \
  X(hipSetDevice) X(hipDeviceSynchronize) X(hipMalloc) X(hipFree) X(hipMemcpyAsync) X(hipMemsetAsync)         \
  X(hipMemGetInfo) X(hipStreamCreateWithFlags) X(hipStreamDestroy) X(hipStreamSynchronize)                     \
  X(hipModuleLoadData) X(hipModuleUnload) X(hipModuleGetFunction) X(hipModuleGetGlobal) X(hipModuleLaunchKernel)
#define CUPORT_HIP_OPTIONAL_FUNCTIONS(X) X(hipDeviceGetAttribute) X(hipMallocManaged) X(hipFuncGetAttribute)

// Function pointers named like the functions: hip().hipMalloc(&p, n).
CUPORT_GLUE_VENDOR_API(HipApi, CUPORT_HIP_REQUIRED_FUNCTIONS, CUPORT_HIP_OPTIONAL_FUNCTIONS);

// A HIP device the backend offers.
struct Device {
  int index = 0;               // this backend's device index
  int ordinal = 0;             // HIP's device ordinal (hipSetDevice)
  std::string arch_name;       // HIP's gcnArchName, the full target id: "gfx90a:sramecc+:xnack-"
  std::string arch;            // its processor: "gfx90a"
  cuport_device_props props{};
};

// device.cpp
cuport_status init();
void shutdown();
int device_count();
cuport_status device_props(int device, cuport_device_props* out);
cuport_status mem_info(int device, size_t* free_bytes, size_t* total_bytes);
const HipApi& hip();             // the resolved entry points (valid once init found a runtime)
Device* device_at(int device);   // null for an invalid index
// A HIP call's error as a CUDA error number (the one mapping table), recording "<what>: <HIP error name>
// (<HIP error string>)" as the calling thread's message.
cuport_status hip_fail(hipError_t err, const std::string& what);
// hipSetDevice(d) on the calling thread unless it is current already (cached per thread).
cuport_status use_device(const Device& d);

// Process exit: every hook that calls HIP holds a HipCall (backends/common/exit_gate.h; a HipDeviceCall and the
// hook shapes of backends/common/vendor_hooks.h hold one for it), so no call enters a HIP runtime whose static
// objects exit() is destroying; exiting() says the gate has closed.
using HipCall = cuport_glue::GatedCall;
cuport_status exiting_error();  // records and returns cudaErrorCudartUnloading

// memory.cpp
cuport_status mem_alloc(int device, size_t size, void** out);
cuport_status mem_alloc_shared(int device, size_t size, void** out);
cuport_status mem_free(int device, void* ptr);
cuport_status memcpy_(int device, void* dst, const void* src, size_t bytes, int kind);
cuport_status memset_(int device, void* dst, int value, size_t bytes);
// Any thread: its non-blocking stream on `d` (created on first use; cuport_glue::ThreadStreams), with `d` made
// the thread's current device; null with the error recorded in *status.
hipStream_t thread_stream(const Device& d, cuport_status* status);
// hipStreamSynchronize(stream), as a CUDA status naming `what` on failure.
cuport_status wait_stream(hipStream_t stream, const std::string& what);
// Stops destroying per-thread streams (shutdown: the HIP runtime may be finalizing).
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

// The HIP runtime as the hook shapes of backends/common/vendor_hooks.h see it.
struct Hip {
  using Device = cuport_hip::Device;
  using Stream = hipStream_t;
  static constexpr const char* kName = "hip";
  static constexpr const char* kNoSuchDevice = "no such HIP device";
  static constexpr const char* kPlatform = "AMDGPU";
  static constexpr const char* kEmptyImage = "amdgcn image (it has no code object)";
  static Device* device_at(int device) { return cuport_hip::device_at(device); }
  static cuport_status use_device(const Device& d) { return cuport_hip::use_device(d); }
  static cuport_status exiting_error() { return cuport_hip::exiting_error(); }
  static Stream thread_stream(const Device& d, cuport_status* status) { return cuport_hip::thread_stream(d, status); }
  static cuport_status wait_stream(Stream s, const std::string& what) { return cuport_hip::wait_stream(s, what); }
};
using HipDeviceCall = cuport_glue::DeviceCall<Hip>;  // a HipCall with the device made current

}  // namespace cuport_hip

struct cuport_kernel {
  cuport_module* module = nullptr;
  std::string name;              // the CUDA (mangled) name, which is also the code object's kernel symbol
  hipFunction_t function = nullptr;
  size_t static_shared = 0;      // HIP_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, 0 where HIP cannot say
};

struct cuport_module {
  cuport_hip::Device* device = nullptr;
  hipModule_t handle = nullptr;  // null for a bundle without code objects (an empty module)
  std::string target_id;         // of the code object loaded (from the bundle)
  std::map<std::string, std::string> unsupported;  // kernels cuport-cc left out: name -> file:line: reason
  // The code object, 8-byte aligned and kept for the module's lifetime (the fat binary's copy is only valid
  // during module_load, and HIP may refer to the image later).
  std::vector<uint64_t> code;
  cuport_glue::KernelCache<> kernels;
};

#endif

// The Nvidia driver and its devices: loading libcuda at init, the device properties, the one driver-to-runtime
// error mapping, primary contexts made current per thread, and the exit gate.
//
// Settings (read once, at init):
//   CUPORT_CUDA_DRIVER   the driver library to dlopen (default: libcuda.so.1, then libcuda.so)
// The driver's own CUDA_VISIBLE_DEVICES chooses the devices it reports.
//
// Property choices (cuDeviceGetName, cuDeviceTotalMem_v2, and cuDeviceGetAttribute for everything else):
//   the device's own values: compute capability (this backend runs PTX on the real GPU, so programs see what
//   the device is), warp size, shared memory per block and its opt-in maximum, constant memory, registers,
//   clock rates, bus width, multiprocessors, threads per multiprocessor, block and grid limits, L2, concurrent
//   kernels, copy engines, unified addressing, managed memory, integrated; an attribute the driver does not
//   answer takes the value of a 7.0 device
//   is_host_memory 0: device memory is the GPU's
//   can_map_host_memory 0: libcuport maps host memory into kernels only on host-memory devices (it has no
//   hook to pin host memory in the driver), so cudaHostGetDevicePointer is refused here; saying 0 keeps
//   programs that check the property on their copying path
//   kernel parameters      32764 bytes where the driver implements CUDA 12.1 or later and the device is Volta
//                          (7.0) or newer (cuport-cc declares PTX ISA 8.1 for a module that needs more than
//                          4 KiB), else CUDA's long-standing 4096
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "cuda_backend.h"

namespace cuport_cuda {

using namespace cuport_glue;  // fail, the Status codes, BackendState, load_vendor_library, the hook shapes

namespace {

struct Backend : DeviceList<Device> {
  DriverApi api;
  int driver_version = 0;  // cuDriverGetVersion: 12010 for CUDA 12.1 (0: unknown)
};

BackendState<Backend> g_backend;
const DriverApi g_no_api{};
std::atomic<bool> g_exit_started{false};

void mark_exit_started() { g_exit_started.store(true); }

// The names of the errors the backend meets most, for a driver that cannot give them (the CUDA toolkit's stub
// libcuda answers every call, cuGetErrorName included, with CUDA_ERROR_STUB_LIBRARY).
const char* known_name(CUresult err) {
  switch (err) {
#define CUPORT_CUDA_NAME(e) \
  case e:                   \
    return #e;
    CUPORT_CUDA_NAME(CUDA_SUCCESS) CUPORT_CUDA_NAME(CUDA_ERROR_INVALID_VALUE) CUPORT_CUDA_NAME(CUDA_ERROR_OUT_OF_MEMORY)
    CUPORT_CUDA_NAME(CUDA_ERROR_NOT_INITIALIZED) CUPORT_CUDA_NAME(CUDA_ERROR_DEINITIALIZED)
    CUPORT_CUDA_NAME(CUDA_ERROR_STUB_LIBRARY) CUPORT_CUDA_NAME(CUDA_ERROR_DEVICE_UNAVAILABLE)
    CUPORT_CUDA_NAME(CUDA_ERROR_NO_DEVICE) CUPORT_CUDA_NAME(CUDA_ERROR_INVALID_DEVICE)
    CUPORT_CUDA_NAME(CUDA_ERROR_DEVICE_NOT_LICENSED) CUPORT_CUDA_NAME(CUDA_ERROR_INVALID_IMAGE)
    CUPORT_CUDA_NAME(CUDA_ERROR_INVALID_CONTEXT) CUPORT_CUDA_NAME(CUDA_ERROR_NO_BINARY_FOR_GPU)
    CUPORT_CUDA_NAME(CUDA_ERROR_INVALID_PTX) CUPORT_CUDA_NAME(CUDA_ERROR_JIT_COMPILER_NOT_FOUND)
    CUPORT_CUDA_NAME(CUDA_ERROR_UNSUPPORTED_PTX_VERSION) CUPORT_CUDA_NAME(CUDA_ERROR_INVALID_HANDLE)
    CUPORT_CUDA_NAME(CUDA_ERROR_NOT_FOUND) CUPORT_CUDA_NAME(CUDA_ERROR_ILLEGAL_ADDRESS)
    CUPORT_CUDA_NAME(CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES) CUPORT_CUDA_NAME(CUDA_ERROR_LAUNCH_TIMEOUT)
    CUPORT_CUDA_NAME(CUDA_ERROR_ASSERT) CUPORT_CUDA_NAME(CUDA_ERROR_LAUNCH_FAILED)
    CUPORT_CUDA_NAME(CUDA_ERROR_NOT_SUPPORTED) CUPORT_CUDA_NAME(CUDA_ERROR_SYSTEM_DRIVER_MISMATCH)
    CUPORT_CUDA_NAME(CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE) CUPORT_CUDA_NAME(CUDA_ERROR_UNKNOWN)
#undef CUPORT_CUDA_NAME
    default:
      return nullptr;
  }
}

// "CUDA_ERROR_NO_DEVICE (100): no CUDA-capable device is detected", from what the driver can say.
std::string text_of(const DriverApi& api, CUresult err) {
  const char* name = nullptr;
  const char* text = nullptr;
  if (api.cuGetErrorName && api.cuGetErrorName(err, &name) != CUDA_SUCCESS) name = nullptr;
  if (api.cuGetErrorString && api.cuGetErrorString(err, &text) != CUDA_SUCCESS) text = nullptr;
  if (!name || !*name) name = known_name(err);
  if (!text && err == CUDA_ERROR_STUB_LIBRARY)
    text = "this libcuda is the CUDA toolkit's stub, not the Nvidia driver (install the driver, or point "
           "CUPORT_CUDA_DRIVER at its libcuda.so.1)";
  std::string s = name && *name ? std::string(name) + " (" + std::to_string(int(err)) + ")"
                                : "CUresult " + std::to_string(int(err));
  if (text && *text && (!name || std::strcmp(text, name) != 0)) s += std::string(": ") + text;
  return s;
}

int attribute(const DriverApi& api, CUdevice dev, CUdevice_attribute a, int fallback) {
  int value = 0;
  return api.cuDeviceGetAttribute(&value, a, dev) == CUDA_SUCCESS ? value : fallback;
}

void fill_props(const DriverApi& api, int cuda_version, Device& dev, int ordinal) {
  const CUdevice h = dev.handle;
  cuport_device_props& p = dev.props;
  p = cuport_device_props{};
  char name[256] = {};
  if (api.cuDeviceGetName(name, int(sizeof name) - 1, h) != CUDA_SUCCESS || !name[0])
    std::snprintf(name, sizeof name, "Nvidia GPU %d", ordinal);
  std::snprintf(p.name, sizeof p.name, "%s", name);
  size_t total = 0;
  if (api.cuDeviceTotalMem_v2(&total, h) == CUDA_SUCCESS) p.total_global_mem = total;
  p.major = attribute(api, h, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, 7);
  p.minor = attribute(api, h, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, 0);
  p.shared_mem_per_block = uint64_t(attribute(api, h, CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK, 48 * 1024));
  const int optin = attribute(api, h, CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN, 0);
  p.shared_mem_per_block_optin = std::max<uint64_t>(uint64_t(optin > 0 ? optin : 0), p.shared_mem_per_block);
  p.total_const_mem = uint64_t(attribute(api, h, CU_DEVICE_ATTRIBUTE_TOTAL_CONSTANT_MEMORY, 64 * 1024));
  p.regs_per_block = attribute(api, h, CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_BLOCK, 65536);
  p.warp_size = attribute(api, h, CU_DEVICE_ATTRIBUTE_WARP_SIZE, 32);
  p.max_threads_per_block = attribute(api, h, CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK, 1024);
  p.max_threads_dim[0] = attribute(api, h, CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X, 1024);
  p.max_threads_dim[1] = attribute(api, h, CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y, 1024);
  p.max_threads_dim[2] = attribute(api, h, CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z, 64);
  p.max_grid_size[0] = attribute(api, h, CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X, 0x7fffffff);
  p.max_grid_size[1] = attribute(api, h, CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y, 65535);
  p.max_grid_size[2] = attribute(api, h, CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z, 65535);
  p.clock_rate_khz = attribute(api, h, CU_DEVICE_ATTRIBUTE_CLOCK_RATE, 0);
  p.memory_clock_rate_khz = attribute(api, h, CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE, 0);
  p.memory_bus_width = attribute(api, h, CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH, 0);
  p.multiprocessor_count = std::max(1, attribute(api, h, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, 1));
  p.max_threads_per_multiprocessor =
      std::max(attribute(api, h, CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR, 2048), p.max_threads_per_block);
  p.concurrent_kernels = attribute(api, h, CU_DEVICE_ATTRIBUTE_CONCURRENT_KERNELS, 1) ? 1 : 0;
  p.async_engine_count = attribute(api, h, CU_DEVICE_ATTRIBUTE_ASYNC_ENGINE_COUNT, 1);
  p.unified_addressing = attribute(api, h, CU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING, 1) ? 1 : 0;
  p.managed_memory = api.cuMemAllocManaged && attribute(api, h, CU_DEVICE_ATTRIBUTE_MANAGED_MEMORY, 0) ? 1 : 0;
  p.can_map_host_memory = 0;
  p.integrated = attribute(api, h, CU_DEVICE_ATTRIBUTE_INTEGRATED, 0) ? 1 : 0;
  p.l2_cache_size = attribute(api, h, CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE, 0);
  p.is_host_memory = 0;
  p.max_param_size = cuda_version >= 12010 && p.major >= 7 ? 32764 : 4096;
}

void enumerate(Backend& b) {
  const VendorLibrary library = {"CUPORT_CUDA_DRIVER", {"libcuda.so.1", "libcuda.so"}, "no Nvidia driver",
                                 "the driver library", "install the Nvidia driver, or set CUPORT_CUDA_DRIVER"};
  if (!load_vendor_library(library, &b.api, &b.why_none)) return;
  const DriverApi& api = b.api;
  CUresult err = api.cuInit(0);
  if (err != CUDA_SUCCESS) {
    b.why_none = std::string(err == CUDA_ERROR_STUB_LIBRARY ? "no Nvidia driver" : "no Nvidia GPU") +
                 ": cuInit returned " + text_of(api, err);
    return;
  }
  if (api.cuDriverGetVersion && api.cuDriverGetVersion(&b.driver_version) != CUDA_SUCCESS) b.driver_version = 0;
  int count = 0;
  err = api.cuDeviceGetCount(&count);
  if (err != CUDA_SUCCESS || count <= 0) {
    b.why_none = "no Nvidia GPU: cuDeviceGetCount returned " +
                 (err != CUDA_SUCCESS ? text_of(api, err) : std::string("0 devices"));
    return;
  }
  std::vector<std::string> skipped;
  for (int i = 0; i < count; ++i) {
    CUdevice h = 0;
    err = api.cuDeviceGet(&h, i);
    if (err != CUDA_SUCCESS) {
      skipped.push_back("device " + std::to_string(i) + ": cuDeviceGet returned " + text_of(api, err));
      continue;
    }
    auto dev = std::make_unique<Device>();
    dev->index = int(b.devices.size());
    dev->handle = h;
    fill_props(b.api, b.driver_version, *dev, i);
    b.devices.push_back(std::move(dev));
  }
  if (b.devices.empty()) {
    b.why_none = "no usable Nvidia GPU: ";
    for (size_t i = 0; i < skipped.size(); ++i) b.why_none += (i ? "; " : "") + skipped[i];
  }
}

// The context this backend made current on the calling thread (null: none yet).
thread_local CUcontext t_current_context = nullptr;

}  // namespace

cuport_status exiting_error() {
  return fail(kCudartUnloading, "the process is exiting: work that reached the CUDA backend after exit() began was "
                                "not run");
}

bool process_exiting() { return g_exit_started.load() || cuport_glue::exiting(); }

const DriverApi& driver() { return g_backend.get() ? g_backend.get()->api : g_no_api; }

std::string error_text(CUresult err) { return text_of(driver(), err); }

std::string driver_version() {
  const int v = g_backend.get() ? g_backend.get()->driver_version : 0;
  return v > 0 ? std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10) : "unknown";
}

cuport_status cuda_fail(CUresult err, const std::string& what) {
  struct Mapping {
    CUresult driver;
    cuport_status runtime;
  };
  // The driver's error -> the runtime's (cudaError_t numbers, include/driver_types.h).
  static const Mapping kTable[] = {
      {CUDA_ERROR_INVALID_VALUE, kInvalidValue},
      {CUDA_ERROR_OUT_OF_MEMORY, kMemoryAllocation},
      {CUDA_ERROR_NOT_INITIALIZED, kInitializationError},
      {CUDA_ERROR_DEINITIALIZED, kCudartUnloading},
      {CUDA_ERROR_STUB_LIBRARY, 34},                    // cudaErrorStubLibrary
      {CUDA_ERROR_DEVICE_UNAVAILABLE, 46},              // cudaErrorDevicesUnavailable
      {CUDA_ERROR_NO_DEVICE, 100},                      // cudaErrorNoDevice
      {CUDA_ERROR_INVALID_DEVICE, kInvalidDevice},
      {CUDA_ERROR_DEVICE_NOT_LICENSED, 102},            // cudaErrorDeviceNotLicensed
      {CUDA_ERROR_INVALID_IMAGE, kInvalidKernelImage},
      {CUDA_ERROR_INVALID_CONTEXT, 201},                // cudaErrorDeviceUninitialized
      {CUDA_ERROR_NO_BINARY_FOR_GPU, kNoKernelImageForDevice},
      {CUDA_ERROR_ECC_UNCORRECTABLE, 214},              // cudaErrorECCUncorrectable
      {CUDA_ERROR_UNSUPPORTED_LIMIT, 215},              // cudaErrorUnsupportedLimit
      {CUDA_ERROR_CONTEXT_ALREADY_IN_USE, 216},         // cudaErrorDeviceAlreadyInUse
      {CUDA_ERROR_PEER_ACCESS_UNSUPPORTED, 217},        // cudaErrorPeerAccessUnsupported
      {CUDA_ERROR_INVALID_PTX, kInvalidPtx},
      {CUDA_ERROR_INVALID_GRAPHICS_CONTEXT, 219},       // cudaErrorInvalidGraphicsContext
      {CUDA_ERROR_NVLINK_UNCORRECTABLE, 220},           // cudaErrorNvlinkUncorrectable
      {CUDA_ERROR_JIT_COMPILER_NOT_FOUND, 221},         // cudaErrorJitCompilerNotFound
      {CUDA_ERROR_UNSUPPORTED_PTX_VERSION, 222},        // cudaErrorUnsupportedPtxVersion
      {CUDA_ERROR_JIT_COMPILATION_DISABLED, 223},       // cudaErrorJitCompilationDisabled
      {CUDA_ERROR_UNSUPPORTED_EXEC_AFFINITY, 224},      // cudaErrorUnsupportedExecAffinity
      {CUDA_ERROR_INVALID_SOURCE, 300},                 // cudaErrorInvalidSource
      {CUDA_ERROR_FILE_NOT_FOUND, 301},                 // cudaErrorFileNotFound
      {CUDA_ERROR_SHARED_OBJECT_SYMBOL_NOT_FOUND, 302}, // cudaErrorSharedObjectSymbolNotFound
      {CUDA_ERROR_SHARED_OBJECT_INIT_FAILED, kSharedObjectInitFailed},
      {CUDA_ERROR_OPERATING_SYSTEM, kOperatingSystem},
      {CUDA_ERROR_INVALID_HANDLE, kInvalidResourceHandle},
      {CUDA_ERROR_ILLEGAL_STATE, 401},                  // cudaErrorIllegalState
      {CUDA_ERROR_NOT_FOUND, kSymbolNotFound},
      {CUDA_ERROR_NOT_READY, 600},                      // cudaErrorNotReady
      {CUDA_ERROR_ILLEGAL_ADDRESS, 700},                // cudaErrorIllegalAddress
      {CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES, kLaunchOutOfResources},
      {CUDA_ERROR_LAUNCH_TIMEOUT, 702},                 // cudaErrorLaunchTimeout
      {CUDA_ERROR_LAUNCH_INCOMPATIBLE_TEXTURING, 703},  // cudaErrorLaunchIncompatibleTexturing
      {CUDA_ERROR_PRIMARY_CONTEXT_ACTIVE, 708},         // cudaErrorSetOnActiveProcess
      {CUDA_ERROR_CONTEXT_IS_DESTROYED, 709},           // cudaErrorContextIsDestroyed
      {CUDA_ERROR_ASSERT, kAssert},
      {CUDA_ERROR_HARDWARE_STACK_ERROR, 714},           // cudaErrorHardwareStackError
      {CUDA_ERROR_ILLEGAL_INSTRUCTION, 715},            // cudaErrorIllegalInstruction
      {CUDA_ERROR_MISALIGNED_ADDRESS, 716},             // cudaErrorMisalignedAddress
      {CUDA_ERROR_INVALID_ADDRESS_SPACE, 717},          // cudaErrorInvalidAddressSpace
      {CUDA_ERROR_INVALID_PC, 718},                     // cudaErrorInvalidPc
      {CUDA_ERROR_LAUNCH_FAILED, kLaunchFailure},
      {CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE, 720},   // cudaErrorCooperativeLaunchTooLarge
      {CUDA_ERROR_NOT_PERMITTED, 800},                  // cudaErrorNotPermitted
      {CUDA_ERROR_NOT_SUPPORTED, kNotSupported},
      {CUDA_ERROR_SYSTEM_NOT_READY, 802},               // cudaErrorSystemNotReady
      {CUDA_ERROR_SYSTEM_DRIVER_MISMATCH, 803},         // cudaErrorSystemDriverMismatch
      {CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE, 804}, // cudaErrorCompatNotSupportedOnDevice
  };
  cuport_status status = kUnknown;
  for (const Mapping& m : kTable)
    if (m.driver == err) status = m.runtime;
  return fail(status, what + ": " + error_text(err));
}

cuport_status use_device(Device& d) {
  CUcontext ctx = d.context.load(std::memory_order_acquire);
  if (!ctx) {
    std::lock_guard<std::mutex> lock(d.context_mu);
    ctx = d.context.load(std::memory_order_acquire);
    if (!ctx) {
      const CUresult err = driver().cuDevicePrimaryCtxRetain(&ctx, d.handle);
      if (err != CUDA_SUCCESS || !ctx)
        return cuda_fail(err, std::string("cuDevicePrimaryCtxRetain (") + d.props.name + ")");
      d.context.store(ctx, std::memory_order_release);
    }
  }
  if (t_current_context == ctx) return kSuccess;
  const CUresult err = driver().cuCtxSetCurrent(ctx);
  if (err != CUDA_SUCCESS) return cuda_fail(err, std::string("cuCtxSetCurrent (") + d.props.name + ")");
  t_current_context = ctx;
  return kSuccess;
}

// One thread, before any other hook.  Succeeds with zero devices; the reason is then the calling thread's
// last_error_message (and device_count's).
cuport_status init() {
  DriverCall call;  // also arms the exit watcher on the (usually main) initializing thread
  // exit() runs atexit handlers before any library's destructors, so by the time libcuport's destructor
  // calls shutdown the flag is set, and shutdown leaves the contexts to the driver's own teardown.
  std::atexit(mark_exit_started);
  return g_backend.init(enumerate);
}

// Never concurrent with anything.  Modules are gone by now (libcuport unloads them first).  Releases the
// primary contexts (which frees what is left in them: streams, memory) when the backend is unloaded while the
// process goes on; at process exit the driver's own teardown does that, and may already have begun.
void shutdown() {
  forget_streams();
  Backend* b = g_backend.get();
  if (!b || process_exiting()) return;
  DriverCall call;
  if (!call) return;
  const DriverApi& api = b->api;
  auto release = api.cuDevicePrimaryCtxRelease_v2 ? api.cuDevicePrimaryCtxRelease_v2 : api.cuDevicePrimaryCtxRelease;
  for (auto& d : b->devices) {
    std::lock_guard<std::mutex> lock(d->context_mu);
    if (d->context.exchange(nullptr) && release) (void)release(d->handle);
  }
  t_current_context = nullptr;
}

// Any thread.
int device_count() { return g_backend.count(); }

Device* device_at(int device) { return g_backend.at(device); }

// Any thread.
cuport_status device_props(int device, cuport_device_props* out) {
  return g_backend.props(device, out, Cuda::kNoSuchDevice);
}

// Any thread.
cuport_status mem_info(int device, size_t* free_bytes, size_t* total_bytes) {
  return memory_info<Cuda>(device, free_bytes, total_bytes, [&] {
    const CUresult err = driver().cuMemGetInfo_v2(free_bytes, total_bytes);
    return err == CUDA_SUCCESS ? kSuccess : cuda_fail(err, "cuMemGetInfo_v2");
  });
}

}  // namespace cuport_cuda

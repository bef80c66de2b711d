// The HIP runtime and its devices: loading libamdhip64 at init, the CUDA-shaped device properties, the one
// HIP-to-CUDA error mapping, per-thread device selection, and the exit gate.
//
// Settings (read once, at init):
//   CUPORT_HIP_LIBRARY   the HIP runtime to dlopen (default: libamdhip64.so.5, then libamdhip64.so); the
//                        backend is built against the HIP 5 headers, so it expects HIP 5's ABI
// HIP's own HIP_VISIBLE_DEVICES / ROCR_VISIBLE_DEVICES choose the devices HIP reports.
//
// Property choices (from hipGetDeviceProperties unless noted):
//   name                   the device's name ("AMD Instinct MI210"), or "AMD GPU <arch>" when HIP gives none
//   totalGlobalMem         totalGlobalMem; cudaMemGetInfo asks hipMemGetInfo
//   sharedMemPerBlock      min(sharedMemPerBlock, 48 KiB) like a 7.0 device; the opt-in maximum is all of it
//   warpSize 32            the compiler gives CUDA's 32-lane warps on wave32 and wave64 GPUs alike
//   compute capability     7.0, like the other backends (device code is compiled for sm_70)
//   maxThreadsPerBlock     min(1024, maxThreadsPerBlock); maxThreadsDim capped at {1024, 1024, 64};
//                          maxGridSize capped at CUDA's {2^31-1, 65535, 65535}
//   clock rates, bus width, multiprocessors (compute units), L2, registers, integrated: as HIP reports them
//   is_host_memory 0, unifiedAddressing 1, canMapHostMemory 0
//   managedMemory          hipDeviceAttributeManagedMemory (mem_alloc_shared is hipMallocManaged)
//   kernel parameters      4096 bytes (HIP's long-standing kernel-argument limit)
// The device's gcnArchName (the full target id) chooses the code object of each image (module.cpp).
#include <algorithm>
#include <cstdio>
#include <cstring>

#include "hip_backend.h"
#include "offload_bundle.h"

namespace cuport_hip {

using namespace cuport_glue;  // fail, the Status codes, BackendState, load_vendor_library, the hook shapes

namespace {

struct Backend : DeviceList<Device> {
  HipApi api;
};

BackendState<Backend> g_backend;
const HipApi g_no_api{};

template <class T>
T min_cap(T value, T cap) {
  return value > 0 && value < cap ? value : cap;
}

// "<hipGetErrorName> (<hipGetErrorString>)"; ROCm 5's hipGetErrorString returns the name again, and then the
// number stands in the parentheses instead.
std::string error_text(const HipApi& api, hipError_t err) {
  const char* name = api.hipGetErrorName ? api.hipGetErrorName(err) : nullptr;
  const char* text = api.hipGetErrorString ? api.hipGetErrorString(err) : nullptr;
  std::string s = name && *name ? name : "hipError " + std::to_string(int(err));
  if (text && *text && std::strcmp(text, name ? name : "") != 0) s += std::string(" (") + text + ")";
  else s += " (" + std::to_string(int(err)) + ")";
  return s;
}

void fill_props(const HipApi& api, Device& dev, const hipDeviceProp_t& h) {
  cuport_device_props& p = dev.props;
  p = cuport_device_props{};
  std::string name(h.name, strnlen(h.name, sizeof h.name));
  if (name.empty()) name = "AMD GPU " + dev.arch;
  std::snprintf(p.name, sizeof p.name, "%s", name.c_str());
  p.total_global_mem = h.totalGlobalMem;
  p.shared_mem_per_block_optin = h.sharedMemPerBlock;
  p.shared_mem_per_block = std::min<uint64_t>(h.sharedMemPerBlock, 48 * 1024);
  p.total_const_mem = std::min<uint64_t>(h.totalConstMem, 64 * 1024);
  p.regs_per_block = h.regsPerBlock > 0 ? h.regsPerBlock : 65536;
  p.warp_size = 32;
  p.max_threads_per_block = min_cap(h.maxThreadsPerBlock, 1024);
  const int dim_caps[3] = {1024, 1024, 64};
  const int grid_caps[3] = {0x7fffffff, 65535, 65535};
  for (int i = 0; i < 3; ++i) {
    p.max_threads_dim[i] = std::min(min_cap(h.maxThreadsDim[i], dim_caps[i]), p.max_threads_per_block);
    p.max_grid_size[i] = min_cap(h.maxGridSize[i], grid_caps[i]);
  }
  p.clock_rate_khz = h.clockRate;
  p.memory_clock_rate_khz = h.memoryClockRate;
  p.memory_bus_width = h.memoryBusWidth;
  p.multiprocessor_count = std::max(1, h.multiProcessorCount);
  p.max_threads_per_multiprocessor = std::max(h.maxThreadsPerMultiProcessor, p.max_threads_per_block);
  p.major = 7;
  p.minor = 0;
  p.concurrent_kernels = 1;
  p.async_engine_count = 1;
  p.unified_addressing = 1;
  int managed = h.managedMemory;
  if (api.hipDeviceGetAttribute &&
      api.hipDeviceGetAttribute(&managed, hipDeviceAttributeManagedMemory, dev.ordinal) != hipSuccess)
    managed = h.managedMemory;
  p.managed_memory = managed ? 1 : 0;
  p.can_map_host_memory = 0;
  p.integrated = h.integrated ? 1 : 0;
  p.l2_cache_size = h.l2CacheSize;
  p.is_host_memory = 0;
  p.max_param_size = 4096;
}

void enumerate(Backend& b) {
  const VendorLibrary runtime = {"CUPORT_HIP_LIBRARY", {"libamdhip64.so.5", "libamdhip64.so"}, "no HIP runtime",
                                 "the HIP library", "install libamdhip64-5, or set CUPORT_HIP_LIBRARY"};
  if (!load_vendor_library(runtime, &b.api, &b.why_none)) return;
  const HipApi& api = b.api;
  const hipError_t init_err = api.hipInit(0);
  int count = 0;
  const hipError_t err = api.hipGetDeviceCount(&count);
  if (err != hipSuccess || count <= 0) {
    b.why_none = "no HIP device: hipGetDeviceCount returned " +
                 (err != hipSuccess ? error_text(api, err) : std::string("0 devices"));
    if (init_err != hipSuccess) b.why_none += "; hipInit returned " + error_text(api, init_err);
    return;
  }
  std::vector<std::string> skipped;
  for (int i = 0; i < count; ++i) {
    // Room beyond hipDeviceProp_t: a newer runtime with a larger structure must not write past it.
    std::vector<uint64_t> storage((sizeof(hipDeviceProp_t) + 8192) / sizeof(uint64_t));
    auto* h = reinterpret_cast<hipDeviceProp_t*>(storage.data());
    const hipError_t perr = api.hipGetDeviceProperties(h, i);
    if (perr != hipSuccess) {
      skipped.push_back("device " + std::to_string(i) + ": hipGetDeviceProperties returned " + error_text(api, perr));
      continue;
    }
    auto dev = std::make_unique<Device>();
    dev->index = int(b.devices.size());
    dev->ordinal = i;
    dev->arch_name.assign(h->gcnArchName, strnlen(h->gcnArchName, sizeof h->gcnArchName));
    if (dev->arch_name.empty() && h->gcnArch > 0) dev->arch_name = "gfx" + std::to_string(h->gcnArch);
    dev->arch = base_arch(dev->arch_name);
    fill_props(api, *dev, *h);
    b.devices.push_back(std::move(dev));
  }
  if (b.devices.empty()) {
    b.why_none = "no usable HIP device: ";
    for (size_t i = 0; i < skipped.size(); ++i) b.why_none += (i ? "; " : "") + skipped[i];
  }
}


// The calling thread's current HIP device ordinal as far as this backend set it (-1: not yet).
thread_local int t_current_device = -1;

}  // namespace

cuport_status exiting_error() {
  return fail(kCudartUnloading, "the process is exiting: work that reached the HIP backend after exit() began was "
                                "not run");
}

const HipApi& hip() { return g_backend.get() ? g_backend.get()->api : g_no_api; }

cuport_status hip_fail(hipError_t err, const std::string& what) {
  struct Mapping {
    hipError_t hip;
    cuport_status cuda;
  };
  static const Mapping kTable[] = {
      {hipErrorInvalidValue, kInvalidValue},
      {hipErrorOutOfMemory, kMemoryAllocation},
      {hipErrorNotInitialized, kInitializationError},
      {hipErrorDeinitialized, kCudartUnloading},
      {hipErrorInvalidConfiguration, kInvalidConfiguration},
      {hipErrorInvalidSymbol, 13},          // cudaErrorInvalidSymbol
      {hipErrorInvalidDevicePointer, 17},   // cudaErrorInvalidDevicePointer
      {hipErrorInvalidMemcpyDirection, kInvalidMemcpyDirection},
      {hipErrorInsufficientDriver, 35},     // cudaErrorInsufficientDriver
      {hipErrorInvalidDeviceFunction, kInvalidDeviceFunction},
      {hipErrorNoDevice, 100},              // cudaErrorNoDevice
      {hipErrorInvalidDevice, kInvalidDevice},
      {hipErrorInvalidImage, kInvalidKernelImage},
      {hipErrorInvalidContext, kInvalidResourceHandle},
      {hipErrorNoBinaryForGpu, kNoKernelImageForDevice},
      {hipErrorInvalidKernelFile, kInvalidPtx},
      {hipErrorSharedObjectSymbolNotFound, 302},  // cudaErrorSharedObjectSymbolNotFound
      {hipErrorSharedObjectInitFailed, kSharedObjectInitFailed},
      {hipErrorOperatingSystem, kOperatingSystem},
      {hipErrorInvalidHandle, kInvalidResourceHandle},
      {hipErrorNotFound, kSymbolNotFound},
      {hipErrorIllegalAddress, 700},        // cudaErrorIllegalAddress
      {hipErrorLaunchOutOfResources, kLaunchOutOfResources},
      {hipErrorLaunchTimeOut, 702},         // cudaErrorLaunchTimeout
      {hipErrorAssert, kAssert},
      {hipErrorLaunchFailure, kLaunchFailure},
      {hipErrorCooperativeLaunchTooLarge, 720},  // cudaErrorCooperativeLaunchTooLarge
      {hipErrorNotSupported, kNotSupported},
  };
  cuport_status status = kUnknown;
  for (const Mapping& m : kTable)
    if (m.hip == err) status = m.cuda;
  return fail(status, what + ": " + error_text(hip(), err));
}

cuport_status use_device(const Device& d) {
  if (t_current_device == d.ordinal) return kSuccess;
  const hipError_t err = hip().hipSetDevice(d.ordinal);
  if (err != hipSuccess) return hip_fail(err, "hipSetDevice(" + std::to_string(d.ordinal) + ")");
  t_current_device = d.ordinal;
  return kSuccess;
}

// One thread, before any other hook.  Succeeds with zero devices; the reason is then the calling thread's
// last_error_message (and device_count's).
cuport_status init() {
  HipCall call;  // also arms the exit watcher on the (usually main) initializing thread
  return g_backend.init(enumerate);
}

// Never concurrent with anything.  Modules are gone by now (libcuport unloads them first).  Streams and
// device memory are left to the HIP runtime's own teardown, which may already be under way at this point.
void shutdown() { forget_streams(); }

// Any thread.
int device_count() { return g_backend.count(); }

Device* device_at(int device) { return g_backend.at(device); }

// Any thread.
cuport_status device_props(int device, cuport_device_props* out) {
  return g_backend.props(device, out, Hip::kNoSuchDevice);
}

// Any thread.
cuport_status mem_info(int device, size_t* free_bytes, size_t* total_bytes) {
  return memory_info<Hip>(device, free_bytes, total_bytes, [&] {
    const hipError_t err = hip().hipMemGetInfo(free_bytes, total_bytes);
    return err == hipSuccess ? kSuccess : hip_fail(err, "hipMemGetInfo");
  });
}

}  // namespace cuport_hip

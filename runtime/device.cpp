// Device enumeration, selection and properties: cudaGetDeviceCount, cudaSetDevice, cudaGetDevice,
// cudaGetDeviceProperties(_v2), cudaDeviceGetAttribute, cudaChooseDevice, versions.
#include "device.h"

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

#include "backend_loader.h"
#include "error.h"

namespace cuport {
namespace {

struct Devices {
  cudaError_t error = cudaSuccess;
  std::vector<DeviceEntry> list;
  std::vector<int> per_backend;      // device count of each backends() entry
  std::vector<std::string> status;   // why a backend has no devices ("" if it has some)
};

// CUPORT_VISIBLE_DEVICES, like CUDA_VISIBLE_DEVICES: a comma-separated list of devices, each an index into
// the backends' devices in CUPORT_BACKEND order ("1,0") or "<backend>:<index>" ("opencl:0,cpu:0"); the
// CUDA device numbers follow the list.  An entry that names no device ends the list, as in CUDA.
void apply_visible_devices(std::vector<DeviceEntry>* list) {
  const char* env = std::getenv("CUPORT_VISIBLE_DEVICES");
  if (!env) return;
  std::vector<DeviceEntry> visible;
  std::string spec = env;
  size_t i = 0;
  while (i <= spec.size()) {
    size_t j = spec.find(',', i);
    if (j == std::string::npos) j = spec.size();
    std::string item = spec.substr(i, j - i);
    i = j + 1;
    if (item.empty()) break;
    std::string backend;
    size_t colon = item.find(':');
    if (colon != std::string::npos) {
      backend = item.substr(0, colon);
      item = item.substr(colon + 1);
    }
    char* end = nullptr;
    long index = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || index < 0) break;
    const DeviceEntry* found = nullptr;
    long seen = 0;
    for (const DeviceEntry& e : *list) {
      if (!backend.empty() && e.backend != backend) continue;
      if (seen++ == index) {
        found = &e;
        break;
      }
    }
    if (!found) break;
    bool repeated = false;
    for (const DeviceEntry& v : visible) repeated |= v.ops == found->ops && v.local == found->local;
    if (repeated) break;  // a device appears once
    visible.push_back(*found);
  }
  *list = std::move(visible);
}

const Devices& devices() {
  static Devices* d = nullptr;  // leaked: usable during exit
  static std::once_flag once;
  std::call_once(once, [] {
    d = new Devices;
    cudaError_t first_error = cudaErrorNoDevice;
    bool have_error = false;
    for (const LoadedBackend& b : backends()) {
      int found = 0;
      std::string status = b.status;
      if (b.ops) {
        const int n = b.ops->device_count();
        for (int i = 0; i < n; ++i) {
          DeviceEntry e;
          e.ops = b.ops;
          e.local = i;
          e.backend = b.name;
          std::memset(&e.props, 0, sizeof e.props);
          if (b.ops->device_props(i, &e.props) != cudaSuccess) break;
          e.props.name[sizeof e.props.name - 1] = '\0';
          d->list.push_back(e);
          ++found;
        }
        if (found == 0) {
          const char* why = b.ops->last_error_message();
          status = std::string("backend '") + b.name + "' reports no devices" +
                   (why && *why ? std::string(": ") + why : "");
          if (backends().size() == 1) warn_once("no-devices:" + b.name, status);
        }
      } else if (!have_error) {
        first_error = b.error;
        have_error = true;
      }
      d->per_backend.push_back(found);
      d->status.push_back(status);
    }
    apply_visible_devices(&d->list);
    if (d->list.empty()) d->error = have_error ? first_error : cudaErrorNoDevice;
  });
  return *d;
}

thread_local int t_device = 0;
thread_local unsigned t_device_flags = 0;

int attribute_value(const cuport_device_props& p, cudaDeviceAttr attr, bool* ok) {
  *ok = true;
  switch (attr) {
    case cudaDevAttrMaxThreadsPerBlock: return p.max_threads_per_block;
    case cudaDevAttrMaxBlockDimX: return p.max_threads_dim[0];
    case cudaDevAttrMaxBlockDimY: return p.max_threads_dim[1];
    case cudaDevAttrMaxBlockDimZ: return p.max_threads_dim[2];
    case cudaDevAttrMaxGridDimX: return p.max_grid_size[0];
    case cudaDevAttrMaxGridDimY: return p.max_grid_size[1];
    case cudaDevAttrMaxGridDimZ: return p.max_grid_size[2];
    case cudaDevAttrMaxSharedMemoryPerBlock: return int(p.shared_mem_per_block);
    case cudaDevAttrTotalConstantMemory: return int(p.total_const_mem);
    case cudaDevAttrWarpSize: return p.warp_size;
    case cudaDevAttrMaxPitch: return 0x7fffffff;
    case cudaDevAttrMaxRegistersPerBlock: return p.regs_per_block;
    case cudaDevAttrClockRate: return p.clock_rate_khz;
    case cudaDevAttrTextureAlignment: return 512;
    case cudaDevAttrGpuOverlap: return p.async_engine_count > 0;
    case cudaDevAttrMultiProcessorCount: return p.multiprocessor_count;
    case cudaDevAttrKernelExecTimeout: return 0;
    case cudaDevAttrIntegrated: return p.integrated;
    case cudaDevAttrCanMapHostMemory: return p.can_map_host_memory;
    case cudaDevAttrComputeMode: return cudaComputeModeDefault;
    case cudaDevAttrConcurrentKernels: return p.concurrent_kernels;
    case cudaDevAttrEccEnabled: return 0;
    case cudaDevAttrPciBusId: return 0;
    case cudaDevAttrPciDeviceId: return 0;
    case cudaDevAttrPciDomainId: return 0;
    case cudaDevAttrTccDriver: return 0;
    case cudaDevAttrMemoryClockRate: return p.memory_clock_rate_khz;
    case cudaDevAttrGlobalMemoryBusWidth: return p.memory_bus_width;
    case cudaDevAttrL2CacheSize: return p.l2_cache_size;
    case cudaDevAttrMaxThreadsPerMultiProcessor: return p.max_threads_per_multiprocessor;
    case cudaDevAttrAsyncEngineCount: return p.async_engine_count;
    case cudaDevAttrUnifiedAddressing: return p.unified_addressing;
    case cudaDevAttrTexturePitchAlignment: return 32;
    case cudaDevAttrSurfaceAlignment: return 512;
    case cudaDevAttrComputeCapabilityMajor: return p.major;
    case cudaDevAttrComputeCapabilityMinor: return p.minor;
    case cudaDevAttrStreamPrioritiesSupported: return 0;
    case cudaDevAttrGlobalL1CacheSupported: return 1;
    case cudaDevAttrLocalL1CacheSupported: return 1;
    case cudaDevAttrMaxSharedMemoryPerMultiprocessor: return int(p.shared_mem_per_block_optin);
    case cudaDevAttrMaxRegistersPerMultiprocessor: return p.regs_per_block;
    case cudaDevAttrManagedMemory: return p.managed_memory;
    case cudaDevAttrIsMultiGpuBoard: return 0;
    case cudaDevAttrMultiGpuBoardGroupID: return 0;
    case cudaDevAttrHostNativeAtomicSupported: return p.is_host_memory;
    case cudaDevAttrSingleToDoublePrecisionPerfRatio: return 2;
    case cudaDevAttrPageableMemoryAccess: return p.is_host_memory;
    case cudaDevAttrConcurrentManagedAccess: return p.is_host_memory && p.managed_memory;
    case cudaDevAttrComputePreemptionSupported: return 0;
    case cudaDevAttrCanUseHostPointerForRegisteredMem: return p.is_host_memory;
    case cudaDevAttrCooperativeLaunch: return 0;
    case cudaDevAttrCooperativeMultiDeviceLaunch: return 0;
    case cudaDevAttrMaxSharedMemoryPerBlockOptin: return int(p.shared_mem_per_block_optin);
    case cudaDevAttrCanFlushRemoteWrites: return 0;
    case cudaDevAttrHostRegisterSupported: return p.is_host_memory;
    case cudaDevAttrPageableMemoryAccessUsesHostPageTables: return p.is_host_memory;
    case cudaDevAttrDirectManagedMemAccessFromHost: return p.is_host_memory && p.managed_memory;
    case cudaDevAttrMaxBlocksPerMultiprocessor: return 32;
    case cudaDevAttrMaxPersistingL2CacheSize: return 0;
    case cudaDevAttrMaxAccessPolicyWindowSize: return 0;
    case cudaDevAttrReservedSharedMemoryPerBlock: return 0;
    case cudaDevAttrSparseCudaArraySupported: return 0;
    case cudaDevAttrHostRegisterReadOnlySupported: return 0;
    case cudaDevAttrTimelineSemaphoreInteropSupported: return 0;
    case cudaDevAttrMemoryPoolsSupported: return 0;
    case cudaDevAttrGPUDirectRDMASupported: return 0;
    case cudaDevAttrGPUDirectRDMAFlushWritesOptions: return 0;
    case cudaDevAttrGPUDirectRDMAWritesOrdering: return 0;
    case cudaDevAttrMemoryPoolSupportedHandleTypes: return 0;
    case cudaDevAttrClusterLaunch: return 0;
    case cudaDevAttrDeferredMappingCudaArraySupported: return 0;
    default:
      // Texture/surface extents and other attributes this runtime does not model.
      if (attr >= cudaDevAttrMaxTexture1DWidth && attr <= cudaDevAttrMaxTexture1DMipmappedWidth) return 0;
      *ok = false;
      return 0;
  }
}

}  // namespace

cudaError_t device_count(int* count) {
  const Devices& d = devices();
  *count = int(d.list.size());
  return d.error;
}

const DeviceEntry* device_entry(int device) {
  const Devices& d = devices();
  if (device < 0 || size_t(device) >= d.list.size()) return nullptr;
  return &d.list[size_t(device)];
}

const cuport_device_props* device_props(int device) {
  const DeviceEntry* e = device_entry(device);
  return e ? &e->props : nullptr;
}

cudaError_t current(Current* out, bool check_sticky) {
  const Devices& d = devices();
  if (d.error != cudaSuccess) return d.error;
  int dev = t_device;
  if (dev < 0 || size_t(dev) >= d.list.size()) return cudaErrorInvalidDevice;
  const DeviceEntry& e = d.list[size_t(dev)];
  out->ops = e.ops;
  out->device = dev;
  out->local = e.local;
  out->props = &e.props;
  if (check_sticky) return sticky_error(dev);
  return cudaSuccess;
}

}  // namespace cuport

using cuport::record_error;

extern "C" {

cudaError_t cudaGetDeviceCount(int* count) {
  if (!count) return record_error(cudaErrorInvalidValue);
  return record_error(cuport::device_count(count));
}

cudaError_t cudaGetDevice(int* device) {
  if (!device) return record_error(cudaErrorInvalidValue);
  int n = 0;
  cudaError_t e = cuport::device_count(&n);
  if (e != cudaSuccess) return record_error(e);
  *device = cuport::t_device;
  return cudaSuccess;
}

cudaError_t cudaSetDevice(int device) {
  int n = 0;
  cudaError_t e = cuport::device_count(&n);
  if (e != cudaSuccess) return record_error(e);
  if (device < 0 || device >= n) return record_error(cudaErrorInvalidDevice);
  cuport::t_device = device;
  return cudaSuccess;
}

cudaError_t cudaGetDeviceProperties_v2(struct cudaDeviceProp* prop, int device) {
  if (!prop) return record_error(cudaErrorInvalidValue);
  int n = 0;
  cudaError_t e = cuport::device_count(&n);
  if (e != cudaSuccess) return record_error(e);
  const cuport_device_props* p = cuport::device_props(device);
  if (!p) return record_error(cudaErrorInvalidDevice);

  std::memset(prop, 0, sizeof *prop);
  std::memcpy(prop->name, p->name, sizeof prop->name);  // both 256 bytes, NUL-terminated
  // A stable pseudo-UUID: "cuport" + device index.
  std::memcpy(prop->uuid.bytes, "cuport-device-", 14);
  prop->uuid.bytes[14] = char(device >> 8);
  prop->uuid.bytes[15] = char(device);
  prop->totalGlobalMem = size_t(p->total_global_mem);
  prop->sharedMemPerBlock = size_t(p->shared_mem_per_block);
  prop->regsPerBlock = p->regs_per_block;
  prop->warpSize = p->warp_size;
  prop->memPitch = 0x7fffffff;
  prop->maxThreadsPerBlock = p->max_threads_per_block;
  for (int i = 0; i < 3; ++i) {
    prop->maxThreadsDim[i] = p->max_threads_dim[i];
    prop->maxGridSize[i] = p->max_grid_size[i];
  }
  prop->clockRate = p->clock_rate_khz;
  prop->totalConstMem = size_t(p->total_const_mem);
  prop->major = p->major;
  prop->minor = p->minor;
  prop->textureAlignment = 512;
  prop->texturePitchAlignment = 32;
  prop->deviceOverlap = p->async_engine_count > 0;
  prop->multiProcessorCount = p->multiprocessor_count;
  prop->kernelExecTimeoutEnabled = 0;
  prop->integrated = p->integrated;
  prop->canMapHostMemory = p->can_map_host_memory;
  prop->computeMode = cudaComputeModeDefault;
  prop->surfaceAlignment = 512;
  prop->concurrentKernels = p->concurrent_kernels;
  prop->asyncEngineCount = p->async_engine_count;
  prop->unifiedAddressing = p->unified_addressing;
  prop->memoryClockRate = p->memory_clock_rate_khz;
  prop->memoryBusWidth = p->memory_bus_width;
  prop->l2CacheSize = p->l2_cache_size;
  prop->maxThreadsPerMultiProcessor = p->max_threads_per_multiprocessor;
  prop->globalL1CacheSupported = 1;
  prop->localL1CacheSupported = 1;
  prop->sharedMemPerMultiprocessor = size_t(p->shared_mem_per_block_optin);
  prop->regsPerMultiprocessor = p->regs_per_block;
  prop->managedMemory = p->managed_memory;
  prop->hostNativeAtomicSupported = p->is_host_memory;
  prop->singleToDoublePrecisionPerfRatio = 2;
  prop->pageableMemoryAccess = p->is_host_memory;
  prop->concurrentManagedAccess = p->is_host_memory && p->managed_memory;
  prop->canUseHostPointerForRegisteredMem = p->is_host_memory;
  prop->sharedMemPerBlockOptin = size_t(p->shared_mem_per_block_optin);
  prop->pageableMemoryAccessUsesHostPageTables = p->is_host_memory;
  prop->directManagedMemAccessFromHost = p->is_host_memory && p->managed_memory;
  prop->maxBlocksPerMultiProcessor = 32;
  prop->hostRegisterSupported = p->is_host_memory;
  return cudaSuccess;
}

cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp* prop, int device) {
  return cudaGetDeviceProperties_v2(prop, device);
}

cudaError_t cudaDeviceGetAttribute(int* value, enum cudaDeviceAttr attr, int device) {
  if (!value) return record_error(cudaErrorInvalidValue);
  int n = 0;
  cudaError_t e = cuport::device_count(&n);
  if (e != cudaSuccess) return record_error(e);
  const cuport_device_props* p = cuport::device_props(device);
  if (!p) return record_error(cudaErrorInvalidDevice);
  bool ok = false;
  int v = cuport::attribute_value(*p, attr, &ok);
  if (!ok) return record_error(cudaErrorInvalidValue);
  *value = v;
  return cudaSuccess;
}

cudaError_t cudaChooseDevice(int* device, const struct cudaDeviceProp* prop) {
  if (!device || !prop) return record_error(cudaErrorInvalidValue);
  int n = 0;
  cudaError_t e = cuport::device_count(&n);
  if (e != cudaSuccess) return record_error(e);
  // Prefer the first device meeting the requested compute capability, else device 0.
  *device = 0;
  for (int i = 0; i < n; ++i) {
    const cuport_device_props* p = cuport::device_props(i);
    if (p->major > prop->major || (p->major == prop->major && p->minor >= prop->minor)) {
      *device = i;
      break;
    }
  }
  return cudaSuccess;
}

cudaError_t cudaSetDeviceFlags(unsigned int flags) {
  if (flags & ~unsigned(cudaDeviceMask)) return record_error(cudaErrorInvalidValue);
  unsigned sched = flags & cudaDeviceScheduleMask;
  if (sched != cudaDeviceScheduleAuto && sched != cudaDeviceScheduleSpin && sched != cudaDeviceScheduleYield &&
      sched != cudaDeviceScheduleBlockingSync)
    return record_error(cudaErrorInvalidValue);
  int n = 0;
  cudaError_t e = cuport::device_count(&n);
  if (e != cudaSuccess) return record_error(e);
  cuport::t_device_flags = flags;
  return cudaSuccess;
}

cudaError_t cudaGetDeviceFlags(unsigned int* flags) {
  if (!flags) return record_error(cudaErrorInvalidValue);
  int n = 0;
  cudaError_t e = cuport::device_count(&n);
  if (e != cudaSuccess) return record_error(e);
  // Mapped host memory is always available: device memory is host-visible or mapped by the backend.
  *flags = cuport::t_device_flags | cudaDeviceMapHost;
  return cudaSuccess;
}

cudaError_t cudaDriverGetVersion(int* driverVersion) {
  if (!driverVersion) return record_error(cudaErrorInvalidValue);
  int n = 0;
  // CUDA reports 0 when no driver is installed; here "driver" means a usable backend.
  *driverVersion = cuport::device_count(&n) == cudaSuccess ? CUDART_VERSION : 0;
  return cudaSuccess;
}

cudaError_t cudaRuntimeGetVersion(int* runtimeVersion) {
  if (!runtimeVersion) return record_error(cudaErrorInvalidValue);
  *runtimeVersion = CUDART_VERSION;
  return cudaSuccess;
}

}  // extern "C"

// cuport extensions (include/cuport/cuport_runtime.h).
extern "C" {

int cuportGetBackendCount(void) { return int(cuport::backends().size()); }

cudaError_t cuportGetBackendInfo(int index, const char** name, int* deviceCount, const char** status) {
  const auto& all = cuport::backends();
  if (index < 0 || size_t(index) >= all.size()) return cudaErrorInvalidValue;
  const cuport::Devices& d = cuport::devices();
  if (name) *name = all[size_t(index)].name.c_str();
  if (deviceCount) *deviceCount = d.per_backend[size_t(index)];
  if (status) *status = d.status[size_t(index)].c_str();
  return cudaSuccess;
}

cudaError_t cuportDeviceGetBackend(int device, const char** name) {
  const cuport::DeviceEntry* e = cuport::device_entry(device);
  if (!e) return cudaErrorInvalidDevice;
  if (name) *name = e->backend.c_str();
  return cudaSuccess;
}

}  // extern "C"

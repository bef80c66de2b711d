// OpenCL platforms and devices: which devices the backend uses, and their CUDA-shaped properties.
//
// Every platform the ICD loader knows is searched.  Settings (read once, at init):
//   CUPORT_OPENCL_PLATFORM  a platform index, or a case-insensitive substring of the platform name
//   CUPORT_OPENCL_DEVICE    an index into the chosen platforms' devices (in platform order), a device type
//                           (cpu, gpu, accelerator), or a case-insensitive substring of the device name
//   CUPORT_OPENCL_SVM=coarse  use coarse-grained SVM buffers even where fine-grained ones exist (tests the path
//                           most discrete GPUs take, on any device)
//   CUPORT_OPENCL_SVM=none  buffer mode on every device, SVM or not (tests the path of devices without SVM)
// A device is usable when it is available, has an OpenCL C compiler and 64-bit addresses.  Unusable devices
// are skipped; when none is left the reasons are last_error_message's answer.  Each usable device gets its
// own cl_context.  A device with OpenCL 2.0 shared virtual memory (at least coarse-grained SVM buffers) runs
// in SVM mode; one without runs in buffer mode (buffers.cpp), where kernels that move device pointers
// through memory cannot run.
//
// Property choices:
//   name                   "<device name> (OpenCL, <platform name>)"
//   totalGlobalMem         CL_DEVICE_GLOBAL_MEM_SIZE; cudaMemGetInfo's free = total - what this backend holds
//   sharedMemPerBlock      min(CL_DEVICE_LOCAL_MEM_SIZE, 48 KiB); the opt-in maximum is the whole local memory
//   totalConstMem          CL_DEVICE_MAX_CONSTANT_BUFFER_SIZE
//   warpSize 32            the compiler emulates 32-lane warps
//   maxThreadsPerBlock     min(1024, CL_DEVICE_MAX_WORK_GROUP_SIZE); maxThreadsDim from CL_DEVICE_MAX_WORK_ITEM_SIZES
//                          capped at {1024, 1024, 64}; maxGridSize {2^31-1, 65535, 65535}
//   clockRate              CL_DEVICE_MAX_CLOCK_FREQUENCY; multiProcessorCount CL_DEVICE_MAX_COMPUTE_UNITS
//   l2CacheSize            CL_DEVICE_GLOBAL_MEM_CACHE_SIZE
//   compute capability     7.0, like the CPU backend (device code is compiled for sm_70)
//   integrated             CL_DEVICE_HOST_UNIFIED_MEMORY, or a CPU device
//   is_host_memory         only with CL_DEVICE_SVM_FINE_GRAIN_SYSTEM: libcuport hands such devices plain host
//                          memory (cudaMallocManaged, cudaHostRegister), which fine-grained *buffers* do not
//                          cover.  managedMemory: that or fine-grained SVM buffers; canMapHostMemory is 0.
//                          Buffer mode: is_host_memory 0, managedMemory 0 (unifiedAddressing stays 1).
//   kernel parameters      min(4096, CL_DEVICE_MAX_PARAMETER_SIZE - 64): the image adds hidden arguments
#include <CL/cl_ext.h>  // CL_PLATFORM_NOT_FOUND_KHR (cl_khr_icd)

#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "opencl_backend.h"

namespace cuport_opencl {
namespace {

struct Backend : DeviceList<Device> {
};

BackendState<Backend> g_backend;

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  const size_t e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// A string property of a platform or device (`get` is clGetPlatformInfo or clGetDeviceInfo), trimmed.
template <class Object, class Info>
std::string cl_string(cl_int (*get)(Object, Info, size_t, void*, size_t*), Object object, Info what) {
  size_t n = 0;
  if (get(object, what, 0, nullptr, &n) != CL_SUCCESS || n == 0) return "";
  std::string s(n, '\0');
  if (get(object, what, n, &s[0], nullptr) != CL_SUCCESS) return "";
  return trim(s.c_str());
}

std::string platform_string(cl_platform_id p, cl_platform_info what) { return cl_string(clGetPlatformInfo, p, what); }
std::string device_string(cl_device_id d, cl_device_info what) { return cl_string(clGetDeviceInfo, d, what); }

template <class T>
T device_value(cl_device_id d, cl_device_info what, T fallback = T()) {
  T v{};
  return clGetDeviceInfo(d, what, sizeof v, &v, nullptr) == CL_SUCCESS ? v : fallback;
}

// "OpenCL <major>.<minor> ..." -> major * 10 + minor (0 when unparsable).
int device_version(cl_device_id d) {
  int major = 0, minor = 0;
  if (std::sscanf(device_string(d, CL_DEVICE_VERSION).c_str(), "OpenCL %d.%d", &major, &minor) != 2) return 0;
  return major * 10 + minor;
}

struct Candidate {
  cl_platform_id platform;
  std::string platform_name;
  cl_device_id device;
  std::string name;
};

// Why `d` cannot run cuport images, or "".
std::string unusable_reason(cl_device_id d) {
  if (!device_value<cl_bool>(d, CL_DEVICE_AVAILABLE)) return "the device is not available";
  if (!device_value<cl_bool>(d, CL_DEVICE_COMPILER_AVAILABLE)) return "the device has no OpenCL C compiler";
  if (device_value<cl_uint>(d, CL_DEVICE_ADDRESS_BITS) != 64) return "32-bit device addresses (cuport needs 64)";
  return "";
}

// CUPORT_OPENCL_SVM, lower-cased: "", "coarse" or "none" (anything else is reported once and ignored).
std::string svm_setting() {
  const char* env = std::getenv("CUPORT_OPENCL_SVM");
  const std::string v = env ? lower(trim(env)) : std::string();
  if (v.empty() || v == "coarse" || v == "none") return v;
  warn_once("CUPORT_OPENCL_SVM=" + std::string(env) + " is not 'coarse' or 'none'; ignored");
  return "";
}

// Why `d` runs in buffer mode (no usable SVM), or "" for SVM mode.
std::string no_svm_reason(cl_device_id d, int version) {
  if (svm_setting() == "none") return "CUPORT_OPENCL_SVM=none";
  if (version < 20)
    return "OpenCL " + std::to_string(version / 10) + "." + std::to_string(version % 10) +
           " device: no shared virtual memory";
  const cl_device_svm_capabilities svm = device_value<cl_device_svm_capabilities>(d, CL_DEVICE_SVM_CAPABILITIES, 0);
  if (!(svm & CL_DEVICE_SVM_COARSE_GRAIN_BUFFER))
    return "CL_DEVICE_SVM_CAPABILITIES lacks CL_DEVICE_SVM_COARSE_GRAIN_BUFFER";
  return "";
}

void fill_props(Device& dev) {
  cuport_device_props& p = dev.props;
  std::memset(&p, 0, sizeof p);
  const cl_device_id d = dev.id;
  const std::string name = dev.name + " (OpenCL, " + dev.platform_name + ")";
  std::strncpy(p.name, name.c_str(), sizeof p.name - 1);
  p.total_global_mem = device_value<cl_ulong>(d, CL_DEVICE_GLOBAL_MEM_SIZE);
  dev.local_mem = size_t(device_value<cl_ulong>(d, CL_DEVICE_LOCAL_MEM_SIZE));
  p.shared_mem_per_block = std::min<uint64_t>(dev.local_mem, 48 * 1024);
  p.shared_mem_per_block_optin = dev.local_mem;
  p.total_const_mem = device_value<cl_ulong>(d, CL_DEVICE_MAX_CONSTANT_BUFFER_SIZE);
  p.regs_per_block = 65536;
  p.warp_size = 32;
  p.max_threads_per_block = int(std::min<size_t>(1024, device_value<size_t>(d, CL_DEVICE_MAX_WORK_GROUP_SIZE, 1)));
  size_t sizes[3] = {1, 1, 1};
  const cl_uint dims = device_value<cl_uint>(d, CL_DEVICE_MAX_WORK_ITEM_DIMENSIONS);
  if (dims >= 3) {
    std::vector<size_t> all(dims);
    if (clGetDeviceInfo(d, CL_DEVICE_MAX_WORK_ITEM_SIZES, sizeof(size_t) * dims, all.data(), nullptr) == CL_SUCCESS)
      std::copy(all.begin(), all.begin() + 3, sizes);
  }
  const size_t caps[3] = {1024, 1024, 64};
  for (int i = 0; i < 3; ++i)
    p.max_threads_dim[i] = int(std::min({sizes[i], caps[i], size_t(p.max_threads_per_block)}));
  p.max_grid_size[0] = 0x7fffffff;
  p.max_grid_size[1] = 65535;
  p.max_grid_size[2] = 65535;
  p.clock_rate_khz = int(std::min<uint64_t>(uint64_t(device_value<cl_uint>(d, CL_DEVICE_MAX_CLOCK_FREQUENCY)) * 1000,
                                            0x7fffffff));
  p.memory_clock_rate_khz = 0;
  p.memory_bus_width = 0;
  p.multiprocessor_count = int(std::max<cl_uint>(1, device_value<cl_uint>(d, CL_DEVICE_MAX_COMPUTE_UNITS)));
  p.max_threads_per_multiprocessor = std::max(2048, p.max_threads_per_block);
  p.major = 7;
  p.minor = 0;
  p.concurrent_kernels = 1;
  p.async_engine_count = 1;
  p.unified_addressing = 1;
  // Buffer mode: no SVM capability counts.
  const cl_device_svm_capabilities svm =
      dev.buffer_mode ? 0 : device_value<cl_device_svm_capabilities>(d, CL_DEVICE_SVM_CAPABILITIES, 0);
  dev.fine_grain = (svm & CL_DEVICE_SVM_FINE_GRAIN_BUFFER) != 0 && svm_setting() != "coarse";
  p.is_host_memory = (svm & CL_DEVICE_SVM_FINE_GRAIN_SYSTEM) != 0;
  // Managed memory: host memory where the device uses host memory, else fine-grained SVM (mem_alloc_shared).
  p.managed_memory = p.is_host_memory || dev.fine_grain;
  p.can_map_host_memory = 0;
  const cl_device_type type = device_value<cl_device_type>(d, CL_DEVICE_TYPE);
  p.integrated = device_value<cl_bool>(d, CL_DEVICE_HOST_UNIFIED_MEMORY) || (type & CL_DEVICE_TYPE_CPU) ? 1 : 0;
  dev.host_copies = dev.fine_grain && p.integrated;
  p.l2_cache_size = int(std::min<cl_ulong>(device_value<cl_ulong>(d, CL_DEVICE_GLOBAL_MEM_CACHE_SIZE), 0x7fffffff));
  // CUDA 12.1's limit: structs beyond 256 bytes travel in a device buffer ('b<N>' in the image), so only the
  // small by-value parameters count against the device's own limit (checked by clSetKernelArg).
  p.max_param_size = 32764;
  const cl_device_fp_config fp = device_value<cl_device_fp_config>(d, CL_DEVICE_SINGLE_FP_CONFIG);
  dev.correctly_rounded_sqrt = (fp & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0;
}

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

// Applies CUPORT_OPENCL_PLATFORM to `all`; returns the chosen platforms or sets *why.
std::vector<cl_platform_id> choose_platforms(const std::vector<cl_platform_id>& all, std::string* why) {
  const char* env = std::getenv("CUPORT_OPENCL_PLATFORM");
  if (!env || !*env) return all;
  const std::string spec = env;
  std::vector<std::string> names;
  for (cl_platform_id p : all) names.push_back(platform_string(p, CL_PLATFORM_NAME));
  std::vector<cl_platform_id> chosen;
  if (all_digits(spec)) {
    const unsigned long i = std::strtoul(spec.c_str(), nullptr, 10);
    if (i < all.size()) chosen.push_back(all[i]);
  } else {
    for (size_t i = 0; i < all.size(); ++i)
      if (lower(names[i]).find(lower(spec)) != std::string::npos) chosen.push_back(all[i]);
  }
  if (chosen.empty()) *why = "CUPORT_OPENCL_PLATFORM=" + spec + " matches none of the platforms: " + join(names, ", ");
  return chosen;
}

// Applies CUPORT_OPENCL_DEVICE to `all`; sets *why when nothing matches.
std::vector<Candidate> choose_devices(const std::vector<Candidate>& all, std::string* why) {
  const char* env = std::getenv("CUPORT_OPENCL_DEVICE");
  if (!env || !*env) return all;
  const std::string spec = lower(env);
  std::vector<Candidate> chosen;
  cl_device_type type = 0;
  if (spec == "cpu") type = CL_DEVICE_TYPE_CPU;
  else if (spec == "gpu") type = CL_DEVICE_TYPE_GPU;
  else if (spec == "accelerator") type = CL_DEVICE_TYPE_ACCELERATOR;
  if (type) {
    for (const Candidate& c : all)
      if (device_value<cl_device_type>(c.device, CL_DEVICE_TYPE) & type) chosen.push_back(c);
  } else if (all_digits(spec)) {
    const unsigned long i = std::strtoul(spec.c_str(), nullptr, 10);
    if (i < all.size()) chosen.push_back(all[i]);
  } else {
    for (const Candidate& c : all)
      if (lower(c.name).find(spec) != std::string::npos) chosen.push_back(c);
  }
  if (chosen.empty()) {
    std::vector<std::string> names;
    for (const Candidate& c : all) names.push_back(c.name + " (" + c.platform_name + ")");
    *why = std::string("CUPORT_OPENCL_DEVICE=") + env + " matches none of the devices: " +
           (names.empty() ? std::string("(none)") : join(names, ", "));
  }
  return chosen;
}

void enumerate(Backend& b) {
  cl_uint count = 0;
  cl_int err = clGetPlatformIDs(0, nullptr, &count);
  if (err == CL_PLATFORM_NOT_FOUND_KHR || (err == CL_SUCCESS && count == 0)) {
    const char* vendors = std::getenv("OCL_ICD_VENDORS");
    b.why_none = std::string("no OpenCL platform (the OpenCL ICD loader found no ICD in ") +
                 (vendors && *vendors ? vendors : "/etc/OpenCL/vendors") + ")";
    return;
  }
  if (err != CL_SUCCESS) {
    b.why_none = std::string("clGetPlatformIDs failed: ") + cl_error_name(err);
    return;
  }
  std::vector<cl_platform_id> platforms(count);
  if ((err = clGetPlatformIDs(count, platforms.data(), nullptr)) != CL_SUCCESS) {
    b.why_none = std::string("clGetPlatformIDs failed: ") + cl_error_name(err);
    return;
  }
  platforms = choose_platforms(platforms, &b.why_none);
  if (platforms.empty()) return;

  std::vector<Candidate> candidates;
  for (cl_platform_id p : platforms) {
    cl_uint n = 0;
    if (clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, nullptr, &n) != CL_SUCCESS || n == 0) continue;
    std::vector<cl_device_id> ids(n);
    if (clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, n, ids.data(), nullptr) != CL_SUCCESS) continue;
    for (cl_device_id d : ids) candidates.push_back({p, platform_string(p, CL_PLATFORM_NAME), d, device_string(d, CL_DEVICE_NAME)});
  }
  if (candidates.empty()) {
    std::vector<std::string> names;
    for (cl_platform_id p : platforms) names.push_back(platform_string(p, CL_PLATFORM_NAME));
    b.why_none = "the OpenCL platforms have no devices (" + join(names, ", ") + ")";
    return;
  }
  candidates = choose_devices(candidates, &b.why_none);
  if (candidates.empty()) return;

  std::vector<std::string> skipped;
  for (const Candidate& c : candidates) {
    std::string why = unusable_reason(c.device);
    cl_context ctx = nullptr;
    if (why.empty()) {
      const cl_context_properties props[] = {CL_CONTEXT_PLATFORM, cl_context_properties(c.platform), 0};
      ctx = clCreateContext(props, 1, &c.device, nullptr, nullptr, &err);
      if (!ctx) why = std::string("clCreateContext failed: ") + cl_error_name(err);
    }
    if (!why.empty()) {
      skipped.push_back(c.name + " (" + c.platform_name + "): " + why);
      continue;
    }
    auto dev = std::make_unique<Device>();
    dev->platform = c.platform;
    dev->id = c.device;
    dev->context = ctx;
    dev->index = int(b.devices.size());
    dev->version = device_version(c.device);
    dev->name = c.name;
    dev->platform_name = c.platform_name;
    dev->no_svm_why = no_svm_reason(c.device, dev->version);
    dev->buffer_mode = !dev->no_svm_why.empty();
    fill_props(*dev);
    if (!dev->buffer_mode) probe_svm_alignment(*dev);
    b.devices.push_back(std::move(dev));
  }
  if (b.devices.empty()) b.why_none = "no usable OpenCL device: " + join(skipped, "; ");
}


}  // namespace

cuport_status exiting_error() {
  const std::string message = "the process is exiting: work that reached the OpenCL backend after exit() began "
                              "was not run (OpenCL implementations cannot be used during exit)";
  warn_once(message);
  return fail(kCudartUnloading, message);
}

const char* cl_error_name(cl_int err) {
  switch (err) {
#define N(x) \
  case x:    \
    return #x;
    N(CL_SUCCESS) N(CL_DEVICE_NOT_FOUND) N(CL_DEVICE_NOT_AVAILABLE) N(CL_COMPILER_NOT_AVAILABLE)
    N(CL_MEM_OBJECT_ALLOCATION_FAILURE) N(CL_OUT_OF_RESOURCES) N(CL_OUT_OF_HOST_MEMORY)
    N(CL_PROFILING_INFO_NOT_AVAILABLE) N(CL_MEM_COPY_OVERLAP) N(CL_BUILD_PROGRAM_FAILURE) N(CL_MAP_FAILURE)
    N(CL_MISALIGNED_SUB_BUFFER_OFFSET) N(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST)
    N(CL_COMPILE_PROGRAM_FAILURE) N(CL_LINKER_NOT_AVAILABLE) N(CL_LINK_PROGRAM_FAILURE)
    N(CL_INVALID_VALUE) N(CL_INVALID_DEVICE_TYPE) N(CL_INVALID_PLATFORM) N(CL_INVALID_DEVICE)
    N(CL_INVALID_CONTEXT) N(CL_INVALID_QUEUE_PROPERTIES) N(CL_INVALID_COMMAND_QUEUE) N(CL_INVALID_HOST_PTR)
    N(CL_INVALID_MEM_OBJECT) N(CL_INVALID_BINARY) N(CL_INVALID_BUILD_OPTIONS) N(CL_INVALID_PROGRAM)
    N(CL_INVALID_PROGRAM_EXECUTABLE) N(CL_INVALID_KERNEL_NAME) N(CL_INVALID_KERNEL_DEFINITION)
    N(CL_INVALID_KERNEL) N(CL_INVALID_ARG_INDEX) N(CL_INVALID_ARG_VALUE) N(CL_INVALID_ARG_SIZE)
    N(CL_INVALID_KERNEL_ARGS) N(CL_INVALID_WORK_DIMENSION) N(CL_INVALID_WORK_GROUP_SIZE)
    N(CL_INVALID_WORK_ITEM_SIZE) N(CL_INVALID_GLOBAL_OFFSET) N(CL_INVALID_EVENT_WAIT_LIST) N(CL_INVALID_EVENT)
    N(CL_INVALID_OPERATION) N(CL_INVALID_BUFFER_SIZE) N(CL_INVALID_GLOBAL_WORK_SIZE) N(CL_INVALID_PROPERTY)
    N(CL_INVALID_COMPILER_OPTIONS) N(CL_INVALID_LINKER_OPTIONS) N(CL_INVALID_DEVICE_QUEUE)
    N(CL_INVALID_SPEC_ID) N(CL_MAX_SIZE_RESTRICTION_EXCEEDED) N(CL_PLATFORM_NOT_FOUND_KHR)
#undef N
    default:
      return "unknown OpenCL error";
  }
}

cuport_status cl_fail(cl_int err, const std::string& what) {
  cuport_status status = kUnknown;
  switch (err) {
    case CL_OUT_OF_HOST_MEMORY:
    case CL_MEM_OBJECT_ALLOCATION_FAILURE:
      status = kMemoryAllocation;
      break;
    case CL_OUT_OF_RESOURCES:
      status = kLaunchOutOfResources;
      break;
    case CL_INVALID_WORK_GROUP_SIZE:
    case CL_INVALID_WORK_ITEM_SIZE:
    case CL_INVALID_GLOBAL_WORK_SIZE:
    case CL_INVALID_WORK_DIMENSION:
      status = kInvalidConfiguration;
      break;
    case CL_INVALID_VALUE:
    case CL_INVALID_ARG_VALUE:
    case CL_INVALID_ARG_SIZE:
    case CL_INVALID_ARG_INDEX:
    case CL_INVALID_KERNEL_ARGS:
    case CL_MEM_COPY_OVERLAP:
      status = kInvalidValue;
      break;
    case CL_COMPILER_NOT_AVAILABLE:
    case CL_BUILD_PROGRAM_FAILURE:
    case CL_INVALID_BUILD_OPTIONS:
      status = kInvalidPtx;
      break;
    case CL_INVALID_KERNEL_NAME:
    case CL_INVALID_KERNEL_DEFINITION:
      status = kInvalidDeviceFunction;
      break;
    case CL_DEVICE_NOT_AVAILABLE:
      status = 46;  // cudaErrorDevicesUnavailable
      break;
    default:
      break;
  }
  return fail(status, what + ": " + cl_error_name(err) + " (" + std::to_string(err) + ")");
}

void warn_once(const std::string& message) { cuport_glue::warn_once("opencl", message); }

// One thread, before any other hook.  Succeeds with zero devices; device_count then leaves the reason in
// the calling thread's last_error_message.
cuport_status init() {
  ExitGuard guard;  // also arms the exit watcher on the (usually main) initializing thread
  return g_backend.init(enumerate);
}

// Never concurrent with anything.  Modules are gone by now (libcuport unloads them first); queues and
// contexts are released, unless the exit gate has closed.  Devices stay allocated: a late hook call still finds valid (if idle) objects.
void shutdown() {
  if (!g_backend.get() || exiting()) return;  // after exit began, OpenCL objects are left to the process's end
  release_queues();
  for (auto& d : g_backend.get()->devices) {
    if (d->context) clReleaseContext(d->context);
    d->context = nullptr;
  }
}

// Any thread.
int device_count() { return g_backend.count(); }

Device* device_at(int device) { return g_backend.at(device); }

// Any thread.
cuport_status device_props(int device, cuport_device_props* out) {
  return g_backend.props(device, out, "no such OpenCL device");
}

// Any thread.  OpenCL cannot say how much memory is free: total minus what this backend holds.
cuport_status mem_info(int device, size_t* free_bytes, size_t* total_bytes) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, "no such OpenCL device");
  if (!free_bytes || !total_bytes) return fail(kInvalidValue, "null output");
  std::lock_guard<std::mutex> lock(d->alloc_mu);
  *total_bytes = size_t(d->props.total_global_mem);
  *free_bytes = d->allocated_bytes < d->props.total_global_mem ? size_t(d->props.total_global_mem - d->allocated_bytes) : 0;
  return kSuccess;
}

}  // namespace cuport_opencl

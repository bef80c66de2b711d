// Kernel launches: the <<<>>> call-configuration stack (__cudaPushCallConfiguration /
// __cudaPopCallConfiguration), cudaLaunchKernel, the pre-9.2 ABI (cudaConfigureCall, cudaSetupArgument,
// cudaLaunch), and per-kernel attributes (cudaFuncGetAttributes, cudaFuncSetAttribute, cache configs).
//
// A launch is validated synchronously (configuration errors are returned at once, as CUDA does), then its
// arguments are copied by the manifest's parameter layout and the launch goes into the stream's queue: the
// caller's `args` pointers die when cudaLaunchKernel returns.
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "error.h"
#include "log.h"
#include "launch_config.h"
#include "memory.h"
#include "registry.h"
#include "stream.h"

namespace cuport {
namespace {

struct CallConfig {
  dim3 grid;
  dim3 block;
  size_t shared;
  cudaStream_t stream;
};

// Per host thread: Clang's stubs push in the caller and pop in the stub, so nesting (a launch inside an
// argument expression) forms a stack.
thread_local std::vector<CallConfig> t_configs;

// Pre-9.2 ABI: argument bytes collected by cudaSetupArgument until cudaLaunch.
struct LegacyArgs {
  std::vector<max_align_t> storage;   // max-aligned backing bytes
  std::vector<size_t> offsets;
  size_t used = 0;
};
thread_local LegacyArgs t_legacy;

// The kernel's arguments, copied at enqueue time into one buffer laid out as the manifest describes.
struct ArgPack {
  void* bytes = nullptr;
  std::vector<void*> ptrs;   // ptrs[i] = &parameter i inside `bytes`
  ~ArgPack() { std::free(bytes); }
};

cudaError_t pack_args(const KernelMeta& meta, void** args, std::shared_ptr<ArgPack>* out) {
  auto pack = std::make_shared<ArgPack>();
  size_t total = 0, align = alignof(max_align_t);
  for (const cuport_param_info& pi : meta.params) {
    if (size_t(pi.offset) + pi.size > total) total = size_t(pi.offset) + pi.size;
    if (pi.align > align) align = pi.align;
  }
  if (align & (align - 1)) return cudaErrorInvalidValue;
  if (::posix_memalign(&pack->bytes, align < sizeof(void*) ? sizeof(void*) : align, total ? total : 1) != 0)
    return cudaErrorMemoryAllocation;
  pack->ptrs.resize(meta.params.size());
  for (size_t i = 0; i < meta.params.size(); ++i) {
    const cuport_param_info& pi = meta.params[i];
    char* slot = static_cast<char*>(pack->bytes) + pi.offset;
    if (pi.size) {
      if (!args[i]) return cudaErrorInvalidValue;
      std::memcpy(slot, args[i], pi.size);
    }
    pack->ptrs[i] = slot;
  }
  *out = std::move(pack);
  return cudaSuccess;
}

cudaError_t launch(const void* func, dim3 grid, dim3 block, void** args, size_t shared, cudaStream_t stream,
                   std::string* name = nullptr) {
  Current cur;
  StreamRef s;
  cudaError_t e = current_stream(stream, &cur, &s);
  if (e != cudaSuccess) return e;
  if (stream_device(s) != cur.device) return cudaErrorInvalidResourceHandle;
  if (!func || !kernel_registered(func)) return cudaErrorInvalidDeviceFunction;
  const LaunchShape shape{{grid.x, grid.y, grid.z}, {block.x, block.y, block.z}};
  if (int v = validate_shape(*cur.props, shape)) return static_cast<cudaError_t>(v);
  ResolvedKernel k;
  e = resolve_kernel(func, cur, &k);
  if (e != cudaSuccess) return e;
  if (name) *name = k.name;
  if (int v = validate_shared(*cur.props, k.static_shared, shared, k.max_dynamic_shared))
    return static_cast<cudaError_t>(v);
  cuport_launch l;
  std::memset(&l, 0, sizeof l);
  for (int i = 0; i < 3; ++i) {
    l.grid[i] = shape.grid[i];
    l.block[i] = shape.block[i];
  }
  l.dynamic_shared = shared;
  l.args = args;
  std::shared_ptr<ArgPack> pack;
  if (k.meta) {
    l.params = k.meta->params.data();
    l.param_count = uint32_t(k.meta->params.size());
    if (l.param_count > 0 && !args) return cudaErrorInvalidValue;
    size_t total = 0;
    for (const cuport_param_info& pi : k.meta->params) total = pi.offset + pi.size > total ? pi.offset + pi.size : total;
    if (cur.props->max_param_size > 0 && total > cur.props->max_param_size) return cudaErrorInvalidValue;
    e = pack_args(*k.meta, args, &pack);
    if (e != cudaSuccess) return e;
    l.args = pack->ptrs.empty() ? nullptr : pack->ptrs.data();
  }
  const cuport_backend_ops* ops = cur.ops;
  const int local = cur.local, device = cur.device;
  cuport_kernel* kernel = k.kernel;
  std::string kname = log_on(kLogExec) ? k.name : std::string();
  StreamWork work = [ops, local, device, kernel, l, pack, kname] {
    if (sticky_error(device) != cudaSuccess) return;  // the context is dead: later work does not run
    if (log_on(kLogExec)) log_line("exec: kernel %s starts on device %d", kname.c_str(), device);
    const cuport_status st = ops->launch(local, kernel, &l);
    if (log_on(kLogExec))
      log_line("exec: kernel %s finished -> %s", kname.c_str(), cudaGetErrorName(static_cast<cudaError_t>(st)));
    if (st != cudaSuccess) note_async_error(device, static_cast<cudaError_t>(st));
  };
  if (pack) return stream_enqueue_op(s, cudaGraphNodeTypeKernel, std::move(work));
  // Without a parameter layout the arguments cannot be copied: run the launch in stream order but wait for
  // it while the caller's pointers are alive.
  return stream_run_and_wait(s, std::move(work));
}

// launch() with a CUPORT_LOG=launch trace naming the kernel.
cudaError_t launch_traced(const char* api, const void* func, dim3 grid, dim3 block, void** args, size_t shared,
                          cudaStream_t stream) {
  if (!log_on(kLogLaunch)) return record_error(launch(func, grid, block, args, shared, stream));
  std::string name;
  const cudaError_t r = record_error(launch(func, grid, block, args, shared, stream, &name));
  log_call(api, r, "func=%p <%s>, grid=(%u, %u, %u), block=(%u, %u, %u), sharedMem=%zu, stream=%p", func,
           name.empty() ? "?" : name.c_str(), grid.x, grid.y, grid.z, block.x, block.y, block.z, shared,
           (void*)stream);
  return r;
}

cudaError_t func_get_attributes(cudaFuncAttributes* attr, const void* func) {
  if (!attr) return cudaErrorInvalidValue;
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  if (!func) return cudaErrorInvalidDeviceFunction;
  ResolvedKernel k;
  e = resolve_kernel(func, cur, &k);
  if (e != cudaSuccess) return e;
  std::memset(attr, 0, sizeof *attr);
  attr->sharedSizeBytes = k.static_shared;
  attr->maxThreadsPerBlock = cur.props->max_threads_per_block;
  attr->ptxVersion = attr->binaryVersion = cur.props->major * 10 + cur.props->minor;
  attr->maxDynamicSharedSizeBytes =
      k.max_dynamic_shared >= 0 ? k.max_dynamic_shared
                                : int(default_dynamic_shared_limit(*cur.props, k.static_shared));
  attr->preferredShmemCarveout = -1;
  return cudaSuccess;
}

cudaError_t func_set_attribute(const void* func, cudaFuncAttribute attr, int value) {
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  if (!func) return cudaErrorInvalidDeviceFunction;
  ResolvedKernel k;
  e = resolve_kernel(func, cur, &k);
  if (e != cudaSuccess) return e;
  switch (attr) {
    case cudaFuncAttributeMaxDynamicSharedMemorySize: {
      const size_t optin = size_t(cur.props->shared_mem_per_block_optin);
      if (value < 0 || k.static_shared > optin || size_t(value) > optin - k.static_shared)
        return cudaErrorInvalidValue;
      return set_kernel_max_dynamic_shared(func, value);
    }
    case cudaFuncAttributePreferredSharedMemoryCarveout:
      return value >= -1 && value <= 100 ? cudaSuccess : cudaErrorInvalidValue;
    default:
      return cudaErrorInvalidValue;
  }
}

cudaError_t known_kernel(const void* func) {
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  return func && kernel_registered(func) ? cudaSuccess : cudaErrorInvalidDeviceFunction;
}

}  // namespace
}  // namespace cuport

using cuport::record_error;

extern "C" {

unsigned __cudaPushCallConfiguration(dim3 gridDim, dim3 blockDim, size_t sharedMem, cudaStream_t stream) {
  cuport::t_configs.push_back(cuport::CallConfig{gridDim, blockDim, sharedMem, stream});
  return 0;
}

cudaError_t __cudaPopCallConfiguration(dim3* gridDim, dim3* blockDim, size_t* sharedMem, void* stream) {
  if (cuport::t_configs.empty()) return record_error(cudaErrorMissingConfiguration);
  const cuport::CallConfig c = cuport::t_configs.back();
  cuport::t_configs.pop_back();
  if (gridDim) *gridDim = c.grid;
  if (blockDim) *blockDim = c.block;
  if (sharedMem) *sharedMem = c.shared;
  if (stream) *static_cast<cudaStream_t*>(stream) = c.stream;
  return cudaSuccess;
}

cudaError_t cudaLaunchKernel(const void* func, dim3 gridDim, dim3 blockDim, void** args, size_t sharedMem,
                             cudaStream_t stream) {
  return cuport::launch_traced("cudaLaunchKernel", func, gridDim, blockDim, args, sharedMem, stream);
}

cudaError_t cudaConfigureCall(dim3 gridDim, dim3 blockDim, size_t sharedMem, cudaStream_t stream) {
  cuport::t_configs.push_back(cuport::CallConfig{gridDim, blockDim, sharedMem, stream});
  cuport::t_legacy.offsets.clear();
  cuport::t_legacy.used = 0;
  return cudaSuccess;
}

cudaError_t cudaSetupArgument(const void* arg, size_t size, size_t offset) {
  cuport::LegacyArgs& a = cuport::t_legacy;
  if (!arg || offset > (size_t(1) << 20) || size > (size_t(1) << 20)) return record_error(cudaErrorInvalidValue);
  const size_t end = offset + size;
  const size_t words = (end + sizeof(max_align_t) - 1) / sizeof(max_align_t);
  if (a.storage.size() < words) a.storage.resize(words);
  std::memcpy(reinterpret_cast<char*>(a.storage.data()) + offset, arg, size);
  a.offsets.push_back(offset);
  if (end > a.used) a.used = end;
  return cudaSuccess;
}

cudaError_t cudaLaunch(const void* func) {
  if (cuport::t_configs.empty()) return record_error(cudaErrorMissingConfiguration);
  const cuport::CallConfig c = cuport::t_configs.back();
  cuport::t_configs.pop_back();
  cuport::LegacyArgs& a = cuport::t_legacy;
  std::vector<void*> args;
  for (size_t off : a.offsets) args.push_back(reinterpret_cast<char*>(a.storage.data()) + off);
  cudaError_t e = cuport::launch_traced("cudaLaunch", func, c.grid, c.block, args.empty() ? nullptr : args.data(),
                                        c.shared, c.stream);
  a.offsets.clear();
  a.used = 0;
  return e;
}

cudaError_t cudaFuncGetAttributes(struct cudaFuncAttributes* attr, const void* func) {
  return record_error(cuport::func_get_attributes(attr, func));
}

cudaError_t cudaFuncSetAttribute(const void* func, enum cudaFuncAttribute attr, int value) {
  return record_error(cuport::func_set_attribute(func, attr, value));
}

cudaError_t cudaFuncSetCacheConfig(const void* func, enum cudaFuncCache cacheConfig) {
  if (cacheConfig < cudaFuncCachePreferNone || cacheConfig > cudaFuncCachePreferEqual)
    return record_error(cudaErrorInvalidValue);
  return record_error(cuport::known_kernel(func));  // a preference; nothing to configure
}

cudaError_t cudaFuncSetSharedMemConfig(const void* func, enum cudaSharedMemConfig config) {
  if (config < cudaSharedMemBankSizeDefault || config > cudaSharedMemBankSizeEightByte)
    return record_error(cudaErrorInvalidValue);
  return record_error(cuport::known_kernel(func));
}

}  // extern "C"

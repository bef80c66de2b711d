// Kernel launches on an Nvidia GPU: cuLaunchKernel with CUDA's grid, block and dynamic shared memory on the
// calling thread's stream (memory.cpp), then a wait on that stream alone, so launches of different CUDA
// streams run side by side and none waits for another.  The PTX keeps CUDA's parameter lists, so the
// runtime's argument array is the driver's kernelParams as it is.  A fault in the kernel (an illegal address,
// a failed device assert, a trap) comes back from the wait as 700/710/719, which the runtime makes sticky
// like CUDA's.
//
// A launch that needs more than the default 48 KiB of shared memory (the runtime has checked it against the
// device's opt-in maximum and the program's cudaFuncSetAttribute) first raises the kernel's
// CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES.  The limit is only ever raised, so a concurrent launch of
// the same kernel with less shared memory stays valid.
#include <climits>

#include "cuda_backend.h"

namespace cuport_cuda {

using namespace cuport_glue;  // fail, the Status codes, pretty_name, stream_launch

namespace {

// Raises the kernel's dynamic shared memory limit to at least `bytes`.  The context is current.
cuport_status allow_dynamic_shared(cuport_kernel& k, size_t bytes) {
  if (bytes <= k.dynamic_shared_limit.load()) return kSuccess;
  std::lock_guard<std::mutex> lock(k.mu);
  if (bytes <= k.dynamic_shared_limit.load()) return kSuccess;
  if (!driver().cuFuncSetAttribute)
    return fail(kInvalidConfiguration, "kernel " + pretty_name(k.name) + " needs " + std::to_string(bytes) +
                                           " bytes of dynamic shared memory, and this driver lacks cuFuncSetAttribute");
  const CUresult err =
      driver().cuFuncSetAttribute(k.function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, int(bytes));
  if (err != CUDA_SUCCESS)
    return cuda_fail(err, "cuFuncSetAttribute(CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, " +
                              std::to_string(bytes) + ") for " + pretty_name(k.name));
  k.dynamic_shared_limit.store(bytes);
  return kSuccess;
}

}  // namespace

// Any thread, concurrently with other launches and copies.  The runtime has validated the configuration;
// `launch->args` and what it points to are read only during the call (the driver copies the arguments when
// the launch is enqueued).
cuport_status launch(int device, cuport_kernel* kernel, const cuport_launch* launch) {
  const auto enqueue = [&](CUstream stream, const LaunchDims& dims) {
    const cuport_status st = allow_dynamic_shared(*kernel, launch->dynamic_shared);
    if (st != kSuccess) return st;
    const CUresult err =
        driver().cuLaunchKernel(kernel->function, dims.grid[0], dims.grid[1], dims.grid[2], dims.block[0],
                                dims.block[1], dims.block[2], unsigned(launch->dynamic_shared), stream, launch->args,
                                nullptr);
    return err == CUDA_SUCCESS ? kSuccess : cuda_fail(err, "cuLaunchKernel(" + pretty_name(kernel->name) + ")");
  };
  return stream_launch<Cuda>(device, kernel, launch, INT_MAX, enqueue);
}

// Any thread.  Launches and copies are complete when their hooks return; this waits for anything else the
// device's context still runs, and reports a fault the driver holds for it.
cuport_status synchronize(int device) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, Cuda::kNoSuchDevice);
  if (!d->context.load()) return kSuccess;  // nothing has run on the device yet
  CudaDeviceCall call(*d);
  if (!call) return call.status();
  const CUresult err = driver().cuCtxSynchronize();
  return err == CUDA_SUCCESS ? kSuccess : cuda_fail(err, "cuCtxSynchronize");
}

}  // namespace cuport_cuda

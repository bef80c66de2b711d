// Kernel launches on a HIP device: hipModuleLaunchKernel with CUDA's grid, block and dynamic shared memory
// on the calling thread's stream (memory.cpp), then a wait on that stream alone, so launches of different
// CUDA streams run side by side and none waits for another.  The code object's kernels keep CUDA's parameter
// lists, so the runtime's argument array is HIP's kernelParams as it is.  A fault in the kernel (an illegal
// address, a failed device assert, a trap) comes back from the wait as 700/710/719, which the runtime makes
// sticky like CUDA's.
#include <climits>

#include "hip_backend.h"

namespace cuport_hip {

using namespace cuport_glue;  // fail, the Status codes, pretty_name, stream_launch

// Any thread, concurrently with other launches and copies.  The runtime has validated the configuration;
// `launch->args` and what it points to are read only during the call (HIP copies the arguments when the
// launch is enqueued).
cuport_status launch(int device, cuport_kernel* kernel, const cuport_launch* launch) {
  const auto enqueue = [&](hipStream_t stream, const LaunchDims& dims) {
    const hipError_t err =
        hip().hipModuleLaunchKernel(kernel->function, dims.grid[0], dims.grid[1], dims.grid[2], dims.block[0],
                                    dims.block[1], dims.block[2], unsigned(launch->dynamic_shared), stream,
                                    launch->args, nullptr);
    return err == hipSuccess ? kSuccess : hip_fail(err, "hipModuleLaunchKernel(" + pretty_name(kernel->name) + ")");
  };
  return stream_launch<Hip>(device, kernel, launch, UINT_MAX, enqueue);
}

// Any thread.  Launches and copies are complete when their hooks return; this waits for anything else the
// device still runs, and reports a fault HIP holds for it.
cuport_status synchronize(int device) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, Hip::kNoSuchDevice);
  HipDeviceCall call(*d);
  if (!call) return call.status();
  const hipError_t err = hip().hipDeviceSynchronize();
  return err == hipSuccess ? kSuccess : hip_fail(err, "hipDeviceSynchronize");
}

}  // namespace cuport_hip

// Kernel launches on a HIP device: hipModuleLaunchKernel with CUDA's grid, block and dynamic shared memory
// on the calling thread's stream (memory.cpp), then a wait on that stream alone, so launches of different
// CUDA streams run side by side and none waits for another.  The code object's kernels keep CUDA's parameter
// lists, so the runtime's argument array is HIP's kernelParams as it is.  A fault in the kernel (an illegal
// address, a failed device assert, a trap) comes back from the wait as 700/710/719, which the runtime makes
// sticky like CUDA's.
#include <climits>

#include "hip_backend.h"

namespace cuport_hip {

using namespace cuport_glue;  // fail, the Status codes

// Any thread, concurrently with other launches and copies.  The runtime has validated the configuration;
// `launch->args` and what it points to are read only during the call (HIP copies the arguments when the
// launch is enqueued).
cuport_status launch(int device, cuport_kernel* kernel, const cuport_launch* launch) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, "no such HIP device");
  if (!kernel || !launch) return fail(kInvalidValue, "null argument");
  if (kernel->module->device != d) return fail(kInvalidResourceHandle, "the kernel belongs to another device");
  if (launch->param_count && !launch->args) return fail(kInvalidValue, "null kernel arguments");
  if (launch->dynamic_shared > UINT_MAX)
    return fail(kInvalidValue, "dynamic shared memory of " + std::to_string(launch->dynamic_shared) + " bytes");
  HipCall call;
  if (!call) return exiting_error();
  cuport_status st = kSuccess;
  hipStream_t stream = thread_stream(*d, &st);
  if (!stream) return st;
  unsigned grid[3], block[3];
  for (int i = 0; i < 3; ++i) {
    grid[i] = launch->grid[i] ? launch->grid[i] : 1;
    block[i] = launch->block[i] ? launch->block[i] : 1;
  }
  const hipError_t err = hip().hipModuleLaunchKernel(kernel->function, grid[0], grid[1], grid[2], block[0], block[1],
                                                     block[2], unsigned(launch->dynamic_shared), stream,
                                                     launch->args, nullptr);
  if (err != hipSuccess) return hip_fail(err, "hipModuleLaunchKernel(" + pretty_name(kernel->name) + ")");
  return wait_stream(stream, "kernel " + pretty_name(kernel->name));
}

// Any thread.  Launches and copies are complete when their hooks return; this waits for anything else the
// device still runs, and reports a fault HIP holds for it.
cuport_status synchronize(int device) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, "no such HIP device");
  HipCall call;
  if (!call) return exiting_error();
  const cuport_status st = use_device(*d);
  if (st != kSuccess) return st;
  const hipError_t err = hip().hipDeviceSynchronize();
  return err == hipSuccess ? kSuccess : hip_fail(err, "hipDeviceSynchronize");
}

}  // namespace cuport_hip

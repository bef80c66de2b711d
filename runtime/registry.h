// Internal: what compiler-generated code registers (fat binaries, kernels by host stub, variables by host
// shadow address) and the lazily loaded per-device modules behind them.  Thread-safe.
#ifndef CUPORT_RUNTIME_REGISTRY_H
#define CUPORT_RUNTIME_REGISTRY_H

#include <cstddef>
#include <string>

#include <cuport/backend.h>

#include "api.h"
#include "device.h"
#include "fatbin.h"

namespace cuport {

struct ResolvedKernel {
  cuport_kernel* kernel = nullptr;
  const KernelMeta* meta = nullptr;   // null when the manifest does not describe the kernel
  size_t static_shared = 0;
  int max_dynamic_shared = -1;        // cudaFuncAttributeMaxDynamicSharedMemorySize, -1 when never set
  std::string name;
};

// Is `stub` a registered kernel?  Does not load anything.
bool kernel_registered(const void* stub);

// Resolves a kernel for the current device, loading its module on first use.  cudaErrorInvalidDeviceFunction
// for an unknown stub; cudaErrorInvalidKernelImage / cudaErrorNoKernelImageForDevice for unusable images.
cudaError_t resolve_kernel(const void* stub, const Current& cur, ResolvedKernel* out);

// Records cudaFuncAttributeMaxDynamicSharedMemorySize for a kernel (all devices).
cudaError_t set_kernel_max_dynamic_shared(const void* stub, int bytes);

// Device address and size of a registered variable on the current device (loads its module).
// cudaErrorInvalidSymbol for an unknown host shadow.
cudaError_t resolve_symbol(const void* host_var, const Current& cur, void** dptr, size_t* size);

// Unloads every module of `device` (cudaDeviceReset); they reload lazily.  The device must be idle.
void unload_device_modules(const cuport_backend_ops* ops, int device);

}  // namespace cuport

#endif

// Internal: validation of a launch configuration against a device's limits (pure; unit-tested directly).
#ifndef CUPORT_RUNTIME_LAUNCH_CONFIG_H
#define CUPORT_RUNTIME_LAUNCH_CONFIG_H

#include <cstddef>
#include <cstdint>

#include <cuport/backend.h>

namespace cuport {

struct LaunchShape {
  uint32_t grid[3];
  uint32_t block[3];
};

// Dimensions: every grid and block extent >= 1, block extents within max_threads_dim, their product within
// max_threads_per_block, grid extents within max_grid_size.  Returns 0 when valid, else a cudaError_t value
// (cudaErrorInvalidConfiguration).
int validate_shape(const cuport_device_props& p, const LaunchShape& s);

// Shared memory: dynamic <= the kernel's dynamic limit (max_dynamic_shared when the program raised it with
// cudaFuncSetAttribute, else shared_mem_per_block - static) and static + dynamic <= the opt-in maximum.
int validate_shared(const cuport_device_props& p, size_t static_shared, size_t dynamic_shared,
                    int max_dynamic_shared);

// Default dynamic shared-memory limit of a kernel that has not raised it.
size_t default_dynamic_shared_limit(const cuport_device_props& p, size_t static_shared);

}  // namespace cuport

#endif

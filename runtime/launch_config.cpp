#include "launch_config.h"

namespace cuport {
namespace {
constexpr int kInvalidConfiguration = 9;  // cudaErrorInvalidConfiguration
}

int validate_shape(const cuport_device_props& p, const LaunchShape& s) {
  uint64_t threads = 1;
  for (int i = 0; i < 3; ++i) {
    if (s.block[i] == 0 || s.grid[i] == 0) return kInvalidConfiguration;
    if (p.max_threads_dim[i] > 0 && s.block[i] > uint32_t(p.max_threads_dim[i])) return kInvalidConfiguration;
    if (p.max_grid_size[i] > 0 && s.grid[i] > uint32_t(p.max_grid_size[i])) return kInvalidConfiguration;
    threads *= s.block[i];
  }
  if (p.max_threads_per_block > 0 && threads > uint64_t(p.max_threads_per_block)) return kInvalidConfiguration;
  return 0;
}

size_t default_dynamic_shared_limit(const cuport_device_props& p, size_t static_shared) {
  return p.shared_mem_per_block > static_shared ? size_t(p.shared_mem_per_block - static_shared) : 0;
}

int validate_shared(const cuport_device_props& p, size_t static_shared, size_t dynamic_shared,
                    int max_dynamic_shared) {
  const size_t optin = size_t(p.shared_mem_per_block_optin > p.shared_mem_per_block ? p.shared_mem_per_block_optin
                                                                                      : p.shared_mem_per_block);
  const size_t dyn_limit =
      max_dynamic_shared >= 0 ? size_t(max_dynamic_shared) : default_dynamic_shared_limit(p, static_shared);
  if (dynamic_shared > dyn_limit) return kInvalidConfiguration;
  if (static_shared > optin || dynamic_shared > optin - static_shared) return kInvalidConfiguration;
  return 0;
}

}  // namespace cuport

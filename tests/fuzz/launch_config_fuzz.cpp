// libFuzzer target: the runtime's launch-configuration validation (runtime/launch_config.cpp), with device
// properties and a launch shape taken from the input.  The answer must be consistent with the documented
// rules: a configuration it accepts really is within every limit (a limit of 0 or less means "none").
#include "launch_config.h"

#include <cstdint>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cuport_device_props p;
  cuport::LaunchShape s;
  uint64_t shared[2];
  int32_t optin;
  if (size < sizeof p + sizeof s + sizeof shared + sizeof optin)
    return 0;
  std::memcpy(&p, data, sizeof p);
  std::memcpy(&s, data + sizeof p, sizeof s);
  std::memcpy(shared, data + sizeof p + sizeof s, sizeof shared);
  std::memcpy(&optin, data + sizeof p + sizeof s + sizeof shared, sizeof optin);
  if (cuport::validate_shape(p, s) == 0) {
    uint64_t threads = 1;
    for (int i = 0; i < 3; ++i) {
      if (s.grid[i] < 1 || s.block[i] < 1 ||
          (p.max_threads_dim[i] > 0 && s.block[i] > uint32_t(p.max_threads_dim[i])) ||
          (p.max_grid_size[i] > 0 && s.grid[i] > uint32_t(p.max_grid_size[i])))
        __builtin_trap();
      threads *= s.block[i];
    }
    if (p.max_threads_per_block > 0 && threads > uint64_t(p.max_threads_per_block))
      __builtin_trap();
  }
  if (cuport::validate_shared(p, size_t(shared[0]), size_t(shared[1]), optin) == 0) {
    const uint64_t limit = p.shared_mem_per_block_optin > p.shared_mem_per_block ? p.shared_mem_per_block_optin
                                                                                 : p.shared_mem_per_block;
    if (shared[0] > limit || shared[1] > limit - shared[0])
      __builtin_trap();
  }
  (void)cuport::default_dynamic_shared_limit(p, size_t(shared[0]));
  return 0;
}

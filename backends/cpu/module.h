// Internal to the CPU backend: loaded images and their kernels.
#ifndef CUPORT_CPU_MODULE_H
#define CUPORT_CPU_MODULE_H

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <cuport/backend.h>
#include <cuport/cpu_kernel_abi.h>

#include "../common/plugin_glue.h"

struct cuport_kernel {
  std::string name;
  cuport_module* module = nullptr;
  void* fn = nullptr;  // a cuport_cpu_range_fn with CUPORT_CPU_KERNEL_BLOCK_RANGE in info.flags, else a cuport_cpu_block_fn
  cuport_cpu_kernel_info info{};
  bool runs_ranges() const { return (info.flags & CUPORT_CPU_KERNEL_BLOCK_RANGE) != 0; }
};

struct cuport_module {
  void* handle = nullptr;   // dlopen handle
  void* link_map = nullptr; // the image's own link_map, to reject symbols found in its dependencies
  int fd = -1;              // memfd kept open while loaded so "/proc/self/fd/N" stays unique
  const cuport_cpu_memcheck_info* memcheck = nullptr; // set when the image was built with --memcheck
  std::atomic<bool> memcheck_warned{false};           // CUPORT_MEMCHECK=1 warned that it is not
  cuport_glue::KernelCache<> kernels;
};

#endif

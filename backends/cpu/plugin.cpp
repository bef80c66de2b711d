// The CPU backend's plugin entry points: cuport_backend_abi_version and cuport_backend_ops_get.
#include <cuport/fatbin.h>

#include "cpu_backend.h"
#include "memcheck.h"

// Optional hooks: no mem_alloc_shared (device memory is host memory), memcheck's two.
CUPORT_DEFINE_BACKEND_PLUGIN(cuport_cpu, "cpu", CUPORT_TARGET_CPU, nullptr, host_memory, memcheck_errors)

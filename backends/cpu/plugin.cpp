// The CPU backend's plugin entry points: cuport_backend_abi_version and cuport_backend_ops_get.
#include <cuport/fatbin.h>

#include "cpu_backend.h"

CUPORT_DEFINE_BACKEND_PLUGIN(cuport_cpu, "cpu", CUPORT_TARGET_CPU)

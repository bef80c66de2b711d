// The OpenCL backend's plugin entry points: cuport_backend_abi_version and cuport_backend_ops_get.
#include <cuport/fatbin.h>

#include "opencl_backend.h"

CUPORT_DEFINE_BACKEND_PLUGIN(cuport_opencl, "opencl", CUPORT_TARGET_OPENCL, mem_alloc_shared)

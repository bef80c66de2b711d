// The HIP backend's plugin entry points: cuport_backend_abi_version and cuport_backend_ops_get.
#include <cuport/fatbin.h>

#include "hip_backend.h"

CUPORT_DEFINE_BACKEND_PLUGIN(cuport_hip, "hip", CUPORT_TARGET_AMDGCN, mem_alloc_shared)

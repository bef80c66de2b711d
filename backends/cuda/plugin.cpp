// The CUDA backend's plugin entry points: cuport_backend_abi_version and cuport_backend_ops_get.
#include <cuport/fatbin.h>

#include "cuda_backend.h"

CUPORT_DEFINE_BACKEND_PLUGIN(cuport_cuda, "cuda", CUPORT_TARGET_PTX, mem_alloc_shared)

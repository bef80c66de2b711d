/* CUDA built-in variables threadIdx, blockIdx, blockDim, gridDim, warpSize (clean-room).
 * Defined for CUDA compilations only; see cuport/device/builtin_vars.h. */
#ifndef __DEVICE_LAUNCH_PARAMETERS_H__
#define __DEVICE_LAUNCH_PARAMETERS_H__

#include "vector_types.h"
#include "cuport/device/builtin_vars.h"

#endif

/* CUDA runtime umbrella header (clean-room).
 *
 * cuport-cc force-includes this into every .cu file, as nvcc does; .cpp files may include it too.
 * It works in three modes: the device side of a Clang CUDA compilation (NVPTX), the host side of one,
 * and plain host C++ (g++ or clang++), where only host declarations (runtime API, vector types and
 * their make_ functions) remain and every device-only part vanishes. */
#ifndef __CUDA_RUNTIME_H__
#define __CUDA_RUNTIME_H__

#include "host_defines.h"
#include "builtin_types.h"
#include "cuda_runtime_api.h"
#include "device_launch_parameters.h"
#include "vector_functions.h"
#include "texture_types.h" /* textures and surfaces: declared unavailable, so a use names the feature */

#if defined(__cplusplus)
#include "cuport/device/libc.h"           /* printf, assert, malloc/free, memcpy/memset in device code */
#include "cuport/device/math_functions.h" /* device <math.h> and CUDA math functions */
#include "cuport/device/minmax.h"         /* min/max overloads, host and device */
#include "cuport/device/intrinsics.h"     /* __float2int_rn, __popc, __fmul_rz, __ldg, ... */
#include "cuport/device/sync.h"           /* __syncthreads_count, __threadfence, clock64, ... */
#include "cuport/device/atomics.h"        /* atomicAdd, atomicCAS, ... */
#include "cuport/device/warp.h"           /* __shfl*_sync, __ballot_sync, __match_*_sync, __syncwarp, ... */
#endif

#endif

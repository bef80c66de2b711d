/* Profiler control (CUDA's cuda_profiler_api.h).  cuport has no profiler to start or stop: both calls
 * succeed and do nothing, so programs that bracket a region for nvprof/Nsight run unchanged. */
#ifndef __CUDA_PROFILER_API_H__
#define __CUDA_PROFILER_API_H__

#include "cuda_runtime_api.h"

/* cudaProfilerStart and cudaProfilerStop are declared in cuda_runtime_api.h and exported by libcuport. */

#endif /* __CUDA_PROFILER_API_H__ */

// Occupancy queries (cudaOccupancyMaxActiveBlocksPerMultiprocessor[WithFlags],
// cudaOccupancyAvailableDynamicSMemPerBlock), deprecated thread-scoped aliases that old programs call
// (cudaThreadSetLimit/GetLimit, cudaThreadSetCacheConfig/GetCacheConfig) and the profiler control calls
// (cudaProfilerStart/Stop, accepted as no-ops: there is no profiler to start).
//
// Occupancy is computed from the device's properties the way CUDA's occupancy calculator does: the number of
// resident blocks per multiprocessor is limited by the block slots (cudaDevAttrMaxBlocksPerMultiprocessor),
// the resident threads (whole warps), and the shared memory per multiprocessor.  cuport kernels report 0
// registers, so registers never limit.
#include <algorithm>

#include "error.h"
#include "launch_config.h"
#include "log.h"
#include "registry.h"

namespace cuport {
namespace {

constexpr int kMaxBlocksPerMultiprocessor = 32;  // what cudaDevAttrMaxBlocksPerMultiprocessor reports

cudaError_t max_active_blocks(int* numBlocks, const void* func, int blockSize, size_t dynamicSMem, unsigned flags) {
  if (!numBlocks) return cudaErrorInvalidValue;
  if (flags != cudaOccupancyDefault && flags != cudaOccupancyDisableCachingOverride) return cudaErrorInvalidValue;
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  if (!func) return cudaErrorInvalidDeviceFunction;
  ResolvedKernel k;
  if ((e = resolve_kernel(func, cur, &k)) != cudaSuccess) return e;
  if (blockSize <= 0) return cudaErrorInvalidValue;
  const cuport_device_props& p = *cur.props;
  *numBlocks = 0;
  if (blockSize > p.max_threads_per_block) return cudaSuccess;  // such a block can never be resident
  if (validate_shared(p, k.static_shared, dynamicSMem, k.max_dynamic_shared) != 0) return cudaSuccess;
  const int warp = p.warp_size > 0 ? p.warp_size : 32;
  const int threads = (blockSize + warp - 1) / warp * warp;
  int blocks = std::min(kMaxBlocksPerMultiprocessor, p.max_threads_per_multiprocessor / threads);
  const size_t shared = k.static_shared + dynamicSMem;
  const size_t shared_per_sm = size_t(p.shared_mem_per_block_optin);
  if (shared > 0) blocks = int(std::min<size_t>(size_t(blocks), shared_per_sm / shared));
  *numBlocks = std::max(blocks, 0);
  return cudaSuccess;
}

cudaError_t available_dynamic_smem(size_t* out, const void* func, int numBlocks, int blockSize) {
  if (!out) return cudaErrorInvalidValue;
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  if (!func) return cudaErrorInvalidDeviceFunction;
  ResolvedKernel k;
  if ((e = resolve_kernel(func, cur, &k)) != cudaSuccess) return e;
  if (numBlocks <= 0 || blockSize <= 0) return cudaErrorInvalidValue;
  const cuport_device_props& p = *cur.props;
  *out = 0;
  const int warp = p.warp_size > 0 ? p.warp_size : 32;
  const long threads = long(numBlocks) * ((blockSize + warp - 1) / warp * warp);
  if (blockSize > p.max_threads_per_block || numBlocks > kMaxBlocksPerMultiprocessor ||
      threads > p.max_threads_per_multiprocessor)
    return cudaSuccess;
  const size_t per_block = size_t(p.shared_mem_per_block_optin) / size_t(numBlocks);
  if (per_block <= k.static_shared) return cudaSuccess;
  const size_t limit = k.max_dynamic_shared >= 0 ? size_t(k.max_dynamic_shared)
                                                 : default_dynamic_shared_limit(p, k.static_shared);
  *out = std::min(per_block - k.static_shared, limit);
  return cudaSuccess;
}

}  // namespace
}  // namespace cuport

using cuport::kLogLaunch;
using cuport::record_error;

extern "C" {

cudaError_t cudaOccupancyMaxActiveBlocksPerMultiprocessor(int* numBlocks, const void* func, int blockSize,
                                                          size_t dynamicSMemSize) {
  CUPORT_RETURN(kLogLaunch,
                record_error(cuport::max_active_blocks(numBlocks, func, blockSize, dynamicSMemSize, cudaOccupancyDefault)),
                "numBlocks=%p, func=%p, blockSize=%d, dynamicSMemSize=%zu; *numBlocks=%d", (void*)numBlocks, func,
                blockSize, dynamicSMemSize, numBlocks ? *numBlocks : 0);
}

cudaError_t cudaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(int* numBlocks, const void* func, int blockSize,
                                                                   size_t dynamicSMemSize, unsigned int flags) {
  CUPORT_RETURN(kLogLaunch, record_error(cuport::max_active_blocks(numBlocks, func, blockSize, dynamicSMemSize, flags)),
                "numBlocks=%p, func=%p, blockSize=%d, dynamicSMemSize=%zu, flags=%#x; *numBlocks=%d",
                (void*)numBlocks, func, blockSize, dynamicSMemSize, flags, numBlocks ? *numBlocks : 0);
}

cudaError_t cudaOccupancyAvailableDynamicSMemPerBlock(size_t* dynamicSmemSize, const void* func, int numBlocks,
                                                      int blockSize) {
  CUPORT_RETURN(kLogLaunch, record_error(cuport::available_dynamic_smem(dynamicSmemSize, func, numBlocks, blockSize)),
                "dynamicSmemSize=%p, func=%p, numBlocks=%d, blockSize=%d", (void*)dynamicSmemSize, func, numBlocks,
                blockSize);
}

cudaError_t cudaThreadSetLimit(enum cudaLimit limit, size_t value) { return cudaDeviceSetLimit(limit, value); }
cudaError_t cudaThreadGetLimit(size_t* pValue, enum cudaLimit limit) { return cudaDeviceGetLimit(pValue, limit); }
cudaError_t cudaThreadSetCacheConfig(enum cudaFuncCache cacheConfig) { return cudaDeviceSetCacheConfig(cacheConfig); }
cudaError_t cudaThreadGetCacheConfig(enum cudaFuncCache* pCacheConfig) {
  return cudaDeviceGetCacheConfig(pCacheConfig);
}

// No profiler is attached to cuport devices: both succeed and do nothing (CUDA too returns success when no
// profiler is attached).
cudaError_t cudaProfilerStart(void) { CUPORT_RETURN(cuport::kLogDevice, cudaSuccess, "%s", ""); }
cudaError_t cudaProfilerStop(void) { CUPORT_RETURN(cuport::kLogDevice, cudaSuccess, "%s", ""); }

}  // extern "C"

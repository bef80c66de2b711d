// Whole-device state: cudaDeviceSynchronize, cudaDeviceReset, limits, cache and shared-memory configuration.
#include <mutex>

#include "error.h"
#include "memory.h"
#include "registry.h"
#include "stream.h"

namespace cuport {
namespace {

constexpr int kLimitCount = 7;

struct DeviceState {
  size_t limits[kLimitCount];
  cudaFuncCache cache = cudaFuncCachePreferNone;
  cudaSharedMemConfig shmem = cudaSharedMemBankSizeFourByte;
};

// Defaults as documented for CUDA devices; the CPU backend honours none of them beyond bookkeeping, so the
// values read back are exactly what was set.
void reset_state(DeviceState* s) {
  s->limits[cudaLimitStackSize] = 1024;
  s->limits[cudaLimitPrintfFifoSize] = 1u << 20;
  s->limits[cudaLimitMallocHeapSize] = 8u << 20;
  s->limits[cudaLimitDevRuntimeSyncDepth] = 2;
  s->limits[cudaLimitDevRuntimePendingLaunchCount] = 2048;
  s->limits[cudaLimitMaxL2FetchGranularity] = 64;
  s->limits[cudaLimitPersistingL2CacheSize] = 0;
  s->cache = cudaFuncCachePreferNone;
  s->shmem = cudaSharedMemBankSizeFourByte;
}

std::mutex& state_mutex() {
  static std::mutex* m = new std::mutex;
  return *m;
}

DeviceState& state(int device) {
  static DeviceState* states = [] {
    auto* s = new DeviceState[64];
    for (int i = 0; i < 64; ++i) reset_state(&s[i]);
    return s;
  }();
  return states[device & 63];
}

cudaError_t synchronize() {
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  e = synchronize_device_streams(cur.device);
  if (e != cudaSuccess) return e;
  const cuport_status st = cur.ops->synchronize(cur.local);
  if (st != cudaSuccess) note_async_error(cur.device, static_cast<cudaError_t>(st));
  return sync_result(cur.device);
}

cudaError_t reset() {
  Current cur;
  cudaError_t e = current(&cur, /*check_sticky=*/false);
  if (e != cudaSuccess) return e;
  synchronize_device_streams(cur.device);
  cur.ops->synchronize(cur.local);  // errors of pending work die with the context
  take_async_error(cur.device);
  unload_device_modules(cur.ops, cur.device);
  free_device_allocations(cur);
  clear_sticky_error(cur.device);
  std::lock_guard<std::mutex> lock(state_mutex());
  reset_state(&state(cur.device));
  return cudaSuccess;
}

}  // namespace
}  // namespace cuport

using cuport::record_error;

extern "C" {

cudaError_t cudaDeviceSynchronize(void) { return record_error(cuport::synchronize()); }
cudaError_t cudaThreadSynchronize(void) { return record_error(cuport::synchronize()); }
cudaError_t cudaDeviceReset(void) { return record_error(cuport::reset()); }
cudaError_t cudaThreadExit(void) { return record_error(cuport::reset()); }

cudaError_t cudaDeviceSetLimit(enum cudaLimit limit, size_t value) {
  cuport::Current cur;
  cudaError_t e = cuport::current(&cur);
  if (e != cudaSuccess) return record_error(e);
  switch (limit) {
    case cudaLimitStackSize:
    case cudaLimitPrintfFifoSize:
    case cudaLimitMallocHeapSize:
      break;
    case cudaLimitMaxL2FetchGranularity:
      if (value > 128) return record_error(cudaErrorInvalidValue);
      break;
    case cudaLimitPersistingL2CacheSize:
      value = 0;  // no persisting L2: CUDA clamps to the device maximum
      break;
    case cudaLimitDevRuntimeSyncDepth:
    case cudaLimitDevRuntimePendingLaunchCount:
      return record_error(cudaErrorUnsupportedLimit);  // no dynamic parallelism
    default:
      return record_error(cudaErrorUnsupportedLimit);
  }
  std::lock_guard<std::mutex> lock(cuport::state_mutex());
  cuport::state(cur.device).limits[limit] = value;
  return cudaSuccess;
}

cudaError_t cudaDeviceGetLimit(size_t* pValue, enum cudaLimit limit) {
  if (!pValue) return record_error(cudaErrorInvalidValue);
  cuport::Current cur;
  cudaError_t e = cuport::current(&cur);
  if (e != cudaSuccess) return record_error(e);
  if (int(limit) < 0 || int(limit) >= cuport::kLimitCount) return record_error(cudaErrorUnsupportedLimit);
  std::lock_guard<std::mutex> lock(cuport::state_mutex());
  *pValue = cuport::state(cur.device).limits[limit];
  return cudaSuccess;
}

cudaError_t cudaDeviceSetCacheConfig(enum cudaFuncCache cacheConfig) {
  if (cacheConfig < cudaFuncCachePreferNone || cacheConfig > cudaFuncCachePreferEqual)
    return record_error(cudaErrorInvalidValue);
  cuport::Current cur;
  cudaError_t e = cuport::current(&cur);
  if (e != cudaSuccess) return record_error(e);
  std::lock_guard<std::mutex> lock(cuport::state_mutex());
  cuport::state(cur.device).cache = cacheConfig;  // a preference only; nothing to configure on this device
  return cudaSuccess;
}

cudaError_t cudaDeviceGetCacheConfig(enum cudaFuncCache* pCacheConfig) {
  if (!pCacheConfig) return record_error(cudaErrorInvalidValue);
  cuport::Current cur;
  cudaError_t e = cuport::current(&cur);
  if (e != cudaSuccess) return record_error(e);
  std::lock_guard<std::mutex> lock(cuport::state_mutex());
  *pCacheConfig = cuport::state(cur.device).cache;
  return cudaSuccess;
}

cudaError_t cudaDeviceSetSharedMemConfig(enum cudaSharedMemConfig config) {
  if (config < cudaSharedMemBankSizeDefault || config > cudaSharedMemBankSizeEightByte)
    return record_error(cudaErrorInvalidValue);
  cuport::Current cur;
  cudaError_t e = cuport::current(&cur);
  if (e != cudaSuccess) return record_error(e);
  std::lock_guard<std::mutex> lock(cuport::state_mutex());
  cuport::state(cur.device).shmem =
      config == cudaSharedMemBankSizeDefault ? cudaSharedMemBankSizeFourByte : config;
  return cudaSuccess;
}

cudaError_t cudaDeviceGetSharedMemConfig(enum cudaSharedMemConfig* pConfig) {
  if (!pConfig) return record_error(cudaErrorInvalidValue);
  cuport::Current cur;
  cudaError_t e = cuport::current(&cur);
  if (e != cudaSuccess) return record_error(e);
  std::lock_guard<std::mutex> lock(cuport::state_mutex());
  *pConfig = cuport::state(cur.device).shmem;
  return cudaSuccess;
}

}  // extern "C"

// Internal: bookkeeping of allocations made through the runtime.
#ifndef CUPORT_RUNTIME_MEMORY_H
#define CUPORT_RUNTIME_MEMORY_H

#include "api.h"
#include "device.h"

namespace cuport {

// Frees every device allocation of `cur.device` (cudaDeviceReset).  The device must be idle.
void free_device_allocations(const Current& cur);

// Resolves cudaMemcpyDefault from what the runtime knows about dst and src; other kinds pass through.
// cudaErrorInvalidMemcpyDirection for values outside cudaMemcpyKind.
cudaError_t resolve_memcpy_kind(const void* dst, const void* src, int kind, int* resolved);

// Accepts the streams this version supports (the default, legacy and per-thread streams).
cudaError_t check_stream(cudaStream_t stream);

}  // namespace cuport

#endif

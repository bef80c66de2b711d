// Internal: bookkeeping of allocations made through the runtime.
#ifndef CUPORT_RUNTIME_MEMORY_H
#define CUPORT_RUNTIME_MEMORY_H

#include "api.h"
#include "device.h"
#include "stream.h"

namespace cuport {

// Frees every device allocation of `cur.device` (cudaDeviceReset).  The device must be idle.
void free_device_allocations(const Current& cur);

// Resolves cudaMemcpyDefault from what the runtime knows about dst and src; other kinds pass through.
// cudaErrorInvalidMemcpyDirection for values outside cudaMemcpyKind.
cudaError_t resolve_memcpy_kind(const void* dst, const void* src, int kind, int* resolved);

// Does a copy of resolved `kind` return only once complete?  Synchronous cudaMemcpy: all but
// device-to-device.  cudaMemcpyAsync: host-to-host and copies into pageable host memory (CUDA's rules).
bool host_sync_needed(const void* dst, const void* src, int kind, bool async);

// Enqueues a copy of resolved `kind` on `s` with the host synchronization above (pageable host-to-device
// sources of asynchronous copies are staged first).  Returns the pending async error when it waited.
cudaError_t stream_copy(const StreamRef& s, void* dst, const void* src, size_t count, int kind, bool async);

}  // namespace cuport

#endif

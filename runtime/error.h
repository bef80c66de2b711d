// Internal: per-thread last error, sticky (context-corrupting) errors, one-time diagnostics.
#ifndef CUPORT_RUNTIME_ERROR_H
#define CUPORT_RUNTIME_ERROR_H

#include <string>

#include "api.h"

namespace cuport {

// Records `e` as the calling thread's last error unless it is cudaSuccess; returns `e`.  Every API entry
// point returns through this, as CUDA reports each failing call through cudaGetLastError too.
cudaError_t record_error(cudaError_t e);

// Errors after which the device is unusable until cudaDeviceReset (illegal address, assert, ...).
bool is_sticky_error(cudaError_t e);
// Remembers a sticky error for `device` (no effect for non-sticky values).
void note_device_error(int device, cudaError_t e);
// The sticky error of `device`, or cudaSuccess.
cudaError_t sticky_error(int device);
void clear_sticky_error(int device);

// Prints "cuport: <message>" on stderr once per distinct `key` for the whole process.
void warn_once(const std::string& key, const std::string& message);

}  // namespace cuport

#endif

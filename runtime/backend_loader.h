// Internal: finds, loads and initializes the backend plugin (include/cuport/backend.h) once per process.
#ifndef CUPORT_RUNTIME_BACKEND_LOADER_H
#define CUPORT_RUNTIME_BACKEND_LOADER_H

#include <cuport/backend.h>

#include "api.h"

namespace cuport {

// The loaded and initialized backend.  The first call loads it (thread-safe); when no usable backend exists
// it returns null and sets *err (cudaErrorNoDevice: not found; cudaErrorInitializationError: found but
// broken), after printing one explanatory line on stderr.  Every later call returns the same outcome.
const cuport_backend_ops* backend(cudaError_t* err);

// The backend if it has been loaded successfully, without triggering a load.
const cuport_backend_ops* backend_if_loaded();

}  // namespace cuport

#endif

// Internal: finds, loads and initializes the backend plugins (include/cuport/backend.h) once per process.
//
// CUPORT_BACKEND selects them: unset -> "cpu"; "name" or "a,b,c" -> those, in that order; "all" -> every
// libcuport-backend-*.so found (cpu, opencl, hip, cuda first, then others by name).  Plugins are looked up
// in $CUPORT_BACKEND_PATH (colon-separated) and then next to libcuport.so.
#ifndef CUPORT_RUNTIME_BACKEND_LOADER_H
#define CUPORT_RUNTIME_BACKEND_LOADER_H

#include <cuport/backend.h>

#include <string>
#include <vector>

#include "api.h"

namespace cuport {

struct LoadedBackend {
  std::string name;
  const cuport_backend_ops* ops = nullptr; // null when it could not be loaded
  cudaError_t error = cudaSuccess;         // why not: cudaErrorNoDevice (absent), cudaErrorInitializationError
  std::string status;                      // "" when loaded, else the reason
};

// The requested backends in order (loaded or not).  The first call loads them (thread-safe).
const std::vector<LoadedBackend>& backends();

// True once backends() has run, without triggering a load.
bool backends_loaded();

}  // namespace cuport

#endif

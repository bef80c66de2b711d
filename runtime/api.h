// Internal: the public runtime declarations, with default visibility so that their definitions in this
// library are exported even though everything else is built with -fvisibility=hidden.
#ifndef CUPORT_RUNTIME_API_H
#define CUPORT_RUNTIME_API_H

#pragma GCC visibility push(default)
#include <cuda_runtime_api.h>
#include <cuport/cuport_runtime.h>
#pragma GCC visibility pop

// host_defines.h defines __noinline__ as __attribute__((noinline)), which breaks libstdc++ >= 12 headers
// that spell __attribute__((__noinline__)); the runtime itself never needs the macro.
#undef __noinline__

#endif

// Internal to the CPU backend: the hook implementations, grouped by file, and shared helpers.
// Threading contracts are those of include/cuport/backend.h; each definition restates its own.
#ifndef CUPORT_CPU_BACKEND_H
#define CUPORT_CPU_BACKEND_H

#include <cstddef>
#include <string>

#include <cuport/backend.h>

#include "../common/plugin_glue.h"

namespace cuport_cpu {

using namespace cuport_glue;  // fail, last_error_message, the Status codes (CUDA error numbers)

// device.cpp
cuport_status init();
void shutdown();
int device_count();
cuport_status device_props(int device, cuport_device_props* out);
cuport_status mem_info(int device, size_t* free_bytes, size_t* total_bytes);
unsigned worker_count();  // hardware threads this backend uses (>= 1)

// memory.cpp
cuport_status mem_alloc(int device, size_t size, void** out);
cuport_status mem_free(int device, void* ptr);
cuport_status memcpy_(int device, void* dst, const void* src, size_t bytes, int kind);
cuport_status memset_(int device, void* dst, int value, size_t bytes);

// module.cpp
cuport_status module_load(int device, const void* image, size_t size, cuport_module** out);
cuport_status module_unload(cuport_module* module);
cuport_status kernel_get(cuport_module* module, const char* mangled_name, cuport_kernel** out);
cuport_status kernel_static_shared(cuport_kernel* kernel, size_t* out);
cuport_status symbol_get(cuport_module* module, const char* name, void** dptr, size_t* size);

// launch.cpp
cuport_status launch(int device, cuport_kernel* kernel, const cuport_launch* launch);
cuport_status synchronize(int device);
void stop_workers();
// Bulk work on the pool that runs blocks (large copies): body(context, participant) runs on up to
// max_participants threads, the caller included; returns when every one has finished.  Any thread.
void run_on_workers(void (*body)(void* context, unsigned participant), void* context, unsigned max_participants);

}  // namespace cuport_cpu

#endif

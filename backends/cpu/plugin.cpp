// The CPU backend's plugin entry points: cuport_backend_abi_version and cuport_backend_ops_get.
#include <exception>

#include <cuport/fatbin.h>

#include "cpu_backend.h"

namespace cuport_cpu {
namespace {
thread_local std::string* t_message = nullptr;  // heap: no TLS destructor ordering concerns at exit
}

cuport_status fail(cuport_status status, const std::string& message) {
  if (!t_message) t_message = new std::string;
  *t_message = message;
  return status;
}

const char* last_error_message() { return t_message ? t_message->c_str() : ""; }

namespace {

// Hooks are noexcept at the C boundary: a C++ exception (in practice std::bad_alloc) becomes an error code.
template <class F>
cuport_status guarded(F&& f) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return fail(kMemoryAllocation, "out of host memory");
  } catch (const std::exception& e) {
    return fail(kOperatingSystem, e.what());
  } catch (...) {
    return fail(kOperatingSystem, "unexpected exception");
  }
}

cuport_status h_init(void) { return guarded([] { return init(); }); }
void h_shutdown(void) {
  try {
    shutdown();
  } catch (...) {
  }
}
int h_device_count(void) { return device_count(); }
cuport_status h_device_props(int d, cuport_device_props* out) { return guarded([&] { return device_props(d, out); }); }
cuport_status h_mem_info(int d, size_t* f, size_t* t) { return guarded([&] { return mem_info(d, f, t); }); }
cuport_status h_mem_alloc(int d, size_t s, void** out) { return guarded([&] { return mem_alloc(d, s, out); }); }
cuport_status h_mem_free(int d, void* p) { return guarded([&] { return mem_free(d, p); }); }
cuport_status h_memcpy(int d, void* dst, const void* src, size_t n, int kind) {
  return guarded([&] { return memcpy_(d, dst, src, n, kind); });
}
cuport_status h_memset(int d, void* dst, int v, size_t n) { return guarded([&] { return memset_(d, dst, v, n); }); }
cuport_status h_module_load(int d, const void* img, size_t n, cuport_module** out) {
  return guarded([&] { return module_load(d, img, n, out); });
}
cuport_status h_module_unload(cuport_module* m) { return guarded([&] { return module_unload(m); }); }
cuport_status h_kernel_get(cuport_module* m, const char* name, cuport_kernel** out) {
  return guarded([&] { return kernel_get(m, name, out); });
}
cuport_status h_kernel_static_shared(cuport_kernel* k, size_t* out) {
  return guarded([&] { return kernel_static_shared(k, out); });
}
cuport_status h_symbol_get(cuport_module* m, const char* name, void** p, size_t* s) {
  return guarded([&] { return symbol_get(m, name, p, s); });
}
cuport_status h_launch(int d, cuport_kernel* k, const cuport_launch* l) { return guarded([&] { return launch(d, k, l); }); }
cuport_status h_synchronize(int d) { return guarded([&] { return synchronize(d); }); }
const char* h_last_error_message(void) { return last_error_message(); }

const cuport_backend_ops kOps = {
    CUPORT_BACKEND_ABI_VERSION,
    sizeof(cuport_backend_ops),
    "cpu",
    CUPORT_TARGET_CPU,
    h_init,
    h_shutdown,
    h_device_count,
    h_device_props,
    h_mem_info,
    h_mem_alloc,
    h_mem_free,
    h_memcpy,
    h_memset,
    h_module_load,
    h_module_unload,
    h_kernel_get,
    h_kernel_static_shared,
    h_symbol_get,
    h_launch,
    h_synchronize,
    h_last_error_message,
};

}  // namespace
}  // namespace cuport_cpu

extern "C" {

__attribute__((visibility("default"))) uint32_t cuport_backend_abi_version(void) {
  return CUPORT_BACKEND_ABI_VERSION;
}

__attribute__((visibility("default"))) const cuport_backend_ops* cuport_backend_ops_get(void) {
  return &cuport_cpu::kOps;
}

}  // extern "C"

/* The smallest useful cuport backend, in plain C against the installed include/cuport/backend.h: one
 * device whose memory is host memory.  It runs no kernels (it accepts no device images: launches report
 * cudaErrorNoKernelImageForDevice through the runtime), which is enough to show the plugin contract:
 * discovery, properties, memory, copies and the error model. */
#include <cuport/backend.h>

#include <stdlib.h>
#include <string.h>

static _Thread_local const char* last_error = "";

static cuport_status mini_init(void) { return 0; }
static void mini_shutdown(void) {}
static int mini_device_count(void) { return 1; }

static cuport_status mini_device_props(int device, cuport_device_props* out) {
  if (device != 0 || !out) return 1; /* cudaErrorInvalidValue */
  memset(out, 0, sizeof *out);
  strcpy(out->name, "mini (out-of-tree example backend)");
  out->total_global_mem = 1u << 30;
  out->shared_mem_per_block = out->shared_mem_per_block_optin = 48 * 1024;
  out->total_const_mem = 64 * 1024;
  out->regs_per_block = 65536;
  out->warp_size = 32;
  out->max_threads_per_block = 1024;
  out->max_threads_dim[0] = out->max_threads_dim[1] = 1024;
  out->max_threads_dim[2] = 64;
  out->max_grid_size[0] = 0x7fffffff;
  out->max_grid_size[1] = out->max_grid_size[2] = 65535;
  out->clock_rate_khz = 1000000;
  out->multiprocessor_count = 1;
  out->max_threads_per_multiprocessor = 1024;
  out->major = 7;
  out->unified_addressing = 1;
  out->is_host_memory = 1;
  out->integrated = 1;
  out->max_param_size = 4096;
  return 0;
}

static cuport_status mini_mem_info(int device, size_t* free_bytes, size_t* total_bytes) {
  (void)device;
  *free_bytes = *total_bytes = (size_t)1 << 30;
  return 0;
}

static cuport_status mini_mem_alloc(int device, size_t size, void** out) {
  (void)device;
  *out = NULL;
  if (size == 0) return 0;
  if (posix_memalign(out, 256, size) != 0) {
    last_error = "out of host memory";
    return 2; /* cudaErrorMemoryAllocation */
  }
  return 0;
}
static cuport_status mini_mem_free(int device, void* p) { (void)device; free(p); return 0; }
static cuport_status mini_memcpy(int device, void* dst, const void* src, size_t n, int kind) {
  (void)device, (void)kind;
  memmove(dst, src, n);
  return 0;
}
static cuport_status mini_memset(int device, void* dst, int value, size_t n) {
  (void)device;
  memset(dst, value, n);
  return 0;
}

static cuport_status mini_module_load(int device, const void* image, size_t size, cuport_module** out) {
  (void)device, (void)image, (void)size, (void)out;
  last_error = "the mini backend runs no kernels";
  return 200; /* cudaErrorInvalidKernelImage; never called: no fat binary has a "mini-none" image */
}
static cuport_status mini_module_unload(cuport_module* m) { (void)m; return 0; }
static cuport_status mini_kernel_get(cuport_module* m, const char* name, cuport_kernel** out) {
  (void)m, (void)name, (void)out;
  return 98; /* cudaErrorInvalidDeviceFunction */
}
static cuport_status mini_kernel_static_shared(cuport_kernel* k, size_t* out) { (void)k; *out = 0; return 0; }
static cuport_status mini_symbol_get(cuport_module* m, const char* name, void** p, size_t* s) {
  (void)m, (void)name, (void)p, (void)s;
  return 13; /* cudaErrorInvalidSymbol */
}
static cuport_status mini_launch(int device, cuport_kernel* k, const cuport_launch* l) {
  (void)device, (void)k, (void)l;
  return 98;
}
static cuport_status mini_synchronize(int device) { (void)device; return 0; }
static const char* mini_last_error_message(void) { return last_error; }

static const cuport_backend_ops ops = {
    .abi_version = CUPORT_BACKEND_ABI_VERSION,
    .struct_size = sizeof(cuport_backend_ops),
    .name = "mini",
    .image_target = "mini-none",
    .init = mini_init,
    .shutdown = mini_shutdown,
    .device_count = mini_device_count,
    .device_props = mini_device_props,
    .mem_info = mini_mem_info,
    .mem_alloc = mini_mem_alloc,
    .mem_free = mini_mem_free,
    .memcpy = mini_memcpy,
    .memset = mini_memset,
    .module_load = mini_module_load,
    .module_unload = mini_module_unload,
    .kernel_get = mini_kernel_get,
    .kernel_static_shared = mini_kernel_static_shared,
    .symbol_get = mini_symbol_get,
    .launch = mini_launch,
    .synchronize = mini_synchronize,
    .last_error_message = mini_last_error_message,
};

__attribute__((visibility("default"))) uint32_t cuport_backend_abi_version(void) { return CUPORT_BACKEND_ABI_VERSION; }
__attribute__((visibility("default"))) const cuport_backend_ops* cuport_backend_ops_get(void) { return &ops; }

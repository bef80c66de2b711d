/* cuport backend ABI, version 1: the only interface between libcuport and a backend plugin.
 *
 * A backend is a shared object named libcuport-backend-<name>.so, found next to libcuport.so (build tree:
 * <build>/lib, install tree: <prefix>/lib) or in CUPORT_BACKEND_PATH.  It exports two C symbols:
 *
 *   uint32_t cuport_backend_abi_version(void);            returns CUPORT_BACKEND_ABI_VERSION it was built with
 *   const cuport_backend_ops* cuport_backend_ops_get(void); valid while the plugin stays loaded
 *
 * libcuport checks the version before it calls anything else.  Every hook returns a cuport_status whose
 * values are CUDA's cudaError_t numbers (0 = success), so the runtime can hand them to the user unchanged.
 * After a failure, `last_error_message` may give detail for the current host thread.
 *
 * Threading contract (per hook below): "any thread" means the hook may be called from several host threads
 * at once and must synchronize internally.  libcuport never calls `shutdown` concurrently with anything.
 * Device indices are 0 .. device_count()-1 of this backend.
 *
 * Streams: libcuport implements CUDA streams and events itself.  Each stream's work runs in order on a
 * runtime-owned worker thread, one per stream, so `launch`, `memcpy` and `memset` are called concurrently
 * from several threads for the same device (a kernel of one stream while a copy or another kernel of a
 * different stream runs).  The hooks stay synchronous: each returns when its work is complete, and the
 * runtime does all ordering.  A backend must therefore run concurrent launches correctly and with real
 * overlap (no launch may wait for another launch to finish: a kernel can spin on a flag that a kernel or
 * copy of another stream sets), and must keep per-launch scratch state private to each launch.
 */
#ifndef CUPORT_BACKEND_H
#define CUPORT_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CUPORT_BACKEND_ABI_VERSION 1u

typedef int cuport_status; /* a cudaError_t value */

typedef struct cuport_device_props {
  char name[256];
  uint64_t total_global_mem;
  uint64_t shared_mem_per_block;     /* static + dynamic limit */
  uint64_t shared_mem_per_block_optin;
  uint64_t total_const_mem;
  int regs_per_block;
  int warp_size;
  int max_threads_per_block;
  int max_threads_dim[3];
  int max_grid_size[3];
  int clock_rate_khz;
  int memory_clock_rate_khz;
  int memory_bus_width;
  int multiprocessor_count;
  int max_threads_per_multiprocessor;
  int major, minor;                  /* compute capability this backend emulates */
  int concurrent_kernels;
  int async_engine_count;
  int unified_addressing;
  int managed_memory;
  int can_map_host_memory;
  int integrated;
  int l2_cache_size;
  int is_host_memory;                /* 1: device pointers are directly usable host pointers */
  size_t max_param_size;             /* bytes of kernel parameters */
} cuport_device_props;

typedef struct cuport_module cuport_module;  /* opaque, owned by the backend */
typedef struct cuport_kernel cuport_kernel;  /* opaque, owned by its module */

typedef struct cuport_param_info {
  uint32_t offset, size, align;   /* where the parameter sits in a packed argument buffer */
} cuport_param_info;

typedef struct cuport_launch {
  uint32_t grid[3];
  uint32_t block[3];
  size_t dynamic_shared;
  void** args;                    /* args[i] points to parameter i's value (Clang's launch ABI) */
  const cuport_param_info* params;
  uint32_t param_count;
} cuport_launch;

typedef struct cuport_backend_ops {
  uint32_t abi_version;           /* CUPORT_BACKEND_ABI_VERSION */
  uint32_t struct_size;           /* sizeof(cuport_backend_ops) */
  const char* name;               /* "cpu", "opencl", ... */
  const char* image_target;       /* fat-binary target string of the images it loads */

  /* Called once, before anything else, from one thread. Returns success even with zero devices; the
   * reason there are none is then available from last_error_message. */
  cuport_status (*init)(void);
  /* Called once at process exit or when the runtime unloads the backend; no other call is in flight. */
  void (*shutdown)(void);
  /* Any thread. */
  int (*device_count)(void);
  /* Any thread. */
  cuport_status (*device_props)(int device, cuport_device_props* out);
  /* Any thread.  Free memory in bytes, as far as the backend knows. */
  cuport_status (*mem_info)(int device, size_t* free_bytes, size_t* total_bytes);

  /* Any thread.  Returns device memory aligned to at least 256 bytes; size 0 gives NULL and success. */
  cuport_status (*mem_alloc)(int device, size_t size, void** out);
  /* Any thread.  The runtime has synchronized the device first. */
  cuport_status (*mem_free)(int device, void* ptr);
  /* Any thread, concurrently with launches and other copies.  kind is a cudaMemcpyKind (never
   * cudaMemcpyDefault: the runtime resolves it).  Synchronous: complete when it returns.  The runtime orders
   * it after the work it depends on (stream order); the backend must not wait for unrelated launches. */
  cuport_status (*memcpy)(int device, void* dst, const void* src, size_t bytes, int kind);
  /* Any thread, concurrently like memcpy.  Synchronous. */
  cuport_status (*memset)(int device, void* dst, int value, size_t bytes);

  /* Any thread.  `image` is this backend's image from a fat binary, valid only during the call. */
  cuport_status (*module_load)(int device, const void* image, size_t size, cuport_module** out);
  /* Any thread, never concurrently with uses of the same module. */
  cuport_status (*module_unload)(cuport_module* module);
  /* Any thread.  cudaErrorInvalidDeviceFunction when the image lacks the kernel. */
  cuport_status (*kernel_get)(cuport_module* module, const char* mangled_name, cuport_kernel** out);
  /* Any thread.  Static __shared__ bytes a launch of `kernel` needs. */
  cuport_status (*kernel_static_shared)(cuport_kernel* kernel, size_t* out);
  /* Any thread.  Device address and size of a __device__/__constant__ variable by its device name. */
  cuport_status (*symbol_get)(cuport_module* module, const char* name, void** dptr, size_t* size);

  /* Any thread, concurrently with other launches and copies (of the same device too; see "Streams").  The
   * runtime has validated the configuration against device_props.  `launch->args` points into a copy the
   * runtime made at enqueue time (packed by `params`), valid during the call only.  Returns when the grid
   * has run (or with the launch's error); launch errors that a backend can only detect later are returned
   * by the next synchronize. */
  cuport_status (*launch)(int device, cuport_kernel* kernel, const cuport_launch* launch);
  /* Any thread.  Waits for all work the backend itself still holds for the device (none for synchronous
   * backends: the runtime waits for its stream workers first); returns the first error raised by it. */
  cuport_status (*synchronize)(int device);

  /* Any thread.  Detail about the calling thread's last failure, or "" (never NULL). */
  const char* (*last_error_message)(void);

  /* ---- Optional hooks, appended within ABI version 1: present when struct_size covers them and they are
   * not NULL (CUPORT_BACKEND_HAS).  Older plugins simply lack them. ---- */

  /* Any thread.  Memory that both the host and this device's kernels use directly, at the same address
   * (OpenCL: fine-grained SVM), for cudaMallocManaged on devices whose ordinary device memory is not host
   * memory (is_host_memory == 0).  cudaErrorNotSupported when the device has none.  Freed with mem_free. */
  cuport_status (*mem_alloc_shared)(int device, size_t size, void** out);

  /* Memcheck (CUPORT_MEMCHECK=1, docs/memcheck.md): backends that check kernel accesses provide both hooks.
   * Any thread.  Host memory that kernels may use directly and that the runtime itself allocated or
   * registered: [ptr, ptr + size) became usable (size > 0; type: cuport_host_memory_type, below) or the
   * range starting at ptr stopped being usable (size 0).  Called for every loaded backend, only while CUPORT_MEMCHECK=1. */
  void (*host_memory)(void* ptr, size_t size, int type); /* type: cuport_host_memory_type */
  /* Any thread.  How many invalid accesses the backend has reported so far (the exit summary's count). */
  uint64_t (*memcheck_errors)(void);
} cuport_backend_ops;

/* The `type` of the host_memory hook. */
typedef enum cuport_host_memory_type {
  CUPORT_HOST_MEMORY_PINNED = 1,     /* cudaMallocHost / cudaHostAlloc */
  CUPORT_HOST_MEMORY_REGISTERED = 2, /* cudaHostRegister */
  CUPORT_HOST_MEMORY_MANAGED = 3     /* cudaMallocManaged on an is_host_memory device */
} cuport_host_memory_type;

/* Whether `ops` provides the optional hook `member`. */
#define CUPORT_BACKEND_HAS(ops, member)                                                                  \
  ((ops)->struct_size >= offsetof(cuport_backend_ops, member) + sizeof((ops)->member) && (ops)->member != NULL)

typedef uint32_t (*cuport_backend_abi_version_fn)(void);
typedef const cuport_backend_ops* (*cuport_backend_ops_get_fn)(void);

#ifdef __cplusplus
}
#endif
#endif

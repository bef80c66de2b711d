/* Memcheck's entry in the CPU device runtime (include/cuport/cpu_kernel_abi.h, docs/memcheck.md).  Images
 * built with --memcheck test __cuport_memcheck_hook before every global or shared memory access and, when the
 * backend installed one (CUPORT_MEMCHECK=1; through cuport_cpu_memcheck_info::hook when it loaded the image),
 * call __cuport_memcheck, which calls it.  A separate object of the archive: only instrumented images link it. */
#include "cuport/cpu_kernel_abi.h"

#define CUPORT_HIDDEN __attribute__((visibility("hidden")))

CUPORT_HIDDEN cuport_cpu_memcheck_fn __cuport_memcheck_hook;

CUPORT_HIDDEN void __cuport_memcheck(const void *addr, uint64_t size, uint32_t kind, const char *where,
                                     uint32_t thread, const cuport_cpu_block_ctx *ctx) {
  cuport_cpu_memcheck_fn hook = __cuport_memcheck_hook;
  if (hook) hook(addr, size, kind, where, thread, ctx);
}

/* Hand-written CPU image for clang_abi_host.cu: what cuport-cc would emit for its kernel and variables. */
#include <stdint.h>

#include <cuport/cpu_kernel_abi.h>

#define EXPORT __attribute__((visibility("default")))

EXPORT int bias;          /* __device__ int bias; */
EXPORT int factor[2];     /* __constant__ int factor[2]; */

/* __global__ void square(int* out, int n) */
EXPORT void __cuport_k__Z6squarePii(void** args, cuport_cpu_block_ctx* ctx) {
  int* out = *(int**)args[0];
  int n = *(int*)args[1];
  for (uint32_t t = 0; t < ctx->block_dim[0]; ++t) {
    int i = (int)(ctx->block_idx[0] * ctx->block_dim[0] + t);
    if (i < n) out[i] = i * i * factor[0] + bias;
  }
}
EXPORT const cuport_cpu_kernel_info __cuport_i__Z6squarePii = {CUPORT_CPU_ABI_VERSION, 0, 0, 64, 0};

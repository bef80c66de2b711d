/* A hand-written CPU device image (include/cuport/cpu_kernel_abi.h) for the runtime tests: what cuport-cc
 * would produce for a few simple kernels, written directly in C. */
#include <stddef.h>
#include <stdint.h>

#include <cuport/cpu_kernel_abi.h>

#define EXPORT __attribute__((visibility("default")))

static uint32_t block_threads(const cuport_cpu_block_ctx* c) {
  return c->block_dim[0] * c->block_dim[1] * c->block_dim[2];
}
static uint64_t linear_block(const cuport_cpu_block_ctx* c) {
  return c->block_idx[0] + (uint64_t)c->grid_dim[0] * (c->block_idx[1] + (uint64_t)c->grid_dim[1] * c->block_idx[2]);
}

/* __global__ void mykernel(int* out): out[blockIdx.x * blockDim.x + threadIdx.x] = threadIdx.x (1-D). */
EXPORT void __cuport_k_mykernel(void** args, cuport_cpu_block_ctx* ctx) {
  int* out = *(int**)args[0];
  for (uint32_t t = 0; t < ctx->block_dim[0]; ++t) out[ctx->block_idx[0] * ctx->block_dim[0] + t] = (int)t;
}
EXPORT const cuport_cpu_kernel_info __cuport_i_mykernel = {CUPORT_CPU_ABI_VERSION, 0, 0, 64, 0};

/* __global__ void where(uint32_t* out): every thread of a 3-D launch records its coordinates. */
EXPORT void __cuport_k_where(void** args, cuport_cpu_block_ctx* ctx) {
  uint32_t* out = *(uint32_t**)args[0];
  const uint32_t n = block_threads(ctx);
  const uint64_t base = linear_block(ctx) * n;
  for (uint32_t z = 0; z < ctx->block_dim[2]; ++z)
    for (uint32_t y = 0; y < ctx->block_dim[1]; ++y)
      for (uint32_t x = 0; x < ctx->block_dim[0]; ++x) {
        uint32_t t = x + ctx->block_dim[0] * (y + ctx->block_dim[1] * z);
        uint32_t* o = out + 4 * (base + t);
        o[0] = ctx->block_idx[0] | ctx->block_idx[1] << 10 | ctx->block_idx[2] << 20;
        o[1] = x | y << 10 | z << 20;
        o[2] = ctx->grid_dim[0] | ctx->grid_dim[1] << 10 | ctx->grid_dim[2] << 20;
        o[3] = ctx->abi_version;
      }
}
EXPORT const cuport_cpu_kernel_info __cuport_i_where = {CUPORT_CPU_ABI_VERSION, 0, 0, 64, 0};

/* __device__ int table[4]; __constant__ float scale;
 * __global__ void scaled(float* out, int n, char tag): out[i] = table[i % 4] * scale + tag. */
EXPORT int table[4] = {1, 2, 3, 4};
EXPORT float scale = 1.0f;
EXPORT void __cuport_k_scaled(void** args, cuport_cpu_block_ctx* ctx) {
  float* out = *(float**)args[0];
  int n = *(int*)args[1];
  char tag = *(char*)args[2];
  for (uint32_t t = 0; t < ctx->block_dim[0]; ++t) {
    int i = (int)(ctx->block_idx[0] * ctx->block_dim[0] + t);
    if (i < n) out[i] = (float)table[i % 4] * scale + (float)tag;
  }
}
EXPORT const cuport_cpu_kernel_info __cuport_i_scaled = {CUPORT_CPU_ABI_VERSION, 0, 0, 64, 0};

/* Uses 1 KiB of static shared memory plus the dynamic part: reports alignment and a block-wide sum
 * computed through shared memory. out[block] = sum(tid) ; flags[block] = alignment bits. */
EXPORT void __cuport_k_shared_sum(void** args, cuport_cpu_block_ctx* ctx) {
  int* out = *(int**)args[0];
  int* flags = *(int**)args[1];
  int* st = (int*)ctx->shared_mem;
  int* dyn = (int*)ctx->dynamic_shared;
  const uint32_t n = ctx->block_dim[0];
  for (uint32_t t = 0; t < n; ++t) dyn[t] = (int)t;          /* "before the barrier" */
  st[0] = 0;
  for (uint32_t t = 0; t < n; ++t) st[0] += dyn[t];          /* "after the barrier" */
  out[ctx->block_idx[0]] = st[0];
  flags[ctx->block_idx[0]] = (int)((((uintptr_t)ctx->shared_mem % 64) == 0) | (((uintptr_t)ctx->dynamic_shared % 64) == 0) << 1 |
                                   (((uintptr_t)ctx->frame_mem % 64) == 0) << 2 | (ctx->thread_state != 0) << 3);
}
EXPORT const cuport_cpu_kernel_info __cuport_i_shared_sum = {CUPORT_CPU_ABI_VERSION, 1, 16, 64, 1024};

/* A kernel whose info claims a future CPU ABI: must be rejected. */
EXPORT void __cuport_k_future(void** args, cuport_cpu_block_ctx* ctx) { (void)args; (void)ctx; }
EXPORT const cuport_cpu_kernel_info __cuport_i_future = {CUPORT_CPU_ABI_VERSION + 1, 0, 0, 64, 0};

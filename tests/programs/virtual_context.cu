// Device functions that read the thread's context (threadIdx, blockIdx, blockDim) called virtually and
// through a table of function pointers in a __device__ variable.
#include <cstdio>
struct Op { __device__ virtual int apply(int x) const = 0; };
struct AddTid : Op { __device__ int apply(int x) const override { return x + threadIdx.x; } };
struct MulBlock : Op { __device__ int apply(int x) const override { return x * (blockIdx.x + 1) + blockDim.x; } };
__device__ int twice(int x) { return 2 * x + threadIdx.y; }
__device__ int negate(int x) { return -x; }
typedef int (*fn_t)(int);
__device__ fn_t table[2] = {twice, negate};
__global__ void k(int *out, int which) {
  AddTid a; MulBlock m;
  const Op *op = (threadIdx.x % 2) ? (const Op *)&a : (const Op *)&m;
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  out[i] = op->apply(10) + table[which](i);
}
int main() {
  int *d; cudaMalloc(&d, 128 * 4);
  int bad = 0;
  for (int which = 0; which < 2; ++which) {
    k<<<2, 64>>>(d, which);
    int h[128]; cudaMemcpy(h, d, sizeof h, cudaMemcpyDeviceToHost);
    for (int i = 0; i < 128; ++i) {
      int b = i / 64, t = i % 64;
      int e = (t % 2 ? 10 + t : 10 * (b + 1) + 64) + (which == 0 ? 2 * i : -i);
      if (h[i] != e && bad++ < 3) printf("%d: %d != %d\n", i, h[i], e);
    }
  }
  printf("virtual_context: %s\n", bad ? "FAIL" : "PASS");
  return bad != 0;
}

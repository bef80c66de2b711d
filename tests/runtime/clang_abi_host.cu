// Host code compiled by Clang itself (--cuda-host-only, new launch ABI) against libcuport: the module
// constructor registers the embedded container, <<<>>> goes through __cudaPushCallConfiguration, the stub
// through __cudaPopCallConfiguration and cudaLaunchKernel.  The device side is clang_abi_kernels.c.
#include <cuda_runtime_api.h>

#include <cstdio>

__device__ int bias;
__constant__ int factor[2];

__global__ void square(int* out, int n) {}

#define CHECK(x)                                                                     \
  do {                                                                               \
    cudaError_t e_ = (x);                                                            \
    if (e_ != cudaSuccess) {                                                         \
      std::printf("%s:%d: %s -> %s\n", __FILE__, __LINE__, #x, cudaGetErrorName(e_)); \
      return 1;                                                                      \
    }                                                                                \
  } while (0)

int main() {
  const int n = 1000;
  int* d = nullptr;
  CHECK(cudaMalloc(&d, n * sizeof(int)));
  const int f[2] = {3, 0};
  CHECK(cudaMemcpyToSymbol(factor, f, sizeof f));
  const int b = 7;
  CHECK(cudaMemcpyToSymbol(bias, &b, sizeof b));
  square<<<(n + 127) / 128, 128>>>(d, n);
  CHECK(cudaGetLastError());
  CHECK(cudaDeviceSynchronize());
  static int h[n];
  CHECK(cudaMemcpy(h, d, sizeof h, cudaMemcpyDeviceToHost));
  for (int i = 0; i < n; ++i)
    if (h[i] != i * i * 3 + 7) {
      std::printf("mismatch at %d: %d\n", i, h[i]);
      return 1;
    }
  square<<<1, 2048>>>(d, n);
  if (cudaGetLastError() != cudaErrorInvalidConfiguration) {
    std::printf("oversized block not rejected\n");
    return 1;
  }
  int back = 0;
  CHECK(cudaMemcpyFromSymbol(&back, bias, sizeof back));
  if (back != 7) return 1;
  CHECK(cudaFree(d));
  std::printf("clang ABI OK\n");
  return 0;
}

// Host-only C++ built with the system compiler and pkg-config's flags for cuport.
#include <cuda_runtime.h>
#include <cstdio>
int main() {
  int n = 0;
  cudaError_t e = cudaGetDeviceCount(&n);
  printf("pkg-config consumer: %d device(s), %s: %s\n", n, cudaGetErrorName(e), e == cudaSuccess && n > 0 ? "PASS" : "FAIL");
  return !(e == cudaSuccess && n > 0);
}

// A failing device assert: the message names file, line, function, block and thread as CUDA's does, the
// launch fails with cudaErrorAssert, and the program goes on (run.sh checks stderr).
#include <cassert>
#include <cstdio>

__global__ void check(const int *v) { assert(v[blockIdx.x * blockDim.x + threadIdx.x] >= 0); }

int main() {
  int h[64], *d;
  for (int i = 0; i < 64; ++i) h[i] = i == 37 ? -1 : i;
  cudaMalloc(&d, sizeof h);
  cudaMemcpy(d, h, sizeof h, cudaMemcpyHostToDevice);
  check<<<2, 32>>>(d);
  cudaError_t e = cudaDeviceSynchronize();
  printf("device_assert: %s: %s\n", cudaGetErrorName(e), e == cudaErrorAssert ? "PASS" : "FAIL");
  return e != cudaErrorAssert;
}

// Memcheck: a kernel stores doubles through a pointer 4 bytes into an allocation, so every 8-byte access is
// misaligned (a GPU faults on it).  The launch fails with cudaErrorMisalignedAddress.
#include <cstdio>

__global__ void fill(double *p, double v) { p[threadIdx.x] = v; }

int main() {
  char *buf = nullptr;
  cudaMalloc(&buf, 256);
  fill<<<1, 8>>>(reinterpret_cast<double *>(buf + 4), 1.5);
  cudaError_t e = cudaDeviceSynchronize();
  printf("memcheck_misaligned: cudaDeviceSynchronize returned %s\n", cudaGetErrorName(e));
  return 0;
}

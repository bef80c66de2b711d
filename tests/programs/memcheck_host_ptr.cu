// Memcheck: a kernel is given a host array (not cudaMalloc'd, not pinned or registered).  On the CPU backend
// the access would silently work; memcheck reports it as a host pointer, as a GPU would fault on it.
#include <cstdio>

static int host_table[64];

__global__ void twice(int *p) { p[threadIdx.x] *= 2; }

int main() {
  for (int i = 0; i < 64; ++i) host_table[i] = i;
  twice<<<1, 64>>>(host_table);
  cudaError_t e = cudaDeviceSynchronize();
  printf("memcheck_host_ptr: cudaDeviceSynchronize returned %s\n", cudaGetErrorName(e));
  return 0;
}

// Memcheck (docs/memcheck.md): a kernel writes one element past the end of a cudaMalloc allocation (thread
// 32 of a block of 33 threads, for 32 ints).  Built with --memcheck (or -G) and run with CUPORT_MEMCHECK=1,
// the write is reported before it happens, the launch is abandoned with cudaErrorIllegalAddress (sticky, as
// on a GPU), and the process exits with status 1.  run.sh checks the report (memcheck-oob).
#include <cstdio>

__global__ void write_past_end(int *a, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i <= n) a[i] = i;  // i == n: one past the end
}

int main() {
  const int n = 32;
  int *a = nullptr, *b = nullptr;
  cudaMalloc(&a, n * sizeof(int));
  write_past_end<<<1, n + 1>>>(a, n);
  cudaError_t e = cudaDeviceSynchronize();
  cudaError_t sticky = cudaMalloc(&b, 16);  // the context is unusable after an illegal address
  printf("memcheck_oob: cudaDeviceSynchronize returned %s, then cudaMalloc returned %s\n", cudaGetErrorName(e),
         cudaGetErrorName(sticky));
  return 0;
}

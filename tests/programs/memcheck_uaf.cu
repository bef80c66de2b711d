// Memcheck: a kernel reads device memory that the program already freed with cudaFree.  Reported as a use
// after free, naming the freed allocation.
#include <cstdio>

__global__ void sum(const int *in, int *out, int n) {
  int s = 0;
  for (int i = threadIdx.x; i < n; i += blockDim.x) s += in[i];
  atomicAdd(out, s);
}

int main() {
  const int n = 64;
  int host[n], *in = nullptr, *out = nullptr;
  for (int i = 0; i < n; ++i) host[i] = i;
  cudaMalloc(&out, sizeof(int));
  cudaMemset(out, 0, sizeof(int));
  cudaMalloc(&in, sizeof host);
  cudaMemcpy(in, host, sizeof host, cudaMemcpyHostToDevice);
  cudaFree(in);
  sum<<<1, 32>>>(in, out, n);  // in was freed
  cudaError_t e = cudaDeviceSynchronize();
  printf("memcheck_uaf: cudaDeviceSynchronize returned %s\n", cudaGetErrorName(e));
  return 0;
}

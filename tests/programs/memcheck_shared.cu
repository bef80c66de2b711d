// Memcheck: a kernel writes past the end of its static __shared__ array (thread 63 of block 1 writes
// tile[64]).  Reported as an invalid __shared__ write, with the block's shared memory sizes.
#include <cstdio>

__global__ void shifted_tile(float *out) {
  __shared__ float tile[64];
  tile[threadIdx.x + blockIdx.x] = float(threadIdx.x);  // block 1, thread 63: tile[64]
  __syncthreads();
  out[blockIdx.x * blockDim.x + threadIdx.x] = tile[threadIdx.x];
}

int main() {
  float *out = nullptr;
  cudaMalloc(&out, 2 * 64 * sizeof(float));
  shifted_tile<<<2, 64>>>(out);
  cudaError_t e = cudaDeviceSynchronize();
  printf("memcheck_shared: cudaDeviceSynchronize returned %s\n", cudaGetErrorName(e));
  return 0;
}

#include "sample.h"

#include <cstdio>
#include <cstdlib>

#define CHECK(call)                                                                        \
  do {                                                                                     \
    cudaError_t e_ = (call);                                                               \
    if (e_ != cudaSuccess) {                                                               \
      std::fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, cudaGetErrorString(e_));    \
      std::exit(1);                                                                        \
    }                                                                                      \
  } while (0)

// One step; each block stages its tile plus a halo cell on each side in shared memory.
__global__ void heat_step(const float* __restrict__ in, float* __restrict__ out, int n, float alpha) {
  extern __shared__ float tile[];
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  int t = threadIdx.x + 1;
  if (i < n) {
    tile[t] = in[i];
    if (threadIdx.x == 0) tile[0] = i > 0 ? in[i - 1] : 0.0f;
    if (threadIdx.x == blockDim.x - 1 || i == n - 1) tile[t + 1] = i + 1 < n ? in[i + 1] : 0.0f;
  }
  __syncthreads();
  if (i < n)
    out[i] = (i == 0 || i == n - 1) ? tile[t] : tile[t] + alpha * (tile[t - 1] - 2.0f * tile[t] + tile[t + 1]);
}

void heat_steps(float* host_u, int n, int steps, float alpha) {
  float *a, *b;
  CHECK(cudaMalloc(&a, n * sizeof(float)));
  CHECK(cudaMalloc(&b, n * sizeof(float)));
  CHECK(cudaMemcpy(a, host_u, n * sizeof(float), cudaMemcpyHostToDevice));
  const int block = 128, grid = (n + block - 1) / block;
  for (int s = 0; s < steps; ++s) {
    heat_step<<<grid, block, (block + 2) * sizeof(float)>>>(a, b, n, alpha);
    CHECK(cudaGetLastError());
    float* t = a; a = b; b = t;
  }
  CHECK(cudaMemcpy(host_u, a, n * sizeof(float), cudaMemcpyDeviceToHost));
  CHECK(cudaFree(a));
  CHECK(cudaFree(b));
}

#include "sample.h"

#include <cstdio>
#include <cstdlib>

__global__ void block_sum(const float* x, int n, double* total) {
  __shared__ double partial[256];
  double v = 0.0;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
    v += x[i];
  partial[threadIdx.x] = v;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) partial[threadIdx.x] += partial[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) atomicAdd(total, partial[0]);
}

double device_sum(const float* host_x, int n) {
  float* x;
  double* total;
  double result = 0.0;
  if (cudaMalloc(&x, n * sizeof(float)) != cudaSuccess || cudaMalloc(&total, sizeof(double)) != cudaSuccess) {
    std::fprintf(stderr, "device_sum: cudaMalloc failed\n");
    std::exit(1);
  }
  cudaMemcpy(x, host_x, n * sizeof(float), cudaMemcpyHostToDevice);
  cudaMemset(total, 0, sizeof(double));
  block_sum<<<16, 256>>>(x, n, total);
  cudaMemcpy(&result, total, sizeof(double), cudaMemcpyDeviceToHost);
  cudaFree(x);
  cudaFree(total);
  return result;
}

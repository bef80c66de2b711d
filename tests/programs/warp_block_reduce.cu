// Block reduction with warp shuffles: each warp reduces with __shfl_down_sync, warp leaders meet in
// shared memory, the first warp reduces those.
#include <cstdio>
#include <vector>

__inline__ __device__ float warpReduceSum(float v) {
  for (int offset = warpSize / 2; offset > 0; offset /= 2)
    v += __shfl_down_sync(0xffffffff, v, offset);
  return v;
}

__global__ void blockReduce(const float *in, float *out, int n) {
  static __shared__ float partial[32];
  int lane = threadIdx.x % warpSize, warp = threadIdx.x / warpSize;
  float v = 0;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x)
    v += in[i];
  v = warpReduceSum(v);
  if (lane == 0) partial[warp] = v;
  __syncthreads();
  v = threadIdx.x < blockDim.x / warpSize ? partial[lane] : 0;
  if (warp == 0) v = warpReduceSum(v);
  if (threadIdx.x == 0) atomicAdd(out, v);
}

int main() {
  const int n = 1 << 20;
  std::vector<float> h(n);
  double expect = 0;
  for (int i = 0; i < n; ++i) { h[i] = (i % 16) * 0.25f; expect += h[i]; }
  float *d, *dout, got = 0;
  cudaMalloc(&d, n * sizeof(float)); cudaMalloc(&dout, sizeof(float));
  cudaMemcpy(d, h.data(), n * sizeof(float), cudaMemcpyHostToDevice);
  cudaMemset(dout, 0, sizeof(float));
  blockReduce<<<64, 512>>>(d, dout, n);
  cudaMemcpy(&got, dout, sizeof got, cudaMemcpyDeviceToHost);
  bool ok = got == (float)expect;
  printf("warp_block_reduce: %.1f (expected %.1f): %s\n", got, expect, ok ? "PASS" : "FAIL");
  return !ok;
}

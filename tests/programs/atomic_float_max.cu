// A float atomic maximum built from atomicCAS on the value's bits, under heavy contention.
#include <cstdio>
#include <vector>

__device__ float atomicMaxFloat(float *addr, float value) {
  int *bits = reinterpret_cast<int *>(addr);
  int old = *bits, assumed;
  do {
    assumed = old;
    if (__int_as_float(assumed) >= value) break;
    old = atomicCAS(bits, assumed, __float_as_int(value));
  } while (old != assumed);
  return __int_as_float(old);
}

__global__ void maxKernel(const float *in, int n, float *result) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x)
    atomicMaxFloat(result, in[i]);
}

int main() {
  const int n = 2000000;
  std::vector<float> h(n);
  float expect = -1e30f;
  for (int i = 0; i < n; ++i) { h[i] = float((i * 7919) % 1000003) * 0.001f - 500.f; expect = h[i] > expect ? h[i] : expect; }
  float *d, *dr, init = -1e30f, got;
  cudaMalloc(&d, n * sizeof(float)); cudaMalloc(&dr, sizeof(float));
  cudaMemcpy(d, h.data(), n * sizeof(float), cudaMemcpyHostToDevice);
  cudaMemcpy(dr, &init, sizeof init, cudaMemcpyHostToDevice);
  maxKernel<<<256, 256>>>(d, n, dr);
  cudaMemcpy(&got, dr, sizeof got, cudaMemcpyDeviceToHost);
  printf("atomic_float_max: %f (expected %f): %s\n", got, expect, got == expect ? "PASS" : "FAIL");
  return got != expect;
}

// Histogram: per-block histograms with shared-memory atomics, merged with global atomics.
#include <cstdio>
#include <vector>

#define BINS 256

__global__ void histogram(const unsigned char *data, int n, unsigned *bins) {
  __shared__ unsigned local[BINS];
  for (int i = threadIdx.x; i < BINS; i += blockDim.x) local[i] = 0;
  __syncthreads();
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x)
    atomicAdd(&local[data[i]], 1u);
  __syncthreads();
  for (int i = threadIdx.x; i < BINS; i += blockDim.x)
    if (local[i]) atomicAdd(&bins[i], local[i]);
}

int main() {
  const int n = 5000011;
  std::vector<unsigned char> h(n);
  std::vector<unsigned> expect(BINS, 0), got(BINS);
  unsigned x = 12345;
  for (int i = 0; i < n; ++i) { x = x * 1103515245u + 12345u; h[i] = (x >> 16) % 200 < 150 ? (x >> 8) & 0x1f : (x >> 24); ++expect[h[i]]; }
  unsigned char *d; unsigned *bins;
  cudaMalloc(&d, n); cudaMalloc(&bins, BINS * sizeof(unsigned));
  cudaMemcpy(d, h.data(), n, cudaMemcpyHostToDevice);
  cudaMemset(bins, 0, BINS * sizeof(unsigned));
  histogram<<<120, 256>>>(d, n, bins);
  cudaMemcpy(got.data(), bins, BINS * sizeof(unsigned), cudaMemcpyDeviceToHost);
  bool ok = got == expect;
  printf("histogram: %d values into %d bins: %s\n", n, BINS, ok ? "PASS" : "FAIL");
  return !ok;
}

// Blelloch (work-efficient) exclusive scan of one block's tile in dynamic shared memory, with barriers
// in the up-sweep and down-sweep loops; tiles are combined on the host.
#include <cstdio>
#include <vector>

__global__ void blellochScan(const int *in, int *out, int *tileSums, int n) {
  extern __shared__ int temp[]; // 2 * blockDim.x
  int t = threadIdx.x, m = 2 * blockDim.x, base = blockIdx.x * m;
  temp[2 * t] = base + 2 * t < n ? in[base + 2 * t] : 0;
  temp[2 * t + 1] = base + 2 * t + 1 < n ? in[base + 2 * t + 1] : 0;
  int offset = 1;
  for (int d = m >> 1; d > 0; d >>= 1) {
    __syncthreads();
    if (t < d) {
      int ai = offset * (2 * t + 1) - 1, bi = offset * (2 * t + 2) - 1;
      temp[bi] += temp[ai];
    }
    offset *= 2;
  }
  if (t == 0) { tileSums[blockIdx.x] = temp[m - 1]; temp[m - 1] = 0; }
  for (int d = 1; d < m; d *= 2) {
    offset >>= 1;
    __syncthreads();
    if (t < d) {
      int ai = offset * (2 * t + 1) - 1, bi = offset * (2 * t + 2) - 1;
      int v = temp[ai]; temp[ai] = temp[bi]; temp[bi] += v;
    }
  }
  __syncthreads();
  if (base + 2 * t < n) out[base + 2 * t] = temp[2 * t];
  if (base + 2 * t + 1 < n) out[base + 2 * t + 1] = temp[2 * t + 1];
}

int main() {
  const int n = 100000, threads = 256, tile = 2 * threads, tiles = (n + tile - 1) / tile;
  std::vector<int> h(n), r(n), sums(tiles);
  for (int i = 0; i < n; ++i) h[i] = (i * 7) % 11 - 3;
  int *d, *dout, *dsums;
  cudaMalloc(&d, n * 4); cudaMalloc(&dout, n * 4); cudaMalloc(&dsums, tiles * 4);
  cudaMemcpy(d, h.data(), n * 4, cudaMemcpyHostToDevice);
  blellochScan<<<tiles, threads, tile * sizeof(int)>>>(d, dout, dsums, n);
  cudaMemcpy(r.data(), dout, n * 4, cudaMemcpyDeviceToHost);
  cudaMemcpy(sums.data(), dsums, tiles * 4, cudaMemcpyDeviceToHost);
  long long carry = 0, run = 0; int bad = 0;
  for (int b = 0; b < tiles; ++b) {
    for (int i = b * tile; i < n && i < (b + 1) * tile; ++i) {
      if (r[i] + carry != run && bad++ < 3) printf("out[%d] = %lld, expected %lld\n", i, r[i] + carry, run);
      run += h[i];
    }
    carry += sums[b];
  }
  printf("blelloch_scan: %s\n", bad ? "FAIL" : "PASS");
  return bad != 0;
}

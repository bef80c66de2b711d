// Several kernels with dynamic shared memory: per-block inclusive scan (Hillis-Steele, double buffer in
// one dynamic allocation), a scan of the block sums, and a fix-up pass.
#include <cstdio>
#include <vector>

__global__ void blockScan(const int *in, int *out, int *blockSums, int n) {
  extern __shared__ int buf[]; // 2 * blockDim.x ints
  int t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
  int *src = buf, *dst = buf + blockDim.x;
  src[t] = i < n ? in[i] : 0;
  __syncthreads();
  for (int off = 1; off < blockDim.x; off *= 2) {
    dst[t] = src[t] + (t >= off ? src[t - off] : 0);
    __syncthreads();
    int *tmp = src; src = dst; dst = tmp;
  }
  if (i < n) out[i] = src[t];
  if (t == blockDim.x - 1 && blockSums) blockSums[blockIdx.x] = src[t];
}

__global__ void addOffsets(int *data, const int *scannedSums, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (blockIdx.x > 0 && i < n) data[i] += scannedSums[blockIdx.x - 1];
}

int main() {
  const int n = 200000, threads = 512, blocks = (n + threads - 1) / threads; // blocks <= 512
  std::vector<int> h(n), r(n);
  for (int i = 0; i < n; ++i) h[i] = (i % 13) - 6;
  int *din, *dout, *dsums, *dscanned;
  cudaMalloc(&din, n * 4); cudaMalloc(&dout, n * 4); cudaMalloc(&dsums, blocks * 4); cudaMalloc(&dscanned, blocks * 4);
  cudaMemcpy(din, h.data(), n * 4, cudaMemcpyHostToDevice);
  blockScan<<<blocks, threads, 2 * threads * sizeof(int)>>>(din, dout, dsums, n);
  blockScan<<<1, threads, 2 * threads * sizeof(int)>>>(dsums, dscanned, nullptr, blocks);
  addOffsets<<<blocks, threads>>>(dout, dscanned, n);
  if (cudaGetLastError() != cudaSuccess) { printf("launch failed\nFAIL\n"); return 1; }
  cudaMemcpy(r.data(), dout, n * 4, cudaMemcpyDeviceToHost);
  long long s = 0; int bad = 0;
  for (int i = 0; i < n; ++i) {
    s += h[i];
    if (r[i] != s && bad++ < 3) printf("out[%d] = %d, expected %lld\n", i, r[i], s);
  }
  printf("multi_kernel_scan: %s\n", bad ? "FAIL" : "PASS");
  return bad != 0;
}

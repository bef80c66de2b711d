// reduction: sum of 4M integers-valued floats with a shared-memory tree per block (the barrier sits in a
// loop over blockDim.x), then a second pass over the partial sums.  Self-verifying (exact in double).
#include <cstdio>
#include <cstdlib>
#include <vector>

#define CHECK(call)                                                                                    \
  do {                                                                                                 \
    cudaError_t err_ = (call);                                                                         \
    if (err_ != cudaSuccess) {                                                                         \
      std::printf("%s:%d: %s failed: %s\n", __FILE__, __LINE__, #call, cudaGetErrorString(err_));     \
      std::printf("reduction: FAIL\n");                                                                \
      return EXIT_FAILURE;                                                                             \
    }                                                                                                  \
  } while (0)

template <typename T>
__global__ void blockSum(const T *in, T *out, unsigned n) {
  extern __shared__ unsigned char smem[];
  T *s = reinterpret_cast<T *>(smem);
  unsigned tid = threadIdx.x;
  // Grid-stride: each thread first folds two elements per stride, so any grid covers any n.
  T v = 0;
  for (unsigned i = blockIdx.x * (blockDim.x * 2) + tid; i < n; i += gridDim.x * blockDim.x * 2) {
    v += in[i];
    if (i + blockDim.x < n)
      v += in[i + blockDim.x];
  }
  s[tid] = v;
  __syncthreads();
  for (unsigned stride = blockDim.x / 2; stride > 0; stride >>= 1) {
    if (tid < stride)
      s[tid] += s[tid + stride];
    __syncthreads();
  }
  if (tid == 0)
    out[blockIdx.x] = s[0];
}

int main() {
  const unsigned n = 1u << 22;
  std::vector<double> h(n);
  double expect = 0;
  for (unsigned i = 0; i < n; ++i) {
    h[i] = double(int(i % 1000) - 500);
    expect += h[i];
  }
  double *din, *dpart, *dout;
  const unsigned threads = 256;
  unsigned blocks = (n + threads * 2 - 1) / (threads * 2);
  CHECK(cudaMalloc(&din, n * sizeof(double)));
  CHECK(cudaMalloc(&dpart, blocks * sizeof(double)));
  CHECK(cudaMalloc(&dout, sizeof(double)));
  CHECK(cudaMemcpy(din, h.data(), n * sizeof(double), cudaMemcpyHostToDevice));
  blockSum<double><<<blocks, threads, threads * sizeof(double)>>>(din, dpart, n);
  CHECK(cudaGetLastError());
  // Second pass: one block of 1024 threads folds the partial sums.
  blockSum<double><<<1, 1024, 1024 * sizeof(double)>>>(dpart, dout, blocks);
  CHECK(cudaGetLastError());
  double got = 0;
  CHECK(cudaMemcpy(&got, dout, sizeof(double), cudaMemcpyDeviceToHost));
  CHECK(cudaFree(din));
  CHECK(cudaFree(dpart));
  CHECK(cudaFree(dout));
  bool ok = got == expect;
  std::printf("reduction: sum of %u values = %.1f (expected %.1f): %s\n", n, got, expect, ok ? "PASS" : "FAIL");
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}

// Shared-memory tree reduction whose barrier sits in a loop over blockDim.x, for several block sizes.
#include <cstdio>
#include <vector>

__global__ void reduce(const unsigned *in, unsigned long long *out, unsigned n) {
  extern __shared__ unsigned long long partial[];
  unsigned t = threadIdx.x;
  unsigned long long v = 0;
  for (unsigned i = blockIdx.x * blockDim.x + t; i < n; i += gridDim.x * blockDim.x)
    v += in[i];
  partial[t] = v;
  __syncthreads();
  for (unsigned s = blockDim.x / 2; s > 0; s /= 2) {
    if (t < s)
      partial[t] += partial[t + s];
    __syncthreads();
  }
  if (t == 0)
    atomicAdd(out, partial[0]);
}

int main() {
  const unsigned n = 3000017;
  std::vector<unsigned> h(n);
  unsigned long long expect = 0;
  for (unsigned i = 0; i < n; ++i) expect += h[i] = (i * 2654435761u) >> 20;
  unsigned *d; unsigned long long *dout;
  cudaMalloc(&d, n * sizeof(unsigned)); cudaMalloc(&dout, sizeof(unsigned long long));
  cudaMemcpy(d, h.data(), n * sizeof(unsigned), cudaMemcpyHostToDevice);
  int failures = 0;
  for (unsigned threads : {32u, 128u, 512u, 1024u}) {
    cudaMemset(dout, 0, sizeof(unsigned long long));
    reduce<<<37, threads, threads * sizeof(unsigned long long)>>>(d, dout, n);
    unsigned long long got = 0;
    cudaMemcpy(&got, dout, sizeof got, cudaMemcpyDeviceToHost);
    printf("blockDim %4u: %llu (expected %llu)\n", threads, got, expect);
    failures += got != expect;
  }
  printf("tree_reduction: %s\n", failures ? "FAIL" : "PASS");
  return failures != 0;
}

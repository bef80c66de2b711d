// A 1-D stencil whose coefficients live in __constant__ memory, set with cudaMemcpyToSymbol; halo cells
// are staged in shared memory.
#include <cstdio>
#include <vector>

#define RADIUS 4
#define BLOCK 128
__constant__ float coeff[2 * RADIUS + 1];

__global__ void stencil(const float *in, float *out, int n) {
  __shared__ float tile[BLOCK + 2 * RADIUS];
  int g = blockIdx.x * blockDim.x + threadIdx.x, l = threadIdx.x + RADIUS;
  tile[l] = g < n ? in[g] : 0;
  if (threadIdx.x < RADIUS) {
    tile[l - RADIUS] = g >= RADIUS ? in[g - RADIUS] : 0;
    tile[l + BLOCK] = g + BLOCK < n ? in[g + BLOCK] : 0;
  }
  __syncthreads();
  if (g < n) {
    float s = 0;
    for (int k = -RADIUS; k <= RADIUS; ++k) s += coeff[k + RADIUS] * tile[l + k];
    out[g] = s;
  }
}

int main() {
  const int n = 100003;
  float c[2 * RADIUS + 1];
  for (int k = 0; k <= 2 * RADIUS; ++k) c[k] = 1.0f / (1 + k);
  cudaMemcpyToSymbol(coeff, c, sizeof c);
  std::vector<float> h(n), r(n);
  for (int i = 0; i < n; ++i) h[i] = float(i % 19);
  float *din, *dout;
  cudaMalloc(&din, n * 4); cudaMalloc(&dout, n * 4);
  cudaMemcpy(din, h.data(), n * 4, cudaMemcpyHostToDevice);
  stencil<<<(n + BLOCK - 1) / BLOCK, BLOCK>>>(din, dout, n);
  cudaMemcpy(r.data(), dout, n * 4, cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int i = 0; i < n; ++i) {
    float s = 0;
    for (int k = -RADIUS; k <= RADIUS; ++k) s += c[k + RADIUS] * (i + k >= 0 && i + k < n ? h[i + k] : 0);
    if (s != r[i] && fabsf(s - r[i]) > 1e-4f * fabsf(s) && bad++ < 3) printf("out[%d] = %f, expected %f\n", i, r[i], s);
  }
  printf("constant_stencil: %s\n", bad ? "FAIL" : "PASS");
  return bad != 0;
}

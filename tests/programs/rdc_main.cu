// Relocatable device code, file 2 of 2 (see rdc_lib.cu).  Built with -rdc=true / -dc and a device link.
#include <cstdio>

extern __device__ int counter;
extern __managed__ int managedHits[2];
__device__ float scaled(float x, int i);
void fillFromLib(float *p, float v);

namespace {
__global__ void fill(float *p, float v) { p[threadIdx.x] = -v; } // same name as rdc_lib.cu's
} // namespace

__global__ void apply(float *p, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) p[i] = scaled(p[i], i);
  if (i == 0) managedHits[1] += 1;
}

int main() {
  const int n = 1000;
  float h[n], *d;
  for (int i = 0; i < n; ++i) h[i] = float(i);
  cudaMalloc(&d, n * sizeof(float));
  cudaMemcpy(d, h, sizeof h, cudaMemcpyHostToDevice);
  int bad = managedHits[0] != 100 || managedHits[1] != 200; // initialized in rdc_lib.cu
  managedHits[1] = 20;
  int zero = 0;
  cudaMemcpyToSymbol(counter, &zero, sizeof zero);
  apply<<<(n + 127) / 128, 128>>>(d, n);
  int calls = 0;
  cudaMemcpyFromSymbol(&calls, counter, sizeof calls);
  cudaMemcpy(h, d, sizeof h, cudaMemcpyDeviceToHost);
  cudaDeviceSynchronize();
  bad += calls != n || managedHits[0] != 100 + n || managedHits[1] != 21;
  for (int i = 0; i < n; ++i) bad += h[i] != float(i) * float(i % 4 + 1);
  float a[32], b[32];
  fillFromLib(d, 5.0f);
  cudaMemcpy(a, d, sizeof a, cudaMemcpyDeviceToHost);
  fill<<<1, 32>>>(d, 5.0f);
  cudaMemcpy(b, d, sizeof b, cudaMemcpyDeviceToHost);
  bad += a[7] != 5.0f || b[7] != -5.0f;
  printf("rdc: %d device calls, managed %d/%d, fill %g/%g: %s\n", calls, managedHits[0], managedHits[1], a[7], b[7],
         bad ? "FAIL" : "PASS");
  return bad != 0;
}

// A plain C++ file that includes cuda_runtime.h (g++/clang++, no CUDA mode): runtime API and vector
// types only; device-only declarations vanish.
#include <cuda_runtime.h>
#include <algorithm>
#include <cmath>
#include <cstdio>

int min(int a, int b);  // user code may define its own min/max in a .cpp
int min(int a, int b) { return a < b ? a : b; }

int host_main() {
  float* p = nullptr;
  cudaError_t e = cudaMalloc((void**)&p, 16 * sizeof(float));
  if (e != cudaSuccess) std::printf("%s\n", cudaGetErrorString(e));
  float4 v = make_float4(1, 2, 3, 4);
  dim3 g(2, 3);
  cudaFree(p);
  return min(1, 2) + std::max(3, 4) + (int)std::sqrt(v.w) + (int)g.y + (int)sinf(0.0f) + std::abs(-1);
}

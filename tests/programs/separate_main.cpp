// Host-only C++: includes the CUDA runtime API and calls it, compiled as plain C++ by cuport-cc.
#include <cuda_runtime.h>
#include <cstdio>
#include "separate.h"

int main() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess || count < 1) { printf("no device\nFAIL\n"); return 1; }
  float x[300];
  for (int i = 0; i < 300; ++i) x[i] = i * 0.5f;
  squareOnDevice(x, 300);
  int bad = 0;
  for (int i = 0; i < 300; ++i) bad += x[i] != (i * 0.5f) * (i * 0.5f);
  printf("separate compilation: %s\n", bad ? "FAIL" : "PASS");
  return bad != 0;
}

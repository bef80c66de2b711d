#include <cstdio>
void saxpy(float a, const float *x, float *y, int n);
void scale(float *y, float s, int n);
int main() {
  const int n = 10000;
  float hx[n], hy[n], *x, *y;
  for (int i = 0; i < n; ++i) { hx[i] = i; hy[i] = 1; }
  cudaMalloc(&x, sizeof hx); cudaMalloc(&y, sizeof hy);
  cudaMemcpy(x, hx, sizeof hx, cudaMemcpyHostToDevice);
  cudaMemcpy(y, hy, sizeof hy, cudaMemcpyHostToDevice);
  saxpy(2.0f, x, y, n);
  scale(y, 0.5f, n);
  cudaMemcpy(hy, y, sizeof hy, cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int i = 0; i < n; ++i) bad += hy[i] != (2.0f * i + 1) * 0.5f;
  printf("find_package(cuport) consumer: %s\n", bad ? "FAIL" : "PASS");
  return bad != 0;
}

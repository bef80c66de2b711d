// One templated kernel instantiated for int, float and double (axpy with a functor).
#include <cstdio>
#include <vector>

template <typename T> struct Axpy {
  T a;
  __device__ T operator()(T x, T y) const { return a * x + y; }
};

template <typename T, typename Op> __global__ void apply(const T *x, T *y, int n, Op op) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = op(x[i], y[i]);
}

template <typename T> bool run(const char *name) {
  const int n = 10007;
  std::vector<T> x(n), y(n), r(n);
  for (int i = 0; i < n; ++i) { x[i] = T(i % 50); y[i] = T(i % 7); }
  T *dx, *dy;
  cudaMalloc(&dx, n * sizeof(T)); cudaMalloc(&dy, n * sizeof(T));
  cudaMemcpy(dx, x.data(), n * sizeof(T), cudaMemcpyHostToDevice);
  cudaMemcpy(dy, y.data(), n * sizeof(T), cudaMemcpyHostToDevice);
  apply<<<(n + 255) / 256, 256>>>(dx, dy, n, Axpy<T>{T(3)});
  cudaMemcpy(r.data(), dy, n * sizeof(T), cudaMemcpyDeviceToHost);
  cudaFree(dx); cudaFree(dy);
  for (int i = 0; i < n; ++i)
    if (r[i] != T(3) * x[i] + y[i]) { printf("%s: mismatch at %d\n", name, i); return false; }
  return true;
}

int main() {
  bool ok = run<int>("int") && run<float>("float") && run<double>("double");
  printf("template_types: %s\n", ok ? "PASS" : "FAIL");
  return !ok;
}

// C++ in device code: an extended lambda passed to a template kernel, virtual calls on objects created
// with new in a kernel, recursion, malloc/free in kernels.
#include <cstdio>
struct Shape { __device__ virtual float area() const = 0; __device__ virtual ~Shape() {} };
struct Sq : Shape { float s; __device__ Sq(float s) : s(s) {} __device__ float area() const override { return s * s; } };
struct Circ : Shape { float r; __device__ Circ(float r) : r(r) {} __device__ float area() const override { return 3.0f * r * r; } };
__device__ int fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }
template <typename F> __global__ void map(float *out, int n, F f) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = f(i);
}
__global__ void objects(float *out) {
  int t = threadIdx.x;
  Shape *s = (t % 2) ? (Shape *)new Sq(t) : (Shape *)new Circ(t);
  out[t] = s->area() + fact(t % 6);
  delete s;
  int *buf = (int *)malloc(16 * sizeof(int));
  buf[3] = t; out[t] += buf[3];
  free(buf);
}
int main() {
  float *d; cudaMalloc(&d, 64 * 4);
  float k = 1.5f;
  map<<<1, 64>>>(d, 64, [=] __device__(int i) { return k * i; });
  float h[64]; cudaMemcpy(h, d, sizeof h, cudaMemcpyDeviceToHost);
  int bad = 0; for (int i = 0; i < 64; ++i) bad += h[i] != 1.5f * i;
  objects<<<1, 32>>>(d);
  cudaMemcpy(h, d, 32 * 4, cudaMemcpyDeviceToHost);
  int f[6] = {1,1,2,6,24,120};
  for (int t = 0; t < 32; ++t) { float e = ((t%2) ? float(t)*t : 3.0f*t*t) + f[t%6] + t; bad += h[t] != e; if (h[t]!=e) printf("%d %f %f\n", t, h[t], e); }
  printf("cxx_device_features: %s\n", bad ? "FAIL" : "PASS");
  return bad;
}

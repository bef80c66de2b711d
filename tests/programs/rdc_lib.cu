// Relocatable device code, file 1 of 2: a device function, a __device__ variable and a __constant__ table
// used by kernels in rdc_main.cu, plus a kernel of its own with internal linkage whose name clashes with
// one in rdc_main.cu, and a __managed__ variable that rdc_main.cu's host code and kernels use.
__device__ int counter;
__managed__ int managedHits[2] = {100, 200};
__constant__ float scale[4] = {1.0f, 2.0f, 3.0f, 4.0f};

__device__ float scaled(float x, int i) {
  atomicAdd(&counter, 1);
  atomicAdd(&managedHits[0], 1);
  return x * scale[i % 4];
}

namespace {
__global__ void fill(float *p, float v) { p[threadIdx.x] = v; }
} // namespace

void fillFromLib(float *p, float v) { fill<<<1, 32>>>(p, v); }

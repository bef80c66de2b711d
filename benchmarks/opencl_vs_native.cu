// CUDA through cuport's OpenCL backend against the same algorithm written by hand in OpenCL C (the benchmark
// suite's kernels, benchmarks/suite/opencl_kernels.cpp), on the same OpenCL device, in one process: a
// memory-bound kernel (triad) and a compute-bound one (16x16 tiled matrix multiply with shared memory).  Runs alternate between the two versions; each result is checked against
// the other and the medians and their ratio are printed.
// Usage: opencl_vs_native [--quick]   (--quick: small sizes, one run, checks only)
#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>

#include <cuport/cuport_runtime.h>

#include "suite/opencl_kernels.h"
#include "suite/suite.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

constexpr int TILE = suite::kTile; // the hand-written matmul (suite::kOpenCLSource) uses the same tiles

__global__ void triad(float *a, const float *b, const float *c, float s, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    a[i] = b[i] + s * c[i];
}

__global__ void matmul(const float *A, const float *B, float *C, int n) {
  __shared__ float As[TILE][TILE];
  __shared__ float Bs[TILE][TILE];
  int row = blockIdx.y * TILE + threadIdx.y, col = blockIdx.x * TILE + threadIdx.x;
  float acc = 0.0f;
  for (int t = 0; t < n / TILE; ++t) {
    As[threadIdx.y][threadIdx.x] = A[row * n + t * TILE + threadIdx.x];
    Bs[threadIdx.y][threadIdx.x] = B[(t * TILE + threadIdx.y) * n + col];
    __syncthreads();
    for (int k = 0; k < TILE; ++k)
      acc += As[threadIdx.y][k] * Bs[k][threadIdx.x];
    __syncthreads();
  }
  C[row * n + col] = acc;
}

#define CUDA_CHECK(call)                                                                               \
  do {                                                                                                 \
    cudaError_t e_ = (call);                                                                           \
    if (e_ != cudaSuccess) {                                                                           \
      std::fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call, cudaGetErrorString(e_));      \
      std::exit(1);                                                                                    \
    }                                                                                                  \
  } while (0)
#define CL_CHECK(call)                                                                                 \
  do {                                                                                                 \
    cl_int e_ = (call);                                                                                \
    if (e_ != CL_SUCCESS) {                                                                            \
      std::fprintf(stderr, "%s:%d: %s: OpenCL error %d\n", __FILE__, __LINE__, #call, e_);            \
      std::exit(1);                                                                                    \
    }                                                                                                  \
  } while (0)

using Clock = std::chrono::steady_clock;
static double ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}
static double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// The hand-written side: plain OpenCL buffers and one in-order queue on the first device of the platform
// cuport's OpenCL backend uses by default.
struct Native {
  cl_context ctx;
  cl_command_queue q;
  cl_program prog;
  cl_kernel triad, matmul;
  std::string device;

  Native() {
    cl_platform_id platform;
    cl_device_id dev;
    CL_CHECK(clGetPlatformIDs(1, &platform, nullptr));
    CL_CHECK(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 1, &dev, nullptr));
    char name[256] = {0};
    clGetDeviceInfo(dev, CL_DEVICE_NAME, sizeof name - 1, name, nullptr);
    device = name;
    cl_int err;
    ctx = clCreateContext(nullptr, 1, &dev, nullptr, nullptr, &err);
    CL_CHECK(err);
    q = clCreateCommandQueueWithProperties(ctx, dev, nullptr, &err);
    CL_CHECK(err);
    const char *source = suite::kOpenCLSource;
    prog = clCreateProgramWithSource(ctx, 1, &source, nullptr, &err);
    CL_CHECK(err);
    CL_CHECK(clBuildProgram(prog, 1, &dev, suite::opencl_build_options().c_str(), nullptr, nullptr));
    triad = clCreateKernel(prog, "triad", &err);
    CL_CHECK(err);
    matmul = clCreateKernel(prog, "matmul", &err);
    CL_CHECK(err);
  }
  cl_mem buffer(size_t bytes, const void *init) {
    cl_int err;
    cl_mem m = clCreateBuffer(ctx, CL_MEM_READ_WRITE | (init ? CL_MEM_COPY_HOST_PTR : 0), bytes,
                              const_cast<void *>(init), &err);
    CL_CHECK(err);
    return m;
  }
  void run(cl_kernel k, int dims, const size_t *global, const size_t *local) {
    CL_CHECK(clEnqueueNDRangeKernel(q, k, dims, nullptr, global, local, 0, nullptr, nullptr));
    CL_CHECK(clFinish(q));
  }
};

static int pickOpenCLDevice() {
  int count = 0;
  CUDA_CHECK(cudaGetDeviceCount(&count));
  for (int d = 0; d < count; ++d) {
    const char *backend = nullptr;
    if (cuportDeviceGetBackend(d, &backend) == cudaSuccess && backend && std::strcmp(backend, "opencl") == 0)
      return d;
  }
  return -1;
}

int main(int argc, char **argv) {
  bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  setenv("CUPORT_BACKEND", "opencl", 0);
  int dev = pickOpenCLDevice();
  if (dev < 0) {
    std::printf("opencl_vs_native: SKIP (no OpenCL device through cuport)\n");
    return 0;
  }
  CUDA_CHECK(cudaSetDevice(dev));
  Native cl;
  cudaDeviceProp prop;
  CUDA_CHECK(cudaGetDeviceProperties(&prop, dev));
  const int runs = quick ? 1 : 7;
  bool ok = true;
  std::printf("device: %s | native OpenCL device: %s | %d runs each, interleaved, median\n", prop.name,
              cl.device.c_str(), runs);
  std::printf("%-28s %12s %12s %10s\n", "kernel", "cuport (ms)", "OpenCL C (ms)", "ratio");

  { // Triad: 3 x 4 bytes per element.
    const int n = quick ? (1 << 16) : (1 << 24);
    const float s = 3.0f;
    std::vector<float> b(n), c(n), a1(n), a2(n);
    for (int i = 0; i < n; ++i) {
      b[i] = float(i % 1000) * 0.5f;
      c[i] = float(i % 77) - 3.0f;
    }
    float *da, *db, *dc;
    CUDA_CHECK(cudaMalloc(&da, n * sizeof(float)));
    CUDA_CHECK(cudaMalloc(&db, n * sizeof(float)));
    CUDA_CHECK(cudaMalloc(&dc, n * sizeof(float)));
    CUDA_CHECK(cudaMemcpy(db, b.data(), n * sizeof(float), cudaMemcpyHostToDevice));
    CUDA_CHECK(cudaMemcpy(dc, c.data(), n * sizeof(float), cudaMemcpyHostToDevice));
    cl_mem ma = cl.buffer(n * sizeof(float), nullptr), mb = cl.buffer(n * sizeof(float), b.data()),
           mc = cl.buffer(n * sizeof(float), c.data());
    CL_CHECK(clSetKernelArg(cl.triad, 0, sizeof ma, &ma));
    CL_CHECK(clSetKernelArg(cl.triad, 1, sizeof mb, &mb));
    CL_CHECK(clSetKernelArg(cl.triad, 2, sizeof mc, &mc));
    CL_CHECK(clSetKernelArg(cl.triad, 3, sizeof s, &s));
    CL_CHECK(clSetKernelArg(cl.triad, 4, sizeof n, &n));
    size_t global = size_t((n + 255) / 256) * 256, local = 256;
    std::vector<double> tc, tn;
    for (int r = 0; r <= runs; ++r) { // run 0 warms up (program builds, first-touch)
      auto t0 = Clock::now();
      triad<<<(n + 255) / 256, 256>>>(da, db, dc, s, n);
      CUDA_CHECK(cudaDeviceSynchronize());
      auto t1 = Clock::now();
      cl.run(cl.triad, 1, &global, &local);
      auto t2 = Clock::now();
      if (r) {
        tc.push_back(ms(t0, t1));
        tn.push_back(ms(t1, t2));
      }
    }
    CUDA_CHECK(cudaMemcpy(a1.data(), da, n * sizeof(float), cudaMemcpyDeviceToHost));
    CL_CHECK(clEnqueueReadBuffer(cl.q, ma, CL_TRUE, 0, n * sizeof(float), a2.data(), 0, nullptr, nullptr));
    bool same = a1 == a2 && a1[n - 1] == b[n - 1] + s * c[n - 1];
    ok = ok && same;
    std::printf("%-28s %12.3f %12.3f %10.2f%s\n", "triad (memory-bound)", median(tc), median(tn),
                median(tn) / median(tc), same ? "" : "  MISMATCH");
    cudaFree(da), cudaFree(db), cudaFree(dc);
    clReleaseMemObject(ma), clReleaseMemObject(mb), clReleaseMemObject(mc);
  }

  { // Tiled matrix multiply.
    const int n = quick ? 64 : 512;
    std::vector<float> A(n * n), B(n * n), C1(n * n), C2(n * n);
    for (int i = 0; i < n * n; ++i) {
      A[i] = float((i * 7) % 13) / 13.0f - 0.5f;
      B[i] = float((i * 5) % 11) / 11.0f - 0.5f;
    }
    float *dA, *dB, *dC;
    CUDA_CHECK(cudaMalloc(&dA, n * n * sizeof(float)));
    CUDA_CHECK(cudaMalloc(&dB, n * n * sizeof(float)));
    CUDA_CHECK(cudaMalloc(&dC, n * n * sizeof(float)));
    CUDA_CHECK(cudaMemcpy(dA, A.data(), n * n * sizeof(float), cudaMemcpyHostToDevice));
    CUDA_CHECK(cudaMemcpy(dB, B.data(), n * n * sizeof(float), cudaMemcpyHostToDevice));
    cl_mem mA = cl.buffer(n * n * sizeof(float), A.data()), mB = cl.buffer(n * n * sizeof(float), B.data()),
           mC = cl.buffer(n * n * sizeof(float), nullptr);
    CL_CHECK(clSetKernelArg(cl.matmul, 0, sizeof mA, &mA));
    CL_CHECK(clSetKernelArg(cl.matmul, 1, sizeof mB, &mB));
    CL_CHECK(clSetKernelArg(cl.matmul, 2, sizeof mC, &mC));
    CL_CHECK(clSetKernelArg(cl.matmul, 3, sizeof n, &n));
    size_t global[2] = {size_t(n), size_t(n)}, local[2] = {TILE, TILE};
    std::vector<double> tc, tn;
    for (int r = 0; r <= runs; ++r) {
      auto t0 = Clock::now();
      matmul<<<dim3(n / TILE, n / TILE), dim3(TILE, TILE)>>>(dA, dB, dC, n);
      CUDA_CHECK(cudaDeviceSynchronize());
      auto t1 = Clock::now();
      cl.run(cl.matmul, 2, global, local);
      auto t2 = Clock::now();
      if (r) {
        tc.push_back(ms(t0, t1));
        tn.push_back(ms(t1, t2));
      }
    }
    CUDA_CHECK(cudaMemcpy(C1.data(), dC, n * n * sizeof(float), cudaMemcpyDeviceToHost));
    CL_CHECK(clEnqueueReadBuffer(cl.q, mC, CL_TRUE, 0, n * n * sizeof(float), C2.data(), 0, nullptr, nullptr));
    double worst = 0;
    for (int i = 0; i < n * n; ++i)
      worst = std::max(worst, double(std::fabs(C1[i] - C2[i])));
    bool same = worst <= 1e-3;
    ok = ok && same;
    std::printf("%-28s %12.3f %12.3f %10.2f%s\n", "tiled matmul (compute)", median(tc), median(tn),
                median(tn) / median(tc), same ? "" : "  MISMATCH");
    cudaFree(dA), cudaFree(dB), cudaFree(dC);
    clReleaseMemObject(mA), clReleaseMemObject(mB), clReleaseMemObject(mC);
  }
  std::printf("ratio = OpenCL C time / cuport time (above 1: cuport faster)\nopencl_vs_native: %s\n",
              ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}

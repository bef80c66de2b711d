// Device properties are honest and consistent with cudaDeviceGetAttribute; math in device code matches
// the host's.
#include "cuport_test.h"

#include <cmath>
#include <cstring>
#include <vector>

using cuport_test::BackendTest;

class DeviceTest : public BackendTest {};

TEST_P(DeviceTest, PropertiesAndAttributes) {
  cudaDeviceProp p;
  CUDA_OK(cudaGetDeviceProperties(&p, device_));
  EXPECT_GT(std::strlen(p.name), 0u);
  EXPECT_EQ(p.warpSize, 32);
  EXPECT_GE(p.maxThreadsPerBlock, 256);
  EXPECT_GT(p.multiProcessorCount, 0);
  EXPECT_GT(p.totalGlobalMem, size_t(1) << 28);
  EXPECT_GE(p.sharedMemPerBlock, size_t(16384));
  EXPECT_GE(p.major, 3);
  int v = 0;
  CUDA_OK(cudaDeviceGetAttribute(&v, cudaDevAttrWarpSize, device_));
  EXPECT_EQ(v, p.warpSize);
  CUDA_OK(cudaDeviceGetAttribute(&v, cudaDevAttrMaxThreadsPerBlock, device_));
  EXPECT_EQ(v, p.maxThreadsPerBlock);
  CUDA_OK(cudaDeviceGetAttribute(&v, cudaDevAttrMultiProcessorCount, device_));
  EXPECT_EQ(v, p.multiProcessorCount);
  CUDA_OK(cudaDeviceGetAttribute(&v, cudaDevAttrComputeCapabilityMajor, device_));
  EXPECT_EQ(v, p.major);
  CUDA_OK(cudaDeviceGetAttribute(&v, cudaDevAttrMaxBlockDimX, device_));
  EXPECT_EQ(v, p.maxThreadsDim[0]);
  CUDA_OK(cudaDeviceGetAttribute(&v, cudaDevAttrMaxGridDimY, device_));
  EXPECT_EQ(v, p.maxGridSize[1]);
  CUDA_OK(cudaDeviceGetAttribute(&v, cudaDevAttrClockRate, device_));
  EXPECT_GT(v, 0); // kHz; cudaDeviceProp::clockRate was removed in CUDA 13, programs read the attribute
  int runtime = 0, driver = 0;
  CUDA_OK(cudaRuntimeGetVersion(&runtime));
  CUDA_OK(cudaDriverGetVersion(&driver));
  EXPECT_EQ(runtime, CUDART_VERSION);
  EXPECT_GE(driver, runtime);
}

namespace {
__global__ void mathKernel(const float *x, float *out, const double *xd, double *outd, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  float v = x[i];
  out[i * 6 + 0] = sqrtf(v);
  out[i * 6 + 1] = expf(-v);
  out[i * 6 + 2] = sinf(v) + cosf(v);
  out[i * 6 + 3] = logf(v + 1.0f);
  out[i * 6 + 4] = powf(v, 1.5f);
  out[i * 6 + 5] = fmaxf(v, 2.0f) + fminf(v, 2.0f) + fabsf(-v) + floorf(v);
  double w = xd[i];
  outd[i * 3 + 0] = sqrt(w) + exp(-w);
  outd[i * 3 + 1] = sin(w) * cos(w);
  outd[i * 3 + 2] = tanh(w) + erf(w * 0.1);
}
} // namespace

TEST_P(DeviceTest, BasicMathMatchesHost) {
  const int n = 300;
  std::vector<float> x(n);
  std::vector<double> xd(n);
  for (int i = 0; i < n; ++i) {
    x[i] = 0.05f * i;
    xd[i] = 0.03 * i;
  }
  float *dx, *dout;
  double *dxd, *doutd;
  CUDA_OK(cudaMalloc(&dx, n * sizeof(float)));
  CUDA_OK(cudaMalloc(&dout, 6 * n * sizeof(float)));
  CUDA_OK(cudaMalloc(&dxd, n * sizeof(double)));
  CUDA_OK(cudaMalloc(&doutd, 3 * n * sizeof(double)));
  CUDA_OK(cudaMemcpy(dx, x.data(), n * sizeof(float), cudaMemcpyHostToDevice));
  CUDA_OK(cudaMemcpy(dxd, xd.data(), n * sizeof(double), cudaMemcpyHostToDevice));
  mathKernel<<<(n + 63) / 64, 64>>>(dx, dout, dxd, doutd, n);
  CUDA_OK(cudaGetLastError());
  std::vector<float> r(6 * n);
  std::vector<double> rd(3 * n);
  CUDA_OK(cudaMemcpy(r.data(), dout, r.size() * sizeof(float), cudaMemcpyDeviceToHost));
  CUDA_OK(cudaMemcpy(rd.data(), doutd, rd.size() * sizeof(double), cudaMemcpyDeviceToHost));
  for (int i = 0; i < n; ++i) {
    float v = x[i];
    float e[6] = {std::sqrt(v), std::exp(-v), std::sin(v) + std::cos(v), std::log(v + 1.0f),
                  std::pow(v, 1.5f), std::fmax(v, 2.0f) + std::fmin(v, 2.0f) + std::fabs(-v) + std::floor(v)};
    for (int k = 0; k < 6; ++k)
      ASSERT_NEAR(r[i * 6 + k], e[k], 2e-6f * (1 + std::fabs(e[k]))) << "i=" << i << " k=" << k;
    double w = xd[i];
    double ed[3] = {std::sqrt(w) + std::exp(-w), std::sin(w) * std::cos(w), std::tanh(w) + std::erf(w * 0.1)};
    for (int k = 0; k < 3; ++k)
      ASSERT_NEAR(rd[i * 3 + k], ed[k], 1e-14 * (1 + std::fabs(ed[k]))) << "i=" << i << " k=" << k;
  }
  CUDA_OK(cudaFree(dx));
  CUDA_OK(cudaFree(dout));
  CUDA_OK(cudaFree(dxd));
  CUDA_OK(cudaFree(doutd));
}

CUPORT_INSTANTIATE_BACKENDS(DeviceTest);

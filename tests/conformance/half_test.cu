// __half / __half2 from <cuda_fp16.h>: conversions (rounding, subnormals, overflow, NaN), arithmetic,
// comparisons, on the device against the same operations on the host.
#include "cuport_test.h"

#include <cuda_fp16.h>

#include <cmath>
#include <cstring>
#include <vector>

using cuport_test::BackendTest;

namespace {

__global__ void halfOps(const float *in, unsigned short *bits, float *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  __half a = __float2half(in[i]), b = __float2half(in[(i + 1) % n]);
  bits[i] = __half_as_ushort(a);
  out[i * 6 + 0] = __half2float(__hadd(a, b));
  out[i * 6 + 1] = __half2float(a * b);
  out[i * 6 + 2] = __half2float(__hfma(a, b, __float2half(1.0f)));
  out[i * 6 + 3] = (a < b) + 2 * (a == b);
  __half2 p = __floats2half2_rn(in[i], 2.0f);
  __half2 q = __hmul2(p, __half2half2(__float2half(0.5f)));
  out[i * 6 + 4] = __low2float(q) + __high2float(q);
  out[i * 6 + 5] = __half2float(__hmax(a, b));
}

} // namespace

class HalfTest : public BackendTest {};

TEST_P(HalfTest, ConversionsAndArithmetic) {
  std::vector<float> in = {0.0f, -0.0f, 1.0f, -2.5f, 65504.0f, 65520.0f, 1e6f, 5.96e-8f, 2.98e-8f, 6.1e-5f,
                           0.1f, 1.0009765625f, 1.00048828125f, 3.14159f, -1e-3f, NAN, INFINITY, 1024.5f};
  int n = int(in.size());
  float *din, *dout;
  unsigned short *dbits;
  CUDA_OK(cudaMalloc(&din, n * sizeof(float)));
  CUDA_OK(cudaMalloc(&dout, 6 * n * sizeof(float)));
  CUDA_OK(cudaMalloc(&dbits, n * sizeof(unsigned short)));
  CUDA_OK(cudaMemcpy(din, in.data(), n * sizeof(float), cudaMemcpyHostToDevice));
  halfOps<<<1, 32>>>(din, dbits, dout, n);
  CUDA_OK(cudaGetLastError());
  std::vector<unsigned short> bits(n);
  std::vector<float> out(6 * n);
  CUDA_OK(cudaMemcpy(bits.data(), dbits, n * sizeof(unsigned short), cudaMemcpyDeviceToHost));
  CUDA_OK(cudaMemcpy(out.data(), dout, out.size() * sizeof(float), cudaMemcpyDeviceToHost));
  // Known encodings (IEEE binary16, round to nearest even).
  EXPECT_EQ(bits[0], 0x0000);
  EXPECT_EQ(bits[1], 0x8000);
  EXPECT_EQ(bits[2], 0x3c00);
  EXPECT_EQ(bits[3], 0xc100);
  EXPECT_EQ(bits[4], 0x7bff); // largest finite
  EXPECT_EQ(bits[5], 0x7c00); // rounds to infinity
  EXPECT_EQ(bits[6], 0x7c00);
  EXPECT_EQ(bits[7], 0x0001); // smallest subnormal
  EXPECT_EQ(bits[8], 0x0000); // ties to even at the bottom
  EXPECT_EQ(bits[11], 0x3c01);
  EXPECT_EQ(bits[12], 0x3c00); // tie rounds to even
  EXPECT_EQ(bits[15] & 0x7c00, 0x7c00);
  EXPECT_NE(bits[15] & 0x3ff, 0); // NaN stays NaN
  EXPECT_EQ(bits[16], 0x7c00);
  EXPECT_EQ(bits[17], 0x6400); // 1024.5 is a tie between 1024 and 1025: even mantissa
  for (int i = 0; i < n; ++i) {
    float a = __half2float(__float2half(in[i])), b = __half2float(__float2half(in[(i + 1) % n]));
    float expect[6] = {__half2float(__float2half(a + b)), __half2float(__float2half(a * b)),
                       __half2float(__float2half(float(double(a) * b + 1.0))), float((a < b) + 2 * (a == b)),
                       __half2float(__float2half(a * 0.5f)) + 1.0f,
                       std::isnan(a) ? b : std::isnan(b) ? a : (a < b ? b : a)};
    for (int k = 0; k < 6; ++k) {
      if (std::isnan(expect[k]))
        EXPECT_TRUE(std::isnan(out[i * 6 + k])) << i << "," << k;
      else
        EXPECT_EQ(out[i * 6 + k], expect[k]) << "input " << in[i] << " op " << k;
    }
  }
  CUDA_OK(cudaFree(din));
  CUDA_OK(cudaFree(dout));
  CUDA_OK(cudaFree(dbits));
}

CUPORT_INSTANTIATE_BACKENDS(HalfTest);

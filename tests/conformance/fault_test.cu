// Faulting kernels: an invalid address, a failed device assert and __trap() make the launch fail with
// CUDA's error, reported at the next synchronizing call and sticky until cudaDeviceReset; the process and
// the device keep working afterwards.
#include "cuport_test.h"

#include <cassert>

using cuport_test::BackendTest;

namespace {

__global__ void writeThrough(int *p, int bad_block) {
  int *target = blockIdx.x == unsigned(bad_block) && threadIdx.x == 3 ? reinterpret_cast<int *>(16) : p;
  target[threadIdx.x] = int(threadIdx.x);
}

__global__ void assertPositive(const int *v) { assert(v[threadIdx.x] > 0); }

__global__ void trapIf(int when) {
  if (int(threadIdx.x) == when)
    __trap();
}

__global__ void fill(int *p, int v) { p[blockIdx.x * blockDim.x + threadIdx.x] = v; }

} // namespace

class FaultTest : public BackendTest {
protected:
  // A fault is reported at the next synchronization, stays until cudaDeviceReset, and after the reset
  // the device works again.
  void expectContained(cudaError_t expected) {
    EXPECT_EQ(cudaDeviceSynchronize(), expected);
    EXPECT_EQ(cudaGetLastError(), expected);
    void *p = nullptr;
    EXPECT_EQ(cudaMalloc(&p, 64), expected) << "the error must be sticky";
    CUDA_OK(cudaDeviceReset());
    (void)cudaGetLastError(); // the failed cudaMalloc above recorded the error too
    int *d = nullptr;
    CUDA_OK(cudaMalloc(&d, 64 * sizeof(int)));
    fill<<<1, 64>>>(d, 7);
    CUDA_OK(cudaGetLastError());
    int h[64];
    CUDA_OK(cudaMemcpy(h, d, sizeof h, cudaMemcpyDeviceToHost));
    for (int i = 0; i < 64; ++i)
      ASSERT_EQ(h[i], 7);
    CUDA_OK(cudaFree(d));
  }
};

TEST_P(FaultTest, InvalidAddressIsIllegalAddress) {
  int *d;
  CUDA_OK(cudaMalloc(&d, 128 * sizeof(int)));
  writeThrough<<<64, 32>>>(d, 40);
  expectContained(cudaErrorIllegalAddress);
}

TEST_P(FaultTest, FailedAssertIsAssertError) {
  int h[32];
  for (int i = 0; i < 32; ++i)
    h[i] = i == 17 ? -1 : 1;
  int *d;
  CUDA_OK(cudaMalloc(&d, sizeof h));
  CUDA_OK(cudaMemcpy(d, h, sizeof h, cudaMemcpyHostToDevice));
  assertPositive<<<2, 32>>>(d);
  expectContained(cudaErrorAssert);
}

TEST_P(FaultTest, TrapIsLaunchFailure) {
  trapIf<<<4, 32>>>(5);
  expectContained(cudaErrorLaunchFailure);
}

CUPORT_INSTANTIATE_BACKENDS(FaultTest);

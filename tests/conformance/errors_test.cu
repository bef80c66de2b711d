// Error reporting as CUDA does it: launch-configuration errors through cudaGetLastError (which then
// resets), error names and strings, invalid devices.
#include "cuport_test.h"

#include <cstring>
#include <string>

using cuport_test::BackendTest;

namespace {
__global__ void touch(int *p) {
  if (p)
    p[threadIdx.x] = 1;
}
} // namespace

class ErrorTest : public BackendTest {};

TEST_P(ErrorTest, InvalidLaunchConfigurations) {
  cudaDeviceProp prop;
  CUDA_OK(cudaGetDeviceProperties(&prop, device_));
  struct Case {
    dim3 grid, block;
    size_t shared;
  } cases[] = {
      {dim3(1), dim3(prop.maxThreadsPerBlock + 1), 0},
      {dim3(1), dim3(32, 33), 0},
      {dim3(1), dim3(1, 1, prop.maxThreadsDim[2] + 1), 0},
      {dim3(0), dim3(1), 0},
      {dim3(1), dim3(0), 0},
      {dim3(1, prop.maxGridSize[1] + 1), dim3(1), 0},
      {dim3(1), dim3(32), prop.sharedMemPerBlock * 64 + 1},
  };
  for (const Case &c : cases) {
    touch<<<c.grid, c.block, c.shared>>>(nullptr);
    EXPECT_EQ(cudaPeekAtLastError(), cudaErrorInvalidConfiguration);
    EXPECT_EQ(cudaGetLastError(), cudaErrorInvalidConfiguration);
    EXPECT_EQ(cudaGetLastError(), cudaSuccess) << "cudaGetLastError must reset the error";
  }
  // The device still works afterwards.
  int *d;
  CUDA_OK(cudaMalloc(&d, 32 * sizeof(int)));
  touch<<<1, 32>>>(d);
  CUDA_OK(cudaGetLastError());
  CUDA_OK(cudaDeviceSynchronize());
  CUDA_OK(cudaFree(d));
}

TEST_P(ErrorTest, NamesAndStrings) {
  EXPECT_STREQ(cudaGetErrorName(cudaSuccess), "cudaSuccess");
  EXPECT_STREQ(cudaGetErrorName(cudaErrorInvalidConfiguration), "cudaErrorInvalidConfiguration");
  EXPECT_STREQ(cudaGetErrorName(cudaErrorMemoryAllocation), "cudaErrorMemoryAllocation");
  EXPECT_EQ(int(cudaErrorInvalidConfiguration), 9);
  EXPECT_EQ(int(cudaErrorInvalidDevice), 101);
  EXPECT_EQ(int(cudaErrorIllegalAddress), 700);
  EXPECT_GT(std::strlen(cudaGetErrorString(cudaErrorInvalidValue)), 5u);
}

TEST_P(ErrorTest, InvalidDevice) {
  int count = 0;
  CUDA_OK(cudaGetDeviceCount(&count));
  EXPECT_EQ(cudaSetDevice(count + 3), cudaErrorInvalidDevice);
  (void)cudaGetLastError();
  cudaDeviceProp prop;
  EXPECT_EQ(cudaGetDeviceProperties(&prop, -1), cudaErrorInvalidDevice);
  (void)cudaGetLastError();
  int current = -1;
  CUDA_OK(cudaGetDevice(&current));
  EXPECT_EQ(current, device_);
}

TEST_P(ErrorTest, OutOfMemoryIsReported) {
  void *p = nullptr;
  EXPECT_EQ(cudaMalloc(&p, size_t(1) << 62), cudaErrorMemoryAllocation);
  EXPECT_EQ(cudaGetLastError(), cudaErrorMemoryAllocation);
  EXPECT_EQ(cudaGetLastError(), cudaSuccess);
}

CUPORT_INSTANTIATE_BACKENDS(ErrorTest);

// Without a usable backend the runtime reports errors, never crashes.  Run by ctest with CUPORT_BACKEND
// naming a missing backend (NoBackend.*) or a library that is not a backend (BrokenBackend.*).
#include <gtest/gtest.h>

#include <cuda_runtime_api.h>

#include "test_image.h"

namespace {

void expect_all_fail(cudaError_t expected) {
  cuport_test::register_test_image();  // registration itself never needs the backend
  int count = 7;
  EXPECT_EQ(cudaGetDeviceCount(&count), expected);
  EXPECT_EQ(count, 0);
  EXPECT_EQ(cudaGetLastError(), expected);
  void* p = nullptr;
  EXPECT_EQ(cudaMalloc(&p, 16), expected);
  EXPECT_EQ(cudaFree(nullptr), expected);
  cudaDeviceProp prop;
  EXPECT_EQ(cudaGetDeviceProperties(&prop, 0), expected);
  EXPECT_EQ(cudaSetDevice(0), expected);
  void* args[] = {&p};
  EXPECT_EQ(cudaLaunchKernel(&cuport_test::stub_mykernel, dim3(1), dim3(1), args, 0, nullptr), expected);
  EXPECT_EQ(cudaDeviceSynchronize(), expected);
  int version = -1;
  EXPECT_EQ(cudaDriverGetVersion(&version), cudaSuccess);
  EXPECT_EQ(version, 0);
  EXPECT_EQ(cudaRuntimeGetVersion(&version), cudaSuccess);
  EXPECT_EQ(version, CUDART_VERSION);
}

TEST(NoBackend, EveryCallReportsNoDevice) { expect_all_fail(cudaErrorNoDevice); }

TEST(BrokenBackend, EveryCallReportsInitializationError) { expect_all_fail(cudaErrorInitializationError); }

}  // namespace

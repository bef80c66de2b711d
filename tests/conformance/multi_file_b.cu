#include "cuport_test.h"

using cuport_test::BackendTest;

void launchA(int *out);
void launchShared(int *out);
int sharedFormula(int x);

namespace {
__device__ int helper(int x) { return x * 100; }
__global__ void kernelB(int *out) { out[threadIdx.x] = helper(threadIdx.x); }
} // namespace

class MultiFileTest : public BackendTest {};

TEST_P(MultiFileTest, KernelsFromTwoTranslationUnits) {
  int *d;
  CUDA_OK(cudaMalloc(&d, 32 * sizeof(int)));
  int r[32];
  launchA(d);
  CUDA_OK(cudaMemcpy(r, d, sizeof r, cudaMemcpyDeviceToHost));
  for (int t = 0; t < 32; ++t)
    ASSERT_EQ(r[t], t + 1);
  kernelB<<<1, 32>>>(d);
  CUDA_OK(cudaMemcpy(r, d, sizeof r, cudaMemcpyDeviceToHost));
  for (int t = 0; t < 32; ++t)
    ASSERT_EQ(r[t], t * 100);
  launchShared(d);
  CUDA_OK(cudaMemcpy(r, d, sizeof r, cudaMemcpyDeviceToHost));
  for (int t = 0; t < 32; ++t)
    ASSERT_EQ(r[t], sharedFormula(t));
  CUDA_OK(cudaFree(d));
}

CUPORT_INSTANTIATE_BACKENDS(MultiFileTest);

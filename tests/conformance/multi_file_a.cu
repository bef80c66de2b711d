// Two translation units with kernels, both defining an internal helper of the same name and a
// __host__ __device__ function: device code of each .cu stays separate from the other and from host code.
#include "cuport_test.h"

namespace {
__device__ int helper(int x) { return x + 1; }
__global__ void kernelA(int *out) { out[threadIdx.x] = helper(threadIdx.x); }
} // namespace

__host__ __device__ int sharedFormula(int x) { return 3 * x + 1; }

__global__ void kernelUsingShared(int *out) { out[threadIdx.x] = sharedFormula(threadIdx.x); }

void launchA(int *out) { kernelA<<<1, 32>>>(out); }
void launchShared(int *out) { kernelUsingShared<<<1, 32>>>(out); }

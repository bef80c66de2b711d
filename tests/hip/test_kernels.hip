// Device code for hip_backend_test.cpp, compiled by clang-15 into one AMDGPU code object per architecture
// (no HIP headers or device libraries needed): a kernel with static shared memory and an initialized variable.
#define __global__ __attribute__((global))
#define __device__ __attribute__((device))
#define __shared__ __attribute__((shared))

__device__ int counter[4] = {1, 2, 3, 4};
__device__ float scratch[256];

__global__ void add_shared(int* p, int v) {
  __shared__ int tile[64];
  const unsigned t = __builtin_amdgcn_workitem_id_x();
  tile[t] = v;
  __builtin_amdgcn_s_barrier();
  p[t] += tile[(t + 1) % 64] + counter[t % 4];
}

__global__ void no_params() { scratch[__builtin_amdgcn_workitem_id_x()] = 1.0f; }

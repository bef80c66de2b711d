// Kernels as objects: cudaFuncGetAttributes, cudaFuncSetAttribute (dynamic shared memory opt-in honoured by
// later launches), cudaFuncSetCacheConfig, occupancy queries with numbers derived from the device's
// properties, launches through host function pointers and cudaLaunchKernel; plus the deprecated and no-op
// calls old programs make (cudaThread*, profiler control, NVTX markers).
#include "cuport_test.h"

#include <cuda_profiler_api.h>
#include <nvtx3/nvToolsExt.h>

#include <algorithm>
#include <vector>

using cuport_test::BackendTest;

namespace {

__global__ void staticShared(float *out) {
  __shared__ float tile[1000];
  tile[threadIdx.x] = threadIdx.x * 2.0f;
  __syncthreads();
  out[threadIdx.x] = tile[blockDim.x - 1 - threadIdx.x];
}

__global__ void noShared(int *out) { out[blockIdx.x * blockDim.x + threadIdx.x] = blockIdx.x * 1000 + threadIdx.x; }

// Writes the last int of its dynamic shared memory and reads it back, so a launch with too little shared
// memory would be visible.
__global__ void bigDynamicShared(int *out, int words) {
  extern __shared__ int dyn[];
  for (int i = threadIdx.x; i < words; i += blockDim.x)
    dyn[i] = i;
  __syncthreads();
  if (threadIdx.x == 0)
    out[0] = dyn[words - 1] + dyn[0];
}

__global__ void addOne(int *p) { p[threadIdx.x] += 1; }

} // namespace

class KernelObjectTest : public BackendTest {
protected:
  int attr(cudaDeviceAttr a) {
    int v = -1;
    EXPECT_EQ(cudaDeviceGetAttribute(&v, a, device_), cudaSuccess);
    return v;
  }
};

TEST_P(KernelObjectTest, FuncGetAttributes) {
  cudaFuncAttributes a;
  CUDA_OK(cudaFuncGetAttributes(&a, staticShared));
  EXPECT_EQ(a.sharedSizeBytes, 1000 * sizeof(float));
  EXPECT_EQ(a.maxThreadsPerBlock, attr(cudaDevAttrMaxThreadsPerBlock));
  EXPECT_EQ(a.numRegs, 0);
  EXPECT_EQ(a.maxDynamicSharedSizeBytes, attr(cudaDevAttrMaxSharedMemoryPerBlock) - int(a.sharedSizeBytes));
  CUDA_OK(cudaFuncGetAttributes(&a, (const void *)noShared));
  EXPECT_EQ(a.sharedSizeBytes, 0u);
  EXPECT_EQ(a.maxDynamicSharedSizeBytes, attr(cudaDevAttrMaxSharedMemoryPerBlock));
  static int notAKernel;
  EXPECT_EQ(cudaFuncGetAttributes(&a, (const void *)&notAKernel), cudaErrorInvalidDeviceFunction);
  EXPECT_EQ(cudaGetLastError(), cudaErrorInvalidDeviceFunction);
  EXPECT_EQ(cudaFuncGetAttributes(nullptr, (const void *)noShared), cudaErrorInvalidValue);
  (void)cudaGetLastError();
}

TEST_P(KernelObjectTest, MaxDynamicSharedOptInIsValidatedAndHonoured) {
  const int perBlock = attr(cudaDevAttrMaxSharedMemoryPerBlock);
  const int optin = attr(cudaDevAttrMaxSharedMemoryPerBlockOptin);
  if (optin <= perBlock)
    GTEST_SKIP() << "the device has no opt-in shared memory beyond " << perBlock;
  int *out = nullptr;
  CUDA_OK(cudaMalloc(&out, sizeof(int)));
  const int words = optin / int(sizeof(int));
  // Before opting in, a launch over the default limit is a configuration error.
  bigDynamicShared<<<1, 128, optin>>>(out, words);
  EXPECT_EQ(cudaGetLastError(), cudaErrorInvalidConfiguration);
  EXPECT_EQ(cudaFuncSetAttribute(bigDynamicShared, cudaFuncAttributeMaxDynamicSharedMemorySize, optin + 1),
            cudaErrorInvalidValue);
  EXPECT_EQ(cudaFuncSetAttribute(bigDynamicShared, cudaFuncAttributeMaxDynamicSharedMemorySize, -1),
            cudaErrorInvalidValue);
  EXPECT_EQ(cudaFuncSetAttribute(bigDynamicShared, cudaFuncAttribute(99), 0), cudaErrorInvalidValue);
  (void)cudaGetLastError();
  CUDA_OK(cudaFuncSetAttribute(bigDynamicShared, cudaFuncAttributeMaxDynamicSharedMemorySize, optin));
  cudaFuncAttributes a;
  CUDA_OK(cudaFuncGetAttributes(&a, bigDynamicShared));
  EXPECT_EQ(a.maxDynamicSharedSizeBytes, optin);
  bigDynamicShared<<<1, 128, optin>>>(out, words);
  CUDA_OK(cudaGetLastError());
  int got = -1;
  CUDA_OK(cudaMemcpy(&got, out, sizeof got, cudaMemcpyDeviceToHost));
  EXPECT_EQ(got, words - 1);
  // Back to the default: large launches fail again.
  CUDA_OK(cudaFuncSetAttribute(bigDynamicShared, cudaFuncAttributeMaxDynamicSharedMemorySize, perBlock));
  bigDynamicShared<<<1, 128, optin>>>(out, words);
  EXPECT_EQ(cudaGetLastError(), cudaErrorInvalidConfiguration);
  CUDA_OK(cudaFuncSetAttribute(bigDynamicShared, cudaFuncAttributePreferredSharedMemoryCarveout, 50));
  EXPECT_EQ(cudaFuncSetAttribute(bigDynamicShared, cudaFuncAttributePreferredSharedMemoryCarveout, 101),
            cudaErrorInvalidValue);
  (void)cudaGetLastError();
  CUDA_OK(cudaFree(out));
}

TEST_P(KernelObjectTest, CacheConfig) {
  CUDA_OK(cudaFuncSetCacheConfig(noShared, cudaFuncCachePreferShared));
  CUDA_OK(cudaFuncSetCacheConfig((const void *)staticShared, cudaFuncCachePreferL1));
  EXPECT_EQ(cudaFuncSetCacheConfig(noShared, cudaFuncCache(9)), cudaErrorInvalidValue);
  static int notAKernel;
  EXPECT_EQ(cudaFuncSetCacheConfig((const void *)&notAKernel, cudaFuncCachePreferNone),
            cudaErrorInvalidDeviceFunction);
  (void)cudaGetLastError();
}

TEST_P(KernelObjectTest, OccupancyFromDeviceProperties) {
  const int smThreads = attr(cudaDevAttrMaxThreadsPerMultiProcessor);
  const int smBlocks = attr(cudaDevAttrMaxBlocksPerMultiprocessor);
  const int smShared = attr(cudaDevAttrMaxSharedMemoryPerMultiprocessor);
  const int warp = attr(cudaDevAttrWarpSize);
  const int maxThreads = attr(cudaDevAttrMaxThreadsPerBlock);
  auto expected = [&](int block, size_t shared) {
    const int threads = (block + warp - 1) / warp * warp;
    int n = std::min(smBlocks, smThreads / threads);
    if (shared)
      n = std::min(n, int(smShared / shared));
    return n;
  };
  int n = -1;
  CUDA_OK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&n, noShared, 256, 0));
  EXPECT_EQ(n, expected(256, 0));
  CUDA_OK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&n, noShared, 33, 0));
  EXPECT_EQ(n, expected(64, 0)) << "blocks are counted in whole warps";
  CUDA_OK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&n, noShared, 128, 20000));
  EXPECT_EQ(n, expected(128, 20000));
  CUDA_OK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&n, staticShared, 128, 0));
  EXPECT_EQ(n, expected(128, 4000)) << "static shared memory counts";
  CUDA_OK(cudaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(&n, noShared, 64, 0,
                                                                  cudaOccupancyDisableCachingOverride));
  EXPECT_EQ(n, expected(64, 0));
  CUDA_OK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&n, noShared, maxThreads + 1, 0));
  EXPECT_EQ(n, 0) << "a block larger than the device allows is never resident";
  EXPECT_EQ(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&n, noShared, 0, 0), cudaErrorInvalidValue);
  EXPECT_EQ(cudaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(&n, noShared, 64, 0, 4), cudaErrorInvalidValue);
  EXPECT_EQ(cudaOccupancyMaxActiveBlocksPerMultiprocessor(nullptr, noShared, 64, 0), cudaErrorInvalidValue);
  static int notAKernel;
  EXPECT_EQ(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&n, (const void *)&notAKernel, 64, 0),
            cudaErrorInvalidDeviceFunction);
  (void)cudaGetLastError();

  size_t avail = 0;
  CUDA_OK(cudaOccupancyAvailableDynamicSMemPerBlock(&avail, noShared, 2, 128));
  EXPECT_GT(avail, 0u);
  EXPECT_LE(avail, size_t(smShared / 2));
}

TEST_P(KernelObjectTest, MaxPotentialBlockSizeLaunches) {
  const int sms = attr(cudaDevAttrMultiProcessorCount);
  const int maxThreads = attr(cudaDevAttrMaxThreadsPerBlock);
  int minGrid = -1, block = -1;
  CUDA_OK(cudaOccupancyMaxPotentialBlockSize(&minGrid, &block, noShared));
  ASSERT_GT(block, 0);
  ASSERT_LE(block, maxThreads);
  int active = 0;
  CUDA_OK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&active, noShared, block, 0));
  EXPECT_EQ(minGrid, active * sms);
  // No other block size gives more resident threads.
  for (int b = 32; b <= maxThreads; b += 32) {
    int a = 0;
    CUDA_OK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&a, noShared, b, 0));
    EXPECT_LE(a * b, active * block) << b;
  }
  CUDA_OK(cudaOccupancyMaxPotentialBlockSize(&minGrid, &block, noShared, 0, 100));
  EXPECT_LE(block, 100);
  EXPECT_GT(block, 0);
  CUDA_OK(cudaOccupancyMaxPotentialBlockSizeVariableSMem(&minGrid, &block, staticShared,
                                                         [](int b) { return size_t(b) * 16; }));
  EXPECT_GT(block, 0);
  // Launch with the suggestion.
  CUDA_OK(cudaOccupancyMaxPotentialBlockSize(&minGrid, &block, noShared));
  int *out = nullptr;
  CUDA_OK(cudaMalloc(&out, size_t(minGrid) * block * sizeof(int)));
  noShared<<<minGrid, block>>>(out);
  CUDA_OK(cudaGetLastError());
  std::vector<int> h(size_t(minGrid) * block);
  CUDA_OK(cudaMemcpy(h.data(), out, h.size() * sizeof(int), cudaMemcpyDeviceToHost));
  EXPECT_EQ(h.back(), (minGrid - 1) * 1000 + block - 1);
  CUDA_OK(cudaFree(out));
}

TEST_P(KernelObjectTest, LaunchThroughHostFunctionPointers) {
  int *p = nullptr;
  CUDA_OK(cudaMalloc(&p, 32 * sizeof(int)));
  CUDA_OK(cudaMemset(p, 0, 32 * sizeof(int)));
  void (*f)(int *) = addOne;
  f<<<1, 32>>>(p);
  CUDA_OK(cudaGetLastError());
  void *args[] = {&p};
  CUDA_OK(cudaLaunchKernel((void *)addOne, dim3(1), dim3(32), args, 0, 0));
  CUDA_OK(cudaLaunchKernel(f, dim3(1), dim3(16), args));
  std::vector<int> h(32);
  CUDA_OK(cudaMemcpy(h.data(), p, h.size() * sizeof(int), cudaMemcpyDeviceToHost));
  for (int i = 0; i < 32; ++i)
    EXPECT_EQ(h[i], i < 16 ? 3 : 2) << i;
  EXPECT_EQ(cudaLaunchKernel((const void *)&h, dim3(1), dim3(1), args, 0, 0), cudaErrorInvalidDeviceFunction);
  (void)cudaGetLastError();
  CUDA_OK(cudaFree(p));
}

TEST_P(KernelObjectTest, DeprecatedAndNoOpCalls) {
  int *p = nullptr;
  CUDA_OK(cudaMalloc(&p, 32 * sizeof(int)));
  CUDA_OK(cudaMemset(p, 0, 32 * sizeof(int)));
  CUDA_OK(cudaProfilerStart());
  EXPECT_EQ(nvtxRangePushA("outer"), 0);
  nvtxMarkA("mark");
  nvtxRangeId_t r = nvtxRangeStartA("range");
  addOne<<<1, 32>>>(p);
  nvtxRangeEnd(r);
  nvtxEventAttributes_t ev = {};
  ev.version = NVTX_VERSION;
  ev.size = NVTX_EVENT_ATTRIB_STRUCT_SIZE;
  ev.colorType = NVTX_COLOR_ARGB;
  ev.color = 0xff00ff00;
  ev.messageType = NVTX_MESSAGE_TYPE_ASCII;
  ev.message.ascii = "inner";
  EXPECT_EQ(nvtxRangePushEx(&ev), 1);
  EXPECT_EQ(nvtxRangePop(), 1);
  EXPECT_EQ(nvtxRangePop(), 0);
#if CUDART_VERSION < 13000  // CUDA 13 removed the cudaThread* aliases; cuport implements the CUDA 12 API
  CUDA_OK(cudaThreadSynchronize());
#else
  CUDA_OK(cudaDeviceSynchronize());
#endif
  CUDA_OK(cudaProfilerStop());
  int h = 0;
  CUDA_OK(cudaMemcpy(&h, p + 31, sizeof h, cudaMemcpyDeviceToHost));
  EXPECT_EQ(h, 1);
#if CUDART_VERSION < 13000
  size_t heap = 0;
  CUDA_OK(cudaThreadSetLimit(cudaLimitMallocHeapSize, 16u << 20));
  CUDA_OK(cudaThreadGetLimit(&heap, cudaLimitMallocHeapSize));
  EXPECT_EQ(heap, size_t(16u << 20));
  size_t viaDevice = 0;
  CUDA_OK(cudaDeviceGetLimit(&viaDevice, cudaLimitMallocHeapSize));
  EXPECT_EQ(viaDevice, heap);
  EXPECT_EQ(cudaThreadGetLimit(nullptr, cudaLimitStackSize), cudaErrorInvalidValue);
  (void)cudaGetLastError();
  cudaFuncCache cache;
  CUDA_OK(cudaThreadSetCacheConfig(cudaFuncCachePreferShared));
  CUDA_OK(cudaThreadGetCacheConfig(&cache));
  EXPECT_EQ(cache, cudaFuncCachePreferShared);
  CUDA_OK(cudaThreadSetCacheConfig(cudaFuncCachePreferNone));
#endif
  CUDA_OK(cudaFree(p));
  // cudaThreadExit is cudaDeviceReset: the device stays usable afterwards.
#if CUDART_VERSION < 13000
  CUDA_OK(cudaThreadExit());
#else
  CUDA_OK(cudaDeviceReset());
#endif
  CUDA_OK(cudaSetDevice(device_));
  CUDA_OK(cudaMalloc(&p, 4));
  CUDA_OK(cudaFree(p));
}

CUPORT_INSTANTIATE_BACKENDS(KernelObjectTest);

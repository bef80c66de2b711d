// libcuport + the CPU backend end to end, driven through the registration ABI exactly as Clang's generated
// code drives it, with the hand-written image of test_kernels.c.
#include <gtest/gtest.h>

#include <cuda_runtime_api.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "test_image.h"

#include <cuport/cpu_kernel_abi.h>

using namespace cuport_test;  // test file only

namespace {

class Runtime : public ::testing::Test {
 protected:
  void SetUp() override {
    register_test_image();
    cudaGetLastError();
  }
};

// What Clang's launch stub for `mykernel(int* out)` does after `<<<g, b>>>` pushed the configuration.
cudaError_t mykernel_stub(int* out) {
  dim3 g, b;
  size_t shmem = 0;
  cudaStream_t stream = nullptr;
  cudaError_t e = __cudaPopCallConfiguration(&g, &b, &shmem, &stream);
  if (e != cudaSuccess) return e;
  void* args[] = {&out};
  return cudaLaunchKernel(&stub_mykernel, g, b, args, shmem, stream);
}

TEST_F(Runtime, DeviceProperties) {
  int count = -1;
  ASSERT_EQ(cudaGetDeviceCount(&count), cudaSuccess);
  ASSERT_EQ(count, 1);
  cudaDeviceProp p;
  ASSERT_EQ(cudaGetDeviceProperties(&p, 0), cudaSuccess);
  EXPECT_EQ(std::string(p.name).rfind("cuport CPU (", 0), 0u) << p.name;
  EXPECT_EQ(p.major, 7);
  EXPECT_EQ(p.minor, 0);
  EXPECT_EQ(p.warpSize, 32);
  EXPECT_EQ(p.maxThreadsPerBlock, 1024);
  EXPECT_EQ(p.maxThreadsDim[2], 64);
  EXPECT_EQ(p.maxGridSize[0], 0x7fffffff);
  EXPECT_EQ(p.maxGridSize[1], 65535);
  EXPECT_GT(p.multiProcessorCount, 0);
  EXPECT_GT(p.totalGlobalMem, size_t(0));
  EXPECT_GE(p.clockRate, 0);
  EXPECT_EQ(p.sharedMemPerBlock, size_t(48 * 1024));
  EXPECT_GE(p.sharedMemPerBlockOptin, p.sharedMemPerBlock);
  EXPECT_EQ(p.unifiedAddressing, 1);
  cudaDeviceProp p2;
  ASSERT_EQ(cudaGetDeviceProperties_v2(&p2, 0), cudaSuccess);
  EXPECT_STREQ(p.name, p2.name);

  int v = 0;
  ASSERT_EQ(cudaDeviceGetAttribute(&v, cudaDevAttrMultiProcessorCount, 0), cudaSuccess);
  EXPECT_EQ(v, p.multiProcessorCount);
  ASSERT_EQ(cudaDeviceGetAttribute(&v, cudaDevAttrComputeCapabilityMajor, 0), cudaSuccess);
  EXPECT_EQ(v, 7);
  ASSERT_EQ(cudaDeviceGetAttribute(&v, cudaDevAttrClockRate, 0), cudaSuccess);
  EXPECT_EQ(v, p.clockRate);
  ASSERT_EQ(cudaDeviceGetAttribute(&v, cudaDevAttrMaxSharedMemoryPerBlockOptin, 0), cudaSuccess);
  EXPECT_EQ(size_t(v), p.sharedMemPerBlockOptin);
  ASSERT_EQ(cudaDeviceGetAttribute(&v, cudaDevAttrWarpSize, 0), cudaSuccess);
  EXPECT_EQ(v, 32);
  EXPECT_EQ(cudaDeviceGetAttribute(&v, cudaDevAttrWarpSize, 1), cudaErrorInvalidDevice);
  EXPECT_EQ(cudaGetDeviceProperties(&p, 3), cudaErrorInvalidDevice);
  EXPECT_EQ(cudaSetDevice(1), cudaErrorInvalidDevice);
  EXPECT_EQ(cudaGetLastError(), cudaErrorInvalidDevice);
  EXPECT_EQ(cudaSetDevice(0), cudaSuccess);
  int dev = -1;
  EXPECT_EQ(cudaGetDevice(&dev), cudaSuccess);
  EXPECT_EQ(dev, 0);

  int version = 0;
  EXPECT_EQ(cudaRuntimeGetVersion(&version), cudaSuccess);
  EXPECT_EQ(version, CUDART_VERSION);
  EXPECT_EQ(cudaDriverGetVersion(&version), cudaSuccess);
  EXPECT_GE(version, CUDART_VERSION);
}

TEST_F(Runtime, LaunchWritesThreadIndices) {
  const int blocks = 7, threads = 96;
  int* out = nullptr;
  ASSERT_EQ(cudaMalloc(reinterpret_cast<void**>(&out), blocks * threads * sizeof(int)), cudaSuccess);
  ASSERT_EQ(reinterpret_cast<uintptr_t>(out) % 256, 0u);
  ASSERT_EQ(cudaMemset(out, 0xff, blocks * threads * sizeof(int)), cudaSuccess);
  void* args[] = {&out};
  ASSERT_EQ(cudaLaunchKernel(&stub_mykernel, dim3(blocks), dim3(threads), args, 0, nullptr), cudaSuccess);
  ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess);
  std::vector<int> host(blocks * threads);
  ASSERT_EQ(cudaMemcpy(host.data(), out, host.size() * sizeof(int), cudaMemcpyDeviceToHost), cudaSuccess);
  for (int i = 0; i < blocks * threads; ++i) ASSERT_EQ(host[i], i % threads) << i;
  EXPECT_EQ(cudaFree(out), cudaSuccess);
}

TEST_F(Runtime, ChevronLaunchThroughCallConfiguration) {
  const int blocks = 3, threads = 32;
  int* out = nullptr;
  ASSERT_EQ(cudaMalloc(&out, blocks * threads * sizeof(int)), cudaSuccess);  // template form
  // `mykernel<<<blocks, threads>>>(out)`
  ASSERT_EQ(__cudaPushCallConfiguration(dim3(blocks), dim3(threads)), 0u);
  ASSERT_EQ(mykernel_stub(out), cudaSuccess);
  std::vector<int> host(blocks * threads);
  ASSERT_EQ(cudaMemcpy(host.data(), out, host.size() * sizeof(int), cudaMemcpyDefault), cudaSuccess);
  for (int i = 0; i < blocks * threads; ++i) ASSERT_EQ(host[i], i % threads);
  // Pop without push.
  dim3 g, b;
  size_t s;
  cudaStream_t st;
  EXPECT_EQ(__cudaPopCallConfiguration(&g, &b, &s, &st), cudaErrorMissingConfiguration);
  // Nested configurations form a stack.
  __cudaPushCallConfiguration(dim3(1), dim3(2), 16);
  __cudaPushCallConfiguration(dim3(3), dim3(4), 32);
  ASSERT_EQ(__cudaPopCallConfiguration(&g, &b, &s, &st), cudaSuccess);
  EXPECT_EQ(g.x, 3u);
  EXPECT_EQ(s, 32u);
  ASSERT_EQ(__cudaPopCallConfiguration(&g, &b, &s, &st), cudaSuccess);
  EXPECT_EQ(b.x, 2u);
  EXPECT_EQ(s, 16u);
  cudaGetLastError();
  cudaFree(out);
}

TEST_F(Runtime, ThreeDimensionalGridAndBlocks) {
  const dim3 grid(3, 2, 2), block(4, 2, 3);
  const size_t threads = size_t(grid.x) * grid.y * grid.z * block.x * block.y * block.z;
  uint32_t* out = nullptr;
  ASSERT_EQ(cudaMalloc(&out, threads * 4 * sizeof(uint32_t)), cudaSuccess);
  void* args[] = {&out};
  ASSERT_EQ(cudaLaunchKernel(&stub_where, grid, block, args, 0, nullptr), cudaSuccess);
  std::vector<uint32_t> h(threads * 4);
  ASSERT_EQ(cudaMemcpy(h.data(), out, h.size() * sizeof(uint32_t), cudaMemcpyDeviceToHost), cudaSuccess);
  size_t i = 0;
  for (uint32_t bz = 0; bz < grid.z; ++bz)
    for (uint32_t by = 0; by < grid.y; ++by)
      for (uint32_t bx = 0; bx < grid.x; ++bx)
        for (uint32_t tz = 0; tz < block.z; ++tz)
          for (uint32_t ty = 0; ty < block.y; ++ty)
            for (uint32_t tx = 0; tx < block.x; ++tx, ++i) {
              ASSERT_EQ(h[4 * i + 0], bx | by << 10 | bz << 20);
              ASSERT_EQ(h[4 * i + 1], tx | ty << 10 | tz << 20);
              ASSERT_EQ(h[4 * i + 2], grid.x | grid.y << 10 | grid.z << 20);
              ASSERT_EQ(h[4 * i + 3], CUPORT_CPU_ABI_VERSION);
            }
  cudaFree(out);
}

TEST_F(Runtime, ManyBlocksAcrossWorkers) {
  const int blocks = 200000, threads = 2;
  int* out = nullptr;
  ASSERT_EQ(cudaMalloc(&out, size_t(blocks) * threads * sizeof(int)), cudaSuccess);
  ASSERT_EQ(cudaMemset(out, 0x7f, size_t(blocks) * threads * sizeof(int)), cudaSuccess);
  void* args[] = {&out};
  ASSERT_EQ(cudaLaunchKernel(&stub_mykernel, dim3(blocks), dim3(threads), args, 0, nullptr), cudaSuccess);
  std::vector<int> h(size_t(blocks) * threads);
  ASSERT_EQ(cudaMemcpy(h.data(), out, h.size() * sizeof(int), cudaMemcpyDeviceToHost), cudaSuccess);
  for (size_t i = 0; i < h.size(); ++i) ASSERT_EQ(h[i], int(i % threads)) << i;
  cudaFree(out);
}

TEST_F(Runtime, InvalidConfigurationIsReportedAndCleared) {
  int* out = nullptr;
  ASSERT_EQ(cudaMalloc(&out, 4096 * sizeof(int)), cudaSuccess);
  void* args[] = {&out};
  const struct {
    dim3 grid, block;
    size_t shared;
  } bad[] = {
      {dim3(1), dim3(1025), 0},           {dim3(1), dim3(32, 32, 2), 0}, {dim3(1), dim3(1, 1, 65), 0},
      {dim3(0), dim3(32), 0},             {dim3(1, 0), dim3(32), 0},     {dim3(1, 65536), dim3(1), 0},
      {dim3(1, 1, 65536), dim3(1), 0},    {dim3(1), dim3(0), 0},         {dim3(1), dim3(32), 48 * 1024 + 1},
  };
  for (const auto& c : bad) {
    EXPECT_EQ(cudaLaunchKernel(&stub_mykernel, c.grid, c.block, args, c.shared, nullptr),
              cudaErrorInvalidConfiguration);
    EXPECT_EQ(cudaPeekAtLastError(), cudaErrorInvalidConfiguration);
    EXPECT_EQ(cudaGetLastError(), cudaErrorInvalidConfiguration);
    EXPECT_EQ(cudaGetLastError(), cudaSuccess);
  }
  // Through <<<>>>: the error is only visible through cudaGetLastError, as in CUDA.
  __cudaPushCallConfiguration(dim3(1), dim3(2048));
  mykernel_stub(out);
  EXPECT_EQ(cudaGetLastError(), cudaErrorInvalidConfiguration);
  EXPECT_EQ(cudaGetLastError(), cudaSuccess);
  // The device is still usable (not a sticky error).
  EXPECT_EQ(cudaLaunchKernel(&stub_mykernel, dim3(2), dim3(8), args, 0, nullptr), cudaSuccess);
  cudaFree(out);
}

TEST_F(Runtime, UnknownOrMissingKernels) {
  int* out = nullptr;
  void* args[] = {&out};
  EXPECT_EQ(cudaLaunchKernel(&stub_unregistered, dim3(1), dim3(1), args, 0, nullptr), cudaErrorInvalidDeviceFunction);
  EXPECT_EQ(cudaGetLastError(), cudaErrorInvalidDeviceFunction);
  EXPECT_EQ(cudaLaunchKernel(nullptr, dim3(1), dim3(1), args, 0, nullptr), cudaErrorInvalidDeviceFunction);
  EXPECT_EQ(cudaLaunchKernel(&stub_absent, dim3(1), dim3(1), args, 0, nullptr), cudaErrorInvalidDeviceFunction);
  EXPECT_EQ(cudaLaunchKernel(&stub_future, dim3(1), dim3(1), nullptr, 0, nullptr), cudaErrorInvalidKernelImage);
  cudaFuncAttributes fa;
  EXPECT_EQ(cudaFuncGetAttributes(&fa, &stub_unregistered), cudaErrorInvalidDeviceFunction);
  cudaGetLastError();
}

TEST_F(Runtime, SharedMemoryAndAttributes) {
  cudaFuncAttributes fa;
  ASSERT_EQ(cudaFuncGetAttributes(&fa, &stub_shared_sum), cudaSuccess);
  EXPECT_EQ(fa.sharedSizeBytes, 1024u);
  EXPECT_EQ(fa.maxThreadsPerBlock, 1024);
  EXPECT_EQ(fa.maxDynamicSharedSizeBytes, 47 * 1024);
  EXPECT_EQ(fa.binaryVersion, 70);

  const int blocks = 5, threads = 256;
  int *sums = nullptr, *flags = nullptr;
  ASSERT_EQ(cudaMalloc(&sums, blocks * sizeof(int)), cudaSuccess);
  ASSERT_EQ(cudaMalloc(&flags, blocks * sizeof(int)), cudaSuccess);
  void* args[] = {&sums, &flags};
  EXPECT_EQ(cudaLaunchKernel(&stub_shared_sum, dim3(blocks), dim3(threads), args, 47 * 1024 + 1, nullptr),
            cudaErrorInvalidConfiguration);
  cudaGetLastError();
  ASSERT_EQ(cudaLaunchKernel(&stub_shared_sum, dim3(blocks), dim3(threads), args, threads * sizeof(int), nullptr),
            cudaSuccess);
  std::vector<int> hs(blocks), hf(blocks);
  ASSERT_EQ(cudaMemcpy(hs.data(), sums, blocks * sizeof(int), cudaMemcpyDeviceToHost), cudaSuccess);
  ASSERT_EQ(cudaMemcpy(hf.data(), flags, blocks * sizeof(int), cudaMemcpyDeviceToHost), cudaSuccess);
  for (int b = 0; b < blocks; ++b) {
    EXPECT_EQ(hs[b], threads * (threads - 1) / 2);
    EXPECT_EQ(hf[b], 0xf) << "shared, dynamic and frame memory 64-byte aligned, thread_state present";
  }
  // Opting in to more dynamic shared memory.
  EXPECT_EQ(cudaFuncSetAttribute(&stub_shared_sum, cudaFuncAttributeMaxDynamicSharedMemorySize, 80 * 1024), cudaSuccess);
  EXPECT_EQ(cudaLaunchKernel(&stub_shared_sum, dim3(blocks), dim3(threads), args, 80 * 1024, nullptr), cudaSuccess);
  EXPECT_EQ(cudaFuncSetAttribute(&stub_shared_sum, cudaFuncAttributeMaxDynamicSharedMemorySize, 96 * 1024),
            cudaErrorInvalidValue);
  EXPECT_EQ(cudaFuncSetCacheConfig(&stub_shared_sum, cudaFuncCachePreferShared), cudaSuccess);
  EXPECT_EQ(cudaDeviceSetCacheConfig(cudaFuncCachePreferL1), cudaSuccess);
  cudaGetLastError();
  cudaFree(sums);
  cudaFree(flags);
}

TEST_F(Runtime, Symbols) {
  void* addr = nullptr;
  size_t size = 0;
  ASSERT_EQ(cudaGetSymbolAddress(&addr, shadow_table), cudaSuccess);  // template form
  ASSERT_NE(addr, nullptr);
  ASSERT_EQ(cudaGetSymbolSize(&size, shadow_table), cudaSuccess);
  EXPECT_EQ(size, sizeof shadow_table);

  int initial[4] = {};
  ASSERT_EQ(cudaMemcpyFromSymbol(initial, shadow_table, sizeof initial), cudaSuccess);
  EXPECT_EQ(initial[0], 1);
  EXPECT_EQ(initial[3], 4);
  const int two[2] = {30, 40};
  ASSERT_EQ(cudaMemcpyToSymbol(shadow_table, two, sizeof two, 2 * sizeof(int)), cudaSuccess);
  const float scale = 2.0f;
  ASSERT_EQ(cudaMemcpyToSymbol(shadow_scale, &scale, sizeof scale), cudaSuccess);
  int back[4];
  ASSERT_EQ(cudaMemcpyFromSymbol(back, shadow_table, sizeof back, 0, cudaMemcpyDefault), cudaSuccess);
  EXPECT_EQ(back[1], 2);
  EXPECT_EQ(back[2], 30);
  EXPECT_EQ(back[3], 40);

  const int n = 10;
  float* out = nullptr;
  ASSERT_EQ(cudaMalloc(&out, n * sizeof(float)), cudaSuccess);
  int count = n;
  char tag = 1;
  void* args[] = {&out, &count, &tag};
  ASSERT_EQ(cudaLaunchKernel(&stub_scaled, dim3(2), dim3(8), args, 0, nullptr), cudaSuccess);
  std::vector<float> h(n);
  ASSERT_EQ(cudaMemcpy(h.data(), out, n * sizeof(float), cudaMemcpyDeviceToHost), cudaSuccess);
  const int expect_table[4] = {1, 2, 30, 40};
  for (int i = 0; i < n; ++i) EXPECT_EQ(h[i], expect_table[i % 4] * 2.0f + 1.0f) << i;

  // Errors.
  EXPECT_EQ(cudaMemcpyToSymbol(shadow_table, two, sizeof two, 3 * sizeof(int)), cudaErrorInvalidValue);
  EXPECT_EQ(cudaMemcpyToSymbol(shadow_table, two, sizeof two, size_t(-4)), cudaErrorInvalidValue);
  EXPECT_EQ(cudaMemcpyToSymbol(shadow_table, two, sizeof two, 0, cudaMemcpyDeviceToHost),
            cudaErrorInvalidMemcpyDirection);
  static int not_a_symbol;
  EXPECT_EQ(cudaMemcpyToSymbol(not_a_symbol, two, sizeof(int)), cudaErrorInvalidSymbol);
  EXPECT_EQ(cudaGetSymbolAddress(&addr, not_a_symbol), cudaErrorInvalidSymbol);
  EXPECT_EQ(cudaGetSymbolAddress(&addr, shadow_absent), cudaErrorInvalidSymbol);
  cudaGetLastError();

  // cudaDeviceReset reloads modules: variables return to their initial values.
  ASSERT_EQ(cudaDeviceReset(), cudaSuccess);
  ASSERT_EQ(cudaMemcpyFromSymbol(back, shadow_table, sizeof back), cudaSuccess);
  EXPECT_EQ(back[2], 3);
}

TEST_F(Runtime, MemoryApi) {
  const size_t n = 1000;
  std::vector<int> src(n), dst(n, 0);
  for (size_t i = 0; i < n; ++i) src[i] = int(i * 7);
  int *a = nullptr, *b = nullptr;
  ASSERT_EQ(cudaMalloc(&a, n * sizeof(int)), cudaSuccess);
  ASSERT_EQ(cudaMalloc(&b, n * sizeof(int)), cudaSuccess);
  ASSERT_EQ(cudaMemcpy(a, src.data(), n * sizeof(int), cudaMemcpyHostToDevice), cudaSuccess);
  ASSERT_EQ(cudaMemcpy(b, a, n * sizeof(int), cudaMemcpyDefault), cudaSuccess);
  ASSERT_EQ(cudaMemcpyAsync(dst.data(), b, n * sizeof(int), cudaMemcpyDeviceToHost, 0), cudaSuccess);
  ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess);
  EXPECT_EQ(src, dst);
  EXPECT_EQ(cudaMemcpy(dst.data(), a, 4, static_cast<cudaMemcpyKind>(7)), cudaErrorInvalidMemcpyDirection);
  EXPECT_EQ(cudaMemcpy(nullptr, a, 4, cudaMemcpyDeviceToHost), cudaErrorInvalidValue);
  EXPECT_EQ(cudaMemcpy(nullptr, nullptr, 0, cudaMemcpyDeviceToHost), cudaSuccess);

  cudaPointerAttributes attr;
  ASSERT_EQ(cudaPointerGetAttributes(&attr, a + 10), cudaSuccess);
  EXPECT_EQ(attr.type, cudaMemoryTypeDevice);
  EXPECT_EQ(attr.device, 0);
  ASSERT_EQ(cudaPointerGetAttributes(&attr, src.data()), cudaSuccess);
  EXPECT_EQ(attr.type, cudaMemoryTypeUnregistered);
  float* pinned = nullptr;
  ASSERT_EQ(cudaMallocHost(&pinned, 64 * sizeof(float)), cudaSuccess);
  ASSERT_EQ(cudaPointerGetAttributes(&attr, pinned), cudaSuccess);
  EXPECT_EQ(attr.type, cudaMemoryTypeHost);
  EXPECT_EQ(cudaFree(pinned), cudaErrorInvalidValue);
  EXPECT_EQ(cudaFreeHost(pinned), cudaSuccess);
  EXPECT_EQ(cudaFreeHost(a), cudaErrorInvalidValue);
  void* mapped = nullptr;
  EXPECT_EQ(cudaHostAlloc(&mapped, 128, cudaHostAllocMapped), cudaSuccess);
  EXPECT_EQ(cudaFreeHost(mapped), cudaSuccess);
  EXPECT_EQ(cudaHostAlloc(&mapped, 128, 0x100), cudaErrorInvalidValue);

  EXPECT_EQ(cudaFree(a + 1), cudaErrorInvalidValue);
  EXPECT_EQ(cudaGetLastError(), cudaErrorInvalidValue);
  EXPECT_EQ(cudaFree(nullptr), cudaSuccess);
  void* zero = reinterpret_cast<void*>(1);
  EXPECT_EQ(cudaMalloc(&zero, 0), cudaSuccess);
  EXPECT_EQ(zero, nullptr);
  EXPECT_EQ(cudaFree(a), cudaSuccess);
  EXPECT_EQ(cudaFree(a), cudaErrorInvalidValue);  // double free
  EXPECT_EQ(cudaFree(b), cudaSuccess);

  size_t free_b = 0, total_b = 0;
  ASSERT_EQ(cudaMemGetInfo(&free_b, &total_b), cudaSuccess);
  EXPECT_GT(total_b, size_t(0));
  EXPECT_LE(free_b, total_b);
  EXPECT_EQ(cudaMemsetAsync(nullptr, 0, 4, reinterpret_cast<cudaStream_t>(0x1234)), cudaErrorInvalidResourceHandle);
  cudaGetLastError();
}

TEST_F(Runtime, LimitsAndFlags) {
  size_t v = 0;
  ASSERT_EQ(cudaDeviceGetLimit(&v, cudaLimitMallocHeapSize), cudaSuccess);
  EXPECT_EQ(v, size_t(8) << 20);
  ASSERT_EQ(cudaDeviceSetLimit(cudaLimitMallocHeapSize, size_t(64) << 20), cudaSuccess);
  ASSERT_EQ(cudaDeviceGetLimit(&v, cudaLimitMallocHeapSize), cudaSuccess);
  EXPECT_EQ(v, size_t(64) << 20);
  ASSERT_EQ(cudaDeviceSetLimit(cudaLimitStackSize, 4096), cudaSuccess);
  ASSERT_EQ(cudaDeviceGetLimit(&v, cudaLimitStackSize), cudaSuccess);
  EXPECT_EQ(v, 4096u);
  EXPECT_EQ(cudaDeviceSetLimit(cudaLimitDevRuntimeSyncDepth, 4), cudaErrorUnsupportedLimit);
  cudaGetLastError();
  EXPECT_EQ(cudaSetDeviceFlags(cudaDeviceScheduleBlockingSync), cudaSuccess);
  unsigned flags = 0;
  EXPECT_EQ(cudaGetDeviceFlags(&flags), cudaSuccess);
  EXPECT_EQ(flags & cudaDeviceScheduleMask, unsigned(cudaDeviceScheduleBlockingSync));
  EXPECT_EQ(cudaSetDeviceFlags(0x1000), cudaErrorInvalidValue);
  EXPECT_EQ(cudaThreadSynchronize(), cudaSuccess);
  cudaGetLastError();
}

TEST_F(Runtime, LegacyLaunchAbi) {
  const int n = 4;
  float* out = nullptr;
  ASSERT_EQ(cudaMalloc(&out, n * sizeof(float)), cudaSuccess);
  int count = n;
  char tag = 5;
  ASSERT_EQ(cudaConfigureCall(dim3(1), dim3(4)), cudaSuccess);
  ASSERT_EQ(cudaSetupArgument(&out, sizeof out, 0), cudaSuccess);
  ASSERT_EQ(cudaSetupArgument(&count, sizeof count, 8), cudaSuccess);
  ASSERT_EQ(cudaSetupArgument(&tag, sizeof tag, 12), cudaSuccess);
  ASSERT_EQ(cudaLaunch(&stub_scaled), cudaSuccess);
  std::vector<float> h(n);
  ASSERT_EQ(cudaMemcpy(h.data(), out, n * sizeof(float), cudaMemcpyDeviceToHost), cudaSuccess);
  for (int i = 0; i < n; ++i) EXPECT_EQ(h[i], float(i % 4 + 1) + 5.0f);
  cudaFree(out);
}

TEST_F(Runtime, ConcurrentHostThreads) {
  constexpr int kThreads = 6, kLaunches = 40, kBlocks = 9, kBlock = 33;
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < kThreads; ++t) {
    pool.emplace_back([t, &failures] {
      int* out = nullptr;
      if (cudaMalloc(&out, kBlocks * kBlock * sizeof(int)) != cudaSuccess) {
        ++failures[t];
        return;
      }
      void* args[] = {&out};
      std::vector<int> h(kBlocks * kBlock);
      for (int i = 0; i < kLaunches; ++i) {
        cudaMemset(out, 0xff, h.size() * sizeof(int));
        if (cudaLaunchKernel(&stub_mykernel, dim3(kBlocks), dim3(kBlock), args, 0, nullptr) != cudaSuccess) ++failures[t];
        cudaMemcpy(h.data(), out, h.size() * sizeof(int), cudaMemcpyDeviceToHost);
        for (size_t j = 0; j < h.size(); ++j)
          if (h[j] != int(j % kBlock)) {
            ++failures[t];
            break;
          }
        // Per-thread last error: an error here must not leak into other threads.
        if (t == 0) cudaLaunchKernel(&stub_mykernel, dim3(1), dim3(4096), args, 0, nullptr);
        else if (cudaPeekAtLastError() != cudaSuccess) ++failures[t];
      }
      cudaFree(out);
    });
  }
  for (std::thread& th : pool) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "host thread " << t;
}

TEST(RuntimeErrors, NamesAndStrings) {
  const cudaError_t codes[] = {
      cudaSuccess, cudaErrorInvalidValue, cudaErrorMemoryAllocation, cudaErrorInitializationError,
      cudaErrorCudartUnloading, cudaErrorInvalidConfiguration, cudaErrorInvalidPitchValue, cudaErrorInvalidSymbol,
      cudaErrorInvalidDevicePointer, cudaErrorInvalidMemcpyDirection, cudaErrorMissingConfiguration,
      cudaErrorInvalidDeviceFunction, cudaErrorNoDevice, cudaErrorInvalidDevice, cudaErrorDeviceNotLicensed,
      cudaErrorInvalidKernelImage, cudaErrorNoKernelImageForDevice, cudaErrorUnsupportedLimit,
      cudaErrorInvalidResourceHandle, cudaErrorSymbolNotFound, cudaErrorNotReady, cudaErrorIllegalAddress,
      cudaErrorLaunchOutOfResources, cudaErrorLaunchTimeout, cudaErrorAssert, cudaErrorIllegalInstruction,
      cudaErrorMisalignedAddress, cudaErrorInvalidPc, cudaErrorLaunchFailure, cudaErrorCooperativeLaunchTooLarge,
      cudaErrorNotPermitted, cudaErrorNotSupported, cudaErrorStreamCaptureUnsupported, cudaErrorTimeout,
      cudaErrorInvalidClusterSize, cudaErrorUnknown};
  for (cudaError_t e : codes) {
    const std::string name = cudaGetErrorName(e);
    EXPECT_TRUE(name.rfind("cudaError", 0) == 0 || name == "cudaSuccess") << int(e);
    EXPECT_STRNE(cudaGetErrorString(e), "unrecognized error code") << name;
  }
  EXPECT_STREQ(cudaGetErrorName(cudaErrorInvalidConfiguration), "cudaErrorInvalidConfiguration");
  EXPECT_STREQ(cudaGetErrorString(cudaSuccess), "no error");
  EXPECT_STREQ(cudaGetErrorString(static_cast<cudaError_t>(12345)), "unrecognized error code");
  // CUDA 12 numbering.
  EXPECT_EQ(int(cudaErrorInvalidDeviceFunction), 98);
  EXPECT_EQ(int(cudaErrorNoKernelImageForDevice), 209);
  EXPECT_EQ(int(cudaErrorLaunchFailure), 719);
  EXPECT_EQ(int(cudaErrorStreamCaptureUnsupported), 900);
  EXPECT_EQ(int(cudaDevAttrComputeCapabilityMajor), 75);
  EXPECT_EQ(int(cudaDevAttrMaxSharedMemoryPerBlockOptin), 97);
}

}  // namespace

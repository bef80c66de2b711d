// Device memory, copies of every kind, memset, shared memory (static, dynamic, both), __device__ and
// __constant__ variables through the symbol API.
#include "cuport_test.h"

#include <cstring>
#include <vector>

using cuport_test::BackendTest;

namespace {

__device__ int deviceCounter;
__device__ float deviceTable[64];
__constant__ int constantCoefficients[16];

__global__ void useSymbols(int *out) {
  int t = threadIdx.x;
  out[t] = constantCoefficients[t % 16] * 10 + int(deviceTable[t]);
  if (t == 0)
    deviceCounter += 5;
}

// Static shared variables in the kernel and in a device function, plus dynamic shared memory.
__device__ int *staticScratch() {
  __shared__ int scratch[32];
  return scratch;
}

__global__ void staticAndDynamicShared(int *out) {
  __shared__ double tile[48];
  extern __shared__ float dynamicPart[];
  int *scratch = staticScratch();
  unsigned t = threadIdx.x;
  tile[t] = t * 0.5;
  dynamicPart[t] = t * 2.0f;
  if (t < 32)
    scratch[t] = int(t) * 3;
  __syncthreads();
  unsigned u = blockDim.x - 1 - t;
  out[blockIdx.x * blockDim.x + t] = int(tile[u] * 2) + int(dynamicPart[u]) + scratch[u % 32];
}

// Two extern __shared__ arrays denote the same memory, as in CUDA.
__global__ void externSharedAlias(int *out) {
  extern __shared__ int a[];
  extern __shared__ char b[];
  a[threadIdx.x] = 0x01020304;
  __syncthreads();
  out[threadIdx.x] = b[threadIdx.x * 4];
}

} // namespace

class MemoryTest : public BackendTest {};

TEST_P(MemoryTest, CopiesOfEveryKind) {
  const size_t n = 100000;
  std::vector<int> a(n), b(n, 0);
  for (size_t i = 0; i < n; ++i)
    a[i] = int(i * 31);
  int *d1, *d2;
  CUDA_OK(cudaMalloc(&d1, n * sizeof(int)));
  CUDA_OK(cudaMalloc(&d2, n * sizeof(int)));
  EXPECT_EQ(reinterpret_cast<uintptr_t>(d1) % 256, 0u);
  CUDA_OK(cudaMemcpy(d1, a.data(), n * sizeof(int), cudaMemcpyHostToDevice));
  CUDA_OK(cudaMemcpy(d2, d1, n * sizeof(int), cudaMemcpyDeviceToDevice));
  CUDA_OK(cudaMemcpy(b.data(), d2, n * sizeof(int), cudaMemcpyDeviceToHost));
  EXPECT_EQ(a, b);
  std::vector<int> c(n, 0);
  CUDA_OK(cudaMemcpy(d2, a.data() + 10, 100 * sizeof(int), cudaMemcpyDefault));
  CUDA_OK(cudaMemcpy(c.data(), d2, 100 * sizeof(int), cudaMemcpyDefault));
  for (int i = 0; i < 100; ++i)
    ASSERT_EQ(c[i], a[i + 10]);
  std::vector<int> h2(n);
  CUDA_OK(cudaMemcpy(h2.data(), a.data(), n * sizeof(int), cudaMemcpyHostToHost));
  EXPECT_EQ(a, h2);
  CUDA_OK(cudaMemset(d1, 0xab, n * sizeof(int)));
  CUDA_OK(cudaMemcpy(b.data(), d1, n * sizeof(int), cudaMemcpyDeviceToHost));
  for (size_t i = 0; i < n; ++i)
    ASSERT_EQ(uint32_t(b[i]), 0xababababu);
  CUDA_OK(cudaFree(d1));
  CUDA_OK(cudaFree(d2));
  CUDA_OK(cudaFree(nullptr));
}

TEST_P(MemoryTest, LargeCopiesKeepEveryByte) {
  // Sizes past the CPU backend's parallel-copy threshold (8 MiB), odd lengths, and host buffers at
  // offsets that make the destination sit a little after the source modulo 4 KiB.
  for (size_t n : {(size_t(8) << 20) + 3, (size_t(37) << 20) + 4093}) {
    for (size_t offset : {size_t(0), size_t(17), size_t(4096 - 64)}) {
      std::vector<unsigned char> host(n + offset), back(n + offset);
      for (size_t i = 0; i < host.size(); ++i) host[i] = static_cast<unsigned char>(i * 2654435761u >> 13);
      unsigned char *a, *b;
      CUDA_OK(cudaMalloc(&a, n));
      CUDA_OK(cudaMalloc(&b, n));
      CUDA_OK(cudaMemcpy(a, host.data() + offset, n, cudaMemcpyHostToDevice));
      CUDA_OK(cudaMemcpy(b, a, n, cudaMemcpyDeviceToDevice));
      CUDA_OK(cudaMemcpy(back.data() + offset, b, n, cudaMemcpyDeviceToHost));
      CUDA_OK(cudaFree(a));
      CUDA_OK(cudaFree(b));
      ASSERT_EQ(std::memcmp(back.data() + offset, host.data() + offset, n), 0) << "size " << n << ", offset " << offset;
    }
  }
}

TEST_P(MemoryTest, InvalidArguments) {
  int *d = nullptr;
  EXPECT_EQ(cudaMalloc(nullptr, 16), cudaErrorInvalidValue);
  (void)cudaGetLastError();
  CUDA_OK(cudaMalloc(&d, 16));
  EXPECT_EQ(cudaMemcpy(d, d, 16, static_cast<cudaMemcpyKind>(42)), cudaErrorInvalidMemcpyDirection);
  (void)cudaGetLastError();
  CUDA_OK(cudaFree(d));
}

TEST_P(MemoryTest, SymbolsWithOffsets) {
  int coeffs[16];
  for (int i = 0; i < 16; ++i)
    coeffs[i] = i + 1;
  float table[64];
  for (int i = 0; i < 64; ++i)
    table[i] = float(i);
  CUDA_OK(cudaMemcpyToSymbol(constantCoefficients, coeffs, sizeof coeffs));
  CUDA_OK(cudaMemcpyToSymbol(deviceTable, table, sizeof table));
  float patch[4] = {1000, 1001, 1002, 1003};
  CUDA_OK(cudaMemcpyToSymbol(deviceTable, patch, sizeof patch, 8 * sizeof(float)));
  int zero = 0;
  CUDA_OK(cudaMemcpyToSymbol(deviceCounter, &zero, sizeof zero));
  int *d;
  CUDA_OK(cudaMalloc(&d, 64 * sizeof(int)));
  useSymbols<<<1, 64>>>(d);
  useSymbols<<<1, 64>>>(d);
  CUDA_OK(cudaGetLastError());
  int r[64];
  CUDA_OK(cudaMemcpy(r, d, sizeof r, cudaMemcpyDeviceToHost));
  for (int t = 0; t < 64; ++t) {
    int tab = (t >= 8 && t < 12) ? 1000 + t - 8 : t;
    ASSERT_EQ(r[t], (t % 16 + 1) * 10 + tab) << t;
  }
  int counter = 0;
  CUDA_OK(cudaMemcpyFromSymbol(&counter, deviceCounter, sizeof counter));
  EXPECT_EQ(counter, 10);
  float back[2];
  CUDA_OK(cudaMemcpyFromSymbol(back, deviceTable, sizeof back, 10 * sizeof(float)));
  EXPECT_EQ(back[0], 1002.0f);
  EXPECT_EQ(back[1], 1003.0f);
  void *addr = nullptr;
  size_t size = 0;
  CUDA_OK(cudaGetSymbolAddress(&addr, deviceTable));
  CUDA_OK(cudaGetSymbolSize(&size, deviceTable));
  EXPECT_NE(addr, nullptr);
  EXPECT_EQ(size, sizeof table);
  CUDA_OK(cudaFree(d));
}

TEST_P(MemoryTest, StaticAndDynamicSharedMemory) {
  const int blocks = 3, threads = 48;
  int *d;
  CUDA_OK(cudaMalloc(&d, blocks * threads * sizeof(int)));
  staticAndDynamicShared<<<blocks, threads, threads * sizeof(float)>>>(d);
  CUDA_OK(cudaGetLastError());
  std::vector<int> r(blocks * threads);
  CUDA_OK(cudaMemcpy(r.data(), d, r.size() * sizeof(int), cudaMemcpyDeviceToHost));
  for (int b = 0; b < blocks; ++b)
    for (int t = 0; t < threads; ++t) {
      int u = threads - 1 - t;
      ASSERT_EQ(r[b * threads + t], u + 2 * u + (u % 32) * 3);
    }
  CUDA_OK(cudaFree(d));
}

TEST_P(MemoryTest, ExternSharedArraysAlias) {
  int *d;
  CUDA_OK(cudaMalloc(&d, 32 * sizeof(int)));
  externSharedAlias<<<1, 32, 32 * sizeof(int)>>>(d);
  CUDA_OK(cudaGetLastError());
  int r[32];
  CUDA_OK(cudaMemcpy(r, d, sizeof r, cudaMemcpyDeviceToHost));
  for (int t = 0; t < 32; ++t)
    ASSERT_EQ(r[t], 4);
  CUDA_OK(cudaFree(d));
}

CUPORT_INSTANTIATE_BACKENDS(MemoryTest);

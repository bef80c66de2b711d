// __managed__ variables: one object that host code and kernels use at the same address, with its
// initializer visible to both, through the symbol API, the pointer attributes and the managed-memory hints.
// Their own file: a backend that cannot run them refuses this file's kernels only.
#include "cuport_test.h"

#include <cstring>

using cuport_test::BackendTest;

struct Particle {
  int id;
  double mass;
  float pos[3];
};

// Not in an anonymous namespace: Clang 15 does not register those (cuport-cc rejects them, file:line).
__managed__ int managedCounter = 7;
__device__ __managed__ float managedTable[6] = {1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f};
static __managed__ Particle managedParticle = {42, 2.25, {1.0f, -2.0f, 3.0f}}; // static: renamed by Clang
__managed__ unsigned long long managedBig[4096]; // zero-initialized, larger than a page

namespace {

// Reads every managed variable into out, then changes each one.
__global__ void readThenUpdate(double *out) {
  if (threadIdx.x == 0 && blockIdx.x == 0) {
    out[0] = managedCounter;
    for (int i = 0; i < 6; ++i)
      out[1 + i] = managedTable[i];
    out[7] = managedParticle.id;
    out[8] = managedParticle.mass;
    out[9] = managedParticle.pos[1];
    out[10] = double(managedBig[4095]);
    managedCounter = -1;
    managedParticle.mass *= 4;
    managedParticle.pos[2] = 9.0f;
  }
  __syncthreads();
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < 6)
    managedTable[i] *= 2;
  for (int j = i; j < 4096; j += gridDim.x * blockDim.x)
    managedBig[j] = 3ull * j;
}

__global__ void countEverywhere(int rounds) {
  for (int r = 0; r < rounds; ++r)
    atomicAdd(&managedCounter, 1);
}

// Through a pointer: kernels may take a managed variable's address like any other.
__global__ void sumThroughPointer(const unsigned long long *p, unsigned long long *sum) {
  unsigned long long s = 0;
  for (int j = threadIdx.x; j < 4096; j += blockDim.x)
    s += p[j];
  atomicAdd(sum, s);
}

} // namespace

class ManagedVariableTest : public BackendTest {
protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped())
      return;
    int device = 0, pageable = 0;
    CUDA_OK(cudaGetDevice(&device));
    CUDA_OK(cudaDeviceGetAttribute(&pageable, cudaDevAttrPageableMemoryAccess, device));
    if (!pageable)
      GTEST_SKIP() << "__managed__ variables live in host memory, which kernels on this device cannot use "
                      "(cudaDevAttrPageableMemoryAccess is 0)";
  }
};

// Each test leaves the variables as it found them (the suite's tests run in one process, on every backend).
TEST_P(ManagedVariableTest, HostAndKernelsShareOneObject) {
  // The initializers, seen by the host before any kernel ran.
  EXPECT_EQ(managedCounter, 7);
  EXPECT_EQ(managedTable[3], 4.5f);
  EXPECT_EQ(managedParticle.id, 42);
  EXPECT_EQ(managedParticle.mass, 2.25);
  EXPECT_EQ(managedParticle.pos[1], -2.0f);
  EXPECT_EQ(managedBig[4095], 0u);
  // Host writes, then a kernel reads them and writes its own.
  managedCounter = 1234;
  managedTable[5] = -6.0f;
  managedBig[4095] = 77;
  double *out = nullptr;
  CUDA_OK(cudaMallocManaged(&out, 11 * sizeof(double)));
  readThenUpdate<<<8, 128>>>(out);
  CUDA_OK(cudaGetLastError());
  CUDA_OK(cudaDeviceSynchronize());
  const double want[11] = {1234, 1.5, 2.5, 3.5, 4.5, 5.5, -6.0, 42, 2.25, -2.0, 77};
  for (int i = 0; i < 11; ++i)
    EXPECT_EQ(out[i], want[i]) << "value " << i << " as the kernel read it";
  EXPECT_EQ(managedCounter, -1);
  EXPECT_EQ(managedParticle.mass, 9.0);
  EXPECT_EQ(managedParticle.pos[2], 9.0f);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(managedTable[i], 2.0f * (1.5f + i));
  EXPECT_EQ(managedTable[5], -12.0f);
  for (int j = 0; j < 4096; ++j)
    ASSERT_EQ(managedBig[j], 3ull * j) << "element " << j;
  CUDA_OK(cudaFree(out));
  // Back to the initial state.
  managedCounter = 7;
  const float table[6] = {1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f};
  std::memcpy(managedTable, table, sizeof table);
  managedParticle = Particle{42, 2.25, {1.0f, -2.0f, 3.0f}};
  std::memset(managedBig, 0, sizeof managedBig);
}

TEST_P(ManagedVariableTest, ContendedAtomicsFromEveryBlock) {
  managedCounter = 0;
  countEverywhere<<<64, 256>>>(10);
  CUDA_OK(cudaGetLastError());
  CUDA_OK(cudaDeviceSynchronize());
  EXPECT_EQ(managedCounter, 64 * 256 * 10);
  managedCounter = 100;
  countEverywhere<<<3, 32>>>(1);
  CUDA_OK(cudaDeviceSynchronize());
  EXPECT_EQ(managedCounter, 196);
  managedCounter = 7;
}

TEST_P(ManagedVariableTest, SymbolApiAddressesTheSameObject) {
  void *address = nullptr;
  CUDA_OK(cudaGetSymbolAddress(&address, managedTable));
  EXPECT_EQ(address, static_cast<void *>(managedTable));
  size_t size = 0;
  CUDA_OK(cudaGetSymbolSize(&size, managedParticle));
  EXPECT_EQ(size, sizeof(Particle));
  // To and from the symbol, with an offset.
  const float two[2] = {-1.0f, -2.0f};
  CUDA_OK(cudaMemcpyToSymbol(managedTable, two, sizeof two, 2 * sizeof(float)));
  EXPECT_EQ(managedTable[1], 2.5f);
  EXPECT_EQ(managedTable[2], -1.0f);
  EXPECT_EQ(managedTable[3], -2.0f);
  EXPECT_EQ(managedTable[4], 5.5f);
  managedCounter = 99;
  int counter = 0;
  CUDA_OK(cudaMemcpyFromSymbol(&counter, managedCounter, sizeof counter));
  EXPECT_EQ(counter, 99);
  // Pointer attributes and the managed-memory hints treat it as managed memory.
  cudaPointerAttributes attributes{};
  CUDA_OK(cudaPointerGetAttributes(&attributes, &managedParticle.mass));
  EXPECT_EQ(attributes.type, cudaMemoryTypeManaged);
  EXPECT_EQ(attributes.hostPointer, static_cast<void *>(&managedParticle.mass));
  int current = 0;
  CUDA_OK(cudaGetDevice(&current));
  CUDA_OK(cudaMemPrefetchAsync(managedBig, sizeof managedBig, current, 0));
  CUDA_OK(cudaMemAdvise(managedBig, sizeof managedBig, cudaMemAdviseSetReadMostly, current));
  // A kernel given its address; cudaMemcpyDefault from it into device memory.
  for (int j = 0; j < 4096; ++j)
    managedBig[j] = j % 10;
  unsigned long long *sum = nullptr, expected = 0;
  for (int j = 0; j < 4096; ++j)
    expected += j % 10;
  CUDA_OK(cudaMalloc(&sum, sizeof *sum));
  CUDA_OK(cudaMemset(sum, 0, sizeof *sum));
  sumThroughPointer<<<1, 128>>>(managedBig, sum);
  CUDA_OK(cudaGetLastError());
  unsigned long long got = 0;
  CUDA_OK(cudaMemcpy(&got, sum, sizeof got, cudaMemcpyDefault));
  EXPECT_EQ(got, expected);
  int *device = nullptr;
  CUDA_OK(cudaMalloc(&device, sizeof(int)));
  CUDA_OK(cudaMemcpy(device, &managedCounter, sizeof(int), cudaMemcpyDefault));
  CUDA_OK(cudaMemcpy(&counter, device, sizeof(int), cudaMemcpyDeviceToHost));
  EXPECT_EQ(counter, 99);
  // It is not an allocation: cudaFree refuses it and the variable stays usable.
  EXPECT_NE(cudaFree(managedTable), cudaSuccess);
  cudaGetLastError();
  managedTable[2] = 3.5f;
  managedTable[3] = 4.5f;
  managedCounter = 7;
  std::memset(managedBig, 0, sizeof managedBig);
  CUDA_OK(cudaFree(sum));
  CUDA_OK(cudaFree(device));
}

CUPORT_INSTANTIATE_BACKENDS(ManagedVariableTest);

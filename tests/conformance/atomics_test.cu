// Atomics under contention: every overload on global and shared memory, from many blocks that run in
// parallel on the CPU backend, with results computed on the host.
#include "cuport_test.h"

#include <vector>

using cuport_test::BackendTest;

namespace {

struct Counters {
  int addI, subI, minI, maxI, andI, orI, xorI, exchI;
  unsigned addU, minU, maxU, incU, decU, casU;
  unsigned long long addULL, minULL, maxULL, casULL, andULL, orULL, xorULL;
  long long minLL, maxLL;
  float addF, exchF;
  double addD;
};

__global__ void hammerGlobal(Counters *c, int rounds) {
  int t = blockIdx.x * blockDim.x + threadIdx.x;
  for (int r = 0; r < rounds; ++r) {
    atomicAdd(&c->addI, 1);
    atomicSub(&c->subI, 2);
    atomicMin(&c->minI, 1000 - t);
    atomicMax(&c->maxI, t);
    atomicAnd(&c->andI, ~(1 << (t % 31)));
    atomicOr(&c->orI, 1 << (t % 31));
    atomicXor(&c->xorI, 1 << (t % 8));
    atomicAdd(&c->addU, 3u);
    atomicMin(&c->minU, 5000u + t);
    atomicMax(&c->maxU, unsigned(t) * 2);
    atomicInc(&c->incU, 99u);
    atomicDec(&c->decU, 49u);
    atomicAdd(&c->addULL, 1ull << 33);
    atomicMin(&c->minULL, 1ull << 40 | t);
    atomicMax(&c->maxULL, (unsigned long long)t << 35);
    atomicAnd(&c->andULL, ~(1ull << (t % 63)));
    atomicOr(&c->orULL, 1ull << (t % 63));
    atomicXor(&c->xorULL, 1ull << (t % 16));
    atomicMin(&c->minLL, -(long long)t << 33);
    atomicMax(&c->maxLL, (long long)t << 33);
    atomicAdd(&c->addF, 0.5f);
    atomicAdd(&c->addD, 0.25);
    // CAS-based increment loops.
    unsigned old = c->casU, assumed;
    do {
      assumed = old;
      old = atomicCAS(&c->casU, assumed, assumed + 1);
    } while (old != assumed);
    unsigned long long o64 = c->casULL, a64;
    do {
      a64 = o64;
      o64 = atomicCAS(&c->casULL, a64, a64 + 7);
    } while (o64 != a64);
  }
  atomicExch(&c->exchI, t);
  atomicExch(&c->exchF, float(t));
}

__global__ void sharedCounts(const int *keys, int n, unsigned *out) {
  __shared__ unsigned bins[16];
  __shared__ unsigned long long total;
  __shared__ float ftotal;
  if (threadIdx.x < 16)
    bins[threadIdx.x] = 0;
  if (threadIdx.x == 0) {
    total = 0;
    ftotal = 0;
  }
  __syncthreads();
  for (int i = threadIdx.x; i < n; i += blockDim.x) {
    atomicAdd(&bins[keys[i] % 16], 1u);
    atomicAdd(&total, (unsigned long long)keys[i]);
    atomicAdd(&ftotal, 1.0f);
  }
  __syncthreads();
  if (threadIdx.x < 16)
    out[blockIdx.x * 18 + threadIdx.x] = bins[threadIdx.x];
  if (threadIdx.x == 0) {
    out[blockIdx.x * 18 + 16] = unsigned(total);
    out[blockIdx.x * 18 + 17] = unsigned(ftotal);
  }
}

} // namespace

class AtomicsTest : public BackendTest {};

TEST_P(AtomicsTest, GlobalAtomicsUnderContention) {
  const int blocks = 64, threads = 128, rounds = 4, n = blocks * threads, ops = n * rounds;
  Counters init{};
  init.minI = 1 << 30;
  init.maxI = -1;
  init.andI = -1;
  init.minU = ~0u;
  init.minULL = ~0ull;
  init.andULL = ~0ull;
  init.minLL = 0;
  init.maxLL = 0;
  Counters *d;
  CUDA_OK(cudaMalloc(&d, sizeof(Counters)));
  CUDA_OK(cudaMemcpy(d, &init, sizeof init, cudaMemcpyHostToDevice));
  hammerGlobal<<<blocks, threads>>>(d, rounds);
  CUDA_OK(cudaGetLastError());
  Counters c;
  CUDA_OK(cudaMemcpy(&c, d, sizeof c, cudaMemcpyDeviceToHost));
  EXPECT_EQ(c.addI, ops);
  EXPECT_EQ(c.subI, -2 * ops);
  EXPECT_EQ(c.minI, 1000 - (n - 1));
  EXPECT_EQ(c.maxI, n - 1);
  EXPECT_EQ(c.andI, int(0x80000000u));
  EXPECT_EQ(c.orI, 0x7fffffff);
  EXPECT_EQ(c.xorI, 0); // each bit flipped an even number of times
  EXPECT_EQ(c.addU, 3u * ops);
  EXPECT_EQ(c.minU, 5000u);
  EXPECT_EQ(c.maxU, unsigned(n - 1) * 2);
  EXPECT_EQ(c.incU, unsigned(ops % 100)); // wraps to 0 after 99
  EXPECT_EQ(c.decU, unsigned((50 - ops % 50) % 50)); // 0 -> 49, then counts down
  EXPECT_EQ(c.addULL, (unsigned long long)ops << 33);
  EXPECT_EQ(c.minULL, 1ull << 40);
  EXPECT_EQ(c.maxULL, (unsigned long long)(n - 1) << 35);
  EXPECT_EQ(c.andULL, 1ull << 63);
  EXPECT_EQ(c.orULL, ~0ull >> 1);
  EXPECT_EQ(c.xorULL, 0ull);
  EXPECT_EQ(c.minLL, -(long long)(n - 1) << 33);
  EXPECT_EQ(c.maxLL, (long long)(n - 1) << 33);
  EXPECT_EQ(c.addF, 0.5f * ops);
  EXPECT_EQ(c.addD, 0.25 * ops);
  EXPECT_EQ(c.casU, unsigned(ops));
  EXPECT_EQ(c.casULL, 7ull * ops);
  EXPECT_GE(c.exchI, 0);
  EXPECT_LT(c.exchI, n);
  EXPECT_EQ(c.exchF, float(int(c.exchF)));
  CUDA_OK(cudaFree(d));
}

TEST_P(AtomicsTest, SharedMemoryAtomics) {
  const int n = 5000, blocks = 3;
  std::vector<int> keys(n);
  for (int i = 0; i < n; ++i)
    keys[i] = (i * 31) % 97;
  int *dk;
  unsigned *dout;
  CUDA_OK(cudaMalloc(&dk, n * sizeof(int)));
  CUDA_OK(cudaMalloc(&dout, blocks * 18 * sizeof(unsigned)));
  CUDA_OK(cudaMemcpy(dk, keys.data(), n * sizeof(int), cudaMemcpyHostToDevice));
  sharedCounts<<<blocks, 256>>>(dk, n, dout);
  CUDA_OK(cudaGetLastError());
  std::vector<unsigned> r(blocks * 18);
  CUDA_OK(cudaMemcpy(r.data(), dout, r.size() * sizeof(unsigned), cudaMemcpyDeviceToHost));
  std::vector<unsigned> bins(16, 0);
  unsigned long long total = 0;
  for (int k : keys) {
    ++bins[k % 16];
    total += k;
  }
  for (int b = 0; b < blocks; ++b) {
    for (int i = 0; i < 16; ++i)
      EXPECT_EQ(r[b * 18 + i], bins[i]) << "block " << b << " bin " << i;
    EXPECT_EQ(r[b * 18 + 16], unsigned(total));
    EXPECT_EQ(r[b * 18 + 17], unsigned(n));
  }
  CUDA_OK(cudaFree(dk));
  CUDA_OK(cudaFree(dout));
}

CUPORT_INSTANTIATE_BACKENDS(AtomicsTest);

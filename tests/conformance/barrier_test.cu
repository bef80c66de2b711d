// __syncthreads wherever CUDA allows it: in loops whose trip count depends on blockDim, in uniform
// branches, in device functions, with private arrays and parameters live across it, after early exits.
#include "cuport_test.h"

#include <vector>

using cuport_test::BackendTest;

namespace {

// Tree reduction: the barrier sits in a loop over blockDim.x.
__global__ void treeSum(const int *in, int *out) {
  extern __shared__ int s[];
  unsigned t = threadIdx.x;
  s[t] = in[blockIdx.x * blockDim.x + t];
  __syncthreads();
  for (unsigned stride = blockDim.x / 2; stride > 0; stride >>= 1) {
    if (t < stride)
      s[t] += s[t + stride];
    __syncthreads();
  }
  if (t == 0)
    out[blockIdx.x] = s[0];
}

// Pairwise halving with the barrier at the top of the loop: the guard `t < d / 2` compares threadIdx.x with a
// bound the threads share across the barrier, which splits the row of threads in the middle of a chunk
// for most block sizes (the CPU backend checks such guards per chunk of 32 threads).
__global__ void guardedHalving(int *out) {
  extern __shared__ int s[];
  unsigned t = threadIdx.x;
  s[t] = int(t * 7 % 13) - 4;
  for (unsigned d = blockDim.x; d > 1; d = (d + 1) / 2) {
    __syncthreads();
    unsigned half = (d + 1) / 2;
    if (t < d / 2)
      s[t] += s[t + half];
  }
  __syncthreads();
  out[blockIdx.x * blockDim.x + t] = s[t];
}

// Comparisons of threadIdx.x with a bound the threads share across a barrier, of every shape: each
// predicate, signed and unsigned, threadIdx.x counted down, offset, bounds below 0 and past the block.  The
// CPU backend splits a row of threads where such guards change and runs each stretch without them.
__global__ void indexGuards(unsigned *out, int rounds) {
  int t = threadIdx.x;
  unsigned u = threadIdx.x, acc = 0;
  for (int r = 0; r < rounds; ++r) {
    int k = int((unsigned(r * 37 + 5) & 63u) * (blockDim.x + 3) >> 6) - 2; // -2 .. blockDim.x + 1
    if (t < k)
      acc += 1;
    if (t <= k)
      acc += 2;
    if (t > k)
      acc += 4;
    if (t >= k)
      acc += 8;
    if (t == k)
      acc += 16;
    if (t != k)
      acc += 32;
    if (u < unsigned(k))
      acc += 64;
    if (int(blockDim.x) - 1 - t < k)
      acc += 128;
    if (t + 3 == k)
      acc += 256;
    acc *= 3;
    __syncthreads();
  }
  out[(blockIdx.x * blockDim.y + threadIdx.y) * blockDim.x + t] = acc;
}

// Reverses a block's elements through shared memory: needs the barrier between write and read.
__device__ __noinline__ void exchange(int *s, int *data) {
  unsigned t = threadIdx.x, n = blockDim.x;
  s[t] = data[t];
  __syncthreads();
  data[t] = s[n - 1 - t];
}

__global__ void reverseInDeviceFunction(int *data) {
  __shared__ int s[512];
  exchange(s, data + blockIdx.x * blockDim.x);
}

// Private array and scalar values live across barriers; a uniform branch contains a barrier.
__global__ void privateState(int *out, int rounds, bool extra) {
  __shared__ int s[256];
  int priv[8];
  unsigned t = threadIdx.x;
  for (int i = 0; i < 8; ++i)
    priv[i] = int(t) * (i + 1);
  int acc = 0;
  for (int r = 0; r < rounds; ++r) {
    s[t] = priv[r % 8] + r;
    __syncthreads();
    acc += s[(t + 1) % blockDim.x];
    __syncthreads();
  }
  if (extra) { // uniform
    s[t] = acc;
    __syncthreads();
    acc = s[blockDim.x - 1 - t] - acc;
  }
  out[blockIdx.x * blockDim.x + t] = acc;
}

// Threads that returned no longer take part in barriers (the CUDA behaviour since Volta).
__global__ void earlyExit(int *out, int active) {
  __shared__ int s[128];
  unsigned t = threadIdx.x;
  if (t >= unsigned(active))
    return;
  s[t] = int(t) + 1;
  __syncthreads();
  out[t] = s[active - 1 - t];
}

struct Params {
  int base;
  int step;
};

// A by-value parameter modified per thread, live across a barrier.
__global__ void byValueAcrossBarrier(Params p, int *out) {
  __shared__ int s[64];
  p.base += threadIdx.x;
  s[threadIdx.x] = p.step;
  __syncthreads();
  out[threadIdx.x] = p.base + s[(threadIdx.x + 1) % blockDim.x];
}

// 2-D tiles with barriers inside a loop (two per iteration).
__global__ void transposeTiles(const float *in, float *out, int n) {
  __shared__ float tile[16][17];
  for (int rep = 0; rep < 2; ++rep) {
    int x = blockIdx.x * 16 + threadIdx.x, y = blockIdx.y * 16 + threadIdx.y;
    if (x < n && y < n)
      tile[threadIdx.y][threadIdx.x] = in[y * n + x] + rep;
    __syncthreads();
    x = blockIdx.y * 16 + threadIdx.x;
    y = blockIdx.x * 16 + threadIdx.y;
    if (x < n && y < n && rep == 1)
      out[y * n + x] = tile[threadIdx.x][threadIdx.y];
    __syncthreads();
  }
}

} // namespace

// Lane guards, `threadIdx.x % 32 == 0` and the like, each the only guard of its region: the CPU backend
// runs the threads on the lane (every 32nd, 4th, 8th thread) in one loop and the others in another.  Every
// thread must still run each region once, on the right side; threads past `live` have exited.
__global__ void laneGuards(unsigned *out, int live) {
  __shared__ unsigned s[1024];
  unsigned t = threadIdx.y * blockDim.x + threadIdx.x, n = blockDim.x * blockDim.y;
  unsigned g = blockIdx.x * n + t;
  s[t] = t * 7 + blockIdx.x;
  out[g] = 0;
  __syncthreads();
  if (int(t) > live)
    return;
  if (threadIdx.x % 32 == 0)
    out[g] += 1 + s[t];
  __syncthreads();
  if (threadIdx.x % 4 != 1)
    out[g] += 10;
  else
    out[g] += 20;
  __syncthreads();
  if ((threadIdx.x & 7) == 5)
    out[g] += 100;
  __syncthreads();
  if (threadIdx.x % 32 == 31)
    out[g] += s[(t + 1) % n] << 8;
}

// A Blelloch scan of each block's 2 * blockDim.x elements, and pair updates in shared memory: a thread
// reads both words of its pair and writes the second (the CPU backend also writes the first back, to
// store whole pairs), then maybe the first (which the write-back must not undo), after writing it first
// in some threads.
template <int Threads> __global__ void blellochScan(const int *in, int *out) {
  __shared__ int t[2 * Threads];
  const int n = 2 * Threads, tid = threadIdx.x, base = blockIdx.x * n;
  t[tid] = in[base + tid];
  t[tid + Threads] = in[base + tid + Threads];
  int offset = 1;
  for (int d = Threads; d > 0; d >>= 1) {
    __syncthreads();
    if (tid < d)
      t[offset * (2 * tid + 2) - 1] += t[offset * (2 * tid + 1) - 1];
    offset <<= 1;
  }
  if (tid == 0)
    t[n - 1] = 0;
  for (int d = 1; d < n; d <<= 1) {
    offset >>= 1;
    __syncthreads();
    if (tid < d) {
      int ai = offset * (2 * tid + 1) - 1, bi = offset * (2 * tid + 2) - 1;
      int v = t[ai];
      t[ai] = t[bi];
      t[bi] += v;
    }
  }
  __syncthreads();
  out[base + tid] = t[tid];
  out[base + tid + Threads] = t[tid + Threads];
}

__global__ void pairUpdates(const int *in, int *out) {
  __shared__ int t[2048];
  const int n = 2 * blockDim.x, tid = threadIdx.x, base = blockIdx.x * n;
  t[tid] = in[base + tid];
  t[tid + blockDim.x] = in[base + tid + blockDim.x];
  __syncthreads();
  if (tid % 5 == 4)
    t[2 * tid] = -tid;
  int a = t[2 * tid], b = t[2 * tid + 1];
  t[2 * tid + 1] = a + b;
  if (tid % 3 == 0)
    t[2 * tid] = a * 3;
  __syncthreads();
  out[base + tid] = t[tid];
  out[base + tid + blockDim.x] = t[tid + blockDim.x];
}

class BarrierTest : public BackendTest {};

// Values live across barriers, some the same in every thread and some not, including ones that only look
// uniform: set in a branch on threadIdx, counted in a loop whose trip count depends on threadIdx, or read
// from shared memory that threads change.  The CPU backend keeps one copy per block of the values that are
// uniform (compiler/lib/WorkItemLoops.cpp), so a wrongly uniform value would give every thread one thread's
// value.
__global__ void mixedLiveValues(int *out, int n, int rounds) {
  __shared__ int s[256];
  int t = threadIdx.x;
  if (t >= n)
    return; // exited threads do not store uniform values
  int scale = blockIdx.x * 3 + rounds;    // uniform
  int branchy = 0;
  if (t % 3 == 0)
    branchy = scale;                      // divergent (set in a divergent branch)
  int k = 0;
  while (k * k < t)
    ++k;                                  // divergent (trip count depends on t)
  s[t] = t * 2;
  __syncthreads();
  int fromShared = s[(t + 1) % n];        // divergent (a load)
  int acc = 0;
  for (int r = 0; r < rounds; ++r) {      // r uniform, in a loop with barriers
    __syncthreads();
    s[t] = acc + r;
    __syncthreads();
    acc += s[(t + r) % n] + scale;
  }
  out[blockIdx.x * blockDim.x + t] = acc * 7 + branchy * 5 + k * 3 + fromShared + scale;
}

TEST_P(BarrierTest, TreeReductionWithBarrierInLoop) {
  for (unsigned threads : {1u, 2u, 64u, 256u, 1024u}) {
    const unsigned blocks = 5, n = blocks * threads;
    std::vector<int> h(n);
    for (unsigned i = 0; i < n; ++i)
      h[i] = int(i % 17) - 3;
    int *din, *dout;
    CUDA_OK(cudaMalloc(&din, n * sizeof(int)));
    CUDA_OK(cudaMalloc(&dout, blocks * sizeof(int)));
    CUDA_OK(cudaMemcpy(din, h.data(), n * sizeof(int), cudaMemcpyHostToDevice));
    treeSum<<<blocks, threads, threads * sizeof(int)>>>(din, dout);
    CUDA_OK(cudaGetLastError());
    std::vector<int> r(blocks);
    CUDA_OK(cudaMemcpy(r.data(), dout, blocks * sizeof(int), cudaMemcpyDeviceToHost));
    for (unsigned b = 0; b < blocks; ++b) {
      int expect = 0;
      for (unsigned i = 0; i < threads; ++i)
        expect += h[b * threads + i];
      EXPECT_EQ(r[b], expect) << "block " << b << " of " << threads << " threads";
    }
    CUDA_OK(cudaFree(din));
    CUDA_OK(cudaFree(dout));
  }
}

TEST_P(BarrierTest, GuardsOnSharedBoundsSplitRows) {
  for (unsigned threads : {33u, 96u, 200u, 1024u}) {
    const unsigned blocks = 3, n = blocks * threads;
    int *d;
    CUDA_OK(cudaMalloc(&d, n * sizeof(int)));
    guardedHalving<<<blocks, threads, threads * sizeof(int)>>>(d);
    CUDA_OK(cudaGetLastError());
    std::vector<int> r(n);
    CUDA_OK(cudaMemcpy(r.data(), d, n * sizeof(int), cudaMemcpyDeviceToHost));
    // The same steps on the host: each reads only elements that step does not write.
    std::vector<int> s(threads);
    for (unsigned t = 0; t < threads; ++t)
      s[t] = int(t * 7 % 13) - 4;
    for (unsigned len = threads; len > 1; len = (len + 1) / 2)
      for (unsigned t = 0; t < len / 2; ++t)
        s[t] += s[t + (len + 1) / 2];
    for (unsigned b = 0; b < blocks; ++b)
      for (unsigned t = 0; t < threads; ++t)
        ASSERT_EQ(r[b * threads + t], s[t]) << "thread " << t << " of block " << b << ", " << threads << " threads";
    CUDA_OK(cudaFree(d));
  }
}

TEST_P(BarrierTest, ThreadIndexGuardsOfEveryShape) {
  const int rounds = 40;
  for (dim3 block : {dim3(1), dim3(5), dim3(32), dim3(33), dim3(100), dim3(256), dim3(1024), dim3(24, 3)}) {
    const unsigned blocks = 2, n = blocks * block.x * block.y;
    unsigned *d;
    CUDA_OK(cudaMalloc(&d, n * sizeof(unsigned)));
    indexGuards<<<blocks, block>>>(d, rounds);
    CUDA_OK(cudaGetLastError());
    std::vector<unsigned> r(n);
    CUDA_OK(cudaMemcpy(r.data(), d, n * sizeof(unsigned), cudaMemcpyDeviceToHost));
    for (unsigned i = 0; i < n; ++i) {
      int t = int(i % block.x);
      unsigned acc = 0;
      for (int k0 = 0; k0 < rounds; ++k0) {
        int k = int((unsigned(k0 * 37 + 5) & 63u) * (block.x + 3) >> 6) - 2;
        acc += (t < k) * 1u + (t <= k) * 2 + (t > k) * 4 + (t >= k) * 8 + (t == k) * 16 + (t != k) * 32 +
               (unsigned(t) < unsigned(k)) * 64 + (int(block.x) - 1 - t < k) * 128 + (t + 3 == k) * 256;
        acc *= 3;
      }
      ASSERT_EQ(r[i], acc) << "thread " << t << " (element " << i << "), block " << block.x << "x" << block.y;
    }
    CUDA_OK(cudaFree(d));
  }
}

TEST_P(BarrierTest, LaneGuardsRunEachThreadOnce) {
  for (dim3 block : {dim3(1), dim3(5), dim3(32), dim3(33), dim3(100), dim3(256), dim3(1024), dim3(24, 3),
                     dim3(40, 2)}) {
    const unsigned blocks = 3, n = block.x * block.y;
    unsigned *d;
    CUDA_OK(cudaMalloc(&d, blocks * n * sizeof(unsigned)));
    for (int live : {int(n), int(n) / 2}) {
      laneGuards<<<blocks, block>>>(d, live);
      CUDA_OK(cudaGetLastError());
      std::vector<unsigned> r(blocks * n);
      CUDA_OK(cudaMemcpy(r.data(), d, r.size() * sizeof(unsigned), cudaMemcpyDeviceToHost));
      for (unsigned b = 0; b < blocks; ++b)
        for (unsigned t = 0; t < n; ++t) {
          unsigned x = t % block.x, e = 0;
          if (int(t) <= live) {
            e += x % 32 == 0 ? 1 + t * 7 + b : 0;
            e += x % 4 != 1 ? 10 : 20;
            e += (x & 7) == 5 ? 100 : 0;
            e += x % 32 == 31 ? (((t + 1) % n) * 7 + b) << 8 : 0;
          }
          ASSERT_EQ(r[b * n + t], e) << "thread " << t << " of block " << b << ", " << block.x << "x" << block.y
                                     << ", threads past " << live << " exited";
        }
    }
    CUDA_OK(cudaFree(d));
  }
}

TEST_P(BarrierTest, ScanAndPairUpdatesInSharedMemory) {
  for (int threads : {1, 2, 32, 100, 256, 1024}) {
    const int blocks = 3, n = 2 * threads, total = blocks * n;
    std::vector<int> h(total);
    for (int i = 0; i < total; ++i)
      h[i] = (i * 37) % 101 - 50;
    int *in, *out;
    CUDA_OK(cudaMalloc(&in, total * sizeof(int)));
    CUDA_OK(cudaMalloc(&out, total * sizeof(int)));
    CUDA_OK(cudaMemcpy(in, h.data(), total * sizeof(int), cudaMemcpyHostToDevice));
    std::vector<int> r(total);
    if (threads == 32 || threads == 256 || threads == 1024) {
      if (threads == 32)
        blellochScan<32><<<blocks, threads>>>(in, out);
      else if (threads == 256)
        blellochScan<256><<<blocks, threads>>>(in, out);
      else
        blellochScan<1024><<<blocks, threads>>>(in, out);
      CUDA_OK(cudaGetLastError());
      CUDA_OK(cudaMemcpy(r.data(), out, total * sizeof(int), cudaMemcpyDeviceToHost));
      for (int b = 0; b < blocks; ++b)
        for (int i = 0, sum = 0; i < n; sum += h[b * n + i], ++i)
          ASSERT_EQ(r[b * n + i], sum) << "scan, element " << i << " of block " << b << ", " << threads << " threads";
    }
    pairUpdates<<<blocks, threads>>>(in, out);
    CUDA_OK(cudaGetLastError());
    CUDA_OK(cudaMemcpy(r.data(), out, total * sizeof(int), cudaMemcpyDeviceToHost));
    for (int b = 0; b < blocks; ++b)
      for (int tid = 0; tid < threads; ++tid) {
        int a = tid % 5 == 4 ? -tid : h[b * n + 2 * tid], c = h[b * n + 2 * tid + 1];
        ASSERT_EQ(r[b * n + 2 * tid], tid % 3 == 0 ? a * 3 : a) << "pair " << tid << " of block " << b;
        ASSERT_EQ(r[b * n + 2 * tid + 1], a + c) << "pair " << tid << " of block " << b;
      }
    CUDA_OK(cudaFree(in));
    CUDA_OK(cudaFree(out));
  }
}

TEST_P(BarrierTest, BarrierInDeviceFunction) {
  const int blocks = 3, threads = 512, n = blocks * threads;
  std::vector<int> h(n);
  for (int i = 0; i < n; ++i)
    h[i] = i;
  int *d;
  CUDA_OK(cudaMalloc(&d, n * sizeof(int)));
  CUDA_OK(cudaMemcpy(d, h.data(), n * sizeof(int), cudaMemcpyHostToDevice));
  reverseInDeviceFunction<<<blocks, threads>>>(d);
  CUDA_OK(cudaGetLastError());
  std::vector<int> r(n);
  CUDA_OK(cudaMemcpy(r.data(), d, n * sizeof(int), cudaMemcpyDeviceToHost));
  for (int b = 0; b < blocks; ++b)
    for (int t = 0; t < threads; ++t)
      ASSERT_EQ(r[b * threads + t], b * threads + threads - 1 - t);
  CUDA_OK(cudaFree(d));
}

TEST_P(BarrierTest, PrivateArraysAndUniformBranches) {
  const int blocks = 2, threads = 200, rounds = 11;
  int *d;
  CUDA_OK(cudaMalloc(&d, blocks * threads * sizeof(int)));
  for (bool extra : {false, true}) {
    privateState<<<blocks, threads>>>(d, rounds, extra);
    CUDA_OK(cudaGetLastError());
    std::vector<int> r(blocks * threads);
    CUDA_OK(cudaMemcpy(r.data(), d, r.size() * sizeof(int), cudaMemcpyDeviceToHost));
    std::vector<int> acc(threads, 0);
    for (int t = 0; t < threads; ++t)
      for (int k = 0; k < rounds; ++k) {
        int u = (t + 1) % threads;
        acc[t] += u * (k % 8 + 1) + k;
      }
    for (int b = 0; b < blocks; ++b)
      for (int t = 0; t < threads; ++t) {
        int expect = extra ? acc[threads - 1 - t] - acc[t] : acc[t];
        ASSERT_EQ(r[b * threads + t], expect) << "thread " << t << " extra " << extra;
      }
  }
  CUDA_OK(cudaFree(d));
}

TEST_P(BarrierTest, ExitedThreadsDoNotBlockBarriers) {
  int *d;
  CUDA_OK(cudaMalloc(&d, 128 * sizeof(int)));
  CUDA_OK(cudaMemset(d, 0, 128 * sizeof(int)));
  earlyExit<<<1, 128>>>(d, 50);
  CUDA_OK(cudaGetLastError());
  int r[128];
  CUDA_OK(cudaMemcpy(r, d, sizeof r, cudaMemcpyDeviceToHost));
  for (int t = 0; t < 50; ++t)
    ASSERT_EQ(r[t], 50 - t);
  for (int t = 50; t < 128; ++t)
    ASSERT_EQ(r[t], 0);
  CUDA_OK(cudaFree(d));
}

TEST_P(BarrierTest, ByValueParameterPerThread) {
  int *d;
  CUDA_OK(cudaMalloc(&d, 64 * sizeof(int)));
  byValueAcrossBarrier<<<1, 64>>>(Params{100, 7}, d);
  CUDA_OK(cudaGetLastError());
  int r[64];
  CUDA_OK(cudaMemcpy(r, d, sizeof r, cudaMemcpyDeviceToHost));
  for (int t = 0; t < 64; ++t)
    ASSERT_EQ(r[t], 100 + t + 7);
  CUDA_OK(cudaFree(d));
}

TEST_P(BarrierTest, TwoDimensionalTilesWithBarriersInLoop) {
  const int n = 70;
  std::vector<float> h(n * n);
  for (int i = 0; i < n * n; ++i)
    h[i] = float(i);
  float *din, *dout;
  CUDA_OK(cudaMalloc(&din, n * n * sizeof(float)));
  CUDA_OK(cudaMalloc(&dout, n * n * sizeof(float)));
  CUDA_OK(cudaMemcpy(din, h.data(), n * n * sizeof(float), cudaMemcpyHostToDevice));
  transposeTiles<<<dim3((n + 15) / 16, (n + 15) / 16), dim3(16, 16)>>>(din, dout, n);
  CUDA_OK(cudaGetLastError());
  std::vector<float> r(n * n);
  CUDA_OK(cudaMemcpy(r.data(), dout, n * n * sizeof(float), cudaMemcpyDeviceToHost));
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x)
      ASSERT_EQ(r[y * n + x], h[x * n + y] + 1) << x << "," << y;
  CUDA_OK(cudaFree(din));
  CUDA_OK(cudaFree(dout));
}

TEST_P(BarrierTest, UniformAndDivergentValuesAcrossBarriers) {
  const int blocks = 3, threads = 96;
  for (int n : {96, 61}) {
    for (int rounds : {0, 1, 4}) {
      int *d;
      CUDA_OK(cudaMalloc(&d, blocks * threads * sizeof(int)));
      CUDA_OK(cudaMemset(d, 0, blocks * threads * sizeof(int)));
      mixedLiveValues<<<blocks, threads>>>(d, n, rounds);
      CUDA_OK(cudaGetLastError());
      std::vector<int> h(blocks * threads);
      CUDA_OK(cudaMemcpy(h.data(), d, h.size() * sizeof(int), cudaMemcpyDeviceToHost));
      CUDA_OK(cudaFree(d));
      for (int b = 0; b < blocks; ++b) {
        // The host model: every round, all active threads write s, then read it.
        std::vector<int> acc(n, 0), s(n);
        const int scale = b * 3 + rounds;
        for (int r = 0; r < rounds; ++r) {
          for (int t = 0; t < n; ++t) s[t] = acc[t] + r;
          for (int t = 0; t < n; ++t) acc[t] += s[(t + r) % n] + scale;
        }
        for (int t = 0; t < threads; ++t) {
          int want = 0;
          if (t < n) {
            int k = 0;
            while (k * k < t) ++k;
            want = acc[t] * 7 + (t % 3 == 0 ? scale : 0) * 5 + k * 3 + ((t + 1) % n) * 2 + scale;
          }
          ASSERT_EQ(h[b * threads + t], want) << "n " << n << ", rounds " << rounds << ", block " << b << ", thread " << t;
        }
      }
    }
  }
}

CUPORT_INSTANTIATE_BACKENDS(BarrierTest);

// Warp-level functions with 32-lane warps: shuffles (every mode, width, 32/64-bit and floating types, the
// legacy unsynchronized forms), votes, matches, reductions, __syncwarp, and the reducing __syncthreads
// variants; partial last warps and warps that diverge from the rest of the block.
#include "cuport_test.h"

#include <algorithm>
#include <utility>
#include <vector>

using cuport_test::BackendTest;

namespace {

constexpr unsigned FULL = 0xffffffffu;

__device__ __forceinline__ void shuffleEveryMode(int *out, int width) {
  int t = threadIdx.x;
  int v = t * 3 + 1;
  out[t * 4 + 0] = __shfl_sync(FULL, v, 5, width);
  out[t * 4 + 1] = __shfl_up_sync(FULL, v, 3, width);
  out[t * 4 + 2] = __shfl_down_sync(FULL, v, 2, width);
  out[t * 4 + 3] = __shfl_xor_sync(FULL, v, 6, width);
}

__global__ void shuffleModes(int *out, int width) { shuffleEveryMode(out, width); }

// The same with every operand a compile-time constant (as in most code), for blocks of many warps.
template <int Width> __global__ void shuffleModesConstant(int *out) { shuffleEveryMode(out, Width); }

int lane_source(int mode, int lane, int width) {
  int base = lane / width * width, idx = lane % width;
  switch (mode) {
  case 0: return base + 5 % width;
  case 1: return idx >= 3 ? lane - 3 : lane;
  case 2: return idx + 2 < width ? lane + 2 : lane;
  default: return (idx ^ 6) < width ? base + (idx ^ 6) : lane;
  }
}

__global__ void shuffleTypes(double *d, long long *ll, float *f, unsigned long long *u) {
  int t = threadIdx.x;
  d[t] = __shfl_down_sync(FULL, d[t], 1);
  ll[t] = __shfl_xor_sync(FULL, ll[t], 1);
  f[t] = __shfl_sync(FULL, f[t], 31 - (t % 32));
  u[t] = __shfl_up_sync(FULL, u[t], 4);
}

// The classic warp reduction, in the _sync form and the legacy unsynchronized form (pre-Volta code; nvcc
// accepts __shfl_down only for sm < 70, which nvcc 13 no longer targets, so that kernel is checked here).
__global__ void warpSum(const int *in, int *out, bool legacy) {
  int v = in[blockIdx.x * blockDim.x + threadIdx.x];
  for (int offset = 16; offset > 0; offset /= 2)
    v += legacy ? __shfl_down(v, offset) : __shfl_down_sync(FULL, v, offset);
  if (threadIdx.x % 32 == 0)
    out[(blockIdx.x * blockDim.x + threadIdx.x) / 32] = v;
}

__global__ void votes(unsigned *out) {
  int t = threadIdx.x, lane = t % 32;
  unsigned active = __activemask();
  out[t * 5 + 0] = __ballot_sync(active, lane % 3 == 0);
  out[t * 5 + 1] = __any_sync(active, lane == 7);
  out[t * 5 + 2] = __all_sync(active, lane < 40);
  out[t * 5 + 3] = __all_sync(active, lane != 4);
  out[t * 5 + 4] = active;
}

__global__ void matches(unsigned *out) {
  int t = threadIdx.x, lane = t % 32;
  int pred = -1;
  out[t * 4 + 0] = __match_any_sync(FULL, lane % 4);
  out[t * 4 + 1] = __match_any_sync(FULL, (long long)(lane / 8) << 40);
  out[t * 4 + 2] = __match_all_sync(FULL, 42, &pred);
  out[t * 4 + 3] = pred;
  __match_all_sync(FULL, lane, &pred);
  out[t * 4 + 3] += pred * 10;
}

__global__ void reduces(int *out) {
  int lane = threadIdx.x % 32;
  out[threadIdx.x * 3 + 0] = __reduce_add_sync(FULL, lane + 1);
  out[threadIdx.x * 3 + 1] = __reduce_max_sync(FULL, (lane * 7) % 32);
  out[threadIdx.x * 3 + 2] = (int)__reduce_or_sync(FULL, 1u << (lane % 8));
}

// Shared-memory reduction whose last 32 steps use __syncwarp instead of __syncthreads.
__global__ void syncwarpReduction(const int *in, int *out) {
  __shared__ int s[256];
  unsigned t = threadIdx.x;
  s[t] = in[blockIdx.x * blockDim.x + t];
  __syncthreads();
  for (unsigned stride = blockDim.x / 2; stride >= 32; stride /= 2) {
    if (t < stride)
      s[t] += s[t + stride];
    __syncthreads();
  }
  if (t < 32) {
    for (unsigned stride = 16; stride > 0; stride /= 2) {
      int v = s[t] + s[t + stride];
      __syncwarp();
      s[t] = v;
      __syncwarp();
    }
  }
  if (t == 0)
    out[blockIdx.x] = s[0];
}

__global__ void reducingBarriers(int *out, int threshold) {
  int t = threadIdx.x;
  int c = __syncthreads_count(t < threshold);
  int a = __syncthreads_and(t < threshold);
  int o = __syncthreads_or(t == threshold);
  out[t] = c * 100 + a * 10 + o;
}

// Only warp 1 shuffles; the other warps wait at the following __syncthreads.
__global__ void divergentWarps(int *out) {
  __shared__ int s[128];
  int t = threadIdx.x;
  int v = t;
  if (t / 32 == 1)
    v = __shfl_xor_sync(FULL, v, 1);
  s[t] = v;
  __syncthreads();
  out[t] = s[127 - t];
}

} // namespace

class WarpTest : public BackendTest {};

// Warps of a 2D block (rows of 16 or 24 threads, so warps span rows) shuffle after others exited: the
// first `left` warps (odd = 0) or the odd-numbered warps (odd = 1) go on.  The CPU backend runs such a
// shuffle's region over the rows from the first released thread to the last.
__global__ void survivors2D(int *out, int left, int odd) {
  int t = threadIdx.x + blockDim.x * threadIdx.y, w = t / 32;
  if (odd ? (w % 2 == 0) : (w >= left))
    return;
  int v = t + 1 + int(threadIdx.y) * 1000;
  for (int o = 16; o > 0; o >>= 1)
    v += __shfl_down_sync(0xffffffffu, v, o);
  out[blockIdx.x * 256 + t] = v;
}

// Whole warps return early; the warps left shuffle and vote (the CPU backend releases them together
// without asking its scheduler when every thread left waits at the same collective).
__global__ void survivorsShuffle(int *out, int warpsLeft) {
  int t = threadIdx.x, lane = t & 31;
  if (t >= warpsLeft * 32)
    return;
  int v = t + 1;
  for (int offset = 16; offset > 0; offset >>= 1)
    v += __shfl_down_sync(0xffffffffu, v, offset);
  unsigned odd = __ballot_sync(0xffffffffu, (v & 1) != 0);
  if (lane == 0)
    out[t / 32] = v;
  out[8 + t] = int(odd);
}

// Threads lo .. hi-1 of the block stay, the others return at once; the survivors then take three rounds of
// a shuffle up, a shuffle xor, a ballot and __syncthreads_count, each within the lanes of its warp that
// stayed (the member mask).  In every round they all wait at the same sites, with ranges that start and
// end inside a warp.  Only results CUDA defines are used: a source lane outside the mask gives an
// undefined value, so such a lane adds 0 instead.
__global__ void survivorsRounds(int *out, int lo, int hi) {
  int t = threadIdx.x;
  if (t < lo || t >= hi)
    return;
  int lane = t & 31, base = t & ~31;
  int first = max(lo, base) - base, last = min(hi, base + 32) - base;
  unsigned mask = (last - first == 32 ? 0xffffffffu : (1u << (last - first)) - 1) << first;
  int v = 3 * t + 1;
  for (int r = 0; r < 3; ++r) {
    int up = __shfl_up_sync(mask, v, 1);
    int x = __shfl_xor_sync(mask, v, 1);
    unsigned b = __ballot_sync(mask, v % 3 == 0);
    int c = __syncthreads_count(v & 1);
    bool upDefined = lane == 0 || lane - 1 >= first, xorDefined = (lane ^ 1) >= first && (lane ^ 1) < last;
    v = v + (upDefined ? up : 0) + (xorDefined ? x : 0) + __popc(b) + c;
  }
  out[blockIdx.x * blockDim.x + t] = v;
}

TEST_P(WarpTest, ShuffleModesAndWidths) {
  const int threads = 64;
  int *d;
  CUDA_OK(cudaMalloc(&d, threads * 4 * sizeof(int)));
  for (int width : {32, 16, 8}) {
    shuffleModes<<<1, threads>>>(d, width);
    CUDA_OK(cudaGetLastError());
    std::vector<int> r(threads * 4);
    CUDA_OK(cudaMemcpy(r.data(), d, r.size() * sizeof(int), cudaMemcpyDeviceToHost));
    for (int t = 0; t < threads; ++t)
      for (int mode = 0; mode < 4; ++mode) {
        int warp = t / 32 * 32, lane = t % 32;
        int src = warp + lane_source(mode, lane, width);
        ASSERT_EQ(r[t * 4 + mode], src * 3 + 1) << "thread " << t << " mode " << mode << " width " << width;
      }
  }
  CUDA_OK(cudaFree(d));
}

TEST_P(WarpTest, ShuffleModesWithConstantOperands) {
  int *d;
  CUDA_OK(cudaMalloc(&d, 1024 * 4 * sizeof(int)));
  for (int threads : {32, 64, 256, 1024})
    for (int width : {32, 16, 8}) {
      if (width == 32)
        shuffleModesConstant<32><<<1, threads>>>(d);
      else if (width == 16)
        shuffleModesConstant<16><<<1, threads>>>(d);
      else
        shuffleModesConstant<8><<<1, threads>>>(d);
      CUDA_OK(cudaGetLastError());
      std::vector<int> r(threads * 4);
      CUDA_OK(cudaMemcpy(r.data(), d, r.size() * sizeof(int), cudaMemcpyDeviceToHost));
      for (int t = 0; t < threads; ++t)
        for (int mode = 0; mode < 4; ++mode) {
          int src = t / 32 * 32 + lane_source(mode, t % 32, width);
          ASSERT_EQ(r[t * 4 + mode], src * 3 + 1)
              << "thread " << t << " of " << threads << ", mode " << mode << ", width " << width;
        }
    }
  CUDA_OK(cudaFree(d));
}

TEST_P(WarpTest, ShuffleSixtyFourBitAndFloatingTypes) {
  const int n = 64;
  std::vector<double> hd(n);
  std::vector<long long> hl(n);
  std::vector<float> hf(n);
  std::vector<unsigned long long> hu(n);
  for (int i = 0; i < n; ++i) {
    hd[i] = 1.5e300 / (i + 1);
    hl[i] = (long long)i << 40 | (i * 7);
    hf[i] = -0.25f * i;
    hu[i] = ~0ull - i;
  }
  double *dd;
  long long *dl;
  float *df;
  unsigned long long *du;
  CUDA_OK(cudaMalloc(&dd, n * sizeof(double)));
  CUDA_OK(cudaMalloc(&dl, n * sizeof(long long)));
  CUDA_OK(cudaMalloc(&df, n * sizeof(float)));
  CUDA_OK(cudaMalloc(&du, n * sizeof(unsigned long long)));
  CUDA_OK(cudaMemcpy(dd, hd.data(), n * sizeof(double), cudaMemcpyHostToDevice));
  CUDA_OK(cudaMemcpy(dl, hl.data(), n * sizeof(long long), cudaMemcpyHostToDevice));
  CUDA_OK(cudaMemcpy(df, hf.data(), n * sizeof(float), cudaMemcpyHostToDevice));
  CUDA_OK(cudaMemcpy(du, hu.data(), n * sizeof(unsigned long long), cudaMemcpyHostToDevice));
  shuffleTypes<<<1, n>>>(dd, dl, df, du);
  CUDA_OK(cudaGetLastError());
  std::vector<double> rd(n);
  std::vector<long long> rl(n);
  std::vector<float> rf(n);
  std::vector<unsigned long long> ru(n);
  CUDA_OK(cudaMemcpy(rd.data(), dd, n * sizeof(double), cudaMemcpyDeviceToHost));
  CUDA_OK(cudaMemcpy(rl.data(), dl, n * sizeof(long long), cudaMemcpyDeviceToHost));
  CUDA_OK(cudaMemcpy(rf.data(), df, n * sizeof(float), cudaMemcpyDeviceToHost));
  CUDA_OK(cudaMemcpy(ru.data(), du, n * sizeof(unsigned long long), cudaMemcpyDeviceToHost));
  for (int t = 0; t < n; ++t) {
    int lane = t % 32, warp = t / 32 * 32;
    EXPECT_EQ(rd[t], hd[lane < 31 ? t + 1 : t]) << t;
    EXPECT_EQ(rl[t], hl[warp + (lane ^ 1)]) << t;
    EXPECT_EQ(rf[t], hf[warp + 31 - lane]) << t;
    EXPECT_EQ(ru[t], hu[lane >= 4 ? t - 4 : t]) << t;
  }
  CUDA_OK(cudaFree(dd));
  CUDA_OK(cudaFree(dl));
  CUDA_OK(cudaFree(df));
  CUDA_OK(cudaFree(du));
}

TEST_P(WarpTest, WarpReductionLegacyAndSync) {
  const int blocks = 4, threads = 256, n = blocks * threads;
  std::vector<int> h(n);
  for (int i = 0; i < n; ++i)
    h[i] = i % 97 - 40;
  int *din, *dout;
  CUDA_OK(cudaMalloc(&din, n * sizeof(int)));
  CUDA_OK(cudaMalloc(&dout, n / 32 * sizeof(int)));
  CUDA_OK(cudaMemcpy(din, h.data(), n * sizeof(int), cudaMemcpyHostToDevice));
  for (bool legacy : {false, true}) {
    warpSum<<<blocks, threads>>>(din, dout, legacy);
    CUDA_OK(cudaGetLastError());
    std::vector<int> r(n / 32);
    CUDA_OK(cudaMemcpy(r.data(), dout, r.size() * sizeof(int), cudaMemcpyDeviceToHost));
    for (int w = 0; w < n / 32; ++w) {
      int expect = 0;
      for (int l = 0; l < 32; ++l)
        expect += h[w * 32 + l];
      ASSERT_EQ(r[w], expect) << "warp " << w << " legacy " << legacy;
    }
  }
  CUDA_OK(cudaFree(din));
  CUDA_OK(cudaFree(dout));
}

TEST_P(WarpTest, VotesIncludingPartialLastWarp) {
  const int threads = 48; // the second warp has 16 lanes
  unsigned *d;
  CUDA_OK(cudaMalloc(&d, threads * 5 * sizeof(unsigned)));
  votes<<<1, threads>>>(d);
  CUDA_OK(cudaGetLastError());
  std::vector<unsigned> r(threads * 5);
  CUDA_OK(cudaMemcpy(r.data(), d, r.size() * sizeof(unsigned), cudaMemcpyDeviceToHost));
  for (int t = 0; t < threads; ++t) {
    int lanes = t < 32 ? 32 : 16;
    unsigned active = lanes == 32 ? FULL : 0xffffu, ballot = 0;
    for (int l = 0; l < lanes; ++l)
      if (l % 3 == 0)
        ballot |= 1u << l;
    EXPECT_EQ(r[t * 5 + 0], ballot) << t;
    EXPECT_EQ(r[t * 5 + 1], lanes > 7 ? 1u : 0u) << t;
    EXPECT_EQ(r[t * 5 + 2], 1u) << t;
    EXPECT_EQ(r[t * 5 + 3], 0u) << t;
    EXPECT_EQ(r[t * 5 + 4], active) << t;
  }
  CUDA_OK(cudaFree(d));
}

TEST_P(WarpTest, MatchAnyAndAll) {
  unsigned *d;
  CUDA_OK(cudaMalloc(&d, 32 * 4 * sizeof(unsigned)));
  matches<<<1, 32>>>(d);
  CUDA_OK(cudaGetLastError());
  unsigned r[32 * 4];
  CUDA_OK(cudaMemcpy(r, d, sizeof r, cudaMemcpyDeviceToHost));
  for (int l = 0; l < 32; ++l) {
    EXPECT_EQ(r[l * 4 + 0], 0x11111111u << (l % 4)) << l;
    EXPECT_EQ(r[l * 4 + 1], 0xffu << (l / 8 * 8)) << l;
    EXPECT_EQ(r[l * 4 + 2], FULL) << l;
    EXPECT_EQ(r[l * 4 + 3], 1u) << l; // all equal: 1, then not all equal: 0 * 10
  }
  CUDA_OK(cudaFree(d));
}

TEST_P(WarpTest, Reductions) {
  int *d;
  CUDA_OK(cudaMalloc(&d, 64 * 3 * sizeof(int)));
  reduces<<<1, 64>>>(d);
  CUDA_OK(cudaGetLastError());
  int r[64 * 3];
  CUDA_OK(cudaMemcpy(r, d, sizeof r, cudaMemcpyDeviceToHost));
  for (int t = 0; t < 64; ++t) {
    EXPECT_EQ(r[t * 3 + 0], 32 * 33 / 2);
    EXPECT_EQ(r[t * 3 + 1], 31);
    EXPECT_EQ(r[t * 3 + 2], 0xff);
  }
  CUDA_OK(cudaFree(d));
}

TEST_P(WarpTest, SyncwarpInSharedMemoryReduction) {
  const int blocks = 3, threads = 256, n = blocks * threads;
  std::vector<int> h(n);
  for (int i = 0; i < n; ++i)
    h[i] = (i * 13) % 101;
  int *din, *dout;
  CUDA_OK(cudaMalloc(&din, n * sizeof(int)));
  CUDA_OK(cudaMalloc(&dout, blocks * sizeof(int)));
  CUDA_OK(cudaMemcpy(din, h.data(), n * sizeof(int), cudaMemcpyHostToDevice));
  syncwarpReduction<<<blocks, threads>>>(din, dout);
  CUDA_OK(cudaGetLastError());
  int r[blocks];
  CUDA_OK(cudaMemcpy(r, dout, sizeof r, cudaMemcpyDeviceToHost));
  for (int b = 0; b < blocks; ++b) {
    int expect = 0;
    for (int i = 0; i < threads; ++i)
      expect += h[b * threads + i];
    EXPECT_EQ(r[b], expect) << b;
  }
  CUDA_OK(cudaFree(din));
  CUDA_OK(cudaFree(dout));
}

TEST_P(WarpTest, SyncthreadsCountAndOr) {
  int *d;
  CUDA_OK(cudaMalloc(&d, 200 * sizeof(int)));
  for (int threshold : {0, 77, 200}) {
    reducingBarriers<<<1, 200>>>(d, threshold);
    CUDA_OK(cudaGetLastError());
    int r[200];
    CUDA_OK(cudaMemcpy(r, d, sizeof r, cudaMemcpyDeviceToHost));
    int expect = threshold * 100 + (threshold == 200 ? 10 : 0) + (threshold < 200 ? 1 : 0);
    for (int t = 0; t < 200; ++t)
      ASSERT_EQ(r[t], expect) << "thread " << t << " threshold " << threshold;
  }
  CUDA_OK(cudaFree(d));
}

TEST_P(WarpTest, OneWarpShufflesWhileOthersWaitAtBarrier) {
  int *d;
  CUDA_OK(cudaMalloc(&d, 128 * sizeof(int)));
  divergentWarps<<<1, 128>>>(d);
  CUDA_OK(cudaGetLastError());
  int r[128];
  CUDA_OK(cudaMemcpy(r, d, sizeof r, cudaMemcpyDeviceToHost));
  for (int t = 0; t < 128; ++t) {
    int u = 127 - t;
    int v = u / 32 == 1 ? (u ^ 1) : u;
    ASSERT_EQ(r[t], v) << t;
  }
  CUDA_OK(cudaFree(d));
}

TEST_P(WarpTest, WarpsOfTwoDimensionalBlocksShuffleAfterOthersExited) {
  for (dim3 block : {dim3(16, 12), dim3(24, 8)}) {
    const int warps = int(block.x * block.y) / 32;
    for (int odd : {0, 1})
      for (int left : {1, 3}) {
        int *d;
        CUDA_OK(cudaMalloc(&d, 2 * 256 * sizeof(int)));
        CUDA_OK(cudaMemset(d, 0xff, 2 * 256 * sizeof(int)));
        survivors2D<<<2, block>>>(d, left, odd);
        CUDA_OK(cudaGetLastError());
        std::vector<int> h(2 * 256);
        CUDA_OK(cudaMemcpy(h.data(), d, h.size() * sizeof(int), cudaMemcpyDeviceToHost));
        CUDA_OK(cudaFree(d));
        for (int b = 0; b < 2; ++b)
          for (int w = 0; w < warps; ++w) {
            bool goesOn = odd ? w % 2 == 1 : w < left;
            // Every lane's value after the shfl_down steps (a source past lane 31 gives the lane its own).
            std::vector<int> vals(32);
            for (int l = 0; l < 32; ++l)
              vals[l] = 32 * w + l + 1 + ((32 * w + l) / int(block.x)) * 1000;
            for (int o = 16; o > 0; o >>= 1) {
              std::vector<int> next(vals);
              for (int l = 0; l < 32; ++l)
                next[l] = vals[l] + (l + o < 32 ? vals[l + o] : vals[l]);
              vals = next;
            }
            for (int l = 0; l < 32; ++l)
              ASSERT_EQ(h[b * 256 + 32 * w + l], goesOn ? vals[l] : -1)
                  << "block " << block.x << "x" << block.y << ", odd " << odd << ", left " << left << ", warp " << w
                  << " lane " << l << " of block " << b;
          }
      }
  }
}

TEST_P(WarpTest, WarpsShuffleAfterOtherWarpsExited) {
  for (int left : {1, 2, 5}) {
    int *d;
    CUDA_OK(cudaMalloc(&d, (8 + 256) * sizeof(int)));
    CUDA_OK(cudaMemset(d, 0xff, (8 + 256) * sizeof(int)));
    survivorsShuffle<<<2, 256>>>(d, left);
    CUDA_OK(cudaGetLastError());
    std::vector<int> h(8 + 256);
    CUDA_OK(cudaMemcpy(h.data(), d, h.size() * sizeof(int), cudaMemcpyDeviceToHost));
    CUDA_OK(cudaFree(d));
    for (int w = 0; w < left; ++w) {
      // Lane 0 of a shfl_down reduction sums the warp: threads 32w+1 .. 32w+32.
      ASSERT_EQ(h[w], 32 * (32 * w) + 32 * 33 / 2) << "warps left " << left << ", warp " << w;
      // The ballot of "v is odd" over the partial sums each lane holds after the reduction.
      // The host's shfl_down reduction: a lane whose source is past lane 31 adds its own value.
      unsigned want = 0;
      std::vector<int> vals(32);
      for (int l = 0; l < 32; ++l) vals[l] = 32 * w + l + 1;
      for (int offset = 16; offset > 0; offset >>= 1) {
        std::vector<int> next(vals);
        for (int l = 0; l < 32; ++l) next[l] = vals[l] + (l + offset < 32 ? vals[l + offset] : vals[l]);
        vals = next;
      }
      for (int l = 0; l < 32; ++l)
        if (vals[l] & 1) want |= 1u << l;
      for (int l = 0; l < 32; ++l)
        ASSERT_EQ(unsigned(h[8 + 32 * w + l]), want) << "warps left " << left << ", warp " << w << ", lane " << l;
    }
    for (int t = left * 32; t < 256; ++t)
      ASSERT_EQ(h[8 + t], -1) << "exited thread " << t << " wrote";
  }
}

TEST_P(WarpTest, SurvivorsOfUnalignedRangesShuffleVoteAndCount) {
  const int n = 96;
  for (auto [lo, hi] : {std::pair{7, 70}, {0, 40}, {33, 64}, {5, 6}, {32, 96}, {0, 96}}) {
    int *d;
    CUDA_OK(cudaMalloc(&d, 2 * n * sizeof(int)));
    CUDA_OK(cudaMemset(d, 0xff, 2 * n * sizeof(int)));
    survivorsRounds<<<2, n>>>(d, lo, hi);
    CUDA_OK(cudaGetLastError());
    std::vector<int> h(2 * n);
    CUDA_OK(cudaMemcpy(h.data(), d, h.size() * sizeof(int), cudaMemcpyDeviceToHost));
    CUDA_OK(cudaFree(d));
    std::vector<int> v(n);
    for (int t = lo; t < hi; ++t)
      v[t] = 3 * t + 1;
    for (int r = 0; r < 3; ++r) {
      std::vector<int> next(v);
      int count = 0;
      for (int t = lo; t < hi; ++t)
        count += v[t] & 1;
      for (int t = lo; t < hi; ++t) {
        int lane = t % 32, base = t - lane;
        int up = lane == 0 ? v[t] : t - 1 >= std::max(lo, base) ? v[t - 1] : 0;
        int x = (t ^ 1) >= lo && (t ^ 1) < hi ? v[t ^ 1] : 0;
        int votes = 0;
        for (int u = std::max(lo, base); u < std::min(hi, base + 32); ++u)
          votes += v[u] % 3 == 0;
        next[t] = v[t] + up + x + votes + count;
      }
      v = next;
    }
    for (int b = 0; b < 2; ++b)
      for (int t = 0; t < n; ++t)
        ASSERT_EQ(h[b * n + t], t >= lo && t < hi ? v[t] : -1)
            << "survivors " << lo << ".." << hi - 1 << ", thread " << t << " of block " << b;
  }
}

CUPORT_INSTANTIATE_BACKENDS(WarpTest);

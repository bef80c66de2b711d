// Grid- and block-stride loops (`for (i = first + threadIdx.x; i < n; i += stride)`), the loops the CPU
// backend runs one iteration at a time for the whole block (compiler/lib/StreamLoops.h): ragged tails where
// threads run different numbers of iterations, per-thread accumulators, consecutive loops, barriers and
// warp collectives after them, shared atomics inside them, `break`, and threads that return first.
#include "cuport_test.h"

#include <tuple>
#include <utility>
#include <vector>

using cuport_test::BackendTest;

namespace {

// y = a * x + y over the whole grid; each thread also counts its iterations and sums what it wrote.
__global__ void gridStride(float a, const float *x, float *y, int n, int *iterations, float *sums) {
  int g = blockIdx.x * blockDim.x + threadIdx.x;
  int count = 0;
  float sum = 0.0f;
  for (int i = g; i < n; i += blockDim.x * gridDim.x) {
    y[i] = a * x[i] + y[i];
    sum += y[i];
    ++count;
  }
  iterations[g] = count;
  sums[g] = sum;
}

// Each block sums its segment with a block-stride loop, reduces with shuffles and shared memory, then
// subtracts the block's mean in a second loop.
__global__ void segmentSum(const int *in, int *out, int *totals, int len) {
  __shared__ int warpSums[32];
  const int *seg = in + blockIdx.x * len;
  int v = 0;
  for (int i = threadIdx.x; i < len; i += blockDim.x)
    v += seg[i];
  for (int off = 16; off > 0; off >>= 1)
    v += __shfl_down_sync(0xffffffffu, v, off);
  int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  if (lane == 0)
    warpSums[warp] = v;
  __syncthreads();
  if (threadIdx.x == 0) {
    int t = 0;
    for (int w = 0; w < (int(blockDim.x) + 31) / 32; ++w)
      t += warpSums[w];
    warpSums[0] = t;
    totals[blockIdx.x] = t;
  }
  __syncthreads();
  int mean = warpSums[0] / len;
  for (int i = threadIdx.x; i < len; i += blockDim.x)
    out[blockIdx.x * len + i] = seg[i] - mean;
}

// A shared histogram: clear (block-stride), count (grid-stride, shared atomics), merge (block-stride).
__global__ void histogram(const unsigned char *in, unsigned *bins, int n) {
  __shared__ unsigned h[256];
  for (int i = threadIdx.x; i < 256; i += blockDim.x)
    h[i] = 0;
  __syncthreads();
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
    atomicAdd(&h[in[i]], 1u);
  __syncthreads();
  for (int i = threadIdx.x; i < 256; i += blockDim.x)
    if (h[i])
      atomicAdd(&bins[i], h[i]);
}

// Two loops back to back with different bounds, so threads leave the first one at different times and
// enter the second one at different times; a barrier after both must wait for the slowest thread (thread 0,
// which leaves the second loop at once, must not take the others past it).
__global__ void twoLoops(const int *a, int lenA, const int *b, int lenB, int *out) {
  __shared__ int total;
  if (threadIdx.x == 0)
    total = 0;
  __syncthreads();
  int sa = 0, sb = 0;
  for (int i = threadIdx.x; i < lenA; i += blockDim.x) {
    if (threadIdx.x == 0 && i > 0)
      break; // thread 0 reaches the barrier first
    sa += a[i];
  }
  for (int i = threadIdx.x; i < lenB; i += blockDim.x) {
    if (threadIdx.x == 0 && i > 0)
      break;
    sb += b[i] * (i % 2 + 1);
  }
  atomicAdd(&total, sa + 3 * sb);
  __syncthreads();
  out[threadIdx.x] = (sa + 3 * sb) * 1000 + (threadIdx.x == 0 ? total : 0);
  if (threadIdx.x == 0)
    out[blockDim.x] = total;
}

// Threads with threadIdx.x % 3 == 0 return at once; the others walk the grid until they see a negative
// value, counting their block's steps.
__global__ void breakAndExit(const int *in, int n, int *firstNegative, int *steps) {
  if (threadIdx.x % 3 == 0)
    return;
  int g = blockIdx.x * blockDim.x + threadIdx.x, found = -1;
  for (int i = g; i < n; i += blockDim.x * gridDim.x) {
    atomicAdd(&steps[blockIdx.x], 1);
    if (in[i] < 0) {
      found = i;
      break;
    }
  }
  firstNegative[g] = found;
}

// A block-stride loop over a 2D block's linear thread index, with rows of threads that run different
// numbers of iterations; each thread writes its count, the last element it saw and a running sum.
__global__ void blockStride2D(const int *in, int n, int *out) {
  int t = threadIdx.y * blockDim.x + threadIdx.x, count = 0, last = -1, sum = 0;
  for (int i = t; i < n; i += blockDim.x * blockDim.y) {
    ++count;
    last = in[i];
    sum += last * (count % 3 + 1);
  }
  int *o = out + 3 * (blockIdx.x * blockDim.x * blockDim.y + t);
  o[0] = count, o[1] = last, o[2] = sum;
}

// Each block walks its own chunk of n / gridDim.x elements (the last n % gridDim.x stay untouched), with
// the chunk's end as the loop bound: unsigned, or signed (n / (int)gridDim.x).  Each thread counts its
// iterations; chunks that blockDim does not divide leave a ragged last row.
__global__ void chunkLoops(const int *in, int *out, unsigned n, int *iterations, int sign) {
  int count = 0;
  if (sign) {
    int per = int(n) / int(gridDim.x);
    for (int i = int(blockIdx.x) * per + int(threadIdx.x); i < (int(blockIdx.x) + 1) * per; i += blockDim.x) {
      out[i] = 3 * in[i] - int(blockIdx.x);
      ++count;
    }
  } else {
    unsigned per = n / gridDim.x;
    for (unsigned i = blockIdx.x * per + threadIdx.x; i < (blockIdx.x + 1) * per; i += blockDim.x) {
      out[i] = 3 * in[i] - int(blockIdx.x);
      ++count;
    }
  }
  iterations[blockIdx.x * blockDim.x + threadIdx.x] = count;
}

class LoopTest : public BackendTest {};

TEST_P(LoopTest, ChunkLoopsBoundedByGridDivision) {
  const int n = 7 * 1000 + 3;
  std::vector<int> in(n);
  for (int i = 0; i < n; ++i)
    in[i] = (i * 37) % 1001 - 500;
  int *din, *dout, *diter;
  CUDA_OK(cudaMalloc(&din, n * sizeof(int)));
  CUDA_OK(cudaMalloc(&dout, n * sizeof(int)));
  CUDA_OK(cudaMalloc(&diter, 8 * 1024 * sizeof(int)));
  CUDA_OK(cudaMemcpy(din, in.data(), n * sizeof(int), cudaMemcpyHostToDevice));
  for (int sign = 0; sign < 2; ++sign)
    for (auto [blocks, threads] : {std::pair{7, 96}, {7, 256}, {3, 1000}, {8, 33}, {1, 1024}}) {
      CUDA_OK(cudaMemset(dout, 0xff, n * sizeof(int)));
      chunkLoops<<<blocks, threads>>>(din, dout, n, diter, sign);
      CUDA_OK(cudaGetLastError());
      std::vector<int> out(n), iter(blocks * threads);
      CUDA_OK(cudaMemcpy(out.data(), dout, n * sizeof(int), cudaMemcpyDeviceToHost));
      CUDA_OK(cudaMemcpy(iter.data(), diter, iter.size() * sizeof(int), cudaMemcpyDeviceToHost));
      const int per = n / blocks;
      for (int i = 0; i < n; ++i) {
        const int b = i / per;
        ASSERT_EQ(out[i], b < blocks ? 3 * in[i] - b : -1)
            << "element " << i << ", " << blocks << " blocks of " << threads << (sign ? ", signed" : ", unsigned");
      }
      for (int b = 0; b < blocks; ++b)
        for (int t = 0; t < threads; ++t)
          ASSERT_EQ(iter[b * threads + t], t < per ? (per - t + threads - 1) / threads : 0)
              << "thread " << t << " of block " << b << ", " << blocks << " blocks of " << threads;
    }
  CUDA_OK(cudaFree(din));
  CUDA_OK(cudaFree(dout));
  CUDA_OK(cudaFree(diter));
}

TEST_P(LoopTest, GridStrideLoopsWithRaggedTails) {
  for (auto [blocks, threads, n] : {std::tuple{1, 1, 5}, {3, 33, 1000}, {7, 256, 100003}, {2, 1024, 4096 + 17}}) {
    const int total = blocks * threads;
    std::vector<float> x(n), y(n);
    for (int i = 0; i < n; ++i)
      x[i] = float(i % 9), y[i] = float(i % 4);
    float *dx, *dy, *ds;
    int *di;
    CUDA_OK(cudaMalloc(&dx, n * sizeof(float)));
    CUDA_OK(cudaMalloc(&dy, n * sizeof(float)));
    CUDA_OK(cudaMalloc(&ds, total * sizeof(float)));
    CUDA_OK(cudaMalloc(&di, total * sizeof(int)));
    CUDA_OK(cudaMemcpy(dx, x.data(), n * sizeof(float), cudaMemcpyHostToDevice));
    CUDA_OK(cudaMemcpy(dy, y.data(), n * sizeof(float), cudaMemcpyHostToDevice));
    gridStride<<<blocks, threads>>>(2.0f, dx, dy, n, di, ds);
    CUDA_OK(cudaGetLastError());
    std::vector<float> ry(n), rs(total);
    std::vector<int> ri(total);
    CUDA_OK(cudaMemcpy(ry.data(), dy, n * sizeof(float), cudaMemcpyDeviceToHost));
    CUDA_OK(cudaMemcpy(rs.data(), ds, total * sizeof(float), cudaMemcpyDeviceToHost));
    CUDA_OK(cudaMemcpy(ri.data(), di, total * sizeof(int), cudaMemcpyDeviceToHost));
    for (int i = 0; i < n; ++i)
      ASSERT_EQ(ry[i], 2.0f * x[i] + y[i]) << "element " << i << ", " << blocks << " x " << threads;
    for (int g = 0; g < total; ++g) {
      int count = 0;
      float sum = 0.0f;
      for (int i = g; i < n; i += total, ++count)
        sum += 2.0f * x[i] + y[i];
      ASSERT_EQ(ri[g], count) << "thread " << g << ", " << blocks << " x " << threads;
      ASSERT_EQ(rs[g], sum) << "thread " << g << ", " << blocks << " x " << threads;
    }
    for (void *p : {(void *)dx, (void *)dy, (void *)ds, (void *)di})
      CUDA_OK(cudaFree(p));
  }
}

TEST_P(LoopTest, BlockStrideLoopsAroundShuffleReduction) {
  for (auto [threads, len] : {std::pair{32, 31}, {64, 1000}, {96, 96}, {1024, 5000}}) {
    const int blocks = 3, n = blocks * len;
    std::vector<int> in(n);
    for (int i = 0; i < n; ++i)
      in[i] = (i * 37) % 101 - 20;
    int *din, *dout, *dtot;
    CUDA_OK(cudaMalloc(&din, n * sizeof(int)));
    CUDA_OK(cudaMalloc(&dout, n * sizeof(int)));
    CUDA_OK(cudaMalloc(&dtot, blocks * sizeof(int)));
    CUDA_OK(cudaMemcpy(din, in.data(), n * sizeof(int), cudaMemcpyHostToDevice));
    segmentSum<<<blocks, threads>>>(din, dout, dtot, len);
    CUDA_OK(cudaGetLastError());
    std::vector<int> out(n), tot(blocks);
    CUDA_OK(cudaMemcpy(out.data(), dout, n * sizeof(int), cudaMemcpyDeviceToHost));
    CUDA_OK(cudaMemcpy(tot.data(), dtot, blocks * sizeof(int), cudaMemcpyDeviceToHost));
    for (int b = 0; b < blocks; ++b) {
      int t = 0;
      for (int i = 0; i < len; ++i)
        t += in[b * len + i];
      ASSERT_EQ(tot[b], t) << "block " << b << ", " << threads << " threads, " << len << " elements";
      for (int i = 0; i < len; ++i)
        ASSERT_EQ(out[b * len + i], in[b * len + i] - t / len) << "element " << i << " of block " << b;
    }
    for (void *p : {(void *)din, (void *)dout, (void *)dtot})
      CUDA_OK(cudaFree(p));
  }
}

TEST_P(LoopTest, SharedHistogramInGridStrideLoop) {
  const int n = 300007;
  std::vector<unsigned char> in(n);
  std::vector<unsigned> expect(256, 0);
  for (int i = 0; i < n; ++i) {
    in[i] = (unsigned char)((i * 2654435761u) >> 24);
    ++expect[in[i]];
  }
  unsigned char *din;
  unsigned *dbins;
  CUDA_OK(cudaMalloc(&din, n));
  CUDA_OK(cudaMalloc(&dbins, 256 * sizeof(unsigned)));
  CUDA_OK(cudaMemcpy(din, in.data(), n, cudaMemcpyHostToDevice));
  for (auto [blocks, threads] : {std::pair{1, 1}, {5, 100}, {16, 256}, {3, 1024}}) {
    CUDA_OK(cudaMemset(dbins, 0, 256 * sizeof(unsigned)));
    histogram<<<blocks, threads>>>(din, dbins, n);
    CUDA_OK(cudaGetLastError());
    std::vector<unsigned> bins(256);
    CUDA_OK(cudaMemcpy(bins.data(), dbins, 256 * sizeof(unsigned), cudaMemcpyDeviceToHost));
    for (int b = 0; b < 256; ++b)
      ASSERT_EQ(bins[b], expect[b]) << "bin " << b << ", " << blocks << " x " << threads;
  }
  CUDA_OK(cudaFree(din));
  CUDA_OK(cudaFree(dbins));
}

TEST_P(LoopTest, ConsecutiveLoopsThenBarrier) {
  const int lenA = 1000, lenB = 333;
  std::vector<int> a(lenA), b(lenB);
  for (int i = 0; i < lenA; ++i)
    a[i] = i % 13 - 6;
  for (int i = 0; i < lenB; ++i)
    b[i] = i % 7 + 1;
  int *da, *db, *dout;
  CUDA_OK(cudaMalloc(&da, lenA * sizeof(int)));
  CUDA_OK(cudaMalloc(&db, lenB * sizeof(int)));
  CUDA_OK(cudaMalloc(&dout, 1025 * sizeof(int)));
  CUDA_OK(cudaMemcpy(da, a.data(), lenA * sizeof(int), cudaMemcpyHostToDevice));
  CUDA_OK(cudaMemcpy(db, b.data(), lenB * sizeof(int), cudaMemcpyHostToDevice));
  for (int threads : {1, 40, 128, 1024}) {
    twoLoops<<<1, threads>>>(da, lenA, db, lenB, dout);
    CUDA_OK(cudaGetLastError());
    std::vector<int> out(threads + 1);
    CUDA_OK(cudaMemcpy(out.data(), dout, (threads + 1) * sizeof(int), cudaMemcpyDeviceToHost));
    int total = 0;
    std::vector<int> mine(threads);
    for (int t = 0; t < threads; ++t) {
      int sa = 0, sb = 0;
      for (int i = t; i < lenA && (t != 0 || i == 0); i += threads)
        sa += a[i];
      for (int i = t; i < lenB && (t != 0 || i == 0); i += threads)
        sb += b[i] * (i % 2 + 1);
      mine[t] = sa + 3 * sb;
      total += mine[t];
    }
    ASSERT_EQ(out[threads], total) << threads << " threads";
    for (int t = 0; t < threads; ++t)
      ASSERT_EQ(out[t], mine[t] * 1000 + (t == 0 ? total : 0)) << "thread " << t << " of " << threads;
  }
  for (void *p : {(void *)da, (void *)db, (void *)dout})
    CUDA_OK(cudaFree(p));
}

TEST_P(LoopTest, BreakAndEarlyReturn) {
  const int blocks = 4, threads = 96, n = 20000, total = blocks * threads;
  std::vector<int> in(n);
  for (int i = 0; i < n; ++i)
    in[i] = (i % 997 == 500 || i % 1777 == 3) ? -1 : i % 50;
  int *din, *dfirst, *dsteps;
  CUDA_OK(cudaMalloc(&din, n * sizeof(int)));
  CUDA_OK(cudaMalloc(&dfirst, total * sizeof(int)));
  CUDA_OK(cudaMalloc(&dsteps, blocks * sizeof(int)));
  CUDA_OK(cudaMemcpy(din, in.data(), n * sizeof(int), cudaMemcpyHostToDevice));
  CUDA_OK(cudaMemset(dfirst, 0x55, total * sizeof(int)));
  CUDA_OK(cudaMemset(dsteps, 0, blocks * sizeof(int)));
  breakAndExit<<<blocks, threads>>>(din, n, dfirst, dsteps);
  CUDA_OK(cudaGetLastError());
  std::vector<int> first(total), steps(blocks);
  CUDA_OK(cudaMemcpy(first.data(), dfirst, total * sizeof(int), cudaMemcpyDeviceToHost));
  CUDA_OK(cudaMemcpy(steps.data(), dsteps, blocks * sizeof(int), cudaMemcpyDeviceToHost));
  std::vector<int> expectSteps(blocks, 0);
  for (int g = 0; g < total; ++g) {
    int t = g % threads;
    if (t % 3 == 0) {
      ASSERT_EQ(first[g], 0x55555555) << "thread " << g << " returned first";
      continue;
    }
    int found = -1;
    for (int i = g; i < n; i += total) {
      ++expectSteps[g / threads];
      if (in[i] < 0) {
        found = i;
        break;
      }
    }
    ASSERT_EQ(first[g], found) << "thread " << g;
  }
  for (int b = 0; b < blocks; ++b)
    ASSERT_EQ(steps[b], expectSteps[b]) << "block " << b;
  for (void *p : {(void *)din, (void *)dfirst, (void *)dsteps})
    CUDA_OK(cudaFree(p));
}

TEST_P(LoopTest, BlockStrideLoopInTwoDimensionalBlocks) {
  const int n = 1000, blocks = 2;
  std::vector<int> in(n);
  for (int i = 0; i < n; ++i)
    in[i] = i * 7 % 23 - 11;
  int *din, *dout;
  CUDA_OK(cudaMalloc(&din, n * sizeof(int)));
  CUDA_OK(cudaMalloc(&dout, blocks * 1024 * 3 * sizeof(int)));
  CUDA_OK(cudaMemcpy(din, in.data(), n * sizeof(int), cudaMemcpyHostToDevice));
  for (auto [bx, by] : {std::pair{32, 3}, {10, 7}, {64, 16}, {1, 5}}) {
    blockStride2D<<<blocks, dim3(bx, by)>>>(din, n, dout);
    CUDA_OK(cudaGetLastError());
    const int threads = bx * by;
    std::vector<int> out(blocks * threads * 3);
    CUDA_OK(cudaMemcpy(out.data(), dout, out.size() * sizeof(int), cudaMemcpyDeviceToHost));
    for (int b = 0; b < blocks; ++b)
      for (int t = 0; t < threads; ++t) {
        int count = 0, last = -1, sum = 0;
        for (int i = t; i < n; i += threads) {
          ++count;
          last = in[i];
          sum += last * (count % 3 + 1);
        }
        const int *o = &out[3 * (b * threads + t)];
        ASSERT_EQ(o[0], count) << "thread " << t << " of " << bx << " x " << by;
        ASSERT_EQ(o[1], last) << "thread " << t << " of " << bx << " x " << by;
        ASSERT_EQ(o[2], sum) << "thread " << t << " of " << bx << " x " << by;
      }
  }
  CUDA_OK(cudaFree(din));
  CUDA_OK(cudaFree(dout));
}

CUPORT_INSTANTIATE_BACKENDS(LoopTest);

} // namespace

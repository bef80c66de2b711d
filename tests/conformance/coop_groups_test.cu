// Cooperative groups: thread blocks, static and dynamic tiles, coalesced groups, cg::reduce.
#include "cuport_test.h"

#include <cooperative_groups.h>
#include <cooperative_groups/reduce.h>

#include <vector>

namespace cg = cooperative_groups;
using cuport_test::BackendTest;

namespace {

__global__ void blockQueries(unsigned *out) {
  cg::thread_block b = cg::this_thread_block();
  unsigned r = b.thread_rank();
  dim3 gi = b.group_index(), ti = b.thread_index(), gd = b.group_dim();
  unsigned base = (gi.x + gridDim.x * gi.y) * b.size() + r;
  out[base * 3 + 0] = r;
  out[base * 3 + 1] = b.size();
  out[base * 3 + 2] = ti.x + gd.x * (ti.y + gd.y * ti.z) == r;
}

// Block reduction in shared memory with cg barriers, then a tile<32> reduction with shfl_down.
__global__ void blockThenTileSum(const int *in, int *out) {
  __shared__ int s[256];
  cg::thread_block block = cg::this_thread_block();
  unsigned t = block.thread_rank();
  s[t] = in[blockIdx.x * block.size() + t];
  block.sync();
  for (unsigned stride = block.size() / 2; stride >= 32; stride /= 2) {
    if (t < stride)
      s[t] += s[t + stride];
    cg::sync(block);
  }
  if (t < 32) {
    cg::thread_block_tile<32> warp = cg::tiled_partition<32>(block);
    int v = s[t];
    for (int offset = warp.size() / 2; offset > 0; offset /= 2)
      v += warp.shfl_down(v, offset);
    if (warp.thread_rank() == 0)
      out[blockIdx.x] = v;
  }
}

__global__ void tileVotes(unsigned *out) {
  cg::thread_block block = cg::this_thread_block();
  auto tile = cg::tiled_partition<16>(block);
  unsigned r = tile.thread_rank(), t = block.thread_rank();
  out[t * 5 + 0] = r;
  out[t * 5 + 1] = tile.meta_group_rank();
  out[t * 5 + 2] = tile.ballot(r % 4 == 1);
  out[t * 5 + 3] = tile.any(r == 15 && tile.meta_group_rank() == 1);
  out[t * 5 + 4] = tile.all(r < 16) + 2 * tile.shfl(int(t), 3);
}

__global__ void reductions(int *out) {
  cg::thread_block block = cg::this_thread_block();
  auto warp = cg::tiled_partition<32>(block);
  auto tile8 = cg::tiled_partition<8>(block);
  int t = block.thread_rank();
  out[t * 4 + 0] = cg::reduce(warp, t, cg::plus<int>());
  out[t * 4 + 1] = cg::reduce(warp, (t * 37) % 64, cg::greater<int>());
  out[t * 4 + 2] = cg::reduce(tile8, 100 - t, cg::less<int>());
  cg::thread_group dyn = cg::tiled_partition(block, 4);
  dyn.sync();
  out[t * 4 + 3] = int(dyn.thread_rank() * 10 + dyn.size());
}

__global__ void coalesced(int *out) {
  int t = threadIdx.x;
  out[t] = -1;
  if (t % 3 == 0) {
    cg::coalesced_group g = cg::coalesced_threads();
    int sum = cg::reduce(g, t, cg::plus<int>());
    out[t] = int(g.size()) * 100000 + int(g.thread_rank()) * 1000 + sum % 1000;
  }
}

} // namespace

class CooperativeGroupsTest : public BackendTest {};

TEST_P(CooperativeGroupsTest, ThreadBlockQueries) {
  dim3 grid(2, 2), block(4, 3, 2);
  const unsigned n = 4 * 24;
  unsigned *d;
  CUDA_OK(cudaMalloc(&d, n * 3 * sizeof(unsigned)));
  blockQueries<<<grid, block>>>(d);
  CUDA_OK(cudaGetLastError());
  std::vector<unsigned> r(n * 3);
  CUDA_OK(cudaMemcpy(r.data(), d, r.size() * sizeof(unsigned), cudaMemcpyDeviceToHost));
  for (unsigned i = 0; i < n; ++i) {
    EXPECT_EQ(r[i * 3 + 0], i % 24);
    EXPECT_EQ(r[i * 3 + 1], 24u);
    EXPECT_EQ(r[i * 3 + 2], 1u);
  }
  CUDA_OK(cudaFree(d));
}

TEST_P(CooperativeGroupsTest, BlockAndTileReduction) {
  const int blocks = 5, threads = 256, n = blocks * threads;
  std::vector<int> h(n);
  for (int i = 0; i < n; ++i)
    h[i] = (i * 7) % 23 - 11;
  int *din, *dout;
  CUDA_OK(cudaMalloc(&din, n * sizeof(int)));
  CUDA_OK(cudaMalloc(&dout, blocks * sizeof(int)));
  CUDA_OK(cudaMemcpy(din, h.data(), n * sizeof(int), cudaMemcpyHostToDevice));
  blockThenTileSum<<<blocks, threads>>>(din, dout);
  CUDA_OK(cudaGetLastError());
  int r[blocks];
  CUDA_OK(cudaMemcpy(r, dout, sizeof r, cudaMemcpyDeviceToHost));
  for (int b = 0; b < blocks; ++b) {
    int e = 0;
    for (int i = 0; i < threads; ++i)
      e += h[b * threads + i];
    EXPECT_EQ(r[b], e) << b;
  }
  CUDA_OK(cudaFree(din));
  CUDA_OK(cudaFree(dout));
}

TEST_P(CooperativeGroupsTest, StaticTileVotesAndShuffles) {
  unsigned *d;
  CUDA_OK(cudaMalloc(&d, 64 * 5 * sizeof(unsigned)));
  tileVotes<<<1, 64>>>(d);
  CUDA_OK(cudaGetLastError());
  unsigned r[64 * 5];
  CUDA_OK(cudaMemcpy(r, d, sizeof r, cudaMemcpyDeviceToHost));
  for (unsigned t = 0; t < 64; ++t) {
    unsigned rank = t % 16, meta = t / 16;
    EXPECT_EQ(r[t * 5 + 0], rank);
    EXPECT_EQ(r[t * 5 + 1], meta);
    EXPECT_EQ(r[t * 5 + 2], 0x2222u) << t;
    EXPECT_EQ(r[t * 5 + 3], meta == 1 ? 1u : 0u) << t;
    EXPECT_EQ(r[t * 5 + 4], 1 + 2 * (meta * 16 + 3)) << t;
  }
  CUDA_OK(cudaFree(d));
}

TEST_P(CooperativeGroupsTest, ReduceAndDynamicPartition) {
  int *d;
  CUDA_OK(cudaMalloc(&d, 64 * 4 * sizeof(int)));
  reductions<<<1, 64>>>(d);
  CUDA_OK(cudaGetLastError());
  int r[64 * 4];
  CUDA_OK(cudaMemcpy(r, d, sizeof r, cudaMemcpyDeviceToHost));
  for (int t = 0; t < 64; ++t) {
    int w = t / 32 * 32, sum = 0, mx = 0;
    for (int l = 0; l < 32; ++l) {
      sum += w + l;
      mx = std::max(mx, ((w + l) * 37) % 64);
    }
    EXPECT_EQ(r[t * 4 + 0], sum) << t;
    EXPECT_EQ(r[t * 4 + 1], mx) << t;
    EXPECT_EQ(r[t * 4 + 2], 100 - (t / 8 * 8 + 7)) << t;
    EXPECT_EQ(r[t * 4 + 3], (t % 4) * 10 + 4) << t;
  }
  CUDA_OK(cudaFree(d));
}

TEST_P(CooperativeGroupsTest, CoalescedThreadsInBranch) {
  int *d;
  CUDA_OK(cudaMalloc(&d, 64 * sizeof(int)));
  coalesced<<<1, 64>>>(d);
  CUDA_OK(cudaGetLastError());
  int r[64];
  CUDA_OK(cudaMemcpy(r, d, sizeof r, cudaMemcpyDeviceToHost));
  for (int t = 0; t < 64; ++t) {
    if (t % 3) {
      EXPECT_EQ(r[t], -1) << t;
      continue;
    }
    int w = t / 32 * 32, size = 0, rank = 0, sum = 0;
    for (int l = w; l < w + 32; ++l)
      if (l % 3 == 0) {
        rank += l < t;
        ++size;
        sum += l;
      }
    EXPECT_EQ(r[t], size * 100000 + rank * 1000 + sum % 1000) << t;
  }
  CUDA_OK(cudaFree(d));
}

CUPORT_INSTANTIATE_BACKENDS(CooperativeGroupsTest);

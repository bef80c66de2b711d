// Kernel launches: grid and block shapes, built-in variables, parameters of every kind and size.
#include "cuport_test.h"

#include <cstring>
#include <numeric>
#include <tuple>
#include <vector>

using cuport_test::BackendTest;

namespace {

__global__ void writeCoordinates(uint4 *out) {
  unsigned block = blockIdx.x + gridDim.x * (blockIdx.y + gridDim.y * blockIdx.z);
  unsigned thread = threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
  unsigned id = block * (blockDim.x * blockDim.y * blockDim.z) + thread;
  out[id] = make_uint4(blockIdx.x | (blockIdx.y << 10) | (blockIdx.z << 20),
                       threadIdx.x | (threadIdx.y << 10) | (threadIdx.z << 20),
                       gridDim.x | (gridDim.y << 10) | (gridDim.z << 20),
                       blockDim.x | (blockDim.y << 10) | (blockDim.z << 20));
}

// Guards on a global index, as kernels write them.  The CPU backend runs rows of threads whose guards all
// have one value without the comparisons (compiler/lib/UniformGuards.h); these cover rows where they differ,
// where the index wraps inside a row, decreasing indices, equalities, 2D guards and 64-bit indices.
template <int Kind>
__global__ void guardedIndex(int *out, int n, unsigned offset, unsigned limit, long long n64) {
  int t = blockIdx.x * blockDim.x + threadIdx.x;
  unsigned wrapping = blockIdx.x * blockDim.x + threadIdx.x + offset; // wraps around 2^32 inside a row
  unsigned down = limit - blockIdx.x * blockDim.x - threadIdx.x;      // decreasing along the row
  size_t wide = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
  int shifted = (blockIdx.x << 6) - threadIdx.x * 3;                  // shl and a negative step
  bool r = false;
  switch (Kind) {
  case 0: r = t < n; break;
  case 1: r = wrapping < limit; break;
  case 2: r = down > 40u; break;
  case 3: r = t == n - 1; break;
  case 4: r = t != n / 2; break;
  case 5: r = wide >= (size_t)n64; break;
  case 6: r = shifted > n; break;
  }
  out[t] = r;
}

__global__ void guarded2D(int *out, int w, int h) {
  int x = blockIdx.x * blockDim.x + threadIdx.x, y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x >= w || y >= h)
    return;
  int v = 1;
  if (x == 0 || y == 0 || x == w - 1 || y == h - 1)
    v = 2;
  out[y * w + x] = v;
}

void checkShape(dim3 grid, dim3 block) {
  size_t n = size_t(grid.x) * grid.y * grid.z * block.x * block.y * block.z;
  uint4 *d = nullptr;
  CUDA_OK(cudaMalloc(&d, n * sizeof(uint4)));
  CUDA_OK(cudaMemset(d, 0xff, n * sizeof(uint4)));
  writeCoordinates<<<grid, block>>>(d);
  CUDA_OK(cudaGetLastError());
  std::vector<uint4> h(n);
  CUDA_OK(cudaMemcpy(h.data(), d, n * sizeof(uint4), cudaMemcpyDeviceToHost));
  CUDA_OK(cudaFree(d));
  size_t i = 0;
  for (unsigned bz = 0; bz < grid.z; ++bz)
    for (unsigned by = 0; by < grid.y; ++by)
      for (unsigned bx = 0; bx < grid.x; ++bx)
        for (unsigned tz = 0; tz < block.z; ++tz)
          for (unsigned ty = 0; ty < block.y; ++ty)
            for (unsigned tx = 0; tx < block.x; ++tx, ++i) {
              ASSERT_EQ(h[i].x, bx | (by << 10) | (bz << 20)) << "element " << i;
              ASSERT_EQ(h[i].y, tx | (ty << 10) | (tz << 20)) << "element " << i;
              ASSERT_EQ(h[i].z, grid.x | (grid.y << 10) | (grid.z << 20));
              ASSERT_EQ(h[i].w, block.x | (block.y << 10) | (block.z << 20));
            }
}

struct Mixed {
  char c;
  double d;
  short s;
  int i[3];
  bool b;
};

__global__ void mixedParams(long long *out, char c, short s, bool b, double d, Mixed m, float f, unsigned long long u) {
  out[0] = c;
  out[1] = s;
  out[2] = b;
  out[3] = (long long)(d * 1000);
  out[4] = m.c + m.s + m.i[0] + m.i[1] + m.i[2] + m.b + (long long)(m.d * 10);
  out[5] = (long long)(f * 100);
  out[6] = (long long)u;
}

struct Big {
  int values[8000]; // 32,000 bytes: CUDA 12.1 allows 32,764 bytes of parameters
};

__global__ void bigParam(Big big, long long *out) {
  long long sum = 0;
  for (int i = threadIdx.x; i < 8000; i += blockDim.x)
    sum += big.values[i];
  atomicAdd(reinterpret_cast<unsigned long long *>(out), (unsigned long long)sum);
}

template <typename T, int Scale>
__global__ void scaleTemplate(T *data, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    data[i] = data[i] * T(Scale);
}

// No barrier: each thread keeps a value in its own shared-memory cell and reads it back.  The CPU backend
// runs row y of several blocks before row y + 1 of any (threads of a barrier-free kernel may run in any
// order), so the blocks share one shared-memory buffer in turns; a thread's own write must still be there.
__global__ void ownSharedCell(int *out, int w) {
  __shared__ int cell[8][32];
  int x = blockIdx.x * blockDim.x + threadIdx.x, y = blockIdx.y * blockDim.y + threadIdx.y;
  cell[threadIdx.y][threadIdx.x] = x * 3 + y * 5;
  int v = cell[threadIdx.y][threadIdx.x];
  cell[threadIdx.y][threadIdx.x] = v + 1;
  out[y * w + x] = cell[threadIdx.y][threadIdx.x] * 2 + int(blockIdx.x);
}

// Threads that see blockIdx.x and threadIdx.x only as their sum (written either way round): the CPU
// backend runs the rows of a range of blocks as one long row.  Each element of an image whose width is not
// a multiple of the block is added to exactly once, edge columns differently, with the 2D grid's y.
__global__ void globalIndexOnly(int *out, int w, int h) {
  int x = threadIdx.x + blockIdx.x * blockDim.x, y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x >= w || y >= h)
    return;
  int v = x == 0 || x == w - 1 ? -7 : x;
  atomicAdd(&out[y * w + x], v + 1000 * y);
}

// Blocks one thread wide: thread y of each block owns cell[y] of its block's shared memory and reads it
// back through an index the compiler cannot resolve (k = 0 at run time).  Every block has its own cells,
// however the CPU backend runs the blocks of a row.
__global__ void thinBlockCells(int *out, int w, int k) {
  __shared__ int cell[8];
  int x = blockIdx.x * blockDim.x + threadIdx.x;
  cell[threadIdx.y] = x * 10 + int(threadIdx.y);
  out[threadIdx.y * w + x] = cell[(threadIdx.y + k) % 8];
}

__global__ void emptyKernel() {}

} // namespace

class LaunchTest : public BackendTest {};

TEST_P(LaunchTest, OneDimensional) { checkShape(dim3(7), dim3(96)); }
TEST_P(LaunchTest, TwoDimensional) { checkShape(dim3(3, 5), dim3(16, 8)); }
TEST_P(LaunchTest, ThreeDimensional) { checkShape(dim3(2, 3, 4), dim3(4, 5, 6)); }
TEST_P(LaunchTest, MaximalBlock) { checkShape(dim3(2), dim3(1024)); }
TEST_P(LaunchTest, OddShapes) { checkShape(dim3(1, 1, 3), dim3(1, 33, 1)); }

TEST_P(LaunchTest, RowsOfManyBlocksWithOwnSharedCells) {
  const int w = 32 * 9, h = 8 * 3;
  int *d;
  CUDA_OK(cudaMalloc(&d, w * h * sizeof(int)));
  ownSharedCell<<<dim3(w / 32, h / 8), dim3(32, 8)>>>(d, w);
  CUDA_OK(cudaGetLastError());
  std::vector<int> r(w * h);
  CUDA_OK(cudaMemcpy(r.data(), d, r.size() * sizeof(int), cudaMemcpyDeviceToHost));
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      ASSERT_EQ(r[y * w + x], (x * 3 + y * 5 + 1) * 2 + x / 32) << "x " << x << ", y " << y;
  CUDA_OK(cudaFree(d));
}

TEST_P(LaunchTest, GlobalIndexKernelsOverRowsOfManyBlocks) {
  for (auto [w, h, block] : {std::tuple{1000, 37, dim3(32, 4)}, {3001, 5, dim3(64, 1)}, {33, 70, dim3(8, 8)}}) {
    int *d;
    CUDA_OK(cudaMalloc(&d, w * h * sizeof(int)));
    CUDA_OK(cudaMemset(d, 0, w * h * sizeof(int)));
    dim3 grid((w + block.x - 1) / block.x, (h + block.y - 1) / block.y);
    globalIndexOnly<<<grid, block>>>(d, w, h);
    CUDA_OK(cudaGetLastError());
    std::vector<int> r(w * h);
    CUDA_OK(cudaMemcpy(r.data(), d, r.size() * sizeof(int), cudaMemcpyDeviceToHost));
    CUDA_OK(cudaFree(d));
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        ASSERT_EQ(r[y * w + x], (x == 0 || x == w - 1 ? -7 : x) + 1000 * y)
            << w << "x" << h << " image, block " << block.x << "x" << block.y << ": x " << x << ", y " << y;
  }
}

TEST_P(LaunchTest, ThinBlocksKeepTheirOwnSharedCells) {
  const int w = 96;
  int *d;
  CUDA_OK(cudaMalloc(&d, w * 8 * sizeof(int)));
  thinBlockCells<<<w, dim3(1, 8)>>>(d, w, 0);
  CUDA_OK(cudaGetLastError());
  std::vector<int> r(w * 8);
  CUDA_OK(cudaMemcpy(r.data(), d, r.size() * sizeof(int), cudaMemcpyDeviceToHost));
  CUDA_OK(cudaFree(d));
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < w; ++x)
      ASSERT_EQ(r[y * w + x], x * 10 + y) << "x " << x << ", y " << y;
}

TEST_P(LaunchTest, EmptyKernel) {
  emptyKernel<<<1000, 1>>>();
  CUDA_OK(cudaGetLastError());
  CUDA_OK(cudaDeviceSynchronize());
}

TEST_P(LaunchTest, ScalarsAndStructsByValue) {
  long long *d;
  CUDA_OK(cudaMalloc(&d, 7 * sizeof(long long)));
  Mixed m{3, 1.5, 4, {5, 6, 7}, true};
  mixedParams<<<1, 1>>>(d, -5, -300, true, 2.5, m, 1.25f, 0x123456789abcULL);
  CUDA_OK(cudaGetLastError());
  long long h[7];
  CUDA_OK(cudaMemcpy(h, d, sizeof h, cudaMemcpyDeviceToHost));
  CUDA_OK(cudaFree(d));
  EXPECT_EQ(h[0], -5);
  EXPECT_EQ(h[1], -300);
  EXPECT_EQ(h[2], 1);
  EXPECT_EQ(h[3], 2500);
  EXPECT_EQ(h[4], 3 + 4 + 5 + 6 + 7 + 1 + 15);
  EXPECT_EQ(h[5], 125);
  EXPECT_EQ(h[6], 0x123456789abcLL);
}

TEST_P(LaunchTest, LargeParameterStruct) {
  static Big big;
  long long expect = 0;
  for (int i = 0; i < 8000; ++i)
    expect += big.values[i] = i * 3 - 7;
  long long *d;
  CUDA_OK(cudaMalloc(&d, sizeof(long long)));
  CUDA_OK(cudaMemset(d, 0, sizeof(long long)));
  bigParam<<<3, 128>>>(big, d);
  CUDA_OK(cudaGetLastError());
  long long h = 0;
  CUDA_OK(cudaMemcpy(&h, d, sizeof h, cudaMemcpyDeviceToHost));
  CUDA_OK(cudaFree(d));
  EXPECT_EQ(h, 3 * expect);
}

TEST_P(LaunchTest, TemplateKernels) {
  const int n = 1000;
  std::vector<float> hf(n);
  std::vector<int> hi(n);
  std::iota(hf.begin(), hf.end(), 0.5f);
  std::iota(hi.begin(), hi.end(), -10);
  float *df;
  int *di;
  CUDA_OK(cudaMalloc(&df, n * sizeof(float)));
  CUDA_OK(cudaMalloc(&di, n * sizeof(int)));
  CUDA_OK(cudaMemcpy(df, hf.data(), n * sizeof(float), cudaMemcpyHostToDevice));
  CUDA_OK(cudaMemcpy(di, hi.data(), n * sizeof(int), cudaMemcpyHostToDevice));
  scaleTemplate<float, 3><<<(n + 127) / 128, 128>>>(df, n);
  scaleTemplate<int, -2><<<(n + 127) / 128, 128>>>(di, n);
  CUDA_OK(cudaGetLastError());
  std::vector<float> rf(n);
  std::vector<int> ri(n);
  CUDA_OK(cudaMemcpy(rf.data(), df, n * sizeof(float), cudaMemcpyDeviceToHost));
  CUDA_OK(cudaMemcpy(ri.data(), di, n * sizeof(int), cudaMemcpyDeviceToHost));
  for (int i = 0; i < n; ++i) {
    ASSERT_EQ(rf[i], hf[i] * 3);
    ASSERT_EQ(ri[i], hi[i] * -2);
  }
  CUDA_OK(cudaFree(df));
  CUDA_OK(cudaFree(di));
}

template <int Kind> void checkGuard(unsigned grid, unsigned block, int n) {
  const unsigned total = grid * block;
  const unsigned offset = 0u - (2 * block + 41), limit = 100; // wraps at thread 2 * block + 41
  const long long n64 = n / 2;
  int *d;
  CUDA_OK(cudaMalloc(&d, total * sizeof(int)));
  guardedIndex<Kind><<<grid, block>>>(d, n, offset, limit, n64);
  CUDA_OK(cudaGetLastError());
  std::vector<int> h(total);
  CUDA_OK(cudaMemcpy(h.data(), d, total * sizeof(int), cudaMemcpyDeviceToHost));
  CUDA_OK(cudaFree(d));
  for (unsigned t = 0; t < total; ++t) {
    const unsigned bx = t / block, tx = t % block;
    const bool want[] = {int(t) < n,        t + offset < limit,      limit - t > 40u,
                         int(t) == n - 1,   int(t) != n / 2,         (long long)t >= n64,
                         int((bx << 6) - tx * 3) > n};
    ASSERT_EQ(h[t], int(want[Kind])) << "guard " << Kind << ", block size " << block << ", n " << n << ", thread " << t;
  }
}

TEST_P(LaunchTest, RowUniformGuards) {
  for (unsigned block : {32u, 33u, 96u, 256u}) {
    const unsigned grid = 9, total = grid * block;
    for (int n : {0, 1, 31, 32, 100, int(total) - 1, int(total)}) {
      checkGuard<0>(grid, block, n);
      checkGuard<1>(grid, block, n);
      checkGuard<2>(grid, block, n);
      checkGuard<3>(grid, block, n);
      checkGuard<4>(grid, block, n);
      checkGuard<5>(grid, block, n);
      checkGuard<6>(grid, block, n);
    }
  }
  const int w = 70, hgt = 19;
  int *d;
  CUDA_OK(cudaMalloc(&d, w * hgt * sizeof(int)));
  CUDA_OK(cudaMemset(d, 0, w * hgt * sizeof(int)));
  guarded2D<<<dim3(3, 3), dim3(32, 8)>>>(d, w, hgt);
  CUDA_OK(cudaGetLastError());
  std::vector<int> h(w * hgt);
  CUDA_OK(cudaMemcpy(h.data(), d, h.size() * sizeof(int), cudaMemcpyDeviceToHost));
  CUDA_OK(cudaFree(d));
  for (int y = 0; y < hgt; ++y)
    for (int x = 0; x < w; ++x)
      ASSERT_EQ(h[y * w + x], (x == 0 || y == 0 || x == w - 1 || y == hgt - 1) ? 2 : 1) << x << "," << y;
}

TEST_P(LaunchTest, ManyBlocksRunConcurrentlyAndAtomically) {
  // 4096 blocks increment one counter: blocks run on several workers, so the atomic must be real.
  unsigned long long *d;
  CUDA_OK(cudaMalloc(&d, sizeof *d));
  CUDA_OK(cudaMemset(d, 0, sizeof *d));
  Big zero{};
  zero.values[0] = 1;
  bigParam<<<4096, 64>>>(zero, reinterpret_cast<long long *>(d));
  CUDA_OK(cudaGetLastError());
  unsigned long long h = 0;
  CUDA_OK(cudaMemcpy(&h, d, sizeof h, cudaMemcpyDeviceToHost));
  CUDA_OK(cudaFree(d));
  EXPECT_EQ(h, 4096u);
}

CUPORT_INSTANTIATE_BACKENDS(LaunchTest);

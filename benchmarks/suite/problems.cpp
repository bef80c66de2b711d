// The kernels' sizes and inputs.  Full sizes keep every run well above timer noise (>= ~5 ms) on a 2-core
// machine and the streamed arrays several times larger than the last-level cache; --quick sizes are tiny
// and, where a kernel allows it, not multiples of the block size, so bounds checks are exercised.
#include "suite.h"

#include <cstdint>
#include <cstdio>

namespace suite {

const KernelInfo &info(Kernel k) {
  static const KernelInfo table[kKernels] = {
      {"triad", "vector triad", false, 1e-6},
      {"saxpy", "saxpy", false, 1e-5},
      {"stencil", "2D 5-point stencil", false, 1e-5},
      {"matmul", "tiled matmul 16x16", false, 1e-4},
      {"reduce_tree", "reduce: shared tree", false, 1e-6},
      {"reduce_shfl", "reduce: warp shuffle", false, 1e-6},
      {"histogram", "histogram 256 bins", true, 0},
      {"transpose", "transpose 32x33 tiles", true, 0},
      {"nbody", "n-body float4 rsqrt", false, 1e-3},
      {"scan", "Blelloch scan (512)", true, 0},
  };
  return table[k];
}

namespace {
uint32_t mix(uint32_t x) {  // a small integer hash: deterministic pseudo-random inputs
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}
float unit(uint32_t i, uint32_t salt) { return float(mix(i * 2u + salt) >> 8) * (1.0f / 16777216.0f); } // [0,1)
std::string count(double n, const char *what) {
  char buf[64];
  if (n >= 1 << 20)
    std::snprintf(buf, sizeof buf, "%gM %s", n / (1 << 20), what);
  else
    std::snprintf(buf, sizeof buf, "%g %s", n, what);
  return buf;
}
}  // namespace

Problem make_problem(Kernel k, bool quick) {
  Problem p;
  p.kernel = k;
  switch (k) {
  case Triad:  // a = b + s * c
  case Saxpy:  // y = a * x + y (in place: results after the same number of runs are compared)
    p.n = quick ? 4099 : 1 << 25;
    p.s = k == Triad ? 3.0f : 0.5f;
    p.f0.resize(p.n), p.f1.resize(p.n);
    for (int i = 0; i < p.n; ++i)
      p.f0[i] = unit(i, 1) * 2 - 1, p.f1[i] = unit(i, 2) * 2 - 1;
    p.bytes = 3.0 * sizeof(float) * p.n;
    p.size = count(p.n, "floats");
    break;
  case Stencil:  // out = 0.5 in + 0.125 (4 neighbours) inside, out = in on the border
    p.w = quick ? 67 : 4096, p.h = quick ? 45 : 8192;
    p.f0.resize(size_t(p.w) * p.h);
    for (size_t i = 0; i < p.f0.size(); ++i)
      p.f0[i] = unit(uint32_t(i), 3);
    p.bytes = 2.0 * sizeof(float) * p.w * p.h;
    p.size = std::to_string(p.w) + "x" + std::to_string(p.h);
    break;
  case Matmul:  // C = A B, n x n, n a multiple of the tile
    p.n = quick ? 64 : 1024;
    p.f0.resize(size_t(p.n) * p.n), p.f1.resize(size_t(p.n) * p.n);
    for (size_t i = 0; i < p.f0.size(); ++i)
      p.f0[i] = unit(uint32_t(i), 4) - 0.5f, p.f1[i] = unit(uint32_t(i), 5) - 0.5f;
    p.size = std::to_string(p.n) + "x" + std::to_string(p.n);
    break;
  case ReduceTree:
  case ReduceShfl:
    // Values are multiples of 1/4 in [-2, 2] with a period-17 pattern, so every partial sum in any order
    // stays small and exactly representable: all versions must produce the same float sum.
    p.n = quick ? 100003 : 1 << 26;
    p.f0.resize(p.n);
    for (int i = 0; i < p.n; ++i)
      p.f0[i] = float(int((uint32_t(i) * 7919u) % 17u) - 8) * 0.25f;
    p.bytes = double(sizeof(float)) * p.n;
    p.size = count(p.n, "floats");
    break;
  case Histogram:
    p.n = quick ? 100000 : 1 << 26;
    p.u0.resize(p.n);
    for (int i = 0; i < p.n; ++i)
      p.u0[i] = (unsigned char)(mix(uint32_t(i) + 7) >> 24);
    p.size = count(p.n, "bytes");
    break;
  case Transpose:  // n x n, n a multiple of 32
    p.n = quick ? 96 : 4096;
    p.f0.resize(size_t(p.n) * p.n);
    for (size_t i = 0; i < p.f0.size(); ++i)
      p.f0[i] = float(i);
    p.bytes = 2.0 * sizeof(float) * p.n * p.n;
    p.size = std::to_string(p.n) + "x" + std::to_string(p.n);
    break;
  case NBody:  // accelerations of n bodies (x, y, z, mass), softening s; n a multiple of the block
    p.n = quick ? 512 : 8192;
    p.s = 0.01f;
    p.f0.resize(size_t(p.n) * 4);
    for (int i = 0; i < p.n; ++i) {
      p.f0[4 * i + 0] = unit(i, 6) * 2 - 1;
      p.f0[4 * i + 1] = unit(i, 7) * 2 - 1;
      p.f0[4 * i + 2] = unit(i, 8) * 2 - 1;
      p.f0[4 * i + 3] = 0.5f + unit(i, 9);
    }
    p.size = count(p.n, "bodies");
    break;
  case Scan:  // exclusive scan of every 512-element segment
    p.n = quick ? kScanSegment * 5 : 1 << 25;
    p.i0.resize(p.n);
    for (int i = 0; i < p.n; ++i)
      p.i0[i] = int(mix(uint32_t(i) + 11) % 1000u) - 500;
    p.bytes = 2.0 * sizeof(int) * p.n;
    p.size = count(p.n, "ints");
    break;
  default:
    break;
  }
  return p;
}

}  // namespace suite

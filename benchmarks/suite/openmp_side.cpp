// The OpenMP C++ versions: what a programmer would write by hand for the CPU, compiled by the host compiler
// with -O3 -march=native -fopenmp.  One run = one parallel loop (or two).  Each runner owns copies of its
// inputs, as a device would.  Also the STREAM triad (the bandwidth ceiling), host memcpy and the cost of an
// empty parallel region.
#include "suite.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>

namespace suite {
namespace {

void triad(float *__restrict a, const float *__restrict b, const float *__restrict c, float s, int n) {
#pragma omp parallel for
  for (int i = 0; i < n; ++i)
    a[i] = b[i] + s * c[i];
}

void saxpy(float a, const float *__restrict x, float *__restrict y, int n) {
#pragma omp parallel for
  for (int i = 0; i < n; ++i)
    y[i] = a * x[i] + y[i];
}

void stencil(const float *__restrict in, float *__restrict out, int w, int h) {
#pragma omp parallel for
  for (int y = 0; y < h; ++y) {
    const float *r = in + size_t(y) * w;
    float *o = out + size_t(y) * w;
    if (y == 0 || y == h - 1) {
      std::memcpy(o, r, w * sizeof(float));
      continue;
    }
    o[0] = r[0];
    for (int x = 1; x < w - 1; ++x)
      o[x] = 0.5f * r[x] + 0.125f * (r[x - 1] + r[x + 1] + r[x - w] + r[x + w]);
    o[w - 1] = r[w - 1];
  }
}

void matmul(const float *__restrict A, const float *__restrict B, float *__restrict C, int n) {
#pragma omp parallel for
  for (int i = 0; i < n; ++i) {
    float *c = C + size_t(i) * n;
    for (int j = 0; j < n; ++j)
      c[j] = 0.0f;
    for (int k = 0; k < n; ++k) {
      const float a = A[size_t(i) * n + k];
      const float *b = B + size_t(k) * n;
      for (int j = 0; j < n; ++j)
        c[j] += a * b[j];
    }
  }
}

float reduce(const float *__restrict x, int n) {
  float sum = 0.0f;
#pragma omp parallel for simd reduction(+ : sum)
  for (int i = 0; i < n; ++i)
    sum += x[i];
  return sum;
}

void histogram(const unsigned char *__restrict in, unsigned *bins, int n) {
  unsigned h[kHistBins] = {};
#pragma omp parallel for reduction(+ : h[:kHistBins])
  for (int i = 0; i < n; ++i)
    ++h[in[i]];
  std::copy(h, h + kHistBins, bins);
}

void transpose(float *__restrict out, const float *__restrict in, int n) {
  constexpr int T = kTransTile;
#pragma omp parallel for collapse(2)
  for (int i0 = 0; i0 < n; i0 += T)
    for (int j0 = 0; j0 < n; j0 += T)
      for (int i = i0; i < i0 + T; ++i)
        for (int j = j0; j < j0 + T; ++j)
          out[size_t(j) * n + i] = in[size_t(i) * n + j];
}

void nbody(const float *__restrict pos, float *__restrict acc, int n, float eps2) {
#pragma omp parallel for
  for (int i = 0; i < n; ++i) {
    const float px = pos[4 * i], py = pos[4 * i + 1], pz = pos[4 * i + 2];
    float ax = 0.0f, ay = 0.0f, az = 0.0f;
#pragma omp simd reduction(+ : ax, ay, az)
    for (int j = 0; j < n; ++j) {
      float dx = pos[4 * j] - px, dy = pos[4 * j + 1] - py, dz = pos[4 * j + 2] - pz;
      float inv = 1.0f / std::sqrt(dx * dx + dy * dy + dz * dz + eps2);
      float f = pos[4 * j + 3] * inv * inv * inv;
      ax += dx * f, ay += dy * f, az += dz * f;
    }
    acc[4 * i] = ax, acc[4 * i + 1] = ay, acc[4 * i + 2] = az, acc[4 * i + 3] = 0.0f;
  }
}

void scan(const int *__restrict in, int *__restrict out, int n) {
#pragma omp parallel for
  for (int s = 0; s < n / kScanSegment; ++s) {
    const int *x = in + size_t(s) * kScanSegment;
    int *y = out + size_t(s) * kScanSegment;
    int run = 0;
    for (int k = 0; k < kScanSegment; ++k) {
      y[k] = run;
      run += x[k];
    }
  }
}

class OmpRunner : public Runner {
 public:
  void run() override { body(); }
  std::vector<double> result() override { return read(); }
  std::function<void()> body;
  std::function<std::vector<double>()> read;
  std::vector<float> f0, f1, out;
  std::vector<int> i0, iout;
  std::vector<unsigned char> u0;
  std::vector<unsigned> bins;
  float sum = 0.0f;
};

}  // namespace

std::unique_ptr<Runner> make_openmp(const Problem &p) {
  auto r = std::make_unique<OmpRunner>();
  OmpRunner *o = r.get();
  const int n = p.n;
  const float s = p.s;
  o->f0 = p.f0, o->f1 = p.f1, o->i0 = p.i0, o->u0 = p.u0;
  auto read_out = [o] { return as_double(o->out); };
  switch (p.kernel) {
  case Triad:
    o->out.assign(n, 0.0f);
    o->body = [o, s, n] { triad(o->out.data(), o->f0.data(), o->f1.data(), s, n); };
    o->read = read_out;
    break;
  case Saxpy:
    o->body = [o, s, n] { saxpy(s, o->f0.data(), o->f1.data(), n); };
    o->read = [o] { return as_double(o->f1); };
    break;
  case Stencil: {
    const int w = p.w, h = p.h;
    o->out.assign(size_t(w) * h, 0.0f);
    o->body = [o, w, h] { stencil(o->f0.data(), o->out.data(), w, h); };
    o->read = read_out;
    break;
  }
  case Matmul:
    o->out.assign(size_t(n) * n, 0.0f);
    o->body = [o, n] { matmul(o->f0.data(), o->f1.data(), o->out.data(), n); };
    o->read = read_out;
    break;
  case ReduceTree:
  case ReduceShfl:
    o->body = [o, n] { o->sum = reduce(o->f0.data(), n); };
    o->read = [o] { return std::vector<double>{o->sum}; };
    break;
  case Histogram:
    o->bins.assign(kHistBins, 0);
    o->body = [o, n] { histogram(o->u0.data(), o->bins.data(), n); };
    o->read = [o] { return as_double(o->bins); };
    break;
  case Transpose:
    o->out.assign(size_t(n) * n, 0.0f);
    o->body = [o, n] { transpose(o->out.data(), o->f0.data(), n); };
    o->read = read_out;
    break;
  case NBody:
    o->out.assign(size_t(n) * 4, 0.0f);
    o->body = [o, n, s] { nbody(o->f0.data(), o->out.data(), n, s); };
    o->read = read_out;
    break;
  case Scan:
    o->iout.assign(n, 0);
    o->body = [o, n] { scan(o->i0.data(), o->iout.data(), n); };
    o->read = [o] { return as_double(o->iout); };
    break;
  default:
    return nullptr;
  }
  return r;
}

using Clock = std::chrono::steady_clock;
static double seconds(Clock::time_point a) { return std::chrono::duration<double>(Clock::now() - a).count(); }

double openmp_region_latency_us(int iters, int batches) {
  std::vector<double> t;
  volatile int sink = 0;
  for (int b = 0; b <= batches; ++b) {  // b = 0 warms up (creates the team)
    auto t0 = Clock::now();
    for (int i = 0; i < iters; ++i) {
#pragma omp parallel
      {
        if (omp_get_thread_num() < 0)
          sink = 1;
      }
    }
    if (b)
      t.push_back(seconds(t0) * 1e6 / iters);
  }
  (void)sink;
  return median(t);
}

double host_memcpy_gbs(size_t bytes, int reps) {
  std::vector<char> src(bytes, 1), dst(bytes, 0);
  std::vector<double> t;
  for (int r = 0; r <= reps; ++r) {
    auto t0 = Clock::now();
    std::memcpy(dst.data(), src.data(), bytes);
    if (r)
      t.push_back(seconds(t0));
  }
  return bytes / median(t) / 1e9;
}

std::vector<double> stream_triad_samples(size_t n, int reps) {
  // STREAM's triad kernel and byte count (3 arrays of doubles, write-allocate traffic not counted).
  double *a = new double[n], *b = new double[n], *c = new double[n];
  const double scalar = 3.0;
#pragma omp parallel for
  for (size_t j = 0; j < n; ++j)
    a[j] = 1.0, b[j] = 2.0, c[j] = 0.0;
  std::vector<double> gbs;
  for (int r = 0; r <= reps; ++r) {  // r = 0 warms up
    auto t0 = Clock::now();
#pragma omp parallel for
    for (size_t j = 0; j < n; ++j)
      a[j] = b[j] + scalar * c[j];
    if (r)
      gbs.push_back(3.0 * sizeof(double) * n / seconds(t0) / 1e9);
  }
  delete[] a;
  delete[] b;
  delete[] c;
  return gbs;
}

}  // namespace suite

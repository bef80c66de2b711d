// The CUDA versions, compiled by cuport-cc and run by libcuport (the CPU backend unless CUPORT_BACKEND says
// otherwise).  One run = the launch(es) + cudaDeviceSynchronize.
#include "suite.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>

namespace suite {
namespace {

#define CUDA_CHECK(call)                                                                               \
  do {                                                                                                 \
    cudaError_t e_ = (call);                                                                           \
    if (e_ != cudaSuccess) {                                                                           \
      std::fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call, cudaGetErrorString(e_));      \
      std::exit(2);                                                                                    \
    }                                                                                                  \
  } while (0)

__global__ void triad(float *a, const float *b, const float *c, float s, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    a[i] = b[i] + s * c[i];
}

__global__ void saxpy(float a, const float *x, float *y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    y[i] = a * x[i] + y[i];
}

__global__ void stencil(const float *in, float *out, int w, int h) {
  int x = blockIdx.x * blockDim.x + threadIdx.x, y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x >= w || y >= h)
    return;
  int i = y * w + x;
  if (x == 0 || y == 0 || x == w - 1 || y == h - 1)
    out[i] = in[i];
  else
    out[i] = 0.5f * in[i] + 0.125f * (in[i - 1] + in[i + 1] + in[i - w] + in[i + w]);
}

__global__ void matmul(const float *A, const float *B, float *C, int n) {
  __shared__ float As[kTile][kTile];
  __shared__ float Bs[kTile][kTile];
  int row = blockIdx.y * kTile + threadIdx.y, col = blockIdx.x * kTile + threadIdx.x;
  float acc = 0.0f;
  for (int t = 0; t < n / kTile; ++t) {
    As[threadIdx.y][threadIdx.x] = A[row * n + t * kTile + threadIdx.x];
    Bs[threadIdx.y][threadIdx.x] = B[(t * kTile + threadIdx.y) * n + col];
    __syncthreads();
    for (int k = 0; k < kTile; ++k)
      acc += As[threadIdx.y][k] * Bs[k][threadIdx.x];
    __syncthreads();
  }
  C[row * n + col] = acc;
}

// Both reductions: each thread adds kReducePerThread elements of its block's chunk, then the block reduces
// its kBlock values to one partial sum per block.
__device__ float thread_sum(const float *x, int n) {
  int i = blockIdx.x * kBlock * kReducePerThread + threadIdx.x;
  float v = 0.0f;
  for (int k = 0; k < kReducePerThread; ++k, i += kBlock)
    if (i < n)
      v += x[i];
  return v;
}

__global__ void reduce_tree(const float *x, float *partial, int n) {
  __shared__ float s[kBlock];
  s[threadIdx.x] = thread_sum(x, n);
  __syncthreads();
  for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
    if (threadIdx.x < stride)
      s[threadIdx.x] += s[threadIdx.x + stride];
    __syncthreads();
  }
  if (threadIdx.x == 0)
    partial[blockIdx.x] = s[0];
}

__global__ void reduce_shfl(const float *x, float *partial, int n) {
  __shared__ float warp_sums[kBlock / 32];
  float v = thread_sum(x, n);
  for (int offset = 16; offset > 0; offset >>= 1)
    v += __shfl_down_sync(0xffffffffu, v, offset);
  int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  if (lane == 0)
    warp_sums[warp] = v;
  __syncthreads();
  if (warp == 0) {
    v = lane < kBlock / 32 ? warp_sums[lane] : 0.0f;
    for (int offset = 16; offset > 0; offset >>= 1)
      v += __shfl_down_sync(0xffffffffu, v, offset);
    if (lane == 0)
      partial[blockIdx.x] = v;
  }
}

__global__ void histogram(const unsigned char *in, unsigned *bins, int n) {
  __shared__ unsigned h[kHistBins];
  for (int i = threadIdx.x; i < kHistBins; i += blockDim.x)
    h[i] = 0;
  __syncthreads();
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
    atomicAdd(&h[in[i]], 1u);
  __syncthreads();
  for (int i = threadIdx.x; i < kHistBins; i += blockDim.x)
    if (h[i])
      atomicAdd(&bins[i], h[i]);
}

__global__ void transpose(float *out, const float *in, int n) {
  __shared__ float tile[kTransTile][kTransTile + 1];
  int x = blockIdx.x * kTransTile + threadIdx.x, y = blockIdx.y * kTransTile + threadIdx.y;
  for (int j = 0; j < kTransTile; j += kTransRows)
    tile[threadIdx.y + j][threadIdx.x] = in[(y + j) * n + x];
  __syncthreads();
  x = blockIdx.y * kTransTile + threadIdx.x, y = blockIdx.x * kTransTile + threadIdx.y;
  for (int j = 0; j < kTransTile; j += kTransRows)
    out[(y + j) * n + x] = tile[threadIdx.x][threadIdx.y + j];
}

__global__ void nbody(const float4 *pos, float4 *acc, int n, float eps2) {
  __shared__ float4 tile[kBlock];
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  float4 p = pos[i];
  float ax = 0.0f, ay = 0.0f, az = 0.0f;
  for (int t = 0; t < n; t += kBlock) {
    tile[threadIdx.x] = pos[t + threadIdx.x];
    __syncthreads();
    for (int j = 0; j < kBlock; ++j) {
      float4 q = tile[j];
      float dx = q.x - p.x, dy = q.y - p.y, dz = q.z - p.z;
      float inv = rsqrtf(dx * dx + dy * dy + dz * dz + eps2);
      float f = q.w * inv * inv * inv;
      ax += dx * f, ay += dy * f, az += dz * f;
    }
    __syncthreads();
  }
  acc[i] = make_float4(ax, ay, az, 0.0f);
}

// Exclusive scan of each 512-element segment (Blelloch: up-sweep, then down-sweep, barriers in the loops).
__global__ void scan(const int *in, int *out) {
  __shared__ int t[kScanSegment];
  int base = blockIdx.x * kScanSegment, tid = threadIdx.x;
  t[tid] = in[base + tid];
  t[tid + kScanThreads] = in[base + tid + kScanThreads];
  int offset = 1;
  for (int d = kScanThreads; d > 0; d >>= 1) {
    __syncthreads();
    if (tid < d)
      t[offset * (2 * tid + 2) - 1] += t[offset * (2 * tid + 1) - 1];
    offset <<= 1;
  }
  if (tid == 0)
    t[kScanSegment - 1] = 0;
  for (int d = 1; d < kScanSegment; d <<= 1) {
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
  out[base + tid + kScanThreads] = t[tid + kScanThreads];
}

__global__ void empty() {}

class CudaRunner : public Runner {
 public:
  ~CudaRunner() override {
    for (void *b : buffers_)
      cudaFree(b);
  }
  template <class T> T *upload(const std::vector<T> &v) {
    T *d = alloc<T>(v.size());
    CUDA_CHECK(cudaMemcpy(d, v.data(), v.size() * sizeof(T), cudaMemcpyHostToDevice));
    return d;
  }
  template <class T> T *alloc(size_t n) {
    void *d = nullptr;
    CUDA_CHECK(cudaMalloc(&d, n * sizeof(T)));
    buffers_.push_back(d);
    return static_cast<T *>(d);
  }
  template <class T> std::vector<T> download(const T *d, size_t n) {
    std::vector<T> h(n);
    CUDA_CHECK(cudaMemcpy(h.data(), d, n * sizeof(T), cudaMemcpyDeviceToHost));
    return h;
  }
  void run() override {
    launch();
    CUDA_CHECK(cudaGetLastError());
    CUDA_CHECK(cudaDeviceSynchronize());
  }
  std::vector<double> result() override { return read(); }

  std::function<void()> launch;
  std::function<std::vector<double>()> read;

 private:
  std::vector<void *> buffers_;
};

int blocks(int n, int per_block) { return (n + per_block - 1) / per_block; }

}  // namespace

std::unique_ptr<Runner> make_cuda(const Problem &p) {
  auto r = std::make_unique<CudaRunner>();
  CudaRunner *c = r.get();
  const int n = p.n;
  const float s = p.s;
  switch (p.kernel) {
  case Triad: {
    float *a = c->alloc<float>(n), *b = c->upload(p.f0), *cc = c->upload(p.f1);
    c->launch = [=] { triad<<<blocks(n, kBlock), kBlock>>>(a, b, cc, s, n); };
    c->read = [=] { return as_double(c->download(a, n)); };
    break;
  }
  case Saxpy: {
    float *x = c->upload(p.f0), *y = c->upload(p.f1);
    c->launch = [=] { saxpy<<<blocks(n, kBlock), kBlock>>>(s, x, y, n); };
    c->read = [=] { return as_double(c->download(y, n)); };
    break;
  }
  case Stencil: {
    const int w = p.w, h = p.h;
    float *in = c->upload(p.f0), *out = c->alloc<float>(size_t(w) * h);
    dim3 block(kStencilBX, kStencilBY), grid(blocks(w, kStencilBX), blocks(h, kStencilBY));
    c->launch = [=] { stencil<<<grid, block>>>(in, out, w, h); };
    c->read = [=] { return as_double(c->download(out, size_t(w) * h)); };
    break;
  }
  case Matmul: {
    float *A = c->upload(p.f0), *B = c->upload(p.f1), *C = c->alloc<float>(size_t(n) * n);
    c->launch = [=] { matmul<<<dim3(n / kTile, n / kTile), dim3(kTile, kTile)>>>(A, B, C, n); };
    c->read = [=] { return as_double(c->download(C, size_t(n) * n)); };
    break;
  }
  case ReduceTree:
  case ReduceShfl: {
    const int nb = blocks(n, kBlock * kReducePerThread);
    float *x = c->upload(p.f0), *partial = c->alloc<float>(nb);
    if (p.kernel == ReduceTree)
      c->launch = [=] { reduce_tree<<<nb, kBlock>>>(x, partial, n); };
    else
      c->launch = [=] { reduce_shfl<<<nb, kBlock>>>(x, partial, n); };
    c->read = [=] {
      double sum = 0;
      for (float v : c->download(partial, nb))
        sum += v;
      return std::vector<double>{sum};
    };
    break;
  }
  case Histogram: {
    unsigned char *in = c->upload(p.u0);
    unsigned *bins = c->alloc<unsigned>(kHistBins);
    c->launch = [=] {
      CUDA_CHECK(cudaMemset(bins, 0, kHistBins * sizeof(unsigned)));
      histogram<<<kHistBlocks, kBlock>>>(in, bins, n);
    };
    c->read = [=] { return as_double(c->download(bins, kHistBins)); };
    break;
  }
  case Transpose: {
    float *in = c->upload(p.f0), *out = c->alloc<float>(size_t(n) * n);
    dim3 grid(n / kTransTile, n / kTransTile), block(kTransTile, kTransRows);
    c->launch = [=] { transpose<<<grid, block>>>(out, in, n); };
    c->read = [=] { return as_double(c->download(out, size_t(n) * n)); };
    break;
  }
  case NBody: {
    float4 *pos = reinterpret_cast<float4 *>(c->upload(p.f0));
    float4 *acc = c->alloc<float4>(n);
    c->launch = [=] { nbody<<<n / kBlock, kBlock>>>(pos, acc, n, s); };
    c->read = [=] {
      std::vector<float> a(size_t(n) * 4);
      CUDA_CHECK(cudaMemcpy(a.data(), acc, a.size() * sizeof(float), cudaMemcpyDeviceToHost));
      return as_double(a);
    };
    break;
  }
  case Scan: {
    int *in = c->upload(p.i0), *out = c->alloc<int>(n);
    c->launch = [=] { scan<<<n / kScanSegment, kScanThreads>>>(in, out); };
    c->read = [=] { return as_double(c->download(out, n)); };
    break;
  }
  default:
    return nullptr;
  }
  return r;
}

using Clock = std::chrono::steady_clock;

double cuda_launch_latency_us(int iters, int batches) {
  std::vector<double> t;
  empty<<<1, 1>>>();
  CUDA_CHECK(cudaDeviceSynchronize());
  for (int b = 0; b < batches; ++b) {
    auto t0 = Clock::now();
    for (int i = 0; i < iters; ++i) {
      empty<<<1, 1>>>();
      cudaDeviceSynchronize();
    }
    t.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / iters);
  }
  return median(t);
}

double cuda_memcpy_h2d_gbs(size_t bytes, int reps) {
  std::vector<char> host(bytes, 1);
  void *d = nullptr;
  CUDA_CHECK(cudaMalloc(&d, bytes));
  std::vector<double> t;
  for (int r = 0; r <= reps; ++r) {  // r = 0 warms up (first touch of the device buffer)
    auto t0 = Clock::now();
    CUDA_CHECK(cudaMemcpy(d, host.data(), bytes, cudaMemcpyHostToDevice));
    double s = std::chrono::duration<double>(Clock::now() - t0).count();
    if (r)
      t.push_back(s);
  }
  cudaFree(d);
  return bytes / median(t) / 1e9;
}

}  // namespace suite

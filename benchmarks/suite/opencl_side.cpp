// The OpenCL C versions, run on the first OpenCL device (PoCL's CPU device here) through the ICD loader
// with the plain OpenCL 1.2 host API and cl_mem buffers: what a programmer would write for PoCL directly,
// without cuport.  One run = clEnqueueNDRangeKernel (plus a fill for the histogram's bins) + clFinish.
// PoCL reads POCL_WORK_GROUP_METHOD when it starts, so each method needs its own process (scripts/bench.sh).
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>

#include "suite.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>

namespace suite {

static const char *kSource = R"CL(
__kernel void triad(__global float *a, __global const float *b, __global const float *c, float s, int n) {
  int i = get_global_id(0);
  if (i < n)
    a[i] = b[i] + s * c[i];
}

__kernel void saxpy(float a, __global const float *x, __global float *y, int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = a * x[i] + y[i];
}

__kernel void stencil(__global const float *in, __global float *out, int w, int h) {
  int x = get_global_id(0), y = get_global_id(1);
  if (x >= w || y >= h)
    return;
  int i = y * w + x;
  if (x == 0 || y == 0 || x == w - 1 || y == h - 1)
    out[i] = in[i];
  else
    out[i] = 0.5f * in[i] + 0.125f * (in[i - 1] + in[i + 1] + in[i - w] + in[i + w]);
}

__kernel void matmul(__global const float *A, __global const float *B, __global float *C, int n) {
  __local float As[TILE][TILE];
  __local float Bs[TILE][TILE];
  int tx = get_local_id(0), ty = get_local_id(1);
  int row = get_group_id(1) * TILE + ty, col = get_group_id(0) * TILE + tx;
  float acc = 0.0f;
  for (int t = 0; t < n / TILE; ++t) {
    As[ty][tx] = A[row * n + t * TILE + tx];
    Bs[ty][tx] = B[(t * TILE + ty) * n + col];
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int k = 0; k < TILE; ++k)
      acc += As[ty][k] * Bs[k][tx];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  C[row * n + col] = acc;
}

float thread_sum(__global const float *x, int n) {
  int i = get_group_id(0) * BLOCK * PER_THREAD + get_local_id(0);
  float v = 0.0f;
  for (int k = 0; k < PER_THREAD; ++k, i += BLOCK)
    if (i < n)
      v += x[i];
  return v;
}

__kernel void reduce_tree(__global const float *x, __global float *partial, int n) {
  __local float s[BLOCK];
  int t = get_local_id(0);
  s[t] = thread_sum(x, n);
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int stride = BLOCK / 2; stride > 0; stride >>= 1) {
    if (t < stride)
      s[t] += s[t + stride];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (t == 0)
    partial[get_group_id(0)] = s[0];
}

// The warp-shuffle reduction for an OpenCL 1.2 device without subgroups (PoCL): the shuffle-down steps of
// each 32-lane group go through local memory, then the first group reduces the per-warp sums the same way.
__kernel void reduce_shfl(__global const float *x, __global float *partial, int n) {
  __local float s[BLOCK];
  __local float warp_sums[BLOCK / 32];
  int t = get_local_id(0), lane = t & 31, warp = t >> 5;
  s[t] = thread_sum(x, n);
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int offset = 16; offset > 0; offset >>= 1) {
    if (lane < offset)
      s[t] += s[t + offset];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (lane == 0)
    warp_sums[warp] = s[t];
  barrier(CLK_LOCAL_MEM_FENCE);
  if (t < 32)
    s[t] = t < BLOCK / 32 ? warp_sums[t] : 0.0f;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int offset = 16; offset > 0; offset >>= 1) {
    if (t < offset)
      s[t] += s[t + offset];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (t == 0)
    partial[get_group_id(0)] = s[0];
}

__kernel void histogram(__global const uchar *in, __global uint *bins, int n) {
  __local uint h[BINS];
  for (int i = get_local_id(0); i < BINS; i += get_local_size(0))
    h[i] = 0;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int i = get_global_id(0); i < n; i += get_global_size(0))
    atomic_inc(&h[in[i]]);
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int i = get_local_id(0); i < BINS; i += get_local_size(0))
    if (h[i])
      atomic_add(&bins[i], h[i]);
}

__kernel void transpose(__global float *out, __global const float *in, int n) {
  __local float tile[TT][TT + 1];
  int tx = get_local_id(0), ty = get_local_id(1);
  int x = get_group_id(0) * TT + tx, y = get_group_id(1) * TT + ty;
  for (int j = 0; j < TT; j += TR)
    tile[ty + j][tx] = in[(y + j) * n + x];
  barrier(CLK_LOCAL_MEM_FENCE);
  x = get_group_id(1) * TT + tx, y = get_group_id(0) * TT + ty;
  for (int j = 0; j < TT; j += TR)
    out[(y + j) * n + x] = tile[tx][ty + j];
}

__kernel void nbody(__global const float4 *pos, __global float4 *acc, int n, float eps2) {
  __local float4 tile[BLOCK];
  int i = get_global_id(0), lid = get_local_id(0);
  float4 p = pos[i];
  float ax = 0.0f, ay = 0.0f, az = 0.0f;
  for (int t = 0; t < n; t += BLOCK) {
    tile[lid] = pos[t + lid];
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int j = 0; j < BLOCK; ++j) {
      float4 q = tile[j];
      float dx = q.x - p.x, dy = q.y - p.y, dz = q.z - p.z;
      float inv = rsqrt(dx * dx + dy * dy + dz * dz + eps2);
      float f = q.w * inv * inv * inv;
      ax += dx * f, ay += dy * f, az += dz * f;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  acc[i] = (float4)(ax, ay, az, 0.0f);
}

__kernel void scan(__global const int *in, __global int *out) {
  __local int t[2 * SCAN_THREADS];
  int base = get_group_id(0) * 2 * SCAN_THREADS, tid = get_local_id(0);
  t[tid] = in[base + tid];
  t[tid + SCAN_THREADS] = in[base + tid + SCAN_THREADS];
  int offset = 1;
  for (int d = SCAN_THREADS; d > 0; d >>= 1) {
    barrier(CLK_LOCAL_MEM_FENCE);
    if (tid < d)
      t[offset * (2 * tid + 2) - 1] += t[offset * (2 * tid + 1) - 1];
    offset <<= 1;
  }
  if (tid == 0)
    t[2 * SCAN_THREADS - 1] = 0;
  for (int d = 1; d < 2 * SCAN_THREADS; d <<= 1) {
    offset >>= 1;
    barrier(CLK_LOCAL_MEM_FENCE);
    if (tid < d) {
      int ai = offset * (2 * tid + 1) - 1, bi = offset * (2 * tid + 2) - 1;
      int v = t[ai];
      t[ai] = t[bi];
      t[bi] += v;
    }
  }
  barrier(CLK_LOCAL_MEM_FENCE);
  out[base + tid] = t[tid];
  out[base + tid + SCAN_THREADS] = t[tid + SCAN_THREADS];
}

__kernel void empty(void) {}
)CL";

#define CL_CHECK(call)                                                                                 \
  do {                                                                                                 \
    cl_int e_ = (call);                                                                                \
    if (e_ != CL_SUCCESS) {                                                                            \
      std::fprintf(stderr, "%s:%d: %s: OpenCL error %d\n", __FILE__, __LINE__, #call, e_);            \
      std::exit(2);                                                                                    \
    }                                                                                                  \
  } while (0)

struct OpenCL {
  cl_device_id dev = nullptr;
  cl_context ctx = nullptr;
  cl_command_queue q = nullptr;
  cl_program prog = nullptr;

  cl_kernel kernel(const char *name) {
    cl_int err;
    cl_kernel k = clCreateKernel(prog, name, &err);
    CL_CHECK(err);
    return k;
  }
};

OpenCL *opencl_open(std::string *device_name, std::string *why_not) {
  cl_uint platforms = 0;
  if (clGetPlatformIDs(0, nullptr, &platforms) != CL_SUCCESS || platforms == 0) {
    *why_not = "no OpenCL platform";
    return nullptr;
  }
  std::vector<cl_platform_id> ids(platforms);
  CL_CHECK(clGetPlatformIDs(platforms, ids.data(), nullptr));
  auto *cl = new OpenCL;
  for (cl_platform_id p : ids)
    if (clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 1, &cl->dev, nullptr) == CL_SUCCESS)
      break;
  if (!cl->dev) {
    delete cl;
    *why_not = "no OpenCL device";
    return nullptr;
  }
  char name[256] = {0};
  clGetDeviceInfo(cl->dev, CL_DEVICE_NAME, sizeof name - 1, name, nullptr);
  *device_name = name;
  cl_int err;
  cl->ctx = clCreateContext(nullptr, 1, &cl->dev, nullptr, nullptr, &err);
  CL_CHECK(err);
  cl->q = clCreateCommandQueue(cl->ctx, cl->dev, 0, &err);
  CL_CHECK(err);
  cl->prog = clCreateProgramWithSource(cl->ctx, 1, &kSource, nullptr, &err);
  CL_CHECK(err);
  char options[256];
  std::snprintf(options, sizeof options,
                "-cl-std=CL1.2 -DBLOCK=%d -DTILE=%d -DPER_THREAD=%d -DBINS=%d -DTT=%d -DTR=%d -DSCAN_THREADS=%d",
                kBlock, kTile, kReducePerThread, kHistBins, kTransTile, kTransRows, kScanThreads);
  if (clBuildProgram(cl->prog, 1, &cl->dev, options, nullptr, nullptr) != CL_SUCCESS) {
    size_t len = 0;
    clGetProgramBuildInfo(cl->prog, cl->dev, CL_PROGRAM_BUILD_LOG, 0, nullptr, &len);
    std::string log(len, '\0');
    clGetProgramBuildInfo(cl->prog, cl->dev, CL_PROGRAM_BUILD_LOG, len, &log[0], nullptr);
    std::fprintf(stderr, "OpenCL build failed:\n%s\n", log.c_str());
    std::exit(2);
  }
  return cl;
}

namespace {

class ClRunner : public Runner {
 public:
  ClRunner(OpenCL *cl, const char *name) : cl_(cl), k(cl->kernel(name)) {}
  ~ClRunner() override {
    for (cl_mem m : buffers_)
      clReleaseMemObject(m);
    clReleaseKernel(k);
  }
  template <class T> cl_mem upload(const std::vector<T> &v) {
    return buffer(v.size() * sizeof(T), v.data());
  }
  cl_mem buffer(size_t bytes, const void *init = nullptr) {
    cl_int err;
    cl_mem m = clCreateBuffer(cl_->ctx, CL_MEM_READ_WRITE | (init ? CL_MEM_COPY_HOST_PTR : 0), bytes,
                              const_cast<void *>(init), &err);
    CL_CHECK(err);
    buffers_.push_back(m);
    return m;
  }
  template <class T> std::vector<T> download(cl_mem m, size_t n) {
    std::vector<T> h(n);
    CL_CHECK(clEnqueueReadBuffer(cl_->q, m, CL_TRUE, 0, n * sizeof(T), h.data(), 0, nullptr, nullptr));
    return h;
  }
  template <class... A> void args(const A &...a) {
    cl_uint i = 0;
    const cl_int errors[] = {clSetKernelArg(k, i++, sizeof(A), &a)...};  // evaluated left to right
    for (cl_int e : errors)
      CL_CHECK(e);
  }
  void geometry(cl_uint dims, size_t g0, size_t l0, size_t g1 = 1, size_t l1 = 1) {
    dims_ = dims, global_[0] = g0, global_[1] = g1, local_[0] = l0, local_[1] = l1;
  }
  void run() override {
    if (before)
      before();
    CL_CHECK(clEnqueueNDRangeKernel(cl_->q, k, dims_, nullptr, global_, local_, 0, nullptr, nullptr));
    CL_CHECK(clFinish(cl_->q));
  }
  std::vector<double> result() override { return read(); }

  OpenCL *cl_;
  cl_kernel k;
  std::function<void()> before;  // enqueued ahead of the kernel in each run
  std::function<std::vector<double>()> read;

 private:
  std::vector<cl_mem> buffers_;
  cl_uint dims_ = 1;
  size_t global_[2] = {1, 1}, local_[2] = {1, 1};
};

size_t round_up(size_t n, size_t m) { return (n + m - 1) / m * m; }

}  // namespace

std::unique_ptr<Runner> make_opencl(OpenCL *cl, const Problem &p) {
  if (!cl || p.kernel >= kKernels)
    return nullptr;
  auto r = std::make_unique<ClRunner>(cl, info(p.kernel).id);
  ClRunner *c = r.get();
  const cl_int n = p.n;
  const float s = p.s;
  switch (p.kernel) {
  case Triad: {
    cl_mem a = c->buffer(n * sizeof(float)), b = c->upload(p.f0), cc = c->upload(p.f1);
    c->args(a, b, cc, s, n);
    c->geometry(1, round_up(n, kBlock), kBlock);
    c->read = [=] { return as_double(c->download<float>(a, n)); };
    break;
  }
  case Saxpy: {
    cl_mem x = c->upload(p.f0), y = c->upload(p.f1);
    c->args(s, x, y, n);
    c->geometry(1, round_up(n, kBlock), kBlock);
    c->read = [=] { return as_double(c->download<float>(y, n)); };
    break;
  }
  case Stencil: {
    const cl_int w = p.w, h = p.h;
    cl_mem in = c->upload(p.f0), out = c->buffer(size_t(w) * h * sizeof(float));
    c->args(in, out, w, h);
    c->geometry(2, round_up(w, kStencilBX), kStencilBX, round_up(h, kStencilBY), kStencilBY);
    c->read = [=] { return as_double(c->download<float>(out, size_t(w) * h)); };
    break;
  }
  case Matmul: {
    cl_mem A = c->upload(p.f0), B = c->upload(p.f1), C = c->buffer(size_t(n) * n * sizeof(float));
    c->args(A, B, C, n);
    c->geometry(2, n, kTile, n, kTile);
    c->read = [=] { return as_double(c->download<float>(C, size_t(n) * n)); };
    break;
  }
  case ReduceTree:
  case ReduceShfl: {
    const size_t nb = (n + kBlock * kReducePerThread - 1) / (kBlock * kReducePerThread);
    cl_mem x = c->upload(p.f0), partial = c->buffer(nb * sizeof(float));
    c->args(x, partial, n);
    c->geometry(1, nb * kBlock, kBlock);
    c->read = [=] {
      double sum = 0;
      for (float v : c->download<float>(partial, nb))
        sum += v;
      return std::vector<double>{sum};
    };
    break;
  }
  case Histogram: {
    cl_mem in = c->upload(p.u0), bins = c->buffer(kHistBins * sizeof(cl_uint));
    c->args(in, bins, n);
    c->geometry(1, size_t(kHistBlocks) * kBlock, kBlock);
    c->before = [=] {
      const cl_uint zero = 0;
      CL_CHECK(clEnqueueFillBuffer(cl->q, bins, &zero, sizeof zero, 0, kHistBins * sizeof(cl_uint), 0,
                                   nullptr, nullptr));
    };
    c->read = [=] { return as_double(c->download<cl_uint>(bins, kHistBins)); };
    break;
  }
  case Transpose: {
    cl_mem in = c->upload(p.f0), out = c->buffer(size_t(n) * n * sizeof(float));
    c->args(out, in, n);
    c->geometry(2, n, kTransTile, size_t(n) / kTransTile * kTransRows, kTransRows);
    c->read = [=] { return as_double(c->download<float>(out, size_t(n) * n)); };
    break;
  }
  case NBody: {
    cl_mem pos = c->upload(p.f0), acc = c->buffer(size_t(n) * 4 * sizeof(float));
    c->args(pos, acc, n, s);
    c->geometry(1, n, kBlock);
    c->read = [=] { return as_double(c->download<float>(acc, size_t(n) * 4)); };
    break;
  }
  case Scan: {
    cl_mem in = c->upload(p.i0), out = c->buffer(size_t(n) * sizeof(cl_int));
    c->args(in, out);
    c->geometry(1, size_t(n) / kScanSegment * kScanThreads, kScanThreads);
    c->read = [=] { return as_double(c->download<cl_int>(out, n)); };
    break;
  }
  default:
    return nullptr;
  }
  return r;
}

double opencl_launch_latency_us(OpenCL *cl, int iters, int batches) {
  using Clock = std::chrono::steady_clock;
  cl_kernel k = cl->kernel("empty");
  const size_t one = 1;
  std::vector<double> t;
  for (int b = 0; b <= batches; ++b) {  // b = 0 warms up (PoCL compiles the kernel on first launch)
    auto t0 = Clock::now();
    for (int i = 0; i < iters; ++i) {
      CL_CHECK(clEnqueueNDRangeKernel(cl->q, k, 1, nullptr, &one, &one, 0, nullptr, nullptr));
      CL_CHECK(clFinish(cl->q));
    }
    if (b)
      t.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / iters);
  }
  clReleaseKernel(k);
  return median(t);
}

}  // namespace suite

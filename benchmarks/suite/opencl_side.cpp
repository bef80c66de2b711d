// The OpenCL C versions, run on the first OpenCL device (PoCL's CPU device here) through the ICD loader
// with the plain OpenCL 1.2 host API and cl_mem buffers: what a programmer would write for PoCL directly,
// without cuport.  One run = clEnqueueNDRangeKernel (plus a fill for the histogram's bins) + clFinish.
// PoCL reads POCL_WORK_GROUP_METHOD when it starts, so each method needs its own process (scripts/bench.sh).
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>

#include "opencl_kernels.h"
#include "suite.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>

namespace suite {

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
  const char *source = kOpenCLSource;
  cl->prog = clCreateProgramWithSource(cl->ctx, 1, &source, nullptr, &err);
  CL_CHECK(err);
  const std::string options = opencl_build_options();
  if (clBuildProgram(cl->prog, 1, &cl->dev, options.c_str(), nullptr, nullptr) != CL_SUCCESS) {
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

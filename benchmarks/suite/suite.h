// The benchmark suite of issue 10: every kernel in three versions written here -- CUDA (compiled by
// cuport-cc, run by libcuport), OpenCL C (run on the machine's OpenCL device, PoCL, through the ICD loader
// with the plain OpenCL host API) and OpenMP C++ -- computing the same thing on the same inputs.
//
// Each version of a kernel is a Runner: its constructor allocates and uploads the inputs (untimed), run()
// is one timed execution (launch + wait), result() reads the output back for the cross-check.
// main.cpp interleaves the versions, takes medians, checks that they agree and prints the table.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace suite {

enum Kernel { Triad, Saxpy, Stencil, Matmul, ReduceTree, ReduceShfl, Histogram, Transpose, NBody, Scan, kKernels };

// Launch geometry shared by the CUDA and OpenCL versions (OpenMP has its own loops).
constexpr int kBlock = 256;         // 1D kernels
constexpr int kStencilBX = 32, kStencilBY = 8;
constexpr int kTile = 16;           // matmul: 16x16 shared tiles
constexpr int kReducePerThread = 8; // reductions: each thread first adds 8 elements
constexpr int kHistBins = 256, kHistBlocks = 256;
constexpr int kTransTile = 32, kTransRows = 8; // transpose: 32x33 padded tiles, 32x8 threads
constexpr int kScanThreads = 256;   // Blelloch scan: 512-element segments, one per block
constexpr int kScanSegment = 2 * kScanThreads;

// One kernel's inputs and sizes, made once per kernel and shared by all versions.
struct Problem {
  Kernel kernel;
  int n = 0;       // elements (1D kernels), matrix order (matmul, transpose), bodies (n-body)
  int w = 0, h = 0; // stencil grid
  float s = 0;     // scalar (triad, saxpy, n-body softening)
  std::vector<float> f0, f1;        // float inputs (n-body: f0 holds n float4 as 4n floats)
  std::vector<int> i0;              // int input (scan)
  std::vector<unsigned char> u0;    // byte input (histogram)
  double bytes = 0;                 // bytes one run moves to and from memory (memory-bound kernels), else 0
  std::string size;                 // printable size
};

struct KernelInfo {
  const char *id;    // the kernel's function name in each version, and its name on the command line
  const char *name;  // its row in the table
  bool exact;  // integer results: must be equal; float results: max |a-b| <= rtol * max |ref|
  double rtol;
};
const KernelInfo &info(Kernel k);
Problem make_problem(Kernel k, bool quick);

class Runner {
 public:
  virtual ~Runner() = default;
  virtual void run() = 0;                    // one execution, returns when the results are in memory
  virtual std::vector<double> result() = 0;  // the output (reductions: {sum}), read back
};

// Helpers of all versions: results as doubles (exact for the integer results), the median of samples.
template <class T> std::vector<double> as_double(const std::vector<T> &v) {
  return std::vector<double>(v.begin(), v.end());
}
inline double median(std::vector<double> v) {
  if (v.empty())
    return NAN;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// The three technologies.  Each factory returns nullptr where a version is missing.
std::unique_ptr<Runner> make_cuda(const Problem &p);
std::unique_ptr<Runner> make_openmp(const Problem &p);
struct OpenCL;  // platform, device, queue and the program of all kernels (opencl_side.cpp)
OpenCL *opencl_open(std::string *device_name, std::string *why_not);  // nullptr: no usable device
std::unique_ptr<Runner> make_opencl(OpenCL *cl, const Problem &p);

// Rows outside the kernel table, each the median over `batches` batches of `iters` iterations.
double cuda_launch_latency_us(int iters, int batches);           // empty<<<1,1>>> + cudaDeviceSynchronize
double opencl_launch_latency_us(OpenCL *cl, int iters, int batches); // empty kernel + clFinish
double openmp_region_latency_us(int iters, int batches);         // empty #pragma omp parallel
double cuda_memcpy_h2d_gbs(size_t bytes, int reps);               // pageable host -> device cudaMemcpy
double host_memcpy_gbs(size_t bytes, int reps);                   // memcpy between two host buffers
std::vector<double> stream_triad_samples(size_t n, int reps);     // GB/s of each STREAM triad run (OpenMP)

}  // namespace suite

// The hand-written OpenCL C kernels of the benchmark suite (opencl_kernels.cpp), shared by bench_suite's
// OpenCL side and opencl_vs_native, which times cuport's OpenCL backend against them.
#pragma once

#include <string>

namespace suite {

// Kernels triad, saxpy, stencil, matmul (16x16 tiles), ... with the suite's launch geometry.
extern const char *const kOpenCLSource;
// The clBuildProgram options that define that geometry (-DTILE=..., -DBLOCK=...).
std::string opencl_build_options();

}  // namespace suite

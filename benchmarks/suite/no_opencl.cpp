// Built instead of opencl_side.cpp when CMake finds no OpenCL: the suite runs without its PoCL column.
#include "suite.h"

namespace suite {
struct OpenCL {};
OpenCL *opencl_open(std::string *, std::string *why_not) {
  *why_not = "built without OpenCL";
  return nullptr;
}
std::unique_ptr<Runner> make_opencl(OpenCL *, const Problem &) { return nullptr; }
double opencl_launch_latency_us(OpenCL *, int, int) { return 0; }
}  // namespace suite

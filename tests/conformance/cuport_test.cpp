// Test main of the conformance suite: makes every backend visible (unless CUPORT_BACKEND narrows it down)
// before the runtime initializes, then runs GoogleTest.
#include "cuport_test.h"

#include <cstdlib>

namespace cuport_test {

std::vector<std::string> allBackends() { return {"cpu", "opencl", "hip", "cuda"}; }

int deviceFor(const std::string &backend, std::string *reason) {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess)
    count = 0;
  (void)cudaGetLastError();
  for (int d = 0; d < count; ++d) {
    const char *name = nullptr;
    if (cuportDeviceGetBackend(d, &name) == cudaSuccess && name && backend == name)
      return d;
  }
  const char *status = nullptr;
  int devices = 0;
  for (int b = 0, n = cuportGetBackendCount(); b < n; ++b) {
    const char *name = nullptr;
    if (cuportGetBackendInfo(b, &name, &devices, &status) == cudaSuccess && name && backend == name) {
      *reason = status && *status ? status : "no devices";
      return -1;
    }
  }
  *reason = "plugin libcuport-backend-" + backend + ".so is not built or not selected by CUPORT_BACKEND";
  return -1;
}

} // namespace cuport_test

int main(int argc, char **argv) {
  setenv("CUPORT_BACKEND", "all", /*overwrite=*/0);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}

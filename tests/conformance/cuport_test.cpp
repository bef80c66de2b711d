// Test main of the conformance suite: makes every backend visible (unless CUPORT_BACKEND narrows it down)
// before the runtime initializes, then runs GoogleTest.
#include "cuport_test.h"

#include <fnmatch.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace cuport_test {
namespace {

struct KnownFailure {
  std::string backend, test, reason;  // backend and test are fnmatch patterns
};

// known-failures.txt, read once.  Lines: "<backend> <Suite>.<Test> <reason...>"; '#' starts a comment line.
const std::vector<KnownFailure> &knownFailures() {
  static const std::vector<KnownFailure> *list = [] {
    auto *out = new std::vector<KnownFailure>;
    std::ifstream in(CUPORT_KNOWN_FAILURES_FILE);
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      std::istringstream fields(line);
      KnownFailure k;
      if (!(fields >> k.backend) || k.backend[0] == '#')
        continue;
      std::getline(fields >> k.test, k.reason);
      const size_t start = k.reason.find_first_not_of(" \t");
      k.reason = start == std::string::npos ? "" : k.reason.substr(start);
      if (k.test.find('.') == std::string::npos || k.reason.empty()) {
        std::fprintf(stderr, "%s:%d: ignored: expected '<backend> <Suite>.<Test> <reason>'\n",
                     CUPORT_KNOWN_FAILURES_FILE, number);
        continue;
      }
      out->push_back(k);
    }
    return out;
  }();
  return *list;
}

} // namespace

bool knownFailure(const std::string &backend, std::string *reason) {
  const ::testing::TestInfo *info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (!info)
    return false;
  // Parameterized names: suite "Backends/LaunchTest", test "Basic/cpu".
  std::string suite = info->test_suite_name(), test = info->name();
  if (size_t slash = suite.find('/'); slash != std::string::npos)
    suite = suite.substr(slash + 1);
  if (size_t slash = test.rfind('/'); slash != std::string::npos)
    test = test.substr(0, slash);
  const std::string name = suite + "." + test;
  for (const KnownFailure &k : knownFailures()) {
    if (fnmatch(k.backend.c_str(), backend.c_str(), 0) == 0 && fnmatch(k.test.c_str(), name.c_str(), 0) == 0) {
      *reason = k.reason;
      return true;
    }
  }
  return false;
}

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

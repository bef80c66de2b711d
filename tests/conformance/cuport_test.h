// Shared fixture of the conformance suite: every test is parameterized over the backends cuport knows;
// a backend that is not available on this machine is a visible skip with the runtime's reason, and so is a
// test listed for that backend in known-failures.txt.
#ifndef CUPORT_TESTS_CUPORT_TEST_H
#define CUPORT_TESTS_CUPORT_TEST_H

#include <gtest/gtest.h>

#include <cuda_runtime.h>
#include <cuport/cuport_runtime.h>

#include <string>
#include <vector>

namespace cuport_test {

// Backend names the suite is instantiated for, in the runtime's default order.
std::vector<std::string> allBackends();
// The first CUDA device of `backend`, or -1 with the reason.
int deviceFor(const std::string &backend, std::string *reason);
// Is the running test (Suite.Test, without the instantiation prefix and the backend suffix) listed for
// `backend` in tests/conformance/known-failures.txt?  Gives the listed reason.
bool knownFailure(const std::string &backend, std::string *reason);

class BackendTest : public ::testing::TestWithParam<std::string> {
protected:
  void SetUp() override {
    std::string reason;
    device_ = deviceFor(GetParam(), &reason);
    if (device_ < 0)
      GTEST_SKIP() << "backend '" << GetParam() << "' unavailable: " << reason;
    if (knownFailure(GetParam(), &reason))
      GTEST_SKIP() << "known failure on " << GetParam() << ": " << reason;
    ASSERT_EQ(cudaSetDevice(device_), cudaSuccess);
    (void)cudaGetLastError();
  }
  int device_ = -1;
};

} // namespace cuport_test

#define CUDA_OK(call)                                                                                  \
  do {                                                                                                 \
    cudaError_t err_ = (call);                                                                         \
    ASSERT_EQ(err_, cudaSuccess) << #call << ": " << cudaGetErrorName(err_) << ": "                     \
                                 << cudaGetErrorString(err_);                                          \
  } while (0)

#define CUPORT_INSTANTIATE_BACKENDS(Suite)                                                             \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::ValuesIn(::cuport_test::allBackends()),         \
                           [](const ::testing::TestParamInfo<std::string> &i) { return i.param; })

#endif

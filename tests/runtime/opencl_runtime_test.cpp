// libcuport + the OpenCL backend end to end (CUPORT_BACKEND=opencl), driven through the registration ABI as
// Clang's generated code drives it, with the hand-written image of opencl_test_image.h: launches, symbols,
// and how the runtime reports an image that does not build, a fat binary without an OpenCL image, a kernel
// the compiler marked unsupported, and a device assert.  Without an OpenCL device every test is a skip.
#include <gtest/gtest.h>

#include <cuda_runtime_api.h>
#include <cuport/cuport_runtime.h>
#include <cuport/fatbin.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "fatbin_builder.h"
#include "opencl_test_image.h"

namespace {

const char stub_vadd = 0;
const char stub_fail_assert = 0;
const char stub_needs_grid_sync = 0;
const char stub_broken = 0;
const char stub_cpu_only = 0;
float shadow_scale;

struct Wrapper {
  int magic;
  int version;
  const void* data;
  void* unused;
};

// Registers a container as Clang's module constructor would; it lives until the process ends.
void** register_container(const std::vector<cuport_test::Entry>& entries,
                          const std::vector<std::pair<const char*, const char*>>& kernels) {
  auto* blob = new std::vector<uint8_t>(cuport_test::build_fatbin(entries));
  auto* wrapper = new Wrapper{0x466243b1, 1, blob->data(), nullptr};
  void** handle = __cudaRegisterFatBinary(wrapper);
  for (const auto& k : kernels)
    __cudaRegisterFunction(handle, k.first, const_cast<char*>(k.second), k.second, -1, nullptr, nullptr, nullptr,
                           nullptr, nullptr);
  __cudaRegisterFatBinaryEnd(handle);
  return handle;
}

std::vector<uint8_t> bytes(const char* text) { return std::vector<uint8_t>(text, text + std::strlen(text)); }

void register_images() {
  static std::once_flag once;
  std::call_once(once, [] {
    void** good = register_container(
        {cuport_test::manifest_entry(cuport_test::kOpenCLTestManifest),
         cuport_test::image_entry(CUPORT_TARGET_OPENCL, bytes(cuport_test::kOpenCLTestImage))},
        {{&stub_vadd, "_Z4vaddPKfS0_Pfi"}, {&stub_fail_assert, "fail_assert"},
         {&stub_needs_grid_sync, "needs_grid_sync"}});
    __cudaRegisterVar(good, reinterpret_cast<char*>(&shadow_scale), const_cast<char*>("scale"), "scale", 0,
                      sizeof shadow_scale, 0, 0);
    register_container({cuport_test::manifest_entry("cuport-manifest 1\nkernel broken 0 0\n"),
                        cuport_test::image_entry(CUPORT_TARGET_OPENCL,
                                                 bytes("//@cuport-opencl 2\n//@globals 16\n//@kernel broken k 0 0 -\n"
                                                       "__kernel void k(__global uchar* g, __local uchar* d) {\n"
                                                       "  this_does_not_compile;\n}\n"))},
                       {{&stub_broken, "broken"}});
    register_container({cuport_test::manifest_entry("cuport-manifest 1\nkernel cpu_only 0 0\n"),
                        cuport_test::image_entry(CUPORT_TARGET_CPU, {0x7f, 'E', 'L', 'F'})},
                       {{&stub_cpu_only, "cpu_only"}});
  });
}

class OpenCLRuntime : public ::testing::Test {
protected:
  void SetUp() override {
    register_images();
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess || count == 0) {
      const char *name = nullptr, *status = nullptr;
      int devices = 0;
      std::string why = "no OpenCL device";
      if (cuportGetBackendCount() > 0 && cuportGetBackendInfo(0, &name, &devices, &status) == cudaSuccess && status)
        why = status;
      (void)cudaGetLastError();
      GTEST_SKIP() << why;
    }
    const char* backend = nullptr;
    ASSERT_EQ(cuportDeviceGetBackend(0, &backend), cudaSuccess);
    ASSERT_STREQ(backend, "opencl");
  }

  // vadd<<<n/16, 16, 64>>>(a, b, c, n) as Clang's stub passes it.
  static cudaError_t vadd(float* a, float* b, float* c, int n) {
    void* args[] = {&a, &b, &c, &n};
    return cudaLaunchKernel(&stub_vadd, dim3(unsigned(n) / 16), dim3(16), args, 16 * sizeof(float), nullptr);
  }
  static cudaError_t no_args(const char* stub) {
    return cudaLaunchKernel(stub, dim3(1), dim3(8), nullptr, 0, nullptr);
  }

  // Runs vadd on fresh buffers and checks c = scale * rotated(a) + rotated(b).
  static void check_vadd(float scale) {
    const int n = 128;
    std::vector<float> a(n), b(n), c(n);
    for (int i = 0; i < n; ++i) {
      a[i] = float(i);
      b[i] = float(3 * i);
    }
    float *da = nullptr, *db = nullptr, *dc = nullptr;
    ASSERT_EQ(cudaMalloc(&da, n * sizeof(float)), cudaSuccess);
    ASSERT_EQ(cudaMalloc(&db, n * sizeof(float)), cudaSuccess);
    ASSERT_EQ(cudaMalloc(&dc, n * sizeof(float)), cudaSuccess);
    ASSERT_EQ(cudaMemcpy(da, a.data(), n * sizeof(float), cudaMemcpyHostToDevice), cudaSuccess);
    ASSERT_EQ(cudaMemcpy(db, b.data(), n * sizeof(float), cudaMemcpyHostToDevice), cudaSuccess);
    ASSERT_EQ(vadd(da, db, dc, n), cudaSuccess);
    ASSERT_EQ(cudaMemcpy(c.data(), dc, n * sizeof(float), cudaMemcpyDeviceToHost), cudaSuccess);
    for (int i = 0; i < n; ++i) {
      const int base = i / 16 * 16, l = i % 16;
      ASSERT_EQ(c[i], scale * a[base + (l + 1) % 16] + b[base + (l + 2) % 16]) << "element " << i;
    }
    cudaFree(da);
    cudaFree(db);
    cudaFree(dc);
  }
};

TEST_F(OpenCLRuntime, LaunchAndSymbols) {
  check_vadd(2.0f);
  float scale = 0;
  ASSERT_EQ(cudaMemcpyFromSymbol(&scale, shadow_scale, sizeof scale), cudaSuccess);
  EXPECT_EQ(scale, 2.0f);
  scale = 5.0f;
  ASSERT_EQ(cudaMemcpyToSymbol(shadow_scale, &scale, sizeof scale), cudaSuccess);
  check_vadd(5.0f);
  void* address = nullptr;
  size_t size = 0;
  ASSERT_EQ(cudaGetSymbolAddress(&address, shadow_scale), cudaSuccess);
  ASSERT_EQ(cudaGetSymbolSize(&size, shadow_scale), cudaSuccess);
  EXPECT_NE(address, nullptr);
  EXPECT_EQ(size, sizeof(float));
  scale = 2.0f;  // as loaded, for the tests that follow in this process
  ASSERT_EQ(cudaMemcpy(address, &scale, sizeof scale, cudaMemcpyHostToDevice), cudaSuccess);
  EXPECT_EQ(cudaDeviceSynchronize(), cudaSuccess);
}

TEST_F(OpenCLRuntime, ImageThatDoesNotBuildIsInvalidPtxAtLaunch) {
  EXPECT_EQ(no_args(&stub_broken), cudaErrorInvalidPtx);
  EXPECT_EQ(cudaGetLastError(), cudaErrorInvalidPtx);
  EXPECT_EQ(no_args(&stub_broken), cudaErrorInvalidPtx);  // remembered, not rebuilt
  // Not a sticky error: the other images still run.
  check_vadd(2.0f);
}

TEST_F(OpenCLRuntime, FatBinaryWithoutAnOpenCLImage) {
  EXPECT_EQ(no_args(&stub_cpu_only), cudaErrorNoKernelImageForDevice);
  check_vadd(2.0f);
}

TEST_F(OpenCLRuntime, KernelTheCompilerMarkedUnsupported) {
  EXPECT_EQ(no_args(&stub_needs_grid_sync), cudaErrorNoKernelImageForDevice);
  check_vadd(2.0f);
}

TEST_F(OpenCLRuntime, DeviceAssertIsStickyUntilReset) {
  ASSERT_EQ(no_args(&stub_fail_assert), cudaSuccess);  // queued; the error comes with synchronization
  EXPECT_EQ(cudaDeviceSynchronize(), cudaErrorAssert);
  EXPECT_EQ(cudaDeviceSynchronize(), cudaErrorAssert);
  float* p = nullptr;
  EXPECT_EQ(cudaMalloc(&p, 64), cudaErrorAssert);
  ASSERT_EQ(cudaDeviceReset(), cudaSuccess);
  (void)cudaGetLastError();
  check_vadd(2.0f);  // the module was reloaded: its status word is clear again
}

}  // namespace

// The OpenCL backend plugin through the backend ABI alone (no libcuport, no compiler): dlopen the plugin,
// initialize it, and drive memory, hand-written "opencl-c" images and launches through its ops table.
// Without an OpenCL device every test is a skip that says why.  ctest runs them in SVM mode (fine- and
// coarse-grained) and in buffer mode (CUPORT_OPENCL_SVM=none); a few tests are for buffer mode only.
#include <gtest/gtest.h>

#include <dlfcn.h>
#include <strings.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <cuport/backend.h>
#include <cuport/fatbin.h>

#include "opencl_test_image.h"

namespace {

using cuport_test::kOpenCLTestImage;


class OpenCLBackend : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    handle_ = ::dlopen(CUPORT_OPENCL_PLUGIN, RTLD_NOW | RTLD_LOCAL);
    if (!handle_) {
      const char* why = ::dlerror();
      skip_reason_ = std::string("cannot load " CUPORT_OPENCL_PLUGIN ": ") + (why ? why : "?");
      return;
    }
    auto version = reinterpret_cast<cuport_backend_abi_version_fn>(::dlsym(handle_, "cuport_backend_abi_version"));
    auto get = reinterpret_cast<cuport_backend_ops_get_fn>(::dlsym(handle_, "cuport_backend_ops_get"));
    ASSERT_TRUE(version && get);
    ASSERT_EQ(version(), CUPORT_BACKEND_ABI_VERSION);
    ops_ = get();
    ASSERT_NE(ops_, nullptr);
    ASSERT_EQ(ops_->struct_size, sizeof(cuport_backend_ops));
    ASSERT_STREQ(ops_->name, "opencl");
    ASSERT_STREQ(ops_->image_target, CUPORT_TARGET_OPENCL);
    ASSERT_EQ(ops_->init(), 0) << ops_->last_error_message();
    if (ops_->device_count() < 1) {
      skip_reason_ = std::string("no usable OpenCL device: ") + ops_->last_error_message();
      return;
    }
    ASSERT_EQ(ops_->module_load(0, kOpenCLTestImage, sizeof kOpenCLTestImage, &module_), 0) << ops_->last_error_message();
    // Buffer mode: asked for, or a device without SVM (which refuses the kernel that needs it).
    const char* svm = std::getenv("CUPORT_OPENCL_SVM");
    cuport_kernel* k = nullptr;
    buffer_mode_ = (svm && ::strcasecmp(svm, "none") == 0) || ops_->kernel_get(module_, "indirect", &k) == 209;
  }

  static void TearDownTestSuite() {
    if (module_) ops_->module_unload(module_);
    module_ = nullptr;
    if (ops_ && ops_->device_count() > 0) ops_->shutdown();
    // The plugin stays loaded: OpenCL implementations may keep threads running until process exit.
  }

  void SetUp() override {
    if (!skip_reason_.empty()) GTEST_SKIP() << skip_reason_;
    ASSERT_NE(ops_, nullptr);
  }

  static void* alloc(size_t bytes) {
    void* p = nullptr;
    EXPECT_EQ(ops_->mem_alloc(0, bytes, &p), 0) << ops_->last_error_message();
    return p;
  }
  static cuport_kernel* kernel(cuport_module* m, const char* name) {
    cuport_kernel* k = nullptr;
    EXPECT_EQ(ops_->kernel_get(m, name, &k), 0) << ops_->last_error_message();
    return k;
  }
  // A launch with the packed-argument layout libcuport would pass (params describe sizes only here).
  static int run(cuport_kernel* k, uint32_t grid, uint32_t block, std::vector<void*> args,
                 std::vector<cuport_param_info> params, size_t dynamic = 0) {
    cuport_launch l;
    std::memset(&l, 0, sizeof l);
    l.grid[0] = grid;
    l.grid[1] = l.grid[2] = 1;
    l.block[0] = block;
    l.block[1] = l.block[2] = 1;
    l.dynamic_shared = dynamic;
    l.args = args.empty() ? nullptr : args.data();
    l.params = params.empty() ? nullptr : params.data();
    l.param_count = uint32_t(params.size());
    return ops_->launch(0, k, &l);
  }

  static void* handle_;
  static const cuport_backend_ops* ops_;
  static cuport_module* module_;
  static std::string skip_reason_;
  static bool buffer_mode_;
};

void* OpenCLBackend::handle_ = nullptr;
const cuport_backend_ops* OpenCLBackend::ops_ = nullptr;
cuport_module* OpenCLBackend::module_ = nullptr;
std::string OpenCLBackend::skip_reason_;
bool OpenCLBackend::buffer_mode_ = false;

// The vadd kernel's parameter layout.
const std::vector<cuport_param_info> kVaddParams = {{0, 8, 8}, {8, 8, 8}, {16, 8, 8}, {24, 4, 4}};

// What vadd computes for element i of a block of 16 (scale 2).
float vadd_expected(const std::vector<float>& a, const std::vector<float>& b, int i) {
  const int base = i / 16 * 16, l = i % 16;
  return 2.0f * a[size_t(base + (l + 1) % 16)] + b[size_t(base + (l + 2) % 16)];
}

TEST_F(OpenCLBackend, DevicePropertiesAreSensible) {
  cuport_device_props p;
  ASSERT_EQ(ops_->device_props(0, &p), 0);
  EXPECT_NE(std::string(p.name).find("OpenCL"), std::string::npos) << p.name;
  EXPECT_EQ(p.warp_size, 32);
  EXPECT_GE(p.max_threads_per_block, 1);
  EXPECT_LE(p.max_threads_per_block, 1024);
  EXPECT_GT(p.total_global_mem, 0u);
  EXPECT_GT(p.shared_mem_per_block, 0u);
  EXPECT_LE(p.shared_mem_per_block, 48u * 1024);
  EXPECT_GE(p.shared_mem_per_block_optin, p.shared_mem_per_block);
  EXPECT_EQ(p.max_grid_size[0], 0x7fffffff);
  EXPECT_GT(p.max_param_size, 0u);
  EXPECT_LE(p.max_param_size, 32764u); // CUDA 12.1's limit; large structs travel in buffers
  EXPECT_EQ(p.major, 7);
  EXPECT_EQ(p.can_map_host_memory, 0);
  EXPECT_EQ(p.unified_addressing, 1);
  if (buffer_mode_) {
    EXPECT_EQ(p.is_host_memory, 0);
    EXPECT_EQ(p.managed_memory, 0);
    void* managed = nullptr;
    EXPECT_EQ(ops_->mem_alloc_shared(0, 64, &managed), 801);  // cudaErrorNotSupported
  }
  EXPECT_EQ(ops_->device_props(ops_->device_count(), &p), 101);  // cudaErrorInvalidDevice
}

TEST_F(OpenCLBackend, MemoryRoundTrip) {
  size_t free0 = 0, total = 0;
  ASSERT_EQ(ops_->mem_info(0, &free0, &total), 0);
  EXPECT_LE(free0, total);
  const size_t n = 1 << 20;
  void* d = alloc(n);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(d) % 256, 0u);
  size_t free1 = 0;
  ASSERT_EQ(ops_->mem_info(0, &free1, &total), 0);
  EXPECT_EQ(free0 - free1, n);

  std::vector<unsigned char> in(n), out(n, 0);
  for (size_t i = 0; i < n; ++i) in[i] = static_cast<unsigned char>(i * 7 + 1);
  ASSERT_EQ(ops_->memcpy(0, d, in.data(), n, 1), 0) << ops_->last_error_message();
  void* d2 = alloc(n);
  ASSERT_EQ(ops_->memcpy(0, d2, d, n, 3), 0) << ops_->last_error_message();
  ASSERT_EQ(ops_->memcpy(0, out.data(), d2, n, 2), 0) << ops_->last_error_message();
  EXPECT_EQ(in, out);

  ASSERT_EQ(ops_->memset(0, static_cast<char*>(d) + 100, 0xab, 1000), 0) << ops_->last_error_message();
  ASSERT_EQ(ops_->memcpy(0, out.data(), d, n, 2), 0);
  for (size_t i = 0; i < n; ++i)
    ASSERT_EQ(out[i], i >= 100 && i < 1100 ? 0xab : in[i]) << "byte " << i;

  EXPECT_EQ(ops_->memcpy(0, out.data(), d, 16, 7), 21);  // cudaErrorInvalidMemcpyDirection
  void* zero = reinterpret_cast<void*>(1);
  EXPECT_EQ(ops_->mem_alloc(0, 0, &zero), 0);
  EXPECT_EQ(zero, nullptr);
  EXPECT_EQ(ops_->mem_free(0, d), 0);
  EXPECT_EQ(ops_->mem_free(0, d2), 0);
  EXPECT_EQ(ops_->mem_free(0, nullptr), 0);
  size_t free2 = 0;
  ASSERT_EQ(ops_->mem_info(0, &free2, &total), 0);
  EXPECT_EQ(free2, free0);
}

TEST_F(OpenCLBackend, SymbolsHoldInitialValuesAndRelocations) {
  void* scale = nullptr;
  size_t size = 0;
  ASSERT_EQ(ops_->symbol_get(module_, "scale", &scale, &size), 0) << ops_->last_error_message();
  EXPECT_EQ(size, 4u);
  float value = 0;
  ASSERT_EQ(ops_->memcpy(0, &value, scale, sizeof value, 2), 0);
  EXPECT_EQ(value, 2.0f);
  void* slot = nullptr;
  ASSERT_EQ(ops_->symbol_get(module_, "scale_ptr", &slot, &size), 0);
  EXPECT_EQ(size, 8u);
  void* target = nullptr;
  ASSERT_EQ(ops_->memcpy(0, &target, slot, sizeof target, 2), 0);
  EXPECT_EQ(target, scale);
  EXPECT_EQ(ops_->symbol_get(module_, "nosuchvar", &slot, &size), 500);  // cudaErrorSymbolNotFound
}

TEST_F(OpenCLBackend, VectorAddWithSharedMemoryAndGlobals) {
  cuport_kernel* k = kernel(module_, "_Z4vaddPKfS0_Pfi");
  ASSERT_NE(k, nullptr);
  size_t shared = 0;
  ASSERT_EQ(ops_->kernel_static_shared(k, &shared), 0);
  EXPECT_EQ(shared, 64u);
  cuport_kernel* again = nullptr;
  ASSERT_EQ(ops_->kernel_get(module_, "_Z4vaddPKfS0_Pfi", &again), 0);
  EXPECT_EQ(again, k);

  const int n = 256;
  std::vector<float> a(n), b(n), c(n, -1.0f);
  for (int i = 0; i < n; ++i) {
    a[i] = float(i);
    b[i] = float(1000 + i);
  }
  void* da = alloc(n * sizeof(float));
  void* db = alloc(n * sizeof(float));
  void* dc = alloc(n * sizeof(float));
  ASSERT_EQ(ops_->memcpy(0, da, a.data(), n * sizeof(float), 1), 0);
  ASSERT_EQ(ops_->memcpy(0, db, b.data(), n * sizeof(float), 1), 0);
  int count = n;
  ASSERT_EQ(run(k, n / 16, 16, {&da, &db, &dc, &count}, kVaddParams, 16 * sizeof(float)), 0)
      << ops_->last_error_message();
  ASSERT_EQ(ops_->memcpy(0, c.data(), dc, n * sizeof(float), 2), 0);
  for (int i = 0; i < n; ++i) ASSERT_EQ(c[size_t(i)], vadd_expected(a, b, i)) << "element " << i;
  // A manifest that disagrees with the image is refused, not misread.
  std::vector<cuport_param_info> wrong = {{0, 8, 8}, {8, 8, 8}, {16, 8, 8}, {24, 8, 8}};
  EXPECT_EQ(run(k, 1, 16, {&da, &db, &dc, &count}, wrong, 64), 1);
  EXPECT_EQ(run(k, 1, 16, {&da, &db, &dc}, {{0, 8, 8}, {8, 8, 8}, {16, 8, 8}}, 64), 1);
  ops_->mem_free(0, da);
  ops_->mem_free(0, db);
  ops_->mem_free(0, dc);
}

// Pointers loaded from memory need SVM; buffer mode refuses such a kernel, saying why.
TEST_F(OpenCLBackend, PointersStoredInDeviceMemory) {
  if (buffer_mode_) {
    cuport_kernel* k = nullptr;
    EXPECT_EQ(ops_->kernel_get(module_, "indirect", &k), 209);  // cudaErrorNoKernelImageForDevice
    const std::string message = ops_->last_error_message();
    EXPECT_EQ(message.rfind("kernel indirect needs shared virtual memory (SVM), which OpenCL device ", 0), 0u)
        << message;
    EXPECT_NE(message.find(" lacks: test.cu:12: a device pointer is loaded from memory"), std::string::npos)
        << message;
    EXPECT_EQ(k, nullptr);
    return;
  }
  cuport_kernel* k = kernel(module_, "indirect");
  ASSERT_NE(k, nullptr);
  const int n = 64;
  std::vector<int> x(n), y(n), out(n);
  for (int i = 0; i < n; ++i) {
    x[i] = i;
    y[i] = 100 * i;
  }
  void* dx = alloc(n * sizeof(int));
  void* dy = alloc(n * sizeof(int));
  void* dout = alloc(n * sizeof(int));
  void* table = alloc(2 * sizeof(void*));
  void* host_table[2] = {dx, dy};
  ASSERT_EQ(ops_->memcpy(0, dx, x.data(), n * sizeof(int), 1), 0);
  ASSERT_EQ(ops_->memcpy(0, dy, y.data(), n * sizeof(int), 1), 0);
  ASSERT_EQ(ops_->memcpy(0, table, host_table, sizeof host_table, 1), 0);
  ASSERT_EQ(run(k, 2, 32, {&table, &dout}, {{0, 8, 8}, {8, 8, 8}}), 0) << ops_->last_error_message();
  ASSERT_EQ(ops_->memcpy(0, out.data(), dout, n * sizeof(int), 2), 0);
  for (int i = 0; i < n; ++i) ASSERT_EQ(out[i], 201 * i) << "element " << i;  // x + y * scale
  for (void* p : {dx, dy, dout, table}) ops_->mem_free(0, p);
}

TEST_F(OpenCLBackend, WarpScratchAndNullPointers) {
  cuport_kernel* k = kernel(module_, "warp_rotate");
  ASSERT_NE(k, nullptr);
  const int n = 128;
  void* d = alloc(n * sizeof(uint64_t));
  ASSERT_EQ(run(k, 2, 64, {&d}, {{0, 8, 8}}), 0) << ops_->last_error_message();
  std::vector<uint64_t> out(n);
  ASSERT_EQ(ops_->memcpy(0, out.data(), d, n * sizeof(uint64_t), 2), 0);
  for (int i = 0; i < n; ++i) ASSERT_EQ(out[i], uint64_t(i / 64 * 64 + (i % 64 + 1) % 64) * 3) << "element " << i;

  cuport_kernel* m = kernel(module_, "maybe_null");
  ASSERT_NE(m, nullptr);
  void* null_ptr = nullptr;
  long long v = 0x1234567890ll;
  ASSERT_EQ(run(m, 1, 4, {&null_ptr, &v}, {{0, 8, 8}, {8, 8, 8}}), 0) << ops_->last_error_message();
  ASSERT_EQ(run(m, 1, 4, {&d, &v}, {{0, 8, 8}, {8, 8, 8}}), 0) << ops_->last_error_message();
  ASSERT_EQ(ops_->memcpy(0, out.data(), d, 4 * sizeof(uint64_t), 2), 0);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(out[i], uint64_t(v));
  ops_->mem_free(0, d);
}

TEST_F(OpenCLBackend, LargeStructParameterInADeviceBuffer) {
  cuport_kernel* k = kernel(module_, "sum_big");
  ASSERT_NE(k, nullptr);
  unsigned char big[300];
  unsigned expected = 0;
  for (int i = 0; i < 300; ++i) expected += big[i] = static_cast<unsigned char>(i * 13 + 5);
  void* d = alloc(4 * sizeof(unsigned));
  for (int round = 0; round < 3; ++round) {  // a fresh device copy each launch
    big[0] = static_cast<unsigned char>(round);
    const unsigned sum = expected - static_cast<unsigned char>(5) + big[0];
    ASSERT_EQ(run(k, 1, 4, {&d, big}, {{0, 8, 8}, {8, 300, 4}}), 0) << ops_->last_error_message();
    std::vector<unsigned> out(4);
    ASSERT_EQ(ops_->memcpy(0, out.data(), d, 4 * sizeof(unsigned), 2), 0);
    for (unsigned v : out) EXPECT_EQ(v, sum) << "round " << round;
  }
  ops_->mem_free(0, d);
}

// Pointer parameters that point inside allocations: SVM pointers as they are; in buffer mode, buffer and offset.
TEST_F(OpenCLBackend, PointerParametersInsideAllocations) {
  cuport_kernel* k = kernel(module_, "_Z4vaddPKfS0_Pfi");
  ASSERT_NE(k, nullptr);
  const int n = 64;
  std::vector<float> a(n), b(n), c(n);
  for (int i = 0; i < n; ++i) {
    a[size_t(i)] = float(3 * i);
    b[size_t(i)] = float(-i);
  }
  const size_t bytes = (n + 64) * sizeof(float);
  char* da = static_cast<char*>(alloc(bytes));
  char* db = static_cast<char*>(alloc(bytes));
  char* dc = static_cast<char*>(alloc(bytes));
  void* pa = da + 8 * sizeof(float);
  void* pb = db + 20 * sizeof(float);
  void* pc = dc + 64 * sizeof(float);  // the last n elements
  ASSERT_EQ(ops_->memcpy(0, pa, a.data(), n * sizeof(float), 1), 0) << ops_->last_error_message();
  ASSERT_EQ(ops_->memcpy(0, pb, b.data(), n * sizeof(float), 1), 0) << ops_->last_error_message();
  int count = n;
  ASSERT_EQ(run(k, n / 16, 16, {&pa, &pb, &pc, &count}, kVaddParams, 64), 0) << ops_->last_error_message();
  ASSERT_EQ(ops_->memcpy(0, c.data(), pc, n * sizeof(float), 2), 0) << ops_->last_error_message();
  for (int i = 0; i < n; ++i) ASSERT_EQ(c[size_t(i)], vadd_expected(a, b, i)) << "element " << i;
  // Pointers one past the end are pointers too (nothing is accessed with n == 0).
  void* end_a = da + bytes;
  void* end_c = dc + bytes;
  count = 0;
  EXPECT_EQ(run(k, 1, 16, {&end_a, &end_a, &end_c, &count}, kVaddParams, 64), 0) << ops_->last_error_message();
  for (char* p : {da, db, dc}) ops_->mem_free(0, p);
}

// Device-to-device copies and fills at offsets inside allocations, in both directions of a buffer pair.
TEST_F(OpenCLBackend, CopiesAndFillsAtOffsets) {
  const size_t n = 4096;
  std::vector<unsigned char> in(n), out(n);
  for (size_t i = 0; i < n; ++i) in[i] = static_cast<unsigned char>(i * 31 + 7);
  char* x = static_cast<char*>(alloc(n));
  char* y = static_cast<char*>(alloc(n));
  ASSERT_EQ(ops_->memcpy(0, x, in.data(), n, 1), 0) << ops_->last_error_message();
  ASSERT_EQ(ops_->memset(0, y, 0, n), 0) << ops_->last_error_message();
  ASSERT_EQ(ops_->memcpy(0, y + 300, x + 1000, 777, 3), 0) << ops_->last_error_message();
  ASSERT_EQ(ops_->memset(0, y + 301, 0x5a, 3), 0) << ops_->last_error_message();
  ASSERT_EQ(ops_->memcpy(0, y + n - 1, x, 1, 3), 0) << ops_->last_error_message();  // the last byte
  ASSERT_EQ(ops_->memcpy(0, out.data(), y, n, 2), 0) << ops_->last_error_message();
  for (size_t i = 0; i < n; ++i) {
    unsigned char want = 0;
    if (i >= 301 && i < 304) want = 0x5a;
    else if (i >= 300 && i < 1077) want = in[i - 300 + 1000];
    else if (i == n - 1) want = in[0];
    ASSERT_EQ(out[i], want) << "byte " << i;
  }
  // Within one allocation.
  ASSERT_EQ(ops_->memcpy(0, x + 2048, x + 16, 1024, 3), 0) << ops_->last_error_message();
  ASSERT_EQ(ops_->memcpy(0, out.data(), x + 2048, 1024, 2), 0);
  for (size_t i = 0; i < 1024; ++i) ASSERT_EQ(out[i], in[16 + i]) << "byte " << i;
  if (buffer_mode_) {  // overlapping ranges (undefined in CUDA; SVM copies refuse them): like memmove
    ASSERT_EQ(ops_->memcpy(0, x + 10, x + 20, 100, 3), 0) << ops_->last_error_message();
    ASSERT_EQ(ops_->memcpy(0, out.data(), x + 10, 100, 2), 0);
    for (size_t i = 0; i < 100; ++i) ASSERT_EQ(out[i], in[20 + i]) << "byte " << i;
  }
  // A partial read at an offset.
  ASSERT_EQ(ops_->memcpy(0, out.data(), x + 4000, 96, 2), 0);
  for (size_t i = 0; i < 96; ++i) ASSERT_EQ(out[i], in[4000 + i]) << "byte " << i;
  ops_->mem_free(0, x);
  ops_->mem_free(0, y);
}

// Buffer mode translates every device address: one outside any allocation is an error, not a fault.
TEST_F(OpenCLBackend, BufferModeRejectsAddressesOutsideAllocations) {
  if (!buffer_mode_) GTEST_SKIP() << "buffer mode only (CUPORT_OPENCL_SVM=none)";
  const size_t n = 256;
  char* d = static_cast<char*>(alloc(n));
  char* e = static_cast<char*>(alloc(n));
  EXPECT_GE(reinterpret_cast<uintptr_t>(e) - reinterpret_cast<uintptr_t>(d), 2 * n);  // a gap between them
  std::vector<unsigned char> host(2 * n);
  EXPECT_EQ(ops_->memcpy(0, d + 1, host.data(), n, 1), 1);  // one byte too many: cudaErrorInvalidValue
  EXPECT_NE(std::string(ops_->last_error_message()).find("not inside one OpenCL device allocation"),
            std::string::npos)
      << ops_->last_error_message();
  EXPECT_EQ(ops_->memcpy(0, host.data(), d + n, 1, 2), 1);
  EXPECT_EQ(ops_->memcpy(0, e, d, n + 1, 3), 1);
  EXPECT_EQ(ops_->memset(0, d - 1, 0, 2), 1);
  EXPECT_EQ(ops_->memcpy(0, host.data(), host.data() + n, n, 1), 1);  // a host address as the destination

  cuport_kernel* k = kernel(module_, "_Z4vaddPKfS0_Pfi");
  ASSERT_NE(k, nullptr);
  int count = 0;
  void* past = d + n + 1;
  EXPECT_EQ(run(k, 1, 16, {&d, &d, &past, &count}, kVaddParams, 64), 1);  // cudaErrorInvalidValue
  std::string message = ops_->last_error_message();
  EXPECT_NE(message.find("parameter 2 of kernel vadd(float const*, float const*, float*, int) is 0x"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("not inside any allocation"), std::string::npos) << message;
  void* host_ptr = host.data();
  EXPECT_EQ(run(k, 1, 16, {&host_ptr, &d, &d, &count}, kVaddParams, 64), 1);
  message = ops_->last_error_message();
  EXPECT_NE(message.find("parameter 0 of kernel"), std::string::npos) << message;
  ops_->mem_free(0, e);
  void* freed = d;
  ops_->mem_free(0, d);
  EXPECT_EQ(run(k, 1, 16, {&freed, &freed, &freed, &count}, kVaddParams, 64), 1);  // freed memory is gone too
}

TEST_F(OpenCLBackend, ConcurrentLaunchesOfOneKernel) {
  cuport_kernel* k = kernel(module_, "_Z4vaddPKfS0_Pfi");
  ASSERT_NE(k, nullptr);
  constexpr int kThreads = 4, kRounds = 20, n = 512;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<float> a(n), b(n), c(n);
      for (int i = 0; i < n; ++i) {
        a[i] = float(t * 10000 + i);
        b[i] = float(t);
      }
      void *da = nullptr, *db = nullptr, *dc = nullptr;
      ops_->mem_alloc(0, n * sizeof(float), &da);
      ops_->mem_alloc(0, n * sizeof(float), &db);
      ops_->mem_alloc(0, n * sizeof(float), &dc);
      ops_->memcpy(0, da, a.data(), n * sizeof(float), 1);
      ops_->memcpy(0, db, b.data(), n * sizeof(float), 1);
      int count = n;
      const std::vector<cuport_param_info>& params = kVaddParams;
      for (int r = 0; r < kRounds; ++r) {
        if (run(k, n / 16, 16, {&da, &db, &dc, &count}, params, 64) != 0) ++failures[t];
        std::fill(c.begin(), c.end(), 0.0f);
        ops_->memcpy(0, c.data(), dc, n * sizeof(float), 2);
        for (int i = 0; i < n; ++i)
          if (c[i] != 2.0f * a[i / 16 * 16 + (i % 16 + 1) % 16] + float(t)) {
            ++failures[t];
            break;
          }
      }
      ops_->mem_free(0, da);
      ops_->mem_free(0, db);
      ops_->mem_free(0, dc);
    });
  }
  for (std::thread& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
  EXPECT_EQ(ops_->synchronize(0), 0);
}

TEST_F(OpenCLBackend, UnknownAndUnsupportedKernels) {
  cuport_kernel* k = nullptr;
  EXPECT_EQ(ops_->kernel_get(module_, "no_such_kernel", &k), 98);  // cudaErrorInvalidDeviceFunction
  EXPECT_EQ(ops_->kernel_get(module_, "needs_grid_sync", &k), 209);  // cudaErrorNoKernelImageForDevice
  const std::string message = ops_->last_error_message();
  EXPECT_NE(message.find("kernel needs_grid_sync cannot run on OpenCL devices: "
                         "cooperative_groups::grid_group::sync() needs a grid-wide barrier"),
            std::string::npos)
      << message;
}

TEST_F(OpenCLBackend, BrokenSourceIsInvalidPtxWithTheBuildLog) {
  const char broken[] = "//@cuport-opencl 2\n//@globals 16\n//@kernel k k 0 0 -\n"
                        "__kernel void k(__global uchar* g, __local uchar* d) { undeclared_thing = 1; }\n";
  cuport_module* m = nullptr;
  EXPECT_EQ(ops_->module_load(0, broken, sizeof broken - 1, &m), 218);  // cudaErrorInvalidPtx
  EXPECT_EQ(m, nullptr);
  const std::string message = ops_->last_error_message();
  EXPECT_EQ(message.rfind("OpenCL program build failed: ", 0), 0u) << message;
  EXPECT_NE(message.find("undeclared_thing"), std::string::npos) << message;
}

TEST_F(OpenCLBackend, MalformedMetadataIsAnInvalidImage) {
  const char* images[] = {
      "__kernel void k() {}\n",                                            // no header
      "//@cuport-opencl 1\n//@globals 16\n",                               // the old version
      "//@cuport-opencl 3\n//@globals 16\n",                               // an unknown version
      "//@cuport-opencl 2\n",                                              // no globals
      "//@cuport-opencl 2\n//@globals 8\n",                                // too small for the status word
      "//@cuport-opencl 2\n//@globals 16\n//@symbol x 12 8\n",             // outside the buffer
      "//@cuport-opencl 2\n//@globals 16\n//@init 0 0g\n",                 // not hex
      "//@cuport-opencl 2\n//@globals 16\n//@reloc 12 0\n",                // slot outside the buffer
      "//@cuport-opencl 2\n//@globals 16\n//@kernel a b 0 0 p,q\n",        // bad parameter kind
      "//@cuport-opencl 2\n//@globals 16\n//@svm-only\n",                  // no kernel name
  };
  for (const char* image : images) {
    cuport_module* m = nullptr;
    EXPECT_EQ(ops_->module_load(0, image, std::strlen(image), &m), 200) << image;  // cudaErrorInvalidKernelImage
    EXPECT_NE(std::string(ops_->last_error_message()), "") << image;
  }
}

// Last: it poisons the shared module (the status word stays set, like a CUDA context after an assert).
TEST_F(OpenCLBackend, ZZDeviceAssertIsStickyForTheModule) {
  cuport_kernel* k = kernel(module_, "fail_assert");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(run(k, 1, 8, {}, {}), 710) << ops_->last_error_message();  // cudaErrorAssert
  EXPECT_NE(std::string(ops_->last_error_message()).find("assert"), std::string::npos);
  cuport_kernel* vadd = kernel(module_, "_Z4vaddPKfS0_Pfi");
  void* d = alloc(64);
  int count = 0;
  const std::vector<cuport_param_info>& params = kVaddParams;
  EXPECT_EQ(run(vadd, 1, 16, {&d, &d, &d, &count}, params, 64), 710);
  ops_->mem_free(0, d);
}

}  // namespace

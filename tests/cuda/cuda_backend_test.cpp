// The CUDA plugin through the backend ABI alone (no libcuport, no cuport-cc), on the fake CUDA driver
// (fake_libcuda.cpp: one compute capability 7.0 device, a CUDA 12.2 driver), with the hand-written PTX of
// test_kernels_ptx.h.  The fake refuses memory, module and launch calls without a current context, so every
// passing call also shows that the backend made its primary context current on the calling thread.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "../fake_vendor/plugin_test.h"
#include "test_kernels_ptx.h"

namespace {

using cuport_fake_test::contains;

std::string g_log;  // FAKE_CUDA_LOG

const cuport_backend_ops* ops() {
  static const cuport_backend_ops* o = cuport_fake_test::load_plugin(
      {"cuda", CUPORT_CUDA_PLUGIN, "CUPORT_CUDA_DRIVER", CUPORT_FAKE_CUDA_DRIVER, "FAKE_CUDA_LOG",
       {"FAKE_CUDA_CC", "FAKE_CUDA_DEVICES", "FAKE_CUDA_CORRUPT_COPIES", "FAKE_CUDA_FAULT", "FAKE_CUDA_DRIVER_VERSION",
        "FAKE_CUDA_PTX_VERSION", "FAKE_CUDA_MANAGED"}},
      &g_log);
  return o;
}

// The fake's log lines that start with `prefix`.
std::vector<std::string> log_lines(const std::string& prefix = "cuLaunchKernel ") {
  return cuport_fake_test::read_lines(g_log, prefix);
}

std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

class CudaBackend : public ::testing::Test {
 protected:
  void SetUp() override {
    o_ = ops();
    ASSERT_NE(o_, nullptr) << "cannot load " << CUPORT_CUDA_PLUGIN << " with " << CUPORT_FAKE_CUDA_DRIVER;
    ASSERT_EQ(o_->device_count(), 1) << o_->last_error_message();
  }
  cuport_module* load(const std::string& ptx, int* status) {
    cuport_module* m = nullptr;
    *status = o_->module_load(0, ptx.data(), ptx.size(), &m);
    return m;
  }
  cuport_module* load_kernels() {
    int st = -1;
    cuport_module* m = load(cuport_cuda_test::kKernelsPtx, &st);
    EXPECT_EQ(st, 0) << o_->last_error_message();
    return m;
  }
  static cuport_launch config(uint32_t grid, uint32_t block, size_t shared = 0) {
    cuport_launch l{};
    for (int i = 0; i < 3; ++i) l.grid[i] = l.block[i] = 1;
    l.grid[0] = grid;
    l.block[0] = block;
    l.dynamic_shared = shared;
    return l;
  }
  const cuport_backend_ops* o_ = nullptr;
};

TEST_F(CudaBackend, NameTargetAndProperties) {
  EXPECT_STREQ(o_->name, "cuda");
  EXPECT_STREQ(o_->image_target, "nvptx64-ptx");
  cuport_device_props p;
  ASSERT_EQ(o_->device_props(0, &p), 0);
  EXPECT_STREQ(p.name, "cuport fake CUDA device");
  EXPECT_EQ(p.major, 7);
  EXPECT_EQ(p.minor, 0);
  EXPECT_EQ(p.warp_size, 32);
  EXPECT_EQ(p.total_global_mem, uint64_t(16) << 30);
  EXPECT_EQ(p.shared_mem_per_block, 48u * 1024);
  EXPECT_EQ(p.shared_mem_per_block_optin, 96u * 1024);
  EXPECT_EQ(p.total_const_mem, 65536u);
  EXPECT_EQ(p.regs_per_block, 65536);
  EXPECT_EQ(p.multiprocessor_count, 80);
  EXPECT_EQ(p.max_threads_per_block, 1024);
  EXPECT_EQ(p.max_threads_dim[2], 64);
  EXPECT_EQ(p.max_grid_size[0], 2147483647);
  EXPECT_EQ(p.max_grid_size[1], 65535);
  EXPECT_EQ(p.clock_rate_khz, 1530000);
  EXPECT_EQ(p.memory_clock_rate_khz, 877000);
  EXPECT_EQ(p.memory_bus_width, 4096);
  EXPECT_EQ(p.l2_cache_size, 6 * 1024 * 1024);
  EXPECT_EQ(p.async_engine_count, 3);
  EXPECT_EQ(p.concurrent_kernels, 1);
  EXPECT_EQ(p.unified_addressing, 1);
  EXPECT_EQ(p.managed_memory, 1);
  EXPECT_EQ(p.can_map_host_memory, 0);  // libcuport maps host memory only on host-memory devices
  EXPECT_EQ(p.integrated, 0);
  EXPECT_EQ(p.is_host_memory, 0);
  EXPECT_EQ(p.max_param_size, 32764u);  // a CUDA 12.2 driver and a Volta device
  EXPECT_NE(o_->device_props(1, &p), 0);
}

TEST_F(CudaBackend, MemoryRoundTrip) { cuport_fake_test::check_memory_round_trip(o_, size_t(16) << 30); }

TEST_F(CudaBackend, CopyAndFreeErrors) {
  cuport_fake_test::check_copy_and_free_errors(o_, "cuMemcpyAsync(128 bytes): CUDA_ERROR_INVALID_VALUE (1)",
                                               "CUDA_ERROR_OUT_OF_MEMORY");
}

TEST_F(CudaBackend, ManagedMemory) { cuport_fake_test::check_managed_memory(o_); }

TEST_F(CudaBackend, KernelsVariablesAndLaunches) {
  cuport_module* m = load_kernels();
  ASSERT_NE(m, nullptr);
  cuport_kernel* k = nullptr;  // add_shared: its static shared memory is the demoted __shared__ int tile[64]
  ASSERT_NO_FATAL_FAILURE(cuport_fake_test::check_kernels(
      o_, m, {"kernel missing() is not in the PTX image", "CUDA_ERROR_NOT_FOUND"}, &k));

  // Variables: initializers (bytes, a u32, an f64 in .const), a zeroed array, and one that does not exist.
  void* scratch = nullptr;
  ASSERT_NO_FATAL_FAILURE(cuport_fake_test::check_variables(o_, m, &scratch));
  EXPECT_TRUE(contains(o_->last_error_message(), "cuModuleGetGlobal_v2(nothing): CUDA_ERROR_NOT_FOUND"))
      << o_->last_error_message();
  size_t size = 0;
  void* flag = nullptr;
  ASSERT_EQ(o_->symbol_get(m, "flag", &flag, &size), 0);
  ASSERT_EQ(size, 4u);
  unsigned flag_value = 0;
  ASSERT_EQ(o_->memcpy(0, &flag_value, flag, 4, 2), 0);
  EXPECT_EQ(flag_value, 7u);
  void* factor = nullptr;
  ASSERT_EQ(o_->symbol_get(m, "scale_factor", &factor, &size), 0);
  ASSERT_EQ(size, 8u);
  double factor_value = 0;
  ASSERT_EQ(o_->memcpy(0, &factor_value, factor, 8, 2), 0);
  EXPECT_EQ(factor_value, 2.0);
  const int patch = -5;
  ASSERT_EQ(o_->memcpy(0, static_cast<char*>(scratch) + 1020, &patch, 4, 1), 0) << o_->last_error_message();

  // A launch reaches the driver with CUDA's configuration, a per-thread non-blocking stream, and the
  // runtime's argument array unchanged.
  void* buffer = nullptr;
  ASSERT_EQ(o_->mem_alloc(0, 256, &buffer), 0);
  std::string line;
  ASSERT_NO_FATAL_FAILURE(cuport_fake_test::check_add_shared_launch(
      o_, k, buffer, [] { return log_lines(); }, "cuLaunchKernel", "stream=0(", &line));
  EXPECT_TRUE(contains(line, "(non-blocking) args=(" + hex(reinterpret_cast<uintptr_t>(buffer)) + ",0x5)")) << line;

  // A 40-byte struct by value, and a kernel without parameters.
  cuport_kernel* big = nullptr;
  ASSERT_EQ(o_->kernel_get(m, "_Z7big_arg1S", &big), 0) << o_->last_error_message();
  size_t shared = 0;
  ASSERT_EQ(o_->kernel_static_shared(big, &shared), 0);
  EXPECT_EQ(shared, 128u);  // the module-scope .shared array its body names (the extern one does not count)
  unsigned char s[40];
  for (int i = 0; i < 40; ++i) s[i] = static_cast<unsigned char>(i + 1);
  void* big_args[1] = {s};
  cuport_launch l = config(1, 32);
  l.args = big_args;
  l.param_count = 1;
  ASSERT_EQ(o_->launch(0, big, &l), 0) << o_->last_error_message();
  std::string bytes;  // the struct as one little-endian number: byte 39 (0x28) first
  for (int i = 39; i >= 0; --i) bytes += hex(s[i]).substr(2).insert(0, s[i] < 16 ? "0" : "");
  EXPECT_TRUE(contains(log_lines().back(), "args=(0x" + bytes + ")")) << log_lines().back();
  cuport_kernel* none = nullptr;
  ASSERT_EQ(o_->kernel_get(m, "_Z9no_paramsv", &none), 0);
  l = config(1, 1);
  ASSERT_EQ(o_->launch(0, none, &l), 0) << o_->last_error_message();
  EXPECT_TRUE(contains(log_lines().back(), "cuLaunchKernel _Z9no_paramsv grid=(1,1,1) block=(1,1,1) shared=0 "))
      << log_lines().back();
  EXPECT_EQ(o_->synchronize(0), 0);
  EXPECT_EQ(o_->mem_free(0, buffer), 0);
  EXPECT_EQ(o_->module_unload(m), 0);
}

// The driver wants a NUL-terminated image; the fat binary's need not be, and nothing after `size` is read.
TEST_F(CudaBackend, ImageWithoutNulTerminator) {
  std::string image = cuport_cuda_test::kKernelsPtx;
  const size_t size = image.size();
  image += "\n.visible .entry _Z5bogusv()\n{\n\tret;\n}\n";  // beyond `size`: must not be seen
  int st = -1;
  cuport_module* m = nullptr;
  st = o_->module_load(0, image.data(), size, &m);
  ASSERT_EQ(st, 0) << o_->last_error_message();
  cuport_kernel* k = nullptr;
  EXPECT_EQ(o_->kernel_get(m, "_Z9no_paramsv", &k), 0) << o_->last_error_message();
  EXPECT_EQ(o_->kernel_get(m, "_Z5bogusv", &k), 98);
  EXPECT_EQ(o_->module_unload(m), 0);
  // With the NUL inside `size` (and bytes after it), the text ends at the NUL.
  std::string with_nul = std::string(cuport_cuda_test::kKernelsPtx) + '\0' + "garbage";
  m = nullptr;
  ASSERT_EQ(o_->module_load(0, with_nul.data(), with_nul.size(), &m), 0) << o_->last_error_message();
  EXPECT_EQ(o_->module_unload(m), 0);
}

// More than 48 KiB of shared memory: the backend raises the kernel's limit first, and only when needed.
TEST_F(CudaBackend, LargeDynamicSharedMemory) {
  cuport_module* m = load_kernels();
  ASSERT_NE(m, nullptr);
  cuport_kernel* k = nullptr;
  ASSERT_EQ(o_->kernel_get(m, "_Z9no_paramsv", &k), 0);
  const size_t raised = log_lines("cuFuncSetAttribute ").size();
  cuport_launch l = config(1, 32, 48 * 1024);
  ASSERT_EQ(o_->launch(0, k, &l), 0) << o_->last_error_message();
  EXPECT_EQ(log_lines("cuFuncSetAttribute ").size(), raised);  // 48 KiB is the default limit
  l.dynamic_shared = 64 * 1024;
  ASSERT_EQ(o_->launch(0, k, &l), 0) << o_->last_error_message();
  std::vector<std::string> set = log_lines("cuFuncSetAttribute ");
  ASSERT_EQ(set.size(), raised + 1);
  EXPECT_EQ(set.back(), "cuFuncSetAttribute _Z9no_paramsv MAX_DYNAMIC_SHARED_SIZE_BYTES=65536");
  EXPECT_TRUE(contains(log_lines().back(), " shared=65536 ")) << log_lines().back();
  l.dynamic_shared = 50 * 1024;  // under the raised limit: no new call
  ASSERT_EQ(o_->launch(0, k, &l), 0) << o_->last_error_message();
  EXPECT_EQ(log_lines("cuFuncSetAttribute ").size(), raised + 1);

  // With 128 bytes of static shared memory, 48 KiB of dynamic memory is already over the default.
  cuport_kernel* big = nullptr;
  ASSERT_EQ(o_->kernel_get(m, "_Z7big_arg1S", &big), 0);
  unsigned char s[40] = {};
  void* args[1] = {s};
  l = config(1, 32, 48 * 1024);
  l.args = args;
  l.param_count = 1;
  ASSERT_EQ(o_->launch(0, big, &l), 0) << o_->last_error_message();
  EXPECT_EQ(log_lines("cuFuncSetAttribute ").back(), "cuFuncSetAttribute _Z7big_arg1S MAX_DYNAMIC_SHARED_SIZE_BYTES=49152");
  // Beyond the device's opt-in maximum the driver refuses (the runtime checks this before a launch).
  l.dynamic_shared = 96 * 1024;
  EXPECT_EQ(o_->launch(0, big, &l), 1);
  EXPECT_TRUE(contains(o_->last_error_message(), "cuFuncSetAttribute(CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES"))
      << o_->last_error_message();
  EXPECT_EQ(o_->module_unload(m), 0);
}

// Each host thread (a runtime stream worker) launches on its own non-blocking stream, with the device's
// context made current on that thread, so streams overlap on a GPU.
TEST_F(CudaBackend, ThreadsLaunchOnTheirOwnStreams) {
  cuport_module* m = load_kernels();
  ASSERT_NE(m, nullptr);
  cuport_kernel* k = nullptr;
  ASSERT_EQ(o_->kernel_get(m, "_Z9no_paramsv", &k), 0) << o_->last_error_message();
  cuport_fake_test::check_threads_launch_on_their_own_streams(o_, k, [] { return log_lines(); }, "(non-blocking)");
  EXPECT_EQ(o_->module_unload(m), 0);
}

// cuport-cc lists the kernels it left out of the PTX on "// cuport-unsupported" lines; an image may hold no
// PTX code at all (every kernel left out): an empty module.
TEST_F(CudaBackend, UnsupportedKernelsAndEmptyModules) {
  int st = -1;
  cuport_module* empty = load("//\n// cuport-unsupported _Z4heapPi heap.cu:2:49: the reason for heap\n", &st);
  ASSERT_EQ(st, 0) << o_->last_error_message();
  cuport_kernel* k = nullptr;
  testing::internal::CaptureStderr();
  EXPECT_EQ(o_->kernel_get(empty, "_Z4heapPi", &k), 209);
  EXPECT_EQ(o_->kernel_get(empty, "_Z4heapPi", &k), 209);
  const std::string printed = testing::internal::GetCapturedStderr();
  EXPECT_STREQ(o_->last_error_message(), "kernel heap(int*) cannot run on Nvidia GPUs: heap.cu:2:49: the reason for heap");
  EXPECT_EQ(printed, "cuport: cuda: kernel heap(int*) cannot run on Nvidia GPUs: heap.cu:2:49: the reason for heap\n");
  EXPECT_EQ(o_->kernel_get(empty, "_Z5otherv", &k), 98);
  void* p = nullptr;
  size_t size = 0;
  EXPECT_EQ(o_->symbol_get(empty, "counter", &p, &size), 500);
  EXPECT_EQ(o_->module_unload(empty), 0);

  cuport_module* m = load_kernels();
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(o_->kernel_get(m, "_Z4mathPf", &k), 209);
  EXPECT_STREQ(o_->last_error_message(), "kernel math(float*) cannot run on Nvidia GPUs: math.cu:3:10: sinf has no PTX "
                                         "definition");
  EXPECT_EQ(o_->kernel_get(m, "_Z10add_sharedPii", &k), 0) << o_->last_error_message();
  EXPECT_EQ(o_->module_unload(m), 0);
}

// A JIT failure carries the driver's error log; each driver error maps to CUDA's runtime error.
TEST_F(CudaBackend, JitErrorsCarryTheDriversLog) {
  const std::string ptx = cuport_cuda_test::kKernelsPtx;
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string s = ptx;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  int st = -1;
  EXPECT_EQ(load(replaced(".target sm_70", ".target sm_90"), &st), nullptr);
  EXPECT_EQ(st, 218);  // CUDA_ERROR_INVALID_PTX -> cudaErrorInvalidPtx
  std::string message = o_->last_error_message();
  EXPECT_TRUE(contains(message, "cuModuleLoadDataEx (PTX, ")) << message;
  EXPECT_TRUE(contains(message, "for cuport fake CUDA device, compute capability 7.0, driver for CUDA 12.2): CUDA_ERROR_INVALID_PTX (218): "
                                "a PTX JIT compilation failed; JIT log: ptxas fatal   : SM version specified by "
                                ".target is higher than default SM version assumed"))
      << message;
  EXPECT_EQ(load(replaced(".version 7.0", ".version 9.9"), &st), nullptr);
  EXPECT_EQ(st, 222);  // CUDA_ERROR_UNSUPPORTED_PTX_VERSION -> cudaErrorUnsupportedPtxVersion
  EXPECT_TRUE(contains(o_->last_error_message(), "JIT log: ptxas application ptx input, line 1; fatal   : "
                                                 "Unsupported .version 9.9; current version is '8.2'"))
      << o_->last_error_message();
  EXPECT_EQ(load(replaced(".version 7.0", ""), &st), nullptr);
  EXPECT_EQ(st, 218);
  EXPECT_TRUE(contains(o_->last_error_message(), "Missing .version directive")) << o_->last_error_message();
  EXPECT_EQ(load(ptx.substr(0, ptx.rfind('}')), &st), nullptr);  // an unclosed body
  EXPECT_EQ(st, 218);
  const char binary[] = "\x7f" "ELF\x02\x01\x01";
  cuport_module* m = nullptr;
  EXPECT_EQ(o_->module_load(0, binary, sizeof binary, &m), 200);  // CUDA_ERROR_INVALID_IMAGE
}

// Faults a kernel raises come back from the wait on its stream, mapped to CUDA's numbers (unknown ones are
// cudaErrorUnknown with the driver's name for them).
TEST_F(CudaBackend, KernelFaultsMapToCudaErrors) {
  cuport_module* m = load_kernels();
  ASSERT_NE(m, nullptr);
  cuport_kernel* k = nullptr;
  ASSERT_EQ(o_->kernel_get(m, "_Z9no_paramsv", &k), 0);
  cuport_launch l = config(1, 32);
  const struct {
    int driver, runtime;
    const char* name;
  } kCases[] = {{700, 700, "CUDA_ERROR_ILLEGAL_ADDRESS (700)"},      {710, 710, "CUDA_ERROR_ASSERT (710)"},
                {719, 719, "CUDA_ERROR_LAUNCH_FAILED (719)"},        {701, 701, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES"},
                {801, 801, "CUDA_ERROR_NOT_SUPPORTED (801)"},        {999, 999, "CUDA_ERROR_UNKNOWN (999)"},
                {12345, 999, "CUresult 12345"}};
  for (const auto& c : kCases) {
    setenv("FAKE_CUDA_FAULT", ("_Z9no_paramsv=" + std::to_string(c.driver)).c_str(), 1);
    EXPECT_EQ(o_->launch(0, k, &l), c.runtime) << c.name;
    EXPECT_TRUE(contains(o_->last_error_message(), std::string("kernel no_params(): ") + c.name))
        << o_->last_error_message();
  }
  unsetenv("FAKE_CUDA_FAULT");
  EXPECT_EQ(o_->launch(0, k, &l), 0) << o_->last_error_message();
  EXPECT_EQ(o_->module_unload(m), 0);
}

// Unloading the backend while the process goes on releases the primary context it retained.  (Last: the
// backend is shut down afterwards.)
TEST_F(CudaBackend, ShutdownReleasesThePrimaryContext) {
  void* lib = dlopen(CUPORT_FAKE_CUDA_DRIVER, RTLD_NOW | RTLD_NOLOAD);
  ASSERT_NE(lib, nullptr);
  auto refcount = reinterpret_cast<int (*)(int)>(dlsym(lib, "fake_cuda_primary_context_refcount"));
  ASSERT_NE(refcount, nullptr);
  void* p = nullptr;
  ASSERT_EQ(o_->mem_alloc(0, 64, &p), 0);  // the device is in use
  ASSERT_EQ(o_->mem_free(0, p), 0);
  EXPECT_EQ(refcount(0), 1);
  o_->shutdown();
  EXPECT_EQ(refcount(0), 0);
  dlclose(lib);
}

}  // namespace

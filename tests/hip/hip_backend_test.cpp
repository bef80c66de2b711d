// The HIP plugin through the backend ABI alone (no libcuport, no cuport-cc), on the fake HIP runtime
// (fake_amdhip64.cpp, device gfx1100), with real AMDGPU code objects that clang-15 built from
// test_kernels.hip for gfx90a and gfx1100, bundled here.  The fake refuses a code object for another
// processor, so a load that succeeds shows the backend picked the device's entry.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <cuport/backend.h>

#include "bundle_writer.h"

namespace {

std::string g_log;  // FAKE_HIP_LOG

const cuport_backend_ops* ops() {
  static const cuport_backend_ops* o = [] {
    char dir[] = "/tmp/cuport-hip-test-XXXXXX";
    if (!mkdtemp(dir)) return static_cast<const cuport_backend_ops*>(nullptr);
    g_log = std::string(dir) + "/launches.log";
    setenv("CUPORT_HIP_LIBRARY", CUPORT_FAKE_HIP_LIBRARY, 1);
    setenv("FAKE_HIP_LOG", g_log.c_str(), 1);
    unsetenv("FAKE_HIP_ARCH");
    unsetenv("FAKE_HIP_DEVICES");
    unsetenv("FAKE_HIP_CORRUPT_COPIES");
    void* h = dlopen(CUPORT_HIP_PLUGIN, RTLD_NOW | RTLD_LOCAL);
    if (!h) return static_cast<const cuport_backend_ops*>(nullptr);
    auto get = reinterpret_cast<cuport_backend_ops_get_fn>(dlsym(h, "cuport_backend_ops_get"));
    const cuport_backend_ops* table = get ? get() : nullptr;
    if (!table || table->init() != 0) return static_cast<const cuport_backend_ops*>(nullptr);
    return table;
  }();
  return o;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<std::string> log_lines() {
  std::vector<std::string> lines;
  std::istringstream in(read_file(g_log));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The test kernels for `arch`, or "" when this build could not compile them.
std::string code_object(const std::string& arch) {
  const std::string dir = CUPORT_TEST_CODE_OBJECT_DIR;
  return dir.empty() ? std::string() : read_file(dir + "/test_kernels_" + arch + ".co");
}

class HipBackend : public ::testing::Test {
 protected:
  void SetUp() override {
    o_ = ops();
    ASSERT_NE(o_, nullptr) << "cannot load " << CUPORT_HIP_PLUGIN << " with " << CUPORT_FAKE_HIP_LIBRARY;
    ASSERT_EQ(o_->device_count(), 1) << o_->last_error_message();
  }
  void need_code_objects() {
    if (code_object("gfx1100").empty() || code_object("gfx90a").empty())
      GTEST_SKIP() << "clang-15 could not build AMDGPU code objects here (no AMDGPU target)";
  }
  cuport_module* load(const std::vector<unsigned char>& bundle, int* status) {
    cuport_module* m = nullptr;
    *status = o_->module_load(0, bundle.data(), bundle.size(), &m);
    return m;
  }
  std::vector<unsigned char> typical_bundle() {
    return cuport_hip_test::write_bundle({{"host-x86_64-unknown-linux--", ""},
                                          {"hipv4-amdgcn-amd-amdhsa--gfx90a", code_object("gfx90a")},
                                          {"hipv4-amdgcn-amd-amdhsa--gfx1100", code_object("gfx1100")}});
  }
  const cuport_backend_ops* o_ = nullptr;
};

TEST_F(HipBackend, NameTargetAndProperties) {
  EXPECT_STREQ(o_->name, "hip");
  EXPECT_STREQ(o_->image_target, "amdgcn-amd-amdhsa");
  cuport_device_props p;
  ASSERT_EQ(o_->device_props(0, &p), 0);
  EXPECT_STREQ(p.name, "cuport fake HIP device");
  EXPECT_EQ(p.warp_size, 32);  // the fake says 64, like a wave64 GPU
  EXPECT_EQ(p.major, 7);
  EXPECT_EQ(p.minor, 0);
  EXPECT_EQ(p.total_global_mem, uint64_t(4) << 30);
  EXPECT_EQ(p.shared_mem_per_block, 48u * 1024);
  EXPECT_EQ(p.shared_mem_per_block_optin, 64u * 1024);
  EXPECT_EQ(p.multiprocessor_count, 48);
  EXPECT_EQ(p.max_threads_per_block, 1024);
  EXPECT_EQ(p.max_threads_dim[2], 64);
  EXPECT_EQ(p.max_grid_size[1], 65535);
  EXPECT_EQ(p.clock_rate_khz, 2100000);
  EXPECT_EQ(p.is_host_memory, 0);
  EXPECT_EQ(p.unified_addressing, 1);
  EXPECT_EQ(p.managed_memory, 1);
  EXPECT_EQ(p.max_param_size, 4096u);
  EXPECT_NE(o_->device_props(1, &p), 0);
}

TEST_F(HipBackend, MemoryRoundTrip) {
  const size_t n = 1 << 16;
  std::vector<unsigned char> in(n), out(n, 0);
  for (size_t i = 0; i < n; ++i) in[i] = static_cast<unsigned char>(i * 7 + 3);
  void *a = nullptr, *b = nullptr;
  ASSERT_EQ(o_->mem_alloc(0, n, &a), 0);
  ASSERT_EQ(o_->mem_alloc(0, n, &b), 0);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 256, 0u);
  ASSERT_EQ(o_->memcpy(0, a, in.data(), n, 1), 0) << o_->last_error_message();
  ASSERT_EQ(o_->memcpy(0, b, a, n, 3), 0) << o_->last_error_message();
  ASSERT_EQ(o_->memset(0, static_cast<char*>(b) + 100, 0x5a, 50), 0) << o_->last_error_message();
  ASSERT_EQ(o_->memcpy(0, out.data(), b, n, 2), 0) << o_->last_error_message();
  for (size_t i = 0; i < n; ++i)
    ASSERT_EQ(out[i], i >= 100 && i < 150 ? 0x5a : in[i]) << "byte " << i;
  size_t free_bytes = 0, total = 0;
  ASSERT_EQ(o_->mem_info(0, &free_bytes, &total), 0);
  EXPECT_EQ(total, size_t(4) << 30);
  EXPECT_LE(free_bytes, total - 2 * n);
  void* none = &none;
  EXPECT_EQ(o_->mem_alloc(0, 0, &none), 0);
  EXPECT_EQ(none, nullptr);
  EXPECT_EQ(o_->mem_free(0, a), 0);
  EXPECT_EQ(o_->mem_free(0, b), 0);
}

TEST_F(HipBackend, CopyAndFreeErrors) {
  void* a = nullptr;
  ASSERT_EQ(o_->mem_alloc(0, 64, &a), 0);
  char host[128] = {};
  EXPECT_EQ(o_->memcpy(0, a, host, 64, 7), 21);                 // cudaErrorInvalidMemcpyDirection
  EXPECT_EQ(o_->memcpy(0, a, host, 128, 1), 1);                 // past the allocation: HIP says invalid value
  EXPECT_NE(std::string(o_->last_error_message()).find("hipErrorInvalidValue"), std::string::npos)
      << o_->last_error_message();
  EXPECT_EQ(o_->memcpy(0, host, host + 64, 64, 0), 0);          // host to host
  EXPECT_EQ(o_->mem_free(0, host), 1);
  EXPECT_EQ(o_->mem_free(0, a), 0);
}

TEST_F(HipBackend, ManagedMemory) {
  void* p = nullptr;
  ASSERT_TRUE(CUPORT_BACKEND_HAS(o_, mem_alloc_shared));
  ASSERT_EQ(o_->mem_alloc_shared(0, 4096, &p), 0) << o_->last_error_message();
  std::memset(p, 0x11, 4096);  // host access: managed memory
  unsigned char back = 0;
  ASSERT_EQ(o_->memcpy(0, &back, static_cast<char*>(p) + 4095, 1, 2), 0);
  EXPECT_EQ(back, 0x11);
  EXPECT_EQ(o_->mem_free(0, p), 0);
}

TEST_F(HipBackend, LoadsTheDevicesCodeObject) {
  need_code_objects();
  int st = -1;
  cuport_module* m = load(typical_bundle(), &st);
  ASSERT_EQ(st, 0) << o_->last_error_message();
  cuport_kernel* k = nullptr;
  ASSERT_EQ(o_->kernel_get(m, "_Z10add_sharedPii", &k), 0) << o_->last_error_message();
  cuport_kernel* again = nullptr;
  ASSERT_EQ(o_->kernel_get(m, "_Z10add_sharedPii", &again), 0);
  EXPECT_EQ(k, again);
  size_t shared = 0;
  ASSERT_EQ(o_->kernel_static_shared(k, &shared), 0);
  EXPECT_EQ(shared, 256u);  // __shared__ int tile[64]
  cuport_kernel* missing = nullptr;
  EXPECT_EQ(o_->kernel_get(m, "_Z7missingv", &missing), 98);
  EXPECT_NE(std::string(o_->last_error_message()).find("missing()"), std::string::npos) << o_->last_error_message();

  // Variables: the initializer of `counter`, and a copy into `scratch`.
  void* counter = nullptr;
  size_t size = 0;
  ASSERT_EQ(o_->symbol_get(m, "counter", &counter, &size), 0) << o_->last_error_message();
  ASSERT_EQ(size, 16u);
  int values[4] = {};
  ASSERT_EQ(o_->memcpy(0, values, counter, sizeof values, 2), 0) << o_->last_error_message();
  EXPECT_EQ(values[0], 1);
  EXPECT_EQ(values[3], 4);
  void* scratch = nullptr;
  ASSERT_EQ(o_->symbol_get(m, "scratch", &scratch, &size), 0);
  EXPECT_EQ(size, 1024u);
  EXPECT_EQ(o_->symbol_get(m, "nothing", &scratch, &size), 500);

  // A launch reaches HIP with CUDA's configuration and the runtime's argument array.
  void* buffer = nullptr;
  ASSERT_EQ(o_->mem_alloc(0, 256, &buffer), 0);
  int v = 5;
  void* args[2] = {&buffer, &v};
  cuport_launch l{};
  l.grid[0] = 3;
  l.grid[1] = 2;
  l.grid[2] = 1;
  l.block[0] = 64;
  l.block[1] = 1;
  l.block[2] = 1;
  l.dynamic_shared = 128;
  l.args = args;
  l.param_count = 2;
  ASSERT_EQ(o_->launch(0, k, &l), 0) << o_->last_error_message();
  const std::vector<std::string> lines = log_lines();
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back().rfind("hipModuleLaunchKernel _Z10add_sharedPii grid=(3,2,1) block=(64,1,1) shared=128 stream=",
                               0),
            0u)
      << lines.back();
  EXPECT_EQ(lines.back().find("stream=0"), std::string::npos) << "launched on the null stream: " << lines.back();
  EXPECT_EQ(o_->synchronize(0), 0);
  EXPECT_EQ(o_->mem_free(0, buffer), 0);
  EXPECT_EQ(o_->module_unload(m), 0);
}

// Each host thread (a runtime stream worker) launches on its own HIP stream, so streams overlap on a GPU.
TEST_F(HipBackend, ThreadsLaunchOnTheirOwnStreams) {
  need_code_objects();
  int st = -1;
  cuport_module* m = load(typical_bundle(), &st);
  ASSERT_EQ(st, 0) << o_->last_error_message();
  cuport_kernel* k = nullptr;
  ASSERT_EQ(o_->kernel_get(m, "_Z9no_paramsv", &k), 0) << o_->last_error_message();
  const size_t before = log_lines().size();
  std::vector<std::thread> threads;
  std::vector<int> results(4, -1);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      cuport_launch l{};
      for (int i = 0; i < 3; ++i) l.grid[i] = l.block[i] = 1;
      l.block[0] = 256;
      results[size_t(t)] = o_->launch(0, k, &l);
    });
  for (std::thread& t : threads) t.join();
  for (int r : results) EXPECT_EQ(r, 0);
  const std::vector<std::string> lines = log_lines();
  ASSERT_EQ(lines.size(), before + 4);
  std::set<std::string> streams;
  for (size_t i = before; i < lines.size(); ++i) streams.insert(lines[i].substr(lines[i].find("stream=")));
  EXPECT_EQ(streams.size(), 4u);
  EXPECT_EQ(o_->module_unload(m), 0);
}

TEST_F(HipBackend, NoCodeObjectForTheDevice) {
  const std::vector<unsigned char> bundle = cuport_hip_test::write_bundle(
      {{"host-x86_64-unknown-linux--", ""}, {"hipv4-amdgcn-amd-amdhsa--gfx90a", "not checked"},
       {"hipv4-amdgcn-amd-amdhsa--gfx906", "not checked"}});
  int st = -1;
  EXPECT_EQ(load(bundle, &st), nullptr);
  EXPECT_EQ(st, 209);
  EXPECT_STREQ(o_->last_error_message(), "no code object for gfx1100 in this program (it has: gfx90a, gfx906); "
                                         "recompile with cuport-cc --offload-arch=gfx1100");
}

// cuport-cc lists the kernels it left out of the code objects in a "cuport-unsupported" entry; a bundle may
// hold no code object at all (every kernel left out, or no device code): an empty module.
TEST_F(HipBackend, UnsupportedKernelsAndEmptyModules) {
  int st = -1;
  cuport_module* empty = load(cuport_hip_test::write_bundle(
                                  {{"host-x86_64-unknown-linux--", ""},
                                   {"cuport-unsupported", "_Z4heapPi heap.cu:2:49: device-side malloc() is not "
                                                          "supported on AMDGPU yet\n"}}),
                              &st);
  ASSERT_EQ(st, 0) << o_->last_error_message();
  cuport_kernel* k = nullptr;
  EXPECT_EQ(o_->kernel_get(empty, "_Z4heapPi", &k), 209);
  EXPECT_STREQ(o_->last_error_message(),
               "kernel heap(int*) cannot run on AMDGPU: heap.cu:2:49: device-side malloc() is not supported on AMDGPU yet");
  EXPECT_EQ(o_->kernel_get(empty, "_Z5otherv", &k), 98);
  void* p = nullptr;
  size_t size = 0;
  EXPECT_EQ(o_->symbol_get(empty, "counter", &p, &size), 500);
  EXPECT_EQ(o_->module_unload(empty), 0);

  need_code_objects();
  cuport_module* m = load(cuport_hip_test::write_bundle({{"hipv4-amdgcn-amd-amdhsa--gfx1100", code_object("gfx1100")},
                                                         {"cuport-unsupported", "_Z4heapPi heap.cu:2:49: malloc\n"}}),
                          &st);
  ASSERT_EQ(st, 0) << o_->last_error_message();
  EXPECT_EQ(o_->kernel_get(m, "_Z4heapPi", &k), 209);
  EXPECT_EQ(o_->kernel_get(m, "_Z10add_sharedPii", &k), 0) << o_->last_error_message();
  EXPECT_EQ(o_->module_unload(m), 0);
}

TEST_F(HipBackend, HipErrorsMapToCudaErrors) {
  need_code_objects();
  int st = -1;
  // The gfx90a code object under gfx1100's id: HIP refuses it (hipErrorNoBinaryForGpu -> 209).
  EXPECT_EQ(load(cuport_hip_test::write_bundle({{"hipv4-amdgcn-amd-amdhsa--gfx1100", code_object("gfx90a")}}), &st),
            nullptr);
  EXPECT_EQ(st, 209);
  EXPECT_NE(std::string(o_->last_error_message()).find("hipErrorNoBinaryForGpu"), std::string::npos)
      << o_->last_error_message();
  // Not an ELF file: hipErrorInvalidImage -> cudaErrorInvalidKernelImage.
  EXPECT_EQ(load(cuport_hip_test::write_bundle({{"hipv4-amdgcn-amd-amdhsa--gfx1100", std::string(64, 'x')}}), &st),
            nullptr);
  EXPECT_EQ(st, 200);
}

TEST_F(HipBackend, MalformedBundle) {
  std::vector<unsigned char> bundle =
      cuport_hip_test::write_bundle({{"hipv4-amdgcn-amd-amdhsa--gfx1100", std::string(64, 'x')}});
  bundle.resize(bundle.size() - 1);
  int st = -1;
  EXPECT_EQ(load(bundle, &st), nullptr);
  EXPECT_EQ(st, 200);
  EXPECT_NE(std::string(o_->last_error_message()).find("malformed offload bundle"), std::string::npos)
      << o_->last_error_message();
  const char text[] = "not a bundle at all";
  cuport_module* m = nullptr;
  EXPECT_EQ(o_->module_load(0, text, sizeof text, &m), 200);
}

}  // namespace

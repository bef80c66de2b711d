// The HIP plugin through the backend ABI alone (no libcuport, no cuport-cc), on the fake HIP runtime
// (fake_amdhip64.cpp, device gfx1100), with real AMDGPU code objects that clang-15 built from
// test_kernels.hip for gfx90a and gfx1100, bundled here.  The fake refuses a code object for another
// processor, so a load that succeeds shows the backend picked the device's entry.
#include <string>
#include <vector>

#include "../fake_vendor/plugin_test.h"
#include "bundle_writer.h"

namespace {

using cuport_fake_test::read_file;

std::string g_log;  // FAKE_HIP_LOG

const cuport_backend_ops* ops() {
  static const cuport_backend_ops* o = cuport_fake_test::load_plugin(
      {"hip", CUPORT_HIP_PLUGIN, "CUPORT_HIP_LIBRARY", CUPORT_FAKE_HIP_LIBRARY, "FAKE_HIP_LOG",
       {"FAKE_HIP_ARCH", "FAKE_HIP_DEVICES", "FAKE_HIP_CORRUPT_COPIES"}},
      &g_log);
  return o;
}

// The launches the fake has logged.
std::vector<std::string> log_lines() { return cuport_fake_test::read_lines(g_log, ""); }

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

TEST_F(HipBackend, MemoryRoundTrip) { cuport_fake_test::check_memory_round_trip(o_, size_t(4) << 30); }

TEST_F(HipBackend, CopyAndFreeErrors) {
  cuport_fake_test::check_copy_and_free_errors(o_, "hipErrorInvalidValue", "hipErrorOutOfMemory");
}

TEST_F(HipBackend, ManagedMemory) { cuport_fake_test::check_managed_memory(o_); }

TEST_F(HipBackend, LoadsTheDevicesCodeObject) {
  need_code_objects();
  int st = -1;
  cuport_module* m = load(typical_bundle(), &st);
  ASSERT_EQ(st, 0) << o_->last_error_message();
  cuport_kernel* k = nullptr;
  ASSERT_NO_FATAL_FAILURE(cuport_fake_test::check_kernels(o_, m, {"missing()"}, &k));
  void* scratch = nullptr;
  ASSERT_NO_FATAL_FAILURE(cuport_fake_test::check_variables(o_, m, &scratch));

  void* buffer = nullptr;
  ASSERT_EQ(o_->mem_alloc(0, 256, &buffer), 0);
  std::string line;
  ASSERT_NO_FATAL_FAILURE(cuport_fake_test::check_add_shared_launch(o_, k, buffer, log_lines, "hipModuleLaunchKernel",
                                                                    "stream=0", &line));
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
  cuport_fake_test::check_threads_launch_on_their_own_streams(o_, k, log_lines, "");
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

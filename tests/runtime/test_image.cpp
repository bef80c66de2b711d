#include "test_image.h"

#include <cuda_runtime_api.h>

#include <cstdlib>
#include <cstdio>
#include <mutex>
#include <vector>

#include <cuport/fatbin.h>

#include "fatbin_builder.h"

namespace cuport_test {

const char stub_mykernel = 0;
const char stub_where = 0;
const char stub_scaled = 0;
const char stub_shared_sum = 0;
const char stub_future = 0;
const char stub_absent = 0;
const char stub_unregistered = 0;
int shadow_table[4];
float shadow_scale;
int shadow_absent;

namespace {

const char kManifest[] =
    "cuport-manifest 1\n"
    "kernel mykernel 1 8\n"
    "param 0 8 8\n"
    "kernel where 1 8\n"
    "param 0 8 8\n"
    "kernel scaled 3 16\n"
    "param 0 8 8\n"
    "param 8 4 4\n"
    "param 12 1 1\n"
    "kernel shared_sum 2 16\n"
    "param 0 8 8\n"
    "param 8 8 8\n"
    "kernel future 0 0\n"
    "var table 16 device\n"
    "var scale 4 constant\n";

struct Wrapper {
  int magic;
  int version;
  const void* data;
  void* unused;
};

}  // namespace

void** register_test_image() {
  static void** handle = nullptr;
  static std::once_flag once;
  std::call_once(once, [] {
    std::vector<uint8_t> image = read_file(CUPORT_TEST_IMAGE);
    if (image.empty()) {
      std::fprintf(stderr, "cannot read %s\n", CUPORT_TEST_IMAGE);
      std::abort();
    }
    // Like a real fat binary, the container and wrapper live until the process ends.
    auto* blob = new std::vector<uint8_t>(
        build_fatbin({manifest_entry(kManifest), image_entry("some-future-target", {1, 2, 3}),
                      image_entry(CUPORT_TARGET_CPU, image)}));
    auto* wrapper = new Wrapper{0x466243b1, 1, blob->data(), nullptr};
    handle = __cudaRegisterFatBinary(wrapper);
    auto reg = [](const char* stub, const char* name) {
      __cudaRegisterFunction(handle, stub, const_cast<char*>(name), name, -1, nullptr, nullptr, nullptr, nullptr,
                             nullptr);
    };
    reg(&stub_mykernel, "mykernel");
    reg(&stub_where, "where");
    reg(&stub_scaled, "scaled");
    reg(&stub_shared_sum, "shared_sum");
    reg(&stub_future, "future");
    reg(&stub_absent, "absent");
    __cudaRegisterVar(handle, reinterpret_cast<char*>(shadow_table), const_cast<char*>("table"), "table", 0,
                      sizeof shadow_table, 0, 0);
    __cudaRegisterVar(handle, reinterpret_cast<char*>(&shadow_scale), const_cast<char*>("scale"), "scale", 0,
                      sizeof shadow_scale, 1, 0);
    __cudaRegisterVar(handle, reinterpret_cast<char*>(&shadow_absent), const_cast<char*>("absent"), "absent", 0,
                      sizeof shadow_absent, 0, 0);
    __cudaRegisterFatBinaryEnd(handle);
    std::atexit([] { __cudaUnregisterFatBinary(handle); });
  });
  return handle;
}

}  // namespace cuport_test

// The CUDA backend behind libcuport, through the CUDA runtime API, on the fake CUDA driver (tests/cuda/run.sh
// runs it with CUPORT_BACKEND=cuda CUPORT_CUDA_DRIVER=<libcuport-fake-cuda.so>).
//
//   fake_cuda_test memory   device, properties, memory, copies, fills, streams and events (no device image)
//   fake_cuda_test module   __device__/__constant__ variables and kernel launches: needs the fat binary's PTX
//                           image; the fake cannot run PTX, so launches are checked in its log (FAKE_CUDA_LOG),
//                           and a kernel fault is simulated (FAKE_CUDA_FAULT)
//   fake_cuda_test old-driver   with a driver older than CUDA 12.1 (FAKE_CUDA_DRIVER_VERSION=12000): kernel
//                           parameters are limited to 4096 bytes, so an 8000-byte one is refused
// Prints PASS, or a FAIL line per failed check (and exits 1).
#include <cuda_runtime.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "../fake_vendor/program_checks.h"  // CHECK, CUDA_CHECK, table, initialized, touch, the shared checks

__constant__ float coefficients[4] = {0.5f, 1.5f, -2.25f, 1024.0f};

__global__ void scale(float* data, float factor) {
  extern __shared__ float dynamic[];
  __shared__ float tile[64];
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  tile[threadIdx.x] = data[i];
  dynamic[threadIdx.x % 32] = factor * coefficients[threadIdx.x % 4];
  __syncthreads();
  data[i] = tile[threadIdx.x] * dynamic[threadIdx.x % 32];
}

__global__ void big_shared(int* out) {
  extern __shared__ int words[];
  words[threadIdx.x] = int(threadIdx.x);
  __syncthreads();
  out[threadIdx.x] = words[(threadIdx.x + 1) % blockDim.x];
}

__global__ void faulty(int* p) { p[threadIdx.x] = 1; }

// 8000 bytes of parameters: more than CUDA's 4096 before 12.1, within its 32764 since.
struct Big {
  int values[2000];
};
__global__ void big_param(Big big, int* out) { out[threadIdx.x] = big.values[threadIdx.x * 7]; }

// A C math function: served by the PTX device math library (lib/libcuport-ptx-devmath.bc); without it
// cuport-cc leaves the kernel out of the PTX, and the test accepts both outcomes.
__global__ void math(float* out) { out[threadIdx.x] = sinf(out[threadIdx.x]); }

static void test_memory() {
  cudaDeviceProp p;
  check_device("cuport fake CUDA device", size_t(16) << 30, 80, &p);  // 7.0: the device's own (FAKE_CUDA_CC)
  CHECK(p.clockRate == 1530000);
  CHECK(p.l2CacheSize == 6 * 1024 * 1024);
  CHECK(p.asyncEngineCount == 3);
  CHECK(p.sharedMemPerBlock == 48 * 1024);
  CHECK(p.sharedMemPerBlockOptin == 96 * 1024);
  CHECK(p.managedMemory == 1);
  CHECK(p.unifiedAddressing == 1);
  int value = 0;
  CUDA_CHECK(cudaDeviceGetAttribute(&value, cudaDevAttrComputeCapabilityMajor, 0));
  CHECK(value == 7);
  check_memory(size_t(16) << 30);
}

// The lines FAKE_CUDA_LOG recorded so far that start with `prefix` (the launches by default).
static std::vector<std::string> logged(const std::string& prefix = "cuLaunchKernel ") {
  return logged_lines("FAKE_CUDA_LOG", prefix);
}

static void test_module() {
  CUDA_CHECK(cudaSetDevice(0));
  check_device_variables();  // of the PTX
  // A __constant__ array with float initializers.
  float c[4] = {};
  CUDA_CHECK(cudaMemcpyFromSymbol(c, coefficients, sizeof c));
  CHECK(c[0] == 0.5f && c[1] == 1.5f && c[2] == -2.25f && c[3] == 1024.0f);
  int* address = nullptr;
  CUDA_CHECK(cudaGetSymbolAddress(reinterpret_cast<void**>(&address), initialized));
  CHECK(address != nullptr);

  // A launch reaches the driver with its configuration and arguments (the fake logs it instead of running it).
  cudaFuncAttributes attr;
  CUDA_CHECK(cudaFuncGetAttributes(&attr, scale));
  CHECK(attr.sharedSizeBytes == 64 * sizeof(float));
  float* data = nullptr;
  CUDA_CHECK(cudaMalloc(&data, 6 * 64 * sizeof(float)));
  size_t before = logged().size();
  scale<<<dim3(3, 2), dim3(64), 128>>>(data, 2.0f);
  CUDA_CHECK(cudaGetLastError());
  CUDA_CHECK(cudaDeviceSynchronize());
  std::vector<std::string> log = logged();
  CHECK(log.size() == before + 1);
  if (log.size() == before + 1) {
    char args[96];
    std::snprintf(args, sizeof args, "(non-blocking) args=(0x%llx,0x40000000)",
                  static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(data)));
    const std::string expected = "cuLaunchKernel _Z5scalePff grid=(3,2,1) block=(64,1,1) shared=128 stream=";
    if (!starts_with(log.back(), expected) || log.back().find(args) == std::string::npos)
      std::printf("FAIL: logged launch '%s', expected '%s<n>%s'\n", log.back().c_str(), expected.c_str(), args),
          ++failures;
  }

  // More than 48 KiB of dynamic shared memory, after cudaFuncSetAttribute: the backend raises the driver's
  // limit for the kernel before the launch.
  int* counters = nullptr;
  CUDA_CHECK(cudaMalloc(&counters, 1024 * sizeof(int)));
  CUDA_CHECK(cudaFuncSetAttribute(big_shared, cudaFuncAttributeMaxDynamicSharedMemorySize, 64 * 1024));
  before = logged().size();
  big_shared<<<1, 256, 64 * 1024>>>(counters);
  CUDA_CHECK(cudaGetLastError());
  CUDA_CHECK(cudaDeviceSynchronize());
  log = logged();
  CHECK(log.size() == before + 1 && starts_with(log.back(), "cuLaunchKernel _Z10big_sharedPi grid=(1,1,1) "
                                                           "block=(256,1,1) shared=65536 "));
  const std::vector<std::string> raised = logged("cuFuncSetAttribute ");
  CHECK(!raised.empty() && raised.back() == "cuFuncSetAttribute _Z10big_sharedPi MAX_DYNAMIC_SHARED_SIZE_BYTES=65536");

  // A kernel the PTX may lack fails alone: cudaErrorNoKernelImageForDevice (with cuport-cc's reason on
  // stderr), not sticky, and nothing reaches the driver.
  before = logged().size();
  math<<<1, 32>>>(data);
  const cudaError_t math_error = cudaGetLastError();
  CUDA_CHECK(cudaDeviceSynchronize());
  if (math_error == cudaSuccess) {
    std::printf("note: math() is in the PTX image (cuport-cc kept it)\n");
    CHECK(logged().size() == before + 1);
  } else {
    std::printf("note: math() is not in the PTX image: %s\n", cudaGetErrorName(math_error));
    CHECK(math_error == cudaErrorNoKernelImageForDevice);
    CHECK(logged().size() == before);
  }

  // Two CUDA streams: their launches reach the driver on different non-blocking streams.
  check_launches_on_two_streams(counters, [] { return logged(); },
                                "cuLaunchKernel _Z5touchPi grid=(1,1,1) block=(32,1,1) shared=0 stream=",
                                "(non-blocking)");

  // A parameter list larger than 4 KiB (a CUDA 12.2 driver and a Volta GPU allow 32764 bytes).
  static Big big;
  for (int i = 0; i < 2000; ++i) big.values[i] = i;
  before = logged().size();
  big_param<<<1, 32>>>(big, counters);
  CUDA_CHECK(cudaGetLastError());
  CUDA_CHECK(cudaDeviceSynchronize());
  log = logged();
  CHECK(log.size() == before + 1 && starts_with(log.back(), "cuLaunchKernel _Z9big_param3BigPi grid=(1,1,1) "));
  // The first argument, 8000 bytes as one little-endian number, ends with values[2], values[1], values[0].
  CHECK(log.size() == before + 1 && log.back().find("000000020000000100000000,0x") != std::string::npos);

  // A kernel fault (the fake's FAKE_CUDA_FAULT) is the launch's error and sticky, like CUDA's, until
  // cudaDeviceReset.
  setenv("FAKE_CUDA_FAULT", "_Z6faultyPi=700", 1);
  faulty<<<1, 32>>>(counters);
  CHECK(cudaDeviceSynchronize() == cudaErrorIllegalAddress);
  unsetenv("FAKE_CUDA_FAULT");
  int host = 0;
  CHECK(cudaMemcpy(&host, counters, sizeof host, cudaMemcpyDeviceToHost) == cudaErrorIllegalAddress);
  CUDA_CHECK(cudaDeviceReset());
  (void)cudaGetLastError();
  int* again = nullptr;
  CUDA_CHECK(cudaMalloc(&again, sizeof(int)));
  const int values[8] = {5, 6, 7, 8, 9, 10, 11, 12};
  CUDA_CHECK(cudaMemcpyToSymbol(table, values, sizeof values));  // the module reloads
  int all[8] = {};
  CUDA_CHECK(cudaMemcpyFromSymbol(all, table, sizeof all));
  CHECK(all[2] == 7);
  CUDA_CHECK(cudaFree(again));
}

static void test_old_driver() {
  static Big big;
  int* out = nullptr;
  CUDA_CHECK(cudaMalloc(&out, 32 * sizeof(int)));
  const size_t before = logged().size();
  big_param<<<1, 32>>>(big, out);
  const cudaError_t err = cudaGetLastError();
  if (err != cudaErrorInvalidValue)
    std::printf("FAIL: an 8000-byte parameter list with a CUDA 12.0 driver: %s, expected cudaErrorInvalidValue\n",
                cudaGetErrorName(err)), ++failures;
  CHECK(logged().size() == before);
  CUDA_CHECK(cudaFree(out));
}

int main(int argc, char** argv) {
  const std::string what = argc > 1 ? argv[1] : "memory";
  if (what == "memory" || what == "all") test_memory();
  if (what == "module" || what == "all") test_module();
  if (what == "old-driver") test_old_driver();
  return report();
}

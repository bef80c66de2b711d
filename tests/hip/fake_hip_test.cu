// The HIP backend behind libcuport, through the CUDA runtime API, on the fake HIP runtime (tests/hip/run.sh
// runs it with CUPORT_BACKEND=hip CUPORT_HIP_LIBRARY=<libcuport-fake-amdhip64.so>).
//
//   fake_hip_test memory   device, properties, memory, copies, fills, streams and events (no device image)
//   fake_hip_test module   __device__ variables and kernel launches: needs the fat binary's amdgcn image; the
//                          fake cannot run AMDGPU code, so a launch is checked in its log (FAKE_HIP_LOG)
// Prints PASS, or a FAIL line per failed check (and exits 1).
#include <cuda_runtime.h>

#include <string>
#include <vector>

#include "../fake_vendor/program_checks.h"  // CHECK, CUDA_CHECK, table, initialized, touch, the shared checks

__global__ void scale(float* data, float factor) {
  extern __shared__ float dynamic[];
  __shared__ float tile[64];
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  tile[threadIdx.x] = data[i];
  dynamic[threadIdx.x % 32] = factor;
  __syncthreads();
  data[i] = tile[threadIdx.x] * dynamic[threadIdx.x % 32];
}

// cuport-cc leaves this kernel out of the AMDGPU code objects (no device heap there yet).
__global__ void heap(int* out) {
  int* p = static_cast<int*>(malloc(16));
  out[0] = p != nullptr;
  free(p);
}

static void test_memory() {
  cudaDeviceProp p;
  check_device("cuport fake HIP device", size_t(4) << 30, 48, &p);  // the fake says 64-lane waves, 11.0
  check_memory(size_t(4) << 30);
}

// The launches FAKE_HIP_LOG recorded so far.
static std::vector<std::string> launches() { return logged_lines("FAKE_HIP_LOG", "hipModuleLaunchKernel "); }

static void test_module() {
  CUDA_CHECK(cudaSetDevice(0));
  check_device_variables();  // of the code object

  // A launch reaches HIP with its configuration (the fake logs it instead of running it).
  cudaFuncAttributes attr;
  CUDA_CHECK(cudaFuncGetAttributes(&attr, scale));
  CHECK(attr.sharedSizeBytes >= 64 * sizeof(float));
  float* data = nullptr;
  CUDA_CHECK(cudaMalloc(&data, 6 * 64 * sizeof(float)));
  const size_t before = launches().size();
  scale<<<dim3(3, 2), dim3(64), 128>>>(data, 2.0f);
  CUDA_CHECK(cudaGetLastError());
  CUDA_CHECK(cudaDeviceSynchronize());
  std::vector<std::string> log = launches();
  CHECK(log.size() == before + 1);
  if (log.size() == before + 1) {
    const std::string expected = "hipModuleLaunchKernel _Z5scalePff grid=(3,2,1) block=(64,1,1) shared=128 stream=";
    if (log.back().compare(0, expected.size(), expected) != 0)
      std::printf("FAIL: logged launch '%s', expected '%s...'\n", log.back().c_str(), expected.c_str()), ++failures;
  }

  // A kernel the code objects lack fails alone: cudaErrorNoKernelImageForDevice (with cuport-cc's reason on
  // stderr), not sticky, and nothing reaches HIP.
  int* counters = nullptr;
  CUDA_CHECK(cudaMalloc(&counters, 32 * sizeof(int)));
  const size_t before_heap = launches().size();
  heap<<<1, 1>>>(counters);
  const cudaError_t heap_error = cudaGetLastError();
  if (heap_error == cudaSuccess) {
    std::printf("note: heap() has an AMDGPU code object now (device-side malloc supported)\n");
  } else {
    CHECK(heap_error == cudaErrorNoKernelImageForDevice);
    CHECK(launches().size() == before_heap);
  }
  CUDA_CHECK(cudaDeviceSynchronize());

  // Two CUDA streams: their launches reach HIP on different streams.
  check_launches_on_two_streams(counters, launches,
                                "hipModuleLaunchKernel _Z5touchPi grid=(1,1,1) block=(32,1,1) shared=0 stream=", "");
  CUDA_CHECK(cudaFree(counters));
  CUDA_CHECK(cudaFree(data));
}

int main(int argc, char** argv) {
  const std::string what = argc > 1 ? argv[1] : "memory";
  if (what == "memory" || what == "all") test_memory();
  if (what == "module" || what == "all") test_module();
  return report();
}

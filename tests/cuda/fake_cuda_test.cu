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
#include <cstring>
#include <fstream>
#include <set>
#include <string>
#include <vector>

static int failures = 0;

#define CHECK(cond)                                                                      \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::printf("FAIL: %s:%d: %s\n", __FILE__, __LINE__, #cond);                       \
      ++failures;                                                                        \
    }                                                                                    \
  } while (0)

#define CUDA_CHECK(call)                                                                 \
  do {                                                                                   \
    cudaError_t err_ = (call);                                                           \
    if (err_ != cudaSuccess) {                                                           \
      std::printf("FAIL: %s:%d: %s -> %s (%s)\n", __FILE__, __LINE__, #call,             \
                  cudaGetErrorName(err_), cudaGetErrorString(err_));                     \
      ++failures;                                                                        \
    }                                                                                    \
  } while (0)

__device__ int table[8];
__device__ int initialized[4] = {11, 22, 33, 44};
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

__global__ void touch(int* p) { p[threadIdx.x] += 1; }

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

// A C math function: cuport-cc may leave this kernel out of the PTX (no NVPTX math library).
__global__ void math(float* out) { out[threadIdx.x] = sinf(out[threadIdx.x]); }

static void test_memory() {
  int count = 0;
  CUDA_CHECK(cudaGetDeviceCount(&count));
  CHECK(count == 1);
  cudaDeviceProp p;
  CUDA_CHECK(cudaGetDeviceProperties(&p, 0));
  CHECK(std::strcmp(p.name, "cuport fake CUDA device") == 0);
  CHECK(p.warpSize == 32);
  CHECK(p.major == 7 && p.minor == 0);  // the device's own compute capability (FAKE_CUDA_CC)
  CHECK(p.totalGlobalMem == (size_t(16) << 30));
  CHECK(p.multiProcessorCount == 80);
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
  CUDA_CHECK(cudaSetDevice(0));

  // Round trips with real data: host -> device -> device -> host, and a fill in the middle.
  const size_t n = 1 << 18;
  std::vector<int> in(n), out(n, -1);
  for (size_t i = 0; i < n; ++i) in[i] = int(i * 2654435761u);
  int *a = nullptr, *b = nullptr;
  CUDA_CHECK(cudaMalloc(&a, n * sizeof(int)));
  CUDA_CHECK(cudaMalloc(&b, n * sizeof(int)));
  CHECK(reinterpret_cast<uintptr_t>(a) % 256 == 0);
  CUDA_CHECK(cudaMemcpy(a, in.data(), n * sizeof(int), cudaMemcpyHostToDevice));
  CUDA_CHECK(cudaMemcpy(b, a, n * sizeof(int), cudaMemcpyDeviceToDevice));
  CUDA_CHECK(cudaMemcpy(out.data(), b, n * sizeof(int), cudaMemcpyDeviceToHost));
  CHECK(out == in);
  CUDA_CHECK(cudaMemset(b + 1000, 0x5a, 333 * sizeof(int)));
  CUDA_CHECK(cudaMemcpy(out.data(), b, n * sizeof(int), cudaMemcpyDefault));
  int wrong = 0;
  for (size_t i = 0; i < n; ++i) wrong += out[i] != (i >= 1000 && i < 1333 ? 0x5a5a5a5a : in[i]);
  CHECK(wrong == 0);

  size_t free_bytes = 0, total = 0;
  CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total));
  CHECK(total == (size_t(16) << 30));
  CHECK(free_bytes <= total - 2 * n * sizeof(int));

  // Managed memory: the host writes, the device copies it.
  int* managed = nullptr;
  CUDA_CHECK(cudaMallocManaged(&managed, 64 * sizeof(int)));
  if (managed) {
    for (int i = 0; i < 64; ++i) managed[i] = 1000 + i;
    CUDA_CHECK(cudaMemcpy(a, managed, 64 * sizeof(int), cudaMemcpyDefault));
    CUDA_CHECK(cudaMemcpy(out.data(), a, 64 * sizeof(int), cudaMemcpyDeviceToHost));
    CHECK(out[0] == 1000 && out[63] == 1063);
    CUDA_CHECK(cudaFree(managed));
  }

  // Streams and events: a copy on s1, an event, s2 waits for it and copies back.
  cudaStream_t s1, s2;
  cudaEvent_t copied, done;
  CUDA_CHECK(cudaStreamCreate(&s1));
  CUDA_CHECK(cudaStreamCreateWithFlags(&s2, cudaStreamNonBlocking));
  CUDA_CHECK(cudaEventCreate(&copied));
  CUDA_CHECK(cudaEventCreate(&done));
  int* pinned = nullptr;
  CUDA_CHECK(cudaMallocHost(&pinned, n * sizeof(int)));
  if (pinned) {
    for (size_t i = 0; i < n; ++i) pinned[i] = int(n - i);
    CUDA_CHECK(cudaMemcpyAsync(a, pinned, n * sizeof(int), cudaMemcpyHostToDevice, s1));
    CUDA_CHECK(cudaEventRecord(copied, s1));
    CUDA_CHECK(cudaStreamWaitEvent(s2, copied, 0));
    CUDA_CHECK(cudaMemsetAsync(b, 0, n * sizeof(int), s2));
    CUDA_CHECK(cudaMemcpyAsync(pinned, a, n * sizeof(int), cudaMemcpyDeviceToHost, s2));
    CUDA_CHECK(cudaEventRecord(done, s2));
    CUDA_CHECK(cudaEventSynchronize(done));
    CHECK(cudaEventQuery(done) == cudaSuccess);
    float ms = -1;
    CUDA_CHECK(cudaEventElapsedTime(&ms, copied, done));
    CHECK(ms >= 0);
    wrong = 0;
    for (size_t i = 0; i < n; ++i) wrong += pinned[i] != int(n - i);
    CHECK(wrong == 0);
    CUDA_CHECK(cudaMemcpy(out.data(), b, 4 * sizeof(int), cudaMemcpyDeviceToHost));
    CHECK(out[0] == 0 && out[3] == 0);
    CUDA_CHECK(cudaFreeHost(pinned));
  }
  CUDA_CHECK(cudaStreamSynchronize(s1));
  CUDA_CHECK(cudaStreamDestroy(s1));
  CUDA_CHECK(cudaStreamDestroy(s2));
  CUDA_CHECK(cudaEventDestroy(copied));
  CUDA_CHECK(cudaEventDestroy(done));
  CUDA_CHECK(cudaFree(a));
  CUDA_CHECK(cudaFree(b));
  CUDA_CHECK(cudaDeviceSynchronize());
}

// The launches FAKE_CUDA_LOG recorded so far (lines starting with `prefix`).
static std::vector<std::string> logged(const std::string& prefix = "cuLaunchKernel ") {
  std::vector<std::string> lines;
  const char* path = std::getenv("FAKE_CUDA_LOG");
  if (!path) return lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (line.compare(0, prefix.size(), prefix) == 0) lines.push_back(line);
  return lines;
}

static bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

static void test_module() {
  CUDA_CHECK(cudaSetDevice(0));
  // __device__ variables: an initializer from the PTX, and a round trip with an offset.
  int init[4] = {};
  CUDA_CHECK(cudaMemcpyFromSymbol(init, initialized, sizeof init));
  CHECK(init[0] == 11 && init[1] == 22 && init[2] == 33 && init[3] == 44);
  const int values[8] = {5, 6, 7, 8, 9, 10, 11, 12};
  CUDA_CHECK(cudaMemcpyToSymbol(table, values, sizeof values));
  int back[4] = {};
  CUDA_CHECK(cudaMemcpyFromSymbol(back, table, sizeof back, 4 * sizeof(int)));
  CHECK(back[0] == 9 && back[3] == 12);
  const int patch = -1;
  CUDA_CHECK(cudaMemcpyToSymbol(table, &patch, sizeof patch, 2 * sizeof(int)));
  int all[8] = {};
  CUDA_CHECK(cudaMemcpyFromSymbol(all, table, sizeof all));
  CHECK(all[1] == 6 && all[2] == -1 && all[3] == 8);
  size_t size = 0;
  CUDA_CHECK(cudaGetSymbolSize(&size, table));
  CHECK(size == sizeof values);
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

  // Two CUDA streams: their launches reach the driver on different non-blocking streams (so they can overlap
  // on a GPU).
  cudaStream_t s[2];
  for (cudaStream_t& st : s) CUDA_CHECK(cudaStreamCreateWithFlags(&st, cudaStreamNonBlocking));
  const size_t first = logged().size();
  for (cudaStream_t st : s) touch<<<1, 32, 0, st>>>(counters);
  CUDA_CHECK(cudaGetLastError());
  for (cudaStream_t st : s) CUDA_CHECK(cudaStreamSynchronize(st));
  log = logged();
  CHECK(log.size() == first + 2);
  std::set<std::string> streams;
  for (size_t i = first; i < log.size(); ++i) {
    CHECK(starts_with(log[i], "cuLaunchKernel _Z5touchPi grid=(1,1,1) block=(32,1,1) shared=0 stream="));
    CHECK(log[i].find("(non-blocking)") != std::string::npos);
    streams.insert(log[i].substr(log[i].find("stream=")));
  }
  CHECK(streams.size() == 2);
  for (cudaStream_t st : s) CUDA_CHECK(cudaStreamDestroy(st));

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
  CUDA_CHECK(cudaMemcpyToSymbol(table, values, sizeof values));  // the module reloads
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
  if (failures) {
    std::printf("FAIL: %d check(s) failed\n", failures);
    return 1;
  }
  std::printf("PASS\n");
  return 0;
}

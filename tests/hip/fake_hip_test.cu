// The HIP backend behind libcuport, through the CUDA runtime API, on the fake HIP runtime (tests/hip/run.sh
// runs it with CUPORT_BACKEND=hip CUPORT_HIP_LIBRARY=<libcuport-fake-amdhip64.so>).
//
//   fake_hip_test memory   device, properties, memory, copies, fills, streams and events (no device image)
//   fake_hip_test module   __device__ variables and kernel launches: needs the fat binary's amdgcn image; the
//                          fake cannot run AMDGPU code, so a launch is checked in its log (FAKE_HIP_LOG)
// Prints PASS, or a FAIL line per failed check (and exits 1).
#include <cuda_runtime.h>

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

__global__ void scale(float* data, float factor) {
  extern __shared__ float dynamic[];
  __shared__ float tile[64];
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  tile[threadIdx.x] = data[i];
  dynamic[threadIdx.x % 32] = factor;
  __syncthreads();
  data[i] = tile[threadIdx.x] * dynamic[threadIdx.x % 32];
}

__global__ void touch(int* p) { p[threadIdx.x] += 1; }

// cuport-cc leaves this kernel out of the AMDGPU code objects (no device heap there yet).
__global__ void heap(int* out) {
  int* p = static_cast<int*>(malloc(16));
  out[0] = p != nullptr;
  free(p);
}

static void test_memory() {
  int count = 0;
  CUDA_CHECK(cudaGetDeviceCount(&count));
  CHECK(count == 1);
  cudaDeviceProp p;
  CUDA_CHECK(cudaGetDeviceProperties(&p, 0));
  CHECK(std::strcmp(p.name, "cuport fake HIP device") == 0);
  CHECK(p.warpSize == 32);
  CHECK(p.major == 7 && p.minor == 0);
  CHECK(p.totalGlobalMem == (size_t(4) << 30));
  CHECK(p.multiProcessorCount == 48);
  CHECK(p.managedMemory == 1);
  CUDA_CHECK(cudaSetDevice(0));

  // Round trips with real data: host -> device -> device -> host, and a fill in the middle.
  const size_t n = 1 << 18;
  std::vector<int> in(n), out(n, -1);
  for (size_t i = 0; i < n; ++i) in[i] = int(i * 2654435761u);
  int *a = nullptr, *b = nullptr;
  CUDA_CHECK(cudaMalloc(&a, n * sizeof(int)));
  CUDA_CHECK(cudaMalloc(&b, n * sizeof(int)));
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
  CHECK(total == (size_t(4) << 30));
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

// The launches FAKE_HIP_LOG recorded so far.
static std::vector<std::string> launches() {
  std::vector<std::string> lines;
  const char* path = std::getenv("FAKE_HIP_LOG");
  if (!path) return lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

static void test_module() {
  CUDA_CHECK(cudaSetDevice(0));
  // __device__ variables: an initializer from the code object, and a round trip with an offset.
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

  // Two CUDA streams: their launches reach HIP on different streams (so they can overlap on a GPU).
  cudaStream_t s[2];
  for (cudaStream_t& st : s) CUDA_CHECK(cudaStreamCreateWithFlags(&st, cudaStreamNonBlocking));
  const size_t first = launches().size();
  for (cudaStream_t st : s) touch<<<1, 32, 0, st>>>(counters);
  CUDA_CHECK(cudaGetLastError());
  for (cudaStream_t st : s) CUDA_CHECK(cudaStreamSynchronize(st));
  log = launches();
  CHECK(log.size() == first + 2);
  std::set<std::string> streams;
  for (size_t i = first; i < log.size(); ++i) {
    CHECK(log[i].compare(0, 44, "hipModuleLaunchKernel _Z5touchPi grid=(1,1,1") == 0);
    streams.insert(log[i].substr(log[i].find("stream=")));
  }
  CHECK(streams.size() == 2);
  for (cudaStream_t st : s) CUDA_CHECK(cudaStreamDestroy(st));
  CUDA_CHECK(cudaFree(counters));
  CUDA_CHECK(cudaFree(data));
}

int main(int argc, char** argv) {
  const std::string what = argc > 1 ? argv[1] : "memory";
  if (what == "memory" || what == "all") test_memory();
  if (what == "module" || what == "all") test_module();
  if (failures) {
    std::printf("FAIL: %d check(s) failed\n", failures);
    return 1;
  }
  std::printf("PASS\n");
  return 0;
}

// Shared by the CUDA programs that run a backend over a fake vendor runtime through libcuport
// (tests/hip/fake_hip_test.cu, tests/cuda/fake_cuda_test.cu; compiled by cuport-cc like any user program):
// the check macros, the fake's log, and the checks both backends must pass alike.  Each program includes it
// once, after <cuda_runtime.h>; its __device__ variables are the program's own.
#ifndef CUPORT_TESTS_FAKE_VENDOR_PROGRAM_CHECKS_H
#define CUPORT_TESTS_FAKE_VENDOR_PROGRAM_CHECKS_H

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

__global__ void touch(int* p) { p[threadIdx.x] += 1; }

static bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// The lines starting with `prefix` that the fake has logged so far in the file `log_setting` names (none
// when it is not set).
static std::vector<std::string> logged_lines(const char* log_setting, const std::string& prefix) {
  std::vector<std::string> lines;
  const char* path = std::getenv(log_setting);
  if (!path) return lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (starts_with(line, prefix)) lines.push_back(line);
  return lines;
}

// The one device, device 0: named `name`, with CUDA's 32-lane warps, compute capability 7.0, `total_memory`
// bytes, `multiprocessors` and managed memory.  *p: all its properties.
static void check_device(const char* name, size_t total_memory, int multiprocessors, cudaDeviceProp* p) {
  int count = 0;
  CUDA_CHECK(cudaGetDeviceCount(&count));
  CHECK(count == 1);
  CUDA_CHECK(cudaGetDeviceProperties(p, 0));
  CHECK(std::strcmp(p->name, name) == 0);
  CHECK(p->warpSize == 32);
  CHECK(p->major == 7 && p->minor == 0);
  CHECK(p->totalGlobalMem == total_memory);
  CHECK(p->multiProcessorCount == multiprocessors);
  CHECK(p->managedMemory == 1);
}

// Memory on device 0 (of `total_memory` bytes) through the CUDA API, without a device image: round trips,
// fills, managed memory, and copies on two streams ordered by an event.
static void check_memory(size_t total_memory) {
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
  CHECK(total == total_memory);
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

  // Streams and events: a copy on s1, an event, s2 waits for it, clears b and copies back.
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

// __device__ variables of the program's device image: an initializer, and round trips with an offset.
static void check_device_variables() {
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
}

// Two CUDA streams: their launches of touch() reach the runtime on different streams (so they can overlap on
// a GPU).  `launches()` gives the fake's launch log; each new line starts with `launched` (the runtime's launch
// call, the kernel and its configuration up to "stream=") and contains `stream_kind` (if not empty).
template <class Launches>
static void check_launches_on_two_streams(int* counters, Launches&& launches, const std::string& launched,
                                          const std::string& stream_kind) {
  cudaStream_t s[2];
  for (cudaStream_t& st : s) CUDA_CHECK(cudaStreamCreateWithFlags(&st, cudaStreamNonBlocking));
  const size_t first = launches().size();
  for (cudaStream_t st : s) touch<<<1, 32, 0, st>>>(counters);
  CUDA_CHECK(cudaGetLastError());
  for (cudaStream_t st : s) CUDA_CHECK(cudaStreamSynchronize(st));
  const std::vector<std::string> log = launches();
  CHECK(log.size() == first + 2);
  std::set<std::string> streams;
  for (size_t i = first; i < log.size(); ++i) {
    CHECK(starts_with(log[i], launched));
    CHECK(log[i].find(stream_kind) != std::string::npos);
    streams.insert(log[i].substr(log[i].find("stream=")));
  }
  CHECK(streams.size() == 2);
  for (cudaStream_t st : s) CUDA_CHECK(cudaStreamDestroy(st));
}

// main's end: PASS, or how many checks failed (and exit status 1).
static int report() {
  if (failures) {
    std::printf("FAIL: %d check(s) failed\n", failures);
    return 1;
  }
  std::printf("PASS\n");
  return 0;
}

#endif

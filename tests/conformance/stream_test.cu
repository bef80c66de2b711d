// Streams and events: in-order execution, asynchrony (cudaErrorNotReady while work runs), real overlap
// across streams, cudaStreamWaitEvent, host callbacks, the legacy stream's implicit synchronization,
// event timing and error codes, many host threads, cudaStreamPerThread.
//
// Kernels that must wait for something spin on a flag in pinned host memory (device-visible under unified
// addressing).  A host watchdog sets an abort word after a timeout, so an implementation without real
// asynchrony or overlap makes these tests fail, never hang.
#include "cuport_test.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

namespace {

class StreamTest : public cuport_test::BackendTest {};

using Clock = std::chrono::steady_clock;

constexpr int kWatchdogMs = 10000;

// flags[0]: the awaited value (0 = not yet), flags[1]: abort (set by the watchdog).
__global__ void waitForFlag(volatile int *flags, int *seen) {
  while (flags[0] == 0 && flags[1] == 0) {
  }
  *seen = flags[0];
}

__global__ void setFlagFrom(volatile int *flags, const int *value) { flags[0] = *value; }

__global__ void affine(int *p, int n, int mul, int add) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    p[i] = p[i] * mul + add;
}

__global__ void copyTimes(const int *src, int *dst, int n, int mul) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    dst[i] = src[i] * mul;
}

__global__ void writeValue(int *p, int v) { *p = v; }

__device__ int symbolData[4];

__global__ void doubleSymbol() {
  if (threadIdx.x < 4)
    symbolData[threadIdx.x] *= 2;
}

// Sets flags[1] (abort) after `ms` unless disarmed first.
class Watchdog {
public:
  Watchdog(volatile int *flags, int ms) : flags_(flags), thread_([this, ms] { run(ms); }) {}
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  bool fired() const { return fired_; }

private:
  void run(int ms) {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return done_; })) {
      fired_ = true;
      flags_[1] = 1;
    }
  }
  volatile int *flags_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  bool fired_ = false;
  std::thread thread_;
};

struct PinnedFlags {
  int *p = nullptr;
  PinnedFlags() {
    if (cudaMallocHost(&p, 4 * sizeof(int)) == cudaSuccess)
      std::memset(p, 0, 4 * sizeof(int));
  }
  ~PinnedFlags() { cudaFreeHost(p); }
  volatile int *v() { return p; }
};

void sleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// ---------------------------------------------------------------------------------------------------------

TEST_P(StreamTest, InOrderChainOfKernelsAndCopies) {
  const int n = 1000;
  cudaStream_t s;
  CUDA_OK(cudaStreamCreate(&s));
  int *host = nullptr, *a = nullptr, *b = nullptr;
  CUDA_OK(cudaMallocHost(&host, n * sizeof(int)));
  CUDA_OK(cudaMalloc(&a, n * sizeof(int)));
  CUDA_OK(cudaMalloc(&b, n * sizeof(int)));
  for (int i = 0; i < n; ++i)
    host[i] = i;
  std::vector<long long> expect(n);
  for (int i = 0; i < n; ++i)
    expect[i] = i;
  CUDA_OK(cudaMemcpyAsync(a, host, n * sizeof(int), cudaMemcpyHostToDevice, s));
  for (int round = 0; round < 20; ++round) {
    affine<<<(n + 127) / 128, 128, 0, s>>>(a, n, 3, round);
    CUDA_OK(cudaGetLastError());
    CUDA_OK(cudaMemcpyAsync(b, a, n * sizeof(int), cudaMemcpyDeviceToDevice, s));
    int mul = 2;
    int nn = n;
    void *args[] = {&b, &a, &nn, &mul};  // dies at the end of this iteration: the launch must copy it
    CUDA_OK(cudaLaunchKernel((const void *)copyTimes, dim3((n + 127) / 128), dim3(128), args, 0, s));
    CUDA_OK(cudaMemsetAsync(b, 0, n * sizeof(int), s));
    for (int i = 0; i < n; ++i)
      expect[i] = int(((expect[i] * 3 + round) * 2) & 0xffffffff);
  }
  CUDA_OK(cudaMemcpyAsync(host, a, n * sizeof(int), cudaMemcpyDeviceToHost, s));
  CUDA_OK(cudaStreamSynchronize(s));
  EXPECT_EQ(cudaStreamQuery(s), cudaSuccess);
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(host[i], int(expect[i])) << "at " << i;
  CUDA_OK(cudaStreamDestroy(s));
  CUDA_OK(cudaFree(a));
  CUDA_OK(cudaFree(b));
  CUDA_OK(cudaFreeHost(host));
}

TEST_P(StreamTest, QueryReportsNotReadyWhileKernelRuns) {
  PinnedFlags f;
  ASSERT_NE(f.p, nullptr);
  int *seen = nullptr;
  CUDA_OK(cudaMallocHost(&seen, sizeof(int)));
  *seen = -1;
  cudaStream_t s;
  CUDA_OK(cudaStreamCreate(&s));
  cudaEvent_t done;
  CUDA_OK(cudaEventCreate(&done));
  {
    Watchdog dog(f.v(), kWatchdogMs);
    waitForFlag<<<1, 1, 0, s>>>(f.v(), seen);
    CUDA_OK(cudaEventRecord(done, s));
    EXPECT_EQ(cudaStreamQuery(s), cudaErrorNotReady);
    EXPECT_EQ(cudaEventQuery(done), cudaErrorNotReady);
    sleepMs(20);
    EXPECT_EQ(cudaStreamQuery(s), cudaErrorNotReady);
    f.v()[0] = 7;
    CUDA_OK(cudaStreamSynchronize(s));
    EXPECT_FALSE(dog.fired());
  }
  EXPECT_EQ(*seen, 7);
  EXPECT_EQ(cudaStreamQuery(s), cudaSuccess);
  EXPECT_EQ(cudaEventQuery(done), cudaSuccess);
  CUDA_OK(cudaEventDestroy(done));
  CUDA_OK(cudaStreamDestroy(s));
  CUDA_OK(cudaFreeHost(seen));
}

// Stream A runs a kernel that waits for a flag; stream B copies a value and runs a kernel that sets the
// flag from it.  Without real concurrency the watchdog fires and A sees no value.
TEST_P(StreamTest, KernelAndCopyOverlapAcrossStreams) {
  PinnedFlags f;
  int *seen = nullptr, *value = nullptr, *dValue = nullptr;
  CUDA_OK(cudaMallocHost(&seen, sizeof(int)));
  CUDA_OK(cudaMallocHost(&value, sizeof(int)));
  CUDA_OK(cudaMalloc(&dValue, sizeof(int)));
  *seen = -1;
  *value = 42;
  cudaStream_t a, b;
  CUDA_OK(cudaStreamCreate(&a));
  CUDA_OK(cudaStreamCreate(&b));
  Clock::time_point t0, tB, tA;
  {
    Watchdog dog(f.v(), kWatchdogMs);
    t0 = Clock::now();
    // Many blocks, all waiting: the backend's workers are busy with A, and B's launches (several blocks)
    // must still run.
    waitForFlag<<<64, 1, 0, a>>>(f.v(), seen);
    CUDA_OK(cudaMemcpyAsync(dValue, value, sizeof(int), cudaMemcpyHostToDevice, b));
    CUDA_OK(cudaStreamSynchronize(b));  // the copy completes while A's kernel is still running
    tB = Clock::now();
    EXPECT_EQ(cudaStreamQuery(a), cudaErrorNotReady);
    setFlagFrom<<<8, 1, 0, b>>>(f.v(), dValue);
    CUDA_OK(cudaStreamSynchronize(a));
    tA = Clock::now();
    EXPECT_FALSE(dog.fired()) << "stream A's kernel never saw stream B's work: no overlap";
  }
  EXPECT_EQ(*seen, 42);
  std::printf("[ overlap ] copy in stream B done after %.3f ms while A's kernel ran; A done after %.3f ms\n",
              std::chrono::duration<double, std::milli>(tB - t0).count(),
              std::chrono::duration<double, std::milli>(tA - t0).count());
  CUDA_OK(cudaStreamDestroy(a));
  CUDA_OK(cudaStreamDestroy(b));
  CUDA_OK(cudaFree(dValue));
  CUDA_OK(cudaFreeHost(seen));
  CUDA_OK(cudaFreeHost(value));
}

void hostSetFlag(void *user) { static_cast<volatile int *>(user)[0] = 5; }

TEST_P(StreamTest, HostFunctionInOtherStreamReleasesKernel) {
  PinnedFlags f;
  int *seen = nullptr;
  CUDA_OK(cudaMallocHost(&seen, sizeof(int)));
  *seen = -1;
  cudaStream_t a, b;
  CUDA_OK(cudaStreamCreateWithFlags(&a, cudaStreamNonBlocking));
  CUDA_OK(cudaStreamCreateWithFlags(&b, cudaStreamNonBlocking));
  {
    Watchdog dog(f.v(), kWatchdogMs);
    waitForFlag<<<1, 1, 0, a>>>(f.v(), seen);
    CUDA_OK(cudaLaunchHostFunc(b, hostSetFlag, (void *)f.p));
    CUDA_OK(cudaStreamSynchronize(a));
    CUDA_OK(cudaStreamSynchronize(b));
    EXPECT_FALSE(dog.fired());
  }
  EXPECT_EQ(*seen, 5);
  CUDA_OK(cudaStreamDestroy(a));
  CUDA_OK(cudaStreamDestroy(b));
  CUDA_OK(cudaFreeHost(seen));
}

TEST_P(StreamTest, StreamWaitEventOrdersAcrossStreams) {
  PinnedFlags f;
  int *seen = nullptr, *out = nullptr;
  CUDA_OK(cudaMallocHost(&seen, sizeof(int)));
  CUDA_OK(cudaMallocHost(&out, sizeof(int)));
  *seen = 0;
  *out = -1;
  cudaStream_t a, b;
  CUDA_OK(cudaStreamCreateWithFlags(&a, cudaStreamNonBlocking));
  CUDA_OK(cudaStreamCreateWithFlags(&b, cudaStreamNonBlocking));
  cudaEvent_t e;
  CUDA_OK(cudaEventCreateWithFlags(&e, cudaEventDisableTiming));
  {
    Watchdog dog(f.v(), kWatchdogMs);
    waitForFlag<<<1, 1, 0, a>>>(f.v(), seen);  // writes *seen once released
    CUDA_OK(cudaEventRecord(e, a));
    CUDA_OK(cudaStreamWaitEvent(b, e, 0));
    copyTimes<<<1, 1, 0, b>>>(seen, out, 1, 10);  // must read *seen after A's kernel wrote it
    sleepMs(30);
    EXPECT_EQ(cudaStreamQuery(b), cudaErrorNotReady);
    EXPECT_EQ(*out, -1);
    f.v()[0] = 3;
    CUDA_OK(cudaStreamSynchronize(b));
    EXPECT_FALSE(dog.fired());
  }
  EXPECT_EQ(*out, 30);
  // Waiting for an event that was never recorded is a no-op.
  cudaEvent_t never;
  CUDA_OK(cudaEventCreate(&never));
  CUDA_OK(cudaStreamWaitEvent(b, never, 0));
  CUDA_OK(cudaStreamSynchronize(b));
  CUDA_OK(cudaEventDestroy(never));
  CUDA_OK(cudaEventDestroy(e));
  CUDA_OK(cudaStreamDestroy(a));
  CUDA_OK(cudaStreamDestroy(b));
  CUDA_OK(cudaFreeHost(seen));
  CUDA_OK(cudaFreeHost(out));
}

struct CallbackLog {
  std::mutex mu;
  std::vector<int> order;
  std::vector<cudaError_t> statuses;
  std::vector<cudaStream_t> streams;
  int *kernelValue = nullptr;
  std::vector<int> valuesSeen;
};

struct Tagged {
  CallbackLog *log;
  int tag;
};

void hostRecord(void *user) {
  Tagged *t = static_cast<Tagged *>(user);
  std::lock_guard<std::mutex> lock(t->log->mu);
  t->log->order.push_back(t->tag);
  t->log->valuesSeen.push_back(*t->log->kernelValue);
}

void streamCallbackRecord(cudaStream_t stream, cudaError_t status, void *user) {
  Tagged *t = static_cast<Tagged *>(user);
  std::lock_guard<std::mutex> lock(t->log->mu);
  t->log->order.push_back(t->tag);
  t->log->statuses.push_back(status);
  t->log->streams.push_back(stream);
  t->log->valuesSeen.push_back(*t->log->kernelValue);
}

TEST_P(StreamTest, CallbacksAndHostFunctionsRunInStreamOrder) {
  CallbackLog log;
  CUDA_OK(cudaMallocHost(&log.kernelValue, sizeof(int)));
  *log.kernelValue = 0;
  cudaStream_t s;
  CUDA_OK(cudaStreamCreate(&s));
  std::vector<Tagged> tags;
  for (int i = 0; i < 6; ++i)
    tags.push_back(Tagged{&log, i});
  for (int i = 0; i < 6; ++i) {
    writeValue<<<1, 1, 0, s>>>(log.kernelValue, 100 + i);
    if (i % 2)
      CUDA_OK(cudaStreamAddCallback(s, streamCallbackRecord, &tags[i], 0));
    else
      CUDA_OK(cudaLaunchHostFunc(s, hostRecord, &tags[i]));
  }
  EXPECT_EQ(cudaStreamAddCallback(s, streamCallbackRecord, &tags[0], 1), cudaErrorInvalidValue);
  EXPECT_EQ(cudaLaunchHostFunc(s, nullptr, nullptr), cudaErrorInvalidValue);
  (void)cudaGetLastError();
  CUDA_OK(cudaStreamSynchronize(s));
  ASSERT_EQ(log.order.size(), 6u);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(log.order[i], i);
    EXPECT_EQ(log.valuesSeen[i], 100 + i) << "callback " << i << " ran before the kernel before it";
  }
  ASSERT_EQ(log.statuses.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(log.statuses[i], cudaSuccess);
    EXPECT_EQ(log.streams[i], s);
  }
  CUDA_OK(cudaStreamDestroy(s));
  CUDA_OK(cudaFreeHost(log.kernelValue));
}

// Work on the legacy default stream waits for blocking streams (and vice versa); non-blocking streams are
// exempt in both directions.
TEST_P(StreamTest, LegacyStreamSynchronizesWithBlockingStreamsOnly) {
  PinnedFlags f;
  int *seen = nullptr, *out = nullptr;
  CUDA_OK(cudaMallocHost(&seen, sizeof(int)));
  CUDA_OK(cudaMallocHost(&out, 2 * sizeof(int)));
  cudaStream_t blocking, nonBlocking;
  CUDA_OK(cudaStreamCreate(&blocking));
  CUDA_OK(cudaStreamCreateWithFlags(&nonBlocking, cudaStreamNonBlocking));
  unsigned flags = 99;
  CUDA_OK(cudaStreamGetFlags(nonBlocking, &flags));
  EXPECT_EQ(flags, unsigned(cudaStreamNonBlocking));
  CUDA_OK(cudaStreamGetFlags(blocking, &flags));
  EXPECT_EQ(flags, unsigned(cudaStreamDefault));

  // 1. Legacy work after pending blocking-stream work waits for it.
  *seen = 0;
  out[0] = out[1] = -1;
  {
    Watchdog dog(f.v(), kWatchdogMs);
    waitForFlag<<<1, 1, 0, blocking>>>(f.v(), seen);
    copyTimes<<<1, 1>>>(seen, out, 1, 2);  // legacy stream
    sleepMs(30);
    EXPECT_EQ(cudaStreamQuery(0), cudaErrorNotReady);
    EXPECT_EQ(out[0], -1);
    // A non-blocking stream is not held up by either.
    writeValue<<<1, 1, 0, nonBlocking>>>(out + 1, 9);
    CUDA_OK(cudaStreamSynchronize(nonBlocking));
    EXPECT_EQ(out[1], 9);
    f.v()[0] = 4;
    CUDA_OK(cudaStreamSynchronize(0));
    EXPECT_FALSE(dog.fired());
  }
  EXPECT_EQ(out[0], 8);

  // 2. Blocking-stream work after pending legacy work waits for it; non-blocking work does not.
  f.v()[0] = 0;
  f.v()[1] = 0;
  *seen = 0;
  out[0] = out[1] = -1;
  {
    Watchdog dog(f.v(), kWatchdogMs);
    waitForFlag<<<1, 1, 0, cudaStreamLegacy>>>(f.v(), seen);
    copyTimes<<<1, 1, 0, blocking>>>(seen, out, 1, 3);
    writeValue<<<1, 1, 0, nonBlocking>>>(out + 1, 11);
    CUDA_OK(cudaStreamSynchronize(nonBlocking));
    EXPECT_EQ(out[1], 11);
    sleepMs(30);
    EXPECT_EQ(cudaStreamQuery(blocking), cudaErrorNotReady);
    EXPECT_EQ(out[0], -1);
    f.v()[0] = 5;
    CUDA_OK(cudaDeviceSynchronize());
    EXPECT_FALSE(dog.fired());
  }
  EXPECT_EQ(out[0], 15);
  CUDA_OK(cudaStreamDestroy(blocking));
  CUDA_OK(cudaStreamDestroy(nonBlocking));
  CUDA_OK(cudaFreeHost(seen));
  CUDA_OK(cudaFreeHost(out));
}

// A synchronous cudaMemcpy runs on the legacy stream: it waits for earlier work in blocking streams.
TEST_P(StreamTest, SynchronousMemcpyWaitsForBlockingStreams) {
  const int n = 256;
  int *d = nullptr;
  CUDA_OK(cudaMalloc(&d, n * sizeof(int)));
  CUDA_OK(cudaMemset(d, 0, n * sizeof(int)));
  cudaStream_t s;
  CUDA_OK(cudaStreamCreate(&s));
  for (int i = 0; i < 50; ++i)
    affine<<<2, 128, 0, s>>>(d, n, 1, 1);
  std::vector<int> host(n, -1);
  CUDA_OK(cudaMemcpy(host.data(), d, n * sizeof(int), cudaMemcpyDeviceToHost));
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(host[i], 50);
  CUDA_OK(cudaStreamDestroy(s));
  CUDA_OK(cudaFree(d));
}

void hostSleep(void *user) { sleepMs(*static_cast<int *>(user)); }

TEST_P(StreamTest, EventElapsedTimeMeasuresWhenTheStreamReachedTheEvents) {
  cudaStream_t s;
  CUDA_OK(cudaStreamCreate(&s));
  cudaEvent_t start, stop;
  CUDA_OK(cudaEventCreate(&start));
  CUDA_OK(cudaEventCreateWithFlags(&stop, cudaEventBlockingSync));
  int before = 40, during = 20;
  // The calls return at once; only the stream's progress separates the two records by ~20 ms.
  CUDA_OK(cudaLaunchHostFunc(s, hostSleep, &before));
  CUDA_OK(cudaEventRecord(start, s));
  CUDA_OK(cudaLaunchHostFunc(s, hostSleep, &during));
  CUDA_OK(cudaEventRecordWithFlags(stop, s, 0));
  float ms = -1.0f;
  EXPECT_EQ(cudaEventElapsedTime(&ms, start, stop), cudaErrorNotReady);
  CUDA_OK(cudaEventSynchronize(stop));
  CUDA_OK(cudaEventElapsedTime(&ms, start, stop));
  EXPECT_GE(ms, 19.0f);
  EXPECT_LT(ms, 39.0f + 200.0f);  // generous: a shared machine may deschedule the worker
  std::printf("[ timing  ] 20 ms host function measured as %.3f ms\n", ms);
  CUDA_OK(cudaEventDestroy(start));
  CUDA_OK(cudaEventDestroy(stop));
  CUDA_OK(cudaStreamDestroy(s));
}

TEST_P(StreamTest, EventErrorCodes) {
  cudaEvent_t timed, untimed, unrecorded;
  CUDA_OK(cudaEventCreate(&timed));
  CUDA_OK(cudaEventCreateWithFlags(&untimed, cudaEventDisableTiming));
  CUDA_OK(cudaEventCreate(&unrecorded));
  cudaEvent_t bad;
  EXPECT_EQ(cudaEventCreateWithFlags(&bad, 0x80), cudaErrorInvalidValue);
  EXPECT_EQ(cudaEventCreateWithFlags(&bad, cudaEventInterprocess), cudaErrorInvalidValue);
  EXPECT_EQ(cudaEventCreate(nullptr), cudaErrorInvalidValue);
  (void)cudaGetLastError();

  // Never recorded: query and synchronize succeed, elapsed time is an invalid handle.
  EXPECT_EQ(cudaEventQuery(unrecorded), cudaSuccess);
  EXPECT_EQ(cudaEventSynchronize(unrecorded), cudaSuccess);
  CUDA_OK(cudaEventRecord(timed, 0));
  CUDA_OK(cudaEventSynchronize(timed));
  float ms = 0;
  EXPECT_EQ(cudaEventElapsedTime(&ms, timed, unrecorded), cudaErrorInvalidResourceHandle);
  EXPECT_EQ(cudaEventElapsedTime(&ms, unrecorded, timed), cudaErrorInvalidResourceHandle);
  (void)cudaGetLastError();

  // Timing disabled: invalid handle even when both are complete.
  CUDA_OK(cudaEventRecord(untimed, 0));
  CUDA_OK(cudaEventSynchronize(untimed));
  EXPECT_EQ(cudaEventQuery(untimed), cudaSuccess);
  EXPECT_EQ(cudaEventElapsedTime(&ms, timed, untimed), cudaErrorInvalidResourceHandle);
  EXPECT_EQ(cudaEventElapsedTime(&ms, untimed, timed), cudaErrorInvalidResourceHandle);
  EXPECT_EQ(cudaEventElapsedTime(nullptr, timed, timed), cudaErrorInvalidValue);
  (void)cudaGetLastError();
  CUDA_OK(cudaEventElapsedTime(&ms, timed, timed));
  EXPECT_EQ(ms, 0.0f);

  // Recorded but not complete: not ready.
  PinnedFlags f;
  int *seen = nullptr;
  CUDA_OK(cudaMallocHost(&seen, sizeof(int)));
  cudaStream_t s;
  CUDA_OK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
  cudaEvent_t pending;
  CUDA_OK(cudaEventCreate(&pending));
  {
    Watchdog dog(f.v(), kWatchdogMs);
    waitForFlag<<<1, 1, 0, s>>>(f.v(), seen);
    CUDA_OK(cudaEventRecord(pending, s));
    EXPECT_EQ(cudaEventQuery(pending), cudaErrorNotReady);
    EXPECT_EQ(cudaEventElapsedTime(&ms, timed, pending), cudaErrorNotReady);
    f.v()[0] = 1;
    CUDA_OK(cudaEventSynchronize(pending));
    EXPECT_FALSE(dog.fired());
  }
  CUDA_OK(cudaEventElapsedTime(&ms, timed, pending));
  EXPECT_GE(ms, 0.0f);
  EXPECT_EQ(cudaEventRecordWithFlags(pending, s, 0x10), cudaErrorInvalidValue);
  (void)cudaGetLastError();
  CUDA_OK(cudaEventDestroy(pending));
  CUDA_OK(cudaEventDestroy(timed));
  CUDA_OK(cudaEventDestroy(untimed));
  CUDA_OK(cudaEventDestroy(unrecorded));
  CUDA_OK(cudaStreamDestroy(s));
  CUDA_OK(cudaFreeHost(seen));
}

TEST_P(StreamTest, CreationFlagsPrioritiesAndBadArguments) {
  int least = 1, greatest = 1;
  CUDA_OK(cudaDeviceGetStreamPriorityRange(&least, &greatest));
  EXPECT_GE(least, greatest);
  cudaStream_t s;
  CUDA_OK(cudaStreamCreateWithPriority(&s, cudaStreamNonBlocking, greatest - 100));  // clamped
  int prio = 12345;
  CUDA_OK(cudaStreamGetPriority(s, &prio));
  EXPECT_EQ(prio, greatest);
  unsigned flags = 0;
  CUDA_OK(cudaStreamGetFlags(s, &flags));
  EXPECT_EQ(flags, unsigned(cudaStreamNonBlocking));
  CUDA_OK(cudaStreamDestroy(s));
  CUDA_OK(cudaStreamCreateWithPriority(&s, 0, least + 100));
  CUDA_OK(cudaStreamGetPriority(s, &prio));
  EXPECT_EQ(prio, least);
  CUDA_OK(cudaStreamDestroy(s));
  EXPECT_EQ(cudaStreamCreate(nullptr), cudaErrorInvalidValue);
  EXPECT_EQ(cudaStreamCreateWithFlags(&s, 0x10), cudaErrorInvalidValue);
  (void)cudaGetLastError();
  CUDA_OK(cudaStreamSynchronize(0));
  CUDA_OK(cudaStreamSynchronize(cudaStreamLegacy));
  CUDA_OK(cudaStreamSynchronize(cudaStreamPerThread));
  EXPECT_EQ(cudaStreamQuery(cudaStreamLegacy), cudaSuccess);
}

TEST_P(StreamTest, DestroyWithPendingWorkStillCompletesIt) {
  PinnedFlags f;
  int *seen = nullptr;
  CUDA_OK(cudaMallocHost(&seen, sizeof(int)));
  *seen = 0;
  cudaStream_t s;
  CUDA_OK(cudaStreamCreate(&s));
  {
    Watchdog dog(f.v(), kWatchdogMs);
    waitForFlag<<<1, 1, 0, s>>>(f.v(), seen);
    CUDA_OK(cudaStreamDestroy(s));  // returns at once
    EXPECT_EQ(*seen, 0);
    f.v()[0] = 6;
    CUDA_OK(cudaDeviceSynchronize());
    EXPECT_FALSE(dog.fired());
  }
  EXPECT_EQ(*seen, 6);
  CUDA_OK(cudaFreeHost(seen));
}

TEST_P(StreamTest, SymbolCopiesInStreams) {
  cudaStream_t s;
  CUDA_OK(cudaStreamCreate(&s));
  int *host = nullptr;
  CUDA_OK(cudaMallocHost(&host, 4 * sizeof(int)));
  for (int i = 0; i < 4; ++i)
    host[i] = i + 1;
  CUDA_OK(cudaMemcpyToSymbolAsync(symbolData, host, 4 * sizeof(int), 0, cudaMemcpyHostToDevice, s));
  doubleSymbol<<<1, 4, 0, s>>>();
  CUDA_OK(cudaMemcpyFromSymbolAsync(host, symbolData, 4 * sizeof(int), 0, cudaMemcpyDeviceToHost, s));
  CUDA_OK(cudaStreamSynchronize(s));
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(host[i], 2 * (i + 1));
  // A pageable source may be reused as soon as cudaMemcpyAsync returns (CUDA stages it).
  std::vector<int> pageable = {7, 7, 7, 7};
  int *d = nullptr;
  CUDA_OK(cudaMalloc(&d, 4 * sizeof(int)));
  CUDA_OK(cudaMemcpyAsync(d, pageable.data(), 4 * sizeof(int), cudaMemcpyHostToDevice, s));
  pageable.assign(4, 0);
  CUDA_OK(cudaMemcpyAsync(pageable.data(), d, 4 * sizeof(int), cudaMemcpyDeviceToHost, s));
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(pageable[i], 7);  // device-to-pageable copies return once complete
  CUDA_OK(cudaFree(d));
  CUDA_OK(cudaStreamDestroy(s));
  CUDA_OK(cudaFreeHost(host));
}

TEST_P(StreamTest, ManyHostThreadsWithOwnStreams) {
  const int threads = 8, streamsPerThread = 2, rounds = 40, n = 512;
  std::vector<std::thread> pool;
  std::vector<int> failures(threads, 0);
  const int device = device_;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      if (cudaSetDevice(device) != cudaSuccess) {
        failures[t] = 1000;
        return;
      }
      cudaStream_t st[streamsPerThread];
      int *d[streamsPerThread], *h[streamsPerThread];
      cudaEvent_t ev[streamsPerThread];
      for (int k = 0; k < streamsPerThread; ++k) {
        if (cudaStreamCreate(&st[k]) != cudaSuccess || cudaMalloc(&d[k], n * sizeof(int)) != cudaSuccess ||
            cudaMallocHost(&h[k], n * sizeof(int)) != cudaSuccess || cudaEventCreate(&ev[k]) != cudaSuccess) {
          failures[t] = 1001;
          return;
        }
        cudaMemsetAsync(d[k], 0, n * sizeof(int), st[k]);
      }
      for (int r = 0; r < rounds; ++r)
        for (int k = 0; k < streamsPerThread; ++k) {
          affine<<<(n + 63) / 64, 64, 0, st[k]>>>(d[k], n, 1, t + k + 1);
          cudaEventRecord(ev[k], st[k]);
        }
      for (int k = 0; k < streamsPerThread; ++k) {
        cudaMemcpyAsync(h[k], d[k], n * sizeof(int), cudaMemcpyDeviceToHost, st[k]);
        if (cudaStreamSynchronize(st[k]) != cudaSuccess || cudaEventQuery(ev[k]) != cudaSuccess)
          ++failures[t];
        for (int i = 0; i < n; ++i)
          if (h[k][i] != rounds * (t + k + 1)) {
            ++failures[t];
            break;
          }
        cudaStreamDestroy(st[k]);
        cudaEventDestroy(ev[k]);
        cudaFree(d[k]);
        cudaFreeHost(h[k]);
      }
    });
  }
  for (std::thread &th : pool)
    th.join();
  for (int t = 0; t < threads; ++t)
    EXPECT_EQ(failures[t], 0) << "thread " << t;
}

// Each host thread has its own per-thread default stream: one thread's blocked per-thread stream does
// not hold up another's.
TEST_P(StreamTest, PerThreadDefaultStreamsAreIndependent) {
  PinnedFlags f;
  int *seen = nullptr, *out = nullptr;
  CUDA_OK(cudaMallocHost(&seen, sizeof(int)));
  CUDA_OK(cudaMallocHost(&out, 4 * sizeof(int)));
  *seen = 0;
  for (int i = 0; i < 4; ++i)
    out[i] = -1;
  const int device = device_;
  {
    Watchdog dog(f.v(), kWatchdogMs);
    waitForFlag<<<1, 1, 0, cudaStreamPerThread>>>(f.v(), seen);
    EXPECT_EQ(cudaStreamQuery(cudaStreamPerThread), cudaErrorNotReady);
    std::vector<std::thread> others;
    std::vector<cudaError_t> results(3, cudaErrorUnknown);
    for (int t = 0; t < 3; ++t)
      others.emplace_back([&, t] {
        cudaSetDevice(device);
        writeValue<<<1, 1, 0, cudaStreamPerThread>>>(out + t, 10 + t);
        results[t] = cudaStreamSynchronize(cudaStreamPerThread);
      });
    for (std::thread &th : others)
      th.join();
    for (int t = 0; t < 3; ++t) {
      EXPECT_EQ(results[t], cudaSuccess);
      EXPECT_EQ(out[t], 10 + t);
    }
    EXPECT_EQ(cudaStreamQuery(cudaStreamPerThread), cudaErrorNotReady);
    f.v()[0] = 2;
    CUDA_OK(cudaStreamSynchronize(cudaStreamPerThread));
    EXPECT_FALSE(dog.fired());
  }
  EXPECT_EQ(*seen, 2);
  CUDA_OK(cudaFreeHost(seen));
  CUDA_OK(cudaFreeHost(out));
}

void hostReportDrained(void *user) {
  std::fprintf(stderr, "drained %d\n", *static_cast<int *>(user));
  std::fflush(stderr);
}

// Bodies of the exit tests (run in a child process by EXPECT_EXIT).
void exitWithQueuedWork(int device) {
  cudaSetDevice(device);
  int *counter = nullptr;
  cudaMallocHost(&counter, sizeof(int));
  *counter = 0;
  cudaStream_t s;
  cudaStreamCreate(&s);
  for (int i = 0; i < 200; ++i)
    affine<<<1, 1, 0, s>>>(counter, 1, 1, 1);
  cudaLaunchHostFunc(s, hostReportDrained, counter);
  std::exit(0);
}

void exitWithStuckKernel(int device) {
  setenv("CUPORT_EXIT_TIMEOUT_MS", "300", 1);
  cudaSetDevice(device);
  int *flags = nullptr, *seen = nullptr;
  cudaMallocHost(&flags, 2 * sizeof(int));
  cudaMallocHost(&seen, sizeof(int));
  flags[0] = flags[1] = 0;
  cudaStream_t s;
  cudaStreamCreate(&s);
  waitForFlag<<<1, 1, 0, s>>>(flags, seen); // nobody ever sets the flag
  cudaLaunchHostFunc(s, hostReportDrained, seen);
  std::exit(0);
}

// A program may exit with work still queued: it is drained (the last host function runs and sees every
// kernel before it), and the process exits normally.
TEST_P(StreamTest, ExitWithPendingWorkDrainsIt) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(exitWithQueuedWork(device_), ::testing::ExitedWithCode(0), "drained 200");
}

// A kernel that can never finish does not hang the exit: after CUPORT_EXIT_TIMEOUT_MS the queued work is
// abandoned and the process still exits normally.
TEST_P(StreamTest, ExitWithStuckKernelDoesNotHang) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const Clock::time_point t0 = Clock::now();
  EXPECT_EXIT(exitWithStuckKernel(device_), ::testing::ExitedWithCode(0), "");
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - t0).count(), 60.0);
}

CUPORT_INSTANTIATE_BACKENDS(StreamTest);

} // namespace

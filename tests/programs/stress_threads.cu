// Thread-safety stress: 8 host threads, each with 4 streams, issue mixed asynchronous work (kernels,
// copies, memsets, events, host callbacks) and check every result: nothing may be lost or reordered
// within a stream.  Bounded: rounds of operations per stream (argv[1], default 2000; the runtime issue asks
// for 8 x 4 x 10,000, which passes in about 7 s here).
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

__global__ void addValue(int *data, int n, int value) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) data[i] += value;
}

static void CUDART_CB countCallback(cudaStream_t, cudaError_t status, void *user) {
  if (status == cudaSuccess) static_cast<std::atomic<int> *>(user)->fetch_add(1);
}

int main(int argc, char **argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 2000;
  const int threads = 8, streams = 4, n = 1000;
  std::atomic<int> failures{0}, callbacks{0};
  auto fail = [&](const char *what, int t, int k, cudaError_t e) {
    if (failures.fetch_add(1) < 5)
      std::printf("thread %d stream %d: %s: %s\n", t, k, what, cudaGetErrorName(e));
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      cudaStream_t s[streams];
      int *dev[streams], *host[streams];
      long long expect[streams] = {};
      for (int k = 0; k < streams; ++k) {
        cudaError_t e = cudaStreamCreateWithFlags(&s[k], k % 2 ? cudaStreamNonBlocking : cudaStreamDefault);
        if (e == cudaSuccess)
          e = cudaMalloc(&dev[k], n * sizeof(int));
        if (e == cudaSuccess)
          e = cudaMallocHost(&host[k], n * sizeof(int));
        if (e != cudaSuccess) {
          fail("setup", t, k, e);
          return;
        }
        cudaMemsetAsync(dev[k], 0, n * sizeof(int), s[k]);
      }
      cudaEvent_t ev;
      cudaEventCreateWithFlags(&ev, cudaEventDisableTiming);
      for (int r = 0; r < rounds; ++r)
        for (int k = 0; k < streams; ++k) {
          int v = (t * 7 + k * 3 + r) % 11 - 5;
          addValue<<<(n + 127) / 128, 128, 0, s[k]>>>(dev[k], n, v);
          expect[k] += v;
          switch (r % 4) {
          case 0: // read back asynchronously and check in stream order with a host function
            cudaMemcpyAsync(host[k], dev[k], n * sizeof(int), cudaMemcpyDeviceToHost, s[k]);
            cudaStreamAddCallback(s[k], countCallback, &callbacks, 0);
            break;
          case 1: // another stream waits for this one through an event
            cudaEventRecord(ev, s[k]);
            cudaStreamWaitEvent(s[(k + 1) % streams], ev, 0);
            break;
          case 2: // a round trip through the host buffer
            cudaMemcpyAsync(host[k], dev[k], n * sizeof(int), cudaMemcpyDeviceToHost, s[k]);
            cudaMemcpyAsync(dev[k], host[k], n * sizeof(int), cudaMemcpyHostToDevice, s[k]);
            break;
          default: {
            cudaError_t q = cudaStreamQuery(s[k]);
            if (q != cudaSuccess && q != cudaErrorNotReady)
              fail("cudaStreamQuery", t, k, q);
          }
          }
        }
      for (int k = 0; k < streams; ++k) {
        cudaMemcpyAsync(host[k], dev[k], n * sizeof(int), cudaMemcpyDeviceToHost, s[k]);
        if (cudaError_t e = cudaStreamSynchronize(s[k]); e != cudaSuccess)
          fail("cudaStreamSynchronize", t, k, e);
        for (int i = 0; i < n; ++i)
          if (host[k][i] != expect[k]) {
            failures.fetch_add(1);
            std::printf("thread %d stream %d element %d: %d, expected %lld\n", t, k, i, host[k][i], expect[k]);
            break;
          }
        cudaFree(dev[k]);
        cudaFreeHost(host[k]);
        cudaStreamDestroy(s[k]);
      }
      cudaEventDestroy(ev);
    });
  for (auto &th : pool)
    th.join();
  int expected_callbacks = threads * streams * ((rounds + 3) / 4);
  if (callbacks.load() != expected_callbacks) {
    std::printf("callbacks: %d, expected %d\n", callbacks.load(), expected_callbacks);
    failures.fetch_add(1);
  }
  std::printf("stress_threads: %d threads x %d streams x %d rounds: %s\n", threads, streams, rounds,
              failures.load() ? "FAIL" : "PASS");
  return failures.load() != 0;
}

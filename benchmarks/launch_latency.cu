// Launch latency: an empty kernel launch + cudaDeviceSynchronize, launches alone, and a 4-byte
// device-to-host cudaMemcpy, each averaged over many iterations, next to the cost of a plain host
// function call through a pointer (the floor).  Prints microseconds and the ratios.
// Usage: launch_latency [iterations]   (default 20000)
#include <chrono>
#include <cstdio>
#include <cstdlib>

__global__ void empty() {}

static int counter;
__attribute__((noinline)) static void host_call() { ++counter; }

int main(int argc, char **argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 20000;
  using clock = std::chrono::steady_clock;
  auto us = [&](clock::time_point a, clock::time_point b) {
    return std::chrono::duration<double, std::micro>(b - a).count() / n;
  };
  empty<<<1, 1>>>();
  cudaDeviceSynchronize();
  float *d, h = 0;
  cudaMalloc(&d, sizeof(float));

  auto t0 = clock::now();
  for (int i = 0; i < n; ++i) {
    empty<<<1, 1>>>();
    cudaDeviceSynchronize();
  }
  auto t1 = clock::now();
  for (int i = 0; i < n; ++i)
    empty<<<1, 1>>>();
  cudaDeviceSynchronize();
  auto t2 = clock::now();
  for (int i = 0; i < n; ++i)
    cudaMemcpy(&h, d, sizeof h, cudaMemcpyDeviceToHost);
  auto t3 = clock::now();
  void (*volatile fp)() = host_call;
  for (int i = 0; i < n; ++i)
    fp();
  auto t4 = clock::now();

  double sync = us(t0, t1), launch = us(t1, t2), copy = us(t2, t3), call = us(t3, t4);
  std::printf("empty launch + synchronize: %8.2f us\n", sync);
  std::printf("empty launch (queued):      %8.2f us\n", launch);
  std::printf("4-byte cudaMemcpy D2H:      %8.2f us\n", copy);
  std::printf("host call through pointer:  %8.4f us (launch+sync is %.0fx a call)\n", call, sync / call);
  cudaFree(d);
  return 0;
}

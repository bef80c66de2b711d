// Host-only C++ (compiled by the project's C++ compiler): runs the device code through sample.h and
// checks it against the same computation on the host.
#include "sample.h"

#include <cuda_runtime.h>

#include <cmath>
#include <cstdio>
#include <vector>

int main() {
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    std::printf("FAIL: no CUDA device\n");
    return 1;
  }
  cudaDeviceProp prop;
  cudaGetDeviceProperties(&prop, 0);

  const int n = 1000, steps = 50;
  const float alpha = 0.25f;
  std::vector<float> u(n), ref(n), next(n);
  for (int i = 0; i < n; ++i) u[i] = ref[i] = (i > n / 3 && i < 2 * n / 3) ? 100.0f : 0.0f;
  heat_steps(u.data(), n, steps, alpha);
  for (int s = 0; s < steps; ++s) {
    for (int i = 0; i < n; ++i)
      next[i] = (i == 0 || i == n - 1) ? ref[i] : ref[i] + alpha * (ref[i - 1] - 2.0f * ref[i] + ref[i + 1]);
    ref.swap(next);
  }
  int bad = 0;
  for (int i = 0; i < n; ++i)
    if (std::fabs(u[i] - ref[i]) > 1e-3f) ++bad;

  double expected = 0.0;
  for (float v : u) expected += v;
  double got = device_sum(u.data(), n);
  bool sum_ok = std::fabs(got - expected) < 1e-6 * std::fabs(expected) + 1e-6;

  std::printf("sample on %s: heat %d/%d cells match, sum %.3f (host %.3f)\n", prop.name, n - bad, n, got, expected);
  std::printf("%s\n", bad == 0 && sum_ok ? "PASS" : "FAIL");
  return bad == 0 && sum_ok ? 0 : 1;
}

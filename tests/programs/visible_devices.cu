// Prints how many devices the runtime shows and the backend of each (run.sh sets CUPORT_VISIBLE_DEVICES).
#include <cstdio>
#include <cuport/cuport_runtime.h>

int main() {
  int n = -1;
  cudaError_t e = cudaGetDeviceCount(&n);
  std::printf("count=%d %s", e == cudaSuccess ? n : 0, cudaGetErrorName(e));
  for (int d = 0; e == cudaSuccess && d < n; ++d) {
    const char *backend = "";
    cuportDeviceGetBackend(d, &backend);
    std::printf(" %s", backend);
  }
  std::printf("\n");
  return 0;
}

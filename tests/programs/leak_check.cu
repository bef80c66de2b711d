// CUPORT_LEAK_CHECK=1 reports the allocations a program did not free (tests/programs/run.sh, leak-check).
//   leak_check leak    leaves 1 MiB of device memory and 256 bytes of pinned host memory allocated
//   leak_check clean   frees everything
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  bool leak = argc > 1 && std::strcmp(argv[1], "leak") == 0;
  float *a = nullptr, *b = nullptr, *h = nullptr;
  if (cudaMalloc(&a, 1 << 20) != cudaSuccess) return 1;  // leaked in "leak" mode
  if (cudaMalloc(&b, 4096) != cudaSuccess) return 1;
  if (cudaMallocHost(&h, 256) != cudaSuccess) return 1;
  cudaFree(b);
  if (!leak) {
    cudaFree(a);
    cudaFreeHost(h);
  }
  std::printf("leak_check %s: done\n", leak ? "leak" : "clean");
  return 0;
}

// Device printf with several conversions; run.sh compares the sorted output.
#include <cstdio>

__global__ void hello(int base) {
  printf("block %d thread %d: %5.2f %s %c %ld %x %% %e\n", blockIdx.x, threadIdx.x, 0.5 * threadIdx.x, "str",
         'A' + threadIdx.x, (long)base * 1000000000L, 255 + threadIdx.x, 1.5e-7);
}

int main() {
  hello<<<2, 3>>>(7);
  cudaDeviceSynchronize();
  printf("device_printf: done\n");
  return 0;
}

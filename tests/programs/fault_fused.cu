// A kernel that sees blockIdx.x and threadIdx.x only as its global index divides by zero in one thread of
// block 9.  The CPU backend runs the rows of a range of such blocks as one, so its report names the range
// that holds block 9 ("in one of blocks (8-11, 0, 0)"), or block 9 itself where ranges are single blocks;
// run.sh checks that.
#include <cstdio>

__global__ void divideAt(int *out, const int *divisors) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  out[i] = 100 / divisors[i];
}

int main() {
  static int h[64 * 32];
  for (int i = 0; i < 64 * 32; ++i)
    h[i] = i == 9 * 32 + 5 ? 0 : 2;
  int *d, *div;
  cudaMalloc(&d, sizeof h);
  cudaMalloc(&div, sizeof h);
  cudaMemcpy(div, h, sizeof h, cudaMemcpyHostToDevice);
  divideAt<<<64, 32>>>(d, div);
  cudaError_t e = cudaDeviceSynchronize();
  printf("after the fault: %s\n", cudaGetErrorName(e));
  return e == cudaSuccess ? 1 : 0;
}

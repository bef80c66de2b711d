// A kernel divides an integer by zero in one block: on the CPU backend the launch is abandoned with an
// error instead of killing the process, and the device works again after cudaDeviceReset, also from
// another host thread.  run.sh checks the report on stderr (kernel, fault, block).
#include <cstdio>
#include <thread>

__global__ void divide(int *out, const int *divisors) {
  out[blockIdx.x * blockDim.x + threadIdx.x] = 100 / divisors[blockIdx.x];
}

int main() {
  int *d, *div, h_div[64];
  for (int b = 0; b < 64; ++b) h_div[b] = b == 9 ? 0 : 2;
  cudaMalloc(&d, 64 * 32 * sizeof(int));
  cudaMalloc(&div, sizeof h_div);
  cudaMemcpy(div, h_div, sizeof h_div, cudaMemcpyHostToDevice);
  divide<<<64, 32>>>(d, div);
  cudaError_t e = cudaDeviceSynchronize();
  printf("after the fault: %s\n", cudaGetErrorName(e));
  if (e == cudaSuccess) { printf("FAIL\n"); return 1; }
  cudaDeviceReset();
  (void)cudaGetLastError();
  int ok = 0;
  std::thread other([&] {
    int *p, *q, twos[64];
    for (int b = 0; b < 64; ++b) twos[b] = 2;
    cudaMalloc(&p, 64 * 32 * sizeof(int));
    cudaMalloc(&q, sizeof twos);
    cudaMemcpy(q, twos, sizeof twos, cudaMemcpyHostToDevice);
    divide<<<64, 32>>>(p, q);
    int h[64 * 32];
    cudaMemcpy(h, p, sizeof h, cudaMemcpyDeviceToHost);
    ok = h[0] == 50 && h[64 * 32 - 1] == 50;
  });
  other.join();
  printf("fault_containment: %s\n", ok ? "PASS" : "FAIL");
  return !ok;
}

// A program as users write it: tiled matrix multiply, two barriers per loop iteration, sizes that are not
// multiples of the tile.  Built by tests/programs/run.sh with a plain `cuport-cc -O2 -o x x.cu`.
#include <cmath>
#include <cstdio>
#include <vector>

#define TILE 32

__global__ void matmul(const float *A, const float *B, float *C, int M, int N, int K) {
  __shared__ float a[TILE][TILE + 1];
  __shared__ float b[TILE][TILE + 1];
  int row = blockIdx.y * TILE + threadIdx.y, col = blockIdx.x * TILE + threadIdx.x;
  float sum = 0;
  for (int k0 = 0; k0 < K; k0 += TILE) {
    a[threadIdx.y][threadIdx.x] = (row < M && k0 + threadIdx.x < K) ? A[row * K + k0 + threadIdx.x] : 0;
    b[threadIdx.y][threadIdx.x] = (col < N && k0 + threadIdx.y < K) ? B[(k0 + threadIdx.y) * N + col] : 0;
    __syncthreads();
#pragma unroll 8
    for (int k = 0; k < TILE; ++k)
      sum += a[threadIdx.y][k] * b[k][threadIdx.x];
    __syncthreads();
  }
  if (row < M && col < N)
    C[row * N + col] = sum;
}

int main() {
  const int M = 129, N = 77, K = 301;
  std::vector<float> A(M * K), B(K * N), C(M * N);
  for (int i = 0; i < M * K; ++i) A[i] = (i % 7) - 3;
  for (int i = 0; i < K * N; ++i) B[i] = (i % 5) * 0.5f;
  float *dA, *dB, *dC;
  cudaMalloc(&dA, A.size() * 4); cudaMalloc(&dB, B.size() * 4); cudaMalloc(&dC, C.size() * 4);
  cudaMemcpy(dA, A.data(), A.size() * 4, cudaMemcpyHostToDevice);
  cudaMemcpy(dB, B.data(), B.size() * 4, cudaMemcpyHostToDevice);
  matmul<<<dim3((N + TILE - 1) / TILE, (M + TILE - 1) / TILE), dim3(TILE, TILE)>>>(dA, dB, dC, M, N, K);
  if (cudaGetLastError() != cudaSuccess) { printf("launch failed\nFAIL\n"); return 1; }
  cudaMemcpy(C.data(), dC, C.size() * 4, cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) {
      float s = 0;
      for (int k = 0; k < K; ++k) s += A[i * K + k] * B[k * N + j];
      if (std::fabs(s - C[i * N + j]) > 1e-3f * (1 + std::fabs(s)) && bad++ < 3)
        printf("C[%d][%d] = %f, expected %f\n", i, j, C[i * N + j], s);
    }
  printf("tiled_matmul %dx%dx%d: %s\n", M, N, K, bad ? "FAIL" : "PASS");
  return bad != 0;
}

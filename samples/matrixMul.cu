// matrixMul: C = A * B with 16x16 shared-memory tiles, two barriers per step, sizes that are not multiples
// of the tile.  Self-verifying against a CPU product; prints the kernel time and the serial CPU time.
// Usage: matrixMul [M N K]   (default 300 200 250)
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#define CHECK(call)                                                                                    \
  do {                                                                                                 \
    cudaError_t err_ = (call);                                                                         \
    if (err_ != cudaSuccess) {                                                                         \
      std::printf("%s:%d: %s failed: %s\n", __FILE__, __LINE__, #call, cudaGetErrorString(err_));     \
      std::printf("matrixMul: FAIL\n");                                                                \
      return EXIT_FAILURE;                                                                             \
    }                                                                                                  \
  } while (0)

constexpr int TILE = 16;

// C[M x N] = A[M x K] * B[K x N], row-major.
__global__ void matrixMulTiled(const float *A, const float *B, float *C, int M, int N, int K) {
  __shared__ float As[TILE][TILE];
  __shared__ float Bs[TILE][TILE];
  int row = blockIdx.y * TILE + threadIdx.y;
  int col = blockIdx.x * TILE + threadIdx.x;
  float acc = 0.0f;
  for (int t = 0; t < (K + TILE - 1) / TILE; ++t) {
    int ak = t * TILE + threadIdx.x, bk = t * TILE + threadIdx.y;
    As[threadIdx.y][threadIdx.x] = (row < M && ak < K) ? A[row * K + ak] : 0.0f;
    Bs[threadIdx.y][threadIdx.x] = (bk < K && col < N) ? B[bk * N + col] : 0.0f;
    __syncthreads();
    for (int k = 0; k < TILE; ++k)
      acc += As[threadIdx.y][k] * Bs[k][threadIdx.x];
    __syncthreads();
  }
  if (row < M && col < N)
    C[row * N + col] = acc;
}

int main(int argc, char **argv) {
  int M = argc > 3 ? std::atoi(argv[1]) : 300;
  int N = argc > 3 ? std::atoi(argv[2]) : 200;
  int K = argc > 3 ? std::atoi(argv[3]) : 250;
  std::vector<float> A(size_t(M) * K), B(size_t(K) * N), C(size_t(M) * N), R(size_t(M) * N, 0.0f);
  for (size_t i = 0; i < A.size(); ++i)
    A[i] = float((i * 7) % 13) / 13.0f - 0.5f;
  for (size_t i = 0; i < B.size(); ++i)
    B[i] = float((i * 5) % 11) / 11.0f - 0.5f;
  float *dA, *dB, *dC;
  CHECK(cudaMalloc(&dA, A.size() * sizeof(float)));
  CHECK(cudaMalloc(&dB, B.size() * sizeof(float)));
  CHECK(cudaMalloc(&dC, C.size() * sizeof(float)));
  CHECK(cudaMemcpy(dA, A.data(), A.size() * sizeof(float), cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(dB, B.data(), B.size() * sizeof(float), cudaMemcpyHostToDevice));
  dim3 block(TILE, TILE), grid((N + TILE - 1) / TILE, (M + TILE - 1) / TILE);
  matrixMulTiled<<<grid, block>>>(dA, dB, dC, M, N, K); // warm-up (loads the device image)
  CHECK(cudaDeviceSynchronize());
  auto t0 = std::chrono::steady_clock::now();
  matrixMulTiled<<<grid, block>>>(dA, dB, dC, M, N, K);
  CHECK(cudaGetLastError());
  CHECK(cudaDeviceSynchronize());
  auto t1 = std::chrono::steady_clock::now();
  CHECK(cudaMemcpy(C.data(), dC, C.size() * sizeof(float), cudaMemcpyDeviceToHost));
  // The serial reference: the plain triple loop (i-k-j order, as a C++ programmer would write it).
  auto t2 = std::chrono::steady_clock::now();
  for (int i = 0; i < M; ++i)
    for (int k = 0; k < K; ++k) {
      float a = A[size_t(i) * K + k];
      for (int j = 0; j < N; ++j)
        R[size_t(i) * N + j] += a * B[size_t(k) * N + j];
    }
  auto t3 = std::chrono::steady_clock::now();
  int bad = 0;
  for (size_t i = 0; i < C.size(); ++i)
    if (std::fabs(C[i] - R[i]) > 1e-3f * (1.0f + std::fabs(R[i])) && bad++ < 5)
      std::printf("mismatch at %zu: %f != %f\n", i, C[i], R[i]);
  CHECK(cudaFree(dA));
  CHECK(cudaFree(dB));
  CHECK(cudaFree(dC));
  double gpu = std::chrono::duration<double, std::milli>(t1 - t0).count();
  double cpu = std::chrono::duration<double, std::milli>(t3 - t2).count();
  std::printf("matrixMul: %dx%dx%d, kernel %.2f ms, serial C++ loop %.2f ms (ratio %.2f): %s\n", M, N, K, gpu,
              cpu, cpu / gpu, bad ? "FAIL" : "PASS");
  return bad ? EXIT_FAILURE : EXIT_SUCCESS;
}

// A user-style pipeline: the input is processed in chunks that alternate between two streams.  Each chunk is
// copied from pinned host memory to the device, transformed by two kernels, and copied back, all
// asynchronously; events time the whole pipeline and each stream.  The result is checked against the host.
#include <cuda_runtime.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#define CHECK(call)                                                                                    \
  do {                                                                                                 \
    cudaError_t e_ = (call);                                                                           \
    if (e_ != cudaSuccess) {                                                                           \
      std::printf("FAIL: %s at line %d: %s\n", #call, __LINE__, cudaGetErrorString(e_));               \
      return 1;                                                                                        \
    }                                                                                                  \
  } while (0)

__global__ void polynomial(const float *in, float *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    float x = in[i];
    out[i] = (0.5f * x + 2.0f) * x - 1.0f;
  }
}

__global__ void neighbourSum(float *data, const float *in, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    data[i] += (i > 0 ? in[i - 1] : 0.0f) + (i + 1 < n ? in[i + 1] : 0.0f);
}

static float expected(const float *in, int i, int chunk, int n) {
  const int base = i / chunk * chunk, len = (base + chunk <= n ? chunk : n - base), j = i - base;
  float x = in[i];
  float v = (0.5f * x + 2.0f) * x - 1.0f;
  v += (j > 0 ? in[i - 1] : 0.0f) + (j + 1 < len ? in[i + 1] : 0.0f);
  return v;
}

int main() {
  const int n = 1 << 20, chunk = 1 << 16, nstreams = 2;
  float *hin = nullptr, *hout = nullptr;
  CHECK(cudaMallocHost(&hin, n * sizeof(float)));
  CHECK(cudaMallocHost(&hout, n * sizeof(float)));
  for (int i = 0; i < n; ++i) {
    hin[i] = float((i * 37) % 1001) / 100.0f - 5.0f;
    hout[i] = -12345.0f;
  }
  cudaStream_t streams[nstreams];
  float *din[nstreams], *dout[nstreams];
  cudaEvent_t streamStart[nstreams], streamEnd[nstreams];
  for (int s = 0; s < nstreams; ++s) {
    CHECK(cudaStreamCreateWithFlags(&streams[s], cudaStreamNonBlocking));
    CHECK(cudaMalloc(&din[s], chunk * sizeof(float)));
    CHECK(cudaMalloc(&dout[s], chunk * sizeof(float)));
    CHECK(cudaEventCreate(&streamStart[s]));
    CHECK(cudaEventCreate(&streamEnd[s]));
  }
  cudaEvent_t start, stop;
  CHECK(cudaEventCreate(&start));
  CHECK(cudaEventCreate(&stop));

  CHECK(cudaEventRecord(start, 0));
  for (int s = 0; s < nstreams; ++s) {
    CHECK(cudaStreamWaitEvent(streams[s], start, 0));
    CHECK(cudaEventRecord(streamStart[s], streams[s]));
  }
  for (int c = 0, k = 0; c < n; c += chunk, ++k) {
    const int s = k % nstreams, len = c + chunk <= n ? chunk : n - c;
    CHECK(cudaMemcpyAsync(din[s], hin + c, len * sizeof(float), cudaMemcpyHostToDevice, streams[s]));
    polynomial<<<(len + 255) / 256, 256, 0, streams[s]>>>(din[s], dout[s], len);
    CHECK(cudaGetLastError());
    neighbourSum<<<(len + 255) / 256, 256, 0, streams[s]>>>(dout[s], din[s], len);
    CHECK(cudaGetLastError());
    CHECK(cudaMemcpyAsync(hout + c, dout[s], len * sizeof(float), cudaMemcpyDeviceToHost, streams[s]));
  }
  for (int s = 0; s < nstreams; ++s) {
    CHECK(cudaEventRecord(streamEnd[s], streams[s]));
    CHECK(cudaStreamWaitEvent(0, streamEnd[s], 0));
  }
  CHECK(cudaEventRecord(stop, 0));
  CHECK(cudaEventSynchronize(stop));

  float total = 0.0f;
  CHECK(cudaEventElapsedTime(&total, start, stop));
  for (int s = 0; s < nstreams; ++s) {
    float ms = 0.0f;
    CHECK(cudaEventElapsedTime(&ms, streamStart[s], streamEnd[s]));
    if (!(ms >= 0.0f) || ms > total + 0.5f) {
      std::printf("FAIL: stream %d took %.3f ms of a %.3f ms pipeline\n", s, ms, total);
      return 1;
    }
  }
  int bad = 0;
  for (int i = 0; i < n; ++i) {
    const float e = expected(hin, i, chunk, n);
    if (std::fabs(hout[i] - e) > 1e-4f * (1.0f + std::fabs(e))) {
      if (bad++ < 5)
        std::printf("mismatch at %d: got %f, expected %f\n", i, hout[i], e);
    }
  }
  if (bad) {
    std::printf("FAIL: %d mismatches\n", bad);
    return 1;
  }
  for (int s = 0; s < nstreams; ++s) {
    CHECK(cudaStreamDestroy(streams[s]));
    CHECK(cudaFree(din[s]));
    CHECK(cudaFree(dout[s]));
    CHECK(cudaEventDestroy(streamStart[s]));
    CHECK(cudaEventDestroy(streamEnd[s]));
  }
  CHECK(cudaEventDestroy(start));
  CHECK(cudaEventDestroy(stop));
  CHECK(cudaFreeHost(hin));
  CHECK(cudaFreeHost(hout));
  std::printf("stream_pipeline: %d chunks through %d streams in %.3f ms\nPASS\n", n / chunk, nstreams, total);
  return 0;
}

// CUDA graphs made by stream capture: work queued on a capturing stream is recorded, not run; the
// instantiated graph replays it, in order, each time it is launched, on any stream of the device; and the
// operations a capture cannot hold invalidate it with CUDA's error codes.
#include "cuport_test.h"

#include <atomic>
#include <vector>

namespace {

class GraphTest : public cuport_test::BackendTest {};

__global__ void scaleAdd(int *p, int n, int mul, int add) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    p[i] = p[i] * mul + add;
}

__global__ void accumulate(const int *src, int *dst, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    dst[i] += src[i];
}

void CUDART_CB countCall(void *counter) { static_cast<std::atomic<int> *>(counter)->fetch_add(1); }

TEST_P(GraphTest, StreamCaptureRecordsAndLaunchesReplay) {
  const int n = 1000, threads = 128, blocks = (n + threads - 1) / threads;
  int *a, *sum;
  CUDA_OK(cudaMalloc(&a, n * sizeof(int)));
  CUDA_OK(cudaMalloc(&sum, n * sizeof(int)));
  CUDA_OK(cudaMemset(sum, 0, n * sizeof(int)));
  std::vector<int> input(n), out(n, -1);
  for (int i = 0; i < n; ++i)
    input[i] = i;
  std::atomic<int> calls{0};
  cudaStream_t s;
  CUDA_OK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));

  cudaStreamCaptureStatus status;
  CUDA_OK(cudaStreamIsCapturing(s, &status));
  EXPECT_EQ(status, cudaStreamCaptureStatusNone);
  CUDA_OK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
  CUDA_OK(cudaStreamIsCapturing(s, &status));
  EXPECT_EQ(status, cudaStreamCaptureStatusActive);
  // Five nodes: copy in (read from pageable memory when the graph runs), two kernels, a copy out, a host call.
  CUDA_OK(cudaMemcpyAsync(a, input.data(), n * sizeof(int), cudaMemcpyHostToDevice, s));
  scaleAdd<<<blocks, threads, 0, s>>>(a, n, 3, 1);
  accumulate<<<blocks, threads, 0, s>>>(a, sum, n);
  CUDA_OK(cudaMemcpyAsync(out.data(), sum, n * sizeof(int), cudaMemcpyDeviceToHost, s));
  CUDA_OK(cudaLaunchHostFunc(s, countCall, &calls));
  CUDA_OK(cudaGetLastError());
  cudaGraph_t graph = nullptr;
  CUDA_OK(cudaStreamEndCapture(s, &graph));
  ASSERT_NE(graph, nullptr);
  CUDA_OK(cudaStreamIsCapturing(s, &status));
  EXPECT_EQ(status, cudaStreamCaptureStatusNone);

  // Nothing ran during the capture.
  CUDA_OK(cudaDeviceSynchronize());
  EXPECT_EQ(calls.load(), 0);
  EXPECT_EQ(out[5], -1);
  size_t nodes = 0;
  CUDA_OK(cudaGraphGetNodes(graph, nullptr, &nodes));
  EXPECT_EQ(nodes, 5u);

  cudaGraphExec_t exec = nullptr;
  CUDA_OK(cudaGraphInstantiate(&exec, graph, 0));
  ASSERT_NE(exec, nullptr);
  CUDA_OK(cudaGraphDestroy(graph));  // the executable graph does not need it
  // Three launches, the input changed between them: each replay reads it anew and accumulates.
  long expected[3];
  for (int launch = 0; launch < 3; ++launch) {
    for (int i = 0; i < n; ++i)
      input[i] = i + launch;
    cudaStream_t target = launch == 1 ? cudaStreamPerThread : s;  // any stream of the device
    CUDA_OK(cudaGraphLaunch(exec, target));
    CUDA_OK(cudaStreamSynchronize(target));
    expected[launch] = 0;
    for (int l = 0; l <= launch; ++l)
      expected[launch] += 3L * (999 + l) + 1;
    EXPECT_EQ(out[999], expected[launch]) << "after launch " << launch;
    EXPECT_EQ(out[0], (launch + 1) + 3 * (launch * (launch + 1) / 2)) << "after launch " << launch;
    EXPECT_EQ(calls.load(), launch + 1);
  }
  CUDA_OK(cudaGraphExecDestroy(exec));
  CUDA_OK(cudaStreamDestroy(s));
  CUDA_OK(cudaFree(a));
  CUDA_OK(cudaFree(sum));
}

TEST_P(GraphTest, CaptureErrors) {
  cudaStream_t s;
  CUDA_OK(cudaStreamCreate(&s));
  cudaGraph_t graph = reinterpret_cast<cudaGraph_t>(1);
  // The legacy stream cannot capture; ending a capture that never began is an illegal state.
  EXPECT_EQ(cudaStreamBeginCapture(0, cudaStreamCaptureModeGlobal), cudaErrorStreamCaptureUnsupported);
  EXPECT_EQ(cudaStreamEndCapture(s, &graph), cudaErrorIllegalState);
  EXPECT_EQ(graph, nullptr);
  EXPECT_EQ(cudaStreamBeginCapture(s, static_cast<cudaStreamCaptureMode>(7)), cudaErrorInvalidValue);
  (void)cudaGetLastError();

  // Waiting for a capturing stream is refused and invalidates the capture.
  CUDA_OK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
  EXPECT_EQ(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal), cudaErrorIllegalState);
  EXPECT_EQ(cudaStreamSynchronize(s), cudaErrorStreamCaptureUnsupported);
  cudaStreamCaptureStatus status;
  CUDA_OK(cudaStreamIsCapturing(s, &status));
  EXPECT_EQ(status, cudaStreamCaptureStatusInvalidated);
  EXPECT_EQ(cudaStreamEndCapture(s, &graph), cudaErrorStreamCaptureInvalidated);
  EXPECT_EQ(graph, nullptr);
  (void)cudaGetLastError();

  // Legacy-stream work while a blocking stream captures would make it wait for the capture.
  int *p;
  CUDA_OK(cudaMalloc(&p, sizeof(int)));
  CUDA_OK(cudaStreamBeginCapture(s, cudaStreamCaptureModeRelaxed));
  EXPECT_EQ(cudaMemsetAsync(p, 0, sizeof(int), 0), cudaErrorStreamCaptureImplicit);
  EXPECT_EQ(cudaStreamEndCapture(s, &graph), cudaErrorStreamCaptureInvalidated);
  (void)cudaGetLastError();

  // Stream-ordered allocation is not a node cuport captures.
  void *q = nullptr;
  CUDA_OK(cudaStreamBeginCapture(s, cudaStreamCaptureModeThreadLocal));
  EXPECT_EQ(cudaMallocAsync(&q, 64, s), cudaErrorStreamCaptureUnsupported);
  EXPECT_EQ(cudaStreamEndCapture(s, &graph), cudaErrorStreamCaptureInvalidated);
  (void)cudaGetLastError();

  // An empty capture is a valid graph; destroyed handles are rejected, not dereferenced.
  CUDA_OK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
  CUDA_OK(cudaStreamEndCapture(s, &graph));
  size_t nodes = 9;
  CUDA_OK(cudaGraphGetNodes(graph, nullptr, &nodes));
  EXPECT_EQ(nodes, 0u);
  cudaGraphExec_t exec;
  CUDA_OK(cudaGraphInstantiate(&exec, graph, 0));
  CUDA_OK(cudaGraphLaunch(exec, s));
  CUDA_OK(cudaStreamSynchronize(s));
  CUDA_OK(cudaGraphExecDestroy(exec));
  CUDA_OK(cudaGraphDestroy(graph));
  EXPECT_EQ(cudaGraphDestroy(graph), cudaErrorInvalidValue);
  EXPECT_EQ(cudaGraphLaunch(exec, s), cudaErrorInvalidValue);
  EXPECT_EQ(cudaGraphInstantiate(&exec, graph, 0), cudaErrorInvalidValue);
  (void)cudaGetLastError();

  CUDA_OK(cudaFree(p));
  CUDA_OK(cudaStreamDestroy(s));
}

CUPORT_INSTANTIATE_BACKENDS(GraphTest);

} // namespace

// CUDA graphs made by stream capture: work queued on a capturing stream is recorded, not run; the
// instantiated graph replays it, in order, each time it is launched, on any stream of the device; and the
// operations a capture cannot hold invalidate it with CUDA's error codes.  Graphs built node by node run
// their nodes in an order that respects every dependency, whatever the order the nodes were created in.
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
  // Each captured operation is a node of its kind, in stream order.
  std::vector<cudaGraphNode_t> list(nodes);
  CUDA_OK(cudaGraphGetNodes(graph, list.data(), &nodes));
  const cudaGraphNodeType kinds[] = {cudaGraphNodeTypeMemcpy, cudaGraphNodeTypeKernel, cudaGraphNodeTypeKernel,
                                     cudaGraphNodeTypeMemcpy, cudaGraphNodeTypeHost};
  for (size_t i = 0; i < list.size() && i < 5; ++i) {
    cudaGraphNodeType type = cudaGraphNodeTypeEmpty;
    CUDA_OK(cudaGraphNodeGetType(list[i], &type));
    EXPECT_EQ(type, kinds[i]) << "node " << i;
  }

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

struct HostCheck {
  const std::vector<int> *out; // copied back by the node before this one
  int index, want, calls, seen;
};

void CUDART_CB checkCopiedBack(void *p) {
  auto *c = static_cast<HostCheck *>(p);
  c->seen = (*c->out)[c->index];
  ++c->calls;
}

TEST_P(GraphTest, NodeByNodeGraphRunsInDependencyOrder) {
  const int n = 1000, threads = 128;
  int *a, *sum;
  CUDA_OK(cudaMalloc(&a, n * sizeof(int)));
  CUDA_OK(cudaMalloc(&sum, n * sizeof(int)));
  std::vector<int> input(n), out(n, -1);
  HostCheck check{&out, 10, 0, 0, -1};
  cudaGraph_t graph = nullptr;
  CUDA_OK(cudaGraphCreate(&graph, 0));
  // Created last-first, without dependencies; the edges come afterwards.  Run in creation order, the copy
  // back would come before the kernels.
  cudaGraphNode_t host, copyOut, accum, scale, copyIn, zero, empty;
  cudaHostNodeParams hp{checkCopiedBack, &check};
  CUDA_OK(cudaGraphAddHostNode(&host, graph, nullptr, 0, &hp));
  CUDA_OK(cudaGraphAddMemcpyNode1D(&copyOut, graph, nullptr, 0, out.data(), sum, n * sizeof(int),
                                   cudaMemcpyDeviceToHost));
  int nArg = n, mul = 3, add = 1;
  void *accumArgs[] = {&a, &sum, &nArg};
  cudaKernelNodeParams kp{reinterpret_cast<void *>(accumulate), dim3((n + threads - 1) / threads), dim3(threads), 0,
                          accumArgs, nullptr};
  CUDA_OK(cudaGraphAddKernelNode(&accum, graph, nullptr, 0, &kp));
  void *scaleArgs[] = {&a, &nArg, &mul, &add};
  kp.func = reinterpret_cast<void *>(scaleAdd);
  kp.kernelParams = scaleArgs;
  CUDA_OK(cudaGraphAddKernelNode(&scale, graph, nullptr, 0, &kp));
  mul = 1000; // the node copied the arguments when it was added
  CUDA_OK(cudaGraphAddMemcpyNode1D(&copyIn, graph, nullptr, 0, a, input.data(), n * sizeof(int),
                                   cudaMemcpyHostToDevice));
  cudaMemsetParams mp{sum, 0, 0, 4, size_t(n), 1};
  CUDA_OK(cudaGraphAddMemsetNode(&zero, graph, nullptr, 0, &mp));
  CUDA_OK(cudaGraphAddEmptyNode(&empty, graph, &scale, 1));
  const cudaGraphNode_t from[] = {copyIn, scale, zero, empty, accum, copyOut};
  const cudaGraphNode_t to[] = {scale, accum, accum, accum, copyOut, host};
  CUDA_OK(cudaGraphAddDependencies(graph, from, to, 6));

  size_t count = 0;
  CUDA_OK(cudaGraphGetNodes(graph, nullptr, &count));
  EXPECT_EQ(count, 7u);
  cudaGraphNode_t roots[4] = {};
  count = 4;
  CUDA_OK(cudaGraphGetRootNodes(graph, roots, &count));
  ASSERT_EQ(count, 2u);
  EXPECT_EQ(roots[0], copyIn);
  EXPECT_EQ(roots[1], zero);
  cudaGraphNodeType type;
  CUDA_OK(cudaGraphNodeGetType(accum, &type));
  EXPECT_EQ(type, cudaGraphNodeTypeKernel);
  CUDA_OK(cudaGraphNodeGetType(zero, &type));
  EXPECT_EQ(type, cudaGraphNodeTypeMemset);

  cudaGraphExec_t exec = nullptr;
  CUDA_OK(cudaGraphInstantiate(&exec, graph, 0));
  cudaStream_t s;
  CUDA_OK(cudaStreamCreate(&s));
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < n; ++i)
      input[i] = i * (round + 1); // read when the graph runs
    CUDA_OK(cudaGraphLaunch(exec, s));
    CUDA_OK(cudaStreamSynchronize(s));
    for (int i = 0; i < n; ++i)
      ASSERT_EQ(out[i], 3 * input[i] + 1) << "round " << round << ", element " << i;
    EXPECT_EQ(check.calls, round + 1);
    EXPECT_EQ(check.seen, 3 * input[10] + 1) << "the host node ran before the copy it depends on";
  }

  // A cycle cannot be instantiated; bad edges and node parameters are refused.
  cudaGraphExec_t cyclic = nullptr;
  CUDA_OK(cudaGraphAddDependencies(graph, &host, &copyIn, 1));
  EXPECT_EQ(cudaGraphInstantiate(&cyclic, graph, 0), cudaErrorInvalidValue);
  EXPECT_EQ(cudaGraphAddDependencies(graph, &copyIn, &scale, 1), cudaErrorInvalidValue); // already an edge
  EXPECT_EQ(cudaGraphAddDependencies(graph, &scale, &scale, 1), cudaErrorInvalidValue);
  cudaGraph_t other = nullptr;
  CUDA_OK(cudaGraphCreate(&other, 0));
  cudaGraphNode_t stray;
  EXPECT_EQ(cudaGraphAddEmptyNode(&stray, other, &scale, 1), cudaErrorInvalidValue); // not other's node
  cudaMemsetParams pattern{sum, 0, 0x01020304u, 4, size_t(n), 1};
  EXPECT_EQ(cudaGraphAddMemsetNode(&stray, other, nullptr, 0, &pattern), cudaErrorNotSupported);
  cudaMemsetParams badSize{sum, 0, 0, 3, size_t(n), 1};
  EXPECT_EQ(cudaGraphAddMemsetNode(&stray, other, nullptr, 0, &badSize), cudaErrorInvalidValue);
  void *extra[] = {nullptr};
  kp.extra = extra;
  EXPECT_EQ(cudaGraphAddKernelNode(&stray, other, nullptr, 0, &kp), cudaErrorNotSupported);
  cudaGetLastError();
  // The executable graph was a snapshot: still runs after the graph changed and was destroyed.
  CUDA_OK(cudaGraphDestroy(graph));
  CUDA_OK(cudaGraphDestroy(other));
  CUDA_OK(cudaGraphLaunch(exec, s));
  CUDA_OK(cudaStreamSynchronize(s));
  EXPECT_EQ(check.calls, 4);
  CUDA_OK(cudaGraphExecDestroy(exec));
  CUDA_OK(cudaStreamDestroy(s));
  CUDA_OK(cudaFree(a));
  CUDA_OK(cudaFree(sum));
}

CUPORT_INSTANTIATE_BACKENDS(GraphTest);

} // namespace

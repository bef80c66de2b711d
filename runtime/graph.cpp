// CUDA graphs made by stream capture: cudaStreamBeginCapture / cudaStreamEndCapture / cudaStreamIsCapturing,
// cudaGraphInstantiate(WithFlags), cudaGraphLaunch, cudaGraphGetNodes, cudaGraphExecDestroy, cudaGraphDestroy.
//
// A captured graph is the capturing stream's work items in order (stream.h: CaptureState), each one a node:
// kernel launches (with their arguments copied at capture), copies, memsets, host functions, event records.
// Launching an executable graph enqueues copies of those items on the launch stream, so the graph runs in
// that stream's order, any number of times.  Graphs built node by node (cudaGraphAddKernelNode, ...),
// captures that join several streams, and allocation nodes are not implemented (docs/limitations.md).
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "api.h"
#include "error.h"
#include "log.h"
#include "stream.h"

namespace cuport {
namespace {

struct Graph {
  int device = 0;
  std::vector<StreamWork> nodes;
};

// Live graphs and executable graphs by handle, so a stale or foreign handle is an error, not a crash.
struct GraphHandles {
  std::mutex mu;
  std::unordered_map<const void*, std::shared_ptr<Graph>> graphs, execs;
};
GraphHandles& graph_handles() {
  static GraphHandles* h = new GraphHandles;  // leaked: usable during exit
  return *h;
}

std::shared_ptr<Graph> find(std::unordered_map<const void*, std::shared_ptr<Graph>>& map, const void* handle) {
  std::lock_guard<std::mutex> lock(graph_handles().mu);
  auto it = map.find(handle);
  return it == map.end() ? nullptr : it->second;
}

cudaError_t capturing_stream(cudaStream_t handle, StreamRef* out) {
  Current cur;
  return current_stream(handle, &cur, out);
}

cudaError_t begin_capture(cudaStream_t stream, int mode) {
  if (mode < cudaStreamCaptureModeGlobal || mode > cudaStreamCaptureModeRelaxed) return cudaErrorInvalidValue;
  StreamRef s;
  cudaError_t e = capturing_stream(stream, &s);
  if (e != cudaSuccess) return e;
  return stream_begin_capture(s);
}

cudaError_t end_capture(cudaStream_t stream, cudaGraph_t* out) {
  if (!out) return cudaErrorInvalidValue;
  StreamRef s;
  cudaError_t e = capturing_stream(stream, &s);
  if (e != cudaSuccess) return e;
  std::shared_ptr<CaptureState> c = stream_end_capture(s);
  *out = nullptr;
  if (!c) return cudaErrorIllegalState;
  if (c->invalidated) return cudaErrorStreamCaptureInvalidated;
  auto g = std::make_shared<Graph>();
  g->device = stream_device(s);
  g->nodes = std::move(c->work);
  std::lock_guard<std::mutex> lock(graph_handles().mu);
  graph_handles().graphs[g.get()] = g;
  *out = reinterpret_cast<cudaGraph_t>(g.get());
  return cudaSuccess;
}

cudaError_t is_capturing(cudaStream_t stream, cudaStreamCaptureStatus* status) {
  if (!status) return cudaErrorInvalidValue;
  StreamRef s;
  cudaError_t e = capturing_stream(stream, &s);
  if (e != cudaSuccess) return e;
  *status = static_cast<cudaStreamCaptureStatus>(stream_capture_status(s));
  return cudaSuccess;
}

cudaError_t instantiate(cudaGraphExec_t* out, cudaGraph_t graph, unsigned long long flags) {
  if (!out) return cudaErrorInvalidValue;
  *out = nullptr;
  // cudaGraphInstantiateFlagAutoFreeOnLaunch (1), UseNodePriority (8): meaningless without allocation
  // nodes or priorities.  Upload (2) and DeviceLaunch (4) need what this runtime does not have.
  if (flags & ~(1ull | 8ull)) return cudaErrorInvalidValue;
  std::shared_ptr<Graph> g = find(graph_handles().graphs, graph);
  if (!g) return cudaErrorInvalidValue;
  // The executable graph is a snapshot: later changes to (or destruction of) the graph do not affect it.
  auto x = std::make_shared<Graph>(*g);
  std::lock_guard<std::mutex> lock(graph_handles().mu);
  graph_handles().execs[x.get()] = x;
  *out = reinterpret_cast<cudaGraphExec_t>(x.get());
  return cudaSuccess;
}

cudaError_t launch_graph(cudaGraphExec_t exec, cudaStream_t stream) {
  std::shared_ptr<Graph> x = find(graph_handles().execs, exec);
  if (!x) return cudaErrorInvalidValue;
  Current cur;
  StreamRef s;
  cudaError_t e = current_stream(stream, &cur, &s);
  if (e != cudaSuccess) return e;
  if (stream_device(s) != x->device) return cudaErrorInvalidValue;  // a graph runs on the device it was made on
  for (const StreamWork& node : x->nodes)
    if ((e = stream_enqueue(s, node)) != cudaSuccess) return e;
  return cudaSuccess;
}

cudaError_t get_nodes(cudaGraph_t graph, cudaGraphNode_t* nodes, size_t* count) {
  if (!count) return cudaErrorInvalidValue;
  std::shared_ptr<Graph> g = find(graph_handles().graphs, graph);
  if (!g) return cudaErrorInvalidValue;
  if (nodes) {
    // Node handles name the graph's nodes (opaque: nothing accepts them yet but comparison).
    const size_t n = *count < g->nodes.size() ? *count : g->nodes.size();
    for (size_t i = 0; i < n; ++i) nodes[i] = reinterpret_cast<cudaGraphNode_t>(&g->nodes[i]);
    for (size_t i = n; i < *count; ++i) nodes[i] = nullptr;
  }
  *count = g->nodes.size();
  return cudaSuccess;
}

cudaError_t destroy(std::unordered_map<const void*, std::shared_ptr<Graph>>& map, const void* handle) {
  std::lock_guard<std::mutex> lock(graph_handles().mu);
  // Launched work holds copies of the nodes, so destroying a graph that is still running is safe.
  return map.erase(handle) ? cudaSuccess : cudaErrorInvalidValue;
}

}  // namespace
}  // namespace cuport

using cuport::kLogStream;
using cuport::record_error;

extern "C" {

cudaError_t cudaStreamBeginCapture(cudaStream_t stream, enum cudaStreamCaptureMode mode) {
  CUPORT_RETURN(kLogStream, record_error(cuport::begin_capture(stream, mode)), "stream=%p, mode=%d",
                (const void*)stream, int(mode));
}

cudaError_t cudaStreamEndCapture(cudaStream_t stream, cudaGraph_t* pGraph) {
  CUPORT_RETURN(kLogStream, record_error(cuport::end_capture(stream, pGraph)), "stream=%p; *pGraph=%p",
                (const void*)stream, pGraph ? (const void*)*pGraph : nullptr);
}

cudaError_t cudaStreamIsCapturing(cudaStream_t stream, enum cudaStreamCaptureStatus* pCaptureStatus) {
  CUPORT_RETURN(kLogStream, record_error(cuport::is_capturing(stream, pCaptureStatus)), "stream=%p",
                (const void*)stream);
}

cudaError_t cudaGraphInstantiate(cudaGraphExec_t* pGraphExec, cudaGraph_t graph, unsigned long long flags) {
  CUPORT_RETURN(kLogStream, record_error(cuport::instantiate(pGraphExec, graph, flags)), "graph=%p, flags=%llu",
                (const void*)graph, flags);
}

cudaError_t cudaGraphInstantiateWithFlags(cudaGraphExec_t* pGraphExec, cudaGraph_t graph, unsigned long long flags) {
  CUPORT_RETURN(kLogStream, record_error(cuport::instantiate(pGraphExec, graph, flags)), "graph=%p, flags=%llu",
                (const void*)graph, flags);
}

cudaError_t cudaGraphLaunch(cudaGraphExec_t graphExec, cudaStream_t stream) {
  CUPORT_RETURN(kLogStream, record_error(cuport::launch_graph(graphExec, stream)), "graphExec=%p, stream=%p",
                (const void*)graphExec, (const void*)stream);
}

cudaError_t cudaGraphGetNodes(cudaGraph_t graph, cudaGraphNode_t* nodes, size_t* numNodes) {
  CUPORT_RETURN(kLogStream, record_error(cuport::get_nodes(graph, nodes, numNodes)), "graph=%p",
                (const void*)graph);
}

cudaError_t cudaGraphExecDestroy(cudaGraphExec_t graphExec) {
  CUPORT_RETURN(kLogStream, record_error(cuport::destroy(cuport::graph_handles().execs, graphExec)),
                "graphExec=%p", (const void*)graphExec);
}

cudaError_t cudaGraphDestroy(cudaGraph_t graph) {
  CUPORT_RETURN(kLogStream, record_error(cuport::destroy(cuport::graph_handles().graphs, graph)), "graph=%p",
                (const void*)graph);
}

}  // extern "C"

// CUDA graphs: made by stream capture (cudaStreamBeginCapture / cudaStreamEndCapture / cudaStreamIsCapturing)
// or node by node (cudaGraphCreate, cudaGraphAdd{Kernel,Memcpy,Memcpy1D,Memset,Host,Empty}Node,
// cudaGraphAddDependencies), then cudaGraphInstantiate(WithFlags), cudaGraphLaunch, cudaGraphGetNodes,
// cudaGraphGetRootNodes, cudaGraphNodeGetType, cudaGraphExecDestroy, cudaGraphDestroy.
//
// A node holds stream work items (stream.h): a kernel launch with its arguments copied, a copy, a memset, a
// host function.  A captured graph is the capturing stream's items in order, each one a node that depends
// on the one before.  A node added by hand is made the same way: the operation is captured from a private
// non-blocking stream, so it is validated and packed exactly as in a stream.  Instantiation orders the
// nodes by their dependencies (among the nodes that are ready, the one created first), and launching an
// executable graph enqueues copies of the items on the launch stream in that order: a valid order of the
// graph, run sequentially, any number of times.  Captures that join several streams, event and child-graph
// nodes, and allocation nodes are not implemented (docs/limitations.md).
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <unordered_map>
#include <vector>

#include "api.h"
#include "error.h"
#include "log.h"
#include "stream.h"

namespace cuport {
namespace {

struct Node {
  int type = -1;                 // cudaGraphNodeType; -1 for captured work of no node type (cudaFreeAsync)
  std::vector<StreamWork> work;  // run in order
  std::vector<const Node*> deps; // nodes that run before this one
};

struct Graph {
  int device = 0;
  std::vector<std::unique_ptr<Node>> nodes;  // in creation order (the handles point at them)
  std::vector<StreamWork> work;              // executable graphs: every item, in launch order
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
  for (size_t i = 0; i < c->work.size(); ++i) {
    auto n = std::make_unique<Node>();
    n->type = c->types[i];
    n->work.push_back(std::move(c->work[i]));
    if (!g->nodes.empty()) n->deps.push_back(g->nodes.back().get());
    g->nodes.push_back(std::move(n));
  }
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

// The graph's work items in a dependency order: Kahn's algorithm, taking the ready node created first.
// cudaErrorInvalidValue when the dependencies form a cycle.
cudaError_t order_work(const Graph& g, std::vector<StreamWork>* out) {
  std::unordered_map<const Node*, size_t> index;
  for (size_t i = 0; i < g.nodes.size(); ++i) index[g.nodes[i].get()] = i;
  std::vector<size_t> waiting(g.nodes.size());
  std::vector<std::vector<size_t>> next(g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i)
    for (const Node* d : g.nodes[i]->deps) {
      ++waiting[i];
      next[index.at(d)].push_back(i);
    }
  std::set<size_t> ready;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (waiting[i] == 0) ready.insert(i);
  size_t done = 0;
  while (!ready.empty()) {
    const size_t i = *ready.begin();
    ready.erase(ready.begin());
    ++done;
    for (const StreamWork& w : g.nodes[i]->work) out->push_back(w);
    for (size_t j : next[i])
      if (--waiting[j] == 0) ready.insert(j);
  }
  return done == g.nodes.size() ? cudaSuccess : cudaErrorInvalidValue;
}

cudaError_t create_graph(cudaGraph_t* out, unsigned flags) {
  if (!out || flags != 0) return cudaErrorInvalidValue;
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  auto g = std::make_shared<Graph>();
  g->device = cur.device;
  std::lock_guard<std::mutex> lock(graph_handles().mu);
  graph_handles().graphs[g.get()] = g;
  *out = reinterpret_cast<cudaGraph_t>(g.get());
  return cudaSuccess;
}

// Whether `node` is one of g's nodes.  Requires graph_handles().mu.
bool owns(const Graph& g, const void* node) {
  for (const auto& n : g.nodes)
    if (n.get() == node) return true;
  return false;
}

// Adds a node made by `op`, which queues its work on the stream it is given (a private stream that
// captures; nothing runs now).  The graph's device must be current.
cudaError_t add_node(cudaGraphNode_t* out, cudaGraph_t graph, const cudaGraphNode_t* deps, size_t ndeps, int type,
                     const std::function<cudaError_t(cudaStream_t)>& op) {
  if (!out || (ndeps && !deps)) return cudaErrorInvalidValue;
  std::shared_ptr<Graph> g = find(graph_handles().graphs, graph);
  if (!g) return cudaErrorInvalidValue;
  {
    std::lock_guard<std::mutex> lock(graph_handles().mu);
    for (size_t i = 0; i < ndeps; ++i)
      if (!owns(*g, deps[i])) return cudaErrorInvalidValue;
    for (size_t i = 0; i < ndeps; ++i)
      for (size_t j = 0; j < i; ++j)
        if (deps[i] == deps[j]) return cudaErrorInvalidValue;  // CUDA refuses duplicate dependencies
  }
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  if (cur.device != g->device) return cudaErrorInvalidDevice;  // one device per graph here
  auto node = std::make_unique<Node>();
  node->type = type;
  if (op) {
    cudaStream_t s = nullptr;
    if ((e = cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking)) != cudaSuccess) return e;
    StreamRef ref;
    e = capturing_stream(s, &ref);
    if (e == cudaSuccess) e = stream_begin_capture(ref);
    if (e == cudaSuccess) {
      e = op(s);
      std::shared_ptr<CaptureState> c = stream_end_capture(ref);
      if (e == cudaSuccess && (!c || c->invalidated)) e = cudaErrorInvalidValue;
      if (e == cudaSuccess) node->work = std::move(c->work);
    }
    cudaStreamDestroy(s);
    if (e != cudaSuccess) return e;
  }
  for (size_t i = 0; i < ndeps; ++i) node->deps.push_back(reinterpret_cast<const Node*>(deps[i]));
  std::lock_guard<std::mutex> lock(graph_handles().mu);
  *out = reinterpret_cast<cudaGraphNode_t>(node.get());
  g->nodes.push_back(std::move(node));
  return cudaSuccess;
}

cudaError_t add_memset_node(cudaGraphNode_t* out, cudaGraph_t graph, const cudaGraphNode_t* deps, size_t ndeps,
                            const cudaMemsetParams* p) {
  if (!p || (p->elementSize != 1 && p->elementSize != 2 && p->elementSize != 4) || !p->height) return cudaErrorInvalidValue;
  // Wider elements are a byte memset when their bytes are all the same (0, ~0, ...); other patterns are not
  // supported (the backend ABI sets bytes).
  const unsigned byte = p->value & 0xffu;
  for (unsigned b = 1; b < p->elementSize; ++b)
    if (((p->value >> (8 * b)) & 0xffu) != byte) return cudaErrorNotSupported;
  if (p->elementSize < 4 && (p->value >> (8 * p->elementSize)) != 0) return cudaErrorInvalidValue;
  const size_t width = p->width * p->elementSize, pitch = p->height == 1 ? width : p->pitch;
  void* dst = p->dst;
  const size_t height = p->height;
  return add_node(out, graph, deps, ndeps, cudaGraphNodeTypeMemset, [=](cudaStream_t s) {
    return cudaMemset2DAsync(dst, pitch, int(byte), width, height, s);
  });
}

cudaError_t add_dependencies(cudaGraph_t graph, const cudaGraphNode_t* from, const cudaGraphNode_t* to, size_t n) {
  if (n && (!from || !to)) return cudaErrorInvalidValue;
  std::shared_ptr<Graph> g = find(graph_handles().graphs, graph);
  if (!g) return cudaErrorInvalidValue;
  std::lock_guard<std::mutex> lock(graph_handles().mu);
  for (size_t i = 0; i < n; ++i) {
    if (!owns(*g, from[i]) || !owns(*g, to[i]) || from[i] == to[i]) return cudaErrorInvalidValue;
    const auto& deps = reinterpret_cast<const Node*>(to[i])->deps;
    for (const Node* d : deps)
      if (d == reinterpret_cast<const Node*>(from[i])) return cudaErrorInvalidValue;  // already an edge
  }
  for (size_t i = 0; i < n; ++i)
    reinterpret_cast<Node*>(to[i])->deps.push_back(reinterpret_cast<const Node*>(from[i]));
  return cudaSuccess;
}

cudaError_t root_nodes(cudaGraph_t graph, cudaGraphNode_t* roots, size_t* count) {
  if (!count) return cudaErrorInvalidValue;
  std::shared_ptr<Graph> g = find(graph_handles().graphs, graph);
  if (!g) return cudaErrorInvalidValue;
  std::lock_guard<std::mutex> lock(graph_handles().mu);
  size_t found = 0;
  for (const auto& n : g->nodes)
    if (n->deps.empty()) {
      if (roots && found < *count) roots[found] = reinterpret_cast<cudaGraphNode_t>(n.get());
      ++found;
    }
  if (roots)
    for (size_t i = found; i < *count; ++i) roots[i] = nullptr;
  *count = found;
  return cudaSuccess;
}

// The node's type; cudaErrorNotSupported for nodes of captured graphs (cuport does not record it).
cudaError_t node_type(cudaGraphNode_t node, cudaGraphNodeType* type) {
  if (!node || !type) return cudaErrorInvalidValue;
  std::lock_guard<std::mutex> lock(graph_handles().mu);
  for (const auto& [handle, g] : graph_handles().graphs)
    if (owns(*g, node)) {
      const int t = reinterpret_cast<const Node*>(node)->type;
      if (t < 0) return cudaErrorNotSupported;
      *type = static_cast<cudaGraphNodeType>(t);
      return cudaSuccess;
    }
  return cudaErrorInvalidValue;
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
  auto x = std::make_shared<Graph>();
  x->device = g->device;
  cudaError_t e = order_work(*g, &x->work);
  if (e != cudaSuccess) return e;
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
  for (const StreamWork& item : x->work)
    if ((e = stream_enqueue(s, item)) != cudaSuccess) return e;
  return cudaSuccess;
}

cudaError_t get_nodes(cudaGraph_t graph, cudaGraphNode_t* nodes, size_t* count) {
  if (!count) return cudaErrorInvalidValue;
  std::shared_ptr<Graph> g = find(graph_handles().graphs, graph);
  if (!g) return cudaErrorInvalidValue;
  if (nodes) {
    const size_t n = *count < g->nodes.size() ? *count : g->nodes.size();
    for (size_t i = 0; i < n; ++i) nodes[i] = reinterpret_cast<cudaGraphNode_t>(g->nodes[i].get());
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

cudaError_t cudaGraphCreate(cudaGraph_t* pGraph, unsigned int flags) {
  CUPORT_RETURN(kLogStream, record_error(cuport::create_graph(pGraph, flags)), "flags=%u; *pGraph=%p", flags,
                pGraph ? (const void*)*pGraph : nullptr);
}

cudaError_t cudaGraphAddKernelNode(cudaGraphNode_t* pGraphNode, cudaGraph_t graph, const cudaGraphNode_t* pDependencies,
                                   size_t numDependencies, const struct cudaKernelNodeParams* p) {
  cudaError_t e = cudaErrorInvalidValue;
  if (p && p->extra)
    e = cudaErrorNotSupported;  // the `extra` form of kernel arguments
  else if (p)
    e = cuport::add_node(pGraphNode, graph, pDependencies, numDependencies, cudaGraphNodeTypeKernel,
                         [p](cudaStream_t s) {
                           return cudaLaunchKernel(p->func, p->gridDim, p->blockDim, p->kernelParams,
                                                   p->sharedMemBytes, s);
                         });
  CUPORT_RETURN(kLogStream, record_error(e), "graph=%p, func=%p, numDependencies=%zu", (const void*)graph,
                p ? p->func : nullptr, numDependencies);
}

cudaError_t cudaGraphAddMemcpyNode(cudaGraphNode_t* pGraphNode, cudaGraph_t graph, const cudaGraphNode_t* pDependencies,
                                   size_t numDependencies, const struct cudaMemcpy3DParms* p) {
  cudaError_t e = p ? cuport::add_node(pGraphNode, graph, pDependencies, numDependencies, cudaGraphNodeTypeMemcpy,
                                       [p](cudaStream_t s) { return cudaMemcpy3DAsync(p, s); })
                    : cudaErrorInvalidValue;
  CUPORT_RETURN(kLogStream, record_error(e), "graph=%p, numDependencies=%zu", (const void*)graph, numDependencies);
}

cudaError_t cudaGraphAddMemcpyNode1D(cudaGraphNode_t* pGraphNode, cudaGraph_t graph, const cudaGraphNode_t* pDependencies,
                                     size_t numDependencies, void* dst, const void* src, size_t count,
                                     enum cudaMemcpyKind kind) {
  cudaError_t e = cuport::add_node(pGraphNode, graph, pDependencies, numDependencies, cudaGraphNodeTypeMemcpy,
                                   [=](cudaStream_t s) { return cudaMemcpyAsync(dst, src, count, kind, s); });
  CUPORT_RETURN(kLogStream, record_error(e), "graph=%p, dst=%p, src=%p, count=%zu, kind=%d", (const void*)graph, dst,
                src, count, int(kind));
}

cudaError_t cudaGraphAddMemsetNode(cudaGraphNode_t* pGraphNode, cudaGraph_t graph, const cudaGraphNode_t* pDependencies,
                                   size_t numDependencies, const struct cudaMemsetParams* p) {
  CUPORT_RETURN(kLogStream, record_error(cuport::add_memset_node(pGraphNode, graph, pDependencies, numDependencies, p)),
                "graph=%p, dst=%p", (const void*)graph, p ? p->dst : nullptr);
}

cudaError_t cudaGraphAddHostNode(cudaGraphNode_t* pGraphNode, cudaGraph_t graph, const cudaGraphNode_t* pDependencies,
                                 size_t numDependencies, const struct cudaHostNodeParams* p) {
  cudaError_t e = p && p->fn ? cuport::add_node(pGraphNode, graph, pDependencies, numDependencies,
                                                cudaGraphNodeTypeHost,
                                                [fn = p->fn, data = p->userData](cudaStream_t s) {
                                                  return cudaLaunchHostFunc(s, fn, data);
                                                })
                             : cudaErrorInvalidValue;
  CUPORT_RETURN(kLogStream, record_error(e), "graph=%p, fn=%p", (const void*)graph,
                p ? reinterpret_cast<const void*>(p->fn) : nullptr);
}

cudaError_t cudaGraphAddEmptyNode(cudaGraphNode_t* pGraphNode, cudaGraph_t graph, const cudaGraphNode_t* pDependencies,
                                  size_t numDependencies) {
  CUPORT_RETURN(kLogStream,
                record_error(cuport::add_node(pGraphNode, graph, pDependencies, numDependencies, cudaGraphNodeTypeEmpty,
                                              nullptr)),
                "graph=%p", (const void*)graph);
}

cudaError_t cudaGraphAddDependencies(cudaGraph_t graph, const cudaGraphNode_t* from, const cudaGraphNode_t* to,
                                     size_t numDependencies) {
  CUPORT_RETURN(kLogStream, record_error(cuport::add_dependencies(graph, from, to, numDependencies)),
                "graph=%p, numDependencies=%zu", (const void*)graph, numDependencies);
}

cudaError_t cudaGraphGetRootNodes(cudaGraph_t graph, cudaGraphNode_t* pRootNodes, size_t* pNumRootNodes) {
  CUPORT_RETURN(kLogStream, record_error(cuport::root_nodes(graph, pRootNodes, pNumRootNodes)), "graph=%p",
                (const void*)graph);
}

cudaError_t cudaGraphNodeGetType(cudaGraphNode_t node, enum cudaGraphNodeType* pType) {
  CUPORT_RETURN(kLogStream, record_error(cuport::node_type(node, pType)), "node=%p", (const void*)node);
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

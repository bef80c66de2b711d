// Internal: CUDA streams as in-order work queues, each executed by its own runtime-owned worker thread
// (started on the stream's first work item), and the legacy default stream's implicit synchronization.
//
// Ordering model:
// - Every stream counts the items ever enqueued (`enqueued`) and completed (`completed`); items complete
//   in order, so "the stream reached item n" is `completed >= n`.
// - An item may carry dependencies (stream, n): the worker waits until each of them is reached before it
//   runs the item (cudaStreamWaitEvent, the legacy-stream rule).  Dependencies always name items enqueued
//   earlier in real time, so waits never form a cycle.
// - Legacy rule, decided under the device's order lock at enqueue time: an item on the legacy stream
//   depends on the current tail of every blocking stream of the device (user streams without
//   cudaStreamNonBlocking, per-thread streams); an item on a blocking stream depends on the legacy
//   stream's current tail.  Non-blocking streams get neither.
// - Errors raised by asynchronous work are kept per device and returned (once) by the next synchronizing
//   call; kernel-fault-class errors are also made sticky (error.h).
#ifndef CUPORT_RUNTIME_STREAM_H
#define CUPORT_RUNTIME_STREAM_H

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "api.h"
#include "device.h"

namespace cuport {

struct Stream;
using StreamRef = std::shared_ptr<Stream>;

struct StreamDep {
  StreamRef stream;
  uint64_t seq;  // the dependency is met once `stream` completed this many items
};

// A work item: runs on the stream's worker thread, after the stream's earlier items and its dependencies.
using StreamWork = std::function<void()>;

// The stream a handle names for the current device: 0 / cudaStreamLegacy (the legacy stream),
// cudaStreamPerThread (the calling thread's per-thread stream), or a live created stream.
// cudaErrorInvalidResourceHandle for anything else (including destroyed streams).
cudaError_t resolve_stream(cudaStream_t handle, const Current& cur, StreamRef* out);
// The calling thread's current device (current()) and the stream `handle` names on it: the prologue of every
// entry point that queues work.
cudaError_t current_stream(cudaStream_t handle, Current* cur, StreamRef* out);

// CUDA device number a stream belongs to, and its backend.
int stream_device(const StreamRef& s);

// Appends `work` to `s` (with the legacy rule's dependencies and `deps`); `*seq` receives its position.
// `node_type`: the cudaGraphNodeType a capture records for it (-1: none of them).
cudaError_t stream_enqueue(const StreamRef& s, StreamWork work, std::vector<StreamDep> deps = {},
                           uint64_t* seq = nullptr, int node_type = -1);
// One operation of a kind a graph node has (cudaGraphNodeType: kernel, copy, memset, host call, event
// record), with no dependencies beyond the stream's.
inline cudaError_t stream_enqueue_op(const StreamRef& s, int node_type, StreamWork work) {
  return stream_enqueue(s, std::move(work), {}, nullptr, node_type);
}

// Stream capture (cudaStreamBeginCapture .. cudaStreamEndCapture, graph.cpp): while a stream captures,
// stream_enqueue appends its work to the capture instead of running it.  One stream per capture: a
// dependency on another stream's work (cudaStreamWaitEvent on an event recorded elsewhere) invalidates the
// capture with cudaErrorStreamCaptureIsolation; waiting for a capturing stream (synchronous copies on it,
// cudaStreamSynchronize) invalidates it with cudaErrorStreamCaptureUnsupported; legacy-stream work while a
// blocking stream of the device captures gives cudaErrorStreamCaptureImplicit and invalidates that capture.
// The capture modes (global, thread-local, relaxed) are accepted and behave alike: these rules hold in all.
struct CaptureState {
  bool invalidated = false;
  std::vector<StreamWork> work;  // in stream order
  std::vector<int> types;        // each item's cudaGraphNodeType (cudaGraphNodeGetType), -1 for others
};
// Starts capturing on `s`: cudaErrorStreamCaptureUnsupported for the legacy stream, cudaErrorIllegalState
// when `s` already captures.
cudaError_t stream_begin_capture(const StreamRef& s);
// Ends it: the captured work (the capture's state, invalidated or not); null when `s` was not capturing.
std::shared_ptr<CaptureState> stream_end_capture(const StreamRef& s);
// cudaStreamCaptureStatus of `s`.
int stream_capture_status(const StreamRef& s);
// Whether `s` captures (its work is recorded, not run): copies must then not snapshot pageable memory.
bool stream_capturing(const StreamRef& s);
// For operations a capture cannot hold (waiting for the stream, stream-ordered allocation): when `s`
// captures, invalidates the capture and returns cudaErrorStreamCaptureUnsupported; else cudaSuccess.
cudaError_t refuse_wait_if_capturing(const StreamRef& s);

// Has `s` completed `seq` items?  Waits until it has.  A worker waiting for its own stream fails with
// cudaErrorNotPermitted (a callback calling a synchronizing API) instead of deadlocking.
bool stream_reached(const StreamRef& s, uint64_t seq);
cudaError_t stream_wait(const StreamRef& s, uint64_t seq);

// Enqueues `work` and waits for it (synchronous API calls that CUDA orders on the legacy stream).
cudaError_t stream_run_and_wait(const StreamRef& s, StreamWork work);

// cudaStreamSynchronize / cudaStreamQuery semantics for a resolved stream: waiting for the legacy stream
// also waits for the blocking streams' work enqueued before the call.  Neither consumes async errors.
cudaError_t stream_synchronize(const StreamRef& s);
bool stream_idle(const StreamRef& s);

// Waits for every stream of `device` to finish the work enqueued before the call (cudaDeviceSynchronize,
// cudaFree, cudaDeviceReset).
cudaError_t synchronize_device_streams(int device);

// Error of asynchronous work on `device`: noted by workers, consumed by synchronizing calls.
void note_async_error(int device, cudaError_t e);
cudaError_t take_async_error(int device);
cudaError_t peek_async_error(int device);

// Status a synchronizing call returns after waiting: the device's sticky error, else its async error
// (consumed), else cudaSuccess.
cudaError_t sync_result(int device);

// Process exit / unload: waits (bounded by CUPORT_EXIT_TIMEOUT_MS, default 10000) for every stream to
// drain.  Returns true when nothing is queued or running afterwards.
bool drain_all_streams();
// Called once before backends shut down: drains (bounded), then abandons whatever is still queued (it is
// dropped, not run) and stops the workers.  Returns true when no work is executing in any backend hook,
// i.e. the backends may be shut down safely.
bool shutdown_streams();

}  // namespace cuport

#endif

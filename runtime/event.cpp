// Events: cudaEventCreate(WithFlags), cudaEventRecord(WithFlags), cudaEventQuery, cudaEventSynchronize,
// cudaEventElapsedTime, cudaEventDestroy, and cudaStreamWaitEvent.
//
// Recording an event enqueues a marker item; when the stream's worker reaches it (after the stream's
// earlier work and the legacy rule's dependencies), it reads a steady clock.  The event then refers to
// that record (the stream and the marker's position) until it is recorded again.
#include <chrono>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <cstdint>

#include "error.h"
#include "log.h"
#include "stream.h"

namespace cuport {
namespace {

using Clock = std::chrono::steady_clock;

struct Record {
  StreamRef stream;
  uint64_t seq = 0;
  Clock::time_point time;  // written by the worker before the marker completes
};

struct Event {
  unsigned flags = 0;
  int device = 0;
  std::mutex mu;
  std::shared_ptr<Record> last;  // null until first recorded
};
using EventRef = std::shared_ptr<Event>;

struct Events {
  std::mutex mu;
  std::unordered_map<Event*, EventRef> live;
};
Events& events() {
  static Events* e = new Events;  // leaked: usable during exit
  return *e;
}

cudaError_t find_event(cudaEvent_t handle, EventRef* out) {
  if (!handle) return cudaErrorInvalidResourceHandle;
  std::lock_guard<std::mutex> lock(events().mu);
  auto it = events().live.find(reinterpret_cast<Event*>(handle));
  if (it == events().live.end()) return cudaErrorInvalidResourceHandle;
  *out = it->second;
  return cudaSuccess;
}

std::shared_ptr<Record> last_record(const EventRef& ev) {
  std::lock_guard<std::mutex> lock(ev->mu);
  return ev->last;
}

cudaError_t create(cudaEvent_t* out, unsigned flags) {
  if (!out) return cudaErrorInvalidValue;
  const unsigned known = cudaEventBlockingSync | cudaEventDisableTiming | cudaEventInterprocess;
  if (flags & ~known) return cudaErrorInvalidValue;
  // Interprocess events must disable timing (CUDA's rule).
  if ((flags & cudaEventInterprocess) && !(flags & cudaEventDisableTiming)) return cudaErrorInvalidValue;
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  auto ev = std::make_shared<Event>();
  ev->flags = flags;
  ev->device = cur.device;
  std::lock_guard<std::mutex> lock(events().mu);
  events().live[ev.get()] = ev;
  *out = reinterpret_cast<cudaEvent_t>(ev.get());
  return cudaSuccess;
}

cudaError_t destroy(cudaEvent_t handle) {
  if (!handle) return cudaErrorInvalidResourceHandle;
  std::lock_guard<std::mutex> lock(events().mu);
  auto it = events().live.find(reinterpret_cast<Event*>(handle));
  if (it == events().live.end()) return cudaErrorInvalidResourceHandle;
  events().live.erase(it);  // a pending record completes on its own; nothing waits for the event object
  return cudaSuccess;
}

cudaError_t record(cudaEvent_t handle, cudaStream_t stream, unsigned flags) {
  if (flags & ~unsigned(cudaEventRecordExternal)) return cudaErrorInvalidValue;
  EventRef ev;
  cudaError_t e = find_event(handle, &ev);
  if (e != cudaSuccess) return e;
  Current cur;
  StreamRef s;
  e = current_stream(stream, &cur, &s);
  if (e != cudaSuccess) return e;
  if (stream_device(s) != ev->device) return cudaErrorInvalidResourceHandle;
  auto rec = std::make_shared<Record>();
  rec->stream = s;
  const bool timed = !(ev->flags & cudaEventDisableTiming);
  // Holding the event's lock across the enqueue keeps concurrent records of one event in stream order.
  std::lock_guard<std::mutex> lock(ev->mu);
  uint64_t seq = 0;
  e = stream_enqueue(s, [rec, timed] {
        if (timed) rec->time = Clock::now();
      }, {}, &seq);
  if (e != cudaSuccess) return e;
  rec->seq = seq;  // readers see the record only through `last`, set below under the event's lock
  ev->last = std::move(rec);
  return cudaSuccess;
}

cudaError_t query(cudaEvent_t handle) {
  EventRef ev;
  cudaError_t e = find_event(handle, &ev);
  if (e != cudaSuccess) return e;
  std::shared_ptr<Record> rec = last_record(ev);
  if (!rec) return cudaSuccess;  // never recorded: CUDA reports success
  return stream_reached(rec->stream, rec->seq) ? cudaSuccess : cudaErrorNotReady;
}

cudaError_t synchronize(cudaEvent_t handle) {
  EventRef ev;
  cudaError_t e = find_event(handle, &ev);
  if (e != cudaSuccess) return e;
  std::shared_ptr<Record> rec = last_record(ev);
  if (!rec) return cudaSuccess;
  e = stream_wait(rec->stream, rec->seq);
  if (e != cudaSuccess) return e;
  return sync_result(ev->device);
}

cudaError_t elapsed(float* ms, cudaEvent_t start, cudaEvent_t end) {
  if (!ms) return cudaErrorInvalidValue;
  EventRef a, b;
  cudaError_t e = find_event(start, &a);
  if (e != cudaSuccess) return e;
  e = find_event(end, &b);
  if (e != cudaSuccess) return e;
  if ((a->flags & cudaEventDisableTiming) || (b->flags & cudaEventDisableTiming))
    return cudaErrorInvalidResourceHandle;
  std::shared_ptr<Record> ra = last_record(a), rb = last_record(b);
  if (!ra || !rb) return cudaErrorInvalidResourceHandle;  // never recorded
  if (!stream_reached(ra->stream, ra->seq) || !stream_reached(rb->stream, rb->seq)) return cudaErrorNotReady;
  *ms = std::chrono::duration<float, std::milli>(rb->time - ra->time).count();
  return cudaSuccess;
}

cudaError_t stream_wait_event(cudaStream_t stream, cudaEvent_t handle, unsigned flags) {
  if (flags & ~unsigned(cudaEventWaitExternal)) return cudaErrorInvalidValue;
  Current cur;
  StreamRef s;
  cudaError_t e = current_stream(stream, &cur, &s);
  if (e != cudaSuccess) return e;
  EventRef ev;
  e = find_event(handle, &ev);
  if (e != cudaSuccess) return e;
  std::shared_ptr<Record> rec = last_record(ev);
  if (!rec) return cudaSuccess;  // waiting for a never-recorded event is a no-op
  if (stream_reached(rec->stream, rec->seq)) return cudaSuccess;
  return stream_enqueue(s, StreamWork(), {StreamDep{rec->stream, rec->seq}});
}

// cudaErrorNotReady is a status, not an error: CUDA does not record it for cudaGetLastError.
cudaError_t record_query(cudaError_t e) { return e == cudaErrorNotReady ? e : record_error(e); }

}  // namespace
}  // namespace cuport

using cuport::record_error;

extern "C" {

cudaError_t cudaEventCreate(cudaEvent_t* event) { CUPORT_RETURN(cuport::kLogStream,
                                                                record_error(cuport::create(event, cudaEventDefault)),
                                                                "event=%p", (const void*)(uintptr_t)(event)); }

cudaError_t cudaEventCreateWithFlags(cudaEvent_t* event, unsigned int flags) {
  CUPORT_RETURN(cuport::kLogStream, record_error(cuport::create(event, flags)), "event=%p, flags=%#x",
                (const void*)(uintptr_t)(event), (unsigned)(flags));
}

cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream) {
  CUPORT_RETURN(cuport::kLogStream, record_error(cuport::record(event, stream, cudaEventRecordDefault)),
                "event=%p, stream=%p", (const void*)(uintptr_t)(event), (const void*)(uintptr_t)(stream));
}

cudaError_t cudaEventRecordWithFlags(cudaEvent_t event, cudaStream_t stream, unsigned int flags) {
  CUPORT_RETURN(cuport::kLogStream, record_error(cuport::record(event, stream, flags)),
                "event=%p, stream=%p, flags=%#x", (const void*)(uintptr_t)(event), (const void*)(uintptr_t)(stream),
                (unsigned)(flags));
}

cudaError_t cudaEventQuery(cudaEvent_t event) { CUPORT_RETURN(cuport::kLogStream,
                                                              cuport::record_query(cuport::query(event)), "event=%p",
                                                              (const void*)(uintptr_t)(event)); }

cudaError_t cudaEventSynchronize(cudaEvent_t event) { CUPORT_RETURN(cuport::kLogStream,
                                                                    record_error(cuport::synchronize(event)),
                                                                    "event=%p", (const void*)(uintptr_t)(event)); }

cudaError_t cudaEventDestroy(cudaEvent_t event) { CUPORT_RETURN(cuport::kLogStream,
                                                                record_error(cuport::destroy(event)), "event=%p",
                                                                (const void*)(uintptr_t)(event)); }

cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t end) {
  CUPORT_RETURN(cuport::kLogStream, cuport::record_query(cuport::elapsed(ms, start, end)), "ms=%p, start=%p, end=%p",
                (const void*)(uintptr_t)(ms), (const void*)(uintptr_t)(start), (const void*)(uintptr_t)(end));
}

cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event, unsigned int flags) {
  CUPORT_RETURN(cuport::kLogStream, record_error(cuport::stream_wait_event(stream, event, flags)),
                "stream=%p, event=%p, flags=%#x", (const void*)(uintptr_t)(stream), (const void*)(uintptr_t)(event),
                (unsigned)(flags));
}

}  // extern "C"

// Streams (stream.h): the queues, their worker threads, the legacy rule, exit handling, and the stream
// entry points cudaStreamCreate(WithFlags/WithPriority), cudaStreamDestroy, cudaStreamSynchronize,
// cudaStreamQuery, cudaStreamWaitEvent (in event.cpp), cudaStreamAddCallback, cudaLaunchHostFunc,
// cudaStreamGetFlags, cudaStreamGetPriority, cudaDeviceGetStreamPriorityRange.
#include "stream.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>
#include <unordered_map>

#include <cstdint>

#include "error.h"
#include "log.h"

namespace cuport {

enum class StreamKind { kUser, kLegacy, kPerThread };

struct Stream : std::enable_shared_from_this<Stream> {
  int device = 0;
  StreamKind kind = StreamKind::kUser;
  unsigned flags = cudaStreamDefault;
  int priority = 0;

  bool blocking() const { return kind == StreamKind::kPerThread || (kind == StreamKind::kUser && !(flags & cudaStreamNonBlocking)); }

  struct Item {
    std::vector<StreamDep> deps;
    StreamWork work;
  };

  std::mutex mu;
  std::condition_variable work_cv;  // items queued / destroyed / abandon
  std::condition_variable done_cv;  // `completed` advanced
  std::deque<Item> queue;
  std::atomic<uint64_t> enqueued{0};   // written under the device's order lock and `mu`
  std::atomic<uint64_t> completed{0};  // written under `mu`
  bool worker_running = false;
  bool destroyed = false;
  std::shared_ptr<CaptureState> capture;  // while capturing (stream.h); under the device's order lock
};

namespace {

constexpr int kMaxDevices = 64;

// Per device: every stream that may still hold work (live ones, and destroyed ones until their worker has
// drained them), the legacy stream, and the order lock under which items are enqueued.
struct DeviceStreams {
  std::mutex mu;
  std::vector<StreamRef> streams;
  StreamRef legacy;
};

DeviceStreams& device_streams(int device) {
  static DeviceStreams* all = new DeviceStreams[kMaxDevices];  // leaked: usable during exit
  return all[device & (kMaxDevices - 1)];
}

// Live created streams by handle.
struct Handles {
  std::mutex mu;
  std::unordered_map<Stream*, StreamRef> live;
};
Handles& handles() {
  static Handles* h = new Handles;  // leaked
  return *h;
}

std::atomic<int> g_async_error[kMaxDevices];
std::atomic<bool> g_abandon{false};
std::atomic<int> g_executing{0};   // workers inside an item's work (a backend hook or host function)
thread_local Stream* t_worker_stream = nullptr;

int exit_timeout_ms() {
  const char* v = std::getenv("CUPORT_EXIT_TIMEOUT_MS");
  if (v && *v) {
    char* end = nullptr;
    const long n = std::strtol(v, &end, 10);
    if (end && *end == '\0' && n >= 0) return int(n);
  }
  return 10000;
}

void remove_from_device(const StreamRef& s) {
  DeviceStreams& d = device_streams(s->device);
  std::lock_guard<std::mutex> lock(d.mu);
  auto it = std::find(d.streams.begin(), d.streams.end(), s);
  if (it != d.streams.end()) d.streams.erase(it);
}

// Waking a sleeping thread costs tens of microseconds on a virtual machine, more than a small kernel or
// copy takes, so threads that wait for stream progress (and stream workers waiting for work) first spin
// for a short, bounded time before they sleep on a condition variable.
constexpr auto kSpinBudget = std::chrono::microseconds(60);

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#else
  std::this_thread::yield();
#endif
}

template <class Ready>
bool spin_until(Ready ready) {
  const auto start = std::chrono::steady_clock::now();
  for (unsigned i = 1;; ++i) {
    if (ready()) return true;
    cpu_relax();
    if ((i & 63) == 0 && std::chrono::steady_clock::now() - start > kSpinBudget) return ready();
  }
}

void wait_dep(const StreamDep& dep) {
  Stream& o = *dep.stream;
  if (spin_until([&] { return o.completed.load(std::memory_order_acquire) >= dep.seq || g_abandon.load(); }))
    return;
  std::unique_lock<std::mutex> lock(o.mu);
  o.done_cv.wait(lock, [&] { return o.completed.load(std::memory_order_acquire) >= dep.seq || g_abandon.load(); });
}

void worker_main(StreamRef s) {
  t_worker_stream = s.get();
  uint64_t taken = 0;  // items this worker has taken off the queue (the queue is non-empty iff enqueued > taken)
  for (;;) {
    Stream::Item item;
    spin_until([&] { return s->enqueued.load(std::memory_order_acquire) > taken || g_abandon.load(); });
    {
      std::unique_lock<std::mutex> lock(s->mu);
      s->work_cv.wait(lock, [&] { return !s->queue.empty() || s->destroyed || g_abandon.load(); });
      if (s->queue.empty()) {
        s->worker_running = false;  // destroyed (or abandoned) and drained
        break;
      }
      item = std::move(s->queue.front());
      s->queue.pop_front();
      ++taken;
    }
    for (const StreamDep& dep : item.deps) wait_dep(dep);
    if (item.work && !g_abandon.load()) {
      g_executing.fetch_add(1);
      item.work();
      g_executing.fetch_sub(1);
    }
    item = Stream::Item();  // release what the work captured (argument copies, staging buffers) first
    {
      std::lock_guard<std::mutex> lock(s->mu);
      s->completed.fetch_add(1, std::memory_order_acq_rel);
    }
    s->done_cv.notify_all();
  }
  bool destroyed;
  {
    std::lock_guard<std::mutex> lock(s->mu);
    destroyed = s->destroyed;
  }
  if (destroyed) remove_from_device(s);
  t_worker_stream = nullptr;
}

StreamRef make_stream(int device, StreamKind kind, unsigned flags, int priority) {
  auto s = std::make_shared<Stream>();
  s->device = device;
  s->kind = kind;
  s->flags = flags;
  s->priority = priority;
  DeviceStreams& d = device_streams(device);
  std::lock_guard<std::mutex> lock(d.mu);
  d.streams.push_back(s);
  return s;
}

// Marks `s` destroyed: its worker drains what is queued and exits; it leaves the device list then.
void retire_stream(const StreamRef& s) {
  DeviceStreams& d = device_streams(s->device);
  std::lock_guard<std::mutex> dl(d.mu);
  bool remove_now = false;
  {
    std::lock_guard<std::mutex> lock(s->mu);
    s->destroyed = true;
    remove_now = !s->worker_running;
  }
  s->work_cv.notify_all();
  if (remove_now) {
    auto it = std::find(d.streams.begin(), d.streams.end(), s);
    if (it != d.streams.end()) d.streams.erase(it);
  }
}

StreamRef legacy_stream(int device) {
  DeviceStreams& d = device_streams(device);
  {
    std::lock_guard<std::mutex> lock(d.mu);
    if (d.legacy) return d.legacy;
  }
  auto s = std::make_shared<Stream>();
  s->device = device;
  s->kind = StreamKind::kLegacy;
  std::lock_guard<std::mutex> lock(d.mu);
  if (!d.legacy) {
    d.legacy = s;
    d.streams.push_back(s);
  }
  return d.legacy;
}

// The calling thread's per-thread default streams, retired when the thread exits.
struct PerThreadStreams {
  std::vector<StreamRef> by_device;
  ~PerThreadStreams() {
    for (StreamRef& s : by_device)
      if (s) retire_stream(s);
  }
};
thread_local PerThreadStreams t_per_thread;

StreamRef per_thread_stream(int device) {
  std::vector<StreamRef>& v = t_per_thread.by_device;
  if (v.size() <= size_t(device)) v.resize(size_t(device) + 1);
  if (!v[device]) v[device] = make_stream(device, StreamKind::kPerThread, cudaStreamDefault, 0);
  return v[device];
}

// What waiting for `s` means: its own tail, and for the legacy stream the tails of the blocking streams.
std::vector<StreamDep> sync_targets(const StreamRef& s) {
  std::vector<StreamDep> targets;
  DeviceStreams& d = device_streams(s->device);
  std::lock_guard<std::mutex> lock(d.mu);
  targets.push_back({s, s->enqueued.load()});
  if (s->kind == StreamKind::kLegacy)
    for (const StreamRef& o : d.streams)
      if (o != s && o->blocking()) targets.push_back({o, o->enqueued.load()});
  return targets;
}

cudaError_t create_stream(cudaStream_t* out, unsigned flags, int priority) {
  if (!out) return cudaErrorInvalidValue;
  if (flags & ~unsigned(cudaStreamNonBlocking)) return cudaErrorInvalidValue;
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  // This runtime does not schedule by priority (cudaDevAttrStreamPrioritiesSupported is 0), so the range
  // is [0, 0] and every priority clamps to 0, as CUDA does for such devices.
  (void)priority;
  StreamRef s = make_stream(cur.device, StreamKind::kUser, flags, 0);
  {
    std::lock_guard<std::mutex> lock(handles().mu);
    handles().live[s.get()] = s;
  }
  *out = reinterpret_cast<cudaStream_t>(s.get());
  return cudaSuccess;
}

cudaError_t destroy_stream(cudaStream_t handle) {
  if (handle == nullptr || handle == cudaStreamLegacy || handle == cudaStreamPerThread)
    return cudaErrorInvalidResourceHandle;
  Current cur;
  cudaError_t e = current(&cur, /*check_sticky=*/false);
  if (e != cudaSuccess) return e;
  StreamRef s;
  {
    std::lock_guard<std::mutex> lock(handles().mu);
    auto it = handles().live.find(reinterpret_cast<Stream*>(handle));
    if (it == handles().live.end()) return cudaErrorInvalidResourceHandle;
    s = std::move(it->second);
    handles().live.erase(it);
  }
  retire_stream(s);
  return cudaSuccess;
}

// Resolves a handle with the current device (for entry points that take only a stream).
cudaError_t stream_of(cudaStream_t handle, StreamRef* out, bool check_sticky = true) {
  Current cur;
  cudaError_t e = current(&cur, check_sticky);
  if (e != cudaSuccess) return e;
  return resolve_stream(handle, cur, out);
}

// cudaErrorNotReady is a status, not an error: CUDA does not record it for cudaGetLastError.
cudaError_t record_query(cudaError_t e) { return e == cudaErrorNotReady ? e : record_error(e); }

}  // namespace

cudaError_t current_stream(cudaStream_t handle, Current* cur, StreamRef* out) {
  cudaError_t e = current(cur);
  return e != cudaSuccess ? e : resolve_stream(handle, *cur, out);
}

cudaError_t resolve_stream(cudaStream_t handle, const Current& cur, StreamRef* out) {
  if (handle == nullptr || handle == cudaStreamLegacy) {
    *out = legacy_stream(cur.device);
    return cudaSuccess;
  }
  if (handle == cudaStreamPerThread) {
    *out = per_thread_stream(cur.device);
    return cudaSuccess;
  }
  std::lock_guard<std::mutex> lock(handles().mu);
  auto it = handles().live.find(reinterpret_cast<Stream*>(handle));
  if (it == handles().live.end()) return cudaErrorInvalidResourceHandle;
  *out = it->second;
  return cudaSuccess;
}

int stream_device(const StreamRef& s) { return s->device; }

cudaError_t stream_enqueue(const StreamRef& s, StreamWork work, std::vector<StreamDep> deps, uint64_t* seq,
                           int node_type) {
  DeviceStreams& d = device_streams(s->device);
  std::lock_guard<std::mutex> order(d.mu);
  if (s->capture) {
    CaptureState& c = *s->capture;
    if (c.invalidated) return cudaErrorStreamCaptureInvalidated;
    for (const StreamDep& dep : deps)
      if (dep.stream != s && dep.seq > dep.stream->completed.load()) {
        c.invalidated = true;  // work of another stream would join this capture: not supported
        return cudaErrorStreamCaptureIsolation;
      }
    if (work) {
      c.work.push_back(std::move(work));
      c.types.push_back(node_type);
    }
    if (seq) *seq = s->enqueued.load();  // reached already: nothing of the capture runs now
    return cudaSuccess;
  }
  if (s->kind == StreamKind::kLegacy) {
    for (const StreamRef& o : d.streams)
      if (o->capture && o->blocking()) {
        o->capture->invalidated = true;  // the legacy stream would wait for a capturing blocking stream
        return cudaErrorStreamCaptureImplicit;
      }
    for (const StreamRef& o : d.streams)
      if (o != s && o->blocking() && o->enqueued.load() > o->completed.load())
        deps.push_back({o, o->enqueued.load()});
  } else if (s->blocking() && d.legacy && d.legacy->enqueued.load() > d.legacy->completed.load()) {
    deps.push_back({d.legacy, d.legacy->enqueued.load()});
  }
  std::unique_lock<std::mutex> lock(s->mu);
  if (!s->worker_running) {
    try {
      std::thread(worker_main, s->shared_from_this()).detach();
    } catch (const std::system_error&) {
      return cudaErrorMemoryAllocation;
    }
    s->worker_running = true;
  }
  s->queue.push_back(Stream::Item{std::move(deps), std::move(work)});
  const uint64_t n = s->enqueued.load() + 1;
  s->enqueued.store(n);
  if (seq) *seq = n;
  lock.unlock();
  s->work_cv.notify_one();
  return cudaSuccess;
}

bool stream_reached(const StreamRef& s, uint64_t seq) { return s->completed.load(std::memory_order_acquire) >= seq; }

cudaError_t stream_wait(const StreamRef& s, uint64_t seq) {
  if (stream_reached(s, seq)) return cudaSuccess;
  if (t_worker_stream == s.get()) return cudaErrorNotPermitted;
  if (spin_until([&] { return stream_reached(s, seq); })) return cudaSuccess;
  std::unique_lock<std::mutex> lock(s->mu);
  s->done_cv.wait(lock, [&] { return s->completed.load(std::memory_order_acquire) >= seq; });
  return cudaSuccess;
}

cudaError_t stream_begin_capture(const StreamRef& s) {
  if (s->kind == StreamKind::kLegacy) return cudaErrorStreamCaptureUnsupported;
  DeviceStreams& d = device_streams(s->device);
  std::lock_guard<std::mutex> order(d.mu);
  if (s->capture) return cudaErrorIllegalState;
  s->capture = std::make_shared<CaptureState>();
  return cudaSuccess;
}

std::shared_ptr<CaptureState> stream_end_capture(const StreamRef& s) {
  DeviceStreams& d = device_streams(s->device);
  std::lock_guard<std::mutex> order(d.mu);
  return std::move(s->capture);  // leaves the stream not capturing
}

int stream_capture_status(const StreamRef& s) {
  DeviceStreams& d = device_streams(s->device);
  std::lock_guard<std::mutex> order(d.mu);
  if (!s->capture) return cudaStreamCaptureStatusNone;
  return s->capture->invalidated ? cudaStreamCaptureStatusInvalidated : cudaStreamCaptureStatusActive;
}

bool stream_capturing(const StreamRef& s) { return stream_capture_status(s) != cudaStreamCaptureStatusNone; }

cudaError_t refuse_wait_if_capturing(const StreamRef& s) {
  DeviceStreams& d = device_streams(s->device);
  std::lock_guard<std::mutex> order(d.mu);
  if (!s->capture) return cudaSuccess;
  s->capture->invalidated = true;
  return cudaErrorStreamCaptureUnsupported;
}

cudaError_t stream_run_and_wait(const StreamRef& s, StreamWork work) {
  if (cudaError_t e = refuse_wait_if_capturing(s); e != cudaSuccess) return e;
  uint64_t seq = 0;
  cudaError_t e = stream_enqueue(s, std::move(work), {}, &seq);
  if (e != cudaSuccess) return e;
  return stream_wait(s, seq);
}

cudaError_t stream_synchronize(const StreamRef& s) {
  if (cudaError_t e = refuse_wait_if_capturing(s); e != cudaSuccess) return e;
  for (const StreamDep& t : sync_targets(s)) {
    cudaError_t e = stream_wait(t.stream, t.seq);
    if (e != cudaSuccess) return e;
  }
  return cudaSuccess;
}

bool stream_idle(const StreamRef& s) {
  for (const StreamDep& t : sync_targets(s))
    if (!stream_reached(t.stream, t.seq)) return false;
  return true;
}

cudaError_t synchronize_device_streams(int device) {
  std::vector<StreamDep> targets;
  {
    DeviceStreams& d = device_streams(device);
    std::lock_guard<std::mutex> lock(d.mu);
    for (const StreamRef& s : d.streams) targets.push_back({s, s->enqueued.load()});
  }
  for (const StreamDep& t : targets) {
    cudaError_t e = stream_wait(t.stream, t.seq);
    if (e != cudaSuccess) return e;
  }
  return cudaSuccess;
}

void note_async_error(int device, cudaError_t e) {
  if (e == cudaSuccess || device < 0 || device >= kMaxDevices) return;
  note_device_error(device, e);
  int expected = cudaSuccess;
  g_async_error[device].compare_exchange_strong(expected, int(e));
}

cudaError_t take_async_error(int device) {
  if (device < 0 || device >= kMaxDevices) return cudaSuccess;
  return static_cast<cudaError_t>(g_async_error[device].exchange(cudaSuccess));
}

cudaError_t peek_async_error(int device) {
  if (device < 0 || device >= kMaxDevices) return cudaSuccess;
  return static_cast<cudaError_t>(g_async_error[device].load());
}

cudaError_t sync_result(int device) {
  const cudaError_t sticky = sticky_error(device);
  const cudaError_t async = take_async_error(device);
  return sticky != cudaSuccess ? sticky : async;
}

namespace {

// Every stream of every device with work still queued or running.
std::vector<StreamRef> all_streams() {
  std::vector<StreamRef> out;
  for (int i = 0; i < kMaxDevices; ++i) {
    DeviceStreams& d = device_streams(i);
    std::lock_guard<std::mutex> lock(d.mu);
    out.insert(out.end(), d.streams.begin(), d.streams.end());
  }
  return out;
}

bool drain_until(std::chrono::steady_clock::time_point deadline) {
  for (const StreamRef& s : all_streams()) {
    std::unique_lock<std::mutex> lock(s->mu);
    const uint64_t target = s->enqueued.load();
    if (!s->done_cv.wait_until(lock, deadline, [&] { return s->completed.load() >= target; })) return false;
  }
  return true;
}

}  // namespace

bool drain_all_streams() {
  // Each fat binary unregisters separately at exit: after one drain has timed out, later ones only look.
  static std::atomic<bool> timed_out{false};
  if (g_abandon.load()) return g_executing.load() == 0;
  const auto now = std::chrono::steady_clock::now();
  if (timed_out.load()) return drain_until(now);
  if (drain_until(now + std::chrono::milliseconds(exit_timeout_ms()))) return true;
  timed_out.store(true);
  return false;
}

bool shutdown_streams() {
  static std::atomic<bool> done{false};
  if (done.exchange(true)) return g_executing.load() == 0;
  if (!g_abandon.load() && !drain_all_streams()) {
    warn_once("exit-abandon", "work still pending in streams at exit was abandoned after CUPORT_EXIT_TIMEOUT_MS");
  }
  g_abandon.store(true);
  for (const StreamRef& s : all_streams()) {
    { std::lock_guard<std::mutex> lock(s->mu); }
    s->work_cv.notify_all();
    s->done_cv.notify_all();
  }
  // Work already inside a backend hook cannot be interrupted; give it a short grace period.
  const auto grace = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
  while (g_executing.load() != 0 && std::chrono::steady_clock::now() < grace)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return g_executing.load() == 0;
}

}  // namespace cuport

using cuport::record_error;

extern "C" {

cudaError_t cudaStreamCreate(cudaStream_t* pStream) {
  CUPORT_RETURN(cuport::kLogStream, record_error(cuport::create_stream(pStream, cudaStreamDefault, 0)), "pStream=%p",
                (const void*)(uintptr_t)(pStream));
}

cudaError_t cudaStreamCreateWithFlags(cudaStream_t* pStream, unsigned int flags) {
  CUPORT_RETURN(cuport::kLogStream, record_error(cuport::create_stream(pStream, flags, 0)), "pStream=%p, flags=%#x",
                (const void*)(uintptr_t)(pStream), (unsigned)(flags));
}

cudaError_t cudaStreamCreateWithPriority(cudaStream_t* pStream, unsigned int flags, int priority) {
  CUPORT_RETURN(cuport::kLogStream, record_error(cuport::create_stream(pStream, flags, priority)),
                "pStream=%p, flags=%#x, priority=%d", (const void*)(uintptr_t)(pStream), (unsigned)(flags), priority);
}

cudaError_t cudaDeviceGetStreamPriorityRange(int* leastPriority, int* greatestPriority) {
  cuport::Current cur;
  cudaError_t e = cuport::current(&cur);
  if (e != cudaSuccess) CUPORT_RETURN(cuport::kLogStream, record_error(e), "leastPriority=%p, greatestPriority=%p",
                                      (const void*)(uintptr_t)(leastPriority),
                                      (const void*)(uintptr_t)(greatestPriority));
  if (leastPriority) *leastPriority = 0;
  if (greatestPriority) *greatestPriority = 0;
  CUPORT_RETURN(cuport::kLogStream, cudaSuccess, "leastPriority=%p, greatestPriority=%p",
                (const void*)(uintptr_t)(leastPriority), (const void*)(uintptr_t)(greatestPriority));
}

cudaError_t cudaStreamDestroy(cudaStream_t stream) { CUPORT_RETURN(cuport::kLogStream,
                                                                   record_error(cuport::destroy_stream(stream)),
                                                                   "stream=%p", (const void*)(uintptr_t)(stream)); }

cudaError_t cudaStreamSynchronize(cudaStream_t stream) {
  cuport::StreamRef s;
  cudaError_t e = cuport::stream_of(stream, &s);
  if (e != cudaSuccess) CUPORT_RETURN(cuport::kLogStream, record_error(e), "stream=%p",
                                      (const void*)(uintptr_t)(stream));
  e = cuport::stream_synchronize(s);
  if (e != cudaSuccess) CUPORT_RETURN(cuport::kLogStream, record_error(e), "stream=%p",
                                      (const void*)(uintptr_t)(stream));
  CUPORT_RETURN(cuport::kLogStream, record_error(cuport::sync_result(s->device)), "stream=%p",
                (const void*)(uintptr_t)(stream));
}

cudaError_t cudaStreamQuery(cudaStream_t stream) {
  cuport::StreamRef s;
  cudaError_t e = cuport::stream_of(stream, &s);
  if (e != cudaSuccess) CUPORT_RETURN(cuport::kLogStream, record_error(e), "stream=%p",
                                      (const void*)(uintptr_t)(stream));
  if (cuport::stream_capturing(s))  // CUDA: querying a capturing stream is not permitted
    CUPORT_RETURN(cuport::kLogStream, record_error(cudaErrorStreamCaptureUnsupported), "stream=%p",
                  (const void*)(uintptr_t)(stream));
  if (!cuport::stream_idle(s)) CUPORT_RETURN(cuport::kLogStream, cudaErrorNotReady, "stream=%p",
                                             (const void*)(uintptr_t)(stream));
  CUPORT_RETURN(cuport::kLogStream, cuport::record_query(cuport::sync_result(s->device)), "stream=%p",
                (const void*)(uintptr_t)(stream));
}

cudaError_t cudaStreamAddCallback(cudaStream_t stream, cudaStreamCallback_t callback, void* userData,
                                  unsigned int flags) {
  if (!callback || flags != 0) CUPORT_RETURN(cuport::kLogStream, record_error(cudaErrorInvalidValue),
                                             "stream=%p, callback=%p, userData=%p, flags=%#x",
                                             (const void*)(uintptr_t)(stream), (const void*)(uintptr_t)(callback),
                                             (const void*)(uintptr_t)(userData), (unsigned)(flags));
  cuport::StreamRef s;
  cudaError_t e = cuport::stream_of(stream, &s);
  if (e != cudaSuccess) CUPORT_RETURN(cuport::kLogStream, record_error(e),
                                      "stream=%p, callback=%p, userData=%p, flags=%#x",
                                      (const void*)(uintptr_t)(stream), (const void*)(uintptr_t)(callback),
                                      (const void*)(uintptr_t)(userData), (unsigned)(flags));
  const int device = s->device;
  CUPORT_RETURN(cuport::kLogStream, record_error(cuport::stream_enqueue(s, [stream, callback, userData, device] {
    cudaError_t status = cuport::sticky_error(device);
    if (status == cudaSuccess) status = cuport::peek_async_error(device);
    callback(stream, status, userData);
  })),
                "stream=%p, callback=%p, userData=%p, flags=%#x", (const void*)(uintptr_t)(stream),
                (const void*)(uintptr_t)(callback), (const void*)(uintptr_t)(userData), (unsigned)(flags));
}

cudaError_t cudaLaunchHostFunc(cudaStream_t stream, cudaHostFn_t fn, void* userData) {
  if (!fn) CUPORT_RETURN(cuport::kLogStream, record_error(cudaErrorInvalidValue), "stream=%p, fn=%p, userData=%p",
                         (const void*)(uintptr_t)(stream), (const void*)(uintptr_t)(fn),
                         (const void*)(uintptr_t)(userData));
  cuport::StreamRef s;
  cudaError_t e = cuport::stream_of(stream, &s);
  if (e != cudaSuccess) CUPORT_RETURN(cuport::kLogStream, record_error(e), "stream=%p, fn=%p, userData=%p",
                                      (const void*)(uintptr_t)(stream), (const void*)(uintptr_t)(fn),
                                      (const void*)(uintptr_t)(userData));
  const int device = s->device;
  CUPORT_RETURN(cuport::kLogStream, record_error(cuport::stream_enqueue_op(s, cudaGraphNodeTypeHost, [fn, userData, device] {
    if (cuport::sticky_error(device) == cudaSuccess) fn(userData);
  })),
                "stream=%p, fn=%p, userData=%p", (const void*)(uintptr_t)(stream), (const void*)(uintptr_t)(fn),
                (const void*)(uintptr_t)(userData));
}

cudaError_t cudaStreamGetFlags(cudaStream_t hStream, unsigned int* flags) {
  if (!flags) CUPORT_RETURN(cuport::kLogStream, record_error(cudaErrorInvalidValue), "hStream=%p, flags=%p",
                            (const void*)(uintptr_t)(hStream), (const void*)(uintptr_t)(flags));
  cuport::StreamRef s;
  cudaError_t e = cuport::stream_of(hStream, &s);
  if (e != cudaSuccess) CUPORT_RETURN(cuport::kLogStream, record_error(e), "hStream=%p, flags=%p",
                                      (const void*)(uintptr_t)(hStream), (const void*)(uintptr_t)(flags));
  *flags = s->flags;
  CUPORT_RETURN(cuport::kLogStream, cudaSuccess, "hStream=%p, flags=%p", (const void*)(uintptr_t)(hStream),
                (const void*)(uintptr_t)(flags));
}

cudaError_t cudaStreamGetPriority(cudaStream_t hStream, int* priority) {
  if (!priority) CUPORT_RETURN(cuport::kLogStream, record_error(cudaErrorInvalidValue), "hStream=%p, priority=%p",
                               (const void*)(uintptr_t)(hStream), (const void*)(uintptr_t)(priority));
  cuport::StreamRef s;
  cudaError_t e = cuport::stream_of(hStream, &s);
  if (e != cudaSuccess) CUPORT_RETURN(cuport::kLogStream, record_error(e), "hStream=%p, priority=%p",
                                      (const void*)(uintptr_t)(hStream), (const void*)(uintptr_t)(priority));
  *priority = s->priority;
  CUPORT_RETURN(cuport::kLogStream, cudaSuccess, "hStream=%p, priority=%p", (const void*)(uintptr_t)(hStream),
                (const void*)(uintptr_t)(priority));
}

}  // extern "C"

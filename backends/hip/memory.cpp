// Device memory of the HIP backend (hipMalloc, hipMallocManaged), copies and fills, and the per-thread
// streams every copy, fill and launch goes through.
//
// libcuport runs each CUDA stream on its own worker thread and calls the hooks synchronously from there.
// Each host thread gets one non-blocking HIP stream per device (created on first use), and every operation
// is enqueued on the calling thread's stream and waited for with hipStreamSynchronize.  So the work of
// different CUDA streams overlaps on the GPU, no operation waits behind another thread's work, and nothing
// is ordered against HIP's null stream (which would serialize everything).  A thread that exits destroys its
// streams.
#include <atomic>
#include <cstring>

#include "hip_backend.h"

namespace cuport_hip {

using namespace cuport_glue;  // fail, the Status codes

namespace {

// The calling thread's streams by device index.  Reached through a plain pointer, so a hook that runs on a
// thread after its thread_local destructors (during exit) still works: it just makes new streams it leaks.
struct ThreadStreams {
  std::vector<hipStream_t> streams;
};
thread_local ThreadStreams* t_streams = nullptr;
thread_local bool t_reaped = false;

std::atomic<bool> g_forget_streams{false};

// Destroys the thread's streams when it exits (unless shutdown or exit() has begun: HIP may be finalizing).
struct StreamReaper {
  bool armed = false;
  ~StreamReaper() {
    t_reaped = true;
    ThreadStreams* s = t_streams;
    t_streams = nullptr;
    if (!s) return;
    if (!g_forget_streams.load()) {
      HipCall call;
      if (call)
        for (hipStream_t st : s->streams)
          if (st) (void)hip().hipStreamDestroy(st);
    }
    delete s;
  }
};
thread_local StreamReaper t_reaper;

constexpr size_t kAlignment = 256;  // CUDA guarantees at least 256-byte aligned allocations

cuport_status check_alignment(void* p, const char* what) {
  if (reinterpret_cast<uintptr_t>(p) % kAlignment == 0) return kSuccess;
  return fail(kMemoryAllocation, std::string(what) + " returned memory that is not 256-byte aligned");
}

}  // namespace

void forget_streams() { g_forget_streams.store(true); }

hipStream_t thread_stream(const Device& d, cuport_status* status) {
  *status = use_device(d);
  if (*status != kSuccess) return nullptr;
  if (!t_streams) {
    t_streams = new ThreadStreams;
    if (!t_reaped) t_reaper.armed = true;  // registers the reaper, which destroys the streams at thread exit
  }
  std::vector<hipStream_t>& streams = t_streams->streams;
  const size_t index = size_t(d.index);
  if (index < streams.size() && streams[index]) return streams[index];
  hipStream_t stream = nullptr;
  const hipError_t err = hip().hipStreamCreateWithFlags(&stream, hipStreamNonBlocking);
  if (err != hipSuccess || !stream) {
    *status = hip_fail(err, "hipStreamCreateWithFlags(hipStreamNonBlocking)");
    return nullptr;
  }
  if (streams.size() <= index) streams.resize(index + 1, nullptr);
  streams[index] = stream;
  return stream;
}

cuport_status wait_stream(hipStream_t stream, const std::string& what) {
  const hipError_t err = hip().hipStreamSynchronize(stream);
  return err == hipSuccess ? kSuccess : hip_fail(err, what);
}

// Any thread.
cuport_status mem_alloc(int device, size_t size, void** out) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, "no such HIP device");
  if (!out) return fail(kInvalidValue, "null output");
  *out = nullptr;
  if (size == 0) return kSuccess;
  HipCall call;
  if (!call) return exiting_error();
  cuport_status st = use_device(*d);
  if (st != kSuccess) return st;
  void* p = nullptr;
  const hipError_t err = hip().hipMalloc(&p, size);
  if (err != hipSuccess) return hip_fail(err, "hipMalloc(" + std::to_string(size) + " bytes)");
  if ((st = check_alignment(p, "hipMalloc")) != kSuccess) {
    (void)hip().hipFree(p);
    return st;
  }
  *out = p;
  return kSuccess;
}

// Any thread.  Managed memory for cudaMallocManaged: one address for the host and the GPU.
cuport_status mem_alloc_shared(int device, size_t size, void** out) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, "no such HIP device");
  if (!out) return fail(kInvalidValue, "null output");
  *out = nullptr;
  if (!d->props.managed_memory || !hip().hipMallocManaged)
    return fail(kNotSupported, std::string("HIP device ") + d->props.name + " (" + d->arch_name +
                                   ") does not support managed memory (hipDeviceAttributeManagedMemory is 0)");
  if (size == 0) return kSuccess;
  HipCall call;
  if (!call) return exiting_error();
  cuport_status st = use_device(*d);
  if (st != kSuccess) return st;
  void* p = nullptr;
  const hipError_t err = hip().hipMallocManaged(&p, size, hipMemAttachGlobal);
  if (err != hipSuccess) return hip_fail(err, "hipMallocManaged(" + std::to_string(size) + " bytes)");
  if ((st = check_alignment(p, "hipMallocManaged")) != kSuccess) {
    (void)hip().hipFree(p);
    return st;
  }
  *out = p;
  return kSuccess;
}

// Any thread; the runtime has synchronized the device.
cuport_status mem_free(int device, void* ptr) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, "no such HIP device");
  if (!ptr) return kSuccess;
  HipCall call;
  if (!call) return kSuccess;  // the process is exiting: its memory goes with it
  const cuport_status st = use_device(*d);
  if (st != kSuccess) return st;
  const hipError_t err = hip().hipFree(ptr);
  return err == hipSuccess ? kSuccess : hip_fail(err, "hipFree");
}

// Any thread, concurrently with launches and other copies.  The runtime orders it after the work it depends
// on; the copy runs on the calling thread's stream and is complete when this returns.
cuport_status memcpy_(int device, void* dst, const void* src, size_t bytes, int kind) {
  static const hipMemcpyKind kKinds[4] = {hipMemcpyHostToHost, hipMemcpyHostToDevice, hipMemcpyDeviceToHost,
                                          hipMemcpyDeviceToDevice};
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, "no such HIP device");
  if (kind < 0 || kind > 3) return fail(kInvalidMemcpyDirection, "unresolved copy kind " + std::to_string(kind));
  if (bytes == 0) return kSuccess;
  if (!dst || !src) return fail(kInvalidValue, "null pointer in copy");
  if (kind == 0) {  // cudaMemcpyHostToHost: both sides are host memory
    std::memmove(dst, src, bytes);
    return kSuccess;
  }
  HipCall call;
  if (!call) return exiting_error();
  cuport_status st = kSuccess;
  hipStream_t stream = thread_stream(*d, &st);
  if (!stream) return st;
  const hipError_t err = hip().hipMemcpyAsync(dst, src, bytes, kKinds[kind], stream);
  if (err != hipSuccess) return hip_fail(err, "hipMemcpyAsync(" + std::to_string(bytes) + " bytes)");
  return wait_stream(stream, "hipStreamSynchronize after hipMemcpyAsync");
}

// Any thread, concurrently like memcpy.
cuport_status memset_(int device, void* dst, int value, size_t bytes) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, "no such HIP device");
  if (bytes == 0) return kSuccess;
  if (!dst) return fail(kInvalidValue, "null pointer in memset");
  HipCall call;
  if (!call) return exiting_error();
  cuport_status st = kSuccess;
  hipStream_t stream = thread_stream(*d, &st);
  if (!stream) return st;
  const hipError_t err = hip().hipMemsetAsync(dst, value & 0xff, bytes, stream);
  if (err != hipSuccess) return hip_fail(err, "hipMemsetAsync(" + std::to_string(bytes) + " bytes)");
  return wait_stream(stream, "hipStreamSynchronize after hipMemsetAsync");
}

}  // namespace cuport_hip

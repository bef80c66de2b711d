// Device memory of the CUDA backend (cuMemAlloc, cuMemAllocManaged), copies and fills, and the per-thread
// streams every copy, fill and launch goes through.
//
// libcuport runs each CUDA stream on its own worker thread and calls the hooks synchronously from there.
// Each host thread gets one non-blocking driver stream per device (created on first use, in the device's
// primary context), and every operation is enqueued on the calling thread's stream and waited for with
// cuStreamSynchronize.  So the work of different CUDA streams overlaps on the GPU, no operation waits behind
// another thread's work, and nothing is ordered against the driver's legacy null stream (which would
// serialize everything).  A thread that exits destroys its streams.
//
// Copies use cuMemcpyAsync, which takes the direction from the addresses themselves (unified addressing,
// which every 64-bit Nvidia GPU has), so pageable, pinned, managed and device memory all work in any kind.
#include <cstring>
#include <vector>

#include "cuda_backend.h"

namespace cuport_cuda {

using namespace cuport_glue;  // fail, the Status codes

namespace {

// The calling thread's streams by device index.  Reached through a plain pointer, so a hook that runs on a
// thread after its thread_local destructors (during exit) still works: it just makes new streams it leaks.
struct ThreadStreams {
  std::vector<CUstream> streams;
};
thread_local ThreadStreams* t_streams = nullptr;
thread_local bool t_reaped = false;

std::atomic<bool> g_forget_streams{false};

// Destroys the thread's streams when it exits (unless shutdown or exit() has begun: the driver may be
// tearing down, and releasing the primary contexts frees their streams anyway).
struct StreamReaper {
  bool armed = false;
  ~StreamReaper() {
    t_reaped = true;
    ThreadStreams* s = t_streams;
    t_streams = nullptr;
    if (!s) return;
    if (!g_forget_streams.load() && !process_exiting()) {
      DriverCall call;
      if (call)
        for (size_t i = 0; i < s->streams.size(); ++i) {
          Device* d = device_at(int(i));
          if (s->streams[i] && d && use_device(*d) == kSuccess) (void)driver().cuStreamDestroy_v2(s->streams[i]);
        }
    }
    delete s;
  }
};
thread_local StreamReaper t_reaper;

constexpr size_t kAlignment = 256;  // CUDA guarantees at least 256-byte aligned allocations

CUdeviceptr dptr(const void* p) { return CUdeviceptr(reinterpret_cast<uintptr_t>(p)); }

}  // namespace

void forget_streams() { g_forget_streams.store(true); }

CUstream thread_stream(Device& d, cuport_status* status) {
  *status = use_device(d);
  if (*status != kSuccess) return nullptr;
  if (!t_streams) {
    t_streams = new ThreadStreams;
    if (!t_reaped) t_reaper.armed = true;  // registers the reaper, which destroys the streams at thread exit
  }
  std::vector<CUstream>& streams = t_streams->streams;
  const size_t index = size_t(d.index);
  if (index < streams.size() && streams[index]) return streams[index];
  CUstream stream = nullptr;
  const CUresult err = driver().cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING);
  if (err != CUDA_SUCCESS || !stream) {
    *status = cuda_fail(err, "cuStreamCreate(CU_STREAM_NON_BLOCKING)");
    return nullptr;
  }
  if (streams.size() <= index) streams.resize(index + 1, nullptr);
  streams[index] = stream;
  return stream;
}

cuport_status wait_stream(CUstream stream, const std::string& what) {
  const CUresult err = driver().cuStreamSynchronize(stream);
  return err == CUDA_SUCCESS ? kSuccess : cuda_fail(err, what);
}

// Any thread.
cuport_status mem_alloc(int device, size_t size, void** out) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, "no such CUDA device");
  if (!out) return fail(kInvalidValue, "null output");
  *out = nullptr;
  if (size == 0) return kSuccess;
  DriverCall call;
  if (!call) return exiting_error();
  const cuport_status st = use_device(*d);
  if (st != kSuccess) return st;
  CUdeviceptr p = 0;
  const CUresult err = driver().cuMemAlloc_v2(&p, size);
  if (err != CUDA_SUCCESS) return cuda_fail(err, "cuMemAlloc_v2(" + std::to_string(size) + " bytes)");
  if (p % kAlignment != 0) {
    (void)driver().cuMemFree_v2(p);
    return fail(kMemoryAllocation, "cuMemAlloc_v2 returned memory that is not 256-byte aligned");
  }
  *out = reinterpret_cast<void*>(uintptr_t(p));
  return kSuccess;
}

// Any thread.  Managed memory for cudaMallocManaged: one address for the host and the GPU.
cuport_status mem_alloc_shared(int device, size_t size, void** out) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, "no such CUDA device");
  if (!out) return fail(kInvalidValue, "null output");
  *out = nullptr;
  if (!d->props.managed_memory || !driver().cuMemAllocManaged)
    return fail(kNotSupported, std::string("CUDA device ") + d->props.name +
                                   " does not support managed memory (CU_DEVICE_ATTRIBUTE_MANAGED_MEMORY is 0)");
  if (size == 0) return kSuccess;
  DriverCall call;
  if (!call) return exiting_error();
  const cuport_status st = use_device(*d);
  if (st != kSuccess) return st;
  CUdeviceptr p = 0;
  const CUresult err = driver().cuMemAllocManaged(&p, size, CU_MEM_ATTACH_GLOBAL);
  if (err != CUDA_SUCCESS) return cuda_fail(err, "cuMemAllocManaged(" + std::to_string(size) + " bytes)");
  if (p % kAlignment != 0) {
    (void)driver().cuMemFree_v2(p);
    return fail(kMemoryAllocation, "cuMemAllocManaged returned memory that is not 256-byte aligned");
  }
  *out = reinterpret_cast<void*>(uintptr_t(p));
  return kSuccess;
}

// Any thread; the runtime has synchronized the device.
cuport_status mem_free(int device, void* ptr) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, "no such CUDA device");
  if (!ptr) return kSuccess;
  DriverCall call;
  if (!call) return kSuccess;  // the process is exiting: its memory goes with it
  const cuport_status st = use_device(*d);
  if (st != kSuccess) return st;
  const CUresult err = driver().cuMemFree_v2(dptr(ptr));
  return err == CUDA_SUCCESS ? kSuccess : cuda_fail(err, "cuMemFree_v2");
}

// Any thread, concurrently with launches and other copies.  The runtime orders it after the work it depends
// on; the copy runs on the calling thread's stream and is complete when this returns.
cuport_status memcpy_(int device, void* dst, const void* src, size_t bytes, int kind) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, "no such CUDA device");
  if (kind < 0 || kind > 3) return fail(kInvalidMemcpyDirection, "unresolved copy kind " + std::to_string(kind));
  if (bytes == 0) return kSuccess;
  if (!dst || !src) return fail(kInvalidValue, "null pointer in copy");
  if (kind == 0) {  // cudaMemcpyHostToHost: both sides are host memory
    std::memmove(dst, src, bytes);
    return kSuccess;
  }
  DriverCall call;
  if (!call) return exiting_error();
  cuport_status st = kSuccess;
  CUstream stream = thread_stream(*d, &st);
  if (!stream) return st;
  const CUresult err = driver().cuMemcpyAsync(dptr(dst), dptr(src), bytes, stream);
  if (err != CUDA_SUCCESS) return cuda_fail(err, "cuMemcpyAsync(" + std::to_string(bytes) + " bytes)");
  return wait_stream(stream, "cuStreamSynchronize after cuMemcpyAsync");
}

// Any thread, concurrently like memcpy.
cuport_status memset_(int device, void* dst, int value, size_t bytes) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, "no such CUDA device");
  if (bytes == 0) return kSuccess;
  if (!dst) return fail(kInvalidValue, "null pointer in memset");
  DriverCall call;
  if (!call) return exiting_error();
  cuport_status st = kSuccess;
  CUstream stream = thread_stream(*d, &st);
  if (!stream) return st;
  const CUresult err = driver().cuMemsetD8Async(dptr(dst), static_cast<unsigned char>(value & 0xff), bytes, stream);
  if (err != CUDA_SUCCESS) return cuda_fail(err, "cuMemsetD8Async(" + std::to_string(bytes) + " bytes)");
  return wait_stream(stream, "cuStreamSynchronize after cuMemsetD8Async");
}

}  // namespace cuport_cuda

// Device memory of the HIP backend (hipMalloc, hipMallocManaged), copies and fills, and the per-thread
// streams every copy, fill and launch goes through.
//
// libcuport runs each CUDA stream on its own worker thread and calls the hooks synchronously from there.
// Each host thread gets one non-blocking HIP stream per device (created on first use), and every operation
// is enqueued on the calling thread's stream and waited for with hipStreamSynchronize.  So the work of
// different CUDA streams overlaps on the GPU, no operation waits behind another thread's work, and nothing
// is ordered against HIP's null stream (which would serialize everything).  A thread that exits destroys its
// streams.  (The shapes are backends/common/vendor_hooks.h's: ThreadStreams, stream_copy, stream_fill.)
#include <vector>

#include "hip_backend.h"

namespace cuport_hip {

using namespace cuport_glue;  // fail, the Status codes, the hook shapes

namespace {

// At a thread's exit, unless shutdown has begun (Streams::forget): destroys its streams, unless exit() has begun
// too (HIP may be finalizing).
void destroy_streams(const std::vector<hipStream_t>& streams) {
  HipCall call;
  if (call)
    for (hipStream_t st : streams)
      if (st) (void)hip().hipStreamDestroy(st);
}
using Streams = ThreadStreams<hipStream_t, destroy_streams>;

void free_device_memory(void* p) { (void)hip().hipFree(p); }

}  // namespace

void forget_streams() { Streams::forget(); }

hipStream_t thread_stream(const Device& d, cuport_status* status) {
  *status = use_device(d);
  if (*status != kSuccess) return nullptr;
  return Streams::get(size_t(d.index), status, [](hipStream_t* stream) {
    const hipError_t err = hip().hipStreamCreateWithFlags(stream, hipStreamNonBlocking);
    if (err != hipSuccess || !*stream) return hip_fail(err, "hipStreamCreateWithFlags(hipStreamNonBlocking)");
    return cuport_status(kSuccess);
  });
}

cuport_status wait_stream(hipStream_t stream, const std::string& what) {
  const hipError_t err = hip().hipStreamSynchronize(stream);
  return err == hipSuccess ? kSuccess : hip_fail(err, what);
}

// Any thread.
cuport_status mem_alloc(int device, size_t size, void** out) {
  return allocate_memory<Hip>(
      device, size, out, [](const Device&) { return cuport_status(kSuccess); }, "hipMalloc",
      [&](void** p) {
        const hipError_t err = hip().hipMalloc(p, size);
        return err == hipSuccess ? kSuccess : hip_fail(err, "hipMalloc(" + std::to_string(size) + " bytes)");
      },
      free_device_memory);
}

// Any thread.  Managed memory for cudaMallocManaged: one address for the host and the GPU.
cuport_status mem_alloc_shared(int device, size_t size, void** out) {
  const auto supported = [](const Device& d) {
    if (d.props.managed_memory && hip().hipMallocManaged) return cuport_status(kSuccess);
    return fail(kNotSupported, std::string("HIP device ") + d.props.name + " (" + d.arch_name +
                                   ") does not support managed memory (hipDeviceAttributeManagedMemory is 0)");
  };
  return allocate_memory<Hip>(
      device, size, out, supported, "hipMallocManaged",
      [&](void** p) {
        const hipError_t err = hip().hipMallocManaged(p, size, hipMemAttachGlobal);
        return err == hipSuccess ? kSuccess : hip_fail(err, "hipMallocManaged(" + std::to_string(size) + " bytes)");
      },
      free_device_memory);
}

// Any thread; the runtime has synchronized the device.
cuport_status mem_free(int device, void* ptr) {
  return free_memory<Hip>(device, ptr, [&] {
    const hipError_t err = hip().hipFree(ptr);
    return err == hipSuccess ? kSuccess : hip_fail(err, "hipFree");
  });
}

// Any thread, concurrently with launches and other copies.  The runtime orders it after the work it depends
// on; the copy runs on the calling thread's stream and is complete when this returns.
cuport_status memcpy_(int device, void* dst, const void* src, size_t bytes, int kind) {
  static const hipMemcpyKind kKinds[4] = {hipMemcpyHostToHost, hipMemcpyHostToDevice, hipMemcpyDeviceToHost,
                                          hipMemcpyDeviceToDevice};
  const auto enqueue = [&](hipStream_t stream) {
    const hipError_t err = hip().hipMemcpyAsync(dst, src, bytes, kKinds[kind], stream);
    return err == hipSuccess ? kSuccess : hip_fail(err, "hipMemcpyAsync(" + std::to_string(bytes) + " bytes)");
  };
  return stream_copy<Hip>(device, dst, src, bytes, kind, enqueue, "hipStreamSynchronize after hipMemcpyAsync");
}

// Any thread, concurrently like memcpy.
cuport_status memset_(int device, void* dst, int value, size_t bytes) {
  const auto enqueue = [&](hipStream_t stream) {
    const hipError_t err = hip().hipMemsetAsync(dst, value & 0xff, bytes, stream);
    return err == hipSuccess ? kSuccess : hip_fail(err, "hipMemsetAsync(" + std::to_string(bytes) + " bytes)");
  };
  return stream_fill<Hip>(device, dst, bytes, enqueue, "hipStreamSynchronize after hipMemsetAsync");
}

}  // namespace cuport_hip

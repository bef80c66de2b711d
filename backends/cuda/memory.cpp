// Device memory of the CUDA backend (cuMemAlloc, cuMemAllocManaged), copies and fills, and the per-thread
// streams every copy, fill and launch goes through.
//
// libcuport runs each CUDA stream on its own worker thread and calls the hooks synchronously from there.
// Each host thread gets one non-blocking driver stream per device (created on first use, in the device's
// primary context), and every operation is enqueued on the calling thread's stream and waited for with
// cuStreamSynchronize.  So the work of different CUDA streams overlaps on the GPU, no operation waits behind
// another thread's work, and nothing is ordered against the driver's legacy null stream (which would
// serialize everything).  A thread that exits destroys its streams.  (The shapes are
// backends/common/vendor_hooks.h's: ThreadStreams, stream_copy, stream_fill.)
//
// Copies use cuMemcpyAsync, which takes the direction from the addresses themselves (unified addressing,
// which every 64-bit Nvidia GPU has), so pageable, pinned, managed and device memory all work in any kind.
#include <vector>

#include "cuda_backend.h"

namespace cuport_cuda {

using namespace cuport_glue;  // fail, the Status codes, the hook shapes

namespace {

// At a thread's exit, unless shutdown has begun (Streams::forget): destroys its streams, each in its device's
// context, unless exit() has begun too (the driver may be tearing down, and releasing the primary contexts
// frees their streams anyway).
void destroy_streams(const std::vector<CUstream>& streams) {
  if (process_exiting()) return;
  DriverCall call;
  if (call)
    for (size_t i = 0; i < streams.size(); ++i) {
      Device* d = device_at(int(i));
      if (streams[i] && d && use_device(*d) == kSuccess) (void)driver().cuStreamDestroy_v2(streams[i]);
    }
}
using Streams = ThreadStreams<CUstream, destroy_streams>;

CUdeviceptr dptr(const void* p) { return CUdeviceptr(reinterpret_cast<uintptr_t>(p)); }

void free_device_memory(void* p) { (void)driver().cuMemFree_v2(dptr(p)); }

}  // namespace

void forget_streams() { Streams::forget(); }

CUstream thread_stream(Device& d, cuport_status* status) {
  *status = use_device(d);
  if (*status != kSuccess) return nullptr;
  return Streams::get(size_t(d.index), status, [](CUstream* stream) {
    const CUresult err = driver().cuStreamCreate(stream, CU_STREAM_NON_BLOCKING);
    if (err != CUDA_SUCCESS || !*stream) return cuda_fail(err, "cuStreamCreate(CU_STREAM_NON_BLOCKING)");
    return cuport_status(kSuccess);
  });
}

cuport_status wait_stream(CUstream stream, const std::string& what) {
  const CUresult err = driver().cuStreamSynchronize(stream);
  return err == CUDA_SUCCESS ? kSuccess : cuda_fail(err, what);
}

// Any thread.
cuport_status mem_alloc(int device, size_t size, void** out) {
  return allocate_memory<Cuda>(
      device, size, out, [](const Device&) { return cuport_status(kSuccess); }, "cuMemAlloc_v2",
      [&](void** p) {
        CUdeviceptr dp = 0;
        const CUresult err = driver().cuMemAlloc_v2(&dp, size);
        if (err != CUDA_SUCCESS) return cuda_fail(err, "cuMemAlloc_v2(" + std::to_string(size) + " bytes)");
        *p = reinterpret_cast<void*>(uintptr_t(dp));
        return cuport_status(kSuccess);
      },
      free_device_memory);
}

// Any thread.  Managed memory for cudaMallocManaged: one address for the host and the GPU.
cuport_status mem_alloc_shared(int device, size_t size, void** out) {
  const auto supported = [](const Device& d) {
    if (d.props.managed_memory && driver().cuMemAllocManaged) return cuport_status(kSuccess);
    return fail(kNotSupported, std::string("CUDA device ") + d.props.name +
                                   " does not support managed memory (CU_DEVICE_ATTRIBUTE_MANAGED_MEMORY is 0)");
  };
  return allocate_memory<Cuda>(
      device, size, out, supported, "cuMemAllocManaged",
      [&](void** p) {
        CUdeviceptr dp = 0;
        const CUresult err = driver().cuMemAllocManaged(&dp, size, CU_MEM_ATTACH_GLOBAL);
        if (err != CUDA_SUCCESS) return cuda_fail(err, "cuMemAllocManaged(" + std::to_string(size) + " bytes)");
        *p = reinterpret_cast<void*>(uintptr_t(dp));
        return cuport_status(kSuccess);
      },
      free_device_memory);
}

// Any thread; the runtime has synchronized the device.
cuport_status mem_free(int device, void* ptr) {
  return free_memory<Cuda>(device, ptr, [&] {
    const CUresult err = driver().cuMemFree_v2(dptr(ptr));
    return err == CUDA_SUCCESS ? kSuccess : cuda_fail(err, "cuMemFree_v2");
  });
}

// Any thread, concurrently with launches and other copies.  The runtime orders it after the work it depends
// on; the copy runs on the calling thread's stream and is complete when this returns.
cuport_status memcpy_(int device, void* dst, const void* src, size_t bytes, int kind) {
  const auto enqueue = [&](CUstream stream) {
    const CUresult err = driver().cuMemcpyAsync(dptr(dst), dptr(src), bytes, stream);
    return err == CUDA_SUCCESS ? kSuccess : cuda_fail(err, "cuMemcpyAsync(" + std::to_string(bytes) + " bytes)");
  };
  return stream_copy<Cuda>(device, dst, src, bytes, kind, enqueue, "cuStreamSynchronize after cuMemcpyAsync");
}

// Any thread, concurrently like memcpy.
cuport_status memset_(int device, void* dst, int value, size_t bytes) {
  const auto enqueue = [&](CUstream stream) {
    const CUresult err = driver().cuMemsetD8Async(dptr(dst), static_cast<unsigned char>(value & 0xff), bytes, stream);
    return err == CUDA_SUCCESS ? kSuccess : cuda_fail(err, "cuMemsetD8Async(" + std::to_string(bytes) + " bytes)");
  };
  return stream_fill<Cuda>(device, dst, bytes, enqueue, "cuStreamSynchronize after cuMemsetD8Async");
}

}  // namespace cuport_cuda

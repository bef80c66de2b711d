// Device memory of the OpenCL backend: the memory hooks, SVM allocations (clSVMAlloc), copies and fills
// (buffer mode's are in buffers.cpp), and the per-thread command queues every blocking operation goes
// through.
//
// Each host thread gets its own in-order queue per device (created on first use).  libcuport runs every CUDA
// stream on its own worker thread, so the streams' copies and kernels reach the device through different
// queues and overlap there, and no operation ever waits behind another thread's work.  Queues live in a
// registry so that synchronize can finish them and shutdown can release them; a thread that exits releases
// its own.
//
// A device with fine-grained SVM buffers that shares host memory (a CPU or integrated GPU) has its copies and
// fills done by the host directly; otherwise every host access to SVM is a blocking clEnqueueSVMMemcpy /
// clEnqueueSVMMemFill (coarse-grained SVM requires it; for a discrete GPU the DMA engine is faster anyway).
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <set>

#include "opencl_backend.h"

namespace cuport_opencl {
namespace {

constexpr size_t kAlignment = 256;  // CUDA guarantees at least 256-byte aligned allocations

// The calling thread's queues, by device index.
struct ThreadQueues {
  std::vector<cl_command_queue> queues;
  ~ThreadQueues();
};

struct QueueRegistry {
  std::mutex mu;
  std::set<ThreadQueues*> live;  // threads that own queues
  bool shut_down = false;
};

QueueRegistry& queue_registry() {
  static QueueRegistry* r = new QueueRegistry;  // leaked: used by thread-exit destructors during exit
  return *r;
}

thread_local ThreadQueues t_queues;

ThreadQueues::~ThreadQueues() {
  QueueRegistry& r = queue_registry();
  std::lock_guard<std::mutex> lock(r.mu);
  if (!r.live.erase(this)) return;  // shutdown released them already
  for (cl_command_queue q : queues)
    if (q) clReleaseCommandQueue(q);
  queues.clear();
}

cl_svm_mem_flags svm_flags(const Device& d) {
  return CL_MEM_READ_WRITE | (d.fine_grain ? CL_MEM_SVM_FINE_GRAIN_BUFFER : 0);
}

}  // namespace

cl_int wait_event(cl_event event) {
  cl_int err = clWaitForEvents(1, &event);
  cl_int status = CL_COMPLETE;
  if (clGetEventInfo(event, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status, &status, nullptr) == CL_SUCCESS &&
      status < 0)
    err = status;
  clReleaseEvent(event);
  return err;
}

cl_command_queue thread_queue(Device& d, cuport_status* status) {
  const int index = d.index;
  ThreadQueues& tq = t_queues;
  if (size_t(index) < tq.queues.size() && tq.queues[size_t(index)]) return tq.queues[size_t(index)];
  cl_int err = CL_SUCCESS;
  // OpenCL 1.x implementations need not have the 2.0 entry point.
  cl_command_queue q = d.version >= 20 ? clCreateCommandQueueWithProperties(d.context, d.id, nullptr, &err)
                                       : clCreateCommandQueue(d.context, d.id, 0, &err);
  if (!q) {
    *status = cl_fail(err, "clCreateCommandQueue");
    return nullptr;
  }
  QueueRegistry& r = queue_registry();
  std::lock_guard<std::mutex> lock(r.mu);
  if (r.shut_down) {
    clReleaseCommandQueue(q);
    *status = fail(kInitializationError, "the OpenCL backend has shut down");
    return nullptr;
  }
  if (tq.queues.size() <= size_t(index)) tq.queues.resize(size_t(index) + 1, nullptr);
  tq.queues[size_t(index)] = q;
  r.live.insert(&tq);
  return q;
}

cuport_status finish_queues(Device& d) {
  const size_t index = size_t(d.index);
  std::vector<cl_command_queue> queues;
  {
    QueueRegistry& r = queue_registry();
    std::lock_guard<std::mutex> lock(r.mu);
    for (ThreadQueues* tq : r.live)
      if (index < tq->queues.size() && tq->queues[index]) {
        clRetainCommandQueue(tq->queues[index]);
        queues.push_back(tq->queues[index]);
      }
  }
  cl_int first = CL_SUCCESS;
  for (cl_command_queue q : queues) {
    const cl_int err = clFinish(q);
    if (first == CL_SUCCESS) first = err;
    clReleaseCommandQueue(q);
  }
  return first == CL_SUCCESS ? kSuccess : cl_fail(first, "clFinish");
}

void release_queues() {
  QueueRegistry& r = queue_registry();
  std::lock_guard<std::mutex> lock(r.mu);
  for (ThreadQueues* tq : r.live) {
    for (cl_command_queue& q : tq->queues) {
      if (q) {
        clFinish(q);
        clReleaseCommandQueue(q);
      }
      q = nullptr;
    }
  }
  r.live.clear();
  r.shut_down = true;
}

void probe_svm_alignment(Device& d) {
  void* p = clSVMAlloc(d.context, svm_flags(d), 1, cl_uint(kAlignment));
  d.svm_align_256 = p != nullptr;
  if (p) clSVMFree(d.context, p);
}

cuport_status svm_alloc(Device& d, size_t size, bool internal, void** out) {
  // CUDA promises 256-byte alignment.  An implementation whose largest SVM alignment is smaller (PoCL: 128)
  // gets a padded allocation whose start is rounded up; kernels accept pointers into an SVM allocation.
  const size_t pad = d.svm_align_256 ? 0 : kAlignment;
  if (size > SIZE_MAX - pad) return fail(kMemoryAllocation, "allocation size overflows");
  void* base = clSVMAlloc(d.context, svm_flags(d), size + pad, d.svm_align_256 ? cl_uint(kAlignment) : 0);
  if (!base) return fail(kMemoryAllocation, "clSVMAlloc cannot allocate " + std::to_string(size) + " bytes");
  const uintptr_t start = (reinterpret_cast<uintptr_t>(base) + kAlignment - 1) / kAlignment * kAlignment;
  void* p = reinterpret_cast<void*>(start);
  std::lock_guard<std::mutex> lock(d.alloc_mu);
  d.allocations[p] = Device::Allocation{size, base, internal};
  d.allocated_bytes += size;
  ++d.generation;
  *out = p;
  return kSuccess;
}

cuport_status alloc_memory(Device& d, size_t size, bool internal, void** out) {
  return d.buffer_mode ? buffer_alloc(d, size, internal, out) : svm_alloc(d, size, internal, out);
}

// Any thread.  In buffer mode, a launch or copy still using the buffer holds its own reference.
void free_memory(Device& d, void* ptr) {
  Device::Allocation a{};
  {
    std::lock_guard<std::mutex> lock(d.alloc_mu);
    auto it = d.allocations.find(ptr);
    if (it == d.allocations.end()) return;
    a = it->second;
    d.allocated_bytes -= a.size;
    d.allocations.erase(it);
    ++d.generation;
  }
  if (a.mem) clReleaseMemObject(a.mem);
  else clSVMFree(d.context, a.base);
}

cuport_status copy_memory(Device& d, void* dst, const void* src, size_t bytes, int kind) {
  return d.buffer_mode ? buffer_copy(d, dst, src, bytes, kind) : svm_copy(d, dst, src, bytes);
}

std::shared_ptr<const std::vector<void*>> svm_pointers(Device& d, uint64_t* generation) {
  std::lock_guard<std::mutex> lock(d.alloc_mu);
  if (d.svm_list_generation != d.generation || !d.svm_list) {
    auto list = std::make_shared<std::vector<void*>>();
    list->reserve(d.allocations.size());
    for (const auto& a : d.allocations) list->push_back(a.second.base);
    d.svm_list = std::move(list);
    d.svm_list_generation = d.generation;
  }
  *generation = d.generation;
  return d.svm_list;
}

cuport_status svm_copy(Device& d, void* dst, const void* src, size_t bytes) {
  if (bytes == 0) return kSuccess;
  if (d.host_copies) {
    std::memmove(dst, src, bytes);
    return kSuccess;
  }
  cuport_status status = kSuccess;
  cl_command_queue q = thread_queue(d, &status);
  if (!q) return status;
  const cl_int err = clEnqueueSVMMemcpy(q, CL_TRUE, dst, src, bytes, 0, nullptr, nullptr);
  return err == CL_SUCCESS ? kSuccess : cl_fail(err, "clEnqueueSVMMemcpy");
}

// Any thread.
cuport_status mem_alloc(int device, size_t size, void** out) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, "no such OpenCL device");
  if (!out) return fail(kInvalidValue, "null output");
  *out = nullptr;
  if (size == 0) return kSuccess;
  ExitGuard guard;
  if (!guard) return exiting_error();
  return alloc_memory(*d, size, /*internal=*/false, out);
}

// Any thread.  Managed memory: fine-grained SVM is usable by the host and the device at one address.
cuport_status mem_alloc_shared(int device, size_t size, void** out) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, "no such OpenCL device");
  if (!out) return fail(kInvalidValue, "null output");
  *out = nullptr;
  if (!d->fine_grain)
    return fail(kNotSupported, "managed memory needs fine-grained SVM (CL_DEVICE_SVM_FINE_GRAIN_BUFFER), which this "
                               "OpenCL device does not offer" +
                                   (d->buffer_mode ? " (buffer mode: " + d->no_svm_why + ")" : std::string()));
  if (size == 0) return kSuccess;
  ExitGuard guard;
  if (!guard) return exiting_error();
  return svm_alloc(*d, size, /*internal=*/false, out);
}

// Any thread; the runtime has synchronized the device.
cuport_status mem_free(int device, void* ptr) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, "no such OpenCL device");
  if (!ptr) return kSuccess;
  ExitGuard guard;
  if (!guard) return kSuccess;  // the process is exiting: its memory goes with it
  {
    std::lock_guard<std::mutex> lock(d->alloc_mu);
    auto it = d->allocations.find(ptr);
    if (it == d->allocations.end() || it->second.internal)
      return fail(kInvalidValue, "not the start of an OpenCL device allocation");
  }
  free_memory(*d, ptr);
  return kSuccess;
}

// Any thread, concurrently with launches and other copies.  Ordering against kernels is the runtime's job
// (stream queues); the copy itself completes before returning.
cuport_status memcpy_(int device, void* dst, const void* src, size_t bytes, int kind) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, "no such OpenCL device");
  if (kind < 0 || kind > 3) return fail(kInvalidMemcpyDirection, "unresolved copy kind");
  if (bytes == 0) return kSuccess;
  if (!dst || !src) return fail(kInvalidValue, "null pointer in copy");
  if (kind == 0) {  // cudaMemcpyHostToHost: both sides are host memory
    std::memmove(dst, src, bytes);
    return kSuccess;
  }
  ExitGuard guard;
  if (!guard) return exiting_error();
  return copy_memory(*d, dst, src, bytes, kind);
}

// Any thread, concurrently like memcpy.
cuport_status memset_(int device, void* dst, int value, size_t bytes) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, "no such OpenCL device");
  if (bytes == 0) return kSuccess;
  if (!dst) return fail(kInvalidValue, "null pointer in memset");
  ExitGuard guard;
  if (!guard) return exiting_error();
  if (d->buffer_mode) return buffer_fill(*d, dst, static_cast<unsigned char>(value), bytes);
  if (d->host_copies) {
    std::memset(dst, value, bytes);
    return kSuccess;
  }
  cuport_status status = kSuccess;
  cl_command_queue q = thread_queue(*d, &status);
  if (!q) return status;
  const unsigned char pattern = static_cast<unsigned char>(value);
  cl_event event = nullptr;
  cl_int err = clEnqueueSVMMemFill(q, dst, &pattern, 1, bytes, 0, nullptr, &event);
  if (err == CL_SUCCESS) err = wait_event(event);
  return err == CL_SUCCESS ? kSuccess : cl_fail(err, "clEnqueueSVMMemFill");
}

}  // namespace cuport_opencl

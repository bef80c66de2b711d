// Kernel launches on an OpenCL device: one NDRange of grid * block work-items in work-groups of `block`.
//
// OpenCL arguments of an image kernel, in order: the CUDA parameters ('p' as two arguments, a buffer and an
// offset into it: the SVM pointer and 0 in SVM mode, the cl_mem holding the address and the offset in buffer
// mode; 's<N>' by value; 'b<N>' copied to a device buffer for the launch), the module's globals buffer, the
// dynamic shared memory (__local, rounded up to 16 bytes), and for kernels with flags bit 0 the warp scratch
// (__local, 8 bytes per thread).
//
// clSetKernelArg is not thread-safe for one cl_kernel, so each launch holds the kernel's mutex from its first
// argument through clEnqueueNDRangeKernel; it waits for the kernel outside the lock, on its own thread's
// queue, so concurrent launches (of the same kernel too) overlap and none waits for another.  After the
// kernel completes, the module's status word says whether it hit a device assert (710) or a trap (719).
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "opencl_backend.h"

namespace cuport_opencl {
namespace {

constexpr size_t kLocalAlign = 16;

size_t round_up(size_t v, size_t a) { return (v + a - 1) / a * a; }

// Device copies of the launch's 'b<N>' parameters, freed when the launch is over, and in buffer mode the
// buffers its pointer parameters refer to, held until then.
struct ParamBuffers {
  int device;
  std::vector<void*> ptrs;          // SVM mode
  std::vector<cl_mem> temporaries;  // buffer mode
  std::vector<BufferRef> refs;      // buffer mode
  ~ParamBuffers() {
    for (void* p : ptrs) mem_free(device, p);
    for (cl_mem m : temporaries) clReleaseMemObject(m);
  }
};

// Buffer mode: parameter `i`, a pointer, as its buffer and offset arguments.
cuport_status set_buffer_pointer(Device& d, cuport_kernel* k, cl_uint i, void* ptr, ParamBuffers& buffers) {
  const cuport_opencl_param& p = k->params[i];
  BufferRef ref;
  if (ptr && !find_buffer(d, ptr, 0, &ref)) {
    char address[32];
    std::snprintf(address, sizeof address, "0x%" PRIxPTR, reinterpret_cast<uintptr_t>(ptr));
    return fail(kInvalidValue, "parameter " + std::to_string(i) + " of kernel " + pretty_name(k->name) + " is " +
                                   address + ", which is not inside any allocation of OpenCL device " + d.name +
                                   " (buffer mode passes a pointer as a buffer and an offset)");
  }
  const cl_ulong offset = ref.offset;
  // A null pointer is a null buffer with offset 0.
  cl_int err = clSetKernelArg(k->handle, p.arg, sizeof(cl_mem), ref.mem ? &ref.mem : nullptr);
  if (err == CL_SUCCESS) err = clSetKernelArg(k->handle, p.arg + 1, sizeof offset, &offset);
  if (err != CL_SUCCESS) return cl_fail(err, "clSetKernelArg (parameter " + std::to_string(i) + ")");
  if (ref.mem) buffers.refs.push_back(std::move(ref));
  return kSuccess;
}

// Sets every argument of `k` for `l` and enqueues it; requires k->mu.
cuport_status set_args_and_enqueue(Device& d, cuport_kernel* k, const cuport_launch* l, cl_command_queue q,
                                   cl_event* event, ParamBuffers& buffers) {
  const cl_kernel h = k->handle;
  const cl_uint n = cl_uint(k->params.size());
  cl_int err = CL_SUCCESS;
  for (cl_uint i = 0; i < n; ++i) {
    const cuport_opencl_param& p = k->params[i];
    if (l->params && l->params[i].size != p.size)
      return fail(kInvalidValue, "parameter " + std::to_string(i) + " of kernel " + pretty_name(k->name) + " has " +
                                     std::to_string(l->params[i].size) + " bytes in the manifest but " +
                                     std::to_string(p.size) + " in the OpenCL image");
    if (p.buffer && d.buffer_mode) {
      cl_mem m = clCreateBuffer(d.context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, p.size,
                                const_cast<void*>(l->args[i]), &err);
      if (!m) return cl_fail(err, "clCreateBuffer (parameter " + std::to_string(i) + ")");
      buffers.temporaries.push_back(m);
      err = clSetKernelArg(h, p.arg, sizeof m, &m);
    } else if (p.buffer) {
      void* ptr = nullptr;
      cuport_status st = mem_alloc(buffers.device, p.size, &ptr);
      if (st != kSuccess) return st;
      buffers.ptrs.push_back(ptr);
      st = svm_copy(d, ptr, l->args[i], p.size);
      if (st != kSuccess) return st;
      err = clSetKernelArgSVMPointer(h, p.arg, ptr);
    } else if (p.pointer) {
      void* ptr = nullptr;
      std::memcpy(&ptr, l->args[i], sizeof ptr);
      if (d.buffer_mode) {
        const cuport_status st = set_buffer_pointer(d, k, i, ptr, buffers);
        if (st != kSuccess) return st;
        continue;
      }
      // A null pointer is passed as a null buffer: clSetKernelArgSVMPointer need not accept NULL.  The offset
      // argument is 0 since kernel_get.
      err = ptr ? clSetKernelArgSVMPointer(h, p.arg, ptr) : clSetKernelArg(h, p.arg, sizeof(cl_mem), nullptr);
    } else {
      err = clSetKernelArg(h, p.arg, p.size, l->args[i]);
    }
    if (err != CL_SUCCESS) return cl_fail(err, "clSetKernelArg (parameter " + std::to_string(i) + ")");
  }
  const cl_uint hidden = k->hidden_arg;
  err = d.buffer_mode ? clSetKernelArg(h, hidden, sizeof(cl_mem), &k->module->globals_mem)
                      : clSetKernelArgSVMPointer(h, hidden, k->module->globals);
  if (err != CL_SUCCESS) return cl_fail(err, "clSetKernelArg (globals)");
  const size_t dynamic = round_up(l->dynamic_shared ? l->dynamic_shared : 1, kLocalAlign);
  err = clSetKernelArg(h, hidden + 1, dynamic, nullptr);
  if (err != CL_SUCCESS) return cl_fail(err, "clSetKernelArg (dynamic shared memory)");
  size_t global[3], local[3];
  size_t threads = 1;
  for (int i = 0; i < 3; ++i) {
    local[i] = l->block[i] ? l->block[i] : 1;
    global[i] = size_t(l->grid[i] ? l->grid[i] : 1) * local[i];
    threads *= local[i];
  }
  if (k->warp_scratch) {
    err = clSetKernelArg(h, hidden + 2, 8 * threads, nullptr);
    if (err != CL_SUCCESS) return cl_fail(err, "clSetKernelArg (warp scratch)");
  }
  // Pointers stored in memory (not passed as arguments) must be announced to devices without fine-grained
  // system SVM: every live allocation, whenever the set changed since this kernel last saw it.
  uint64_t generation = 0;
  const std::shared_ptr<const std::vector<void*>> svm =
      d.buffer_mode ? nullptr : svm_pointers(d, &generation);
  if (svm && generation != k->svm_generation && !svm->empty()) {
    err = clSetKernelExecInfo(h, CL_KERNEL_EXEC_INFO_SVM_PTRS, svm->size() * sizeof(void*), svm->data());
    if (err != CL_SUCCESS) return cl_fail(err, "clSetKernelExecInfo(CL_KERNEL_EXEC_INFO_SVM_PTRS)");
    k->svm_generation = generation;
  }
  err = clEnqueueNDRangeKernel(q, h, 3, nullptr, global, local, 0, nullptr, event);
  if (err == CL_SUCCESS) return kSuccess;
  if (err == CL_INVALID_WORK_GROUP_SIZE)  // the runtime checked the device limits: this kernel's own limit
    return fail(kLaunchOutOfResources, "kernel " + pretty_name(k->name) + ": a block of " + std::to_string(threads) +
                                           " threads exceeds what the OpenCL device allows for this kernel "
                                           "(CL_INVALID_WORK_GROUP_SIZE)");
  return cl_fail(err, "clEnqueueNDRangeKernel(" + pretty_name(k->name) + ")");
}

// The module's status word after a launch: 0, 710 (device assert) or 719 (trap).
cuport_status read_status(Device& d, cuport_module* m, uint32_t* word) {
  return copy_memory(d, word, m->globals, sizeof *word, /*device to host*/ 2);
}

}  // namespace

// Any thread, concurrently with other launches and copies.  The runtime has validated the configuration;
// `launch->args` and what it points to are read only during the call.
cuport_status launch(int device, cuport_kernel* kernel, const cuport_launch* launch) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, "no such OpenCL device");
  if (!kernel || !launch) return fail(kInvalidValue, "null argument");
  if (kernel->module->device != d) return fail(kInvalidResourceHandle, "the kernel belongs to another device");
  if (launch->params && launch->param_count != kernel->params.size())
    return fail(kInvalidValue, "kernel " + pretty_name(kernel->name) + " takes " +
                                   std::to_string(kernel->params.size()) + " parameters in the OpenCL image, " +
                                   std::to_string(launch->param_count) + " in the manifest");
  if (!kernel->params.empty() && !launch->args) return fail(kInvalidValue, "null kernel arguments");
  ExitGuard guard;
  if (!guard) return exiting_error();
  cuport_status st = kSuccess;
  cl_command_queue q = thread_queue(*d, &st);
  if (!q) return st;

  cl_event event = nullptr;
  ParamBuffers buffers{device, {}, {}, {}};
  {
    std::lock_guard<std::mutex> lock(kernel->mu);
    st = set_args_and_enqueue(*d, kernel, launch, q, &event, buffers);
  }
  if (st != kSuccess) return st;
  const cl_int err = wait_event(event);
  if (err != CL_SUCCESS) {
    // The command was accepted and then failed while running (drivers report faults this way, often as
    // CL_OUT_OF_RESOURCES): an unspecified launch failure, sticky like CUDA's.
    cl_fail(err, "kernel " + pretty_name(kernel->name) + " failed on the OpenCL device");
    return fail(kLaunchFailure, last_error_message());
  }

  uint32_t word = 0;
  st = read_status(*d, kernel->module, &word);
  if (st != kSuccess) return st;
  if (word == 0) return kSuccess;
  // The status word stays set: like CUDA's context after an assert or trap, the module is unusable until
  // cudaDeviceReset (which unloads and reloads it), and the runtime treats these errors as sticky.
  const char* what = word == kAssert ? "a device-side assert failed"
                     : word == kLaunchFailure ? "__trap() was called"
                                              : "the kernel reported an error";
  const std::string message = "kernel " + pretty_name(kernel->name) + ": " + what + " (status " +
                              std::to_string(word) + "); the device stays unusable until cudaDeviceReset";
  if (!kernel->module->fault_reported.exchange(true)) std::fprintf(stderr, "cuport: opencl: %s\n", message.c_str());
  return fail(word < 1000 ? cuport_status(word) : kLaunchFailure, message);
}

// Any thread.  Launches and copies are synchronous, so normally nothing is outstanding; this finishes every
// queue of the device anyway.
cuport_status synchronize(int device) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, "no such OpenCL device");
  ExitGuard guard;
  if (!guard) return exiting_error();
  return finish_queues(*d);
}

}  // namespace cuport_opencl

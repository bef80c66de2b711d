// Shared by the backend plugins over a vendor GPU runtime (backends/hip: the HIP runtime; backends/cuda: the
// CUDA driver): the shapes of the hooks that call it.  Such a backend describes its runtime once, as a traits
// struct V:
//   using Device = ...;   its device (an int `index`, the backend's device index; a cuport_device_props `props`)
//   using Stream = ...;   the runtime's stream handle (a pointer; null is no stream)
//   static constexpr const char* kName         the backend's name in messages printed once ("hip")
//   static constexpr const char* kNoSuchDevice the message for a bad device index ("no such HIP device")
//   static constexpr const char* kPlatform     what a kernel cuport-cc left out cannot run on ("AMDGPU")
//   static constexpr const char* kEmptyImage   a module without code: "amdgcn image (it has no code object)"
//   static Device* device_at(int device);                           null for an invalid index
//   static cuport_status use_device(Device& d);                     makes `d` current on the calling thread
//   static cuport_status exiting_error();                           records and returns cudaErrorCudartUnloading
//   static Stream thread_stream(Device& d, cuport_status* status);  the calling thread's stream on `d`
//                                                                   (ThreadStreams), with `d` current
//   static cuport_status wait_stream(Stream s, const std::string& what);  waits for `s`; `what` names it
// and keeps to itself every call into the runtime (the function objects these templates take, which return a
// CUDA status) and its one error-mapping table.  The threading contracts are those of the hooks
// (include/cuport/backend.h); each template restates its own.  Header-only: each plugin gets its own copy.
#ifndef CUPORT_BACKEND_VENDOR_HOOKS_H
#define CUPORT_BACKEND_VENDOR_HOOKS_H

#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <cuport/backend.h>

#include "exit_gate.h"
#include "plugin_glue.h"

namespace cuport_glue {

// Held by a hook for its calls into the runtime on device `d`: holds the exit gate (exit_gate.h) and, while it
// is open, makes `d` current on the calling thread.  True when both succeeded; otherwise status() says why the
// hook must stop (V::exiting_error() once the gate has closed, recorded only when asked for).
template <class V>
class DeviceCall {
 public:
  explicit DeviceCall(typename V::Device& d) : current_(gate_ ? V::use_device(d) : kSuccess) {}
  DeviceCall(const DeviceCall&) = delete;
  DeviceCall& operator=(const DeviceCall&) = delete;
  explicit operator bool() const { return gate_ && current_ == kSuccess; }
  bool closed() const { return !gate_; }  // the process is exiting: make no calls into the runtime
  cuport_status status() const { return gate_ ? current_ : V::exiting_error(); }

 private:
  GatedCall gate_;
  cuport_status current_;
};

// Each host thread's own stream on each device (by device index), created on first use.  libcuport runs each
// CUDA stream on its own worker thread and calls the hooks synchronously from there, so with every copy, fill
// and launch enqueued on the calling thread's stream and waited for there (enqueue_and_wait), the work of
// different CUDA streams overlaps on the GPU, no operation waits behind another thread's work, and nothing is
// ordered against the runtime's null stream (which would serialize everything).  A thread that exits destroys
// its streams with Reap(streams) (entries may be null), unless forget() was called first.  The streams are
// reached through a plain pointer, so a hook that runs on a thread after its thread_local destructors (during
// exit) still works: it just makes new streams it leaks.
template <class Stream, void (*Reap)(const std::vector<Stream>&)>
class ThreadStreams {
 public:
  // Any thread: its stream for device `index`; on first use `create(Stream*)` makes it (kSuccess with a stream,
  // else the error).  Null with the error in *status.
  template <class Create>
  static Stream get(size_t index, cuport_status* status, Create&& create) {
    if (!t_streams) {
      t_streams = new std::vector<Stream>;
      if (!t_reaped) t_reaper.armed = true;  // registers the reaper, which destroys the streams at thread exit
    }
    std::vector<Stream>& streams = *t_streams;
    if (index < streams.size() && streams[index]) return streams[index];
    Stream stream = nullptr;
    *status = create(&stream);
    if (*status != kSuccess) return nullptr;
    if (streams.size() <= index) streams.resize(index + 1, nullptr);
    streams[index] = stream;
    return stream;
  }
  // Stops destroying the threads' streams when they exit (shutdown: the runtime may be finalizing).
  static void forget() { forgotten_.store(true); }

 private:
  struct Reaper {
    bool armed = false;
    ~Reaper() {
      t_reaped = true;
      std::vector<Stream>* streams = t_streams;
      t_streams = nullptr;
      if (!streams) return;
      if (!forgotten_.load()) Reap(*streams);
      delete streams;
    }
  };
  static inline thread_local std::vector<Stream>* t_streams = nullptr;
  static inline thread_local bool t_reaped = false;
  static inline thread_local Reaper t_reaper;
  static inline std::atomic<bool> forgotten_{false};
};

// The shape of every copy, fill and launch on `d` (any thread, concurrently with the others): with the exit
// gate held, `enqueue(stream)` puts the work on the calling thread's stream and returns its status; then the
// hook waits for that stream alone (a fault comes back from the wait), naming `waited` in a failure's message.
// The work is complete when this returns.
template <class V, class Enqueue>
cuport_status enqueue_and_wait(typename V::Device& d, Enqueue&& enqueue, const std::string& waited) {
  GatedCall call;
  if (!call) return V::exiting_error();
  cuport_status st = kSuccess;
  const typename V::Stream stream = V::thread_stream(d, &st);
  if (!stream) return st;
  st = enqueue(stream);
  if (st != kSuccess) return st;
  return V::wait_stream(stream, waited);
}

// The memcpy hook (any thread, concurrently with launches and other copies; the runtime orders it after the
// work it depends on).  A host-to-host copy (kind 0) is done here; `enqueue(stream)` enqueues the others (1: host
// to device, 2: device to host, 3: device to device) through enqueue_and_wait.
template <class V, class Enqueue>
cuport_status stream_copy(int device, void* dst, const void* src, size_t bytes, int kind, Enqueue&& enqueue,
                          const char* waited) {
  typename V::Device* d = V::device_at(device);
  if (!d) return fail(kInvalidDevice, V::kNoSuchDevice);
  if (kind < 0 || kind > 3) return fail(kInvalidMemcpyDirection, "unresolved copy kind " + std::to_string(kind));
  if (bytes == 0) return kSuccess;
  if (!dst || !src) return fail(kInvalidValue, "null pointer in copy");
  if (kind == 0) {  // cudaMemcpyHostToHost: both sides are host memory
    std::memmove(dst, src, bytes);
    return kSuccess;
  }
  return enqueue_and_wait<V>(*d, enqueue, waited);
}

// The memset hook (any thread, concurrently like memcpy): `enqueue(stream)` enqueues the fill.
template <class V, class Enqueue>
cuport_status stream_fill(int device, void* dst, size_t bytes, Enqueue&& enqueue, const char* waited) {
  typename V::Device* d = V::device_at(device);
  if (!d) return fail(kInvalidDevice, V::kNoSuchDevice);
  if (bytes == 0) return kSuccess;
  if (!dst) return fail(kInvalidValue, "null pointer in memset");
  return enqueue_and_wait<V>(*d, enqueue, waited);
}

// A launch's grid and block, with CUDA's unused dimensions (0) as 1.
struct LaunchDims {
  unsigned grid[3], block[3];
  explicit LaunchDims(const cuport_launch& l) {
    for (int i = 0; i < 3; ++i) {
      grid[i] = l.grid[i] ? l.grid[i] : 1;
      block[i] = l.block[i] ? l.block[i] : 1;
    }
  }
};

// The launch hook (any thread, concurrently with other launches and copies).  The runtime has validated the
// configuration; this checks the kernel's device, the arguments and that the dynamic shared memory fits the
// runtime's launch call (at most `max_dynamic_shared` bytes).  `enqueue(stream, dims)` enqueues the launch
// through enqueue_and_wait; `launch->args` and what it points to are read only during the call.
template <class V, class Kernel, class Enqueue>
cuport_status stream_launch(int device, Kernel* kernel, const cuport_launch* launch, size_t max_dynamic_shared,
                            Enqueue&& enqueue) {
  typename V::Device* d = V::device_at(device);
  if (!d) return fail(kInvalidDevice, V::kNoSuchDevice);
  if (!kernel || !launch) return fail(kInvalidValue, "null argument");
  if (kernel->module->device != d) return fail(kInvalidResourceHandle, "the kernel belongs to another device");
  if (launch->param_count && !launch->args) return fail(kInvalidValue, "null kernel arguments");
  if (launch->dynamic_shared > max_dynamic_shared)
    return fail(kInvalidValue, "dynamic shared memory of " + std::to_string(launch->dynamic_shared) + " bytes");
  const LaunchDims dims(*launch);
  return enqueue_and_wait<V>(
      *d, [&](typename V::Stream stream) { return enqueue(stream, dims); }, "kernel " + pretty_name(kernel->name));
}

// The allocation hooks (any thread).  `supported(d)` fails first for a device that cannot allocate so; then,
// with the exit gate held and the device current, `allocate(&p)` returns the status of the runtime's allocation
// of `size` (> 0) bytes.  Memory that is not 256-byte aligned (CUDA guarantees that much) is given back with
// `release(p)` and refused as `what`'s.
template <class V, class Supported, class Allocate, class Release>
cuport_status allocate_memory(int device, size_t size, void** out, Supported&& supported, const char* what,
                              Allocate&& allocate, Release&& release) {
  typename V::Device* d = V::device_at(device);
  if (!d) return fail(kInvalidDevice, V::kNoSuchDevice);
  if (!out) return fail(kInvalidValue, "null output");
  *out = nullptr;
  cuport_status st = supported(*d);
  if (st != kSuccess) return st;
  if (size == 0) return kSuccess;
  DeviceCall<V> call(*d);
  if (!call) return call.status();
  void* p = nullptr;
  if ((st = allocate(&p)) != kSuccess) return st;
  if (reinterpret_cast<uintptr_t>(p) % 256 != 0) {
    release(p);
    return fail(kMemoryAllocation, std::string(what) + " returned memory that is not 256-byte aligned");
  }
  *out = p;
  return kSuccess;
}

// The mem_info hook (any thread): `query()` asks the runtime with the exit gate held and the device current.
template <class V, class Query>
cuport_status memory_info(int device, size_t* free_bytes, size_t* total_bytes, Query&& query) {
  typename V::Device* d = V::device_at(device);
  if (!d) return fail(kInvalidDevice, V::kNoSuchDevice);
  if (!free_bytes || !total_bytes) return fail(kInvalidValue, "null output");
  DeviceCall<V> call(*d);
  if (!call) return call.status();
  return query();
}

// The mem_free hook (any thread; the runtime has synchronized the device): `release()` frees `ptr` with the
// exit gate held and the device current.  Once the process is exiting, nothing is freed: its memory goes with it.
template <class V, class Release>
cuport_status free_memory(int device, void* ptr, Release&& release) {
  typename V::Device* d = V::device_at(device);
  if (!d) return fail(kInvalidDevice, V::kNoSuchDevice);
  if (!ptr) return kSuccess;
  DeviceCall<V> call(*d);
  if (call.closed()) return kSuccess;
  if (!call) return call.status();
  return release();
}

// The module_unload hook (any thread, never concurrently with uses of the same module), for a module with a
// `device` and a runtime `handle` (null: an empty module): `unload(handle)` unloads it with the exit gate held
// and the device current.  Once the process is exiting, the runtime's teardown releases the module instead.
template <class V, class Module, class Unload>
cuport_status unload_module(Module* module, Unload&& unload) {
  if (!module) return fail(kInvalidValue, "null module");
  std::unique_ptr<Module> m(module);
  if (!m->handle) return kSuccess;
  DeviceCall<V> call(*m->device);
  if (call.closed()) return kSuccess;
  if (!call) return call.status();
  return unload(m->handle);
}

// The kernel_get hook (any thread), for a module with a `device`, a runtime `handle` (null: no code), the
// kernels cuport-cc left out (`unsupported`: name -> its file:line: reason) and a KernelCache `kernels`.  A
// kernel left out fails with cudaErrorNoKernelImageForDevice and cuport-cc's reason, also printed once; any
// kernel of a module without code with cudaErrorInvalidDeviceFunction.  Any other is made once and cached: a
// new Kernel (the backend's cuport_kernel) with its `module` and `name` set, which `make(kernel)` completes
// with the exit gate held and the device current.
template <class V, class Module, class Make, class Kernel = cuport_kernel>
cuport_status get_kernel(Module* module, const char* mangled_name, cuport_kernel** out, Make&& make) {
  if (!module || !mangled_name || !out) return fail(kInvalidValue, "null argument");
  const std::string name = mangled_name;
  return module->kernels.get(name, out, [&](std::unique_ptr<Kernel>* k) {
    auto unsupported = module->unsupported.find(name);
    if (unsupported != module->unsupported.end()) {
      const std::string message =
          "kernel " + pretty_name(name) + " cannot run on " + V::kPlatform + ": " + unsupported->second;
      warn_once(V::kName, message);
      return fail(kNoKernelImageForDevice, message);
    }
    if (!module->handle)
      return fail(kInvalidDeviceFunction, "kernel " + pretty_name(name) + " is not in this program's " + V::kEmptyImage);
    DeviceCall<V> call(*module->device);
    if (!call) return call.status();
    auto kernel = std::make_unique<Kernel>();
    kernel->module = module;
    kernel->name = name;
    const cuport_status st = make(*kernel);
    if (st == kSuccess) *k = std::move(kernel);
    return st;
  });
}

// The symbol_get hook (any thread), for a module like get_kernel's: a variable of a module without code fails
// with cudaErrorSymbolNotFound; otherwise `lookup()` finds it with the exit gate held and the device current.
template <class V, class Module, class Lookup>
cuport_status get_symbol(Module* module, const char* name, void** dptr, size_t* size, Lookup&& lookup) {
  if (!module || !name || !dptr || !size) return fail(kInvalidValue, "null argument");
  if (!module->handle)
    return fail(kSymbolNotFound, "variable " + std::string(name) + " is not in this program's " + V::kEmptyImage);
  DeviceCall<V> call(*module->device);
  if (!call) return call.status();
  return lookup();
}

}  // namespace cuport_glue

#endif

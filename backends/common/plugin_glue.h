// Shared by the backend plugins: the CUDA error numbers they return, the calling thread's error detail,
// messages printed once and kernel names for messages, the devices found at init, a module's kernel cache, and
// the C boundary of the ops table.
//
// A backend implements its hooks as plain C++ functions (which may throw) in its own namespace and defines its
// entry points with CUPORT_DEFINE_BACKEND_PLUGIN.  Every hook of the resulting table
// catches C++ exceptions (std::bad_alloc -> cudaErrorMemoryAllocation, others -> cudaErrorOperatingSystem)
// so none crosses the C ABI.  Header-only: each plugin gets its own copy (plugins export nothing but the two
// entry points).
#ifndef CUPORT_BACKEND_PLUGIN_GLUE_H
#define CUPORT_BACKEND_PLUGIN_GLUE_H

#include <cxxabi.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <cuport/backend.h>

namespace cuport_glue {

// The CUDA error numbers backends return (a subset of cudaError_t; no runtime headers needed in a plugin).
enum Status : int {
  kSuccess = 0,
  kInvalidValue = 1,
  kMemoryAllocation = 2,
  kInitializationError = 3,
  kCudartUnloading = 4,
  kInvalidConfiguration = 9,
  kInvalidMemcpyDirection = 21,
  kInvalidDeviceFunction = 98,
  kInvalidDevice = 101,
  kInvalidKernelImage = 200,
  kNoKernelImageForDevice = 209,
  kInvalidPtx = 218,
  kSharedObjectInitFailed = 303,
  kOperatingSystem = 304,
  kInvalidResourceHandle = 400,
  kSymbolNotFound = 500,
  kLaunchOutOfResources = 701,
  kAssert = 710,
  kLaunchFailure = 719,
  kNotSupported = 801,
  kUnknown = 999,
};

// Heap string per thread: no TLS destructor ordering concerns at exit.
inline std::string*& message_slot() {
  thread_local std::string* message = nullptr;
  return message;
}

// Records `message` as the calling thread's last failure detail; returns `status` for convenience.
inline cuport_status fail(cuport_status status, const std::string& message) {
  std::string*& slot = message_slot();
  if (!slot) slot = new std::string;
  *slot = message;
  return status;
}

inline const char* last_error_message() {
  const std::string* slot = message_slot();
  return slot ? slot->c_str() : "";
}

// Hooks are noexcept at the C boundary: a C++ exception (in practice std::bad_alloc) becomes an error code.
template <class F>
cuport_status guarded(F&& f) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return fail(kMemoryAllocation, "out of host memory");
  } catch (const std::exception& e) {
    return fail(kOperatingSystem, e.what());
  } catch (...) {
    return fail(kOperatingSystem, "unexpected exception");
  }
}

// Any thread.  Prints "cuport: <backend>: <message>" on stderr once per distinct message for the whole process.
inline void warn_once(const char* backend, const std::string& message) {
  static std::mutex* mu = new std::mutex;  // leaked: usable during exit
  static std::set<std::string>* seen = new std::set<std::string>;
  std::lock_guard<std::mutex> lock(*mu);
  if (!seen->insert(message).second) return;
  std::fprintf(stderr, "cuport: %s: %s\n", backend, message.c_str());
}

// A kernel's CUDA (mangled) name, demangled when possible, for messages.
inline std::string pretty_name(const std::string& mangled) {
  int status = 0;
  char* demangled = abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status);
  std::string out = status == 0 && demangled ? demangled : mangled;
  std::free(demangled);
  return out;
}

// A backend's devices, found once at init, and why there are none.  `Device` has a cuport_device_props
// member `props`.
template <class Device>
struct DeviceList {
  std::vector<std::unique_ptr<Device>> devices;
  std::string why_none;

  // Any thread.  With no devices, also records why for this thread (libcuport asks right after).
  int count() const {
    if (devices.empty()) fail(kSuccess, why_none);
    return int(devices.size());
  }
  Device* at(int device) const {
    return device < 0 || size_t(device) >= devices.size() ? nullptr : devices[size_t(device)].get();
  }
  // Any thread.  The device_props hook; `no_such` is the message for a bad index.
  cuport_status props(int device, cuport_device_props* out, const char* no_such) const {
    Device* d = at(device);
    if (!d) return fail(kInvalidDevice, no_such);
    if (!out) return fail(kInvalidValue, "null output");
    *out = d->props;
    return kSuccess;
  }
};

// The backend's state: a DeviceList-derived `Backend`, made once by init and never freed (a hook that runs
// during exit still finds it); none before init.  Hooks read it from any thread.
template <class Backend>
class BackendState {
 public:
  // init's shape (one thread, before any other hook): `enumerate(Backend&)` finds the devices, and the state is
  // set.  Succeeds with zero devices too; the reason is then the calling thread's last_error_message (and
  // device_count's).
  template <class Enumerate>
  cuport_status init(Enumerate&& enumerate) {
    auto* b = new Backend;
    enumerate(*b);
    backend_ = b;
    if (b->devices.empty()) fail(kSuccess, b->why_none);
    return kSuccess;
  }
  Backend* get() const { return backend_; }  // null before init
  // The device_count hook.
  int count() const { return backend_ ? backend_->count() : 0; }
  // The backend's device `device`, null for an invalid index.
  auto at(int device) const -> decltype(std::declval<Backend&>().at(device)) {
    return backend_ ? backend_->at(device) : nullptr;
  }
  // The device_props hook; `no_such` is the message for a bad index.
  cuport_status props(int device, cuport_device_props* out, const char* no_such) const {
    return backend_ ? backend_->props(device, out, no_such) : fail(kInvalidDevice, no_such);
  }

 private:
  Backend* backend_ = nullptr;
};

// A module's kernels by CUDA name, each made once, on first use, and owned by the cache.  Thread-safe.
// `Kernel` is the backend's struct cuport_kernel (a template so that it may still be incomplete here).
template <class Kernel = cuport_kernel>
class KernelCache {
 public:
  // The kernel called `name`; on first use `make(std::unique_ptr<Kernel>*)` creates it (or fails).
  template <class Make>
  cuport_status get(const std::string& name, cuport_kernel** out, Make&& make) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = kernels_.find(name);
    if (it == kernels_.end()) {
      std::unique_ptr<Kernel> k;
      const cuport_status st = make(&k);
      if (st != kSuccess) return st;
      it = kernels_.emplace(name, std::move(k)).first;
    }
    *out = it->second.get();
    return kSuccess;
  }
  // Visits every kernel made so far (not concurrently with get).
  template <class F>
  void for_each(F&& f) {
    for (auto& k : kernels_) f(*k.second);
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<Kernel>> kernels_;
};

// The implementation's hooks, in cuport_backend_ops order.
struct Hooks {
  cuport_status (*init)();
  void (*shutdown)();
  int (*device_count)();
  cuport_status (*device_props)(int, cuport_device_props*);
  cuport_status (*mem_info)(int, size_t*, size_t*);
  cuport_status (*mem_alloc)(int, size_t, void**);
  cuport_status (*mem_free)(int, void*);
  cuport_status (*memcpy)(int, void*, const void*, size_t, int);
  cuport_status (*memset)(int, void*, int, size_t);
  cuport_status (*module_load)(int, const void*, size_t, cuport_module**);
  cuport_status (*module_unload)(cuport_module*);
  cuport_status (*kernel_get)(cuport_module*, const char*, cuport_kernel**);
  cuport_status (*kernel_static_shared)(cuport_kernel*, size_t*);
  cuport_status (*symbol_get)(cuport_module*, const char*, void**, size_t*);
  cuport_status (*launch)(int, cuport_kernel*, const cuport_launch*);
  cuport_status (*synchronize)(int);
  // Optional hooks (null when the backend has none).
  cuport_status (*mem_alloc_shared)(int, size_t, void**) = nullptr;
  void (*host_memory)(void*, size_t, int) = nullptr;
  uint64_t (*memcheck_errors)() = nullptr;
};

// The C ops table over `H` (an object with static storage duration).
template <const Hooks& H>
cuport_backend_ops make_ops(const char* name, const char* image_target) {
  cuport_backend_ops ops{};
  ops.abi_version = CUPORT_BACKEND_ABI_VERSION;
  ops.struct_size = sizeof(cuport_backend_ops);
  ops.name = name;
  ops.image_target = image_target;
  ops.init = [] { return guarded([] { return H.init(); }); };
  ops.shutdown = [] {
    try {
      H.shutdown();
    } catch (...) {
    }
  };
  ops.device_count = [] {
    try {
      return H.device_count();
    } catch (...) {
      return 0;
    }
  };
  ops.device_props = [](int d, cuport_device_props* out) { return guarded([&] { return H.device_props(d, out); }); };
  ops.mem_info = [](int d, size_t* f, size_t* t) { return guarded([&] { return H.mem_info(d, f, t); }); };
  ops.mem_alloc = [](int d, size_t s, void** out) { return guarded([&] { return H.mem_alloc(d, s, out); }); };
  ops.mem_free = [](int d, void* p) { return guarded([&] { return H.mem_free(d, p); }); };
  ops.memcpy = [](int d, void* dst, const void* src, size_t n, int kind) {
    return guarded([&] { return H.memcpy(d, dst, src, n, kind); });
  };
  ops.memset = [](int d, void* dst, int v, size_t n) { return guarded([&] { return H.memset(d, dst, v, n); }); };
  ops.module_load = [](int d, const void* img, size_t n, cuport_module** out) {
    return guarded([&] { return H.module_load(d, img, n, out); });
  };
  ops.module_unload = [](cuport_module* m) { return guarded([&] { return H.module_unload(m); }); };
  ops.kernel_get = [](cuport_module* m, const char* name, cuport_kernel** out) {
    return guarded([&] { return H.kernel_get(m, name, out); });
  };
  ops.kernel_static_shared = [](cuport_kernel* k, size_t* out) {
    return guarded([&] { return H.kernel_static_shared(k, out); });
  };
  ops.symbol_get = [](cuport_module* m, const char* name, void** p, size_t* s) {
    return guarded([&] { return H.symbol_get(m, name, p, s); });
  };
  ops.launch = [](int d, cuport_kernel* k, const cuport_launch* l) { return guarded([&] { return H.launch(d, k, l); }); };
  ops.synchronize = [](int d) { return guarded([&] { return H.synchronize(d); }); };
  ops.last_error_message = [] { return last_error_message(); };
  if (H.mem_alloc_shared)
    ops.mem_alloc_shared = [](int d, size_t s, void** out) {
      return guarded([&] { return H.mem_alloc_shared(d, s, out); });
    };
  if (H.host_memory)
    ops.host_memory = [](void* p, size_t s, int type) {
      try {
        H.host_memory(p, s, type);
      } catch (...) {
      }
    };
  if (H.memcheck_errors) ops.memcheck_errors = [] { return H.memcheck_errors(); };
  return ops;
}

}  // namespace cuport_glue

// Defines the two exported entry points of a plugin whose hooks are the functions of namespace `ns`, named
// like the ops-table fields (memcpy_ and memset_ for memcpy and memset).  Use once, at global scope, in the
// plugin's plugin.cpp.  Optional hooks follow, in the order of Hooks (e.g. mem_alloc_shared, host_memory).
#define CUPORT_DEFINE_BACKEND_PLUGIN(ns, name, image_target, ...)                                         \
  namespace ns {                                                                                        \
  const cuport_glue::Hooks kPluginHooks = {                                                             \
      init,       shutdown,    device_count, device_props,         mem_info,   mem_alloc,               \
      mem_free,   memcpy_,     memset_,      module_load,          module_unload, kernel_get,           \
      kernel_static_shared,    symbol_get,   launch,               synchronize,   __VA_ARGS__           \
  };                                                                                                    \
  }                                                                                                     \
  extern "C" __attribute__((visibility("default"))) uint32_t cuport_backend_abi_version(void) {        \
    return CUPORT_BACKEND_ABI_VERSION;                                                                  \
  }                                                                                                     \
  extern "C" __attribute__((visibility("default"))) const cuport_backend_ops* cuport_backend_ops_get(void) { \
    static const cuport_backend_ops ops = cuport_glue::make_ops<ns::kPluginHooks>(name, image_target);  \
    return &ops;                                                                                        \
  }

#endif

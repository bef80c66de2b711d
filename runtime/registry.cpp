// The registration ABI (__cudaRegisterFatBinary & co.) and lazy, per-device module loading.
#include "registry.h"
#include "stream.h"

#include "device.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "backend_loader.h"
#include "error.h"
#include "memory.h"

namespace cuport {
namespace {

// Clang's wrapper in .nvFatBinSegment: {magic, version, data, unused}.
constexpr int kWrapperMagic = 0x466243b1;
struct FatbinWrapper {
  int magic;
  int version;
  const void* data;
  void* unused;
};

// Upper bound accepted for a container whose size we only know from its own header.
constexpr uint64_t kMaxContainerSize = uint64_t(1) << 36;

struct FatBinary;

struct Function {
  FatBinary* fb = nullptr;
  std::string name;
  int max_dynamic_shared = -1;
  // Per device, guarded by fb->mu.
  std::vector<cuport_kernel*> kernels;
  std::vector<size_t> static_shared;
};

struct Variable {
  FatBinary* fb = nullptr;
  std::string name;
  size_t size = 0;
  // __managed__ (the manifest says so): the storage is the host shadow, `host`; device images hold a cell of
  // the same name that ensure_module points at it (compiler/lib/ManagedVariables.cpp).
  void* host = nullptr;
};

struct FatBinary {
  std::mutex mu;
  std::string error;                 // parse failure, "" when valid
  FatbinContents contents;
  std::vector<cuport_module*> modules;       // per device
  std::vector<cudaError_t> module_status;    // per device; cudaErrorNotReady = not attempted yet
  std::vector<void*> managed_storage;        // storage handed out by __cudaRegisterManagedVar (nvcc's ABI)
  std::vector<Function*> functions;
  std::vector<Variable*> variables;
  bool borrowed = false;  // modules belong to the linked image (relocatable device code)
};

// The image of the program's device link (relocatable device code), registered by the generated
// object's constructor; relocatable fat binaries use its modules.
FatBinary* g_linked = nullptr;
std::mutex g_linked_mu;

FatBinary* linked_image() {
  std::lock_guard<std::mutex> lock(g_linked_mu);
  return g_linked;
}

struct Registry {
  std::mutex mu;
  std::unordered_map<const void*, Function*> functions;
  std::unordered_map<const void*, Variable*> variables;
};

Registry& registry() {
  static Registry* r = new Registry;  // leaked: used by atexit-time __cudaUnregisterFatBinary
  return *r;
}

FatBinary* from_handle(void** handle) { return reinterpret_cast<FatBinary*>(handle); }

void grow(FatBinary* fb, int device) {
  const size_t need = size_t(device) + 1;
  if (fb->modules.size() < need) {
    fb->modules.resize(need, nullptr);
    fb->module_status.resize(need, cudaErrorNotReady);
  }
}

// Points the cells of the managed variables that live in `m` at their host storage: those registered by
// `fb`, or for the program's device link (relocatable code), those of every relocatable fat binary.
// cudaErrorNotSupported, with a message, on devices whose kernels cannot use host memory.
cudaError_t bind_managed_variables(FatBinary* fb, bool linked, cuport_module* m, const Current& cur) {
  std::vector<Variable*> managed;
  {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mu);
    for (auto& kv : r.variables)
      if (kv.second->host && (linked ? kv.second->fb->contents.relocatable : kv.second->fb == fb))
        managed.push_back(kv.second);
  }
  for (Variable* v : managed) {
    if (!cur.props->is_host_memory) {
      warn_once(std::string("managedvar:") + cur.ops->name,
                std::string("__managed__ variables (here '") + v->name + "') need a device that uses host memory "
                    "directly; backend '" + cur.ops->name + "' does not, so the kernels of their file cannot run");
      return cudaErrorNotSupported;
    }
    void* cell = nullptr;
    size_t cell_size = 0;
    if (cur.ops->symbol_get(m, v->name.c_str(), &cell, &cell_size) != cudaSuccess || cell_size < sizeof(void*))
      continue;  // an image without this variable's cell (another file's device link)
    void* storage = v->host;
    cuport_status st = cur.ops->memcpy(cur.local, cell, &storage, sizeof storage, cudaMemcpyHostToDevice);
    if (st != cudaSuccess) return static_cast<cudaError_t>(st);
    announce_managed_variable(v->host, v->size);
  }
  return cudaSuccess;
}

// Requires fb->mu.  Loads the module of `fb` for `cur.device` once; later calls return the same status.
cudaError_t ensure_module(FatBinary* fb, const Current& cur) {
  grow(fb, cur.device);
  cudaError_t& status = fb->module_status[size_t(cur.device)];
  if (status != cudaErrorNotReady) return status;
  if (!fb->error.empty()) return status = cudaErrorInvalidKernelImage;
  if (fb->contents.relocatable) {
    // Lock order: a relocatable fat binary, then the linked image (which never locks another).
    FatBinary* linked = linked_image();
    if (!linked) {
      warn_once("nolinked", "relocatable device code (-rdc) without a device link: link the program with "
                            "cuport-cc, or add the object from 'cuport-cc -dlink'");
      return status = cudaErrorNoKernelImageForDevice;
    }
    std::lock_guard<std::mutex> lock(linked->mu);
    cudaError_t e = ensure_module(linked, cur);
    if (e != cudaSuccess) return status = e;
    fb->modules[size_t(cur.device)] = linked->modules[size_t(cur.device)];
    fb->borrowed = true;
    return status = bind_managed_variables(fb, /*linked=*/true, fb->modules[size_t(cur.device)], cur);
  }
  const FatbinImage* img = fb->contents.find_image(cur.ops->image_target);
  if (!img) {
    warn_once(std::string("noimage:") + cur.ops->image_target,
              std::string("a fat binary has no image for target '") + cur.ops->image_target +
                  "' (backend '" + cur.ops->name + "'); its kernels cannot run");
    return status = cudaErrorNoKernelImageForDevice;
  }
  cuport_module* m = nullptr;
  const cuport_status st = cur.ops->module_load(cur.local, img->data, img->size, &m);
  if (st != cudaSuccess) {
    const char* why = cur.ops->last_error_message();
    warn_once(std::string("loadfail:") + std::to_string(reinterpret_cast<uintptr_t>(fb)),
              std::string("cannot load a '") + cur.ops->image_target + "' device image" +
                  (why && *why ? std::string(": ") + why : ""));
    return status = static_cast<cudaError_t>(st);
  }
  fb->modules[size_t(cur.device)] = m;
  return status = bind_managed_variables(fb, /*linked=*/false, m, cur);
}

template <class T>
T* find(std::unordered_map<const void*, T*>& map, const void* key) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  auto it = map.find(key);
  return it == map.end() ? nullptr : it->second;
}

}  // namespace

bool kernel_registered(const void* stub) { return find(registry().functions, stub) != nullptr; }

cudaError_t resolve_kernel(const void* stub, const Current& cur, ResolvedKernel* out) {
  Function* f = find(registry().functions, stub);
  if (!f) return cudaErrorInvalidDeviceFunction;
  FatBinary* fb = f->fb;
  std::lock_guard<std::mutex> lock(fb->mu);
  cudaError_t e = ensure_module(fb, cur);
  if (e != cudaSuccess) return e;
  const size_t d = size_t(cur.device);
  if (f->kernels.size() <= d) {
    f->kernels.resize(d + 1, nullptr);
    f->static_shared.resize(d + 1, 0);
  }
  if (!f->kernels[d]) {
    cuport_kernel* k = nullptr;
    cuport_status st = cur.ops->kernel_get(fb->modules[d], f->name.c_str(), &k);
    if (st != cudaSuccess) return static_cast<cudaError_t>(st);
    size_t shared = 0;
    st = cur.ops->kernel_static_shared(k, &shared);
    if (st != cudaSuccess) return static_cast<cudaError_t>(st);
    f->kernels[d] = k;
    f->static_shared[d] = shared;
  }
  out->kernel = f->kernels[d];
  out->static_shared = f->static_shared[d];
  out->meta = fb->contents.find_kernel(f->name);
  out->max_dynamic_shared = f->max_dynamic_shared;
  out->name = f->name;
  return cudaSuccess;
}

cudaError_t set_kernel_max_dynamic_shared(const void* stub, int bytes) {
  Function* f = find(registry().functions, stub);
  if (!f) return cudaErrorInvalidDeviceFunction;
  std::lock_guard<std::mutex> lock(f->fb->mu);
  f->max_dynamic_shared = bytes;
  return cudaSuccess;
}

cudaError_t resolve_symbol(const void* host_var, const Current& cur, void** dptr, size_t* size) {
  Variable* v = find(registry().variables, host_var);
  if (!v) return cudaErrorInvalidSymbol;
  if (v->host) {  // a managed variable: its storage is the host shadow itself
    if (!cur.props->is_host_memory) return cudaErrorNotSupported;
    *dptr = v->host;
    *size = v->size;
    return cudaSuccess;
  }
  FatBinary* fb = v->fb;
  std::lock_guard<std::mutex> lock(fb->mu);
  cudaError_t e = ensure_module(fb, cur);
  if (e != cudaSuccess) return e;
  void* addr = nullptr;
  size_t backend_size = 0;
  cuport_status st = cur.ops->symbol_get(fb->modules[size_t(cur.device)], v->name.c_str(), &addr, &backend_size);
  if (st != cudaSuccess) return cudaErrorInvalidSymbol;
  *dptr = addr;
  // Registration size first (the compiler knows it exactly), then the manifest, then the image.
  size_t sz = v->size;
  if (sz == 0) {
    if (const VarMeta* m = fb->contents.find_var(v->name)) sz = size_t(m->size);
  }
  if (sz == 0) sz = backend_size;
  *size = sz;
  return cudaSuccess;
}

void unload_device_modules(const cuport_backend_ops* ops, int device) {
  // `device` is the global device index; `ops` its backend.
  Registry& r = registry();
  std::vector<FatBinary*> fbs;
  {
    std::lock_guard<std::mutex> lock(r.mu);
    for (auto& kv : r.functions) fbs.push_back(kv.second->fb);
    for (auto& kv : r.variables) fbs.push_back(kv.second->fb);
  }
  std::sort(fbs.begin(), fbs.end());
  fbs.erase(std::unique(fbs.begin(), fbs.end()), fbs.end());
  const size_t d = size_t(device);
  for (FatBinary* fb : fbs) {
    std::lock_guard<std::mutex> lock(fb->mu);
    if (fb->modules.size() <= d) continue;
    for (Function* f : fb->functions)
      if (f->kernels.size() > d) f->kernels[d] = nullptr;
    if (fb->modules[d] && !fb->borrowed) ops->module_unload(fb->modules[d]);
    fb->modules[d] = nullptr;
    fb->module_status[d] = cudaErrorNotReady;
  }
  if (FatBinary* linked = linked_image()) {
    std::lock_guard<std::mutex> lock(linked->mu);
    if (linked->modules.size() > d) {
      if (linked->modules[d]) ops->module_unload(linked->modules[d]);
      linked->modules[d] = nullptr;
      linked->module_status[d] = cudaErrorNotReady;
    }
  }
}

}  // namespace cuport

using cuport::FatBinary;

extern "C" {

void** __cudaRegisterFatBinary(void* fatCubin) {
  auto* fb = new FatBinary;
  const auto* wrapper = static_cast<const cuport::FatbinWrapper*>(fatCubin);
  if (!wrapper || wrapper->magic != cuport::kWrapperMagic || !wrapper->data) {
    fb->error = "unrecognized fat-binary wrapper";
  } else {
    const uint64_t declared = cuport::fatbin_declared_size(wrapper->data);
    if (declared == 0) {
      fb->error = "not a cuport fat binary (bad magic or version; was this object built by cuport-cc?)";
    } else if (declared > cuport::kMaxContainerSize) {
      fb->error = "implausible container size";
    } else {
      std::string why;
      if (!cuport::parse_fatbin(wrapper->data, size_t(declared), &fb->contents, &why)) fb->error = why;
    }
  }
  if (!fb->error.empty())
    cuport::warn_once("badfatbin:" + fb->error, "ignoring an invalid fat binary: " + fb->error);
  return reinterpret_cast<void**>(fb);
}

void __cudaRegisterFatBinaryEnd(void** fatCubinHandle) { (void)fatCubinHandle; }

// cuport's device link (relocatable device code): the constructor of the object that `cuport-cc` links
// into the program registers the one image holding every relocatable file's kernels and variables.
void __cuportRegisterLinkedImage(const void* image, unsigned long size) {
  auto* fb = new FatBinary;  // lives as long as the process
  std::string why;
  if (!image || !cuport::parse_fatbin(image, size_t(size), &fb->contents, &why)) {
    cuport::warn_once("badlinked", "ignoring an invalid linked device image: " + why);
    delete fb;
    return;
  }
  std::lock_guard<std::mutex> lock(cuport::g_linked_mu);
  if (cuport::g_linked) {
    cuport::warn_once("twolinked", "more than one device link in the program; using the first");
    delete fb;
    return;
  }
  cuport::g_linked = fb;
}

void __cudaUnregisterFatBinary(void** fatCubinHandle) {
  FatBinary* fb = cuport::from_handle(fatCubinHandle);
  if (!fb) return;
  cuport::Registry& r = cuport::registry();
  {
    std::lock_guard<std::mutex> lock(r.mu);
    for (auto i = r.functions.begin(); i != r.functions.end();) {
      if (i->second->fb == fb) i = r.functions.erase(i);
      else ++i;
    }
    for (auto i = r.variables.begin(); i != r.variables.end();) {
      if (i->second->fb == fb) i = r.variables.erase(i);
      else ++i;
    }
  }
  // Unload only if the backend is up; never initialize it just to tear down.  Streams may still run this
  // binary's kernels (a program may exit without synchronizing): let them drain first, and leave the
  // modules loaded if they do not drain in time.
  if (cuport::backends_loaded() && cuport::drain_all_streams()) {
    std::lock_guard<std::mutex> lock(fb->mu);
    for (size_t d = 0; d < fb->modules.size(); ++d)
      if (cuport_module* m = fb->modules[d]; m && !fb->borrowed)
        if (const cuport::DeviceEntry* e = cuport::device_entry(int(d))) e->ops->module_unload(m);
  }
  for (cuport::Function* f : fb->functions) delete f;
  for (cuport::Variable* v : fb->variables) {
    if (v->host) cuport::forget_managed_variable(v->host);
    delete v;
  }
  for (void* p : fb->managed_storage) std::free(p);
  delete fb;
}

int __cudaRegisterFunction(void** fatCubinHandle, const char* hostFun, char* deviceFun, const char* deviceName,
                           int thread_limit, void* tid, void* bid, void* bDim, void* gDim, int* wSize) {
  (void)deviceFun, (void)thread_limit, (void)tid, (void)bid, (void)bDim, (void)gDim, (void)wSize;
  FatBinary* fb = cuport::from_handle(fatCubinHandle);
  if (!fb || !hostFun || !deviceName) return 0;
  auto* f = new cuport::Function;
  f->fb = fb;
  f->name = deviceName;
  cuport::Registry& r = cuport::registry();
  std::lock_guard<std::mutex> lock(r.mu);
  fb->functions.push_back(f);
  r.functions[hostFun] = f;
  return 0;
}

void __cudaRegisterVar(void** fatCubinHandle, char* hostVar, char* deviceAddress, const char* deviceName, int ext,
                       size_t size, int constant, int global) {
  (void)deviceAddress, (void)ext, (void)constant, (void)global;
  FatBinary* fb = cuport::from_handle(fatCubinHandle);
  if (!fb || !hostVar || !deviceName) return;
  auto* v = new cuport::Variable;
  v->fb = fb;
  v->name = deviceName;
  v->size = size;
  if (const cuport::VarMeta* m = fb->contents.find_var(deviceName); m && m->kind == cuport::VarKind::Managed) {
    // __managed__: the host shadow is the variable.  Clang leaves it uninitialized; the initial value comes
    // from the manifest, before any host code of the program runs.
    v->host = hostVar;
    if (size == 0 || size > m->size) v->size = size = size_t(m->size);
    if (!m->init.empty()) std::memcpy(hostVar, m->init.data(), std::min(size, m->init.size()));
    cuport::remember_managed_variable(hostVar, size);
  }
  cuport::Registry& r = cuport::registry();
  std::lock_guard<std::mutex> lock(r.mu);
  fb->variables.push_back(v);
  r.variables[hostVar] = v;
}

void __cudaRegisterManagedVar(void** fatCubinHandle, void** hostVarPtrAddress, char* initValue,
                              const char* deviceName, size_t size, unsigned align) {
  // Managed storage lives in host memory that every host-memory backend can use directly.  Device images
  // reach it through the pointer the compiler stores for them (not yet part of the CPU kernel ABI).
  (void)deviceName;
  FatBinary* fb = cuport::from_handle(fatCubinHandle);
  if (!fb || !hostVarPtrAddress) return;
  size_t a = align < 256 ? 256 : align;
  if ((a & (a - 1)) != 0) a = 256;
  void* p = nullptr;
  if (::posix_memalign(&p, a, size ? size : 1) != 0) {
    cuport::warn_once("managedoom", "cannot allocate storage for a __managed__ variable");
    return;
  }
  if (initValue && size) std::memcpy(p, initValue, size);
  else std::memset(p, 0, size);
  std::lock_guard<std::mutex> lock(fb->mu);
  fb->managed_storage.push_back(p);
  *hostVarPtrAddress = p;
}

}  // extern "C"

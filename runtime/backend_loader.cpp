// Locates libcuport-backend-<name>.so (CUPORT_BACKEND, default "cpu") in $CUPORT_BACKEND_PATH (a
// colon-separated directory list) and then next to libcuport.so itself, and checks its ABI before use.
#include "backend_loader.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "error.h"

namespace cuport {
namespace {

struct LoadState {
  const cuport_backend_ops* ops = nullptr;
  cudaError_t error = cudaSuccess;
};

std::atomic<const cuport_backend_ops*> g_loaded{nullptr};

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string own_directory() {
  Dl_info info;
  if (::dladdr(reinterpret_cast<void*>(&own_directory), &info) == 0 || !info.dli_fname) return "";
  std::string path = info.dli_fname;
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

bool valid_backend_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return false;
  return true;
}

LoadState fail(cudaError_t e, const std::string& message) {
  warn_once("backend-load", message);
  return LoadState{nullptr, e};
}

LoadState load() {
  const char* env_name = std::getenv("CUPORT_BACKEND");
  const std::string name = env_name && *env_name ? env_name : "cpu";
  if (!valid_backend_name(name))
    return fail(cudaErrorNoDevice, "CUPORT_BACKEND='" + name + "' is not a valid backend name; no device available");
  const std::string file = "libcuport-backend-" + name + ".so";

  std::vector<std::string> dirs;
  if (const char* env_path = std::getenv("CUPORT_BACKEND_PATH")) {
    std::string list = env_path;
    size_t i = 0;
    while (i <= list.size()) {
      size_t j = list.find(':', i);
      if (j == std::string::npos) j = list.size();
      if (j > i) dirs.push_back(list.substr(i, j - i));
      i = j + 1;
    }
  }
  const std::string own = own_directory();
  if (!own.empty()) dirs.push_back(own);

  std::string path;
  for (const std::string& d : dirs) {
    if (file_exists(d + "/" + file)) {
      path = d + "/" + file;
      break;
    }
  }
  if (path.empty()) {
    std::string searched;
    for (const std::string& d : dirs) searched += (searched.empty() ? "" : ":") + d;
    return fail(cudaErrorNoDevice, "backend '" + name + "' not found (looked for " + file + " in " + searched +
                                       "); no device available");
  }

  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = ::dlerror();
    return fail(cudaErrorInitializationError,
                "cannot load backend " + path + ": " + (why ? why : "unknown dlopen error"));
  }
  auto version_fn = reinterpret_cast<cuport_backend_abi_version_fn>(::dlsym(handle, "cuport_backend_abi_version"));
  auto ops_fn = reinterpret_cast<cuport_backend_ops_get_fn>(::dlsym(handle, "cuport_backend_ops_get"));
  if (!version_fn || !ops_fn)
    return fail(cudaErrorInitializationError, "backend " + path + " lacks cuport_backend_abi_version/ops_get");
  const uint32_t version = version_fn();
  if (version != CUPORT_BACKEND_ABI_VERSION)
    return fail(cudaErrorInitializationError, "backend " + path + " has ABI version " + std::to_string(version) +
                                                  ", libcuport needs " + std::to_string(CUPORT_BACKEND_ABI_VERSION));
  const cuport_backend_ops* ops = ops_fn();
  if (!ops || ops->abi_version != CUPORT_BACKEND_ABI_VERSION || ops->struct_size < sizeof(cuport_backend_ops))
    return fail(cudaErrorInitializationError, "backend " + path + " returned an incompatible ops table");
  const bool complete = ops->init && ops->shutdown && ops->device_count && ops->device_props && ops->mem_info &&
                        ops->mem_alloc && ops->mem_free && ops->memcpy && ops->memset && ops->module_load &&
                        ops->module_unload && ops->kernel_get && ops->kernel_static_shared && ops->symbol_get &&
                        ops->launch && ops->synchronize && ops->last_error_message && ops->image_target;
  if (!complete) return fail(cudaErrorInitializationError, "backend " + path + " has missing hooks");
  const cuport_status st = ops->init();
  if (st != cudaSuccess) {
    const char* msg = ops->last_error_message();
    return fail(cudaErrorInitializationError,
                "backend " + path + " failed to initialize" + (msg && *msg ? std::string(": ") + msg : ""));
  }
  // The handle is intentionally never closed: hooks may run until the very end of the process.
  return LoadState{ops, cudaSuccess};
}

// Shutdown once libcuport itself is finalized (after every atexit handler, including the module
// destructors that call __cudaUnregisterFatBinary), so the backend can stop its worker threads.
__attribute__((destructor)) void shutdown_backend() {
  const cuport_backend_ops* ops = g_loaded.exchange(nullptr);
  if (ops) ops->shutdown();
}

}  // namespace

const cuport_backend_ops* backend(cudaError_t* err) {
  static LoadState* state = nullptr;
  static std::once_flag once;
  std::call_once(once, [] {
    state = new LoadState(load());  // leaked: must outlive static destructors
    g_loaded.store(state->ops);
  });
  if (err) *err = state->error;
  return state->ops;
}

const cuport_backend_ops* backend_if_loaded() { return g_loaded.load(); }

}  // namespace cuport

// Locates libcuport-backend-<name>.so for each backend CUPORT_BACKEND names (default "cpu") in
// $CUPORT_BACKEND_PATH (a colon-separated directory list) and then next to libcuport.so itself, and checks
// its ABI before use.
#include "backend_loader.h"
#include "memory.h"

#include <dlfcn.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "error.h"
#include "stream.h"

namespace cuport {
namespace {

using LoadState = LoadedBackend;

std::atomic<const std::vector<LoadedBackend>*> g_loaded{nullptr};

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

// `quiet`: with CUPORT_BACKEND=all an absent or deviceless backend is expected, not worth a warning.
bool g_quiet = false;

LoadState fail(const std::string& name, cudaError_t e, const std::string& message) {
  if (!g_quiet) warn_once("backend-load:" + name, message);
  LoadState s;
  s.name = name;
  s.error = e;
  s.status = message;
  return s;
}

std::vector<std::string> search_dirs() {
  std::vector<std::string> dirs;
  // secure_getenv: a set-user-ID or set-group-ID program ignores the setting, as ld.so ignores
  // LD_LIBRARY_PATH there, so an unprivileged caller cannot make it load code (docs/security.md).
  if (const char* env_path = ::secure_getenv("CUPORT_BACKEND_PATH")) {
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
  return dirs;
}

LoadState load(const std::string& name) {
  if (!valid_backend_name(name))
    return fail(name, cudaErrorNoDevice, "CUPORT_BACKEND names '" + name + "', which is not a valid backend name");
  const std::string file = "libcuport-backend-" + name + ".so";
  const std::vector<std::string> dirs = search_dirs();

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
    return fail(name, cudaErrorNoDevice, "backend '" + name + "' not found (looked for " + file + " in " + searched +
                                       ")");
  }

  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = ::dlerror();
    return fail(name, cudaErrorInitializationError,
                "cannot load backend " + path + ": " + (why ? why : "unknown dlopen error"));
  }
  auto version_fn = reinterpret_cast<cuport_backend_abi_version_fn>(::dlsym(handle, "cuport_backend_abi_version"));
  auto ops_fn = reinterpret_cast<cuport_backend_ops_get_fn>(::dlsym(handle, "cuport_backend_ops_get"));
  if (!version_fn || !ops_fn)
    return fail(name, cudaErrorInitializationError, "backend " + path + " lacks cuport_backend_abi_version/ops_get");
  const uint32_t version = version_fn();
  if (version != CUPORT_BACKEND_ABI_VERSION)
    return fail(name, cudaErrorInitializationError, "backend " + path + " has ABI version " + std::to_string(version) +
                                                  ", libcuport needs " + std::to_string(CUPORT_BACKEND_ABI_VERSION));
  const cuport_backend_ops* ops = ops_fn();
  // Plugins built before an optional hook was appended have a smaller table: CUPORT_BACKEND_HAS tells.
  if (!ops || ops->abi_version != CUPORT_BACKEND_ABI_VERSION ||
      ops->struct_size < offsetof(cuport_backend_ops, mem_alloc_shared))
    return fail(name, cudaErrorInitializationError, "backend " + path + " returned an incompatible ops table");
  const bool complete = ops->init && ops->shutdown && ops->device_count && ops->device_props && ops->mem_info &&
                        ops->mem_alloc && ops->mem_free && ops->memcpy && ops->memset && ops->module_load &&
                        ops->module_unload && ops->kernel_get && ops->kernel_static_shared && ops->symbol_get &&
                        ops->launch && ops->synchronize && ops->last_error_message && ops->image_target;
  if (!complete) return fail(name, cudaErrorInitializationError, "backend " + path + " has missing hooks");
  const cuport_status st = ops->init();
  if (st != cudaSuccess) {
    const char* msg = ops->last_error_message();
    return fail(name, cudaErrorInitializationError,
                "backend " + path + " failed to initialize" + (msg && *msg ? std::string(": ") + msg : ""));
  }
  // The handle is intentionally never closed: hooks may run until the very end of the process.
  LoadState ok;
  ok.name = name;
  ok.ops = ops;
  return ok;
}

// Shutdown once libcuport itself is finalized (after every atexit handler, including the module
// destructors that call __cudaUnregisterFatBinary), so the backend can stop its worker threads.
// Stream workers are drained first (bounded; see stream.h); if work is still executing inside a backend
// hook, the backends are left running rather than torn down under it.
__attribute__((destructor)) void shutdown_backends() {
  report_leaks();  // CUPORT_LEAK_CHECK=1: after the program's own static destructors and atexit handlers
  const bool drained = !g_loaded.load() || shutdown_streams();
  // CUPORT_MEMCHECK=1: the error summary once all work is done; errors make the exit status 1.
  const uint64_t memcheck_errors = memcheck_summary();
  if (drained) {
    const std::vector<LoadedBackend>* all = g_loaded.exchange(nullptr);
    if (all)
      for (const LoadedBackend& b : *all)
        if (b.ops) b.ops->shutdown();
  }
  if (memcheck_errors) {
    std::fflush(nullptr);
    ::_exit(1);
  }
}

// Every installed plugin, well-known backends first.
std::vector<std::string> installed_backends() {
  std::vector<std::string> names;
  for (const std::string& d : search_dirs()) {
    DIR* dir = ::opendir(d.c_str());
    if (!dir) continue;
    while (const dirent* e = ::readdir(dir)) {
      std::string f = e->d_name;
      const std::string pre = "libcuport-backend-", post = ".so";
      if (f.size() > pre.size() + post.size() && f.compare(0, pre.size(), pre) == 0 &&
          f.compare(f.size() - post.size(), post.size(), post) == 0) {
        std::string n = f.substr(pre.size(), f.size() - pre.size() - post.size());
        if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
      }
    }
    ::closedir(dir);
  }
  static const char* const preferred[] = {"cpu", "opencl", "hip", "cuda"};
  auto rank = [](const std::string& n) {
    for (size_t i = 0; i < 4; ++i)
      if (n == preferred[i]) return i;
    return size_t(4);
  };
  std::sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) {
    return rank(a) != rank(b) ? rank(a) < rank(b) : a < b;
  });
  return names;
}

std::vector<std::string> requested_backends() {
  const char* env = std::getenv("CUPORT_BACKEND");
  const std::string spec = env && *env ? env : "cpu";
  if (spec == "all") {
    g_quiet = true;
    return installed_backends();
  }
  std::vector<std::string> names;
  size_t i = 0;
  while (i <= spec.size()) {
    size_t j = spec.find(',', i);
    if (j == std::string::npos) j = spec.size();
    std::string n = spec.substr(i, j - i);
    if (!n.empty() && std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
    i = j + 1;
  }
  return names;
}

}  // namespace

namespace {
// Work still queued when the program exits is drained from the main thread's thread_local destructor,
// which exit() runs before any static destructor: backends whose implementation has exit-time state of its
// own (PoCL's LLVM, loaded by the OpenCL ICD after libcuport) are still intact then.
struct ExitDrain {
  ~ExitDrain() {
    if (::syscall(SYS_gettid) == ::getpid()) drain_all_streams();
  }
};
thread_local ExitDrain t_exit_drain;
}  // namespace

const std::vector<LoadedBackend>& backends() {
  (void)&t_exit_drain;
  static std::vector<LoadedBackend>* all = nullptr;
  static std::once_flag once;
  std::call_once(once, [] {
    all = new std::vector<LoadedBackend>;  // leaked: must outlive static destructors
    for (const std::string& name : requested_backends()) all->push_back(load(name));
    memcheck_begin(*all);  // CUPORT_MEMCHECK=1: the banner, and which backends do not check
    g_loaded.store(all);
  });
  return *all;
}

bool backends_loaded() { return g_loaded.load() != nullptr; }

}  // namespace cuport

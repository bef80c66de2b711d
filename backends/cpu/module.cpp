// Loading CPU device images (ELF shared objects, include/cuport/cpu_kernel_abi.h) from memory.
//
// The image bytes go into a memfd and are dlopen'ed as /proc/self/fd/N (RTLD_NOW | RTLD_LOCAL), so each
// load is a distinct object with its own copy of the device variables.  Without memfd_create the bytes go
// to a temporary file that is unlinked once loaded.
#include <dlfcn.h>
#include <link.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "cpu_backend.h"
#include "memcheck.h"
#include "module.h"

namespace cuport_cpu {
namespace {

bool write_all(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    size -= size_t(n);
  }
  return true;
}

std::string dl_error() {
  const char* e = ::dlerror();
  return e ? e : "unknown dlopen error";
}

// Looks `name` up in the image itself (not in the libraries it depends on).
void* own_symbol(cuport_module* m, const std::string& name, const ElfW(Sym)** sym_out) {
  ::dlerror();
  void* addr = ::dlsym(m->handle, name.c_str());
  if (!addr) return nullptr;
  Dl_info info;
  void* extra = nullptr;
  if (::dladdr1(addr, &info, &extra, RTLD_DL_LINKMAP) == 0 || extra != m->link_map) return nullptr;
  if (sym_out) {
    void* sym = nullptr;
    if (::dladdr1(addr, &info, &sym, RTLD_DL_SYMENT) != 0) *sym_out = static_cast<const ElfW(Sym)*>(sym);
  }
  return addr;
}

}  // namespace

// Any thread.  `image` is only valid during the call: it is copied into the memfd / temporary file.
cuport_status module_load(int device, const void* image, size_t size, cuport_module** out) {
  if (device != 0) return fail(kInvalidDevice, "no such CPU device");
  if (!image || size == 0 || !out) return fail(kInvalidKernelImage, "empty CPU image");
  if (size < 4 || std::memcmp(image, "\x7f" "ELF", 4) != 0) return fail(kInvalidKernelImage, "CPU image is not ELF");

  auto m = std::make_unique<cuport_module>();
  std::string path;
  int fd = ::memfd_create("cuport-image", MFD_CLOEXEC);
  bool temp_file = false;
  if (fd >= 0) {
    path = "/proc/self/fd/" + std::to_string(fd);
  } else {
    const char* dir = std::getenv("TMPDIR");
    std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/cuport-image-XXXXXX";
    fd = ::mkstemp(&tmpl[0]);
    if (fd < 0) return fail(kOperatingSystem, std::string("cannot create a file for a CPU image: ") + std::strerror(errno));
    path = tmpl;
    temp_file = true;
  }
  if (!write_all(fd, image, size)) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    if (temp_file) ::unlink(path.c_str());
    return fail(kOperatingSystem, "cannot write a CPU image: " + why);
  }
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  const std::string why = handle ? std::string() : dl_error();
  if (temp_file) {
    ::unlink(path.c_str());
    ::close(fd);
    fd = -1;
  }
  if (!handle) {
    if (fd >= 0) ::close(fd);
    return fail(kSharedObjectInitFailed, "cannot load CPU image: " + why);
  }
  m->handle = handle;
  m->fd = fd;
  struct link_map* lm = nullptr;
  if (::dlinfo(handle, RTLD_DI_LINKMAP, &lm) == 0) m->link_map = lm;
  // Images built with --memcheck say so (include/cuport/cpu_kernel_abi.h); the check is installed in them.
  m->memcheck = static_cast<const cuport_cpu_memcheck_info*>(own_symbol(m.get(), CUPORT_CPU_MEMCHECK_INFO, nullptr));
  memcheck_module_loaded(m.get());
  *out = m.release();
  return kSuccess;
}

// Any thread, never concurrently with other uses of `module`.
cuport_status module_unload(cuport_module* module) {
  if (!module) return fail(kInvalidResourceHandle, "null module");
  memcheck_module_unloaded(module);
  if (module->handle) ::dlclose(module->handle);
  if (module->fd >= 0) ::close(module->fd);
  delete module;
  return kSuccess;
}

// Any thread.  The returned kernel lives as long as its module.
cuport_status kernel_get(cuport_module* module, const char* mangled_name, cuport_kernel** out) {
  if (!module || !mangled_name || !out) return fail(kInvalidValue, "null argument");
  const std::string name = mangled_name;
  return module->kernels.get(name, out, [&](std::unique_ptr<cuport_kernel>* made) -> cuport_status {
    void* fn = own_symbol(module, CUPORT_CPU_KERNEL_PREFIX + name, nullptr);
    if (!fn) return fail(kInvalidDeviceFunction, "CPU image has no kernel " + name);
    auto k = std::make_unique<cuport_kernel>();
    k->name = name;
    k->module = module;
    k->fn = fn;
    k->info.abi_version = CUPORT_CPU_ABI_VERSION;
    k->info.frame_align = 64;
    if (void* info = own_symbol(module, CUPORT_CPU_KINFO_PREFIX + name, nullptr)) {
      std::memcpy(&k->info, info, sizeof k->info);
      if (k->info.abi_version < CUPORT_CPU_ABI_VERSION_MIN || k->info.abi_version > CUPORT_CPU_ABI_VERSION ||
          ((k->info.flags & CUPORT_CPU_KERNEL_BLOCK_RANGE) && k->info.abi_version < 2) ||
          ((k->info.flags & CUPORT_CPU_KERNEL_BLOCK_FRAME) && k->info.abi_version < 3))
        return fail(kInvalidKernelImage, "kernel " + name + " was built for CPU kernel ABI " +
                                             std::to_string(k->info.abi_version));
      if (k->info.frame_align == 0 || (k->info.frame_align & (k->info.frame_align - 1)) != 0 ||
          k->info.frame_align > 4096)
        return fail(kInvalidKernelImage, "kernel " + name + " has an invalid frame alignment");
    }
    *made = std::move(k);
    return kSuccess;
  });
}

// Any thread.
cuport_status kernel_static_shared(cuport_kernel* kernel, size_t* out) {
  if (!kernel || !out) return fail(kInvalidValue, "null argument");
  *out = size_t(kernel->info.static_shared_size);
  return kSuccess;
}

// Any thread.  The size is the ELF symbol's st_size (0 when unknown).
cuport_status symbol_get(cuport_module* module, const char* name, void** dptr, size_t* size) {
  if (!module || !name || !dptr) return fail(kInvalidValue, "null argument");
  const ElfW(Sym)* sym = nullptr;
  void* addr = own_symbol(module, name, &sym);
  if (!addr) return fail(kSymbolNotFound, std::string("CPU image has no symbol ") + name);
  *dptr = addr;
  if (size) *size = sym ? size_t(sym->st_size) : 0;
  return kSuccess;
}

}  // namespace cuport_cpu

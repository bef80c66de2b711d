// libcuport-fake-amdhip64.so: a stand-in for the HIP runtime (libamdhip64) that runs on host memory, so that
// the HIP backend's runtime side is tested on machines without an AMD GPU (CUPORT_HIP_LIBRARY=<this>).
// Test-only; it exports, with C linkage and HIP's signatures, the functions the backend resolves.  What it
// shares with the fake CUDA driver is tests/fake_vendor/fake_runtime.h.
//
//   devices    FAKE_HIP_DEVICES (default 1) devices named "cuport fake HIP device" whose gcnArchName is
//              FAKE_HIP_ARCH (default "gfx1100"); FAKE_HIP_DEVICES=0: hipGetDeviceCount gives hipErrorNoDevice.
//              A wave64-style warpSize (64) and compute capability 11.0, which the backend must not pass on.
//   memory     hipMalloc/hipMallocManaged are 256-byte aligned host memory, tracked: copies and fills check that
//              their device side lies inside an allocation (or a module's variable), so a wrong copy kind or
//              range fails like on a GPU.  FAKE_HIP_CORRUPT_COPIES=1 flips the first byte of every
//              device-to-host copy (a negative control: tests that check data must then fail).
//   streams    complete immediately; a stream must be live (or null) to be used.
//   modules    hipModuleLoadData accepts an ELF64 AMDGPU code object (e_machine EM_AMDGPU) for the device's
//              processor (e_flags; hipErrorNoBinaryForGpu for another), and reads its symbol table: a kernel
//              exists when "<name>.kd" does (its descriptor gives the static LDS size), and every other data
//              object is a variable with a host buffer of st_size bytes holding its initial contents.
//   launches   cannot run AMDGPU code: hipModuleLaunchKernel checks its arguments and appends
//              "hipModuleLaunchKernel <name> grid=(x,y,z) block=(x,y,z) shared=<bytes> stream=<n>" to the file
//              FAKE_HIP_LOG names (if set), then returns hipSuccess.  Streams are numbered from 1; the null stream is 0.
#ifndef __HIP_PLATFORM_AMD__
#define __HIP_PLATFORM_AMD__
#endif
#ifndef __HIP_DISABLE_CPP_FUNCTIONS__
#define __HIP_DISABLE_CPP_FUNCTIONS__
#endif
#include <hip/hip_runtime_api.h>

#include <elf.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "../fake_vendor/fake_runtime.h"

#ifndef EM_AMDGPU
#define EM_AMDGPU 224
#endif

#define FAKE_API extern "C" __attribute__((visibility("default")))

struct ihipStream_t {
  unsigned flags;
  unsigned number;
};

struct FakeModule;
struct ihipModuleSymbol_t {  // hipFunction_t
  FakeModule* module;
  std::string name;
  uint32_t static_lds;  // group_segment_fixed_size of the kernel descriptor
};

// hipModule_t is ihipModule_t*; the fake hands out FakeModule* cast to it.
struct FakeModule : fake_vendor::Module<ihipModuleSymbol_t> {};

namespace {

using fake_vendor::env_int;

constexpr size_t kTotalMemory = size_t(4) << 30;

// Everything under the device memory's lock `mu`.
struct State : fake_vendor::TrackedMemory {
  std::set<ihipStream_t*> streams;
  unsigned next_stream = 1;
  std::set<FakeModule*> modules;
  std::set<ihipModuleSymbol_t*> functions;
};

State& state() {
  static State* s = new State;  // leaked: usable during exit
  return *s;
}

int device_count() { return env_int("FAKE_HIP_DEVICES", 1); }

std::string arch_name() {
  const char* v = std::getenv("FAKE_HIP_ARCH");
  return v && *v ? v : "gfx1100";
}

thread_local int t_device = 0;

// Whether [p, p + n), n > 0, lies inside one tracked allocation.  Requires state().mu.
bool tracked(const void* p, size_t n) { return state().contains(reinterpret_cast<uintptr_t>(p), n); }

bool stream_ok(hipStream_t stream) {
  std::lock_guard<std::mutex> lock(state().mu);
  return !stream || state().streams.count(stream) != 0;
}

unsigned stream_number(hipStream_t stream) {
  return stream ? stream->number : 0;
}

void* allocate(size_t size) { return state().allocate(size); }

// EF_AMDGPU_MACH of the processors the fake knows (0: unknown, not checked).
unsigned mach_of(const std::string& arch) {
  static const std::map<std::string, unsigned> kMach = {
      {"gfx900", 0x02c}, {"gfx906", 0x02f}, {"gfx908", 0x030}, {"gfx90a", 0x03f},  {"gfx940", 0x040},
      {"gfx1010", 0x033}, {"gfx1030", 0x036}, {"gfx1100", 0x041}, {"gfx1101", 0x046}, {"gfx1102", 0x047}};
  auto it = kMach.find(arch.substr(0, arch.find(':')));
  return it == kMach.end() ? 0 : it->second;
}

// Parses an AMDGPU ELF64 code object into `m`.
hipError_t load_elf(const unsigned char* image, FakeModule* m) {
  Elf64_Ehdr eh;
  std::memcpy(&eh, image, sizeof eh);
  if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
      eh.e_ident[EI_DATA] != ELFDATA2LSB)
    return hipErrorInvalidImage;
  if (eh.e_machine != EM_AMDGPU) return hipErrorInvalidImage;
  const unsigned want = mach_of(arch_name());
  if (want && (eh.e_flags & 0xff) != want) return hipErrorNoBinaryForGpu;
  if (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shnum == 0 || eh.e_shnum > 4096) return hipErrorInvalidImage;
  std::vector<Elf64_Shdr> sections(eh.e_shnum);
  std::memcpy(sections.data(), image + eh.e_shoff, sizeof(Elf64_Shdr) * eh.e_shnum);
  const Elf64_Shdr* symtab = nullptr;
  for (const Elf64_Shdr& s : sections)
    if (s.sh_type == SHT_SYMTAB) symtab = &s;
  if (!symtab)
    for (const Elf64_Shdr& s : sections)
      if (s.sh_type == SHT_DYNSYM) symtab = &s;
  if (!symtab || symtab->sh_link >= sections.size() || symtab->sh_entsize != sizeof(Elf64_Sym))
    return hipErrorInvalidImage;
  const Elf64_Shdr& strtab = sections[symtab->sh_link];
  const char* names = reinterpret_cast<const char*>(image + strtab.sh_offset);
  const size_t count = symtab->sh_size / sizeof(Elf64_Sym);
  // The bytes of symbol `sym` in the file, or null (SHT_NOBITS: zeros).
  auto contents = [&](const Elf64_Sym& sym) -> const unsigned char* {
    if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= sections.size()) return nullptr;
    const Elf64_Shdr& s = sections[sym.st_shndx];
    if (s.sh_type != SHT_PROGBITS || sym.st_value < s.sh_addr || sym.st_value - s.sh_addr + sym.st_size > s.sh_size)
      return nullptr;
    return image + s.sh_offset + (sym.st_value - s.sh_addr);
  };
  std::map<std::string, Elf64_Sym> objects;
  for (size_t i = 1; i < count; ++i) {
    Elf64_Sym sym;
    std::memcpy(&sym, image + symtab->sh_offset + i * sizeof sym, sizeof sym);
    if (sym.st_name >= strtab.sh_size || ELF64_ST_TYPE(sym.st_info) != STT_OBJECT || sym.st_shndx == SHN_UNDEF)
      continue;
    objects[names + sym.st_name] = sym;
  }
  for (const auto& o : objects) {
    const std::string& name = o.first;
    const Elf64_Sym& sym = o.second;
    if (name.size() > 3 && name.compare(name.size() - 3, 3, ".kd") == 0) {
      auto k = std::make_unique<ihipModuleSymbol_t>();
      k->module = m;
      k->name = name.substr(0, name.size() - 3);
      k->static_lds = 0;
      if (const unsigned char* kd = contents(sym); kd && sym.st_size >= 4) std::memcpy(&k->static_lds, kd, 4);
      m->kernels[k->name] = std::move(k);
      continue;
    }
    void* data = allocate(sym.st_size);
    if (!data) return hipErrorOutOfMemory;
    if (const unsigned char* init = contents(sym)) std::memcpy(data, init, sym.st_size);
    else std::memset(data, 0, sym.st_size);
    m->variables[name] = {data, size_t(sym.st_size)};
  }
  return hipSuccess;
}

void free_module(FakeModule* m) { fake_vendor::free_module(state(), m); }

}  // namespace

FAKE_API const char* hipGetErrorName(hipError_t err) {
  switch (err) {
#define NAME(e) \
  case e:       \
    return #e;
    NAME(hipSuccess) NAME(hipErrorInvalidValue) NAME(hipErrorOutOfMemory) NAME(hipErrorNoDevice)
    NAME(hipErrorInvalidDevice) NAME(hipErrorInvalidImage) NAME(hipErrorNoBinaryForGpu) NAME(hipErrorNotFound)
    NAME(hipErrorInvalidHandle) NAME(hipErrorInvalidMemcpyDirection) NAME(hipErrorNotSupported)
    NAME(hipErrorInvalidConfiguration) NAME(hipErrorInvalidDeviceFunction)
#undef NAME
    default:
      return "hipErrorUnknown";
  }
}

FAKE_API const char* hipGetErrorString(hipError_t err) {
  switch (err) {
    case hipSuccess: return "no error";
    case hipErrorNoDevice: return "no ROCm-capable device is detected (fake HIP runtime)";
    case hipErrorNoBinaryForGpu: return "no kernel image is available for execution on the device (fake HIP runtime)";
    default: return "fake HIP runtime error";
  }
}

FAKE_API hipError_t hipInit(unsigned int flags) {
  if (flags != 0) return hipErrorInvalidValue;
  return device_count() > 0 ? hipSuccess : hipErrorNoDevice;
}

FAKE_API hipError_t hipGetDeviceCount(int* count) {
  if (!count) return hipErrorInvalidValue;
  *count = device_count() > 0 ? device_count() : 0;
  return *count > 0 ? hipSuccess : hipErrorNoDevice;
}

FAKE_API hipError_t hipGetDeviceProperties(hipDeviceProp_t* p, int device) {
  if (!p) return hipErrorInvalidValue;
  if (device < 0 || device >= device_count()) return hipErrorInvalidDevice;
  std::memset(p, 0, sizeof *p);
  std::snprintf(p->name, sizeof p->name, "cuport fake HIP device");
  std::snprintf(p->gcnArchName, sizeof p->gcnArchName, "%s", arch_name().c_str());
  p->totalGlobalMem = kTotalMemory;
  p->sharedMemPerBlock = 64 * 1024;
  p->regsPerBlock = 65536;
  p->warpSize = 64;
  p->maxThreadsPerBlock = 1024;
  p->maxThreadsDim[0] = p->maxThreadsDim[1] = p->maxThreadsDim[2] = 1024;
  p->maxGridSize[0] = p->maxGridSize[1] = p->maxGridSize[2] = 0x7fffffff;
  p->clockRate = 2100000;
  p->memoryClockRate = 1250000;
  p->memoryBusWidth = 4096;
  p->totalConstMem = 2147483647;
  p->major = 11;
  p->minor = 0;
  p->multiProcessorCount = 48;
  p->l2CacheSize = 6 * 1024 * 1024;
  p->maxThreadsPerMultiProcessor = 2048;
  p->concurrentKernels = 1;
  p->maxSharedMemoryPerMultiProcessor = 64 * 1024;
  p->managedMemory = 1;
  return hipSuccess;
}

FAKE_API hipError_t hipDeviceGetAttribute(int* value, hipDeviceAttribute_t attr, int device) {
  if (!value) return hipErrorInvalidValue;
  if (device < 0 || device >= device_count()) return hipErrorInvalidDevice;
  if (attr == hipDeviceAttributeManagedMemory) {
    *value = env_int("FAKE_HIP_MANAGED", 1);
    return hipSuccess;
  }
  return hipErrorNotSupported;
}

FAKE_API hipError_t hipSetDevice(int device) {
  if (device < 0 || device >= device_count()) return hipErrorInvalidDevice;
  t_device = device;
  return hipSuccess;
}

FAKE_API hipError_t hipDeviceSynchronize(void) { return hipSuccess; }

FAKE_API hipError_t hipMalloc(void** ptr, size_t size) {
  if (!ptr) return hipErrorInvalidValue;
  *ptr = nullptr;
  if (size == 0) return hipSuccess;
  if (size > kTotalMemory) return hipErrorOutOfMemory;
  *ptr = allocate(size);
  return *ptr ? hipSuccess : hipErrorOutOfMemory;
}

FAKE_API hipError_t hipMallocManaged(void** ptr, size_t size, unsigned int flags) {
  if (flags != hipMemAttachGlobal && flags != hipMemAttachHost) return hipErrorInvalidValue;
  return hipMalloc(ptr, size);
}

FAKE_API hipError_t hipFree(void* ptr) {
  if (!ptr) return hipSuccess;
  return state().release(ptr) ? hipSuccess : hipErrorInvalidValue;
}

FAKE_API hipError_t hipMemcpyAsync(void* dst, const void* src, size_t bytes, hipMemcpyKind kind, hipStream_t stream) {
  if (!stream_ok(stream)) return hipErrorInvalidHandle;
  if (bytes == 0) return hipSuccess;
  if (!dst || !src) return hipErrorInvalidValue;
  {
    std::lock_guard<std::mutex> lock(state().mu);
    bool ok = true;
    switch (kind) {
      case hipMemcpyHostToHost: break;
      case hipMemcpyHostToDevice: ok = tracked(dst, bytes); break;
      case hipMemcpyDeviceToHost: ok = tracked(src, bytes); break;
      case hipMemcpyDeviceToDevice: ok = tracked(dst, bytes) && tracked(src, bytes); break;
      case hipMemcpyDefault: break;
      default: return hipErrorInvalidMemcpyDirection;
    }
    if (!ok) return hipErrorInvalidValue;
  }
  std::memmove(dst, src, bytes);
  if (kind == hipMemcpyDeviceToHost && env_int("FAKE_HIP_CORRUPT_COPIES", 0))
    static_cast<unsigned char*>(dst)[0] ^= 0xff;
  return hipSuccess;
}

FAKE_API hipError_t hipMemsetAsync(void* dst, int value, size_t bytes, hipStream_t stream) {
  if (!stream_ok(stream)) return hipErrorInvalidHandle;
  if (bytes == 0) return hipSuccess;
  {
    std::lock_guard<std::mutex> lock(state().mu);
    if (!tracked(dst, bytes)) return hipErrorInvalidValue;
  }
  std::memset(dst, value, bytes);
  return hipSuccess;
}

FAKE_API hipError_t hipMemGetInfo(size_t* free_bytes, size_t* total_bytes) {
  if (!free_bytes || !total_bytes) return hipErrorInvalidValue;
  std::lock_guard<std::mutex> lock(state().mu);
  *total_bytes = kTotalMemory;
  *free_bytes = kTotalMemory - state().allocated;
  return hipSuccess;
}

FAKE_API hipError_t hipStreamCreateWithFlags(hipStream_t* stream, unsigned int flags) {
  if (!stream || (flags & ~1u)) return hipErrorInvalidValue;
  std::lock_guard<std::mutex> lock(state().mu);
  *stream = new ihipStream_t{flags, state().next_stream++};
  state().streams.insert(*stream);
  return hipSuccess;
}

FAKE_API hipError_t hipStreamDestroy(hipStream_t stream) {
  std::lock_guard<std::mutex> lock(state().mu);
  if (!stream || !state().streams.erase(stream)) return hipErrorInvalidHandle;
  delete stream;
  return hipSuccess;
}

FAKE_API hipError_t hipStreamSynchronize(hipStream_t stream) {
  return stream_ok(stream) ? hipSuccess : hipErrorInvalidHandle;
}

FAKE_API hipError_t hipModuleLoadData(hipModule_t* module, const void* image) {
  if (!module || !image) return hipErrorInvalidValue;
  auto* m = new FakeModule;
  const hipError_t err = load_elf(static_cast<const unsigned char*>(image), m);
  if (err != hipSuccess) {
    free_module(m);
    return err;
  }
  std::lock_guard<std::mutex> lock(state().mu);
  state().modules.insert(m);
  for (auto& k : m->kernels) state().functions.insert(k.second.get());
  *module = reinterpret_cast<hipModule_t>(m);
  return hipSuccess;
}

FAKE_API hipError_t hipModuleUnload(hipModule_t module) {
  auto* m = reinterpret_cast<FakeModule*>(module);
  {
    std::lock_guard<std::mutex> lock(state().mu);
    if (!state().modules.erase(m)) return hipErrorInvalidHandle;
    for (auto& k : m->kernels) state().functions.erase(k.second.get());
  }
  free_module(m);
  return hipSuccess;
}

FAKE_API hipError_t hipModuleGetFunction(hipFunction_t* function, hipModule_t module, const char* name) {
  if (!function || !name) return hipErrorInvalidValue;
  auto* m = reinterpret_cast<FakeModule*>(module);
  std::lock_guard<std::mutex> lock(state().mu);
  if (!state().modules.count(m)) return hipErrorInvalidHandle;
  auto it = m->kernels.find(name);
  if (it == m->kernels.end()) return hipErrorNotFound;
  *function = it->second.get();
  return hipSuccess;
}

FAKE_API hipError_t hipFuncGetAttribute(int* value, hipFunction_attribute attr, hipFunction_t function) {
  if (!value) return hipErrorInvalidValue;
  std::lock_guard<std::mutex> lock(state().mu);
  if (!state().functions.count(function)) return hipErrorInvalidHandle;
  if (attr != HIP_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES) return hipErrorNotSupported;
  *value = int(function->static_lds);
  return hipSuccess;
}

FAKE_API hipError_t hipModuleGetGlobal(hipDeviceptr_t* dptr, size_t* bytes, hipModule_t module, const char* name) {
  if (!name) return hipErrorInvalidValue;
  auto* m = reinterpret_cast<FakeModule*>(module);
  std::lock_guard<std::mutex> lock(state().mu);
  if (!state().modules.count(m)) return hipErrorInvalidHandle;
  auto it = m->variables.find(name);
  if (it == m->variables.end()) return hipErrorNotFound;
  if (dptr) *dptr = it->second.data;
  if (bytes) *bytes = it->second.size;
  return hipSuccess;
}

FAKE_API hipError_t hipModuleLaunchKernel(hipFunction_t f, unsigned int gx, unsigned int gy, unsigned int gz,
                                          unsigned int bx, unsigned int by, unsigned int bz, unsigned int shared,
                                          hipStream_t stream, void** params, void** extra) {
  (void)params;
  if (extra) return hipErrorInvalidValue;
  if (!stream_ok(stream)) return hipErrorInvalidHandle;
  std::string name;
  {
    std::lock_guard<std::mutex> lock(state().mu);
    if (!state().functions.count(f)) return hipErrorInvalidHandle;
    name = f->name;
    if (!gx || !gy || !gz || !bx || !by || !bz || uint64_t(bx) * by * bz > 1024) return hipErrorInvalidConfiguration;
    if (uint64_t(shared) + f->static_lds > 64 * 1024) return hipErrorInvalidValue;
  }
  char config[160];
  std::snprintf(config, sizeof config, " grid=(%u,%u,%u) block=(%u,%u,%u) shared=%u stream=%u", gx, gy, gz, bx, by, bz,
                shared, stream_number(stream));
  fake_vendor::log_line("FAKE_HIP_LOG", "hipModuleLaunchKernel " + name + config);
  return hipSuccess;
}

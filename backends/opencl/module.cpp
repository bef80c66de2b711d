// Loading "opencl-c" device images: OpenCL C 1.2 source preceded by "//@" metadata lines, written by
// cuport-cc's OpenCL emitter.
//
//   //@cuport-opencl 2                              first metadata line: format and version
//   //@globals <bytes>                              size of the module's globals buffer (>= 16)
//   //@symbol <name> <offset> <size>                a __device__/__constant__ variable in the globals buffer
//   //@init <offset> <hex>                          initial bytes at offset (zero elsewhere)
//   //@reloc <offset> <target_offset>               8-byte slot holding (globals base + target_offset); the
//                                                   target may be negative or past the end (pointer arithmetic)
//   //@kernel <cuda_name> <opencl_name> <static_shared_bytes> <flags> <params>
//   //@unsupported <cuda_name> <reason to the end of the line>
//   //@svm-only <cuda_name> <file:line: reason>     why a kernel with flags bit 1 needs SVM
//
// <params> is "-" or a comma list, one per CUDA parameter: "p" (a pointer: two OpenCL arguments, a
// `__global uchar*` buffer and a `ulong` offset into it), "s<N>" (N bytes by value) or "b<N>" (N bytes by
// value that travel in a device buffer: large structs beyond the device's argument limit).  <flags> bit 0:
// the kernel takes the warp-scratch argument; bit 1: it moves device pointers through memory, so it needs
// SVM (buffer mode refuses it).  Unknown "//@" keywords are ignored.  The whole text, metadata included, is
// the program source.  The globals buffer (device memory of either mode) starts with the 16-byte status
// area whose first uint32 kernels set on assert (710) or trap (719); launch.cpp reads it.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "opencl_backend.h"

namespace cuport_opencl {
namespace {

constexpr size_t kStatusBytes = 16;
constexpr unsigned kFlagWarpScratch = 1, kFlagNeedsSvm = 2;

std::atomic<unsigned> g_module_counter{0};

bool parse_size(const std::string& s, size_t* out) {
  if (s.empty() || s[0] < '0' || s[0] > '9') return false;
  errno = 0;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(s.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return false;
  *out = size_t(v);
  return true;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Splits at runs of blanks; `rest` (if given) receives the text after the first `keep` fields.
std::vector<std::string> fields(const std::string& line, size_t keep = 0, std::string* rest = nullptr) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size()) break;
    if (rest && keep && out.size() == keep) {
      size_t e = line.find_last_not_of(" \t\r");
      *rest = line.substr(i, e + 1 - i);
      return out;
    }
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
    out.push_back(line.substr(i, j - i));
    i = j;
    while (i < line.size() && line[i] == '\r') ++i;
  }
  return out;
}

// Also numbers the OpenCL arguments: a pointer takes two (buffer, offset), the others one; *args is the total.
bool parse_params(const std::string& spec, std::vector<cuport_opencl_param>* out, cl_uint* args) {
  out->clear();
  *args = 0;
  if (spec == "-") return true;
  size_t i = 0;
  while (i <= spec.size()) {
    size_t j = spec.find(',', i);
    if (j == std::string::npos) j = spec.size();
    const std::string p = spec.substr(i, j - i);
    size_t n = 0;
    if (p == "p") out->push_back({true, 8, false, *args});
    else if (p.size() > 1 && (p[0] == 's' || p[0] == 'b') && parse_size(p.substr(1), &n) && n > 0 &&
             n <= 0xffffffffu)
      out->push_back({false, uint32_t(n), p[0] == 'b', *args});
    else
      return false;
    *args += out->back().pointer ? 2 : 1;
    i = j + 1;
  }
  return true;
}

struct Init {
  size_t offset;
  std::vector<unsigned char> bytes;
};
struct Reloc {
  size_t offset;
  long long target;  // may be negative: a pointer before a variable (&array[-1]) is still a pointer
};

// Parses the metadata into `m`, the initial globals into `inits`/`relocs`.  Returns kSuccess or the error.
cuport_status parse_image(const std::string& text, cuport_module* m, std::vector<Init>* inits,
                          std::vector<Reloc>* relocs) {
  bool have_header = false, have_globals = false;
  size_t line_no = 0, pos = 0;
  auto bad = [&](const std::string& why) {
    return fail(kInvalidKernelImage, "opencl-c image, line " + std::to_string(line_no) + ": " + why);
  };
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    const std::string line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (line.compare(0, 3, "//@") != 0) continue;
    std::string rest;
    const std::vector<std::string> f = fields(line.substr(3), 2, &rest);
    if (f.empty()) continue;
    const std::string& key = f[0];
    if (!have_header) {
      if (key != "cuport-opencl") return bad("expected '//@cuport-opencl 2' before other metadata");
      if (f.size() != 2 || f[1] != "2")
        return bad("unsupported image version '" + (f.size() > 1 ? f[1] : std::string()) + "' (this backend reads 2)");
      have_header = true;
      continue;
    }
    if (key == "globals") {
      const std::vector<std::string> g = fields(line.substr(3));
      if (g.size() != 2 || !parse_size(g[1], &m->globals_size) || m->globals_size < kStatusBytes)
        return bad("expected '//@globals <bytes>' with at least " + std::to_string(kStatusBytes) + " bytes");
      have_globals = true;
    } else if (key == "symbol") {
      const std::vector<std::string> g = fields(line.substr(3));
      cuport_module::Symbol s{};
      if (g.size() != 4 || !parse_size(g[2], &s.offset) || !parse_size(g[3], &s.size))
        return bad("expected '//@symbol <name> <offset> <size>'");
      m->symbols[g[1]] = s;
    } else if (key == "init") {
      const std::vector<std::string> g = fields(line.substr(3));
      Init in{};
      if (g.size() != 3 || !parse_size(g[1], &in.offset) || g[2].size() % 2 != 0)
        return bad("expected '//@init <offset> <hex bytes>'");
      for (size_t i = 0; i < g[2].size(); i += 2) {
        const int hi = hex_digit(g[2][i]), lo = hex_digit(g[2][i + 1]);
        if (hi < 0 || lo < 0) return bad("'" + g[2] + "' is not hex");
        in.bytes.push_back(static_cast<unsigned char>(hi * 16 + lo));
      }
      inits->push_back(std::move(in));
    } else if (key == "reloc") {
      const std::vector<std::string> g = fields(line.substr(3));
      Reloc r{};
      size_t magnitude = 0;
      const bool negative = g.size() == 3 && g[2].size() > 1 && g[2][0] == '-';
      if (g.size() != 3 || !parse_size(g[1], &r.offset) || !parse_size(g[2].substr(negative ? 1 : 0), &magnitude) ||
          magnitude > size_t(1) << 62)
        return bad("expected '//@reloc <offset> <target_offset>'");
      r.target = negative ? -(long long)magnitude : (long long)magnitude;
      relocs->push_back(r);
    } else if (key == "kernel") {
      const std::vector<std::string> g = fields(line.substr(3));
      cuport_module::KernelInfo k;
      size_t flags = 0;
      if (g.size() != 6 || !parse_size(g[3], &k.static_shared) || !parse_size(g[4], &flags) ||
          !parse_params(g[5], &k.params, &k.param_args))
        return bad("expected '//@kernel <cuda_name> <opencl_name> <static_shared> <flags> <params>'");
      k.cl_name = g[2];
      k.flags = unsigned(flags);
      m->kernel_infos[g[1]] = std::move(k);
    } else if (key == "unsupported") {
      if (f.size() < 2) return bad("expected '//@unsupported <cuda_name> <reason>'");
      m->unsupported[f[1]] = rest.empty() ? std::string("unsupported by the OpenCL backend") : rest;
    } else if (key == "svm-only") {
      if (f.size() < 2) return bad("expected '//@svm-only <cuda_name> <reason>'");
      m->svm_only[f[1]] = rest;
    }
  }
  line_no = 0;
  if (!have_header) return bad("not an opencl-c image (no '//@cuport-opencl 2' line)");
  if (!have_globals) return bad("no '//@globals' line");
  const size_t size = m->globals_size;
  for (const auto& s : m->symbols)
    if (s.second.offset > size || s.second.size > size - s.second.offset)
      return bad("symbol " + s.first + " lies outside the " + std::to_string(size) + "-byte globals buffer");
  for (const Init& in : *inits)
    if (in.offset > size || in.bytes.size() > size - in.offset) return bad("an //@init lies outside the globals buffer");
  for (const Reloc& r : *relocs)
    if (r.offset > size || size - r.offset < 8) return bad("an //@reloc slot lies outside the globals buffer");
  return kSuccess;
}

std::string build_log(cl_program program, cl_device_id device) {
  size_t n = 0;
  if (clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, nullptr, &n) != CL_SUCCESS || n == 0) return "";
  std::string log(n, '\0');
  if (clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, n, &log[0], nullptr) != CL_SUCCESS) return "";
  log.resize(std::strlen(log.c_str()));
  while (!log.empty() && (log.back() == '\n' || log.back() == ' ')) log.pop_back();
  return log;
}

// CUPORT_OPENCL_DUMP=<dir>: each loaded module's source goes to <dir>/module-<n>.cl (a debugging aid).
void dump_source(const std::string& text) {
  const char* dir = std::getenv("CUPORT_OPENCL_DUMP");
  if (!dir || !*dir) return;
  const std::string path = std::string(dir) + "/module-" + std::to_string(g_module_counter.fetch_add(1)) + ".cl";
  FILE* f = std::fopen(path.c_str(), "w");
  if (!f) {
    warn_once("CUPORT_OPENCL_DUMP: cannot write " + path + ": " + std::strerror(errno));
    return;
  }
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
}

void release(cuport_module* m) {
  m->kernels.for_each([](cuport_kernel& k) {
    if (k.handle) clReleaseKernel(k.handle);
  });
  if (m->program) clReleaseProgram(m->program);
  if (m->globals) free_memory(*m->device, m->globals);
  delete m;
}

}  // namespace

// Any thread.  `image` is only valid during the call: the text is copied into the program.
cuport_status module_load(int device, const void* image, size_t size, cuport_module** out) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, "no such OpenCL device");
  if (!image || size == 0 || !out) return fail(kInvalidKernelImage, "empty opencl-c image");
  ExitGuard guard;
  if (!guard) return exiting_error();
  std::string text(static_cast<const char*>(image), size);
  while (!text.empty() && text.back() == '\0') text.pop_back();

  std::unique_ptr<cuport_module, void (*)(cuport_module*)> m(new cuport_module, release);
  m->device = d;
  m->device_index = device;
  std::vector<Init> inits;
  std::vector<Reloc> relocs;
  cuport_status st = parse_image(text, m.get(), &inits, &relocs);
  if (st != kSuccess) return st;
  dump_source(text);

  const char* src = text.c_str();
  const size_t len = text.size();
  cl_int err = CL_SUCCESS;
  m->program = clCreateProgramWithSource(d->context, 1, &src, &len, &err);
  if (!m->program) return cl_fail(err, "clCreateProgramWithSource");
  // CUDA divides and takes square roots with IEEE rounding unless told otherwise (-use_fast_math).
  std::string options = "-cl-std=CL1.2";
  if (d->correctly_rounded_sqrt) options += " -cl-fp32-correctly-rounded-divide-sqrt";
  err = clBuildProgram(m->program, 1, &d->id, options.c_str(), nullptr, nullptr);
  if (err != CL_SUCCESS) {
    const std::string log = build_log(m->program, d->id);
    if (err == CL_BUILD_PROGRAM_FAILURE || err == CL_INVALID_BUILD_OPTIONS || err == CL_COMPILER_NOT_AVAILABLE)
      return fail(kInvalidPtx, "OpenCL program build failed: " + (log.empty() ? std::string(cl_error_name(err)) : log));
    return cl_fail(err, "clBuildProgram" + (log.empty() ? std::string() : " (" + log + ")"));
  }

  // The globals buffer: zeros, then the initial bytes, then the relocated pointers (device addresses, made-up
  // ones in buffer mode: only kernels that load pointers, svm-only ones, would use them).
  st = alloc_memory(*d, m->globals_size, /*internal=*/true, &m->globals);
  if (st != kSuccess) return st;
  if (d->buffer_mode) {
    BufferRef globals;
    if (!find_buffer(*d, m->globals, m->globals_size, &globals)) return fail(kUnknown, "lost the globals buffer");
    m->globals_mem = globals.mem;  // the allocation keeps its own reference until free_memory
  }
  std::vector<unsigned char> host(m->globals_size, 0);
  for (const Init& in : inits) std::memcpy(host.data() + in.offset, in.bytes.data(), in.bytes.size());
  for (const Reloc& r : relocs) {
    const uint64_t value = uint64_t(reinterpret_cast<uintptr_t>(m->globals)) + uint64_t(r.target);
    std::memcpy(host.data() + r.offset, &value, sizeof value);  // little-endian, like every 64-bit OpenCL host
  }
  st = copy_memory(*d, m->globals, host.data(), host.size(), /*host to device*/ 1);
  if (st != kSuccess) return st;
  *out = m.release();
  return kSuccess;
}

// Any thread, never concurrently with other uses of `module` (launches are synchronous, so none is running).
cuport_status module_unload(cuport_module* module) {
  if (!module) return fail(kInvalidResourceHandle, "null module");
  ExitGuard guard;
  if (!guard) {  // the process is exiting: OpenCL objects are left to its end
    delete module;
    return kSuccess;
  }
  release(module);
  return kSuccess;
}

// Any thread.  The returned kernel lives as long as its module.
cuport_status kernel_get(cuport_module* module, const char* mangled_name, cuport_kernel** out) {
  if (!module || !mangled_name || !out) return fail(kInvalidValue, "null argument");
  const std::string name = mangled_name;
  return module->kernels.get(name, out, [&](std::unique_ptr<cuport_kernel>* made) -> cuport_status {
    auto unsupported = module->unsupported.find(name);
    if (unsupported != module->unsupported.end()) {
      const std::string message =
          "kernel " + pretty_name(name) + " cannot run on OpenCL devices: " + unsupported->second;
      warn_once(message);
      return fail(kNoKernelImageForDevice, message);
    }
    auto info = module->kernel_infos.find(name);
    if (info == module->kernel_infos.end())
      return fail(kInvalidDeviceFunction, "the OpenCL image has no kernel " + pretty_name(name));
    const cuport_module::KernelInfo& ki = info->second;
    Device& d = *module->device;
    auto why = module->svm_only.find(name);
    if (d.buffer_mode && ((ki.flags & kFlagNeedsSvm) || why != module->svm_only.end())) {
      std::string device = d.name;
      if (d.no_svm_why == "CUPORT_OPENCL_SVM=none") device += " (with CUPORT_OPENCL_SVM=none)";
      const std::string message =
          "kernel " + pretty_name(name) + " needs shared virtual memory (SVM), which OpenCL device " + device +
          " lacks: " +
          (why != module->svm_only.end() && !why->second.empty() ? why->second
                                                                 : std::string("it moves device pointers through memory"));
      warn_once(message);
      return fail(kNoKernelImageForDevice, message);
    }
    ExitGuard guard;
    if (!guard) return exiting_error();
    cl_int err = CL_SUCCESS;
    cl_kernel handle = clCreateKernel(module->program, ki.cl_name.c_str(), &err);
    if (!handle) return cl_fail(err, "clCreateKernel(" + ki.cl_name + ")");
    const bool warp = (ki.flags & kFlagWarpScratch) != 0;
    cl_uint args = 0;
    const size_t expected = ki.param_args + 2 + (warp ? 1 : 0);
    if (clGetKernelInfo(handle, CL_KERNEL_NUM_ARGS, sizeof args, &args, nullptr) == CL_SUCCESS && args != expected) {
      clReleaseKernel(handle);
      return fail(kInvalidKernelImage, "OpenCL kernel " + ki.cl_name + " takes " + std::to_string(args) +
                                           " arguments; its //@kernel line implies " + std::to_string(expected));
    }
    if (!d.buffer_mode) {
      // SVM mode passes every pointer whole, with offset 0: set once, kept by the kernel across launches.
      const cl_ulong zero = 0;
      for (const cuport_opencl_param& p : ki.params) {
        if (!p.pointer) continue;
        err = clSetKernelArg(handle, p.arg + 1, sizeof zero, &zero);
        if (err != CL_SUCCESS) {
          clReleaseKernel(handle);
          return cl_fail(err, "clSetKernelArg (offset of parameter " + std::to_string(&p - ki.params.data()) + ")");
        }
      }
    }
    auto k = std::make_unique<cuport_kernel>();
    k->module = module;
    k->name = name;
    k->handle = handle;
    k->static_shared = ki.static_shared;
    k->warp_scratch = warp;
    k->params = ki.params;
    k->hidden_arg = ki.param_args;
    *made = std::move(k);
    return kSuccess;
  });
}

// Any thread.
cuport_status kernel_static_shared(cuport_kernel* kernel, size_t* out) {
  if (!kernel || !out) return fail(kInvalidValue, "null argument");
  *out = kernel->static_shared;
  return kSuccess;
}

// Any thread.  The address is inside the module's globals buffer.
cuport_status symbol_get(cuport_module* module, const char* name, void** dptr, size_t* size) {
  if (!module || !name || !dptr) return fail(kInvalidValue, "null argument");
  auto it = module->symbols.find(name);
  if (it == module->symbols.end()) return fail(kSymbolNotFound, std::string("the OpenCL image has no symbol ") + name);
  *dptr = static_cast<char*>(module->globals) + it->second.offset;
  if (size) *size = it->second.size;
  return kSuccess;
}

}  // namespace cuport_opencl

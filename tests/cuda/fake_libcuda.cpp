// libcuport-fake-cuda.so: a stand-in for Nvidia's CUDA driver (libcuda.so.1) that runs on host memory, so
// that the CUDA backend's runtime side is tested on machines without an Nvidia GPU
// (CUPORT_CUDA_DRIVER=<this>).  Test-only; it exports, with C linkage and the driver's signatures (as
// backends/cuda/cuda_driver.h declares them), the functions the backend resolves.  What it shares with the
// fake HIP runtime is tests/fake_vendor/fake_runtime.h.
//
//   devices    FAKE_CUDA_DEVICES (default 1) devices named "cuport fake CUDA device" with compute capability
//              FAKE_CUDA_CC (default "7.0"); FAKE_CUDA_DEVICES=0: cuInit gives CUDA_ERROR_NO_DEVICE.  The other
//              attributes are a Volta-class GPU's, with values the backend must pass on as they are.
//              cuDriverGetVersion gives FAKE_CUDA_DRIVER_VERSION (default 12020).
//   contexts   one primary context per device (cuDevicePrimaryCtxRetain/Release count references); memory,
//              stream, module and launch calls need a live context current on the calling thread
//              (cuCtxSetCurrent), else CUDA_ERROR_INVALID_CONTEXT, like the driver.
//   memory     cuMemAlloc_v2/cuMemAllocManaged are 256-byte aligned host memory, tracked: a copy or fill whose
//              device side starts in an allocation (or a module's variable) must stay inside it, and fills must
//              be in device memory.  FAKE_CUDA_CORRUPT_COPIES=1 flips the first byte of every device-to-host
//              copy (a negative control: tests that check data must then fail).
//   streams    complete immediately; a stream must be live, and belong to the current context, to be used.
//   modules    cuModuleLoadData(Ex) accepts PTX text only: it needs a ".version" (at most FAKE_CUDA_PTX_VERSION,
//              default 8.2, else CUDA_ERROR_UNSUPPORTED_PTX_VERSION) and a ".target sm_XX" the device can run
//              (else CUDA_ERROR_INVALID_PTX), with a ptxas-like message in the CU_JIT_ERROR_LOG_BUFFER; binary
//              data is CUDA_ERROR_INVALID_IMAGE.  It parses the ".entry <name>(<params>)" kernels (parameter
//              sizes; static shared memory: the .shared variables a kernel's body declares or names) and the
//              module-scope .global/.const variables ("[.visible] .global [.align N] .<type> name[N] [= {...}]"),
//              each a tracked host buffer of its size holding its initializer.
//   launches   cannot run PTX: cuLaunchKernel checks its arguments and appends
//              "cuLaunchKernel <name> grid=(x,y,z) block=(x,y,z) shared=<bytes> stream=<n>(<kind>) args=(...)"
//              to the file FAKE_CUDA_LOG names (if set), then returns CUDA_SUCCESS.  Streams are numbered from 1
//              (kind "non-blocking" or "blocking"); the legacy null stream is 0 ("legacy").  Each argument is
//              the parameter's bytes as a little-endian hex number (0x...).  cuFuncSetAttribute logs
//              "cuFuncSetAttribute <name> MAX_DYNAMIC_SHARED_SIZE_BYTES=<n>".
//   faults     FAKE_CUDA_FAULT=<kernel name>=<CUresult> makes the next cuStreamSynchronize of the stream that
//              kernel was launched on return that error (as a kernel fault would).
// fake_cuda_primary_context_refcount(device) tells a test how many references the primary context holds.
#pragma GCC visibility push(default)
#include "cuda_driver.h"
#pragma GCC visibility pop

#include <algorithm>
#include <cctype>
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

#define FAKE_API extern "C" __attribute__((visibility("default")))

using fake_vendor::env_int;

namespace {
struct FakeModule;
}

// The driver's handles (<cuda.h> declares their tags at global scope).
struct CUctx_st {
  int device = 0;
  int references = 0;  // cuDevicePrimaryCtxRetain - Release; live while > 0
};

struct CUstream_st {
  CUctx_st* context = nullptr;
  unsigned flags = 0;
  unsigned number = 0;
  CUresult pending_fault = CUDA_SUCCESS;
};

struct CUfunc_st {
  FakeModule* module = nullptr;
  std::string name;
  std::vector<size_t> param_sizes;
  size_t static_shared = 0;
  int max_dynamic_shared = 0;  // CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES
};

namespace {

constexpr size_t kTotalMemory = size_t(16) << 30;
constexpr int kSharedPerBlock = 48 * 1024;
constexpr int kSharedOptin = 96 * 1024;

struct FakeModule : fake_vendor::Module<CUfunc_st> {
  CUctx_st* context = nullptr;
};

// Everything under the device memory's lock `mu`.
struct State : fake_vendor::TrackedMemory {
  bool initialized = false;
  std::vector<std::unique_ptr<CUctx_st>> contexts;  // the primary context of each device
  std::set<CUstream_st*> streams;
  unsigned next_stream = 1;
  std::set<FakeModule*> modules;
  std::set<CUfunc_st*> functions;
};

State& state() {
  static State* s = new State;  // leaked: usable during exit
  return *s;
}

int device_count() { return env_int("FAKE_CUDA_DEVICES", 1); }

// FAKE_CUDA_CC "major.minor" (default 7.0).
void compute_capability(int* major, int* minor) {
  const char* v = std::getenv("FAKE_CUDA_CC");
  *major = 7;
  *minor = 0;
  if (v && *v && std::sscanf(v, "%d.%d", major, minor) < 1) *major = 7;
}

thread_local CUctx_st* t_context = nullptr;

// The context current on the calling thread, if live.  Requires state().mu.
CUctx_st* current_context() { return t_context && t_context->references > 0 ? t_context : nullptr; }

CUresult check_context() {
  std::lock_guard<std::mutex> lock(state().mu);
  if (!state().initialized) return CUDA_ERROR_NOT_INITIALIZED;
  return current_context() ? CUDA_SUCCESS : CUDA_ERROR_INVALID_CONTEXT;
}

// Device memory range (n > 0): inside one allocation.  Requires state().mu.
bool in_device_memory(CUdeviceptr p, size_t n) { return state().contains(uintptr_t(p), n); }

// Whether stream `s` may be used from the calling thread.  Requires state().mu.
bool stream_ok(CUstream s) {
  CUctx_st* ctx = current_context();
  if (!s) return ctx != nullptr;
  return state().streams.count(s) && s->context == ctx && ctx;
}

std::string stream_label(CUstream s) {
  if (!s) return "0(legacy)";
  return std::to_string(s->number) + ((s->flags & CU_STREAM_NON_BLOCKING) ? "(non-blocking)" : "(blocking)");
}

void* allocate(size_t size) { return state().allocate(size); }

void log_line(const std::string& line) { fake_vendor::log_line("FAKE_CUDA_LOG", line); }

// ---- A small PTX reader: enough of the syntax that Clang's NVPTX backend writes. ----

struct PtxError {
  CUresult code;
  std::string log;
};

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '%'; }

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == ',') {
      if (!cur.empty()) out.push_back(cur), cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// Removes // and /* */ comments, keeping line breaks (for line numbers).
std::string strip_comments(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, 2, "//") == 0) {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (text.compare(i, 2, "/*") == 0) {
      const size_t end = text.find("*/", i + 2);
      const size_t stop = end == std::string::npos ? text.size() : end + 2;
      for (; i < stop; ++i)
        if (text[i] == '\n') out += '\n';
    } else {
      out += text[i++];
    }
  }
  return out;
}

size_t type_size(const std::string& t) {
  static const std::map<std::string, size_t> kSizes = {
      {".b8", 1},  {".u8", 1},  {".s8", 1},  {".pred", 1}, {".b16", 2}, {".u16", 2}, {".s16", 2},
      {".f16", 2}, {".bf16", 2}, {".b32", 4}, {".u32", 4}, {".s32", 4}, {".f32", 4}, {".f16x2", 4},
      {".b64", 8}, {".u64", 8}, {".s64", 8}, {".f64", 8}};
  auto it = kSizes.find(t);
  return it == kSizes.end() ? 0 : it->second;
}

// A declaration "[.visible|.extern|.weak] <space> [.align N] [.ptr...] .<type> name[dims] [= init]".
struct Declaration {
  std::string space;  // ".global", ".const", ".shared", ".param", ...
  bool external = false;
  size_t align = 1;
  size_t element = 0;  // bytes per element
  std::string name;
  size_t count = 1;     // elements (the product of the dimensions)
  bool unsized = false;  // "name[]"
  std::vector<std::string> init;  // the initializer's elements, flattened
};

bool parse_declaration(const std::string& text, Declaration* d) {
  const size_t eq = text.find('=');
  const std::vector<std::string> w = words(text.substr(0, eq));
  if (w.empty()) return false;
  for (size_t i = 0; i < w.size(); ++i) {
    const std::string& t = w[i];
    if (t == ".visible" || t == ".weak" || t == ".common") continue;
    if (t == ".extern") {
      d->external = true;
    } else if (t == ".global" || t == ".const" || t == ".shared" || t == ".param" || t == ".local") {
      if (d->space.empty()) d->space = t;  // a later one qualifies a pointer parameter (".ptr .global")
    } else if (t == ".align" && i + 1 < w.size()) {
      d->align = std::strtoul(w[++i].c_str(), nullptr, 10);
    } else if (t.compare(0, 4, ".ptr") == 0) {
      continue;
    } else if (type_size(t)) {
      d->element = type_size(t);
    } else if (t[0] != '.') {
      const size_t bracket = t.find('[');
      d->name = t.substr(0, bracket);
      for (size_t b = bracket; b != std::string::npos; b = t.find('[', b + 1)) {
        const size_t close = t.find(']', b);
        if (close == std::string::npos) return false;
        const std::string dim = t.substr(b + 1, close - b - 1);
        if (dim.empty()) d->unsized = true;
        else d->count *= std::strtoull(dim.c_str(), nullptr, 10);
      }
    }
  }
  if (eq != std::string::npos) {
    std::string init = text.substr(eq + 1);
    for (char& c : init)
      if (c == '{' || c == '}') c = ' ';
    d->init = words(init);
    if (d->unsized) d->count = d->init.size();
  }
  return !d->name.empty() && d->element != 0;
}

// Writes one initializer element (an integer, 0fXXXXXXXX / 0dXXXXXXXXXXXXXXXX bits, or a decimal float) as
// `bytes` little-endian bytes; anything else (an address: "generic(x)") stays zero.
void store_element(const std::string& e, size_t bytes, unsigned char* out) {
  uint64_t bits = 0;
  if (e.size() > 2 && e[0] == '0' && (e[1] == 'f' || e[1] == 'F' || e[1] == 'd' || e[1] == 'D')) {
    bits = std::strtoull(e.c_str() + 2, nullptr, 16);
  } else if (e.find_first_of(".eE") != std::string::npos && e.compare(0, 2, "0x") != 0) {
    const double v = std::strtod(e.c_str(), nullptr);
    if (bytes == 4) {
      const float f = float(v);
      uint32_t b32;
      std::memcpy(&b32, &f, 4);
      bits = b32;
    } else {
      std::memcpy(&bits, &v, 8);
    }
  } else if (!e.empty() && (std::isdigit(static_cast<unsigned char>(e[0])) || e[0] == '-')) {
    bits = e[0] == '-' ? uint64_t(std::strtoll(e.c_str(), nullptr, 0)) : std::strtoull(e.c_str(), nullptr, 0);
  }
  for (size_t i = 0; i < bytes && i < 8; ++i) out[i] = static_cast<unsigned char>(bits >> (8 * i));
}

// Whether `body` names `symbol` as a whole identifier.
bool mentions(const std::string& body, const std::string& symbol) {
  for (size_t at = body.find(symbol); at != std::string::npos; at = body.find(symbol, at + 1)) {
    const bool before = at > 0 && ident_char(body[at - 1]);
    const bool after = at + symbol.size() < body.size() && ident_char(body[at + symbol.size()]);
    if (!before && !after) return true;
  }
  return false;
}

size_t align_up(size_t v, size_t a) { return a > 1 ? (v + a - 1) / a * a : v; }

int line_of(const std::string& text, size_t at) {
  int line = 1;
  for (size_t i = 0; i < at && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

// Parses PTX `ptx` for a device of compute capability `sm` into `m`.
bool parse_ptx(const std::string& raw, int sm, FakeModule* m, PtxError* error) {
  for (unsigned char c : raw)
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
      *error = {CUDA_ERROR_INVALID_IMAGE, "fake libcuda: the image is neither PTX text nor a cubin it knows"};
      return false;
    }
  const std::string text = strip_comments(raw);
  const auto ptxas = [&](size_t at, const std::string& what) {
    return "ptxas application ptx input, line " + std::to_string(line_of(text, at)) + "; " + what;
  };
  std::string version, target;
  struct Entry {
    std::string header, body;
  };
  std::vector<Entry> entries;
  std::vector<Declaration> shared_vars;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= text.size()) break;
    const size_t start = i;
    // Directives that end with their line.
    for (const char* d : {".version", ".target", ".address_size", ".file"}) {
      const size_t n = std::strlen(d);
      if (text.compare(i, n, d) == 0 && i + n < text.size() && std::isspace(static_cast<unsigned char>(text[i + n]))) {
        const size_t eol = text.find('\n', i);
        const std::string line = text.substr(i, eol == std::string::npos ? std::string::npos : eol - i);
        const std::vector<std::string> w = words(line);
        if (std::strcmp(d, ".version") == 0 && w.size() > 1) version = w[1];
        if (std::strcmp(d, ".target") == 0 && w.size() > 1) target = w[1];
        i = eol == std::string::npos ? text.size() : eol + 1;
        break;
      }
    }
    if (i != start) continue;
    // A statement: up to ';' (a declaration, perhaps with a braced initializer), or a header and its body.
    int parens = 0;
    size_t j = i;
    bool initializer = false;
    for (; j < text.size(); ++j) {
      const char c = text[j];
      if (c == '(') ++parens;
      else if (c == ')') --parens;
      else if (parens == 0 && c == '=') initializer = true;
      else if (parens == 0 && c == ';' && !initializer) break;
      else if (parens == 0 && c == '{' && !initializer) break;
      else if (initializer && c == ';') break;
    }
    if (j >= text.size()) {
      *error = {CUDA_ERROR_INVALID_PTX, ptxas(i, "error   : syntax error at end of file")};
      return false;
    }
    const std::string head = text.substr(i, j - i);
    if (text[j] == ';') {
      Declaration d;
      if (parse_declaration(head, &d) && !d.external) {
        if (d.space == ".shared") {
          shared_vars.push_back(d);
        } else if (d.space == ".global" || d.space == ".const") {
          const size_t bytes = d.element * d.count;
          void* data = allocate(bytes);
          if (!data) {
            *error = {CUDA_ERROR_OUT_OF_MEMORY, ""};
            return false;
          }
          std::memset(data, 0, bytes ? bytes : 1);
          for (size_t e = 0; e < d.init.size() && e < d.count; ++e)
            store_element(d.init[e], d.element, static_cast<unsigned char*>(data) + e * d.element);
          m->variables[d.name] = {data, bytes};
        }
      }
      i = j + 1;
      continue;
    }
    // A body: find its closing brace.
    int depth = 0;
    size_t k = j;
    for (; k < text.size(); ++k) {
      if (text[k] == '{') ++depth;
      else if (text[k] == '}' && --depth == 0) break;
    }
    if (k >= text.size()) {
      *error = {CUDA_ERROR_INVALID_PTX, ptxas(j, "error   : syntax error: unbalanced '{'")};
      return false;
    }
    if (mentions(head, ".entry")) entries.push_back({head, text.substr(j + 1, k - j - 1)});
    i = k + 1;
  }
  if (version.empty()) {
    *error = {CUDA_ERROR_INVALID_PTX, "ptxas fatal   : Missing .version directive at start of file"};
    return false;
  }
  const char* max_version = std::getenv("FAKE_CUDA_PTX_VERSION");
  const std::string supported = max_version && *max_version ? max_version : "8.2";
  if (std::strtod(version.c_str(), nullptr) > std::strtod(supported.c_str(), nullptr) + 1e-9) {
    *error = {CUDA_ERROR_UNSUPPORTED_PTX_VERSION,
              ptxas(0, "fatal   : Unsupported .version " + version + "; current version is '" + supported + "'")};
    return false;
  }
  if (target.compare(0, 3, "sm_") != 0) {
    *error = {CUDA_ERROR_INVALID_PTX, "ptxas fatal   : Missing or unknown .target directive ('" + target + "')"};
    return false;
  }
  if (std::atoi(target.c_str() + 3) > sm) {
    *error = {CUDA_ERROR_INVALID_PTX, "ptxas fatal   : SM version specified by .target is higher than default SM "
                                      "version assumed"};
    return false;
  }
  for (const Entry& e : entries) {
    const size_t at = e.header.find(".entry");
    size_t n = at + 6;
    while (n < e.header.size() && std::isspace(static_cast<unsigned char>(e.header[n]))) ++n;
    size_t end = n;
    while (end < e.header.size() && ident_char(e.header[end])) ++end;
    auto f = std::make_unique<CUfunc_st>();
    f->module = m;
    f->name = e.header.substr(n, end - n);
    const size_t open = e.header.find('(', end);
    const size_t close = open == std::string::npos ? std::string::npos : e.header.rfind(')');
    if (open != std::string::npos && close != std::string::npos && close > open) {
      std::string params = e.header.substr(open + 1, close - open - 1);
      size_t p = 0;
      while (p < params.size()) {
        size_t comma = params.find(',', p);
        // A comma inside "[...]" never occurs; one between ".param" declarations separates them.
        const std::string one = trim(params.substr(p, comma == std::string::npos ? std::string::npos : comma - p));
        p = comma == std::string::npos ? params.size() : comma + 1;
        if (one.empty()) continue;
        Declaration d;
        if (!parse_declaration(one, &d) || d.space != ".param") {
          *error = {CUDA_ERROR_INVALID_PTX, "ptxas: cannot read parameter '" + one + "' of " + f->name};
          return false;
        }
        f->param_sizes.push_back(d.element * d.count);
      }
    }
    size_t shared = 0;
    for (const Declaration& d : shared_vars)
      if (mentions(e.body, d.name)) shared = align_up(shared, d.align) + d.element * d.count;
    size_t s = 0;
    while ((s = e.body.find(".shared", s)) != std::string::npos) {
      const size_t stmt = e.body.find_last_of(";{}", s);
      const size_t semi = e.body.find(';', s);
      const std::string decl = trim(e.body.substr(stmt == std::string::npos ? 0 : stmt + 1,
                                                  semi == std::string::npos ? std::string::npos : semi - stmt - 1));
      Declaration d;
      if (decl.compare(0, 7, ".shared") == 0 && parse_declaration(decl, &d) && !d.external)
        shared = align_up(shared, d.align) + d.element * d.count;
      s += 7;
    }
    f->static_shared = shared;
    f->max_dynamic_shared = shared < size_t(kSharedPerBlock) ? kSharedPerBlock - int(shared) : 0;
    m->kernels[f->name] = std::move(f);
  }
  return true;
}

void free_module(FakeModule* m) { fake_vendor::free_module(state(), m); }

struct ErrorInfo {
  CUresult code;
  const char* name;
  const char* text;
};

const ErrorInfo kErrors[] = {
    {CUDA_SUCCESS, "CUDA_SUCCESS", "no error"},
    {CUDA_ERROR_INVALID_VALUE, "CUDA_ERROR_INVALID_VALUE", "invalid argument"},
    {CUDA_ERROR_OUT_OF_MEMORY, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory"},
    {CUDA_ERROR_NOT_INITIALIZED, "CUDA_ERROR_NOT_INITIALIZED", "initialization error"},
    {CUDA_ERROR_NO_DEVICE, "CUDA_ERROR_NO_DEVICE", "no CUDA-capable device is detected (fake libcuda)"},
    {CUDA_ERROR_INVALID_DEVICE, "CUDA_ERROR_INVALID_DEVICE", "invalid device ordinal"},
    {CUDA_ERROR_INVALID_IMAGE, "CUDA_ERROR_INVALID_IMAGE", "device kernel image is invalid"},
    {CUDA_ERROR_INVALID_CONTEXT, "CUDA_ERROR_INVALID_CONTEXT", "invalid device context"},
    {CUDA_ERROR_NO_BINARY_FOR_GPU, "CUDA_ERROR_NO_BINARY_FOR_GPU", "no kernel image is available for execution on the device"},
    {CUDA_ERROR_INVALID_PTX, "CUDA_ERROR_INVALID_PTX", "a PTX JIT compilation failed"},
    {CUDA_ERROR_UNSUPPORTED_PTX_VERSION, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION", "the provided PTX was compiled with an unsupported toolchain."},
    {CUDA_ERROR_INVALID_HANDLE, "CUDA_ERROR_INVALID_HANDLE", "invalid resource handle"},
    {CUDA_ERROR_NOT_FOUND, "CUDA_ERROR_NOT_FOUND", "named symbol not found"},
    {CUDA_ERROR_ILLEGAL_ADDRESS, "CUDA_ERROR_ILLEGAL_ADDRESS", "an illegal memory access was encountered"},
    {CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES", "too many resources requested for launch"},
    {CUDA_ERROR_ASSERT, "CUDA_ERROR_ASSERT", "device-side assert triggered"},
    {CUDA_ERROR_LAUNCH_FAILED, "CUDA_ERROR_LAUNCH_FAILED", "unspecified launch failure"},
    {CUDA_ERROR_NOT_SUPPORTED, "CUDA_ERROR_NOT_SUPPORTED", "operation not supported"},
    {CUDA_ERROR_UNKNOWN, "CUDA_ERROR_UNKNOWN", "unknown error"},
};

const ErrorInfo* error_info(CUresult e) {
  for (const ErrorInfo& i : kErrors)
    if (i.code == e) return &i;
  return nullptr;
}

}  // namespace

// ---- The driver API. ----

FAKE_API CUresult cuGetErrorName(CUresult error, const char** name) {
  if (!name) return CUDA_ERROR_INVALID_VALUE;
  const ErrorInfo* i = error_info(error);
  *name = i ? i->name : nullptr;
  return i ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE;
}

FAKE_API CUresult cuGetErrorString(CUresult error, const char** text) {
  if (!text) return CUDA_ERROR_INVALID_VALUE;
  const ErrorInfo* i = error_info(error);
  *text = i ? i->text : nullptr;
  return i ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE;
}

FAKE_API CUresult cuInit(unsigned int flags) {
  if (flags != 0) return CUDA_ERROR_INVALID_VALUE;
  if (device_count() <= 0) return CUDA_ERROR_NO_DEVICE;
  std::lock_guard<std::mutex> lock(state().mu);
  State& s = state();
  if (!s.initialized) {
    for (int d = 0; d < device_count(); ++d) {
      s.contexts.push_back(std::make_unique<CUctx_st>());
      s.contexts.back()->device = d;
    }
    s.initialized = true;
  }
  return CUDA_SUCCESS;
}

FAKE_API CUresult cuDriverGetVersion(int* version) {
  if (!version) return CUDA_ERROR_INVALID_VALUE;
  *version = env_int("FAKE_CUDA_DRIVER_VERSION", 12020);
  return CUDA_SUCCESS;
}

FAKE_API CUresult cuDeviceGetCount(int* count) {
  if (!count) return CUDA_ERROR_INVALID_VALUE;
  std::lock_guard<std::mutex> lock(state().mu);
  if (!state().initialized) return CUDA_ERROR_NOT_INITIALIZED;
  *count = int(state().contexts.size());
  return CUDA_SUCCESS;
}

static CUresult check_device(CUdevice device) {
  std::lock_guard<std::mutex> lock(state().mu);
  if (!state().initialized) return CUDA_ERROR_NOT_INITIALIZED;
  return device >= 0 && size_t(device) < state().contexts.size() ? CUDA_SUCCESS : CUDA_ERROR_INVALID_DEVICE;
}

FAKE_API CUresult cuDeviceGet(CUdevice* device, int ordinal) {
  if (!device) return CUDA_ERROR_INVALID_VALUE;
  const CUresult err = check_device(ordinal);
  if (err == CUDA_SUCCESS) *device = ordinal;
  return err;
}

FAKE_API CUresult cuDeviceGetName(char* name, int length, CUdevice device) {
  if (!name || length <= 0) return CUDA_ERROR_INVALID_VALUE;
  const CUresult err = check_device(device);
  if (err == CUDA_SUCCESS) std::snprintf(name, size_t(length), "cuport fake CUDA device");
  return err;
}

FAKE_API CUresult cuDeviceTotalMem_v2(size_t* bytes, CUdevice device) {
  if (!bytes) return CUDA_ERROR_INVALID_VALUE;
  const CUresult err = check_device(device);
  if (err == CUDA_SUCCESS) *bytes = kTotalMemory;
  return err;
}

FAKE_API CUresult cuDeviceGetAttribute(int* value, CUdevice_attribute attribute, CUdevice device) {
  if (!value) return CUDA_ERROR_INVALID_VALUE;
  const CUresult err = check_device(device);
  if (err != CUDA_SUCCESS) return err;
  int major = 7, minor = 0;
  compute_capability(&major, &minor);
  switch (attribute) {
    case CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK: *value = 1024; break;
    case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X: *value = 1024; break;
    case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y: *value = 1024; break;
    case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z: *value = 64; break;
    case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X: *value = 2147483647; break;
    case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y: *value = 65535; break;
    case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z: *value = 65535; break;
    case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK: *value = kSharedPerBlock; break;
    case CU_DEVICE_ATTRIBUTE_TOTAL_CONSTANT_MEMORY: *value = 65536; break;
    case CU_DEVICE_ATTRIBUTE_WARP_SIZE: *value = 32; break;
    case CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_BLOCK: *value = 65536; break;
    case CU_DEVICE_ATTRIBUTE_CLOCK_RATE: *value = 1530000; break;
    case CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT: *value = 80; break;
    case CU_DEVICE_ATTRIBUTE_INTEGRATED: *value = 0; break;
    case CU_DEVICE_ATTRIBUTE_CAN_MAP_HOST_MEMORY: *value = 1; break;
    case CU_DEVICE_ATTRIBUTE_CONCURRENT_KERNELS: *value = 1; break;
    case CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE: *value = 877000; break;
    case CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH: *value = 4096; break;
    case CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE: *value = 6 * 1024 * 1024; break;
    case CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR: *value = 2048; break;
    case CU_DEVICE_ATTRIBUTE_ASYNC_ENGINE_COUNT: *value = 3; break;
    case CU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING: *value = 1; break;
    case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR: *value = major; break;
    case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR: *value = minor; break;
    case CU_DEVICE_ATTRIBUTE_MANAGED_MEMORY: *value = env_int("FAKE_CUDA_MANAGED", 1); break;
    case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN: *value = kSharedOptin; break;
    default: return CUDA_ERROR_INVALID_VALUE;
  }
  return CUDA_SUCCESS;
}

FAKE_API CUresult cuDevicePrimaryCtxRetain(CUcontext* context, CUdevice device) {
  if (!context) return CUDA_ERROR_INVALID_VALUE;
  const CUresult err = check_device(device);
  if (err != CUDA_SUCCESS) return err;
  std::lock_guard<std::mutex> lock(state().mu);
  CUctx_st* ctx = state().contexts[size_t(device)].get();
  ++ctx->references;
  *context = ctx;
  return CUDA_SUCCESS;
}

FAKE_API CUresult cuDevicePrimaryCtxRelease_v2(CUdevice device) {
  const CUresult err = check_device(device);
  if (err != CUDA_SUCCESS) return err;
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mu);
  CUctx_st* ctx = s.contexts[size_t(device)].get();
  if (ctx->references <= 0) return CUDA_ERROR_INVALID_CONTEXT;
  if (--ctx->references == 0) {  // the context is destroyed with its streams
    for (auto it = s.streams.begin(); it != s.streams.end();) {
      if ((*it)->context == ctx) {
        delete *it;
        it = s.streams.erase(it);
      } else {
        ++it;
      }
    }
  }
  return CUDA_SUCCESS;
}

FAKE_API CUresult cuDevicePrimaryCtxRelease(CUdevice device) { return cuDevicePrimaryCtxRelease_v2(device); }

FAKE_API CUresult cuCtxSetCurrent(CUcontext context) {
  std::lock_guard<std::mutex> lock(state().mu);
  if (!state().initialized) return CUDA_ERROR_NOT_INITIALIZED;
  if (context && context->references <= 0) return CUDA_ERROR_INVALID_CONTEXT;
  t_context = context;
  return CUDA_SUCCESS;
}

FAKE_API CUresult cuCtxSynchronize(void) { return check_context(); }

FAKE_API CUresult cuMemAlloc_v2(CUdeviceptr* dptr, size_t bytes) {
  if (!dptr) return CUDA_ERROR_INVALID_VALUE;
  const CUresult err = check_context();
  if (err != CUDA_SUCCESS) return err;
  if (bytes == 0) return CUDA_ERROR_INVALID_VALUE;
  if (bytes > kTotalMemory) return CUDA_ERROR_OUT_OF_MEMORY;
  void* p = allocate(bytes);
  if (!p) return CUDA_ERROR_OUT_OF_MEMORY;
  *dptr = CUdeviceptr(reinterpret_cast<uintptr_t>(p));
  return CUDA_SUCCESS;
}

FAKE_API CUresult cuMemAllocManaged(CUdeviceptr* dptr, size_t bytes, unsigned int flags) {
  if (flags != CU_MEM_ATTACH_GLOBAL && flags != CU_MEM_ATTACH_HOST) return CUDA_ERROR_INVALID_VALUE;
  if (!env_int("FAKE_CUDA_MANAGED", 1)) return CUDA_ERROR_NOT_SUPPORTED;
  return cuMemAlloc_v2(dptr, bytes);
}

FAKE_API CUresult cuMemFree_v2(CUdeviceptr dptr) {
  const CUresult err = check_context();
  if (err != CUDA_SUCCESS) return err;
  if (!dptr) return CUDA_SUCCESS;
  return state().release(reinterpret_cast<void*>(uintptr_t(dptr))) ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE;
}

FAKE_API CUresult cuMemGetInfo_v2(size_t* free_bytes, size_t* total_bytes) {
  if (!free_bytes || !total_bytes) return CUDA_ERROR_INVALID_VALUE;
  const CUresult err = check_context();
  if (err != CUDA_SUCCESS) return err;
  std::lock_guard<std::mutex> lock(state().mu);
  *total_bytes = kTotalMemory;
  *free_bytes = kTotalMemory - state().allocated;
  return CUDA_SUCCESS;
}

FAKE_API CUresult cuMemcpyAsync(CUdeviceptr dst, CUdeviceptr src, size_t bytes, CUstream stream) {
  bool device_to_host = false;
  {
    std::lock_guard<std::mutex> lock(state().mu);
    if (!current_context()) return CUDA_ERROR_INVALID_CONTEXT;
    if (!stream_ok(stream)) return CUDA_ERROR_INVALID_HANDLE;
    if (bytes == 0) return CUDA_SUCCESS;
    if (!dst || !src) return CUDA_ERROR_INVALID_VALUE;
    // Unified addressing: an address inside an allocation is device memory, anything else host memory.
    uintptr_t start = 0;
    size_t size = 0;
    const bool dst_device = state().find(uintptr_t(dst), &start, &size);
    if (dst_device && !in_device_memory(dst, bytes)) return CUDA_ERROR_INVALID_VALUE;
    const bool src_device = state().find(uintptr_t(src), &start, &size);
    if (src_device && !in_device_memory(src, bytes)) return CUDA_ERROR_INVALID_VALUE;
    device_to_host = src_device && !dst_device;
  }
  std::memmove(reinterpret_cast<void*>(uintptr_t(dst)), reinterpret_cast<const void*>(uintptr_t(src)), bytes);
  if (device_to_host && env_int("FAKE_CUDA_CORRUPT_COPIES", 0)) reinterpret_cast<unsigned char*>(uintptr_t(dst))[0] ^= 0xff;
  return CUDA_SUCCESS;
}

FAKE_API CUresult cuMemsetD8Async(CUdeviceptr dst, unsigned char value, size_t count, CUstream stream) {
  {
    std::lock_guard<std::mutex> lock(state().mu);
    if (!current_context()) return CUDA_ERROR_INVALID_CONTEXT;
    if (!stream_ok(stream)) return CUDA_ERROR_INVALID_HANDLE;
    if (count == 0) return CUDA_SUCCESS;
    if (!in_device_memory(dst, count)) return CUDA_ERROR_INVALID_VALUE;
  }
  std::memset(reinterpret_cast<void*>(uintptr_t(dst)), value, count);
  return CUDA_SUCCESS;
}

FAKE_API CUresult cuStreamCreate(CUstream* stream, unsigned int flags) {
  if (!stream || (flags & ~CU_STREAM_NON_BLOCKING)) return CUDA_ERROR_INVALID_VALUE;
  std::lock_guard<std::mutex> lock(state().mu);
  CUctx_st* ctx = current_context();
  if (!ctx) return CUDA_ERROR_INVALID_CONTEXT;
  auto* s = new CUstream_st;
  s->context = ctx;
  s->flags = flags;
  s->number = state().next_stream++;
  state().streams.insert(s);
  *stream = s;
  return CUDA_SUCCESS;
}

FAKE_API CUresult cuStreamDestroy_v2(CUstream stream) {
  std::lock_guard<std::mutex> lock(state().mu);
  if (!stream || !state().streams.erase(stream)) return CUDA_ERROR_INVALID_HANDLE;
  delete stream;
  return CUDA_SUCCESS;
}

FAKE_API CUresult cuStreamSynchronize(CUstream stream) {
  std::lock_guard<std::mutex> lock(state().mu);
  if (!stream) return current_context() ? CUDA_SUCCESS : CUDA_ERROR_INVALID_CONTEXT;
  if (!state().streams.count(stream)) return CUDA_ERROR_INVALID_HANDLE;
  const CUresult fault = stream->pending_fault;
  stream->pending_fault = CUDA_SUCCESS;
  return fault;
}

FAKE_API CUresult cuModuleLoadDataEx(CUmodule* module, const void* image, unsigned int num_options,
                                     CUjit_option* options, void** option_values) {
  if (!module || !image || (num_options && (!options || !option_values))) return CUDA_ERROR_INVALID_VALUE;
  CUctx_st* ctx = nullptr;
  {
    std::lock_guard<std::mutex> lock(state().mu);
    if (!state().initialized) return CUDA_ERROR_NOT_INITIALIZED;
    ctx = current_context();
    if (!ctx) return CUDA_ERROR_INVALID_CONTEXT;
  }
  int major = 7, minor = 0;
  compute_capability(&major, &minor);
  auto* m = new FakeModule;
  m->context = ctx;
  PtxError error{CUDA_SUCCESS, ""};
  if (!parse_ptx(static_cast<const char*>(image), major * 10 + minor, m, &error)) {
    free_module(m);
    char* log = nullptr;
    size_t log_size = 0;
    for (unsigned i = 0; i < num_options; ++i) {
      if (options[i] == CU_JIT_ERROR_LOG_BUFFER) log = static_cast<char*>(option_values[i]);
      if (options[i] == CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES) log_size = size_t(uintptr_t(option_values[i]));
    }
    if (log && log_size) {
      std::snprintf(log, log_size, "%s", error.log.c_str());
      for (unsigned i = 0; i < num_options; ++i)  // out: the bytes the log filled
        if (options[i] == CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES)
          option_values[i] = reinterpret_cast<void*>(uintptr_t(std::min(error.log.size() + 1, log_size)));
    }
    return error.code;
  }
  std::lock_guard<std::mutex> lock(state().mu);
  state().modules.insert(m);
  for (auto& k : m->kernels) state().functions.insert(k.second.get());
  *module = reinterpret_cast<CUmodule>(m);
  return CUDA_SUCCESS;
}

FAKE_API CUresult cuModuleLoadData(CUmodule* module, const void* image) {
  return cuModuleLoadDataEx(module, image, 0, nullptr, nullptr);
}

FAKE_API CUresult cuModuleUnload(CUmodule module) {
  auto* m = reinterpret_cast<FakeModule*>(module);
  {
    std::lock_guard<std::mutex> lock(state().mu);
    if (!current_context()) return CUDA_ERROR_INVALID_CONTEXT;
    if (!state().modules.erase(m)) return CUDA_ERROR_INVALID_HANDLE;
    for (auto& k : m->kernels) state().functions.erase(k.second.get());
  }
  free_module(m);
  return CUDA_SUCCESS;
}

FAKE_API CUresult cuModuleGetFunction(CUfunction* function, CUmodule module, const char* name) {
  if (!function || !name) return CUDA_ERROR_INVALID_VALUE;
  auto* m = reinterpret_cast<FakeModule*>(module);
  std::lock_guard<std::mutex> lock(state().mu);
  if (!current_context()) return CUDA_ERROR_INVALID_CONTEXT;
  if (!state().modules.count(m)) return CUDA_ERROR_INVALID_HANDLE;
  auto it = m->kernels.find(name);
  if (it == m->kernels.end()) return CUDA_ERROR_NOT_FOUND;
  *function = it->second.get();
  return CUDA_SUCCESS;
}

FAKE_API CUresult cuModuleGetGlobal_v2(CUdeviceptr* dptr, size_t* bytes, CUmodule module, const char* name) {
  if (!name) return CUDA_ERROR_INVALID_VALUE;
  auto* m = reinterpret_cast<FakeModule*>(module);
  std::lock_guard<std::mutex> lock(state().mu);
  if (!current_context()) return CUDA_ERROR_INVALID_CONTEXT;
  if (!state().modules.count(m)) return CUDA_ERROR_INVALID_HANDLE;
  auto it = m->variables.find(name);
  if (it == m->variables.end()) return CUDA_ERROR_NOT_FOUND;
  if (dptr) *dptr = CUdeviceptr(reinterpret_cast<uintptr_t>(it->second.data));
  if (bytes) *bytes = it->second.size;
  return CUDA_SUCCESS;
}

FAKE_API CUresult cuFuncGetAttribute(int* value, CUfunction_attribute attribute, CUfunction function) {
  if (!value) return CUDA_ERROR_INVALID_VALUE;
  std::lock_guard<std::mutex> lock(state().mu);
  if (!state().functions.count(function)) return CUDA_ERROR_INVALID_HANDLE;
  switch (attribute) {
    case CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES: *value = int(function->static_shared); break;
    case CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES: *value = function->max_dynamic_shared; break;
    case CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK: *value = 1024; break;
    case CU_FUNC_ATTRIBUTE_NUM_REGS: *value = 32; break;
    default: return CUDA_ERROR_INVALID_VALUE;
  }
  return CUDA_SUCCESS;
}

FAKE_API CUresult cuFuncSetAttribute(CUfunction function, CUfunction_attribute attribute, int value) {
  std::string name;
  {
    std::lock_guard<std::mutex> lock(state().mu);
    if (!current_context()) return CUDA_ERROR_INVALID_CONTEXT;
    if (!state().functions.count(function)) return CUDA_ERROR_INVALID_HANDLE;
    if (attribute != CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES) return CUDA_ERROR_INVALID_VALUE;
    if (value < 0 || size_t(value) + function->static_shared > size_t(kSharedOptin)) return CUDA_ERROR_INVALID_VALUE;
    function->max_dynamic_shared = value;
    name = function->name;
  }
  log_line("cuFuncSetAttribute " + name + " MAX_DYNAMIC_SHARED_SIZE_BYTES=" + std::to_string(value));
  return CUDA_SUCCESS;
}

FAKE_API CUresult cuLaunchKernel(CUfunction f, unsigned int gx, unsigned int gy, unsigned int gz, unsigned int bx,
                                 unsigned int by, unsigned int bz, unsigned int shared, CUstream stream,
                                 void** params, void** extra) {
  if (extra) return CUDA_ERROR_INVALID_VALUE;  // the backend passes arguments as kernelParams only
  std::string line;
  {
    std::lock_guard<std::mutex> lock(state().mu);
    CUctx_st* ctx = current_context();
    if (!ctx) return CUDA_ERROR_INVALID_CONTEXT;
    if (!state().functions.count(f) || f->module->context != ctx) return CUDA_ERROR_INVALID_HANDLE;
    if (!stream_ok(stream)) return CUDA_ERROR_INVALID_HANDLE;
    if (!gx || !gy || !gz || !bx || !by || !bz || gy > 65535 || gz > 65535) return CUDA_ERROR_INVALID_VALUE;
    if (uint64_t(bx) * by * bz > 1024 || bz > 64) return CUDA_ERROR_INVALID_VALUE;
    if (shared > unsigned(f->max_dynamic_shared)) return CUDA_ERROR_INVALID_VALUE;
    if (!f->param_sizes.empty() && !params) return CUDA_ERROR_INVALID_VALUE;
    char buf[160];
    std::snprintf(buf, sizeof buf, " grid=(%u,%u,%u) block=(%u,%u,%u) shared=%u stream=", gx, gy, gz, bx, by, bz,
                  shared);
    line = "cuLaunchKernel " + f->name + buf + stream_label(stream) + " args=(";
    for (size_t i = 0; i < f->param_sizes.size(); ++i) {
      if (!params[i]) return CUDA_ERROR_INVALID_VALUE;
      const auto* bytes = static_cast<const unsigned char*>(params[i]);
      std::string hex;
      for (size_t b = f->param_sizes[i]; b-- > 0;) {
        char two[3];
        std::snprintf(two, sizeof two, "%02x", bytes[b]);
        hex += two;
      }
      const size_t nonzero = hex.find_first_not_of('0');
      line += (i ? "," : "") + std::string("0x") + (nonzero == std::string::npos ? "0" : hex.substr(nonzero));
    }
    line += ")";
    if (const char* fault = std::getenv("FAKE_CUDA_FAULT"); fault && stream) {
      const std::string spec = fault;
      const size_t eq = spec.rfind('=');
      if (eq != std::string::npos && spec.substr(0, eq) == f->name)
        stream->pending_fault = CUresult(std::atoi(spec.c_str() + eq + 1));
    }
  }
  log_line(line);
  return CUDA_SUCCESS;
}

// Test hook: the references the primary context of `device` holds (-1 for no such device).
FAKE_API int fake_cuda_primary_context_refcount(int device) {
  std::lock_guard<std::mutex> lock(state().mu);
  if (device < 0 || size_t(device) >= state().contexts.size()) return -1;
  return state().contexts[size_t(device)]->references;
}

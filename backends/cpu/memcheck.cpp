// Memcheck on the CPU backend: the hook instrumented images call before each access, the registry of what
// kernels may touch, and the reports.  See memcheck.h and docs/memcheck.md.
#include "memcheck.h"

#include <dlfcn.h>
#include <pthread.h>

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <iterator>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>

#include "cpu_backend.h"
#include "fault.h"
#include "module.h"

namespace cuport_cpu {
namespace {

enum class Kind { Device, Heap, Pinned, Registered, Managed, Global };

const char* kind_label(Kind k) {
  switch (k) {
    case Kind::Device: return "cudaMalloc";
    case Kind::Heap: return "malloc/new in device code";
    case Kind::Pinned: return "cudaMallocHost/cudaHostAlloc";
    case Kind::Registered: return "cudaHostRegister";
    case Kind::Managed: return "cudaMallocManaged";
    case Kind::Global: return "a global variable of the device code";
  }
  return "";
}

struct Range {
  uintptr_t start = 0;
  size_t size = 0;
  Kind kind = Kind::Device;
  const char* name = nullptr;  // globals: their name (in the loaded image)
};

// Everything kernels may use besides the block's own memory.  Writers (allocations, frees, image loads) take
// the lock exclusively and bump `generation`, which invalidates every thread's cached last hit.
struct Registry {
  std::shared_mutex mu;
  std::map<uintptr_t, Range> live;
  std::deque<Range> freed;  // recently freed, newest last
  std::atomic<uint64_t> generation{1};
};
constexpr size_t kFreedKept = 4096;
constexpr uintptr_t kNearby = uintptr_t(1) << 20;  // an address this close to an allocation is out of its bounds

Registry* const g_registry = new Registry;  // leaked: usable during exit
Registry& registry() { return *g_registry; }

// The registry ranges a thread's accesses were last found in (kernels usually stream through a few arrays).
constexpr int kCached = 8;
struct ThreadState {
  BlockScope* scope = nullptr;
  uintptr_t stack_lo = 0, stack_hi = 0;
  bool stack_known = false;
  uint64_t cache_generation = 0;
  unsigned cache_next = 0;
  uintptr_t cache_lo[kCached] = {}, cache_hi[kCached] = {};
};
thread_local ThreadState t_state;

std::atomic<uint64_t> g_errors{0};

std::mutex& report_mutex() {
  static std::mutex* mu = new std::mutex;
  return *mu;
}

void add(const Range& r) {
  if (r.size == 0) return;
  Registry& reg = registry();
  std::unique_lock<std::shared_mutex> lock(reg.mu);
  reg.live[r.start] = r;
  // A new range replaces what was freed there: an access to it is no longer a use after free.
  for (auto it = reg.freed.begin(); it != reg.freed.end();)
    it = it->start < r.start + r.size && r.start < it->start + it->size ? reg.freed.erase(it) : it + 1;
  reg.generation.fetch_add(1, std::memory_order_release);
}

void remove(uintptr_t start, bool remember_freed, bool heap_only = false) {
  Registry& reg = registry();
  std::unique_lock<std::shared_mutex> lock(reg.mu);
  auto it = reg.live.find(start);
  if (it == reg.live.end() || (heap_only && it->second.kind != Kind::Heap)) return;
  if (remember_freed) {
    reg.freed.push_back(it->second);
    if (reg.freed.size() > kFreedKept) reg.freed.pop_front();
  }
  reg.live.erase(it);
  reg.generation.fetch_add(1, std::memory_order_release);
}

// The live range containing [a, end), if any (updates the thread's cache).
bool lookup(ThreadState& t, uintptr_t a, uintptr_t end) {
  Registry& reg = registry();
  const uint64_t gen = reg.generation.load(std::memory_order_acquire);
  if (t.cache_generation == gen) {
    for (int i = 0; i < kCached; ++i)
      if (a >= t.cache_lo[i] && end <= t.cache_hi[i]) return true;
  } else {
    std::memset(t.cache_hi, 0, sizeof t.cache_hi);  // empty ranges
    std::memset(t.cache_lo, 0xff, sizeof t.cache_lo);
    t.cache_generation = gen;
  }
  std::shared_lock<std::shared_mutex> lock(reg.mu);
  auto it = reg.live.upper_bound(a);
  if (it == reg.live.begin()) return false;
  --it;
  const uintptr_t hi = it->first + it->second.size;
  if (end > hi) return false;
  const unsigned slot = t.cache_next++ % kCached;
  t.cache_lo[slot] = it->first;
  t.cache_hi[slot] = hi;
  return true;
}

// Live frames of the OS thread's stack: from the check's own frame (the kernel's frames are above it) to the
// top.  Memory below is dead (and a freed allocation's pages may have become part of a new thread's stack).
bool on_stack(ThreadState& t, uintptr_t sp, uintptr_t a, uintptr_t end) {
  if (!t.stack_known) {
    t.stack_known = true;
    pthread_attr_t attr;
    if (::pthread_getattr_np(::pthread_self(), &attr) == 0) {
      void* lo = nullptr;
      size_t size = 0;
      if (::pthread_attr_getstack(&attr, &lo, &size) == 0) {
        t.stack_lo = reinterpret_cast<uintptr_t>(lo);
        t.stack_hi = t.stack_lo + size;
      }
      ::pthread_attr_destroy(&attr);
    }
  }
  return a >= sp && a >= t.stack_lo && end <= t.stack_hi;
}

enum class Problem { Misaligned, Invalid };

std::string hex(uintptr_t v) {
  char b[32];
  std::snprintf(b, sizeof b, "0x%zx", size_t(v));
  return b;
}

// The report's lines after "Address ...": why the address is invalid.
std::string explain(BlockScope* s, uintptr_t a, uint64_t size, uint32_t kind, Problem p) {
  const std::string addr = "=========     Address " + hex(a);
  if (p == Problem::Misaligned)
    return addr + " is misaligned\n=========     and an access of " + std::to_string(size) +
           " bytes needs an address that is a multiple of " + std::to_string(size) + "\n";
  const uintptr_t end = a + size;
  if (kind & CUPORT_MC_SHARED) {
    std::string r = addr + " is out of bounds\n";
    if (!s) return r;
    const uintptr_t sh = reinterpret_cast<uintptr_t>(s->ctx->shared_mem);
    const uintptr_t dy = reinterpret_cast<uintptr_t>(s->ctx->dynamic_shared);
    const uintptr_t sh_end = s->dynamic_shared ? dy + s->dynamic_shared : sh + s->static_shared;
    char b[320];
    if (a >= sh_end || end > sh_end)
      std::snprintf(b, sizeof b, "=========     and is %zu bytes after the block's __shared__ memory at 0x%zx (%zu bytes "
                    "static, %zu bytes dynamic)\n", size_t(end - sh_end), size_t(sh), s->static_shared,
                    s->dynamic_shared);
    else if (a < sh)
      std::snprintf(b, sizeof b, "=========     and is %zu bytes before the block's __shared__ memory at 0x%zx\n",
                    size_t(sh - a), size_t(sh));
    else
      std::snprintf(b, sizeof b, "=========     and is in the padding after the block's %zu bytes of static "
                    "__shared__ memory at 0x%zx\n", s->static_shared, size_t(sh));
    return r + b;
  }
  Registry& reg = registry();
  std::shared_lock<std::shared_mutex> lock(reg.mu);
  // Inside something freed recently (newest first)?
  for (auto it = reg.freed.rbegin(); it != reg.freed.rend(); ++it)
    if (a >= it->start && a < it->start + it->size) {
      char b[320];
      std::snprintf(b, sizeof b, "=========     and is %zu bytes inside an allocation at 0x%zx of size %zu bytes (%s) "
                    "that was freed\n", size_t(a - it->start), size_t(it->start), it->size, kind_label(it->kind));
      return addr + " is in freed memory (use after free)\n" + b;
    }
  // The nearest live range, before or after.
  const Range* nearest = nullptr;
  uintptr_t distance = ~uintptr_t(0);
  bool after = false;
  auto next = reg.live.upper_bound(a);
  if (next != reg.live.end() && next->first - a < distance) {
    nearest = &next->second;
    distance = next->first - a;
    after = false;
  }
  if (next != reg.live.begin()) {
    auto prev = std::prev(next);
    const uintptr_t limit = prev->first + prev->second.size;
    if (end > limit && end - limit <= distance) {
      nearest = &prev->second;
      distance = end - limit;
      after = true;
    }
  }
  Dl_info info;
  std::memset(&info, 0, sizeof info);
  const bool in_object = ::dladdr(reinterpret_cast<void*>(a), &info) != 0;
  const bool near_global = nearest && nearest->kind == Kind::Global && distance <= 4096;
  if (nearest && distance <= kNearby && (near_global || !in_object)) {
    char b[512];
    std::string what = kind_label(nearest->kind);
    if (nearest->kind == Kind::Global && nearest->name) what = std::string("variable ") + nearest->name;
    std::snprintf(b, sizeof b, "=========     and is %zu bytes %s the nearest allocation at 0x%zx of size %zu bytes (%s)\n",
                  size_t(distance), after ? "after" : "before", size_t(nearest->start), nearest->size, what.c_str());
    return addr + " is out of bounds\n" + b;
  }
  if (a < 65536) return addr + " is invalid (a null pointer, or an offset from one)\n";
  if (in_object && info.dli_fname &&
      (std::strncmp(info.dli_fname, "/proc/self/fd/", 14) == 0 || std::strstr(info.dli_fname, "cuport-image")))
    return addr + " is out of bounds\n=========     and is in a loaded device code image, "
                  "but not in any of its variables\n";
  if (in_object) {
    const char* file = info.dli_fname && *info.dli_fname ? info.dli_fname : "the host program";
    std::string sym = info.dli_sname ? std::string(", near the host symbol ") + info.dli_sname : std::string();
    return addr + " is host memory, not device memory\n=========     and is in " + file + sym +
           " (a host pointer passed to a kernel)\n";
  }
  return addr + " is not in any device allocation, __device__ variable or the block's __shared__ memory\n"
         "=========     and is a host pointer or an invalid address\n";
}

void print_report(BlockScope* s, const void* addr, uint64_t size, uint32_t kind, const char* where, uint32_t thread,
                  Problem p) {
  const uint32_t op = kind & CUPORT_MC_OP_MASK;
  const char* space = (kind & CUPORT_MC_SHARED) ? "__shared__" : "__global__";
  const char* verb = op == CUPORT_MC_WRITE ? "write" : op == CUPORT_MC_ATOMIC ? "atomic" : "read";
  std::string function, line;
  if (where) {
    const char* tab = std::strchr(where, '\t');
    function = tab ? std::string(where, tab) : std::string(where);
    if (tab) line = tab + 1;
  }
  const std::string kernel = s && s->kernel ? s->kernel->name : std::string();
  std::string out = "========= Invalid " + std::string(space) + " " + verb + " of size " + std::to_string(size) +
                    (size == 1 ? " byte\n" : " bytes\n");
  out += "=========     at " + pretty_name(function.empty() ? kernel : function) + (line.empty() ? "" : " at " + line) +
         "\n";
  if (!function.empty() && function != kernel && !kernel.empty()) out += "=========     in kernel " + pretty_name(kernel) + "\n";
  uint32_t t[3];
  char b[160];
  const uint32_t* blk = s ? s->ctx->block_idx : nullptr;
  if (unpack_thread(thread, t))
    std::snprintf(b, sizeof b, "=========     by thread (%u,%u,%u) in block (%u,%u,%u)\n", t[0], t[1], t[2],
                  blk ? blk[0] : 0, blk ? blk[1] : 0, blk ? blk[2] : 0);
  else
    std::snprintf(b, sizeof b, "=========     by an unknown thread (recursive device code) in block (%u,%u,%u)\n",
                  blk ? blk[0] : 0, blk ? blk[1] : 0, blk ? blk[2] : 0);
  out += b;
  out += explain(s, reinterpret_cast<uintptr_t>(addr), size, kind, p);
  std::lock_guard<std::mutex> lock(report_mutex());
  std::fflush(stdout);
  std::fputs(out.c_str(), stderr);
  std::fflush(stderr);
}

// Reports (once per launch) and abandons the block; never returns.
[[noreturn]] void fail_access(BlockScope* s, const void* addr, uint64_t size, uint32_t kind, const char* where,
                              uint32_t thread, Problem p) {
  if (!s || !s->reported || !s->reported->exchange(true)) {
    print_report(s, addr, size, kind, where, thread, p);  // its strings are gone before the jump below
    g_errors.fetch_add(1);
  }
  if (s) s->status = p == Problem::Misaligned ? 716 : 700;  // cudaErrorMisalignedAddress, cudaErrorIllegalAddress
  if (s && s->point && s->point->armed) {
    s->point->armed = 0;
    siglongjmp(s->point->env, 2);
  }
  // No recovery point (CUPORT_CPU_CATCH_FAULTS=0): stop here, where a debugger shows the access.
  std::fflush(stderr);
  std::abort();
}

// The hook with CUPORT_MEMCHECK=1.
void check(const void* addr, uint64_t size, uint32_t kind, const char* where, uint32_t thread,
           const cuport_cpu_block_ctx* ctx) {
  // The block's scope from the context (no thread_local lookup), else (recursive functions) from the thread.
  BlockScope* s = ctx && ctx->memcheck_state ? static_cast<BlockScope*>(ctx->memcheck_state) : t_state.scope;
  ThreadState& t = s && s->thread_state ? *static_cast<ThreadState*>(s->thread_state) : t_state;
  const uint32_t op = kind & CUPORT_MC_OP_MASK;
  const uintptr_t a = reinterpret_cast<uintptr_t>(addr);
  if (op == CUPORT_MC_HEAP_ALLOC) {
    if (addr) add(Range{a, size_t(size), Kind::Heap, nullptr});
    return;
  }
  if (op == CUPORT_MC_HEAP_FREE) {
    if (addr) remove(a, true, /*heap_only=*/true);
    return;
  }
  if (size == 0) return;
  if ((kind & CUPORT_MC_ALIGNED) && (a & (size - 1)) != 0)
    fail_access(s, addr, size, kind, where, thread, Problem::Misaligned);
  const uintptr_t end = a + size;
  if (end < a) fail_access(s, addr, size, kind, where, thread, Problem::Invalid);
  if (s) {
    if ((a >= s->static_lo && end <= s->static_hi) || (a >= s->dynamic_lo && end <= s->dynamic_hi)) return;
    if (kind & CUPORT_MC_SHARED) fail_access(s, addr, size, kind, where, thread, Problem::Invalid);
    if (a >= s->frame_lo && end <= s->frame_hi) return;
  }
  if (on_stack(t, reinterpret_cast<uintptr_t>(__builtin_frame_address(0)), a, end) || lookup(t, a, end)) return;
  fail_access(s, addr, size, kind, where, thread, Problem::Invalid);
}

}  // namespace

bool memcheck_enabled() {
  static const bool on = [] {
    const char* e = std::getenv("CUPORT_MEMCHECK");
    return e && std::strcmp(e, "1") == 0;
  }();
  return on;
}

void set_block_scope(BlockScope* scope) {
  ThreadState& t = t_state;
  t.scope = scope;
  if (!scope) return;
  scope->thread_state = &t;
  if (!scope->ctx) return;
  const_cast<cuport_cpu_block_ctx*>(scope->ctx)->memcheck_state = scope;
  scope->static_lo = reinterpret_cast<uintptr_t>(scope->ctx->shared_mem);
  scope->static_hi = scope->static_lo + scope->static_shared;
  scope->dynamic_lo = reinterpret_cast<uintptr_t>(scope->ctx->dynamic_shared);
  scope->dynamic_hi = scope->dynamic_lo + scope->dynamic_shared;
  scope->frame_lo = reinterpret_cast<uintptr_t>(scope->ctx->frame_mem);
  scope->frame_hi = scope->frame_lo + scope->frame_bytes;
}

bool unpack_thread(uint32_t packed, uint32_t out[3]) {
  if (packed == CUPORT_MC_THREAD_UNKNOWN) return false;
  out[0] = packed & 1023u;
  out[1] = (packed >> 10) & 1023u;
  out[2] = packed >> 20;
  return true;
}

void memcheck_device_alloc(const void* p, size_t size) {
  if (memcheck_enabled() && p) add(Range{reinterpret_cast<uintptr_t>(p), size, Kind::Device, nullptr});
}

void memcheck_device_free(const void* p) {
  if (memcheck_enabled() && p) remove(reinterpret_cast<uintptr_t>(p), true);
}

void host_memory(void* ptr, size_t size, int type) {
  if (!memcheck_enabled() || !ptr) return;
  if (size == 0) {
    remove(reinterpret_cast<uintptr_t>(ptr), true);
    return;
  }
  const Kind k = type == CUPORT_HOST_MEMORY_REGISTERED ? Kind::Registered
                 : type == CUPORT_HOST_MEMORY_MANAGED  ? Kind::Managed
                                                       : Kind::Pinned;
  add(Range{reinterpret_cast<uintptr_t>(ptr), size, k, nullptr});
}

uint64_t memcheck_errors() { return g_errors.load(); }

void memcheck_module_loaded(cuport_module* m) {
  const cuport_cpu_memcheck_info* info = m->memcheck;
  if (!info) return;
  if (info->version != CUPORT_CPU_MEMCHECK_VERSION || !info->hook) {
    m->memcheck = nullptr;  // an image of another cuport: treated as not instrumented
    return;
  }
  if (memcheck_enabled()) {
    for (uint32_t i = 0; i < info->global_count; ++i) {
      const cuport_cpu_memcheck_global& g = info->globals[i];
      add(Range{reinterpret_cast<uintptr_t>(g.addr), size_t(g.size), Kind::Global, g.name});
    }
    *info->hook = check;
  }
}

void memcheck_module_unloaded(cuport_module* m) {
  const cuport_cpu_memcheck_info* info = m->memcheck;
  if (!info || !memcheck_enabled()) return;
  for (uint32_t i = 0; i < info->global_count; ++i) remove(reinterpret_cast<uintptr_t>(info->globals[i].addr), false);
}

void memcheck_check_launch(const cuport_kernel* kernel) {
  if (!memcheck_enabled() || !kernel->module || kernel->module->memcheck) return;
  if (kernel->module->memcheck_warned.exchange(true)) return;
  std::lock_guard<std::mutex> lock(report_mutex());
  std::fprintf(stderr,
               "========= Warning: kernel %s (and every kernel of its image) was not built with --memcheck: its "
               "memory accesses are not checked; rebuild with `cuport-cc --memcheck` (or -G)\n",
               pretty_name(kernel->name).c_str());
}

}  // namespace cuport_cpu

// Shared by the fake vendor runtimes that the backends' tests load instead of the real ones
// (tests/hip/fake_amdhip64.cpp, tests/cuda/fake_libcuda.cpp): their settings and log, device memory that is
// host memory tracked like a GPU's (so that a copy or fill outside an allocation fails as on a GPU), and a
// module's variables and kernels.  Test-only.
#ifndef CUPORT_TESTS_FAKE_VENDOR_FAKE_RUNTIME_H
#define CUPORT_TESTS_FAKE_VENDOR_FAKE_RUNTIME_H

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace fake_vendor {

// The integer value of the setting `name`, or `fallback` when it is not set.
inline int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

// Appends `line` to the file that the setting `log_setting` names (nothing when it is not set).  Any thread.
inline void log_line(const char* log_setting, const std::string& line) {
  const char* path = std::getenv(log_setting);
  if (!path || !*path) return;
  static std::mutex* mu = new std::mutex;  // leaked: usable during exit
  std::lock_guard<std::mutex> lock(*mu);
  if (FILE* out = std::fopen(path, "a")) {
    std::fprintf(out, "%s\n", line.c_str());
    std::fclose(out);
  }
}

// A fake's device memory: 256-byte aligned host memory, filled with 0xcd like uninitialized device memory,
// tracked by start address (user allocations and modules' variables).  `mu` also guards whatever else the fake
// keeps in the struct it derives from this one.
struct TrackedMemory {
  std::mutex mu;
  std::map<uintptr_t, size_t> allocations;  // start address -> size
  size_t allocated = 0;                     // bytes

  // Any thread (takes mu).  Null when the host is out of memory.
  void* allocate(size_t size) {
    const size_t rounded = (size + 255) / 256 * 256;
    void* p = std::aligned_alloc(256, rounded ? rounded : 256);
    if (!p) return nullptr;
    std::memset(p, 0xcd, rounded ? rounded : 256);
    std::lock_guard<std::mutex> lock(mu);
    allocations[reinterpret_cast<uintptr_t>(p)] = size;
    allocated += size;
    return p;
  }
  // Any thread (takes mu).  False for a pointer that allocate did not return.
  bool release(void* p) {
    {
      std::lock_guard<std::mutex> lock(mu);
      auto it = allocations.find(reinterpret_cast<uintptr_t>(p));
      if (it == allocations.end()) return false;
      allocated -= it->second;
      allocations.erase(it);
    }
    std::free(p);
    return true;
  }
  // Requires mu.  The allocation [*start, *start + *size) that holds address `a` (an empty one holds its
  // start), if any.
  bool find(uintptr_t a, uintptr_t* start, size_t* size) const {
    auto it = allocations.upper_bound(a);
    if (it == allocations.begin()) return false;
    --it;
    if (a - it->first >= std::max<size_t>(it->second, 1)) return false;
    *start = it->first;
    *size = it->second;
    return true;
  }
  // Requires mu.  Whether [a, a + n), n > 0, lies inside one allocation.
  bool contains(uintptr_t a, size_t n) const {
    uintptr_t start = 0;
    size_t size = 0;
    return find(a, &start, &size) && n <= size && a - start <= size - n;
  }
};

// A loaded module: its variables (tracked device memory holding their initial contents) and its kernels.
template <class Kernel>
struct Module {
  struct Variable {
    void* data;
    size_t size;
  };
  std::map<std::string, Variable> variables;
  std::map<std::string, std::unique_ptr<Kernel>> kernels;
};

// Frees module `m` of type M (a Module) and its variables, which `memory` holds.
template <class M>
void free_module(TrackedMemory& memory, M* m) {
  for (auto& v : m->variables) memory.release(v.second.data);
  delete m;
}

}  // namespace fake_vendor

#endif

// Shared by the backend plugins over a vendor runtime that they dlopen at init instead of linking it (HIP:
// libamdhip64; CUDA: libcuda), so that each builds without the runtime and loads, with zero devices and the
// reason, where it is missing: the library, found by a setting or by its usual names, and its entry points,
// resolved with dlsym into a struct of function pointers typed like the runtime's own declarations.
// Header-only: each plugin gets its own copy.
#ifndef CUPORT_BACKEND_VENDOR_LIBRARY_H
#define CUPORT_BACKEND_VENDOR_LIBRARY_H

#include <dlfcn.h>

#include <cstdlib>
#include <string>
#include <type_traits>
#include <vector>

namespace cuport_glue {

// Declares `struct Name`: one function pointer per entry point that REQUIRED(X) and OPTIONAL(X) list (X-macros:
// X(hipInit) X(hipMalloc) ...), named and typed like the function's declaration at global scope, so that
// api.hipMalloc(&p, n) reads like the call itself; and visit(f), which calls f("hipMalloc", &hipMalloc, required)
// for each, the required ones first.
#define CUPORT_GLUE_VENDOR_API(Name, REQUIRED, OPTIONAL) \
  struct Name {                                          \
    REQUIRED(CUPORT_GLUE_API_MEMBER)                     \
    OPTIONAL(CUPORT_GLUE_API_MEMBER)                     \
    template <class F>                                   \
    void visit(F&& visitor) {                            \
      REQUIRED(CUPORT_GLUE_API_VISIT_REQUIRED)           \
      OPTIONAL(CUPORT_GLUE_API_VISIT_OPTIONAL)           \
    }                                                    \
  }
#define CUPORT_GLUE_API_MEMBER(fn) decltype(&::fn) fn = nullptr;
#define CUPORT_GLUE_API_VISIT_REQUIRED(fn) visitor(#fn, &this->fn, true);
#define CUPORT_GLUE_API_VISIT_OPTIONAL(fn) visitor(#fn, &this->fn, false);

// Where a runtime comes from, and the words of the reason when it cannot be used.
struct VendorLibrary {
  const char* setting;                       // names the library to dlopen ("CUPORT_HIP_LIBRARY")
  std::vector<const char*> names;            // else these, the first that loads ("libamdhip64.so.5", ...)
  const char* none;                          // the reason's start ("no HIP runtime")
  const char* library;                       // what the library is called ("the HIP library")
  const char* advice;                        // "install libamdhip64-5, or set CUPORT_HIP_LIBRARY"
};

// One thread (init).  dlopens `lib` and resolves every entry point of `api` (a CUPORT_GLUE_VENDOR_API struct);
// required ones must all resolve, optional ones may stay null.  On failure returns false with *why_none
// "<none>: <each candidate's dlerror text> (<advice>)" or "<none>: <library> lacks <the missing ones>
// (<advice>)".  The library stays loaded for the life of the process.
template <class Api>
bool load_vendor_library(const VendorLibrary& lib, Api* api, std::string* why_none) {
  // Ignored by set-user-ID/set-group-ID programs (secure_getenv), like LD_LIBRARY_PATH: docs/security.md.
  const char* setting = ::secure_getenv(lib.setting);
  std::vector<std::string> names;
  if (setting && *setting) names.push_back(setting);
  else names.assign(lib.names.begin(), lib.names.end());
  void* handle = nullptr;
  std::string errors;
  for (const std::string& n : names) {
    handle = ::dlopen(n.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle) break;
    const char* why = ::dlerror();
    errors += (errors.empty() ? "" : "; ") + (why ? std::string(why) : n + ": cannot be loaded");
  }
  if (!handle) {
    *why_none = std::string(lib.none) + ": " + errors + " (" + lib.advice + ")";
    return false;
  }
  std::string missing;
  api->visit([&](const char* name, auto* fn, bool required) {
    *fn = reinterpret_cast<std::remove_pointer_t<decltype(fn)>>(::dlsym(handle, name));
    if (!*fn && required) missing += (missing.empty() ? "" : ", ") + std::string(name);
  });
  if (!missing.empty()) {
    *why_none = std::string(lib.none) + ": " + lib.library + " lacks " + missing + " (" + lib.advice + ")";
    return false;
  }
  return true;
}

}  // namespace cuport_glue

#endif

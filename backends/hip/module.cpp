// Loading "amdgcn-amd-amdhsa" device images: a Clang offload bundle with one AMDGPU code object per GPU
// architecture (offload_bundle.h).  module_load picks the code object for the device's target id
// (gcnArchName) and loads that ELF with hipModuleLoadData; kernels and variables are then looked up by name
// in the HIP module.  The code object keeps CUDA's kernel names (mangled) and parameter lists, so a kernel's
// arguments go to HIP exactly as the runtime packed them.
//
// A bundle without any code object (a translation unit without device code, or whose kernels cuport-cc all
// left out) is an empty module.  Kernels listed in the bundle's "cuport-unsupported" entry fail kernel_get
// with cudaErrorNoKernelImageForDevice and cuport-cc's file:line and reason, printed once, as on OpenCL.
#include <cxxabi.h>

#include <cstdlib>
#include <cstring>

#include "hip_backend.h"
#include "offload_bundle.h"

namespace cuport_hip {

using namespace cuport_glue;  // fail, the Status codes

std::string pretty_name(const std::string& mangled) {
  int status = 0;
  char* demangled = abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status);
  std::string out = status == 0 && demangled ? demangled : mangled;
  std::free(demangled);
  return out;
}

// Any thread.  `image` is valid only during the call: the chosen code object is copied into the module.
cuport_status module_load(int device, const void* image, size_t size, cuport_module** out) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, "no such HIP device");
  if (!image || !out) return fail(kInvalidValue, "null argument");
  *out = nullptr;
  CodeObject code;
  std::string error;
  auto m = std::make_unique<cuport_module>();
  m->device = d;
  switch (select_code_object(image, size, d->arch_name, &code, &error, &m->unsupported)) {
    case SelectResult::kFound:
      break;
    case SelectResult::kMalformed:
      return fail(kInvalidKernelImage, "amdgcn-amd-amdhsa image: " + error);
    case SelectResult::kNoMatch:
      return fail(kNoKernelImageForDevice, error);
    case SelectResult::kNoCodeObjects:
      *out = m.release();
      return kSuccess;
  }
  m->target_id = code.target_id;
  m->code.resize((code.size + sizeof(uint64_t) - 1) / sizeof(uint64_t));
  std::memcpy(m->code.data(), code.data, code.size);
  HipCall call;
  if (!call) return exiting_error();
  const cuport_status st = use_device(*d);
  if (st != kSuccess) return st;
  const hipError_t err = hip().hipModuleLoadData(&m->handle, m->code.data());
  if (err != hipSuccess)
    return hip_fail(err, "hipModuleLoadData (the " + code.target_id + " code object, " + std::to_string(code.size) +
                             " bytes, on " + d->props.name + ", " + d->arch_name + ")");
  *out = m.release();
  return kSuccess;
}

// Any thread, never concurrently with uses of the same module.
cuport_status module_unload(cuport_module* module) {
  if (!module) return fail(kInvalidValue, "null module");
  std::unique_ptr<cuport_module> m(module);
  if (!m->handle) return kSuccess;
  HipCall call;
  if (!call) return kSuccess;  // the process is exiting: the runtime's teardown releases the module
  const cuport_status st = use_device(*m->device);
  if (st != kSuccess) return st;
  const hipError_t err = hip().hipModuleUnload(m->handle);
  return err == hipSuccess ? kSuccess : hip_fail(err, "hipModuleUnload");
}

// Any thread.  cudaErrorInvalidDeviceFunction when the code object has no such kernel.
cuport_status kernel_get(cuport_module* module, const char* mangled_name, cuport_kernel** out) {
  if (!module || !mangled_name || !out) return fail(kInvalidValue, "null argument");
  const std::string name = mangled_name;
  return module->kernels.get(name, out, [&](std::unique_ptr<cuport_kernel>* k) {
    auto unsupported = module->unsupported.find(name);
    if (unsupported != module->unsupported.end()) {
      const std::string message = "kernel " + pretty_name(name) + " cannot run on AMDGPU: " + unsupported->second;
      warn_once(message);
      return fail(kNoKernelImageForDevice, message);
    }
    if (!module->handle)
      return fail(kInvalidDeviceFunction, "kernel " + pretty_name(name) + " is not in this program's amdgcn image "
                                          "(it has no code object)");
    HipCall call;
    if (!call) return exiting_error();
    cuport_status st = use_device(*module->device);
    if (st != kSuccess) return st;
    hipFunction_t f = nullptr;
    const hipError_t err = hip().hipModuleGetFunction(&f, module->handle, name.c_str());
    if (err != hipSuccess || !f) {
      st = hip_fail(err, "hipModuleGetFunction(" + name + ")");
      // HIP says "not found" (500) or "invalid device function" (98); CUDA's answer is 98 either way.
      if (err == hipSuccess || st == kSymbolNotFound || st == kInvalidDeviceFunction)
        return fail(kInvalidDeviceFunction, "kernel " + pretty_name(name) + " is not in the " + module->target_id +
                                                " code object (" + last_error_message() + ")");
      return st;
    }
    auto kernel = std::make_unique<cuport_kernel>();
    kernel->module = module;
    kernel->name = name;
    kernel->function = f;
    int shared = 0;
    if (hip().hipFuncGetAttribute &&
        hip().hipFuncGetAttribute(&shared, HIP_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, f) == hipSuccess && shared > 0)
      kernel->static_shared = size_t(shared);
    *k = std::move(kernel);
    return cuport_status(kSuccess);
  });
}

// Any thread.
cuport_status kernel_static_shared(cuport_kernel* kernel, size_t* out) {
  if (!kernel || !out) return fail(kInvalidValue, "null argument");
  *out = kernel->static_shared;
  return kSuccess;
}

// Any thread.  A __device__/__constant__ variable of the code object, by its device name.
cuport_status symbol_get(cuport_module* module, const char* name, void** dptr, size_t* size) {
  if (!module || !name || !dptr || !size) return fail(kInvalidValue, "null argument");
  if (!module->handle)
    return fail(kSymbolNotFound, "variable " + std::string(name) + " is not in this program's amdgcn image (it has "
                                 "no code object)");
  HipCall call;
  if (!call) return exiting_error();
  const cuport_status st = use_device(*module->device);
  if (st != kSuccess) return st;
  hipDeviceptr_t p = nullptr;
  size_t bytes = 0;
  const hipError_t err = hip().hipModuleGetGlobal(&p, &bytes, module->handle, name);
  if (err != hipSuccess) return hip_fail(err, "hipModuleGetGlobal(" + std::string(name) + ")");
  *dptr = p;
  *size = bytes;
  return kSuccess;
}

}  // namespace cuport_hip

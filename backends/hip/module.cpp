// Loading "amdgcn-amd-amdhsa" device images: a Clang offload bundle with one AMDGPU code object per GPU
// architecture (offload_bundle.h).  module_load picks the code object for the device's target id
// (gcnArchName) and loads that ELF with hipModuleLoadData; kernels and variables are then looked up by name
// in the HIP module.  The code object keeps CUDA's kernel names (mangled) and parameter lists, so a kernel's
// arguments go to HIP exactly as the runtime packed them.
//
// A bundle without any code object (a translation unit without device code, or whose kernels cuport-cc all
// left out) is an empty module.  Kernels listed in the bundle's "cuport-unsupported" entry fail kernel_get
// with cudaErrorNoKernelImageForDevice and cuport-cc's file:line and reason, printed once, as on OpenCL.
#include <cstring>

#include "hip_backend.h"
#include "offload_bundle.h"

namespace cuport_hip {

using namespace cuport_glue;  // fail, the Status codes, pretty_name, the hook shapes

// Any thread.  `image` is valid only during the call: the chosen code object is copied into the module.
cuport_status module_load(int device, const void* image, size_t size, cuport_module** out) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, Hip::kNoSuchDevice);
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
  HipDeviceCall call(*d);
  if (!call) return call.status();
  const hipError_t err = hip().hipModuleLoadData(&m->handle, m->code.data());
  if (err != hipSuccess)
    return hip_fail(err, "hipModuleLoadData (the " + code.target_id + " code object, " + std::to_string(code.size) +
                             " bytes, on " + d->props.name + ", " + d->arch_name + ")");
  *out = m.release();
  return kSuccess;
}

// Any thread, never concurrently with uses of the same module.
cuport_status module_unload(cuport_module* module) {
  return unload_module<Hip>(module, [](hipModule_t handle) {
    const hipError_t err = hip().hipModuleUnload(handle);
    return err == hipSuccess ? kSuccess : hip_fail(err, "hipModuleUnload");
  });
}

// Any thread.  cudaErrorInvalidDeviceFunction when the code object has no such kernel.
cuport_status kernel_get(cuport_module* module, const char* mangled_name, cuport_kernel** out) {
  return get_kernel<Hip>(module, mangled_name, out, [&](cuport_kernel& kernel) {
    const std::string& name = kernel.name;
    hipFunction_t f = nullptr;
    const hipError_t err = hip().hipModuleGetFunction(&f, module->handle, name.c_str());
    if (err != hipSuccess || !f) {
      const cuport_status st = hip_fail(err, "hipModuleGetFunction(" + name + ")");
      // HIP says "not found" (500) or "invalid device function" (98); CUDA's answer is 98 either way.
      if (err == hipSuccess || st == kSymbolNotFound || st == kInvalidDeviceFunction)
        return fail(kInvalidDeviceFunction, "kernel " + pretty_name(name) + " is not in the " + module->target_id +
                                                " code object (" + last_error_message() + ")");
      return st;
    }
    kernel.function = f;
    int shared = 0;
    if (hip().hipFuncGetAttribute &&
        hip().hipFuncGetAttribute(&shared, HIP_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, f) == hipSuccess && shared > 0)
      kernel.static_shared = size_t(shared);
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
  return get_symbol<Hip>(module, name, dptr, size, [&] {
    hipDeviceptr_t p = nullptr;
    size_t bytes = 0;
    const hipError_t err = hip().hipModuleGetGlobal(&p, &bytes, module->handle, name);
    if (err != hipSuccess) return hip_fail(err, "hipModuleGetGlobal(" + std::string(name) + ")");
    *dptr = p;
    *size = bytes;
    return cuport_status(kSuccess);
  });
}

}  // namespace cuport_hip

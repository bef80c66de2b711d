// Loading "nvptx64-ptx" device images: PTX assembly text, which the driver compiles for the device
// (cuModuleLoadDataEx, with an error-log buffer so that a JIT failure reports the driver's own log).  Kernels
// and variables are then looked up by their CUDA (mangled) names, which are the PTX symbol names, so a
// kernel's arguments go to the driver exactly as the runtime packed them.
//
// The image may or may not end in a NUL; the driver wants one, so module_load passes a NUL-terminated copy.
// cuport-cc lists each kernel it left out of the PTX on a line
//   // cuport-unsupported <mangled-name> <file:line: reason>
// kernel_get fails for such a kernel with cudaErrorNoKernelImageForDevice and that reason, printed once, as
// on the other backends.  An image with no PTX code at all (only comments: every kernel left out) is an
// empty module.
#include <cstring>
#include <sstream>
#include <vector>

#include "cuda_backend.h"

namespace cuport_cuda {

using namespace cuport_glue;  // fail, the Status codes, pretty_name, the hook shapes

namespace {

constexpr size_t kJitLogBytes = 16 * 1024;

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// Reads the "// cuport-unsupported" lines into `unsupported`; returns whether the text has any PTX code.
bool scan(const std::string& ptx, std::map<std::string, std::string>* unsupported) {
  static const char kMarker[] = "// cuport-unsupported ";
  bool code = false;
  std::istringstream in(ptx);
  for (std::string line; std::getline(in, line);) {
    line = trim(line);
    if (line.empty()) continue;
    if (line.compare(0, sizeof kMarker - 1, kMarker) == 0) {
      const std::string rest = trim(line.substr(sizeof kMarker - 1));
      const size_t space = rest.find_first_of(" \t");
      const std::string name = rest.substr(0, space);
      if (!name.empty()) (*unsupported)[name] = space == std::string::npos ? "" : trim(rest.substr(space));
      continue;
    }
    if (line.compare(0, 2, "//") != 0) code = true;
  }
  return code;
}

}  // namespace

// Any thread.  `image` is valid only during the call; the driver copies what it needs.
cuport_status module_load(int device, const void* image, size_t size, cuport_module** out) {
  Device* d = device_at(device);
  if (!d) return fail(kInvalidDevice, Cuda::kNoSuchDevice);
  if (!image || !out) return fail(kInvalidValue, "null argument");
  *out = nullptr;
  const char* text = static_cast<const char*>(image);
  const std::string ptx(text, strnlen(text, size));  // the NUL-terminated copy the driver gets
  auto m = std::make_unique<cuport_module>();
  m->device = d;
  if (!scan(ptx, &m->unsupported)) {
    *out = m.release();
    return kSuccess;
  }
  CudaDeviceCall call(*d);
  if (!call) return call.status();
  std::vector<char> log(kJitLogBytes, '\0');
  CUjit_option options[2] = {CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
  void* values[2] = {log.data(), reinterpret_cast<void*>(uintptr_t(log.size() - 1))};
  const CUresult err = driver().cuModuleLoadDataEx(&m->handle, ptx.c_str(), 2, options, values);
  if (err != CUDA_SUCCESS) {
    const std::string jit_log = trim(std::string(log.data(), strnlen(log.data(), log.size())));
    const cuport_status status =
        cuda_fail(err, "cuModuleLoadDataEx (PTX, " + std::to_string(ptx.size()) + " bytes, for " + d->props.name +
                           ", compute capability " + std::to_string(d->props.major) + "." +
                           std::to_string(d->props.minor) + ", driver for CUDA " + driver_version() + ")");
    if (jit_log.empty()) return status;
    return fail(status, std::string(last_error_message()) + "; JIT log: " + jit_log);
  }
  *out = m.release();
  return kSuccess;
}

// Any thread, never concurrently with uses of the same module.
cuport_status module_unload(cuport_module* module) {
  return unload_module<Cuda>(module, [](CUmodule handle) {
    const CUresult err = driver().cuModuleUnload(handle);
    return err == CUDA_SUCCESS ? kSuccess : cuda_fail(err, "cuModuleUnload");
  });
}

// Any thread.  cudaErrorInvalidDeviceFunction when the PTX has no such kernel.
cuport_status kernel_get(cuport_module* module, const char* mangled_name, cuport_kernel** out) {
  return get_kernel<Cuda>(module, mangled_name, out, [&](cuport_kernel& kernel) {
    const std::string& name = kernel.name;
    CUfunction f = nullptr;
    const CUresult err = driver().cuModuleGetFunction(&f, module->handle, name.c_str());
    if (err != CUDA_SUCCESS || !f) {
      const cuport_status st = cuda_fail(err, "cuModuleGetFunction(" + name + ")");
      // The driver says "not found" (500); CUDA's answer for a kernel the image lacks is 98.
      if (err == CUDA_SUCCESS || err == CUDA_ERROR_NOT_FOUND)
        return fail(kInvalidDeviceFunction, "kernel " + pretty_name(name) + " is not in the PTX image (" +
                                                last_error_message() + ")");
      return st;
    }
    kernel.function = f;
    int shared = 0;
    const CUresult aerr = driver().cuFuncGetAttribute(&shared, CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, f);
    if (aerr != CUDA_SUCCESS)
      return cuda_fail(aerr, "cuFuncGetAttribute(CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, " + pretty_name(name) + ")");
    kernel.static_shared = shared > 0 ? size_t(shared) : 0;
    kernel.dynamic_shared_limit.store(kDefaultSharedLimit > kernel.static_shared
                                          ? kDefaultSharedLimit - kernel.static_shared
                                          : 0);
    return cuport_status(kSuccess);
  });
}

// Any thread.
cuport_status kernel_static_shared(cuport_kernel* kernel, size_t* out) {
  if (!kernel || !out) return fail(kInvalidValue, "null argument");
  *out = kernel->static_shared;
  return kSuccess;
}

// Any thread.  A __device__/__constant__ variable of the PTX, by its device name.
cuport_status symbol_get(cuport_module* module, const char* name, void** dptr, size_t* size) {
  return get_symbol<Cuda>(module, name, dptr, size, [&] {
    CUdeviceptr p = 0;
    size_t bytes = 0;
    const CUresult err = driver().cuModuleGetGlobal_v2(&p, &bytes, module->handle, name);
    if (err != CUDA_SUCCESS) return cuda_fail(err, "cuModuleGetGlobal_v2(" + std::string(name) + ")");
    *dptr = reinterpret_cast<void*>(uintptr_t(p));
    *size = bytes;
    return cuport_status(kSuccess);
  });
}

}  // namespace cuport_cuda

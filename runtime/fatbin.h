// Internal: bounds-checked reader of cuport fat-binary containers and their manifests (docs/fatbin.md).
// Pure functions of their input bytes: no global state, no allocation proportional to untrusted counts
// before those counts are checked against the input size.  Built into a small static library so unit tests
// and fuzzers can call it directly.
#ifndef CUPORT_RUNTIME_FATBIN_H
#define CUPORT_RUNTIME_FATBIN_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <cuport/backend.h>

namespace cuport {

struct KernelMeta {
  std::string name;                        // mangled
  uint32_t param_buffer_size = 0;
  std::vector<cuport_param_info> params;   // in parameter order
};

enum class VarKind { Device, Constant, Managed };

struct VarMeta {
  std::string name;                        // device name
  uint64_t size = 0;
  VarKind kind = VarKind::Device;
  std::string init;                        // Managed: the initial bytes (size of them), "" when all zero
};

struct FatbinImage {
  std::string target;
  const uint8_t* data = nullptr;           // points into the parsed container
  size_t size = 0;
};

struct FatbinContents {
  bool has_manifest = false;
  // Relocatable device code (manifest line "rdc 1"): the kernels and variables live in the image that the
  // program's device link registers (__cuportRegisterLinkedImage).
  bool relocatable = false;
  std::vector<KernelMeta> kernels;
  std::vector<VarMeta> vars;
  std::vector<FatbinImage> images;

  const KernelMeta* find_kernel(const std::string& name) const;
  const VarMeta* find_var(const std::string& name) const;
  const FatbinImage* find_image(const std::string& target) const;
};

// Size of the fixed header; fewer readable bytes can never be a container.
constexpr size_t kFatbinHeaderSize = 32;

// Given at least kFatbinHeaderSize readable bytes, returns the container's declared total_size when the magic
// and version match, else 0.  Used when only a pointer is known (__cudaRegisterFatBinary).
uint64_t fatbin_declared_size(const void* data);

// Parses `size` bytes.  On failure returns false and sets *error to a one-line reason; *out is then
// unspecified.  Never reads outside [data, data + size).
bool parse_fatbin(const void* data, size_t size, FatbinContents* out, std::string* error);

// Parses a manifest text of `size` bytes (not NUL-terminated) into out->kernels / out->vars.
bool parse_manifest(const char* text, size_t size, FatbinContents* out, std::string* error);

}  // namespace cuport

#endif

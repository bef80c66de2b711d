// libFuzzer target: the fat-binary container and manifest reader (runtime/fatbin.cpp), which parses bytes
// that come from any program's embedded data.  It must reject corrupt input with a reason and never read
// outside the buffer (AddressSanitizer checks that) or crash.
#include "fatbin.h"

#include <cstdint>
#include <cstring>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // __cudaRegisterFatBinary only has a pointer: the declared size is read from the header alone.
  if (size >= cuport::kFatbinHeaderSize)
    (void)cuport::fatbin_declared_size(data);
  cuport::FatbinContents c;
  std::string why;
  if (!cuport::parse_fatbin(data, size, &c, &why)) {
    if (why.empty())
      __builtin_trap(); // every rejection names its reason
    return 0;
  }
  // Everything a parsed container hands out must lie inside the input.
  for (const cuport::FatbinImage &img : c.images) {
    if (img.size && (img.data < data || img.data + img.size > data + size))
      __builtin_trap();
    (void)c.find_image(img.target);
  }
  for (const cuport::KernelMeta &k : c.kernels) {
    (void)c.find_kernel(k.name);
    for (const cuport_param_info &p : k.params)
      if (uint64_t(p.offset) + p.size > k.param_buffer_size)
        __builtin_trap();
  }
  for (const cuport::VarMeta &v : c.vars)
    (void)c.find_var(v.name);
  return 0;
}

// libFuzzer target: the HIP backend's offload-bundle reader (backends/hip/offload_bundle.cpp), which parses
// the amdgcn image of any program's fat binary.  It must reject corrupt input with a reason and never read
// outside the buffer (AddressSanitizer checks that) or crash.
#include "offload_bundle.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::vector<cuport_hip::BundleEntry> entries;
  std::string why;
  if (!cuport_hip::parse_offload_bundle(data, size, &entries, &why)) {
    if (why.empty() || !entries.empty())
      __builtin_trap(); // every rejection names its reason and leaves no entries
    return 0;
  }
  for (const cuport_hip::BundleEntry &e : entries) {
    if (e.offset > size || e.size > size - e.offset)
      __builtin_trap();
    (void)cuport_hip::base_arch(cuport_hip::amdgcn_target_id(e.id));
  }
  // Whatever the selection returns lies inside the input.
  for (const char *device : {"gfx1100", "gfx90a:sramecc+:xnack-", "gfx906:xnack+", ""}) {
    cuport_hip::CodeObject code;
    why.clear();
    std::map<std::string, std::string> unsupported;
    const cuport_hip::SelectResult r = cuport_hip::select_code_object(data, size, device, &code, &why, &unsupported);
    if (r == cuport_hip::SelectResult::kFound) {
      if (!code.size || code.data < data || code.data + code.size > data + size)
        __builtin_trap();
    } else if (r != cuport_hip::SelectResult::kNoCodeObjects && why.empty()) {
      __builtin_trap(); // a malformed bundle or a missing architecture is explained
    }
    for (const auto &k : unsupported)
      if (k.first.empty() || k.second.empty())
        __builtin_trap();
  }
  return 0;
}

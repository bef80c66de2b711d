// Reading Clang offload bundles, the container of the HIP backend's device image (CUPORT_TARGET_AMDGCN):
// one AMDGPU ELF code object per GPU architecture.  Pure C++ (no HIP headers), so that it can be unit-tested
// and fuzzed on any machine.
//
// Layout (all integers little-endian uint64):
//   "__CLANG_OFFLOAD_BUNDLE__"            24-byte magic, no NUL
//   entry count
//   per entry: offset (from the bundle's first byte), size, id length, id bytes (not NUL-terminated)
//   the entries' payloads
// Entry ids are "<offload kind>-<target triple>-<target id>", e.g. "hipv4-amdgcn-amd-amdhsa--gfx90a" or
// "hipv4-amdgcn-amd-amdhsa--gfx90a:sramecc+:xnack-"; a host entry ("host-x86_64-unknown-linux--", usually
// empty) and entries of other kinds or triples are ignored.  cuport-cc adds an entry "cuport-unsupported"
// when it left kernels out of the code objects: text lines "<mangled kernel name> <file:line: reason>"
// (docs/fatbin.md).
#ifndef CUPORT_HIP_OFFLOAD_BUNDLE_H
#define CUPORT_HIP_OFFLOAD_BUNDLE_H

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace cuport_hip {

constexpr char kOffloadBundleMagic[] = "__CLANG_OFFLOAD_BUNDLE__";
constexpr size_t kOffloadBundleMagicSize = sizeof(kOffloadBundleMagic) - 1;  // 24
constexpr char kUnsupportedEntryId[] = "cuport-unsupported";

struct BundleEntry {
  uint64_t offset = 0;  // from the bundle's first byte; offset + size lies within the bundle
  uint64_t size = 0;
  std::string id;
};

// Parses the bundle's header.  Every entry is bounds-checked against `size`; false with *error (naming the
// entry and the problem) for a bundle that is truncated, has a bad magic, or an entry outside the data.
bool parse_offload_bundle(const void* data, size_t size, std::vector<BundleEntry>* entries, std::string* error);

// The AMDGPU target id of a HIP code-object entry id ("hipv4-amdgcn-amd-amdhsa--gfx90a:xnack-" ->
// "gfx90a:xnack-"), or "" for an entry of another kind ("host", "openmp") or another triple.
std::string amdgcn_target_id(const std::string& entry_id);

// The processor of a target id: "gfx90a:sramecc+:xnack-" -> "gfx90a".
std::string base_arch(const std::string& target_id);

// The kernels a "cuport-unsupported" entry lists, with their reasons.  Lines without a reason get a generic
// one; blank lines are skipped.
std::map<std::string, std::string> parse_unsupported(const std::string& text);

enum class SelectResult {
  kFound,          // *out is the chosen code object
  kMalformed,      // the image is not a valid offload bundle (CUDA: cudaErrorInvalidKernelImage)
  kNoMatch,        // there are code objects, none for the device (CUDA: cudaErrorNoKernelImageForDevice)
  kNoCodeObjects,  // there are none at all: a translation unit without device code, or whose kernels were
                   // all left out (a valid, empty module)
};

struct CodeObject {
  const unsigned char* data = nullptr;  // inside the bundle
  size_t size = 0;
  std::string target_id;                // of the chosen entry
};

// Chooses the code object for a device whose full target id is `device_target_id` (HIP's gcnArchName, e.g.
// "gfx90a:sramecc+:xnack-"): an entry for the same processor whose target features ("xnack+", "sramecc-")
// do not contradict the device's; among those, the one that names the most features.  Empty entries never
// match.  On failure, *error says why; for kNoMatch it lists the processors the bundle has, e.g. "no code
// object for gfx90a:sramecc+:xnack- in this program (it has: gfx906, gfx1100); recompile with cuport-cc
// --offload-arch=gfx90a".  When `unsupported` is given, it receives the "cuport-unsupported" entry's kernels
// (for every result but kMalformed).
SelectResult select_code_object(const void* bundle, size_t size, const std::string& device_target_id, CodeObject* out,
                                std::string* error, std::map<std::string, std::string>* unsupported = nullptr);

}  // namespace cuport_hip

#endif

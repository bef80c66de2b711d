// The HIP backend's offload-bundle reader (backends/hip/offload_bundle.h): parsing, bounds checks and the
// choice of a code object for a device.  Needs neither HIP nor a GPU.
#include "offload_bundle.h"

#include <gtest/gtest.h>

#include <limits>
#include <map>

#include "bundle_writer.h"

namespace {

using cuport_hip::BundleEntry;
using cuport_hip::CodeObject;
using cuport_hip::SelectResult;
using cuport_hip_test::entry_field_offset;
using cuport_hip_test::set_u64;
using cuport_hip_test::write_bundle;

using Entries = std::vector<std::pair<std::string, std::string>>;

const Entries kTypical = {{"host-x86_64-unknown-linux--", ""},
                          {"hipv4-amdgcn-amd-amdhsa--gfx90a", "code for gfx90a"},
                          {"hipv4-amdgcn-amd-amdhsa--gfx1100", "code for gfx1100!"}};

std::string chosen(const std::vector<unsigned char>& bundle, const std::string& device, SelectResult* result = nullptr,
                   std::string* error = nullptr) {
  CodeObject code;
  std::string why;
  const SelectResult r = cuport_hip::select_code_object(bundle.data(), bundle.size(), device, &code, &why);
  if (result) *result = r;
  if (error) *error = why;
  return r == SelectResult::kFound ? std::string(reinterpret_cast<const char*>(code.data), code.size) : "";
}

TEST(OffloadBundle, ParsesEveryEntry) {
  const std::vector<unsigned char> b = write_bundle(kTypical);
  std::vector<BundleEntry> entries;
  std::string error;
  ASSERT_TRUE(cuport_hip::parse_offload_bundle(b.data(), b.size(), &entries, &error)) << error;
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].id, "host-x86_64-unknown-linux--");
  EXPECT_EQ(entries[0].size, 0u);
  EXPECT_EQ(entries[1].id, "hipv4-amdgcn-amd-amdhsa--gfx90a");
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(b.data() + entries[1].offset), entries[1].size), "code for gfx90a");
  EXPECT_EQ(entries[2].size, 17u);
}

TEST(OffloadBundle, ChoosesTheDevicesArchitecture) {
  const std::vector<unsigned char> b = write_bundle(kTypical);
  EXPECT_EQ(chosen(b, "gfx1100"), "code for gfx1100!");
  EXPECT_EQ(chosen(b, "gfx90a"), "code for gfx90a");
  // gcnArchName carries target features; the processor decides.
  EXPECT_EQ(chosen(b, "gfx90a:sramecc+:xnack-"), "code for gfx90a");
}

TEST(OffloadBundle, TargetFeatures) {
  const std::vector<unsigned char> b = write_bundle({{"hipv4-amdgcn-amd-amdhsa--gfx90a", "any"},
                                                     {"hipv4-amdgcn-amd-amdhsa--gfx90a:xnack+", "xnack on"},
                                                     {"hipv4-amdgcn-amd-amdhsa--gfx90a:sramecc+:xnack-", "both"}});
  EXPECT_EQ(chosen(b, "gfx90a:sramecc+:xnack+"), "xnack on");  // the matching specific one beats "any"
  EXPECT_EQ(chosen(b, "gfx90a:sramecc+:xnack-"), "both");
  EXPECT_EQ(chosen(b, "gfx90a:sramecc-:xnack-"), "any");      // both specific ones contradict the device
  const std::vector<unsigned char> only_xnack_on = write_bundle({{"hipv4-amdgcn-amd-amdhsa--gfx90a:xnack+", "on"}});
  SelectResult r;
  std::string error;
  EXPECT_EQ(chosen(only_xnack_on, "gfx90a:sramecc+:xnack-", &r, &error), "");
  EXPECT_EQ(r, SelectResult::kNoMatch);
  EXPECT_NE(error.find("it has: gfx90a:xnack+"), std::string::npos) << error;
}

TEST(OffloadBundle, NoMatchNamesWhatTheProgramHas) {
  const std::vector<unsigned char> b = write_bundle(kTypical);
  SelectResult r;
  std::string error;
  EXPECT_EQ(chosen(b, "gfx906:sramecc-:xnack-", &r, &error), "");
  EXPECT_EQ(r, SelectResult::kNoMatch);
  EXPECT_EQ(error, "no code object for gfx906:sramecc-:xnack- in this program (it has: gfx90a, gfx1100); recompile "
                   "with cuport-cc --offload-arch=gfx906");
  // An empty entry for the right processor is never a match.
  const std::vector<unsigned char> empty = write_bundle({{"host-x86_64-unknown-linux--", ""},
                                                         {"hipv4-amdgcn-amd-amdhsa--gfx1100", ""}});
  EXPECT_EQ(chosen(empty, "gfx1100", &r, &error), "");
  EXPECT_EQ(r, SelectResult::kNoMatch);
  EXPECT_NE(error.find("(it has: gfx1100)"), std::string::npos) << error;
}

// A translation unit without device code, or whose kernels were all left out, has no code object at all: a
// valid bundle that loads as an empty module.  The "cuport-unsupported" entry says which kernels are missing.
TEST(OffloadBundle, NoCodeObjectsAndUnsupportedKernels) {
  SelectResult r;
  std::string error;
  const std::vector<unsigned char> host_only = write_bundle({{"host-x86_64-unknown-linux--", ""}});
  EXPECT_EQ(chosen(host_only, "gfx1100", &r, &error), "");
  EXPECT_EQ(r, SelectResult::kNoCodeObjects);

  const std::vector<unsigned char> b =
      write_bundle({{"host-x86_64-unknown-linux--", ""},
                    {"cuport-unsupported", "_Z4heapPi k.cu:12: device-side malloc is not supported on AMDGPU\n"
                                           "_Z5otherv\r\n\n   \n"}});
  CodeObject code;
  std::map<std::string, std::string> unsupported;
  EXPECT_EQ(cuport_hip::select_code_object(b.data(), b.size(), "gfx1100", &code, &error, &unsupported),
            SelectResult::kNoCodeObjects);
  ASSERT_EQ(unsupported.size(), 2u);
  EXPECT_EQ(unsupported["_Z4heapPi"], "k.cu:12: device-side malloc is not supported on AMDGPU");
  EXPECT_EQ(unsupported["_Z5otherv"], "left out of the AMDGPU code objects by cuport-cc");

  // Next to code objects, the list comes with the chosen one.
  const std::vector<unsigned char> both = write_bundle(
      {{"hipv4-amdgcn-amd-amdhsa--gfx1100", "code"}, {"cuport-unsupported", "_Z4heapPi k.cu:12: malloc"}});
  EXPECT_EQ(cuport_hip::select_code_object(both.data(), both.size(), "gfx1100", &code, &error, &unsupported),
            SelectResult::kFound);
  EXPECT_EQ(unsupported.size(), 1u);
  EXPECT_EQ(cuport_hip::parse_unsupported(""), (std::map<std::string, std::string>{}));
}

TEST(OffloadBundle, IgnoresOtherKindsAndTriples) {
  const std::vector<unsigned char> b = write_bundle({{"openmp-amdgcn-amd-amdhsa--gfx1100", "openmp"},
                                                     {"hipv4-spirv64-amd-amdhsa--gfx1100", "spirv"},
                                                     {"hip-amdgcn-amd-amdhsa--gfx1100", "hip v3"}});
  EXPECT_EQ(chosen(b, "gfx1100"), "hip v3");
  EXPECT_EQ(cuport_hip::amdgcn_target_id("hipv4-amdgcn-amd-amdhsa--gfx90a:xnack-"), "gfx90a:xnack-");
  EXPECT_EQ(cuport_hip::amdgcn_target_id("hipv4-amdgcn-amd-amdhsa-unknown-gfx90a"), "gfx90a");
  EXPECT_EQ(cuport_hip::amdgcn_target_id("host-x86_64-unknown-linux--"), "");
  EXPECT_EQ(cuport_hip::amdgcn_target_id("hipv4-amdgcn-amd-amdhsa"), "");
  EXPECT_EQ(cuport_hip::amdgcn_target_id(""), "");
  EXPECT_EQ(cuport_hip::base_arch("gfx90a:sramecc+:xnack-"), "gfx90a");
}

TEST(OffloadBundle, BadMagic) {
  std::vector<unsigned char> b = write_bundle(kTypical);
  b[0] = 'X';
  SelectResult r;
  std::string error;
  chosen(b, "gfx1100", &r, &error);
  EXPECT_EQ(r, SelectResult::kMalformed);
  EXPECT_NE(error.find("__CLANG_OFFLOAD_BUNDLE__"), std::string::npos) << error;
  std::vector<BundleEntry> entries;
  EXPECT_FALSE(cuport_hip::parse_offload_bundle(nullptr, 0, &entries, &error));
}

// Every strict prefix of a bundle is malformed: its headers or the last payload are cut off.
TEST(OffloadBundle, EveryTruncationIsRejected) {
  const std::vector<unsigned char> b = write_bundle(kTypical);
  for (size_t n = 0; n < b.size(); ++n) {
    std::vector<BundleEntry> entries;
    std::string error;
    EXPECT_FALSE(cuport_hip::parse_offload_bundle(b.data(), n, &entries, &error)) << "prefix of " << n << " bytes";
    EXPECT_TRUE(entries.empty());
    EXPECT_FALSE(error.empty());
  }
}

TEST(OffloadBundle, OverflowingOffsetsAndSizes) {
  const uint64_t max = std::numeric_limits<uint64_t>::max();
  const size_t field = entry_field_offset(kTypical, 2);  // gfx1100's offset; size at +8; id length at +16
  struct Case {
    size_t at;
    uint64_t value;
    const char* what;
  } cases[] = {
      {field, max - 4, "offset near 2^64 (offset + size wraps)"},
      {field, max, "offset 2^64-1"},
      {field + 8, max, "size 2^64-1"},
      {field + 8, 18, "one byte past the end"},
      {field + 16, max, "id length 2^64-1"},
      {field + 16, 1u << 20, "id length past the end"},
      {24, max, "entry count 2^64-1"},
      {24, 4, "one entry more than there is"},
  };
  for (const Case& c : cases) {
    std::vector<unsigned char> b = write_bundle(kTypical);
    set_u64(&b, c.at, c.value);
    SelectResult r;
    std::string error;
    EXPECT_EQ(chosen(b, "gfx1100", &r, &error), "") << c.what;
    EXPECT_EQ(r, SelectResult::kMalformed) << c.what;
    EXPECT_NE(error.find("malformed offload bundle"), std::string::npos) << c.what << ": " << error;
  }
  // The same bundle unmodified is fine, and an entry that ends exactly at the end is in bounds.
  EXPECT_EQ(chosen(write_bundle(kTypical), "gfx1100"), "code for gfx1100!");
}

TEST(OffloadBundle, ZeroEntries) {
  const std::vector<unsigned char> b = write_bundle({});
  std::vector<BundleEntry> entries;
  std::string error;
  EXPECT_TRUE(cuport_hip::parse_offload_bundle(b.data(), b.size(), &entries, &error)) << error;
  EXPECT_TRUE(entries.empty());
  SelectResult r;
  chosen(b, "gfx1100", &r, &error);
  EXPECT_EQ(r, SelectResult::kNoCodeObjects);
}

}  // namespace

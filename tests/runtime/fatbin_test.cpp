// The fat-binary reader (runtime/fatbin.cpp) against valid, truncated and malicious containers.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include <cuport/fatbin.h>

#include "fatbin.h"
#include "fatbin_builder.h"

using cuport_test::build_fatbin;
using cuport_test::image_entry;
using cuport_test::manifest_entry;

namespace {

const char kManifest[] =
    "cuport-manifest 1\n"
    "kernel _Z3addPfS_i 3 20\n"
    "param 0 8 8\n"
    "param 8 8 8\n"
    "param 16 4 4\n"
    "var _ZL5table 64 constant\n"
    "var counter 4 device\n"
    "var m 8 managed\n"
    "init m 0700000000000080\n";

std::vector<uint8_t> valid() {
  return build_fatbin({manifest_entry(kManifest), image_entry(CUPORT_TARGET_CPU, {0x7f, 'E', 'L', 'F', 1, 2, 3})});
}

bool parses(const std::vector<uint8_t>& b, std::string* why = nullptr) {
  cuport::FatbinContents c;
  std::string w;
  bool ok = cuport::parse_fatbin(b.data(), b.size(), &c, &w);
  if (why) *why = w;
  return ok;
}

bool manifest_parses(const std::string& text) {
  cuport::FatbinContents c;
  std::string why;
  return cuport::parse_manifest(text.data(), text.size(), &c, &why);
}

TEST(Fatbin, ValidContainer) {
  std::vector<uint8_t> b = valid();
  cuport::FatbinContents c;
  std::string why;
  ASSERT_TRUE(cuport::parse_fatbin(b.data(), b.size(), &c, &why)) << why;
  EXPECT_TRUE(c.has_manifest);
  ASSERT_EQ(c.kernels.size(), 1u);
  EXPECT_EQ(c.kernels[0].name, "_Z3addPfS_i");
  EXPECT_EQ(c.kernels[0].param_buffer_size, 20u);
  ASSERT_EQ(c.kernels[0].params.size(), 3u);
  EXPECT_EQ(c.kernels[0].params[2].offset, 16u);
  EXPECT_EQ(c.kernels[0].params[2].size, 4u);
  EXPECT_EQ(c.kernels[0].params[2].align, 4u);
  ASSERT_EQ(c.vars.size(), 3u);
  EXPECT_EQ(c.vars[0].kind, cuport::VarKind::Constant);
  EXPECT_EQ(c.vars[1].kind, cuport::VarKind::Device);
  EXPECT_EQ(c.vars[2].kind, cuport::VarKind::Managed);
  EXPECT_EQ(c.vars[0].size, 64u);
  EXPECT_EQ(c.vars[2].init, std::string("\x07\0\0\0\0\0\0\x80", 8));
  EXPECT_TRUE(c.vars[0].init.empty());
  const cuport::FatbinImage* img = c.find_image(CUPORT_TARGET_CPU);
  ASSERT_NE(img, nullptr);
  EXPECT_EQ(img->size, 7u);
  EXPECT_EQ(0, std::memcmp(img->data, "\x7f" "ELF", 4));
  EXPECT_EQ((img->data - b.data()) % 16, 0);
  EXPECT_EQ(cuport::fatbin_declared_size(b.data()), b.size());
}

// A managed variable's initial bytes: exactly its size, in hexadecimal, after its var line, once.
TEST(Fatbin, ManagedInitialBytesAreChecked) {
  const std::string head = "cuport-manifest 1\nvar m 2 managed\nvar d 2 device\n";
  EXPECT_TRUE(manifest_parses(head + "init m 0aFf\n"));
  EXPECT_FALSE(manifest_parses(head + "init m 0a\n"));          // too short
  EXPECT_FALSE(manifest_parses(head + "init m 0a0b0c\n"));      // too long
  EXPECT_FALSE(manifest_parses(head + "init m 0g0a\n"));        // not hexadecimal
  EXPECT_FALSE(manifest_parses(head + "init d 0a0b\n"));        // not managed
  EXPECT_FALSE(manifest_parses(head + "init x 0a0b\n"));        // unknown
  EXPECT_FALSE(manifest_parses(head + "init m 0a0b\ninit m 0a0b\n")); // twice
  EXPECT_FALSE(manifest_parses("cuport-manifest 1\ninit m 0a0b\nvar m 2 managed\n")); // before its var
  EXPECT_FALSE(manifest_parses("cuport-manifest 1\nvar m 9223372036854775809 managed\ninit m 0a0b\n"));
}

TEST(Fatbin, EmptyContainerIsValid) {
  std::vector<uint8_t> b = build_fatbin({});
  cuport::FatbinContents c;
  std::string why;
  EXPECT_TRUE(cuport::parse_fatbin(b.data(), b.size(), &c, &why)) << why;
  EXPECT_FALSE(c.has_manifest);
}

TEST(Fatbin, EveryTruncationIsRejected) {
  std::vector<uint8_t> b = valid();
  for (size_t n = 0; n < b.size(); ++n) {
    std::vector<uint8_t> t(b.begin(), b.begin() + n);
    cuport::FatbinContents c;
    std::string why;
    EXPECT_FALSE(cuport::parse_fatbin(t.data(), t.size(), &c, &why)) << "prefix " << n;
  }
}

TEST(Fatbin, BadMagicAndVersion) {
  std::vector<uint8_t> b = valid();
  b[0] = 'X';
  std::string why;
  EXPECT_FALSE(parses(b, &why));
  EXPECT_NE(why.find("magic"), std::string::npos);
  EXPECT_EQ(cuport::fatbin_declared_size(b.data()), 0u);
  b = valid();
  cuport_test::put_u32(b, 8, 2);
  EXPECT_FALSE(parses(b));
  EXPECT_EQ(cuport::fatbin_declared_size(b.data()), 0u);
}

TEST(Fatbin, SmallHeaderOrEntrySizeRejected) {
  std::vector<uint8_t> b = valid();
  cuport_test::put_u32(b, 12, 16);
  EXPECT_FALSE(parses(b));
  b = valid();
  cuport_test::put_u32(b, 28, 40);
  EXPECT_FALSE(parses(b));
}

TEST(Fatbin, TotalSizeBeyondBufferRejected) {
  std::vector<uint8_t> b = valid();
  cuport_test::put_u64(b, 16, b.size() + 1);
  EXPECT_FALSE(parses(b));
  cuport_test::put_u64(b, 16, UINT64_MAX);
  EXPECT_FALSE(parses(b));
}

TEST(Fatbin, EntryTableOverflowRejected) {
  std::vector<uint8_t> b = valid();
  cuport_test::put_u32(b, 24, 0xffffffffu);
  EXPECT_FALSE(parses(b));
  b = valid();
  cuport_test::put_u32(b, 28, 0xffffffffu);
  EXPECT_FALSE(parses(b));
  b = valid();
  cuport_test::put_u32(b, 12, 0xffffffffu);
  EXPECT_FALSE(parses(b));
}

TEST(Fatbin, OverflowingPayloadOffsetsRejected) {
  const size_t e1 = cuport_test::kHeaderSize + cuport_test::kEntrySize;  // the image entry
  std::vector<uint8_t> b = valid();
  cuport_test::put_u64(b, e1 + cuport_test::kEntryOffsetField, UINT64_MAX - 3);
  std::string why;
  EXPECT_FALSE(parses(b, &why));
  EXPECT_NE(why.find("out of bounds"), std::string::npos) << why;
  b = valid();
  cuport_test::put_u64(b, e1 + cuport_test::kEntrySizeField, UINT64_MAX);
  EXPECT_FALSE(parses(b));
  b = valid();
  cuport_test::put_u64(b, e1 + cuport_test::kEntryOffsetField, b.size());
  cuport_test::put_u64(b, e1 + cuport_test::kEntrySizeField, 1);
  EXPECT_FALSE(parses(b));
  // An empty payload exactly at the end is in bounds.
  cuport_test::put_u64(b, e1 + cuport_test::kEntrySizeField, 0);
  EXPECT_TRUE(parses(b));
}

TEST(Fatbin, TargetWithoutNulRejected) {
  const size_t e1 = cuport_test::kHeaderSize + cuport_test::kEntrySize;
  std::vector<uint8_t> b = valid();
  std::memset(&b[e1 + cuport_test::kEntryTargetField], 'a', CUPORT_FATBIN_TARGET_LEN);
  std::string why;
  EXPECT_FALSE(parses(b, &why));
  EXPECT_NE(why.find("NUL"), std::string::npos) << why;
}

TEST(Fatbin, TwoManifestsRejected) {
  EXPECT_FALSE(parses(build_fatbin({manifest_entry(kManifest), manifest_entry(kManifest)})));
}

TEST(Fatbin, UnknownKindsAndTargetsSkipped) {
  cuport_test::Entry odd{77, "x", {1, 2, 3}};
  std::vector<uint8_t> b = build_fatbin({odd, manifest_entry(kManifest), image_entry("gpu-of-the-future", {9})});
  cuport::FatbinContents c;
  std::string why;
  ASSERT_TRUE(cuport::parse_fatbin(b.data(), b.size(), &c, &why)) << why;
  EXPECT_EQ(c.find_image(CUPORT_TARGET_CPU), nullptr);
  EXPECT_NE(c.find_image("gpu-of-the-future"), nullptr);
}

TEST(Fatbin, BadManifestRejectsContainer) {
  EXPECT_FALSE(parses(build_fatbin({manifest_entry("not a manifest\n")})));
}

TEST(Manifest, Valid) {
  EXPECT_TRUE(manifest_parses(kManifest));
  EXPECT_TRUE(manifest_parses("cuport-manifest 1"));
  EXPECT_TRUE(manifest_parses("cuport-manifest 1\r\nkernel k 0 0\r\n"));
  EXPECT_TRUE(manifest_parses(std::string("cuport-manifest 1\nkernel k 0 0\n\0\0\0", 34)));
  EXPECT_TRUE(manifest_parses("cuport-manifest 1\nfuture-keyword a b c\n\nkernel k 1 4\nparam 0 4 4\n"));
}

TEST(Manifest, Malformed) {
  EXPECT_FALSE(manifest_parses(""));
  EXPECT_FALSE(manifest_parses("cuport-manifest 2\n"));
  EXPECT_FALSE(manifest_parses("cuport-manifest 1\nkernel k 2 16\nparam 0 8 8\n"));          // too few params
  EXPECT_FALSE(manifest_parses("cuport-manifest 1\nkernel k 1 16\nvar v 4 device\n"));       // not a param line
  EXPECT_FALSE(manifest_parses("cuport-manifest 1\nkernel k 1 4\nparam 0 8 8\n"));           // exceeds buffer
  EXPECT_FALSE(manifest_parses("cuport-manifest 1\nkernel k 1 16\nparam 0 8 3\n"));          // align not 2^n
  EXPECT_FALSE(manifest_parses("cuport-manifest 1\nkernel k 1 16\nparam 4 8 8\n"));          // misaligned
  EXPECT_FALSE(manifest_parses("cuport-manifest 1\nkernel k 1 16\nparam 0 8 0\n"));          // align 0
  EXPECT_FALSE(manifest_parses("cuport-manifest 1\nkernel k 1 16\nparam 0 8\n"));            // field count
  EXPECT_FALSE(manifest_parses("cuport-manifest 1\nkernel k 0 0\nkernel k 0 0\n"));          // duplicate
  EXPECT_FALSE(manifest_parses("cuport-manifest 1\nparam 0 4 4\n"));                         // stray param
  EXPECT_FALSE(manifest_parses("cuport-manifest 1\nkernel k 99999999999999999999 0\n"));     // overflow
  EXPECT_FALSE(manifest_parses("cuport-manifest 1\nkernel k 4294967295 0\n"));               // count > lines
  EXPECT_FALSE(manifest_parses("cuport-manifest 1\nkernel k -1 0\n"));
  EXPECT_FALSE(manifest_parses("cuport-manifest 1\nkernel k  0 0\n"));                       // double space
  EXPECT_FALSE(manifest_parses("cuport-manifest 1\nkernel k 1 4294967295\nparam 4294967295 1 1\n"));
  EXPECT_FALSE(manifest_parses("cuport-manifest 1\nvar v 4 texture\n"));
  EXPECT_FALSE(manifest_parses("cuport-manifest 1\nvar v 4 device\nvar v 4 device\n"));
  EXPECT_FALSE(manifest_parses(std::string("cuport-manifest 1\nkernel k\0 0 0\n", 30)));    // embedded NUL
}

// Random corruption of valid containers must never crash or read out of bounds (run under ASan in CI).
TEST(Fatbin, RandomMutationsDoNotCrash) {
  std::mt19937 rng(12345);
  const std::vector<uint8_t> base = valid();
  int accepted = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::vector<uint8_t> b = base;
    const int flips = 1 + int(rng() % 4);
    for (int f = 0; f < flips; ++f) b[rng() % b.size()] = uint8_t(rng());
    if (rng() % 8 == 0) b.resize(rng() % b.size());
    cuport::FatbinContents c;
    std::string why;
    if (cuport::parse_fatbin(b.data(), b.size(), &c, &why)) {
      ++accepted;
      for (const cuport::FatbinImage& img : c.images) {
        ASSERT_GE(img.data, b.data());
        ASSERT_LE(img.data + img.size, b.data() + b.size());
      }
    }
  }
  EXPECT_GT(accepted, 0);
}

}  // namespace

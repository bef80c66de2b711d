// Test helper: writes a Clang offload bundle (backends/hip/offload_bundle.h) from (entry id, bytes) pairs,
// the payloads one after the other at the end, in entry order.
#ifndef CUPORT_TESTS_HIP_BUNDLE_WRITER_H
#define CUPORT_TESTS_HIP_BUNDLE_WRITER_H

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace cuport_hip_test {

inline void put_u64(std::vector<unsigned char>* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<unsigned char>(v >> (8 * i)));
}

inline void set_u64(std::vector<unsigned char>* out, size_t at, uint64_t v) {
  for (int i = 0; i < 8; ++i) (*out)[at + i] = static_cast<unsigned char>(v >> (8 * i));
}

// Byte offset, within the bundle write_bundle makes, of entry i's offset field (its size field follows).
inline size_t entry_field_offset(const std::vector<std::pair<std::string, std::string>>& entries, size_t i) {
  size_t pos = 24 + 8;
  for (size_t j = 0; j < i; ++j) pos += 24 + entries[j].first.size();
  return pos;
}

inline std::vector<unsigned char> write_bundle(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::vector<unsigned char> out(reinterpret_cast<const unsigned char*>("__CLANG_OFFLOAD_BUNDLE__"),
                                 reinterpret_cast<const unsigned char*>("__CLANG_OFFLOAD_BUNDLE__") + 24);
  put_u64(&out, entries.size());
  size_t header = out.size();
  for (const auto& e : entries) header += 24 + e.first.size();
  uint64_t offset = header;
  for (const auto& e : entries) {
    put_u64(&out, e.second.empty() ? 0 : offset);
    put_u64(&out, e.second.size());
    put_u64(&out, e.first.size());
    out.insert(out.end(), e.first.begin(), e.first.end());
    offset += e.second.size();
  }
  for (const auto& e : entries) out.insert(out.end(), e.second.begin(), e.second.end());
  return out;
}

}  // namespace cuport_hip_test

#endif

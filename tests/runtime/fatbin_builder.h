// Test helper: writes cuport fat-binary containers (docs/fatbin.md) in memory.
#ifndef CUPORT_TESTS_FATBIN_BUILDER_H
#define CUPORT_TESTS_FATBIN_BUILDER_H

#include <cstdint>
#include <string>
#include <vector>

namespace cuport_test {

struct Entry {
  uint32_t kind;
  std::string target;
  std::vector<uint8_t> payload;
};

// Header, entry table, then each payload 16-byte aligned.
std::vector<uint8_t> build_fatbin(const std::vector<Entry>& entries);

Entry manifest_entry(const std::string& text);
Entry image_entry(const std::string& target, std::vector<uint8_t> bytes);

std::vector<uint8_t> read_file(const std::string& path);

// Byte offsets of fields, for tests that corrupt containers.
constexpr size_t kHeaderSize = 32;
constexpr size_t kEntrySize = 72;
constexpr size_t kEntryOffsetField = 8;   // within an entry
constexpr size_t kEntrySizeField = 16;
constexpr size_t kEntryTargetField = 24;

void put_u32(std::vector<uint8_t>& b, size_t at, uint32_t v);
void put_u64(std::vector<uint8_t>& b, size_t at, uint64_t v);

}  // namespace cuport_test

#endif

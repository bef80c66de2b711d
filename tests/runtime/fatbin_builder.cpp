#include "fatbin_builder.h"

#include <cstring>
#include <fstream>
#include <iterator>

#include <cuport/fatbin.h>

namespace cuport_test {

void put_u32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = uint8_t(v >> (8 * i));
}

void put_u64(std::vector<uint8_t>& b, size_t at, uint64_t v) {
  for (int i = 0; i < 8; ++i) b[at + i] = uint8_t(v >> (8 * i));
}

std::vector<uint8_t> build_fatbin(const std::vector<Entry>& entries) {
  size_t pos = kHeaderSize + kEntrySize * entries.size();
  std::vector<size_t> offsets;
  for (const Entry& e : entries) {
    pos = (pos + 15) / 16 * 16;
    offsets.push_back(pos);
    pos += e.payload.size();
  }
  std::vector<uint8_t> b(pos, 0);
  std::memcpy(b.data(), CUPORT_FATBIN_MAGIC, 8);
  put_u32(b, 8, CUPORT_FATBIN_VERSION);
  put_u32(b, 12, kHeaderSize);
  put_u64(b, 16, pos);
  put_u32(b, 24, uint32_t(entries.size()));
  put_u32(b, 28, kEntrySize);
  for (size_t i = 0; i < entries.size(); ++i) {
    const size_t at = kHeaderSize + i * kEntrySize;
    put_u32(b, at, entries[i].kind);
    put_u32(b, at + 4, 0);
    put_u64(b, at + kEntryOffsetField, offsets[i]);
    put_u64(b, at + kEntrySizeField, entries[i].payload.size());
    std::memcpy(&b[at + kEntryTargetField], entries[i].target.c_str(),
                std::min<size_t>(entries[i].target.size(), CUPORT_FATBIN_TARGET_LEN - 1));
    if (!entries[i].payload.empty()) std::memcpy(&b[offsets[i]], entries[i].payload.data(), entries[i].payload.size());
  }
  return b;
}

Entry manifest_entry(const std::string& text) {
  return Entry{CUPORT_FATBIN_MANIFEST, "", std::vector<uint8_t>(text.begin(), text.end())};
}

Entry image_entry(const std::string& target, std::vector<uint8_t> bytes) {
  return Entry{CUPORT_FATBIN_IMAGE, target, std::move(bytes)};
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace cuport_test

// Test tool: cuport-test-mkfatbin OUT MANIFEST [TARGET IMAGE]...  writes a container (docs/fatbin.md).
#include <cstdio>
#include <fstream>
#include <string>

#include "fatbin_builder.h"

int main(int argc, char** argv) {
  if (argc < 3 || (argc - 3) % 2 != 0) {
    std::fprintf(stderr, "usage: %s OUT MANIFEST [TARGET IMAGE]...\n", argv[0]);
    return 2;
  }
  std::vector<uint8_t> manifest = cuport_test::read_file(argv[2]);
  std::vector<cuport_test::Entry> entries{
      cuport_test::manifest_entry(std::string(manifest.begin(), manifest.end()))};
  for (int i = 3; i < argc; i += 2) entries.push_back(cuport_test::image_entry(argv[i], cuport_test::read_file(argv[i + 1])));
  const std::vector<uint8_t> blob = cuport_test::build_fatbin(entries);
  std::ofstream out(argv[1], std::ios::binary);
  out.write(reinterpret_cast<const char*>(blob.data()), std::streamsize(blob.size()));
  return out ? 0 : 1;
}

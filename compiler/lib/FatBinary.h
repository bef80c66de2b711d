// Writer of the fat-binary container (include/cuport/fatbin.h, docs/fatbin.md).
#ifndef CUPORT_COMPILER_FATBINARY_H
#define CUPORT_COMPILER_FATBINARY_H

#include <string>
#include <vector>

namespace cuport {

struct FatBinaryImage {
  std::string Target; // e.g. CUPORT_TARGET_CPU
  std::string Bytes;
};

std::string writeFatBinary(const std::string &Manifest, const std::vector<FatBinaryImage> &Images);

} // namespace cuport

#endif

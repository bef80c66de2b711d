// libFuzzer target: cuport-cc's nvcc-compatible command-line parser.  Input: arguments separated by NUL
// bytes.  Any command line gives options, notes or errors, never a crash.
#include "Options.h"

#include <cstdint>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::vector<std::string> args;
  std::string cur;
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      args.push_back(cur);
      cur.clear();
    } else {
      cur += char(data[i]);
    }
  }
  if (!cur.empty())
    args.push_back(cur);
  cuport::DriverOptions o = cuport::parseCommandLine(args);
  (void)o;
  return 0;
}

// nvcc-compatible command line of cuport-cc.
#ifndef CUPORT_CC_OPTIONS_H
#define CUPORT_CC_OPTIONS_H

#include <string>
#include <vector>

namespace cuport {

enum class InputKind { Cuda, Cxx, C, Object };

struct Input {
  std::string Path;
  InputKind Kind;
};

struct DriverOptions {
  std::vector<Input> Inputs;
  std::string Output;
  bool CompileOnly = false;       // -c
  bool Shared = false;            // -shared
  bool Relocatable = false;       // -rdc=true / -dc: relocatable device code
  bool DeviceLink = false;        // -dlink: only the device link object
  int HostOptLevel = 0;           // -O<n>: host code, as with nvcc
  int DeviceOptLevel = 3;         // device code: -O3 unless -G or -dopt
  bool Debug = false;             // -g
  bool DeviceDebug = false;       // -G
  bool LineInfo = false;          // -lineinfo
  bool Memcheck = false;          // --memcheck (implied by -G): checked CPU image, docs/memcheck.md
  std::string Std;                // c++17 ...
  std::vector<std::string> PreprocessorFlags; // -I, -D, -U, -isystem, -include in command-line order
  std::vector<std::string> HostFlags;         // -Xcompiler and pass-through host flags
  std::vector<std::string> DependencyFlags;   // -M, -MD, -MF ... for the host pass
  std::vector<std::string> LinkFlags;         // -L, -l, -Xlinker (as -Wl,)
  std::string CpuTarget = "native";           // --cpu-target
  unsigned CpuVectorWidth = 512;              // --cpu-vector-width (bits)
  bool OpenCLImage = true;                    // --cuport-targets=cpu[,opencl][,amdgcn][,ptx]
  bool AMDGPUImage = true;
  bool PTXImage = true;
  std::string OffloadArchs;                   // --offload-arch=gfx90a,gfx1100 ("" = the default list)
  bool Verbose = false, DryRun = false, Keep = false, ShowVersion = false, ShowHelp = false;
  std::string KeepDir;
  std::vector<std::string> Notes;   // accepted-but-ignored options, shown once
  std::vector<std::string> VerboseNotes; // the same, shown only with -v (-arch/-gencode, which every build passes)
  std::vector<std::string> Errors;
};

DriverOptions parseCommandLine(const std::vector<std::string> &Args);

} // namespace cuport

#endif

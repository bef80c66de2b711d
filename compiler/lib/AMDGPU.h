// The AMDGPU lowering: NVPTX IR from Clang's CUDA device pass -> one ELF code object per GPU architecture,
// packed in a Clang offload bundle (the "amdgcn-amd-amdhsa" image, docs/fatbin.md), which the HIP backend
// loads with hipModuleLoadData.
//
//   inlineIntoKernels        (Passes.h) every device function inlined into its kernels
//   lowerNVVMIntrinsicsIn    (Passes.h, NVVMTarget::Device) special registers, barriers and warp collectives
//                            become calls of the HIP device runtime (backends/hip/devrt/devrt.c)
//   lowerAMDGPULibraryCalls  C math functions and math intrinsics -> the ROCm device library (ocml),
//                            device printf/assert -> ockl's hostcall printf; per kernel, so a kernel that
//                            uses something the target lacks is left out with its reason
//   retargetToAMDGPU         triple and data layout, private memory in address space 5, the kernel calling
//                            convention and its by-value aggregates, symbol visibility, per-target attributes
//   lowerModuleToAMDGPU      all of the above, then per architecture: link the device runtime and the device
//                            libraries, optimize, generate code, link the code object with lld
#ifndef CUPORT_COMPILER_AMDGPU_H
#define CUPORT_COMPILER_AMDGPU_H

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace llvm {
class Function;
class LLVMContext;
class Module;
class TargetMachine;
} // namespace llvm

namespace cuport {

class Diagnostics;

// One GPU architecture ("gfx90a", "gfx1100", ...).
struct AMDGPUArch {
  std::string Name;
  bool Wave64 = true;       // gfx9 and older: 64-lane wavefronts only; gfx10+: compiled for wave32
  unsigned IsaVersion = 0;  // ROCm device-library control number: gfx90a -> 910, gfx1100 -> 1100
};
// Parses "gfx90a", "gfx1030", ... (target features after ':' are not accepted); false if unknown.
bool parseAMDGPUArch(const std::string &Name, AMDGPUArch &Arch, std::string &Error);
// The architectures cuport-cc compiles for unless told otherwise.
const char *defaultAMDGPUArchs();

struct AMDGPUOptions {
  std::vector<AMDGPUArch> Archs;
  int OptLevel = 2;
  std::string DeviceLibDir;  // ROCm device libraries: ocml.bc, ockl.bc, oclc_*.bc
  std::string DevrtDir;      // libcuport-amdgcn-devrt-wave{32,64}.bc
  std::string Linker;        // ld.lld
  std::string TempDir;       // where objects and code objects are written
  bool KeepDebugInfo = false;
  // Runs a command line; returns its exit status (the driver's exec, which honours -v and -dryrun).
  std::function<int(const std::vector<std::string> &)> Exec;
};

// Rewrites the library calls of one kernel (after inlining and NVVM lowering).  `Ocml` is the ROCm device
// math library (its declarations are what calls are checked against).  False (with the reason in Diags)
// when the kernel calls something the AMDGPU target does not provide.
bool lowerAMDGPULibraryCalls(llvm::Function &Kernel, const llvm::Module *Ocml, Diagnostics &Diags);
// Makes the module an amdgcn-amd-amdhsa module for TM's architecture.
bool retargetToAMDGPU(llvm::Module &M, llvm::TargetMachine &TM, Diagnostics &Diags);
std::unique_ptr<llvm::TargetMachine> createAMDGPUTargetMachine(const AMDGPUArch &Arch, int OptLevel,
                                                               std::string &Error);

// Inlining, NVVM and library-call lowering of every kernel (the architecture-independent part).  Returns
// the "<mangled name> <file:line: reason>" lines of the kernels it removed because AMDGPU cannot run them.
std::string lowerKernelsForAMDGPU(llvm::Module &M, const std::string &Name, const llvm::Module *Ocml);
std::unique_ptr<llvm::Module> loadOcml(const std::string &DeviceLibDir, llvm::LLVMContext &C, std::string &Error);

// The whole image: a Clang offload bundle with one code object per architecture, plus an entry
// "cuport-unsupported" listing each kernel left out ("<mangled name> <file:line: reason>" lines).  Returns
// "" with the reason in Error when no code object can be built at all.
std::string lowerModuleToAMDGPU(llvm::Module &M, const std::string &Name, const AMDGPUOptions &Opts,
                                std::string &Error);

// Clang offload bundle ("__CLANG_OFFLOAD_BUNDLE__"), as clang-offload-bundler writes it for HIP.
struct BundleEntry {
  std::string Id;   // "hipv4-amdgcn-amd-amdhsa--gfx90a", "host-x86_64-unknown-linux--", ...
  std::string Data;
};
std::string writeOffloadBundle(const std::vector<BundleEntry> &Entries);

} // namespace cuport

#endif

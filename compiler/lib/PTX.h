// The PTX lowering: NVPTX IR from Clang's CUDA device pass -> PTX assembly (the "nvptx64-ptx" image,
// docs/fatbin.md), which the cuda backend hands to the Nvidia driver (cuModuleLoadData; the driver compiles
// it for the GPU it finds, so one PTX target serves Volta through Hopper and later).
//
// The IR already targets NVPTX, so little changes: kernels keep their !nvvm.annotations, the special
// registers, barriers and warp intrinsics stay the hardware's own, and device printf/assert/malloc are the
// driver's vprintf/__assertfail/malloc.  What cuport must still decide is which calls the GPU can serve:
// a kernel that reaches a function with no PTX definition (a C math function: cuport has no NVPTX math
// library yet, and never uses the toolkit's libdevice) is left out, named with its file:line in a
// "// cuport-unsupported" line of the PTX, so the rest of the program still runs.
#ifndef CUPORT_COMPILER_PTX_H
#define CUPORT_COMPILER_PTX_H

#include <string>

namespace llvm {
class Module;
} // namespace llvm

namespace cuport {

struct PTXOptions {
  std::string Arch = "sm_70"; // the PTX .target: what every GPU from Volta on can JIT-compile
  int OptLevel = 3;
  bool LineInfo = false;      // keep .loc line information (-lineinfo, -G, -g)
};

// Removes the kernels that reach a call the GPU cannot serve; returns their
// "<mangled name> <file:line: reason>" lines.
std::string filterKernelsForPTX(llvm::Module &M, const std::string &Name);

// The whole image: PTX text, preceded by the "// cuport-unsupported" lines.  "" with Error set when the
// PTX cannot be generated at all.
std::string lowerModuleToPTX(llvm::Module &M, const std::string &Name, const PTXOptions &Opts,
                             std::string &Error);

} // namespace cuport

#endif

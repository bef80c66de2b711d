// The PTX lowering: NVPTX IR from Clang's CUDA device pass -> PTX assembly (the "nvptx64-ptx" image,
// docs/fatbin.md), which the cuda backend hands to the Nvidia driver (cuModuleLoadData; the driver compiles
// it for the GPU it finds, so one PTX target serves Volta through Hopper and later).
//
// The IR already targets NVPTX, so little changes: kernels keep their !nvvm.annotations, the special
// registers, barriers and warp intrinsics stay the hardware's own, and device printf/assert/malloc are the
// driver's vprintf/__assertfail/malloc.  The C math functions (sinf, exp, pow, erf, ...) and the LLVM math
// intrinsics NVPTX cannot lower come from cuport's own NVPTX math library (libcuport-ptx-devmath.bc,
// backends/cuda/devmath; cuport never uses the toolkit's libdevice), linked into the module first.  A kernel
// that still reaches a function with no PTX definition is left out, named with its file:line in a
// "// cuport-unsupported" line of the PTX, so the rest of the program still runs.
#ifndef CUPORT_COMPILER_PTX_H
#define CUPORT_COMPILER_PTX_H

#include <string>

namespace llvm {
class Module;
} // namespace llvm

namespace cuport {

// <prefix>/lib/libcuport-ptx-devmath.bc for the running program's <prefix>/bin (cuport-cc's and cuport-opt's
// layout, in the build tree and in an installed tree alike).
std::string defaultPTXMathLibrary();

struct PTXOptions {
  std::string Arch = "sm_70"; // the PTX .target: what every GPU from Volta on can JIT-compile
  int OptLevel = 3;
  bool LineInfo = false;      // keep .loc line information (-lineinfo, -G, -g)
  // The NVPTX device math library (bitcode).  "" or a file that is missing or unreadable: no library, and
  // kernels calling C math functions are left out as unsupported.
  std::string MathLibrary = defaultPTXMathLibrary();
};

// Rewrites the math intrinsics NVPTX cannot lower (llvm.sin, llvm.pow, llvm.lrint, ...) and frem (which
// it would lower inexactly) into calls of the C functions, and links the definitions the module needs from
// the math library at Path.  Returns false, leaving M unchanged, when the library cannot be read.
bool linkPTXMathLibrary(llvm::Module &M, const std::string &Path);

// Removes the kernels that reach a call the GPU cannot serve; returns their
// "<mangled name> <file:line: reason>" lines.  MathLibraryLinked only words the reason for math functions.
std::string filterKernelsForPTX(llvm::Module &M, const std::string &Name, bool MathLibraryLinked = false);

// The whole image: PTX text, preceded by the "// cuport-unsupported" lines.  "" with Error set when the
// PTX cannot be generated at all.
std::string lowerModuleToPTX(llvm::Module &M, const std::string &Name, const PTXOptions &Opts,
                             std::string &Error);

} // namespace cuport

#endif

// The OpenCL lowering: NVPTX IR from Clang's CUDA device pass -> one OpenCL C 1.2 program (the "opencl-c"
// image, docs/fatbin.md), which any OpenCL driver can build: no SPIR-V, no generic address space and no
// subgroups are needed.
//
//   inlineIntoKernels    (Passes.h) inlines every device function into its kernels and cleans the IR up
//   layoutOpenCLGlobals  places __device__/__constant__ variables in the module's globals buffer
//   predicateDivergentCollectives  runs thread-guarded regions with collectives on every thread
//   checkUniformCollectives  rejects barriers and warp collectives under thread-dependent control flow
//   writeOpenCLKernel    writes one kernel as OpenCL C: address spaces inferred per pointer, phis as
//                        assignments, control flow as gotos, warp collectives through local memory
//   lowerModuleToOpenCL  all of the above; a kernel that cannot be expressed becomes an `@unsupported`
//                        line naming the construct and its file:line, so the program still runs elsewhere
#ifndef CUPORT_COMPILER_OPENCL_H
#define CUPORT_COMPILER_OPENCL_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace llvm {
class DataLayout;
class GlobalVariable;
class Function;
class Module;
} // namespace llvm

namespace cuport {

class Diagnostics;

// Where each global lives for the OpenCL program.
struct OpenCLGlobals {
  uint64_t Size = 16; // bytes of the globals buffer; the first 16 hold the kernel status word
  std::map<const llvm::GlobalVariable *, uint64_t> Offset;
  std::string Metadata; // the //@globals, //@symbol, //@init and //@reloc lines
};

// Byte offset of the status word kernels set on assert (710) or trap (719).
inline constexpr uint64_t OpenCLStatusOffset = 0;

OpenCLGlobals layoutOpenCLGlobals(llvm::Module &M);
// Makes barriers and warp collectives under a thread-dependent branch uniform where the branch guards a
// single-entry single-exit region (OpenCLPredicate.cpp); true if it changed the kernel.
bool predicateDivergentCollectives(llvm::Function &Kernel);
// False (with the reason in Diags) when a barrier or warp collective sits under thread-dependent control
// flow, which OpenCL's work-group barriers cannot express.
bool checkUniformCollectives(llvm::Function &Kernel, Diagnostics &Diags);
// Appends the kernel's source to `Source` and its //@kernel line to `Metadata`; false (with the reason in
// Diags) when the kernel uses something OpenCL C 1.2 cannot express.
bool writeOpenCLKernel(llvm::Function &Kernel, const OpenCLGlobals &Globals, std::string &Source,
                       std::string &Metadata, Diagnostics &Diags);
// The helper functions every program starts with (warp emulation, float atomics, bit operations).
const char *openCLPrelude();

// The whole image.  `Name` names the translation unit in messages.
std::string lowerModuleToOpenCL(llvm::Module &M, const std::string &Name);

} // namespace cuport

#endif

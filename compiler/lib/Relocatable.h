// Relocatable device code (-rdc=true / -dc): device code of several translation units is linked before it
// is lowered, so kernels may call device functions and use __device__ variables of other files.
//
//   -dc:   Clang compiles both passes with -fgpu-rdc and one -cuid, so internal kernels and variables get
//          the same unique names on both sides and host shadows of __device__ variables are external; the
//          TU's NVPTX bitcode goes into its fat binary (target NvptxBitcodeTarget) with a manifest marked
//          "rdc 1".
//   link:  the bitcode of every such object is linked, lowered once, and registered by a small generated
//          object (__cuportRegisterLinkedImage), which also defines the __cudaRegisterLinkedBinary_<id>
//          functions Clang's rdc host code calls; the runtime resolves every relocatable fat binary's
//          kernels and variables against the one linked image.
#ifndef CUPORT_COMPILER_RELOCATABLE_H
#define CUPORT_COMPILER_RELOCATABLE_H

#include <memory>
#include <string>
#include <vector>

namespace llvm {
class LLVMContext;
class Module;
} // namespace llvm

namespace cuport {

class Diagnostics;

inline constexpr const char *NvptxBitcodeTarget = "llvm-bc-nvptx64";

// Links NVPTX bitcode modules into one.  Null (with diagnostics) on error, e.g. a symbol defined twice.
std::unique_ptr<llvm::Module> linkRelocatable(llvm::LLVMContext &Ctx, const std::vector<std::string> &Bitcodes,
                                              Diagnostics &Diags);

} // namespace cuport

#endif

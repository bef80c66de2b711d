#include "Relocatable.h"
#include "Diagnostics.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace llvm;

namespace cuport {

std::unique_ptr<Module> linkRelocatable(LLVMContext &Ctx, const std::vector<std::string> &Bitcodes,
                                        Diagnostics &Diags) {
  std::unique_ptr<Module> Result;
  for (size_t I = 0; I < Bitcodes.size(); ++I) {
    auto Buf = MemoryBuffer::getMemBuffer(Bitcodes[I], "relocatable device code", false);
    Expected<std::unique_ptr<Module>> M = parseBitcodeFile(Buf->getMemBufferRef(), Ctx);
    if (!M) {
      Diags.error("cannot read relocatable device code: " + toString(M.takeError()));
      return nullptr;
    }
    if (!Result) {
      Result = std::move(*M);
      continue;
    }
    // Kernels are listed in !nvvm.annotations; the linker appends named metadata of both modules.
    if (Linker::linkModules(*Result, std::move(*M))) {
      Diags.error("linking relocatable device code failed (a device function or variable is defined in more "
                  "than one file?)");
      return nullptr;
    }
  }
  if (!Result)
    Diags.error("no relocatable device code to link");
  return Result;
}

} // namespace cuport

// Pass 1: find the kernels Clang listed in !nvvm.annotations and mark them with the "cuport-kernel"
// attribute (kernel-ness must survive retargeting, which drops NVPTX metadata).
#include "Diagnostics.h"
#include "Passes.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Metadata.h"
#include "llvm/IR/Module.h"

using namespace llvm;

namespace cuport {

bool collectKernels(Module &M, Diagnostics &Diags) {
  NamedMDNode *Annotations = M.getNamedMetadata("nvvm.annotations");
  if (!Annotations)
    return true;
  for (MDNode *Node : Annotations->operands()) {
    if (Node->getNumOperands() < 3)
      continue;
    auto *FnMD = dyn_cast_or_null<ValueAsMetadata>(Node->getOperand(0).get());
    auto *Key = dyn_cast_or_null<MDString>(Node->getOperand(1).get());
    if (!FnMD || !Key)
      continue;
    auto *F = dyn_cast<Function>(FnMD->getValue()->stripPointerCasts());
    if (!F)
      continue;
    if (Key->getString() == "kernel") {
      F->addFnAttr(KernelAttr);
      if (!F->getReturnType()->isVoidTy())
        Diags.error(F, "a __global__ function must return void");
    } else if (Key->getString() == "maxntidx") {
      // __launch_bounds__(N): keep the limit for the runtime's launch checks.
      if (auto *C = mdconst::dyn_extract<ConstantInt>(Node->getOperand(2)))
        F->addFnAttr("cuport-max-threads", std::to_string(C->getZExtValue()));
    }
  }
  Annotations->eraseFromParent();
  return !Diags.hasErrors();
}

} // namespace cuport

// Pass 2: make the NVPTX module a host module.  NVPTX64 and x86-64 Linux agree on the sizes and ABI
// alignments of every type CUDA device code uses (Clang lays out device types like the host's), so
// changing the data layout keeps the kernels' memory layout.  Address spaces stay as Clang produced them:
// on x86-64 address spaces 1, 3 and 4 are ordinary memory and casts between them are no-ops.
#include "Diagnostics.h"
#include "Passes.h"

#include "llvm/IR/Function.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Module.h"
#include "llvm/Target/TargetMachine.h"

#include <string>

using namespace llvm;

namespace cuport {

namespace {
constexpr unsigned SharedAS = 3;
}

void setVectorWidth(Module &M, unsigned Bits) {
  for (Function &F : M)
    if (!F.isDeclaration())
      F.addFnAttr("prefer-vector-width", std::to_string(Bits));
}

bool retargetToHost(Module &M, TargetMachine &TM, Diagnostics &Diags) {
  M.setTargetTriple(TM.getTargetTriple().str());
  M.setDataLayout(TM.createDataLayout());
  std::string CPU = TM.getTargetCPU().str();
  std::string Features = TM.getTargetFeatureString().str();

  for (Function &F : M) {
    F.removeFnAttr("target-cpu");
    F.removeFnAttr("target-features");
    F.removeFnAttr("tune-cpu");
    if (F.isDeclaration())
      continue;
    F.addFnAttr("target-cpu", CPU);
    if (!Features.empty())
      F.addFnAttr("target-features", Features);
    // Keep frame pointers out of the hot loops; debuggers still have DWARF CFI.
    F.removeFnAttr("frame-pointer");
    if (F.hasFnAttribute(KernelAttr))
      continue;
    // Device code is one whole program per translation unit: nothing but the kernels needs a symbol.
    F.setLinkage(GlobalValue::InternalLinkage);
    F.setComdat(nullptr);
  }

  for (GlobalVariable &G : M.globals()) {
    unsigned AS = G.getAddressSpace();
    if (isDeviceVariable(G)) {
      // __device__ / __constant__ variables: the runtime finds them by name (cudaMemcpyToSymbol).
      G.setLinkage(GlobalValue::ExternalLinkage);
      G.setVisibility(GlobalValue::DefaultVisibility);
      G.setDSOLocal(true);
      G.setComdat(nullptr);
    } else if (AS == SharedAS && G.isDeclaration()) {
      // extern __shared__: handled by lowerSharedMemory.
    } else if (G.isDeclaration() && !G.getName().startswith("llvm.") && AS != SharedAS) {
      Diags.error("device code refers to the variable '" + G.getName() +
                  "' defined in another translation unit; relocatable device code (-rdc) is not supported "
                  "yet");
    }
  }
  return !Diags.hasErrors();
}

} // namespace cuport

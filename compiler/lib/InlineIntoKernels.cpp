// The first step of the OpenCL and AMDGPU lowerings: make each kernel self-contained.  OpenCL C 1.2 has no
// generic address space, so a device function that receives pointers into different memories would need one
// clone per combination; inlining every device function into its kernels gives the same result and lets the
// writer see, for each pointer, the one memory it addresses.  On AMDGPU it gives the same address-space
// inference (flat accesses become global/LDS ones), and an unsupported construct belongs to exactly the
// kernels that use it.  Then the usual clean-up (SROA turns Clang's allocas into values) and address-space
// inference from the NVPTX generic space.
#include "Diagnostics.h"
#include "PassRunner.h"
#include "Passes.h"

#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/IPO/AlwaysInliner.h"
#include "llvm/Transforms/IPO/GlobalDCE.h"
#include "llvm/Transforms/InstCombine/InstCombine.h"
#include "llvm/Transforms/Scalar/DCE.h"
#include "llvm/Transforms/Scalar/EarlyCSE.h"
#include "llvm/Transforms/Scalar/InferAddressSpaces.h"
#include "llvm/Transforms/Scalar/SROA.h"
#include "llvm/Transforms/Scalar/SimplifyCFG.h"

using namespace llvm;

namespace cuport {

bool inlineIntoKernels(Module &M, Diagnostics &Diags) {
  if (!collectKernels(M, Diags))
    return false;
  // Symbols stay alive because they are external; the used-lists only hold address-space casts of them.
  for (const char *Name : {"llvm.used", "llvm.compiler.used"})
    if (GlobalVariable *GV = M.getGlobalVariable(Name))
      GV->eraseFromParent();
  for (Function &F : M) {
    if (F.isDeclaration())
      continue;
    F.removeFnAttr("target-cpu");
    F.removeFnAttr("target-features");
    if (F.hasFnAttribute(KernelAttr))
      continue;
    F.removeFnAttr(Attribute::NoInline);
    F.removeFnAttr(Attribute::OptimizeNone);
    F.addFnAttr(Attribute::AlwaysInline);
    F.setLinkage(GlobalValue::InternalLinkage);
  }
  for (Function &F : M)
    if (F.hasFnAttribute(KernelAttr)) {
      F.removeFnAttr(Attribute::OptimizeNone);
      F.removeFnAttr(Attribute::NoInline);
    }

  PassBuilder PB;
  runModulePipeline(M, PB, [](PassBuilder &, ModulePassManager &MPM) {
    MPM.addPass(AlwaysInlinerPass(/*InsertLifetimeIntrinsics=*/false));
    MPM.addPass(GlobalDCEPass());
    FunctionPassManager FPM;
    FPM.addPass(SROAPass());
    FPM.addPass(EarlyCSEPass(true));
    FPM.addPass(InstCombinePass());
    FPM.addPass(SimplifyCFGPass());
    FPM.addPass(InferAddressSpacesPass(/*NVPTX generic=*/0));
    FPM.addPass(SROAPass());
    FPM.addPass(InstCombinePass());
    FPM.addPass(SimplifyCFGPass());
    FPM.addPass(DCEPass());
    MPM.addPass(createModuleToFunctionPassAdaptor(std::move(FPM)));
    MPM.addPass(GlobalDCEPass());
  });

  std::string Msg;
  raw_string_ostream OS(Msg);
  if (verifyModule(M, &OS)) {
    Diags.error("internal error: invalid IR after inlining into the kernels: " + OS.str());
    return false;
  }
  return true;
}

} // namespace cuport

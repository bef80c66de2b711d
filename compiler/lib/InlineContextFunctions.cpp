// Pass 4: every function that needs the executing thread's context — it reads threadIdx & co. (the
// pseudo-intrinsics), touches __shared__ memory, or waits at a barrier, directly or through its callees —
// is inlined into the kernels.  After this pass only kernels use thread context, which is what lets
// lowerSharedMemory lay out shared memory per kernel and formWorkItemLoops see every barrier.
#include "Diagnostics.h"
#include "Passes.h"
#include "PseudoIntrinsics.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Transforms/IPO/AlwaysInliner.h"
#include "llvm/Transforms/IPO/GlobalDCE.h"

using namespace llvm;

namespace cuport {

namespace {

bool refersToSharedMemory(const Value *V, SmallPtrSetImpl<const Constant *> &Seen) {
  if (auto *G = dyn_cast<GlobalVariable>(V))
    return G->getAddressSpace() == 3;
  if (auto *C = dyn_cast<Constant>(V)) {
    if (!Seen.insert(C).second)
      return false;
    for (const Use &U : C->operands())
      if (refersToSharedMemory(U.get(), Seen))
        return true;
  }
  return false;
}

bool usesContextDirectly(const Function &F) {
  SmallPtrSet<const Constant *, 16> Seen;
  for (const Instruction &I : instructions(F)) {
    if (auto *CB = dyn_cast<CallBase>(&I))
      if (isPseudo(CB->getCalledFunction()))
        return true;
    for (const Use &U : I.operands())
      if (isa<Constant>(U.get()) && refersToSharedMemory(U.get(), Seen))
        return true;
  }
  return false;
}

} // namespace

bool inlineContextFunctions(Module &M, Diagnostics &Diags) {
  // Callers of each function.
  DenseMap<Function *, SmallVector<Function *, 4>> Callers;
  for (Function &F : M)
    for (Instruction &I : instructions(F))
      if (auto *CB = dyn_cast<CallBase>(&I))
        if (Function *Callee = CB->getCalledFunction())
          Callers[Callee].push_back(&F);

  // Propagate "needs context" from users up the call graph.
  SetVector<Function *> Needs;
  for (Function &F : M)
    if (!F.isDeclaration() && usesContextDirectly(F))
      Needs.insert(&F);
  for (size_t I = 0; I < Needs.size(); ++I)
    for (Function *Caller : Callers.lookup(Needs[I]))
      Needs.insert(Caller);

  for (Function *F : Needs) {
    if (F->hasFnAttribute(KernelAttr))
      continue;
    F->removeFnAttr(Attribute::NoInline);
    F->removeFnAttr(Attribute::OptimizeNone);
    F->addFnAttr(Attribute::AlwaysInline);
  }

  LoopAnalysisManager LAM;
  FunctionAnalysisManager FAM;
  CGSCCAnalysisManager CGAM;
  ModuleAnalysisManager MAM;
  PassBuilder PB;
  PB.registerModuleAnalyses(MAM);
  PB.registerCGSCCAnalyses(CGAM);
  PB.registerFunctionAnalyses(FAM);
  PB.registerLoopAnalyses(LAM);
  PB.crossRegisterProxies(LAM, FAM, CGAM, MAM);
  ModulePassManager MPM;
  MPM.addPass(AlwaysInlinerPass(/*InsertLifetimeIntrinsics=*/true));
  MPM.addPass(GlobalDCEPass());
  MPM.run(M, MAM);

  // Whatever still needs context outside a kernel could not be inlined.
  for (Function &F : M) {
    if (F.isDeclaration() || F.hasFnAttribute(KernelAttr) || !usesContextDirectly(F))
      continue;
    bool Recursive = false;
    for (Function *Caller : Callers.lookup(&F))
      Recursive |= Caller == &F;
    Diags.error(&F, Twine(Recursive ? "a recursive device function" : "a device function called indirectly") +
                        " that uses threadIdx/blockIdx, __shared__ memory or __syncthreads is not supported "
                        "by the CPU backend");
  }
  return !Diags.hasErrors();
}

} // namespace cuport

// Pass 4b (CPU): atomics on __shared__ memory become plain loads and stores.
//
// A block's threads run on one OS thread of the CPU backend, one after the other inside each barrier-free
// region (the work-item loops), and the block's shared memory belongs to that OS thread alone; so no other
// thread can observe an atomic read-modify-write on shared memory half done, and a locked instruction buys
// nothing (a shared-memory histogram spent most of its time in `lock xadd`).  Runs after
// inline-context-functions (every use of a __shared__ variable is then inside a kernel) and before
// lower-shared-memory (the variables are still addrspace(3) globals, so the pointers are recognizable).
// CUDA's atomic functions are small device functions (include/cuport/device/atomics.h) that are not
// inlined yet: a call that passes a shared pointer to a function containing atomics is inlined first.
// Atomics through pointers whose object is not provably shared stay atomic: they may reach global memory,
// which the blocks of a grid share.
#include "Diagnostics.h"
#include "Passes.h"
#include "PointerUses.h"

#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Dominators.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include "llvm/Transforms/Utils/PromoteMemToReg.h"
#include "llvm/Transforms/Utils/LowerAtomic.h"

using namespace llvm;

namespace cuport {

namespace {
bool hasAtomics(const Function &F) {
  for (const Instruction &I : instructions(F))
    if (isa<AtomicRMWInst>(I) || isa<AtomicCmpXchgInst>(I))
      return true;
  return false;
}

// Clang's unoptimized IR passes pointers through allocas; promoting them lets isSharedPointer see the object.
void promoteAllocas(Function &F) {
  SmallVector<AllocaInst *, 16> Allocas;
  for (Instruction &I : F.getEntryBlock())
    if (auto *AI = dyn_cast<AllocaInst>(&I); AI && isAllocaPromotable(AI))
      Allocas.push_back(AI);
  if (Allocas.empty())
    return;
  DominatorTree DT(F);
  PromoteMemToReg(Allocas, DT);
}

// Inlines the calls of F that pass a shared pointer to a defined function containing atomics (a few
// rounds: atomicInc calls a helper with the pointer, and so on).
void inlineSharedAtomicCalls(Function &F) {
  for (int Round = 0; Round < 4; ++Round) {
    promoteAllocas(F);
    SmallVector<CallInst *, 8> Calls;
    for (Instruction &I : instructions(F))
      if (auto *CI = dyn_cast<CallInst>(&I))
        if (Function *Callee = CI->getCalledFunction();
            Callee && !Callee->isDeclaration() && Callee != &F && hasAtomics(*Callee))
          for (Value *A : CI->args())
            if (A->getType()->isPointerTy() && isSharedPointer(A)) {
              Calls.push_back(CI);
              break;
            }
    if (Calls.empty())
      return;
    for (CallInst *CI : Calls) {
      InlineFunctionInfo IFI;
      InlineFunction(*CI, IFI);
    }
  }
}
} // namespace

bool lowerSharedAtomics(Module &M, Diagnostics &) {
  for (Function &F : M) {
    if (F.isDeclaration())
      continue;
    if (F.hasFnAttribute(KernelAttr)) {
      inlineSharedAtomicCalls(F);
      promoteAllocas(F);
    }
    SmallVector<Instruction *, 16> Work;
    for (Instruction &I : instructions(F)) {
      if (auto *RMW = dyn_cast<AtomicRMWInst>(&I); RMW && isSharedPointer(RMW->getPointerOperand()))
        Work.push_back(RMW);
      else if (auto *CX = dyn_cast<AtomicCmpXchgInst>(&I); CX && isSharedPointer(CX->getPointerOperand()))
        Work.push_back(CX);
      else if (auto *L = dyn_cast<LoadInst>(&I); L && L->isAtomic() && isSharedPointer(L->getPointerOperand()))
        Work.push_back(L);
      else if (auto *S = dyn_cast<StoreInst>(&I); S && S->isAtomic() && isSharedPointer(S->getPointerOperand()))
        Work.push_back(S);
    }
    if (!Work.empty())
      F.addFnAttr(SharedAtomicsAttr);
    for (Instruction *I : Work) {
      if (auto *RMW = dyn_cast<AtomicRMWInst>(I))
        lowerAtomicRMWInst(RMW);
      else if (auto *CX = dyn_cast<AtomicCmpXchgInst>(I))
        lowerAtomicCmpXchgInst(CX);
      else if (auto *L = dyn_cast<LoadInst>(I))
        L->setAtomic(AtomicOrdering::NotAtomic);
      else
        cast<StoreInst>(I)->setAtomic(AtomicOrdering::NotAtomic);
    }
  }
  return true;
}

} // namespace cuport

#include "PointerUses.h"
#include "Diagnostics.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"

using namespace llvm;

namespace cuport {

bool mayWriteThrough(const Value *Ptr) {
  SmallVector<const Value *, 8> Work{Ptr};
  SmallPtrSet<const Value *, 8> Seen;
  while (!Work.empty()) {
    const Value *V = Work.pop_back_val();
    if (!Seen.insert(V).second)
      continue;
    for (const User *U : V->users()) {
      if (isa<LoadInst>(U))
        continue;
      if (isa<GetElementPtrInst>(U) || isa<BitCastInst>(U) || isa<AddrSpaceCastInst>(U) || isa<PHINode>(U) ||
          isa<SelectInst>(U)) {
        Work.push_back(U);
        continue;
      }
      if (auto *II = dyn_cast<IntrinsicInst>(U))
        if ((II->getIntrinsicID() == Intrinsic::memcpy || II->getIntrinsicID() == Intrinsic::memmove) &&
            II->getArgOperand(0) != V)
          continue;
      return true;
    }
  }
  return false;
}

bool isSharedPointer(const Value *Ptr) {
  constexpr unsigned SharedAS = 3;
  if (Ptr->getType()->getPointerAddressSpace() == SharedAS)
    return true;
  const Value *O = getUnderlyingObject(Ptr, /*MaxLookup=*/0);
  return O->getType()->isPointerTy() && O->getType()->getPointerAddressSpace() == SharedAS;
}

namespace {
bool containsReplaced(const Constant *C, function_ref<bool(const GlobalVariable *)> Replaced) {
  if (auto *G = dyn_cast<GlobalVariable>(C))
    return Replaced(G);
  if (isa<ConstantExpr>(C) || isa<ConstantAggregate>(C))
    for (const Use &U : C->operands())
      if (containsReplaced(cast<Constant>(U.get()), Replaced))
        return true;
  return false;
}

// C rebuilt before At with the replaced globals' values (C itself when it contains none).
Value *materialize(Constant *C, Instruction *At, function_ref<bool(const GlobalVariable *)> Replaced,
                   function_ref<Value *(GlobalVariable *, Instruction *)> Replace, Diagnostics &Diags, StringRef What) {
  if (!containsReplaced(C, Replaced))
    return C;
  if (auto *G = dyn_cast<GlobalVariable>(C))
    return Replace(G, At);
  if (auto *CE = dyn_cast<ConstantExpr>(C)) {
    Instruction *I = CE->getAsInstruction(At);
    for (unsigned Op = 0; Op < I->getNumOperands(); ++Op)
      if (auto *OpC = dyn_cast<Constant>(I->getOperand(Op)))
        I->setOperand(Op, materialize(OpC, I, Replaced, Replace, Diags, What));
    return I;
  }
  Diags.error(At, "the address of " + What + " inside a constant aggregate is not supported");
  return C;
}
} // namespace

void replaceGlobalsInOperands(Instruction &I, function_ref<bool(const GlobalVariable *)> Replaced,
                              function_ref<Value *(GlobalVariable *, Instruction *)> Replace, Diagnostics &Diags,
                              StringRef What) {
  for (unsigned Op = 0; Op < I.getNumOperands(); ++Op) {
    auto *C = dyn_cast<Constant>(I.getOperand(Op));
    if (!C || !containsReplaced(C, Replaced))
      continue;
    Instruction *At = &I;
    if (auto *Phi = dyn_cast<PHINode>(&I))
      At = Phi->getIncomingBlock(Op)->getTerminator();
    I.setOperand(Op, materialize(C, At, Replaced, Replace, Diags, What));
  }
}

} // namespace cuport

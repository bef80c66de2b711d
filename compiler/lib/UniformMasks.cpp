// Masked loads and stores whose mask is the same in every lane become a branch around a plain vector load or
// store (Passes.h, 6c).
//
// The loop vectorizer predicates the memory accesses of a region loop's conditional code with masked loads
// and stores even when the condition is loop-invariant: a row-uniform guard (UniformGuards.h) that LLVM did
// not unswitch, because a thread function with eight guards would need 256 copies of the loop.  On AMD's Zen
// cores a masked load of a stream is slow (measured here: eight streams summed with vmaskmovps took 2.8x as
// long as with vmovups; the hardware prefetcher does not seem to follow them) and a masked store is
// microcoded.  When the mask is one bit broadcast to every lane, `if (bit) plain access` computes the same:
// no lane is accessed when the bit is false, all are when it is true, and the branch is perfectly
// predicted, since the bit does not change while the loop runs.
#include "Passes.h"

#include "llvm/Analysis/VectorUtils.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"

using namespace llvm;

namespace cuport {

namespace {

// The mask's one bit when every lane has the same value (a splat, or arithmetic on splats); else null.
Value *uniformBit(IRBuilder<> &B, Value *Mask) {
  if (auto *C = dyn_cast<Constant>(Mask))
    return C->getSplatValue();
  if (!isSplatValue(Mask))
    return nullptr;
  if (Value *S = getSplatValue(Mask))
    return S;
  return B.CreateExtractElement(Mask, B.getInt64(0), "mask.bit");
}

// masked.load(ptr, align, mask, passthru) -> bit ? load(ptr) : passthru;
// masked.store(value, ptr, align, mask) -> if (bit) store(value, ptr).
bool rewrite(IntrinsicInst *II) {
  bool Load = II->getIntrinsicID() == Intrinsic::masked_load;
  Value *Mask = II->getArgOperand(Load ? 2 : 3);
  IRBuilder<> B(II);
  Value *Bit = uniformBit(B, Mask);
  if (!Bit)
    return false;
  Value *Ptr = II->getArgOperand(Load ? 0 : 1);
  Align A = cast<ConstantInt>(II->getArgOperand(Load ? 1 : 2))->getAlignValue();
  auto Copy = [&](Instruction *I) {
    I->copyMetadata(*II);
    return I;
  };
  if (auto *C = dyn_cast<Constant>(Bit)) {
    if (Load && C->isOneValue()) {
      Instruction *L = Copy(B.CreateAlignedLoad(II->getType(), Ptr, A));
      L->takeName(II);
      II->replaceAllUsesWith(L);
    } else if (Load) {
      II->replaceAllUsesWith(II->getArgOperand(3));
    } else if (C->isOneValue()) {
      Copy(B.CreateAlignedStore(II->getArgOperand(0), Ptr, A));
    }
    II->eraseFromParent();
    return true;
  }
  Instruction *Then = SplitBlockAndInsertIfThen(Bit, II, /*Unreachable=*/false);
  B.SetInsertPoint(Then);
  if (Load) {
    Instruction *L = Copy(B.CreateAlignedLoad(II->getType(), Ptr, A));
    B.SetInsertPoint(II);
    PHINode *P = B.CreatePHI(II->getType(), 2);
    P->addIncoming(L, Then->getParent());
    P->addIncoming(II->getArgOperand(3), Then->getParent()->getSinglePredecessor());
    P->takeName(II);
    II->replaceAllUsesWith(P);
  } else {
    Copy(B.CreateAlignedStore(II->getArgOperand(0), Ptr, A));
  }
  II->eraseFromParent();
  return true;
}

} // namespace

bool branchOnUniformMasks(Function &F) {
  SmallVector<IntrinsicInst *, 16> Work;
  for (Instruction &I : instructions(F))
    if (auto *II = dyn_cast<IntrinsicInst>(&I))
      if (II->getIntrinsicID() == Intrinsic::masked_load || II->getIntrinsicID() == Intrinsic::masked_store)
        Work.push_back(II);
  bool Changed = false;
  for (IntrinsicInst *II : Work)
    Changed |= rewrite(II);
  return Changed;
}

} // namespace cuport

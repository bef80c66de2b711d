#include "PointerUses.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Analysis/ValueTracking.h"
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

} // namespace cuport

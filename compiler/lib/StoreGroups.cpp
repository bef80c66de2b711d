// Complete store groups: see StoreGroups.h.
#include "StoreGroups.h"

#include "Prefetches.h"
#include "PseudoIntrinsics.h"

#include "cuport/cpu_kernel_abi.h"

#include "llvm/ADT/SmallSet.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/Analysis/ScalarEvolutionExpressions.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"

#include <optional>

using namespace llvm;

namespace cuport {

namespace {

// Whether P points into the block's shared memory: its underlying object is the shared-memory base the
// block function loads from its context (LowerSharedMemory.cpp), static or dynamic.
bool isShared(const Value *P, const Argument *Ctx) {
  auto *Base = dyn_cast<LoadInst>(getUnderlyingObject(P, 12));
  if (!Base)
    return false;
  const DataLayout &DL = Base->getModule()->getDataLayout();
  APInt Offset(DL.getIndexTypeSizeInBits(Base->getPointerOperandType()), 0);
  const Value *From = Base->getPointerOperand()->stripAndAccumulateConstantOffsets(DL, Offset, false);
  return From == Ctx && (Offset == ctxoff::SharedMem || Offset == ctxoff::DynamicShared);
}

// An address as Rest + Scale * sext(Index), Index a 32-bit recurrence of the loop (CUDA's int indices,
// which SCEV cannot widen: it does not know they stay in bounds); or Rest + an add recurrence (Scale 0).
struct Address {
  const SCEV *Rest = nullptr, *Index = nullptr;
  int64_t Scale = 0, Step = 0; // Step: bytes per iteration, 0 if not a recurrence with a constant step
};

int64_t constantOf(const SCEV *S) {
  auto *C = dyn_cast<SCEVConstant>(S);
  return C && C->getAPInt().getMinSignedBits() <= 48 ? C->getAPInt().getSExtValue() : 0;
}

Address addressOf(const Value *P, const Loop *L, ScalarEvolution &SE) {
  Address A;
  const SCEV *S = SE.getSCEV(const_cast<Value *>(P));
  if (auto *AR = dyn_cast<SCEVAddRecExpr>(S); AR && AR->getLoop() == L && AR->isAffine()) {
    A.Rest = S;
    A.Step = constantOf(AR->getStepRecurrence(SE));
    return A;
  }
  auto *Sum = dyn_cast<SCEVAddExpr>(S);
  if (!Sum)
    return A;
  for (const SCEV *Op : Sum->operands()) {
    int64_t Scale = 1;
    const SCEV *Ext = Op;
    if (auto *M = dyn_cast<SCEVMulExpr>(Op); M && M->getNumOperands() == 2) {
      Scale = constantOf(M->getOperand(0));
      Ext = M->getOperand(1);
    }
    auto *SExt = dyn_cast<SCEVSignExtendExpr>(Ext);
    if (!SExt || Scale <= 0)
      continue;
    auto *AR = dyn_cast<SCEVAddRecExpr>(SExt->getOperand());
    if (!AR || AR->getLoop() != L || !AR->isAffine())
      continue;
    A.Rest = SE.getMinusSCEV(S, Op);
    A.Index = AR;
    A.Scale = Scale;
    A.Step = Scale * constantOf(AR->getStepRecurrence(SE));
    return A;
  }
  return A;
}

// The distance in bytes from address B to address A, if it is a known constant.  For two indices of one
// scale, the 32-bit difference: both accesses are in bounds, so neither index wrapped.
std::optional<int64_t> distance(const Address &A, const Address &B, ScalarEvolution &SE) {
  if (!A.Rest || !B.Rest || A.Scale != B.Scale || (A.Index == nullptr) != (B.Index == nullptr) ||
      A.Rest->getType() != B.Rest->getType())
    return std::nullopt;
  auto *R = dyn_cast<SCEVConstant>(SE.getMinusSCEV(A.Rest, B.Rest));
  if (!R || R->getAPInt().getMinSignedBits() > 48)
    return std::nullopt;
  int64_t D = R->getAPInt().getSExtValue();
  if (!A.Index)
    return D;
  auto *I = dyn_cast<SCEVConstant>(SE.getMinusSCEV(A.Index, B.Index));
  if (!I || I->getAPInt().getMinSignedBits() > 32)
    return std::nullopt;
  return D + A.Scale * I->getAPInt().getSExtValue();
}

unsigned completeIn(Loop *L, const Argument *Ctx, ScalarEvolution &SE) {
  unsigned Added = 0;
  const DataLayout &DL = L->getHeader()->getModule()->getDataLayout();
  for (BasicBlock *BB : L->blocks()) {
    // The shared-memory words the block stores to: a word one of them writes is no candidate.
    SmallVector<Address, 8> Stored;
    for (Instruction &I : *BB)
      if (auto *SI = dyn_cast<StoreInst>(&I))
        Stored.push_back(addressOf(SI->getPointerOperand(), L, SE));
    // Loads of shared memory, with their addresses, since the last instruction that may have written the
    // loaded words.
    SmallVector<std::pair<LoadInst *, Address>, 8> Loads;
    for (Instruction &I : make_early_inc_range(*BB)) {
      if (auto *LI = dyn_cast<LoadInst>(&I)) {
        if (LI->isSimple() && isShared(LI->getPointerOperand(), Ctx))
          Loads.push_back({LI, addressOf(LI->getPointerOperand(), L, SE)});
        continue;
      }
      auto *SI = dyn_cast<StoreInst>(&I);
      if (!SI) {
        auto *CB = dyn_cast<CallBase>(&I);
        auto *II = dyn_cast_or_null<IntrinsicInst>(CB);
        bool Harmless = CB && (CB->onlyAccessesInaccessibleMemory() || isPrefetchCall(*CB) ||
                               (II && II->getIntrinsicID() == Intrinsic::prefetch));
        if (I.mayWriteToMemory() && !Harmless)
          Loads.clear();
        continue;
      }
      if (!SI->isSimple() || !isShared(SI->getPointerOperand(), Ctx)) {
        Loads.clear();
        continue;
      }
      Address SA = addressOf(SI->getPointerOperand(), L, SE);
      int64_t AbsStep = SA.Step < 0 ? -SA.Step : SA.Step;
      int64_t Size = int64_t(DL.getTypeStoreSize(SI->getValueOperand()->getType()));
      SmallVector<std::pair<LoadInst *, Address>, 8> Keep;
      SmallVector<LoadInst *, 8> Candidates;
      SmallSet<int64_t, 8> Slots; // the group's words (distance from the store's, modulo the step) stored
      Slots.insert(0);
      for (auto &[LI, LA] : Loads) {
        std::optional<int64_t> D = distance(SA, LA, SE);
        int64_t LSize = int64_t(DL.getTypeStoreSize(LI->getType()));
        if (!D)
          continue; // the store may write the loaded word: a write-back would undo it
        int64_t Dist = *D, AbsDist = Dist < 0 ? -Dist : Dist;
        if (Dist < LSize && -Dist < Size)
          continue; // it does write it
        Keep.push_back({LI, LA});
        if (SA.Step == 0 || LA.Step != SA.Step || LSize != Size || AbsDist >= AbsStep || Dist % Size)
          continue; // not a word of the store's interleave group
        int64_t Slot = ((-Dist) % AbsStep + AbsStep) % AbsStep;
        bool AlreadyStored = any_of(Stored, [&](const Address &O) {
          std::optional<int64_t> E = distance(O, LA, SE);
          return E && *E == 0;
        });
        if (Slots.insert(Slot).second && !AlreadyStored)
          Candidates.push_back(LI);
      }
      // Only a group with every word stored avoids the scatter: writing back one word of four would make
      // two scattered stores of one.
      if (SA.Step != 0 && int64_t(Slots.size()) * Size == AbsStep) {
        Instruction *Last = SI;
        for (LoadInst *LI : Candidates) {
          auto *WB = new StoreInst(LI, LI->getPointerOperand(), false, LI->getAlign(), Last->getNextNode());
          WB->copyMetadata(*SI);
          WB->setMetadata(LLVMContext::MD_tbaa, LI->getMetadata(LLVMContext::MD_tbaa));
          Last = WB;
          ++Added;
        }
      }
      Loads = Keep;
    }
  }
  return Added;
}

} // namespace

unsigned completeStoreGroups(Function &F, LoopInfo &LI, ScalarEvolution &SE) {
  if (!F.getName().startswith(CUPORT_CPU_KERNEL_PREFIX) || F.arg_size() < 2)
    return 0;
  unsigned Added = 0;
  for (Loop *L : LI.getLoopsInPreorder()) {
    if (L->isInnermost() && L->isAnnotatedParallel())
      Added += completeIn(L, F.getArg(1), SE);
  }
  return Added;
}

} // namespace cuport

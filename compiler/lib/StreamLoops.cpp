// Stream loops: see StreamLoops.h.
#include "StreamLoops.h"
#include "Passes.h"
#include "Prefetches.h"
#include "PseudoIntrinsics.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/LoopSimplify.h"

#include <optional>

using namespace llvm;

namespace cuport {

namespace {

constexpr unsigned MaxDepth = 12;
// A constant step below this is a thread walking a contiguous chunk of its own.
constexpr int64_t MinConstantStep = 32;

class StreamLoops {
public:
  StreamLoops(Function &WI, Argument *TidX, ArrayRef<Argument *> RowUniform) : WI(WI), TidX(TidX) {
    Uniform.insert(RowUniform.begin(), RowUniform.end());
  }

  SmallVector<CallInst *, 4> run() {
    SmallVector<CallInst *, 4> Sites;
    DominatorTree DT(WI);
    LoopInfo LI(DT);
    SmallVector<Loop *, 4> TopLevel(LI.begin(), LI.end()); // top-level loops only
    for (Loop *L : TopLevel) {
      simplifyLoop(L, &DT, &LI, nullptr, nullptr, nullptr, /*PreserveLCSSA=*/false);
      if (CallInst *Site = transform(*L))
        Sites.push_back(Site);
    }
    return Sites;
  }

private:
  Function &WI;
  Argument *TidX;
  SmallPtrSet<Argument *, 16> Uniform;

  // V as Base + c * threadIdx.x with Base the same for the whole row: c; nullopt when V is not of that form
  // (it depends on a per-thread value other than threadIdx.x, or on threadIdx.x non-linearly).
  std::optional<int64_t> tidCoefficient(Value *V, unsigned Depth = 0) {
    if (isa<Constant>(V))
      return 0;
    if (auto *A = dyn_cast<Argument>(V)) {
      if (A == TidX)
        return 1;
      return Uniform.count(A) ? std::optional<int64_t>(0) : std::nullopt;
    }
    auto *I = dyn_cast<Instruction>(V);
    if (!I || Depth > MaxDepth || isa<PHINode>(I))
      return std::nullopt;
    if (auto *L = dyn_cast<LoadInst>(I)) {
      // blockDim, gridDim: invariant loads of the block context.
      if (L->isVolatile() || !L->hasMetadata(LLVMContext::MD_invariant_load))
        return std::nullopt;
      auto P = tidCoefficient(L->getPointerOperand(), Depth + 1);
      return P && *P == 0 ? P : std::nullopt;
    }
    if (I->mayReadOrWriteMemory() || isa<CallBase>(I))
      return std::nullopt;
    auto Op = [&](unsigned K) { return tidCoefficient(I->getOperand(K), Depth + 1); };
    switch (I->getOpcode()) {
    case Instruction::Add:
    case Instruction::Sub: {
      auto A = Op(0), B = Op(1);
      if (!A || !B)
        return std::nullopt;
      return I->getOpcode() == Instruction::Add ? *A + *B : *A - *B;
    }
    case Instruction::Mul: {
      auto A = Op(0), B = Op(1);
      if (!A || !B)
        return std::nullopt;
      if (*A == 0 && *B == 0)
        return 0;
      auto *CA = dyn_cast<ConstantInt>(I->getOperand(0)), *CB = dyn_cast<ConstantInt>(I->getOperand(1));
      if (CB && CB->getBitWidth() <= 64)
        return *A * CB->getSExtValue();
      if (CA && CA->getBitWidth() <= 64)
        return *B * CA->getSExtValue();
      return std::nullopt; // threadIdx.x times a variable
    }
    case Instruction::Shl: {
      auto A = Op(0);
      auto *C = dyn_cast<ConstantInt>(I->getOperand(1));
      if (!A || !C || C->getZExtValue() >= 32)
        return std::nullopt;
      return *A << C->getZExtValue();
    }
    case Instruction::SExt:
    case Instruction::ZExt:
    case Instruction::Trunc:
      return Op(0);
    default:
      break;
    }
    for (unsigned K = 0; K < I->getNumOperands(); ++K) {
      auto A = Op(K);
      if (!A || *A != 0)
        return std::nullopt;
    }
    return 0;
  }

  // Whether V (derived from an induction variable) addresses a load or store in L.
  static bool addressesMemory(Value *V, Loop &L, unsigned Depth = 0) {
    if (Depth > 4)
      return false;
    for (User *U : V->users()) {
      auto *I = dyn_cast<Instruction>(U);
      if (!I || !L.contains(I))
        continue;
      if (auto *LI = dyn_cast<LoadInst>(I); LI && LI->getPointerOperand() == V)
        return true;
      if (auto *SI = dyn_cast<StoreInst>(I); SI && SI->getPointerOperand() == V)
        return true;
      if (auto *RMW = dyn_cast<AtomicRMWInst>(I); RMW && RMW->getPointerOperand() == V)
        return true;
      if ((isa<GetElementPtrInst>(I) || isa<CastInst>(I) || isa<BinaryOperator>(I)) &&
          addressesMemory(I, L, Depth + 1))
        return true;
    }
    return false;
  }

  // Whether V can be computed before L: moves it (and what it needs) to L's preheader when it is a pure
  // computation or an invariant load (blockDim, gridDim: the block context is always readable) in L.  The
  // simplify step runs no LICM, so `i += blockDim.x * gridDim.x` computes its step in the loop.
  static bool hoist(Value *V, Loop &L, unsigned Depth = 0) {
    auto *I = dyn_cast<Instruction>(V);
    if (!I || !L.contains(I))
      return true;
    if (Depth > MaxDepth || isa<PHINode>(I))
      return false;
    if (auto *Ld = dyn_cast<LoadInst>(I)) {
      if (Ld->isVolatile() || !Ld->hasMetadata(LLVMContext::MD_invariant_load))
        return false;
    } else if (I->mayReadOrWriteMemory() || !isSafeToSpeculativelyExecute(I)) {
      return false;
    }
    for (Value *Op : I->operands())
      if (!hoist(Op, L, Depth + 1))
        return false;
    I->moveBefore(L.getLoopPreheader()->getTerminator());
    return true;
  }

  // Header phi P = phi [Start, preheader], [P + Step, latch] with Step computable before L: Step.
  static Value *inductionStep(PHINode &P, Loop &L) {
    if (!P.getType()->isIntegerTy())
      return nullptr;
    auto *Inc = dyn_cast<BinaryOperator>(P.getIncomingValueForBlock(L.getLoopLatch()));
    if (!Inc || Inc->getOpcode() != Instruction::Add)
      return nullptr;
    Value *Step = Inc->getOperand(0) == &P ? Inc->getOperand(1) : Inc->getOperand(1) == &P ? Inc->getOperand(0) : nullptr;
    return Step && hoist(Step, L) ? Step : nullptr;
  }

  bool isStream(PHINode &P, Value *Step, Loop &L) {
    auto S = tidCoefficient(Step);
    if (!S || *S != 0)
      return false;
    if (auto *C = dyn_cast<ConstantInt>(Step); C && C->getValue().abs().slt(MinConstantStep))
      return false;
    auto Start = tidCoefficient(P.getIncomingValueForBlock(L.getLoopPreheader()));
    return Start && *Start == 1 && addressesMemory(&P, L);
  }

  static bool hasSyncOrCall(Loop &L) {
    for (BasicBlock *BB : L.blocks())
      for (Instruction &I : *BB)
        if (auto *CB = dyn_cast<CallBase>(&I)) {
          Function *F = CB->getCalledFunction();
          if (!F || (!F->isIntrinsic() && !isPseudo(F)) || isSyncPseudo(F))
            return true;
        }
    return false;
  }

  CallInst *transform(Loop &L) {
    if (!L.isLoopSimplifyForm() || hasSyncOrCall(L))
      return nullptr;
    BasicBlock *Header = L.getHeader(), *Pre = L.getLoopPreheader(), *Latch = L.getLoopLatch();
    SmallVector<std::pair<PHINode *, Value *>, 4> IVs;
    bool Stream = false;
    for (PHINode &P : Header->phis())
      if (Value *Step = inductionStep(P, L)) {
        IVs.push_back({&P, Step});
        Stream |= isStream(P, Step, L);
      }
    if (!Stream)
      return nullptr;

    // k: the iteration counter, the same in every thread waiting at the site (see StreamLoops.h).
    Type *I64 = Type::getInt64Ty(WI.getContext());
    IRBuilder<> B(&Header->front());
    PHINode *K = B.CreatePHI(I64, 2, "stream.k");
    K->addIncoming(B.getInt64(0), Pre);
    IRBuilder<> LB(Latch->getTerminator());
    K->addIncoming(LB.CreateAdd(K, LB.getInt64(1), "stream.k.next"), Latch);

    Instruction *First = &*Header->getFirstInsertionPt();
    B.SetInsertPoint(First);
    CallInst *Site = B.CreateCall(getPseudo(*WI.getParent(), pseudo::Barrier));
    Site->setDebugLoc(First->getDebugLoc());
    // After the site: i = start + k * step, from values every thread can recompute.
    B.SetInsertPoint(Site->getNextNode());
    for (auto [P, Step] : IVs) {
      Value *Start = P->getIncomingValueForBlock(Pre);
      Value *KT = B.CreateTrunc(K, P->getType());
      auto *I = cast<Instruction>(B.CreateAdd(Start, B.CreateMul(KT, Step), P->getName() + ".stream"));
      P->replaceAllUsesWith(I);
      P->eraseFromParent();
      insertPrefetches(*I, Step, L);
    }
    return Site;
  }

  // Before each load in L of Base[I] (Base defined before L; I the induction variable, or I extended): a
  // prefetch of Base[I + Step], this thread's element of the next iteration.  (An address past the array
  // is harmless: prefetches do not fault.)
  void insertPrefetches(Instruction &I, Value *Step, Loop &L) {
    SmallVector<std::pair<LoadInst *, GetElementPtrInst *>, 4> Loads;
    auto Collect = [&](Value *Index) {
      for (User *U : Index->users())
        if (auto *G = dyn_cast<GetElementPtrInst>(U);
            G && G->getNumIndices() == 1 && G->getOperand(1) == Index && L.isLoopInvariant(G->getPointerOperand()))
          for (User *GU : G->users())
            if (auto *Ld = dyn_cast<LoadInst>(GU); Ld && Ld->getPointerOperand() == G && L.contains(Ld))
              Loads.push_back({Ld, G});
    };
    Collect(&I);
    for (User *U : I.users())
      if (isa<SExtInst>(U) || isa<ZExtInst>(U))
        Collect(U);
    if (Loads.empty())
      return;
    // The load's own address plus step * the element's size: one addition per element, which x86 folds into
    // the prefetch's addressing (an index of its own took two more instructions per element, and four
    // vector ones per vector of a vectorized loop).
    const DataLayout &DL = WI.getParent()->getDataLayout();
    for (auto [Ld, G] : Loads) {
      IRBuilder<> B(Ld);
      Value *Bytes = B.CreateMul(B.CreateSExt(Step, B.getInt64Ty()),
                                 B.getInt64(DL.getTypeAllocSize(G->getSourceElementType()).getFixedSize()),
                                 I.getName() + ".step.bytes");
      createPrefetch(B, B.CreateGEP(B.getInt8Ty(), G, Bytes, I.getName() + ".next"), /*Write=*/false);
    }
  }
};

} // namespace

SmallVector<CallInst *, 4> insertStreamLoopSites(Function &WI, Argument *TidX, ArrayRef<Argument *> RowUniform) {
  return StreamLoops(WI, TidX, RowUniform).run();
}

} // namespace cuport

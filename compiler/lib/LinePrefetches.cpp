// Line prefetches: see LinePrefetches.h.
#include "LinePrefetches.h"

#include "Prefetches.h"

#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/Analysis/ScalarEvolutionExpressions.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/ScalarEvolutionExpander.h"

using namespace llvm;

namespace cuport {

namespace {

// sext/zext({a,+,c}) -> {sext/zext(a),+,sext/zext(c)}: CUDA's 32-bit indices, sign-extended for the
// address, are recurrences SCEV cannot prove free of overflow.  Good enough for a prefetch.
struct WidenExtendedRecurrences : SCEVRewriteVisitor<WidenExtendedRecurrences> {
  using SCEVRewriteVisitor::SCEVRewriteVisitor;
  template <typename Extend> const SCEV *widen(const SCEVCastExpr *E, Extend Ext) {
    const SCEV *Op = visit(E->getOperand());
    Type *Ty = E->getType();
    if (auto *AR = dyn_cast<SCEVAddRecExpr>(Op); AR && AR->isAffine())
      return SE.getAddRecExpr(Ext(AR->getStart(), Ty), Ext(AR->getStepRecurrence(SE), Ty), AR->getLoop(),
                              SCEV::FlagAnyWrap);
    return Ext(Op, Ty);
  }
  const SCEV *visitSignExtendExpr(const SCEVSignExtendExpr *E) {
    return widen(E, [this](const SCEV *S, Type *Ty) { return SE.getSignExtendExpr(S, Ty); });
  }
  const SCEV *visitZeroExtendExpr(const SCEVZeroExtendExpr *E) {
    return widen(E, [this](const SCEV *S, Type *Ty) { return SE.getZeroExtendExpr(S, Ty); });
  }
};

struct Candidate {
  CallInst *Call;
  const SCEV *Start;    // the address in the loop's first iteration
  int64_t Step;         // bytes per iteration, 0 < |Step| < LineBytes
  const SCEV *Backedges; // the loop's backedge-taken count (i64)
  BasicBlock *Preheader;
  bool Write;
};

// The prefetch calls of the innermost loops, with what hoisting each needs.  A call whose span another
// call of the loop nearly covers (the same step, a start less than a line away: at most its last line is
// missed) is only deleted.
void collect(Function &F, LoopInfo &LI, ScalarEvolution &SE, SmallVectorImpl<Candidate> &Out,
             SmallVectorImpl<CallInst *> &Redundant) {
  Type *I64 = Type::getInt64Ty(F.getContext());
  SCEVExpander Probe(SE, F.getParent()->getDataLayout(), "line.prefetch");
  for (Loop *L : LI.getLoopsInPreorder()) {
    BasicBlock *Preheader = L->getLoopPreheader();
    if (!L->isInnermost() || !Preheader)
      continue;
    const SCEV *BTC = SE.getBackedgeTakenCount(L);
    if (isa<SCEVCouldNotCompute>(BTC) || !SE.isLoopInvariant(BTC, L))
      continue;
    BTC = SE.getNoopOrZeroExtend(BTC, I64);
    size_t First = Out.size();
    for (BasicBlock *BB : L->blocks())
      for (Instruction &I : *BB) {
        // llvm.prefetch of data: the prefetches of loops that stay in order (Prefetches.h).
        auto *CB = dyn_cast<IntrinsicInst>(&I);
        if (!CB || CB->getIntrinsicID() != Intrinsic::prefetch)
          continue;
        auto *RW = dyn_cast<ConstantInt>(CB->getArgOperand(1));
        auto *Cache = dyn_cast<ConstantInt>(CB->getArgOperand(3));
        if (!RW || !Cache || !Cache->isOne())
          continue;
        bool Write = RW->isOne();
        const SCEV *S = WidenExtendedRecurrences(SE).visit(SE.getSCEV(CB->getArgOperand(0)));
        auto *AR = dyn_cast<SCEVAddRecExpr>(S);
        if (!AR || AR->getLoop() != L || !AR->isAffine())
          continue;
        auto *C = dyn_cast<SCEVConstant>(AR->getStepRecurrence(SE));
        if (!C || C->getAPInt().getMinSignedBits() > 64)
          continue;
        int64_t Step = C->getAPInt().getSExtValue();
        if (Step == 0 || Step <= -int64_t(LineBytes) || Step >= int64_t(LineBytes))
          continue;
        if (!Probe.isSafeToExpandAt(AR->getStart(), Preheader->getTerminator()) ||
            !Probe.isSafeToExpandAt(BTC, Preheader->getTerminator()))
          continue;
        bool Covered = false;
        for (size_t K = First; K < Out.size() && !Covered; ++K) {
          if (Out[K].Step != Step || Out[K].Write != Write)
            continue;
          auto *D = dyn_cast<SCEVConstant>(SE.getMinusSCEV(AR->getStart(), Out[K].Start));
          Covered = D && D->getAPInt().abs().ult(LineBytes);
        }
        if (Covered)
          Redundant.push_back(CB);
        else
          Out.push_back({CB, AR->getStart(), Step, BTC, Preheader, Write});
      }
  }
}

// Before the loop of C: prefetch each line of [lowest address, highest address] (at most MaxLines).
void hoist(const Candidate &C, Value *Low, Value *Span) {
  BasicBlock *Preheader = C.Preheader;
  BasicBlock *Tail = SplitBlock(Preheader, Preheader->getTerminator());
  LLVMContext &Ctx = Preheader->getContext();
  Function *F = Preheader->getParent();
  BasicBlock *Lines = BasicBlock::Create(Ctx, "line.prefetch", F, Tail);
  IRBuilder<> B(Preheader->getTerminator());
  Type *I64 = B.getInt64Ty();
  Value *Misalign = B.CreateAnd(B.CreatePtrToInt(Low, I64), B.getInt64(LineBytes - 1), "line.misalign");
  Value *Head = B.CreateGEP(B.getInt8Ty(), Low, B.CreateNeg(Misalign), "line.head");
  Value *LastLine = B.CreateLShr(B.CreateAdd(Span, Misalign), B.getInt64(Log2_32(LineBytes)));
  LastLine = B.CreateBinaryIntrinsic(Intrinsic::umin, LastLine, B.getInt64(MaxLines - 1), nullptr, "line.last");
  B.CreateBr(Lines);
  Preheader->getTerminator()->eraseFromParent();

  B.SetInsertPoint(Lines);
  PHINode *I = B.CreatePHI(I64, 2, "line");
  I->addIncoming(B.getInt64(0), Preheader);
  Value *Address = B.CreateGEP(B.getInt8Ty(), Head, B.CreateShl(I, Log2_32(LineBytes)), "line.address");
  createLoweredPrefetch(B, Address, C.Write);
  Value *Next = B.CreateAdd(I, B.getInt64(1), "line.next");
  I->addIncoming(Next, Lines);
  BranchInst *Back = B.CreateCondBr(B.CreateICmpUGT(Next, LastLine), Tail, Lines);
  // A few lines: LLVM's runtime unrolling would make it eight prefetches and a remainder loop.
  MDNode *Disable = MDNode::get(Ctx, MDString::get(Ctx, "llvm.loop.unroll.disable"));
  MDNode *ID = MDNode::getDistinct(Ctx, {nullptr, Disable});
  ID->replaceOperandWith(0, ID);
  Back->setMetadata(LLVMContext::MD_loop, ID);
}

} // namespace

unsigned hoistLinePrefetches(Function &F, LoopInfo &LI, ScalarEvolution &SE) {
  SmallVector<Candidate, 8> Candidates;
  SmallVector<CallInst *, 8> Redundant;
  collect(F, LI, SE, Candidates, Redundant);
  if (Candidates.empty())
    return 0;
  // Every address is expanded before the first loop changes the control flow under the analyses.
  SCEVExpander Expander(SE, F.getParent()->getDataLayout(), "line.prefetch");
  SmallVector<std::pair<Value *, Value *>, 8> Ranges;
  Type *I64 = Type::getInt64Ty(F.getContext());
  for (const Candidate &C : Candidates) {
    Instruction *At = C.Preheader->getTerminator();
    const SCEV *Offset = SE.getMulExpr(SE.getConstant(I64, C.Step, /*isSigned=*/true), C.Backedges);
    const SCEV *Low = C.Step > 0 ? C.Start : SE.getAddExpr(C.Start, Offset);
    const SCEV *Span = SE.getMulExpr(SE.getConstant(I64, C.Step > 0 ? C.Step : -C.Step), C.Backedges);
    Ranges.push_back({Expander.expandCodeFor(Low, C.Start->getType(), At), Expander.expandCodeFor(Span, I64, At)});
  }
  Expander.clear();
  for (size_t K = 0; K < Candidates.size(); ++K) {
    hoist(Candidates[K], Ranges[K].first, Ranges[K].second);
    Candidates[K].Call->eraseFromParent();
  }
  for (CallInst *CB : Redundant)
    CB->eraseFromParent();
  return Candidates.size();
}

} // namespace cuport

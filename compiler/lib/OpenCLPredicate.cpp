// OpenCL lowering: barriers and warp collectives under thread-dependent control flow, made uniform.
//
// CUDA code often shuffles inside `if (warp == 0) { ... }` or `if (threadIdx.x < 32) { ... }`, or returns
// early (`if (i >= n) return;`) before a __syncthreads().  On OpenCL every work-item must reach each
// barrier, and our warp collectives are barriers.  When the thread-dependent branch guards a single-entry
// single-exit region, the region is executed by every thread instead, with the inactive threads' memory
// accesses, divisions and calls skipped (each behind `if (active)`), and the values leaving the region
// selected by the predicate; collectives then see every thread, as OpenCL requires, and the inactive
// threads' lanes carry values nobody reads (as on a GPU, where reading an inactive lane is undefined).
// Regions with a thread-dependent loop, or that leave other than through their exit, are left alone; the
// uniformity check then reports them.
#include "OpenCL.h"
#include "OpenCLDivergence.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/IntrinsicsNVPTX.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"

using namespace llvm;

namespace cuport {
namespace {

// Instructions an inactive thread must not execute: memory accesses, divisions, calls with effects.
bool needsGuard(const Instruction &I) {
  if (isa<LoadInst>(I) || isa<StoreInst>(I) || isa<AtomicRMWInst>(I) || isa<AtomicCmpXchgInst>(I))
    return true;
  if (I.getOpcode() == Instruction::UDiv || I.getOpcode() == Instruction::SDiv ||
      I.getOpcode() == Instruction::URem || I.getOpcode() == Instruction::SRem)
    return !isa<Constant>(I.getOperand(1));
  if (auto *C = dyn_cast<CallInst>(&I)) {
    if (collectiveName(*C))
      return false;
    const Function *F = C->getCalledFunction();
    if (!F)
      return true;
    if (F->getName().startswith("llvm.nvvm.read.ptx.sreg.") || isa<DbgInfoIntrinsic>(C))
      return false;
    if (auto *II = dyn_cast<IntrinsicInst>(C)) {
      switch (II->getIntrinsicID()) {
      case Intrinsic::lifetime_start:
      case Intrinsic::lifetime_end:
      case Intrinsic::assume:
      case Intrinsic::experimental_noalias_scope_decl:
        return false;
      default:
        return II->mayHaveSideEffects() || II->mayReadOrWriteMemory();
      }
    }
    return !C->doesNotAccessMemory();
  }
  return false;
}

class RegionPredicator {
public:
  RegionPredicator(Function &F, const Divergence &D) : F(F), D(D), DT(F) {}

  // Tries the varying branch at the end of B as the guard of a region that contains Target.
  bool tryBranch(BasicBlock &B, const BasicBlock *Target) {
    auto *Br = dyn_cast<BranchInst>(B.getTerminator());
    if (!Br || !Br->isConditional() || !D.isVaryingBranch(Br))
      return false;
    DomTreeNode *Node = D.PDT.getNode(&B);
    if (!Node || !Node->getIDom() || !Node->getIDom()->getBlock())
      return false;
    BasicBlock *Exit = Node->getIDom()->getBlock();
    BasicBlock *Entry;
    bool Negate;
    if (Br->getSuccessor(1) == Exit) {
      Entry = Br->getSuccessor(0);
      Negate = false;
    } else if (Br->getSuccessor(0) == Exit) {
      Entry = Br->getSuccessor(1);
      Negate = true;
    } else {
      return false; // if/else with work on both sides
    }
    if (Entry == Exit || !collectRegion(B, Entry, Exit) || !Region.count(const_cast<BasicBlock *>(Target)))
      return false;
    transform(B, *Br, Entry, Exit, Negate);
    return true;
  }

private:
  Function &F;
  const Divergence &D;
  DominatorTree DT;
  SetVector<BasicBlock *> Region;

  // The blocks reachable from Entry without passing Exit; false unless single-entry single-exit, free of
  // returns and of thread-dependent loops.
  bool collectRegion(BasicBlock &B, BasicBlock *Entry, BasicBlock *Exit) {
    Region.clear();
    SmallVector<BasicBlock *, 16> Work{Entry};
    while (!Work.empty()) {
      BasicBlock *BB = Work.pop_back_val();
      if (BB == Exit || !Region.insert(BB))
        continue;
      if (BB == &B || succ_empty(BB) || !DT.dominates(Entry, BB))
        return false;
      for (BasicBlock *S : successors(BB))
        Work.push_back(S);
    }
    for (BasicBlock *BB : Region)
      for (BasicBlock *P : predecessors(BB))
        if (!Region.count(P) && !(BB == Entry && P == &B))
          return false;
    // A thread-dependent branch that can come back to itself is a loop inactive threads might not leave.
    for (BasicBlock *BB : Region) {
      if (!D.isVaryingBranch(BB->getTerminator()))
        continue;
      SmallPtrSet<BasicBlock *, 16> Seen;
      SmallVector<BasicBlock *, 16> Stack(succ_begin(BB), succ_end(BB));
      while (!Stack.empty()) {
        BasicBlock *X = Stack.pop_back_val();
        if (X == BB)
          return false;
        if (!Region.count(X) || !Seen.insert(X).second)
          continue;
        for (BasicBlock *S : successors(X))
          Stack.push_back(S);
      }
    }
    return true;
  }

  void transform(BasicBlock &B, BranchInst &Br, BasicBlock *Entry, BasicBlock *Exit, bool Negate) {
    IRBuilder<> IB(&Br);
    Value *Active = Negate ? IB.CreateNot(Br.getCondition(), "cuport.active") : Br.getCondition();

    // Votes, matches and the reducing barriers (__syncthreads_count/and/or) must not count the inactive
    // threads that now run along.
    std::vector<CallInst *> Votes;
    for (BasicBlock *BB : Region)
      for (Instruction &I : *BB)
        if (auto *C = dyn_cast<CallInst>(&I))
          if (C->getCalledFunction() && (C->getCalledFunction()->getName().startswith("llvm.nvvm.vote.") ||
                                         C->getCalledFunction()->getName().startswith("llvm.nvvm.match.") ||
                                         C->getCalledFunction()->getName().startswith("llvm.nvvm.barrier0.")))
            Votes.push_back(C);

    // Every thread enters the region; what leaves it is selected by the predicate.
    SmallSetVector<BasicBlock *, 4> Exiting;
    for (BasicBlock *P : predecessors(Exit))
      if (Region.count(P))
        Exiting.insert(P);
    BasicBlock *Join = BasicBlock::Create(F.getContext(), "cuport.region.exit", &F, Exit);
    IRBuilder<> JB(Join);
    for (PHINode &Phi : Exit->phis()) {
      Value *Outside = Phi.getIncomingValueForBlock(&B);
      PHINode *Inside = JB.CreatePHI(Phi.getType(), Exiting.size(), Phi.getName() + ".region");
      for (BasicBlock *P : Exiting)
        Inside->addIncoming(Phi.getIncomingValueForBlock(P), P);
      Value *Chosen = JB.CreateSelect(Active, Inside, Outside);
      for (BasicBlock *P : Exiting)
        Phi.removeIncomingValue(P, /*DeletePHIIfEmpty=*/false);
      Phi.removeIncomingValue(&B, false);
      Phi.addIncoming(Chosen, Join);
    }
    JB.CreateBr(Exit);
    for (BasicBlock *P : Exiting)
      P->getTerminator()->replaceSuccessorWith(Exit, Join);
    // Skip the guarded instructions for inactive threads.
    std::vector<Instruction *> Guard;
    for (BasicBlock *BB : Region)
      for (Instruction &I : *BB)
        if (needsGuard(I))
          Guard.push_back(&I);
    for (Instruction *I : Guard) {
      Instruction *ThenTerm = SplitBlockAndInsertIfThen(Active, I, /*Unreachable=*/false);
      BasicBlock *Head = ThenTerm->getParent()->getSinglePredecessor();
      BasicBlock *Tail = I->getParent();
      I->moveBefore(ThenTerm);
      if (!I->getType()->isVoidTy() && !I->use_empty()) {
        PHINode *Phi = PHINode::Create(I->getType(), 2, I->getName() + ".active", &Tail->front());
        I->replaceUsesWithIf(Phi, [&](Use &U) { return U.getUser() != Phi; });
        Phi->addIncoming(I, ThenTerm->getParent());
        Phi->addIncoming(Constant::getNullValue(I->getType()), Head);
      }
    }

    for (CallInst *C : Votes)
      restrictToActive(C, Active);

    BranchInst::Create(Entry, &Br);
    Br.eraseFromParent();
  }

  // vote(p) over the active threads only: ballot/any of (p && active), all(p) = !any(active && !p),
  // uni = !(any(active && p) && any(active && !p)); a match's lanes are and-ed with the active ones.
  // __syncthreads_count and _or count active ? p : 0, __syncthreads_and active ? p : 1.
  void restrictToActive(CallInst *C, Value *Active) {
    StringRef N = C->getCalledFunction()->getName().drop_front(strlen("llvm.nvvm."));
    IRBuilder<> B(C);
    Module *M = F.getParent();
    if (N.consume_front("barrier0.")) {
      Value *P = C->getArgOperand(0);
      C->setArgOperand(0, B.CreateSelect(Active, P, ConstantInt::get(P->getType(), N == "and" ? 1 : 0)));
      return;
    }
    bool Sync = N.endswith(".sync");
    Value *Mask = Sync ? C->getArgOperand(0) : B.getInt32(-1);
    auto Any = [&](Value *P) {
      return B.CreateCall(Intrinsic::getDeclaration(M, Intrinsic::nvvm_vote_any_sync), {Mask, P});
    };
    if (N.startswith("vote.ballot") || N.startswith("vote.any")) {
      unsigned K = Sync ? 1 : 0;
      C->setArgOperand(K, B.CreateAnd(C->getArgOperand(K), Active));
      return;
    }
    if (N.startswith("vote.all") || N.startswith("vote.uni")) {
      Value *P = C->getArgOperand(Sync ? 1 : 0);
      Value *Against = Any(B.CreateAnd(Active, B.CreateNot(P)));
      Value *R = N.startswith("vote.all") ? B.CreateNot(Against) : B.CreateNot(B.CreateAnd(Any(B.CreateAnd(Active, P)), Against));
      C->replaceAllUsesWith(R);
      C->eraseFromParent();
      return;
    }
    if (N.startswith("match.any")) {
      B.SetInsertPoint(C->getNextNode());
      Value *Lanes = B.CreateCall(Intrinsic::getDeclaration(M, Intrinsic::nvvm_vote_ballot_sync), {Mask, Active});
      Value *R = B.CreateAnd(C, Lanes);
      C->replaceUsesWithIf(R, [&](Use &U) { return U.getUser() != R; });
    }
  }
};

} // namespace

bool predicateDivergentCollectives(Function &F) {
  bool Changed = false;
  for (int Round = 0; Round < 64; ++Round) {
    Divergence D(F);
    const CallInst *C = D.firstDivergentCollective(F);
    if (!C)
      break;
    const BasicBlock *Target = C->getParent();
    bool Done = false;
    RegionPredicator RP(F, D); // its dominator tree holds until a transform, after which the round ends
    // Outer regions first: a guard that is itself in uniform code.
    for (int Pass = 0; Pass < 2 && !Done; ++Pass)
      for (BasicBlock &B : F) {
        if ((Pass == 0) == D.isDivergent(&B))
          continue;
        if (RP.tryBranch(B, Target)) {
          Done = true;
          break;
        }
      }
    if (!Done)
      break;
    Changed = true;
  }
  return Changed;
}

} // namespace cuport

// OpenCL lowering, analysis: which values vary between the threads of a block and which blocks only some
// threads execute.  Values that depend on the thread index (or on atomics, shuffles, private memory) vary
// per thread; a block is divergent when it is control dependent (post-dominance frontier) on a branch over
// a varying value or on a divergent block's branch.  Used to reject (OpenCLUniformity) or repair
// (OpenCLPredicate) barriers and warp collectives under thread-dependent control flow.
#include "OpenCLDivergence.h"

#include "llvm/Analysis/ValueTracking.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/CFG.h"
#include "llvm/IR/Instructions.h"

using namespace llvm;

namespace cuport {
namespace {

bool isThreadIndexed(const CallInst &C) {
  const Function *F = C.getCalledFunction();
  if (!F)
    return true;
  StringRef N = F->getName();
  if (!N.consume_front("llvm.nvvm."))
    return false;
  if (N.consume_front("read.ptx.sreg."))
    return N.startswith("tid.") || N == "laneid" || N.startswith("lanemask") || N.startswith("clock") ||
           N == "globaltimer";
  // Shuffles, votes and matches differ between warps or lanes.
  return N.startswith("shfl.") || N.startswith("vote.") || N.startswith("match.");
}

} // namespace

const char *collectiveName(const CallInst &C) {
  const Function *F = C.getCalledFunction();
  if (!F)
    return nullptr;
  StringRef N = F->getName();
  if (!N.consume_front("llvm.nvvm."))
    return nullptr;
  if (N == "barrier0" || N.startswith("barrier0.") || N.startswith("barrier."))
    return "__syncthreads()";
  if (N == "bar.warp.sync")
    return "__syncwarp()";
  if (N.startswith("shfl."))
    return "a warp shuffle";
  if (N.startswith("vote."))
    return "a warp vote (__ballot_sync/__any_sync/__all_sync/__activemask)";
  if (N.startswith("match."))
    return "__match_any_sync/__match_all_sync";
  return nullptr;
}

Divergence::Divergence(Function &F) : PDT(F) {
  // Blocks control dependent on Y's terminator: from each successor up the post-dominator tree to Y's
  // immediate post-dominator.
  auto MarkDependents = [&](const BasicBlock *Y) {
    bool Changed = false;
    DomTreeNode *Stop = PDT.getNode(Y) ? PDT.getNode(Y)->getIDom() : nullptr;
    for (const BasicBlock *S : successors(Y))
      for (DomTreeNode *N = PDT.getNode(S); N && N != Stop; N = N->getIDom())
        if (N->getBlock() && Divergent.insert(N->getBlock()).second)
          Changed = true;
    return Changed;
  };

  bool Changed = true;
  while (Changed) {
    Changed = false;
    for (const BasicBlock &BB : F) {
      for (const Instruction &I : BB) {
        if (Varying.count(&I))
          continue;
        bool V = false;
        if (auto *C = dyn_cast<CallInst>(&I))
          V = isThreadIndexed(*C);
        else if (isa<AtomicRMWInst>(I) || isa<AtomicCmpXchgInst>(I))
          V = true;
        if (auto *L = dyn_cast<LoadInst>(&I)) {
          // Private memory may hold per-thread values at any address.
          const Value *Base = getUnderlyingObject(L->getPointerOperand());
          V = isa<AllocaInst>(Base) || (isa<Argument>(Base) && cast<Argument>(Base)->hasByValAttr());
        }
        for (const Value *Op : I.operands())
          if (Varying.count(Op))
            V = true;
        if (V) {
          Varying.insert(&I);
          Changed = true;
        }
      }
      // A branch inside divergent code, or over a varying value, makes what depends on it divergent.  A
      // return under such a branch is covered too: the return block does not post-dominate the branch.
      const Instruction *T = BB.getTerminator();
      bool Branches = T && T->getNumSuccessors() > 1;
      if (Branches && isVaryingBranch(T) && !JoinsDone.count(&BB)) {
        JoinsDone.insert(&BB);
        Changed |= markJoins(&BB);
      }
      if (Branches && (Divergent.count(&BB) || isVaryingBranch(T))) {
        if (!Varying.count(T)) {
          Varying.insert(T);
          Changed = true;
        }
        Changed |= MarkDependents(&BB);
      }
    }
  }
}

// Blocks where paths from different successors of a varying branch meet (before and at its immediate
// post-dominator): phis there depend on which way each thread went.  A varying branch on a cycle is a loop
// threads leave after different iterations: everything computed in it may differ per thread afterwards.
bool Divergence::markJoins(const BasicBlock *Y) {
  DomTreeNode *Node = PDT.getNode(Y);
  const BasicBlock *Stop = Node && Node->getIDom() ? Node->getIDom()->getBlock() : nullptr;
  DenseMap<const BasicBlock *, unsigned> ReachedFrom;
  bool OnCycle = false;
  unsigned Index = 0;
  for (const BasicBlock *S : successors(Y)) {
    ++Index;
    SmallVector<const BasicBlock *, 16> Work{S};
    DenseSet<const BasicBlock *> Seen;
    while (!Work.empty()) {
      const BasicBlock *X = Work.pop_back_val();
      if (!Seen.insert(X).second)
        continue;
      if (X == Y)
        OnCycle = true;
      auto &R = ReachedFrom[X];
      R = R && R != Index ? ~0u : Index;
      if (X == Stop || X == Y)
        continue;
      for (const BasicBlock *Succ : successors(X))
        Work.push_back(Succ);
    }
  }
  // A phi varies when its incoming edges come from different successors of Y (or from paths that
  // already merged two of them): which value a thread gets depends on the way it went.
  bool Changed = false;
  for (auto &[BB, From] : ReachedFrom) {
    for (const PHINode &Phi : BB->phis()) {
      SmallSet<unsigned, 4> Labels;
      bool Mixed = false;
      for (unsigned K = 0; K < Phi.getNumIncomingValues(); ++K) {
        const BasicBlock *P = Phi.getIncomingBlock(K);
        unsigned L;
        if (P == Y) {
          L = 0;
          for (const BasicBlock *S : successors(Y)) {
            ++L;
            if (S == BB)
              break;
          }
        } else if (P != Stop && ReachedFrom.count(P)) {
          L = ReachedFrom.lookup(P);
        } else {
          continue;
        }
        Mixed |= L == ~0u;
        Labels.insert(L);
      }
      if ((Mixed || Labels.size() > 1) && !Phi.hasConstantOrUndefValue())
        Changed |= Varying.insert(&Phi).second;
    }
    if (OnCycle && BB != Stop)
      for (const Instruction &I : *BB)
        if (!I.getType()->isVoidTy())
          Changed |= Varying.insert(&I).second;
  }
  return Changed;
}

bool Divergence::isVaryingBranch(const Instruction *T) const {
  if (auto *Br = dyn_cast<BranchInst>(T))
    return Br->isConditional() && Varying.count(Br->getCondition());
  if (auto *Sw = dyn_cast<SwitchInst>(T))
    return Varying.count(Sw->getCondition());
  return false;
}

const CallInst *Divergence::firstDivergentCollective(const Function &F) const {
  for (const BasicBlock &BB : F) {
    if (!Divergent.count(&BB))
      continue;
    for (const Instruction &I : BB)
      if (auto *C = dyn_cast<CallInst>(&I))
        if (collectiveName(*C))
          return C;
  }
  return nullptr;
}

} // namespace cuport

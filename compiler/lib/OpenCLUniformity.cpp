// OpenCL lowering, the check before writing a kernel: OpenCL requires every work-item of a work-group to
// reach each barrier, and the OpenCL backend's warp collectives are built from work-group barriers.  CUDA
// is more permissive: threads that returned skip later __syncthreads(), and a warp may shuffle inside
// `if (threadIdx.x < 32)`.  Such a kernel would hang, crash or compute garbage on an OpenCL device, so it
// is reported instead (the kernel becomes //@unsupported; everything else still runs).
//
// A small divergence analysis: values that depend on the thread index (or on atomics, shuffles, thread-
// indexed loads, private memory) vary per thread; a block is divergent when it is control dependent
// (post-dominance frontier) on a branch over a varying value or on another divergent block's branch.  A
// barrier or collective in a divergent block is rejected.
#include "Diagnostics.h"
#include "OpenCL.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/Analysis/PostDominators.h"
#include "llvm/Analysis/ValueTracking.h"

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

// Calls that every thread of the block must reach together on OpenCL.
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

} // namespace

bool checkUniformCollectives(Function &F, Diagnostics &Diags) {
  PostDominatorTree PDT(F);
  DenseSet<const Value *> Varying;
  DenseSet<const BasicBlock *> Divergent;

  // Blocks control dependent on the terminator of Y: from each successor up the post-dominator tree to
  // Y's immediate post-dominator.
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
        if (auto *P = dyn_cast<PHINode>(&I))
          for (const BasicBlock *In : P->blocks())
            if (Divergent.count(In) || (In->getTerminator() && Varying.count(In->getTerminator())))
              V = true;
        for (const Value *Op : I.operands())
          if (Varying.count(Op))
            V = true;
        if (V) {
          Varying.insert(&I);
          Changed = true;
        }
      }
      const Instruction *T = BB.getTerminator();
      bool Branches = T && T->getNumSuccessors() > 1;
      if (Branches && (Divergent.count(&BB) ||
                       (isa<BranchInst>(T) && Varying.count(cast<BranchInst>(T)->getCondition())) ||
                       (isa<SwitchInst>(T) && Varying.count(cast<SwitchInst>(T)->getCondition())))) {
        if (!Varying.count(T)) {
          Varying.insert(T);
          Changed = true;
        }
        Changed |= MarkDependents(&BB);
      }
    }
    // Threads that return early never reach later barriers: a return under divergent control makes
    // every block after the branch divergent, which MarkDependents covers (the return block does not
    // post-dominate the branch).
  }

  for (const BasicBlock &BB : F) {
    if (!Divergent.count(&BB))
      continue;
    for (const Instruction &I : BB)
      if (auto *C = dyn_cast<CallInst>(&I))
        if (const char *What = collectiveName(*C)) {
          Diags.error(&I, Twine(What) + " under thread-dependent control flow (inside a branch on the thread "
                                        "index, or after some threads returned) is not supported by the OpenCL "
                                        "backend: OpenCL requires every work-item of a work-group to reach it");
          return false;
        }
  }
  return true;
}

} // namespace cuport

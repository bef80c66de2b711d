// OpenCL lowering: divergence of values and blocks within one kernel (see OpenCLDivergence.cpp).
#ifndef CUPORT_COMPILER_OPENCLDIVERGENCE_H
#define CUPORT_COMPILER_OPENCLDIVERGENCE_H

#include "llvm/ADT/DenseSet.h"
#include "llvm/Analysis/PostDominators.h"

namespace llvm {
class CallInst;
class Function;
class Instruction;
} // namespace llvm

namespace cuport {

// "__syncthreads()", "a warp shuffle", ... for calls every thread of the block must reach on OpenCL;
// nullptr for other calls.
const char *collectiveName(const llvm::CallInst &C);

class Divergence {
public:
  explicit Divergence(llvm::Function &F);
  bool isVarying(const llvm::Value *V) const { return Varying.count(V); }
  bool isDivergent(const llvm::BasicBlock *BB) const { return Divergent.count(BB); }
  bool isVaryingBranch(const llvm::Instruction *Terminator) const;
  // A barrier or collective only some threads reach, or nullptr.
  const llvm::CallInst *firstDivergentCollective(const llvm::Function &F) const;
  llvm::PostDominatorTree PDT;

private:
  bool markJoins(const llvm::BasicBlock *Y);
  llvm::DenseSet<const llvm::Value *> Varying;
  llvm::DenseSet<const llvm::BasicBlock *> JoinsDone;
  llvm::DenseSet<const llvm::BasicBlock *> Divergent;
};

} // namespace cuport

#endif

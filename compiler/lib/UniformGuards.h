// Row-uniform guards, a part of the work-item-loops pass (WorkItemLoops.cpp).
//
// CUDA kernels guard their work with comparisons on a global index: `if (i < n)`, `if (x >= w) return`,
// `if (x == w - 1)`, with i = blockIdx.x * blockDim.x + threadIdx.x.  Inside the block function's loop
// over threadIdx.x such a comparison varies with the loop counter, so LLVM's vectorizer predicates the
// loop's memory accesses (masked loads and stores, slow on many x86 cores) although, in every block but
// the last, the comparison has the same value for the whole row of threads.
//
// A guard here is an integer comparison of the thread function whose one side is an affine function
// a + b * threadIdx.x (a and b the same for the whole row: kernel parameters, blockIdx, blockDim,
// threadIdx.y/z and arithmetic on them, divisions only by constants, gridDim or blockDim, which are never
// zero where the row check evaluates them; also a narrower such function extended, as IndVars leaves 32-bit
// indices widened to 64 bits) and whose other side is row-uniform, and that depends on
// something beyond threadIdx and blockDim (a comparison that only involves those, like
// `threadIdx.x < stride`, is almost never uniform over a row).  Before each row the block function
// evaluates every guard at threadIdx.x = 0 and blockDim.x - 1 and checks that the affine side does not
// wrap between them; then an ordered comparison has one value for the whole row when it has the same value
// at both ends, and an equality when the other side lies outside the range of the affine side.  When
// every guard is uniform, the row runs a copy of the thread function that takes the guards' values as
// arguments: after inlining they are loop-invariant, LLVM unswitches them, and the loop vectorizes
// without masks.  With many guards LLVM unswitches none, so a whole row first tries a copy in which the
// guards are constants, their values away from the grid's edges (predict), when the row has those values.
// Otherwise the row runs in chunks of 32 threads, each checked the same way: a guard like
// `threadIdx.x < stride`, with stride a value the threads share across a barrier (read from the block's
// uniform.in, UniformMemory), has one value in every chunk but the one stride falls in.  Only the guards
// a region can reach count (relevant).
//
// Split guards: a comparison of threadIdx.x plus or minus a row-uniform value with a row-uniform value
// (`threadIdx.x < stride`, `tid == 0`, `threadIdx.x < 32`, also with only blockDim and constants) is
// uniform on each side of the point where it changes.  A region that reaches such guards runs its row as
// up to three stretches split at those points (emitSplitPoints), each checked and versioned like a row, so
// a tree reduction's `if (tid < stride)` step becomes one unmasked loop over threads 0 .. stride-1 and one
// that only records the others' next state.
//
// Lane guards: `(threadIdx.x & M) == C` (or !=) with M + 1 a power of two and C a constant, as in
// `if (threadIdx.x % 32 == 0) warp_sums[warp] = v`: true on every (M + 1)-th thread, so no row, stretch or
// chunk is uniform for it, and the region loop vectorized it with gathers and scatters over all threads.
// A region whose only guard is a lane guard runs two loops instead (WorkItemLoops.cpp): one over the
// threads C, C + M + 1, ... with the guard's value known (createLaneClone), and one over the others.
//
// A phi is row-uniform when, in every region that reaches it, only one of its incoming blocks is
// reachable and the value from there is row-uniform: `stride` at the top of a loop with a barrier is
// blockDim.x / 2 in the region that enters the loop and the value read from uniform.in in the region that
// resumes it.
#ifndef CUPORT_COMPILER_UNIFORMGUARDS_H
#define CUPORT_COMPILER_UNIFORMGUARDS_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/IRBuilder.h"

#include <cstdint>
#include <optional>
#include <utility>

namespace llvm {
class Argument;
class BasicBlock;
class PHINode;
class Function;
class ICmpInst;
class Instruction;
class Value;
} // namespace llvm

namespace cuport {

// The blocks of the region that starts at Start: those reachable from it without going through Dispatch
// (the thread function's state switch; null: none).
void collectRegion(llvm::BasicBlock *Start, llvm::BasicBlock *Dispatch,
                   llvm::SmallPtrSetImpl<llvm::BasicBlock *> &Blocks);

class UniformGuards {
public:
  // WI: the thread function.  TidX: its threadIdx.x argument.  RowUniform: the arguments that are the
  // same for a whole row (not threadIdx.x, the state or the frame).  Ignored: those of them that alone
  // do not make a comparison worth versioning (the block context, whose loads give blockDim).
  // UniformMemory: an argument (also in RowUniform) pointing to memory that does not change while a row
  // runs (the block's uniform.in), or null.
  // Regions: the block where each state's region starts (index: the state), whose blocks are those
  // reachable from it without going through Dispatch (the state switch); empty: one region, the whole
  // function.
  UniformGuards(llvm::Function &WI, llvm::Argument *TidX, llvm::ArrayRef<llvm::Argument *> RowUniform,
                llvm::ArrayRef<llvm::Argument *> Ignored, llvm::Argument *UniformMemory = nullptr,
                llvm::ArrayRef<llvm::BasicBlock *> Regions = {}, llvm::BasicBlock *Dispatch = nullptr);

  bool empty() const { return Guards.empty(); }
  unsigned size() const { return Guards.size(); }
  bool hasPredictions() const {
    return llvm::any_of(Predictions, [](const std::optional<bool> &P) { return P.has_value(); });
  }
  llvm::ArrayRef<llvm::ICmpInst *> guards() const { return Guards; }
  // Whether region Region can reach guard K.
  bool relevant(unsigned Region, unsigned K) const { return reaches(Region, Guards[K]); }
  bool anyRelevant(unsigned Region) const {
    for (unsigned K = 0; K < Guards.size(); ++K)
      if (relevant(Region, K))
        return true;
    return false;
  }

  // `(threadIdx.x & Mask) == Lane` (Equal) or `!=` (not Equal).
  struct LaneGuard {
    llvm::ICmpInst *Cmp;
    uint64_t Mask, Lane;
    bool Equal;
  };
  llvm::ArrayRef<LaneGuard> laneGuards() const { return Lanes; }
  // The lane guard that is the only guard region Region can reach, or -1.
  int onlyLaneGuard(unsigned Region) const;
  // A copy of WI with one i1 argument per lane guard appended, which each lane guard reads.
  llvm::Function *createLaneClone();

  // A copy of WI with one i1 argument per guard appended; each guard reads its argument, or, with
  // UsePredictions, the value it has away from the grid's edges where there is one (predict).
  llvm::Function *createFastClone(bool UsePredictions = false);

  // Emits, at B, the check "every relevant guard is uniform over threadIdx.x = X0 .. X0+Count-1" (returned,
  // Count >= 1) and each guard's value there (Values; false for the others).  ArgValue maps a row-uniform
  // argument of WI to its value at B.  Relevant: one flag per guard (empty: all).  Match, when given, gets
  // "every relevant guard with a prediction has its predicted value".
  llvm::Value *emitRowCheck(llvm::IRBuilder<> &B, unsigned Region, llvm::Value *X0, llvm::Value *Count,
                            llvm::function_ref<llvm::Value *(llvm::Argument *)> ArgValue,
                            llvm::SmallVectorImpl<llvm::Value *> &Values, llvm::Value **Match = nullptr);

  // Where the row 0 .. RowSize-1 of region Region splits into stretches on which its split guards (a
  // comparison of threadIdx.x +- a row-uniform value: `threadIdx.x < stride`, `tid == 0`) are uniform:
  // up to MaxSplitPoints points, each in 0 .. RowSize, in increasing order (empty: none).  Only a hint:
  // each stretch is checked with emitRowCheck before it runs a row-uniform copy.
  static constexpr unsigned MaxSplitPoints = 6;
  llvm::SmallVector<llvm::Value *, 4> emitSplitPoints(llvm::IRBuilder<> &B, unsigned Region, llvm::Value *RowSize,
                                                     llvm::function_ref<llvm::Value *(llvm::Argument *)> ArgValue);

private:
  struct Affine {
    llvm::Value *Base, *Step; // value = Base + Step * threadIdx.x, in the type of the expression
  };
  enum class Kind { Other, Uniform, Affine };

  Kind classify(llvm::Value *V);
  void beginEmission(unsigned Region, llvm::function_ref<llvm::Value *(llvm::Argument *)> ArgValue);
  bool unitStep(llvm::Value *V);
  llvm::Value *regionIncoming(llvm::PHINode *P, unsigned Region);
  std::optional<bool> predict(llvm::ICmpInst *G);
  bool interesting(llvm::Value *V, unsigned Depth = 0);
  llvm::Value *emitUniform(llvm::IRBuilder<> &B, llvm::Value *V);
  Affine emitAffine(llvm::IRBuilder<> &B, llvm::Value *V);
  std::pair<llvm::Value *, llvm::Value *> evalAt(llvm::IRBuilder<> &B, Affine F, llvm::Value *X, bool Unsigned);

  llvm::Function &WI;
  llvm::Argument *TidX, *UniformMemory;
  llvm::SmallPtrSet<llvm::Argument *, 16> Uniform, Boring;
  bool positiveDivisor(const llvm::Instruction *I) const;
  llvm::DenseMap<llvm::Value *, Kind> Kinds;
  llvm::SmallVector<llvm::ICmpInst *, 8> Guards;
  llvm::SmallVector<std::optional<bool>, 8> Predictions; // per guard: predict()
  llvm::SmallVector<bool, 8> Splits;                     // per guard: a split guard (emitSplitPoints)
  llvm::SmallVector<llvm::SmallPtrSet<llvm::BasicBlock *, 32>, 8> RegionBlocks;
  llvm::SmallVector<LaneGuard, 2> Lanes;
  std::optional<LaneGuard> laneGuard(llvm::ICmpInst *Cmp) const;
  bool reaches(unsigned Region, const llvm::Instruction *I) const {
    return RegionBlocks.empty() || RegionBlocks[Region].count(I->getParent());
  }
  unsigned CurRegion = 0; // of the emitRowCheck or emitSplitPoints call
  // Per emitRowCheck call.
  llvm::function_ref<llvm::Value *(llvm::Argument *)> Map;
  llvm::DenseMap<llvm::Value *, llvm::Value *> Emitted;
  llvm::DenseMap<llvm::Value *, Affine> EmittedAffine;
  // Narrow affine sequences emitAffine extended (and whether signed): each must not wrap over the row.
  llvm::SmallVector<std::pair<Affine, bool>, 4> ExtChecks;
};

} // namespace cuport

#endif

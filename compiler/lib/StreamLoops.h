// Stream loops, a part of the work-item-loops pass (WorkItemLoops.cpp).
//
// The most common loop in CUDA code walks an array with the whole grid or block as its stride:
//
//   for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) use(a[i]);
//
// Run as written inside the block function's loop over threads, each thread walks its own stream with a
// stride of the whole grid: one cache line (and, for large grids, one page) per element, and a loop
// nest whose inner loop LLVM cannot vectorize across threads.  On a GPU the threads of a warp take the
// same iteration together, so their accesses are consecutive.  This step gives the CPU the same order:
// a yield site at the top of the loop's header makes each iteration a region, so the block function runs
// iteration k for every thread (one vectorizable loop over consecutive elements) before iteration k + 1.
//
// A yield site synchronizes nothing (CUDA orders no two threads without a barrier, so any interleaving of
// the iterations is a valid schedule); the block scheduler releases it when no warp site can go on, the
// lowest-numbered yield site first, so that every thread waiting at a yield site has run the loop the same
// number of times.  That is what makes the new iteration counter k uniform: the step rewrites each
// induction variable i = start + k * step, so that after the site i is row-affine (UniformGuards.h) and
// `i < n` a row-uniform guard.
//
// A loop qualifies when it is not nested in another loop, has no barrier, collective or call to a
// non-intrinsic function, and has an induction variable whose start is row-uniform plus threadIdx.x,
// whose step is row-uniform and not a constant below 32 (a thread walking its own contiguous chunk is
// better left alone), and that addresses memory in the loop.
//
// Prefetch: with a grid stride, each iteration of a block's row touches a new place (64 KB further for
// 256 blocks of 256 threads over bytes), which the hardware prefetchers do not follow, and the block after
// it comes back to that page only after the whole array went through the cache: each iteration waited
// for memory.  Each load in the loop that indexes a loop-invariant base with the induction variable,
// base[i], also prefetches base[i + step], the element this thread loads in the next iteration (one
// iteration ahead: a row takes a few hundred cycles, and farther was slower; a grid-stride histogram
// took 26-28 ms instead of 36), with a call LLVM's loop vectorizer may widen (Prefetches.h).
#ifndef CUPORT_COMPILER_STREAMLOOPS_H
#define CUPORT_COMPILER_STREAMLOOPS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

namespace llvm {
class Argument;
class CallInst;
class Function;
} // namespace llvm

namespace cuport {

// Inserts a call of the barrier pseudo-intrinsic at the top of the header of each qualifying loop of WI
// (the thread function) and rewrites the loop's induction variables in terms of a new iteration counter.
// TidX: WI's threadIdx.x argument; RowUniform: WI's arguments that are the same for a whole row of
// threads.  Returns the inserted calls (yield sites).
llvm::SmallVector<llvm::CallInst *, 4> insertStreamLoopSites(llvm::Function &WI, llvm::Argument *TidX,
                                                            llvm::ArrayRef<llvm::Argument *> RowUniform);

} // namespace cuport

#endif

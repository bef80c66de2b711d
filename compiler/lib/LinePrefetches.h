// Line prefetches, a step of the optimizer (Pipeline.cpp), before the loop vectorizer.
//
// The stream loops' and next-block prefetches (StreamLoops.h, BlockPrefetches.h) are per thread: each
// thread prefetches the element it will read next.  Inlined into the block function's loops over
// threads, consecutive threads prefetch consecutive elements, so most prefetches repeat the line of the
// one before.  A vectorized loop prefetches once per vector (Prefetches.h); a loop that stays in order
// (atomics) once per thread: a histogram's loop over 256 threads reading a byte each issued 256
// prefetches, with their address arithmetic, for 4 cache lines.
//
// For an llvm.prefetch (what the prefetches of in-order loops are by now) in an innermost loop whose
// address advances by a constant step of less than a cache line per iteration (an add recurrence in
// scalar evolution; an index sign- or zero-extended from 32 bits counts as advancing too: a wrong address
// only wastes a prefetch), with a computable trip count, this step prefetches each line of the span the
// loop's iterations would, once, in a small loop before the loop (in its preheader: only where the loop
// runs), and deletes the prefetch from the loop.  At most MaxLines lines per hoisted prefetch, the rest of
// a longer span is not prefetched: the prefetches go out in a burst, and a burst longer than the
// line-fill buffers stalls the loop behind it.  That is also why vectorized loops keep their per-vector
// prefetches: hoisted, a shuffle reduction's 8 unrolled streams sent 8 x 16 lines before each row loop
// (8 interleaved pairs: 18.2 -> 20.8 ms; Blelloch scan 31.7 -> 34.7 ms).
#ifndef CUPORT_COMPILER_LINEPREFETCHES_H
#define CUPORT_COMPILER_LINEPREFETCHES_H

namespace llvm {
class Function;
class LoopInfo;
class ScalarEvolution;
} // namespace llvm

namespace cuport {

constexpr unsigned LineBytes = 64;
constexpr unsigned MaxLines = 16;

// Hoists the prefetches of F's innermost loops as above.  Returns the number of prefetches hoisted (the
// analyses are stale when it is not 0).
unsigned hoistLinePrefetches(llvm::Function &F, llvm::LoopInfo &LI, llvm::ScalarEvolution &SE);

} // namespace cuport

#endif

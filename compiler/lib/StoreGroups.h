// Complete store groups, a step of the optimizer (Pipeline.cpp), before the loop vectorizer.
//
// A Blelloch scan's first up-sweep step, `t[2 * tid + 1] += t[2 * tid]`, reads both elements of each
// thread's pair of shared-memory words and writes the second.  LLVM's vectorizer loads the pairs with
// wide loads and shuffles (an interleave group of two), but a store group with a gap needs masked
// interleaved stores, which x86 does not get: it scattered the sums, two vpscatterqd per 16 threads (a
// tenth of the scan's samples).
//
// In a loop over threads that is annotated parallel (the region loops of the block function), a store to
// shared memory whose iteration also loaded an address of the same interleave group (the same step per
// iteration, a constant distance less than the step), in the same basic block, before it, with nothing
// that may write memory in between and no store of the block to that word, is followed by a store of the
// loaded value back to the loaded address.  Only where that completes the group (every word of it then
// stored; writing back one word of four would make two scattered stores of one), which the vectorizer
// then stores with shuffles and full vector stores.  The write-back changes nothing: the thread writes what it read, and no other thread writes
// that word between the two, since it read it without a barrier in between (a data race otherwise), which
// is also what the loop's parallel annotation says.  Only shared memory: in global memory another kernel
// may write the neighbouring word of a pair at the same time without a race (different bytes).
#ifndef CUPORT_COMPILER_STOREGROUPS_H
#define CUPORT_COMPILER_STOREGROUPS_H

namespace llvm {
class Function;
class LoopInfo;
class ScalarEvolution;
} // namespace llvm

namespace cuport {

// Adds the write-back stores to F (a block function) as above.  Returns the number added.
unsigned completeStoreGroups(llvm::Function &F, llvm::LoopInfo &LI, llvm::ScalarEvolution &SE);

} // namespace cuport

#endif

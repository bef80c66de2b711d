// Vectorizable prefetches, a part of the work-item-loops pass (WorkItemLoops.cpp) used by its stream loops
// (StreamLoops.h) and next-block prefetches (BlockPrefetches.h).
//
// A call of llvm.prefetch keeps LLVM 15's loop vectorizer from widening the loop over threads that
// contains it.  The work-item-loops steps emit __cuport_prefetch(ptr) (read) or __cuport_prefetchw(ptr)
// (write) instead: functions with vector variants, declared with the VFABI attribute, so that the
// vectorizer widens them like any access of the thread (they join the thread function's access group).
// lowerPrefetches, after the vectorizer, turns a scalar call into llvm.prefetch and a vector call into
// prefetches of its first lane and the line after it (consecutive threads: one span).  In thread functions whose loops
// stay in order they become llvm.prefetch at once: LLVM's unroller leaves loops that call functions alone.
#ifndef CUPORT_COMPILER_PREFETCHES_H
#define CUPORT_COMPILER_PREFETCHES_H

#include "llvm/IR/IRBuilder.h"

namespace llvm {
class CallBase;
class Function;
class Module;
class Value;
} // namespace llvm

namespace cuport {

// A prefetch of the memory at Ptr, for reading or (Write) for writing, at B's insertion point.
llvm::CallInst *createPrefetch(llvm::IRBuilder<> &B, llvm::Value *Ptr, bool Write);

// Whether CB calls __cuport_prefetch, __cuport_prefetchw or one of their vector variants (a memory
// access of its thread for the parallel-loop annotations: it touches no memory the program can see).
bool isPrefetchCall(const llvm::CallBase &CB);

// llvm.prefetch of the memory at Ptr, as lowerPrefetches makes it (for reading or writing, into L2,
// data).
llvm::CallInst *createLoweredPrefetch(llvm::IRBuilder<> &B, llvm::Value *Ptr, bool Write);

// Replaces the prefetch calls in M by llvm.prefetch and deletes their declarations.  Returns whether it
// changed M.
bool lowerPrefetches(llvm::Module &M);
// The same for the calls in F alone.
void lowerPrefetches(llvm::Function &F);

} // namespace cuport

#endif

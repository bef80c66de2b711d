// Next-block prefetches, a part of the work-item-loops pass (WorkItemLoops.cpp).
//
// A kernel with barriers runs its blocks one after the other on a worker, each in phases: the threads load
// their block's piece of a global array (a segment to scan, a chunk to reduce, a tile), then compute in
// shared memory across barriers, then store their results.  The hardware prefetchers follow the loads of
// one phase, but during the compute phases no load tells them where the next block will read, so each
// block's first loads wait for memory (a Blelloch scan of 512-element segments spent a third of its
// time in the loop that loads them).  A worker's next block is blockIdx.x + 1 (the block function runs a
// range of consecutive blocks), so each global load or store whose address depends on blockIdx.x, and
// is computed from the kernel's arguments, the thread and block indices and invariant loads of the block
// context alone, also prefetches the address it has in block blockIdx.x + 1: for reading before a load,
// for writing before a store (the store would first read the line).  The prefetch is the vectorizable
// call of Prefetches.h, so the region loops vectorize as before.
//
// Not for accesses whose next-block address is a constant distance of less than 128 bytes away (the
// pair of cache lines the L2 cache fetches together: a matmul's B tile at blockIdx.x * 16 floats); an
// access in the next block's row of a transpose's tile, 128 bytes on, is prefetched (17.5 -> 12.5 ms).
// Not in kernels without barriers or collectives: their blocks stream through memory in one phase (with
// fused rows, one sweep), which the hardware prefetchers follow.  One prefetch per cache line (the fields
// of a float4 share one), at most 8 per kernel.  In a range's last block the prefetches touch the next
// range's first block, or past the array: prefetches do not fault.
//
// Measured on 2 cores (Xeon, AVX-512), suite sizes: Blelloch scan 45 -> 31 ms, transpose 17.5 -> 12.5 ms,
// warp-shuffle reduction 31 -> 28.5 ms; tiled matmul, n-body and histogram unchanged.
#ifndef CUPORT_COMPILER_BLOCKPREFETCHES_H
#define CUPORT_COMPILER_BLOCKPREFETCHES_H

#include "llvm/ADT/ArrayRef.h"

namespace llvm {
class Argument;
class Function;
} // namespace llvm

namespace cuport {

// Inserts next-block prefetches into WI (the thread function, before its barriers are made resumable).
// BidX: its blockIdx.x argument.  Kernel: its first NumParams arguments are the kernel's.  Leaves:
// arguments an address may depend on besides those (the block context, thread and block indices).
// Returns the number of prefetches inserted.
unsigned insertNextBlockPrefetches(llvm::Function &WI, unsigned NumParams, llvm::Argument *BidX,
                                   llvm::ArrayRef<llvm::Argument *> Leaves);

} // namespace cuport

#endif

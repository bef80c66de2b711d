// Questions about how a pointer is used, shared by the CPU and OpenCL lowerings.
#ifndef CUPORT_COMPILER_POINTERUSES_H
#define CUPORT_COMPILER_POINTERUSES_H

namespace llvm {
class Value;
} // namespace llvm

namespace cuport {

// True unless every use of Ptr (through GEPs, casts, phis and selects) only reads the memory it points to
// (loads, and memcpy/memmove sources).  Used for by-value kernel parameters, which CUDA lets each thread
// modify as its own copy.
bool mayWriteThrough(const llvm::Value *Ptr);

// True when Ptr is a pointer into __shared__ memory: it is in address space 3, or its underlying object
// (through GEPs and casts, address-space casts included) is.  Before lower-shared-memory only.
bool isSharedPointer(const llvm::Value *Ptr);

} // namespace cuport

#endif

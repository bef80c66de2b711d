// Questions about how a pointer is used, and rewriting the uses of globals, shared by the lowerings.
#ifndef CUPORT_COMPILER_POINTERUSES_H
#define CUPORT_COMPILER_POINTERUSES_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

namespace llvm {
class GlobalVariable;
class Instruction;
class Value;
} // namespace llvm

namespace cuport {

class Diagnostics;

// True unless every use of Ptr (through GEPs, casts, phis and selects) only reads the memory it points to
// (loads, and memcpy/memmove sources).  Used for by-value kernel parameters, which CUDA lets each thread
// modify as its own copy.
bool mayWriteThrough(const llvm::Value *Ptr);

// True when Ptr is a pointer into __shared__ memory: it is in address space 3, or its underlying object
// (through GEPs and casts, address-space casts included) is.  Before lower-shared-memory only.
bool isSharedPointer(const llvm::Value *Ptr);

// Replaces the globals that `Replaced` selects in I's operands: an operand that is such a global, or a
// constant expression built on one, becomes Replace(G, At) (or the expression rebuilt as instructions
// over it), computed at At: before I, or for a PHI operand at the end of its incoming block.  A constant
// aggregate containing such a global cannot be rebuilt: an error at I that names `What` ("a __shared__
// variable").
void replaceGlobalsInOperands(llvm::Instruction &I, llvm::function_ref<bool(const llvm::GlobalVariable *)> Replaced,
                              llvm::function_ref<llvm::Value *(llvm::GlobalVariable *, llvm::Instruction *At)> Replace,
                              Diagnostics &Diags, llvm::StringRef What);

} // namespace cuport

#endif

// Declarations of the pseudo-intrinsics (Passes.h, namespace pseudo) with the attributes that keep
// optimizations honest: thread-index and context reads are pure, the barrier is convergent.
#ifndef CUPORT_COMPILER_PSEUDOINTRINSICS_H
#define CUPORT_COMPILER_PSEUDOINTRINSICS_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

namespace llvm {
class Function;
class Module;
class Value;
class IRBuilderBase;
class Twine;
} // namespace llvm

namespace cuport {

llvm::Function *getPseudo(llvm::Module &M, llvm::StringRef Name);
bool isPseudo(const llvm::Function *F);
// Whether F is the barrier or the collective pseudo-intrinsic (a synchronization site); false for null.
bool isSyncPseudo(const llvm::Function *F);
// Loads a 32-bit field of cuport_cpu_block_ctx (byte offset) through __cuport.ctx(); invariant except
// blockIdx.
llvm::Value *loadCtxField32(llvm::IRBuilderBase &B, unsigned ByteOffset, const llvm::Twine &Name);
llvm::Value *loadCtxPtr(llvm::IRBuilderBase &B, unsigned ByteOffset, const llvm::Twine &Name);
// Appends the calling thread's context (block context, threadIdx.x/y/z) as four call arguments, the
// convention of indirect calls and of __cuport_assertfail_at.
void appendThreadContext(llvm::IRBuilderBase &B, llvm::SmallVectorImpl<llvm::Value *> &Args);

// Byte offsets in cuport_cpu_block_ctx (include/cuport/cpu_kernel_abi.h); checked by a static_assert in
// WorkItemLoops.cpp.
namespace ctxoff {
inline constexpr unsigned GridDim = 0, BlockDim = 12, BlockIdx = 24, AbiVersion = 36;
inline constexpr unsigned SharedMem = 40, DynamicShared = 48, FrameMem = 56, ThreadState = 64;
} // namespace ctxoff

} // namespace cuport

#endif

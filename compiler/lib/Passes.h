// The device-code lowering passes, in pipeline order (see docs/design.md).  One pass per file, each a
// function over a Module that reports unsupported input through Diagnostics and returns false on error.
// compiler/tools/cuport-opt runs any of them by name for the lit tests in compiler/test/.
#ifndef CUPORT_COMPILER_PASSES_H
#define CUPORT_COMPILER_PASSES_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class Function;
class GlobalVariable;
class Module;
class LoopInfo;
class TargetMachine;
} // namespace llvm

namespace cuport {

class Diagnostics;

// Names of the pseudo-intrinsics that connect the passes.  They exist only between LowerNVVMIntrinsics and
// WorkItemLoops; nothing after WorkItemLoops may contain them.
namespace pseudo {
inline constexpr const char *TidX = "__cuport.tid.x";
inline constexpr const char *TidY = "__cuport.tid.y";
inline constexpr const char *TidZ = "__cuport.tid.z";
inline constexpr const char *BlockCtx = "__cuport.ctx"; // ptr to cuport_cpu_block_ctx
inline constexpr const char *Barrier = "__cuport.barrier";
// i64 __cuport.sync(i32 kind, i32 mask, i64 a, i64 b, i64 c): a barrier that is also a collective
// (cuport_cpu_site_kind in cpu_kernel_abi.h): warp shuffles, votes, matches, __syncwarp, and the
// reducing __syncthreads_count/and/or.  Returns the sync record's result field.
inline constexpr const char *Sync = "__cuport.sync";
} // namespace pseudo

// Function attributes the passes attach to kernels.
inline constexpr const char *KernelAttr = "cuport-kernel";
inline constexpr const char *StaticSharedAttr = "cuport-static-shared";
// On a kernel whose shared-memory atomics became plain loads and stores (SharedAtomics.cpp): its threads
// must then run one after the other, so its work-item loops are not marked parallel.
inline constexpr const char *SharedAtomicsAttr = "cuport-shared-atomics";

// 0. Every target, before anything else: each __managed__ variable (annotated "cuport.managed" by
//    host_defines.h) becomes a pointer-sized cell of the same name that the runtime points at the
//    variable's host storage, and device code reaches the variable through it (ManagedVariables.cpp).
//    Idempotent.
bool lowerManagedVariables(llvm::Module &M, Diagnostics &Diags);
// What a cell made by lowerManagedVariables stands for: the variable's size and initial bytes.
struct ManagedVariable {
  uint64_t Size = 0;
  std::string Init; // Size bytes, or "" when all are zero
};
std::optional<ManagedVariable> managedVariable(const llvm::GlobalVariable &G);

// 1. Marks kernels (from !nvvm.annotations) with KernelAttr; drops NVPTX-only metadata.
bool collectKernels(llvm::Module &M, Diagnostics &Diags);
// 2. Sets the host triple and data layout, strips NVPTX target attributes, internalizes everything but
//    kernels and __device__/__constant__ variables.
bool retargetToHost(llvm::Module &M, llvm::TargetMachine &TM, Diagnostics &Diags);
// 2a. After retargetToHost: the widest vectors (bits) the vectorizers may use, as each function's
//     "prefer-vector-width" (a CPU without them uses its own widest; cuport-cc --cpu-vector-width).
void setVectorWidth(llvm::Module &M, unsigned Bits);
// 2b. Memcheck (cuport-cc --memcheck / -G, CPU image only): a check call before every global and shared
//     memory access, and the image's memcheck record (Memcheck.cpp, docs/memcheck.md).
bool instrumentMemcheck(llvm::Module &M, Diagnostics &Diags);
// 3. Replaces llvm.nvvm.* intrinsics with portable IR or the pseudo-intrinsics; rejects inline asm and
//    intrinsics it does not know, naming the CUDA feature.  GPU targets (NVVMTarget::Device) get calls of
//    their device runtime's __cuport_sreg_*, __cuport_barrier and __cuport_fence_* functions instead of the
//    CPU's block-context loads, and keep device printf/assert calls as Clang wrote them.
enum class NVVMTarget { Cpu, Device };
bool lowerNVVMIntrinsics(llvm::Module &M, Diagnostics &Diags, NVVMTarget Target = NVVMTarget::Cpu);
// The same for the calls in one function; false when this function had errors.
bool lowerNVVMIntrinsicsIn(llvm::Function &F, Diagnostics &Diags, NVVMTarget Target);
// 4. Inlines every function that uses thread context (pseudo-intrinsics, __shared__ variables) into the
//    kernels; rejects recursion through such functions.
bool inlineContextFunctions(llvm::Module &M, Diagnostics &Diags);
// 4b. Atomics on __shared__ memory become plain loads and stores: a block's threads run one after the
//    other on one OS thread (SharedAtomics.cpp).
bool lowerSharedAtomics(llvm::Module &M, Diagnostics &Diags);
// 5. Lays out each kernel's static __shared__ variables in the block's shared memory and points extern
//    __shared__ arrays at the dynamic part.
bool lowerSharedMemory(llvm::Module &M, Diagnostics &Diags);
// 6. Turns each kernel into a block function (cpu_kernel_abi.h): work-item loops over the block's
//    threads, split into barrier-free regions, with values live across barriers kept per thread.
//    VersionGuards: rows of threads whose guards are uniform run a guard-free copy (UniformGuards.h;
//    worth it only where LLVM's loop optimizations run).
bool formWorkItemLoops(llvm::Module &M, Diagnostics &Diags, bool VersionGuards);
// 6b. In the optimizer, before the loop vectorizer: the llvm.experimental.noalias.scope.decl calls that
//     inlining the thread function left in a loop marked llvm.loop.parallel_accesses join its access
//     groups (they count as memory accesses, and a loop is parallel only when all its accesses are).
void markParallelScopeDecls(llvm::Function &F, llvm::LoopInfo &LI);
// 6c. In the optimizer, after the loop vectorizer: masked loads and stores whose mask is one bit in every
//     lane become a branch around a plain access (UniformMasks.cpp).
bool branchOnUniformMasks(llvm::Function &F);

// GPU lowerings (OpenCL, AMDGPU), first step: marks the kernels, inlines every device function into them,
// and cleans up (SROA, address-space inference from the NVPTX generic space).
bool inlineIntoKernels(llvm::Module &M, Diagnostics &Diags);

// A __device__ or __constant__ variable defined in this module (address space 1 or 4, not an LLVM, private or
// constant global such as a string literal): what the runtime finds by name (cudaMemcpyToSymbol), so every
// image keeps its symbol.
bool isDeviceVariable(const llvm::GlobalVariable &G);

// Kernel and variable metadata for the fat-binary manifest, read after retargetToHost.
struct ParamLayout {
  uint32_t Offset = 0, Size = 0, Align = 1;
};
struct KernelRecord {
  std::string Name;
  std::vector<ParamLayout> Params;
  uint32_t ParamBufferSize = 0;
};
struct VariableRecord {
  std::string Name;
  uint64_t Size = 0;
  std::string Kind; // device | constant | managed
  std::string Init; // managed: the initial bytes (Size of them), "" when all zero
};
struct ModuleRecord {
  std::vector<KernelRecord> Kernels;
  std::vector<VariableRecord> Variables;
};
ModuleRecord describeModule(const llvm::Module &M);
std::string formatManifest(const ModuleRecord &R);

} // namespace cuport

#endif

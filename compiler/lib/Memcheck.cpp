// Memcheck (cuport-cc --memcheck, or -G): instruments the CPU image so that CUPORT_MEMCHECK=1 checks every
// global and shared memory access of device code at run time (docs/memcheck.md).
//
// Runs on the CPU image only, right after retargetToHost: __shared__ variables are still addrspace(3)
// globals and thread indices still llvm.nvvm.read.ptx.sreg.* calls, so what this pass inserts is lowered by
// the passes after it like the rest of the code.  Before every load, store, atomicrmw, cmpxchg and
// memcpy/memmove/memset intrinsic of every function it inserts
//   store volatile i32 thread, ctx->memcheck_thread;  store volatile ptr where, ctx->memcheck_where
//   if (@__cuport_memcheck_hook != null)
//     call void @__cuport_memcheck(ptr addr, i64 size, i32 kind, ptr where, i32 thread, ptr ctx)
// (cpu_kernel_abi.h: kind is read/write/atomic plus CUPORT_MC_ALIGNED and CUPORT_MC_SHARED; where is
// "<function>\t<file>:<line>"; thread is threadIdx packed as x | y << 10 | z << 20).  The stores let a
// fault report name the thread; without CUPORT_MEMCHECK there is no hook, so the rest is a load and a
// branch.  Device heap allocations (malloc, operator new) and releases are reported through the same call.
//
// Not checked: accesses whose underlying object is provably private (an alloca, or a by-value parameter),
// and accesses at constant offsets that are provably inside a global variable.  Small functions of cuport's
// own headers that access memory (atomicAdd, __ldg, ...) are inlined first, so a report names the user's
// line rather than the header's.  In recursive functions, and in the functions they call, the thread is not
// passed (reading threadIdx there would make them context functions, which cannot be inlined): reports from
// them say "thread unknown", and they do not record it in the block context.
//
// The module gets an exported __cuport_memcheck_info (cuport_cpu_memcheck_info): the mark of an instrumented
// image, its table of global variables (address, size, name) and where the backend installs its hook.
#include "Diagnostics.h"
#include "Passes.h"
#include "PointerUses.h"
#include "PseudoIntrinsics.h"

#include "cuport/cpu_kernel_abi.h"

#include "llvm/ADT/SCCIterator.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Analysis/CallGraph.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/IntrinsicsNVPTX.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <cstddef>

#include <map>

using namespace llvm;

namespace cuport {

namespace {

constexpr unsigned SharedAS = 3;

// cuport's own headers (the same test as Diagnostics' sourceLocation).
bool inHeader(StringRef Dir, StringRef File) {
  return File.startswith("include/cuport/") || File.contains("/include/cuport/") ||
         File.endswith("cooperative_groups.h") || File.contains("include/cooperative_groups/") ||
         Dir.endswith("/include/cuport");
}

bool isHeaderFunction(const Function &F) {
  const DISubprogram *SP = F.getSubprogram();
  return SP && inHeader(SP->getDirectory(), SP->getFilename());
}

// "file:line" of I, walking out of cuport's headers to the user's call site; "" without debug info.
std::string lineOf(const Instruction &I) {
  const DILocation *Loc = I.getDebugLoc().get();
  while (Loc && inHeader(Loc->getDirectory(), Loc->getFilename()) && Loc->getInlinedAt())
    Loc = Loc->getInlinedAt();
  if (!Loc || Loc->getFilename().empty())
    return "";
  return Loc->getFilename().str() + ":" + std::to_string(Loc->getLine());
}

// Memory whose address never leaves the thread: allocas and by-value parameters (all underlying objects).
bool isPrivate(const Value *Ptr) {
  SmallVector<const Value *, 4> Objects;
  getUnderlyingObjects(Ptr, Objects, nullptr, /*MaxLookup=*/0);
  if (Objects.empty())
    return false;
  for (const Value *O : Objects) {
    if (isa<AllocaInst>(O))
      continue;
    if (auto *A = dyn_cast<Argument>(O); A && A->hasByValAttr())
      continue;
    return false;
  }
  return true;
}

// [Ptr, Ptr + Size) at a constant offset inside a sized global variable.
bool provablyInsideGlobal(const Value *Ptr, uint64_t Size, const DataLayout &DL) {
  APInt Offset(DL.getIndexTypeSizeInBits(Ptr->getType()), 0);
  const Value *Base = Ptr->stripAndAccumulateConstantOffsets(DL, Offset, /*AllowNonInbounds=*/true);
  auto *G = dyn_cast<GlobalVariable>(Base);
  if (!G || !G->getValueType()->isSized() || G->isDeclaration())
    return false;
  const uint64_t Bytes = DL.getTypeAllocSize(G->getValueType());
  if (Offset.isNegative() || Offset.getActiveBits() > 63)
    return false;
  const uint64_t Off = Offset.getZExtValue();
  return Size <= Bytes && Off <= Bytes - Size;
}

bool isHeapAllocation(StringRef Name) {
  return Name == "malloc" || Name == "_Znwm" || Name == "_Znam" || Name == "_ZnwmSt11align_val_t" ||
         Name == "_ZnamSt11align_val_t";
}

bool isHeapRelease(StringRef Name) {
  return Name == "free" || Name == "_ZdlPv" || Name == "_ZdaPv" || Name == "_ZdlPvm" || Name == "_ZdaPvm" ||
         Name == "_ZdlPvSt11align_val_t" || Name == "_ZdaPvSt11align_val_t" || Name == "_ZdlPvmSt11align_val_t" ||
         Name == "_ZdaPvmSt11align_val_t";
}

// One check to insert.
struct Access {
  Instruction *At;    // the check goes before it (after it for heap allocations)
  Value *Ptr;
  Value *Size;        // i64 or i32
  uint32_t Kind;
};

class Instrumenter {
public:
  explicit Instrumenter(Module &M)
      : M(M), DL(M.getDataLayout()), C(M.getContext()), Ptr(PointerType::get(C, 0)), I32(Type::getInt32Ty(C)),
        I64(Type::getInt64Ty(C)) {
    Check = M.getOrInsertFunction(
        "__cuport_memcheck", FunctionType::get(Type::getVoidTy(C), {Ptr, I64, I32, Ptr, I32, Ptr}, false));
    if (auto *F = dyn_cast<Function>(Check.getCallee()))
      F->addFnAttr(Attribute::NoUnwind);
    Hook = M.getGlobalVariable("__cuport_memcheck_hook");
    if (!Hook) {
      Hook = new GlobalVariable(M, Ptr, false, GlobalValue::ExternalLinkage, nullptr, "__cuport_memcheck_hook");
      Hook->setVisibility(GlobalValue::HiddenVisibility);
      Hook->setDSOLocal(true);
    }
  }

  // The checks a function needs.
  void collect(Function &F, SmallVectorImpl<Access> &Out) {
    for (Instruction &I : instructions(F)) {
      if (auto *L = dyn_cast<LoadInst>(&I)) {
        addTyped(Out, I, L->getPointerOperand(), L->getType(), L->getAlign(), CUPORT_MC_READ);
      } else if (auto *S = dyn_cast<StoreInst>(&I)) {
        addTyped(Out, I, S->getPointerOperand(), S->getValueOperand()->getType(), S->getAlign(), CUPORT_MC_WRITE);
      } else if (auto *A = dyn_cast<AtomicRMWInst>(&I)) {
        addTyped(Out, I, A->getPointerOperand(), A->getValOperand()->getType(), A->getAlign(), CUPORT_MC_ATOMIC);
      } else if (auto *X = dyn_cast<AtomicCmpXchgInst>(&I)) {
        addTyped(Out, I, X->getPointerOperand(), X->getCompareOperand()->getType(), X->getAlign(),
                 CUPORT_MC_ATOMIC);
      } else if (auto *MT = dyn_cast<MemTransferInst>(&I)) {
        addBulk(Out, I, MT->getRawDest(), MT->getLength(), CUPORT_MC_WRITE);
        addBulk(Out, I, MT->getRawSource(), MT->getLength(), CUPORT_MC_READ);
      } else if (auto *MS = dyn_cast<MemSetInst>(&I)) {
        addBulk(Out, I, MS->getRawDest(), MS->getLength(), CUPORT_MC_WRITE);
      } else if (auto *CI = dyn_cast<CallInst>(&I)) {
        Function *Callee = CI->getCalledFunction();
        if (!Callee || !Callee->isDeclaration())
          continue;
        if (isHeapAllocation(Callee->getName()) && CI->arg_size() >= 1 && CI->getType()->isPointerTy())
          Out.push_back({CI, CI, CI->getArgOperand(0), CUPORT_MC_HEAP_ALLOC});
        else if (isHeapRelease(Callee->getName()) && CI->arg_size() >= 1 &&
                 CI->getArgOperand(0)->getType()->isPointerTy())
          Out.push_back({CI, CI->getArgOperand(0), ConstantInt::get(I64, 0), CUPORT_MC_HEAP_FREE});
      }
    }
  }

  // Inserts F's checks.  Where the thread is known, they also record it in the block context.
  void instrument(Function &F, ArrayRef<Access> Accesses, bool ThreadKnown) {
    if (Accesses.empty())
      return;
    Value *Thread = ConstantInt::get(I32, CUPORT_MC_THREAD_UNKNOWN);
    Value *Ctx = ConstantPointerNull::get(Ptr), *CtxThread = nullptr, *CtxWhere = nullptr;
    if (ThreadKnown) {
      BasicBlock::iterator At = F.getEntryBlock().getFirstInsertionPt();
      while (isa<AllocaInst>(&*At))
        ++At;
      IRBuilder<> B(&*At);
      auto Read = [&](Intrinsic::ID ID) { return B.CreateCall(Intrinsic::getDeclaration(&M, ID)); };
      Value *X = Read(Intrinsic::nvvm_read_ptx_sreg_tid_x);
      Value *Y = Read(Intrinsic::nvvm_read_ptx_sreg_tid_y);
      Value *Z = Read(Intrinsic::nvvm_read_ptx_sreg_tid_z);
      Thread = B.CreateOr(B.CreateOr(X, B.CreateShl(Y, 10)), B.CreateShl(Z, 20), "memcheck.thread");
      Ctx = B.CreateCall(getPseudo(M, pseudo::BlockCtx), {}, "memcheck.ctx");
      Type *I8 = B.getInt8Ty();
      CtxThread = B.CreateConstInBoundsGEP1_64(I8, Ctx, offsetof(cuport_cpu_block_ctx, memcheck_thread));
      CtxWhere = B.CreateConstInBoundsGEP1_64(I8, Ctx, offsetof(cuport_cpu_block_ctx, memcheck_where));
    }
    MDNode *Unlikely = MDBuilder(C).createBranchWeights(1, 1 << 20);
    for (const Access &A : Accesses) {
      const bool After = (A.Kind & CUPORT_MC_OP_MASK) == CUPORT_MC_HEAP_ALLOC;
      Instruction *Before = After ? A.At->getNextNode() : A.At;
      IRBuilder<> B(Before);
      B.SetCurrentDebugLocation(A.At->getDebugLoc());
      Value *P = A.Ptr;
      if (P->getType()->getPointerAddressSpace() != 0)
        P = B.CreateAddrSpaceCast(P, Ptr);
      Value *Size = B.CreateZExtOrTrunc(A.Size, I64);
      Constant *Where = where(F, *A.At);
      if (CtxThread) {
        // Volatile: a fault report reads them at any point, so they may not be merged or sunk out of loops.
        B.CreateStore(Thread, CtxThread, /*isVolatile=*/true);
        B.CreateStore(Where, CtxWhere, /*isVolatile=*/true);
      }
      Value *On = B.CreateIsNotNull(B.CreateLoad(Ptr, Hook, "memcheck.hook"));
      Instruction *Then = SplitBlockAndInsertIfThen(On, Before, /*Unreachable=*/false, Unlikely);
      IRBuilder<> TB(Then);
      TB.SetCurrentDebugLocation(A.At->getDebugLoc());
      TB.CreateCall(Check, {P, Size, ConstantInt::get(I32, A.Kind), Where, Thread, Ctx});
      ++Inserted;
    }
  }

  // The exported record of an instrumented image.
  void emitInfo() {
    StructType *EntryTy = StructType::get(C, {Ptr, I64, Ptr});
    SmallVector<GlobalVariable *, 32> Globals;
    for (GlobalVariable &G : M.globals())
      if (!G.isDeclaration() && G.getAddressSpace() != SharedAS && !G.getName().startswith("llvm.") &&
          !Own.count(&G) && G.getValueType()->isSized())
        Globals.push_back(&G);
    std::vector<Constant *> Entries;
    for (GlobalVariable *G : Globals) {
      Constant *Addr = G->getAddressSpace() == 0 ? static_cast<Constant *>(G)
                                                 : ConstantExpr::getAddrSpaceCast(G, Ptr);
      Entries.push_back(ConstantStruct::get(
          EntryTy, {Addr, ConstantInt::get(I64, DL.getTypeAllocSize(G->getValueType())), string(G->getName())}));
    }
    auto *TableTy = ArrayType::get(EntryTy, Entries.size());
    auto *Table = new GlobalVariable(M, TableTy, true, GlobalValue::PrivateLinkage,
                                     ConstantArray::get(TableTy, Entries), "__cuport.memcheck.globals");
    StructType *InfoTy = StructType::get(C, {I32, I32, Ptr, Ptr});
    auto *Info = new GlobalVariable(
        M, InfoTy, true, GlobalValue::ExternalLinkage,
        ConstantStruct::get(InfoTy, {ConstantInt::get(I32, CUPORT_CPU_MEMCHECK_VERSION),
                                     ConstantInt::get(I32, Entries.size()), Table, Hook}),
        CUPORT_CPU_MEMCHECK_INFO);
    Info->setVisibility(GlobalValue::DefaultVisibility);
    Info->setDSOLocal(true);
  }

  unsigned Inserted = 0;

private:
  void addTyped(SmallVectorImpl<Access> &Out, Instruction &I, Value *P, Type *T, Align A, uint32_t Kind) {
    const uint64_t Size = DL.getTypeStoreSize(T).getFixedSize();
    if (Size == 0 || isPrivate(P) || provablyInsideGlobal(P, Size, DL))
      return;
    // CUDA faults on an access that is not naturally aligned, where the code assumes it is (a packed
    // struct's members get byte accesses instead); atomics always need it.
    const bool Natural = Size == 2 || Size == 4 || Size == 8 || Size == 16;
    if (Natural && (Kind == CUPORT_MC_ATOMIC || A.value() >= Size))
      Kind |= CUPORT_MC_ALIGNED;
    if (isSharedPointer(P))
      Kind |= CUPORT_MC_SHARED;
    Out.push_back({&I, P, ConstantInt::get(I64, Size), Kind});
  }

  void addBulk(SmallVectorImpl<Access> &Out, Instruction &I, Value *P, Value *Length, uint32_t Kind) {
    if (auto *N = dyn_cast<ConstantInt>(Length)) {
      if (N->isZero() || (N->getValue().getActiveBits() <= 63 && provablyInsideGlobal(P, N->getZExtValue(), DL)))
        return;
    }
    if (isPrivate(P))
      return;
    if (isSharedPointer(P))
      Kind |= CUPORT_MC_SHARED;
    Out.push_back({&I, P, Length, Kind});
  }

  Constant *string(StringRef S) {
    auto It = Strings.find(S.str());
    if (It != Strings.end())
      return It->second;
    Constant *Init = ConstantDataArray::getString(C, S);
    auto *G = new GlobalVariable(M, Init->getType(), true, GlobalValue::PrivateLinkage, Init, "__cuport.memcheck.str");
    G->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
    G->setAlignment(Align(1));
    Own.insert(G);
    return Strings[S.str()] = G;
  }

  Constant *where(Function &F, Instruction &I) {
    std::string Line = lineOf(I);
    return string(F.getName().str() + (Line.empty() ? "" : "\t" + Line));
  }

  Module &M;
  const DataLayout &DL;
  LLVMContext &C;
  PointerType *Ptr;
  IntegerType *I32, *I64;
  FunctionCallee Check;
  GlobalVariable *Hook;
  std::map<std::string, Constant *> Strings;
  SmallPtrSet<GlobalVariable *, 16> Own;
};

// Inlines, into their callers, the functions of cuport's headers that access memory the checks see (atomics,
// __ldg, ...), transitively, so that the checks carry the user's source line.
void inlineHeaderAccessors(Module &M, Instrumenter &Ins) {
  SetVector<Function *> Accessors;
  for (Function &F : M) {
    if (F.isDeclaration() || !isHeaderFunction(F))
      continue;
    SmallVector<Access, 4> A;
    Ins.collect(F, A);
    if (!A.empty())
      Accessors.insert(&F);
  }
  for (size_t I = 0; I < Accessors.size(); ++I)
    for (User *U : Accessors[I]->users())
      if (auto *CB = dyn_cast<CallBase>(U))
        if (CB->getCalledFunction() == Accessors[I] && isHeaderFunction(*CB->getFunction()))
          Accessors.insert(CB->getFunction());
  // Bounded: header functions are not recursive, but a bound keeps a surprise from looping.
  for (int Round = 0; Round < 16; ++Round) {
    SmallVector<CallBase *, 16> Sites;
    for (Function *F : Accessors)
      for (User *U : F->users())
        if (auto *CB = dyn_cast<CallBase>(U))
          if (CB->getCalledFunction() == F && CB->getFunction() != F && !isHeaderFunction(*CB->getFunction()))
            Sites.push_back(CB);
    if (Sites.empty())
      return;
    for (CallBase *CB : Sites) {
      InlineFunctionInfo IFI;
      InlineFunction(*CB, IFI);
    }
  }
}

} // namespace

bool instrumentMemcheck(Module &M, Diagnostics &Diags) {
  (void)Diags;
  Instrumenter Ins(M);
  inlineHeaderAccessors(M, Ins);

  // Functions on a call-graph cycle, and what they call, cannot read the thread's indices: "needs context"
  // propagates to callers, and a recursive context function cannot be inlined (see the file comment).
  SetVector<const Function *> Recursive;
  CallGraph CG(M);
  for (auto It = scc_begin(&CG); !It.isAtEnd(); ++It) {
    const std::vector<CallGraphNode *> &SCC = *It;
    if (SCC.size() > 1 || It.hasCycle())
      for (CallGraphNode *N : SCC)
        if (Function *F = N->getFunction())
          Recursive.insert(F);
  }
  for (size_t I = 0; I < Recursive.size(); ++I)
    for (const Instruction &Inst : instructions(*Recursive[I]))
      if (auto *CB = dyn_cast<CallBase>(&Inst))
        if (const Function *Callee = CB->getCalledFunction(); Callee && !Callee->isDeclaration())
          Recursive.insert(Callee);

  SmallVector<Function *, 16> Functions;
  for (Function &F : M)
    if (!F.isDeclaration() && !F.isIntrinsic())
      Functions.push_back(&F);
  for (Function *F : Functions) {
    SmallVector<Access, 32> Accesses;
    Ins.collect(*F, Accesses);
    Ins.instrument(*F, Accesses, !Recursive.count(F));
  }
  Ins.emitInfo();
  return true;
}

} // namespace cuport

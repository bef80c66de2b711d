// Pass 6: work-item loops.  Each kernel K becomes
//
//   uint32 K.wi(params..., ctx, tx, ty, tz, state, frame)   the code of ONE thread, resumable at barriers
//   void __cuport_k_K(void** args, cuport_cpu_block_ctx*)     runs a whole block (cpu_kernel_abi.h)
//   const cuport_cpu_kernel_info __cuport_i_K                   frame size, static shared size
//
// K.wi starts at the kernel entry (state 0) or right after barrier i (state i+1) and returns the number of
// the next barrier it reaches, or CUPORT_CPU_STATE_EXIT when the thread returns.  Values live across a
// barrier are stored to the thread's frame before returning and reloaded on resumption (SSA is repaired
// with SSAUpdater); private arrays (allocas) live in the frame too.  This is continuation-based
// synchronization: it handles barriers anywhere CUDA allows them — in loops, in branches, in inlined device
// functions — with no stack switching.
//
// The block function runs every thread from the entry (state 0), then asks the block scheduler of the
// device runtime (backends/cpu/devrt/scheduler.c) which synchronization site may be released, and runs
// K.wi(..., site + 1, ...) for the released threads: a loop over all threads when every thread was
// released, else a loop guarded by each thread's state.  After inlining, each of those loops contains
// only the code of one barrier-free region (the constant state folds the dispatch), so regions become
// plain loops that LLVM can vectorize.  Warp collectives (shuffles, votes, matches) are sites too: a
// thread stores its operands in its sync record, and the scheduler computes the results.
#include "Diagnostics.h"
#include "Passes.h"
#include "BlockPrefetches.h"
#include "PointerUses.h"
#include "Prefetches.h"
#include "PseudoIntrinsics.h"
#include "StreamLoops.h"
#include "UniformGuards.h"

#include "cuport/cpu_kernel_abi.h"

#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/PostOrderIterator.h"
#include "llvm/Analysis/CFG.h"
#include "llvm/Analysis/DivergenceAnalysis.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/PostDominators.h"
#include "llvm/Analysis/SyncDependenceAnalysis.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/Dominators.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Transforms/Utils/LoopUtils.h"
#include "llvm/Transforms/Utils/SSAUpdater.h"

#include <cstddef>
#include <optional>

using namespace llvm;

namespace cuport {

static_assert(offsetof(cuport_cpu_block_ctx, block_dim) == ctxoff::BlockDim, "ctx layout");
static_assert(offsetof(cuport_cpu_block_ctx, block_idx) == ctxoff::BlockIdx, "ctx layout");
static_assert(offsetof(cuport_cpu_block_ctx, shared_mem) == ctxoff::SharedMem, "ctx layout");
static_assert(offsetof(cuport_cpu_block_ctx, dynamic_shared) == ctxoff::DynamicShared, "ctx layout");
static_assert(offsetof(cuport_cpu_block_ctx, frame_mem) == ctxoff::FrameMem, "ctx layout");
static_assert(offsetof(cuport_cpu_block_ctx, thread_state) == ctxoff::ThreadState, "ctx layout");

namespace {

constexpr uint32_t StateExit = CUPORT_CPU_STATE_EXIT;

// The block frame is laid out slot by slot: a value of S bytes at per-thread offset O lives, for thread t,
// at frame + O * FrameCapacity + t * S, an array over the threads.  The region loops then access each
// slot at consecutive addresses (so they vectorize), with distances between slots that are constants
// (so LLVM proves them independent).  The capacity is CUDA's most threads per block plus one cache line
// of 4-byte slots, so that the same thread's slots do not all fall in the same L1 cache set.
constexpr uint64_t FrameCapacity = CUPORT_CPU_MAX_BLOCK_THREADS + 16;
// Rows whose guards are not uniform run in chunks of this many threads, each with its own guard check.
constexpr uint32_t RowChunk = 32;

class KernelLowering {
public:
  KernelLowering(Module &M, Function &K, Diagnostics &Diags, bool VersionGuards)
      : M(M), K(K), Diags(Diags), DL(M.getDataLayout()), C(M.getContext()), VersionGuards(VersionGuards) {}

  void run() {
    NumParams = K.arg_size();
    StaticShared = 0;
    if (K.hasFnAttribute(StaticSharedAttr))
      K.getFnAttribute(StaticSharedAttr).getValueAsString().getAsInteger(10, StaticShared);
    createThreadFunction();
    if (VersionGuards) {
      insertNextBlockPrefetches(*WI, NumParams, Bid[0], {CtxArg, Tid[0], Tid[1], Tid[2], Bid[1], Bid[2]});
      for (CallInst *Site : insertStreamLoopSites(*WI, Tid[0], rowUniformArgs()))
        YieldSites.insert(Site);
    }
    SmallVector<CallInst *, 8> Barriers = findBarriers();
    if (!Barriers.empty()) {
      findUniformValues();
      makeResumable(Barriers);
    }
    NumBarriers = Barriers.size();
    if (!Barriers.empty())
      findUniformExits();
    markParallelAccesses();
    FusedRows = NumBarriers == 0 && VersionGuards && fusedRowsOK();
    createBlockFunction();
    createKernelInfo();
  }

private:
  Module &M;
  Function &K;
  Diagnostics &Diags;
  const DataLayout &DL;
  LLVMContext &C;
  bool VersionGuards;
  unsigned NumParams = 0;
  uint64_t StaticShared = 0;
  Function *WI = nullptr;
  Argument *CtxArg = nullptr, *Tid[3] = {}, *StateArg = nullptr, *FrameArg = nullptr, *Bid[3] = {};
  Argument *UniformIn = nullptr, *UniformOut = nullptr, *LinArg = nullptr;
  // Values the same for every thread of the block (before makeResumable), and the bytes of the block's
  // uniform slots (see makeResumable).
  SmallPtrSet<Instruction *, 32> UniformValues;
  // Per state: every thread that runs its region returns the same next state (findUniformExits); and
  // every thread of a row whose guards are uniform does (UniformExitInRows: the row-uniform copies).
  SmallVector<bool, 8> UniformExit, UniformExitInRows;
  // While RunAll emits a region whose rows may keep one state (UniformExitInRows): where the row-uniform
  // copies keep it, and what writes it for the row (linear index of the row's first thread, count).
  AllocaInst *RowState = nullptr;
  function_ref<void(IRBuilder<> &, Value *, Value *)> RowStateEnd;
  bool EmittingFastRow = false; // while a row-uniform copy's thread loop is emitted
  // Set while the block function emits the loop over a row's stretches (split guards).
  bool EmittingStretches = false;
  // A barrier-free kernel whose thread function sees threadIdx.x and blockIdx.x only as
  // blockIdx.x * blockDim.x + threadIdx.x: the blocks of a range run their rows as one (fusedRowsOK).
  bool FusedRows = false;
  // A loop body over threads: (builder, x, y, z, linear index).
  using ThreadBodyFn = function_ref<void(IRBuilder<> &, Value *, Value *, Value *, Value *)>;
  uint64_t UniformSize = 0, UniformAlign = 16, UniformOutOffset = 0;
  uint64_t UniformValueAlign = 1; // the largest alignment of the uniform values (their frame slots')
  bool UniformPerThread = false;  // uniform values stored in each thread's frame, not in uniform.out
  // With UniformPerThread: each uniform value's {offset in uniform.in, size}; its frame slot is at
  // UniformOutOffset + that offset.
  SmallVector<std::pair<uint64_t, uint64_t>, 8> UniformEntries;
  // The access group of the thread function's memory accesses when the thread loops are parallel
  // (markParallelAccesses), else null.
  MDNode *AccessGroup = nullptr;
  // The barrier calls insertStreamLoopSites made: yield sites (CUPORT_SITE_YIELD).
  SmallPtrSet<CallInst *, 4> YieldSites;
  Value *UIn = nullptr, *UOut = nullptr; // in the block function
  unsigned NumBarriers = 0;
  uint64_t FrameSize = 0, FrameAlign = 16;
  BasicBlock *Dispatch = nullptr;
  // Per barrier id: {cuport_cpu_site_kind, per-thread offset of the sync record's first field}.
  // Per site: its kind, its sync record's slot offset, and its mask, lane (b) and c operands when they are
  // constants (then the threads do not store them; the site table holds them).
  static bool isShuffleSite(uint32_t Kind) { return Kind >= CUPORT_SITE_SHFL_IDX && Kind <= CUPORT_SITE_SHFL_BFLY; }
  // A warp or block collective: the thread stores its operands to its sync record (expandCollectives).
  static bool isCollectiveSite(uint32_t Kind) { return Kind != CUPORT_SITE_BLOCK && Kind != CUPORT_SITE_YIELD; }
  struct SiteInfo {
    uint32_t Kind, Off;
    bool ConstOperands = false;
    uint32_t Mask = 0, B = 0, C = 0;
    bool Narrow = false; // CUPORT_SITE_NARROW: 4-byte operand and result fields
    Value *Operand = nullptr; // a shuffle's value operand (i64), which the thread stores to its record's A field
  };
  SmallVector<SiteInfo, 8> Sites;
  // The thread's sync record fields (expandCollectives), shared by every collective site.
  Value *SyncFields[CUPORT_SYNC_FIELDS] = {};
  Value *NarrowA = nullptr, *NarrowResult = nullptr; // this thread's 4-byte elements of the A and result fields
  uint64_t SyncRecordOffset = 0;
  // Whether the collectives' A elements are of both sizes (narrow shuffles and 8-byte ones), where one
  // thread's 8-byte element overlaps two threads' 4-byte ones (isShuffleOperand).
  bool MixedRecordSizes = false;
  Value *Lin64 = nullptr; // slotAddress

  // A slot of Size bytes per thread; returns its per-thread offset (see FrameCapacity).  The size is
  // rounded up to the alignment, which then holds for every thread's element.
  uint64_t allocateSlot(uint64_t Size, uint64_t Align) {
    FrameAlign = std::max(FrameAlign, Align);
    uint64_t Off = alignTo(FrameSize, Align);
    FrameSize = Off + alignTo(Size, Align);
    return Off;
  }

  // A new slot and this thread's element of it (B: the dispatch block's builder); Off, when given, gets
  // its per-thread offset.
  Value *newSlot(IRBuilder<> &B, uint64_t Size, uint64_t Align, const Twine &Name, uint64_t *Off = nullptr) {
    uint64_t O = allocateSlot(Size, Align);
    if (Off)
      *Off = O;
    return slotAddress(B, O, alignTo(Size, Align), Name);
  }

  // The address of this thread's element of the slot at per-thread offset Off with elements of Size bytes.
  // (B appends to the dispatch block, where the first call leaves the thread index as an i64.)
  Value *slotAddress(IRBuilder<> &B, uint64_t Off, uint64_t Size, const Twine &Name) {
    if (!Lin64)
      Lin64 = B.CreateZExt(LinArg, B.getInt64Ty(), "tid.linear.64");
    Value *Idx = B.CreateAdd(B.CreateMul(Lin64, B.getInt64(Size), "", true, true), B.getInt64(Off * FrameCapacity), "",
                             true, true);
    return B.CreateInBoundsGEP(B.getInt8Ty(), FrameArg, Idx, Name);
  }

  // Moves K's body into K.wi(params..., ctx, tx, ty, tz, state, frame) -> i32.
  void createThreadFunction() {
    SmallVector<Type *, 16> Params(K.getFunctionType()->params().begin(),
                                   K.getFunctionType()->params().end());
    Type *I32 = Type::getInt32Ty(C), *Ptr = PointerType::get(C, 0);
    Params.append({Ptr, I32, I32, I32, I32, Ptr, I32, I32, I32, Ptr, Ptr, I32});
    auto *FT = FunctionType::get(I32, Params, false);
    WI = Function::Create(FT, GlobalValue::InternalLinkage, K.getName() + ".wi", M);
    // Parameter attributes (byval, alignment) carry over; function attributes except kernel markers too.
    AttributeList KA = K.getAttributes();
    SmallVector<AttributeSet, 16> ArgAttrs;
    for (unsigned I = 0; I < NumParams; ++I)
      ArgAttrs.push_back(KA.getParamAttrs(I));
    ArgAttrs.resize(Params.size());
    AttrBuilder FnAttrs(C, KA.getFnAttrs());
    FnAttrs.removeAttribute(KernelAttr).removeAttribute(StaticSharedAttr).removeAttribute("cuport-max-threads");
    FnAttrs.removeAttribute(Attribute::NoInline).removeAttribute(Attribute::OptimizeNone);
    FnAttrs.addAttribute(Attribute::AlwaysInline);
    WI->setAttributes(AttributeList::get(C, AttributeSet::get(C, FnAttrs), AttributeSet(), ArgAttrs));
    WI->getBasicBlockList().splice(WI->end(), K.getBasicBlockList());
    WI->setSubprogram(K.getSubprogram());
    K.setSubprogram(nullptr);
    for (unsigned I = 0; I < NumParams; ++I) {
      WI->getArg(I)->takeName(K.getArg(I));
      K.getArg(I)->replaceAllUsesWith(WI->getArg(I));
    }
    CtxArg = WI->getArg(NumParams);
    CtxArg->setName("ctx");
    const char *TidNames[] = {"tid.x", "tid.y", "tid.z"};
    for (int D = 0; D < 3; ++D) {
      Tid[D] = WI->getArg(NumParams + 1 + D);
      Tid[D]->setName(TidNames[D]);
    }
    StateArg = WI->getArg(NumParams + 4);
    StateArg->setName("state");
    FrameArg = WI->getArg(NumParams + 5);
    FrameArg->setName("frame");
    const char *BidNames[] = {"bid.x", "bid.y", "bid.z"};
    for (int D = 0; D < 3; ++D) {
      Bid[D] = WI->getArg(NumParams + 6 + D);
      Bid[D]->setName(BidNames[D]);
    }
    UniformIn = WI->getArg(NumParams + 9);
    UniformIn->setName("uniform.in");
    UniformOut = WI->getArg(NumParams + 10);
    UniformOut->setName("uniform.out");
    LinArg = WI->getArg(NumParams + 11);
    LinArg->setName("tid.linear");
    WI->addParamAttr(NumParams + 9, Attribute::NoAlias);
    WI->addParamAttr(NumParams + 10, Attribute::NoAlias);
    WI->addParamAttr(NumParams, Attribute::NoAlias);
    WI->addParamAttr(NumParams + 5, Attribute::NoAlias);

    // Thread context becomes arguments; returning means "this thread has exited".
    for (Instruction &I : make_early_inc_range(instructions(*WI))) {
      if (auto *Ret = dyn_cast<ReturnInst>(&I)) {
        ReturnInst::Create(C, ConstantInt::get(I32, StateExit), Ret);
        Ret->eraseFromParent();
        continue;
      }
      auto *CI = dyn_cast<CallInst>(&I);
      Function *Callee = CI ? CI->getCalledFunction() : nullptr;
      if (!Callee || !isPseudo(Callee) || isSyncPseudo(Callee))
        continue;
      StringRef N = Callee->getName();
      Value *V = N == pseudo::BlockCtx ? (Value *)CtxArg
                 : N == pseudo::TidX   ? Tid[0]
                 : N == pseudo::TidY   ? Tid[1]
                                       : Tid[2];
      CI->replaceAllUsesWith(V);
      CI->eraseFromParent();
    }
    // blockIdx becomes arguments too: the block function runs a range of blocks.
    for (Instruction &I : make_early_inc_range(instructions(*WI))) {
      auto *L = dyn_cast<LoadInst>(&I);
      if (!L || L->isVolatile() || !L->getType()->isIntegerTy(32))
        continue;
      APInt Off(DL.getIndexTypeSizeInBits(L->getPointerOperandType()), 0);
      if (L->getPointerOperand()->stripAndAccumulateConstantOffsets(DL, Off, true) != CtxArg)
        continue;
      uint64_t O = Off.getZExtValue();
      if (O >= ctxoff::BlockIdx && O < ctxoff::BlockIdx + 12 && O % 4 == 0) {
        L->replaceAllUsesWith(Bid[(O - ctxoff::BlockIdx) / 4]);
        L->eraseFromParent();
      }
    }
  }

  // The thread function's arguments that are the same for a whole row of threads (threadIdx.x varies).
  SmallVector<Argument *, 16> rowUniformArgs() {
    SmallVector<Argument *, 16> RowUniform;
    for (unsigned I = 0; I < NumParams; ++I)
      RowUniform.push_back(WI->getArg(I));
    RowUniform.append({CtxArg, Tid[1], Tid[2], Bid[0], Bid[1], Bid[2], UniformIn});
    return RowUniform;
  }

  // The sites in reverse post-order of their blocks: the scheduler releases yield sites lowest number first
  // (StreamLoops.h), which must be program order.
  SmallVector<CallInst *, 8> findBarriers() {
    SmallVector<CallInst *, 8> Result;
    ReversePostOrderTraversal<Function *> RPOT(WI);
    for (BasicBlock *BB : RPOT)
      for (Instruction &I : *BB)
        if (auto *CI = dyn_cast<CallInst>(&I))
          if (isSyncPseudo(CI->getCalledFunction()))
            Result.push_back(CI);
    return Result;
  }

  // A by-value parameter the kernel may write must persist per thread across barriers: copy it into the
  // frame at the start (state 0) and use the copy.
  void privatizeWrittenByValParams(BasicBlock *OldEntry) {
    for (unsigned I = 0; I < NumParams; ++I) {
      Argument *A = WI->getArg(I);
      if (!A->hasByValAttr() || A->onlyReadsMemory())
        continue;
      if (!mayWriteThrough(A))
        continue;
      Type *T = A->getParamByValType();
      uint64_t Al = std::max<uint64_t>(A->getParamAlign().valueOrOne().value(), DL.getABITypeAlign(T).value());
      IRBuilder<> B(Dispatch);
      Value *Copy = newSlot(B, DL.getTypeAllocSize(T), Al, A->getName() + ".private");
      A->replaceAllUsesWith(Copy);
      IRBuilder<> E(&*OldEntry->getFirstInsertionPt());
      E.CreateMemCpy(Copy, Align(Al), A, Align(Al), DL.getTypeAllocSize(T));
    }
  }

  static constexpr unsigned RematBudget = 12;

  // Pure computations of the thread's arguments (and invariant block-context loads) are cheaper to redo
  // after a barrier than to keep in the frame: thread indices, addresses of shared arrays, blockDim.
  bool isRematerializable(Instruction *I, unsigned &Budget) {
    if (Budget == 0)
      return false;
    --Budget;
    if (auto *L = dyn_cast<LoadInst>(I)) {
      if (!L->hasMetadata(LLVMContext::MD_invariant_load) || L->isVolatile())
        return false;
    } else if (!isa<BinaryOperator>(I) && !isa<CastInst>(I) && !isa<GetElementPtrInst>(I) && !isa<CmpInst>(I) &&
               !isa<SelectInst>(I)) {
      return false;
    }
    for (Use &Op : I->operands()) {
      Value *V = Op.get();
      if (isa<Constant>(V) || isa<Argument>(V))
        continue;
      auto *OI = dyn_cast<Instruction>(V);
      if (!OI)
        return false;
      if (OI->getParent() == Dispatch)
        continue;
      if (!isRematerializable(OI, Budget))
        return false;
    }
    return true;
  }

  Value *rematerialize(Instruction *I, IRBuilder<> &R, DenseMap<Instruction *, Value *> &Cloned) {
    if (auto It = Cloned.find(I); It != Cloned.end())
      return It->second;
    Instruction *C = I->clone();
    for (unsigned K = 0; K < C->getNumOperands(); ++K)
      if (auto *OI = dyn_cast<Instruction>(C->getOperand(K)))
        if (OI->getParent() != Dispatch)
          C->setOperand(K, rematerialize(OI, R, Cloned));
    R.Insert(C, I->getName() + ".remat");
    Cloned[I] = C;
    return C;
  }

  // A collective becomes: operands stored to the thread's sync record, a plain barrier (the scheduler
  // computes the result while every participant waits), and a load of the result after it.
  void expandCollectives(SmallVectorImpl<CallInst *> &Barriers, IRBuilder<> &DispatchB) {
    Type *I32 = Type::getInt32Ty(C), *I64 = Type::getInt64Ty(C);
    for (CallInst *&Bar : Barriers) {
      if (Bar->getCalledFunction()->getName() != pseudo::Sync) {
        Sites.push_back({YieldSites.count(Bar) ? uint32_t(CUPORT_SITE_YIELD) : uint32_t(CUPORT_SITE_BLOCK), 0});
        continue;
      }
      auto *Kind = dyn_cast<ConstantInt>(Bar->getArgOperand(0));
      if (!Kind) {
        Diags.error(Bar, "internal error: collective of unknown kind");
        return;
      }
      // One record per thread serves every site: a thread waits at one site at a time and reads its result
      // first thing after the release, so the records of many sites would only make frames larger (and
      // the scheduler's strided reads of a warp's records slower).
      // Its fields are consecutive 8-byte slots (cpu_kernel_abi.h).
      if (!SyncFields[0]) {
        static const char *const Names[] = {"sync.mask", "sync.a", "sync.b", "sync.c", "sync.result"};
        for (unsigned F = 0; F < CUPORT_SYNC_FIELDS; ++F) {
          uint64_t Off;
          SyncFields[F] = newSlot(DispatchB, 8, 8, Names[F], &Off);
          if (F == 0)
            SyncRecordOffset = Off;
          assert(Off == SyncRecordOffset + 8 * F && "sync record fields must be consecutive");
        }
      }
      const uint64_t Off = SyncRecordOffset;
      SiteInfo Site{uint32_t(Kind->getZExtValue()), uint32_t(Off)};
      // Constant mask, lane and c operands (a shuffle loop after unrolling) go to the site table.
      auto *CM = dyn_cast<ConstantInt>(Bar->getArgOperand(1)), *CB = dyn_cast<ConstantInt>(Bar->getArgOperand(3)),
           *CC = dyn_cast<ConstantInt>(Bar->getArgOperand(4));
      if (CM && CB && CC)
        Site = {Site.Kind, Site.Off, true, uint32_t(CM->getZExtValue()), uint32_t(CB->getZExtValue()),
                uint32_t(CC->getZExtValue()), false};
      // Shuffles move 32-bit values (PTX has only shfl.b32); where no one reads the predicate (bit 32 of
      // the result: the .p forms), the site is narrow: its A and result fields hold 4-byte elements, so
      // the loops that write and read them move half the bytes, and a region loop that also handles
      // 32-bit data vectorizes at twice the width.
      Site.Narrow = isShuffleSite(Site.Kind) &&
                    all_of(Bar->users(), [](const User *U) {
                      auto *T = dyn_cast<TruncInst>(U);
                      return T && T->getType()->getIntegerBitWidth() <= 32;
                    });
      if (Site.Narrow && !NarrowA) {
        NarrowA = slotAddress(DispatchB, SyncRecordOffset + 8 * CUPORT_SYNC_A, 4, "sync.a.narrow");
        NarrowResult = slotAddress(DispatchB, SyncRecordOffset + 8 * CUPORT_SYNC_RESULT, 4, "sync.result.narrow");
      }
      if (isShuffleSite(Site.Kind))
        Site.Operand = Bar->getArgOperand(2);
      IRBuilder<> S(Bar);
      if (!Site.ConstOperands)
        S.CreateAlignedStore(Bar->getArgOperand(1), SyncFields[CUPORT_SYNC_MASK], Align(8));
      if (Site.Narrow)
        S.CreateAlignedStore(S.CreateTrunc(Bar->getArgOperand(2), I32), NarrowA, Align(4));
      else
        S.CreateAlignedStore(Bar->getArgOperand(2), SyncFields[CUPORT_SYNC_A], Align(8));
      if (!Site.ConstOperands) {
        S.CreateAlignedStore(Bar->getArgOperand(3), SyncFields[CUPORT_SYNC_B], Align(8));
        S.CreateAlignedStore(Bar->getArgOperand(4), SyncFields[CUPORT_SYNC_C], Align(8));
      }
      CallInst *Plain = S.CreateCall(getPseudo(M, pseudo::Barrier));
      Plain->setDebugLoc(Bar->getDebugLoc());
      Value *Result =
          Site.Narrow
              ? S.CreateZExt(S.CreateAlignedLoad(I32, NarrowResult, Align(4), "sync.result.narrow"), I64, "sync.result")
              : S.CreateAlignedLoad(I64, SyncFields[CUPORT_SYNC_RESULT], Align(8), "sync.result");
      Bar->replaceAllUsesWith(Result);
      Bar->eraseFromParent();
      Bar = Plain;
      Sites.push_back(Site);
      (void)I32;
    }
    MixedRecordSizes = any_of(Sites, [](const SiteInfo &S) { return isCollectiveSite(S.Kind) && S.Narrow; }) &&
                       any_of(Sites, [](const SiteInfo &S) { return isCollectiveSite(S.Kind) && !S.Narrow; });
  }

  // Divergence analysis of the thread function: threadIdx, private memory, loads (another thread may have
  // written the memory in between) other than those UniformLoad accepts, atomics and calls are sources of
  // divergence; LLVM's analysis propagates it through data and control dependences.  Use gets the result
  // and the post-dominator tree; not called for irreducible CFGs (the analysis needs reducible ones).
  void analyzeDivergence(function_ref<bool(const LoadInst &)> UniformLoad,
                         function_ref<void(DivergenceAnalysisImpl &, PostDominatorTree &)> Use,
                         ArrayRef<ICmpInst *> UniformOverrides = {}) {
    DominatorTree DT(*WI);
    PostDominatorTree PDT(*WI);
    LoopInfo LI(DT);
    ReversePostOrderTraversal<Function *> RPOT(WI);
    if (containsIrreducibleCFG<const BasicBlock *>(RPOT, LI))
      return;
    // In LCSSA form a value defined in a loop whose exit diverges reaches its uses outside through an
    // exit phi, which the analysis marks divergent (temporal divergence: `while (k * k < tid) ++k`).
    for (Loop *L : LI)
      formLCSSARecursively(*L, DT, &LI, nullptr);
    SyncDependenceAnalysis SDA(DT, PDT, LI);
    DivergenceAnalysisImpl DA(*WI, nullptr, DT, LI, SDA, /*IsLCSSAForm=*/true);
    for (ICmpInst *G : UniformOverrides)
      DA.addUniformOverride(*G);
    for (Argument *A : {Tid[0], Tid[1], Tid[2], LinArg})
      DA.markDivergent(*A);
    for (Instruction &I : instructions(*WI)) {
      bool Source = isa<AllocaInst>(I) || isa<AtomicRMWInst>(I) || isa<AtomicCmpXchgInst>(I);
      if (auto *L = dyn_cast<LoadInst>(&I))
        Source = L->isVolatile() || !UniformLoad(*L);
      if (auto *CB = dyn_cast<CallBase>(&I))
        Source = !CB->getType()->isVoidTy() && (!isa<IntrinsicInst>(CB) || CB->mayReadOrWriteMemory());
      if (Source)
        DA.markDivergent(I);
    }
    DA.compute();
    Use(DA, PDT);
  }

  // What stays uniform is the same in every thread at a block barrier, which all threads reach together:
  // such values live across a block barrier need one copy per block, not one per thread.  Invariant loads
  // (the block context) are uniform.
  void findUniformValues() {
    analyzeDivergence([](const LoadInst &L) { return L.hasMetadata(LLVMContext::MD_invariant_load); },
                      [&](DivergenceAnalysisImpl &DA, PostDominatorTree &) {
                        for (Instruction &I : instructions(*WI))
                          if (!I.getType()->isVoidTy() && !DA.isDivergent(I))
                            UniformValues.insert(&I);
                      });
  }

  // Per state, whether every thread that runs the region returns the same next state (UniformExit): the
  // region's divergent branches (on values that differ between threads) all reconverge before it returns,
  // so the state depends only on branches every thread takes alike.  Run on the resumable thread function,
  // where values from before a barrier are loads of uniform.in (uniform) or of the frame (divergent).
  // With Guards: the guards count as uniform, as in the row-uniform copies (UniformExitInRows).
  void findUniformExits(ArrayRef<ICmpInst *> Guards = {}) {
    SmallVector<bool, 8> &Out = Guards.empty() ? UniformExit : UniformExitInRows;
    Out.assign(NumBarriers + 1, false);
    SmallVector<BasicBlock *, 8> Starts = regionStarts();
    if (Starts.empty())
      return;
    auto UniformLoad = [&](const LoadInst &L) {
      return L.hasMetadata(LLVMContext::MD_invariant_load) ||
             getUnderlyingObject(L.getPointerOperand()) == UniformIn;
    };
    analyzeDivergence(UniformLoad, [&](DivergenceAnalysisImpl &DA, PostDominatorTree &PDT) {
      // Whether every thread that runs BB's terminator leaves the region with the same state.
      auto UniformAt = [&](BasicBlock *BB) {
        Instruction *T = BB->getTerminator();
        if (auto *Ret = dyn_cast<ReturnInst>(T))
          return isa<ConstantInt>(Ret->getReturnValue());
        if (T->getNumSuccessors() < 2)
          return true;
        Value *Cond = isa<BranchInst>(T) ? cast<BranchInst>(T)->getCondition()
                      : isa<SwitchInst>(T) ? cast<SwitchInst>(T)->getCondition()
                                           : nullptr;
        if (Cond && !DA.isDivergent(*Cond))
          return true;
        // Divergent: every path from here to a return must go through one block first.
        DomTreeNode *N = PDT.getNode(BB);
        return Cond && N && N->getIDom() && N->getIDom()->getBlock();
      };
      for (uint32_t St = 0; St <= NumBarriers; ++St) {
        SmallPtrSet<BasicBlock *, 32> Region;
        collectRegion(Starts[St], Dispatch, Region);
        Out[St] = all_of(Region, UniformAt);
      }
    }, Guards);
  }

  // Whether the thread function has a loop with no barrier in it (one that runs inside a region).
  bool hasBarrierFreeLoop(ArrayRef<CallInst *> Barriers) {
    DominatorTree DT(*WI);
    LoopInfo LI(DT);
    SmallPtrSet<const BasicBlock *, 8> BarrierBlocks;
    for (CallInst *Bar : Barriers)
      BarrierBlocks.insert(Bar->getParent());
    for (Loop *L : LI.getLoopsInPreorder())
      if (none_of(L->blocks(), [&](const BasicBlock *BB) { return BarrierBlocks.count(BB); }))
        return true;
    return false;
  }

  void makeResumable(SmallVectorImpl<CallInst *> &Barriers) {
    const bool RegionLoops = hasBarrierFreeLoop(Barriers); // while the CFG is still the kernel's
    BasicBlock *OldEntry = &WI->getEntryBlock();
    Dispatch = BasicBlock::Create(C, "cbs.dispatch", WI, OldEntry);
    IRBuilder<> B(Dispatch);

    // Private variables move into the frame: a thread's stack frame does not survive a barrier.
    SmallVector<AllocaInst *, 16> Allocas;
    for (Instruction &I : instructions(*WI))
      if (auto *AI = dyn_cast<AllocaInst>(&I))
        Allocas.push_back(AI);
    for (AllocaInst *AI : Allocas) {
      auto *Count = dyn_cast<ConstantInt>(AI->getArraySize());
      if (!Count) {
        Diags.error(AI, "a variable-length array in a kernel that uses __syncthreads is not supported by "
                        "the CPU backend");
        return;
      }
      Value *Slot = newSlot(B, DL.getTypeAllocSize(AI->getAllocatedType()) * Count->getZExtValue(),
                            AI->getAlign().value(), AI->getName());
      if (Slot->getType() != AI->getType())
        Slot = B.CreateAddrSpaceCast(Slot, AI->getType());
      for (User *U : make_early_inc_range(AI->users()))
        if (auto *II = dyn_cast<IntrinsicInst>(U))
          if (II->isLifetimeStartOrEnd())
            II->eraseFromParent();
      AI->replaceAllUsesWith(Slot);
      AI->eraseFromParent();
    }
    privatizeWrittenByValParams(OldEntry);
    expandCollectives(Barriers, B);

    // Each barrier alone in its block, followed by the block it resumes at.
    SmallVector<BasicBlock *, 8> BarrierBlocks, ResumeAt;
    for (CallInst *Bar : Barriers) {
      BasicBlock *BB = Bar->getParent();
      BasicBlock *BarBB = BB->splitBasicBlock(Bar, "barrier");
      BasicBlock *Next = BarBB->splitBasicBlock(Bar->getNextNode(), "after.barrier");
      BarrierBlocks.push_back(BarBB);
      ResumeAt.push_back(Next);
    }

    // Liveness of SSA values (instructions outside the dispatcher) over the thread's CFG.
    std::vector<Instruction *> Values;
    DenseMap<Instruction *, unsigned> Index;
    for (BasicBlock &BB : *WI) {
      if (&BB == Dispatch)
        continue;
      for (Instruction &I : BB)
        if (!I.getType()->isVoidTy()) {
          Index[&I] = Values.size();
          Values.push_back(&I);
        }
    }
    unsigned NV = Values.size();
    DenseMap<BasicBlock *, BitVector> LiveIn, UpUse, Def;
    for (BasicBlock &BB : *WI) {
      BitVector U(NV), D(NV);
      for (Instruction &I : BB) {
        if (!isa<PHINode>(I))
          for (Use &Op : I.operands())
            if (auto *OI = dyn_cast<Instruction>(Op.get())) {
              auto It = Index.find(OI);
              if (It != Index.end() && !D.test(It->second))
                U.set(It->second);
            }
        auto It = Index.find(&I);
        if (It != Index.end())
          D.set(It->second);
      }
      UpUse[&BB] = U;
      Def[&BB] = D;
      LiveIn[&BB] = U;
    }
    auto LiveOut = [&](BasicBlock *BB) {
      BitVector Out(NV);
      for (BasicBlock *S : successors(BB)) {
        BitVector In = LiveIn[S];
        // All of S's phis are defined on entry to S (reset them first: phis may use each other, as in
        // a swap), and each uses its incoming value at the end of BB.
        for (PHINode &Phi : S->phis())
          In.reset(Index[&Phi]);
        for (PHINode &Phi : S->phis()) {
          if (auto *OI = dyn_cast<Instruction>(Phi.getIncomingValueForBlock(BB))) {
            auto It = Index.find(OI);
            if (It != Index.end())
              In.set(It->second);
          }
        }
        Out |= In;
      }
      return Out;
    };
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (auto It = WI->getBasicBlockList().rbegin(); It != WI->getBasicBlockList().rend(); ++It) {
        BasicBlock *BB = &*It;
        if (BB == Dispatch)
          continue;
        BitVector In = LiveOut(BB);
        In.reset(Def[BB]);
        In |= UpUse[BB];
        if (In != LiveIn[BB]) {
          LiveIn[BB] = std::move(In);
          Changed = true;
        }
      }
    }

    // Frame slots for the values that live across some barrier, unless they can be recomputed from the
    // thread's arguments (thread index, block context, kernel parameters) at the resumption point.
    // A uniform value live across a block barrier gets a uniform slot for that barrier instead: every
    // thread stores it to the block's uniform.out, and the block function copies uniform.out to
    // uniform.in before each region, so that the resumed threads read a value no thread of the region
    // overwrites, and LLVM sees it as invariant in the region loop (which then vectorizes).
    // A value whose bits are the operand of the shuffle at barrier i (`v += __shfl_down_sync(m, v, d)`
    // keeps v) is in the thread's record (its A field, which the shuffle only reads) until the thread's
    // next collective: it is reloaded from there at that barrier instead of going through a slot too (one
    // store per thread per shuffle fewer).
    DenseSet<std::pair<Instruction *, unsigned>> InRecord;
    MapVector<Instruction *, Value *> SlotOf;
    DenseMap<std::pair<Instruction *, unsigned>, uint64_t> UniformSlot;
    DenseMap<Instruction *, bool> Remat;
    SmallVector<SmallVector<Instruction *, 8>, 8> LiveAt(Barriers.size());
    for (unsigned Bi = 0; Bi < Barriers.size(); ++Bi)
      for (unsigned V : LiveIn[ResumeAt[Bi]].set_bits()) {
        Instruction *I = Values[V];
        LiveAt[Bi].push_back(I);
        auto [It, New] = Remat.try_emplace(I, false);
        if (New) {
          unsigned Budget = RematBudget;
          It->second = isRematerializable(I, Budget);
        }
        if (It->second)
          continue;
        if (isShuffleOperand(I, Sites[Bi])) {
          InRecord.insert({I, Bi});
          continue;
        }
        Type *T = I->getType();
        // Uniform slots at block sites, and at yield sites (every thread waiting there has run the loop
        // the same number of times: StreamLoops.h).
        uint32_t Kind = Sites[Bi].Kind;
        if ((Kind <= CUPORT_SITE_BLOCK_OR || Kind == CUPORT_SITE_YIELD) && UniformValues.count(I)) {
          uint64_t A = DL.getABITypeAlign(T).value();
          UniformAlign = std::max(UniformAlign, A);
          UniformValueAlign = std::max(UniformValueAlign, A);
          UniformSize = alignTo(UniformSize, A);
          UniformSlot[{I, Bi}] = UniformSize;
          UniformSize += DL.getTypeAllocSize(T);
        } else if (!SlotOf.count(I)) {
          SlotOf[I] = newSlot(B, DL.getTypeAllocSize(T), DL.getABITypeAlign(T).value(), I->getName() + ".slot");
        }
      }

    // Where the threads store the uniform values.  One block-wide uniform.out costs nothing (SROA keeps it in
    // registers), but then it is a value carried from one iteration of the region loop to the next, which
    // keeps LLVM from vectorizing the loop.  That matters only where a region has a loop of its own (a
    // loop without barriers, such as a tiled matmul's k loop): there each thread stores the values in its
    // own frame (UniformOutOffset), and the block function copies one live thread's to uniform.in.
    // Each uniform value has its own slot there, at UniformOutOffset + its offset in uniform.in.
    UniformPerThread = UniformSize && RegionLoops;
    if (UniformPerThread)
      UniformOutOffset = allocateSlot(UniformSize, UniformValueAlign);
    DenseMap<uint64_t, Value *> UniformOutSlot;
    if (UniformPerThread)
      for (unsigned Bi = 0; Bi < Barriers.size(); ++Bi)
        for (Instruction *I : LiveAt[Bi]) {
          auto U = UniformSlot.find({I, Bi});
          if (U == UniformSlot.end() || UniformOutSlot.count(U->second))
            continue;
          uint64_t Size = DL.getTypeAllocSize(I->getType());
          UniformOutSlot[U->second] = slotAddress(B, UniformOutOffset + U->second, Size, "uniform.out.slot");
          UniformEntries.push_back({U->second, Size});
        }
    auto UniformStoreAddress = [&](IRBuilder<> &S, uint64_t U) -> Value * {
      return UniformPerThread ? UniformOutSlot[U] : S.CreateConstInBoundsGEP1_64(S.getInt8Ty(), UniformOut, U);
    };

    // Barrier i: save, return i+1.  Resume i+1: reload, continue after the barrier.
    Type *I32 = Type::getInt32Ty(C);
    SwitchInst *Switch = B.CreateSwitch(StateArg, OldEntry, Barriers.size());
    DenseMap<Instruction *, SmallVector<std::pair<BasicBlock *, Value *>, 4>> Reloads;
    for (unsigned Bi = 0; Bi < Barriers.size(); ++Bi) {
      BasicBlock *BarBB = BarrierBlocks[Bi];
      IRBuilder<> S(Barriers[Bi]);
      for (Instruction *I : LiveAt[Bi]) {
        auto U = UniformSlot.find({I, Bi});
        if (U != UniformSlot.end())
          S.CreateAlignedStore(I, UniformStoreAddress(S, U->second), DL.getABITypeAlign(I->getType()));
        else if (SlotOf.count(I))
          S.CreateAlignedStore(I, SlotOf[I], DL.getABITypeAlign(I->getType()));
      }
      BarBB->getTerminator()->eraseFromParent();
      Barriers[Bi]->eraseFromParent();
      ReturnInst::Create(C, ConstantInt::get(I32, Bi + 1), BarBB);

      BasicBlock *Resume = BasicBlock::Create(C, "resume." + Twine(Bi + 1), WI, ResumeAt[Bi]);
      IRBuilder<> R(Resume);
      DenseMap<Instruction *, Value *> Cloned;
      for (Instruction *I : LiveAt[Bi]) {
        if (InRecord.count({I, Bi})) {
          Reloads[I].push_back({Resume, reloadShuffleOperand(R, I, Sites[Bi])});
          continue;
        }
        auto U = UniformSlot.find({I, Bi});
        Value *L = U != UniformSlot.end()
                       ? R.CreateAlignedLoad(I->getType(), R.CreateConstInBoundsGEP1_64(R.getInt8Ty(), UniformIn, U->second),
                                             DL.getABITypeAlign(I->getType()), I->getName() + ".uniform")
                   : SlotOf.count(I) ? R.CreateAlignedLoad(I->getType(), SlotOf[I], DL.getABITypeAlign(I->getType()),
                                                           I->getName() + ".reload")
                                     : rematerialize(I, R, Cloned);
        Reloads[I].push_back({Resume, L});
      }
      R.CreateBr(ResumeAt[Bi]);
      Switch->addCase(ConstantInt::get(cast<IntegerType>(I32), Bi + 1), Resume);
    }

    // Repair SSA: a value now reaches its uses either from its definition or from a reload.
    for (auto &[I, Defs] : Reloads) {
      SSAUpdater SSA;
      SSA.Initialize(I->getType(), I->getName());
      SSA.AddAvailableValue(I->getParent(), I);
      for (auto &[BB, V] : Defs)
        SSA.AddAvailableValue(BB, V);
      SmallVector<Use *, 8> Uses;
      for (Use &U : I->uses()) {
        auto *UI = cast<Instruction>(U.getUser());
        if (UI->getParent() == I->getParent() && !isa<PHINode>(UI))
          continue; // after the definition in the same block
        Uses.push_back(&U);
      }
      for (Use *U : Uses)
        SSA.RewriteUse(*U);
    }
    FrameSize = alignTo(FrameSize, FrameAlign);
  }

  // Whether I's bits are the value operand of shuffle site Site (through zext and bitcast), all of them in
  // its A field (4 bytes at a narrow site, 8 otherwise).  Only where every collective of the kernel has
  // elements of that size: a thread's 8-byte A element is two threads' 4-byte ones, so a ballot after
  // narrow shuffles would overwrite the values of threads that have not read theirs back yet.
  bool isShuffleOperand(Instruction *I, const SiteInfo &Site) {
    if (MixedRecordSizes)
      return false;
    Value *V = Site.Operand;
    while (V && V != I) {
      auto *Cast = dyn_cast<CastInst>(V);
      if (!Cast || !(isa<ZExtInst>(Cast) || isa<BitCastInst>(Cast)))
        return false;
      V = Cast->getOperand(0);
    }
    Type *T = I->getType();
    return V && (T->isIntegerTy() || T->isFloatingPointTy()) &&
           DL.getTypeSizeInBits(T) <= (Site.Narrow ? 32u : 64u);
  }
  // I, read back from the A field of the thread's record at R.
  Value *reloadShuffleOperand(IRBuilder<> &R, Instruction *I, const SiteInfo &Site) {
    Type *T = I->getType();
    Value *A = Site.Narrow ? R.CreateAlignedLoad(R.getInt32Ty(), NarrowA, Align(4), I->getName() + ".operand")
                           : R.CreateAlignedLoad(R.getInt64Ty(), SyncFields[CUPORT_SYNC_A], Align(8),
                                                 I->getName() + ".operand");
    Type *Bits = R.getIntNTy(DL.getTypeSizeInBits(T));
    Value *V = R.CreateTrunc(A, Bits);
    return T == Bits ? V : R.CreateBitCast(V, T, I->getName() + ".reload");
  }

  // CUDA orders no two threads of a block between barriers: a thread may read what another thread writes
  // in the same region only through atomics or volatile accesses (anything else is a data race).  When
  // the thread function has none, and calls nothing that touches memory, every load and store joins one
  // access group, and each loop over the threads says that its iterations access memory independently
  // (llvm.loop.parallel_accesses): LLVM then vectorizes a region loop without proving that the frame,
  // shared and global accesses of different threads do not overlap.  Kernels whose shared-memory atomics
  // became plain loads and stores (SharedAtomicsAttr) keep their threads in order.
  // Threads whose accesses do not join the group stay in order, and their loops are not vectorized: their
  // prefetches (Prefetches.h) become llvm.prefetch now, a call LLVM's loop unroller does not count as one.
  void markParallelAccesses() {
    if (!joinParallelAccesses())
      lowerPrefetches(*WI);
  }
  bool joinParallelAccesses() {
    if (K.hasFnAttribute(SharedAtomicsAttr))
      return false;
    SmallVector<Instruction *, 64> Accesses;
    for (Instruction &I : instructions(*WI)) {
      if (!I.mayReadOrWriteMemory())
        continue;
      if (auto *L = dyn_cast<LoadInst>(&I); L && L->isSimple()) {
        Accesses.push_back(L);
        continue;
      }
      if (auto *St = dyn_cast<StoreInst>(&I); St && St->isSimple()) {
        Accesses.push_back(St);
        continue;
      }
      if (auto *MI = dyn_cast<MemIntrinsic>(&I); MI && !MI->isVolatile()) {
        Accesses.push_back(MI);
        continue;
      }
      if (auto *II = dyn_cast<IntrinsicInst>(&I); II && (II->isAssumeLikeIntrinsic() || II->isLifetimeStartOrEnd()))
        continue;
      if (auto *CB = dyn_cast<CallBase>(&I); CB && isPrefetchCall(*CB)) {
        Accesses.push_back(CB);
        continue;
      }
      return false; // atomics, volatile accesses, fences, calls
    }
    AccessGroup = MDNode::getDistinct(C, {});
    for (Instruction *I : Accesses)
      I->setMetadata(LLVMContext::MD_access_group, AccessGroup);
    return true;
  }

  // A block-function access in a loop over the threads that touches this thread's own data.
  void joinAccessGroup(Value *V) {
    if (AccessGroup)
      if (auto *I = dyn_cast<Instruction>(V))
        I->setMetadata(LLVMContext::MD_access_group, AccessGroup);
  }

  // Loop "for (IV = 0; IV < N; ++IV) Body(IV)" built with an alloca counter (SROA promotes it); with
  // Parallel (a loop over threads), marked parallel when the thread function's accesses are.
  void emitLoop(IRBuilder<> &B, Value *N, const Twine &Name, function_ref<void(IRBuilder<> &, Value *)> Body,
                bool Parallel = false) {
    Function *F = B.GetInsertBlock()->getParent();
    AllocaInst *IV = new AllocaInst(B.getInt32Ty(), 0, Name + ".iv", &*F->getEntryBlock().begin());
    B.CreateStore(B.getInt32(0), IV);
    BasicBlock *Head = BasicBlock::Create(C, Name + ".head", F);
    BasicBlock *BodyBB = BasicBlock::Create(C, Name + ".body", F);
    BasicBlock *Exit = BasicBlock::Create(C, Name + ".exit", F);
    B.CreateBr(Head);
    B.SetInsertPoint(Head);
    Value *Cur = B.CreateLoad(B.getInt32Ty(), IV, Name);
    B.CreateCondBr(B.CreateICmpULT(Cur, N), BodyBB, Exit);
    B.SetInsertPoint(BodyBB);
    Body(B, Cur);
    Value *Again = B.CreateLoad(B.getInt32Ty(), IV);
    B.CreateStore(B.CreateAdd(Again, B.getInt32(1), "", /*NUW=*/true, /*NSW=*/true), IV);
    BranchInst *Latch = B.CreateBr(Head);
    if (Parallel && AccessGroup) {
      MDNode *Par = MDNode::get(C, {MDString::get(C, "llvm.loop.parallel_accesses"), AccessGroup});
      MDNode *LoopID = MDNode::getDistinct(C, {nullptr, Par});
      LoopID->replaceOperandWith(0, LoopID);
      Latch->setMetadata(LLVMContext::MD_loop, LoopID);
    }
    B.SetInsertPoint(Exit);
  }

  void createBlockFunction() {
    Type *Ptr = PointerType::get(C, 0), *I32 = Type::getInt32Ty(C);
    auto *FT = FunctionType::get(Type::getVoidTy(C), {Ptr, Ptr, I32}, false);
    std::string Name = (CUPORT_CPU_KERNEL_PREFIX + K.getName()).str();
    Function *BF = Function::Create(FT, GlobalValue::ExternalLinkage, Name, M);
    BF->setVisibility(GlobalValue::DefaultVisibility);
    BF->setDSOLocal(true);
    for (StringRef A : {"target-cpu", "target-features", "prefer-vector-width"})
      if (K.hasFnAttribute(A))
        BF->addFnAttr(K.getFnAttribute(A));
    BF->addFnAttr(Attribute::NoUnwind);
    Argument *Args = BF->getArg(0), *Ctx = BF->getArg(1), *Count = BF->getArg(2);
    Args->setName("args");
    Ctx->setName("ctx");
    Count->setName("count");
    BF->addParamAttr(1, Attribute::NoAlias);

    BasicBlock *Entry = BasicBlock::Create(C, "entry", BF);
    IRBuilder<> B(Entry);
    auto Field = [&](unsigned Off, Type *T, const Twine &N) {
      Value *P = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Ctx, Off);
      return B.CreateAlignedLoad(T, P, Align(T == I32 ? 4 : 8), N);
    };
    // Kernel arguments: args[i] points to parameter i.
    SmallVector<Value *, 16> CallArgs;
    for (unsigned I = 0; I < NumParams; ++I) {
      Argument *P = WI->getArg(I);
      Value *Slot = B.CreateConstInBoundsGEP1_64(Ptr, Args, I);
      Value *AP = B.CreateAlignedLoad(Ptr, Slot, Align(8), "arg" + Twine(I) + ".ptr");
      if (P->hasByValAttr()) {
        CallArgs.push_back(AP);
      } else {
        Value *V = B.CreateAlignedLoad(P->getType(), AP, Align(1), "arg" + Twine(I));
        CallArgs.push_back(V);
      }
    }
    Value *BX = Field(ctxoff::BlockDim, I32, "bx"), *BY = Field(ctxoff::BlockDim + 4, I32, "by"),
          *BZ = Field(ctxoff::BlockDim + 8, I32, "bz");
    Value *FirstBidX = Field(ctxoff::BlockIdx, I32, "first.bid.x"), *BidY = Field(ctxoff::BlockIdx + 4, I32, "bid.y"),
          *BidZ = Field(ctxoff::BlockIdx + 8, I32, "bid.z");
    Value *Frame = NumBarriers ? Field(ctxoff::FrameMem, Ptr, "frame") : nullptr;
    Value *States = NumBarriers ? Field(ctxoff::ThreadState, Ptr, "states") : nullptr;
    Value *N = NumBarriers ? B.CreateMul(B.CreateMul(BX, BY), BZ, "nthreads") : nullptr;
    // The block's uniform slots (makeResumable): written by the threads at block barriers, copied to
    // UIn before each region.
    Value *Null = ConstantPointerNull::get(cast<PointerType>(Ptr));
    UIn = UOut = Null;
    if (UniformSize) {
      Type *Buf = ArrayType::get(B.getInt8Ty(), UniformSize);
      auto *In = B.CreateAlloca(Buf, nullptr, "uniform.in");
      In->setAlignment(Align(UniformAlign));
      UIn = In;
      if (!UniformPerThread) {
        auto *Out = B.CreateAlloca(Buf, nullptr, "uniform.out");
        Out->setAlignment(Align(UniformAlign));
        UOut = Out;
      }
    }
    Value *BidX = nullptr; // the current block's

    // Rows whose guards are all uniform run a copy of the thread function that takes their values
    // (UniformGuards.h); ThreadFn and GuardValues say which function the current row calls.
    // Whole rows run a copy in which the guards with a prediction (UniformGuards::predict: their value
    // away from the grid's edges) are constants, when they have that value: LLVM then vectorizes the row
    // loop without masks however many guards there are (it unswitches only a few).  Chunks run the copy
    // that takes every guard's value.
    // Regions whose only guard is a lane guard (threadIdx.x % 32 == 0) run a copy that takes its value.
    std::optional<UniformGuards> Guards;
    Function *RowUniformWI = nullptr, *PredictedWI = nullptr, *LaneWI = nullptr;
    if (VersionGuards) {
      Guards.emplace(*WI, Tid[0], rowUniformArgs(), ArrayRef<Argument *>{CtxArg}, UniformIn, regionStarts(),
                     Dispatch);
      if (!Guards->laneGuards().empty())
        LaneWI = Guards->createLaneClone();
      if (!Guards->empty()) {
        RowUniformWI = Guards->createFastClone();
        PredictedWI = Guards->hasPredictions() ? Guards->createFastClone(/*UsePredictions=*/true) : RowUniformWI;
        if (NumBarriers)
          findUniformExits(Guards->guards());
      }
    }
    Function *ThreadFn = WI;
    SmallVector<Value *, 8> GuardValues;

    // K.wi's arguments, in createThreadFunction's order (the guard check passes nulls for the per-thread
    // ones, which guards never use).
    auto ThreadArgs = [&](Value *X, Value *Y, Value *Z, Value *State, Value *F, Value *T) {
      SmallVector<Value *, 16> A(CallArgs);
      A.append({Ctx, X, Y, Z, State, F, BidX, BidY, BidZ, UIn, UOut, T});
      return A;
    };
    // One thread: K.wi(args..., ctx, x, y, z, state, frame, blockIdx, uniform.in/out, t [, guards]).
    auto CallThread = [&](IRBuilder<> &IB, Value *X, Value *Y, Value *Z, Value *T, uint32_t State) {
      Value *F = Frame ? Frame : Null;
      SmallVector<Value *, 16> A = ThreadArgs(X, Y, Z, IB.getInt32(State), F, T);
      if (ThreadFn != WI)
        A.append(GuardValues.begin(), GuardValues.end());
      assert(ThreadFn == WI || ThreadFn == RowUniformWI || ThreadFn == PredictedWI || ThreadFn == LaneWI);
      CallInst *Call = IB.CreateCall(ThreadFn, A);
      for (unsigned I = 0; I < NumParams; ++I)
        if (WI->getArg(I)->hasByValAttr())
          Call->addParamAttr(I, Attribute::getWithByValType(C, WI->getArg(I)->getParamByValType()));
      return Call;
    };
    // for z, y, x: Body(x, y, z, linear), the threads resuming at state St.
    // The row (y, z) of the current block: Body(x, y, z, linear) for x = 0 .. blockDim.x-1 (RowLen; with
    // FusedRows the rows of all the range's blocks, x = 0 .. count * blockDim.x - 1).
    Value *RowLen = BX;
    auto ForEachThreadOfRow = [&](IRBuilder<> &IB, uint32_t St, Value *Y, Value *Z,
                                  ThreadBodyFn Body) {
      // Linear thread indices stay below 1024 (the runtime refuses larger blocks): no wrap, so that
      // LLVM sees frame and state addresses as affine in x.
      Value *Row = IB.CreateMul(IB.CreateAdd(IB.CreateMul(Z, BY, "", true, true), Y, "", true, true), BX, "",
                                true, true);
      // Threads x = X0 .. X0+Count-1 of the row.
      auto Threads = [&](IRBuilder<> &IB, Value *X0, Value *Count, const Twine &Name) {
        emitLoop(
            IB, Count, Name,
            [&](IRBuilder<> &IB, Value *I) {
              Value *X = IB.CreateAdd(X0, I, "", true, true);
              Body(IB, X, Y, Z, IB.CreateAdd(Row, X, "", true, true));
            },
            /*Parallel=*/true);
      };
      // A region whose only guard is a lane guard, (threadIdx.x & M) == L: a loop over the threads on the
      // lane, L, L + M + 1, ..., and one over the others, each with the guard's value known.  Neither
      // writes the state array where every thread leaves for the same state (as in stretches), so a loop
      // whose threads then do nothing goes away: `if (lane == 0) warp_sums[warp] = v` becomes a loop
      // over the warps.
      if (int L = LaneWI ? Guards->onlyLaneGuard(St) : -1; L >= 0) {
        const UniformGuards::LaneGuard &G = Guards->laneGuards()[L];
        const unsigned Shift = Log2_64(G.Mask + 1);
        auto WithLane = [&](bool OnLane, function_ref<void()> Emit) {
          GuardValues.assign(Guards->laneGuards().size(), IB.getFalse());
          GuardValues[L] = IB.getInt1(OnLane == G.Equal);
          ThreadFn = LaneWI;
          EmittingStretches = true;
          Emit();
          EmittingStretches = false;
          ThreadFn = WI;
          GuardValues.clear();
        };
        WithLane(true, [&] {
          Value *N = IB.CreateLShr(IB.CreateAdd(RowLen, IB.getInt32(G.Mask - G.Lane)), Shift, "lane.threads");
          emitLoop(
              IB, N, "x.lane",
              [&](IRBuilder<> &LB, Value *I) {
                Value *X = LB.CreateOr(LB.CreateShl(I, Shift, "", true, true), LB.getInt32(G.Lane));
                Body(LB, X, Y, Z, LB.CreateAdd(Row, X, "", true, true));
              },
              /*Parallel=*/true);
        });
        WithLane(false, [&] {
          Function *BF = IB.GetInsertBlock()->getParent();
          emitLoop(
              IB, RowLen, "x.off.lane",
              [&](IRBuilder<> &LB, Value *X) {
                BasicBlock *Run = BasicBlock::Create(C, "off.lane", BF), *Next = BasicBlock::Create(C, "off.lane.next", BF);
                LB.CreateCondBr(LB.CreateICmpNE(LB.CreateAnd(X, G.Mask), LB.getInt32(G.Lane)), Run, Next);
                LB.SetInsertPoint(Run);
                Body(LB, X, Y, Z, LB.CreateAdd(Row, X, "", true, true));
                LB.CreateBr(Next);
                LB.SetInsertPoint(Next);
              },
              /*Parallel=*/true);
        });
        return;
      }
      if (!RowUniformWI || !Guards->anyRelevant(St)) {
        Threads(IB, IB.getInt32(0), RowLen, "x");
        return;
      }
      // The guard-free copy for threads X0 .. X0+Count-1 when the guards are uniform there, else the
      // thread function.
      SmallVector<Value *, 16> RowArgs = ThreadArgs(nullptr, Y, Z, nullptr, nullptr, nullptr);
      Function *BF = IB.GetInsertBlock()->getParent();
      auto Versioned = [&](IRBuilder<> &IB, Value *X0, Value *Count, bool Predicted,
                           function_ref<void(IRBuilder<> &)> Otherwise) {
        GuardValues.clear();
        Value *Match = nullptr;
        Value *Uniform = Guards->emitRowCheck(
            IB, St, X0, Count, [&](Argument *A) { return RowArgs[A->getArgNo()]; }, GuardValues,
            Predicted ? &Match : nullptr);
        if (Match)
          Uniform = IB.CreateAnd(Uniform, Match);
        BasicBlock *Fast = BasicBlock::Create(C, "row.uniform", BF), *Slow = BasicBlock::Create(C, "row", BF),
                   *Join = BasicBlock::Create(C, "row.done", BF);
        IB.CreateCondBr(Uniform, Fast, Slow);
        IB.SetInsertPoint(Fast);
        ThreadFn = Predicted ? PredictedWI : RowUniformWI;
        EmittingFastRow = true;
        Threads(IB, X0, Count, "x.uniform");
        EmittingFastRow = false;
        if (RowState)
          RowStateEnd(IB, IB.CreateAdd(Row, X0, "", /*HasNUW=*/true, /*HasNSW=*/true), Count);
        ThreadFn = WI;
        IB.CreateBr(Join);
        IB.SetInsertPoint(Slow);
        Otherwise(IB);
        IB.CreateBr(Join);
        IB.SetInsertPoint(Join);
      };
      // A stretch or chunk X0 .. X0+Count-1: the predicted copy, else the row-uniform copy, else thread by
      // thread.
      auto VersionedPart = [&](IRBuilder<> &IB, Value *X0, Value *Count) {
        Versioned(IB, X0, Count, /*Predicted=*/PredictedWI != RowUniformWI, [&](IRBuilder<> &IB) {
          Versioned(IB, X0, Count, /*Predicted=*/false, [&](IRBuilder<> &IB) { Threads(IB, X0, Count, "x"); });
        });
      };
      // The whole row; else, where the region reaches split guards (threadIdx.x < stride), the
      // stretches between their split points; else chunks of RowChunk threads; each versioned again.
      Versioned(IB, IB.getInt32(0), RowLen, /*Predicted=*/true, [&](IRBuilder<> &IB) {
        SmallVector<Value *, 4> Points =
            Guards->emitSplitPoints(IB, St, RowLen, [&](Argument *A) { return RowArgs[A->getArgNo()]; });
        if (!Points.empty()) {
          // Bounds[0] = 0, the points, Bounds[n + 1] = blockDim.x; one loop over the stretches between
          // them (one copy of the code for all), skipping empty ones.
          Points.insert(Points.begin(), IB.getInt32(0));
          Points.push_back(RowLen);
          auto *Bounds = new AllocaInst(I32, 0, IB.getInt32(Points.size()), "stretch.bounds",
                                        &*BF->getEntryBlock().getFirstInsertionPt());
          for (unsigned P = 0; P < Points.size(); ++P)
            IB.CreateStore(Points[P], IB.CreateConstInBoundsGEP1_32(I32, Bounds, P));
          EmittingStretches = true;
          emitLoop(IB, IB.getInt32(Points.size() - 1), "stretch", [&](IRBuilder<> &IB, Value *Si) {
            Value *X0 = IB.CreateLoad(I32, IB.CreateInBoundsGEP(I32, Bounds, Si), "stretch.x0");
            Value *X1 = IB.CreateLoad(I32, IB.CreateInBoundsGEP(I32, Bounds, IB.CreateAdd(Si, IB.getInt32(1))),
                                      "stretch.x1");
            Value *Count = IB.CreateSub(X1, X0);
            BasicBlock *Run = BasicBlock::Create(C, "stretch.run", BF);
            BasicBlock *Next = BasicBlock::Create(C, "stretch.next", BF);
            IB.CreateCondBr(IB.CreateICmpNE(Count, IB.getInt32(0)), Run, Next);
            IB.SetInsertPoint(Run);
            VersionedPart(IB, X0, Count);
            IB.CreateBr(Next);
            IB.SetInsertPoint(Next);
          });
          EmittingStretches = false;
          return;
        }
        Value *Chunks = IB.CreateUDiv(IB.CreateAdd(RowLen, IB.getInt32(RowChunk - 1)), IB.getInt32(RowChunk));
        emitLoop(IB, Chunks, "chunk", [&](IRBuilder<> &IB, Value *Ci) {
          Value *X0 = IB.CreateMul(Ci, IB.getInt32(RowChunk), "", true, true);
          Value *Count = IB.CreateBinaryIntrinsic(Intrinsic::umin, IB.getInt32(RowChunk), IB.CreateSub(RowLen, X0));
          VersionedPart(IB, X0, Count);
        });
      });
    };
    auto ForEachThread = [&](IRBuilder<> &IB, uint32_t St,
                             ThreadBodyFn Body) {
      emitLoop(IB, BZ, "z", [&](IRBuilder<> &IB, Value *Z) {
        emitLoop(IB, BY, "y", [&](IRBuilder<> &IB, Value *Y) { ForEachThreadOfRow(IB, St, Y, Z, Body); });
      });
    };

    // for the threads with linear index Lo .. Hi-1 (rows of x, as ForEachThread): Body(x, y, z, linear).
    auto ForEachThreadIn = [&](IRBuilder<> &IB, Value *Lo, Value *Hi,
                               ThreadBodyFn Body) {
      Value *RowLo = IB.CreateUDiv(Lo, BX);
      Value *RowHi = IB.CreateUDiv(IB.CreateAdd(Hi, IB.CreateSub(BX, IB.getInt32(1))), BX);
      emitLoop(IB, IB.CreateSub(RowHi, RowLo), "rows", [&](IRBuilder<> &IB, Value *Ri) {
        Value *R = IB.CreateAdd(RowLo, Ri);
        Value *Y = IB.CreateURem(R, BY), *Z = IB.CreateUDiv(R, BY);
        Value *Row = IB.CreateMul(R, BX, "", true, true);
        Value *X0 = IB.CreateSub(IB.CreateBinaryIntrinsic(Intrinsic::umax, Lo, Row), Row);
        Value *X1 = IB.CreateSub(IB.CreateBinaryIntrinsic(Intrinsic::umin, Hi, IB.CreateAdd(Row, BX)), Row);
        emitLoop(
            IB, IB.CreateSub(X1, X0), "x",
            [&](IRBuilder<> &IB, Value *I) {
              Value *X = IB.CreateAdd(X0, I, "", true, true);
              Body(IB, X, Y, Z, IB.CreateAdd(Row, X, "", true, true));
            },
            /*Parallel=*/true);
      });
    };

    // The blocks of the range, one after the other.  blockIdx.x goes to the context too (volatile: a
    // fault report reads it, and code outside the thread function may).
    auto SetBlock = [&](IRBuilder<> &IB, Value *Blk) {
      BidX = IB.CreateAdd(FirstBidX, Blk, "bid.x");
      IB.CreateAlignedStore(BidX, IB.CreateConstInBoundsGEP1_64(IB.getInt8Ty(), Ctx, ctxoff::BlockIdx), Align(4),
                            /*isVolatile=*/true);
    };
    if (NumBarriers == 0) {
      // Row (y, z) of the current block, or of the fused range, each thread from start to end.
      auto RunRow = [&](IRBuilder<> &IB, Value *Y, Value *Z) {
        ForEachThreadOfRow(IB, 0, Y, Z, [&](IRBuilder<> &TB, Value *X, Value *Y, Value *Z, Value *T) {
          CallThread(TB, X, Y, Z, T, 0);
        });
      };
      // Without synchronization a block's threads may run in any order, interleaved with other blocks':
      // row y of every block of the range, then row y + 1.  The range's blocks are neighbours along
      // blockIdx.x, so a 2D kernel (a 32x8 stencil) sweeps whole rows of its image, as a CPU loop nest
      // would, instead of 8 short pieces of 8 rows per block.  (Each thread still runs from start to end at
      // once, so its own shared-memory writes are there when it reads them.)
      if (FusedRows) {
        // The whole range as one block of count * blockDim.x threads along x: blockIdx.x stays at the
        // range's first block and threadIdx.x runs over all of its rows, which gives every thread its own
        // blockIdx.x * blockDim.x + threadIdx.x (the only way the thread function sees either).  One row
        // check and one vector loop per image row instead of one per block: guards like x == 0 and
        // x == w - 1 split the long row where they change (a 4096-wide stencil: three stretches, not 128
        // rows of 32 checked each).  A fault report names the range (CUPORT_CPU_KERNEL_FUSED_ROWS).
        // (In pieces of at most 2^20 blocks, so that count * blockDim.x stays below 2^31.)
        constexpr unsigned PieceShift = 20;
        constexpr uint32_t Piece = 1u << PieceShift;
        Value *Pieces =
            B.CreateAdd(B.CreateLShr(B.CreateSub(Count, B.getInt32(1)), PieceShift), B.getInt32(1), "pieces");
        emitLoop(B, Pieces, "piece", [&](IRBuilder<> &PB, Value *P) {
          Value *Skip = PB.CreateMul(P, PB.getInt32(Piece), "", /*HasNUW=*/true, /*HasNSW=*/true);
          SetBlock(PB, Skip);
          Value *Blocks = PB.CreateBinaryIntrinsic(Intrinsic::umin, PB.CreateSub(Count, Skip), PB.getInt32(Piece));
          RowLen = PB.CreateMul(Blocks, BX, "fused.row", /*HasNUW=*/true, /*HasNSW=*/true);
          emitLoop(PB, BZ, "z", [&](IRBuilder<> &IB, Value *Z) {
            emitLoop(IB, BY, "y", [&](IRBuilder<> &IB, Value *Y) { RunRow(IB, Y, Z); });
          });
        });
        B.CreateRetVoid();
        return;
      }
      emitLoop(B, BZ, "z", [&](IRBuilder<> &IB, Value *Z) {
        emitLoop(IB, BY, "y", [&](IRBuilder<> &IB, Value *Y) {
          emitLoop(IB, Count, "block", [&](IRBuilder<> &IB, Value *Blk) {
            SetBlock(IB, Blk);
            RunRow(IB, Y, Z);
          });
        });
      });
      B.CreateRetVoid();
      return;
    }
    emitLoop(B, Count, "block", [&](IRBuilder<> &IB, Value *Blk) {
      SetBlock(IB, Blk);
      emitStateMachine(IB, BF, N, Frame, States, ForEachThread, ForEachThreadIn, CallThread);
    });
    B.CreateRetVoid();
  }

  // The barrier state machine of one block; see the comment at the top of the file.  A loop that ran every
  // thread also finds the least and greatest state they returned: when those are equal, every thread waits
  // at the same site (or has exited), and the block goes straight to that site's region without asking the
  // scheduler (collectives get their results from __cuport_cpu_release_all first).
  template <class ForEachFn, class ForEachInFn, class CallFn>
  void emitStateMachine(IRBuilder<> &B, Function *BF, Value *N, Value *Frame, Value *States, ForEachFn &ForEachThread,
                        ForEachInFn &ForEachThreadIn, CallFn &CallThread) {
    Type *Ptr = PointerType::get(C, 0), *I32 = Type::getInt32Ty(C);
    BasicBlock *Sched = BasicBlock::Create(C, "schedule", BF);
    BasicBlock *Done = BasicBlock::Create(C, "done", BF);
    SmallVector<BasicBlock *, 8> All(NumBarriers + 1), Direct(NumBarriers + 1), Guarded(NumBarriers + 1),
        Live(NumBarriers + 1), LiveAgain(NumBarriers + 1);
    // Whether threads may ever wait at different sites, or some exit while others wait: else no region
    // loop over the live range is emitted (the scheduler never runs), which keeps the code of kernels
    // like a tiled matmul as it was.
    const bool MayDiverge = !all_of(UniformExit, [](bool U) { return U; });
    for (uint32_t St = 1; St <= NumBarriers; ++St) {
      All[St] = BasicBlock::Create(C, "region." + Twine(St) + ".all", BF);
      Direct[St] = BasicBlock::Create(C, "direct." + Twine(St), BF);
      Guarded[St] = BasicBlock::Create(C, "region." + Twine(St) + ".guarded", BF);
      if (MayDiverge) {
        Live[St] = BasicBlock::Create(C, "region." + Twine(St) + ".live", BF);
        LiveAgain[St] = BasicBlock::Create(C, "live.again." + Twine(St), BF);
      }
    }
    GlobalVariable *SiteTable = siteTable();
    // Where the scheduler says which threads it released (the first and one past the last), and whether
    // they are all the threads in between and the only ones that have not exited (the live range).
    auto *ReleasedRange = new AllocaInst(I32, 0, B.getInt32(3), "released.range", &*BF->getEntryBlock().begin());

    // Resumed threads read the uniform values stored at the barrier they leave (makeResumable): from the
    // block's uniform.out, or (UniformPerThread) from the frame of one of them, since every live thread
    // stored the same values.  Source: a thread index, or null for the first thread whose state is
    // `Released` (some thread is).
    auto CopyUniforms = [&](IRBuilder<> &RB, Value *Source, uint32_t Released) {
      if (!UniformSize)
        return;
      if (!UniformPerThread) {
        RB.CreateMemCpy(UIn, Align(UniformAlign), UOut, Align(UniformAlign), UniformSize);
        return;
      }
      if (!Source) {
        // t = 0; while (t + 1 < n && states[t] != Released) ++t;
        BasicBlock *Pre = RB.GetInsertBlock();
        BasicBlock *Head = BasicBlock::Create(C, "uniform.src", BF), *Found = BasicBlock::Create(C, "uniform.copy", BF);
        RB.CreateBr(Head);
        RB.SetInsertPoint(Head);
        PHINode *T = RB.CreatePHI(I32, 2, "uniform.src.t");
        T->addIncoming(RB.getInt32(0), Pre);
        Value *Here = RB.CreateICmpEQ(RB.CreateAlignedLoad(I32, RB.CreateGEP(I32, States, T), Align(4)),
                                      RB.getInt32(Released));
        Value *Next = RB.CreateAdd(T, RB.getInt32(1));
        Value *Last = RB.CreateICmpUGE(Next, N);
        RB.CreateCondBr(RB.CreateOr(Here, Last), Found, Head);
        T->addIncoming(Next, Head);
        RB.SetInsertPoint(Found);
        Source = T;
      }
      Value *Source64 = RB.CreateZExt(Source, RB.getInt64Ty());
      for (auto [U, Size] : UniformEntries) {
        Value *Src = RB.CreateGEP(RB.getInt8Ty(), Frame,
                                  RB.CreateAdd(RB.CreateMul(Source64, RB.getInt64(Size)),
                                               RB.getInt64((UniformOutOffset + U) * FrameCapacity)));
        RB.CreateMemCpy(RB.CreateConstInBoundsGEP1_64(RB.getInt8Ty(), UIn, U), Align(commonAlignment(Align(UniformAlign), U)),
                        Src, Align(commonAlignment(Align(UniformValueAlign), Size)), Size);
      }
    };
    // Runs region St for every thread, then dispatches on the states they returned.
    // Whether every thread returned the same state, found by a region loop that ran every thread: the
    // bitwise AND and OR of the states are equal exactly then (allocas the loop updates; SROA makes them
    // reductions); then the dispatch on them.  AND and OR stay reductions LLVM's vectorizer knows after
    // InstCombine; unsigned min and max with a constant state did not (umin(x, 1) becomes zext(x != 0)),
    // which kept region loops from vectorizing.  (Guarded regions go back to the scheduler: dispatching on
    // their states the same way made LLVM vectorize fewer region loops of a tiled matmul, or more loops with
    // masked stores, which are slow on AMD's CPUs; the tree and shuffle reductions became 20-40% slower.)
    struct StateRange {
      AllocaInst *And, *Or;
    };
    auto BeginStateRange = [&](IRBuilder<> &RB) {
      BasicBlock &FEntry = BF->getEntryBlock();
      StateRange R{new AllocaInst(I32, 0, "state.and", &*FEntry.begin()),
                   new AllocaInst(I32, 0, "state.or", &*FEntry.begin())};
      RB.CreateStore(RB.getInt32(~0u), R.And);
      RB.CreateStore(RB.getInt32(0), R.Or);
      return R;
    };
    auto UpdateStateRange = [&](IRBuilder<> &IB, StateRange R, Value *S) {
      for (auto [A, Op] : {std::pair{R.And, Instruction::And}, std::pair{R.Or, Instruction::Or}}) {
        LoadInst *Old = IB.CreateLoad(I32, A);
        joinAccessGroup(Old);
        joinAccessGroup(IB.CreateStore(IB.CreateBinOp(Op, Old, S), A));
      }
    };
    // Next: where threads that all returned state S go (Direct after a region of every thread, LiveAgain
    // after one of the live range).
    auto DispatchOnStates = [&](IRBuilder<> &RB, StateRange R, ArrayRef<BasicBlock *> Next) {
      Value *All = RB.CreateLoad(I32, R.And, "state.and"), *Any = RB.CreateLoad(I32, R.Or, "state.or");
      BasicBlock *Same = BasicBlock::Create(C, "same.state", BF), *Mixed = BasicBlock::Create(C, "mixed.state", BF),
                 *SameLive = BasicBlock::Create(C, "same.live.state", BF);
      RB.CreateCondBr(RB.CreateICmpEQ(All, Any), Same, Mixed);
      RB.SetInsertPoint(Same);
      SwitchInst *SW = RB.CreateSwitch(All, Sched, NumBarriers + 1);
      SW->addCase(RB.getInt32(StateExit), Done);
      for (uint32_t S = 1; S <= NumBarriers; ++S)
        SW->addCase(RB.getInt32(S), Next[S]);
      // When some threads exited and every other one waits at the same site, __cuport_cpu_release_waiting
      // releases those alone and returns the site's state; else the scheduler decides.  (Finding this in
      // the loop above, with one more reduction, made the region loops of a tiled matmul 2x slower.)
      RB.SetInsertPoint(Mixed);
      if (MayDiverge) {
        // The threads that have not exited are exactly lo .. hi-1 and wait at one site (warps 1-7 of a
        // shuffle reduction returned, warp 0 reached its first shuffle): the live range, which releases
        // them itself (LiveAgain: a shuffle computed in place), without the scheduler's pass that marks
        // the released threads and computes the collective warp by warp.
        FunctionCallee LiveRange = M.getOrInsertFunction("__cuport_cpu_live_range",
                                                         FunctionType::get(I32, {Ptr, I32, Ptr}, false));
        Value *LiveState = RB.CreateCall(LiveRange, {States, N, ReleasedRange}, "live.state");
        BasicBlock *Waiting = BasicBlock::Create(C, "mixed.waiting", BF);
        SwitchInst *LS = RB.CreateSwitch(LiveState, Waiting, NumBarriers);
        for (uint32_t S = 1; S <= NumBarriers; ++S)
          LS->addCase(RB.getInt32(S), LiveAgain[S]);
        RB.SetInsertPoint(Waiting);
      }
      FunctionCallee ReleaseWaiting = M.getOrInsertFunction("__cuport_cpu_release_waiting",
                                                            FunctionType::get(I32, {Ptr, I32, Ptr, Ptr, Ptr}, false));
      Value *Released = RB.CreateCall(ReleaseWaiting, {States, N, Frame, SiteTable, ReleasedRange}, "released");
      RB.CreateCondBr(RB.CreateICmpNE(Released, RB.getInt32(0)), SameLive, Sched);
      RB.SetInsertPoint(SameLive);
      SwitchInst *LW = RB.CreateSwitch(Released, Sched, NumBarriers);
      for (uint32_t S = 1; S <= NumBarriers; ++S)
        LW->addCase(RB.getInt32(S), Guarded[S]);
    };
    // Runs region St for the threads ForEach visits (every thread, or the live range), then dispatches on
    // the states they returned.
    auto RunRegion = [&](IRBuilder<> &RB, uint32_t St, function_ref<void(IRBuilder<> &, ThreadBodyFn)> ForEach,
                         ArrayRef<BasicBlock *> Next, bool RowsMayKeepState) {
      StateRange R = BeginStateRange(RB);
      // Where every thread returns the same state (UniformExit), the last one's, kept in an alloca that
      // SROA turns into the loop's live-out value, replaces the AND and OR reductions.  No scheduler runs
      // before the next region has rewritten every thread's state then, so the threads' state array need
      // not be written; it still is in whole rows and chunks: without that store LLVM hoisted a tiled
      // matmul's 16 shared-memory broadcasts out of its row loops and spilled them, 20-30% slower.  In a
      // row's stretches (split guards) it is left out: the loop over the threads a guard like `tid < d`
      // excludes then does nothing, and LLVM deletes it (a Blelloch scan's down-sweep steps).
      AllocaInst *Last = nullptr;
      if (UniformExit[St]) {
        Last = new AllocaInst(I32, 0, "state.last", &*BF->getEntryBlock().begin());
        RB.CreateStore(RB.getInt32(StateExit), Last);
      }
      // Where the region's exits diverge only on guards (UniformExitInRows), every thread of a row whose
      // guards are uniform returns one state: the row-uniform copies keep it in RowState, and after the
      // row it is written for all of the row's threads at once (a loop LLVM turns into vector stores) and
      // joins the AND and OR once.  A histogram's stream loop, scalar for its shared-memory scatter, then
      // stores one value per element instead of two.
      auto WriteRowState = [&](IRBuilder<> &IB, Value *First, Value *Count) {
        Value *S = IB.CreateLoad(I32, RowState, "state.row");
        emitLoop(IB, Count, "row.states", [&](IRBuilder<> &LB, Value *I) {
          Value *T = LB.CreateZExt(LB.CreateAdd(First, I, "", /*HasNUW=*/true, /*HasNSW=*/true), LB.getInt64Ty());
          LB.CreateAlignedStore(S, LB.CreateInBoundsGEP(I32, States, T), Align(4));
        });
        UpdateStateRange(IB, R, S);
      };
      if (!Last && RowsMayKeepState && UniformExitInRows.size() > St && UniformExitInRows[St]) {
        RowState = new AllocaInst(I32, 0, "state.row", &*BF->getEntryBlock().begin());
        RB.CreateStore(RB.getInt32(StateExit), RowState);
        RowStateEnd = WriteRowState;
      }
      ForEach(RB, [&](IRBuilder<> &IB, Value *X, Value *Y, Value *Z, Value *T) {
        Value *S = CallThread(IB, X, Y, Z, T, St);
        if (RowState && EmittingFastRow) {
          IB.CreateStore(S, RowState);
          return;
        }
        if (!Last || !EmittingStretches)
          joinAccessGroup(IB.CreateAlignedStore(S, IB.CreateInBoundsGEP(I32, States, IB.CreateZExt(T, IB.getInt64Ty())),
                                                Align(4)));
        if (Last)
          IB.CreateStore(S, Last);
        else
          UpdateStateRange(IB, R, S);
      });
      RowState = nullptr;
      if (Last) {
        Value *S = RB.CreateLoad(I32, Last, "state.uniform");
        RB.CreateStore(S, R.And);
        RB.CreateStore(S, R.Or);
      }
      DispatchOnStates(RB, R, Next);
    };
    auto RunAll = [&](IRBuilder<> &RB, uint32_t St) {
      if (St) // every thread takes part: thread 0 is one of them
        CopyUniforms(RB, RB.getInt32(0), 0);
      RunRegion(
          RB, St, [&](IRBuilder<> &IB, ThreadBodyFn Body) { ForEachThread(IB, St, Body); }, Direct,
          /*RowsMayKeepState=*/true);
    };
    auto RangeField = [&](IRBuilder<> &RB, unsigned I, const Twine &Name) {
      return RB.CreateLoad(I32, RB.CreateConstInBoundsGEP1_32(I32, ReleasedRange, I), Name);
    };
    // The live range: the released threads are exactly ReleasedRange[0] .. [1]-1 and every other thread
    // has exited (the scheduler said so in ReleasedRange[2]).  Their region runs without looking at their
    // states, a loop LLVM may vectorize; when they all return the same site's state, every thread that has
    // not exited waits there, so the same threads go on again without the scheduler (LiveAgain: a
    // shuffle computed in place over the range, other collectives by __cuport_cpu_release_range).  The
    // second half of a warp-shuffle reduction, where only warp 0 runs: five shuffles, each a region of 32
    // threads.
    auto RunLive = [&](IRBuilder<> &RB, uint32_t St) {
      Value *Lo = RangeField(RB, 0, "live.lo");
      CopyUniforms(RB, Lo, 0);
      Value *Hi = RangeField(RB, 1, "live.hi");
      RunRegion(
          RB, St, [&](IRBuilder<> &IB, ThreadBodyFn Body) { ForEachThreadIn(IB, Lo, Hi, Body); }, LiveAgain,
          /*RowsMayKeepState=*/false);
    };
    RunAll(B, 0);
    for (uint32_t St = 1; St <= NumBarriers; ++St) {
      IRBuilder<> DB(Direct[St]);
      uint32_t Kind = Sites[St - 1].Kind;
      if (isShuffleSite(Kind)) {
        emitShuffle(DB, Sites[St - 1], DB.getInt32(0), N, Frame);
      } else if (isCollectiveSite(Kind)) {
        FunctionCallee ReleaseAll = M.getOrInsertFunction(
            "__cuport_cpu_release_all", FunctionType::get(DB.getVoidTy(), {I32, Ptr, Ptr}, false));
        DB.CreateCall(ReleaseAll, {N, Frame,
                                   DB.CreateConstInBoundsGEP2_32(SiteTable->getValueType(), SiteTable, 0, St - 1)});
      }
      DB.CreateBr(All[St]);
      IRBuilder<> AB(All[St]);
      RunAll(AB, St);

      if (!MayDiverge)
        continue;
      IRBuilder<> LB(LiveAgain[St]);
      if (isShuffleSite(Kind)) {
        Value *Lo = RangeField(LB, 0, "live.lo");
        emitShuffle(LB, Sites[St - 1], Lo, RangeField(LB, 1, "live.hi"), Frame);
      } else if (isCollectiveSite(Kind)) {
        FunctionCallee ReleaseRange = M.getOrInsertFunction(
            "__cuport_cpu_release_range", FunctionType::get(LB.getVoidTy(), {Ptr, Ptr, Ptr}, false));
        LB.CreateCall(ReleaseRange,
                      {Frame, LB.CreateConstInBoundsGEP2_32(SiteTable->getValueType(), SiteTable, 0, St - 1),
                       ReleasedRange});
      }
      LB.CreateBr(Live[St]);
      IRBuilder<> VB(Live[St]);
      RunLive(VB, St);
    }

    // The scheduler picks the site whose waiting threads may go on.
    B.SetInsertPoint(Sched);
    FunctionCallee Schedule = M.getOrInsertFunction(
        "__cuport_cpu_schedule", FunctionType::get(B.getInt64Ty(), {Ptr, I32, Ptr, Ptr, I32, Ptr}, false));
    Value *R = B.CreateCall(Schedule, {States, N, Frame, SiteTable, B.getInt32(NumBarriers), ReleasedRange}, "next");
    Value *State = B.CreateTrunc(R, I32, "state");
    Value *Uniform = B.CreateTrunc(B.CreateLShr(R, 32), B.getInt1Ty(), "uniform");
    SwitchInst *SW = B.CreateSwitch(State, Done, NumBarriers);
    for (uint32_t St = 1; St <= NumBarriers; ++St) {
      BasicBlock *Region = BasicBlock::Create(C, "region." + Twine(St), BF);
      SW->addCase(B.getInt32(St), Region);
      IRBuilder<> RB(Region);
      // Every thread was released from this site: as if all had arrived together.
      RB.CreateCondBr(Uniform, All[St], Guarded[St]);
      // Only the released threads run, found between the first and the last of them (the scheduler's
      // range); the others keep waiting.
      RB.SetInsertPoint(Guarded[St]);
      if (MayDiverge) {
        BasicBlock *Some = BasicBlock::Create(C, "region." + Twine(St) + ".released", BF);
        RB.CreateCondBr(RB.CreateICmpNE(RangeField(RB, 2, "live.range"), RB.getInt32(0)), Live[St], Some);
        RB.SetInsertPoint(Some);
      }
      CopyUniforms(RB, nullptr, St | CUPORT_CPU_STATE_RELEASED);
      Value *Lo = RangeField(RB, 0, "released.lo");
      Value *Hi = RangeField(RB, 1, "released.hi");
      ForEachThreadIn(RB, Lo, Hi, [&](IRBuilder<> &IB, Value *X, Value *Y, Value *Z, Value *T) {
        Value *SP = IB.CreateInBoundsGEP(I32, States, IB.CreateZExt(T, IB.getInt64Ty()));
        Value *Old = IB.CreateAlignedLoad(I32, SP, Align(4));
        joinAccessGroup(Old);
        BasicBlock *Run = BasicBlock::Create(C, "run", BF);
        BasicBlock *Join = BasicBlock::Create(C, "join", BF);
        IB.CreateCondBr(IB.CreateICmpEQ(Old, IB.getInt32(St | CUPORT_CPU_STATE_RELEASED)), Run, Join);
        IB.SetInsertPoint(Run);
        Value *S = CallThread(IB, X, Y, Z, T, St);
        joinAccessGroup(IB.CreateAlignedStore(S, SP, Align(4)));
        IB.CreateBr(Join);
        IB.SetInsertPoint(Join);
      }); // a branch per thread anyway: row-uniform copies would only add code (no versioning here)
      RB.CreateBr(Sched);
    }
    B.SetInsertPoint(Done);
  }

  // The threads Lo .. Hi-1 wait at a shuffle site of kind Kind, and every other thread of the block has
  // exited (all of them: Lo = 0, Hi = the block's size; or the live range): the results, computed here rather than
  // by the device runtime (which would see the kind only at run time), as the scheduler's warp_collective
  // does for whole warps.  Lane l of warp w reads lane j of the same warp, following PTX's shfl.sync:
  //   up: j = l - b, valid when j >= max_lane    down: j = l + b, valid when j <= max_lane
  //   bfly: j = l ^ b, valid when j <= max_lane  idx: j = min_lane | (b & ~segmask), valid when j <= max_lane
  // with b the lane operand, segmask = (c >> 8) & 31, max_lane = (l & segmask) | (c & 31 & ~segmask),
  // min_lane = l & segmask.  An invalid source, or one outside Lo .. Hi-1 (exited, or past the block's
  // last thread), gives the lane its own value; the result's bit 32 is PTX's predicate.  A loop over the
  // threads that LLVM vectorizes.
  void emitShuffle(IRBuilder<> &B, const SiteInfo &Site, Value *Lo, Value *Hi, Value *Frame) {
    const uint32_t Kind = Site.Kind;
    Type *I32 = B.getInt32Ty(), *I64 = B.getInt64Ty();
    auto Field = [&](unsigned F) {
      return B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Frame, (SyncRecordOffset + 8 * F) * FrameCapacity);
    };
    Value *A = Field(CUPORT_SYNC_A), *Bf = Field(CUPORT_SYNC_B), *Cf = Field(CUPORT_SYNC_C),
          *R = Field(CUPORT_SYNC_RESULT);
    // A narrow site's values (A, result) are 4-byte elements, and its result has no predicate.
    Type *ValTy = Site.Narrow ? I32 : I64;
    const Align ValAlign(Site.Narrow ? 4 : 8);
    auto LoadField = [&](IRBuilder<> &IB, Type *Ty, Value *Arr, Value *Idx) {
      LoadInst *L = IB.CreateAlignedLoad(Ty, IB.CreateInBoundsGEP(Ty, Arr, Idx), Align(Ty->getPrimitiveSizeInBits() / 8));
      joinAccessGroup(L);
      return L;
    };
    auto Load = [&](IRBuilder<> &IB, Value *Arr, Value *Idx) { return LoadField(IB, I64, Arr, Idx); };
    auto LoadValue = [&](IRBuilder<> &IB, Value *Idx) { return LoadField(IB, ValTy, A, Idx); };
    auto Store = [&](IRBuilder<> &IB, Value *V, Value *Ok, Value *T64) {
      Value *Res = Site.Narrow ? V : IB.CreateOr(IB.CreateAnd(V, 0xffffffffu), IB.CreateShl(IB.CreateZExt(Ok, I64), 32));
      joinAccessGroup(IB.CreateAlignedStore(Res, IB.CreateInBoundsGEP(ValTy, R, T64), ValAlign));
    };

    // Constant operands of a whole-warp shuffle (c = 31, or 0 for up: no segments): in every full warp each
    // lane reads A[t + d] for a constant d or its own A[t], so the loop reads the field at consecutive
    // addresses (both loads unconditional: t + d stays inside the sync record, whose fields are
    // consecutive slots).  Those are the warps from Lo, when Lo starts one, to the last whole one before
    // Hi; the general loop below takes the others.
    Value *First = Lo;
    auto *LoConst = dyn_cast<ConstantInt>(Lo);
    const bool FromZero = LoConst && LoConst->isZero();
    const uint32_t Lanes = Site.B & 31;
    bool Contiguous = Site.ConstOperands && ((Kind == CUPORT_SITE_SHFL_UP && Site.C == 0) ||
                                             (Kind != CUPORT_SITE_SHFL_UP && Site.C == 31)) &&
                      (Kind != CUPORT_SITE_SHFL_BFLY || isPowerOf2_32(Lanes) || Lanes == 0);
    if (Contiguous) {
      if (FromZero) {
        First = B.CreateAnd(Hi, ~31u, "full.warps.threads");
      } else {
        Value *FullEnd = B.CreateAnd(Hi, ~31u, "full.warps.end");
        Value *Aligned =
            B.CreateAnd(B.CreateICmpEQ(B.CreateAnd(Lo, 31), B.getInt32(0)), B.CreateICmpUGT(FullEnd, Lo));
        First = B.CreateSelect(Aligned, FullEnd, Lo, "full.warps.threads");
      }
      emitLoop(
          B, B.CreateSub(First, Lo), "shfl.warp",
          [&](IRBuilder<> &IB, Value *I) {
            Value *T = FromZero ? I : IB.CreateAdd(Lo, I, "", true, true);
            Value *T64 = IB.CreateZExt(T, I64), *Lane = IB.CreateAnd(T, 31);
            auto At = [&](int64_t D) { return LoadValue(IB, IB.CreateAdd(T64, IB.getInt64(D))); };
            Value *V, *Ok = IB.getTrue();
            switch (Kind) {
            // (The loads are made one statement at a time: the IR's order does not depend on the host compiler.)
            case CUPORT_SITE_SHFL_UP: {
              Ok = IB.CreateICmpUGE(Lane, IB.getInt32(Lanes));
              Value *Below = At(-int64_t(Lanes));
              V = IB.CreateSelect(Ok, Below, At(0));
              break;
            }
            case CUPORT_SITE_SHFL_DOWN: {
              Ok = IB.CreateICmpULE(Lane, IB.getInt32(31 - Lanes));
              Value *Above = At(Lanes);
              V = IB.CreateSelect(Ok, Above, At(0));
              break;
            }
            case CUPORT_SITE_SHFL_BFLY: { // lane ^ b, b a power of two: b lanes down where lane has b's bit, else up
              if (!Lanes) {
                V = At(0);
                break;
              }
              Value *Down = IB.CreateICmpNE(IB.CreateAnd(Lane, Lanes), IB.getInt32(0));
              Value *Below = At(-int64_t(Lanes));
              V = IB.CreateSelect(Down, Below, At(Lanes));
              break;
            }
            default: // idx: every lane reads lane b of its warp
              V = LoadValue(IB, IB.CreateZExt(IB.CreateOr(IB.CreateAnd(T, ~31u), IB.getInt32(Lanes)), I64));
              break;
            }
            Store(IB, V, Ok, T64);
          },
          /*Parallel=*/true);
    }

    // The general case, per thread from First.
    emitLoop(
        B, B.CreateSub(Hi, First), "shfl",
        [&](IRBuilder<> &IB, Value *I) {
          Value *T = IB.CreateAdd(First, I, "", true, true);
          Value *T64 = IB.CreateZExt(T, I64);
          Value *Lane = IB.CreateAnd(T, 31), *WBase = IB.CreateAnd(T, ~31u);
          Value *Bv = IB.CreateAnd(Site.ConstOperands ? IB.getInt32(Site.B) : IB.CreateTrunc(Load(IB, Bf, T64), I32), 31);
          Value *Cv = Site.ConstOperands ? IB.getInt32(Site.C) : IB.CreateTrunc(Load(IB, Cf, T64), I32);
          Value *Seg = IB.CreateAnd(IB.CreateLShr(Cv, 8), 31);
          Value *NotSeg = IB.CreateXor(Seg, -1);
          Value *MaxLane = IB.CreateOr(IB.CreateAnd(Lane, Seg), IB.CreateAnd(IB.CreateAnd(Cv, 31), NotSeg));
          Value *J, *Ok;
          switch (Kind) {
          case CUPORT_SITE_SHFL_UP:
            J = IB.CreateSub(Lane, Bv);
            Ok = IB.CreateICmpSGE(J, MaxLane);
            break;
          case CUPORT_SITE_SHFL_DOWN:
            J = IB.CreateAdd(Lane, Bv);
            Ok = IB.CreateICmpSLE(J, MaxLane);
            break;
          case CUPORT_SITE_SHFL_BFLY:
            J = IB.CreateXor(Lane, Bv);
            Ok = IB.CreateICmpSLE(J, MaxLane);
            break;
          default: // idx
            J = IB.CreateOr(IB.CreateAnd(Lane, Seg), IB.CreateAnd(Bv, NotSeg));
            Ok = IB.CreateICmpSLE(J, MaxLane);
            break;
          }
          // A valid j is a lane of the warp (0..31): its thread is WBase + j.
          Value *SrcT = IB.CreateAdd(WBase, J);
          Value *InRange; // Lo <= SrcT < Hi
          if (FromZero) {
            InRange = IB.CreateICmpULT(SrcT, Hi);
          } else {
            Value *Offset = IB.CreateSub(SrcT, Lo);
            InRange = IB.CreateICmpULT(Offset, IB.CreateSub(Hi, Lo));
          }
          Value *Take = IB.CreateAnd(Ok, InRange);
          Value *Src = IB.CreateSelect(Take, SrcT, T);
          Store(IB, LoadValue(IB, IB.CreateZExt(Src, I64)), Ok, T64);
        },
        /*Parallel=*/true);
  }

  // The block where each state's region of the thread function starts (state 0: the kernel entry, i+1:
  // after barrier i; UniformGuards, findUniformExits); none without barriers (one region).
  SmallVector<BasicBlock *, 8> regionStarts() {
    SmallVector<BasicBlock *, 8> Starts;
    auto *Switch = Dispatch ? dyn_cast<SwitchInst>(Dispatch->getTerminator()) : nullptr;
    if (!Switch)
      return Starts;
    for (uint32_t St = 0; St <= NumBarriers; ++St)
      Starts.push_back(St == 0 ? Switch->getDefaultDest()
                               : Switch->findCaseValue(ConstantInt::get(Type::getInt32Ty(C), St))->getCaseSuccessor());
    return Starts;
  }

  // The kernel's synchronization sites, indexed by barrier id (cuport_cpu_site[]).
  GlobalVariable *siteTable() {
    Type *I32 = Type::getInt32Ty(C);
    auto *SiteTy = StructType::get(C, {I32, I32, I32, I32, I32, I32, I32, I32});
    SmallVector<Constant *, 8> Elems;
    for (const SiteInfo &S : Sites) {
      auto U = [&](uint32_t V) { return ConstantInt::get(I32, V); };
      Elems.push_back(ConstantStruct::get(
          SiteTy, {U(S.Kind), U(uint32_t(uint64_t(S.Off) * FrameCapacity)), U(8 * FrameCapacity),
                   U((S.ConstOperands ? CUPORT_SITE_CONST_OPERANDS : 0) | (S.Narrow ? CUPORT_SITE_NARROW : 0)),
                   U(S.Mask), U(S.B), U(S.C), U(0)}));
    }
    auto *ArrTy = ArrayType::get(SiteTy, Elems.size());
    auto *G = new GlobalVariable(M, ArrTy, true, GlobalValue::PrivateLinkage, ConstantArray::get(ArrTy, Elems),
                                 "__cuport_sites_" + K.getName());
    G->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
    return G;
  }

  // Whether WI sees threadIdx.x and blockIdx.x only as blockIdx.x * blockDim.x + threadIdx.x (the
  // global x index, in either operand order) and never the linear thread index: then running blockIdx.x =
  // first with threadIdx.x = 0 .. count * blockDim.x - 1 gives every thread of the range its own index.
  // (Shared memory indexed by threadIdx.x, blockIdx.x alone, or the block's start used twice fail this.)
  // Shared memory at all fails it too: each block has its own, which fused blocks would share, and a
  // vectorized row loop may run one thread's write and another's read of the same cell out of order
  // (a block (1, 8) whose thread y owns cell[y]).
  bool fusedRowsOK() const {
    Argument *T = Tid[0], *Blk = Bid[0];
    if (!LinArg->use_empty() || !T->hasOneUse() || !Blk->hasOneUse())
      return false;
    // The offset in the block context L loads from, or -1.
    auto CtxField = [&](const LoadInst *L) -> int64_t {
      int64_t Off = 0;
      return L && GetPointerBaseWithConstantOffset(L->getPointerOperand(), Off, DL) == CtxArg ? Off : -1;
    };
    for (Instruction &I : instructions(*WI)) {
      int64_t Off = CtxField(dyn_cast<LoadInst>(&I));
      if (Off == ctxoff::SharedMem || Off == ctxoff::DynamicShared)
        return false;
    }
    auto *Mul = dyn_cast<BinaryOperator>(*Blk->user_begin());
    if (!Mul || Mul->getOpcode() != Instruction::Mul || !Mul->hasOneUse())
      return false;
    auto *Dim = dyn_cast<LoadInst>(Mul->getOperand(Mul->getOperand(0) == Blk ? 1 : 0));
    if (!Dim || Dim->isVolatile() || !Dim->getType()->isIntegerTy(32) || CtxField(Dim) != ctxoff::BlockDim)
      return false;
    auto *Add = dyn_cast<BinaryOperator>(*Mul->user_begin());
    return Add && Add->getOpcode() == Instruction::Add && *T->user_begin() == Add;
  }

  void createKernelInfo() {
    Type *I32 = Type::getInt32Ty(C), *I64 = Type::getInt64Ty(C);
    auto *InfoTy = StructType::get(C, {I32, I32, I64, I64, I64});
    Constant *Init = ConstantStruct::get(
        InfoTy, {ConstantInt::get(I32, CUPORT_CPU_ABI_VERSION),
                 ConstantInt::get(I32, CUPORT_CPU_KERNEL_BLOCK_RANGE | CUPORT_CPU_KERNEL_BLOCK_FRAME |
                                           (NumBarriers ? CUPORT_CPU_KERNEL_BARRIERS : 0) |
                                           (FusedRows ? CUPORT_CPU_KERNEL_FUSED_ROWS : 0)),
                 ConstantInt::get(I64, FrameSize * FrameCapacity), ConstantInt::get(I64, FrameAlign),
                 ConstantInt::get(I64, StaticShared)});
    auto *G = new GlobalVariable(M, InfoTy, true, GlobalValue::ExternalLinkage, Init,
                                 (CUPORT_CPU_KINFO_PREFIX + K.getName()).str());
    G->setVisibility(GlobalValue::DefaultVisibility);
    G->setDSOLocal(true);
  }
};

} // namespace

void markParallelScopeDecls(Function &F, LoopInfo &LI) {
  for (Instruction &I : instructions(F)) {
    if (!isa<NoAliasScopeDeclInst>(I))
      continue;
    SmallVector<Metadata *, 4> Groups;
    for (Loop *L = LI.getLoopFor(I.getParent()); L; L = L->getParentLoop())
      if (MDNode *ID = L->getLoopID())
        for (const MDOperand &Op : drop_begin(ID->operands()))
          if (auto *Prop = dyn_cast<MDNode>(Op.get()); Prop && Prop->getNumOperands() >= 1)
            if (auto *Name = dyn_cast<MDString>(Prop->getOperand(0));
                Name && Name->getString() == "llvm.loop.parallel_accesses")
              for (const MDOperand &G : drop_begin(Prop->operands()))
                Groups.push_back(G.get());
    if (Groups.empty())
      continue;
    MDNode *Old = I.getMetadata(LLVMContext::MD_access_group);
    MDNode *New = Groups.size() == 1 ? cast<MDNode>(Groups[0]) : MDNode::get(F.getContext(), Groups);
    I.setMetadata(LLVMContext::MD_access_group, Old ? MDNode::concatenate(Old, New) : New);
  }
}

bool formWorkItemLoops(Module &M, Diagnostics &Diags, bool VersionGuards) {
  SmallVector<Function *, 8> Kernels;
  for (Function &F : M)
    if (F.hasFnAttribute(KernelAttr) && !F.isDeclaration())
      Kernels.push_back(&F);
  for (Function *K : Kernels) {
    KernelLowering(M, *K, Diags, VersionGuards).run();
    K->eraseFromParent();
  }
  // No pseudo-intrinsic may survive: they have no definition.
  for (Function &F : M)
    if (isPseudo(&F) && !F.use_empty())
      for (User *U : F.users())
        if (auto *I = dyn_cast<Instruction>(U)) {
          Diags.error(I, "thread context used outside a kernel (internal error in the CPU lowering)");
          break;
        }
  return !Diags.hasErrors();
}

} // namespace cuport

// Pass 3: replace every llvm.nvvm.* intrinsic a CUDA kernel can contain with portable IR.
//   special registers  -> CPU: __cuport.tid.* / loads from the block context / constants
//                         GPU: calls of the target device runtime's __cuport_sreg_* functions
//   barriers, fences   -> CPU: __cuport.barrier / fence seq_cst;  GPU: __cuport_barrier / __cuport_fence_*
//   warp collectives   -> __cuport.sync(kind, ...) on both (the GPU device runtime defines __cuport_sync)
//   math and loads     -> the equivalent generic LLVM intrinsic or instruction
// On the CPU, device printf/assert calls are renamed to the device runtime's entry points.  Anything else
// (inline PTX, unknown intrinsics) is a compile error naming the feature and the source line — never left
// for the code generator to crash on.
#include "Diagnostics.h"
#include "Passes.h"
#include "PseudoIntrinsics.h"

#include "cuport/cpu_kernel_abi.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"

using namespace llvm;

namespace cuport {

namespace {

// What a CUDA programmer wrote to get this intrinsic, for error messages.
std::string featureOf(StringRef Name) {
  if (Name.contains("shfl"))
    return "warp shuffle (__shfl*_sync)";
  if (Name.contains("vote") || Name.contains("ballot"))
    return "warp vote (__ballot_sync/__any_sync/__all_sync)";
  if (Name.contains("match"))
    return "__match_any_sync/__match_all_sync";
  if (Name.contains("redux"))
    return "__reduce_*_sync";
  if (Name.contains("tex") || Name.contains("suld") || Name.contains("sust"))
    return "textures and surfaces";
  if (Name.contains("barrier0.popc") || Name.contains("barrier0.and") || Name.contains("barrier0.or"))
    return "__syncthreads_count/__syncthreads_and/__syncthreads_or";
  if (Name.contains("cp.async") || Name.contains("mbarrier"))
    return "asynchronous copies (cp.async / memcpy_async)";
  if (Name.contains("wmma") || Name.contains("mma"))
    return "warp matrix operations (wmma/mma)";
  return "the NVVM intrinsic " + Name.str();
}

class Lowering {
public:
  Lowering(Module &M, Diagnostics &Diags, NVVMTarget Target) : M(M), Diags(Diags), Target(Target) {}

  // Lowers the calls of F (all functions when F is null) and drops the unused NVVM declarations.
  void run(Function *Only) {
    std::vector<CallInst *> Calls;
    for (Function &F : M)
      if (!Only || &F == Only)
        for (BasicBlock &BB : F)
          for (Instruction &I : BB)
            if (auto *CI = dyn_cast<CallInst>(&I))
              Calls.push_back(CI);
    for (CallInst *CI : Calls)
      visit(CI);
    for (Instruction *I : Dead)
      I->eraseFromParent();
    for (Function &F : make_early_inc_range(M))
      if (F.isDeclaration() && F.getName().startswith("llvm.nvvm.") && F.use_empty())
        F.eraseFromParent();
    if (Target == NVVMTarget::Cpu)
      renameDeviceRuntimeCalls();
  }

private:
  Module &M;
  Diagnostics &Diags;
  NVVMTarget Target;
  std::vector<Instruction *> Dead;

  const char *targetName() const { return Target == NVVMTarget::Cpu ? "the CPU backend" : "this GPU target"; }

  // A call of the GPU device runtime function `Name` (no arguments).
  Value *deviceRuntime(IRBuilder<> &B, const Twine &Name, Type *Ret) {
    FunctionCallee F = M.getOrInsertFunction(Name.str(), FunctionType::get(Ret, false));
    return B.CreateCall(F);
  }

  // GPU targets: special registers and fences are functions of the target's device runtime.
  bool lowerForDevice(CallInst *CI, StringRef N, IRBuilder<> &B) {
    Type *I32 = B.getInt32Ty();
    if (N.consume_front("read.ptx.sreg.")) {
      auto [Reg, Axis] = N.split('.');
      if ((Reg == "tid" || Reg == "ntid" || Reg == "ctaid" || Reg == "nctaid") &&
          (Axis == "x" || Axis == "y" || Axis == "z"))
        return replace(CI, deviceRuntime(B, "__cuport_sreg_" + Reg + "_" + Axis, I32)), true;
      if (Reg == "warpsize")
        return replace(CI, B.getInt32(32)), true;
      if (Reg == "laneid" || Reg == "warpid")
        return replace(CI, deviceRuntime(B, "__cuport_sreg_" + Reg, I32)), true;
      if (Reg == "clock" || Reg == "clock64" || Reg == "globaltimer")
        return replace(CI, B.CreateZExtOrTrunc(deviceRuntime(B, "__cuport_sreg_clock64", B.getInt64Ty()),
                                               CI->getType())),
               true;
      return false;
    }
    if (N == "barrier0" || ((N == "barrier.sync" || N == "barrier.n") && CI->arg_size() == 1 &&
                            isa<ConstantInt>(CI->getArgOperand(0)) &&
                            cast<ConstantInt>(CI->getArgOperand(0))->isZero()))
      return replace(CI, deviceRuntime(B, "__cuport_barrier", B.getVoidTy())), true;
    if (N.startswith("membar.") || N.startswith("fence.")) {
      const char *Fn = N.endswith("cta") ? "__cuport_fence_block"
                       : N.endswith("sys") ? "__cuport_fence_system"
                                           : "__cuport_fence_device";
      return replace(CI, deviceRuntime(B, Fn, B.getVoidTy())), true;
    }
    return false;
  }

  void replace(CallInst *CI, Value *V) {
    if (V)
      CI->replaceAllUsesWith(V);
    Dead.push_back(CI);
  }

  Value *unaryIntrinsic(IRBuilder<> &B, Intrinsic::ID ID, Value *X) {
    return B.CreateUnaryIntrinsic(ID, X);
  }

  void visit(CallInst *CI) {
    if (CI->isInlineAsm()) {
      auto *IA = cast<InlineAsm>(CI->getCalledOperand());
      Diags.error(CI, "inline PTX assembly (asm(\"" + IA->getAsmString().substr(0, 40) +
                          "\")) is not supported by cuport; use the CUDA C++ built-in functions instead");
      return;
    }
    Function *Callee = CI->getCalledFunction();
    if (!Callee)
      return;
    // __attribute__((error("..."))) on a device function: the headers use it for unsupported features.
    if (Callee->hasFnAttribute("dontcall-error")) {
      Diags.error(CI, Callee->getFnAttribute("dontcall-error").getValueAsString());
      return;
    }
    StringRef Name = Callee->getName();
    if (!Name.startswith("llvm.nvvm."))
      return;
    StringRef N = Name.drop_front(strlen("llvm.nvvm."));
    IRBuilder<> B(CI);
    Type *I32 = B.getInt32Ty();
    if (Target == NVVMTarget::Device && lowerForDevice(CI, N, B))
      return;

    // Special registers.
    if (N.consume_front("read.ptx.sreg.")) {
      auto Dim = [&](StringRef S) -> int { return S == "x" ? 0 : S == "y" ? 1 : S == "z" ? 2 : -1; };
      auto [Reg, Axis] = N.split('.');
      int D = Dim(Axis);
      if (Reg == "tid" && D >= 0) {
        const char *P[] = {pseudo::TidX, pseudo::TidY, pseudo::TidZ};
        return replace(CI, B.CreateCall(getPseudo(M, P[D])));
      }
      if (Reg == "ntid" && D >= 0)
        return replace(CI, loadCtxField32(B, ctxoff::BlockDim + 4 * D, "blockDim"));
      if (Reg == "ctaid" && D >= 0)
        return replace(CI, loadCtxField32(B, ctxoff::BlockIdx + 4 * D, "blockIdx"));
      if (Reg == "nctaid" && D >= 0)
        return replace(CI, loadCtxField32(B, ctxoff::GridDim + 4 * D, "gridDim"));
      if (Reg == "warpsize")
        return replace(CI, B.getInt32(32));
      if (Reg == "laneid") {
        // Lanes are the block's linear thread index in groups of 32.
        Value *X = B.CreateCall(getPseudo(M, pseudo::TidX));
        Value *Y = B.CreateCall(getPseudo(M, pseudo::TidY));
        Value *Z = B.CreateCall(getPseudo(M, pseudo::TidZ));
        Value *BX = loadCtxField32(B, ctxoff::BlockDim, "bx");
        Value *BY = loadCtxField32(B, ctxoff::BlockDim + 4, "by");
        Value *Lin = B.CreateAdd(X, B.CreateMul(BX, B.CreateAdd(Y, B.CreateMul(BY, Z))));
        return replace(CI, B.CreateAnd(Lin, 31));
      }
      if (Reg == "clock" || Reg == "clock64" || Reg == "globaltimer") {
        Value *T = B.CreateIntrinsic(Intrinsic::readcyclecounter, {}, {});
        return replace(CI, B.CreateZExtOrTrunc(T, CI->getType()));
      }
      Diags.error(CI, "the special register %" + Reg + (Axis.empty() ? "" : "." + Axis) +
                          " is not supported by " + targetName());
      return;
    }

    // Barriers and fences.
    if (N == "barrier0" ||
        ((N == "barrier.sync" || N == "barrier.n") && isa<ConstantInt>(CI->getArgOperand(0)) &&
         cast<ConstantInt>(CI->getArgOperand(0))->isZero() && CI->arg_size() == 1))
      return replace(CI, B.CreateCall(getPseudo(M, pseudo::Barrier)));
    if (N == "barrier.sync" || N == "barrier.n" || N == "barrier.sync.cnt" || N == "barrier") {
      Diags.error(CI, std::string("named barriers (bar.sync with an id or a thread count) are not supported by ") +
                          targetName());
      return;
    }
    if (lowerCollective(CI, N, B))
      return;
    if (N.startswith("membar.") || N.startswith("fence.")) {
      B.CreateFence(AtomicOrdering::SequentiallyConsistent);
      return replace(CI, nullptr);
    }

    // Loads through the read-only / uniform caches are ordinary loads.
    if (N.startswith("ldg.global.") || N.startswith("ldu.global.")) {
      Value *Ptr = CI->getArgOperand(0);
      uint64_t A = 1;
      if (CI->arg_size() > 1)
        if (auto *C = dyn_cast<ConstantInt>(CI->getArgOperand(1)))
          A = C->getZExtValue();
      return replace(CI, B.CreateAlignedLoad(CI->getType(), Ptr, MaybeAlign(A)));
    }

    // Floating-point operations with a generic equivalent (ftz/approx variants computed exactly).
    Intrinsic::ID Unary = StringSwitch<Intrinsic::ID>(N)
                              .Cases("fabs.f", "fabs.ftz.f", "fabs.d", Intrinsic::fabs)
                              .Cases("sqrt.f", "sqrt.rn.f", "sqrt.rn.d", "sqrt.approx.f",
                                     "sqrt.approx.ftz.f", "sqrt.rn.ftz.f", Intrinsic::sqrt)
                              .Cases("ex2.approx.f", "ex2.approx.ftz.f", "ex2.approx.d", Intrinsic::exp2)
                              .Cases("lg2.approx.f", "lg2.approx.ftz.f", "lg2.approx.d", Intrinsic::log2)
                              .Cases("sin.approx.f", "sin.approx.ftz.f", Intrinsic::sin)
                              .Cases("cos.approx.f", "cos.approx.ftz.f", Intrinsic::cos)
                              .Cases("floor.f", "floor.ftz.f", "floor.d", Intrinsic::floor)
                              .Cases("ceil.f", "ceil.ftz.f", "ceil.d", Intrinsic::ceil)
                              .Cases("trunc.f", "trunc.ftz.f", "trunc.d", Intrinsic::trunc)
                              .Cases("round.f", "round.ftz.f", "round.d", Intrinsic::round)
                              .Cases("popc.i", "popc.ll", Intrinsic::ctpop)
                              .Cases("brev32", "brev64", Intrinsic::bitreverse)
                              .Default(Intrinsic::not_intrinsic);
    if (Unary != Intrinsic::not_intrinsic) {
      Value *V = unaryIntrinsic(B, Unary, CI->getArgOperand(0));
      return replace(CI, B.CreateZExtOrTrunc(V, CI->getType()));
    }
    if (N.startswith("rsqrt.approx.")) {
      Value *X = CI->getArgOperand(0);
      Value *S = B.CreateUnaryIntrinsic(Intrinsic::sqrt, X);
      return replace(CI, B.CreateFDiv(ConstantFP::get(X->getType(), 1.0), S));
    }
    if (N.startswith("rcp.")) {
      Value *X = CI->getArgOperand(0);
      return replace(CI, B.CreateFDiv(ConstantFP::get(X->getType(), 1.0), X));
    }
    if (N.startswith("div.")) {
      return replace(CI, B.CreateFDiv(CI->getArgOperand(0), CI->getArgOperand(1)));
    }
    if (N.startswith("fma.")) {
      return replace(CI, B.CreateIntrinsic(Intrinsic::fma, {CI->getType()},
                                           {CI->getArgOperand(0), CI->getArgOperand(1),
                                            CI->getArgOperand(2)}));
    }
    if (N.startswith("fmin.") || N.startswith("fmax.")) {
      Intrinsic::ID ID = N.startswith("fmin.") ? Intrinsic::minnum : Intrinsic::maxnum;
      return replace(CI, B.CreateBinaryIntrinsic(ID, CI->getArgOperand(0), CI->getArgOperand(1)));
    }
    if (N.startswith("saturate.")) {
      Value *X = CI->getArgOperand(0);
      Value *Lo = B.CreateBinaryIntrinsic(Intrinsic::maxnum, X, ConstantFP::get(X->getType(), 0.0));
      return replace(CI, B.CreateBinaryIntrinsic(Intrinsic::minnum, Lo, ConstantFP::get(X->getType(), 1.0)));
    }
    if (N == "clz.i" || N == "clz.ll") {
      Value *V = B.CreateBinaryIntrinsic(Intrinsic::ctlz, CI->getArgOperand(0), B.getFalse());
      return replace(CI, B.CreateZExtOrTrunc(V, I32));
    }
    if (N == "reflect") // __nvvm_reflect("__CUDA_FTZ") and friends: no flush-to-zero, no arch tricks.
      return replace(CI, ConstantInt::get(CI->getType(), 0));

    Diags.error(CI, featureOf(Name.str()) + " is not supported by " + targetName() + " yet");
  }

  // Warp collectives and reducing block barriers -> __cuport.sync(kind, mask, a, b, c).
  bool lowerCollective(CallInst *CI, StringRef N, IRBuilder<> &B) {
    Type *I64 = B.getInt64Ty();
    Value *Full = B.getInt32(-1);
    auto Operand = [&](Value *V) -> Value * {
      if (V->getType()->isFloatTy())
        V = B.CreateBitCast(V, B.getInt32Ty());
      if (V->getType()->isIntegerTy(1))
        return B.CreateZExt(V, I64);
      return B.CreateZExtOrTrunc(V, I64);
    };
    auto Emit = [&](unsigned Kind, Value *Mask, Value *A, Value *Bv, Value *Cv) {
      return B.CreateCall(getPseudo(M, pseudo::Sync),
                          {B.getInt32(Kind), Mask, A ? Operand(A) : B.getInt64(0), Bv ? Operand(Bv) : B.getInt64(0),
                           Cv ? Operand(Cv) : B.getInt64(0)});
    };
    // Converts the record's result to the intrinsic's return type (value, or {value, predicate}).
    auto Finish = [&](Value *R) {
      Type *T = CI->getType();
      auto Scalar = [&](Type *ST) -> Value * {
        Value *Lo = B.CreateTrunc(R, ST->isIntegerTy(1) ? (Type *)B.getInt1Ty() : (Type *)B.getInt32Ty());
        if (ST->isFloatTy())
          Lo = B.CreateBitCast(Lo, ST);
        return Lo;
      };
      if (auto *ST = dyn_cast<StructType>(T)) {
        Value *Agg = PoisonValue::get(ST);
        Agg = B.CreateInsertValue(Agg, Scalar(ST->getElementType(0)), 0);
        Agg = B.CreateInsertValue(Agg, B.CreateTrunc(B.CreateLShr(R, 32), B.getInt1Ty()), 1);
        return replace(CI, Agg), true;
      }
      if (T->isVoidTy())
        return replace(CI, nullptr), true;
      return replace(CI, Scalar(T)), true;
    };
    StringRef Rest = N;
    if (Rest == "bar.warp.sync")
      return Finish(Emit(CUPORT_SITE_WARP, CI->getArgOperand(0), nullptr, nullptr, nullptr));
    if (Rest.consume_front("barrier0.")) {
      unsigned Kind = Rest == "popc" ? CUPORT_SITE_BLOCK_POPC : Rest == "and" ? CUPORT_SITE_BLOCK_AND
                                                                              : CUPORT_SITE_BLOCK_OR;
      return Finish(Emit(Kind, Full, CI->getArgOperand(0), nullptr, nullptr));
    }
    if (Rest.consume_front("shfl.")) {
      bool Sync = Rest.consume_front("sync.");
      auto [Mode, Type] = Rest.split('.');
      unsigned Kind = StringSwitch<unsigned>(Mode)
                          .Case("idx", CUPORT_SITE_SHFL_IDX)
                          .Case("up", CUPORT_SITE_SHFL_UP)
                          .Case("down", CUPORT_SITE_SHFL_DOWN)
                          .Case("bfly", CUPORT_SITE_SHFL_BFLY)
                          .Default(~0u);
      if (Kind == ~0u)
        return false;
      unsigned First = Sync ? 1 : 0;
      Value *Mask = Sync ? CI->getArgOperand(0) : Full;
      return Finish(Emit(Kind, Mask, CI->getArgOperand(First), CI->getArgOperand(First + 1),
                         CI->getArgOperand(First + 2)));
    }
    if (Rest.consume_front("vote.")) {
      bool Sync = Rest.consume_back(".sync");
      unsigned Kind = StringSwitch<unsigned>(Rest)
                          .Case("all", CUPORT_SITE_VOTE_ALL)
                          .Case("any", CUPORT_SITE_VOTE_ANY)
                          .Case("uni", CUPORT_SITE_VOTE_UNI)
                          .Case("ballot", CUPORT_SITE_VOTE_BALLOT)
                          .Default(~0u);
      if (Kind == ~0u)
        return false;
      Value *Mask = Sync ? CI->getArgOperand(0) : Full;
      return Finish(Emit(Kind, Mask, CI->getArgOperand(Sync ? 1 : 0), nullptr, nullptr));
    }
    if (Rest.consume_front("match.")) {
      unsigned Kind = Rest.startswith("any.sync") ? CUPORT_SITE_MATCH_ANY
                      : Rest.startswith("all.sync") ? CUPORT_SITE_MATCH_ALL
                                                    : ~0u;
      if (Kind == ~0u)
        return false;
      return Finish(Emit(Kind, CI->getArgOperand(0), CI->getArgOperand(1), nullptr, nullptr));
    }
    return false;
  }

  // Clang lowers device printf to vprintf(fmt, packed-args) and assert to __assertfail(...); on the CPU the
  // device runtime library (linked into every image) provides them under cuport's own names so they never
  // bind to the C library's functions of the same name.
  void renameDeviceRuntimeCalls() {
    if (Function *F = M.getFunction("vprintf"); F && F->isDeclaration())
      F->setName("__cuport_vprintf");
    // A failing assert reports its block and thread as CUDA does: the call also passes the thread context
    // (the pseudo-intrinsics make the calling function context-dependent, so it is inlined into kernels).
    Function *Assert = M.getFunction("__assertfail");
    if (!Assert || !Assert->isDeclaration())
      return;
    LLVMContext &C = M.getContext();
    Type *I32 = Type::getInt32Ty(C);
    SmallVector<Type *, 10> Params(Assert->getFunctionType()->params().begin(),
                                   Assert->getFunctionType()->params().end());
    Params.append({PointerType::get(C, 0), I32, I32, I32});
    FunctionCallee At = M.getOrInsertFunction(
        "__cuport_assertfail_at", FunctionType::get(Type::getVoidTy(C), Params, false));
    for (User *U : make_early_inc_range(Assert->users())) {
      auto *CI = dyn_cast<CallInst>(U);
      if (!CI || CI->getCalledFunction() != Assert)
        continue;
      IRBuilder<> B(CI);
      SmallVector<Value *, 10> Args(CI->args());
      appendThreadContext(B, Args);
      CallInst *New = B.CreateCall(At, Args);
      New->setDebugLoc(CI->getDebugLoc());
      New->setDoesNotReturn();
      CI->eraseFromParent();
    }
  }
};

} // namespace

bool lowerNVVMIntrinsics(Module &M, Diagnostics &Diags, NVVMTarget Target) {
  Lowering(M, Diags, Target).run(nullptr);
  return !Diags.hasErrors();
}

bool lowerNVVMIntrinsicsIn(Function &F, Diagnostics &Diags, NVVMTarget Target) {
  unsigned Before = Diags.messages().size();
  Lowering(*F.getParent(), Diags, Target).run(&F);
  return Diags.messages().size() == Before;
}

} // namespace cuport

// AMDGPU lowering, per kernel: the calls the CUDA headers leave for the target's libraries.
//   C math functions (sinf, erf, frexp, ...)   -> the ROCm device library's __ocml_<name>_f32/_f64
//   llvm.sin/cos/exp/log/pow/sqrt intrinsics   -> the same (the hardware instructions are approximations;
//                                                 CUDA's functions are accurate to a few ulp over the range)
//   vprintf(format, packed arguments)          -> ockl's hostcall printf (LLVM's emitAMDGPUPrintfCall)
//   __assertfail(message, file, line, ...)     -> CUDA's assertion message through printf, then a trap
// A call the target cannot serve (device malloc, a C library function ocml lacks) makes the kernel
// unsupported with a message naming the function and its file:line.
#include "AMDGPU.h"
#include "Diagnostics.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/AMDGPUEmitPrintf.h"

using namespace llvm;

namespace cuport {

namespace {

constexpr unsigned PrivateAS = 5;

// The ocml base name of an LLVM math intrinsic that AMDGPU would otherwise lower to an approximate
// instruction ("" for intrinsics the code generator implements exactly).
StringRef ocmlBaseOfIntrinsic(Intrinsic::ID ID) {
  switch (ID) {
  case Intrinsic::sin: return "sin";
  case Intrinsic::cos: return "cos";
  case Intrinsic::exp: return "exp";
  case Intrinsic::exp2: return "exp2";
  case Intrinsic::log: return "log";
  case Intrinsic::log2: return "log2";
  case Intrinsic::log10: return "log10";
  case Intrinsic::pow: return "pow";
  case Intrinsic::sqrt: return "sqrt";
  default: return "";
  }
}

class LibraryCalls {
public:
  LibraryCalls(Function &K, const Module *Ocml, Diagnostics &Diags)
      : K(K), M(*K.getParent()), Ocml(Ocml), Diags(Diags) {}

  bool run() {
    std::vector<CallInst *> Calls;
    for (BasicBlock &BB : K)
      for (Instruction &I : BB)
        if (auto *CI = dyn_cast<CallInst>(&I))
          if (Function *F = CI->getCalledFunction(); F && F->isDeclaration())
            Calls.push_back(CI);
    bool OK = true;
    for (CallInst *CI : Calls)
      OK &= visit(CI);
    return OK;
  }

private:
  Function &K;
  Module &M;
  const Module *Ocml;
  Diagnostics &Diags;

  bool fail(CallInst *CI, const Twine &Msg) {
    Diags.error(CI, Msg + " (HIP backend)");
    return false;
  }

  bool visit(CallInst *CI) {
    Function *F = CI->getCalledFunction();
    StringRef Name = F->getName();
    if (Name.startswith("__cuport_") || Name.startswith("__cuport.") || Name.startswith("__ocml_") ||
        Name.startswith("__ockl_"))
      return true; // the device runtime and the device libraries are linked later
    if (F->isIntrinsic()) {
      switch (F->getIntrinsicID()) {
      case Intrinsic::lrint:
      case Intrinsic::llrint:
      case Intrinsic::lround:
      case Intrinsic::llround: {
        // The AMDGPU backend cannot select these (it aborts in legalization): round in floating point,
        // which it can, then convert.
        Intrinsic::ID ID = F->getIntrinsicID();
        bool Nearest = ID == Intrinsic::lrint || ID == Intrinsic::llrint;
        IRBuilder<> B(CI);
        Value *R = B.CreateUnaryIntrinsic(Nearest ? Intrinsic::rint : Intrinsic::round, CI->getArgOperand(0));
        CI->replaceAllUsesWith(B.CreateFPToSI(R, CI->getType()));
        CI->eraseFromParent();
        return true;
      }
      default:
        break;
      }
      StringRef Base = ocmlBaseOfIntrinsic(F->getIntrinsicID());
      Type *T = CI->getType();
      if (Base.empty() || !(T->isFloatTy() || T->isDoubleTy()))
        return true;
      return callOcml(CI, Base, T);
    }
    if (Name == "vprintf")
      return lowerPrintf(CI);
    if (Name == "__assertfail")
      return lowerAssert(CI);
    StringRef Heap = StringSwitch<StringRef>(Name)
                         .Cases("malloc", "free", Name)
                         .Cases("_Znwm", "_ZnwmRKSt9nothrow_t", "operator new")
                         .Cases("_Znam", "_ZnamRKSt9nothrow_t", "operator new[]")
                         .Cases("_ZdlPv", "_ZdlPvm", "operator delete")
                         .Cases("_ZdaPv", "_ZdaPvm", "operator delete[]")
                         .Default("");
    if (!Heap.empty())
      return fail(CI, "device-side " + Heap + " (the device heap) is not supported on AMDGPU yet");
    return lowerMathFunction(CI, Name);
  }

  Function *ocmlFunction(const std::string &N) { return Ocml ? Ocml->getFunction(N) : nullptr; }

  // name(double...) / namef(float...) -> __ocml_name_f64 / _f32 with the same operands, converting the
  // out-parameters of frexp/modf/remquo (ocml wants private-memory pointers) and the integer-result
  // rounding functions.
  bool lowerMathFunction(CallInst *CI, StringRef Name) {
    Type *FP = nullptr;
    for (Value *A : CI->args())
      if (A->getType()->isFloatTy() || A->getType()->isDoubleTy()) {
        FP = A->getType();
        break;
      }
    if (!FP)
      return fail(CI, "the function '" + demangle(Name.str()) + "' is not available in AMDGPU device code");
    StringRef Base = Name;
    if (FP->isFloatTy() && Base.endswith("f")) // sinf -> sin, erff -> erf, modff -> modf
      Base = Base.drop_back();
    IRBuilder<> B(CI);
    // lrint/lround/llrint/llround: round in floating point, then convert.
    StringRef Rounding = StringSwitch<StringRef>(Base)
                             .Cases("lrint", "llrint", "rint")
                             .Cases("lround", "llround", "round")
                             .Default("");
    if (!Rounding.empty()) {
      Function *R = ocmlFunction(("__ocml_" + Rounding + (FP->isFloatTy() ? "_f32" : "_f64")).str());
      if (!R)
        return fail(CI, "the ROCm device library lacks " + Rounding);
      Value *V = B.CreateCall(declare(R), {CI->getArgOperand(0)});
      CI->replaceAllUsesWith(B.CreateFPToSI(V, CI->getType()));
      CI->eraseFromParent();
      return true;
    }
    if (Base == "scalbln") { // long exponent: clamp into int, which saturates the result the same way
      Function *R = ocmlFunction(FP->isFloatTy() ? "__ocml_scalbn_f32" : "__ocml_scalbn_f64");
      if (!R)
        return fail(CI, "the ROCm device library lacks scalbn");
      Value *E = CI->getArgOperand(1);
      Value *Lo = B.getInt64(INT32_MIN), *Hi = B.getInt64(INT32_MAX);
      E = B.CreateSelect(B.CreateICmpSLT(E, Lo), Lo, B.CreateSelect(B.CreateICmpSGT(E, Hi), Hi, E));
      Value *V = B.CreateCall(declare(R), {CI->getArgOperand(0), B.CreateTrunc(E, B.getInt32Ty())});
      CI->replaceAllUsesWith(V);
      CI->eraseFromParent();
      return true;
    }
    return callOcml(CI, Base, FP);
  }

  FunctionCallee declare(Function *OcmlF) {
    return M.getOrInsertFunction(OcmlF->getName(), OcmlF->getFunctionType());
  }

  // Replaces CI with __ocml_<Base>_<f32|f64>(operands...), passing pointer operands through private
  // temporaries where ocml takes private-memory pointers.
  bool callOcml(CallInst *CI, StringRef Base, Type *FP) {
    std::string N = ("__ocml_" + Base + (FP->isFloatTy() ? "_f32" : "_f64")).str();
    Function *OF = ocmlFunction(N);
    FunctionType *FT = OF ? OF->getFunctionType() : nullptr;
    StringRef What = CI->getCalledFunction()->isIntrinsic() ? Base : CI->getCalledFunction()->getName();
    if (!FT || FT->getNumParams() != CI->arg_size() || FT->getReturnType() != CI->getType())
      return fail(CI, "the math function '" + What + "' is not available in AMDGPU device code");
    IRBuilder<> B(CI);
    SmallVector<Value *, 4> Args;
    SmallVector<std::pair<AllocaInst *, Value *>, 2> OutParams; // private temporary, user's pointer
    for (unsigned I = 0; I < FT->getNumParams(); ++I) {
      Value *A = CI->getArgOperand(I);
      Type *PT = FT->getParamType(I);
      if (PT == A->getType()) {
        Args.push_back(A);
        continue;
      }
      if (!PT->isPointerTy() || !A->getType()->isPointerTy() || PT->getPointerAddressSpace() != PrivateAS)
        return fail(CI, "the math function '" + What + "' has an unexpected signature in the ROCm device library");
      // frexp/remquo store an int, modf a value of the operand's type.
      Type *Pointee = Base == "modf" ? FP : B.getInt32Ty();
      IRBuilder<> Entry(&*K.getEntryBlock().getFirstInsertionPt());
      AllocaInst *Tmp = Entry.CreateAlloca(Pointee, nullptr, "ocml.out");
      Args.push_back(B.CreateAddrSpaceCast(Tmp, PT));
      OutParams.push_back({Tmp, A});
    }
    CallInst *New = B.CreateCall(declare(OF), Args);
    New->setDebugLoc(CI->getDebugLoc());
    for (auto &[Tmp, User] : OutParams)
      B.CreateStore(B.CreateLoad(Tmp->getAllocatedType(), Tmp), User);
    CI->replaceAllUsesWith(New);
    CI->eraseFromParent();
    return true;
  }

  // vprintf(format, buffer): Clang packed the arguments into an alloca of a struct, one field per
  // argument (floats already promoted to double); read them back and print through ockl.
  bool lowerPrintf(CallInst *CI) {
    SmallVector<Value *, 8> Args{CI->getArgOperand(0)};
    Value *Buf = CI->getArgOperand(1)->stripPointerCasts();
    IRBuilder<> B(CI);
    if (!isa<ConstantPointerNull>(Buf)) {
      auto *AI = dyn_cast<AllocaInst>(Buf);
      if (!AI)
        return fail(CI, "printf with an argument buffer cuport cannot read is not supported");
      Type *T = AI->getAllocatedType();
      if (auto *ST = dyn_cast<StructType>(T)) {
        for (unsigned I = 0; I < ST->getNumElements(); ++I)
          Args.push_back(B.CreateLoad(ST->getElementType(I), B.CreateStructGEP(ST, AI, I)));
      } else {
        Args.push_back(B.CreateLoad(T, AI));
      }
    }
    Value *R = emitAMDGPUPrintfCall(B, Args);
    CI->replaceAllUsesWith(B.CreateZExtOrTrunc(R, CI->getType()));
    CI->eraseFromParent();
    return true;
  }

  // CUDA's message: "<file>:<line>: <function>: block: [x,y,z], thread: [x,y,z] Assertion `<expr>` failed."
  bool lowerAssert(CallInst *CI) {
    IRBuilder<> B(CI);
    Constant *Fmt = B.CreateGlobalStringPtr(
        "%s:%u: %s: block: [%u,%u,%u], thread: [%u,%u,%u] Assertion `%s` failed.\n", "cuport.assert.fmt", 4);
    SmallVector<Value *, 10> Args{B.CreateAddrSpaceCast(Fmt, B.getPtrTy()), CI->getArgOperand(1),
                                  CI->getArgOperand(2), CI->getArgOperand(3)};
    for (const char *Reg : {"__cuport_sreg_ctaid_x", "__cuport_sreg_ctaid_y", "__cuport_sreg_ctaid_z",
                            "__cuport_sreg_tid_x", "__cuport_sreg_tid_y", "__cuport_sreg_tid_z"})
      Args.push_back(B.CreateCall(M.getOrInsertFunction(Reg, FunctionType::get(B.getInt32Ty(), false))));
    Args.push_back(CI->getArgOperand(0));
    emitAMDGPUPrintfCall(B, Args);
    B.CreateIntrinsic(Intrinsic::trap, {}, {});
    CI->eraseFromParent();
    return true;
  }
};

} // namespace

bool lowerAMDGPULibraryCalls(Function &Kernel, const Module *Ocml, Diagnostics &Diags) {
  return LibraryCalls(Kernel, Ocml, Diags).run();
}

} // namespace cuport

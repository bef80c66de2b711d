// The PTX lowering (PTX.h): link the math library, keep the kernels the GPU can run, optimize for NVPTX,
// print PTX.
#include "Diagnostics.h"
#include "PTX.h"
#include "PassRunner.h"
#include "Pipeline.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfo.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Metadata.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Linker/Linker.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"

#include <functional>
#include <map>

extern "C" {
void LLVMInitializeNVPTXTargetInfo();
void LLVMInitializeNVPTXTarget();
void LLVMInitializeNVPTXTargetMC();
void LLVMInitializeNVPTXAsmPrinter();
}

using namespace llvm;

namespace cuport {

namespace {

constexpr const char *Triple = "nvptx64-nvidia-cuda";

// Functions the Nvidia driver links into every module that declares them (CUDA's device-side system calls).
bool isDriverFunction(StringRef Name) {
  return Name == "vprintf" || Name == "__assertfail" || Name == "malloc" || Name == "free" ||
         Name == "__nvvm_reflect";
}

// The C99 <math.h> functions (double name, float name + "f") the CUDA math headers call.
bool isCMathFunction(StringRef Name) {
  static const char *const Names[] = {
      "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "cbrt", "ceil", "copysign", "cos", "cosh",
      "erf", "erfc", "exp", "exp10", "exp2", "expm1", "fabs", "fdim", "floor", "fma", "fmax", "fmin", "fmod",
      "frexp", "hypot", "ilogb", "ldexp", "lgamma", "llrint", "llround", "log", "log10", "log1p", "log2",
      "logb", "lrint", "lround", "modf", "nan", "nearbyint", "nextafter", "pow", "remainder", "remquo",
      "rint", "round", "scalbln", "scalbn", "sin", "sinh", "sqrt", "tan", "tanh", "tgamma", "trunc"};
  for (const char *N : Names)
    if (Name == N || (Name.size() == strlen(N) + 1 && Name.startswith(N) && Name.back() == 'f'))
      return true;
  return false;
}

// LLVM math intrinsics NVPTX only has approximate instructions for, or none (llvm.lrint & co. would be
// libcalls it cannot make): the math library serves them, as calls of the C functions.
bool isUnservedIntrinsic(Intrinsic::ID ID) {
  switch (ID) {
  case Intrinsic::sin: case Intrinsic::cos: case Intrinsic::exp: case Intrinsic::exp2:
  case Intrinsic::log: case Intrinsic::log2: case Intrinsic::log10: case Intrinsic::pow:
  case Intrinsic::powi: case Intrinsic::lrint: case Intrinsic::llrint: case Intrinsic::lround:
  case Intrinsic::llround:
    return true;
  default:
    return false;
  }
}

// The C function (float: name + "f") that serves an unserved math intrinsic on a scalar float or double,
// or frem (fmod: NVPTX would compute it as x - trunc(x/y) y, inexactly); "" for anything else.
std::string mathFunctionFor(const Instruction &I) {
  if (I.getOpcode() == Instruction::FRem)
    return I.getType()->isFloatTy() ? "fmodf" : I.getType()->isDoubleTy() ? "fmod" : "";
  auto *II = dyn_cast<IntrinsicInst>(&I);
  if (!II || !isUnservedIntrinsic(II->getIntrinsicID()))
    return "";
  Type *T = II->getArgOperand(0)->getType();
  if (!T->isFloatTy() && !T->isDoubleTy())
    return "";
  switch (II->getIntrinsicID()) {
  case Intrinsic::powi:
    return "pow"; // x^n as pow(x, n) in double, for a float x too
  case Intrinsic::lrint: case Intrinsic::llrint: case Intrinsic::lround: case Intrinsic::llround:
    if (!II->getType()->isIntegerTy(64))
      return "";
    break;
  default:
    break;
  }
  std::string Base = II->getCalledFunction()->getName().drop_front(5).split('.').first.str();
  return T->isFloatTy() ? Base + "f" : Base;
}

std::vector<Function *> kernelsOf(Module &M) {
  std::vector<Function *> Kernels;
  if (NamedMDNode *A = M.getNamedMetadata("nvvm.annotations"))
    for (MDNode *N : A->operands())
      if (N->getNumOperands() >= 3)
        if (auto *Key = dyn_cast_or_null<MDString>(N->getOperand(1).get()); Key && Key->getString() == "kernel")
          if (auto *V = dyn_cast_or_null<ValueAsMetadata>(N->getOperand(0).get()))
            if (auto *F = dyn_cast<Function>(V->getValue()->stripPointerCasts()))
              Kernels.push_back(F);
  return Kernels;
}

// Why a math function has no definition: the library is missing, or does not have it.
std::string mathReason(bool MathLibraryLinked) {
  return MathLibraryLinked ? "is not in cuport's NVPTX math library"
                           : "has no implementation for the cuda backend: cuport's NVPTX math library "
                             "(libcuport-ptx-devmath.bc, next to libcuport) was not found";
}

// The first call in F that the GPU cannot serve, with the CUDA-level reason.
std::pair<const CallBase *, std::string> firstUnservedCall(Function &F, bool MathLibraryLinked) {
  for (BasicBlock &BB : F)
    for (Instruction &I : BB) {
      auto *CB = dyn_cast<CallBase>(&I);
      Function *Callee = CB ? CB->getCalledFunction() : nullptr;
      if (!Callee || !Callee->isDeclaration())
        continue;
      if (Callee->isIntrinsic()) {
        if (isUnservedIntrinsic(Callee->getIntrinsicID())) {
          // llvm.exp.f32 -> expf, llvm.pow.f64 -> pow: what the CUDA program called.
          StringRef Base = Callee->getName().drop_front(5).split('.').first;
          std::string C = Base.str() + (CB->getArgOperand(0)->getType()->isFloatTy() ? "f" : "");
          return {CB, "the math function " + C + "() " + mathReason(MathLibraryLinked)};
        }
        continue;
      }
      if (isDriverFunction(Callee->getName()))
        continue;
      if (isCMathFunction(Callee->getName()))
        return {CB, "the C library function " + Callee->getName().str() + "() " + mathReason(MathLibraryLinked)};
      return {CB, "the function '" + demangle(Callee->getName().str()) +
                      "' has no definition for the cuda backend (a device function defined in another "
                      "translation unit needs -rdc=true)"};
    }
  return {nullptr, ""};
}

// The largest parameter space of the module's kernels, laid out as PTX .param space is.
uint64_t maxKernelParamBytes(Module &M) {
  const DataLayout &DL = M.getDataLayout();
  uint64_t Max = 0;
  for (Function *K : kernelsOf(M)) {
    uint64_t Bytes = 0;
    for (Argument &A : K->args()) {
      Type *T = A.hasByValAttr() ? A.getParamByValType() : A.getType();
      Bytes = alignTo(Bytes, DL.getABITypeAlign(T).value()) + DL.getTypeAllocSize(T);
    }
    Max = std::max(Max, Bytes);
  }
  return Max;
}

// C++ operator new/delete in device code are the driver's malloc/free (as nvcc gives them).
void defineHeapOperators(Module &M) {
  LLVMContext &C = M.getContext();
  Type *Ptr = PointerType::get(C, 0), *I64 = Type::getInt64Ty(C);
  FunctionCallee Malloc = M.getOrInsertFunction("malloc", Ptr, I64);
  FunctionCallee Free = M.getOrInsertFunction("free", Type::getVoidTy(C), Ptr);
  for (Function &F : M) {
    StringRef N = F.getName();
    if (!F.isDeclaration() || F.arg_empty())
      continue;
    bool New = N == "_Znwm" || N == "_Znam" || N == "_ZnwmRKSt9nothrow_t" || N == "_ZnamRKSt9nothrow_t";
    bool Delete = N == "_ZdlPv" || N == "_ZdaPv" || N == "_ZdlPvm" || N == "_ZdaPvm";
    if (!New && !Delete)
      continue;
    IRBuilder<> B(BasicBlock::Create(C, "entry", &F));
    if (New)
      B.CreateRet(B.CreateCall(Malloc, {F.getArg(0)}));
    else {
      B.CreateCall(Free, {F.getArg(0)});
      B.CreateRetVoid();
    }
    F.setLinkage(GlobalValue::InternalLinkage);
  }
  for (const char *N : {"malloc", "free"})
    if (Function *F = M.getFunction(N); F && F->use_empty())
      F->eraseFromParent();
}

} // namespace

std::string defaultPTXMathLibrary() {
  // On Linux the executable is found through /proc/self/exe; no argv0 or symbol address is needed.
  std::string Exe = sys::fs::getMainExecutable(nullptr, nullptr);
  if (Exe.empty())
    return "";
  SmallString<256> Lib(sys::path::parent_path(sys::path::parent_path(Exe)));
  sys::path::append(Lib, "lib", "libcuport-ptx-devmath.bc");
  return Lib.str().str();
}

bool linkPTXMathLibrary(Module &M, const std::string &Path) {
  if (Path.empty() || !sys::fs::exists(Path))
    return false;
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buf = MemoryBuffer::getFile(Path);
  if (!Buf)
    return false;
  Expected<std::unique_ptr<Module>> Parsed = parseBitcodeFile((*Buf)->getMemBufferRef(), M.getContext());
  if (!Parsed) {
    consumeError(Parsed.takeError());
    return false;
  }
  std::unique_ptr<Module> Lib = std::move(*Parsed);
  // The intrinsics and frem become calls of the library's functions (each only where the library has it).
  std::vector<std::pair<Instruction *, Function *>> Work;
  for (Function &F : M)
    for (BasicBlock &BB : F)
      for (Instruction &I : BB) {
        std::string N = mathFunctionFor(I);
        Function *Def = N.empty() ? nullptr : Lib->getFunction(N);
        if (Def && !Def->isDeclaration())
          Work.push_back({&I, Def});
      }
  for (auto [I, Def] : Work) {
    IRBuilder<> B(I);
    FunctionCallee Callee = M.getOrInsertFunction(Def->getName(), Def->getFunctionType());
    Type *Arg = Def->getFunctionType()->getParamType(0);
    std::vector<Value *> Args;
    auto *II = dyn_cast<IntrinsicInst>(I);
    if (II && II->getIntrinsicID() == Intrinsic::powi) // pow(x, n) in double
      Args = {B.CreateFPExt(II->getArgOperand(0), Arg), B.CreateSIToFP(II->getArgOperand(1), Arg)};
    else
      for (Value *Op : II ? make_range(II->arg_begin(), II->arg_end()) : I->operands())
        Args.push_back(Op);
    CallInst *Call = B.CreateCall(Callee, Args);
    Call->setDebugLoc(I->getDebugLoc());
    Value *Result = Call;
    if (Call->getType() != I->getType())
      Result = B.CreateFPTrunc(Call, I->getType());
    I->replaceAllUsesWith(Result);
    I->eraseFromParent();
  }
  Lib->setDataLayout(M.getDataLayout());
  Lib->setTargetTriple(M.getTargetTriple());
  // Only the functions the module calls (and what they call) are linked.
  return !Linker::linkModules(M, std::move(Lib), Linker::LinkOnlyNeeded);
}

std::string filterKernelsForPTX(Module &M, const std::string &Name, bool MathLibraryLinked) {
  // Per function: the first call it reaches that the GPU cannot serve (null when none), reported at the
  // outermost call site outside cuport's headers (sinf() in the user's kernel, not expf's body).
  struct Unserved {
    const Instruction *At = nullptr;
    std::string Msg;
  };
  std::map<Function *, Unserved> Memo;
  std::function<Unserved(Function *, SmallPtrSetImpl<Function *> &)> Visit =
      [&](Function *F, SmallPtrSetImpl<Function *> &Active) -> Unserved {
    auto It = Memo.find(F);
    if (It != Memo.end())
      return It->second;
    if (!Active.insert(F).second)
      return {}; // recursion: the cycle's own calls are checked where it was entered
    Unserved U;
    auto [Call, Msg] = firstUnservedCall(*F, MathLibraryLinked);
    if (Call)
      U = {Call, Msg};
    for (BasicBlock &BB : *F)
      for (Instruction &I : BB) {
        auto *CB = dyn_cast<CallBase>(&I);
        Function *C = CB ? CB->getCalledFunction() : nullptr;
        if (U.At || !C || C->isDeclaration())
          continue;
        Unserved Inner = Visit(C, Active);
        if (Inner.At)
          U = {inCuportHeaders(Inner.At) ? CB : Inner.At, Inner.Msg};
      }
    Active.erase(F);
    return Memo[F] = U;
  };

  std::string Unsupported;
  SmallPtrSet<Function *, 8> Removed;
  for (Function *K : kernelsOf(M)) {
    SmallPtrSet<Function *, 16> Active;
    Unserved U = Visit(K, Active);
    if (!U.At)
      continue;
    Diagnostics D(Name);
    D.error(U.At, U.Msg);
    Unsupported += K->getName().str() + " " + oneLine(D.messages().front()) + "\n";
    Removed.insert(K);
  }
  if (Removed.empty())
    return Unsupported;
  // Drop the removed kernels' annotations, then the kernels.
  NamedMDNode *A = M.getNamedMetadata("nvvm.annotations");
  std::vector<MDNode *> Keep;
  for (MDNode *N : A->operands()) {
    auto *V = N->getNumOperands() ? dyn_cast_or_null<ValueAsMetadata>(N->getOperand(0).get()) : nullptr;
    auto *F = V ? dyn_cast<Function>(V->getValue()->stripPointerCasts()) : nullptr;
    if (!F || !Removed.count(F))
      Keep.push_back(N);
  }
  A->clearOperands();
  for (MDNode *N : Keep)
    A->addOperand(N);
  for (Function *K : Removed) {
    K->replaceAllUsesWith(ConstantPointerNull::get(cast<PointerType>(K->getType())));
    K->eraseFromParent();
  }
  return Unsupported;
}

std::string lowerModuleToPTX(Module &M, const std::string &Name, const PTXOptions &Opts, std::string &Error) {
  static bool Initialized = [] {
    LLVMInitializeNVPTXTargetInfo();
    LLVMInitializeNVPTXTarget();
    LLVMInitializeNVPTXTargetMC();
    LLVMInitializeNVPTXAsmPrinter();
    return true;
  }();
  (void)Initialized;
  const Target *T = TargetRegistry::lookupTarget(Triple, Error);
  if (!T)
    return "";
  TargetOptions TO;
  TO.AllowFPOpFusion = FPOpFusion::Standard; // CUDA's default -fmad=true
  std::unique_ptr<TargetMachine> TM(T->createTargetMachine(
      Triple, Opts.Arch, "", TO, None, None, Opts.OptLevel >= 2 ? CodeGenOpt::Aggressive : CodeGenOpt::Default));
  if (!TM) {
    Error = "cannot create an NVPTX target machine for " + Opts.Arch;
    return "";
  }

  defineHeapOperators(M);
  // The math library first, so that only what it cannot serve is reported.  Its functions, like every
  // other non-kernel function, are internalized below.
  bool MathLinked = linkPTXMathLibrary(M, Opts.MathLibrary);
  std::string Unsupported = filterKernelsForPTX(M, Name, MathLinked);
  std::vector<Function *> Kernels = kernelsOf(M);
  SmallPtrSet<Function *, 16> IsKernel(Kernels.begin(), Kernels.end());
  for (Function &F : M) {
    for (const char *A : {"target-cpu", "target-features", "tune-cpu"})
      F.removeFnAttr(A);
    if (F.isDeclaration() || IsKernel.count(&F))
      continue;
    // One whole program per translation unit: only the kernels need a symbol.
    F.setLinkage(GlobalValue::InternalLinkage);
    F.setComdat(nullptr);
  }
  for (GlobalVariable &G : M.globals()) {
    if (isDeviceVariable(G)) {
      // __device__ / __constant__ variables: cuModuleGetGlobal finds them by name.
      G.setLinkage(GlobalValue::ExternalLinkage);
      G.setVisibility(GlobalValue::DefaultVisibility);
      G.setComdat(nullptr);
    }
  }
  if (!Opts.LineInfo)
    StripDebugInfo(M);
  M.setTargetTriple(Triple);
  M.setDataLayout(TM->createDataLayout());

  PassBuilder PB(TM.get());
  int Level = Opts.OptLevel;
  runModulePipeline(M, PB, [Level](PassBuilder &PB, ModulePassManager &MPM) {
    MPM = Level == 0 ? PB.buildO0DefaultPipeline(OptimizationLevel::O0)
                     : PB.buildPerModuleDefaultPipeline(optimizationLevel(Level));
  });
  {
    std::string Msg;
    raw_string_ostream OS(Msg);
    if (verifyModule(M, &OS)) {
      Error = "internal error: invalid IR before PTX generation: " + OS.str();
      return "";
    }
  }
  SmallVector<char, 0> PTX;
  {
    raw_svector_ostream OS(PTX);
    legacy::PassManager PM;
    if (TM->addPassesToEmitFile(PM, OS, nullptr, CGFT_AssemblyFile)) {
      Error = "the NVPTX target cannot emit PTX";
      return "";
    }
    PM.run(M);
  }
  std::string Text(PTX.begin(), PTX.end());
  // CUDA 12.1 allows 32,764 bytes of kernel parameters (Volta and later); PTX below ISA 8.1 allows 4,352.
  // LLVM 15 writes at most PTX 7.5, whose instructions PTX 8.1 keeps, so such a module declares 8.1 (which
  // needs a CUDA 12.1 driver, as the feature itself does).
  if (Opts.Arch >= "sm_70" && maxKernelParamBytes(M) > 4352) {
    size_t At = Text.find("\n.version ");
    size_t End = At == std::string::npos ? At : Text.find('\n', At + 1);
    if (End != std::string::npos)
      Text.replace(At, End - At, "\n.version 8.1");
  }
  std::string Header;
  StringRef Rest = Unsupported;
  while (!Rest.empty()) {
    auto [Line, Tail] = Rest.split('\n');
    Header += "// cuport-unsupported " + Line.str() + "\n";
    Rest = Tail;
  }
  return Header + Text;
}

} // namespace cuport

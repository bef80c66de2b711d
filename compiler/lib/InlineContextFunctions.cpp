// Pass 4: every function that needs the executing thread's context — it reads threadIdx & co. (the
// pseudo-intrinsics), touches __shared__ memory, or waits at a barrier, directly or through its callees —
// is inlined into the kernels.  After this pass only kernels use thread context, which is what lets
// lowerSharedMemory lay out shared memory per kernel and formWorkItemLoops see every barrier.
//
// Functions whose address is taken (virtual functions, function pointers) cannot be inlined at their
// indirect call sites.  They get a ".ctx" variant with the thread context as four extra trailing
// parameters (block context, threadIdx.x/y/z), which replaces every use of their address, and every
// indirect call passes the caller's context.  On the SysV x86-64 ABI extra trailing arguments are
// harmless for a callee that does not take them (external functions reached through pointers).  Such
// functions may read the thread's indices and the block context, but not wait at barriers or use
// __shared__ variables (their layout is per kernel).
#include "Diagnostics.h"
#include "Passes.h"
#include "PassRunner.h"
#include "PseudoIntrinsics.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Transforms/IPO/AlwaysInliner.h"
#include "llvm/Transforms/IPO/GlobalDCE.h"
#include "llvm/Transforms/Utils/Cloning.h"

using namespace llvm;

namespace cuport {

namespace {

bool refersToSharedMemory(const Value *V, SmallPtrSetImpl<const Constant *> &Seen) {
  if (auto *G = dyn_cast<GlobalVariable>(V))
    return G->getAddressSpace() == 3;
  if (auto *C = dyn_cast<Constant>(V)) {
    if (!Seen.insert(C).second)
      return false;
    for (const Use &U : C->operands())
      if (refersToSharedMemory(U.get(), Seen))
        return true;
  }
  return false;
}

bool isContextVariant(const Function &F) { return F.hasFnAttribute("cuport-ctx-variant"); }

bool usesContextDirectly(const Function &F) {
  SmallPtrSet<const Constant *, 16> Seen;
  for (const Instruction &I : instructions(F)) {
    if (auto *CB = dyn_cast<CallBase>(&I))
      if (isPseudo(CB->getCalledFunction()))
        return true;
    for (const Use &U : I.operands())
      if (isa<Constant>(U.get()) && refersToSharedMemory(U.get(), Seen))
        return true;
  }
  return false;
}

} // namespace

bool inlineContextFunctions(Module &M, Diagnostics &Diags) {
  // Indirect calls pass the caller's thread context; address-taken functions get a variant receiving it.
  LLVMContext &C = M.getContext();
  Type *Ptr = PointerType::get(C, 0), *I32 = Type::getInt32Ty(C);
  SmallVector<CallBase *, 8> IndirectCalls;
  for (Function &F : M)
    for (Instruction &I : instructions(F))
      if (auto *CB = dyn_cast<CallBase>(&I))
        if (!CB->getCalledFunction() && !CB->isInlineAsm())
          IndirectCalls.push_back(CB);
  for (CallBase *CB : IndirectCalls) {
    auto *CI = dyn_cast<CallInst>(CB);
    if (!CI) {
      Diags.error(CB, "an indirect invoke in device code is not supported");
      continue;
    }
    IRBuilder<> B(CI);
    SmallVector<Value *, 8> Args(CI->args());
    appendThreadContext(B, Args);
    SmallVector<Type *, 8> Params(CI->getFunctionType()->params().begin(), CI->getFunctionType()->params().end());
    Params.append({Ptr, I32, I32, I32});
    auto *FT = FunctionType::get(CI->getType(), Params, CI->getFunctionType()->isVarArg());
    CallInst *New = B.CreateCall(FT, CI->getCalledOperand(), Args);
    New->setCallingConv(CI->getCallingConv());
    New->setDebugLoc(CI->getDebugLoc());
    New->takeName(CI);
    CI->replaceAllUsesWith(New);
    CI->eraseFromParent();
  }
  SmallVector<Function *, 8> Variants;
  if (!IndirectCalls.empty()) {
    SmallVector<Function *, 8> AddressTaken;
    for (Function &F : M)
      if (!F.isDeclaration() && !F.hasFnAttribute(KernelAttr) &&
          F.hasAddressTaken(nullptr, /*IgnoreCallbackUses=*/false, /*IgnoreAssumeLikeCalls=*/true,
                            /*IgnoreLLVMUsed=*/true))
        AddressTaken.push_back(&F);
    for (Function *F : AddressTaken) {
      SmallVector<Type *, 8> Params(F->getFunctionType()->params().begin(), F->getFunctionType()->params().end());
      Params.append({Ptr, I32, I32, I32});
      auto *FT = FunctionType::get(F->getReturnType(), Params, F->isVarArg());
      Function *V = Function::Create(FT, F->getLinkage(), F->getName() + ".ctx", M);
      ValueToValueMapTy VMap;
      for (unsigned I = 0; I < F->arg_size(); ++I)
        VMap[F->getArg(I)] = V->getArg(I);
      SmallVector<ReturnInst *, 4> Returns;
      CloneFunctionInto(V, F, VMap, CloneFunctionChangeType::GlobalChanges, Returns);
      V->addFnAttr("cuport-ctx-variant");
      V->removeFnAttr(Attribute::AlwaysInline);
      // Every use of the address now means the variant; direct calls keep the original.
      F->replaceUsesWithIf(V, [](Use &U) {
        auto *CB = dyn_cast<CallBase>(U.getUser());
        return !(CB && CB->isCallee(&U));
      });
      Variants.push_back(V);
    }
  }

  // Callers of each function.
  DenseMap<Function *, SmallVector<Function *, 4>> Callers;
  for (Function &F : M)
    for (Instruction &I : instructions(F))
      if (auto *CB = dyn_cast<CallBase>(&I))
        if (Function *Callee = CB->getCalledFunction())
          Callers[Callee].push_back(&F);

  // Propagate "needs context" from users up the call graph.
  SetVector<Function *> Needs;
  for (Function &F : M)
    if (!F.isDeclaration() && usesContextDirectly(F))
      Needs.insert(&F);
  for (size_t I = 0; I < Needs.size(); ++I)
    for (Function *Caller : Callers.lookup(Needs[I]))
      Needs.insert(Caller);

  for (Function *F : Needs) {
    if (F->hasFnAttribute(KernelAttr) || isContextVariant(*F))
      continue;
    F->removeFnAttr(Attribute::NoInline);
    F->removeFnAttr(Attribute::OptimizeNone);
    F->addFnAttr(Attribute::AlwaysInline);
  }

  PassBuilder PB;
  runModulePipeline(M, PB, [](PassBuilder &, ModulePassManager &MPM) {
    MPM.addPass(AlwaysInlinerPass(/*InsertLifetimeIntrinsics=*/true));
    MPM.addPass(GlobalDCEPass());
  });

  // Context variants read the context from their parameters; barriers and shared memory stay kernel-only.
  for (Function *V : Variants) {
    unsigned N = V->arg_size();
    Value *Repl[] = {V->getArg(N - 4), V->getArg(N - 3), V->getArg(N - 2), V->getArg(N - 1)};
    const char *Names[] = {pseudo::BlockCtx, pseudo::TidX, pseudo::TidY, pseudo::TidZ};
    SmallPtrSet<const Constant *, 16> Seen;
    for (Instruction &I : make_early_inc_range(instructions(*V))) {
      for (const Use &U : I.operands())
        if (isa<Constant>(U.get()) && refersToSharedMemory(U.get(), Seen)) {
          Diags.error(&I, "a device function called through a pointer or virtually cannot use __shared__ "
                          "variables on the CPU backend");
          break;
        }
      auto *CI = dyn_cast<CallInst>(&I);
      Function *Callee = CI ? CI->getCalledFunction() : nullptr;
      if (!Callee || !isPseudo(Callee))
        continue;
      bool Replaced = false;
      for (int K = 0; K < 4; ++K)
        if (Callee->getName() == Names[K]) {
          CI->replaceAllUsesWith(Repl[K]);
          CI->eraseFromParent();
          Replaced = true;
          break;
        }
      if (!Replaced)
        Diags.error(CI, "a device function called through a pointer or virtually cannot wait at barriers or "
                        "use warp collectives on the CPU backend");
    }
  }

  // Whatever still needs context outside a kernel could not be inlined.
  for (Function &F : M) {
    if (F.isDeclaration() || F.hasFnAttribute(KernelAttr) || isContextVariant(F) || !usesContextDirectly(F))
      continue;
    bool Recursive = false;
    for (Function *Caller : Callers.lookup(&F))
      Recursive |= Caller == &F;
    Diags.error(&F, Twine(Recursive ? "a recursive device function" : "a device function called indirectly") +
                        " that uses threadIdx/blockIdx, __shared__ memory or __syncthreads is not supported "
                        "by the CPU backend");
  }
  return !Diags.hasErrors();
}

} // namespace cuport

// Vectorizable prefetches: see Prefetches.h.
#include "Prefetches.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

#include <string>

using namespace llvm;

namespace cuport {

namespace {

constexpr const char *ReadName = "__cuport_prefetch", *WriteName = "__cuport_prefetchw";
// Vector variants for the vectorization factors LLVM may pick (x86: up to 64 lanes of bytes).
constexpr unsigned Widths[] = {2, 4, 8, 16, 32, 64};

std::string variant(StringRef Name, unsigned Width) { return (Name + "_v" + Twine(Width)).str(); }

// The scalar function and its vector variants, declared with the VFABI attribute that tells the loop
// vectorizer about them; llvm.compiler.used keeps the variants until lowerPrefetches.
FunctionCallee declare(Module &M, StringRef Name) {
  if (Function *F = M.getFunction(Name))
    return F;
  LLVMContext &C = M.getContext();
  Type *Ptr = PointerType::get(C, 0);
  AttrBuilder AB(C);
  AB.addAttribute(Attribute::NoUnwind).addAttribute(Attribute::WillReturn).addAttribute(Attribute::InaccessibleMemOnly);
  std::string Variants;
  SmallVector<GlobalValue *, 8> Used;
  for (unsigned W : Widths) {
    std::string V = variant(Name, W);
    Function *VF = Function::Create(FunctionType::get(Type::getVoidTy(C), {FixedVectorType::get(Ptr, W)}, false),
                                    GlobalValue::ExternalLinkage, V, M);
    VF->addFnAttrs(AB);
    Used.push_back(VF);
    Variants += (Variants.empty() ? "" : ",") + ("_ZGV_LLVM_N" + std::to_string(W) + "v_" + Name + "(" + V + ")").str();
  }
  appendToCompilerUsed(M, Used);
  Function *F = Function::Create(FunctionType::get(Type::getVoidTy(C), {Ptr}, false), GlobalValue::ExternalLinkage,
                                 Name, M);
  F->addFnAttrs(AB);
  F->addFnAttr("vector-function-abi-variant", Variants);
  return F;
}

bool isWrite(const Function &F) { return F.getName().startswith(WriteName); }

// CI (a prefetch call, scalar or vector) -> llvm.prefetch of its address, or of its first lane and 64 bytes
// on: the lanes are consecutive threads' elements, so that covers a vector of up to 64 bytes, and the next
// vector's first lane the rest of a longer one.  The first lane alone costs no vector instructions (x86
// folds it into the prefetch's addressing); the last lane took two extractions and a vector addition per
// prefetch (tree reduction, 5 interleaved pairs: median 16.0 -> 14.5 ms).
void lowerCall(CallInst *CI) {
  IRBuilder<> B(CI);
  Value *P = CI->getArgOperand(0);
  SmallVector<Value *, 2> Addresses;
  if (isa<FixedVectorType>(P->getType())) {
    Value *First = B.CreateExtractElement(P, uint64_t(0));
    Addresses = {First, B.CreateGEP(B.getInt8Ty(), First, B.getInt64(64))};
  } else
    Addresses = {P};
  for (Value *A : Addresses)
    createLoweredPrefetch(B, A, isWrite(*CI->getCalledFunction()));
  CI->eraseFromParent();
}

} // namespace

CallInst *createLoweredPrefetch(IRBuilder<> &B, Value *Ptr, bool Write) {
  Module &M = *B.GetInsertBlock()->getModule();
  Function *Intrinsic = Intrinsic::getDeclaration(&M, Intrinsic::prefetch, {PointerType::get(M.getContext(), 0)});
  // Locality 2, data: x86's prefetcht1 (prefetchw has no level), into L2 but not L1.  The prefetched lines
  // are read an iteration or a block later; into L1 (locality 3, prefetcht0) they displaced the block's
  // own shared memory and thread states from its 48 KB.  Suite, 5 alternating runs of builds with 3 and
  // 2: tree reduction median 16.4 -> 13.9 ms, transpose 14.3 -> 13.2, histogram 34.1 -> 31.0, shuffle
  // reduction 19.7 -> 18.8; scan within noise (29.9 -> 32.5; standalone, 6 pairs: 32.9 -> 29.8).
  return B.CreateCall(Intrinsic, {Ptr, B.getInt32(Write ? 1 : 0), B.getInt32(2), B.getInt32(1)});
}

CallInst *createPrefetch(IRBuilder<> &B, Value *Ptr, bool Write) {
  return B.CreateCall(declare(*B.GetInsertBlock()->getModule(), Write ? WriteName : ReadName), {Ptr});
}

bool isPrefetchCall(const CallBase &CB) {
  const Function *F = CB.getCalledFunction();
  return F && F->getName().startswith(ReadName); // WriteName starts with ReadName
}

void lowerPrefetches(Function &F) {
  SmallVector<CallInst *, 8> Calls;
  for (Instruction &I : instructions(F))
    if (auto *CI = dyn_cast<CallInst>(&I); CI && isPrefetchCall(*CI))
      Calls.push_back(CI);
  for (CallInst *CI : Calls)
    lowerCall(CI);
}

bool lowerPrefetches(Module &M) {
  SmallVector<Function *, 16> Decls;
  for (StringRef Name : {ReadName, WriteName}) {
    if (Function *F = M.getFunction(Name))
      Decls.push_back(F);
    for (unsigned W : Widths)
      if (Function *F = M.getFunction(variant(Name, W)))
        Decls.push_back(F);
  }
  if (Decls.empty())
    return false;
  // llvm.compiler.used held the variants: it goes, with anything else it held kept.
  if (GlobalVariable *Used = M.getGlobalVariable("llvm.compiler.used")) {
    SmallVector<Constant *, 8> Keep;
    if (auto *Init = dyn_cast<ConstantArray>(Used->getInitializer()))
      for (Value *Op : Init->operands())
        if (!is_contained(Decls, Op->stripPointerCasts()))
          Keep.push_back(cast<Constant>(Op));
    Used->eraseFromParent();
    if (!Keep.empty()) {
      auto *Ty = ArrayType::get(PointerType::get(M.getContext(), 0), Keep.size());
      auto *G = new GlobalVariable(M, Ty, false, GlobalValue::AppendingLinkage, ConstantArray::get(Ty, Keep),
                                   "llvm.compiler.used");
      G->setSection("llvm.metadata");
    }
  }
  for (Function *F : Decls) {
    for (User *U : make_early_inc_range(F->users()))
      if (auto *CI = dyn_cast<CallInst>(U))
        lowerCall(CI);
    if (F->use_empty())
      F->eraseFromParent();
  }
  return true;
}

} // namespace cuport

#include "PseudoIntrinsics.h"
#include "Passes.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"

using namespace llvm;

namespace cuport {

Function *getPseudo(Module &M, StringRef Name) {
  LLVMContext &C = M.getContext();
  FunctionType *FT;
  if (Name == pseudo::BlockCtx)
    FT = FunctionType::get(PointerType::get(C, 0), false);
  else if (Name == pseudo::Barrier)
    FT = FunctionType::get(Type::getVoidTy(C), false);
  else if (Name == pseudo::Sync)
    FT = FunctionType::get(Type::getInt64Ty(C),
                           {Type::getInt32Ty(C), Type::getInt32Ty(C), Type::getInt64Ty(C), Type::getInt64Ty(C),
                            Type::getInt64Ty(C)},
                           false);
  else
    FT = FunctionType::get(Type::getInt32Ty(C), false);
  FunctionCallee Callee = M.getOrInsertFunction(Name, FT);
  auto *F = cast<Function>(Callee.getCallee());
  F->addFnAttr(Attribute::NoUnwind);
  F->addFnAttr(Attribute::WillReturn);
  if (Name == pseudo::Barrier || Name == pseudo::Sync) {
    F->addFnAttr(Attribute::Convergent);
    F->addFnAttr(Attribute::NoCallback);
  } else {
    F->setDoesNotAccessMemory();
    F->addFnAttr(Attribute::Speculatable);
  }
  return F;
}

bool isPseudo(const Function *F) { return F && F->getName().startswith("__cuport."); }

bool isSyncPseudo(const Function *F) {
  return F && (F->getName() == pseudo::Barrier || F->getName() == pseudo::Sync);
}

Value *loadCtxField32(IRBuilderBase &B, unsigned ByteOffset, const Twine &Name) {
  Module &M = *B.GetInsertBlock()->getModule();
  Value *Ctx = B.CreateCall(getPseudo(M, pseudo::BlockCtx));
  Value *Ptr = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Ctx, ByteOffset);
  auto *L = B.CreateAlignedLoad(B.getInt32Ty(), Ptr, Align(4), Name);
  // blockIdx changes while a block function runs a range of blocks; the thread function gets it as
  // arguments instead (WorkItemLoops.cpp).
  if (ByteOffset < ctxoff::BlockIdx || ByteOffset >= ctxoff::BlockIdx + 12)
    L->setMetadata(LLVMContext::MD_invariant_load, MDNode::get(M.getContext(), {}));
  return L;
}

Value *loadCtxPtr(IRBuilderBase &B, unsigned ByteOffset, const Twine &Name) {
  Module &M = *B.GetInsertBlock()->getModule();
  Value *Ctx = B.CreateCall(getPseudo(M, pseudo::BlockCtx));
  Value *Ptr = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Ctx, ByteOffset);
  auto *L = B.CreateAlignedLoad(B.getPtrTy(), Ptr, Align(8), Name);
  L->setMetadata(LLVMContext::MD_invariant_load, MDNode::get(M.getContext(), {}));
  return L;
}

void appendThreadContext(IRBuilderBase &B, SmallVectorImpl<Value *> &Args) {
  Module &M = *B.GetInsertBlock()->getModule();
  for (const char *Name : {pseudo::BlockCtx, pseudo::TidX, pseudo::TidY, pseudo::TidZ})
    Args.push_back(B.CreateCall(getPseudo(M, Name)));
}

} // namespace cuport

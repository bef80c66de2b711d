// Pass 5: __shared__ variables become offsets into the block's shared memory.  Each kernel gets its own
// layout of the static variables it uses (after inlining, only kernels use them); every extern __shared__
// array denotes the start of the dynamic part, as in CUDA.  The kernel's static size is recorded in the
// "cuport-static-shared" attribute for the kernel-info record.
#include "Diagnostics.h"
#include "Passes.h"
#include "PointerUses.h"
#include "PseudoIntrinsics.h"

#include "llvm/ADT/MapVector.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MathExtras.h"

using namespace llvm;

namespace cuport {

namespace {
constexpr unsigned SharedAS = 3;
} // namespace

bool lowerSharedMemory(Module &M, Diagnostics &Diags) {
  const DataLayout &DL = M.getDataLayout();
  for (Function &K : M) {
    if (!K.hasFnAttribute(KernelAttr) || K.isDeclaration())
      continue;
    // Shared variables this kernel uses, in first-use order.
    MapVector<GlobalVariable *, bool> Used;
    std::function<void(Constant *)> Scan = [&](Constant *C) {
      if (auto *G = dyn_cast<GlobalVariable>(C)) {
        if (G->getAddressSpace() == SharedAS)
          Used.insert({G, true});
        return;
      }
      if (isa<ConstantExpr>(C) || isa<ConstantAggregate>(C))
        for (Use &U : C->operands())
          Scan(cast<Constant>(U.get()));
    };
    for (Instruction &I : instructions(K))
      for (Use &U : I.operands())
        if (auto *C = dyn_cast<Constant>(U.get()))
          Scan(C);

    IRBuilder<> B(&*K.getEntryBlock().getFirstInsertionPt());
    uint64_t Offset = 0;
    DenseMap<const GlobalVariable *, Value *> Repl;
    Value *StaticBase = nullptr, *DynamicBase = nullptr;
    for (auto &[G, Unused] : Used) {
      Type *T = G->getValueType();
      uint64_t Size = DL.getTypeAllocSize(T);
      bool Dynamic = G->isDeclaration() || Size == 0;
      Value *Addr;
      if (Dynamic) {
        if (!DynamicBase)
          DynamicBase = loadCtxPtr(B, ctxoff::DynamicShared, "dynamic.shared");
        Addr = DynamicBase;
      } else {
        if (!StaticBase)
          StaticBase = loadCtxPtr(B, ctxoff::SharedMem, "static.shared");
        uint64_t A = std::max<uint64_t>(G->getAlign().valueOrOne().value(), DL.getABITypeAlign(T).value());
        Offset = alignTo(Offset, A);
        Addr = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), StaticBase, Offset, G->getName());
        Offset += Size;
      }
      Repl[G] = B.CreateAddrSpaceCast(Addr, G->getType());
    }
    if (Repl.empty()) {
      K.addFnAttr(StaticSharedAttr, "0");
      continue;
    }
    // Rebuilds constant expressions that mention a replaced variable as instructions (the bases are
    // computed in the entry block, so they dominate every use).
    SmallVector<Instruction *, 64> Users;
    for (Instruction &I : instructions(K))
      Users.push_back(&I);
    for (Instruction *I : Users)
      replaceGlobalsInOperands(
          *I, [&](const GlobalVariable *G) { return Repl.count(G) != 0; },
          [&](GlobalVariable *G, Instruction *) { return Repl.lookup(G); }, Diags, "a __shared__ variable");
    K.addFnAttr(StaticSharedAttr, std::to_string(alignTo(Offset, 16)));
  }
  // Drop the now unused shared variables.
  for (GlobalVariable &G : make_early_inc_range(M.globals()))
    if (G.getAddressSpace() == SharedAS) {
      G.removeDeadConstantUsers();
      if (G.use_empty())
        G.eraseFromParent();
    }
  return !Diags.hasErrors();
}

} // namespace cuport

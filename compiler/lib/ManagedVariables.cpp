// Pass 0 (every target): __managed__ variables become pointer cells.
//
// Clang 15's CUDA mode ignores the `managed` attribute, so include/host_defines.h spells __managed__ as
// __device__ plus the annotation "cuport.managed".  A managed variable is one object that host code and
// every device's kernels use at the same address.  cuport keeps that object in host memory: it is the host
// shadow Clang already emits for a __device__ variable (registered with __cudaRegisterVar), which the
// runtime fills with the initial value at registration.  Device code cannot name host memory, so here each
// managed variable `x` of the device module is replaced by a pointer-sized device variable of the same name
// (the "cell"), and every use of `x` in device code loads the address from the cell.  When the runtime
// loads an image it writes the shadow's address into the cell of every registered managed variable
// (runtime/registry.cpp).  The manifest describes the cell as `var x <size of x> managed` and carries the
// initial bytes (`init x <hex>`), since the host shadow has no initializer.
//
// Managed variables with internal linkage are not registered by the host side (host code never names
// them); they stay ordinary device variables.  Idempotent: the annotations are consumed.
#include "Diagnostics.h"
#include "Passes.h"
#include "PointerUses.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Metadata.h"
#include "llvm/IR/Module.h"

using namespace llvm;

namespace cuport {

namespace {
constexpr const char *Annotation = "cuport.managed";
constexpr const char *CellMD = "cuport.managed";

struct Annotated {
  GlobalVariable *G;
  std::string Where; // "file.cu:12" from the annotation
};

StringRef cString(const Value *V) {
  if (auto *S = dyn_cast<GlobalVariable>(V->stripPointerCasts()))
    if (auto *Str = dyn_cast_or_null<ConstantDataArray>(S->getInitializer()); Str && Str->isCString())
      return Str->getAsCString();
  return "";
}

// The managed variables named by llvm.global.annotations; their entries are removed from it.
std::vector<Annotated> takeAnnotatedVariables(Module &M) {
  std::vector<Annotated> Found;
  GlobalVariable *A = M.getGlobalVariable("llvm.global.annotations");
  if (!A || !A->hasInitializer())
    return Found;
  auto *Arr = dyn_cast<ConstantArray>(A->getInitializer());
  if (!Arr)
    return Found;
  std::vector<Constant *> Kept;
  for (Use &U : Arr->operands()) {
    auto *Entry = dyn_cast<ConstantStruct>(U.get());
    GlobalVariable *G = nullptr;
    if (Entry && Entry->getNumOperands() >= 4 && cString(Entry->getOperand(1)) == Annotation)
      G = dyn_cast<GlobalVariable>(Entry->getOperand(0)->stripPointerCasts());
    if (!G) {
      Kept.push_back(cast<Constant>(U.get()));
      continue;
    }
    auto Same = [G](const Annotated &X) { return X.G == G; };
    if (std::find_if(Found.begin(), Found.end(), Same) != Found.end())
      continue; // linked modules repeat entries
    std::string Where = cString(Entry->getOperand(2)).str();
    if (auto *Line = dyn_cast<ConstantInt>(Entry->getOperand(3)); Line && !Where.empty())
      Where += ":" + std::to_string(Line->getZExtValue());
    Found.push_back({G, Where});
  }
  if (Found.empty())
    return Found;
  // The strings of the removed entries (annotation, file name), unless other entries share them.
  SmallSetVector<GlobalVariable *, 4> Strings;
  for (Use &U : Arr->operands())
    if (auto *Entry = dyn_cast<ConstantStruct>(U.get()); Entry && Entry->getNumOperands() >= 3)
      for (unsigned I : {1u, 2u})
        if (auto *S = dyn_cast<GlobalVariable>(Entry->getOperand(I)->stripPointerCasts()))
          if (S->getSection() == "llvm.metadata" && S->hasPrivateLinkage())
            Strings.insert(S);
  if (Kept.empty()) {
    A->eraseFromParent();
  } else {
    auto *Ty = ArrayType::get(Arr->getType()->getElementType(), Kept.size());
    auto *NewA = new GlobalVariable(M, Ty, false, A->getLinkage(), ConstantArray::get(Ty, Kept), "", A,
                                    A->getThreadLocalMode(), A->getAddressSpace());
    NewA->setSection(A->getSection());
    NewA->takeName(A);
    A->eraseFromParent();
  }
  for (GlobalVariable *S : Strings) {
    S->removeDeadConstantUsers();
    if (S->use_empty())
      S->eraseFromParent();
  }
  return Found;
}

// The bytes of a constant in memory (little-endian data layout); false for what a loader would have to
// relocate (addresses of other objects).
bool constantBytes(const Constant *C, const DataLayout &DL, MutableArrayRef<char> Out) {
  if (isa<ConstantAggregateZero>(C) || isa<ConstantPointerNull>(C) || isa<UndefValue>(C))
    return true; // Out starts zeroed
  if (auto *CI = dyn_cast<ConstantInt>(C)) {
    APInt V = CI->getValue();
    for (size_t I = 0; I < Out.size() && I * 8 < V.getBitWidth(); ++I)
      Out[I] = char(V.extractBitsAsZExtValue(std::min(8u, V.getBitWidth() - unsigned(I * 8)), unsigned(I * 8)));
    return true;
  }
  if (auto *CF = dyn_cast<ConstantFP>(C)) {
    APInt V = CF->getValueAPF().bitcastToAPInt();
    for (size_t I = 0; I < Out.size() && I * 8 < V.getBitWidth(); ++I)
      Out[I] = char(V.extractBitsAsZExtValue(8, unsigned(I * 8)));
    return true;
  }
  if (auto *CDS = dyn_cast<ConstantDataSequential>(C)) {
    StringRef Raw = CDS->getRawDataValues();
    if (Raw.size() > Out.size())
      return false;
    std::copy(Raw.begin(), Raw.end(), Out.begin());
    return true;
  }
  if (auto *CS = dyn_cast<ConstantStruct>(C)) {
    const StructLayout *SL = DL.getStructLayout(CS->getType());
    for (unsigned I = 0; I < CS->getNumOperands(); ++I) {
      Constant *E = CS->getOperand(I);
      uint64_t Off = SL->getElementOffset(I), Sz = DL.getTypeStoreSize(E->getType());
      if (Off + Sz > Out.size() || !constantBytes(E, DL, Out.slice(Off, Sz)))
        return false;
    }
    return true;
  }
  if (auto *CA = dyn_cast<ConstantArray>(C)) {
    uint64_t Stride = DL.getTypeAllocSize(CA->getType()->getElementType());
    uint64_t Sz = DL.getTypeStoreSize(CA->getType()->getElementType());
    for (unsigned I = 0; I < CA->getNumOperands(); ++I)
      if ((I + 1) * Stride > Out.size() + (Stride - Sz) ||
          !constantBytes(CA->getOperand(I), DL, Out.slice(I * Stride, Sz)))
        return false;
    return true;
  }
  if (auto *CV = dyn_cast<ConstantVector>(C)) {
    uint64_t Sz = DL.getTypeStoreSize(CV->getType()->getElementType());
    for (unsigned I = 0; I < CV->getNumOperands(); ++I)
      if ((I + 1) * Sz > Out.size() || !constantBytes(CV->getOperand(I), DL, Out.slice(I * Sz, Sz)))
        return false;
    return true;
  }
  return false;
}

// Every use of G in an instruction (directly or through constant expressions, which become instructions)
// loads the address from Cell instead, just before it.
void rewriteUses(GlobalVariable *G, GlobalVariable *Cell, Diagnostics &Diags) {
  SmallPtrSet<Instruction *, 16> Users;
  SmallVector<Value *, 8> Work{G};
  while (!Work.empty())
    for (User *U : Work.pop_back_val()->users()) {
      if (auto *I = dyn_cast<Instruction>(U))
        Users.insert(I);
      else if (isa<ConstantExpr>(U) || isa<ConstantAggregate>(U)) // aggregates: an error below
        Work.push_back(U);
    }
  for (Instruction *I : Users)
    replaceGlobalsInOperands(
        *I, [G](const GlobalVariable *V) { return V == G; },
        [&](GlobalVariable *, Instruction *At) {
          auto *L = new LoadInst(G->getType(), Cell, Cell->getName() + ".addr", /*isVolatile=*/false, Align(8), At);
          L->setMetadata(LLVMContext::MD_invariant_load, MDNode::get(G->getContext(), {}));
          return L;
        },
        Diags, "a __managed__ variable");
}

// A constant user of G that remains once instructions are rewritten, other than the lists that only keep
// symbols alive (the cell takes G's place there).
const GlobalVariable *initializerUser(const Constant *C) {
  for (const User *U : C->users()) {
    if (auto *GV = dyn_cast<GlobalVariable>(U)) {
      if (GV->getName() != "llvm.used" && GV->getName() != "llvm.compiler.used" &&
          GV->getName() != "__clang_gpu_used_external") // Clang's list of what host code uses (-rdc)
        return GV;
    } else if (auto *CU = dyn_cast<Constant>(U)) {
      if (const GlobalVariable *GV = initializerUser(CU))
        return GV;
    }
  }
  return nullptr;
}
} // namespace

bool lowerManagedVariables(Module &M, Diagnostics &Diags) {
  const DataLayout &DL = M.getDataLayout();
  LLVMContext &Ctx = M.getContext();
  for (const Annotated &A : takeAnnotatedVariables(M)) {
    GlobalVariable *G = A.G;
    if (G->isDeclaration())
      continue; // lowered where it is defined (the device link)
    if (G->hasLocalLinkage()) {
      // Clang registers (and names alike on both sides) a static device variable that host code uses;
      // one in an anonymous namespace it never registers, so host code would see another object.
      if (G->getName().contains("_GLOBAL__N_"))
        Diags.errorAt(A.Where, "__managed__ variables in an anonymous namespace are not supported by "
                              "cuport (Clang 15 does not register them with the runtime); declare it static or "
                              "outside the anonymous namespace");
      continue; // static and unused by host code: an ordinary device variable
    }
    if (const GlobalVariable *User = initializerUser(G)) {
      Diags.errorAt(A.Where, "the address of the __managed__ variable '" + G->getName() +
                  "' is used in the initializer of the device variable '" + User->getName() +
                  "'; cuport cannot place a managed variable's address in static data yet");
      continue;
    }
    const uint64_t Size = DL.getTypeAllocSize(G->getValueType());
    std::string Init; // stays "" for zero (or no) initializers, however large the variable
    if (const Constant *C = G->hasInitializer() ? G->getInitializer() : nullptr;
        C && !C->isNullValue() && !isa<UndefValue>(C)) {
      Init.assign(Size, '\0');
      if (!constantBytes(C, DL, MutableArrayRef<char>(Init.data(), Size))) {
        Diags.errorAt(A.Where, "the __managed__ variable '" + G->getName() +
                                   "' is initialized with addresses of other objects, which cuport does not "
                                   "support yet");
        continue;
      }
    }
    // The cell: same name, linkage and address space; null until the runtime binds it.
    auto *PtrTy = G->getType();
    auto *Cell = new GlobalVariable(M, PtrTy, /*isConstant=*/false, G->getLinkage(),
                                    ConstantPointerNull::get(cast<PointerType>(PtrTy)), "", G,
                                    GlobalValue::NotThreadLocal, G->getAddressSpace(), false);
    Cell->setAlignment(Align(8));
    Cell->setVisibility(G->getVisibility());
    Cell->setDSOLocal(G->isDSOLocal());
    Cell->setExternallyInitialized(true);
    Cell->takeName(G);
    if (Init.find_first_not_of('\0') == std::string::npos)
      Init.clear();
    Cell->setMetadata(CellMD, MDNode::get(Ctx, {ConstantAsMetadata::get(ConstantInt::get(Type::getInt64Ty(Ctx), Size)),
                                                MDString::get(Ctx, Init)}));
    rewriteUses(G, Cell, Diags);
    G->replaceAllUsesWith(Cell); // what is left: llvm.used / llvm.compiler.used entries
    G->eraseFromParent();
  }
  return !Diags.hasErrors();
}

std::optional<ManagedVariable> managedVariable(const GlobalVariable &G) {
  MDNode *N = G.getMetadata(CellMD);
  if (!N || N->getNumOperands() != 2)
    return std::nullopt;
  auto *Size = mdconst::dyn_extract<ConstantInt>(N->getOperand(0));
  auto *Init = dyn_cast<MDString>(N->getOperand(1));
  if (!Size || !Init)
    return std::nullopt;
  ManagedVariable V;
  V.Size = Size->getZExtValue();
  V.Init = Init->getString().str();
  return V;
}

} // namespace cuport

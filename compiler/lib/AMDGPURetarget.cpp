// AMDGPU lowering: make the (inlined, NVVM-lowered) NVPTX module an amdgcn-amd-amdhsa module.
//
// The two targets agree on what matters for memory layout: 64-bit generic pointers, address spaces 1
// (global), 3 (shared = LDS) and 4 (constant) with the same meaning, and the same sizes and alignments of
// every type CUDA code uses, so values keep their layout.  What differs:
//   - private memory: NVPTX allocas are generic (0); AMDGPU's live in address space 5 (32-bit pointers), so
//     each alloca moves there and is cast back to a generic pointer for its users;
//   - kernels: NVPTX passes aggregates as `byval` pointers; an AMDGPU kernel reads them from its kernel
//     argument segment (`byref` in address space 4), and the copy CUDA semantics allow writing to is made
//     in private memory;
//   - symbols: kernels and __device__/__constant__ variables are found by name with hipModuleGetFunction /
//     hipModuleGetGlobal, so they are exported (protected visibility, as Clang's HIP mode does);
//   - string literals and other generic-space globals: AMDGPU globals live in the global (1) or constant (4)
//     space, so they move there and their users get a generic-pointer cast;
//   - attributes: the architecture, the wavefront size, CUDA's block-size limit (1024, or
//     __launch_bounds__), and uniform work-groups (CUDA grids are whole blocks).
#include "AMDGPU.h"
#include "Diagnostics.h"
#include "Passes.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/Target/TargetMachine.h"

using namespace llvm;

namespace cuport {

namespace {

constexpr unsigned GlobalAS = 1, SharedAS = 3, ConstantAS = 4, PrivateAS = 5;

void moveAllocasToPrivate(Function &F) {
  std::vector<AllocaInst *> Allocas;
  for (BasicBlock &BB : F)
    for (Instruction &I : BB)
      if (auto *AI = dyn_cast<AllocaInst>(&I); AI && AI->getAddressSpace() != PrivateAS)
        Allocas.push_back(AI);
  for (AllocaInst *AI : Allocas) {
    IRBuilder<> B(AI);
    AllocaInst *New = B.CreateAlloca(AI->getAllocatedType(), PrivateAS, AI->getArraySize());
    New->setAlignment(AI->getAlign());
    New->takeName(AI);
    Value *Generic = B.CreateAddrSpaceCast(New, AI->getType());
    AI->replaceAllUsesWith(Generic);
    AI->eraseFromParent();
  }
}

void moveGenericGlobals(Module &M) {
  std::vector<GlobalVariable *> Generic;
  for (GlobalVariable &G : M.globals())
    if (G.getAddressSpace() == 0 && !G.isDeclaration() && !G.getName().startswith("llvm."))
      Generic.push_back(&G);
  for (GlobalVariable *G : Generic) {
    auto *New = new GlobalVariable(M, G->getValueType(), G->isConstant(), G->getLinkage(),
                                   G->getInitializer(), "", G, G->getThreadLocalMode(),
                                   G->isConstant() ? ConstantAS : GlobalAS);
    New->copyAttributesFrom(G);
    New->takeName(G);
    G->replaceAllUsesWith(ConstantExpr::getAddrSpaceCast(New, G->getType()));
    G->eraseFromParent();
  }
}

// A kernel with AMDGPU's calling convention; by-value aggregates come from the kernel argument segment.
Function *rebuildKernel(Function &Old) {
  Module &M = *Old.getParent();
  LLVMContext &C = M.getContext();
  const DataLayout &DL = M.getDataLayout();
  std::vector<Type *> Params;
  for (Argument &A : Old.args())
    Params.push_back(A.hasByValAttr() ? PointerType::get(C, ConstantAS) : A.getType());
  auto *FT = FunctionType::get(Old.getReturnType(), Params, false);
  Function *New = Function::Create(FT, GlobalValue::ExternalLinkage, Old.getAddressSpace(), "", &M);
  New->takeName(&Old);
  New->copyAttributesFrom(&Old);
  New->setCallingConv(CallingConv::AMDGPU_KERNEL);
  New->setSubprogram(Old.getSubprogram());
  New->getBasicBlockList().splice(New->end(), Old.getBasicBlockList());
  IRBuilder<> B(&*New->getEntryBlock().getFirstInsertionPt());
  for (unsigned I = 0; I < Old.arg_size(); ++I) {
    Argument &OA = *Old.getArg(I), &NA = *New->getArg(I);
    NA.setName(OA.getName());
    if (!OA.hasByValAttr()) {
      OA.replaceAllUsesWith(&NA);
      continue;
    }
    Type *T = OA.getParamByValType();
    Align A = std::max(OA.getParamAlign().valueOrOne(), DL.getABITypeAlign(T));
    New->removeParamAttr(I, Attribute::ByVal);
    New->addParamAttr(I, Attribute::getWithByRefType(C, T));
    New->addParamAttr(I, Attribute::getWithAlignment(C, A));
    AllocaInst *Copy = B.CreateAlloca(T, PrivateAS, nullptr, OA.getName() + ".copy");
    Copy->setAlignment(A);
    B.CreateMemCpy(Copy, A, &NA, A, DL.getTypeAllocSize(T));
    OA.replaceAllUsesWith(B.CreateAddrSpaceCast(Copy, OA.getType()));
  }
  Old.eraseFromParent();
  return New;
}

} // namespace

bool retargetToAMDGPU(Module &M, TargetMachine &TM, Diagnostics &Diags) {
  M.setTargetTriple(TM.getTargetTriple().str());
  M.setDataLayout(TM.createDataLayout());
  std::string CPU = TM.getTargetCPU().str(), Features = TM.getTargetFeatureString().str();
  for (const char *Name : {"nvvm.annotations", "nvvmir.version", "nvvm.internalize.after.link"})
    if (NamedMDNode *N = M.getNamedMetadata(Name))
      M.eraseNamedMetadata(N);

  std::vector<Function *> Kernels;
  moveGenericGlobals(M);
  for (Function &F : M) {
    for (const char *A : {"target-cpu", "target-features", "tune-cpu", "frame-pointer"})
      F.removeFnAttr(A);
    if (F.isDeclaration())
      continue;
    F.addFnAttr("target-cpu", CPU);
    if (!Features.empty())
      F.addFnAttr("target-features", Features);
    moveAllocasToPrivate(F);
    if (F.hasFnAttribute(KernelAttr))
      Kernels.push_back(&F);
  }
  for (Function *K : Kernels) {
    for (Argument &A : K->args())
      if (A.hasByValAttr() && A.getType()->getPointerAddressSpace() != 0)
        Diags.error(K, "internal error: a by-value kernel parameter outside the generic address space");
    Function *F = rebuildKernel(*K);
    F->setVisibility(GlobalValue::ProtectedVisibility);
    F->setDSOLocal(true);
    F->setComdat(nullptr);
    unsigned MaxThreads = 1024;
    if (F->hasFnAttribute("cuport-max-threads"))
      F->getFnAttribute("cuport-max-threads").getValueAsString().getAsInteger(10, MaxThreads);
    F->addFnAttr("amdgpu-flat-work-group-size", "1," + std::to_string(MaxThreads));
    F->addFnAttr("uniform-work-group-size", "true");
  }

  for (GlobalVariable &G : M.globals()) {
    unsigned AS = G.getAddressSpace();
    if (G.getName().startswith("llvm."))
      continue;
    if (isDeviceVariable(G)) {
      // __device__ / __constant__ variables: hipModuleGetGlobal finds them by name.
      G.setLinkage(GlobalValue::ExternalLinkage);
      G.setVisibility(GlobalValue::ProtectedVisibility);
      G.setDSOLocal(true);
      G.setComdat(nullptr);
    } else if (G.isDeclaration() && AS != SharedAS) {
      Diags.error("device code refers to the variable '" + G.getName() +
                  "' defined in another translation unit; relocatable device code (-rdc) is not supported "
                  "on AMDGPU yet");
    } else if (!G.isDeclaration() && !G.hasLocalLinkage()) {
      // Other definitions (C++ inline variables such as std::strong_ordering::equal): nothing outside the
      // code object names them, and a preemptible symbol cannot take the PC-relative relocations AMDGPU
      // code uses.
      G.setLinkage(GlobalValue::InternalLinkage);
      G.setComdat(nullptr);
    }
    // extern __shared__ arrays stay external zero-sized LDS declarations: AMDGPU's dynamic LDS.
  }
  return !Diags.hasErrors();
}

} // namespace cuport

// Kernel and variable metadata for the fat-binary manifest (docs/fatbin.md), read from the retargeted
// module so sizes follow the host data layout the runtime packs arguments with.
#include "Passes.h"

#include "llvm/IR/DataLayout.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Module.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"

#include <sstream>

using namespace llvm;

namespace cuport {

bool isDeviceVariable(const GlobalVariable &G) {
  unsigned AS = G.getAddressSpace();
  return (AS == 1 || AS == 4) && !G.isDeclaration() && !G.getName().startswith("llvm.") &&
         !G.hasPrivateLinkage() && !G.isConstant();
}

ModuleRecord describeModule(const Module &M) {
  const DataLayout &DL = M.getDataLayout();
  ModuleRecord R;
  for (const Function &F : M) {
    if (!F.hasFnAttribute(KernelAttr) || F.isDeclaration())
      continue;
    KernelRecord K;
    K.Name = F.getName().str();
    uint64_t Offset = 0;
    for (const Argument &A : F.args()) {
      Type *T = A.getType();
      uint64_t Align = DL.getABITypeAlign(T).value();
      if (A.hasByValAttr()) {
        T = A.getParamByValType();
        Align = A.getParamAlign().valueOrOne().value();
        Align = std::max<uint64_t>(Align, DL.getABITypeAlign(T).value());
      }
      uint64_t Size = DL.getTypeAllocSize(T);
      Offset = alignTo(Offset, Align);
      K.Params.push_back({uint32_t(Offset), uint32_t(Size), uint32_t(Align)});
      Offset += Size;
    }
    K.ParamBufferSize = uint32_t(Offset);
    R.Kernels.push_back(std::move(K));
  }
  for (const GlobalVariable &G : M.globals()) {
    unsigned AS = G.getAddressSpace();
    if ((AS != 1 && AS != 4) || G.isDeclaration() || !G.hasExternalLinkage())
      continue;
    VariableRecord V;
    V.Name = G.getName().str();
    V.Size = DL.getTypeAllocSize(G.getValueType());
    V.Kind = AS == 4 ? "constant" : "device";
    if (std::optional<ManagedVariable> MV = managedVariable(G)) {
      V.Kind = "managed";
      V.Size = MV->Size;
      V.Init = MV->Init;
    }
    R.Variables.push_back(std::move(V));
  }
  return R;
}

std::string formatManifest(const ModuleRecord &R) {
  std::ostringstream OS;
  OS << "cuport-manifest 1\n";
  for (const KernelRecord &K : R.Kernels) {
    OS << "kernel " << K.Name << ' ' << K.Params.size() << ' ' << K.ParamBufferSize << '\n';
    for (const ParamLayout &P : K.Params)
      OS << "param " << P.Offset << ' ' << P.Size << ' ' << P.Align << '\n';
  }
  for (const VariableRecord &V : R.Variables)
    OS << "var " << V.Name << ' ' << V.Size << ' ' << V.Kind << '\n';
  for (const VariableRecord &V : R.Variables)
    if (!V.Init.empty())
      OS << "init " << V.Name << ' ' << toHex(V.Init, /*LowerCase=*/true) << '\n';
  return OS.str();
}

} // namespace cuport

// OpenCL lowering, the whole image: metadata lines (docs/fatbin.md, "opencl-c"), then the prelude, then
// each kernel.  A kernel the writer rejects is listed as //@unsupported with the first reason, so the rest
// of the program still runs on OpenCL devices and launching that kernel there names the construct.
#include "Diagnostics.h"
#include "OpenCL.h"
#include "Passes.h"

#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace cuport {

std::string lowerModuleToOpenCL(Module &M, const std::string &Name) {
  std::string Header = "//@cuport-opencl 2\n";
  Diagnostics Prep(Name);
  if (!inlineIntoKernels(M, Prep)) {
    // Nothing of this module can run on OpenCL devices; say why for every kernel.
    std::string Why = Prep.messages().empty() ? "preparation failed" : Prep.messages().front();
    Header += "//@globals 16\n";
    for (Function &F : M)
      if (F.hasFnAttribute(KernelAttr))
        Header += "//@unsupported " + F.getName().str() + " " + Why + "\n";
    return Header;
  }
  OpenCLGlobals G = layoutOpenCLGlobals(M);
  std::string Kernels, KernelLines, Unsupported;
  for (Function &F : M) {
    if (F.isDeclaration() || !F.hasFnAttribute(KernelAttr))
      continue;
    Diagnostics Diags(Name);
    std::string Source, Line;
    if (predicateDivergentCollectives(F)) {
      std::string Msg;
      raw_string_ostream OS(Msg);
      if (verifyFunction(F, &OS))
        Diags.error(&F, "internal error: invalid IR after predicating divergent collectives: " + OS.str());
    }
    if (!Diags.hasErrors() && checkUniformCollectives(F, Diags) && writeOpenCLKernel(F, G, Source, Line, Diags)) {
      Kernels += Source;
      KernelLines += Line;
    } else {
      std::string Why = oneLine(Diags.messages().empty() ? "unsupported" : Diags.messages().front());
      Unsupported += "//@unsupported " + F.getName().str() + " " + Why + "\n";
    }
  }
  return Header + G.Metadata + KernelLines + Unsupported + openCLPrelude() + "\n" + Kernels;
}

} // namespace cuport

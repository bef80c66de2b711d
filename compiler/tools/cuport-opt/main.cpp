// cuport-opt: runs cuport's lowering passes on an LLVM IR file, for the lit/FileCheck tests.
//   cuport-opt -passes=collect-kernels,retarget-to-host,... [--cpu-target=x86-64] in.ll  (IR to stdout)
//   cuport-opt -passes=opencl in.ll                                     (the OpenCL C image to stdout)
// Errors from the passes are printed to stderr with their source locations; exit status 1.
#include "../../lib/Diagnostics.h"
#include "../../lib/OpenCL.h"
#include "../../lib/Pipeline.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

using namespace llvm;

static cl::opt<std::string> InputFile(cl::Positional, cl::desc("<input .ll>"), cl::init("-"));
static cl::opt<std::string> PassList("passes", cl::desc("comma-separated cuport passes, or 'cpu' for all"));
static cl::opt<std::string> CpuTarget("cpu-target", cl::desc("CPU name"), cl::init("x86-64"));
static cl::opt<int> OptLevel("O", cl::desc("optimization level for -passes=cpu"), cl::init(2), cl::Prefix);

int main(int argc, char **argv) {
  InitLLVM X(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "cuport pass driver\n");
  LLVMContext Ctx;
  SMDiagnostic Err;
  std::unique_ptr<Module> M = parseIRFile(InputFile, Err, Ctx);
  if (!M) {
    Err.print(argv[0], errs());
    return 1;
  }
  if (PassList == "opencl") {
    outs() << cuport::lowerModuleToOpenCL(*M, InputFile);
    return 0;
  }
  cuport::CpuTargetOptions TO;
  TO.CPU = CpuTarget;
  TO.OptLevel = OptLevel;
  std::string Error;
  auto TM = cuport::createCpuTargetMachine(TO, Error);
  if (!TM) {
    errs() << Error << "\n";
    return 1;
  }
  cuport::Diagnostics Diags(InputFile);
  bool OK = true;
  if (PassList == "cpu") {
    cuport::ModuleRecord R;
    OK = cuport::lowerModuleForCpu(*M, *TM, TO, R, Diags);
    if (OK)
      outs() << "; manifest:\n; " << cuport::formatManifest(R) << "\n";
  } else {
    StringRef Rest = PassList;
    while (OK && !Rest.empty()) {
      auto [Name, Tail] = Rest.split(',');
      Rest = Tail;
      bool Known = false;
      OK = cuport::runPassByName(Name.str(), *M, *TM, Diags, Known);
      if (!Known) {
        errs() << "unknown pass '" << Name << "'\n";
        return 2;
      }
    }
  }
  for (auto &D : Diags.messages())
    errs() << D << "\n";
  if (!OK)
    return 1;
  M->print(outs(), nullptr);
  return 0;
}

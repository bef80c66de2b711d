// cuport-opt: runs cuport's lowering passes on an LLVM IR file, for the lit/FileCheck tests.
//   cuport-opt -passes=collect-kernels,retarget-to-host,... [--cpu-target=x86-64] in.ll  (IR to stdout)
//   cuport-opt -passes=cpu [-O3] [--memcheck] in.ll   (the whole CPU lowering at cuport-cc's -O3; --memcheck as cuport-cc's)
//   cuport-opt -passes=opencl in.ll                                     (the OpenCL C image to stdout)
//   cuport-opt -passes=ptx in.ll                                        (the PTX image to stdout)
//   cuport-opt -passes=amdgpu [--offload-arch=gfx1100] in.ll            (IR after the AMDGPU kernel lowering
//                                                                        and retargeting, before the device
//                                                                        libraries are linked)
// Errors from the passes are printed to stderr with their source locations; exit status 1.
#include "../../lib/AMDGPU.h"
#include "../../lib/Diagnostics.h"
#include "../../lib/OpenCL.h"
#include "../../lib/PTX.h"
#include "../../lib/Pipeline.h"

#include "llvm/ADT/StringExtras.h"
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
static cl::opt<unsigned> VectorWidth("cpu-vector-width", cl::desc("widest vectors (bits) for -passes=cpu (512, as cuport-cc)"),
                                     cl::init(512));
static cl::opt<std::string> OffloadArch("offload-arch", cl::desc("AMD GPU for -passes=amdgpu"), cl::init("gfx1100"));
static cl::opt<std::string> DeviceLibs("rocm-device-libs", cl::desc("directory of ocml.bc"),
                                       cl::init(CUPORT_ROCM_DEVICE_LIB_DIR));
static cl::opt<int> OptLevel("O", cl::desc("optimization level for -passes=cpu (3, as cuport-cc)"), cl::init(3),
                             cl::Prefix);
static cl::opt<bool> Memcheck("memcheck", cl::desc("-passes=cpu with the memcheck instrumentation (the pass alone: -passes=memcheck)"));

static int lowerForAMDGPU(Module &M) {
  std::string Error;
  cuport::AMDGPUArch Arch;
  std::unique_ptr<Module> Ocml;
  std::unique_ptr<TargetMachine> TM;
  if (cuport::parseAMDGPUArch(OffloadArch, Arch, Error) && (Ocml = cuport::loadOcml(DeviceLibs, M.getContext(), Error)))
    TM = cuport::createAMDGPUTargetMachine(Arch, 2, Error);
  if (!TM) {
    errs() << Error << "\n";
    return 1;
  }
  std::string Unsupported = cuport::lowerKernelsForAMDGPU(M, InputFile, Ocml.get());
  cuport::Diagnostics Diags(InputFile);
  bool OK = cuport::retargetToAMDGPU(M, *TM, Diags);
  for (auto &D : Diags.messages())
    errs() << D << "\n";
  if (!OK)
    return 1;
  for (StringRef Line : split(Unsupported, '\n'))
    if (!Line.empty())
      outs() << "; unsupported: " << Line << "\n";
  M.print(outs(), nullptr);
  return 0;
}

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
  if (PassList == "amdgpu")
    return lowerForAMDGPU(*M);
  if (PassList == "ptx") {
    std::string Error, PTX = cuport::lowerModuleToPTX(*M, InputFile, cuport::PTXOptions(), Error);
    if (PTX.empty()) {
      errs() << Error << "\n";
      return 1;
    }
    outs() << PTX;
    return 0;
  }
  cuport::CpuTargetOptions TO;
  TO.CPU = CpuTarget;
  TO.OptLevel = OptLevel;
  TO.VectorWidth = VectorWidth;
  TO.Memcheck = Memcheck;
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

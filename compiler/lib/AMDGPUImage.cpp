// AMDGPU lowering, the whole image (AMDGPU.h): per-kernel lowering once, then per architecture the
// retargeting, the device runtime and ROCm device libraries, optimization, code generation and the lld
// link of one code object; all code objects go into one Clang offload bundle.
#include "AMDGPU.h"
#include "Diagnostics.h"
#include "PassRunner.h"
#include "Pipeline.h"
#include "Passes.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Linker/Linker.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/Transforms/IPO/AlwaysInliner.h"
#include "llvm/Transforms/IPO/GlobalDCE.h"
#include "llvm/Transforms/IPO/Internalize.h"
#include "llvm/Transforms/Utils/Cloning.h"

extern "C" {
void LLVMInitializeAMDGPUTargetInfo();
void LLVMInitializeAMDGPUTarget();
void LLVMInitializeAMDGPUTargetMC();
void LLVMInitializeAMDGPUAsmPrinter();
void LLVMInitializeAMDGPUAsmParser(); // the device libraries contain inline assembly
}

using namespace llvm;

namespace cuport {

namespace {
constexpr const char *Triple = "amdgcn-amd-amdhsa";
constexpr unsigned ConstantAS = 4;

void initializeAMDGPU() {
  static bool Done = [] {
    LLVMInitializeAMDGPUTargetInfo();
    LLVMInitializeAMDGPUTarget();
    LLVMInitializeAMDGPUTargetMC();
    LLVMInitializeAMDGPUAsmPrinter();
    LLVMInitializeAMDGPUAsmParser();
    return true;
  }();
  (void)Done;
}

std::unique_ptr<Module> loadBitcode(const std::string &Path, LLVMContext &C, std::string &Error) {
  SMDiagnostic Err;
  std::unique_ptr<Module> M = parseIRFile(Path, Err, C);
  if (!M)
    Error = "cannot read " + Path + ": " + Err.getMessage().str();
  return M;
}

// The ROCm device libraries' control variables (what the oclc_*.bc files define), for this architecture:
// IEEE denormals, no finite-only or unsafe-math shortcuts, correctly rounded sqrt (CUDA's -prec-sqrt).
void defineControlConstants(Module &M, const AMDGPUArch &Arch) {
  LLVMContext &C = M.getContext();
  auto Define = [&](const char *Name, Constant *Value) {
    if (GlobalVariable *Old = M.getGlobalVariable(Name)) {
      if (!Old->isDeclaration())
        return;
      Old->setName("");
      auto *G = new GlobalVariable(M, Value->getType(), true, GlobalValue::InternalLinkage, Value, Name, nullptr,
                                   GlobalValue::NotThreadLocal, ConstantAS);
      Old->replaceAllUsesWith(G);
      Old->eraseFromParent();
    }
  };
  Type *I8 = Type::getInt8Ty(C), *I32 = Type::getInt32Ty(C);
  Define("__oclc_ISA_version", ConstantInt::get(I32, Arch.IsaVersion));
  Define("__oclc_wavefrontsize64", ConstantInt::get(I8, Arch.Wave64));
  Define("__oclc_ABI_version", ConstantInt::get(I32, 400));
  Define("__oclc_finite_only_opt", ConstantInt::get(I8, 0));
  Define("__oclc_unsafe_math_opt", ConstantInt::get(I8, 0));
  Define("__oclc_daz_opt", ConstantInt::get(I8, 0));
  Define("__oclc_correctly_rounded_sqrt32", ConstantInt::get(I8, 1));
}

bool isExported(const GlobalValue &G) {
  if (auto *F = dyn_cast<Function>(&G))
    return F->getCallingConv() == CallingConv::AMDGPU_KERNEL;
  return G.getVisibility() == GlobalValue::ProtectedVisibility && !G.isDeclaration();
}

// One architecture: retarget, link, optimize, emit, link with lld.  Returns the code object or "".
std::string buildCodeObject(const Module &Lowered, const std::string &Name, const AMDGPUArch &Arch,
                            const AMDGPUOptions &Opts, std::string &Error) {
  std::unique_ptr<TargetMachine> TM = createAMDGPUTargetMachine(Arch, Opts.OptLevel, Error);
  if (!TM)
    return "";
  std::unique_ptr<Module> M = CloneModule(Lowered);
  LLVMContext &C = M->getContext();
  Diagnostics Diags(Name);
  if (!retargetToAMDGPU(*M, *TM, Diags)) {
    Error = Diags.messages().empty() ? "retargeting failed" : Diags.messages().front();
    return "";
  }
  // The device runtime (always inlined) and the ROCm libraries, only what the kernels use.
  std::string Devrt = Opts.DevrtDir + "/libcuport-amdgcn-devrt-wave" + (Arch.Wave64 ? "64" : "32") + ".bc";
  for (const std::string &Lib : {Devrt, Opts.DeviceLibDir + "/ocml.bc", Opts.DeviceLibDir + "/ockl.bc"}) {
    std::unique_ptr<Module> L = loadBitcode(Lib, C, Error);
    if (!L)
      return "";
    L->setDataLayout(M->getDataLayout());
    L->setTargetTriple(M->getTargetTriple());
    if (Linker::linkModules(*M, std::move(L), Linker::LinkOnlyNeeded)) {
      Error = "linking " + Lib + " failed";
      return "";
    }
  }
  defineControlConstants(*M, Arch);
  // The device libraries are OpenCL code; the program is not (the code object metadata's .language).
  for (const char *MD : {"opencl.ocl.version", "llvm.ident"})
    if (NamedMDNode *N = M->getNamedMetadata(MD))
      M->eraseNamedMetadata(N);
  std::string CPU = TM->getTargetCPU().str(), Features = TM->getTargetFeatureString().str();
  for (Function &F : *M) {
    if (F.isDeclaration())
      continue;
    // Library code takes the kernel's target, as Clang's -mlink-builtin-bitcode does.
    F.addFnAttr("target-cpu", CPU);
    if (Features.empty())
      F.removeFnAttr("target-features");
    else
      F.addFnAttr("target-features", Features);
  }
  internalizeModule(*M, [](const GlobalValue &G) { return isExported(G); });
  for (Function &F : *M)
    if (!F.isDeclaration() && F.getName().startswith("__cuport_") && F.hasLocalLinkage())
      F.addFnAttr(Attribute::AlwaysInline);

  PassBuilder PB(TM.get());
  int Level = Opts.OptLevel;
  runModulePipeline(*M, PB, [Level](PassBuilder &PB, ModulePassManager &MPM) {
    if (Level == 0) {
      MPM.addPass(AlwaysInlinerPass());
      MPM.addPass(GlobalDCEPass());
      return;
    }
    MPM = PB.buildPerModuleDefaultPipeline(optimizationLevel(Level));
  });
  {
    std::string Msg;
    raw_string_ostream OS(Msg);
    if (verifyModule(*M, &OS)) {
      Error = "internal error: invalid IR after the AMDGPU lowering for " + Arch.Name + ": " + OS.str();
      return "";
    }
  }
  for (Function &F : *M)
    if (F.isDeclaration() && !F.isIntrinsic() && !F.use_empty()) {
      Error = "internal error: the " + Arch.Name + " code object would call the undefined function '" +
              F.getName().str() + "'";
      return "";
    }

  SmallVector<char, 0> Object;
  {
    raw_svector_ostream OS(Object);
    legacy::PassManager PM;
    if (TM->addPassesToEmitFile(PM, OS, nullptr, CGFT_ObjectFile)) {
      Error = "the AMDGPU target cannot emit object files";
      return "";
    }
    PM.run(*M);
  }
  std::string Stem = Opts.TempDir + "/" + llvm::sys::path::stem(Name).str() + "." + Arch.Name;
  std::string ObjPath = Stem + ".o", CoPath = Stem + ".co";
  {
    std::error_code EC;
    raw_fd_ostream F(ObjPath, EC);
    if (EC) {
      Error = "cannot write " + ObjPath + ": " + EC.message();
      return "";
    }
    F.write(Object.data(), Object.size());
  }
  std::vector<std::string> Link{Opts.Linker, "--no-undefined", "-shared", "-o", CoPath, ObjPath};
  if (!Opts.KeepDebugInfo)
    Link.push_back("--strip-debug");
  int RC = Opts.Exec(Link);
  sys::fs::remove(ObjPath);
  if (RC != 0) {
    Error = "linking the " + Arch.Name + " code object with " + Opts.Linker + " failed";
    return "";
  }
  auto Buf = MemoryBuffer::getFile(CoPath);
  if (!Buf) {
    Error = "cannot read " + CoPath;
    return "";
  }
  std::string Bytes = (*Buf)->getBuffer().str();
  sys::fs::remove(CoPath);
  return Bytes;
}

} // namespace

bool parseAMDGPUArch(const std::string &Name, AMDGPUArch &Arch, std::string &Error) {
  StringRef S(Name);
  auto Digit = [](char C) -> int {
    return C >= '0' && C <= '9' ? C - '0' : C >= 'a' && C <= 'f' ? C - 'a' + 10 : -1;
  };
  int Major = -1, Minor = -1, Step = -1;
  if (S.startswith("gfx") && (S.size() == 6 || S.size() == 7)) {
    StringRef D = S.drop_front(3);
    bool TwoDigitMajor = D.size() == 4;
    Major = TwoDigitMajor ? (Digit(D[0]) * 10 + Digit(D[1])) : Digit(D[0]);
    Minor = Digit(D[TwoDigitMajor ? 2 : 1]);
    Step = Digit(D[TwoDigitMajor ? 3 : 2]);
    if ((TwoDigitMajor && (Digit(D[0]) < 0 || Digit(D[0]) > 9 || Digit(D[1]) < 0 || Digit(D[1]) > 9)) ||
        (!TwoDigitMajor && (Major < 0 || Major > 9)) || Minor < 0 || Minor > 9 || Step < 0)
      Major = -1;
  }
  initializeAMDGPU();
  std::string TargetError;
  const Target *T = TargetRegistry::lookupTarget(Triple, TargetError);
  std::unique_ptr<MCSubtargetInfo> STI(T ? T->createMCSubtargetInfo(Triple, Name, "") : nullptr);
  if (Major < 8 || !STI || !STI->isCPUStringValid(Name)) {
    Error = "unknown or unsupported AMD GPU architecture '" + Name +
            "' (expected a gfx name LLVM 15 knows, gfx8 or newer, e.g. gfx90a or gfx1100; no ':feature' suffix)";
    return false;
  }
  Arch.Name = Name;
  Arch.Wave64 = Major < 10;
  Arch.IsaVersion = unsigned(Major * 1000 + Minor * 100 + Step);
  return true;
}

const char *defaultAMDGPUArchs() { return "gfx90a,gfx1100"; }

std::unique_ptr<TargetMachine> createAMDGPUTargetMachine(const AMDGPUArch &Arch, int OptLevel, std::string &Error) {
  initializeAMDGPU();
  const Target *T = TargetRegistry::lookupTarget(Triple, Error);
  if (!T)
    return nullptr;
  // gfx10 and newer run 32-lane wavefronts: CUDA's warp size.
  std::string Features = Arch.Wave64 ? "" : "+wavefrontsize32,-wavefrontsize64";
  TargetOptions TO;
  TO.AllowFPOpFusion = FPOpFusion::Standard; // CUDA's default -fmad=true
  CodeGenOpt::Level CG = codeGenLevel(OptLevel);
  std::unique_ptr<TargetMachine> TM(
      T->createTargetMachine(Triple, Arch.Name, Features, TO, Reloc::PIC_, None, CG));
  if (!TM)
    Error = "cannot create a target machine for " + Arch.Name;
  return TM;
}

std::string writeOffloadBundle(const std::vector<BundleEntry> &Entries) {
  // Header: magic, entry count, then (offset, size, id length, id) per entry; payloads 4 KiB aligned, as
  // clang-offload-bundler places HIP code objects.
  auto Put64 = [](std::string &S, uint64_t V) {
    for (int I = 0; I < 8; ++I)
      S.push_back(char((V >> (8 * I)) & 0xff));
  };
  uint64_t HeaderSize = 24 + 8;
  for (const BundleEntry &E : Entries)
    HeaderSize += 24 + E.Id.size();
  std::vector<uint64_t> Offsets;
  uint64_t Offset = HeaderSize;
  for (const BundleEntry &E : Entries) {
    if (!E.Data.empty())
      Offset = alignTo(Offset, 4096);
    Offsets.push_back(Offset);
    Offset += E.Data.size();
  }
  std::string Out = "__CLANG_OFFLOAD_BUNDLE__";
  Put64(Out, Entries.size());
  for (size_t I = 0; I < Entries.size(); ++I) {
    Put64(Out, Offsets[I]);
    Put64(Out, Entries[I].Data.size());
    Put64(Out, Entries[I].Id.size());
    Out += Entries[I].Id;
  }
  for (size_t I = 0; I < Entries.size(); ++I) {
    Out.resize(Offsets[I], '\0');
    Out += Entries[I].Data;
  }
  return Out;
}

std::string lowerKernelsForAMDGPU(Module &M, const std::string &Name, const Module *Ocml) {
  std::string Unsupported;
  auto Reject = [&](Function &K, const std::string &Why) {
    Unsupported += K.getName().str() + " " + oneLine(Why) + "\n";
  };
  Diagnostics Prep(Name);
  if (!inlineIntoKernels(M, Prep)) {
    std::string Why = Prep.messages().empty() ? "preparation failed" : Prep.messages().front();
    for (Function &F : make_early_inc_range(M))
      if (F.hasFnAttribute(KernelAttr)) {
        Reject(F, Why);
        F.eraseFromParent();
      }
    return Unsupported;
  }
  // Kernels first, each on its own: one that uses something AMDGPU lacks is left out with its reason.
  std::vector<Function *> Kernels, Others;
  for (Function &F : M)
    if (!F.isDeclaration())
      (F.hasFnAttribute(KernelAttr) ? Kernels : Others).push_back(&F);
  for (Function *K : Kernels) {
    Diagnostics D(Name);
    if (lowerNVVMIntrinsicsIn(*K, D, NVVMTarget::Device) && lowerAMDGPULibraryCalls(*K, Ocml, D))
      continue;
    Reject(*K, D.messages().empty() ? "unsupported" : D.messages().front());
    K->eraseFromParent();
  }
  // Device functions that could not be inlined (recursion).
  Diagnostics D(Name);
  bool OthersOK = true;
  for (Function *F : Others) {
    OthersOK &= lowerNVVMIntrinsicsIn(*F, D, NVVMTarget::Device);
    OthersOK &= lowerAMDGPULibraryCalls(*F, Ocml, D);
  }
  if (!OthersOK)
    for (Function &F : make_early_inc_range(M))
      if (F.hasFnAttribute(KernelAttr) && !F.isDeclaration()) {
        Reject(F, D.messages().front());
        F.eraseFromParent();
      }
  // The collectives' pseudo-intrinsic is the device runtime's __cuport_sync.
  if (Function *Sync = M.getFunction(pseudo::Sync))
    Sync->setName("__cuport_sync");
  return Unsupported;
}

std::unique_ptr<Module> loadOcml(const std::string &DeviceLibDir, LLVMContext &C, std::string &Error) {
  return loadBitcode(DeviceLibDir + "/ocml.bc", C, Error);
}

std::string lowerModuleToAMDGPU(Module &M, const std::string &Name, const AMDGPUOptions &Opts,
                                std::string &Error) {
  std::unique_ptr<Module> Ocml = loadOcml(Opts.DeviceLibDir, M.getContext(), Error);
  if (!Ocml)
    return "";
  std::string Unsupported = lowerKernelsForAMDGPU(M, Name, Ocml.get());
  std::vector<BundleEntry> Entries{{"host-x86_64-unknown-linux--", ""}};
  // Code objects when there are kernels or variables to reach; a translation unit without device code
  // costs nothing.
  bool NeedCode = false;
  for (Function &F : M)
    NeedCode |= F.hasFnAttribute(KernelAttr) && !F.isDeclaration();
  for (GlobalVariable &G : M.globals())
    NeedCode |= isDeviceVariable(G);
  for (const AMDGPUArch &Arch : Opts.Archs) {
    if (!NeedCode)
      break;
    std::string CodeObject = buildCodeObject(M, Name, Arch, Opts, Error);
    if (CodeObject.empty())
      return "";
    Entries.push_back({"hipv4-" + std::string(Triple) + "--" + Arch.Name, std::move(CodeObject)});
  }
  if (!Unsupported.empty())
    Entries.push_back({"cuport-unsupported", Unsupported});
  return writeOffloadBundle(Entries);
}

} // namespace cuport

// cuport-cc: an nvcc-compatible compiler driver.  For each .cu file:
//   1. Clang's CUDA device pass -> NVPTX LLVM IR (our headers, no CUDA installation)
//   2. the CPU lowering (compiler/lib) -> object -> shared-object image linked with the device runtime;
//      the OpenCL lowering -> OpenCL C; the AMDGPU lowering -> one code object per GPU architecture;
//      PTX for the Nvidia passthrough backend
//   3. the fat-binary container (docs/fatbin.md)
//   4. Clang's CUDA host pass with the container embedded (-fcuda-include-gpubinary)
// .cpp/.c files are compiled as host code against our headers; the link step adds libcuport.
#include "Options.h"

#include "../../lib/AMDGPU.h"
#include "../../lib/Diagnostics.h"
#include "../../lib/FatBinary.h"
#include "../../lib/OpenCL.h"
#include "../../lib/PTX.h"
#include "../../lib/Pipeline.h"
#include "../../lib/Relocatable.h"

#include "fatbin.h" // runtime/fatbin.h: the container reader

#include "cuport/fatbin.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/Object/Archive.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include "llvm/IR/Module.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"

#include <cstdlib>
#include <functional>
#include <thread>
#include <fstream>
#include <sstream>

#ifndef CUPORT_CLANG_PATH
#define CUPORT_CLANG_PATH "clang-15"
#endif
#ifndef CUPORT_SOURCE_INCLUDE_DIR
#define CUPORT_SOURCE_INCLUDE_DIR ""
#endif
#ifndef CUPORT_VERSION
#define CUPORT_VERSION "0.0.0"
#endif
#ifndef CUPORT_ROCM_DEVICE_LIB_DIR
#define CUPORT_ROCM_DEVICE_LIB_DIR "" // where Debian's rocm-device-libs put ocml.bc and ockl.bc
#endif
#ifndef CUPORT_LLD_PATH
#define CUPORT_LLD_PATH "ld.lld-15"
#endif

using namespace llvm;

namespace cuport {
namespace {

// The CUDA SDK version Clang is told, which selects the CUDA >= 9.2 launch ABI (__cudaPushCallConfiguration).
constexpr const char *ClangSdkVersion = "11.5";

struct Layout {
  std::string Prefix, Driver, Clang, IncludeDir, LibDir, DeviceLibDir, Lld;
};

bool exists(const std::string &P) { return sys::fs::exists(P); }

// Finds headers and libraries relative to the driver: <prefix>/bin/cuport-cc with <prefix>/include and
// <prefix>/lib, in the build tree and in an installed tree alike.
Layout findLayout(const char *Argv0) {
  Layout L;
  std::string Exe = sys::fs::getMainExecutable(Argv0, (void *)&findLayout);
  SmallString<256> Prefix(sys::path::parent_path(sys::path::parent_path(Exe)));
  SmallString<256> Inc(Prefix), Lib(Prefix);
  sys::path::append(Inc, "include");
  sys::path::append(Lib, "lib");
  L.Prefix = Prefix.str().str();
  L.Driver = Exe;
  L.IncludeDir = exists((Inc + "/cuda_runtime.h").str()) ? Inc.str().str() : CUPORT_SOURCE_INCLUDE_DIR;
  L.LibDir = Lib.str().str();
  auto FromEnv = [](const char *Name, const char *Default) {
    const char *Env = std::getenv(Name);
    return std::string(Env && *Env ? Env : Default);
  };
  L.Clang = FromEnv("CUPORT_CLANG", CUPORT_CLANG_PATH);
  L.DeviceLibDir = FromEnv("CUPORT_ROCM_DEVICE_LIBS", CUPORT_ROCM_DEVICE_LIB_DIR);
  L.Lld = FromEnv("CUPORT_LLD", CUPORT_LLD_PATH);
  return L;
}

// One GPU image being lowered on its own thread.
struct ImageJob {
  std::string Target, Bytes, Error;
  std::thread Thread;
};

class Driver {
public:
  Driver(DriverOptions O, Layout L) : O(std::move(O)), L(std::move(L)) {}

  int run() {
    for (auto &N : O.Notes)
      errs() << "cuport-cc: note: " << N << "\n";
    if (O.Verbose || O.DryRun) {
      for (auto &N : O.VerboseNotes)
        errs() << "cuport-cc: note: " << N << "\n";
      printEnvironment();
    }
    if (!O.Errors.empty()) {
      for (auto &E : O.Errors)
        errs() << "cuport-cc: error: " << E << "\n";
      return 1;
    }
    if (O.ShowVersion) {
      // The second line is what build systems look for to recognise an nvcc-compatible driver (CMake's
      // CUDA compiler identification matches it); the third gives the CUDA version cuport implements.
      outs() << "cuport-cc: the cuport CUDA compiler driver, cuport " CUPORT_VERSION ", built on Clang/LLVM 15\n"
             << "nvcc: NVIDIA (R) Cuda compiler driver command line, as implemented by cuport (not NVIDIA software)\n"
             << "Cuda compilation tools, release 12.0, V12.0.0 (cuport: CUDA runtime API 12.0 subset)\n";
      return 0;
    }
    if (O.ShowHelp) {
      outs() << "usage: cuport-cc [nvcc options] files...  (see docs/driver.md)\n";
      return 0;
    }
    if (O.Inputs.empty()) {
      errs() << "cuport-cc: error: no input files\n";
      return 1;
    }
    if (!makeTempDir() || !setUpAMDGPU())
      return 1;
    int RC = O.CompileOnly ? compileAll() : compileAndLink();
    cleanup();
    return RC;
  }

private:
  DriverOptions O;
  Layout L;

  // -v first prints the driver's environment the way nvcc does ("#$ NAME=value"), so that build systems
  // which read nvcc's (CMake: TOP, NVVMIR_LIBRARY_DIR, INCLUDES, LIBRARIES, PATH) find cuport's layout:
  // TOP is the installation prefix, INCLUDES its CUDA headers, LIBRARIES the directory of libcuport (also
  // reachable as libcudart), and -arch compute_70 the virtual architecture of the PTX image.  cuport has no
  // libdevice; NVVMIR_LIBRARY_DIR only names where the toolkit layout would keep it, under the prefix.
  std::string librariesLine() const { return "-L" + L.LibDir + " -lcudart"; }

  void printEnvironment() {
    const char *Path = std::getenv("PATH");
    errs() << "#$ _CUPORT_VERSION_=" CUPORT_VERSION "\n"
           << "#$ TOP=" << L.Prefix << "\n"
           << "#$ NVVMIR_LIBRARY_DIR=" << L.Prefix << "/nvvm/libdevice\n"
           << "#$ PATH=" << sys::path::parent_path(L.Driver) << ":" << (Path ? Path : "") << "\n"
           << "#$ INCLUDES=-I" << L.IncludeDir << "\n"
           << "#$ LIBRARIES=" << librariesLine() << "\n"
           << "#$ CUPORT_PTX_ARCH=-arch compute_70\n";
  }
  AMDGPUOptions AMDGPU; // Archs empty: no amdgcn image

  // The amdgcn image's architectures: --offload-arch, else $CUPORT_OFFLOAD_ARCH, else the default list.
  // Without the ROCm device libraries the image is left out, silently unless the architectures were asked
  // for (the HIP backend then reports that the program has no amdgcn image).
  bool setUpAMDGPU() {
    if (!O.AMDGPUImage)
      return true;
    bool Explicit = !O.OffloadArchs.empty();
    std::string Archs = O.OffloadArchs;
    if (const char *Env = std::getenv("CUPORT_OFFLOAD_ARCH"); !Explicit && Env && *Env) {
      Archs = Env;
      Explicit = true;
    }
    if (Archs == "none")
      return true;
    if (Archs.empty())
      Archs = defaultAMDGPUArchs();
    if (!exists(L.DeviceLibDir + "/ocml.bc")) {
      if (!Explicit)
        return true;
      errs() << "cuport-cc: error: --offload-arch needs the ROCm device libraries (ocml.bc), not found in '"
             << L.DeviceLibDir << "' (install rocm-device-libs, or set CUPORT_ROCM_DEVICE_LIBS)\n";
      return false;
    }
    SmallVector<StringRef, 4> Names;
    StringRef(Archs).split(Names, ',', -1, false);
    for (StringRef N : Names) {
      AMDGPUArch A;
      std::string Error;
      if (!parseAMDGPUArch(N.trim().str(), A, Error)) {
        errs() << "cuport-cc: error: --offload-arch: " << Error << "\n";
        return false;
      }
      if (std::none_of(AMDGPU.Archs.begin(), AMDGPU.Archs.end(), [&](const AMDGPUArch &B) { return B.Name == A.Name; }))
        AMDGPU.Archs.push_back(A);
    }
    AMDGPU.OptLevel = std::min(O.DeviceOptLevel, 3);
    AMDGPU.DeviceLibDir = L.DeviceLibDir;
    AMDGPU.DevrtDir = L.LibDir;
    AMDGPU.Linker = L.Lld;
    AMDGPU.TempDir = TempDir;
    AMDGPU.KeepDebugInfo = O.DeviceDebug || O.Debug || O.LineInfo;
    AMDGPU.Exec = [this](const std::vector<std::string> &Cmd) { return exec(Cmd); };
    return true;
  }
  std::string TempDir;
  std::vector<std::string> Temps;

  bool makeTempDir() {
    SmallString<128> Dir;
    if (!O.KeepDir.empty()) {
      TempDir = O.KeepDir;
      sys::fs::create_directories(TempDir);
      return true;
    }
    if (auto EC = sys::fs::createUniqueDirectory("cuport-cc", Dir)) {
      errs() << "cuport-cc: error: cannot create a temporary directory: " << EC.message() << "\n";
      return false;
    }
    TempDir = Dir.str().str();
    return true;
  }

  void cleanup() {
    if (O.Keep) {
      errs() << "cuport-cc: intermediate files kept in " << TempDir << "\n";
      return;
    }
    for (auto &T : Temps)
      sys::fs::remove(T);
    sys::fs::remove(TempDir);
  }

  std::string temp(const std::string &Input, const std::string &Suffix) {
    std::string P = TempDir + "/" + sys::path::stem(Input).str() + Suffix;
    Temps.push_back(P);
    return P;
  }

  // Runs a command.  With Explain (Clang compiling CUDA), Clang's diagnostics pass through this driver,
  // which adds a note naming the CUDA feature behind the errors Clang reports in its own terms.
  int exec(const std::vector<std::string> &Cmd, bool Explain = false) {
    if (O.Verbose || O.DryRun) {
      errs() << "#$";
      for (auto &A : Cmd)
        errs() << " " << A;
      errs() << "\n";
    }
    if (O.DryRun)
      return 0;
    auto Prog = sys::findProgramByName(Cmd[0]);
    if (!Prog) {
      errs() << "cuport-cc: error: cannot find '" << Cmd[0]
             << "' (install clang-15 and lld-15, or set CUPORT_CLANG / CUPORT_LLD)\n";
      return 1;
    }
    std::vector<std::string> Args = Cmd;
    SmallString<128> DiagFile;
    if (Explain) {
      if (sys::fs::createTemporaryFile("cuport-cc-diag", "txt", DiagFile))
        Explain = false;
      else if (errs().has_colors())
        Args.push_back("-fcolor-diagnostics"); // Clang's stderr is a file now; keep the terminal's colours
    }
    std::vector<StringRef> Argv(Args.begin(), Args.end());
    std::string ErrMsg;
    // stdin and stdout inherited; stderr into DiagFile when explaining.
    Optional<StringRef> Redirects[] = {llvm::None, llvm::None,
                                       Explain ? Optional<StringRef>(StringRef(DiagFile)) : llvm::None};
    int RC = sys::ExecuteAndWait(*Prog, Argv, llvm::None, Redirects, 0, 0, &ErrMsg);
    if (RC < 0)
      errs() << "cuport-cc: error: running " << Cmd[0] << ": " << ErrMsg << "\n";
    if (Explain) {
      if (auto Buf = MemoryBuffer::getFile(DiagFile))
        explainDiagnostics((*Buf)->getBuffer());
      sys::fs::remove(DiagFile);
    }
    return RC;
  }

  // Clang's CUDA errors whose cause is a CUDA feature cuport does not implement: the note names it.
  void explainDiagnostics(StringRef Text) {
    static const Regex Ansi("\x1b\\[[0-9;]*m");
    static const struct {
      Regex Pattern;
      const char *Note;
    } Explanations[] = {
        {Regex("^(.*:[0-9]+:[0-9]+): error: reference to __global__ function '.*' in __(global|device|host__ "
               "__device)__ function"),
         "launching a kernel from device code (dynamic parallelism) is not supported by cuport (docs/limitations.md)"},
    };
    SmallVector<StringRef, 64> Lines;
    Text.split(Lines, '\n');
    for (size_t I = 0; I < Lines.size(); ++I) {
      StringRef Line = Lines[I];
      if (I + 1 == Lines.size() && Line.empty())
        break;
      errs() << Line << "\n";
      std::string Plain = Line.str();
      while (Ansi.match(Plain))
        Plain = Ansi.sub("", Plain);
      for (auto &E : Explanations) {
        SmallVector<StringRef, 3> M;
        if (E.Pattern.match(Plain, &M))
          errs() << M[1] << ": note: " << E.Note << "\n";
      }
    }
  }

  std::vector<std::string> commonFrontendFlags(bool Cuda) {
    std::vector<std::string> F;
    if (!O.Std.empty())
      F.push_back("-std=" + O.Std);
    else if (Cuda)
      F.push_back("-std=c++17"); // nvcc 12's default dialect
    F.insert(F.end(), O.PreprocessorFlags.begin(), O.PreprocessorFlags.end());
    F.push_back("-isystem");
    F.push_back(L.IncludeDir);
    F.push_back("-D__CUPORT__=1");
    return F;
  }

  std::vector<std::string> cudaModeFlags(const Input &In) {
    std::vector<std::string> F{"-x", "cuda", "--cuda-gpu-arch=sm_70", "-nocudainc", "-nocudalib",
                               "-Wno-unknown-cuda-version", "-include", "cuda_runtime.h",
                               // What nvcc defines for a .cu file: __CUDACC__ (code tests it to decide
                               // whether __host__ __device__ exist), and the CUDA version whose runtime
                               // API cuport implements.
                               "-D__CUDACC__=1", "-D__CUDACC_VER_MAJOR__=12", "-D__CUDACC_VER_MINOR__=0", "-D__CUDACC_VER_BUILD__=0"};
    // cuport compiles Clang's CUDA dialect, so __NVCC__ (which code tests for nvcc-only extensions) stays
    // undefined -- except in CMake's compiler identification source, where it selects CMake's rules for an
    // nvcc-compatible command line, which is what cuport-cc accepts.
    if (sys::path::filename(In.Path) == "CMakeCUDACompilerId.cu")
      F.push_back("-D__NVCC__=1");
    if (O.Relocatable) {
      // Relocatable device code: Clang gives host shadows of __device__ variables external linkage,
      // suffixes internal kernels and variables with the compilation unit's id (the same -cuid in both
      // passes), and registers through __cudaRegisterLinkedBinary_<module id>, which the device link defines.
      SmallString<256> Abs(In.Path);
      sys::fs::make_absolute(Abs);
      std::string Cuid = "-cuid=" + utohexstr(xxHash64(Abs.str()));
      F.push_back("-fgpu-rdc");
      F.push_back("-D__CUDACC_RDC__=1");
      F.push_back(Cuid); // the driver forwards it to the device pass...
      F.push_back("-Xclang"); // ...but not to a host-only one
      F.push_back(Cuid);
    }
    return F;
  }

  std::string objectName(const Input &In) {
    if (O.CompileOnly && !O.Output.empty())
      return O.Output;
    if (O.CompileOnly)
      return sys::path::stem(In.Path).str() + ".o";
    return temp(In.Path, ".o");
  }

  // Device pass + CPU lowering + image link -> fat binary file.  Returns "" on error.
  std::string compileDevice(const Input &In) {
    std::string Bitcode = temp(In.Path, ".nvptx.bc");
    std::vector<std::string> Cmd{L.Clang};
    auto Mode = cudaModeFlags(In);
    Cmd.insert(Cmd.end(), Mode.begin(), Mode.end());
    Cmd.push_back("--cuda-device-only");
    auto Common = commonFrontendFlags(true);
    Cmd.insert(Cmd.end(), Common.begin(), Common.end());
    // Optimization happens in our pipeline, after retargeting; Clang only produces the IR.
    Cmd.insert(Cmd.end(), {"-O2", "-Xclang", "-disable-llvm-passes", "-emit-llvm", "-c"});
    // Line tables always: diagnostics of the lowering name file:line (the image is stripped unless
    // -g/-G/-lineinfo asks for debug information).
    Cmd.push_back(O.DeviceDebug || O.Debug ? "-g" : "-gline-tables-only");
    for (auto &F : O.HostFlags)
      if (F == "-w" || F.rfind("-W", 0) == 0)
        Cmd.push_back(F);
    Cmd.insert(Cmd.end(), {"-o", Bitcode, In.Path});
    if (exec(Cmd, /*Explain=*/true) != 0)
      return "";
    std::string FatBin = temp(In.Path, ".fatbin");
    if (O.DryRun) {
      errs() << "#$ <cuport CPU lowering> " << Bitcode << " -> " << FatBin << "\n";
      return FatBin;
    }

    LLVMContext Ctx;
    SMDiagnostic Err;
    std::unique_ptr<Module> M = parseIRFile(Bitcode, Err, Ctx);
    if (!M) {
      Err.print("cuport-cc", errs());
      return "";
    }
    std::string Container = O.Relocatable ? relocatableContainer(*M, In) : lowerToContainer(*M, In.Path);
    if (Container.empty() || !writeFile(FatBin, Container))
      return "";
    return FatBin;
  }

  // The device-code options of this command line, and their target machine (null after an error message).
  std::unique_ptr<TargetMachine> targetMachine(CpuTargetOptions &TO) {
    TO.OptLevel = O.DeviceOptLevel;
    TO.CPU = O.CpuTarget;
    TO.VectorWidth = O.CpuVectorWidth;
    TO.Memcheck = O.Memcheck;
    std::string Error;
    auto TM = createCpuTargetMachine(TO, Error);
    if (!TM)
      errs() << "cuport-cc: error: " << Error << "\n";
    return TM;
  }

  // -rdc: keep the NVPTX bitcode for the device link; describe the kernels for the runtime now.
  std::string relocatableContainer(Module &M, const Input &In) {
    CpuTargetOptions TO;
    auto TM = targetMachine(TO);
    if (!TM)
      return "";
    std::unique_ptr<Module> Clone = CloneModule(M);
    Diagnostics Ignored(In.Path); // references to other files' variables are expected here
    lowerManagedVariables(*Clone, Ignored);
    collectKernels(*Clone, Ignored);
    retargetToHost(*Clone, *TM, Ignored);
    ModuleRecord Record = describeModule(*Clone);
    std::string Manifest = formatManifest(Record) + "rdc 1\n";
    std::string Bitcode;
    raw_string_ostream OS(Bitcode);
    WriteBitcodeToFile(M, OS);
    OS.flush();
    return writeFatBinary(Manifest, {{NvptxBitcodeTarget, Bitcode}});
  }

  // The CPU lowering of a whole device program into a container with one CPU image.
  std::string lowerToContainer(Module &M, const std::string &Name, const std::string &ExtraManifest = "") {
    CpuTargetOptions TO;
    auto TM = targetMachine(TO);
    if (!TM)
      return "";
    std::string Error;
    Diagnostics Diags(Name);
    ModuleRecord Record;
    // Before the GPU images are written: every image and the manifest see the managed variables' cells.
    if (!lowerManagedVariables(M, Diags)) {
      for (auto &D : Diags.messages())
        errs() << D << "\n";
      return "";
    }
    // The GPU images are written from the same NVPTX IR, before the CPU lowering changes it: each on its
    // own thread, from its own copy parsed into a private LLVMContext (contexts are not shared between
    // threads), while this thread does the CPU image.
    std::string Bitcode;
    {
      raw_string_ostream OS(Bitcode);
      WriteBitcodeToFile(M, OS);
    }
    std::vector<std::unique_ptr<ImageJob>> Jobs;
    auto Start = [&](const char *Target, std::function<std::string(Module &, std::string &)> Lower) {
      auto J = std::make_unique<ImageJob>();
      J->Target = Target;
      ImageJob *Job = J.get();
      J->Thread = std::thread([Job, &Bitcode, Lower = std::move(Lower)] {
        LLVMContext Ctx;
        auto Parsed = parseBitcodeFile(MemoryBufferRef(Bitcode, "device"), Ctx);
        if (!Parsed) {
          Job->Error = toString(Parsed.takeError());
          return;
        }
        Job->Bytes = Lower(**Parsed, Job->Error);
      });
      Jobs.push_back(std::move(J));
    };
    if (O.OpenCLImage)
      Start(CUPORT_TARGET_OPENCL, [&](Module &Copy, std::string &) { return lowerModuleToOpenCL(Copy, Name); });
    if (!AMDGPU.Archs.empty())
      Start(CUPORT_TARGET_AMDGCN,
            [&](Module &Copy, std::string &Err) { return lowerModuleToAMDGPU(Copy, Name, AMDGPU, Err); });
    if (O.PTXImage) {
      PTXOptions PO;
      PO.OptLevel = std::min(O.DeviceOptLevel, 3);
      PO.LineInfo = O.DeviceDebug || O.Debug || O.LineInfo;
      PO.MathLibrary = L.LibDir + "/libcuport-ptx-devmath.bc"; // the NVPTX device math library
      Start(CUPORT_TARGET_PTX, [&, PO](Module &Copy, std::string &Err) { return lowerModuleToPTX(Copy, Name, PO, Err); });
    }
    // Every job is joined before this function returns, on every path.
    struct JoinAll {
      std::vector<std::unique_ptr<ImageJob>> &Jobs;
      ~JoinAll() {
        for (auto &J : Jobs)
          if (J->Thread.joinable())
            J->Thread.join();
      }
    } Joiner{Jobs};
    if (!lowerModuleForCpu(M, *TM, TO, Record, Diags)) {
      for (auto &D : Diags.messages())
        errs() << D << "\n";
      return "";
    }
    std::string Object;
    if (!emitObject(M, *TM, Object, Error)) {
      errs() << "cuport-cc: error: " << Error << "\n";
      return "";
    }
    std::string ObjPath = temp(Name, ".cpu.o"), SoPath = temp(Name, ".cpu.so");
    if (!writeFile(ObjPath, Object))
      return "";
    // The image: a shared object with every reference resolved now (-z defs), so an undefined device
    // function is a compile-time error, not a load-time one.
    std::vector<std::string> Link{L.Clang, "-shared", "-fuse-ld=lld", "-o", SoPath, ObjPath,
                                  L.LibDir + "/libcuport-cpu-devrt.a", "-Wl,-z,defs", "-Wl,-Bsymbolic",
                                  "-Wl,--gc-sections", "-lm"};
    if (!(O.DeviceDebug || O.Debug || O.LineInfo))
      Link.push_back("-Wl,--strip-debug");
    if (exec(Link) != 0) {
      errs() << Name << ": error: linking the CPU device image failed (a device function or variable declared "
                        "but not defined in this file needs relocatable device code: compile with -rdc=true)\n";
      return "";
    }
    std::string Image;
    if (!readFile(SoPath, Image))
      return "";
    std::vector<FatBinaryImage> Images{{CUPORT_TARGET_CPU, Image}};
    for (auto &J : Jobs) {
      J->Thread.join();
      if (J->Bytes.empty()) {
        bool AMD = J->Target == CUPORT_TARGET_AMDGCN;
        errs() << Name << ": error: " << (AMD ? "AMDGPU code generation: " : "PTX generation: ") << J->Error
               << (AMD ? " (leave the amdgcn image out with --offload-arch=none)\n"
                       : " (leave it out with --cuport-targets=cpu,opencl,amdgcn)\n");
        return "";
      }
      Images.push_back({J->Target, J->Bytes});
    }
    return writeFatBinary(formatManifest(Record) + ExtraManifest, Images);
  }

  // The device link: the bitcode of every relocatable object is linked, lowered once, and embedded in an
  // object whose constructor registers it with the runtime.  Returns "" when there is nothing to link,
  // "!" on error, else the object's path.
  std::string deviceLink(const std::vector<std::string> &Objects, const std::string &OutName) {
    std::vector<std::string> Bitcodes, ModuleIds;
    // Relocatable containers and module ids of one object file.
    auto ScanObject = [&](MemoryBufferRef Ref) {
      auto Obj = object::ObjectFile::createObjectFile(Ref);
      if (!Obj) {
        consumeError(Obj.takeError());
        return;
      }
      for (const object::SectionRef &Sec : (*Obj)->sections()) {
        Expected<StringRef> SecName = Sec.getName();
        if (!SecName) {
          consumeError(SecName.takeError());
          continue;
        }
        if (*SecName != "__nv_relfatbin" && *SecName != "__nv_module_id")
          continue;
        Expected<StringRef> Data = Sec.getContents();
        if (!Data) {
          consumeError(Data.takeError());
          continue;
        }
        if (*SecName == "__nv_module_id") {
          // NUL-terminated ids, each padded to its alignment.
          for (StringRef Rest = *Data; !Rest.empty();) {
            auto [Id, Tail] = Rest.split('\0');
            if (!Id.empty())
              ModuleIds.push_back(Id.str());
            Rest = Tail.ltrim('\0');
          }
          continue;
        }
        cuport::FatbinContents C;
        std::string Why;
        if (!cuport::parse_fatbin(Data->data(), Data->size(), &C, &Why) || !C.relocatable)
          continue;
        if (const cuport::FatbinImage *BC = C.find_image(NvptxBitcodeTarget))
          Bitcodes.emplace_back(reinterpret_cast<const char *>(BC->data), BC->size);
      }
    };
    std::vector<std::unique_ptr<MemoryBuffer>> Keep;
    for (const std::string &Path : Objects) {
      auto Buf = MemoryBuffer::getFile(Path);
      if (!Buf)
        continue;
      MemoryBufferRef Ref = (*Buf)->getMemBufferRef();
      if (Ref.getBuffer().startswith("!<arch>\n")) {
        // Static libraries: every member with relocatable device code takes part in the device link.
        auto Ar = object::Archive::create(Ref);
        if (!Ar) {
          consumeError(Ar.takeError());
          continue;
        }
        Error Err = Error::success();
        for (const object::Archive::Child &Member : (*Ar)->children(Err)) {
          Expected<MemoryBufferRef> MRef = Member.getMemoryBufferRef();
          if (!MRef) {
            consumeError(MRef.takeError());
            continue;
          }
          ScanObject(*MRef);
        }
        consumeError(std::move(Err));
      } else {
        ScanObject(Ref);
      }
      Keep.push_back(std::move(*Buf));
    }
    if (Bitcodes.empty())
      return "";
    if (O.DryRun) {
      errs() << "#$ <cuport device link of " << Bitcodes.size() << " relocatable objects>\n";
      return temp(OutName, ".dlink.o");
    }
    LLVMContext Ctx;
    Diagnostics Diags(OutName);
    std::unique_ptr<Module> M = linkRelocatable(Ctx, Bitcodes, Diags);
    if (!M) {
      for (auto &D : Diags.messages())
        errs() << D << "\n";
      return "!";
    }
    std::string Container = lowerToContainer(*M, OutName, "linked 1\n");
    std::string FatBin = temp(OutName, ".linked.fatbin");
    if (Container.empty() || !writeFile(FatBin, Container))
      return "!";
    // A constructor hands the linked image to the runtime before main().
    std::string Src = temp(OutName, ".dlink.c");
    std::string Reg = R"(__asm__(".section .rodata.cuport_linked,\"a\"\n.p2align 4\n"
        "cuport_linked_image_begin:\n.incbin \")" + FatBin + R"(\"\ncuport_linked_image_end:\n"
        ".previous");
extern const char cuport_linked_image_begin[], cuport_linked_image_end[];
void __cuportRegisterLinkedImage(const void *image, unsigned long size);
void **__cudaRegisterFatBinary(void *wrapper);
void __cudaRegisterFatBinaryEnd(void **handle);
)";
    // Each relocatable file's constructor registers its kernels and variables through this function.
    for (const std::string &Id : ModuleIds)
      Reg += "void __cudaRegisterLinkedBinary" + Id +
             "(void (*reg)(void **), void *wrapper, const char *id, void (*dummy)(void *)) {\n"
             "  void **handle = __cudaRegisterFatBinary(wrapper);\n"
             "  (void)id, (void)dummy;\n"
             "  reg(handle);\n"
             "  __cudaRegisterFatBinaryEnd(handle);\n"
             "}\n";
    Reg += R"(
__attribute__((constructor(101))) static void cuport_register_linked_image(void) {
  __cuportRegisterLinkedImage(cuport_linked_image_begin,
                              (unsigned long)(cuport_linked_image_end - cuport_linked_image_begin));
}
)";
    if (!writeFile(Src, Reg))
      return "!";
    std::string Obj = O.DeviceLink && !O.Output.empty() ? O.Output : temp(OutName, ".dlink.o");
    if (exec({L.Clang, "-x", "c", "-c", "-fPIC", "-O1", "-o", Obj, Src}) != 0)
      return "!";
    return Obj;
  }

  int compileOne(const Input &In, const std::string &Out) {
    std::vector<std::string> Cmd;
    if (In.Kind == InputKind::Cuda) {
      std::string FatBin = compileDevice(In);
      if (FatBin.empty())
        return 1;
      Cmd = {L.Clang};
      auto Mode = cudaModeFlags(In);
      Cmd.insert(Cmd.end(), Mode.begin(), Mode.end());
      Cmd.insert(Cmd.end(), {"--cuda-host-only", "-Xclang", std::string("-target-sdk-version=") + ClangSdkVersion,
                             "-Xclang", "-fcuda-include-gpubinary", "-Xclang", FatBin});
    } else {
      Cmd = {L.Clang, "-x", In.Kind == InputKind::C ? "c" : "c++"};
    }
    auto Common = commonFrontendFlags(In.Kind == InputKind::Cuda);
    if (In.Kind == InputKind::C)
      Common.erase(std::remove_if(Common.begin(), Common.end(),
                                  [](const std::string &S) { return S.rfind("-std=c++", 0) == 0; }),
                   Common.end());
    Cmd.insert(Cmd.end(), Common.begin(), Common.end());
    Cmd.push_back("-O" + std::to_string(O.HostOptLevel));
    if (O.Debug)
      Cmd.push_back("-g");
    if (O.Shared)
      Cmd.push_back("-fPIC");
    Cmd.insert(Cmd.end(), O.HostFlags.begin(), O.HostFlags.end());
    Cmd.insert(Cmd.end(), O.DependencyFlags.begin(), O.DependencyFlags.end());
    Cmd.insert(Cmd.end(), {"-c", "-o", Out, In.Path});
    return exec(Cmd, /*Explain=*/In.Kind == InputKind::Cuda);
  }

  int compileAll() {
    if (!O.Output.empty() && O.Inputs.size() > 1) {
      errs() << "cuport-cc: error: -o with -c needs exactly one input file\n";
      return 1;
    }
    for (auto &In : O.Inputs) {
      if (In.Kind == InputKind::Object)
        continue;
      if (compileOne(In, objectName(In)) != 0)
        return 1;
    }
    return 0;
  }

  int compileAndLink() {
    std::vector<std::string> Objects;
    for (auto &In : O.Inputs) {
      if (In.Kind == InputKind::Object) {
        Objects.push_back(In.Path);
        continue;
      }
      std::string Obj = objectName(In);
      if (compileOne(In, Obj) != 0)
        return 1;
      Objects.push_back(Obj);
    }
    const std::string Out = O.Output.empty() ? "a.out" : O.Output;
    std::string DLink = deviceLink(Objects, Out);
    if (DLink == "!")
      return 1;
    if (O.DeviceLink) {
      if (DLink.empty())
        errs() << "cuport-cc: warning: -dlink found no relocatable device code in its inputs\n";
      return 0;
    }
    if (!DLink.empty())
      Objects.push_back(DLink);
    std::vector<std::string> Cmd{L.Clang, "-fuse-ld=lld"};
    if (O.Shared)
      Cmd.push_back("-shared");
    Cmd.push_back("-o");
    Cmd.push_back(Out);
    Cmd.insert(Cmd.end(), Objects.begin(), Objects.end());
    Cmd.insert(Cmd.end(), O.LinkFlags.begin(), O.LinkFlags.end());
    for (auto &F : O.HostFlags)
      if (F == "-pthread" || F == "-fopenmp" || F.rfind("-fsanitize", 0) == 0 || F == "-shared-libsan" ||
          F == "-static-libsan")
        Cmd.push_back(F); // also needed when linking
    Cmd.insert(Cmd.end(), {"-L" + L.LibDir, "-Wl,-rpath," + L.LibDir, "-lcuport", "-lstdc++", "-lm"});
    if (O.Verbose)
      Cmd.push_back("-v"); // the linker's own command line too, as build systems parse it for implicit libraries
    if (O.Verbose || O.DryRun) {
      // The link in the form nvcc's -v shows it (host linker, objects, LIBRARIES, the CUDA runtime), which
      // build systems parse for the linker and its implicit libraries: here the linker is cuport-cc itself,
      // which adds libcuport and its run path; -lcudart names libcuport (lib/libcudart.so).
      errs() << "#$ " << L.Driver << " -o " << Out;
      for (auto &Obj : Objects)
        errs() << " " << Obj;
      errs() << " " << librariesLine() << "\n";
    }
    return exec(Cmd);
  }

  bool writeFile(const std::string &Path, const std::string &Bytes) {
    std::ofstream F(Path, std::ios::binary);
    F.write(Bytes.data(), Bytes.size());
    if (!F) {
      errs() << "cuport-cc: error: cannot write " << Path << "\n";
      return false;
    }
    return true;
  }

  bool readFile(const std::string &Path, std::string &Bytes) {
    auto Buf = MemoryBuffer::getFile(Path);
    if (!Buf) {
      errs() << "cuport-cc: error: cannot read " << Path << "\n";
      return false;
    }
    Bytes = (*Buf)->getBuffer().str();
    return true;
  }
};

} // namespace
} // namespace cuport

int main(int argc, char **argv) {
  llvm::InitLLVM X(argc, argv);
  std::vector<std::string> Args(argv + 1, argv + argc);
  cuport::DriverOptions O = cuport::parseCommandLine(Args);
  return cuport::Driver(std::move(O), cuport::findLayout(argv[0])).run();
}

#include "Options.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sys/stat.h>
#include <sstream>

namespace cuport {

namespace {

bool endsWith(const std::string &S, const std::string &Suffix) {
  return S.size() >= Suffix.size() && S.compare(S.size() - Suffix.size(), Suffix.size(), Suffix) == 0;
}

std::vector<std::string> splitCommas(const std::string &S) {
  std::vector<std::string> Out;
  std::stringstream SS(S);
  std::string Item;
  while (std::getline(SS, Item, ','))
    if (!Item.empty())
      Out.push_back(Item);
  return Out;
}

InputKind kindOf(const std::string &Path, const std::string &ForcedLanguage) {
  if (endsWith(Path, ".o") || endsWith(Path, ".a") || endsWith(Path, ".so") || Path.find(".so.") != std::string::npos)
    return InputKind::Object;
  if (ForcedLanguage == "cu" || endsWith(Path, ".cu"))
    return InputKind::Cuda;
  if (ForcedLanguage == "c" || (ForcedLanguage.empty() && endsWith(Path, ".c")))
    return InputKind::C;
  return InputKind::Cxx;
}

// Options that take a value: nvcc spelling -> canonical name.  Values may follow as the next argument,
// after '=', or (single-letter ones) attached.
const std::map<std::string, std::string> &valueOptions() {
  static const std::map<std::string, std::string> M = {
      {"-o", "o"}, {"--output-file", "o"},
      {"-I", "I"}, {"--include-path", "I"}, {"-isystem", "isystem"}, {"--system-include", "isystem"},
      {"-include", "include"}, {"--pre-include", "include"},
      {"-D", "D"}, {"--define-macro", "D"}, {"-U", "U"}, {"--undefine-macro", "U"},
      {"-L", "L"}, {"--library-path", "L"}, {"-l", "l"}, {"--library", "l"},
      {"-std", "std"}, {"--std", "std"}, {"-x", "x"}, {"--x", "x"},
      {"-Xcompiler", "Xcompiler"}, {"--compiler-options", "Xcompiler"},
      {"-Xlinker", "Xlinker"}, {"--linker-options", "Xlinker"},
      {"-Xptxas", "ignored"}, {"--ptxas-options", "ignored"}, {"-Xnvlink", "ignored"}, {"--nvlink-options", "ignored"},
      {"-Xarchive", "ignored"}, {"--archive-options", "ignored"},
      {"-arch", "ignored-gpu"}, {"--gpu-architecture", "ignored-gpu"}, {"-code", "ignored-gpu"},
      {"--gpu-code", "ignored-gpu"}, {"-gencode", "ignored-gpu"}, {"--generate-code", "ignored-gpu"},
      {"-ccbin", "ignored"}, {"--compiler-bindir", "ignored"}, {"-maxrregcount", "ignored"},
      {"--maxrregcount", "ignored"}, {"-cudart", "ignored"}, {"--cudart", "ignored"},
      {"--keep-dir", "keep-dir"}, {"-keep-dir", "keep-dir"}, {"-MF", "MF"}, {"-MT", "MT"}, {"-MQ", "MQ"},
      {"-O", "O"}, {"--optimize", "O"}, {"-dopt", "dopt"}, {"--dopt", "dopt"},
      {"--cpu-target", "cpu-target"}, {"--cpu-vector-width", "cpu-vector-width"},
      {"--cuport-targets", "cuport-targets"},
      {"--offload-arch", "offload-arch"}, {"--amdgpu-target", "offload-arch"}, {"-rdc", "rdc"}, {"--relocatable-device-code", "rdc"},
      {"--default-stream", "ignored"}, {"-default-stream", "ignored"}, {"--threads", "ignored"},
      {"-t", "ignored"}, {"--fmad", "ignored"}, {"-fmad", "ignored"}, {"-ftz", "ignored"}, {"--ftz", "ignored"},
      {"-prec-div", "ignored"}, {"--prec-div", "ignored"}, {"-prec-sqrt", "ignored"}, {"--prec-sqrt", "ignored"},
      {"--diag-suppress", "ignored"}, {"-diag-suppress", "ignored"}, {"-Wno-deprecated-gpu-targets", "flag-ignored"},
  };
  return M;
}

// Splits an options file (nvcc --options-file) into arguments: whitespace separates them, single and
// double quotes group, a backslash escapes the next character.
bool readOptionsFile(const std::string &Path, std::vector<std::string> &Out) {
  // A regular file of at most 16 MiB: '@/dev/zero' must be an error, not an endless read.
  struct stat St;
  if (::stat(Path.c_str(), &St) != 0 || !S_ISREG(St.st_mode) || St.st_size > (16 << 20))
    return false;
  std::ifstream F(Path);
  if (!F)
    return false;
  std::string Text((std::istreambuf_iterator<char>(F)), std::istreambuf_iterator<char>());
  std::string Cur;
  bool InArg = false;
  char Quote = 0;
  for (size_t I = 0; I < Text.size(); ++I) {
    char C = Text[I];
    if (Quote) {
      if (C == Quote)
        Quote = 0;
      else if (C == '\\' && Quote == '"' && I + 1 < Text.size())
        Cur += Text[++I];
      else
        Cur += C;
    } else if (C == '"' || C == '\'') {
      Quote = C;
      InArg = true;
    } else if (C == '\\' && I + 1 < Text.size()) {
      Cur += Text[++I];
      InArg = true;
    } else if (std::isspace(static_cast<unsigned char>(C))) {
      if (InArg)
        Out.push_back(Cur);
      Cur.clear();
      InArg = false;
    } else {
      Cur += C;
      InArg = true;
    }
  }
  if (InArg)
    Out.push_back(Cur);
  return true;
}

// Expands --options-file / -optf / @file arguments in place (files may name further files, up to a depth).
std::vector<std::string> expandOptionsFiles(const std::vector<std::string> &Args, std::vector<std::string> &Errors,
                                            int Depth = 0) {
  std::vector<std::string> Out;
  for (size_t I = 0; I < Args.size(); ++I) {
    const std::string &A = Args[I];
    std::string File;
    bool IsFileOpt = false;
    if (A.size() > 1 && A[0] == '@') { // @file, as GCC and Clang take it (CMake links with it)
      IsFileOpt = true;
      File = A.substr(1);
    }
    for (const char *Name : {"--options-file", "-optf"}) {
      std::string N = Name;
      if (A == N) {
        IsFileOpt = true;
        if (I + 1 < Args.size())
          File = Args[++I];
        else
          Errors.push_back("option '" + N + "' needs a value");
      } else if (A.rfind(N + "=", 0) == 0) {
        IsFileOpt = true;
        File = A.substr(N.size() + 1);
      }
    }
    if (!IsFileOpt) {
      Out.push_back(A);
      continue;
    }
    if (File.empty())
      continue;
    std::vector<std::string> Inner;
    if (Depth > 8)
      Errors.push_back("--options-file: '" + File + "' nests options files too deeply");
    else if (!readOptionsFile(File, Inner))
      Errors.push_back("--options-file: cannot read '" + File + "' (it must be a regular file of at most 16 MiB)");
    else
      for (auto &X : expandOptionsFiles(Inner, Errors, Depth + 1))
        Out.push_back(X);
  }
  return Out;
}

// nvcc's -Werror takes a kind of warning as its value.
bool isWerrorKind(const std::string &S) {
  static const std::set<std::string> Kinds = {"all-warnings", "cross-execution-space-call", "reorder",
                                              "default-stream-launch", "missing-launch-bounds",
                                              "ext-lambda-captures-this", "deprecated-declarations"};
  for (auto &K : splitCommas(S))
    if (!Kinds.count(K))
      return false;
  return !S.empty();
}

} // namespace

DriverOptions parseCommandLine(const std::vector<std::string> &RawArgs) {
  DriverOptions O;
  std::string ForcedLanguage;
  std::set<std::string> Noted;
  bool OptGiven = false;
  auto Note = [&](const std::string &Opt, const std::string &Why, bool VerboseOnly = false) {
    if (Noted.insert(Opt).second)
      (VerboseOnly ? O.VerboseNotes : O.Notes).push_back("ignoring '" + Opt + "': " + Why);
  };
  const std::vector<std::string> Args = expandOptionsFiles(RawArgs, O.Errors);
  bool ForwardUnknown = false;
  for (auto &A : Args)
    if (A == "-forward-unknown-to-host-compiler" || A == "--forward-unknown-to-host-compiler")
      ForwardUnknown = true;

  for (size_t I = 0; I < Args.size(); ++I) {
    std::string A = Args[I];
    if (A.empty())
      continue;
    if (A[0] != '-' || A == "-") {
      O.Inputs.push_back({A, kindOf(A, ForcedLanguage)});
      continue;
    }
    // Flags without values.
    if (A == "-c" || A == "--compile") { O.CompileOnly = true; continue; }
    if (A == "-shared" || A == "--shared") { O.Shared = true; continue; }
    if (A == "-g" || A == "--debug") { O.Debug = true; continue; }
    if (A == "-G" || A == "--device-debug") { O.DeviceDebug = true; continue; }
    if (A == "-lineinfo" || A == "--generate-line-info") { O.LineInfo = true; continue; }
    if (A == "--memcheck" || A == "-memcheck") { O.Memcheck = true; continue; }
    if (A == "-v" || A == "--verbose") { O.Verbose = true; continue; }
    if (A == "-dryrun" || A == "--dryrun") { O.DryRun = true; continue; }
    if (A == "-keep" || A == "--keep") { O.Keep = true; continue; }
    if (A == "--version" || A == "-V") { O.ShowVersion = true; continue; }
    if (A == "-h" || A == "--help") { O.ShowHelp = true; continue; }
    if (A == "-w" || A == "--disable-warnings") { O.HostFlags.push_back("-w"); continue; }
    if (A == "-m64" || A == "--machine=64") continue;
    if (A == "-forward-unknown-to-host-compiler" || A == "--forward-unknown-to-host-compiler") continue;
    if (A == "-Werror" || A == "--Werror") {
      // nvcc: -Werror <kind>[,<kind>]; any of them makes the host pass treat warnings as errors.
      if (I + 1 < Args.size() && isWerrorKind(Args[I + 1]))
        ++I;
      O.HostFlags.push_back("-Werror");
      continue;
    }
    if (A.rfind("-Wl,", 0) == 0) { O.LinkFlags.push_back(A); continue; }
    if (A == "-rdynamic") { O.LinkFlags.push_back(A); continue; }
    if (A == "--expt-relaxed-constexpr" || A == "-expt-relaxed-constexpr" || A == "--expt-extended-lambda" ||
        A == "-expt-extended-lambda" || A == "--extended-lambda" || A == "-extended-lambda")
      continue; // Clang's CUDA mode allows both by default.
    if (A == "-use_fast_math" || A == "--use_fast_math") {
      Note(A, "device math keeps full precision on the CPU backend");
      continue;
    }
    if (A == "-dc" || A == "--device-c") {
      O.Relocatable = O.CompileOnly = true;
      continue;
    }
    if (A == "-dw" || A == "--device-w") {
      O.CompileOnly = true;
      continue;
    }
    if (A == "-dlink" || A == "--device-link") {
      O.DeviceLink = true;
      continue;
    }
    if (A == "-M" || A == "-MD" || A == "-MMD" || A == "-MP" || A == "-MM" || A == "--generate-dependencies" ||
        A == "--generate-nonsystem-dependencies" || A == "--generate-dependencies-with-compile") {
      static const std::map<std::string, std::string> Map = {{"--generate-dependencies", "-M"},
                                                             {"--generate-nonsystem-dependencies", "-MM"},
                                                             {"--generate-dependencies-with-compile", "-MD"}};
      auto It = Map.find(A);
      O.DependencyFlags.push_back(It == Map.end() ? A : It->second);
      continue;
    }
    if (A == "-fPIC" || A == "-fpic" || A == "-pthread" || A == "-fopenmp" || A.rfind("-W", 0) == 0 ||
        A.rfind("-march=", 0) == 0) {
      if (A == "-Wno-deprecated-gpu-targets" || A == "-Wno-deprecated-declarations")
        continue;
      O.HostFlags.push_back(A);
      continue;
    }
    if (A.size() == 3 && A[0] == '-' && A[1] == 'O' && A[2] >= '0' && A[2] <= '3') {
      O.HostOptLevel = A[2] - '0';
      OptGiven = true;
      continue;
    }
    if (A == "-O") { O.HostOptLevel = 2; OptGiven = true; continue; }

    // Options with values.
    std::string Name = A, Value;
    bool HasValue = false;
    auto Eq = A.find('=');
    if (Eq != std::string::npos && valueOptions().count(A.substr(0, Eq))) {
      Name = A.substr(0, Eq);
      Value = A.substr(Eq + 1);
      HasValue = true;
    }
    auto It = valueOptions().find(Name);
    if (It == valueOptions().end()) {
      // Attached single-letter forms: -Idir -DX -UX -Ldir -lfoo -ofile.
      static const char *Attached[] = {"-I", "-D", "-U", "-L", "-l", "-o"};
      for (const char *P : Attached)
        if (A.rfind(P, 0) == 0 && A.size() > 2) {
          Name = P;
          Value = A.substr(2);
          HasValue = true;
          It = valueOptions().find(Name);
          break;
        }
    }
    if (It == valueOptions().end()) {
      if (ForwardUnknown)
        O.HostFlags.push_back(A); // -forward-unknown-to-host-compiler, as nvcc does
      else
        O.Errors.push_back("unknown option '" + A + "'");
      continue;
    }
    if (It->second == "flag-ignored")
      continue;
    if (!HasValue) {
      if (I + 1 >= Args.size()) {
        O.Errors.push_back("option '" + A + "' needs a value");
        continue;
      }
      Value = Args[++I];
    }
    const std::string &C = It->second;
    if (C == "o") O.Output = Value;
    else if (C == "I") O.PreprocessorFlags.push_back("-I" + Value);
    else if (C == "isystem") { O.PreprocessorFlags.push_back("-isystem"); O.PreprocessorFlags.push_back(Value); }
    else if (C == "include") { O.PreprocessorFlags.push_back("-include"); O.PreprocessorFlags.push_back(Value); }
    else if (C == "D") for (auto &D : splitCommas(Value)) O.PreprocessorFlags.push_back("-D" + D);
    else if (C == "U") O.PreprocessorFlags.push_back("-U" + Value);
    else if (C == "L") O.LinkFlags.push_back("-L" + Value);
    else if (C == "l") {
      if (Value == "cudart" || Value == "cudart_static" || Value == "cudadevrt")
        continue; // libcuport is the CUDA runtime
      if (Value == "cuda")
        O.Errors.push_back("'-lcuda': the CUDA driver API library is not provided by cuport yet");
      else
        O.LinkFlags.push_back("-l" + Value);
    }
    else if (C == "std") O.Std = Value;
    else if (C == "x") {
      if (Value == "cu" || Value == "cuda") ForcedLanguage = "cu";
      else if (Value == "c++" || Value == "cpp") ForcedLanguage = "c++";
      else if (Value == "c") ForcedLanguage = "c";
      else if (Value == "none") ForcedLanguage.clear();
      else O.Errors.push_back("unsupported language '-x " + Value + "'");
    }
    else if (C == "Xcompiler") for (auto &F : splitCommas(Value)) O.HostFlags.push_back(F);
    else if (C == "Xlinker") for (auto &F : splitCommas(Value)) O.LinkFlags.push_back("-Wl," + F);
    else if (C == "keep-dir") { O.KeepDir = Value; O.Keep = true; }
    else if (C == "MF" || C == "MT" || C == "MQ") { O.DependencyFlags.push_back("-" + C); O.DependencyFlags.push_back(Value); }
    else if (C == "O") { O.HostOptLevel = std::clamp(std::atoi(Value.c_str()), 0, 3); OptGiven = true; }
    else if (C == "dopt") O.DeviceOptLevel = Value == "off" ? 0 : 3;
    else if (C == "cpu-target") O.CpuTarget = Value;
    else if (C == "cpu-vector-width") {
      if (Value == "128" || Value == "256" || Value == "512")
        O.CpuVectorWidth = unsigned(std::atoi(Value.c_str()));
      else
        O.Errors.push_back("'--cpu-vector-width=" + Value + "': expected 128, 256 or 512 (bits)");
    }
    else if (C == "cuport-targets") {
      // Which device images the fat binary carries besides the CPU one (always built: it is the reference).
      O.OpenCLImage = O.AMDGPUImage = O.PTXImage = false;
      for (auto &T : splitCommas(Value)) {
        if (T == "opencl") O.OpenCLImage = true;
        else if (T == "amdgcn") O.AMDGPUImage = true;
        else if (T == "ptx") O.PTXImage = true;
        else if (T != "cpu")
          O.Errors.push_back("'--cuport-targets': unknown target '" + T + "' (cpu, opencl, amdgcn, ptx)");
      }
    }
    else if (C == "offload-arch") {
      // AMD GPU architectures of the amdgcn image (HIP backend); "none" leaves the image out.
      for (auto &T : splitCommas(Value))
        O.OffloadArchs += (O.OffloadArchs.empty() ? "" : ",") + T;
    }
    else if (C == "rdc") {
      if (Value == "true")
        O.Relocatable = true;
      else if (Value != "false")
        O.Errors.push_back("'-rdc=" + Value + "': expected true or false");
    }
    else if (C == "ignored-gpu") Note(Name, "cuport compiles device code for its own targets", true);
    else Note(Name, "not meaningful for cuport");
  }
  (void)OptGiven;
  if (O.OffloadArchs == "none") {
    O.AMDGPUImage = false;
    O.OffloadArchs.clear();
  } else if (!O.OffloadArchs.empty()) {
    O.AMDGPUImage = true;
  }
  if (O.DeviceDebug)
    O.DeviceOptLevel = 0;
  if (O.DeviceDebug)
    O.Memcheck = true; // -G: device debugging includes memcheck's instrumentation
  return O;
}

} // namespace cuport

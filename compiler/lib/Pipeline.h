// The CPU lowering pipeline: NVPTX IR from Clang's CUDA device pass -> a host object file with one block
// function per kernel, plus the manifest metadata.  The module is verified after every pass, so a bug in
// a pass is reported as such instead of surfacing as a code-generator crash.
#ifndef CUPORT_COMPILER_PIPELINE_H
#define CUPORT_COMPILER_PIPELINE_H

#include "Passes.h"

#include "llvm/Passes/OptimizationLevel.h"
#include "llvm/Support/CodeGen.h"

#include <memory>
#include <string>

namespace llvm {
class Module;
class TargetMachine;
} // namespace llvm

namespace cuport {

struct CpuTargetOptions {
  int OptLevel = 2;          // 0..3
  std::string CPU = "native"; // "native" or an LLVM CPU name (x86-64, x86-64-v3, skylake, ...)
  // The widest vectors (bits) the device code may use where the CPU has them (setVectorWidth).  The
  // work-item loops are data-parallel: 512 on an AVX-512 CPU, although LLVM's tuning for Intel's AVX-512
  // CPUs prefers 256 for general code (the 2D stencil of the benchmark suite: 13.4 -> 12.0 ms).
  unsigned VectorWidth = 512;
  bool VerifyEachPass = true;
  bool Memcheck = false;      // --memcheck / -G: run instrumentMemcheck (checked accesses, docs/memcheck.md)
};

// cuport's device optimization level (0..3, -O3 unless -G or -dopt) as LLVM's code-generation level and as
// its middle-end level (1..3; level 0 takes the O0 pipeline instead), for every target.
llvm::CodeGenOpt::Level codeGenLevel(int OptLevel);
llvm::OptimizationLevel optimizationLevel(int OptLevel);

std::unique_ptr<llvm::TargetMachine> createCpuTargetMachine(const CpuTargetOptions &Opts, std::string &Error);

// Runs passes 1-6 and the optimization pipeline on M.  Fills Record (manifest data).
bool lowerModuleForCpu(llvm::Module &M, llvm::TargetMachine &TM, const CpuTargetOptions &Opts,
                       ModuleRecord &Record, Diagnostics &Diags);

// Emits M as an ELF object file.
bool emitObject(llvm::Module &M, llvm::TargetMachine &TM, std::string &Object, std::string &Error);

// Runs one pass by name (cuport-opt); false if the name is unknown.
bool runPassByName(const std::string &Name, llvm::Module &M, llvm::TargetMachine &TM, Diagnostics &Diags,
                   bool &Known);

} // namespace cuport

#endif

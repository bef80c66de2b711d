// Runs a new-pass-manager module pipeline with the analysis managers registered and cross-wired, so the
// passes that call LLVM pipelines (simplify, optimize, the always-inliner) share one way to do it.
#ifndef CUPORT_COMPILER_PASSRUNNER_H
#define CUPORT_COMPILER_PASSRUNNER_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"

namespace cuport {

// `Build` adds passes to the ModulePassManager (it may use the PassBuilder's pipelines).
inline void runModulePipeline(llvm::Module &M, llvm::PassBuilder &PB,
                              llvm::function_ref<void(llvm::PassBuilder &, llvm::ModulePassManager &)> Build) {
  llvm::LoopAnalysisManager LAM;
  llvm::FunctionAnalysisManager FAM;
  llvm::CGSCCAnalysisManager CGAM;
  llvm::ModuleAnalysisManager MAM;
  PB.registerModuleAnalyses(MAM);
  PB.registerCGSCCAnalyses(CGAM);
  PB.registerFunctionAnalyses(FAM);
  PB.registerLoopAnalyses(LAM);
  PB.crossRegisterProxies(LAM, FAM, CGAM, MAM);
  llvm::ModulePassManager MPM;
  Build(PB, MPM);
  MPM.run(M, MAM);
}

} // namespace cuport

#endif

#include "Pipeline.h"
#include "Diagnostics.h"
#include "LinePrefetches.h"
#include "PassRunner.h"
#include "Prefetches.h"
#include "PseudoIntrinsics.h"
#include "StoreGroups.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/Host.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/Transforms/IPO/AlwaysInliner.h"
#include "llvm/Transforms/InstCombine/InstCombine.h"
#include "llvm/Transforms/Scalar/EarlyCSE.h"
#include "llvm/Transforms/Scalar/IndVarSimplify.h"
#include "llvm/Transforms/Scalar/LoopPassManager.h"
#include "llvm/Transforms/Scalar/LoopRotation.h"
#include "llvm/Transforms/Scalar/LoopUnrollPass.h"
#include "llvm/Transforms/Scalar/SROA.h"
#include "llvm/Transforms/Scalar/SimplifyCFG.h"
#include "llvm/Transforms/Utils/LoopUtils.h"

using namespace llvm;

namespace cuport {

CodeGenOpt::Level codeGenLevel(int OptLevel) {
  return OptLevel <= 0 ? CodeGenOpt::None
         : OptLevel == 1 ? CodeGenOpt::Less
         : OptLevel == 2 ? CodeGenOpt::Default
                         : CodeGenOpt::Aggressive;
}

OptimizationLevel optimizationLevel(int OptLevel) {
  return OptLevel <= 1 ? OptimizationLevel::O1 : OptLevel == 2 ? OptimizationLevel::O2 : OptimizationLevel::O3;
}

std::unique_ptr<TargetMachine> createCpuTargetMachine(const CpuTargetOptions &Opts, std::string &Error) {
  InitializeNativeTarget();
  InitializeNativeTargetAsmPrinter();
  std::string Triple = sys::getDefaultTargetTriple();
  const Target *T = TargetRegistry::lookupTarget(Triple, Error);
  if (!T)
    return nullptr;
  std::string CPU = Opts.CPU, Features;
  if (CPU == "native") {
    CPU = sys::getHostCPUName().str();
    StringMap<bool> HostFeatures;
    if (sys::getHostCPUFeatures(HostFeatures))
      for (auto &F : HostFeatures)
        Features += (Features.empty() ? "" : ",") + std::string(F.second ? "+" : "-") + F.first().str();
  }
  TargetOptions TO;
  TO.AllowFPOpFusion = FPOpFusion::Standard; // honours `contract` (CUDA's default -fmad=true)
  CodeGenOpt::Level CG = codeGenLevel(Opts.OptLevel);
  std::unique_ptr<TargetMachine> TM(
      T->createTargetMachine(Triple, CPU, Features, TO, Reloc::PIC_, CodeModel::Small, CG));
  if (!TM)
    Error = "cannot create a target machine for " + Triple + " (" + CPU + ")";
  return TM;
}

namespace {

struct PassEntry {
  const char *Name;
  bool (*Run)(Module &, TargetMachine &, Diagnostics &);
};

// The second full-unroll round of simplify (below) leaves alone the loops that contain a barrier or a
// collective and run more than MaxSyncUnroll times: each copy of a barrier becomes a region of the block
// function (with its row-uniform and predicted copies), so unrolling those would multiply code and
// compile time (a conformance file with lane loops of 32 shuffles compiled 3x slower).  Held loops get
// llvm.loop.unroll.disable and a marker, both removed after the round.
constexpr unsigned MaxSyncUnroll = 16;
constexpr const char *HeldMarker = "cuport.unroll.held";

struct HoldSyncLoopsPass : PassInfoMixin<HoldSyncLoopsPass> {
  bool Hold; // false: release the loops held before
  explicit HoldSyncLoopsPass(bool Hold) : Hold(Hold) {}
  static bool hasSync(const Loop &L) {
    for (const BasicBlock *BB : L.blocks())
      for (const Instruction &I : *BB)
        if (auto *CB = dyn_cast<CallBase>(&I); CB && isSyncPseudo(CB->getCalledFunction()))
          return true;
    return false;
  }
  PreservedAnalyses run(Function &F, FunctionAnalysisManager &FAM) {
    LoopInfo &LI = FAM.getResult<LoopAnalysis>(F);
    ScalarEvolution &SE = FAM.getResult<ScalarEvolutionAnalysis>(F);
    for (Loop *L : LI.getLoopsInPreorder()) {
      if (Hold) {
        if (findStringMetadataForLoop(L, "llvm.loop.unroll.disable") || !hasSync(*L))
          continue;
        unsigned Trips = SE.getSmallConstantTripCount(L);
        if (Trips && Trips <= MaxSyncUnroll)
          continue;
        addStringMetadataToLoop(L, "llvm.loop.unroll.disable", 1); // (a 0 would mean "not disabled")
        addStringMetadataToLoop(L, HeldMarker, 1);
      } else if (findStringMetadataForLoop(L, HeldMarker)) {
        L->setLoopID(makePostTransformationMetadata(F.getContext(), L->getLoopID(),
                                                    {HeldMarker, "llvm.loop.unroll.disable"}, {}));
      }
    }
    return PreservedAnalyses::all(); // loop metadata only
  }
};

// Clean up Clang's unoptimized output before the work-item loops: values in SSA registers instead of
// allocas keep the per-thread frames small.
bool simplify(Module &M, TargetMachine &TM, Diagnostics &) {
  PassBuilder PB(&TM);
  runModulePipeline(M, PB, [](PassBuilder &, ModulePassManager &MPM) {
    FunctionPassManager FPM;
    FPM.addPass(SROAPass());
    FPM.addPass(EarlyCSEPass(true));
    FPM.addPass(InstCombinePass());
    FPM.addPass(SimplifyCFGPass());
    FPM.addPass(SROAPass());
    // Loops with a small constant trip count unrolled now rather than in the optimizer, so that the work-item
    // loops see their copies: `if (i < n)` with i = blockIdx.x * 2048 + threadIdx.x + k * 256 is a
    // row-uniform guard once k is a constant (UniformGuards.h), and a shuffle in `for (offset = 16; offset
    // > 0; offset >>= 1)` becomes sites with constant lane operands.  Loops with barriers too: leaving them
    // alone made the shuffle reduction 1.2x slower and the tree reduction 1.3x.
    // Two rounds: -O2's size threshold, then -O3's for loops without barriers and collectives or with at
    // most MaxSyncUnroll trips.  The second unrolls a tiled matmul's 16-step inner product and a Blelloch
    // scan's two loops of 9 barrier steps, whose regions then have constant strides and offsets instead of
    // values from uniform.in (bench: matmul 80-88 -> 55-68 ms, scan 84-90 -> 48-60 ms).
    LoopPassManager LPM;
    LPM.addPass(LoopRotatePass());
    LPM.addPass(IndVarSimplifyPass());
    LPM.addPass(LoopFullUnrollPass(2));
    FPM.addPass(createFunctionToLoopPassAdaptor(std::move(LPM)));
    FPM.addPass(HoldSyncLoopsPass(true));
    FPM.addPass(createFunctionToLoopPassAdaptor(LoopFullUnrollPass(3)));
    FPM.addPass(HoldSyncLoopsPass(false));
    FPM.addPass(InstCombinePass());
    FPM.addPass(SimplifyCFGPass());
    MPM.addPass(createModuleToFunctionPassAdaptor(std::move(FPM)));
  });
  return true;
}

const PassEntry Passes[] = {
    // cuport-cc runs it before writing the GPU images too (they share the manifest); here it is a no-op.
    {"lower-managed-variables",
     [](Module &M, TargetMachine &, Diagnostics &D) { return lowerManagedVariables(M, D); }},
    {"collect-kernels", [](Module &M, TargetMachine &, Diagnostics &D) { return collectKernels(M, D); }},
    {"retarget-to-host", [](Module &M, TargetMachine &TM, Diagnostics &D) { return retargetToHost(M, TM, D); }},
    // Only with CpuTargetOptions::Memcheck: shared memory is still addrspace(3) globals and threadIdx still
    // nvvm special registers here, so the passes below lower what it inserts.
    {"memcheck", [](Module &M, TargetMachine &, Diagnostics &D) { return instrumentMemcheck(M, D); }},
    {"lower-nvvm-intrinsics",
     [](Module &M, TargetMachine &, Diagnostics &D) { return lowerNVVMIntrinsics(M, D); }},
    {"inline-context-functions",
     [](Module &M, TargetMachine &, Diagnostics &D) { return inlineContextFunctions(M, D); }},
    {"lower-shared-atomics", [](Module &M, TargetMachine &, Diagnostics &D) { return lowerSharedAtomics(M, D); }},
    {"lower-shared-memory", [](Module &M, TargetMachine &, Diagnostics &D) { return lowerSharedMemory(M, D); }},
    {"simplify", simplify},
    {"work-item-loops",
     [](Module &M, TargetMachine &TM, Diagnostics &D) {
       return formWorkItemLoops(M, D, TM.getOptLevel() >= CodeGenOpt::Default);
     }},
};

bool verify(Module &M, const char *After, Diagnostics &Diags) {
  std::string Msg;
  raw_string_ostream OS(Msg);
  if (!verifyModule(M, &OS))
    return true;
  Diags.error(Twine("internal error: invalid IR after the ") + After + " pass: " + OS.str());
  return false;
}

struct ParallelScopeDeclsPass : PassInfoMixin<ParallelScopeDeclsPass> {
  PreservedAnalyses run(Function &F, FunctionAnalysisManager &FAM) {
    markParallelScopeDecls(F, FAM.getResult<LoopAnalysis>(F));
    return PreservedAnalyses::all(); // metadata only
  }
};

// A step of the optimizer over F's loops that returns how many changes it made (before the vectorizer:
// hoistLinePrefetches, the in-order loops' prefetches as one per line before the loop, LinePrefetches.h;
// completeStoreGroups, write-backs that complete store groups in loops annotated parallel, StoreGroups.h).
template <unsigned (*Step)(Function &, LoopInfo &, ScalarEvolution &)>
struct LoopStepPass : PassInfoMixin<LoopStepPass<Step>> {
  PreservedAnalyses run(Function &F, FunctionAnalysisManager &FAM) {
    unsigned N = Step(F, FAM.getResult<LoopAnalysis>(F), FAM.getResult<ScalarEvolutionAnalysis>(F));
    return N ? PreservedAnalyses::none() : PreservedAnalyses::all();
  }
};

// After the vectorizer: __cuport_prefetch calls become llvm.prefetch (Prefetches.h).
struct PrefetchesPass : PassInfoMixin<PrefetchesPass> {
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &) {
    return lowerPrefetches(M) ? PreservedAnalyses::none() : PreservedAnalyses::all();
  }
};

struct UniformMasksPass : PassInfoMixin<UniformMasksPass> {
  PreservedAnalyses run(Function &F, FunctionAnalysisManager &) {
    return branchOnUniformMasks(F) ? PreservedAnalyses::none() : PreservedAnalyses::all();
  }
};

void optimize(Module &M, TargetMachine &TM, int Level) {
  PipelineTuningOptions PTO;
  PTO.LoopVectorization = Level >= 2;
  PTO.SLPVectorization = Level >= 2;
  PassBuilder PB(&TM, PTO);
  PB.registerVectorizerStartEPCallback(
      [](FunctionPassManager &FPM, OptimizationLevel) {
        FPM.addPass(LoopStepPass<hoistLinePrefetches>());
        FPM.addPass(ParallelScopeDeclsPass());
        FPM.addPass(LoopStepPass<completeStoreGroups>());
      });
  // After the vectorizer and its clean-up; the branches it adds stay (their loads may fault).
  // The thread functions (WorkItemLoops.cpp: K.wi and its row-uniform copies, all alwaysinline) go into
  // the block function's region loops before the inter-procedural passes see them.  LLVM 15 runs its
  // mandatory inlining inside the same bottom-up walk as the other CGSCC passes, so at -O3 argument
  // promotion would first rewrite a thread function's `ctx` parameter into loads at each call site: loads
  // without the thread function's !invariant.load and access-group metadata, inside the region loops.
  // Such a loop is no longer annotated parallel, and LICM may not hoist the loads, so a saxpy's row loop
  // stayed scalar (2x slower than at -O2).  After the early clean-up (SROA, EarlyCSE, SimplifyCFG), so
  // each inlined copy starts small.
  PB.registerPipelineEarlySimplificationEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel) { MPM.addPass(AlwaysInlinerPass()); });
  PB.registerOptimizerLastEPCallback([](ModulePassManager &MPM, OptimizationLevel) {
    MPM.addPass(PrefetchesPass());
    MPM.addPass(createModuleToFunctionPassAdaptor(UniformMasksPass()));
  });
  runModulePipeline(M, PB, [Level](PassBuilder &PB, ModulePassManager &MPM) {
    if (Level == 0) {
      MPM = PB.buildO0DefaultPipeline(OptimizationLevel::O0);
      MPM.addPass(AlwaysInlinerPass());
      MPM.addPass(PrefetchesPass());
      return;
    }
    MPM = PB.buildPerModuleDefaultPipeline(optimizationLevel(Level));
  });
}

} // namespace

bool runPassByName(const std::string &Name, Module &M, TargetMachine &TM, Diagnostics &Diags, bool &Known) {
  for (const PassEntry &P : Passes)
    if (Name == P.Name) {
      Known = true;
      return P.Run(M, TM, Diags) && verify(M, P.Name, Diags);
    }
  // The optimizer's own steps, alone (optimize() runs them at their extension points).
  if (Name == "branch-on-uniform-masks") {
    Known = true;
    for (Function &F : M)
      if (!F.isDeclaration())
        branchOnUniformMasks(F);
    return verify(M, "branch-on-uniform-masks", Diags);
  }
  Known = false;
  return false;
}

bool lowerModuleForCpu(Module &M, TargetMachine &TM, const CpuTargetOptions &Opts, ModuleRecord &Record,
                       Diagnostics &Diags) {
  for (const PassEntry &P : Passes) {
    if (std::string(P.Name) == "simplify" && Opts.OptLevel == 0)
      continue;
    if (std::string(P.Name) == "memcheck" && !Opts.Memcheck)
      continue;
    if (!P.Run(M, TM, Diags))
      return false;
    if (Opts.VerifyEachPass && !verify(M, P.Name, Diags))
      return false;
    if (std::string(P.Name) == "retarget-to-host") {
      setVectorWidth(M, Opts.VectorWidth);
      Record = describeModule(M);
    }
  }
  optimize(M, TM, Opts.OptLevel);
  return verify(M, "optimization", Diags);
}

bool emitObject(Module &M, TargetMachine &TM, std::string &Object, std::string &Error) {
  SmallVector<char, 0> Buffer;
  raw_svector_ostream OS(Buffer);
  legacy::PassManager PM;
  if (TM.addPassesToEmitFile(PM, OS, nullptr, CGFT_ObjectFile)) {
    Error = "the target cannot emit object files";
    return false;
  }
  PM.run(M);
  Object.assign(Buffer.begin(), Buffer.end());
  return true;
}

} // namespace cuport

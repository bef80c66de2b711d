// Next-block prefetches: see BlockPrefetches.h.
#include "BlockPrefetches.h"
#include "Prefetches.h"
#include "PseudoIntrinsics.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/Triple.h"
#include "llvm/Analysis/AssumptionCache.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/Analysis/ScalarEvolutionExpressions.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/GetElementPtrTypeIterator.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"

#include <cstdlib> // std::abs
#include <optional>

using namespace llvm;

namespace cuport {

namespace {

constexpr unsigned MaxDepth = 16;
constexpr unsigned MaxPrefetches = 8;
// Below this, the next block's data lies in the pair of cache lines the L2 cache fetches together.
constexpr int64_t MinDistance = 128; // bytes

class NextBlock {
public:
  NextBlock(Function &WI, unsigned NumParams, Argument *BidX, ArrayRef<Argument *> Leaves)
      : WI(WI), NumParams(NumParams), BidX(BidX) {
    this->Leaves.insert(Leaves.begin(), Leaves.end());
  }

  unsigned run() {
    if (!hasSync())
      return 0;
    SmallVector<std::pair<Instruction *, Value *>, 8> Accesses; // access, its address
    for (Instruction &I : instructions(WI)) {
      Value *P = nullptr;
      if (auto *L = dyn_cast<LoadInst>(&I); L && L->isSimple())
        P = L->getPointerOperand();
      else if (auto *S = dyn_cast<StoreInst>(&I); S && S->isSimple())
        P = S->getPointerOperand();
      auto *Base = P ? dyn_cast<Argument>(getUnderlyingObject(P, MaxDepth)) : nullptr;
      if (Base && Base->getArgNo() < NumParams && dependsOnBid(P) && computable(P))
        Accesses.push_back({&I, P});
    }
    if (Accesses.empty())
      return 0;
    TargetLibraryInfoImpl TLII(Triple(WI.getParent()->getTargetTriple()));
    TargetLibraryInfo TLI(TLII);
    AssumptionCache AC(WI);
    DominatorTree DT(WI);
    LoopInfo LI(DT);
    unsigned Count = 0;
    ScalarEvolution SE(WI, TLI, AC, DT, LI);
    SmallVector<Value *, 8> Done; // the addresses prefetched for
    for (auto [I, P] : Accesses) {
      if (Count == MaxPrefetches)
        break;
      // The next block's address must be far enough (a constant distance below MinDistance bytes, or an
      // unknown one, as with blockIdx.x * blockDim.x), and not share a cache line with an address
      // prefetched for already (the fields of a float4: ScalarEvolution finds their distance).
      std::optional<int64_t> Distance = bidCoefficient(P);
      if (Distance && std::abs(*Distance) < MinDistance)
        continue;
      if (any_of(Done, [&](Value *Q) {
            auto *D = dyn_cast<SCEVConstant>(SE.getMinusSCEV(SE.getSCEV(P), SE.getSCEV(Q)));
            return D && D->getAPInt().abs().slt(64);
          }))
        continue;
      Done.push_back(P);
      IRBuilder<> B(I);
      Cloned.clear();
      // A constant distance: the access's own address plus it (one addition, often folded into the
      // prefetch's addressing; recomputing the index took four vector instructions per prefetch).
      Value *Next = Distance ? B.CreateGEP(B.getInt8Ty(), P, B.getInt64(*Distance), "next.block")
                             : atNextBlock(B, P);
      createPrefetch(B, Next, /*Write=*/isa<StoreInst>(I));
      ++Count;
    }
    return Count;
  }

private:
  Function &WI;
  unsigned NumParams;
  Argument *BidX;
  SmallPtrSet<Argument *, 8> Leaves;
  DenseMap<Value *, bool> Depends;
  DenseMap<Value *, Value *> Cloned; // per access: V -> V at blockIdx.x + 1

  bool hasSync() {
    for (Instruction &I : instructions(WI))
      if (auto *CI = dyn_cast<CallInst>(&I))
        if (isSyncPseudo(CI->getCalledFunction()))
          return true;
    return false;
  }

  bool dependsOnBid(Value *V, unsigned Depth = 0) {
    if (V == BidX)
      return true;
    auto *I = dyn_cast<Instruction>(V);
    if (!I || Depth > MaxDepth)
      return false;
    auto [It, New] = Depends.try_emplace(V, false);
    if (!New)
      return It->second;
    bool D = any_of(I->operands(), [&](Value *Op) { return dependsOnBid(Op, Depth + 1); });
    Depends[V] = D;
    return D;
  }

  // Whether V can be recomputed for another block right where it is used: a pure function of the kernel's
  // arguments, the leaves and invariant loads (blockDim, gridDim), safe to compute anywhere.
  bool computable(Value *V, unsigned Depth = 0) {
    if (isa<Constant>(V))
      return true;
    if (auto *A = dyn_cast<Argument>(V))
      return A->getArgNo() < NumParams || A == BidX || Leaves.count(A);
    auto *I = dyn_cast<Instruction>(V);
    if (!I || Depth > MaxDepth || isa<PHINode>(I))
      return false;
    if (!dependsOnBid(I))
      return true; // used as it is: it is already computed where the access is
    if (I->mayReadOrWriteMemory() || !isSafeToSpeculativelyExecute(I))
      return false;
    return all_of(I->operands(), [&](Value *Op) { return computable(Op, Depth + 1); });
  }

  // By how much V grows when blockIdx.x grows by one (V depends on it, as computable says): a constant,
  // in bytes for an address; none where that is not a constant (a multiple of blockDim.x or of a kernel
  // argument) or not affine.
  std::optional<int64_t> bidCoefficient(Value *V, unsigned Depth = 0) {
    if (V == BidX)
      return 1;
    auto *I = dyn_cast<Instruction>(V);
    if (!I || !dependsOnBid(I))
      return 0;
    if (Depth > MaxDepth)
      return std::nullopt;
    auto Op = [&](unsigned K) { return bidCoefficient(I->getOperand(K), Depth + 1); };
    auto ConstOp = [&](unsigned K) -> std::optional<int64_t> {
      auto *C = dyn_cast<ConstantInt>(I->getOperand(K));
      return C && C->getBitWidth() <= 64 ? std::optional<int64_t>(C->getSExtValue()) : std::nullopt;
    };
    std::optional<int64_t> A, B;
    switch (I->getOpcode()) {
    case Instruction::Add:
    case Instruction::Sub:
      A = Op(0), B = Op(1);
      if (!A || !B)
        return std::nullopt;
      return I->getOpcode() == Instruction::Add ? *A + *B : *A - *B;
    case Instruction::Or: // of low bits a shift left clear: an addition
      if (!ConstOp(1))
        return std::nullopt;
      return Op(0);
    case Instruction::Mul:
      if ((B = ConstOp(1)) && (A = Op(0)))
        return *A * *B;
      if ((B = ConstOp(0)) && (A = Op(1)))
        return *A * *B;
      return std::nullopt; // times a variable
    case Instruction::Shl:
      if ((B = ConstOp(1)) && *B >= 0 && *B < 32 && (A = Op(0)))
        return *A * (int64_t(1) << *B);
      return std::nullopt;
    case Instruction::SExt:
    case Instruction::ZExt:
    case Instruction::Trunc:
      return Op(0);
    case Instruction::GetElementPtr: {
      auto *G = cast<GetElementPtrInst>(I);
      int64_t Sum = 0;
      if (!(A = Op(0)))
        return std::nullopt;
      Sum = *A;
      const DataLayout &DL = WI.getParent()->getDataLayout();
      unsigned K = 1;
      for (gep_type_iterator T = gep_type_begin(G); T != gep_type_end(G); ++T, ++K) {
        if (T.isStruct())
          continue; // constant field offsets
        if (!(A = Op(K)))
          return std::nullopt;
        Sum += *A * int64_t(DL.getTypeAllocSize(T.getIndexedType()).getFixedSize());
      }
      return Sum;
    }
    default:
      return std::nullopt;
    }
  }

  // V with blockIdx.x + 1 for blockIdx.x, computed at B (V computable and depending on blockIdx.x).
  Value *atNextBlock(IRBuilder<> &B, Value *V) {
    if (V == BidX) {
      Value *&N = Cloned[V];
      if (!N)
        N = B.CreateAdd(BidX, B.getInt32(1), "bid.x.next");
      return N;
    }
    auto *I = dyn_cast<Instruction>(V);
    if (!I || !dependsOnBid(I))
      return V;
    if (Value *N = Cloned.lookup(V))
      return N;
    Instruction *C = I->clone();
    for (Use &U : C->operands())
      U.set(atNextBlock(B, U.get()));
    C->dropPoisonGeneratingFlags(); // the next block's address may lie past the array, as may its index
    B.Insert(C, I->hasName() ? I->getName() + ".next" : "");
    Cloned[V] = C;
    return C;
  }
};

} // namespace

unsigned insertNextBlockPrefetches(Function &WI, unsigned NumParams, Argument *BidX, ArrayRef<Argument *> Leaves) {
  return NextBlock(WI, NumParams, BidX, Leaves).run();
}

} // namespace cuport

// Row-uniform guards: see UniformGuards.h.
#include "UniformGuards.h"
#include "PseudoIntrinsics.h"

#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include "llvm/Transforms/Utils/ValueMapper.h"

using namespace llvm;

namespace cuport {

void collectRegion(BasicBlock *Start, BasicBlock *Dispatch, SmallPtrSetImpl<BasicBlock *> &Blocks) {
  SmallVector<BasicBlock *, 32> Work{Start};
  while (!Work.empty()) {
    BasicBlock *BB = Work.pop_back_val();
    if (BB != Dispatch && Blocks.insert(BB).second)
      append_range(Work, successors(BB));
  }
}

namespace {
// Guards a region may have (its row check evaluates each at both ends of the row), and in all (each is an
// argument of the row-uniform copies).  A fully unrolled Blelloch scan has 19 regions of one guard each.
constexpr unsigned MaxGuardsPerRegion = 16;
constexpr unsigned MaxGuards = 128;
constexpr unsigned MaxDepth = 12;

bool guardType(Type *T) { return T->isIntegerTy(32) || T->isIntegerTy(64); }
} // namespace

UniformGuards::UniformGuards(Function &WI, Argument *TidX, ArrayRef<Argument *> RowUniform,
                             ArrayRef<Argument *> Ignored, Argument *UniformMemory, ArrayRef<BasicBlock *> Regions,
                             BasicBlock *Dispatch)
    : WI(WI), TidX(TidX), UniformMemory(UniformMemory) {
  Uniform.insert(RowUniform.begin(), RowUniform.end());
  Boring.insert(Ignored.begin(), Ignored.end());
  for (BasicBlock *Start : Regions)
    collectRegion(Start, Dispatch, RegionBlocks.emplace_back());
  SmallVector<unsigned, 8> PerRegion(RegionBlocks.size(), 0); // guards taken, per region
  for (Instruction &I : instructions(WI)) {
    auto *Cmp = dyn_cast<ICmpInst>(&I);
    if (!Cmp || !guardType(Cmp->getOperand(0)->getType()))
      continue;
    if (auto L = laneGuard(Cmp)) {
      if (Lanes.size() < MaxGuardsPerRegion)
        Lanes.push_back(*L);
      continue;
    }
    Kind K0 = classify(Cmp->getOperand(0)), K1 = classify(Cmp->getOperand(1));
    bool Shape = (K0 == Kind::Affine && K1 == Kind::Uniform) || (K0 == Kind::Uniform && K1 == Kind::Affine);
    if (!Shape)
      continue;
    bool Split = unitStep(Cmp->getOperand(K0 == Kind::Affine ? 0 : 1));
    bool Interesting = interesting(Cmp->getOperand(0)) || interesting(Cmp->getOperand(1));
    if (Split || Interesting) {
      // The regions that reach the guard, each of which must have room for it.
      SmallVector<unsigned, 4> In;
      for (unsigned R = 0; R < RegionBlocks.size(); ++R)
        if (reaches(R, Cmp))
          In.push_back(R);
      if (any_of(In, [&](unsigned R) { return PerRegion[R] == MaxGuardsPerRegion; }))
        continue;
      for (unsigned R : In)
        ++PerRegion[R];
      Guards.push_back(Cmp);
      // A comparison of threadIdx.x with blockDim and constants alone has no value "away from the edges".
      Predictions.push_back(Interesting ? predict(Cmp) : std::nullopt);
      Splits.push_back(Split);
      if (Guards.size() == (RegionBlocks.empty() ? MaxGuardsPerRegion : MaxGuards))
        break;
    }
  }
}

std::optional<UniformGuards::LaneGuard> UniformGuards::laneGuard(ICmpInst *Cmp) const {
  if (!Cmp->isEquality())
    return std::nullopt;
  auto *C = dyn_cast<ConstantInt>(Cmp->getOperand(1));
  auto *And = dyn_cast<BinaryOperator>(Cmp->getOperand(0));
  if (!C || !And || And->getOpcode() != Instruction::And)
    return std::nullopt;
  auto *M = dyn_cast<ConstantInt>(And->getOperand(1));
  Value *X = And->getOperand(0);
  if (auto *Cast = dyn_cast<CastInst>(X); Cast && (isa<ZExtInst>(Cast) || isa<TruncInst>(Cast)))
    X = Cast->getOperand(0);
  // At most 1023, below CUDA's largest block: threadIdx.x & M is then the lane for every thread.
  if (X != TidX || !M || !M->getValue().isMask() || M->getZExtValue() > 1023 || C->getValue().ugt(M->getValue()))
    return std::nullopt;
  return LaneGuard{Cmp, M->getZExtValue(), C->getZExtValue(), Cmp->getPredicate() == CmpInst::ICMP_EQ};
}

int UniformGuards::onlyLaneGuard(unsigned Region) const {
  if (anyRelevant(Region))
    return -1;
  int Found = -1;
  for (unsigned K = 0; K < Lanes.size(); ++K)
    if (reaches(Region, Lanes[K].Cmp)) {
      if (Found >= 0)
        return -1;
      Found = int(K);
    }
  return Found;
}

// A copy of WI named WI.Suffix with one i1 argument appended per comparison in Replaced, which that
// comparison's uses read instead (or the constant Value gives, where it gives one).
static Function *cloneWithFlags(Function &WI, const Twine &Suffix, ArrayRef<ICmpInst *> Replaced, const Twine &ArgName,
                                function_ref<Constant *(unsigned)> Value = nullptr) {
  SmallVector<Type *, 16> Params(WI.getFunctionType()->params().begin(), WI.getFunctionType()->params().end());
  unsigned First = Params.size();
  Params.append(Replaced.size(), Type::getInt1Ty(WI.getContext()));
  auto *FT = FunctionType::get(WI.getReturnType(), Params, false);
  Function *F = Function::Create(FT, WI.getLinkage(), WI.getName() + "." + Suffix, WI.getParent());
  ValueToValueMapTy VMap;
  for (unsigned I = 0; I < First; ++I) {
    F->getArg(I)->setName(WI.getArg(I)->getName());
    VMap[WI.getArg(I)] = F->getArg(I);
  }
  // The copy's accesses stay in WI's access group: cloning would give them a new one (a distinct node),
  // which the parallel annotation of the block function's loops over threads does not name.
  for (Instruction &I : instructions(WI))
    if (MDNode *Group = I.getMetadata(LLVMContext::MD_access_group))
      VMap.MD()[Group].reset(Group);
  SmallVector<ReturnInst *, 4> Returns;
  CloneFunctionInto(F, &WI, VMap, CloneFunctionChangeType::LocalChangesOnly, Returns);
  for (unsigned K = 0; K < Replaced.size(); ++K) {
    auto *G = cast<Instruction>(VMap[Replaced[K]]);
    F->getArg(First + K)->setName(ArgName + Twine(K));
    Constant *C = Value ? Value(K) : nullptr;
    G->replaceAllUsesWith(C ? (llvm::Value *)C : F->getArg(First + K));
    G->eraseFromParent();
  }
  return F;
}

Function *UniformGuards::createLaneClone() {
  SmallVector<ICmpInst *, 2> Cmps;
  for (const LaneGuard &L : Lanes)
    Cmps.push_back(L.Cmp);
  return cloneWithFlags(WI, "lanes", Cmps, "lane.guard.");
}

// An affine value whose threadIdx.x coefficient is 1 or -1 (threadIdx.x plus or minus row-uniform terms,
// possibly extended or truncated).
bool UniformGuards::unitStep(Value *V) {
  if (V == TidX)
    return true;
  auto *I = dyn_cast<Instruction>(V);
  if (!I || classify(V) != Kind::Affine)
    return false;
  switch (I->getOpcode()) {
  case Instruction::ZExt:
  case Instruction::SExt:
  case Instruction::Trunc:
    return unitStep(I->getOperand(0));
  case Instruction::Add:
  case Instruction::Sub: {
    Kind K0 = classify(I->getOperand(0)), K1 = classify(I->getOperand(1));
    if (K0 == Kind::Affine && K1 == Kind::Uniform)
      return unitStep(I->getOperand(0));
    if (K0 == Kind::Uniform && K1 == Kind::Affine)
      return unitStep(I->getOperand(1));
    return false;
  }
  default:
    return false;
  }
}

// The value P has in region Region: its incoming value from the one predecessor the region reaches, or
// null when the region reaches several (or none).
Value *UniformGuards::regionIncoming(PHINode *P, unsigned Region) {
  Value *V = nullptr;
  BasicBlock *From = nullptr;
  for (unsigned K = 0; K < P->getNumIncomingValues(); ++K) {
    BasicBlock *BB = P->getIncomingBlock(K);
    if (!RegionBlocks[Region].count(BB) || BB == From)
      continue;
    if (From)
      return nullptr;
    From = BB;
    V = P->getIncomingValue(K);
  }
  return V;
}

// The value a guard has away from the grid's edges: the affine side A taken to lie strictly
// between 0 and a non-constant bound U (`i < n` true, `x == w - 1` false, `x >= w` false), or, against a
// constant c <= 0, to be above it (`x > 0` true, `x == 0` false).  None when that says nothing (`x < 3`).
std::optional<bool> UniformGuards::predict(ICmpInst *G) {
  bool AffineRight = classify(G->getOperand(1)) == Kind::Affine;
  CmpInst::Predicate P = AffineRight ? G->getSwappedPredicate() : G->getPredicate();
  Value *U = G->getOperand(AffineRight ? 0 : 1);
  if (P == CmpInst::ICMP_EQ || P == CmpInst::ICMP_NE)
    return P == CmpInst::ICMP_NE;
  bool Less = ICmpInst::isLT(P) || ICmpInst::isLE(P); // A < U, A <= U
  auto *C = dyn_cast<ConstantInt>(U);
  if (!C)
    return Less;
  if (ICmpInst::isSigned(P) ? C->getValue().sle(0) : C->isZero())
    return !Less; // A above a constant <= 0
  return std::nullopt;
}

// Uniform: the same for the whole row.  Affine: Base + Step * threadIdx.x with uniform Base and Step.
UniformGuards::Kind UniformGuards::classify(Value *V) {
  if (isa<Constant>(V))
    return Kind::Uniform;
  if (auto *A = dyn_cast<Argument>(V))
    return A == TidX ? Kind::Affine : Uniform.count(A) ? Kind::Uniform : Kind::Other;
  auto *I = dyn_cast<Instruction>(V);
  if (!I)
    return Kind::Other;
  if (auto It = Kinds.find(V); It != Kinds.end())
    return It->second;
  Kinds[V] = Kind::Other; // while looking at the operands
  Kind R = Kind::Other;
  if (auto *P = dyn_cast<PHINode>(I)) {
    // Row-uniform when every region that reaches it comes from one side, with a row-uniform value.
    bool Reached = false, OneSide = true;
    for (unsigned Region = 0; Region < RegionBlocks.size() && OneSide; ++Region)
      if (RegionBlocks[Region].count(P->getParent())) {
        Reached = true;
        OneSide = regionIncoming(P, Region) != nullptr;
      }
    if (Reached && OneSide && all_of(P->incoming_values(), [&](Value *In) { return classify(In) == Kind::Uniform; }))
      R = Kind::Uniform;
  } else if (auto *L = dyn_cast<LoadInst>(I)) {
    // Loads of the block context (blockDim, gridDim): invariant, and the context is always readable.
    if (!L->isVolatile() && L->hasMetadata(LLVMContext::MD_invariant_load) &&
        classify(L->getPointerOperand()) == Kind::Uniform)
      R = Kind::Uniform;
    // Values the threads share across a barrier: uniform.in does not change while a row runs.
    if (UniformMemory && L->isSimple() && classify(L->getPointerOperand()) == Kind::Uniform &&
        getUnderlyingObject(L->getPointerOperand()) == UniformMemory)
      R = Kind::Uniform;
  } else if ((isSafeToSpeculativelyExecute(I) || positiveDivisor(I)) && !I->mayReadOrWriteMemory() &&
             !isa<CallBase>(I)) {
    bool AllUniform = true;
    SmallVector<Kind, 2> Ops;
    for (Value *Op : I->operands()) {
      Ops.push_back(classify(Op));
      AllUniform &= Ops.back() == Kind::Uniform;
    }
    if (AllUniform) {
      R = Kind::Uniform;
    } else if (I->getType()->isIntegerTy()) {
      switch (I->getOpcode()) {
      case Instruction::Add:
      case Instruction::Sub:
        if (Ops[0] != Kind::Other && Ops[1] != Kind::Other)
          R = Kind::Affine;
        break;
      case Instruction::Mul:
        if ((Ops[0] == Kind::Affine && Ops[1] == Kind::Uniform) || (Ops[0] == Kind::Uniform && Ops[1] == Kind::Affine))
          R = Kind::Affine;
        break;
      case Instruction::Shl:
        if (Ops[0] == Kind::Affine && Ops[1] == Kind::Uniform)
          R = Kind::Affine;
        break;
      case Instruction::ZExt:
      case Instruction::SExt:
        // threadIdx.x < 1024: extending it is exact either way.  An extended affine value (a 32-bit
        // index widened for addressing, `(long)i + 256`) is affine where the narrow one does not wrap
        // over the row, which emitRowCheck checks.
        if (Ops[0] == Kind::Affine)
          R = Kind::Affine;
        break;
      case Instruction::Trunc:
        if (Ops[0] == Kind::Affine)
          R = Kind::Affine;
        break;
      default:
        break;
      }
    }
  }
  Kinds[V] = R;
  return R;
}

// A division or remainder by a value that is never zero (nor -1): a constant, or gridDim or blockDim
// (a load of the block context's first six fields).  LLVM speculates divisions by constants only; a
// guard is evaluated before each row, where the thread might not have divided, so the others stay out:
// `i < (blockIdx.x + 1) * (n / gridDim.x)`, the end of a block's chunk, is a guard.
bool UniformGuards::positiveDivisor(const Instruction *I) const {
  switch (I->getOpcode()) {
  case Instruction::UDiv:
  case Instruction::URem:
  case Instruction::SDiv:
  case Instruction::SRem:
    break;
  default:
    return false;
  }
  const Value *D = I->getOperand(1);
  if (auto *C = dyn_cast<ConstantInt>(D))
    return !C->isZero() && !C->isMinusOne();
  auto *L = dyn_cast<LoadInst>(D);
  if (!L || L->isVolatile() || !L->hasMetadata(LLVMContext::MD_invariant_load) || !L->getType()->isIntegerTy(32))
    return false;
  const DataLayout &DL = WI.getParent()->getDataLayout();
  APInt Offset(DL.getIndexTypeSizeInBits(L->getPointerOperandType()), 0);
  const Value *Base = L->getPointerOperand()->stripAndAccumulateConstantOffsets(DL, Offset, /*AllowNonInbounds=*/true);
  auto *A = dyn_cast<Argument>(Base);
  return A && Boring.count(const_cast<Argument *>(A)) && Offset.getZExtValue() % 4 == 0 &&
         Offset.ult(ctxoff::BlockDim + 12);
}

bool UniformGuards::interesting(Value *V, unsigned Depth) {
  if (auto *A = dyn_cast<Argument>(V))
    return A != TidX && Uniform.count(A) && !Boring.count(A);
  auto *I = dyn_cast<Instruction>(V);
  if (!I || Depth > MaxDepth)
    return false;
  for (Value *Op : I->operands())
    if (interesting(Op, Depth + 1))
      return true;
  return false;
}

Function *UniformGuards::createFastClone(bool UsePredictions) {
  return cloneWithFlags(WI, UsePredictions ? "predicted" : "rowuniform", Guards, "guard.", [&](unsigned K) -> Constant * {
    return UsePredictions && Predictions[K] ? ConstantInt::getBool(WI.getContext(), *Predictions[K]) : nullptr;
  });
}

// Before emitting row-check code for region Region: how to read WI's arguments there, and nothing
// emitted yet.
void UniformGuards::beginEmission(unsigned Region, function_ref<Value *(Argument *)> ArgValue) {
  Map = ArgValue;
  CurRegion = Region;
  Emitted.clear();
  EmittedAffine.clear();
}

Value *UniformGuards::emitUniform(IRBuilder<> &B, Value *V) {
  if (isa<Constant>(V))
    return V;
  if (auto *A = dyn_cast<Argument>(V))
    return Map(A);
  if (auto It = Emitted.find(V); It != Emitted.end())
    return It->second;
  if (auto *P = dyn_cast<PHINode>(V)) {
    Value *In = regionIncoming(P, CurRegion);
    assert(In && "a uniform phi has one incoming value in each region that reaches it");
    return Emitted[V] = emitUniform(B, In);
  }
  auto *I = cast<Instruction>(V);
  Instruction *C = I->clone();
  for (unsigned K = 0; K < C->getNumOperands(); ++K)
    C->setOperand(K, emitUniform(B, I->getOperand(K)));
  // Evaluated for every row, also where the thread would not reach it: no poison from flags.
  C->dropPoisonGeneratingFlags();
  B.Insert(C, I->getName() + ".row");
  Emitted[V] = C;
  return C;
}

UniformGuards::Affine UniformGuards::emitAffine(IRBuilder<> &B, Value *V) {
  if (auto It = EmittedAffine.find(V); It != EmittedAffine.end())
    return It->second;
  auto Part = [&](Value *Op) -> Affine {
    if (classify(Op) == Kind::Uniform)
      return {emitUniform(B, Op), Constant::getNullValue(Op->getType())};
    return emitAffine(B, Op);
  };
  Affine R;
  if (V == TidX) {
    R = {B.getInt32(0), B.getInt32(1)};
  } else {
    auto *I = cast<Instruction>(V);
    Type *T = I->getType();
    switch (I->getOpcode()) {
    case Instruction::ZExt:
    case Instruction::SExt: {
      if (I->getOperand(0) == TidX) {
        R = {Constant::getNullValue(T), ConstantInt::get(T, 1)};
        break;
      }
      // ext(Base + Step * x) = ext(Base) + ext(Step) * x while the narrow sequence does not wrap in the
      // extension's signedness: a check for emitRowCheck.
      Affine A = emitAffine(B, I->getOperand(0));
      bool Signed = I->getOpcode() == Instruction::SExt;
      ExtChecks.push_back({A, Signed});
      // The step is signed either way: an unsigned sequence may decrease.
      R = {B.CreateCast(Instruction::CastOps(I->getOpcode()), A.Base, T), B.CreateSExt(A.Step, T)};
      break;
    }
    case Instruction::Trunc: {
      Affine A = emitAffine(B, I->getOperand(0));
      R = {B.CreateTrunc(A.Base, T), B.CreateTrunc(A.Step, T)};
      break;
    }
    default: {
      Affine L = Part(I->getOperand(0)), Rt = Part(I->getOperand(1));
      switch (I->getOpcode()) {
      case Instruction::Add:
        R = {B.CreateAdd(L.Base, Rt.Base), B.CreateAdd(L.Step, Rt.Step)};
        break;
      case Instruction::Sub:
        R = {B.CreateSub(L.Base, Rt.Base), B.CreateSub(L.Step, Rt.Step)};
        break;
      case Instruction::Mul: {
        // One side is uniform (Step 0): (b0 + s x) * u = b0 u + s u x.
        bool LeftAffine = classify(I->getOperand(0)) == Kind::Affine;
        Affine A = LeftAffine ? L : Rt;
        Value *U = LeftAffine ? Rt.Base : L.Base;
        R = {B.CreateMul(A.Base, U), B.CreateMul(A.Step, U)};
        break;
      }
      case Instruction::Shl:
        R = {B.CreateShl(L.Base, Rt.Base), B.CreateShl(L.Step, Rt.Base)};
        break;
      default:
        llvm_unreachable("not an affine instruction");
      }
    }
    }
  }
  EmittedAffine[V] = R;
  return R;
}

// F at threadIdx.x = X, and whether computing it wrapped: signed, or unsigned with Step counted as signed
// (an unsigned sequence may decrease).
std::pair<Value *, Value *> UniformGuards::evalAt(IRBuilder<> &B, Affine F, Value *X, bool Unsigned) {
  Type *T = F.Base->getType();
  Value *XT = B.CreateZExtOrTrunc(X, T);
  if (Unsigned) {
    Value *Down = B.CreateICmpSLT(F.Step, Constant::getNullValue(T));
    Value *Magnitude = B.CreateSelect(Down, B.CreateNeg(F.Step), F.Step);
    Value *Prod = B.CreateBinaryIntrinsic(Intrinsic::umul_with_overflow, Magnitude, XT);
    Value *P = B.CreateExtractValue(Prod, 0);
    Value *Add = B.CreateBinaryIntrinsic(Intrinsic::uadd_with_overflow, F.Base, P);
    Value *Sub = B.CreateBinaryIntrinsic(Intrinsic::usub_with_overflow, F.Base, P);
    return {B.CreateSelect(Down, B.CreateExtractValue(Sub, 0), B.CreateExtractValue(Add, 0)),
            B.CreateOr(B.CreateExtractValue(Prod, 1),
                       B.CreateSelect(Down, B.CreateExtractValue(Sub, 1), B.CreateExtractValue(Add, 1)))};
  }
  Value *Prod = B.CreateBinaryIntrinsic(Intrinsic::smul_with_overflow, F.Step, XT);
  Value *Sum = B.CreateBinaryIntrinsic(Intrinsic::sadd_with_overflow, F.Base, B.CreateExtractValue(Prod, 0));
  return {B.CreateExtractValue(Sum, 0), B.CreateOr(B.CreateExtractValue(Prod, 1), B.CreateExtractValue(Sum, 1))};
}

Value *UniformGuards::emitRowCheck(IRBuilder<> &B, unsigned Region, Value *X0, Value *Count,
                                   function_ref<Value *(Argument *)> ArgValue, SmallVectorImpl<Value *> &Values,
                                   Value **Match) {
  beginEmission(Region, ArgValue);
  Value *All = B.getTrue(), *AllPredicted = B.getTrue();
  Value *X1 = B.CreateAdd(X0, B.CreateSub(Count, B.getInt32(1)));
  for (unsigned K = 0; K < Guards.size(); ++K) {
    ICmpInst *G = Guards[K];
    if (!relevant(Region, K)) {
      Values.push_back(B.getFalse()); // the region never reaches it
      continue;
    }
    bool AffineLeft = classify(G->getOperand(0)) == Kind::Affine;
    Value *AV = G->getOperand(AffineLeft ? 0 : 1), *UV = G->getOperand(AffineLeft ? 1 : 0);
    Affine F = emitAffine(B, AV);
    Value *Other = emitUniform(B, UV);
    // The affine side at both ends, and whether it wrapped on the way there from threadIdx.x = 0, in the
    // comparison's signedness (equalities use signed): the sequence Base + Step * x is linear, so it stays
    // in range between two ends that are.  Narrow sequences it extends must not wrap either.
    auto [Begin, Wrap0] = evalAt(B, F, X0, G->isUnsigned());
    auto [End, Wrap1] = evalAt(B, F, X1, G->isUnsigned());
    Value *Wrap = B.CreateOr(Wrap0, Wrap1);
    for (auto [Narrow, Signed] : ExtChecks)
      Wrap = B.CreateOr(Wrap, B.CreateOr(evalAt(B, Narrow, X0, !Signed).second, evalAt(B, Narrow, X1, !Signed).second));
    ExtChecks.clear();
    Value *NoWrap = B.CreateNot(Wrap);
    auto Compare = [&](Value *AffineValue) {
      return AffineLeft ? B.CreateICmp(G->getPredicate(), AffineValue, Other)
                        : B.CreateICmp(G->getPredicate(), Other, AffineValue);
    };
    Value *First = Compare(Begin), *Same;
    if (G->isEquality()) {
      Value *Lo = B.CreateBinaryIntrinsic(Intrinsic::smin, Begin, End);
      Value *Hi = B.CreateBinaryIntrinsic(Intrinsic::smax, Begin, End);
      Same = B.CreateOr(B.CreateICmpSLT(Other, Lo), B.CreateICmpSGT(Other, Hi));
    } else {
      Same = B.CreateICmpEQ(First, Compare(End));
    }
    All = B.CreateAnd(All, B.CreateAnd(NoWrap, Same));
    if (Predictions[K])
      AllPredicted = B.CreateAnd(AllPredicted, B.CreateICmpEQ(First, B.getInt1(*Predictions[K])));
    Values.push_back(B.CreateFreeze(First, G->getName() + ".row"));
  }
  if (Match)
    *Match = B.CreateFreeze(AllPredicted, "row.predicted");
  return B.CreateFreeze(All, "row.uniform");
}

SmallVector<Value *, 4> UniformGuards::emitSplitPoints(IRBuilder<> &B, unsigned Region, Value *RowSize,
                                                       function_ref<Value *(Argument *)> ArgValue) {
  beginEmission(Region, ArgValue);
  SmallVector<Value *, 4> Points;
  Value *Size64 = B.CreateZExt(RowSize, B.getInt64Ty());
  for (unsigned K = 0; K < Guards.size(); ++K) {
    ICmpInst *G = Guards[K];
    if (!Splits[K] || !relevant(Region, K) || Points.size() + (G->isEquality() ? 2 : 1) > MaxSplitPoints)
      continue;
    bool AffineLeft = classify(G->getOperand(0)) == Kind::Affine;
    CmpInst::Predicate P = AffineLeft ? G->getPredicate() : G->getSwappedPredicate();
    Affine F = emitAffine(B, G->getOperand(AffineLeft ? 0 : 1));
    Value *Other = emitUniform(B, G->getOperand(AffineLeft ? 1 : 0));
    ExtChecks.clear();
    auto *Step = dyn_cast<ConstantInt>(F.Step);
    if (!Step || !(Step->isOne() || Step->isMinusOne()))
      continue;
    // The affine side equals Other at x = D; the comparison changes at D or D + 1.
    bool Up = Step->isOne();
    Value *D = Up ? B.CreateSub(Other, F.Base) : B.CreateSub(F.Base, Other);
    D = ICmpInst::isUnsigned(P) ? B.CreateZExt(D, B.getInt64Ty()) : B.CreateSExt(D, B.getInt64Ty());
    Value *D1 = B.CreateAdd(D, B.getInt64(1));
    auto Clamp = [&](Value *X) {
      X = B.CreateBinaryIntrinsic(Intrinsic::smax, X, B.getInt64(0));
      return B.CreateTrunc(B.CreateBinaryIntrinsic(Intrinsic::smin, X, Size64), B.getInt32Ty());
    };
    if (G->isEquality()) {
      Points.append({Clamp(D), Clamp(D1)});
      continue;
    }
    // x < D and x >= D split at D; x <= D and x > D at D + 1 (in terms of x, after the step's sign).
    bool Less = ICmpInst::isLT(P) || ICmpInst::isLE(P), OrEqual = ICmpInst::isLE(P) || ICmpInst::isGE(P);
    bool XBelow = Less == Up; // the comparison says x < D (or x <= D)
    Points.push_back(Clamp(XBelow == OrEqual ? D1 : D));
  }
  // In increasing order: a sorting network of compare-exchanges (the bubble network: n(n-1)/2 of them,
  // 15 for six points; the row's split path runs them once).
  auto Exchange = [&](unsigned I, unsigned J) {
    Value *Lo = B.CreateBinaryIntrinsic(Intrinsic::umin, Points[I], Points[J]);
    Points[J] = B.CreateBinaryIntrinsic(Intrinsic::umax, Points[I], Points[J]);
    Points[I] = Lo;
  };
  for (unsigned Pass = 1; Pass < Points.size(); ++Pass)
    for (unsigned I = 0; I + Pass < Points.size(); ++I)
      Exchange(I, I + 1);
  return Points;
}

} // namespace cuport

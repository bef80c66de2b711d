// OpenCL lowering, step 3: one kernel (every device function already inlined into it) written as OpenCL C
// 1.2 source.
//
// - Values: every instruction result is a local variable of the matching OpenCL type; integers are kept
//   unsigned (uchar/ushort/uint/ulong) and reinterpreted as signed where the operation is signed.
// - Memory: every pointer is a byte pointer (`__global uchar*`, `__local uchar*`, `__private uchar*`),
//   loads and stores cast it to the accessed type, GEPs are byte offsets from the NVPTX data layout (the
//   same layout as the host's, so structs agree).  The memory a pointer addresses is inferred from where
//   it comes from: NVPTX address spaces, allocas and byval parameters (private), kernel parameters and
//   loaded pointers (global: device pointers are SVM pointers).  A pointer that may address two memories
//   is reported.
// - Control flow: basic blocks are labels, branches are gotos, phis are assignments on the edges.
#include "Diagnostics.h"
#include "OpenCL.h"
#include "Passes.h"
#include "PointerUses.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/GetElementPtrTypeIterator.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Operator.h"

#include <map>
#include <set>

using namespace llvm;

namespace cuport {
namespace {

enum class Space { Unknown, Global, Local, Private, Conflict };

const char *spaceName(Space S) {
  switch (S) {
  case Space::Local: return "__local";
  case Space::Private: return "__private";
  default: return "__global";
  }
}

Space merge(Space A, Space B) {
  if (A == Space::Unknown)
    return B;
  if (B == Space::Unknown || A == B)
    return A;
  return Space::Conflict;
}

std::string scalarName(Type *T, bool Signed = false) {
  if (T->isIntegerTy(1))
    return "bool";
  if (T->isIntegerTy(8))
    return Signed ? "char" : "uchar";
  if (T->isIntegerTy(16))
    return Signed ? "short" : "ushort";
  if (T->isIntegerTy(32))
    return Signed ? "int" : "uint";
  if (T->isIntegerTy(64))
    return Signed ? "long" : "ulong";
  if (T->isFloatTy())
    return "float";
  if (T->isDoubleTy())
    return "double";
  return "";
}

// Maps C math library names (float and double forms) and LLVM's math intrinsics to OpenCL built-ins.
std::string openCLMathName(StringRef Name) {
  static const char *Same[] = {
      "acos", "acosh", "acospi", "asin", "asinh", "asinpi", "atan", "atan2", "atanh", "atanpi", "atan2pi",
      "cbrt", "ceil", "copysign", "cos", "cosh", "cospi", "erfc", "erf", "exp", "exp2", "exp10", "expm1",
      "fabs", "fdim", "floor", "fma", "fmax", "fmin", "fmod", "hypot", "lgamma", "log", "log2", "log10",
      "log1p", "logb", "nextafter", "pow", "remainder", "rint", "round", "rsqrt", "sin", "sinh", "sinpi",
      "sqrt", "tan", "tanh", "tanpi", "tgamma", "trunc", "frexp", "modf", "remquo", "sincos", "ilogb"};
  for (const char *S : Same)
    if (Name == S || Name == (std::string(S) + "f"))
      return S;
  if (Name == "nearbyint" || Name == "nearbyintf")
    return "rint";
  return "";
}

class KernelWriter {
public:
  KernelWriter(Function &F, const OpenCLGlobals &G, Diagnostics &Diags)
      : F(F), DL(F.getParent()->getDataLayout()), G(G), Diags(Diags) {}

  bool run(std::string &Source, std::string &Metadata);

private:
  Function &F;
  const DataLayout &DL;
  const OpenCLGlobals &G;
  Diagnostics &Diags;
  std::string Decls, Body, Typedefs;
  DenseMap<const Value *, std::string> Names;
  DenseMap<const Value *, Space> Spaces;
  DenseMap<const BasicBlock *, unsigned> Labels;
  std::map<const GlobalVariable *, uint64_t> SharedOffset;
  std::set<const GlobalVariable *> DynamicShared;
  uint64_t StaticShared = 0;
  bool UsesWarp = false, UsesBlockCount = false, Failed = false;
  // The first place that moves a device pointer through memory: such kernels need SVM (device pointers
  // that are host-visible addresses); in buffer mode (cl_mem + offset) they cannot run.
  std::string NeedsSvm;
  unsigned Counter = 0;
  const Instruction *Current = nullptr;

  void noteSvm(const char *What) {
    if (!NeedsSvm.empty())
      return;
    std::string Loc = sourceLocation(Current);
    NeedsSvm = (Loc.empty() ? std::string("") : Loc + ": ") + What;
  }

  void fail(const Twine &Msg) {
    if (!Failed)
      Diags.error(Current, Msg);
    Failed = true;
  }

  // ---- types ----
  std::string typeName(Type *T) {
    std::string S = scalarName(T);
    if (!S.empty()) {
      return S;
    }
    if (auto *VT = dyn_cast<FixedVectorType>(T)) {
      unsigned N = VT->getNumElements();
      std::string E = scalarName(VT->getElementType());
      if (!E.empty() && E != "bool" && (N == 2 || N == 3 || N == 4 || N == 8 || N == 16))
        return E + std::to_string(N);
    }
    if (T->isPointerTy())
      return "__global uchar*";
    std::string Str;
    raw_string_ostream OS(Str);
    T->print(OS);
    fail("the type " + OS.str() + " has no OpenCL C 1.2 equivalent");
    return "int";
  }
  std::string signedName(Type *T) {
    if (auto *VT = dyn_cast<FixedVectorType>(T))
      return scalarName(VT->getElementType(), true) + std::to_string(VT->getNumElements());
    return scalarName(T, true);
  }
  std::string ptrType(Space S) { return std::string(spaceName(S)) + " uchar*"; }
  std::string valueType(const Value *V) {
    if (V->getType()->isPointerTy())
      return ptrType(spaceOf(V));
    return typeName(V->getType());
  }

  // By-value structs larger than this travel in a buffer the runtime fills (kind b<N>): OpenCL devices
  // accept as little as 1 KiB of kernel arguments, CUDA up to 32 KiB.
  static constexpr uint64_t MaxByValueArgument = 256;
  bool passedInBuffer(const Argument &A) const {
    return A.hasByValAttr() && DL.getTypeAllocSize(A.getParamByValType()) > MaxByValueArgument;
  }
  // A parameter the kernel writes to (CUDA parameters are per-thread copies) is copied to private memory
  // first; read-only ones are read from the shared buffer.
  bool copiedToPrivate(const Argument &A) const { return passedInBuffer(A) && mayWriteThrough(&A); }

  // ---- memory spaces ----
  Space spaceOf(const Value *V) {
    auto It = Spaces.find(V);
    if (It != Spaces.end())
      return It->second == Space::Unknown || It->second == Space::Conflict ? Space::Global : It->second;
    Space S = originOf(V);
    return S == Space::Unknown || S == Space::Conflict ? Space::Global : S;
  }

  static Space fromAddressSpace(unsigned AS) {
    switch (AS) {
    case 1: case 4: return Space::Global;
    case 3: return Space::Local;
    case 5: return Space::Private;
    default: return Space::Unknown;
    }
  }

  // The memory V points into, from its definition (Spaces holds the current estimate for instructions).
  Space originOf(const Value *V) {
    if (!V->getType()->isPointerTy())
      return Space::Unknown;
    Space FromType = fromAddressSpace(V->getType()->getPointerAddressSpace());
    if (FromType != Space::Unknown)
      return FromType;
    if (isa<ConstantPointerNull>(V) || isa<UndefValue>(V))
      return Space::Unknown;
    if (auto *GV = dyn_cast<GlobalVariable>(V))
      return GV->getAddressSpace() == 3 ? Space::Local : Space::Global;
    if (auto *A = dyn_cast<Argument>(V))
      return A->hasByValAttr() && (!passedInBuffer(*A) || copiedToPrivate(*A)) ? Space::Private : Space::Global;
    if (isa<AllocaInst>(V))
      return Space::Private;
    auto Estimate = [&](const Value *Op) {
      if (isa<Instruction>(Op) || isa<Argument>(Op)) {
        auto It = Spaces.find(Op);
        if (It != Spaces.end())
          return It->second;
        if (isa<Instruction>(Op))
          return Space::Unknown;
      }
      return originOf(Op);
    };
    if (auto *O = dyn_cast<Operator>(V)) {
      switch (O->getOpcode()) {
      case Instruction::AddrSpaceCast:
      case Instruction::BitCast:
      case Instruction::GetElementPtr:
        return Estimate(O->getOperand(0));
      case Instruction::Select:
        return merge(Estimate(O->getOperand(1)), Estimate(O->getOperand(2)));
      case Instruction::PHI: {
        Space S = Space::Unknown;
        for (const Value *In : cast<PHINode>(V)->incoming_values())
          S = merge(S, Estimate(In));
        return S;
      }
      default:
        break;
      }
    }
    return Space::Global; // loaded pointers, inttoptr, calls: device pointers are global (SVM)
  }

  void inferSpaces() {
    for (const Argument &A : F.args())
      if (A.getType()->isPointerTy())
        Spaces[&A] = originOf(&A);
    bool Changed = true;
    while (Changed) {
      Changed = false;
      for (const BasicBlock &BB : F)
        for (const Instruction &I : BB) {
          if (!I.getType()->isPointerTy())
            continue;
          Space S = originOf(&I);
          auto It = Spaces.find(&I);
          if (It == Spaces.end() || It->second != S) {
            Spaces[&I] = S;
            Changed = true;
          }
        }
    }
    for (const BasicBlock &BB : F)
      for (const Instruction &I : BB)
        if (I.getType()->isPointerTy() && Spaces[&I] == Space::Conflict) {
          Current = &I;
          fail("a pointer here may point into more than one memory (shared, global or a local variable); "
               "OpenCL C 1.2 has no generic address space");
          return;
        }
  }

  // ---- constants and operands ----
  std::string intLiteral(const APInt &V, Type *T) {
    if (T->isIntegerTy(1))
      return V.isZero() ? "false" : "true";
    std::string Digits = toString(V, 10, /*Signed=*/false);
    if (T->isIntegerTy(64))
      return Digits + "ul";
    if (T->isIntegerTy(32))
      return Digits + "u";
    return "((" + scalarName(T) + ")" + Digits + "u)";
  }

  std::string fpLiteral(const ConstantFP *C) {
    const APFloat &V = C->getValueAPF();
    Type *T = C->getType();
    if (!T->isFloatTy() && !T->isDoubleTy()) {
      fail("half and extended-precision floating-point constants are not supported by the OpenCL backend");
      return "0";
    }
    if (V.isFinite()) {
      char Buf[64];
      V.convertToHexString(Buf, 0, false, APFloat::rmNearestTiesToEven);
      return std::string("(") + Buf + (T->isFloatTy() ? "f)" : ")");
    }
    APInt Bits = V.bitcastToAPInt();
    if (T->isFloatTy())
      return "as_float(" + toString(Bits, 10, false) + "u)";
    return "as_double(" + toString(Bits, 10, false) + "ul)";
  }

  std::string zeroOf(const Value *V) {
    if (V->getType()->isPointerTy())
      return "((" + valueType(V) + ")0)";
    return "((" + typeName(V->getType()) + ")0)";
  }

  std::string globalAddress(const GlobalVariable *GV) {
    if (GV->getAddressSpace() == 3) {
      if (DynamicShared.count(GV))
        return "__cuport_dyn";
      auto It = SharedOffset.find(GV);
      if (It != SharedOffset.end())
        return "(__cuport_smem + " + std::to_string(It->second) + ")";
    } else {
      auto It = G.Offset.find(GV);
      if (It != G.Offset.end())
        return "(__cuport_g + " + std::to_string(It->second) + ")";
    }
    fail("the device variable '" + GV->getName() + "' is declared but not defined in this program "
         "(relocatable device code needs -rdc=true)");
    return "__cuport_g";
  }

  std::string val(const Value *V) {
    auto It = Names.find(V);
    if (It != Names.end())
      return It->second;
    if (auto *CI = dyn_cast<ConstantInt>(V))
      return intLiteral(CI->getValue(), CI->getType());
    if (auto *CF = dyn_cast<ConstantFP>(V))
      return fpLiteral(CF);
    if (isa<ConstantPointerNull>(V) || isa<UndefValue>(V) || isa<ConstantAggregateZero>(V))
      return zeroOf(V);
    if (auto *GV = dyn_cast<GlobalVariable>(V))
      return globalAddress(GV);
    if (isa<Function>(V)) {
      fail("function pointers are not supported by the OpenCL backend (OpenCL C has none)");
      return "0";
    }
    if (auto *CV = dyn_cast<Constant>(V); CV && isa<FixedVectorType>(V->getType()) &&
                                          (isa<ConstantVector>(V) || isa<ConstantDataVector>(V))) {
      std::string S = "((" + typeName(V->getType()) + ")(";
      unsigned N = cast<FixedVectorType>(V->getType())->getNumElements();
      for (unsigned I = 0; I < N; ++I)
        S += (I ? ", " : "") + val(CV->getAggregateElement(I));
      return S + "))";
    }
    if (auto *CE = dyn_cast<ConstantExpr>(V)) {
      Instruction *I = const_cast<ConstantExpr *>(CE)->getAsInstruction();
      std::string S = expression(*I, CE);
      I->deleteValue();
      return S;
    }
    fail("a constant of this kind is not supported by the OpenCL backend");
    return "0";
  }

  // Signed view of an integer operand.
  std::string sval(const Value *V) {
    if (isa<VectorType>(V->getType()))
      return "as_" + signedName(V->getType()) + "(" + val(V) + ")";
    return "((" + signedName(V->getType()) + ")" + val(V) + ")";
  }
  // An integer expression converted back to V's unsigned type.
  std::string wrap(Type *T, const std::string &E) {
    if (isa<VectorType>(T))
      return "as_" + typeName(T) + "(" + E + ")";
    return "((" + typeName(T) + ")(" + E + "))";
  }

  // A typed lvalue at pointer P: *((volatile? SPACE T*)(p)).
  std::string deref(const Value *Ptr, const std::string &T, bool Volatile = false) {
    return "(*((" + std::string(Volatile ? "volatile " : "") + spaceName(spaceOf(Ptr)) + " " + T + "*)(" +
           val(Ptr) + ")))";
  }
  std::string typedPtr(const Value *Ptr, const std::string &T, bool Volatile = false) {
    return "((" + std::string(Volatile ? "volatile " : "") + spaceName(spaceOf(Ptr)) + " " + T + "*)(" +
           val(Ptr) + "))";
  }

  // ---- instructions ----
  // The expression computing I (no side effects beyond I itself); `Orig` is the value whose memory space
  // applies (a ConstantExpr's instruction copy has none of its own).
  std::string expression(Instruction &I, const Value *Orig) {
    Type *T = I.getType();
    if (auto *BO = dyn_cast<BinaryOperator>(&I)) {
      const Value *A = BO->getOperand(0), *B = BO->getOperand(1);
      switch (BO->getOpcode()) {
      case Instruction::Add: return wrap(T, val(A) + " + " + val(B));
      case Instruction::Sub: return wrap(T, val(A) + " - " + val(B));
      case Instruction::Mul: return wrap(T, val(A) + " * " + val(B));
      case Instruction::UDiv: return wrap(T, val(A) + " / " + val(B));
      case Instruction::URem: return wrap(T, val(A) + " % " + val(B));
      case Instruction::SDiv: return wrap(T, sval(A) + " / " + sval(B));
      case Instruction::SRem: return wrap(T, sval(A) + " % " + sval(B));
      case Instruction::Shl: return wrap(T, val(A) + " << " + val(B));
      case Instruction::LShr: return wrap(T, val(A) + " >> " + val(B));
      case Instruction::AShr: return wrap(T, sval(A) + " >> " + val(B));
      case Instruction::And: return T->isIntegerTy(1) ? "(" + val(A) + " && " + val(B) + ")" : wrap(T, val(A) + " & " + val(B));
      case Instruction::Or: return T->isIntegerTy(1) ? "(" + val(A) + " || " + val(B) + ")" : wrap(T, val(A) + " | " + val(B));
      case Instruction::Xor: return T->isIntegerTy(1) ? "(" + val(A) + " != " + val(B) + ")" : wrap(T, val(A) + " ^ " + val(B));
      case Instruction::FAdd: return "(" + val(A) + " + " + val(B) + ")";
      case Instruction::FSub: return "(" + val(A) + " - " + val(B) + ")";
      case Instruction::FMul: return "(" + val(A) + " * " + val(B) + ")";
      case Instruction::FDiv: return "(" + val(A) + " / " + val(B) + ")";
      case Instruction::FRem: return "fmod(" + val(A) + ", " + val(B) + ")";
      default: break;
      }
    }
    switch (I.getOpcode()) {
    case Instruction::FNeg:
      return "(-" + val(I.getOperand(0)) + ")";
    case Instruction::ICmp: {
      auto &C = cast<ICmpInst>(I);
      if (isa<VectorType>(T)) {
        fail("vector comparisons are not supported by the OpenCL backend");
        return "false";
      }
      const Value *A = C.getOperand(0), *B = C.getOperand(1);
      std::string L = val(A), R = val(B);
      if (A->getType()->isPointerTy()) {
        L = "((ulong)" + L + ")";
        R = "((ulong)" + R + ")";
      } else if (C.isSigned()) {
        L = sval(A);
        R = sval(B);
      }
      const char *Op = "==";
      switch (C.getPredicate()) {
      case CmpInst::ICMP_EQ: Op = "=="; break;
      case CmpInst::ICMP_NE: Op = "!="; break;
      case CmpInst::ICMP_UGT: case CmpInst::ICMP_SGT: Op = ">"; break;
      case CmpInst::ICMP_UGE: case CmpInst::ICMP_SGE: Op = ">="; break;
      case CmpInst::ICMP_ULT: case CmpInst::ICMP_SLT: Op = "<"; break;
      default: Op = "<="; break;
      }
      return "(" + L + " " + Op + " " + R + ")";
    }
    case Instruction::FCmp: {
      auto &C = cast<FCmpInst>(I);
      if (isa<VectorType>(T)) {
        fail("vector comparisons are not supported by the OpenCL backend");
        return "false";
      }
      std::string A = val(C.getOperand(0)), B = val(C.getOperand(1));
      switch (C.getPredicate()) {
      case CmpInst::FCMP_FALSE: return "false";
      case CmpInst::FCMP_TRUE: return "true";
      case CmpInst::FCMP_OEQ: return "(" + A + " == " + B + ")";
      case CmpInst::FCMP_OGT: return "(" + A + " > " + B + ")";
      case CmpInst::FCMP_OGE: return "(" + A + " >= " + B + ")";
      case CmpInst::FCMP_OLT: return "(" + A + " < " + B + ")";
      case CmpInst::FCMP_OLE: return "(" + A + " <= " + B + ")";
      case CmpInst::FCMP_ONE: return "(" + A + " < " + B + " || " + A + " > " + B + ")";
      case CmpInst::FCMP_ORD: return "(!isnan(" + A + ") && !isnan(" + B + "))";
      case CmpInst::FCMP_UNO: return "(isnan(" + A + ") || isnan(" + B + "))";
      case CmpInst::FCMP_UEQ: return "!(" + A + " < " + B + " || " + A + " > " + B + ")";
      case CmpInst::FCMP_UGT: return "!(" + A + " <= " + B + ")";
      case CmpInst::FCMP_UGE: return "!(" + A + " < " + B + ")";
      case CmpInst::FCMP_ULT: return "!(" + A + " >= " + B + ")";
      case CmpInst::FCMP_ULE: return "!(" + A + " > " + B + ")";
      default: return "(" + A + " != " + B + ")"; // une
      }
    }
    case Instruction::Select: {
      if (isa<VectorType>(I.getOperand(0)->getType())) {
        fail("vector selects are not supported by the OpenCL backend");
        return "0";
      }
      return "(" + val(I.getOperand(0)) + " ? " + val(I.getOperand(1)) + " : " + val(I.getOperand(2)) + ")";
    }
    case Instruction::Trunc:
    case Instruction::ZExt:
    case Instruction::SExt:
    case Instruction::FPToUI:
    case Instruction::FPToSI:
    case Instruction::UIToFP:
    case Instruction::SIToFP:
    case Instruction::FPTrunc:
    case Instruction::FPExt:
      return conversion(I);
    case Instruction::BitCast: {
      const Value *Src = I.getOperand(0);
      if (T->isPointerTy() || T == Src->getType())
        return val(Src);
      return "as_" + typeName(T) + "(" + val(Src) + ")";
    }
    case Instruction::AddrSpaceCast: {
      Space From = spaceOf(I.getOperand(0)), To = spaceOf(Orig);
      if (From != To)
        fail(std::string("a pointer into ") + spaceName(From) + " memory is used as a pointer into " +
             spaceName(To) + " memory");
      return val(I.getOperand(0));
    }
    case Instruction::PtrToInt:
      return wrap(T, "(ulong)" + val(I.getOperand(0)));
    case Instruction::IntToPtr:
      noteSvm("an integer is converted to a device pointer");
      return "((" + ptrType(spaceOf(Orig)) + ")(ulong)" + val(I.getOperand(0)) + ")";
    case Instruction::GetElementPtr:
      return gep(cast<GetElementPtrInst>(I));
    case Instruction::Freeze:
      return val(I.getOperand(0));
    case Instruction::ExtractElement: {
      auto *Idx = dyn_cast<ConstantInt>(I.getOperand(1));
      if (!Idx) {
        fail("vector elements selected by a run-time index are not supported by the OpenCL backend");
        return "0";
      }
      return "(" + val(I.getOperand(0)) + ").s" + utohexstr(Idx->getZExtValue(), true);
    }
    case Instruction::ShuffleVector: {
      auto &SV = cast<ShuffleVectorInst>(I);
      unsigned N = cast<FixedVectorType>(SV.getOperand(0)->getType())->getNumElements();
      std::string S = "((" + typeName(T) + ")(";
      ArrayRef<int> Mask = SV.getShuffleMask();
      for (unsigned K = 0; K < Mask.size(); ++K) {
        S += K ? ", " : "";
        int M = Mask[K];
        if (M < 0)
          S += "0";
        else
          S += "(" + val(SV.getOperand(M < (int)N ? 0 : 1)) + ").s" + utohexstr(M % N, true);
      }
      return S + "))";
    }
    default:
      break;
    }
    fail(std::string("the LLVM instruction '") + I.getOpcodeName() + "' is not supported by the OpenCL backend");
    return "0";
  }

  std::string conversion(Instruction &I) {
    Type *T = I.getType(), *ST = I.getOperand(0)->getType();
    const Value *Src = I.getOperand(0);
    if (isa<VectorType>(T)) {
      if (I.getOpcode() == Instruction::FPToSI || I.getOpcode() == Instruction::SExt)
        return "as_" + typeName(T) + "(convert_" + signedName(T) + "(" + sval(Src) + "))";
      if (I.getOpcode() == Instruction::SIToFP)
        return "convert_" + typeName(T) + "(" + sval(Src) + ")";
      return "convert_" + typeName(T) + "(" + val(Src) + ")";
    }
    std::string TN = typeName(T);
    switch (I.getOpcode()) {
    case Instruction::Trunc:
      if (T->isIntegerTy(1))
        return "((" + val(Src) + " & 1) != 0)";
      return "((" + TN + ")" + val(Src) + ")";
    case Instruction::SExt:
      if (ST->isIntegerTy(1))
        return "(" + val(Src) + " ? (" + TN + ")~(" + TN + ")0 : (" + TN + ")0)";
      return "((" + TN + ")(" + signedName(T) + ")" + sval(Src) + ")";
    case Instruction::FPToSI:
      return "((" + TN + ")(" + signedName(T) + ")" + val(Src) + ")";
    case Instruction::SIToFP:
      return "((" + TN + ")" + sval(Src) + ")";
    default:
      return "((" + TN + ")" + val(Src) + ")";
    }
  }

  std::string indexTerm(const Value *Idx, uint64_t Size) {
    if (auto *C = dyn_cast<ConstantInt>(Idx))
      return std::to_string(C->getSExtValue() * (int64_t)Size) + "l";
    std::string S = "((long)" + sval(Idx) + ")";
    return Size == 1 ? S : "(" + S + " * " + std::to_string(Size) + "l)";
  }

  std::string gep(GetElementPtrInst &GEP) {
    if (isa<VectorType>(GEP.getType())) {
      fail("vector GEPs are not supported by the OpenCL backend");
      return "0";
    }
    std::string S = "(" + val(GEP.getPointerOperand());
    int64_t Const = 0;
    for (auto It = gep_type_begin(GEP), E = gep_type_end(GEP); It != E; ++It) {
      const Value *Idx = It.getOperand();
      if (StructType *STy = It.getStructTypeOrNull()) {
        unsigned Field = cast<ConstantInt>(Idx)->getZExtValue();
        Const += DL.getStructLayout(STy)->getElementOffset(Field);
        continue;
      }
      uint64_t Size = DL.getTypeAllocSize(It.getIndexedType());
      if (auto *C = dyn_cast<ConstantInt>(Idx))
        Const += C->getSExtValue() * (int64_t)Size;
      else
        S += " + " + indexTerm(Idx, Size);
    }
    if (Const)
      S += " + " + std::to_string(Const) + "l";
    return S + ")";
  }

  // ---- statements ----
  std::string newName() { return "v" + std::to_string(Counter++); }

  void declare(const Value *V) {
    std::string N = newName();
    Names[V] = N;
    if (auto *ST = dyn_cast<StructType>(V->getType())) {
      for (unsigned I = 0; I < ST->getNumElements(); ++I)
        Decls += "  " + typeName(ST->getElementType(I)) + " " + N + "_" + std::to_string(I) + ";\n";
      return;
    }
    Decls += "  " + valueType(V) + " " + N + ";\n";
  }

  void emit(const std::string &S) { Body += "  " + S + "\n"; }
  void assign(const Instruction &I, const std::string &E) { emit(Names[&I] + " = " + E + ";"); }

  void phiCopies(const BasicBlock *From, const BasicBlock *To, std::string &Out) {
    std::vector<const PHINode *> Phis;
    for (const PHINode &P : To->phis())
      Phis.push_back(&P);
    if (Phis.empty())
      return;
    if (Phis.size() == 1) {
      Out += Names[Phis[0]] + " = " + val(Phis[0]->getIncomingValueForBlock(From)) + "; ";
      return;
    }
    // Parallel assignment: read every incoming value before writing any phi.
    for (size_t K = 0; K < Phis.size(); ++K)
      Out += valueType(Phis[K]) + " t" + std::to_string(K) + " = " +
             val(Phis[K]->getIncomingValueForBlock(From)) + "; ";
    for (size_t K = 0; K < Phis.size(); ++K)
      Out += Names[Phis[K]] + " = t" + std::to_string(K) + "; ";
  }

  std::string jump(const BasicBlock *From, const BasicBlock *To) {
    std::string S = "{ ";
    phiCopies(From, To, S);
    return S + "goto L" + std::to_string(Labels[To]) + "; }";
  }

  void terminator(const Instruction &I) {
    const BasicBlock *BB = I.getParent();
    if (auto *Br = dyn_cast<BranchInst>(&I)) {
      if (Br->isUnconditional())
        return emit(jump(BB, Br->getSuccessor(0)));
      return emit("if (" + val(Br->getCondition()) + ") " + jump(BB, Br->getSuccessor(0)) + " else " +
                  jump(BB, Br->getSuccessor(1)));
    }
    if (auto *Sw = dyn_cast<SwitchInst>(&I)) {
      std::string S = "switch (" + val(Sw->getCondition()) + ") {\n";
      for (auto &Case : Sw->cases())
        S += "  case " + intLiteral(Case.getCaseValue()->getValue(), Case.getCaseValue()->getType()) + ": " +
             jump(BB, Case.getCaseSuccessor()) + "\n";
      S += "  default: " + jump(BB, Sw->getDefaultDest()) + "\n  }";
      return emit(S);
    }
    if (isa<ReturnInst>(&I) || isa<UnreachableInst>(&I))
      return emit("return;");
    fail(std::string("the terminator '") + I.getOpcodeName() + "' is not supported by the OpenCL backend");
  }

  void load(const LoadInst &L) {
    Type *T = L.getType();
    const Value *P = L.getPointerOperand();
    bool Vol = L.isVolatile() || L.isAtomic();
    if (T->isPointerTy()) {
      if (!isa<AllocaInst>(getUnderlyingObject(P)))
        noteSvm("a device pointer is loaded from memory");
      return assign(L, "((" + valueType(&L) + ")" + deref(P, "ulong", Vol) + ")");
    }
    if (T->isIntegerTy(1))
      return assign(L, "(" + deref(P, "uchar", Vol) + " != 0)");
    if (auto *VT = dyn_cast<FixedVectorType>(T))
      return assign(L, "vload" + std::to_string(VT->getNumElements()) + "(0, " +
                           typedPtr(P, scalarName(VT->getElementType())) + ")");
    assign(L, deref(P, typeName(T), Vol));
  }

  void store(const StoreInst &S) {
    const Value *V = S.getValueOperand(), *P = S.getPointerOperand();
    Type *T = V->getType();
    bool Vol = S.isVolatile() || S.isAtomic();
    if (T->isPointerTy()) {
      Space VS = spaceOf(V);
      if (!isa<AllocaInst>(getUnderlyingObject(P)))
        noteSvm("a device pointer is stored to memory");
      if (VS != Space::Global && !isa<ConstantPointerNull>(V))
        return fail("a pointer to __shared__ memory or to a local variable is stored in memory; OpenCL C 1.2 "
                    "cannot tell which memory it points to when it is loaded again");
      return emit(deref(P, "ulong", Vol) + " = (ulong)" + val(V) + ";");
    }
    if (T->isIntegerTy(1))
      return emit(deref(P, "uchar", Vol) + " = (uchar)" + val(V) + ";");
    if (auto *VT = dyn_cast<FixedVectorType>(T))
      return emit("vstore" + std::to_string(VT->getNumElements()) + "(" + val(V) + ", 0, " +
                  typedPtr(P, scalarName(VT->getElementType())) + ");");
    emit(deref(P, typeName(T), Vol) + " = " + val(V) + ";");
  }

  std::string atomicPtr(const Value *P, const std::string &T) {
    if (spaceOf(P) == Space::Private)
      fail("atomic operations on local variables are not supported by the OpenCL backend");
    return typedPtr(P, T, /*Volatile=*/true);
  }

  void atomicRMW(const AtomicRMWInst &A) {
    Type *T = A.getType();
    const Value *P = A.getPointerOperand(), *V = A.getValOperand();
    std::string Suffix = spaceOf(P) == Space::Local ? "l" : "g";
    if (T->isFloatTy() || T->isDoubleTy()) {
      std::string Pre = T->isFloatTy() ? "__cuport_f" : "__cuport_d";
      std::string Op;
      switch (A.getOperation()) {
      case AtomicRMWInst::FAdd: Op = "add"; break;
      case AtomicRMWInst::FSub: Op = "sub"; break;
      case AtomicRMWInst::FMax: Op = "max"; break;
      case AtomicRMWInst::FMin: Op = "min"; break;
      case AtomicRMWInst::Xchg:
        if (T->isFloatTy())
          return assign(A, "atomic_xchg(" + atomicPtr(P, "float") + ", " + val(V) + ")");
        return assign(A, "as_double(atom_xchg(" + atomicPtr(P, "ulong") + ", as_ulong(" + val(V) + ")))");
      default:
        return fail("this floating-point atomic operation is not supported by the OpenCL backend");
      }
      return assign(A, Pre + Op + "_" + Suffix + "(" + atomicPtr(P, typeName(T)) + ", " + val(V) + ")");
    }
    if (!T->isIntegerTy(32) && !T->isIntegerTy(64))
      return fail("atomic operations on 8- and 16-bit values are not supported by the OpenCL backend");
    bool Is64 = T->isIntegerTy(64);
    std::string Fn = Is64 ? "atom_" : "atomic_";
    std::string U = Is64 ? "ulong" : "uint", S = Is64 ? "long" : "int";
    bool Signed = false;
    switch (A.getOperation()) {
    case AtomicRMWInst::Add: Fn += "add"; break;
    case AtomicRMWInst::Sub: Fn += "sub"; break;
    case AtomicRMWInst::Xchg: Fn += "xchg"; break;
    case AtomicRMWInst::And: Fn += "and"; break;
    case AtomicRMWInst::Or: Fn += "or"; break;
    case AtomicRMWInst::Xor: Fn += "xor"; break;
    case AtomicRMWInst::Max: Fn += "max"; Signed = true; break;
    case AtomicRMWInst::Min: Fn += "min"; Signed = true; break;
    case AtomicRMWInst::UMax: Fn += "max"; break;
    case AtomicRMWInst::UMin: Fn += "min"; break;
    default:
      return fail(std::string("the atomic operation '") + AtomicRMWInst::getOperationName(A.getOperation()).str() +
                  "' is not supported by the OpenCL backend");
    }
    if (Signed)
      return assign(A, "((" + U + ")" + Fn + "(" + atomicPtr(P, S) + ", (" + S + ")" + val(V) + "))");
    assign(A, Fn + "(" + atomicPtr(P, U) + ", " + val(V) + ")");
  }

  void cmpXchg(const AtomicCmpXchgInst &C) {
    Type *T = C.getCompareOperand()->getType();
    if (T->isPointerTy())
      return fail("atomicCAS on pointers is not supported by the OpenCL backend");
    unsigned Bits = T->getIntegerBitWidth();
    if (Bits != 32 && Bits != 64)
      return fail("atomicCAS on 8- and 16-bit values is not supported by the OpenCL backend");
    std::string U = Bits == 64 ? "ulong" : "uint", Fn = Bits == 64 ? "atom_cmpxchg" : "atomic_cmpxchg";
    std::string N = Names[&C], Cmp = val(C.getCompareOperand());
    emit(N + "_0 = " + Fn + "(" + atomicPtr(C.getPointerOperand(), U) + ", " + Cmp + ", " +
         val(C.getNewValOperand()) + ");");
    emit(N + "_1 = (" + N + "_0 == " + Cmp + ");");
  }

  void alloca_(const AllocaInst &A) {
    auto *Size = dyn_cast<ConstantInt>(A.getArraySize());
    if (!Size)
      return fail("variable-sized stack arrays (alloca) are not supported by the OpenCL backend");
    uint64_t Bytes = DL.getTypeAllocSize(A.getAllocatedType()) * Size->getZExtValue();
    std::string Buf = Names[&A] + "_mem";
    Decls += "  __private uchar " + Buf + "[" + std::to_string(std::max<uint64_t>(Bytes, 1)) +
             "] __attribute__((aligned(" + std::to_string(std::max<uint64_t>(A.getAlign().value(), 16)) + ")));\n";
    assign(A, Buf);
  }

  void extractValue(const ExtractValueInst &E) {
    const Value *Agg = E.getAggregateOperand();
    if (E.getNumIndices() != 1 || !Names.count(Agg) || !isa<StructType>(Agg->getType()))
      return fail("aggregate values are not supported by the OpenCL backend");
    assign(E, Names[Agg] + "_" + std::to_string(E.getIndices()[0]));
  }

  void insertElement(const InsertElementInst &I) {
    auto *Idx = dyn_cast<ConstantInt>(I.getOperand(2));
    if (!Idx)
      return fail("vector elements selected by a run-time index are not supported by the OpenCL backend");
    assign(I, val(I.getOperand(0)));
    emit(Names[&I] + ".s" + utohexstr(Idx->getZExtValue(), true) + " = " + val(I.getOperand(1)) + ";");
  }

  // ---- calls ----
  void setStatusAndReturn(unsigned Code) {
    emit("atomic_cmpxchg((volatile __global uint*)(__cuport_g + " + std::to_string(OpenCLStatusOffset) +
         "), 0u, " + std::to_string(Code) + "u);");
    emit("return;");
  }

  static std::string cString(StringRef S) {
    std::string R = "\"";
    for (unsigned char C : S) {
      if (C == '\\' || C == '"')
        R += std::string("\\") + (char)C;
      else if (C == '\n')
        R += "\\n";
      else if (C == '\t')
        R += "\\t";
      else if (C < 32 || C >= 127) {
        char Buf[8];
        snprintf(Buf, sizeof Buf, "\\%03o", C);
        R += Buf;
      } else
        R += (char)C;
    }
    return R + "\"";
  }

  // The NUL-terminated string a constant pointer points to, if it is one.
  bool constantString(const Value *V, std::string &Out) {
    APInt Off(64, 0);
    const Value *Base = V->stripAndAccumulateConstantOffsets(DL, Off, true);
    auto *GV = dyn_cast<GlobalVariable>(Base);
    if (!GV || !GV->isConstant() || !GV->hasInitializer())
      return false;
    auto *CDA = dyn_cast<ConstantDataArray>(GV->getInitializer());
    if (!CDA || !CDA->isString())
      return false;
    StringRef S = CDA->getAsString().drop_front(Off.getZExtValue());
    Out = S.substr(0, S.find('\0')).str();
    return true;
  }

  // vprintf(format, packed arguments) -> printf("format", arguments...), reading each argument from the
  // packed buffer Clang built (or straight from the value stored into it).
  void vprintf(const CallInst &C) {
    std::string Format;
    if (!constantString(C.getArgOperand(0), Format))
      return fail("printf with a format that is not a string literal is not supported by the OpenCL backend");
    // OpenCL C's printf has no ll, z, j or t length modifiers: 64-bit integers are %l.
    std::string Fixed;
    for (size_t K = 0; K < Format.size(); ++K) {
      Fixed += Format[K];
      if (Format[K] != '%')
        continue;
      if (K + 1 < Format.size() && Format[K + 1] == '%') {
        Fixed += '%';
        ++K;
        continue;
      }
      size_t J = K + 1;
      while (J < Format.size() && strchr("-+ #0123456789.*", Format[J]))
        Fixed += Format[J++];
      if (J + 1 < Format.size() && Format[J] == 'l' && Format[J + 1] == 'l') {
        Fixed += 'l';
        J += 2;
      } else if (J < Format.size() && strchr("zjt", Format[J])) {
        Fixed += 'l';
        ++J;
      } else if (J < Format.size() && Format[J] == 'L') {
        ++J;
      }
      K = J - 1;
    }
    std::string Call = "printf(" + cString(Fixed);
    const Value *Buf = C.getArgOperand(1);
    auto *Alloca = dyn_cast<AllocaInst>(Buf->stripPointerCasts());
    if (Alloca) {
      auto *ST = dyn_cast<StructType>(Alloca->getAllocatedType());
      if (!ST)
        return fail("printf arguments in an unexpected form");
      const StructLayout *SL = DL.getStructLayout(ST);
      // Values stored into the buffer in this block, by offset.
      std::map<uint64_t, const Value *> Stored;
      for (const Instruction &I : *C.getParent()) {
        if (&I == &C)
          break;
        if (auto *S = dyn_cast<StoreInst>(&I)) {
          APInt Off(64, 0);
          if (S->getPointerOperand()->stripAndAccumulateConstantOffsets(DL, Off, true) == Alloca)
            Stored[Off.getZExtValue()] = S->getValueOperand();
        }
      }
      for (unsigned K = 0; K < ST->getNumElements(); ++K) {
        uint64_t Off = SL->getElementOffset(K);
        Type *ET = ST->getElementType(K);
        auto It = Stored.find(Off);
        std::string Arg;
        if (ET->isPointerTy()) {
          std::string S;
          if (It != Stored.end() && constantString(It->second, S))
            Arg = cString(S);
          else if (It != Stored.end())
            Arg = "(ulong)" + val(It->second);
          else
            Arg = "*((__private ulong*)(" + val(Alloca) + " + " + std::to_string(Off) + "))";
        } else if (It != Stored.end() && It->second->getType() == ET) {
          Arg = val(It->second);
        } else {
          Arg = "*((__private " + typeName(ET) + "*)(" + val(Alloca) + " + " + std::to_string(Off) + "))";
        }
        Call += ", " + Arg;
      }
    }
    emit(Call + ");");
    if (!C.use_empty())
      assign(C, "0u");
  }

  void assertFail(const CallInst &C) {
    std::string Msg = "?", File = "?", Func = "?";
    constantString(C.getArgOperand(0), Msg);
    constantString(C.getArgOperand(1), File);
    constantString(C.getArgOperand(3), Func);
    emit("printf(\"%s:%u: %s: block: [%u,%u,%u], thread: [%u,%u,%u] Assertion `%s` failed.\\n\", " +
         cString(File) + ", " + val(C.getArgOperand(2)) + ", " + cString(Func) +
         ", (uint)get_group_id(0), (uint)get_group_id(1), (uint)get_group_id(2), (uint)get_local_id(0), "
         "(uint)get_local_id(1), (uint)get_local_id(2), " +
         cString(Msg) + ");");
    setStatusAndReturn(710);
  }

  std::string warpScratch(const char *T) {
    UsesWarp = true;
    return std::string("((__local ") + T + "*)__cuport_warp)";
  }

  void memIntrinsic(const CallInst &C, Intrinsic::ID ID) {
    const Value *D = C.getArgOperand(0), *N = C.getArgOperand(2);
    std::string Dst = "((" + std::string(spaceName(spaceOf(D))) + " uchar*)" + val(D) + ")";
    if (ID == Intrinsic::memset) {
      emit("for (ulong i = 0; i < (ulong)" + val(N) + "; ++i) " + Dst + "[i] = " + val(C.getArgOperand(1)) + ";");
      return;
    }
    const Value *S = C.getArgOperand(1);
    std::string Src = "((" + std::string(spaceName(spaceOf(S))) + " uchar*)" + val(S) + ")";
    if (ID == Intrinsic::memmove && spaceOf(D) == spaceOf(S)) {
      emit("if ((ulong)" + val(D) + " <= (ulong)" + val(S) + ") { for (ulong i = 0; i < (ulong)" + val(N) +
           "; ++i) " + Dst + "[i] = " + Src + "[i]; } else { for (ulong i = (ulong)" + val(N) + "; i-- > 0;) " +
           Dst + "[i] = " + Src + "[i]; }");
      return;
    }
    emit("for (ulong i = 0; i < (ulong)" + val(N) + "; ++i) " + Dst + "[i] = " + Src + "[i];");
  }

  std::string args(const CallInst &C, unsigned From = 0) {
    std::string S;
    for (unsigned K = From; K < C.arg_size(); ++K) {
      const Value *A = C.getArgOperand(K);
      S += (K > From ? ", " : "");
      if (A->getType()->isPointerTy())
        S += "(" + std::string(spaceName(spaceOf(A))) + " void*)" + val(A);
      else
        S += val(A);
    }
    return S;
  }

  // Library math with OpenCL's pointer-argument forms typed for the pointee.
  bool mathCall(const CallInst &C, StringRef Name) {
    std::string OCL = openCLMathName(Name);
    Type *T = C.getType();
    if (OCL.empty()) {
      if (Name == "scalbn" || Name == "scalbnf" || Name == "scalbln" || Name == "scalblnf" || Name == "ldexp" ||
          Name == "ldexpf") {
        assign(C, "ldexp(" + val(C.getArgOperand(0)) + ", (int)" + sval(C.getArgOperand(1)) + ")");
        return true;
      }
      if (Name == "powi" || Name == "powif") {
        assign(C, "pown(" + val(C.getArgOperand(0)) + ", (int)" + sval(C.getArgOperand(1)) + ")");
        return true;
      }
      if (Name == "lround" || Name == "lroundf" || Name == "llround" || Name == "llroundf") {
        assign(C, "((ulong)(long)round(" + val(C.getArgOperand(0)) + "))");
        return true;
      }
      if (Name == "lrint" || Name == "lrintf" || Name == "llrint" || Name == "llrintf") {
        assign(C, "((ulong)(long)rint(" + val(C.getArgOperand(0)) + "))");
        return true;
      }
      return false;
    }
    std::string S = OCL + "(";
    for (unsigned K = 0; K < C.arg_size(); ++K) {
      const Value *A = C.getArgOperand(K);
      S += K ? ", " : "";
      if (A->getType()->isPointerTy()) {
        // frexp/remquo/ilogb take int*, modf/sincos the value's type.
        std::string PT = (OCL == "frexp" || OCL == "remquo") ? "int" : typeName(C.getArgOperand(0)->getType());
        S += typedPtr(A, PT);
      } else if (A->getType()->isIntegerTy()) {
        S += "(int)" + sval(A);
      } else {
        S += val(A);
      }
    }
    S += ")";
    if (T->isVoidTy())
      emit(S + ";");
    else if (T->isIntegerTy())
      assign(C, "((" + typeName(T) + ")" + S + ")");
    else
      assign(C, S);
    return true;
  }

  bool nvvmCall(const CallInst &C, StringRef N) {
    auto Dim = [](StringRef S) { return S == "x" ? 0 : S == "y" ? 1 : 2; };
    if (N.consume_front("read.ptx.sreg.")) {
      auto [Reg, Axis] = N.split('.');
      if (Reg == "tid")
        return assign(C, "(uint)get_local_id(" + std::to_string(Dim(Axis)) + ")"), true;
      if (Reg == "ntid")
        return assign(C, "(uint)get_local_size(" + std::to_string(Dim(Axis)) + ")"), true;
      if (Reg == "ctaid")
        return assign(C, "(uint)get_group_id(" + std::to_string(Dim(Axis)) + ")"), true;
      if (Reg == "nctaid")
        return assign(C, "(uint)get_num_groups(" + std::to_string(Dim(Axis)) + ")"), true;
      if (Reg == "warpsize")
        return assign(C, "32u"), true;
      if (Reg == "laneid")
        return assign(C, "(__cuport_lid() & 31u)"), true;
      int Mask = StringSwitch<int>(Reg)
                     .Case("lanemask_eq", 0).Case("lanemask_lt", 1).Case("lanemask_le", 2)
                     .Case("lanemask_gt", 3).Case("lanemask_ge", 4).Default(-1);
      if (Mask >= 0)
        return assign(C, "__cuport_lanemask(" + std::to_string(Mask) + "u)"), true;
      fail("the special register %" + Reg.str() + " (clock(), clock64() and timers have no OpenCL C equivalent) "
           "is not supported by the OpenCL backend");
      return true;
    }
    const char *Fence = "CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE";
    if (N == "barrier0" || N == "bar.warp.sync" ||
        ((N == "barrier.sync" || N == "barrier.n") && C.arg_size() == 1 && isa<ConstantInt>(C.getArgOperand(0)) &&
         cast<ConstantInt>(C.getArgOperand(0))->isZero())) {
      emit(std::string("barrier(") + Fence + ");");
      return true;
    }
    if (N.startswith("barrier")  && !N.startswith("barrier0.")) {
      fail("named barriers (bar.sync with an id or a thread count) are not supported by the OpenCL backend");
      return true;
    }
    if (N.consume_front("barrier0.")) {
      UsesBlockCount = true;
      std::string Count = "__cuport_block_count(__cuport_red, (uint)" + val(C.getArgOperand(0)) + ")";
      if (N == "popc")
        return assign(C, Count), true;
      if (N == "and")
        return assign(C, "(uint)(" + Count + " == __cuport_nthreads())"), true;
      return assign(C, "(uint)(" + Count + " != 0u)"), true;
    }
    if (N.startswith("membar.") || N.startswith("fence.")) {
      emit(std::string("mem_fence(") + Fence + ");");
      return true;
    }
    if (N.consume_front("shfl.")) {
      bool Sync = N.consume_front("sync.");
      auto [Mode, Ty] = N.split('.');
      Ty.consume_back("p"); // the forms that also return the source lane's validity
      int M = StringSwitch<int>(Mode).Case("idx", 0).Case("up", 1).Case("down", 2).Case("bfly", 3).Default(-1);
      if (M < 0 || (Ty != "i32" && Ty != "f32"))
        return false;
      unsigned Base = Sync ? 1 : 0;
      std::string V = val(C.getArgOperand(Base));
      if (Ty == "f32")
        V = "as_uint(" + V + ")";
      std::string R = "__cuport_shfl(" + warpScratch("uint") + ", " + V + ", " + std::to_string(M) + "u, " +
                      val(C.getArgOperand(Base + 1)) + ", " + val(C.getArgOperand(Base + 2)) + ")";
      if (Ty == "f32")
        R = "as_float(" + R + ")";
      if (isa<StructType>(C.getType())) {
        emit(Names[&C] + "_0 = " + R + ";");
        emit(Names[&C] + "_1 = true;");
        return true;
      }
      return assign(C, R), true;
    }
    if (N.consume_front("vote.")) {
      // Only the lanes in the mask take part (CUDA: bits of lanes outside it are zero).
      bool Sync = N.consume_back(".sync");
      std::string Mask = Sync ? "(" + val(C.getArgOperand(0)) + " & __cuport_warp_lanes())" : "__cuport_warp_lanes()";
      std::string Ballot = "(__cuport_ballot(" + warpScratch("uint") + ", (uint)" +
                           val(C.getArgOperand(Sync ? 1 : 0)) + ") & " + Mask + ")";
      if (N == "ballot")
        return assign(C, Ballot), true;
      if (N == "any")
        return assign(C, "(" + Ballot + " != 0u)"), true;
      if (N == "all")
        return assign(C, "(" + Ballot + " == " + Mask + ")"), true;
      if (N == "uni")
        return emit("{ uint b = " + Ballot + "; " + Names[&C] + " = (b == 0u || b == " + Mask + "); }"), true;
      return false;
    }
    if (N.consume_front("match.")) {
      bool Any = N.startswith("any.");
      std::string Mask = "(" + val(C.getArgOperand(0)) + " & __cuport_warp_lanes())";
      std::string R = "(__cuport_match_any(" + warpScratch("ulong") + ", (ulong)" + val(C.getArgOperand(1)) +
                      ") & " + Mask + ")";
      if (Any)
        return assign(C, R), true;
      std::string Nm = Names[&C];
      emit(Nm + "_0 = " + R + ";");
      emit(Nm + "_1 = (" + Nm + "_0 == " + Mask + ");");
      emit(Nm + "_0 = " + Nm + "_1 ? " + Nm + "_0 : 0u;");
      return true;
    }
    if (N == "nanosleep")
      return true;
    if (N == "reflect")
      return assign(C, "0u"), true;
    if (N.startswith("ldg.global.") || N.startswith("ldu.global."))
      return assign(C, deref(C.getArgOperand(0), typeName(C.getType()))), true;
    // Floating-point operations with an OpenCL built-in.
    std::string Fn = StringSwitch<std::string>(N)
                         .Cases("fabs.f", "fabs.ftz.f", "fabs.d", "fabs")
                         .Cases("sqrt.f", "sqrt.rn.f", "sqrt.rn.d", "sqrt.approx.f", "sqrt")
                         .Cases("sqrt.approx.ftz.f", "sqrt.rn.ftz.f", "sqrt")
                         .Cases("ex2.approx.f", "ex2.approx.ftz.f", "ex2.approx.d", "exp2")
                         .Cases("lg2.approx.f", "lg2.approx.ftz.f", "lg2.approx.d", "log2")
                         .Cases("sin.approx.f", "sin.approx.ftz.f", "sin")
                         .Cases("cos.approx.f", "cos.approx.ftz.f", "cos")
                         .Cases("floor.f", "floor.ftz.f", "floor.d", "floor")
                         .Cases("ceil.f", "ceil.ftz.f", "ceil.d", "ceil")
                         .Cases("trunc.f", "trunc.ftz.f", "trunc.d", "trunc")
                         .Cases("round.f", "round.ftz.f", "round.d", "round")
                         .Default("");
    if (!Fn.empty())
      return assign(C, Fn + "(" + val(C.getArgOperand(0)) + ")"), true;
    if (N.startswith("rsqrt.approx."))
      return assign(C, "rsqrt(" + val(C.getArgOperand(0)) + ")"), true;
    if (N.startswith("rcp."))
      return assign(C, "(1.0" + std::string(C.getType()->isFloatTy() ? "f" : "") + " / " + val(C.getArgOperand(0)) + ")"), true;
    if (N.startswith("div."))
      return assign(C, "(" + val(C.getArgOperand(0)) + " / " + val(C.getArgOperand(1)) + ")"), true;
    if (N.startswith("fma."))
      return assign(C, "fma(" + args(C) + ")"), true;
    if (N.startswith("fmin."))
      return assign(C, "fmin(" + args(C) + ")"), true;
    if (N.startswith("fmax."))
      return assign(C, "fmax(" + args(C) + ")"), true;
    if (N.startswith("saturate."))
      return assign(C, "clamp(" + val(C.getArgOperand(0)) + ", 0.0f, 1.0f)"), true;
    if (N == "popc.i" || N == "popc.ll")
      return assign(C, "(uint)popcount(" + val(C.getArgOperand(0)) + ")"), true;
    if (N == "clz.i" || N == "clz.ll")
      return assign(C, "(uint)clz(" + val(C.getArgOperand(0)) + ")"), true;
    if (N == "brev32")
      return assign(C, "__cuport_brev32(" + val(C.getArgOperand(0)) + ")"), true;
    if (N == "brev64")
      return assign(C, "__cuport_brev64(" + val(C.getArgOperand(0)) + ")"), true;
    return false;
  }

  // Bits of T for the integer intrinsics.
  std::string bitsOf(Type *T) { return std::to_string(T->getScalarSizeInBits()) + "u"; }

  bool intrinsicCall(const CallInst &C, Intrinsic::ID ID) {
    Type *T = C.getType();
    auto A = [&](unsigned K) { return val(C.getArgOperand(K)); };
    auto SA = [&](unsigned K) { return sval(C.getArgOperand(K)); };
    switch (ID) {
    case Intrinsic::lifetime_start:
    case Intrinsic::lifetime_end:
    case Intrinsic::dbg_declare:
    case Intrinsic::dbg_value:
    case Intrinsic::dbg_label:
    case Intrinsic::assume:
    case Intrinsic::experimental_noalias_scope_decl:
    case Intrinsic::invariant_start:
    case Intrinsic::invariant_end:
    case Intrinsic::var_annotation:
    case Intrinsic::donothing:
    case Intrinsic::sideeffect:
      if (!T->isVoidTy() && !C.use_empty())
        assign(C, zeroOf(&C));
      return true;
    case Intrinsic::expect:
    case Intrinsic::canonicalize:
    case Intrinsic::launder_invariant_group:
    case Intrinsic::strip_invariant_group:
      return assign(C, A(0)), true;
    case Intrinsic::memcpy:
    case Intrinsic::memmove:
    case Intrinsic::memset:
      return memIntrinsic(C, ID), true;
    case Intrinsic::trap:
    case Intrinsic::debugtrap:
    case Intrinsic::ubsantrap:
      return setStatusAndReturn(719), true;
    case Intrinsic::sqrt: return assign(C, "sqrt(" + A(0) + ")"), true;
    case Intrinsic::fabs: return assign(C, "fabs(" + A(0) + ")"), true;
    case Intrinsic::floor: return assign(C, "floor(" + A(0) + ")"), true;
    case Intrinsic::ceil: return assign(C, "ceil(" + A(0) + ")"), true;
    case Intrinsic::trunc: return assign(C, "trunc(" + A(0) + ")"), true;
    case Intrinsic::rint:
    case Intrinsic::nearbyint:
    case Intrinsic::roundeven: return assign(C, "rint(" + A(0) + ")"), true;
    case Intrinsic::round: return assign(C, "round(" + A(0) + ")"), true;
    case Intrinsic::fma:
    case Intrinsic::fmuladd: return assign(C, "fma(" + A(0) + ", " + A(1) + ", " + A(2) + ")"), true;
    case Intrinsic::minnum:
    case Intrinsic::minimum: return assign(C, "fmin(" + A(0) + ", " + A(1) + ")"), true;
    case Intrinsic::maxnum:
    case Intrinsic::maximum: return assign(C, "fmax(" + A(0) + ", " + A(1) + ")"), true;
    case Intrinsic::copysign: return assign(C, "copysign(" + A(0) + ", " + A(1) + ")"), true;
    case Intrinsic::pow: return assign(C, "pow(" + A(0) + ", " + A(1) + ")"), true;
    case Intrinsic::powi: return assign(C, "pown(" + A(0) + ", (int)" + SA(1) + ")"), true;
    case Intrinsic::exp: return assign(C, "exp(" + A(0) + ")"), true;
    case Intrinsic::exp2: return assign(C, "exp2(" + A(0) + ")"), true;
    case Intrinsic::log: return assign(C, "log(" + A(0) + ")"), true;
    case Intrinsic::log2: return assign(C, "log2(" + A(0) + ")"), true;
    case Intrinsic::log10: return assign(C, "log10(" + A(0) + ")"), true;
    case Intrinsic::sin: return assign(C, "sin(" + A(0) + ")"), true;
    case Intrinsic::cos: return assign(C, "cos(" + A(0) + ")"), true;
    case Intrinsic::smin: return assign(C, wrap(T, "min(" + SA(0) + ", " + SA(1) + ")")), true;
    case Intrinsic::smax: return assign(C, wrap(T, "max(" + SA(0) + ", " + SA(1) + ")")), true;
    case Intrinsic::umin: return assign(C, "min(" + A(0) + ", " + A(1) + ")"), true;
    case Intrinsic::umax: return assign(C, "max(" + A(0) + ", " + A(1) + ")"), true;
    case Intrinsic::abs: return assign(C, wrap(T, "abs(" + SA(0) + ")")), true;
    case Intrinsic::ctpop: return assign(C, wrap(T, "popcount(" + A(0) + ")")), true;
    case Intrinsic::ctlz: return assign(C, wrap(T, "clz(" + A(0) + ")")), true;
    case Intrinsic::cttz:
      // OpenCL C 1.2 has no ctz: the number of trailing zeros is popcount((x & -x) - 1), all bits for 0.
      return assign(C, wrap(T, "popcount((" + typeName(T) + ")((" + A(0) + " & (" + typeName(T) + ")(0 - " + A(0) +
                                 ")) - (" + typeName(T) + ")1))")), true;
    case Intrinsic::bswap:
      if (T->isIntegerTy(16))
        return assign(C, "((ushort)((" + A(0) + " >> 8) | (" + A(0) + " << 8)))"), true;
      if (T->isIntegerTy(32) || T->isIntegerTy(64))
        return assign(C, "__cuport_bswap" + std::to_string(T->getIntegerBitWidth()) + "(" + A(0) + ")"), true;
      return false;
    case Intrinsic::bitreverse:
      if (T->isIntegerTy(32) || T->isIntegerTy(64))
        return assign(C, "__cuport_brev" + std::to_string(T->getIntegerBitWidth()) + "(" + A(0) + ")"), true;
      return false;
    case Intrinsic::fshl:
    case Intrinsic::fshr: {
      if (!T->isIntegerTy(32) && !T->isIntegerTy(64))
        return false;
      std::string W = bitsOf(T), TN = typeName(T);
      std::string S = "(" + A(2) + " % (" + TN + ")" + W + ")";
      // fshl(a, b, s) = high half of (a:b) << s; fshr(a, b, s) = low half of (a:b) >> s.
      if (ID == Intrinsic::fshl)
        return assign(C, "(" + S + " == 0 ? " + A(0) + " : (" + TN + ")((" + A(0) + " << " + S + ") | (" + A(1) +
                             " >> ((" + TN + ")" + W + " - " + S + "))))"), true;
      return assign(C, "(" + S + " == 0 ? " + A(1) + " : (" + TN + ")((" + A(1) + " >> " + S + ") | (" + A(0) +
                           " << ((" + TN + ")" + W + " - " + S + "))))"), true;
    }
    case Intrinsic::uadd_with_overflow:
    case Intrinsic::usub_with_overflow:
    case Intrinsic::umul_with_overflow: {
      std::string N = Names[&C], TN = typeName(C.getArgOperand(0)->getType());
      if (ID == Intrinsic::uadd_with_overflow) {
        emit(N + "_0 = (" + TN + ")(" + A(0) + " + " + A(1) + ");");
        emit(N + "_1 = " + N + "_0 < " + A(0) + ";");
      } else if (ID == Intrinsic::usub_with_overflow) {
        emit(N + "_0 = (" + TN + ")(" + A(0) + " - " + A(1) + ");");
        emit(N + "_1 = " + A(0) + " < " + A(1) + ";");
      } else {
        // mul_hi exists for 32- and 64-bit operands only.
        if (!C.getArgOperand(0)->getType()->isIntegerTy(32) && !C.getArgOperand(0)->getType()->isIntegerTy(64))
          return false;
        emit(N + "_0 = (" + TN + ")(" + A(0) + " * " + A(1) + ");");
        emit(N + "_1 = " + A(0) + " != 0 && mul_hi(" + A(0) + ", " + A(1) + ") != 0;");
      }
      return true;
    }
    case Intrinsic::uadd_sat: return assign(C, "add_sat(" + A(0) + ", " + A(1) + ")"), true;
    case Intrinsic::usub_sat: return assign(C, "sub_sat(" + A(0) + ", " + A(1) + ")"), true;
    case Intrinsic::sadd_sat: return assign(C, wrap(T, "add_sat(" + SA(0) + ", " + SA(1) + ")")), true;
    case Intrinsic::ssub_sat: return assign(C, wrap(T, "sub_sat(" + SA(0) + ", " + SA(1) + ")")), true;
    default:
      return false;
    }
  }

  void call(const CallInst &C) {
    if (C.isInlineAsm())
      return fail("inline PTX assembly is not supported by the OpenCL backend");
    const Function *Callee = C.getCalledFunction();
    if (!Callee)
      return fail("indirect calls (virtual functions, function pointers) are not supported by the OpenCL backend");
    if (Callee->hasFnAttribute("dontcall-error"))
      return fail(Callee->getFnAttribute("dontcall-error").getValueAsString());
    StringRef Name = Callee->getName();
    if (Intrinsic::ID ID = Callee->getIntrinsicID()) {
      if (Name.startswith("llvm.nvvm.")) {
        if (nvvmCall(C, Name.drop_front(strlen("llvm.nvvm."))))
          return;
      } else if (intrinsicCall(C, ID)) {
        return;
      }
      return fail("the intrinsic " + Name + " is not supported by the OpenCL backend");
    }
    if (Name == "vprintf")
      return vprintf(C);
    if (Name == "__assertfail")
      return assertFail(C);
    if (!Callee->isDeclaration())
      return fail("the call to " + prettyName(Callee) +
                  " was not inlined (recursion is not supported by the OpenCL backend)");
    if (mathCall(C, Name))
      return;
    if (Name == "malloc" || Name == "free" || Name.startswith("_Zn") || Name.startswith("_Zd"))
      return fail("the device heap (malloc/free/new/delete in kernels) is not supported by the OpenCL backend");
    fail("the function " + prettyName(Callee) + " is not available to the OpenCL backend");
  }

  void instruction(const Instruction &I) {
    Current = &I;
    switch (I.getOpcode()) {
    case Instruction::PHI:
      return;
    case Instruction::Load:
      return load(cast<LoadInst>(I));
    case Instruction::Store:
      return store(cast<StoreInst>(I));
    case Instruction::AtomicRMW:
      return atomicRMW(cast<AtomicRMWInst>(I));
    case Instruction::AtomicCmpXchg:
      return cmpXchg(cast<AtomicCmpXchgInst>(I));
    case Instruction::Fence:
      return emit("mem_fence(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);");
    case Instruction::Alloca:
      return alloca_(cast<AllocaInst>(I));
    case Instruction::Call:
      return call(cast<CallInst>(I));
    case Instruction::ExtractValue:
      return extractValue(cast<ExtractValueInst>(I));
    case Instruction::InsertElement:
      return insertElement(cast<InsertElementInst>(I));
    case Instruction::InsertValue:
      return fail("aggregate values are not supported by the OpenCL backend");
    default:
      break;
    }
    if (I.isTerminator())
      return terminator(I);
    assign(I, expression(const_cast<Instruction &>(I), &I));
  }

  // Static __shared__ variables this kernel uses, laid out in one local array; extern ones are the
  // dynamic shared memory argument.
  void layoutShared() {
    std::set<const GlobalVariable *> Used;
    std::function<void(const Value *)> Visit = [&](const Value *V) {
      if (auto *GV = dyn_cast<GlobalVariable>(V)) {
        if (GV->getAddressSpace() == 3)
          Used.insert(GV);
        return;
      }
      if (auto *CE = dyn_cast<ConstantExpr>(V))
        for (const Value *Op : CE->operands())
          Visit(Op);
    };
    for (const BasicBlock &BB : F)
      for (const Instruction &I : BB)
        for (const Value *Op : I.operands())
          Visit(Op);
    for (GlobalVariable &GV : F.getParent()->globals()) {
      if (!Used.count(&GV))
        continue;
      uint64_t Size = DL.getTypeAllocSize(GV.getValueType());
      if (GV.isDeclaration() || Size == 0) {
        DynamicShared.insert(&GV);
        continue;
      }
      uint64_t Align = std::max<uint64_t>(GV.getAlign() ? GV.getAlign()->value() : 1, 4);
      StaticShared = alignTo(StaticShared, Align);
      SharedOffset[&GV] = StaticShared;
      StaticShared += Size;
    }
  }
};

std::string sanitize(StringRef Name) {
  std::string S = "cuk_";
  for (char C : Name)
    S += isAlnum(C) || C == '_' ? C : '_';
  return S;
}

bool KernelWriter::run(std::string &Source, std::string &Metadata) {
  inferSpaces();
  if (Failed)
    return false;
  layoutShared();
  std::string OclName = sanitize(F.getName());

  // Parameters: pointers are SVM pointers, scalars by value, byval structs as opaque byte structs.
  std::string Params, Kinds, Prologue;
  unsigned Index = 0;
  for (Argument &A : F.args()) {
    std::string AN = "a" + std::to_string(Index);
    std::string Kind;
    Params += Index ? ", " : "";
    Type *T = A.getType();
    if (passedInBuffer(A)) {
      uint64_t Size = DL.getTypeAllocSize(A.getParamByValType());
      Params += "__global uchar* " + AN;
      Names[&A] = AN;
      Kind = "b" + std::to_string(Size);
      if (copiedToPrivate(A)) {
        Decls += "  __private uchar " + AN + "_copy[" + std::to_string(Size) + "] __attribute__((aligned(16)));\n";
        Body += "  for (uint i = 0; i < " + std::to_string(Size) + "u; ++i) " + AN + "_copy[i] = " + AN + "[i];\n";
        Names[&A] = "((__private uchar*)" + AN + "_copy)";
      }
    } else if (A.hasByValAttr()) {
      uint64_t Size = DL.getTypeAllocSize(A.getParamByValType());
      uint64_t Align = std::max<uint64_t>(A.getParamAlign() ? A.getParamAlign()->value() : 1, 1);
      std::string TN = OclName + "_p" + std::to_string(Index);
      Typedefs += "typedef struct __attribute__((aligned(" + std::to_string(Align) + "))) { uchar b[" +
                  std::to_string(Size) + "]; } " + TN + ";\n";
      Params += TN + " " + AN;
      Names[&A] = "((__private uchar*)&" + AN + ")";
      Kind = "s" + std::to_string(Size);
    } else if (T->isPointerTy()) {
      // A buffer and an offset: an SVM pointer and 0, or a cl_mem and the offset into it (buffer mode).
      Params += "__global uchar* " + AN + "_b, ulong " + AN + "_o";
      Decls += "  __global uchar* " + AN + ";\n";
      Body += "  " + AN + " = " + AN + "_b + " + AN + "_o;\n";
      Names[&A] = AN;
      Kind = "p";
    } else if (T->isIntegerTy(1)) {
      Params += "uchar " + AN;
      Names[&A] = "(" + AN + " != 0)";
      Kind = "s1";
    } else {
      Params += typeName(T) + " " + AN;
      Names[&A] = AN;
      Kind = "s" + std::to_string(DL.getTypeAllocSize(T));
    }
    Kinds += (Index ? "," : "") + Kind;
    ++Index;
  }
  if (Kinds.empty())
    Kinds = "-";

  for (const BasicBlock &BB : F)
    Labels[&BB] = Labels.size();
  for (const BasicBlock &BB : F)
    for (const Instruction &I : BB)
      if (!I.getType()->isVoidTy() && !I.isTerminator())
        declare(&I);
  for (const BasicBlock &BB : F) {
    Body += "L" + std::to_string(Labels[&BB]) + ":;\n";
    for (const Instruction &I : BB) {
      instruction(I);
      if (Failed)
        return false;
    }
  }

  std::string Src = Typedefs + "__kernel void " + OclName + "(" + Params + (Params.empty() ? "" : ", ") +
                    "__global uchar* __cuport_g, __local uchar* __cuport_dyn" +
                    (UsesWarp ? ", __local uchar* __cuport_warp" : "") + ") {\n";
  if (StaticShared)
    Src += "  __local uchar __cuport_smem[" + std::to_string(StaticShared) + "] __attribute__((aligned(16)));\n";
  if (UsesBlockCount)
    Src += "  __local uint __cuport_red[1];\n";
  Src += Decls + Body + "}\n\n";
  Source += Src;
  Metadata += "//@kernel " + F.getName().str() + " " + OclName + " " + std::to_string(StaticShared) + " " +
              std::to_string((UsesWarp ? 1 : 0) | (NeedsSvm.empty() ? 0 : 2)) + " " + Kinds + "\n";
  if (!NeedsSvm.empty())
    Metadata += "//@svm-only " + F.getName().str() + " " + NeedsSvm + "\n";
  return true;
}

} // namespace

bool writeOpenCLKernel(Function &Kernel, const OpenCLGlobals &Globals, std::string &Source, std::string &Metadata,
                       Diagnostics &Diags) {
  KernelWriter W(Kernel, Globals, Diags);
  return W.run(Source, Metadata);
}

} // namespace cuport

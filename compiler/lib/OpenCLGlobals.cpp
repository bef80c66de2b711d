// OpenCL lowering, step 2: OpenCL C 1.2 has no writable program-scope variables, so every __device__ and
// __constant__ variable (and every constant table the kernels read) lives in one buffer per module that the
// runtime allocates, initializes from the //@init and //@reloc lines, and passes to every kernel.  The
// runtime's cudaMemcpyToSymbol writes into it through the //@symbol offsets.
#include "OpenCL.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Operator.h"

using namespace llvm;

namespace cuport {
namespace {

class Initializer {
public:
  Initializer(const DataLayout &DL, const OpenCLGlobals &G, std::vector<uint8_t> &Bytes, std::string &Relocs)
      : DL(DL), G(G), Bytes(Bytes), Relocs(Relocs) {}

  void write(const Constant *C, uint64_t Off) {
    if (isa<UndefValue>(C) || isa<ConstantAggregateZero>(C) || isa<ConstantPointerNull>(C))
      return; // zero
    if (auto *CI = dyn_cast<ConstantInt>(C))
      return writeInt(CI->getValue(), Off);
    if (auto *CF = dyn_cast<ConstantFP>(C))
      return writeInt(CF->getValueAPF().bitcastToAPInt(), Off);
    if (auto *CDS = dyn_cast<ConstantDataSequential>(C)) {
      uint64_t Elt = DL.getTypeAllocSize(CDS->getElementType());
      for (unsigned I = 0, N = CDS->getNumElements(); I < N; ++I)
        write(CDS->getElementAsConstant(I), Off + I * Elt);
      return;
    }
    if (auto *CS = dyn_cast<ConstantStruct>(C)) {
      const StructLayout *SL = DL.getStructLayout(CS->getType());
      for (unsigned I = 0, N = CS->getNumOperands(); I < N; ++I)
        write(CS->getOperand(I), Off + SL->getElementOffset(I));
      return;
    }
    if (isa<ConstantArray>(C) || isa<ConstantVector>(C)) {
      Type *Elt = isa<ConstantArray>(C) ? cast<ArrayType>(C->getType())->getElementType()
                                        : cast<VectorType>(C->getType())->getElementType();
      uint64_t Size = DL.getTypeAllocSize(Elt);
      for (unsigned I = 0, N = C->getNumOperands(); I < N; ++I)
        write(cast<Constant>(C->getOperand(I)), Off + I * Size);
      return;
    }
    // A pointer: the address of another variable (plus an offset) becomes a relocation.
    APInt Delta(64, 0);
    const Value *Base = C->stripAndAccumulateConstantOffsets(DL, Delta, /*AllowNonInbounds=*/true);
    if (auto *GV = dyn_cast<GlobalVariable>(Base)) {
      auto It = G.Offset.find(GV);
      if (It != G.Offset.end()) {
        Relocs += "//@reloc " + std::to_string(Off) + " " + std::to_string(It->second + Delta.getSExtValue()) + "\n";
        return;
      }
    }
    // Function pointers and anything else stay zero: OpenCL C cannot call through them, and the writer
    // rejects every indirect call.
  }

private:
  void writeInt(const APInt &V, uint64_t Off) {
    unsigned Bytes_ = (V.getBitWidth() + 7) / 8;
    for (unsigned I = 0; I < Bytes_; ++I)
      Bytes[Off + I] = static_cast<uint8_t>(V.extractBitsAsZExtValue(8, I * 8));
  }

  const DataLayout &DL;
  const OpenCLGlobals &G;
  std::vector<uint8_t> &Bytes;
  std::string &Relocs;
};

// Variables that live in the globals buffer: everything the device can address outside shared memory.
bool inGlobalsBuffer(const GlobalVariable &GV) {
  if (GV.getName().startswith("llvm."))
    return false;
  if (GV.getAddressSpace() == 3) // __shared__: per block, laid out by the writer
    return false;
  return !GV.isDeclaration();
}

} // namespace

OpenCLGlobals layoutOpenCLGlobals(Module &M) {
  const DataLayout &DL = M.getDataLayout();
  OpenCLGlobals G;
  for (GlobalVariable &GV : M.globals()) {
    if (!inGlobalsBuffer(GV))
      continue;
    uint64_t Align = std::max<uint64_t>(GV.getAlign() ? GV.getAlign()->value() : 1, 8);
    G.Size = alignTo(G.Size, Align);
    G.Offset[&GV] = G.Size;
    G.Size += std::max<uint64_t>(DL.getTypeAllocSize(GV.getValueType()), 1);
  }
  G.Size = alignTo(G.Size, 16);

  std::vector<uint8_t> Bytes(G.Size, 0);
  std::string Relocs, Symbols;
  Initializer Init(DL, G, Bytes, Relocs);
  for (GlobalVariable &GV : M.globals()) {
    auto It = G.Offset.find(&GV);
    if (It == G.Offset.end())
      continue;
    if (GV.hasInitializer())
      Init.write(GV.getInitializer(), It->second);
    // Internal variables too: CUDA registers file-static __device__ variables by their device name.
    if (!GV.hasPrivateLinkage())
      Symbols += "//@symbol " + GV.getName().str() + " " + std::to_string(It->second) + " " +
                 std::to_string(DL.getTypeAllocSize(GV.getValueType())) + "\n";
  }
  G.Metadata = "//@globals " + std::to_string(G.Size) + "\n" + Symbols;
  // Initial contents, as runs of non-zero bytes (at most 64 per line).
  for (uint64_t I = 0; I < Bytes.size();) {
    if (!Bytes[I]) {
      ++I;
      continue;
    }
    uint64_t End = I;
    while (End < Bytes.size() && End - I < 64 && (Bytes[End] || (End + 1 < Bytes.size() && Bytes[End + 1])))
      ++End;
    G.Metadata += "//@init " + std::to_string(I) + " " + toHex(ArrayRef<uint8_t>(&Bytes[I], End - I), true) + "\n";
    I = End;
  }
  G.Metadata += Relocs;
  return G;
}

} // namespace cuport

#include "Diagnostics.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Instruction.h"

namespace cuport {

namespace {
bool inHeader(const llvm::DILocation *L) {
  llvm::StringRef Dir = L->getDirectory(), File = L->getFilename();
  return File.startswith("include/cuport/") || File.contains("/include/cuport/") ||
         File.endswith("cooperative_groups.h") || File.contains("include/cooperative_groups/") ||
         Dir.endswith("/include/cuport");
}
} // namespace

bool inCuportHeaders(const llvm::Instruction *I) {
  const llvm::DILocation *Loc = I ? I->getDebugLoc().get() : nullptr;
  while (Loc && inHeader(Loc) && Loc->getInlinedAt())
    Loc = Loc->getInlinedAt();
  return Loc && inHeader(Loc);
}

std::string sourceLocation(const llvm::Instruction *I) {
  if (!I)
    return "";
  const llvm::DebugLoc &DL = I->getDebugLoc();
  if (!DL)
    return "";
  auto *Loc = DL.get();
  // The innermost location is the most precise, except inside cuport's own headers (a warp shuffle's
  // implementation): there the user's call site, where the header function was inlined, names the cause.
  while (inHeader(Loc) && Loc->getInlinedAt())
    Loc = Loc->getInlinedAt();
  std::string File = Loc->getFilename().str();
  if (File.empty())
    return "";
  std::string Result = File + ":" + std::to_string(Loc->getLine());
  if (Loc->getColumn())
    Result += ":" + std::to_string(Loc->getColumn());
  return Result;
}

std::string oneLine(std::string Message) {
  for (char &C : Message)
    if (C == '\n')
      C = ' ';
  return Message;
}

std::string prettyName(const llvm::Function *F) {
  if (!F)
    return "<unknown>";
  return llvm::demangle(F->getName().str());
}

void Diagnostics::error(const llvm::Instruction *At, const llvm::Twine &Message) {
  std::string Loc = sourceLocation(At);
  std::string Where = Loc.empty() ? FallbackLoc : Loc;
  std::string In;
  if (At && At->getFunction())
    In = " (in " + prettyName(At->getFunction()) + ")";
  Messages.push_back(Where + ": error: " + Message.str() + In);
}

void Diagnostics::error(const llvm::Function *F, const llvm::Twine &Message) {
  std::string Loc;
  if (F)
    if (auto *SP = F->getSubprogram())
      Loc = SP->getFilename().str() + ":" + std::to_string(SP->getLine());
  Messages.push_back((Loc.empty() ? FallbackLoc : Loc) + ": error: " + Message.str() + " (in " +
                     prettyName(F) + ")");
}

void Diagnostics::error(const llvm::Twine &Message) {
  Messages.push_back(FallbackLoc + ": error: " + Message.str());
}

void Diagnostics::errorAt(const std::string &Location, const llvm::Twine &Message) {
  Messages.push_back((Location.empty() ? FallbackLoc : Location) + ": error: " + Message.str());
}

} // namespace cuport

// Compile-time diagnostics of the device-code lowering: every unsupported construct is reported with the
// source location (file:line:col from debug info when present, else the function) instead of crashing later.
#ifndef CUPORT_COMPILER_DIAGNOSTICS_H
#define CUPORT_COMPILER_DIAGNOSTICS_H

#include <string>
#include <vector>

namespace llvm {
class Function;
class Instruction;
class Twine;
} // namespace llvm

namespace cuport {

class Diagnostics {
public:
  // `Fallback` names the translation unit when no debug location is known.
  explicit Diagnostics(std::string Fallback = "<device code>") : FallbackLoc(std::move(Fallback)) {}

  void error(const llvm::Instruction *At, const llvm::Twine &Message);
  void error(const llvm::Function *In, const llvm::Twine &Message);
  void error(const llvm::Twine &Message);
  // At a location known otherwise ("file.cu:12", e.g. from an annotation); the fallback when empty.
  void errorAt(const std::string &Location, const llvm::Twine &Message);

  bool hasErrors() const { return !Messages.empty(); }
  const std::vector<std::string> &messages() const { return Messages; }
  void setFallbackLocation(std::string Loc) { FallbackLoc = std::move(Loc); }

private:
  std::string FallbackLoc;
  std::vector<std::string> Messages;
};

// "file.cu:12:5" from the instruction's debug location, or "" when it has none.
std::string sourceLocation(const llvm::Instruction *I);
// Whether I's source location, even after following inlined-at chains out of them, is in cuport's own
// headers (then the caller's call site names the cause better).
bool inCuportHeaders(const llvm::Instruction *I);
// A message with its newlines replaced by spaces, for the one-line "unsupported" records of the images.
std::string oneLine(std::string Message);
// The demangled name of a function for messages ("vecAdd(float*, int)").
std::string prettyName(const llvm::Function *F);

} // namespace cuport

#endif

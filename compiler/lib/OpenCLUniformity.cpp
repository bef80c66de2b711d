// OpenCL lowering, the check before writing a kernel: OpenCL requires every work-item of a work-group to
// reach each barrier, and the OpenCL backend's warp collectives are built from work-group barriers.  CUDA
// is more permissive: threads that returned skip later __syncthreads(), and a warp may shuffle inside
// `if (threadIdx.x < 32)`.  OpenCLPredicate repairs the common forms; a kernel with a barrier or collective
// still under thread-dependent control flow would hang, crash or compute garbage on an OpenCL device, so
// it is reported instead (the kernel becomes //@unsupported; everything else still runs).
#include "Diagnostics.h"
#include "OpenCL.h"
#include "OpenCLDivergence.h"

#include "llvm/IR/Instructions.h"

using namespace llvm;

namespace cuport {

bool checkUniformCollectives(Function &F, Diagnostics &Diags) {
  Divergence D(F);
  const CallInst *C = D.firstDivergentCollective(F);
  if (!C)
    return true;
  Diags.error(C, Twine(collectiveName(*C)) +
                     " under thread-dependent control flow (inside a branch on the thread index, or after some "
                     "threads returned) is not supported by the OpenCL backend: OpenCL requires every work-item "
                     "of a work-group to reach it");
  return false;
}

} // namespace cuport

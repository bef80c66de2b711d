/* CUDA built-in variables threadIdx, blockIdx, blockDim, gridDim and warpSize (clean-room, from the
 * CUDA C++ Programming Guide, "Built-in Variables").
 *
 * Each variable is an object of an empty class whose members x, y, z are __declspec(property)
 * accessors; reading threadIdx.x calls a __device__ function that reads the special register
 * (llvm.nvvm.read.ptx.sreg.tid.x and friends).  The objects cannot be copied, assigned or addressed;
 * using them from host code is a compile error (a __device__ function called from a
 * __host__ one).  They exist only in CUDA compilations. */
#ifndef __CUPORT_DEVICE_BUILTIN_VARS_H__
#define __CUPORT_DEVICE_BUILTIN_VARS_H__

#include "config.h"
#include "../../vector_types.h"

#if defined(__CUPORT_CUDA) && defined(__cplusplus)

#define __CUPORT_SREG_CLASS(cls, reg)                                                                \
  struct cls {                                                                                             \
    static __device__ __forceinline__ unsigned int __get_x() { return (unsigned int)__nvvm_read_ptx_sreg_##reg##_x(); } \
    static __device__ __forceinline__ unsigned int __get_y() { return (unsigned int)__nvvm_read_ptx_sreg_##reg##_y(); } \
    static __device__ __forceinline__ unsigned int __get_z() { return (unsigned int)__nvvm_read_ptx_sreg_##reg##_z(); } \
    __declspec(property(get = __get_x)) unsigned int x;                                                    \
    __declspec(property(get = __get_y)) unsigned int y;                                                    \
    __declspec(property(get = __get_z)) unsigned int z;                                                    \
    typedef void __cuport_sreg_tag;                                                                        \
    __device__ __forceinline__ operator uint3() const { uint3 __r = {__get_x(), __get_y(), __get_z()}; return __r; } \
    __host__ __device__ constexpr cls() {}                                                                 \
   private:                                                                                                \
    __device__ cls(const cls&) = delete;                                                                   \
    __device__ void operator=(const cls&) const = delete;                                                  \
    __device__ cls* operator&() const = delete;                                                            \
  }

/* threadIdx and blockIdx are uint3 in CUDA, blockDim and gridDim dim3: all four convert to uint3, and
 * dim3 has a constructor from them (vector_types.h). */
__CUPORT_SREG_CLASS(__cuport_threadIdx_t, tid);
__CUPORT_SREG_CLASS(__cuport_blockIdx_t, ctaid);
__CUPORT_SREG_CLASS(__cuport_blockDim_t, ntid);
__CUPORT_SREG_CLASS(__cuport_gridDim_t, nctaid);

#undef __CUPORT_SREG_CLASS

/* Internal empty constants: the accessors never read them, so optimised device IR has no trace of them
 * (at -O0 an unused internal zero-sized constant may remain; no external symbol is ever referenced). */
static constexpr __device__ __cuport_threadIdx_t threadIdx{};
static constexpr __device__ __cuport_blockIdx_t blockIdx{};
static constexpr __device__ __cuport_blockDim_t blockDim{};
static constexpr __device__ __cuport_gridDim_t gridDim{};

/* warpSize: an int in CUDA.  cuport keeps the CUDA value 32 on every target (warp functions are
 * emulated with 32 lanes), so it is a compile-time constant here. */
static constexpr __device__ int warpSize = 32;

#endif /* __CUPORT_CUDA && __cplusplus */

#endif

/* Execution-space and storage qualifiers (clean-room, from the CUDA C++ Programming Guide). */
#ifndef __HOST_DEFINES_H__
#define __HOST_DEFINES_H__

#if defined(__clang__) && defined(__CUDA__)
#define __host__ __attribute__((host))
#define __device__ __attribute__((device))
#define __global__ __attribute__((global))
#define __shared__ __attribute__((shared))
#define __constant__ __attribute__((constant))
/* Clang 15's CUDA mode ignores the `managed` attribute: a managed variable is a __device__ variable that
 * cuport-cc's first device pass turns into a cell pointing at the host shadow (compiler/lib/ManagedVariables.cpp). */
#define __managed__ __attribute__((device)) __attribute__((annotate("cuport.managed")))
#define __launch_bounds__(...) __attribute__((launch_bounds(__VA_ARGS__)))
#define __grid_constant__ __attribute__((annotate("cuport_grid_constant")))
#else
/* Plain C/C++ host compilers see the qualifiers as nothing. */
#define __host__
#define __device__
#define __global__
#define __shared__
#define __constant__
#define __managed__
#define __launch_bounds__(...)
#define __grid_constant__
#endif

#define __forceinline__ __inline__ __attribute__((always_inline))
/* Clang 15+ treats __noinline__ as a keyword in CUDA mode (so libstdc++'s __attribute__((__noinline__))
 * keeps working); other compilers get the macro only if no C++ standard header can see it. */
#if !(defined(__clang__) && defined(__CUDA__)) && !defined(__noinline__) && !defined(__cplusplus)
#define __noinline__ __attribute__((noinline))
#endif
#define __align__(n) __attribute__((aligned(n)))
#define __thread__ __thread
#define __restrict__ __restrict
#define __device_builtin__
#define __builtin_align__(n) __align__(n)
#define __cudart_builtin__
#define CUDARTAPI
#define CUDART_CB
#define __CUDA_ALIGN__(n) __align__(n)

#endif

/* cuport device headers: common configuration (clean-room).
 *
 * __CUPORT_CUDA        defined when Clang compiles CUDA (host or device side of a .cu file).
 * __CUPORT_DEVICE_PASS defined on the device side of that compilation (__CUDA_ARCH__ is set).
 * __CUPORT_DEV         qualifiers of a device-only helper: internal linkage, always inlined, so no
 *                      symbol ever clashes between translation units or with host code.
 * __CUPORT_HD          the same for a function usable on both sides.
 */
#ifndef __CUPORT_DEVICE_CONFIG_H__
#define __CUPORT_DEVICE_CONFIG_H__

#include "../../host_defines.h"

#if defined(__clang__) && defined(__CUDA__)
#define __CUPORT_CUDA 1
#if defined(__CUDA_ARCH__)
#define __CUPORT_DEVICE_PASS 1
#endif
#define __CUPORT_DEV static __device__ __forceinline__
#define __CUPORT_HD static __host__ __device__ __forceinline__
#else
#define __CUPORT_HD static __inline__
#endif

#endif

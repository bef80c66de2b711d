/* min() and max() for every integer and floating-point combination CUDA provides (clean-room, from the
 * CUDA Math API, "Integer Mathematical Functions" / "Single/Double Precision Mathematical Functions").
 * Usable in host and device code of .cu files (as with nvcc); a mixed signed/unsigned pair compares
 * and returns in the unsigned type, a float/double pair in double.  Also umin/umax, llmin/llmax,
 * ullmin/ullmax.  Not defined for plain C++ translation units (they would collide with user code). */
#ifndef __CUPORT_DEVICE_MINMAX_H__
#define __CUPORT_DEVICE_MINMAX_H__

#include "config.h"

#if defined(__CUPORT_CUDA) && defined(__cplusplus)

#define __CUPORT_MINMAX(R, A, B)                                                            \
  __CUPORT_HD R min(A __a, B __b) { return ((R)__a < (R)__b) ? (R)__a : (R)__b; }          \
  __CUPORT_HD R max(A __a, B __b) { return ((R)__a > (R)__b) ? (R)__a : (R)__b; }

__CUPORT_MINMAX(int, int, int)
__CUPORT_MINMAX(unsigned int, unsigned int, unsigned int)
__CUPORT_MINMAX(unsigned int, int, unsigned int)
__CUPORT_MINMAX(unsigned int, unsigned int, int)
__CUPORT_MINMAX(long int, long int, long int)
__CUPORT_MINMAX(unsigned long int, unsigned long int, unsigned long int)
__CUPORT_MINMAX(unsigned long int, long int, unsigned long int)
__CUPORT_MINMAX(unsigned long int, unsigned long int, long int)
__CUPORT_MINMAX(long long int, long long int, long long int)
__CUPORT_MINMAX(unsigned long long int, unsigned long long int, unsigned long long int)
__CUPORT_MINMAX(unsigned long long int, long long int, unsigned long long int)
__CUPORT_MINMAX(unsigned long long int, unsigned long long int, long long int)
#undef __CUPORT_MINMAX

/* Floating point: fmin/fmax semantics (a NaN operand yields the other operand). */
__CUPORT_HD float min(float __a, float __b) { return __builtin_fminf(__a, __b); }
__CUPORT_HD float max(float __a, float __b) { return __builtin_fmaxf(__a, __b); }
__CUPORT_HD double min(double __a, double __b) { return __builtin_fmin(__a, __b); }
__CUPORT_HD double max(double __a, double __b) { return __builtin_fmax(__a, __b); }
__CUPORT_HD double min(float __a, double __b) { return __builtin_fmin((double)__a, __b); }
__CUPORT_HD double max(float __a, double __b) { return __builtin_fmax((double)__a, __b); }
__CUPORT_HD double min(double __a, float __b) { return __builtin_fmin(__a, (double)__b); }
__CUPORT_HD double max(double __a, float __b) { return __builtin_fmax(__a, (double)__b); }

__CUPORT_HD unsigned int umin(unsigned int __a, unsigned int __b) { return __a < __b ? __a : __b; }
__CUPORT_HD unsigned int umax(unsigned int __a, unsigned int __b) { return __a > __b ? __a : __b; }
__CUPORT_HD long long int llmin(long long int __a, long long int __b) { return __a < __b ? __a : __b; }
__CUPORT_HD long long int llmax(long long int __a, long long int __b) { return __a > __b ? __a : __b; }
__CUPORT_HD unsigned long long int ullmin(unsigned long long int __a, unsigned long long int __b) {
  return __a < __b ? __a : __b;
}
__CUPORT_HD unsigned long long int ullmax(unsigned long long int __a, unsigned long long int __b) {
  return __a > __b ? __a : __b;
}

#endif /* __CUPORT_CUDA && __cplusplus */

#endif

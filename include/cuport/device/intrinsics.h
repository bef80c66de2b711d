/* CUDA device intrinsics (clean-room, from the CUDA Math API, "Single/Double Precision Intrinsics",
 * "Type Casting Intrinsics", "Integer Intrinsics"), and the __ldg family of cached loads.
 *
 * Written with portable Clang builtins and integer arithmetic only:
 * - fast-math forms (__expf, __sinf, ...) use the ordinary precise functions (a valid, more accurate
 *   implementation; -use_fast_math is handled elsewhere);
 * - directed-rounding arithmetic (_rz, _ru, _rd) computes the round-to-nearest result and the sign of
 *   its exact error (two-sum / fma residual), then steps one ulp where the mode requires; the
 *   rounding-mode forms of fma (__fmaf_rz, __fma_ru, ...) round to nearest;
 * - float->integer conversions saturate, NaN giving 0, as the hardware conversions do. */
#ifndef __CUPORT_DEVICE_INTRINSICS_H__
#define __CUPORT_DEVICE_INTRINSICS_H__

#include "config.h"

#if defined(__CUPORT_CUDA) && defined(__cplusplus)

/* ---- reinterpretation ------------------------------------------------------------------------------ */
__CUPORT_DEV int __float_as_int(float __x) { return __builtin_bit_cast(int, __x); }
__CUPORT_DEV unsigned int __float_as_uint(float __x) { return __builtin_bit_cast(unsigned int, __x); }
__CUPORT_DEV float __int_as_float(int __x) { return __builtin_bit_cast(float, __x); }
__CUPORT_DEV float __uint_as_float(unsigned int __x) { return __builtin_bit_cast(float, __x); }
__CUPORT_DEV long long int __double_as_longlong(double __x) { return __builtin_bit_cast(long long int, __x); }
__CUPORT_DEV double __longlong_as_double(long long int __x) { return __builtin_bit_cast(double, __x); }
__CUPORT_DEV int __double2hiint(double __x) { return (int)(__builtin_bit_cast(unsigned long long, __x) >> 32); }
__CUPORT_DEV int __double2loint(double __x) { return (int)(unsigned int)__builtin_bit_cast(unsigned long long, __x); }
__CUPORT_DEV double __hiloint2double(int __hi, int __lo) {
  return __builtin_bit_cast(double, ((unsigned long long)(unsigned int)__hi << 32) | (unsigned int)__lo);
}

/* ---- one-ulp steps and directed rounding helpers ------------------------------------------------ */
__CUPORT_DEV float __cuport_next_up(float __x) {
  if (__x != __x || __x == __builtin_inff()) return __x;
  if (__x == 0.0f) return __builtin_bit_cast(float, 1u);
  unsigned int __b = __builtin_bit_cast(unsigned int, __x);
  return __builtin_bit_cast(float, __x > 0.0f ? __b + 1u : __b - 1u);
}
__CUPORT_DEV double __cuport_next_up(double __x) {
  if (__x != __x || __x == __builtin_inf()) return __x;
  if (__x == 0.0) return __builtin_bit_cast(double, 1ull);
  unsigned long long __b = __builtin_bit_cast(unsigned long long, __x);
  return __builtin_bit_cast(double, __x > 0.0 ? __b + 1ull : __b - 1ull);
}
template <class __T> __CUPORT_DEV __T __cuport_next_down(__T __x) { return -__cuport_next_up(-__x); }
/* Mode: 0 nearest, 1 toward zero, 2 up, 3 down.  __r is the nearest result, __e (only its sign matters)
 * the exact value minus __r. */
template <class __T> __CUPORT_DEV __T __cuport_directed(__T __r, __T __e, int __mode) {
  if (__e == (__T)0 || __e != __e) return __r;
  switch (__mode) {
    case 1: return (__e > (__T)0) == (__r > (__T)0) ? __r : (__r > (__T)0 ? __cuport_next_down(__r) : __cuport_next_up(__r));
    case 2: return __e > (__T)0 ? __cuport_next_up(__r) : __r;
    case 3: return __e < (__T)0 ? __cuport_next_down(__r) : __r;
    default: return __r;
  }
}
template <class __T> __CUPORT_DEV __T __cuport_fma(__T __a, __T __b, __T __c);
template <> __device__ __forceinline__ float __cuport_fma<float>(float __a, float __b, float __c) { return __builtin_fmaf(__a, __b, __c); }
template <> __device__ __forceinline__ double __cuport_fma<double>(double __a, double __b, double __c) { return __builtin_fma(__a, __b, __c); }
template <class __T> __CUPORT_DEV __T __cuport_sqrt_t(__T __a);
template <> __device__ __forceinline__ float __cuport_sqrt_t<float>(float __a) { return __builtin_sqrtf(__a); }
template <> __device__ __forceinline__ double __cuport_sqrt_t<double>(double __a) { return __builtin_sqrt(__a); }

template <class __T> __CUPORT_DEV __T __cuport_add(__T __a, __T __b, int __mode) {
#pragma clang fp contract(off)
  __T __s = __a + __b;
  __T __bv = __s - __a, __av = __s - __bv;
  __T __e = (__a - __av) + (__b - __bv);
  return __cuport_directed(__s, __e, __mode);
}
template <class __T> __CUPORT_DEV __T __cuport_mul(__T __a, __T __b, int __mode) {
#pragma clang fp contract(off)
  __T __p = __a * __b;
  return __mode == 0 ? __p : __cuport_directed(__p, __cuport_fma(__a, __b, -__p), __mode);
}
template <class __T> __CUPORT_DEV __T __cuport_div(__T __a, __T __b, int __mode) {
#pragma clang fp contract(off)
  __T __q = __a / __b;
  if (__mode == 0) return __q;
  __T __r = __cuport_fma(-__q, __b, __a); /* exact: a - q b */
  return __cuport_directed(__q, __b < (__T)0 ? -__r : __r, __mode);
}
template <class __T> __CUPORT_DEV __T __cuport_sqrt(__T __a, int __mode) {
  __T __s = __cuport_sqrt_t(__a);
  return __mode == 0 ? __s : __cuport_directed(__s, __cuport_fma(-__s, __s, __a), __mode);
}

#define __CUPORT_ROUNDED_OPS(T, add, sub, mul, div, rcp, sqrt, fmaname, fmab, sfx, mode)                   \
  __CUPORT_DEV T add##sfx(T __a, T __b) { return __cuport_add<T>(__a, __b, mode); }                       \
  __CUPORT_DEV T sub##sfx(T __a, T __b) { return __cuport_add<T>(__a, -__b, mode); }                      \
  __CUPORT_DEV T mul##sfx(T __a, T __b) { return __cuport_mul<T>(__a, __b, mode); }                       \
  __CUPORT_DEV T div##sfx(T __a, T __b) { return __cuport_div<T>(__a, __b, mode); }                       \
  __CUPORT_DEV T rcp##sfx(T __a) { return __cuport_div<T>((T)1, __a, mode); }                             \
  __CUPORT_DEV T sqrt##sfx(T __a) { return __cuport_sqrt<T>(__a, mode); }                                 \
  __CUPORT_DEV T fmaname##sfx(T __a, T __b, T __c) { return fmab(__a, __b, __c); }
#define __CUPORT_ROUNDED_ALL(T, a, s, m, d, r, q, f, fb)        \
  __CUPORT_ROUNDED_OPS(T, a, s, m, d, r, q, f, fb, _rn, 0)      \
  __CUPORT_ROUNDED_OPS(T, a, s, m, d, r, q, f, fb, _rz, 1)      \
  __CUPORT_ROUNDED_OPS(T, a, s, m, d, r, q, f, fb, _ru, 2)      \
  __CUPORT_ROUNDED_OPS(T, a, s, m, d, r, q, f, fb, _rd, 3)
__CUPORT_ROUNDED_ALL(float, __fadd, __fsub, __fmul, __fdiv, __frcp, __fsqrt, __fmaf, __builtin_fmaf)
__CUPORT_ROUNDED_ALL(double, __dadd, __dsub, __dmul, __ddiv, __drcp, __dsqrt, __fma, __builtin_fma)
#undef __CUPORT_ROUNDED_ALL
#undef __CUPORT_ROUNDED_OPS
__CUPORT_DEV float __fmaf_ieee_rn(float __a, float __b, float __c) { return __builtin_fmaf(__a, __b, __c); }
__CUPORT_DEV float __frsqrt_rn(float __x) { return 1.0f / __builtin_sqrtf(__x); }

/* ---- fast-math single precision intrinsics ------------------------------------------------------- */
__CUPORT_DEV float __expf(float __x) { return __builtin_expf(__x); }
__CUPORT_DEV float __exp10f(float __x) { return __builtin_powf(10.0f, __x); }
__CUPORT_DEV float __logf(float __x) { return __builtin_logf(__x); }
__CUPORT_DEV float __log2f(float __x) { return __builtin_log2f(__x); }
__CUPORT_DEV float __log10f(float __x) { return __builtin_log10f(__x); }
__CUPORT_DEV float __sinf(float __x) { return __builtin_sinf(__x); }
__CUPORT_DEV float __cosf(float __x) { return __builtin_cosf(__x); }
__CUPORT_DEV float __tanf(float __x) { return __builtin_tanf(__x); }
__CUPORT_DEV void __sincosf(float __x, float* __s, float* __c) { *__s = __builtin_sinf(__x); *__c = __builtin_cosf(__x); }
__CUPORT_DEV float __powf(float __x, float __y) { return __builtin_powf(__x, __y); }
__CUPORT_DEV float __fdividef(float __x, float __y) { return __x / __y; }
__CUPORT_DEV float __saturatef(float __x) { return __x >= 1.0f ? 1.0f : (__x > 0.0f ? __x : 0.0f); /* NaN -> 0 */ }

/* ---- conversions ------------------------------------------------------------------------------ */
/* float/double -> integer, rounding mode from the suffix, saturating, NaN -> 0.  __lo is the smallest
 * representable value of the integer type, __hi the first power of two above its largest. */
#define __CUPORT_F2I(name, F, I, lo, hi, rnd)                                        \
  __CUPORT_DEV I name(F __x) {                                                       \
    F __r = rnd(__x);                                                                \
    if (__r != __r) return (I)0;                                                     \
    if (__r < (F)(lo)) return (I)(lo);                                               \
    if (__r >= (F)(hi)) return (I)~(I)0 > (I)0 ? (I)~(I)0 : (I)(~0ull >> (65 - 8 * sizeof(I))); \
    return (I)__r;                                                                   \
  }
#define __CUPORT_F2I_ALL(pre, F, I, lo, hi, RN, RZ, RU, RD)  \
  __CUPORT_F2I(pre##_rn, F, I, lo, hi, RN)                   \
  __CUPORT_F2I(pre##_rz, F, I, lo, hi, RZ)                   \
  __CUPORT_F2I(pre##_ru, F, I, lo, hi, RU)                   \
  __CUPORT_F2I(pre##_rd, F, I, lo, hi, RD)
#define __CUPORT_F2I_FLOAT(pre, I, lo, hi) \
  __CUPORT_F2I_ALL(pre, float, I, lo, hi, __builtin_rintf, __builtin_truncf, __builtin_ceilf, __builtin_floorf)
#define __CUPORT_F2I_DOUBLE(pre, I, lo, hi) \
  __CUPORT_F2I_ALL(pre, double, I, lo, hi, __builtin_rint, __builtin_trunc, __builtin_ceil, __builtin_floor)
__CUPORT_F2I_FLOAT(__float2int, int, -2147483648.0, 2147483648.0)
__CUPORT_F2I_FLOAT(__float2uint, unsigned int, 0.0, 4294967296.0)
__CUPORT_F2I_FLOAT(__float2ll, long long int, -9223372036854775808.0, 9223372036854775808.0)
__CUPORT_F2I_FLOAT(__float2ull, unsigned long long int, 0.0, 18446744073709551616.0)
__CUPORT_F2I_DOUBLE(__double2int, int, -2147483648.0, 2147483648.0)
__CUPORT_F2I_DOUBLE(__double2uint, unsigned int, 0.0, 4294967296.0)
__CUPORT_F2I_DOUBLE(__double2ll, long long int, -9223372036854775808.0, 9223372036854775808.0)
__CUPORT_F2I_DOUBLE(__double2ull, unsigned long long int, 0.0, 18446744073709551616.0)
#undef __CUPORT_F2I_FLOAT
#undef __CUPORT_F2I_DOUBLE
#undef __CUPORT_F2I_ALL
#undef __CUPORT_F2I

/* integer -> float/double with a rounding mode: convert to nearest, compare with the exact integer,
 * step one ulp if the mode requires.  __lim is 2^(bits) or 2^(bits-1): a result at or above it is
 * certainly greater than the integer. */
template <class __F, class __I> __CUPORT_DEV __F __cuport_i2f(__I __x, int __mode, __F __lim) {
  __F __r = (__F)__x;
  if (__mode == 0) return __r;
  int __cmp; /* sign of (r - x) */
  if (__r >= __lim) __cmp = 1;
  else { __I __b = (__I)__r; __cmp = __b > __x ? 1 : (__b < __x ? -1 : 0); }
  return __cuport_directed(__r, (__F)-__cmp, __mode);
}
#define __CUPORT_I2F(name, F, I, lim)                                                     \
  __CUPORT_DEV F name##_rn(I __x) { return __cuport_i2f<F, I>(__x, 0, (F)(lim)); }      \
  __CUPORT_DEV F name##_rz(I __x) { return __cuport_i2f<F, I>(__x, 1, (F)(lim)); }      \
  __CUPORT_DEV F name##_ru(I __x) { return __cuport_i2f<F, I>(__x, 2, (F)(lim)); }      \
  __CUPORT_DEV F name##_rd(I __x) { return __cuport_i2f<F, I>(__x, 3, (F)(lim)); }
__CUPORT_I2F(__int2float, float, int, 2147483648.0)
__CUPORT_I2F(__uint2float, float, unsigned int, 4294967296.0)
__CUPORT_I2F(__ll2float, float, long long int, 9223372036854775808.0)
__CUPORT_I2F(__ull2float, float, unsigned long long int, 18446744073709551616.0)
__CUPORT_I2F(__ll2double, double, long long int, 9223372036854775808.0)
__CUPORT_I2F(__ull2double, double, unsigned long long int, 18446744073709551616.0)
#undef __CUPORT_I2F
__CUPORT_DEV double __int2double_rn(int __x) { return (double)__x; }
__CUPORT_DEV double __uint2double_rn(unsigned int __x) { return (double)__x; }

/* double -> float with a rounding mode. */
__CUPORT_DEV float __cuport_d2f(double __x, int __mode) {
  float __r = (float)__x;
  if (__mode == 0 || __r != __r) return __r;
  double __e = __x - (double)__r; /* exact unless r overflowed */
  if (__builtin_isinf(__r) && !__builtin_isinf(__x)) __e = __r > 0.0f ? -1.0 : 1.0;
  return __cuport_directed(__r, __e > 0.0 ? 1.0f : (__e < 0.0 ? -1.0f : 0.0f), __mode);
}
__CUPORT_DEV float __double2float_rn(double __x) { return __cuport_d2f(__x, 0); }
__CUPORT_DEV float __double2float_rz(double __x) { return __cuport_d2f(__x, 1); }
__CUPORT_DEV float __double2float_ru(double __x) { return __cuport_d2f(__x, 2); }
__CUPORT_DEV float __double2float_rd(double __x) { return __cuport_d2f(__x, 3); }

/* ---- integer intrinsics --------------------------------------------------------------------------- */
/* Product of the low 24 bits (sign-extended) of each operand; low 32 bits of the result. */
__CUPORT_DEV int __mul24(int __x, int __y) {
  long long __a = (long long)(((int)((unsigned int)__x << 8)) >> 8), __b = (long long)(((int)((unsigned int)__y << 8)) >> 8);
  return (int)(unsigned int)(unsigned long long)(__a * __b);
}
__CUPORT_DEV unsigned int __umul24(unsigned int __x, unsigned int __y) { return (__x & 0xffffffu) * (__y & 0xffffffu); }
__CUPORT_DEV int __mulhi(int __x, int __y) { return (int)(((long long)__x * (long long)__y) >> 32); }
__CUPORT_DEV unsigned int __umulhi(unsigned int __x, unsigned int __y) {
  return (unsigned int)(((unsigned long long)__x * (unsigned long long)__y) >> 32);
}
__CUPORT_DEV unsigned long long int __umul64hi(unsigned long long int __x, unsigned long long int __y) {
  unsigned long long __x0 = __x & 0xffffffffull, __x1 = __x >> 32, __y0 = __y & 0xffffffffull, __y1 = __y >> 32;
  unsigned long long __p00 = __x0 * __y0, __p01 = __x0 * __y1, __p10 = __x1 * __y0, __p11 = __x1 * __y1;
  unsigned long long __mid = (__p00 >> 32) + (__p01 & 0xffffffffull) + (__p10 & 0xffffffffull);
  return __p11 + (__p01 >> 32) + (__p10 >> 32) + (__mid >> 32);
}
__CUPORT_DEV long long int __mul64hi(long long int __x, long long int __y) {
  unsigned long long __h = __umul64hi((unsigned long long)__x, (unsigned long long)__y);
  if (__x < 0) __h -= (unsigned long long)__y;
  if (__y < 0) __h -= (unsigned long long)__x;
  return (long long int)__h;
}
__CUPORT_DEV int __popc(unsigned int __x) { return __builtin_popcount(__x); }
__CUPORT_DEV int __popcll(unsigned long long int __x) { return __builtin_popcountll(__x); }
__CUPORT_DEV int __clz(int __x) { return __x == 0 ? 32 : __builtin_clz((unsigned int)__x); }
__CUPORT_DEV int __clzll(long long int __x) { return __x == 0 ? 64 : __builtin_clzll((unsigned long long)__x); }
__CUPORT_DEV int __ffs(int __x) { return __builtin_ffs(__x); }
__CUPORT_DEV int __ffsll(long long int __x) { return __builtin_ffsll(__x); }
__CUPORT_DEV unsigned int __brev(unsigned int __x) { return __builtin_bitreverse32(__x); }
__CUPORT_DEV unsigned long long int __brevll(unsigned long long int __x) { return __builtin_bitreverse64(__x); }
/* Result byte i is byte ((s >> 4i) & 7) of the 8-byte value y:x (x supplies bytes 0-3). */
__CUPORT_DEV unsigned int __byte_perm(unsigned int __x, unsigned int __y, unsigned int __s) {
  unsigned long long __v = ((unsigned long long)__y << 32) | __x;
  unsigned int __r = 0;
  for (int __i = 0; __i < 4; ++__i) __r |= (unsigned int)((__v >> (8 * ((__s >> (4 * __i)) & 7u))) & 0xffu) << (8 * __i);
  return __r;
}
__CUPORT_DEV unsigned int __sad(int __x, int __y, unsigned int __z) {
  return (__x > __y ? (unsigned int)__x - (unsigned int)__y : (unsigned int)__y - (unsigned int)__x) + __z;
}
__CUPORT_DEV unsigned int __usad(unsigned int __x, unsigned int __y, unsigned int __z) {
  return (__x > __y ? __x - __y : __y - __x) + __z;
}
__CUPORT_DEV int __hadd(int __x, int __y) { return (int)(((long long)__x + __y) >> 1); }
__CUPORT_DEV int __rhadd(int __x, int __y) { return (int)(((long long)__x + __y + 1) >> 1); }
__CUPORT_DEV unsigned int __uhadd(unsigned int __x, unsigned int __y) { return (unsigned int)(((unsigned long long)__x + __y) >> 1); }
__CUPORT_DEV unsigned int __urhadd(unsigned int __x, unsigned int __y) { return (unsigned int)(((unsigned long long)__x + __y + 1) >> 1); }
/* Funnel shifts of the 64-bit value hi:lo; _l/_r mask the shift to 0..31, _lc/_rc clamp it to 32. */
__CUPORT_DEV unsigned int __funnelshift_l(unsigned int __lo, unsigned int __hi, unsigned int __s) {
  return (unsigned int)(((((unsigned long long)__hi << 32) | __lo) << (__s & 31u)) >> 32);
}
__CUPORT_DEV unsigned int __funnelshift_lc(unsigned int __lo, unsigned int __hi, unsigned int __s) {
  unsigned long long __v = ((unsigned long long)__hi << 32) | __lo;
  return (unsigned int)((__v << (__s < 32u ? __s : 32u)) >> 32);
}
__CUPORT_DEV unsigned int __funnelshift_r(unsigned int __lo, unsigned int __hi, unsigned int __s) {
  return (unsigned int)((((unsigned long long)__hi << 32) | __lo) >> (__s & 31u));
}
__CUPORT_DEV unsigned int __funnelshift_rc(unsigned int __lo, unsigned int __hi, unsigned int __s) {
  return (unsigned int)((((unsigned long long)__hi << 32) | __lo) >> (__s < 32u ? __s : 32u));
}

/* ---- cached loads and stores: plain memory accesses on cuport targets ------------------------------- */
template <class __T> __CUPORT_DEV __T __ldg(const __T* __p) { return *__p; }
template <class __T> __CUPORT_DEV __T __ldcg(const __T* __p) { return *__p; }
template <class __T> __CUPORT_DEV __T __ldca(const __T* __p) { return *__p; }
template <class __T> __CUPORT_DEV __T __ldcs(const __T* __p) { return *__p; }
template <class __T> __CUPORT_DEV __T __ldlu(const __T* __p) { return *__p; }
template <class __T> __CUPORT_DEV __T __ldcv(const __T* __p) { return *(const volatile __T*)__p; }
template <class __T> __CUPORT_DEV void __stwb(__T* __p, __T __v) { *__p = __v; }
template <class __T> __CUPORT_DEV void __stcg(__T* __p, __T __v) { *__p = __v; }
template <class __T> __CUPORT_DEV void __stcs(__T* __p, __T __v) { *__p = __v; }
template <class __T> __CUPORT_DEV void __stwt(__T* __p, __T __v) { *__p = __v; }

#endif /* __CUPORT_CUDA && __cplusplus */

#endif

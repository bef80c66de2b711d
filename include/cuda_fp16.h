/* Half precision (clean-room, from the CUDA Math API "Half Precision Intrinsics"): __half and __half2
 * with conversions, arithmetic, comparisons and a few functions, on host and device.
 *
 * Storage is IEEE binary16 in an unsigned short; arithmetic is computed in float and rounded back to
 * nearest-even, which is how CUDA defines the results for the operations provided here.  Conversions are
 * done in software so every cuport target (CPU, OpenCL C, AMDGPU, PTX) sees the same plain integer and
 * float code. */
#ifndef __CUDA_FP16_H__
#define __CUDA_FP16_H__

#include "cuda_runtime.h"

#if defined(__cplusplus)

#if defined(__CUDA__)
#define __CUPORT_FP16 static __host__ __device__ __inline__
#define __CUPORT_FP16_MEMBER __host__ __device__
#else
#define __CUPORT_FP16 static inline
#define __CUPORT_FP16_MEMBER
#endif

__CUPORT_FP16 unsigned int __cuport_f2u(float f) {
  unsigned int u;
  __builtin_memcpy(&u, &f, 4);
  return u;
}
__CUPORT_FP16 float __cuport_u2f(unsigned int u) {
  float f;
  __builtin_memcpy(&f, &u, 4);
  return f;
}

/* float -> binary16, round to nearest even; overflow to infinity, NaN stays NaN. */
__CUPORT_FP16 unsigned short __cuport_float_to_half_bits(float f) {
  unsigned int x = __cuport_f2u(f);
  unsigned int sign = (x >> 16) & 0x8000u;
  unsigned int exp = (x >> 23) & 0xffu;
  unsigned int mant = x & 0x7fffffu;
  if (exp == 0xffu)
    return (unsigned short)(sign | 0x7c00u | (mant ? 0x200u | (mant >> 13) : 0u));
  int e = (int)exp - 127 + 15;
  if (e >= 31)
    return (unsigned short)(sign | 0x7c00u);
  if (e <= 0) { /* subnormal or zero */
    if (e < -10)
      return (unsigned short)sign;
    mant |= 0x800000u;
    unsigned int shift = (unsigned int)(14 - e);
    unsigned int h = mant >> shift, rem = mant & ((1u << shift) - 1u), half = 1u << (shift - 1);
    if (rem > half || (rem == half && (h & 1u)))
      ++h;
    return (unsigned short)(sign | h);
  }
  unsigned int h = ((unsigned int)e << 10) | (mant >> 13), rem = mant & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1u)))
    ++h; /* may carry into the exponent, up to infinity: correct */
  return (unsigned short)(sign | h);
}

__CUPORT_FP16 float __cuport_half_bits_to_float(unsigned short h) {
  unsigned int sign = ((unsigned int)h & 0x8000u) << 16, exp = (h >> 10) & 0x1fu, mant = h & 0x3ffu;
  if (exp == 0x1fu)
    return __cuport_u2f(sign | 0x7f800000u | (mant << 13));
  if (exp == 0) {
    if (mant == 0)
      return __cuport_u2f(sign);
    /* subnormal: value = mant * 2^-24 */
    float v = (float)mant * 5.9604644775390625e-8f;
    return sign ? -v : v;
  }
  return __cuport_u2f(sign | ((exp + 112u) << 23) | (mant << 13));
}

struct __half_raw {
  unsigned short x;
};

struct __align__(2) __half {
  unsigned short __x;
  __half() = default;
  __CUPORT_FP16_MEMBER __half(const __half_raw &r) : __x(r.x) {}
  __CUPORT_FP16_MEMBER __half(float f) : __x(__cuport_float_to_half_bits(f)) {}
  __CUPORT_FP16_MEMBER __half(double d) : __x(__cuport_float_to_half_bits((float)d)) {}
  __CUPORT_FP16_MEMBER __half(int i) : __x(__cuport_float_to_half_bits((float)i)) {}
  __CUPORT_FP16_MEMBER __half(unsigned int i) : __x(__cuport_float_to_half_bits((float)i)) {}
  __CUPORT_FP16_MEMBER operator float() const { return __cuport_half_bits_to_float(__x); }
  __CUPORT_FP16_MEMBER operator __half_raw() const { return __half_raw{__x}; }
  __CUPORT_FP16_MEMBER __half &operator=(float f) { __x = __cuport_float_to_half_bits(f); return *this; }
};

struct __align__(4) __half2 {
  __half x, y;
  __half2() = default;
  __CUPORT_FP16_MEMBER __half2(__half a, __half b) : x(a), y(b) {}
};

typedef __half half;
typedef __half2 half2;

/* Conversions. */
__CUPORT_FP16 __half __float2half(float f) { return __half(f); }
__CUPORT_FP16 __half __float2half_rn(float f) { return __half(f); }
__CUPORT_FP16 __half __double2half(double d) { return __half(d); }
__CUPORT_FP16 float __half2float(__half h) { return (float)h; }
__CUPORT_FP16 __half __int2half_rn(int i) { return __half(i); }
__CUPORT_FP16 __half __uint2half_rn(unsigned int i) { return __half(i); }
__CUPORT_FP16 int __half2int_rz(__half h) {
  float f = (float)h;
  return f != f ? 0 : f >= 2147483648.0f ? 2147483647 : f <= -2147483648.0f ? (-2147483647 - 1) : (int)f;
}
__CUPORT_FP16 short __half_as_short(__half h) { return (short)h.__x; }
__CUPORT_FP16 unsigned short __half_as_ushort(__half h) { return h.__x; }
__CUPORT_FP16 __half __short_as_half(short s) { return __half(__half_raw{(unsigned short)s}); }
__CUPORT_FP16 __half __ushort_as_half(unsigned short s) { return __half(__half_raw{s}); }
__CUPORT_FP16 __half2 __halves2half2(__half a, __half b) { return __half2(a, b); }
__CUPORT_FP16 __half2 __floats2half2_rn(float a, float b) { return __half2(__half(a), __half(b)); }
__CUPORT_FP16 __half2 __float2half2_rn(float a) { return __half2(__half(a), __half(a)); }
__CUPORT_FP16 __half2 __half2half2(__half a) { return __half2(a, a); }
__CUPORT_FP16 float2 __half22float2(__half2 h) { return make_float2((float)h.x, (float)h.y); }
__CUPORT_FP16 __half2 __float22half2_rn(float2 f) { return __half2(__half(f.x), __half(f.y)); }
__CUPORT_FP16 __half __low2half(__half2 h) { return h.x; }
__CUPORT_FP16 __half __high2half(__half2 h) { return h.y; }
__CUPORT_FP16 float __low2float(__half2 h) { return (float)h.x; }
__CUPORT_FP16 float __high2float(__half2 h) { return (float)h.y; }
__CUPORT_FP16 __half2 __lowhigh2highlow(__half2 h) { return __half2(h.y, h.x); }

/* Arithmetic (computed in float, rounded to nearest even). */
__CUPORT_FP16 __half __hadd(__half a, __half b) { return __half((float)a + (float)b); }
__CUPORT_FP16 __half __hsub(__half a, __half b) { return __half((float)a - (float)b); }
__CUPORT_FP16 __half __hmul(__half a, __half b) { return __half((float)a * (float)b); }
__CUPORT_FP16 __half __hdiv(__half a, __half b) { return __half((float)a / (float)b); }
__CUPORT_FP16 __half __hneg(__half a) { return __half(__half_raw{(unsigned short)(a.__x ^ 0x8000u)}); }
__CUPORT_FP16 __half __habs(__half a) { return __half(__half_raw{(unsigned short)(a.__x & 0x7fffu)}); }
__CUPORT_FP16 __half __hfma(__half a, __half b, __half c) {
  return __half((float)((double)(float)a * (double)(float)b + (double)(float)c));
}
__CUPORT_FP16 bool __hisnan(__half a) { return (a.__x & 0x7fffu) > 0x7c00u; }
__CUPORT_FP16 int __hisinf(__half a) { return (a.__x & 0x7fffu) == 0x7c00u ? ((a.__x & 0x8000u) ? -1 : 1) : 0; }
__CUPORT_FP16 bool __heq(__half a, __half b) { return (float)a == (float)b; }
__CUPORT_FP16 bool __hne(__half a, __half b) { return (float)a != (float)b; }
__CUPORT_FP16 bool __hlt(__half a, __half b) { return (float)a < (float)b; }
__CUPORT_FP16 bool __hle(__half a, __half b) { return (float)a <= (float)b; }
__CUPORT_FP16 bool __hgt(__half a, __half b) { return (float)a > (float)b; }
__CUPORT_FP16 bool __hge(__half a, __half b) { return (float)a >= (float)b; }
__CUPORT_FP16 __half __hmax(__half a, __half b) {
  return __hisnan(a) ? b : __hisnan(b) ? a : ((float)a < (float)b ? b : a);
}
__CUPORT_FP16 __half __hmin(__half a, __half b) {
  return __hisnan(a) ? b : __hisnan(b) ? a : ((float)b < (float)a ? b : a);
}
__CUPORT_FP16 __half2 __hadd2(__half2 a, __half2 b) { return __half2(__hadd(a.x, b.x), __hadd(a.y, b.y)); }
__CUPORT_FP16 __half2 __hsub2(__half2 a, __half2 b) { return __half2(__hsub(a.x, b.x), __hsub(a.y, b.y)); }
__CUPORT_FP16 __half2 __hmul2(__half2 a, __half2 b) { return __half2(__hmul(a.x, b.x), __hmul(a.y, b.y)); }
__CUPORT_FP16 __half2 __h2div(__half2 a, __half2 b) { return __half2(__hdiv(a.x, b.x), __hdiv(a.y, b.y)); }
__CUPORT_FP16 __half2 __hfma2(__half2 a, __half2 b, __half2 c) {
  return __half2(__hfma(a.x, b.x, c.x), __hfma(a.y, b.y, c.y));
}
__CUPORT_FP16 __half2 __hneg2(__half2 a) { return __half2(__hneg(a.x), __hneg(a.y)); }
__CUPORT_FP16 __half2 __habs2(__half2 a) { return __half2(__habs(a.x), __habs(a.y)); }

/* Functions (via float). */
__CUPORT_FP16 __half hsqrt(__half a) { return __half(__builtin_sqrtf((float)a)); }
__CUPORT_FP16 __half hrsqrt(__half a) { return __half(1.0f / __builtin_sqrtf((float)a)); }
__CUPORT_FP16 __half hexp(__half a) { return __half(__builtin_expf((float)a)); }
__CUPORT_FP16 __half hlog(__half a) { return __half(__builtin_logf((float)a)); }
__CUPORT_FP16 __half hfloor(__half a) { return __half(__builtin_floorf((float)a)); }
__CUPORT_FP16 __half hceil(__half a) { return __half(__builtin_ceilf((float)a)); }

/* Operators. */
__CUPORT_FP16 __half operator+(__half a, __half b) { return __hadd(a, b); }
__CUPORT_FP16 __half operator-(__half a, __half b) { return __hsub(a, b); }
__CUPORT_FP16 __half operator*(__half a, __half b) { return __hmul(a, b); }
__CUPORT_FP16 __half operator/(__half a, __half b) { return __hdiv(a, b); }
__CUPORT_FP16 __half operator-(__half a) { return __hneg(a); }
__CUPORT_FP16 __half &operator+=(__half &a, __half b) { return a = __hadd(a, b); }
__CUPORT_FP16 __half &operator-=(__half &a, __half b) { return a = __hsub(a, b); }
__CUPORT_FP16 __half &operator*=(__half &a, __half b) { return a = __hmul(a, b); }
__CUPORT_FP16 __half &operator/=(__half &a, __half b) { return a = __hdiv(a, b); }
__CUPORT_FP16 bool operator==(__half a, __half b) { return __heq(a, b); }
__CUPORT_FP16 bool operator!=(__half a, __half b) { return __hne(a, b); }
__CUPORT_FP16 bool operator<(__half a, __half b) { return __hlt(a, b); }
__CUPORT_FP16 bool operator<=(__half a, __half b) { return __hle(a, b); }
__CUPORT_FP16 bool operator>(__half a, __half b) { return __hgt(a, b); }
__CUPORT_FP16 bool operator>=(__half a, __half b) { return __hge(a, b); }
__CUPORT_FP16 __half2 operator+(__half2 a, __half2 b) { return __hadd2(a, b); }
__CUPORT_FP16 __half2 operator-(__half2 a, __half2 b) { return __hsub2(a, b); }
__CUPORT_FP16 __half2 operator*(__half2 a, __half2 b) { return __hmul2(a, b); }
__CUPORT_FP16 __half2 operator/(__half2 a, __half2 b) { return __h2div(a, b); }

#if defined(__CUDA__)
/* Warp shuffles of halves (as 16-bit payloads in 32-bit shuffles). */
__device__ __inline__ __half __shfl_sync(unsigned m, __half v, int l, int w = 32) {
  return __ushort_as_half((unsigned short)__shfl_sync(m, (int)v.__x, l, w));
}
__device__ __inline__ __half __shfl_down_sync(unsigned m, __half v, unsigned d, int w = 32) {
  return __ushort_as_half((unsigned short)__shfl_down_sync(m, (int)v.__x, (int)d, w));
}
__device__ __inline__ __half __shfl_up_sync(unsigned m, __half v, unsigned d, int w = 32) {
  return __ushort_as_half((unsigned short)__shfl_up_sync(m, (int)v.__x, (int)d, w));
}
__device__ __inline__ __half __shfl_xor_sync(unsigned m, __half v, int l, int w = 32) {
  return __ushort_as_half((unsigned short)__shfl_xor_sync(m, (int)v.__x, l, w));
}
#endif

#undef __CUPORT_FP16
#undef __CUPORT_FP16_MEMBER

#endif /* __cplusplus */

#endif

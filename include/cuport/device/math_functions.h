/* CUDA device math library: the C99/C++11 <math.h> functions in double and float precision, plus the
 * CUDA-specific ones (rsqrt, sinpi, erfinv, normcdf, norm3d, ...) (clean-room, from the CUDA Math API,
 * "Single Precision Mathematical Functions" and "Double Precision Mathematical Functions").
 *
 * Each is a `static __device__` overload beside the host libm function of the same name (Clang's CUDA
 * mode lets a __device__ function overload a __host__ one), so sinf() in a kernel is this one and in
 * host code the C library's.  Bodies use Clang's __builtin_* math functions, which become ordinary LLVM
 * intrinsics (llvm.sin.f32, llvm.sqrt.f64, llvm.fma.f32, ...) or calls of the standard C libm names
 * (erff, tgamma, ...) that every cuport target maps; never NVVM intrinsics or inline PTX.
 *
 * std:: forms: libstdc++'s float overloads (std::sin(float), ...) are constexpr and therefore already
 * __host__ __device__ in Clang; the double ones are `using ::sin` declarations made before ours, so the
 * end of this header repeats those using-declarations to bring the device overloads into std.
 * Only CUDA compilations see these declarations. */
#ifndef __CUPORT_DEVICE_MATH_FUNCTIONS_H__
#define __CUPORT_DEVICE_MATH_FUNCTIONS_H__

#include "config.h"

#include <math.h>
#include <stdlib.h>
#if defined(__cplusplus)
#include <cmath>
#include <cstdlib>
#endif

#if defined(__CUPORT_CUDA) && defined(__cplusplus)

/* ---- C library functions (double `name`, float `name##f`) ---------------------------------------- */
#define __CUPORT_M1(name)                                                                   \
  __CUPORT_DEV double name(double __x) { return __builtin_##name(__x); }                   \
  __CUPORT_DEV float name##f(float __x) { return __builtin_##name##f(__x); }
#define __CUPORT_M2(name)                                                                   \
  __CUPORT_DEV double name(double __x, double __y) { return __builtin_##name(__x, __y); }  \
  __CUPORT_DEV float name##f(float __x, float __y) { return __builtin_##name##f(__x, __y); }
#define __CUPORT_MR(R, name)                                                                \
  __CUPORT_DEV R name(double __x) { return __builtin_##name(__x); }                        \
  __CUPORT_DEV R name##f(float __x) { return __builtin_##name##f(__x); }

__CUPORT_M1(acos) __CUPORT_M1(acosh) __CUPORT_M1(asin) __CUPORT_M1(asinh) __CUPORT_M1(atan)
__CUPORT_M1(atanh) __CUPORT_M1(cbrt) __CUPORT_M1(ceil) __CUPORT_M1(cos) __CUPORT_M1(cosh)
__CUPORT_M1(erf) __CUPORT_M1(erfc) __CUPORT_M1(exp) __CUPORT_M1(exp2) __CUPORT_M1(expm1)
__CUPORT_M1(fabs) __CUPORT_M1(floor) __CUPORT_M1(lgamma) __CUPORT_M1(log) __CUPORT_M1(log10)
__CUPORT_M1(log1p) __CUPORT_M1(log2) __CUPORT_M1(logb) __CUPORT_M1(nearbyint) __CUPORT_M1(rint)
__CUPORT_M1(round) __CUPORT_M1(sin) __CUPORT_M1(sinh) __CUPORT_M1(sqrt) __CUPORT_M1(tan)
__CUPORT_M1(tanh) __CUPORT_M1(tgamma) __CUPORT_M1(trunc)
__CUPORT_M2(atan2) __CUPORT_M2(copysign) __CUPORT_M2(fdim) __CUPORT_M2(fmax) __CUPORT_M2(fmin)
__CUPORT_M2(fmod) __CUPORT_M2(hypot) __CUPORT_M2(nextafter) __CUPORT_M2(pow) __CUPORT_M2(remainder)
__CUPORT_MR(int, ilogb) __CUPORT_MR(long int, lrint) __CUPORT_MR(long int, lround)
__CUPORT_MR(long long int, llrint) __CUPORT_MR(long long int, llround)

__CUPORT_DEV double fma(double __x, double __y, double __z) { return __builtin_fma(__x, __y, __z); }
__CUPORT_DEV float fmaf(float __x, float __y, float __z) { return __builtin_fmaf(__x, __y, __z); }
__CUPORT_DEV double ldexp(double __x, int __e) { return __builtin_ldexp(__x, __e); }
__CUPORT_DEV float ldexpf(float __x, int __e) { return __builtin_ldexpf(__x, __e); }
__CUPORT_DEV double scalbn(double __x, int __e) { return __builtin_scalbn(__x, __e); }
__CUPORT_DEV float scalbnf(float __x, int __e) { return __builtin_scalbnf(__x, __e); }
__CUPORT_DEV double scalbln(double __x, long int __e) { return __builtin_scalbln(__x, __e); }
__CUPORT_DEV float scalblnf(float __x, long int __e) { return __builtin_scalblnf(__x, __e); }
__CUPORT_DEV double nan(const char* __tag) { (void)__tag; return __builtin_nan(""); }
__CUPORT_DEV float nanf(const char* __tag) { (void)__tag; return __builtin_nanf(""); }
/* Functions with pointer arguments (libstdc++'s float overloads of these are not constexpr, so the
 * float C++ overloads are provided too). */
__CUPORT_DEV double frexp(double __x, int* __e) { return __builtin_frexp(__x, __e); }
__CUPORT_DEV float frexpf(float __x, int* __e) { return __builtin_frexpf(__x, __e); }
__CUPORT_DEV float frexp(float __x, int* __e) { return __builtin_frexpf(__x, __e); }
__CUPORT_DEV double modf(double __x, double* __i) { return __builtin_modf(__x, __i); }
__CUPORT_DEV float modff(float __x, float* __i) { return __builtin_modff(__x, __i); }
__CUPORT_DEV float modf(float __x, float* __i) { return __builtin_modff(__x, __i); }
__CUPORT_DEV double remquo(double __x, double __y, int* __q) { return __builtin_remquo(__x, __y, __q); }
__CUPORT_DEV float remquof(float __x, float __y, int* __q) { return __builtin_remquof(__x, __y, __q); }
__CUPORT_DEV float remquo(float __x, float __y, int* __q) { return __builtin_remquof(__x, __y, __q); }
__CUPORT_DEV void sincos(double __x, double* __s, double* __c) { *__s = __builtin_sin(__x); *__c = __builtin_cos(__x); }
__CUPORT_DEV void sincosf(float __x, float* __s, float* __c) { *__s = __builtin_sinf(__x); *__c = __builtin_cosf(__x); }
__CUPORT_DEV void sincos(float __x, float* __s, float* __c) { sincosf(__x, __s, __c); }

/* Integer absolute values (the float ones are libstdc++'s constexpr std::abs/fabs). */
__CUPORT_DEV int abs(int __x) { return __builtin_abs(__x); }
__CUPORT_DEV long int labs(long int __x) { return __builtin_labs(__x); }
__CUPORT_DEV long long int llabs(long long int __x) { return __builtin_llabs(__x); }
__CUPORT_DEV long int abs(long int __x) { return __builtin_labs(__x); }
__CUPORT_DEV long long int abs(long long int __x) { return __builtin_llabs(__x); }

/* CUDA's classification helpers (the C++ isnan/isinf/isfinite/signbit overloads are libstdc++'s
 * constexpr ones). */
__CUPORT_DEV int __isnanf(float __x) { return __builtin_isnan(__x); }
__CUPORT_DEV int __isnan(double __x) { return __builtin_isnan(__x); }
__CUPORT_DEV int __isinff(float __x) { return __builtin_isinf(__x); }
__CUPORT_DEV int __isinf(double __x) { return __builtin_isinf(__x); }
__CUPORT_DEV int __finitef(float __x) { return __builtin_isfinite(__x); }
__CUPORT_DEV int __finite(double __x) { return __builtin_isfinite(__x); }
__CUPORT_DEV int __signbitf(float __x) { return __builtin_signbit(__x); }
__CUPORT_DEV int __signbit(double __x) { return __builtin_signbit(__x); }

/* ---- CUDA-specific functions --------------------------------------------------------------------- */
/* Each has a double form, a float `name##f` form and a float C++ overload. */
#define __CUPORT_FLOAT_OVERLOAD1(name) \
  __CUPORT_DEV float name(float __x) { return name##f(__x); }

__CUPORT_DEV double rsqrt(double __x) { return 1.0 / __builtin_sqrt(__x); }
__CUPORT_DEV float rsqrtf(float __x) { return 1.0f / __builtin_sqrtf(__x); }
__CUPORT_DEV double rcbrt(double __x) { return 1.0 / __builtin_cbrt(__x); }
/* In double, then one rounding: 1/cbrtf(x) rounds twice (up to 1.5 ulp; CUDA bounds rcbrtf at 1). */
__CUPORT_DEV float rcbrtf(float __x) { return (float)(1.0 / __builtin_cbrt((double)__x)); }
__CUPORT_DEV double exp10(double __x) { return __builtin_pow(10.0, __x); }
__CUPORT_DEV float exp10f(float __x) { return __builtin_powf(10.0f, __x); }

/* sin(pi x) and cos(pi x) with exact argument reduction (exact zeros at integers). */
__CUPORT_DEV double sinpi(double __x) {
  double __r = __builtin_fmod(__x, 2.0); /* exact, in (-2, 2), sign of __x */
  if (__builtin_fabs(__r) > 1.0) __r -= __builtin_copysign(2.0, __r);
  if (__builtin_fabs(__r) > 0.5) __r = __builtin_copysign(1.0, __r) - __r;
  if (__r == 0.0) return __builtin_copysign(0.0, __x);
  return __builtin_sin(__r * 3.14159265358979323846);
}
__CUPORT_DEV float sinpif(float __x) {
  float __r = __builtin_fmodf(__x, 2.0f);
  if (__builtin_fabsf(__r) > 1.0f) __r -= __builtin_copysignf(2.0f, __r);
  if (__builtin_fabsf(__r) > 0.5f) __r = __builtin_copysignf(1.0f, __r) - __r;
  if (__r == 0.0f) return __builtin_copysignf(0.0f, __x);
  /* pi*r in double: the float product's rounding alone would cost up to 1 ulp (CUDA's bound is 1). */
  return (float)__builtin_sin((double)__r * 3.14159265358979323846);
}
__CUPORT_DEV double cospi(double __x) {
  double __r = __builtin_fmod(__builtin_fabs(__x), 2.0);
  if (__r > 1.0) __r = 2.0 - __r;   /* cos(pi r) on [0, 1] */
  if (__builtin_isinf(__x)) return __x - __x;
  return sinpi(0.5 - __r);          /* exact for r in [0, 1] */
}
__CUPORT_DEV float cospif(float __x) {
  float __r = __builtin_fmodf(__builtin_fabsf(__x), 2.0f);
  if (__r > 1.0f) __r = 2.0f - __r;
  if (__builtin_isinf(__x)) return __x - __x;
  return sinpif(0.5f - __r);
}
__CUPORT_DEV void sincospi(double __x, double* __s, double* __c) { *__s = sinpi(__x); *__c = cospi(__x); }
__CUPORT_DEV void sincospif(float __x, float* __s, float* __c) { *__s = sinpif(__x); *__c = cospif(__x); }

/* Norms: overflow-safe through hypot. */
__CUPORT_DEV double rhypot(double __x, double __y) { return 1.0 / __builtin_hypot(__x, __y); }
__CUPORT_DEV float rhypotf(float __x, float __y) { return 1.0f / __builtin_hypotf(__x, __y); }
__CUPORT_DEV double norm3d(double __a, double __b, double __c) {
  return __builtin_hypot(__builtin_hypot(__a, __b), __c);
}
__CUPORT_DEV float norm3df(float __a, float __b, float __c) {
  return __builtin_hypotf(__builtin_hypotf(__a, __b), __c);
}
__CUPORT_DEV double rnorm3d(double __a, double __b, double __c) { return 1.0 / norm3d(__a, __b, __c); }
__CUPORT_DEV float rnorm3df(float __a, float __b, float __c) { return 1.0f / norm3df(__a, __b, __c); }
__CUPORT_DEV double norm4d(double __a, double __b, double __c, double __d) {
  return __builtin_hypot(__builtin_hypot(__a, __b), __builtin_hypot(__c, __d));
}
__CUPORT_DEV float norm4df(float __a, float __b, float __c, float __d) {
  return __builtin_hypotf(__builtin_hypotf(__a, __b), __builtin_hypotf(__c, __d));
}
__CUPORT_DEV double rnorm4d(double __a, double __b, double __c, double __d) { return 1.0 / norm4d(__a, __b, __c, __d); }
__CUPORT_DEV float rnorm4df(float __a, float __b, float __c, float __d) { return 1.0f / norm4df(__a, __b, __c, __d); }
__CUPORT_DEV double norm(int __dim, const double* __p) {
  double __m = 0.0;
  for (int __i = 0; __i < __dim; ++__i) __m = __builtin_fmax(__m, __builtin_fabs(__p[__i]));
  if (__m == 0.0 || __builtin_isinf(__m)) return __m;
  double __s = 0.0;
  for (int __i = 0; __i < __dim; ++__i) { double __t = __p[__i] / __m; __s += __t * __t; }
  return __m * __builtin_sqrt(__s);
}
__CUPORT_DEV float normf(int __dim, const float* __p) {
  float __m = 0.0f;
  for (int __i = 0; __i < __dim; ++__i) __m = __builtin_fmaxf(__m, __builtin_fabsf(__p[__i]));
  if (__m == 0.0f || __builtin_isinf(__m)) return __m;
  float __s = 0.0f;
  for (int __i = 0; __i < __dim; ++__i) { float __t = __p[__i] / __m; __s += __t * __t; }
  return __m * __builtin_sqrtf(__s);
}
__CUPORT_DEV double rnorm(int __dim, const double* __p) { return 1.0 / norm(__dim, __p); }
__CUPORT_DEV float rnormf(int __dim, const float* __p) { return 1.0f / normf(__dim, __p); }

/* Normal distribution and inverse error functions.
 * The inverse functions start from a rational approximation of the normal quantile (P. J. Acklam's
 * published algorithm, relative error about 1e-9) and refine it with Newton steps on erf/erfc, giving
 * full double precision; the float versions are computed in double. */
__CUPORT_DEV double __cuport_normal_quantile_estimate(double __p) { /* __p in (0, 1) */
  const double __a0 = -3.969683028665376e+01, __a1 = 2.209460984245205e+02, __a2 = -2.759285104469687e+02,
               __a3 = 1.383577518672690e+02, __a4 = -3.066479806614716e+01, __a5 = 2.506628277459239e+00;
  const double __b0 = -5.447609879822406e+01, __b1 = 1.615858368580409e+02, __b2 = -1.556989798598866e+02,
               __b3 = 6.680131188771972e+01, __b4 = -1.328068155288572e+01;
  const double __c0 = -7.784894002430293e-03, __c1 = -3.223964580411365e-01, __c2 = -2.400758277161838e+00,
               __c3 = -2.549732539343734e+00, __c4 = 4.374664141464968e+00, __c5 = 2.938163982698783e+00;
  const double __d0 = 7.784695709041462e-03, __d1 = 3.224671290700398e-01, __d2 = 2.445134137142996e+00,
               __d3 = 3.754408661907416e+00;
  if (__p < 0.02425 || __p > 1.0 - 0.02425) {
    double __q = __builtin_sqrt(-2.0 * __builtin_log(__p < 0.5 ? __p : 1.0 - __p));
    double __v = (((((__c0 * __q + __c1) * __q + __c2) * __q + __c3) * __q + __c4) * __q + __c5) /
                 ((((__d0 * __q + __d1) * __q + __d2) * __q + __d3) * __q + 1.0);
    return __p < 0.5 ? __v : -__v;
  }
  double __q = __p - 0.5, __r = __q * __q;
  return (((((__a0 * __r + __a1) * __r + __a2) * __r + __a3) * __r + __a4) * __r + __a5) * __q /
         (((((__b0 * __r + __b1) * __r + __b2) * __r + __b3) * __r + __b4) * __r + 1.0);
}
/* erfcinv(z) for z in (0, 2): solves erfc(x) = z. */
__CUPORT_DEV double erfcinv(double __z) {
  if (!(__z > 0.0 && __z < 2.0)) {
    if (__z == 0.0) return __builtin_inf();
    if (__z == 2.0) return -__builtin_inf();
    return __builtin_nan("");
  }
  const double __k = 1.12837916709551257390; /* 2/sqrt(pi) */
  double __x = -0.70710678118654752440 * __cuport_normal_quantile_estimate(0.5 * __z);
  for (int __i = 0; __i < 3; ++__i) {
    double __f = (__z < 1.0) ? (__builtin_erfc(__x) - __z) : ((2.0 - __z) - __builtin_erfc(-__x));
    double __d = __k * __builtin_exp(-__x * __x);
    if (__d == 0.0) break;
    __x += __f / __d; /* d/dx erfc(x) = -d */
  }
  return __x;
}
/* erfinv(y) for y in (-1, 1): solves erf(x) = y. */
__CUPORT_DEV double erfinv(double __y) {
  double __a = __builtin_fabs(__y);
  if (!(__a < 1.0)) {
    if (__a == 1.0) return __builtin_copysign(__builtin_inf(), __y);
    return __builtin_nan("");
  }
  if (__a < 0.5) {
    const double __k = 1.12837916709551257390;
    double __x = -0.70710678118654752440 * __cuport_normal_quantile_estimate(0.5 - 0.5 * __a);
    for (int __i = 0; __i < 3; ++__i) __x -= (__builtin_erf(__x) - __a) / (__k * __builtin_exp(-__x * __x));
    return __builtin_copysign(__x, __y);
  }
  return __builtin_copysign(erfcinv(1.0 - __a), __y); /* 1 - a is exact here */
}
__CUPORT_DEV float erfinvf(float __y) { return (float)erfinv((double)__y); }
__CUPORT_DEV float erfcinvf(float __z) { return (float)erfcinv((double)__z); }
__CUPORT_DEV double normcdf(double __x) { return 0.5 * __builtin_erfc(-0.70710678118654752440 * __x); }
__CUPORT_DEV float normcdff(float __x) { return 0.5f * __builtin_erfcf(-0.70710678118654752440f * __x); }
__CUPORT_DEV double normcdfinv(double __p) { return -1.41421356237309504880 * erfcinv(2.0 * __p); }
__CUPORT_DEV float normcdfinvf(float __p) { return (float)normcdfinv((double)__p); }
/* erfcx(x) = exp(x^2) erfc(x), without overflow for large x. */
__CUPORT_DEV double erfcx(double __x) {
  if (__x < 26.0) {
    double __h = __x * __x, __l = __builtin_fma(__x, __x, -__h); /* x^2 = h + l exactly */
    return __builtin_exp(__h) * (1.0 + __l) * __builtin_erfc(__x);
  }
  /* Asymptotic series: 1/(x sqrt(pi)) * sum_k (-1)^k (2k-1)!! / (2x^2)^k; 8 terms suffice for x >= 26. */
  double __t = 1.0 / (2.0 * __x * __x), __s = 1.0, __term = 1.0;
  for (int __k = 1; __k <= 8; ++__k) { __term *= -(2.0 * __k - 1.0) * __t; __s += __term; }
  return __s * 0.56418958354775628695 / __x; /* 1/sqrt(pi) */
}
__CUPORT_DEV float erfcxf(float __x) { return (float)erfcx((double)__x); }

/* Float C++ overloads of the CUDA-specific functions. */
__CUPORT_FLOAT_OVERLOAD1(rsqrt) __CUPORT_FLOAT_OVERLOAD1(rcbrt) __CUPORT_FLOAT_OVERLOAD1(sinpi)
__CUPORT_FLOAT_OVERLOAD1(cospi) __CUPORT_FLOAT_OVERLOAD1(erfinv) __CUPORT_FLOAT_OVERLOAD1(erfcinv)
__CUPORT_FLOAT_OVERLOAD1(normcdf) __CUPORT_FLOAT_OVERLOAD1(normcdfinv) __CUPORT_FLOAT_OVERLOAD1(erfcx)
__CUPORT_DEV float exp10(float __x) { return exp10f(__x); }
__CUPORT_DEV void sincospi(float __x, float* __s, float* __c) { sincospif(__x, __s, __c); }
__CUPORT_DEV float rhypot(float __x, float __y) { return rhypotf(__x, __y); }
__CUPORT_DEV float norm3d(float __a, float __b, float __c) { return norm3df(__a, __b, __c); }
__CUPORT_DEV float rnorm3d(float __a, float __b, float __c) { return rnorm3df(__a, __b, __c); }
__CUPORT_DEV float norm4d(float __a, float __b, float __c, float __d) { return norm4df(__a, __b, __c, __d); }
__CUPORT_DEV float rnorm4d(float __a, float __b, float __c, float __d) { return rnorm4df(__a, __b, __c, __d); }
__CUPORT_DEV float fdividef(float __x, float __y) { return __x / __y; }

/* ---- std:: forms: bring the device overloads of the C names into namespace std --------------------- */
#define __CUPORT_STD2(name) using ::name; using ::name##f;
namespace std {
__CUPORT_STD2(acos) __CUPORT_STD2(acosh) __CUPORT_STD2(asin) __CUPORT_STD2(asinh) __CUPORT_STD2(atan)
__CUPORT_STD2(atanh) __CUPORT_STD2(cbrt) __CUPORT_STD2(ceil) __CUPORT_STD2(cos) __CUPORT_STD2(cosh)
__CUPORT_STD2(erf) __CUPORT_STD2(erfc) __CUPORT_STD2(exp) __CUPORT_STD2(exp2) __CUPORT_STD2(expm1)
__CUPORT_STD2(fabs) __CUPORT_STD2(floor) __CUPORT_STD2(lgamma) __CUPORT_STD2(log) __CUPORT_STD2(log10)
__CUPORT_STD2(log1p) __CUPORT_STD2(log2) __CUPORT_STD2(logb) __CUPORT_STD2(nearbyint) __CUPORT_STD2(rint)
__CUPORT_STD2(round) __CUPORT_STD2(sin) __CUPORT_STD2(sinh) __CUPORT_STD2(sqrt) __CUPORT_STD2(tan)
__CUPORT_STD2(tanh) __CUPORT_STD2(tgamma) __CUPORT_STD2(trunc)
__CUPORT_STD2(atan2) __CUPORT_STD2(copysign) __CUPORT_STD2(fdim) __CUPORT_STD2(fmax) __CUPORT_STD2(fmin)
__CUPORT_STD2(fmod) __CUPORT_STD2(hypot) __CUPORT_STD2(nextafter) __CUPORT_STD2(pow) __CUPORT_STD2(remainder)
__CUPORT_STD2(ilogb) __CUPORT_STD2(lrint) __CUPORT_STD2(lround) __CUPORT_STD2(llrint) __CUPORT_STD2(llround)
__CUPORT_STD2(fma) __CUPORT_STD2(ldexp) __CUPORT_STD2(scalbn) __CUPORT_STD2(scalbln) __CUPORT_STD2(nan)
__CUPORT_STD2(frexp) __CUPORT_STD2(modf) __CUPORT_STD2(remquo)
using ::abs; using ::labs; using ::llabs;
}  // namespace std
#undef __CUPORT_STD2

#undef __CUPORT_FLOAT_OVERLOAD1
#undef __CUPORT_M1
#undef __CUPORT_M2
#undef __CUPORT_MR

#endif /* __CUPORT_CUDA && __cplusplus */

#endif

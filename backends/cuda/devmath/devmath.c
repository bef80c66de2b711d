/* cuport's NVPTX device math library (libcuport-ptx-devmath.bc): the C math functions that CUDA device code
 * calls (sinf, exp, pow, erf, lgamma, ...) and that the NVPTX back end cannot lower by itself, for the PTX
 * image of the cuda backend.  cuport-cc links it into the device module (only what the kernels use) before
 * PTX generation; see compiler/lib/PTXImage.cpp and docs/cuda.md.
 *
 * One translation unit: the family headers hold the implementations (static), this file the exported C
 * names.  Double functions are computed with double-double arithmetic where the result needs it; each float
 * function evaluates the double one and rounds once (float arguments are exact in double, and the double
 * result is within about an ulp of double, so the float result is the correctly rounded value or its
 * neighbour).  The exact float functions (fmodf, remquof, nextafterf, fdimf, ...) are exact.
 *
 * Written from the mathematics only (the methods are described in each header); the constants and
 * coefficients come from gen_tables.py.  The same sources compiled for the host with
 * -DCUPORT_DEVMATH_PREFIX (names cuport_dm_sin, ...) are checked against glibc by tests/ptx/devmath_accuracy.c. */
#include "dm_exact.h"
#include "dm_explog.h"
#include "dm_hyper.h"
#include "dm_internal.h"
#include "dm_special.h"
#include "dm_trig.h"

/* Functions of one argument: name(double) and name##f(float). */
#define DM_EXPORT1(name)                                                                               \
  double DM_NAME(name)(double x) { return dm_##name(x); }                                           \
  float DM_NAME(name##f)(float x) { return (float)dm_##name((double)x); }
#define DM_EXPORT2(name)                                                                               \
  double DM_NAME(name)(double x, double y) { return dm_##name(x, y); }                              \
  float DM_NAME(name##f)(float x, float y) { return (float)dm_##name((double)x, (double)y); }

DM_EXPORT1(sin)
DM_EXPORT1(cos)
DM_EXPORT1(tan)
DM_EXPORT1(sinpi)
DM_EXPORT1(cospi)
DM_EXPORT1(asin)
DM_EXPORT1(acos)
DM_EXPORT1(atan)
DM_EXPORT2(atan2)
DM_EXPORT1(sinh)
DM_EXPORT1(cosh)
DM_EXPORT1(tanh)
DM_EXPORT1(asinh)
DM_EXPORT1(acosh)
DM_EXPORT1(atanh)
DM_EXPORT1(exp)
DM_EXPORT1(exp2)
DM_EXPORT1(exp10)
DM_EXPORT1(expm1)
DM_EXPORT1(log)
DM_EXPORT1(log2)
DM_EXPORT1(log10)
DM_EXPORT1(log1p)
DM_EXPORT2(pow)
DM_EXPORT1(cbrt)
DM_EXPORT2(hypot)
DM_EXPORT1(erf)
DM_EXPORT1(erfc)
DM_EXPORT1(lgamma)
DM_EXPORT1(tgamma)
DM_EXPORT2(fmod)     /* exact: the float remainder is a float */
DM_EXPORT2(remainder)
DM_EXPORT1(logb)

void DM_NAME(sincos)(double x, double *s, double *c) { dm_sincos(x, s, c); }
void DM_NAME(sincosf)(float x, float *s, float *c) {
  double sd, cd;
  dm_sincos((double)x, &sd, &cd);
  *s = (float)sd;
  *c = (float)cd;
}
void DM_NAME(sincospi)(double x, double *s, double *c) {
  *s = dm_sinpi(x);
  *c = dm_cospi(x);
}
void DM_NAME(sincospif)(float x, float *s, float *c) {
  *s = (float)dm_sinpi((double)x);
  *c = (float)dm_cospi((double)x);
}

double DM_NAME(remquo)(double x, double y, int *q) { return dm_remquo(x, y, q); }
float DM_NAME(remquof)(float x, float y, int *q) { return (float)dm_remquo((double)x, (double)y, q); }
double DM_NAME(frexp)(double x, int *e) { return dm_frexp(x, e); }
float DM_NAME(frexpf)(float x, int *e) { return (float)dm_frexp((double)x, e); }
double DM_NAME(ldexp)(double x, int n) { return dm_ldexp(x, n); }
float DM_NAME(ldexpf)(float x, int n) { return (float)dm_ldexp((double)x, n); } /* exact in double */
double DM_NAME(scalbn)(double x, int n) { return dm_ldexp(x, n); }
float DM_NAME(scalbnf)(float x, int n) { return (float)dm_ldexp((double)x, n); }
double DM_NAME(scalbln)(double x, long n) {
  return dm_ldexp(x, n > 100000 ? 100000 : n < -100000 ? -100000 : (int)n);
}
float DM_NAME(scalblnf)(float x, long n) {
  return (float)dm_ldexp((double)x, n > 100000 ? 100000 : n < -100000 ? -100000 : (int)n);
}
double DM_NAME(modf)(double x, double *ip) { return dm_modf(x, ip); }
float DM_NAME(modff)(float x, float *ip) {
  double i;
  float r = (float)dm_modf((double)x, &i);
  *ip = (float)i;
  return r;
}
int DM_NAME(ilogb)(double x) { return dm_ilogb(x); }
int DM_NAME(ilogbf)(float x) { return dm_ilogb((double)x); }
double DM_NAME(nextafter)(double x, double y) { return dm_nextafter(x, y); }
float DM_NAME(nextafterf)(float x, float y) { return dm_nextafterf(x, y); }
double DM_NAME(fdim)(double x, double y) { return dm_fdim(x, y); }
float DM_NAME(fdimf)(float x, float y) { return dm_fdimf(x, y); }

/* Rounding to integers (llvm.lrint/llround & co. become these calls; NVPTX has no lowering for them). */
long DM_NAME(lrint)(double x) { return (long)dm_rint(x); }
long DM_NAME(lrintf)(float x) { return (long)dm_rint((double)x); }
long long DM_NAME(llrint)(double x) { return (long long)dm_rint(x); }
long long DM_NAME(llrintf)(float x) { return (long long)dm_rint((double)x); }
long DM_NAME(lround)(double x) { return (long)dm_round(x); }
long DM_NAME(lroundf)(float x) { return (long)dm_round((double)x); }
long long DM_NAME(llround)(double x) { return (long long)dm_round(x); }
long long DM_NAME(llroundf)(float x) { return (long long)dm_round((double)x); }

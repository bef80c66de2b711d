/* cuport's NVPTX device math library: internal helpers (bit access, double-double arithmetic, scaling).
 *
 * Everything here uses only what the NVPTX back end lowers to exact PTX instructions: + - * / and sqrt
 * (correctly rounded), fma, floor/ceil/trunc/rint, fabs, copysign, integer operations and bit casts.
 * The library is compiled with -ffp-contract=off, so the error-free transformations below (two_sum,
 * two_prod) are not disturbed by fused multiply-adds the compiler would otherwise form.
 *
 * A double-double (dd_t) is an unevaluated sum hi + lo with |lo| <= ulp(hi)/2: about 106 bits. */
#ifndef CUPORT_DM_INTERNAL_H
#define CUPORT_DM_INTERNAL_H

#include <stdint.h>

/* The exported names: the C library's own on the device; prefixed for the host accuracy test, which
 * compiles the same sources and compares them with glibc. */
#ifdef CUPORT_DEVMATH_PREFIX
#define DM_NAME(n) cuport_dm_##n
#else
#define DM_NAME(n) n
#endif

#define dm_fma(a, b, c) __builtin_fma(a, b, c)
#define dm_sqrt(a) __builtin_sqrt(a)
#define dm_fabs(a) __builtin_fabs(a)
#define dm_floor(a) __builtin_floor(a)
#define dm_trunc(a) __builtin_trunc(a)
#define dm_rint(a) __builtin_rint(a)
#define dm_copysign(a, b) __builtin_copysign(a, b)
#define dm_isnan(a) __builtin_isnan(a)
#define dm_isinf(a) __builtin_isinf(a)
#define dm_signbit(a) __builtin_signbit(a)

#define DM_INF __builtin_inf()
#define DM_NAN __builtin_nan("")
#define DM_MANT 0x000fffffffffffffULL
#define DM_ONE_BITS 0x3ff0000000000000ULL

static inline uint64_t dm_bits(double x) {
  union {
    double d;
    uint64_t u;
  } v;
  v.d = x;
  return v.u;
}

static inline double dm_from_bits(uint64_t u) {
  union {
    double d;
    uint64_t u;
  } v;
  v.u = u;
  return v.d;
}

static inline uint32_t dm_fbits(float x) {
  union {
    float f;
    uint32_t u;
  } v;
  v.f = x;
  return v.u;
}

static inline float dm_from_fbits(uint32_t u) {
  union {
    float f;
    uint32_t u;
  } v;
  v.u = u;
  return v.f;
}

/* 2^n for -1022 <= n <= 1023. */
static inline double dm_pow2i(int n) { return dm_from_bits((uint64_t)(0x3ff + n) << 52); }

/* x * 2^n with one rounding (an exact result whenever it is representable). */
static double dm_scalbn(double x, int n) {
  if (n > 1023) {
    x *= 0x1p1023;
    n -= 1023;
    if (n > 1023) {
      x *= 0x1p1023;
      n -= 1023;
      if (n > 1023)
        n = 1023;
    }
  } else if (n < -1022) {
    /* 2^-969 = 2^-1022 * 2^53 keeps the intermediate result normal, so only the last product rounds. */
    x *= 0x1p-969;
    n += 969;
    if (n < -1022) {
      x *= 0x1p-969;
      n += 969;
      if (n < -1022)
        n = -1022;
    }
  }
  return x * dm_pow2i(n);
}

/* ---- double-double arithmetic ---------------------------------------------------------------------- */
typedef struct {
  double hi, lo;
} dd_t;

static inline dd_t dd_make(double hi, double lo) {
  dd_t r;
  r.hi = hi;
  r.lo = lo;
  return r;
}

/* a + b exactly (Knuth). */
static inline dd_t two_sum(double a, double b) {
  double s = a + b;
  double bb = s - a;
  return dd_make(s, (a - (s - bb)) + (b - bb));
}

/* a + b exactly when |a| >= |b| or a == 0 (Dekker). */
static inline dd_t fast_two_sum(double a, double b) {
  double s = a + b;
  return dd_make(s, b - (s - a));
}

/* a * b exactly (barring underflow), with one fma. */
static inline dd_t two_prod(double a, double b) {
  double p = a * b;
  return dd_make(p, dm_fma(a, b, -p));
}

static inline dd_t dd_neg(dd_t a) { return dd_make(-a.hi, -a.lo); }

/* Accurate sum (both pairs added exactly, then renormalized): correct even under cancellation. */
static inline dd_t dd_add(dd_t a, dd_t b) {
  dd_t s = two_sum(a.hi, b.hi);
  dd_t t = two_sum(a.lo, b.lo);
  s.lo += t.hi;
  s = fast_two_sum(s.hi, s.lo);
  s.lo += t.lo;
  return fast_two_sum(s.hi, s.lo);
}

static inline dd_t dd_sub(dd_t a, dd_t b) { return dd_add(a, dd_neg(b)); }

static inline dd_t dd_add_d(dd_t a, double b) {
  dd_t s = two_sum(a.hi, b);
  s.lo += a.lo;
  return fast_two_sum(s.hi, s.lo);
}

static inline dd_t dd_mul(dd_t a, dd_t b) {
  dd_t p = two_prod(a.hi, b.hi);
  p.lo += a.hi * b.lo + a.lo * b.hi;
  return fast_two_sum(p.hi, p.lo);
}

static inline dd_t dd_mul_d(dd_t a, double b) {
  dd_t p = two_prod(a.hi, b);
  p.lo += a.lo * b;
  return fast_two_sum(p.hi, p.lo);
}

/* a / b: one Newton correction of the quotient of the high parts. */
static inline dd_t dd_div(dd_t a, dd_t b) {
  double q1 = a.hi / b.hi;
  dd_t p = two_prod(q1, b.hi);
  double r = (((a.hi - p.hi) - p.lo) + a.lo) - q1 * b.lo;
  return fast_two_sum(q1, r / b.hi);
}

/* sqrt(a) for a > 0. */
static inline dd_t dd_sqrt(dd_t a) {
  double s = dm_sqrt(a.hi);
  double e = (dm_fma(-s, s, a.hi) + a.lo) / (2.0 * s);
  return fast_two_sum(s, e);
}

static inline double dd_value(dd_t a) { return a.hi + a.lo; }

/* The unbiased exponent of a finite nonzero x (floor(log2 |x|)), subnormals included. */
static inline int dm_exponent(double x) {
  uint64_t u = dm_bits(x) & 0x7fffffffffffffffULL;
  int e = (int)(u >> 52);
  if (e == 0)
    return -1011 - __builtin_clzll(u); /* u < 2^52: the top set bit is bit 63 - clz, worth 2^(bit - 1074) */
  return e - 1023;
}

#endif

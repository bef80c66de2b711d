/* The exact functions: fmod, remainder, remquo (integer long division of the significands, 11 bits per
 * step), frexp, ldexp/scalbn, modf, logb, ilogb, nextafter, fdim and the rounding conversions. */
#ifndef CUPORT_DM_EXACT_H
#define CUPORT_DM_EXACT_H

#include "dm_internal.h"

#define DM_INT_MIN (-2147483647 - 1)
#define DM_INT_MAX 2147483647

/* |x| = mx 2^(ex - 1075), ex >= 1 (subnormals: ex = 1, no implicit bit). */
static uint64_t dm_significand(double x, int *ex) {
  uint64_t u = dm_bits(x) & 0x7fffffffffffffffULL;
  int e = (int)(u >> 52);
  uint64_t m = u & DM_MANT;
  if (e == 0)
    e = 1;
  else
    m |= 0x0010000000000000ULL;
  *ex = e;
  return m;
}

/* For finite x, y with |x| >= |y| > 0: |x| mod |y| = *r 2^(*ey - 1075) with *my the significand of y;
 * returns the low 32 bits of the truncated quotient |x| / |y|. */
static uint32_t dm_divide(double x, double y, uint64_t *r, uint64_t *my, int *ey) {
  int ex;
  uint64_t mx = dm_significand(x, &ex);
  uint64_t m = dm_significand(y, ey);
  int d = ex - *ey;
  uint32_t q = (uint32_t)(mx / m);
  mx %= m;
  while (d > 0) {
    int s = d < 11 ? d : 11;
    mx <<= s;
    q = (q << s) + (uint32_t)(mx / m);
    mx %= m;
    d -= s;
  }
  *r = mx;
  *my = m;
  return q;
}

static double dm_fmod(double x, double y) {
  if (dm_isnan(x) || dm_isnan(y))
    return x + y;
  if (dm_isinf(x) || y == 0.0)
    return DM_NAN;
  if (dm_isinf(y) || dm_fabs(x) < dm_fabs(y))
    return x;
  uint64_t r, my;
  int ey;
  dm_divide(x, y, &r, &my, &ey);
  double v = dm_scalbn((double)r, ey - 1075); /* exact */
  return dm_signbit(x) ? -v : v;
}

static double dm_remquo(double x, double y, int *quo) {
  *quo = 0;
  if (dm_isnan(x) || dm_isnan(y))
    return x + y;
  if (dm_isinf(x) || y == 0.0)
    return DM_NAN;
  if (dm_isinf(y))
    return x;
  double ax = dm_fabs(x), ay = dm_fabs(y), v;
  uint32_t q;
  if (ax < ay) {
    int up = ay < 0x1p-1021 ? ax + ax > ay : ax > 0.5 * ay;
    q = up ? 1 : 0;
    v = up ? ax - ay : ax; /* exact (Sterbenz) */
  } else {
    uint64_t r, my;
    int ey;
    q = dm_divide(x, y, &r, &my, &ey);
    if (2 * r > my || (2 * r == my && (q & 1))) {
      q += 1;
      v = -dm_scalbn((double)(my - r), ey - 1075);
    } else {
      v = dm_scalbn((double)r, ey - 1075);
    }
  }
  int bits = (int)(q & 0x7fffffffu); /* the quotient's low 31 bits (C asks for at least 3) */
  *quo = dm_signbit(x) != dm_signbit(y) ? -bits : bits;
  return dm_signbit(x) ? -v : v;
}

static double dm_remainder(double x, double y) {
  int q;
  return dm_remquo(x, y, &q);
}

static double dm_frexp(double x, int *e) {
  if (x == 0.0 || !(dm_fabs(x) <= 0x1.fffffffffffffp1023)) {
    *e = 0;
    return x + x;
  }
  int adj = 0;
  if (dm_fabs(x) < 0x1p-1022) {
    x *= 0x1p64;
    adj = -64;
  }
  uint64_t u = dm_bits(x);
  *e = (int)((u >> 52) & 0x7ff) - 1022 + adj;
  return dm_from_bits((u & 0x800fffffffffffffULL) | 0x3fe0000000000000ULL);
}

static double dm_ldexp(double x, int n) {
  if (x == 0.0 || !(dm_fabs(x) <= 0x1.fffffffffffffp1023))
    return x + x;
  if (n > 2200)
    n = 2200;
  if (n < -2200)
    n = -2200;
  return dm_scalbn(x, n);
}

static double dm_modf(double x, double *ip) {
  double t = dm_trunc(x);
  *ip = t;
  if (dm_isinf(x))
    return dm_copysign(0.0, x);
  return dm_copysign(x - t, x);
}

static int dm_ilogb(double x) {
  if (dm_isnan(x) || x == 0.0)
    return DM_INT_MIN;
  if (dm_isinf(x))
    return DM_INT_MAX;
  return dm_exponent(x);
}

static double dm_logb(double x) {
  if (dm_isnan(x))
    return x + x;
  if (x == 0.0)
    return -DM_INF;
  if (dm_isinf(x))
    return DM_INF;
  return (double)dm_exponent(x);
}

static double dm_nextafter(double x, double y) {
  if (dm_isnan(x) || dm_isnan(y))
    return x + y;
  if (x == y)
    return y;
  if (x == 0.0)
    return dm_copysign(0x1p-1074, y);
  uint64_t u = dm_bits(x);
  u = ((x < y) == (x > 0.0)) ? u + 1 : u - 1;
  return dm_from_bits(u);
}

static float dm_nextafterf(float x, float y) {
  if (dm_isnan(x) || dm_isnan(y))
    return x + y;
  if (x == y)
    return y;
  if (x == 0.0f)
    return __builtin_copysignf(0x1p-149f, y);
  uint32_t u = dm_fbits(x);
  u = ((x < y) == (x > 0.0f)) ? u + 1 : u - 1;
  return dm_from_fbits(u);
}

static double dm_fdim(double x, double y) {
  if (dm_isnan(x) || dm_isnan(y))
    return x + y;
  return x > y ? x - y : 0.0;
}

static float dm_fdimf(float x, float y) {
  if (dm_isnan(x) || dm_isnan(y))
    return x + y;
  return x > y ? x - y : 0.0f;
}

/* Round half away from zero. */
static double dm_round(double x) {
  double t = dm_trunc(x);
  if (dm_fabs(x - t) >= 0.5)
    t += dm_copysign(1.0, x);
  return t;
}

#endif

/* Exponentials and logarithms (double; the float functions round these once).
 *
 * exp: Cody-Waite reduction z = k ln2 + r, |r| <= ln2/2, with ln2 split so that k * LN2_CW_HI is exact;
 * e^r - 1 from its Taylor series (to r^16/16!, truncation error below 2^-61 relative) with the first two
 * terms in double-double; e^z = 2^k (1 + (e^r - 1)).  The reduction accepts a double-double argument, which
 * pow, exp10 and tgamma use to carry y log x, x ln 10 and lgamma(x) with about 100 bits.
 *
 * log: x = 2^e m, m in [sqrt(1/2), sqrt(2)); with f = m - 1 (exact) and s = f / (2 + f) (double-double),
 * log m = 2 atanh s = 2s + 2s^3/3 + 2s^5/5 + ..., |s| <= 0.1716; 2s and 2s^3/3 in double-double, the rest
 * (to s^27) in double; log x = e ln2 + log m.  Relative error about 2^-66, enough for pow's y log x. */
#ifndef CUPORT_DM_EXPLOG_H
#define CUPORT_DM_EXPLOG_H

#include "dm_internal.h"
#include "dm_tables.h"

#define DM_SQRT2 0x1.6a09e667f3bcdp+0

/* e^r - 1 for r = rh + rl, |r| <= 0.35, as a double-double. */
static dd_t dm_expm1_poly(double rh, double rl) {
  double q = INV_FACT[16];
  for (int n = 15; n >= 3; --n)
    q = q * rh + INV_FACT[n];
  double c = rh * rh * rh * q; /* r^3/3! + r^4/4! + ... */
  dd_t sq = two_prod(rh, rh);
  double hh = 0.5 * sq.hi, hl = 0.5 * sq.lo + rh * rl; /* r^2/2 */
  dd_t s = fast_two_sum(rh, hh);
  return fast_two_sum(s.hi, s.lo + (rl + (hl + c)));
}

/* z = zh + zl -> k with z = k ln2 + r, r = *rh + *rl, |r| <= ln2/2 (+ tiny); |zh| <= ~750. */
static int dm_exp_reduce(double zh, double zl, double *rh, double *rl) {
  double kd = dm_rint(zh * INV_LN2_HI);
  double a = dm_fma(-kd, LN2_CW_HI, zh); /* exact */
  dd_t t = two_prod(kd, LN2_CW_LO);
  dd_t r = two_sum(a, -t.hi);
  r.lo += zl - t.lo;
  r = fast_two_sum(r.hi, r.lo);
  *rh = r.hi;
  *rl = r.lo;
  return (int)kd;
}

/* 2^k (1 + p), rounded once (twice in the subnormal range). */
static double dm_exp_finish(dd_t p, int k) {
  dd_t v = fast_two_sum(1.0, p.hi);
  return dm_scalbn(v.hi + (v.lo + p.lo), k);
}

/* e^(z.hi + z.lo), with overflow and underflow. */
static double dm_exp_dd(dd_t z) {
  if (z.hi > 709.8)
    return DM_INF;
  if (z.hi < -745.2)
    return 0.0;
  double rh, rl;
  int k = dm_exp_reduce(z.hi, z.lo, &rh, &rl);
  return dm_exp_finish(dm_expm1_poly(rh, rl), k);
}

static double dm_exp(double x) {
  if (dm_isnan(x))
    return x + x;
  return dm_exp_dd(dd_make(x, 0.0));
}

static double dm_exp2(double x) {
  if (dm_isnan(x))
    return x + x;
  if (x >= 1024.0)
    return DM_INF;
  if (x < -1080.0)
    return 0.0;
  double kd = dm_rint(x);
  double f = x - kd; /* exact, |f| <= 1/2 */
  dd_t z = two_prod(f, LN2_HI);
  z.lo += f * LN2_LO;
  return dm_exp_finish(dm_expm1_poly(z.hi, z.lo), (int)kd);
}

static double dm_exp10(double x) {
  if (dm_isnan(x))
    return x + x;
  if (x > 308.5)
    return DM_INF;
  if (x < -324.5)
    return 0.0;
  dd_t z = two_prod(x, LN10_HI);
  z.lo += x * LN10_LO;
  return dm_exp_dd(z);
}

/* e^x - 1 as a double-double for -40 <= x <= 700. */
static dd_t dm_expm1_dd(double x) {
  double rh, rl;
  int k = dm_exp_reduce(x, 0.0, &rh, &rl);
  dd_t p = dm_expm1_poly(rh, rl);
  if (k == 0)
    return p;
  double s = dm_pow2i(k);
  dd_t sp = dd_make(p.hi * s, p.lo * s);
  return dd_add(sp, two_sum(s, -1.0)); /* 2^k (1 + p) - 1 */
}

static double dm_expm1(double x) {
  if (dm_isnan(x))
    return x + x;
  if (x > 709.8)
    return DM_INF;
  if (x < -40.0)
    return -1.0;
  if (dm_fabs(x) < 0x1p-54)
    return x;
  if (x > 700.0) {
    double rh, rl;
    int k = dm_exp_reduce(x, 0.0, &rh, &rl);
    return dm_exp_finish(dm_expm1_poly(rh, rl), k);
  }
  return dd_value(dm_expm1_dd(x));
}

/* log(m) for x = 2^e m (m in [sqrt(1/2), sqrt(2))), x positive and finite. */
static dd_t dm_log_parts(double x, int *ep) {
  int e = 0;
  if (x < 0x1p-1022) {
    x *= 0x1p54;
    e = -54;
  }
  uint64_t u = dm_bits(x);
  e += (int)(u >> 52) - 1023;
  double m = dm_from_bits((u & DM_MANT) | DM_ONE_BITS);
  if (m > DM_SQRT2) {
    m *= 0.5;
    e += 1;
  }
  *ep = e;
  double f = m - 1.0; /* exact */
  double dh = 2.0 + f;
  double dl = f - (dh - 2.0);
  double sh = f / dh;
  double sl = (dm_fma(-sh, dh, f) - sh * dl) / dh;
  double z = sh * sh;
  double t = 2.0 / 27;
  t = t * z + 2.0 / 25;
  t = t * z + 2.0 / 23;
  t = t * z + 2.0 / 21;
  t = t * z + 2.0 / 19;
  t = t * z + 2.0 / 17;
  t = t * z + 2.0 / 15;
  t = t * z + 2.0 / 13;
  t = t * z + 2.0 / 11;
  t = t * z + 2.0 / 9;
  t = t * z + 2.0 / 7;
  t = t * z + 2.0 / 5;
  double tail = sh * z * z * t; /* 2s^5/5 + 2s^7/7 + ... */
  dd_t s2 = two_prod(sh, sh);
  s2.lo += 2.0 * sh * sl;
  dd_t s3 = two_prod(s2.hi, sh);
  s3.lo += s2.lo * sh + s2.hi * sl;
  dd_t c3 = dd_mul(s3, dd_make(TWO_THIRDS_HI, TWO_THIRDS_LO));
  dd_t L = fast_two_sum(2.0 * sh, c3.hi);
  L.lo += 2.0 * sl + (c3.lo + tail);
  return fast_two_sum(L.hi, L.lo);
}

/* log(x) as a double-double, x positive and finite. */
static dd_t dm_log_dd(double x) {
  int e;
  dd_t L = dm_log_parts(x, &e);
  if (e == 0)
    return L;
  double ed = (double)e;
  dd_t r = two_sum(ed * LN2_CW_HI, L.hi); /* e * LN2_CW_HI is exact */
  r.lo += L.lo + ed * LN2_CW_LO;
  return fast_two_sum(r.hi, r.lo);
}

/* log(a.hi + a.lo), a > 0. */
static dd_t dm_log_of_dd(dd_t a) { return dd_add_d(dm_log_dd(a.hi), a.lo / a.hi); }

/* log(1 + x), x > -1, as a double-double. */
static dd_t dm_log1p_dd(double x) { return dm_log_of_dd(two_sum(1.0, x)); }

/* NaN, negative, zero and infinite arguments of the logarithms; returns 1 with *r set when x is one. */
static int dm_log_special(double x, double *r) {
  if (dm_isnan(x)) {
    *r = x + x;
    return 1;
  }
  if (x < 0.0) {
    *r = DM_NAN;
    return 1;
  }
  if (x == 0.0) {
    *r = -DM_INF;
    return 1;
  }
  if (dm_isinf(x)) {
    *r = x;
    return 1;
  }
  return 0;
}

static double dm_log(double x) {
  double r;
  if (dm_log_special(x, &r))
    return r;
  return dd_value(dm_log_dd(x));
}

static double dm_log2(double x) {
  double r;
  if (dm_log_special(x, &r))
    return r;
  int e;
  dd_t L = dm_log_parts(x, &e);
  L = dd_mul(L, dd_make(INV_LN2_HI, INV_LN2_LO));
  return dd_value(dd_add_d(L, (double)e));
}

static double dm_log10(double x) {
  double r;
  if (dm_log_special(x, &r))
    return r;
  int e;
  dd_t L = dm_log_parts(x, &e);
  L = dd_mul(L, dd_make(INV_LN10_HI, INV_LN10_LO));
  dd_t E = two_prod((double)e, LOG10_2_HI);
  E.lo += (double)e * LOG10_2_LO;
  return dd_value(dd_add(E, L));
}

static double dm_log1p(double x) {
  if (dm_isnan(x))
    return x + x;
  if (x < -1.0)
    return DM_NAN;
  if (x == -1.0)
    return -DM_INF;
  if (dm_isinf(x))
    return x;
  if (dm_fabs(x) < 0x1p-54)
    return x;
  return dd_value(dm_log1p_dd(x));
}

/* 0: not an integer, 1: even integer, 2: odd integer (y finite). */
static int dm_int_kind(double y) {
  if (dm_fabs(y) >= 0x1p53)
    return 1;
  if (y != dm_trunc(y))
    return 0;
  return ((int64_t)y & 1) ? 2 : 1;
}

static double dm_pow(double x, double y) {
  if (y == 0.0 || x == 1.0)
    return 1.0;
  if (dm_isnan(x) || dm_isnan(y))
    return x + y;
  double ax = dm_fabs(x);
  if (dm_isinf(y)) {
    if (ax == 1.0)
      return 1.0;
    return ((ax < 1.0) == (y < 0.0)) ? DM_INF : 0.0;
  }
  int yk = dm_int_kind(y);
  if (x == 0.0) {
    if (y < 0.0)
      return yk == 2 ? dm_copysign(DM_INF, x) : DM_INF;
    return yk == 2 ? x : 0.0;
  }
  if (dm_isinf(x)) {
    if (x > 0.0)
      return y < 0.0 ? 0.0 : DM_INF;
    if (y < 0.0)
      return yk == 2 ? -0.0 : 0.0;
    return yk == 2 ? -DM_INF : DM_INF;
  }
  double sign = 1.0;
  if (x < 0.0) {
    if (yk == 0)
      return DM_NAN;
    if (yk == 2)
      sign = -1.0;
  }
  dd_t L = dm_log_dd(ax);
  double zh = y * L.hi;
  if (zh > 709.8)
    return sign * DM_INF;
  if (zh < -745.2)
    return sign * 0.0;
  double zl = dm_fma(y, L.hi, -zh) + y * L.lo;
  return sign * dm_exp_dd(dd_make(zh, zl));
}

#endif

/* Hyperbolic functions and their inverses, cbrt and hypot (double).
 *
 * sinh: Taylor series for |x| < 1; otherwise E = e^|x| in double-double and (E - 1/E)/2 (E/2 above 22,
 * scaled so that sinh and cosh overflow only where their results do).  cosh: (E + 1/E)/2.
 * tanh: t = e^(2|x|) - 1 in double-double, tanh = t / (t + 2).
 * asinh, acosh: log(x + sqrt(x^2 +- 1)) with the argument of the log in double-double (x^2 - 1 as
 * (x - 1)(x + 1) near 1), log(2x) above 2^28.  atanh: log((1 + x)/(1 - x)) / 2 with the ratio in
 * double-double.
 * cbrt: x = 2^(3q + r) m; Newton's iteration for cbrt(2^r m) from a linear estimate, then one correction
 * with the exact residual y^3 - c (double-double), so the result is within a hair of correctly rounded.
 * hypot: scaled to [1, 2) by a power of two (exact), sqrt of the double-double sum of squares. */
#ifndef CUPORT_DM_HYPER_H
#define CUPORT_DM_HYPER_H

#include "dm_explog.h"

/* e^a as 2^k (1 + p) -> the double-double 2^k (1 + p), for 2^-28 <= a <= 22. */
static dd_t dm_exp_pos_dd(double a) {
  double rh, rl;
  int k = dm_exp_reduce(a, 0.0, &rh, &rl);
  dd_t p = dm_expm1_poly(rh, rl);
  dd_t v = fast_two_sum(1.0, p.hi);
  v.lo += p.lo;
  double s = dm_pow2i(k);
  return fast_two_sum(v.hi * s, v.lo * s);
}

/* e^a / 2 for a > 22. */
static double dm_half_exp(double a) {
  if (a > 710.5)
    return DM_INF;
  double rh, rl;
  int k = dm_exp_reduce(a, 0.0, &rh, &rl);
  return dm_exp_finish(dm_expm1_poly(rh, rl), k - 1);
}

static double dm_sinh(double x) {
  double ax = dm_fabs(x), v;
  if (!(ax <= 0x1.fffffffffffffp1023))
    return x + x;
  if (ax < 0x1p-26)
    return x;
  if (ax < 1.0) {
    double z = ax * ax;
    double t = INV_FACT[21];
    for (int n = 19; n >= 3; n -= 2)
      t = t * z + INV_FACT[n];
    v = ax + ax * z * t;
  } else if (ax > 22.0) {
    v = dm_half_exp(ax);
  } else {
    dd_t E = dm_exp_pos_dd(ax);
    dd_t d = dd_sub(E, dd_div(dd_make(1.0, 0.0), E));
    v = 0.5 * dd_value(d);
  }
  return x < 0.0 ? -v : v;
}

static double dm_cosh(double x) {
  double ax = dm_fabs(x);
  if (dm_isnan(x))
    return x + x;
  if (ax < 0x1p-27)
    return 1.0;
  if (ax > 22.0)
    return dm_half_exp(ax);
  dd_t E = dm_exp_pos_dd(ax);
  return 0.5 * dd_value(dd_add(E, dd_div(dd_make(1.0, 0.0), E)));
}

static double dm_tanh(double x) {
  if (dm_isnan(x))
    return x + x;
  double ax = dm_fabs(x), v;
  if (ax > 22.0)
    return dm_copysign(1.0, x);
  if (ax < 0x1p-27)
    return x;
  dd_t t = dm_expm1_dd(2.0 * ax);
  v = dd_value(dd_div(t, dd_add_d(t, 2.0)));
  return x < 0.0 ? -v : v;
}

static double dm_asinh(double x) {
  double ax = dm_fabs(x);
  if (!(ax <= 0x1.fffffffffffffp1023))
    return x + x;
  if (ax < 0x1p-26)
    return x;
  dd_t L;
  if (ax > 0x1p28) {
    L = dd_add(dm_log_dd(ax), dd_make(LN2_HI, LN2_LO));
  } else {
    dd_t q = dd_add_d(two_prod(ax, ax), 1.0);
    L = dm_log_of_dd(dd_add_d(dd_sqrt(q), ax));
  }
  double v = dd_value(L);
  return x < 0.0 ? -v : v;
}

static double dm_acosh(double x) {
  if (dm_isnan(x))
    return x + x;
  if (x < 1.0)
    return DM_NAN;
  if (x == 1.0)
    return 0.0;
  if (dm_isinf(x))
    return x;
  dd_t L;
  if (x > 0x1p28) {
    L = dd_add(dm_log_dd(x), dd_make(LN2_HI, LN2_LO));
  } else {
    dd_t q = x < 2.0 ? dd_mul_d(two_sum(x, 1.0), x - 1.0) : dd_add_d(two_prod(x, x), -1.0);
    L = dm_log_of_dd(dd_add_d(dd_sqrt(q), x));
  }
  return dd_value(L);
}

static double dm_atanh(double x) {
  if (dm_isnan(x))
    return x + x;
  double ax = dm_fabs(x);
  if (ax > 1.0)
    return DM_NAN;
  if (ax == 1.0)
    return dm_copysign(DM_INF, x);
  if (ax < 0x1p-27)
    return x;
  dd_t t = dd_div(dd_make(2.0 * ax, 0.0), two_sum(1.0, -ax)); /* 2a / (1 - a) */
  double v = 0.5 * dd_value(dm_log_of_dd(dd_add_d(t, 1.0)));
  return x < 0.0 ? -v : v;
}

static double dm_cbrt(double x) {
  if (!(dm_fabs(x) <= 0x1.fffffffffffffp1023) || x == 0.0)
    return x + x;
  double ax = dm_fabs(x);
  int e = 0;
  if (ax < 0x1p-1022) {
    ax *= 0x1p54;
    e = -54;
  }
  uint64_t u = dm_bits(ax);
  e += (int)(u >> 52) - 1023;
  double m = dm_from_bits((u & DM_MANT) | DM_ONE_BITS); /* [1, 2) */
  int q = e >= 0 ? e / 3 : -((2 - e) / 3);
  int r = e - 3 * q; /* 0, 1 or 2 */
  double c = r == 0 ? m : r == 1 ? 2.0 * m : 4.0 * m;
  double y = (0.7 + 0.3 * m) * (r == 0 ? 1.0 : r == 1 ? CBRT2 : CBRT4);
  for (int i = 0; i < 4; ++i)
    y = y - (y * y * y - c) / (3.0 * y * y);
  dd_t y2 = two_prod(y, y);
  dd_t y3 = two_prod(y2.hi, y);
  y3.lo += y2.lo * y;
  double res = (y3.hi - c) + y3.lo; /* y^3 - c, y3.hi - c exact */
  y = y - res / (3.0 * y2.hi);
  y = dm_scalbn(y, q);
  return x < 0.0 ? -y : y;
}

static double dm_hypot(double x, double y) {
  double ax = dm_fabs(x), ay = dm_fabs(y);
  if (dm_isinf(ax) || dm_isinf(ay))
    return DM_INF;
  if (dm_isnan(ax) || dm_isnan(ay))
    return ax + ay;
  double a = ax > ay ? ax : ay, b = ax > ay ? ay : ax;
  if (b == 0.0)
    return a;
  int e = dm_exponent(a);
  if (e - dm_exponent(b) > 60)
    return a + b;
  double A = dm_scalbn(a, -e), B = dm_scalbn(b, -e);
  dd_t s = dd_add(two_prod(A, A), two_prod(B, B));
  return dm_scalbn(dd_value(dd_sqrt(s)), e);
}

#endif

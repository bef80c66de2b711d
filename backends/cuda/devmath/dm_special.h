/* Error and gamma functions (double).
 *
 * erf: |x| < 1/2: its Taylor series x * 2/sqrt(pi) * sum (-x^2)^n / (n! (2n + 1)) (to x^43), leading term
 * in double-double.  erfc(x) = exp(-x^2) G(x) for 1/2 <= x < 27.5, where G(x) = e^(x^2) erfc(x) (smooth,
 * about 1/(x sqrt(pi))) is approximated piecewise by Chebyshev interpolants (gen_tables.py) and exp(-x^2) is
 * computed from x^2 as an exact double-double.  erf = 1 - erfc for |x| >= 1/2, erfc = 1 - erf for
 * |x| < 1/2, erfc(-x) = 2 - erfc(x).
 *
 * lgamma: with S(e) = lgamma(2 + e) = (1 - euler) e + sum_{k>=2} (-1)^k (zeta(k) - 1) e^k / k (|e| <= 1/2,
 * first two terms in double-double), and the recurrence lgamma(x + 1) = lgamma(x) + log x:
 *   0 < x <= 1/2:  S(x) - log1p(x) - log(x)      1/2 < x <= 3/2: S(x - 1) - log1p(x - 1)
 *   3/2 < x <= 5/2: S(x - 2)                     5/2 < x < 8:    S(y - 2) + log((x - 1)...(y)), y in (3/2, 5/2]
 *   x >= 8: Stirling's series (x - 1/2) log x - x + log(2 pi)/2 + sum B_2k / (2k (2k - 1) x^(2k-1)) (15 terms)
 *   x < 0: reflection lgamma(x) = log(pi) - log|x sin(pi x)| - lgamma(-x)
 * so lgamma keeps its relative accuracy at its zeros 1 and 2, all in double-double.
 * tgamma = exp(lgamma) with the double-double lgamma (sign from sin(pi x) for x < 0). */
#ifndef CUPORT_DM_SPECIAL_H
#define CUPORT_DM_SPECIAL_H

#include "dm_explog.h"
#include "dm_trig.h"

/* erf(x) for |x| < 1 (used below 1/2), as a double-double. */
static dd_t dm_erf_small(double x) {
  double z = x * x;
  double t = ERF_TAYLOR[21];
  for (int n = 20; n >= 1; --n)
    t = t * z + ERF_TAYLOR[n];
  dd_t lead = two_prod(x, TWO_OVER_SQRTPI_HI);
  lead.lo += x * TWO_OVER_SQRTPI_LO;
  return fast_two_sum(lead.hi, lead.lo + x * z * t);
}

/* erfc(x) = 2^k * (the result), for 1/2 <= x < 27.5. */
static dd_t dm_erfc_scaled(double x, int *k) {
  int i = 0;
  while (i + 1 < ERFC_PIECES && x >= ERFC_EDGE[i + 1])
    ++i;
  const double *c = ERFC_POLY[i];
  int d = ERFC_DEG[i];
  double t = x - ERFC_MID[i]; /* exact */
  double s = c[d + 1];
  for (int j = d; j >= 2; --j)
    s = s * t + c[j];
  dd_t g = two_sum(c[0], t * s);
  g.lo += c[1];
  g = fast_two_sum(g.hi, g.lo);
  dd_t z = two_prod(x, x);
  double rh, rl;
  *k = dm_exp_reduce(-z.hi, -z.lo, &rh, &rl);
  dd_t p = dm_expm1_poly(rh, rl);
  dd_t e = fast_two_sum(1.0, p.hi);
  e.lo += p.lo;
  return dd_mul(e, g);
}

static double dm_erf(double x) {
  if (dm_isnan(x))
    return x + x;
  double ax = dm_fabs(x);
  if (x == 0.0)
    return x;
  if (ax < 0.5)
    return dd_value(dm_erf_small(x));
  if (ax >= 6.0)
    return dm_copysign(1.0, x);
  int k;
  dd_t c = dm_erfc_scaled(ax, &k);
  double s = dm_pow2i(k);
  double v = dd_value(dd_sub(dd_make(1.0, 0.0), dd_make(c.hi * s, c.lo * s)));
  return x < 0.0 ? -v : v;
}

static double dm_erfc(double x) {
  if (dm_isnan(x))
    return x + x;
  if (x < -6.0)
    return 2.0;
  if (x >= 27.5)
    return 0.0;
  if (dm_fabs(x) < 0.5)
    return dd_value(dd_sub(dd_make(1.0, 0.0), dm_erf_small(x)));
  int k;
  dd_t c = dm_erfc_scaled(dm_fabs(x), &k);
  if (x > 0.0)
    return dm_scalbn(dd_value(c), k);
  double s = dm_pow2i(k);
  return dd_value(dd_sub(dd_make(2.0, 0.0), dd_make(c.hi * s, c.lo * s)));
}

/* lgamma(2 + e), |e| <= 1/2, as a double-double. */
static dd_t dm_lgamma2(double e) {
  double t = LGAMMA2_SERIES[34];
  for (int k = 33; k >= 3; --k)
    t = t * e + LGAMMA2_SERIES[k];
  dd_t a = two_prod(e, ONE_MINUS_EULER_HI);
  a.lo += e * ONE_MINUS_EULER_LO;
  dd_t e2 = two_prod(e, e);
  dd_t b = dd_mul(e2, dd_make(LGAMMA2_C2_HI, LGAMMA2_C2_LO));
  return dd_add_d(dd_add(a, b), e2.hi * e * t);
}

/* lgamma(x) for finite x > 0, as a double-double. */
static dd_t dm_lgamma_pos(double x) {
  if (x <= 0.5)
    return dd_sub(dd_sub(dm_lgamma2(x), dm_log1p_dd(x)), dm_log_dd(x));
  if (x <= 1.5) {
    double e = x - 1.0;
    return dd_sub(dm_lgamma2(e), dm_log1p_dd(e));
  }
  if (x <= 2.5)
    return dm_lgamma2(x - 2.0);
  if (x < 8.0) {
    double n = dm_floor(x - 1.5);
    double y = x - n; /* exact, (3/2, 5/2] */
    dd_t P = dd_make(y, 0.0);
    for (double j = 1.0; j < n; j += 1.0)
      P = dd_mul_d(P, y + j);
    return dd_add(dm_lgamma2(y - 2.0), dm_log_of_dd(P));
  }
  if (x > 0x1p1000) { /* x (log x - 1); the other terms are below 2^-990 of it */
    dd_t l = dd_add_d(dm_log_dd(x), -1.0);
    if (l.hi * x > 0x1.fffffffffffffp1023)
      return dd_make(DM_INF, 0.0);
    return dd_mul_d(l, x);
  }
  dd_t r = dd_mul(two_sum(x, -0.5), dm_log_dd(x));
  r = dd_add_d(r, -x);
  r = dd_add(r, dd_make(HALF_LOG_2PI_HI, HALF_LOG_2PI_LO));
  double w = 1.0 / x, w2 = w * w;
  double t = STIRLING[14];
  for (int k = 13; k >= 0; --k)
    t = t * w2 + STIRLING[k];
  return dd_add_d(r, w * t);
}

/* log(pi) - log|x sin(pi x)| for x > 0 not an integer, and the sign of sin(pi x) in *sign. */
static dd_t dm_reflect_log(double ax, double *sign) {
  dd_t s = dm_sinpi_dd(ax);
  *sign = s.hi < 0.0 ? -1.0 : 1.0;
  if (s.hi < 0.0)
    s = dd_neg(s);
  return dd_sub(dd_make(LOG_PI_HI, LOG_PI_LO), dm_log_of_dd(dd_mul_d(s, ax)));
}

static double dm_lgamma(double x) {
  if (dm_isnan(x))
    return x + x;
  if (dm_isinf(x))
    return DM_INF;
  if (x > 0.0)
    return dd_value(dm_lgamma_pos(x));
  if (x == 0.0 || x == dm_floor(x))
    return DM_INF;
  double ax = -x;
  if (ax < 0x1p-200)
    return -dd_value(dm_log_dd(ax));
  double sign;
  dd_t r = dm_reflect_log(ax, &sign);
  return dd_value(dd_sub(r, dm_lgamma_pos(ax)));
}

static double dm_tgamma(double x) {
  if (dm_isnan(x))
    return x + x;
  if (dm_isinf(x))
    return x > 0.0 ? x : DM_NAN;
  if (x == 0.0)
    return dm_copysign(DM_INF, x);
  if (x > 0.0) {
    if (x > 171.7)
      return DM_INF;
    if (x < 0x1p-56)
      return 1.0 / x;
    return dm_exp_dd(dm_lgamma_pos(x));
  }
  if (x == dm_floor(x))
    return DM_NAN;
  double ax = -x;
  if (ax < 0x1p-56)
    return 1.0 / x;
  double sign;
  /* sin(pi x) = -sin(pi |x|); Gamma(x) has the sign of sin(pi x). */
  dd_t r = dm_reflect_log(ax, &sign);
  sign = -sign;
  if (ax > 200.0)
    return sign * 0.0;
  return sign * dm_exp_dd(dd_sub(r, dm_lgamma_pos(ax)));
}

#endif

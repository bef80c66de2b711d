/* Trigonometric functions and their inverses (double; the float functions round these once).
 *
 * Argument reduction x = q pi/2 + r, |r| <= pi/4, r as a double-double:
 *   - |x| < 2^20: Cody-Waite with pi/2 in three 53-bit parts; x - k P1 is exact with one fma;
 *   - larger |x|: Payne-Hanek: x = m 2^E (m a 53-bit integer) times the 256 bits of 2/pi that matter for
 *     x 2/pi mod 4 (earlier bits only add multiples of 4), as a multi-word integer product; the two bits
 *     above the binary point are the quadrant, the next 128 the fraction, which times pi/2 is r.
 * sin r and cos r from their Taylor series (to r^21/21!), with the low part of r carried to first order.
 * tan = sin / cos in double-double.  sinpi/cospi reduce exactly (x - n/2) and multiply by pi in
 * double-double.
 *
 * atan: a = |x| (or 1/|x| when |x| > 1, then pi/2 - atan); c = nearest multiple of 1/8;
 * atan a = atan c + atan u, u = (a - c) / (1 + a c), |u| <= 1/16, atan u from its series (to u^17),
 * atan(i/8) tabulated as double-double.  atan2, asin and acos are the angle of a point (c, s) with both
 * coordinates in double-double: asin x = angle(sqrt(1 - x^2), x), acos x = angle(x, sqrt(1 - x^2)). */
#ifndef CUPORT_DM_TRIG_H
#define CUPORT_DM_TRIG_H

#include "dm_internal.h"
#include "dm_tables.h"

/* Bits pos .. pos + 63 of the 320-bit little-endian integer T[0..9] (0 <= pos < 320). */
static uint64_t dm_bits_at(const uint32_t *T, int pos) {
  int w = pos >> 5, s = pos & 31;
  uint64_t lo = (uint64_t)T[w] | ((uint64_t)(w + 1 < 10 ? T[w + 1] : 0) << 32);
  uint64_t hi = w + 2 < 10 ? T[w + 2] : 0;
  return s ? (lo >> s) | (hi << (64 - s)) : lo;
}

/* Payne-Hanek: x finite, x >= 2^20.  Returns the quadrant (mod 4) and r (x = quadrant pi/2 + r mod 2 pi). */
static int dm_rem_pio2_large(double x, dd_t *r) {
  uint64_t u = dm_bits(x);
  int E = (int)(u >> 52) - 1075; /* x = m 2^E, E >= -32 */
  uint64_t m = (u & DM_MANT) | 0x0010000000000000ULL;
  int k0 = E >= 34 ? (E - 34) / 32 + 1 : 0; /* words before k0 contribute multiples of 4 */
  int j = E - 32 * k0 - 32;                 /* the product is T 2^(j - 224) */
  uint64_t acc[11] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  uint64_t mlo = m & 0xffffffffu, mhi = m >> 32;
  for (int i = 0; i < 8; ++i) {
    uint64_t w = TWO_OVER_PI_BITS[k0 + i];
    int p = 7 - i;
    uint64_t P = mlo * w, Q = mhi * w;
    acc[p] += P & 0xffffffffu;
    acc[p + 1] += (P >> 32) + (Q & 0xffffffffu);
    acc[p + 2] += Q >> 32;
  }
  uint32_t T[10];
  uint64_t carry = 0;
  for (int i = 0; i < 10; ++i) {
    uint64_t v = acc[i] + carry;
    T[i] = (uint32_t)v;
    carry = v >> 32;
  }
  int b = 224 - j; /* the binary point: bits below b are the fraction */
  int q = (int)(dm_bits_at(T, b) & 3);
  uint64_t fh = dm_bits_at(T, b - 64), fl = dm_bits_at(T, b - 128);
  int neg = 0;
  if (fh >> 63) { /* fraction >= 1/2: the next quadrant, r negative */
    q += 1;
    neg = 1;
    fl = ~fl + 1;
    fh = ~fh + (fl == 0);
  }
  if (fh == 0 && fl == 0) {
    *r = dd_make(0.0, 0.0);
    return q & 3;
  }
  int sh = 0;
  if (fh == 0) {
    fh = fl;
    fl = 0;
    sh = 64;
  }
  int c = __builtin_clzll(fh);
  if (c) {
    fh = (fh << c) | (fl >> (64 - c));
    fl <<= c;
  }
  sh += c;
  /* fraction = (fh 2^-64 + fl 2^-128) 2^-sh, fh's top bit set: two exact 53-bit pieces. */
  double scale = dm_pow2i(-sh);
  double d1 = (double)(fh >> 11) * 0x1p-53 * scale;
  double d2 = (double)(((fh & 0x7ff) << 42) | (fl >> 22)) * 0x1p-106 * scale;
  dd_t f = fast_two_sum(d1, d2);
  dd_t v = dd_mul(f, dd_make(PIO2_HI, PIO2_LO));
  *r = neg ? dd_neg(v) : v;
  return q & 3;
}

/* x finite, x >= pi/4: the quadrant (mod 4) and r. */
static int dm_rem_pio2(double x, dd_t *r) {
  if (x < 0x1p20) {
    double kd = dm_rint(x * TWO_OVER_PI);
    double a = dm_fma(-kd, PIO2_1, x); /* exact */
    dd_t b = two_prod(kd, PIO2_2);
    dd_t s = two_sum(a, -b.hi);
    s.lo += -b.lo - kd * PIO2_3;
    *r = fast_two_sum(s.hi, s.lo);
    return (int)kd & 3;
  }
  return dm_rem_pio2_large(x, r);
}

/* sin r, |r| <= pi/4 (+ tiny). */
static dd_t dm_sin_kernel(dd_t r) {
  double x = r.hi, z = x * x;
  double t = -INV_FACT[19];
  t = t * z + INV_FACT[17];
  t = t * z - INV_FACT[15];
  t = t * z + INV_FACT[13];
  t = t * z - INV_FACT[11];
  t = t * z + INV_FACT[9];
  t = t * z - INV_FACT[7];
  t = t * z + INV_FACT[5];
  t = t * z - INV_FACT[3];
  return fast_two_sum(x, x * z * t + r.lo * (1.0 - 0.5 * z));
}

/* cos r, |r| <= pi/4 (+ tiny). */
static dd_t dm_cos_kernel(dd_t r) {
  double x = r.hi;
  dd_t zz = two_prod(x, x);
  double z = zz.hi, hz = 0.5 * z;
  double w = 1.0 - hz;
  double werr = (1.0 - w) - hz; /* the exact rounding error of w */
  double t = INV_FACT[20];
  t = t * z - INV_FACT[18];
  t = t * z + INV_FACT[16];
  t = t * z - INV_FACT[14];
  t = t * z + INV_FACT[12];
  t = t * z - INV_FACT[10];
  t = t * z + INV_FACT[8];
  t = t * z - INV_FACT[6];
  t = t * z + INV_FACT[4];
  return fast_two_sum(w, werr + (z * z * t - (0.5 * zz.lo + x * r.lo)));
}

/* Reduces |x| (finite): sin |x| = (q odd ? cos r : sin r) with the sign of (q & 2). */
static int dm_trig_reduce(double ax, dd_t *r) {
  if (ax <= PIO4_HI) {
    *r = dd_make(ax, 0.0);
    return 0;
  }
  return dm_rem_pio2(ax, r);
}

static double dm_sin(double x) {
  double ax = dm_fabs(x);
  if (!(ax <= 0x1.fffffffffffffp1023))
    return x - x;
  if (ax < 0x1p-26)
    return x;
  dd_t r;
  int q = dm_trig_reduce(ax, &r);
  double v = dd_value((q & 1) ? dm_cos_kernel(r) : dm_sin_kernel(r));
  if (q & 2)
    v = -v;
  return x < 0.0 ? -v : v;
}

static double dm_cos(double x) {
  double ax = dm_fabs(x);
  if (!(ax <= 0x1.fffffffffffffp1023))
    return x - x;
  if (ax < 0x1p-27)
    return 1.0;
  dd_t r;
  int q = dm_trig_reduce(ax, &r);
  double v = dd_value((q & 1) ? dm_sin_kernel(r) : dm_cos_kernel(r));
  return (q == 1 || q == 2) ? -v : v;
}

static void dm_sincos(double x, double *s, double *c) {
  double ax = dm_fabs(x);
  if (!(ax <= 0x1.fffffffffffffp1023)) {
    *s = *c = x - x;
    return;
  }
  if (ax < 0x1p-27) {
    *s = x;
    *c = 1.0;
    return;
  }
  dd_t r;
  int q = dm_trig_reduce(ax, &r);
  double sv = dd_value(dm_sin_kernel(r)), cv = dd_value(dm_cos_kernel(r));
  double sn = (q & 1) ? cv : sv, cs = (q & 1) ? sv : cv;
  if (q & 2)
    sn = -sn;
  if (q == 1 || q == 2)
    cs = -cs;
  *s = x < 0.0 ? -sn : sn;
  *c = cs;
}

static double dm_tan(double x) {
  double ax = dm_fabs(x);
  if (!(ax <= 0x1.fffffffffffffp1023))
    return x - x;
  if (ax < 0x1p-27)
    return x;
  dd_t r;
  int q = dm_trig_reduce(ax, &r);
  dd_t s = dm_sin_kernel(r), c = dm_cos_kernel(r);
  double v = (q & 1) ? -dd_value(dd_div(c, s)) : dd_value(dd_div(s, c));
  return x < 0.0 ? -v : v;
}

/* sin(pi x) and cos(pi x) for finite |x| < 2^52, as double-doubles (x >= 0). */
static int dm_pi_reduce(double ax, dd_t *r) {
  double n = dm_rint(2.0 * ax);
  double f = ax - 0.5 * n; /* exact, |f| <= 1/4 */
  dd_t p = two_prod(f, PI_HI);
  p.lo += f * PI_LO;
  *r = fast_two_sum(p.hi, p.lo);
  return (int)((int64_t)n & 3);
}

static dd_t dm_sinpi_dd(double ax) {
  dd_t r;
  int q = dm_pi_reduce(ax, &r);
  dd_t v = (q & 1) ? dm_cos_kernel(r) : dm_sin_kernel(r);
  return (q & 2) ? dd_neg(v) : v;
}

static double dm_sinpi(double x) {
  double ax = dm_fabs(x);
  if (!(ax <= 0x1.fffffffffffffp1023))
    return x - x;
  if (ax >= 0x1p52)
    return dm_copysign(0.0, x);
  double v = dd_value(dm_sinpi_dd(ax));
  if (v == 0.0)
    v = 0.0; /* sinpi(n) = +0 for n > 0, -0 for n < 0 */
  return dm_signbit(x) ? -v : v;
}

static double dm_cospi(double x) {
  double ax = dm_fabs(x);
  if (!(ax <= 0x1.fffffffffffffp1023))
    return x - x;
  if (ax >= 0x1p53)
    return 1.0;
  dd_t r;
  int q = dm_pi_reduce(ax, &r);
  double v = dd_value((q & 1) ? dm_sin_kernel(r) : dm_cos_kernel(r));
  if (q == 1 || q == 2)
    v = -v;
  return v == 0.0 ? 0.0 : v;
}

/* atan(a) for a = ah + al in [0, 1], as a double-double. */
static dd_t dm_atan_dd(double ah, double al) {
  int i = (int)(ah * 8.0 + 0.5);
  double c = (double)i * 0.125;
  dd_t num = two_sum(ah - c, al); /* ah - c is exact */
  dd_t p = two_prod(ah, c);
  dd_t den = two_sum(1.0, p.hi);
  den.lo += p.lo + al * c;
  den = fast_two_sum(den.hi, den.lo);
  dd_t u = dd_div(num, den); /* |u| <= 1/16 */
  double uh = u.hi, z = uh * uh;
  double t = 1.0 / 17;
  t = t * z - 1.0 / 15;
  t = t * z + 1.0 / 13;
  t = t * z - 1.0 / 11;
  t = t * z + 1.0 / 9;
  t = t * z - 1.0 / 7;
  t = t * z + 1.0 / 5;
  t = t * z - 1.0 / 3;
  dd_t a = fast_two_sum(uh, uh * z * t + u.lo * (1.0 - z));
  if (i == 0)
    return a;
  return dd_add(dd_make(ATAN_TAB[2 * i], ATAN_TAB[2 * i + 1]), a);
}

/* The angle of the point (c, s) in [0, pi/2], c, s >= 0 not both zero, as a double-double. */
static dd_t dm_angle(dd_t c, dd_t s) {
  if (s.hi <= c.hi) {
    dd_t t = dd_div(s, c);
    return dm_atan_dd(t.hi, t.lo);
  }
  dd_t t = dd_div(c, s);
  return dd_sub(dd_make(PIO2_HI, PIO2_LO), dm_atan_dd(t.hi, t.lo));
}

static double dm_atan(double x) {
  if (dm_isnan(x))
    return x + x;
  double ax = dm_fabs(x), v;
  if (ax < 0x1p-27)
    return x;
  if (ax <= 1.0)
    v = dd_value(dm_atan_dd(ax, 0.0));
  else if (ax > 0x1p60)
    v = PIO2_HI + (PIO2_LO - 1.0 / ax);
  else {
    double wh = 1.0 / ax, wl = dm_fma(-wh, ax, 1.0) / ax;
    v = dd_value(dd_sub(dd_make(PIO2_HI, PIO2_LO), dm_atan_dd(wh, wl)));
  }
  return x < 0.0 ? -v : v;
}

static double dm_atan2(double y, double x) {
  if (dm_isnan(x) || dm_isnan(y))
    return x + y;
  double ay = dm_fabs(y), ax = dm_fabs(x), v;
  int xneg = dm_signbit(x);
  if (ay == 0.0)
    v = xneg ? PI_HI : 0.0;
  else if (ax == 0.0)
    v = PIO2_HI;
  else if (dm_isinf(ay))
    v = dm_isinf(ax) ? (xneg ? THREE_PIO4 : PIO4_HI) : PIO2_HI;
  else if (dm_isinf(ax))
    v = xneg ? PI_HI : 0.0;
  else {
    dd_t th;
    if (ay <= ax) {
      double q = ay / ax, ql = dm_fma(-q, ax, ay) / ax;
      th = dm_atan_dd(q, ql);
    } else {
      double q = ax / ay, ql = dm_fma(-q, ay, ax) / ay;
      th = dd_sub(dd_make(PIO2_HI, PIO2_LO), dm_atan_dd(q, ql));
    }
    if (xneg)
      th = dd_sub(dd_make(PI_HI, PI_LO), th);
    v = dd_value(th);
  }
  return dm_signbit(y) ? -v : v;
}

/* 1 - a^2 for 0 <= a < 1, as a double-double. */
static dd_t dm_one_minus_sq(double a) {
  if (a >= 0.5)
    return dd_mul_d(two_sum(1.0, a), 1.0 - a); /* (1 + a)(1 - a), 1 - a exact */
  dd_t p = two_prod(a, a);
  dd_t r = two_sum(1.0, -p.hi);
  r.lo -= p.lo;
  return fast_two_sum(r.hi, r.lo);
}

static double dm_asin(double x) {
  if (dm_isnan(x))
    return x + x;
  double ax = dm_fabs(x);
  if (ax > 1.0)
    return DM_NAN;
  if (ax < 0x1p-26)
    return x;
  double v;
  if (ax == 1.0)
    v = PIO2_HI;
  else
    v = dd_value(dm_angle(dd_sqrt(dm_one_minus_sq(ax)), dd_make(ax, 0.0)));
  return x < 0.0 ? -v : v;
}

static double dm_acos(double x) {
  if (dm_isnan(x))
    return x + x;
  double ax = dm_fabs(x);
  if (ax > 1.0)
    return DM_NAN;
  if (x == 1.0)
    return 0.0;
  if (x == -1.0)
    return PI_HI;
  dd_t th = dm_angle(dd_make(ax, 0.0), dd_sqrt(dm_one_minus_sq(ax)));
  if (x < 0.0)
    th = dd_sub(dd_make(PI_HI, PI_LO), th);
  return dd_value(th);
}

#endif

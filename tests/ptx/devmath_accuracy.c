/* Accuracy test of cuport's NVPTX device math library (backends/cuda/devmath), on the host.
 *
 *     cuport-devmath-accuracy [samples-per-function]      (default 60000; prints a table, then PASS or FAIL)
 *
 * The library's C sources are compiled for x86-64 with -DCUPORT_DEVMATH_PREFIX, so its functions are
 * cuport_dm_sin, cuport_dm_expf, ... beside glibc's.  Each function is evaluated on random arguments over
 * its whole domain (log-uniform over the exponent range, uniform on the interesting intervals, near the
 * points where the function is delicate) and compared with glibc's long double function (64-bit
 * significand: its error is about 2^-11 ulp of a double), the error measured in ulps of the exact result.
 * The bound is the maximum ulp error the CUDA C++ Programming Guide documents for the function on Nvidia
 * GPUs ("Mathematical Functions" appendix), against the exact value (so a correctly rounded result is at most
 * 0.5 ulp off: CUDA's "0 ulp" for fdim is 0.5 here); the exact functions (fmod, remainder, remquo, frexp,
 * ldexp, modf, logb, ilogb, nextafter, lrint, lround) must equal glibc bit for bit.  Special values (NaN,
 * infinities, zeros, subnormals, extremes, overflow and underflow) must give glibc's (C99 Annex F) results:
 * the same NaN-ness, the same infinities and signed zeros, finite values within the bound.  The double
 * functions' sincos/sincospi must equal sin/cos and sinpi/cospi.  fmod and remainder are in the ulp table
 * (error 0), remquo's quotient is compared modulo 8 with its sign. */
#define _GNU_SOURCE
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define D1(n) double cuport_dm_##n(double); float cuport_dm_##n##f(float);
#define D2(n) double cuport_dm_##n(double, double); float cuport_dm_##n##f(float, float);
D1(sin) D1(cos) D1(tan) D1(sinpi) D1(cospi) D1(asin) D1(acos) D1(atan) D2(atan2) D1(sinh) D1(cosh) D1(tanh)
D1(asinh) D1(acosh) D1(atanh) D1(exp) D1(exp2) D1(exp10) D1(expm1) D1(log) D1(log2) D1(log10) D1(log1p)
D2(pow) D1(cbrt) D2(hypot) D1(erf) D1(erfc) D1(lgamma) D1(tgamma) D2(fmod) D2(remainder) D1(logb)
D2(nextafter) D2(fdim)
#undef D1
#undef D2
void cuport_dm_sincos(double, double *, double *);
void cuport_dm_sincosf(float, float *, float *);
void cuport_dm_sincospi(double, double *, double *);
void cuport_dm_sincospif(float, float *, float *);
double cuport_dm_remquo(double, double, int *);
float cuport_dm_remquof(float, float, int *);
double cuport_dm_frexp(double, int *);
float cuport_dm_frexpf(float, int *);
double cuport_dm_ldexp(double, int);
float cuport_dm_ldexpf(float, int);
double cuport_dm_scalbn(double, int);
float cuport_dm_scalbnf(float, int);
double cuport_dm_modf(double, double *);
float cuport_dm_modff(float, float *);
int cuport_dm_ilogb(double);
int cuport_dm_ilogbf(float);
long cuport_dm_lrint(double);
long cuport_dm_lrintf(float);
long long cuport_dm_llrint(double);
long cuport_dm_lround(double);
long cuport_dm_lroundf(float);
long long cuport_dm_llround(double);
long long cuport_dm_llroundf(float);

/* ---- random arguments --------------------------------------------------------------------------- */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd64(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545f4914f6cdd1dULL;
}
static double rnd01(void) { return (double)(rnd64() >> 11) * 0x1p-53; }
static double uniform(double a, double b) { return a + (b - a) * rnd01(); }
/* |x| = m 2^e, e uniform in [e1, e2], m uniform in [1, 2): log-uniform magnitudes (subnormals below -1022). */
static double logu(int e1, int e2) {
  int e = e1 + (int)(rnd64() % (uint64_t)(e2 - e1 + 1));
  double m = 1.0 + (double)(rnd64() >> 12) * 0x1p-52;
  return ldexp(m, e);
}
static double sgn(void) { return (rnd64() & 1) ? -1.0 : 1.0; }

/* A piece of a domain: 'U' uniform in [a, b]; 'L' log-uniform |x| in [2^a, 2^(b+1)) with either sign; 'P'
 * the same, positive; 'N' negative; 'O' one plus or minus 2^U with U log-uniform in [a, b]; 'H' near the
 * multiples of pi/2 up to 2^b. */
typedef struct {
  char kind;
  double a, b;
} piece_t;

static double draw(const piece_t *p) {
  switch (p->kind) {
  case 'U': return uniform(p->a, p->b);
  case 'L': return sgn() * logu((int)p->a, (int)p->b);
  case 'P': return logu((int)p->a, (int)p->b);
  case 'N': return -logu((int)p->a, (int)p->b);
  case 'O': return 1.0 + sgn() * logu((int)p->a, (int)p->b);
  case 'H': {
    double k = floor(uniform(1, ldexp(1, (int)p->b)));
    double x = k * 1.57079632679489661923;
    uint64_t u;
    memcpy(&u, &x, 8);
    u += (int64_t)(rnd64() % 2001) - 1000; /* a few thousand doubles around k pi/2 */
    memcpy(&x, &u, 8);
    return x;
  }
  }
  return 0;
}

/* ---- errors in ulps --------------------------------------------------------------------------------- */
static double ulp_error(long double got, long double ref, int prec, int emin, int is_float) {
  if (isnan(ref))
    return isnan(got) ? 0 : 1e30;
  if (isnan(got))
    return 1e30;
  long double rr = is_float ? (long double)(float)ref : (long double)(double)ref;
  if (isinf(got) || isinf(rr))
    return got == rr ? 0 : 1e30; /* overflow: the rounded result must be the infinity */
  int e;
  frexpl(ref, &e);
  int ue = e - prec;
  if (ue < emin)
    ue = emin;
  return (double)(fabsl(got - ref) / ldexpl(1.0L, ue));
}
static double err_d(double got, long double ref) { return ulp_error(got, ref, 53, -1074, 0); }
static double err_f(float got, long double ref) { return ulp_error(got, ref, 24, -149, 1); }

/* ---- bookkeeping -------------------------------------------------------------------------------------- */
static int failures = 0;
typedef struct {
  const char *name;
  double bound, worst;
  double at_x, at_y;
  long count;
  int special_failures;
} stat_t;

static void note(stat_t *s, double err, double x, double y) {
  s->count++;
  if (err > s->worst) {
    s->worst = err;
    s->at_x = x;
    s->at_y = y;
  }
}

static void report(stat_t *s, int two) {
  int ok = s->worst <= s->bound && s->special_failures == 0;
  if (!ok)
    failures++;
  char at[96];
  if (two)
    snprintf(at, sizeof at, "(%.17g, %.17g)", s->at_x, s->at_y);
  else
    snprintf(at, sizeof at, "%.17g", s->at_x);
  printf("%-12s %8ld  max %8.3f ulp  bound %4.1f  %s\n", s->name, s->count, s->worst, s->bound,
         ok ? "ok" : "FAIL");
  if (s->worst > 0)
    printf("             worst at %s\n", at);
  if (s->special_failures)
    printf("             %d special-value mismatches (listed above)\n", s->special_failures);
}

/* Special values: the same result as glibc (NaN-ness, infinities, zeros with their sign), finite results
 * within the bound (in ulps; 0 for exact functions). */
static const double SPECIAL_D[] = {NAN, -NAN, INFINITY, -INFINITY, 0.0, -0.0, DBL_MIN, -DBL_MIN,
                                   DBL_TRUE_MIN, -DBL_TRUE_MIN, DBL_MAX, -DBL_MAX, 1.0, -1.0, 0.5, -0.5,
                                   2.0, -2.0, 3.0, -3.0, 0x1p-1023, 1e-300, -1e300, 1e22, 0.75, 1.5, 710.0,
                                   -746.0, 1e-20, 0x1p52 + 0.5, 0x1p53, 100.5, -7.5};
#define NSPECIAL (int)(sizeof SPECIAL_D / sizeof SPECIAL_D[0])

static int same_special(long double got, long double want, double err, double bound) {
  if (isnan(want) || isnan(got))
    return isnan(want) && isnan(got);
  if (isinf(want) || isinf(got))
    return got == want;
  if (want == 0 || got == 0)
    return got == want && signbit(got) == signbit(want);
  return err <= bound;
}

static void special_fail(stat_t *s, const char *what) {
  s->special_failures++;
  printf("  special value: %s %s\n", s->name, what);
}

/* ---- one-argument functions --------------------------------------------------------------------------- */
typedef struct {
  const char *name;
  double (*f)(double);
  float (*ff)(float);
  long double (*ref)(long double);
  double (*ref_d)(double);
  float (*ref_f)(float);
  double bound_d, bound_f;
  piece_t dom_d[5], dom_f[5];
  double excl_lo, excl_hi; /* arguments excluded from the random test (lgamma's zeros region) */
} fn1_t;

static long double sinpil(long double x) {
  long double r = fmodl(x, 2.0L); /* exact, (-2, 2) */
  if (r > 1.0L)
    r -= 2.0L;
  if (r < -1.0L)
    r += 2.0L;
  if (r > 0.5L)
    r = 1.0L - r;
  if (r < -0.5L)
    r = -1.0L - r;
  if (r == 0)
    return copysignl(0.0L, x); /* sinpi(n) is +0 for n > 0, -0 for n < 0 */
  return sinl(3.14159265358979323846264338327950288L * r);
}
static long double cospil(long double x) {
  long double r = fabsl(fmodl(x, 2.0L));
  if (r > 1.0L)
    r = 2.0L - r;
  return r == 0.5L ? 0.0L : sinpil(0.5L - r); /* cospi(n + 1/2) is +0 */
}
static double sinpi_d(double x) { return (double)sinpil(x); }
static double cospi_d(double x) { return (double)cospil(x); }
static float sinpi_f(float x) { return (float)sinpil(x); }
static float cospi_f(float x) { return (float)cospil(x); }
static long double lgamma_l(long double x) { return lgammal(x); }
static double lgamma_d(double x) { return lgamma(x); }
static float lgamma_f(float x) { return lgammaf(x); }
static double logb_d(double x) { return logb(x); }

#define REF(n) n##l, n, n##f

static const fn1_t FN1[] = {
    {"sin", cuport_dm_sin, cuport_dm_sinf, REF(sin), 2, 2,
     {{'U', -10, 10}, {'L', -30, 30}, {'L', 20, 1023}, {'H', 0, 40}}, {{'U', -10, 10}, {'L', -30, 127}, {'H', 0, 20}}},
    {"cos", cuport_dm_cos, cuport_dm_cosf, REF(cos), 2, 2,
     {{'U', -10, 10}, {'L', -30, 30}, {'L', 20, 1023}, {'H', 0, 40}}, {{'U', -10, 10}, {'L', -30, 127}, {'H', 0, 20}}},
    {"tan", cuport_dm_tan, cuport_dm_tanf, REF(tan), 2, 4,
     {{'U', -10, 10}, {'L', -30, 30}, {'L', 20, 1023}, {'H', 0, 40}}, {{'U', -10, 10}, {'L', -30, 127}, {'H', 0, 20}}},
    {"sinpi", cuport_dm_sinpi, cuport_dm_sinpif, sinpil, sinpi_d, sinpi_f, 2, 1,
     {{'U', -4, 4}, {'L', -30, 10}, {'L', 10, 60}}, {{'U', -4, 4}, {'L', -30, 10}, {'L', 10, 30}}},
    {"cospi", cuport_dm_cospi, cuport_dm_cospif, cospil, cospi_d, cospi_f, 2, 1,
     {{'U', -4, 4}, {'L', -30, 10}, {'L', 10, 60}}, {{'U', -4, 4}, {'L', -30, 10}, {'L', 10, 30}}},
    {"asin", cuport_dm_asin, cuport_dm_asinf, REF(asin), 2, 2,
     {{'U', -1, 1}, {'L', -40, -1}, {'O', -53, -1}}, {{'U', -1, 1}, {'L', -40, -1}, {'O', -24, -1}}},
    {"acos", cuport_dm_acos, cuport_dm_acosf, REF(acos), 2, 2,
     {{'U', -1, 1}, {'L', -40, -1}, {'O', -53, -1}}, {{'U', -1, 1}, {'L', -40, -1}, {'O', -24, -1}}},
    {"atan", cuport_dm_atan, cuport_dm_atanf, REF(atan), 2, 2,
     {{'U', -4, 4}, {'L', -1074, 1023}, {'L', -30, 30}}, {{'U', -4, 4}, {'L', -149, 127}, {'L', -30, 30}}},
    {"sinh", cuport_dm_sinh, cuport_dm_sinhf, REF(sinh), 2, 3,
     {{'U', -712, 712}, {'U', -2, 2}, {'L', -40, 5}}, {{'U', -90, 90}, {'U', -2, 2}, {'L', -40, 5}}},
    {"cosh", cuport_dm_cosh, cuport_dm_coshf, REF(cosh), 1, 2,
     {{'U', -712, 712}, {'U', -2, 2}, {'L', -40, 5}}, {{'U', -90, 90}, {'U', -2, 2}, {'L', -40, 5}}},
    {"tanh", cuport_dm_tanh, cuport_dm_tanhf, REF(tanh), 1, 2,
     {{'U', -25, 25}, {'U', -1, 1}, {'L', -40, 5}}, {{'U', -12, 12}, {'U', -1, 1}, {'L', -40, 4}}},
    {"asinh", cuport_dm_asinh, cuport_dm_asinhf, REF(asinh), 3, 3,
     {{'U', -4, 4}, {'L', -1074, 1023}, {'L', -30, 30}}, {{'U', -4, 4}, {'L', -149, 127}, {'L', -30, 30}}},
    {"acosh", cuport_dm_acosh, cuport_dm_acoshf, REF(acosh), 3, 4,
     {{'U', 1, 10}, {'P', 0, 1023}, {'O', -53, -1}}, {{'U', 1, 10}, {'P', 0, 127}, {'O', -23, -1}}},
    {"atanh", cuport_dm_atanh, cuport_dm_atanhf, REF(atanh), 2, 3,
     {{'U', -1, 1}, {'L', -40, -1}, {'O', -53, -1}}, {{'U', -1, 1}, {'L', -40, -1}, {'O', -24, -1}}},
    {"exp", cuport_dm_exp, cuport_dm_expf, REF(exp), 1, 2,
     {{'U', -746, 710}, {'U', -2, 2}, {'L', -60, 4}}, {{'U', -104, 89}, {'U', -2, 2}, {'L', -30, 4}}},
    {"exp2", cuport_dm_exp2, cuport_dm_exp2f, REF(exp2), 1, 2,
     {{'U', -1080, 1025}, {'U', -2, 2}, {'L', -60, 4}}, {{'U', -151, 129}, {'U', -2, 2}, {'L', -30, 4}}},
    {"exp10", cuport_dm_exp10, cuport_dm_exp10f, REF(exp10), 1, 2,
     {{'U', -325, 309}, {'U', -2, 2}, {'L', -60, 4}}, {{'U', -46, 39}, {'U', -2, 2}, {'L', -30, 4}}},
    {"expm1", cuport_dm_expm1, cuport_dm_expm1f, REF(expm1), 1, 1,
     {{'U', -50, 710}, {'U', -2, 2}, {'L', -60, 4}}, {{'U', -20, 89}, {'U', -2, 2}, {'L', -30, 4}}},
    {"log", cuport_dm_log, cuport_dm_logf, REF(log), 1, 1,
     {{'P', -1074, 1023}, {'U', 0, 4}, {'O', -53, -1}}, {{'P', -149, 127}, {'U', 0, 4}, {'O', -24, -1}}},
    {"log2", cuport_dm_log2, cuport_dm_log2f, REF(log2), 1, 1,
     {{'P', -1074, 1023}, {'U', 0, 4}, {'O', -53, -1}}, {{'P', -149, 127}, {'U', 0, 4}, {'O', -24, -1}}},
    {"log10", cuport_dm_log10, cuport_dm_log10f, REF(log10), 1, 2,
     {{'P', -1074, 1023}, {'U', 0, 4}, {'O', -53, -1}}, {{'P', -149, 127}, {'U', 0, 4}, {'O', -24, -1}}},
    {"log1p", cuport_dm_log1p, cuport_dm_log1pf, REF(log1p), 1, 1,
     {{'L', -1074, -1}, {'P', -1, 1023}, {'U', -1, 1}}, {{'L', -149, -1}, {'P', -1, 127}, {'U', -1, 1}}},
    {"cbrt", cuport_dm_cbrt, cuport_dm_cbrtf, REF(cbrt), 1, 1,
     {{'L', -1074, 1023}, {'U', -10, 10}}, {{'L', -149, 127}, {'U', -10, 10}}},
    {"erf", cuport_dm_erf, cuport_dm_erff, REF(erf), 2, 2,
     {{'U', -7, 7}, {'U', -1.5, 1.5}, {'L', -1074, 3}}, {{'U', -5, 5}, {'U', -1.5, 1.5}, {'L', -149, 2}}},
    {"erfc", cuport_dm_erfc, cuport_dm_erfcf, REF(erfc), 5, 4,
     {{'U', -7, 28}, {'U', -1.5, 1.5}, {'L', -60, 3}, {'U', 1, 6}}, {{'U', -5, 11}, {'U', -1.5, 1.5}, {'L', -30, 3}}},
    {"lgamma", cuport_dm_lgamma, cuport_dm_lgammaf, lgamma_l, lgamma_d, lgamma_f, 4, 6,
     {{'P', -1074, 1015}, {'U', 0, 10}, {'O', -40, -2}, {'U', -2.2637, 0}, {'U', -200, -11.0001}},
     {{'P', -149, 120}, {'U', 0, 10}, {'O', -20, -2}, {'U', -2.264, 0}, {'U', -40, -10.001}},
     -11.0001, -2.2637},
    {"tgamma", cuport_dm_tgamma, cuport_dm_tgammaf, REF(tgamma), 10, 5,
     {{'U', 0, 172}, {'U', -185, 0}, {'L', -60, 2}, {'U', -5, 5}}, {{'U', 0, 36}, {'U', -43, 0}, {'L', -30, 2}, {'U', -5, 5}}},
};

static int is_excluded(const fn1_t *F, double x) { return F->excl_lo < F->excl_hi && x > F->excl_lo && x < F->excl_hi; }

static void test_fn1(const fn1_t *F, long n) {
  stat_t sd = {F->name, F->bound_d, 0, 0, 0, 0, 0};
  char fname[32];
  snprintf(fname, sizeof fname, "%sf", F->name);
  stat_t sf = {fname, F->bound_f, 0, 0, 0, 0, 0};
  int pieces = 0, pieces_f = 0;
  while (pieces < 5 && F->dom_d[pieces].kind)
    pieces++;
  while (pieces_f < 5 && F->dom_f[pieces_f].kind)
    pieces_f++;
  for (long i = 0; i < n; ++i) {
    double x = draw(&F->dom_d[i % pieces]);
    if (!is_excluded(F, x) && !(x < 0 && x == floor(x)))
      note(&sd, err_d(F->f(x), F->ref(x)), x, 0);
    float xf = (float)draw(&F->dom_f[i % pieces_f]);
    if (!is_excluded(F, xf) && !(xf < 0 && xf == floorf(xf)))
      note(&sf, err_f(F->ff(xf), F->ref(xf)), xf, 0);
  }
  for (int i = 0; i < NSPECIAL; ++i) {
    double x = SPECIAL_D[i];
    double got = F->f(x), want = F->ref_d(x);
    if (!same_special(got, want, err_d(got, F->ref(x)), F->bound_d)) {
      char w[128];
      snprintf(w, sizeof w, "(%.17g) = %.17g, glibc %.17g", x, got, want);
      special_fail(&sd, w);
    }
    float xf = (float)x;
    float gf = F->ff(xf), wf = F->ref_f(xf);
    if (!same_special(gf, wf, err_f(gf, F->ref(xf)), F->bound_f)) {
      char w[128];
      snprintf(w, sizeof w, "(%.9g) = %.9g, glibc %.9g", xf, gf, wf);
      special_fail(&sf, w);
    }
  }
  report(&sd, 0);
  report(&sf, 0);
}

/* ---- two-argument functions ------------------------------------------------------------------------- */
typedef struct {
  const char *name;
  double (*f)(double, double);
  float (*ff)(float, float);
  long double (*ref)(long double, long double);
  double (*ref_d)(double, double);
  float (*ref_f)(float, float);
  double bound_d, bound_f;
  int kind; /* 0: generic pairs, 1: pow */
} fn2_t;

static long double fmod_l(long double x, long double y) { return fmodl(x, y); }
static long double remainder_l(long double x, long double y) { return remainderl(x, y); }
static long double fdim_l(long double x, long double y) { return fdiml(x, y); }

static const fn2_t FN2[] = {
    {"atan2", cuport_dm_atan2, cuport_dm_atan2f, atan2l, atan2, atan2f, 2, 3, 0},
    {"hypot", cuport_dm_hypot, cuport_dm_hypotf, hypotl, hypot, hypotf, 2, 3, 0},
    {"pow", cuport_dm_pow, cuport_dm_powf, powl, pow, powf, 2, 4, 1},
    {"fmod", cuport_dm_fmod, cuport_dm_fmodf, fmod_l, fmod, fmodf, 0, 0, 0},
    {"remainder", cuport_dm_remainder, cuport_dm_remainderf, remainder_l, remainder, remainderf, 0, 0, 0},
    {"fdim", cuport_dm_fdim, cuport_dm_fdimf, fdim_l, fdim, fdimf, 0.5, 0.5, 0}, /* one rounded subtraction */
};

static void pair(int kind, int is_float, double *x, double *y, long i) {
  int emax = is_float ? 127 : 1023, emin = is_float ? -149 : -1074;
  if (kind == 1) { /* pow: |y log x| up to ~800, negative x with integer y, x near 1 with large y */
    switch (i % 4) {
    case 0:
      *x = logu(emin, emax);
      *y = uniform(-1, 1) * (is_float ? 110 : 760) / fabs(log(*x) == 0 ? 1 : log(*x));
      break;
    case 1:
      *x = -logu(-20, 20);
      *y = floor(uniform(-60, 60));
      break;
    case 2:
      *x = 1.0 + sgn() * logu(is_float ? -23 : -52, -4);
      *y = sgn() * logu(0, is_float ? 30 : 62);
      break;
    default:
      *x = uniform(0, 10);
      *y = uniform(-10, 10);
    }
    return;
  }
  switch (i % 3) {
  case 0:
    *x = sgn() * logu(emin, emax);
    *y = sgn() * logu(emin, emax);
    break;
  case 1:
    *x = sgn() * logu(-10, 10);
    *y = sgn() * logu(-10, 10);
    break;
  default:
    *x = uniform(-20, 20);
    *y = uniform(-20, 20);
  }
}

static void test_fn2(const fn2_t *F, long n) {
  stat_t sd = {F->name, F->bound_d, 0, 0, 0, 0, 0};
  char fname[32];
  snprintf(fname, sizeof fname, "%sf", F->name);
  stat_t sf = {fname, F->bound_f, 0, 0, 0, 0, 0};
  for (long i = 0; i < n; ++i) {
    double x, y;
    pair(F->kind, 0, &x, &y, i);
    note(&sd, err_d(F->f(x, y), F->ref(x, y)), x, y);
    pair(F->kind, 1, &x, &y, i);
    float xf = (float)x, yf = (float)y;
    note(&sf, err_f(F->ff(xf, yf), F->ref(xf, yf)), xf, yf);
  }
  for (int i = 0; i < NSPECIAL; ++i)
    for (int j = 0; j < NSPECIAL; ++j) {
      double x = SPECIAL_D[i], y = SPECIAL_D[j];
      double got = F->f(x, y), want = F->ref_d(x, y);
      if (!same_special(got, want, err_d(got, F->ref(x, y)), F->bound_d)) {
        char w[160];
        snprintf(w, sizeof w, "(%.17g, %.17g) = %.17g, glibc %.17g", x, y, got, want);
        special_fail(&sd, w);
      }
      float xf = (float)x, yf = (float)y;
      float gf = F->ff(xf, yf), wf = F->ref_f(xf, yf);
      if (!same_special(gf, wf, err_f(gf, F->ref(xf, yf)), F->bound_f)) {
        char w[160];
        snprintf(w, sizeof w, "(%.9g, %.9g) = %.9g, glibc %.9g", xf, yf, gf, wf);
        special_fail(&sf, w);
      }
    }
  report(&sd, 1);
  report(&sf, 1);
}

/* ---- the exact functions with pointer or integer arguments ------------------------------------------ */
static int same_bits(double a, double b) { return (isnan(a) && isnan(b)) || (a == b && signbit(a) == signbit(b)); }

/* remquo's quotients: magnitudes congruent modulo 8, the same sign where both carry one (glibc gives -8,
 * or 0, for a negative quotient that is a multiple of 8). */
static int same_quotient(int a, int b) {
  return ((abs(a) - abs(b)) & 7) == 0 && (a == 0 || b == 0 || (a < 0) == (b < 0));
}

static void test_exact(long n) {
  stat_t s[] = {{"remquo", 0, 0, 0, 0, 0, 0}, {"frexp", 0, 0, 0, 0, 0, 0}, {"ldexp", 0, 0, 0, 0, 0, 0},
                {"modf", 0, 0, 0, 0, 0, 0},   {"ilogb", 0, 0, 0, 0, 0, 0}, {"logb", 0, 0, 0, 0, 0, 0},
                {"nextafter", 0, 0, 0, 0, 0, 0}, {"rint/round", 0, 0, 0, 0, 0, 0}, {"sincos", 2, 0, 0, 0, 0, 0}};
  enum { REMQUO, FREXP, LDEXP, MODF, ILOGB, LOGB, NEXTAFTER, ROUNDING, SINCOS, NEXACT };
  for (long i = 0; i < n + NSPECIAL * NSPECIAL; ++i) {
    double x, y;
    if (i < n) {
      pair(0, 0, &x, &y, i);
    } else {
      x = SPECIAL_D[(i - n) / NSPECIAL];
      y = SPECIAL_D[(i - n) % NSPECIAL];
    }
    float xf = (float)x, yf = (float)y;
    int q1 = 0, q2 = 0, e1 = 0, e2 = 0;
    double r1 = cuport_dm_remquo(x, y, &q1), r2 = remquo(x, y, &q2);
    int bad = !same_bits(r1, r2) || (!isnan(r2) && !same_quotient(q1, q2));
    float rf1 = cuport_dm_remquof(xf, yf, &q1), rf2 = remquof(xf, yf, &q2);
    bad |= !same_bits(rf1, rf2) || (!isnan(rf2) && !same_quotient(q1, q2));
    note(&s[REMQUO], bad ? 1e30 : 0, x, y);
    bad = !same_bits(cuport_dm_frexp(x, &e1), frexp(x, &e2)) || (isfinite(x) && e1 != e2);
    bad |= !same_bits(cuport_dm_frexpf(xf, &e1), frexpf(xf, &e2)) || (isfinite(xf) && e1 != e2);
    note(&s[FREXP], bad ? 1e30 : 0, x, 0);
    int k = (int)(rnd64() % 4400) - 2200;
    bad = !same_bits(cuport_dm_ldexp(x, k), ldexp(x, k)) || !same_bits(cuport_dm_scalbn(x, k), scalbn(x, k));
    bad |= !same_bits(cuport_dm_ldexpf(xf, k), ldexpf(xf, k)) || !same_bits(cuport_dm_scalbnf(xf, k), scalbnf(xf, k));
    note(&s[LDEXP], bad ? 1e30 : 0, x, k);
    double i1, i2;
    float if1, if2;
    bad = !same_bits(cuport_dm_modf(x, &i1), modf(x, &i2)) || !same_bits(i1, i2);
    bad |= !same_bits(cuport_dm_modff(xf, &if1), modff(xf, &if2)) || !same_bits(if1, if2);
    note(&s[MODF], bad ? 1e30 : 0, x, 0);
    bad = cuport_dm_ilogb(x) != ilogb(x) || cuport_dm_ilogbf(xf) != ilogbf(xf);
    note(&s[ILOGB], bad ? 1e30 : 0, x, 0);
    bad = !same_bits(cuport_dm_logb(x), logb_d(x)) || !same_bits(cuport_dm_logbf(xf), logbf(xf));
    note(&s[LOGB], bad ? 1e30 : 0, x, 0);
    bad = !same_bits(cuport_dm_nextafter(x, y), nextafter(x, y)) || !same_bits(cuport_dm_nextafterf(xf, yf), nextafterf(xf, yf));
    note(&s[NEXTAFTER], bad ? 1e30 : 0, x, y);
    if (isfinite(x) && fabs(x) < 0x1p62) {
      bad = cuport_dm_lrint(x) != lrint(x) || cuport_dm_llrint(x) != llrint(x) || cuport_dm_lround(x) != lround(x) ||
            cuport_dm_llround(x) != llround(x) || cuport_dm_lrintf(xf) != lrintf(xf) ||
            cuport_dm_lroundf(xf) != lroundf(xf) || cuport_dm_llroundf(xf) != llroundf(xf);
      note(&s[ROUNDING], bad ? 1e30 : 0, x, 0);
    }
    /* sincos and sincospi: the same values as the separate functions. */
    double sd, cd;
    float sf, cf;
    cuport_dm_sincos(x, &sd, &cd);
    bad = !same_bits(sd, cuport_dm_sin(x)) || !same_bits(cd, cuport_dm_cos(x));
    cuport_dm_sincosf(xf, &sf, &cf);
    bad |= !same_bits(sf, cuport_dm_sinf(xf)) || !same_bits(cf, cuport_dm_cosf(xf));
    cuport_dm_sincospi(x, &sd, &cd);
    bad |= !same_bits(sd, cuport_dm_sinpi(x)) || !same_bits(cd, cuport_dm_cospi(x));
    cuport_dm_sincospif(xf, &sf, &cf);
    bad |= !same_bits(sf, cuport_dm_sinpif(xf)) || !same_bits(cf, cuport_dm_cospif(xf));
    note(&s[SINCOS], bad ? 1e30 : 0, x, 0);
  }
  for (int i = 0; i < NEXACT; ++i)
    report(&s[i], i == REMQUO || i == NEXTAFTER || i == LDEXP);
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 60000;
  printf("cuport NVPTX device math library on the host: max error in ulps over %ld arguments per function\n"
         "(random over each domain, plus special values), against glibc's long double functions; the bounds are\n"
         "CUDA's documented maximum ulp errors (0: exact, compared bit for bit with glibc; 0.5: correctly rounded).\n\n", n);
  for (size_t i = 0; i < sizeof FN1 / sizeof FN1[0]; ++i)
    test_fn1(&FN1[i], FN1[i].f == cuport_dm_tgamma || FN1[i].f == cuport_dm_lgamma ? n / 2 : n);
  for (size_t i = 0; i < sizeof FN2 / sizeof FN2[0]; ++i)
    test_fn2(&FN2[i], n);
  test_exact(n);
  if (failures) {
    printf("\nFAIL: %d function(s) above their bound or with wrong special values\n", failures);
    return 1;
  }
  printf("\nPASS\n");
  return 0;
}

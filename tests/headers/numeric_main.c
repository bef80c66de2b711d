/* Host driver for numeric_device.cu (see check_numeric.sh): compares cuport's device functions with
 * the host C library and with rounding-mode arithmetic done by the host FPU. */
#include <fenv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double t_erfinv(double), t_erfcinv(double), t_normcdfinv(double), t_erfcx(double), t_sinpi(double), t_cospi(double);
float t_erfinvf(float), t_sinpif(float), t_cospif(float);
double t_norm3d(double, double, double);
float t_fmul(float, float, int), t_fadd(float, float, int), t_fdiv(float, float, int), t_fsqrt(float, int);
double t_dmul(double, double, int), t_dadd(double, double, int), t_ddiv(double, double, int);
float t_d2f(double, int), t_ll2f(long long, int), t_i2f(int, int);
int t_f2i(float, int);
unsigned t_f2u(float);
long long t_d2ll(double);
int t_mul24(int, int), t_mulhi(int, int), t_clz(int), t_ffs(int), t_rhadd(int, int);
long long t_mul64hi(long long, long long);
unsigned long long t_umul64hi(unsigned long long, unsigned long long);
unsigned t_byte_perm(unsigned, unsigned, unsigned), t_brev(unsigned), t_sad(int, int, unsigned);
unsigned t_fsl(unsigned, unsigned, unsigned), t_fsr(unsigned, unsigned, unsigned), t_fslc(unsigned, unsigned, unsigned);
float t_saturate(float);
unsigned t_atomic_inc(unsigned*, unsigned), t_atomic_dec(unsigned*, unsigned);
float t_atomic_addf(float*, float), t_atomic_exchf(float*, float);
unsigned short t_atomic_cas16(unsigned short*, unsigned short, unsigned short);
int t_atomic_min(int*, int), t_minmix(int, unsigned);
double t_maxmix(float, double);

static int fails;
#define CHECK(c, ...) do { if (!(c)) { ++fails; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)
static const int modes[4] = {FE_TONEAREST, FE_TOWARDZERO, FE_UPWARD, FE_DOWNWARD};
static volatile float vf; static volatile double vd;

int main(void) {
  /* Inverse error functions: relative error of the round trip. */
  for (double y = -0.999999; y < 1.0; y += 0.0123457) {
    double x = t_erfinv(y);
    CHECK(fabs(erf(x) - y) <= 4e-16 * fmax(1.0, fabs(y)) + 1e-300, "erfinv(%.17g) = %.17g, erf = %.17g", y, x, erf(x));
  }
  for (double y = 1e-300; y < 1e-3; y *= 7.3) CHECK(fabs(erf(t_erfinv(y)) - y) <= 4e-16 * y, "erfinv tiny %g", y);
  for (double z = 1e-300; z < 2.0; z = z < 0.5 ? z * 3.1 : z + 0.0137) {
    double x = t_erfcinv(z);
    /* erfc's relative condition number is about 2x^2: allow a few ulps of x. */
    CHECK(fabs(erfc(x) - z) <= (8.0 * x * x + 8.0) * 2.3e-16 * z, "erfcinv(%.17g) = %.17g, erfc = %.17g", z, x, erfc(x));
  }
  CHECK(isinf(t_erfinv(1.0)) && t_erfinv(-1.0) < 0 && isnan(t_erfinv(1.5)), "erfinv edges");
  CHECK(fabs(t_normcdfinv(0.975) - 1.959963984540054) < 1e-14, "normcdfinv(0.975) = %.17g", t_normcdfinv(0.975));
  CHECK(fabs(t_erfinvf(0.5f) - 0.476936276f) < 1e-6f, "erfinvf");
  for (double x = -5; x < 40; x += 0.37) {
    double ref, tol;
    if (x < 26) { ref = exp(x * x) * erfc(x); tol = 1e-15 * (4.0 * x * x + 8.0); }
    else { /* asymptotic series, 14 terms */
      double t = 1.0 / (2.0 * x * x), s = 1.0, term = 1.0;
      for (int k = 1; k <= 14; ++k) { term *= -(2.0 * k - 1.0) * t; s += term; }
      ref = s / (x * 1.7724538509055160273); tol = 1e-15;
    }
    CHECK(fabs(t_erfcx(x) - ref) <= tol * ref, "erfcx(%g) = %.17g ref %.17g", x, t_erfcx(x), ref);
  }
  for (double x = -3.75; x <= 3.75; x += 0.25) {
    CHECK(fabs(t_sinpi(x) - sin(M_PI * x)) < 1e-15, "sinpi(%g)", x);
    CHECK(fabs(t_cospi(x) - cos(M_PI * x)) < 1e-15, "cospi(%g)", x);
    CHECK(fabsf(t_sinpif((float)x) - (float)sin(M_PI * x)) < 1e-6f, "sinpif(%g)", x);
    CHECK(fabsf(t_cospif((float)x) - (float)cos(M_PI * x)) < 1e-6f, "cospif(%g)", x);
    if (x == floor(x)) CHECK(t_sinpi(x) == 0.0, "sinpi exact zero at %g", x);
    if (x - floor(x) == 0.5) CHECK(t_cospi(x) == 0.0, "cospi exact zero at %g", x);
  }
  CHECK(fabs(t_norm3d(3e300, 4e300, 12e300) / 13e300 - 1.0) < 1e-15, "norm3d overflow-safe %g", t_norm3d(3e300, 4e300, 12e300));

  /* Directed rounding: compare with the host FPU in each rounding mode. */
  srand(1);
  for (int i = 0; i < 20000; ++i) {
    float a = (float)((rand() - RAND_MAX / 2) * ldexp(1.0, rand() % 40 - 20)) / 7.0f;
    float b = (float)((rand() - RAND_MAX / 2) * ldexp(1.0, rand() % 40 - 20)) / 3.0f;
    double da = a * 1.000000123456789, db = b * 0.99999987654321;
    long long ll = ((long long)rand() << 33) ^ ((long long)rand() << 7) ^ rand();
    if (b == 0.0f) continue;
    for (int m = 0; m < 4; ++m) {
      fesetround(modes[m]);
      vf = a; float rm = vf * b, ra = vf + b, rd = vf / b, rs = sqrtf(fabsf(vf));
      vd = da; double dm = vd * db, dadd = vd + db, ddv = vd / db; float d2f = (float)vd; float l2f = (float)ll;
      float i2f = (float)(int)ll;
      fesetround(FE_TONEAREST);
      CHECK(t_fmul(a, b, m) == rm, "fmul m%d %a %a: %a vs %a", m, a, b, t_fmul(a, b, m), rm);
      CHECK(t_fadd(a, b, m) == ra, "fadd m%d %a %a: %a vs %a", m, a, b, t_fadd(a, b, m), ra);
      CHECK(t_fdiv(a, b, m) == rd, "fdiv m%d %a %a: %a vs %a", m, a, b, t_fdiv(a, b, m), rd);
      CHECK(t_fsqrt(fabsf(a), m) == rs, "fsqrt m%d %a: %a vs %a", m, a, t_fsqrt(fabsf(a), m), rs);
      CHECK(t_dmul(da, db, m) == dm, "dmul m%d", m);
      CHECK(t_dadd(da, db, m) == dadd, "dadd m%d", m);
      CHECK(t_ddiv(da, db, m) == ddv, "ddiv m%d", m);
      CHECK(t_d2f(da, m) == d2f, "d2f m%d %a: %a vs %a", m, da, t_d2f(da, m), d2f);
      CHECK(t_ll2f(ll, m) == l2f, "ll2f m%d %lld: %a vs %a", m, ll, t_ll2f(ll, m), l2f);
      CHECK(t_i2f((int)ll, m) == i2f, "i2f m%d %d: %a vs %a", m, (int)ll, t_i2f((int)ll, m), i2f);
    }
  }
  /* Conversions saturate; NaN gives 0. */
  CHECK(t_f2i(2.5f, 0) == 2 && t_f2i(3.5f, 0) == 4 && t_f2i(-2.5f, 1) == -2 && t_f2i(2.1f, 2) == 3 && t_f2i(-2.1f, 3) == -3, "f2i modes");
  CHECK(t_f2i(1e20f, 0) == 2147483647 && t_f2i(-1e20f, 0) == (-2147483647 - 1) && t_f2i(NAN, 0) == 0, "f2i saturation");
  CHECK(t_f2u(-5.0f) == 0u && t_f2u(1e20f) == 4294967295u, "f2u saturation");
  CHECK(t_d2ll(1e300) == 9223372036854775807LL && t_d2ll(-3.9) == -3, "d2ll");

  /* Integer intrinsics. */
  CHECK(t_mul24(0x00800001, 2) == (int)0xff000002, "mul24 sign extension %x", t_mul24(0x00800001, 2));
  CHECK(t_mul24(-3, 5) == -15 && t_mul24(0x7fffffff, 1) == -1, "mul24");
  CHECK(t_mulhi(-2, 0x40000000) == -1 && t_mulhi(0x40000000, 8) == 2, "mulhi");
  CHECK(t_umul64hi(~0ULL, ~0ULL) == ~0ULL - 1, "umul64hi");
  for (int i = 0; i < 1000; ++i) {
    long long a = ((long long)rand() << 40) ^ ((long long)rand() << 9) ^ rand(), b = ((long long)rand() << 35) ^ rand();
    if (i & 1) a = -a;
    if (i & 2) b = -b;
    CHECK(t_mul64hi(a, b) == (long long)(((__int128)a * b) >> 64), "mul64hi %lld %lld", a, b);
    CHECK(t_umul64hi((unsigned long long)a, (unsigned long long)b) ==
              (unsigned long long)(((unsigned __int128)(unsigned long long)a * (unsigned long long)b) >> 64), "umul64hi");
  }
  CHECK(t_byte_perm(0x33221100u, 0x77665544u, 0x4321u) == 0x44332211u, "byte_perm %x", t_byte_perm(0x33221100u, 0x77665544u, 0x4321u));
  CHECK(t_byte_perm(0x33221100u, 0x77665544u, 0x7610u) == 0x77661100u, "byte_perm 2");
  CHECK(t_clz(0) == 32 && t_clz(1) == 31 && t_clz(-1) == 0, "clz");
  CHECK(t_ffs(0) == 0 && t_ffs(8) == 4, "ffs");
  CHECK(t_brev(1u) == 0x80000000u, "brev");
  CHECK(t_sad(-5, 7, 3u) == 15u, "sad");
  CHECK(t_rhadd(2147483647, 2147483647) == 2147483647 && t_rhadd(-3, 0) == -1, "rhadd");
  CHECK(t_fsl(0x80000000u, 1u, 1u) == 3u && t_fsl(1u, 2u, 33u) == 4u && t_fslc(1u, 2u, 40u) == 1u, "funnelshift_l");
  CHECK(t_fsr(2u, 1u, 1u) == 0x80000001u, "funnelshift_r");
  CHECK(t_saturate(-1.0f) == 0.0f && t_saturate(2.0f) == 1.0f && t_saturate(NAN) == 0.0f && t_saturate(0.25f) == 0.25f, "saturatef");

  /* Atomics (single-threaded semantics). */
  unsigned u = 5;
  CHECK(t_atomic_inc(&u, 5) == 5 && u == 0, "atomicInc wrap");
  CHECK(t_atomic_inc(&u, 5) == 0 && u == 1, "atomicInc");
  u = 0; CHECK(t_atomic_dec(&u, 7) == 0 && u == 7, "atomicDec wrap at 0");
  u = 9; CHECK(t_atomic_dec(&u, 7) == 9 && u == 7, "atomicDec above limit");
  u = 3; CHECK(t_atomic_dec(&u, 7) == 3 && u == 2, "atomicDec");
  float f = 1.5f; CHECK(t_atomic_addf(&f, 2.0f) == 1.5f && f == 3.5f, "atomicAdd float");
  CHECK(t_atomic_exchf(&f, -1.0f) == 3.5f && f == -1.0f, "atomicExch float");
  unsigned short s = 7; CHECK(t_atomic_cas16(&s, 7, 9) == 7 && s == 9 && t_atomic_cas16(&s, 7, 1) == 9 && s == 9, "atomicCAS 16");
  int im = 4; CHECK(t_atomic_min(&im, -2) == 4 && im == -2, "atomicMin");
  CHECK(t_minmix(-1, 5u) == 5, "min(int, unsigned) compares unsigned");
  CHECK(t_maxmix(1.5f, 2.5) == 2.5, "max(float, double)");

  if (fails) { printf("%d failures\n", fails); return 1; }
  printf("numeric: all checks passed\n");
  return 0;
}

// Calls every device math function, intrinsic, atomic and synchronisation function cuport's headers
// provide, so that check_modes.sh can list every external symbol and intrinsic they can produce.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#define F1(fn) r += fn(x);
#define F2(fn) r += fn(x, y);
#define D1(fn) q += fn(a);
#define D2(fn) q += fn(a, b);

__global__ void math_float(float* p, int* ip) {
  float x = p[0], y = p[1], z = p[2], r = 0.0f, s, c;
  int e;
  F1(acosf) F1(acoshf) F1(asinf) F1(asinhf) F1(atanf) F1(atanhf) F1(cbrtf) F1(ceilf) F1(cosf) F1(coshf)
  F1(erff) F1(erfcf) F1(expf) F1(exp2f) F1(expm1f) F1(fabsf) F1(floorf) F1(lgammaf) F1(logf) F1(log10f)
  F1(log1pf) F1(log2f) F1(logbf) F1(nearbyintf) F1(rintf) F1(roundf) F1(sinf) F1(sinhf) F1(sqrtf) F1(tanf)
  F1(tanhf) F1(tgammaf) F1(truncf) F1(rsqrtf) F1(rcbrtf) F1(exp10f) F1(sinpif) F1(cospif) F1(erfinvf)
  F1(erfcinvf) F1(normcdff) F1(normcdfinvf) F1(erfcxf)
  F2(atan2f) F2(copysignf) F2(fdimf) F2(fmaxf) F2(fminf) F2(fmodf) F2(hypotf) F2(nextafterf) F2(powf)
  F2(remainderf) F2(rhypotf) F2(fdividef)
  F1(__expf) F1(__exp10f) F1(__logf) F1(__log2f) F1(__log10f) F1(__sinf) F1(__cosf) F1(__tanf) F1(__saturatef)
  F2(__powf) F2(__fdividef)
  F2(__fadd_rn) F2(__fadd_rz) F2(__fadd_ru) F2(__fadd_rd) F2(__fsub_rn) F2(__fsub_ru) F2(__fmul_rn)
  F2(__fmul_rz) F2(__fmul_ru) F2(__fmul_rd) F2(__fdiv_rn) F2(__fdiv_rz) F2(__fdiv_ru) F2(__fdiv_rd)
  F1(__frcp_rn) F1(__frcp_rz) F1(__frcp_ru) F1(__frcp_rd) F1(__fsqrt_rn) F1(__fsqrt_rz) F1(__fsqrt_ru)
  F1(__fsqrt_rd) F1(__frsqrt_rn)
  r += fmaf(x, y, z) + __fmaf_rn(x, y, z) + __fmaf_rz(x, y, z) + __fmaf_ieee_rn(x, y, z);
  r += ldexpf(x, 3) + scalbnf(x, 2) + scalblnf(x, 2L) + frexpf(x, &e) + frexp(x, &e) + modff(x, &s) + modf(x, &s);
  r += remquof(x, y, &e) + remquo(x, y, &e) + nanf("") + norm3df(x, y, z) + rnorm3df(x, y, z);
  r += norm4df(x, y, z, x) + rnorm4df(x, y, z, x) + normf(3, p) + rnormf(3, p);
  sincosf(x, &s, &c); r += s + c; sincospif(x, &s, &c); r += s + c; __sincosf(x, &s, &c); r += s + c;
  sincos(x, &s, &c); r += s + c;
  r += std::sin(x) + std::sqrt(x) + std::pow(x, y) + std::abs(x) + std::erf(x) + std::tgamma(x) + std::fma(x, y, z);
  r += std::frexp(x, &e) + std::ldexp(x, 2) + std::lgamma(x) + std::hypot(x, y) + std::round(x) + std::copysign(x, y);
  r += rsqrt(x) + sinpi(x) + cospi(x) + erfinv(x) + erfcinv(x) + normcdf(x) + normcdfinv(x) + erfcx(x) + exp10(x);
  r += rhypot(x, y) + norm3d(x, y, z) + rnorm3d(x, y, z) + norm4d(x, y, z, x) + rnorm4d(x, y, z, x);
  r += sin(x) + exp(x) + log(x) + sqrt(x) + fabs(x) + floor(x) + pow(x, y) + fmin(x, y) + min(x, y) + max(x, y);
  int i = ilogbf(x) + (int)lrintf(x) + (int)lroundf(x) + (int)llrintf(x) + (int)llroundf(x);
  i += std::isnan(x) + std::isinf(x) + std::isfinite(x) + std::signbit(x) + isnan(x) + isinf(x) + isfinite(x) + signbit(x);
  i += __isnanf(x) + __isinff(x) + __finitef(x) + __signbitf(x);
  i += __float2int_rn(x) + __float2int_rz(x) + __float2int_ru(x) + __float2int_rd(x);
  i += (int)__float2uint_rn(x) + (int)__float2uint_rz(x) + (int)__float2ll_rn(x) + (int)__float2ull_rd(x);
  i += __float_as_int(x) + (int)__float_as_uint(x);
  r += __int_as_float(i) + __uint_as_float((unsigned)i) + __int2float_rn(i) + __int2float_rz(i) + __int2float_ru(i);
  r += __int2float_rd(i) + __uint2float_rn((unsigned)i) + __uint2float_rz((unsigned)i) + __ll2float_rn(i) + __ll2float_rz(i);
  r += __ull2float_rn((unsigned)i) + __ull2float_ru((unsigned)i);
  p[3] = r;
  ip[0] = i;
}

__global__ void math_double(double* p, long long* lp) {
  double a = p[0], b = p[1], c = p[2], q = 0.0, s, co;
  int e;
  D1(acos) D1(acosh) D1(asin) D1(asinh) D1(atan) D1(atanh) D1(cbrt) D1(ceil) D1(cos) D1(cosh) D1(erf)
  D1(erfc) D1(exp) D1(exp2) D1(expm1) D1(fabs) D1(floor) D1(lgamma) D1(log) D1(log10) D1(log1p) D1(log2)
  D1(logb) D1(nearbyint) D1(rint) D1(round) D1(sin) D1(sinh) D1(sqrt) D1(tan) D1(tanh) D1(tgamma) D1(trunc)
  D1(rsqrt) D1(rcbrt) D1(exp10) D1(sinpi) D1(cospi) D1(erfinv) D1(erfcinv) D1(normcdf) D1(normcdfinv) D1(erfcx)
  D2(atan2) D2(copysign) D2(fdim) D2(fmax) D2(fmin) D2(fmod) D2(hypot) D2(nextafter) D2(pow) D2(remainder)
  D2(rhypot)
  D2(__dadd_rn) D2(__dadd_rz) D2(__dadd_ru) D2(__dadd_rd) D2(__dsub_rn) D2(__dsub_rd) D2(__dmul_rn)
  D2(__dmul_rz) D2(__dmul_ru) D2(__dmul_rd) D2(__ddiv_rn) D2(__ddiv_rz) D2(__ddiv_ru) D2(__ddiv_rd)
  D1(__drcp_rn) D1(__drcp_rz) D1(__drcp_ru) D1(__drcp_rd) D1(__dsqrt_rn) D1(__dsqrt_rz) D1(__dsqrt_ru) D1(__dsqrt_rd)
  q += fma(a, b, c) + __fma_rn(a, b, c) + __fma_rz(a, b, c) + __fma_ru(a, b, c) + __fma_rd(a, b, c);
  q += ldexp(a, 3) + scalbn(a, 2) + scalbln(a, 2L) + frexp(a, &e) + modf(a, &s) + remquo(a, b, &e) + nan("");
  q += norm3d(a, b, c) + rnorm3d(a, b, c) + norm4d(a, b, c, a) + rnorm4d(a, b, c, a) + norm(3, p) + rnorm(3, p);
  sincos(a, &s, &co); q += s + co; sincospi(a, &s, &co); q += s + co;
  q += std::sin(a) + std::sqrt(a) + std::pow(a, b) + std::abs(a) + std::erf(a) + std::tgamma(a) + std::fma(a, b, c);
  q += std::frexp(a, &e) + std::modf(a, &s) + std::remquo(a, b, &e) + std::ldexp(a, 2) + std::nextafter(a, b);
  q += min(a, b) + max(a, b) + min(1.0f, b) + max(a, 1.0f);
  long long i = ilogb(a) + lrint(a) + lround(a) + llrint(a) + llround(a);
  i += std::isnan(a) + std::isinf(a) + std::isfinite(a) + std::signbit(a) + __isnan(a) + __isinf(a) + __finite(a) + __signbit(a);
  i += __double2int_rn(a) + __double2int_rz(a) + __double2int_ru(a) + __double2int_rd(a) + __double2uint_rn(a);
  i += __double2ll_rn(a) + __double2ll_rz(a) + (long long)__double2ull_ru(a) + __double_as_longlong(a);
  i += __double2hiint(a) + __double2loint(a);
  q += __longlong_as_double(i) + __hiloint2double(1, 2) + __ll2double_rn(i) + __ll2double_rz(i) + __ll2double_ru(i);
  q += __ull2double_rd((unsigned long long)i) + __int2double_rn((int)i) + __uint2double_rn((unsigned)i);
  q += __double2float_rn(a) + __double2float_rz(a) + __double2float_ru(a) + __double2float_rd(a);
  p[3] = q;
  lp[0] = i;
}

__global__ void integer_ops(int* p, unsigned* u, long long* l, unsigned long long* q, unsigned short* h) {
  int a = p[0], b = p[1];
  unsigned x = u[0], y = u[1];
  long long la = l[0], lb = l[1];
  unsigned long long qa = q[0], qb = q[1];
  p[2] = __mul24(a, b) + __mulhi(a, b) + __popc(x) + __popcll(qa) + __clz(a) + __clzll(la) + __ffs(a) + __ffsll(la);
  p[3] = __hadd(a, b) + __rhadd(a, b) + abs(a) + std::abs(a) + min(a, b) + max(a, b) + (int)min(a, x) + (int)max(x, b);
  u[2] = __umul24(x, y) + __umulhi(x, y) + __brev(x) + __byte_perm(x, y, 0x3210u) + __sad(a, b, x) + __usad(x, y, x);
  u[3] = __uhadd(x, y) + __urhadd(x, y) + __funnelshift_l(x, y, 3u) + __funnelshift_lc(x, y, 40u) + __funnelshift_r(x, y, 3u);
  u[4] = __funnelshift_rc(x, y, 33u) + umin(x, y) + umax(x, y);
  l[2] = __mul64hi(la, lb) + llabs(la) + labs((long)la) + std::abs(la) + min(la, lb) + max(la, lb) + llmin(la, lb) + llmax(la, lb);
  q[2] = __umul64hi(qa, qb) + __brevll(qa) + min(qa, qb) + max(qa, qb) + ullmin(qa, qb) + ullmax(qa, qb) + min(la, qb);
  q[3] = __ldg(q) + __ldcg(q + 1) + __ldca(q) + __ldcs(q) + __ldlu(q) + __ldcv(q);
  __stwb(q + 4, qa); __stcg(q + 4, qa); __stcs(q + 4, qa); __stwt(q + 4, qa);
}

__global__ void atomics(int* i, unsigned* u, unsigned long long* q, long long* l, float* f, double* d, unsigned short* h) {
  int r = 0;
  r += atomicAdd(i, 1) + atomicAdd_block(i, 1) + atomicAdd_system(i, 1) + atomicSub(i, 1) + atomicExch(i, 2);
  r += atomicMin(i, 0) + atomicMax(i, 5) + atomicAnd(i, 3) + atomicOr(i, 4) + atomicXor(i, 1) + atomicCAS(i, 1, 2);
  r += atomicCAS_block(i, 1, 2) + atomicCAS_system(i, 1, 2) + atomicMin_block(i, 0) + atomicMax_system(i, 0);
  r += (int)(atomicAdd(u, 1u) + atomicSub(u, 1u) + atomicExch(u, 1u) + atomicMin(u, 1u) + atomicMax(u, 1u));
  r += (int)(atomicInc(u, 7u) + atomicDec(u, 7u) + atomicInc_block(u, 7u) + atomicDec_system(u, 7u));
  r += (int)(atomicAnd(u, 1u) + atomicOr(u, 1u) + atomicXor(u, 1u) + atomicCAS(u, 1u, 2u));
  r += (int)(atomicAdd(q, 1ull) + atomicExch(q, 1ull) + atomicMin(q, 1ull) + atomicMax(q, 1ull) + atomicCAS(q, 1ull, 2ull));
  r += (int)(atomicAnd(q, 1ull) + atomicOr(q, 1ull) + atomicXor(q, 1ull) + atomicAnd_system(q, 1ull));
  r += (int)(atomicMin(l, 1ll) + atomicMax(l, 1ll) + atomicMax_block(l, 1ll));
  r += (int)(atomicAdd(f, 1.0f) + atomicExch(f, 1.0f) + atomicAdd_block(f, 1.0f) + atomicExch_system(f, 2.0f));
  r += (int)(atomicAdd(d, 1.0) + atomicAdd_system(d, 1.0));
  r += atomicCAS(h, (unsigned short)1, (unsigned short)2);
  r += __syncthreads_count(r) + __syncthreads_and(r) + __syncthreads_or(r);
  __threadfence(); __threadfence_block(); __threadfence_system(); __syncthreads();
  __nanosleep(100);
  long long t = clock64() + clock();
  if (r == 12345) __trap();
  i[1] = r + (int)t;
  void* m = malloc(16);
  memset(m, 0, 16);
  memcpy(m, i, 4);
  free(m);
  printf("%d %f %s\n", r, (double)f[0], "x");
}

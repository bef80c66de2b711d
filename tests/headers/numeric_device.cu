// Device-side math/intrinsic functions wrapped in extern "C" functions; check_numeric.sh retargets the
// NVPTX IR of this file to the host and runs numeric_main.c against it.
#define W extern "C" __device__ __noinline__
W double t_erfinv(double x) { return erfinv(x); }
W double t_erfcinv(double x) { return erfcinv(x); }
W float t_erfinvf(float x) { return erfinvf(x); }
W double t_normcdfinv(double x) { return normcdfinv(x); }
W double t_erfcx(double x) { return erfcx(x); }
W double t_sinpi(double x) { return sinpi(x); }
W double t_cospi(double x) { return cospi(x); }
W float t_sinpif(float x) { return sinpif(x); }
W float t_cospif(float x) { return cospif(x); }
W double t_norm3d(double a, double b, double c) { return norm3d(a, b, c); }
W float t_fmul(float a, float b, int m) { return m == 0 ? __fmul_rn(a, b) : m == 1 ? __fmul_rz(a, b) : m == 2 ? __fmul_ru(a, b) : __fmul_rd(a, b); }
W float t_fadd(float a, float b, int m) { return m == 0 ? __fadd_rn(a, b) : m == 1 ? __fadd_rz(a, b) : m == 2 ? __fadd_ru(a, b) : __fadd_rd(a, b); }
W float t_fdiv(float a, float b, int m) { return m == 0 ? __fdiv_rn(a, b) : m == 1 ? __fdiv_rz(a, b) : m == 2 ? __fdiv_ru(a, b) : __fdiv_rd(a, b); }
W float t_fsqrt(float a, int m) { return m == 0 ? __fsqrt_rn(a) : m == 1 ? __fsqrt_rz(a) : m == 2 ? __fsqrt_ru(a) : __fsqrt_rd(a); }
W double t_dmul(double a, double b, int m) { return m == 0 ? __dmul_rn(a, b) : m == 1 ? __dmul_rz(a, b) : m == 2 ? __dmul_ru(a, b) : __dmul_rd(a, b); }
W double t_dadd(double a, double b, int m) { return m == 0 ? __dadd_rn(a, b) : m == 1 ? __dadd_rz(a, b) : m == 2 ? __dadd_ru(a, b) : __dadd_rd(a, b); }
W double t_ddiv(double a, double b, int m) { return m == 0 ? __ddiv_rn(a, b) : m == 1 ? __ddiv_rz(a, b) : m == 2 ? __ddiv_ru(a, b) : __ddiv_rd(a, b); }
W float t_d2f(double a, int m) { return m == 0 ? __double2float_rn(a) : m == 1 ? __double2float_rz(a) : m == 2 ? __double2float_ru(a) : __double2float_rd(a); }
W float t_ll2f(long long a, int m) { return m == 0 ? __ll2float_rn(a) : m == 1 ? __ll2float_rz(a) : m == 2 ? __ll2float_ru(a) : __ll2float_rd(a); }
W float t_i2f(int a, int m) { return m == 0 ? __int2float_rn(a) : m == 1 ? __int2float_rz(a) : m == 2 ? __int2float_ru(a) : __int2float_rd(a); }
W int t_f2i(float a, int m) { return m == 0 ? __float2int_rn(a) : m == 1 ? __float2int_rz(a) : m == 2 ? __float2int_ru(a) : __float2int_rd(a); }
W unsigned t_f2u(float a) { return __float2uint_rn(a); }
W long long t_d2ll(double a) { return __double2ll_rz(a); }
W int t_mul24(int a, int b) { return __mul24(a, b); }
W int t_mulhi(int a, int b) { return __mulhi(a, b); }
W long long t_mul64hi(long long a, long long b) { return __mul64hi(a, b); }
W unsigned long long t_umul64hi(unsigned long long a, unsigned long long b) { return __umul64hi(a, b); }
W unsigned t_byte_perm(unsigned a, unsigned b, unsigned s) { return __byte_perm(a, b, s); }
W int t_clz(int a) { return __clz(a); }
W int t_ffs(int a) { return __ffs(a); }
W unsigned t_brev(unsigned a) { return __brev(a); }
W unsigned t_sad(int a, int b, unsigned c) { return __sad(a, b, c); }
W int t_rhadd(int a, int b) { return __rhadd(a, b); }
W unsigned t_fsl(unsigned lo, unsigned hi, unsigned s) { return __funnelshift_l(lo, hi, s); }
W unsigned t_fsr(unsigned lo, unsigned hi, unsigned s) { return __funnelshift_r(lo, hi, s); }
W unsigned t_fslc(unsigned lo, unsigned hi, unsigned s) { return __funnelshift_lc(lo, hi, s); }
W float t_saturate(float a) { return __saturatef(a); }
W unsigned t_atomic_inc(unsigned* p, unsigned v) { return atomicInc(p, v); }
W unsigned t_atomic_dec(unsigned* p, unsigned v) { return atomicDec(p, v); }
W float t_atomic_addf(float* p, float v) { return atomicAdd(p, v); }
W float t_atomic_exchf(float* p, float v) { return atomicExch(p, v); }
W unsigned short t_atomic_cas16(unsigned short* p, unsigned short c, unsigned short v) { return atomicCAS(p, c, v); }
W int t_atomic_min(int* p, int v) { return atomicMin(p, v); }
W int t_minmix(int a, unsigned b) { return (int)min(a, b); }
W double t_maxmix(float a, double b) { return max(a, b); }

// OpenCL lowering: the helpers every generated program starts with.  Warp collectives are emulated with
// 32-lane semantics through local memory and work-group barriers (OpenCL C 1.2 has no subgroups), so, as
// the docs say, every thread of the block must reach them (uniform control flow).
#include "OpenCL.h"

namespace cuport {

const char *openCLPrelude() {
  return R"CL(
#ifdef cl_khr_fp64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif
#ifdef cl_khr_int64_base_atomics
#pragma OPENCL EXTENSION cl_khr_int64_base_atomics : enable
#endif
#ifdef cl_khr_int64_extended_atomics
#pragma OPENCL EXTENSION cl_khr_int64_extended_atomics : enable
#endif

/* CUDA's lane numbering: the block's linear thread index (x fastest) in groups of 32. */
uint __cuport_lid(void) {
  return (uint)(get_local_id(0) + get_local_size(0) * (get_local_id(1) + get_local_size(1) * get_local_id(2)));
}
uint __cuport_nthreads(void) { return (uint)(get_local_size(0) * get_local_size(1) * get_local_size(2)); }
/* Lanes that exist in the calling thread's warp (the last warp of a block may be partial). */
uint __cuport_warp_lanes(void) {
  uint base = __cuport_lid() & ~31u, n = __cuport_nthreads() - base;
  return n >= 32u ? 0xffffffffu : ((1u << n) - 1u);
}
uint __cuport_lanemask(uint which) {
  uint lane = __cuport_lid() & 31u, eq = 1u << lane;
  switch (which) {
  case 0: return eq;
  case 1: return eq - 1u;
  case 2: return (eq - 1u) | eq;
  case 3: return ~((eq - 1u) | eq);
  default: return ~(eq - 1u);
  }
}

/* shfl.sync with PTX's operands: mode 0 idx, 1 up, 2 down, 3 bfly; c = ((32 - width) << 8) | clamp. */
uint __cuport_shfl(__local uint* w, uint v, uint mode, uint b, uint c) {
  uint lid = __cuport_lid(), n = __cuport_nthreads();
  w[lid] = v;
  barrier(CLK_LOCAL_MEM_FENCE);
  int lane = (int)(lid & 31u), base = (int)lid - lane;
  int segmask = (int)((c >> 8) & 31u);
  int maxLane = (lane & segmask) | ((int)(c & 31u) & ~segmask);
  int minLane = lane & segmask;
  int j;
  bool ok;
  switch (mode) {
  case 0: j = minLane | ((int)(b & 31u) & ~segmask); ok = j <= maxLane; break;
  case 1: j = lane - (int)b; ok = j >= maxLane; break;
  case 2: j = lane + (int)b; ok = j <= maxLane; break;
  default: j = lane ^ (int)(b & 31u); ok = j <= maxLane; break;
  }
  if (!ok || j < 0 || j > 31 || (uint)(base + j) >= n)
    j = lane;
  uint r = w[base + j];
  barrier(CLK_LOCAL_MEM_FENCE);
  return r;
}

uint __cuport_ballot(__local uint* w, uint pred) {
  uint lid = __cuport_lid(), n = __cuport_nthreads();
  w[lid] = pred != 0u;
  barrier(CLK_LOCAL_MEM_FENCE);
  uint base = lid & ~31u, m = 0u;
  for (uint k = 0; k < 32u && base + k < n; ++k)
    m |= (w[base + k] ? 1u : 0u) << k;
  barrier(CLK_LOCAL_MEM_FENCE);
  return m;
}

uint __cuport_match_any(__local ulong* w, ulong v) {
  uint lid = __cuport_lid(), n = __cuport_nthreads();
  w[lid] = v;
  barrier(CLK_LOCAL_MEM_FENCE);
  uint base = lid & ~31u, m = 0u;
  for (uint k = 0; k < 32u && base + k < n; ++k)
    m |= (w[base + k] == v ? 1u : 0u) << k;
  barrier(CLK_LOCAL_MEM_FENCE);
  return m;
}

/* __syncthreads_count / _and / _or: the number of threads whose predicate is non-zero. */
uint __cuport_block_count(__local uint* counter, uint pred) {
  if (__cuport_lid() == 0u)
    *counter = 0u;
  barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);
  if (pred)
    atomic_inc(counter);
  barrier(CLK_LOCAL_MEM_FENCE);
  uint r = *counter;
  barrier(CLK_LOCAL_MEM_FENCE);
  return r;
}

/* Atomics OpenCL C 1.2 lacks, as compare-and-swap loops on the value's bits: NAME(p, v) stores OP(old, v).
 * T is the value type, U the unsigned type of its bits, CAS the compare-and-swap built-in for U. */
#define __CUPORT_CAS_ATOMIC(AS, NAME, T, U, CAS, OP)                                                   \
  T NAME(volatile AS T* p, T v) {                                                                      \
    volatile AS U* q = (volatile AS U*)p;                                                              \
    U old = *q, prev;                                                                                  \
    do { prev = old; old = CAS(q, prev, as_##U(OP(as_##T(prev), v))); } while (old != prev);          \
    return as_##T(old);                                                                                \
  }
#define __CUPORT_ADD(a, b) ((a) + (b))
#define __CUPORT_SUB(a, b) ((a) - (b))
#define __CUPORT_FP_ATOMICS(AS, S, P, T, U, CAS)            \
  __CUPORT_CAS_ATOMIC(AS, __cuport_##P##add_##S, T, U, CAS, __CUPORT_ADD) \
  __CUPORT_CAS_ATOMIC(AS, __cuport_##P##sub_##S, T, U, CAS, __CUPORT_SUB) \
  __CUPORT_CAS_ATOMIC(AS, __cuport_##P##max_##S, T, U, CAS, fmax)         \
  __CUPORT_CAS_ATOMIC(AS, __cuport_##P##min_##S, T, U, CAS, fmin)
__CUPORT_FP_ATOMICS(__global, g, f, float, uint, atomic_cmpxchg)
__CUPORT_FP_ATOMICS(__local, l, f, float, uint, atomic_cmpxchg)
#if defined(cl_khr_fp64) && defined(cl_khr_int64_base_atomics)
__CUPORT_FP_ATOMICS(__global, g, d, double, ulong, atom_cmpxchg)
__CUPORT_FP_ATOMICS(__local, l, d, double, ulong, atom_cmpxchg)
#endif

uint __cuport_brev32(uint x) {
  x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
  x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
  x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);
  x = ((x >> 8) & 0x00ff00ffu) | ((x & 0x00ff00ffu) << 8);
  return (x >> 16) | (x << 16);
}
ulong __cuport_brev64(ulong x) {
  return ((ulong)__cuport_brev32((uint)x) << 32) | (ulong)__cuport_brev32((uint)(x >> 32));
}
uint __cuport_bswap32(uint x) {
  return (x >> 24) | ((x >> 8) & 0xff00u) | ((x << 8) & 0xff0000u) | (x << 24);
}
ulong __cuport_bswap64(ulong x) {
  return ((ulong)__cuport_bswap32((uint)x) << 32) | (ulong)__cuport_bswap32((uint)(x >> 32));
}
)CL";
}

} // namespace cuport

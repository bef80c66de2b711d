/* Warp-level primitives (clean-room, from the CUDA C++ Programming Guide, "Warp Shuffle Functions",
 * "Warp Vote Functions", "Warp Match Functions", "Warp Reduce Functions", "__syncwarp").
 *
 * warpSize is 32 on every cuport target; lanes are a block's linear thread index in groups of 32.
 * Device IR produced: llvm.nvvm.shfl.sync.{idx,up,down,bfly}.{i32,f32}, llvm.nvvm.vote.{all,any,uni,ballot}.sync,
 * llvm.nvvm.match.{any.sync.i32,any.sync.i64,all.sync.i32p,all.sync.i64p}, llvm.nvvm.bar.warp.sync.
 * 64-bit values are shuffled as two 32-bit halves, as on Nvidia hardware. */
#ifndef __CUPORT_DEVICE_WARP_H__
#define __CUPORT_DEVICE_WARP_H__

#include "config.h"

#if defined(__CUPORT_CUDA) && defined(__cplusplus)

#define __CUPORT_FULL_MASK 0xffffffffu

/* PTX's "c" operand: the segment mask for `width` in bits 8..12, the clamp lane in bits 0..4. */
__CUPORT_DEV int __cuport_shfl_c(int __width, bool __up) {
  return ((32 - __width) << 8) | (__up ? 0 : 0x1f);
}

#define __CUPORT_SHFL_32(NAME, KIND, UP, T, BUILTIN_T, CAST_IN, CAST_OUT)                              \
  __CUPORT_DEV T NAME(unsigned __mask, T __var, int __arg, int __width = 32) {                        \
    return CAST_OUT(__nvvm_shfl_sync_##KIND##_##BUILTIN_T(__mask, CAST_IN(__var), __arg,               \
                                                          __cuport_shfl_c(__width, UP)));              \
  }

#define __CUPORT_ID(x) (x)
#define __CUPORT_TO_I32(x) ((int)(x))
#define __CUPORT_SHFL_ALL32(NAME, KIND, UP)                                                            \
  __CUPORT_SHFL_32(NAME, KIND, UP, int, i32, __CUPORT_ID, __CUPORT_ID)                                 \
  __CUPORT_SHFL_32(NAME, KIND, UP, unsigned int, i32, __CUPORT_TO_I32, (unsigned int))                 \
  __CUPORT_SHFL_32(NAME, KIND, UP, float, f32, __CUPORT_ID, __CUPORT_ID)                               \
  __CUPORT_DEV long long NAME(unsigned __mask, long long __var, int __arg, int __width = 32) {        \
    int __lo = NAME(__mask, (int)(__var & 0xffffffffll), __arg, __width);                              \
    int __hi = NAME(__mask, (int)(__var >> 32), __arg, __width);                                       \
    return (long long)(((unsigned long long)(unsigned int)__hi << 32) | (unsigned int)__lo);           \
  }                                                                                                    \
  __CUPORT_DEV unsigned long long NAME(unsigned __mask, unsigned long long __var, int __arg,           \
                                       int __width = 32) {                                             \
    return (unsigned long long)NAME(__mask, (long long)__var, __arg, __width);                         \
  }                                                                                                    \
  __CUPORT_DEV long NAME(unsigned __mask, long __var, int __arg, int __width = 32) {                  \
    return (long)NAME(__mask, (long long)__var, __arg, __width);                                       \
  }                                                                                                    \
  __CUPORT_DEV unsigned long NAME(unsigned __mask, unsigned long __var, int __arg, int __width = 32) { \
    return (unsigned long)NAME(__mask, (long long)__var, __arg, __width);                              \
  }                                                                                                    \
  __CUPORT_DEV double NAME(unsigned __mask, double __var, int __arg, int __width = 32) {              \
    return __builtin_bit_cast(double, NAME(__mask, __builtin_bit_cast(long long, __var), __arg, __width)); \
  }

/* __shfl_sync(mask, v, srcLane, width), __shfl_up_sync(mask, v, delta, width),
 * __shfl_down_sync(mask, v, delta, width), __shfl_xor_sync(mask, v, laneMask, width). */
__CUPORT_SHFL_ALL32(__shfl_sync, idx, false)
__CUPORT_SHFL_ALL32(__shfl_up_sync, up, true)
__CUPORT_SHFL_ALL32(__shfl_down_sync, down, false)
__CUPORT_SHFL_ALL32(__shfl_xor_sync, bfly, false)

/* The pre-CUDA-9 forms without a mask, still common in older code: all lanes of the warp take part. */
template <typename T> __CUPORT_DEV T __shfl(T __var, int __src, int __width = 32) {
  return __shfl_sync(__CUPORT_FULL_MASK, __var, __src, __width);
}
template <typename T> __CUPORT_DEV T __shfl_up(T __var, unsigned int __delta, int __width = 32) {
  return __shfl_up_sync(__CUPORT_FULL_MASK, __var, (int)__delta, __width);
}
template <typename T> __CUPORT_DEV T __shfl_down(T __var, unsigned int __delta, int __width = 32) {
  return __shfl_down_sync(__CUPORT_FULL_MASK, __var, (int)__delta, __width);
}
template <typename T> __CUPORT_DEV T __shfl_xor(T __var, int __lane_mask, int __width = 32) {
  return __shfl_xor_sync(__CUPORT_FULL_MASK, __var, __lane_mask, __width);
}

/* Votes. */
__CUPORT_DEV int __all_sync(unsigned __mask, int __pred) { return __nvvm_vote_all_sync(__mask, __pred != 0); }
__CUPORT_DEV int __any_sync(unsigned __mask, int __pred) { return __nvvm_vote_any_sync(__mask, __pred != 0); }
__CUPORT_DEV int __uni_sync(unsigned __mask, int __pred) { return __nvvm_vote_uni_sync(__mask, __pred != 0); }
__CUPORT_DEV unsigned __ballot_sync(unsigned __mask, int __pred) {
  return __nvvm_vote_ballot_sync(__mask, __pred != 0);
}
__CUPORT_DEV int __all(int __pred) { return __all_sync(__CUPORT_FULL_MASK, __pred); }
__CUPORT_DEV int __any(int __pred) { return __any_sync(__CUPORT_FULL_MASK, __pred); }
__CUPORT_DEV unsigned __ballot(int __pred) { return __ballot_sync(__CUPORT_FULL_MASK, __pred); }
/* The lanes currently executing together: those that reach this point with the calling lane. */
__CUPORT_DEV unsigned __activemask(void) { return __nvvm_vote_ballot_sync(__CUPORT_FULL_MASK, true); }

__CUPORT_DEV void __syncwarp(unsigned __mask = __CUPORT_FULL_MASK) { __nvvm_bar_warp_sync(__mask); }

/* Match: lanes holding the same value. */
__CUPORT_DEV unsigned __match_any_sync(unsigned __mask, unsigned __v) {
  return __nvvm_match_any_sync_i32(__mask, __v);
}
__CUPORT_DEV unsigned __match_any_sync(unsigned __mask, int __v) { return __match_any_sync(__mask, (unsigned)__v); }
__CUPORT_DEV unsigned __match_any_sync(unsigned __mask, float __v) {
  return __match_any_sync(__mask, __builtin_bit_cast(unsigned, __v));
}
__CUPORT_DEV unsigned __match_any_sync(unsigned __mask, unsigned long long __v) {
  return __nvvm_match_any_sync_i64(__mask, (long long)__v);
}
__CUPORT_DEV unsigned __match_any_sync(unsigned __mask, long long __v) {
  return __nvvm_match_any_sync_i64(__mask, __v);
}
__CUPORT_DEV unsigned __match_any_sync(unsigned __mask, long __v) { return __match_any_sync(__mask, (long long)__v); }
__CUPORT_DEV unsigned __match_any_sync(unsigned __mask, unsigned long __v) {
  return __match_any_sync(__mask, (long long)__v);
}
__CUPORT_DEV unsigned __match_any_sync(unsigned __mask, double __v) {
  return __match_any_sync(__mask, __builtin_bit_cast(long long, __v));
}
__CUPORT_DEV unsigned __match_all_sync(unsigned __mask, unsigned __v, int *__pred) {
  return __nvvm_match_all_sync_i32p(__mask, __v, __pred);
}
__CUPORT_DEV unsigned __match_all_sync(unsigned __mask, int __v, int *__pred) {
  return __match_all_sync(__mask, (unsigned)__v, __pred);
}
__CUPORT_DEV unsigned __match_all_sync(unsigned __mask, float __v, int *__pred) {
  return __match_all_sync(__mask, __builtin_bit_cast(unsigned, __v), __pred);
}
__CUPORT_DEV unsigned __match_all_sync(unsigned __mask, long long __v, int *__pred) {
  return __nvvm_match_all_sync_i64p(__mask, __v, __pred);
}
__CUPORT_DEV unsigned __match_all_sync(unsigned __mask, unsigned long long __v, int *__pred) {
  return __match_all_sync(__mask, (long long)__v, __pred);
}
__CUPORT_DEV unsigned __match_all_sync(unsigned __mask, long __v, int *__pred) {
  return __match_all_sync(__mask, (long long)__v, __pred);
}
__CUPORT_DEV unsigned __match_all_sync(unsigned __mask, unsigned long __v, int *__pred) {
  return __match_all_sync(__mask, (long long)__v, __pred);
}
__CUPORT_DEV unsigned __match_all_sync(unsigned __mask, double __v, int *__pred) {
  return __match_all_sync(__mask, __builtin_bit_cast(long long, __v), __pred);
}

/* Reductions over the lanes in `mask` (CUDA 11, sm_80 hardware instructions; computed with shuffles of
 * every participating lane here, so the result is the same on every target). */
#define __CUPORT_REDUCE(NAME, T, INIT, OP)                                                             \
  __CUPORT_DEV T NAME(unsigned __mask, T __v) {                                                       \
    T __acc = INIT;                                                                                    \
    for (int __l = 0; __l < 32; ++__l)                                                                 \
      if (__mask & (1u << __l)) {                                                                      \
        T __o = __shfl_sync(__mask, __v, __l);                                                         \
        __acc = OP;                                                                                    \
      }                                                                                                \
    return __acc;                                                                                      \
  }
__CUPORT_REDUCE(__reduce_add_sync, unsigned, 0u, __acc + __o)
__CUPORT_REDUCE(__reduce_add_sync, int, 0, (int)((unsigned)__acc + (unsigned)__o))
__CUPORT_REDUCE(__reduce_min_sync, unsigned, 0xffffffffu, (__o < __acc ? __o : __acc))
__CUPORT_REDUCE(__reduce_min_sync, int, 0x7fffffff, (__o < __acc ? __o : __acc))
__CUPORT_REDUCE(__reduce_max_sync, unsigned, 0u, (__o > __acc ? __o : __acc))
__CUPORT_REDUCE(__reduce_max_sync, int, (int)0x80000000, (__o > __acc ? __o : __acc))
__CUPORT_REDUCE(__reduce_and_sync, unsigned, 0xffffffffu, __acc & __o)
__CUPORT_REDUCE(__reduce_or_sync, unsigned, 0u, __acc | __o)
__CUPORT_REDUCE(__reduce_xor_sync, unsigned, 0u, __acc ^ __o)
#undef __CUPORT_REDUCE
#undef __CUPORT_SHFL_ALL32
#undef __CUPORT_SHFL_32
#undef __CUPORT_ID
#undef __CUPORT_TO_I32

#endif /* __CUPORT_CUDA && __cplusplus */

#endif

/* CUDA atomic functions (clean-room, from the CUDA C++ Programming Guide, "Atomic Functions").
 *
 * All are relaxed read-modify-write operations, as in CUDA, written with Clang's generic __atomic
 * builtins so that device IR contains only plain LLVM `atomicrmw` / `cmpxchg` instructions (every
 * cuport target lowers those); atomicInc/atomicDec use CUDA's wrap-around rules through a cmpxchg loop.
 * The _block and _system variants have the same (strongest) scope on every cuport target. */
#ifndef __CUPORT_DEVICE_ATOMICS_H__
#define __CUPORT_DEVICE_ATOMICS_H__

#include "config.h"

#if defined(__CUPORT_CUDA) && defined(__cplusplus)

#define __CUPORT_RLX __ATOMIC_RELAXED

/* One operation for one type, in the three scopes. */
#define __CUPORT_ATOMIC_SCOPES(name, T, body)                   \
  __CUPORT_DEV T name(T* __p, T __v) body                       \
  __CUPORT_DEV T name##_block(T* __p, T __v) body               \
  __CUPORT_DEV T name##_system(T* __p, T __v) body

#define __CUPORT_ATOMIC_RMW(name, builtin, T) \
  __CUPORT_ATOMIC_SCOPES(name, T, { return builtin(__p, __v, __CUPORT_RLX); })

/* atomicAdd: int, unsigned int, unsigned long long int, float, double. */
__CUPORT_ATOMIC_RMW(atomicAdd, __atomic_fetch_add, int)
__CUPORT_ATOMIC_RMW(atomicAdd, __atomic_fetch_add, unsigned int)
__CUPORT_ATOMIC_RMW(atomicAdd, __atomic_fetch_add, unsigned long long int)
__CUPORT_ATOMIC_RMW(atomicAdd, __atomic_fetch_add, float)
__CUPORT_ATOMIC_RMW(atomicAdd, __atomic_fetch_add, double)

/* atomicSub: int, unsigned int. */
__CUPORT_ATOMIC_RMW(atomicSub, __atomic_fetch_sub, int)
__CUPORT_ATOMIC_RMW(atomicSub, __atomic_fetch_sub, unsigned int)

/* atomicExch: int, unsigned int, unsigned long long int, float. */
__CUPORT_ATOMIC_RMW(atomicExch, __atomic_exchange_n, int)
__CUPORT_ATOMIC_RMW(atomicExch, __atomic_exchange_n, unsigned int)
__CUPORT_ATOMIC_RMW(atomicExch, __atomic_exchange_n, unsigned long long int)
__CUPORT_ATOMIC_SCOPES(atomicExch, float, {
  unsigned int __old = __atomic_exchange_n((unsigned int*)__p, __builtin_bit_cast(unsigned int, __v), __CUPORT_RLX);
  return __builtin_bit_cast(float, __old);
})

/* atomicMin / atomicMax: int, unsigned int, long long int, unsigned long long int. */
__CUPORT_ATOMIC_RMW(atomicMin, __atomic_fetch_min, int)
__CUPORT_ATOMIC_RMW(atomicMin, __atomic_fetch_min, unsigned int)
__CUPORT_ATOMIC_RMW(atomicMin, __atomic_fetch_min, long long int)
__CUPORT_ATOMIC_RMW(atomicMin, __atomic_fetch_min, unsigned long long int)
__CUPORT_ATOMIC_RMW(atomicMax, __atomic_fetch_max, int)
__CUPORT_ATOMIC_RMW(atomicMax, __atomic_fetch_max, unsigned int)
__CUPORT_ATOMIC_RMW(atomicMax, __atomic_fetch_max, long long int)
__CUPORT_ATOMIC_RMW(atomicMax, __atomic_fetch_max, unsigned long long int)

/* atomicAnd / atomicOr / atomicXor: int, unsigned int, unsigned long long int. */
__CUPORT_ATOMIC_RMW(atomicAnd, __atomic_fetch_and, int)
__CUPORT_ATOMIC_RMW(atomicAnd, __atomic_fetch_and, unsigned int)
__CUPORT_ATOMIC_RMW(atomicAnd, __atomic_fetch_and, unsigned long long int)
__CUPORT_ATOMIC_RMW(atomicOr, __atomic_fetch_or, int)
__CUPORT_ATOMIC_RMW(atomicOr, __atomic_fetch_or, unsigned int)
__CUPORT_ATOMIC_RMW(atomicOr, __atomic_fetch_or, unsigned long long int)
__CUPORT_ATOMIC_RMW(atomicXor, __atomic_fetch_xor, int)
__CUPORT_ATOMIC_RMW(atomicXor, __atomic_fetch_xor, unsigned int)
__CUPORT_ATOMIC_RMW(atomicXor, __atomic_fetch_xor, unsigned long long int)

/* atomicInc: old = *p; *p = (old >= v) ? 0 : old + 1.
 * atomicDec: old = *p; *p = (old == 0 || old > v) ? v : old - 1. */
__CUPORT_ATOMIC_SCOPES(atomicInc, unsigned int, {
  unsigned int __old = __atomic_load_n(__p, __CUPORT_RLX);
  while (!__atomic_compare_exchange_n(__p, &__old, (__old >= __v) ? 0u : __old + 1u, false, __CUPORT_RLX,
                                      __CUPORT_RLX)) {
  }
  return __old;
})
__CUPORT_ATOMIC_SCOPES(atomicDec, unsigned int, {
  unsigned int __old = __atomic_load_n(__p, __CUPORT_RLX);
  while (!__atomic_compare_exchange_n(__p, &__old, (__old == 0u || __old > __v) ? __v : __old - 1u, false,
                                      __CUPORT_RLX, __CUPORT_RLX)) {
  }
  return __old;
})

/* atomicCAS: returns the old value; stores __val only if it equalled __cmp.
 * int, unsigned int, unsigned long long int, unsigned short int. */
#define __CUPORT_ATOMIC_CAS1(name, T)                                                        \
  __CUPORT_DEV T name(T* __p, T __cmp, T __val) {                                          \
    __atomic_compare_exchange_n(__p, &__cmp, __val, false, __CUPORT_RLX, __CUPORT_RLX);    \
    return __cmp;                                                                          \
  }
#define __CUPORT_ATOMIC_CAS(T)               \
  __CUPORT_ATOMIC_CAS1(atomicCAS, T)         \
  __CUPORT_ATOMIC_CAS1(atomicCAS_block, T)   \
  __CUPORT_ATOMIC_CAS1(atomicCAS_system, T)
__CUPORT_ATOMIC_CAS(int)
__CUPORT_ATOMIC_CAS(unsigned int)
__CUPORT_ATOMIC_CAS(unsigned long long int)
__CUPORT_ATOMIC_CAS(unsigned short int)

#undef __CUPORT_ATOMIC_CAS
#undef __CUPORT_ATOMIC_CAS1
#undef __CUPORT_ATOMIC_RMW
#undef __CUPORT_ATOMIC_SCOPES
#undef __CUPORT_RLX

#endif /* __CUPORT_CUDA && __cplusplus */

#endif

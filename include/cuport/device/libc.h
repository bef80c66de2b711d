/* C library functions usable in device code (clean-room, from the CUDA C++ Programming Guide,
 * "Formatted Output", "Assertion", "Dynamic Global Memory Allocation and Operations").
 *
 * - printf: Clang lowers a device-side call of printf to `vprintf(const char* fmt, void* args)`, args
 *   pointing to a buffer of the promoted arguments; only a __device__ declaration is needed.
 * - assert: glibc's assert() calls __assert_fail(expr, file, line, function); its device overload calls
 *   `__assertfail(expr, file, line, function, sizeof(char))`, which the cuport lowering implements.
 * - malloc/free: calls of the external `malloc`/`free` (device heap), implemented by the lowering.
 * - memcpy/memset: Clang builtins (llvm.memcpy / llvm.memset).
 * Everything is declared for CUDA compilations only; plain C++ sees just the system headers. */
#ifndef __CUPORT_DEVICE_LIBC_H__
#define __CUPORT_DEVICE_LIBC_H__

#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__cplusplus)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#endif

#if defined(__CUPORT_CUDA) && defined(__cplusplus)

extern "C" {
__device__ int printf(const char* __fmt, ...);
__device__ int vprintf(const char* __fmt, void* __args);
__device__ void* malloc(size_t __n);
__device__ void free(void* __p);
__device__ void __assertfail(const char* __message, const char* __file, unsigned int __line,
                             const char* __function, size_t __char_size);
}

__CUPORT_DEV void* memcpy(void* __d, const void* __s, size_t __n) { return __builtin_memcpy(__d, __s, __n); }
__CUPORT_DEV void* memset(void* __d, int __c, size_t __n) { return __builtin_memset(__d, __c, __n); }

/* glibc's assert() expands to a call of __assert_fail; this device overload forwards to __assertfail. */
__CUPORT_DEV void __assert_fail(const char* __expr, const char* __file, unsigned int __line,
                                const char* __function) {
  __assertfail(__expr, __file, __line, __function, sizeof(char));
}

namespace std {
using ::printf;
using ::malloc;
using ::free;
using ::memcpy;
using ::memset;
}  // namespace std

#endif /* __CUPORT_CUDA && __cplusplus */

#endif

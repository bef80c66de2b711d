/* Synchronisation, memory fences and timing (clean-room, from the CUDA C++ Programming Guide,
 * "Synchronization Functions", "Memory Fence Functions", "Time Function").
 *
 * __syncthreads() is a Clang builtin (llvm.nvvm.barrier0) and is not redefined here.
 * Device IR produced: llvm.nvvm.barrier0.{popc,and,or}, llvm.nvvm.membar.{cta,gl,sys},
 * llvm.nvvm.read.ptx.sreg.{clock,clock64}, llvm.trap. */
#ifndef __CUPORT_DEVICE_SYNC_H__
#define __CUPORT_DEVICE_SYNC_H__

#include "config.h"

#if defined(__CUPORT_CUDA) && defined(__cplusplus)

#include <time.h> /* clock_t, and the host clock() our device overload sits beside */

/* Block-wide barrier that also reduces a predicate over the block. */
__CUPORT_DEV int __syncthreads_count(int __pred) { return __nvvm_bar0_popc(__pred); }
__CUPORT_DEV int __syncthreads_and(int __pred) { return __nvvm_bar0_and(__pred); }
__CUPORT_DEV int __syncthreads_or(int __pred) { return __nvvm_bar0_or(__pred); }

/* Memory fences: block scope, device scope, system scope. */
__CUPORT_DEV void __threadfence_block(void) { __nvvm_membar_cta(); }
__CUPORT_DEV void __threadfence(void) { __nvvm_membar_gl(); }
__CUPORT_DEV void __threadfence_system(void) { __nvvm_membar_sys(); }

/* Per-multiprocessor cycle counters. */
__CUPORT_DEV clock_t clock(void) { return (clock_t)__nvvm_read_ptx_sreg_clock(); }
__CUPORT_DEV long long int clock64(void) { return (long long int)__nvvm_read_ptx_sreg_clock64(); }
/* Sleep for about __ns nanoseconds.  CUDA guarantees only a duration in [0, 2*__ns], so returning at
 * once is a conforming implementation on every cuport target. */
__CUPORT_DEV void __nanosleep(unsigned int __ns) { (void)__ns; }

/* Abort the kernel. */
__CUPORT_DEV void __trap(void) { __builtin_trap(); }

#endif /* __CUPORT_CUDA && __cplusplus */

#endif

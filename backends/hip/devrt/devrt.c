/* Device runtime of the HIP backend: the thread-context, barrier and warp functions that cuport-cc's
 * AMDGPU lowering (compiler/lib/AMDGPULowering.cpp) calls, written with Clang's AMDGPU built-ins and linked
 * into every code object as bitcode.  Built twice, for 32-lane and 64-lane wavefronts (CUPORT_WAVE64).
 *
 * CUDA warps are 32 threads of consecutive linear thread index; AMDGPU wavefronts are 32 or 64 work-items
 * of consecutive flattened work-item index.  So a CUDA lane is the hardware lane modulo 32, and on wave64
 * targets each wavefront carries two CUDA warps (its low and high halves): every warp function below works
 * within the caller's half, which gives CUDA's 32-lane results on both wavefront sizes.
 *
 * Every function is convergent (-fconvergent-functions) and always inlined into the kernels. */
#include <stdint.h>

#include "cuport/cpu_kernel_abi.h" /* cuport_cpu_site_kind: the collective kinds of __cuport.sync */

#define DEV __attribute__((always_inline, visibility("hidden")))
#define CONSTANT __attribute__((address_space(4)))
#define LDS __attribute__((address_space(3)))

uint32_t __cuport_ballot32(_Bool) __asm("llvm.amdgcn.ballot.i32");
uint64_t __cuport_ballot64(_Bool) __asm("llvm.amdgcn.ballot.i64");

/* ---- special registers -------------------------------------------------------------------------------- */
/* The HSA kernel dispatch packet: workgroup_size_{x,y,z} (uint16) at bytes 4/6/8, grid_size_{x,y,z}
 * (uint32, in work-items) at 12/16/20.  HIP launches whole blocks, so grid sizes are multiples. */
static inline const CONSTANT uint16_t *dispatch16(void) {
  return (const CONSTANT uint16_t *)__builtin_amdgcn_dispatch_ptr();
}
static inline const CONSTANT uint32_t *dispatch32(void) {
  return (const CONSTANT uint32_t *)__builtin_amdgcn_dispatch_ptr();
}

DEV uint32_t __cuport_sreg_tid_x(void) { return __builtin_amdgcn_workitem_id_x(); }
DEV uint32_t __cuport_sreg_tid_y(void) { return __builtin_amdgcn_workitem_id_y(); }
DEV uint32_t __cuport_sreg_tid_z(void) { return __builtin_amdgcn_workitem_id_z(); }
DEV uint32_t __cuport_sreg_ctaid_x(void) { return __builtin_amdgcn_workgroup_id_x(); }
DEV uint32_t __cuport_sreg_ctaid_y(void) { return __builtin_amdgcn_workgroup_id_y(); }
DEV uint32_t __cuport_sreg_ctaid_z(void) { return __builtin_amdgcn_workgroup_id_z(); }
DEV uint32_t __cuport_sreg_ntid_x(void) { return dispatch16()[2]; }
DEV uint32_t __cuport_sreg_ntid_y(void) { return dispatch16()[3]; }
DEV uint32_t __cuport_sreg_ntid_z(void) { return dispatch16()[4]; }
DEV uint32_t __cuport_sreg_nctaid_x(void) { return dispatch32()[3] / dispatch16()[2]; }
DEV uint32_t __cuport_sreg_nctaid_y(void) { return dispatch32()[4] / dispatch16()[3]; }
DEV uint32_t __cuport_sreg_nctaid_z(void) { return dispatch32()[5] / dispatch16()[4]; }

static inline uint32_t linear_tid(void) {
  return __cuport_sreg_tid_x() +
         __cuport_sreg_ntid_x() * (__cuport_sreg_tid_y() + __cuport_sreg_ntid_y() * __cuport_sreg_tid_z());
}
DEV uint32_t __cuport_sreg_laneid(void) { return linear_tid() & 31u; }
DEV uint32_t __cuport_sreg_warpid(void) { return linear_tid() >> 5; }
/* clock()/clock64(): the shader cycle counter (s_memtime on gfx9, 20-bit SHADER_CYCLES on gfx11). */
DEV uint64_t __cuport_sreg_clock64(void) { return __builtin_readcyclecounter(); }

/* ---- barriers and fences ------------------------------------------------------------------------------ */
DEV void __cuport_barrier(void) {
  __builtin_amdgcn_fence(__ATOMIC_RELEASE, "workgroup");
  __builtin_amdgcn_s_barrier();
  __builtin_amdgcn_fence(__ATOMIC_ACQUIRE, "workgroup");
}
DEV void __cuport_fence_block(void) { __builtin_amdgcn_fence(__ATOMIC_SEQ_CST, "workgroup"); }
DEV void __cuport_fence_device(void) { __builtin_amdgcn_fence(__ATOMIC_SEQ_CST, "agent"); }
DEV void __cuport_fence_system(void) { __builtin_amdgcn_fence(__ATOMIC_SEQ_CST, ""); }

/* ---- warps -------------------------------------------------------------------------------------------- */
static inline uint32_t hw_lane(void) {
  uint32_t lo = __builtin_amdgcn_mbcnt_lo(~0u, 0u);
#if CUPORT_WAVE64
  return __builtin_amdgcn_mbcnt_hi(~0u, lo);
#else
  return lo;
#endif
}

/* Bit l set when lane l of the caller's warp is active and `p` holds there. */
static inline uint32_t warp_ballot(_Bool p) {
#if CUPORT_WAVE64
  return (uint32_t)(__cuport_ballot64(p) >> (hw_lane() & 32u));
#else
  return __cuport_ballot32(p);
#endif
}

/* Lane `src` (0..31) of the caller's warp. */
static inline uint32_t read_lane(uint32_t v, uint32_t src) {
  uint32_t hw = (hw_lane() & ~31u) | (src & 31u);
  return (uint32_t)__builtin_amdgcn_ds_bpermute((int)(hw << 2), (int)v);
}

/* The source lane of a shuffle, following PTX's shfl.sync definition; *valid is PTX's predicate. */
static inline uint32_t shuffle_source(uint32_t kind, uint32_t lane, uint32_t b, uint32_t c, int *valid) {
  uint32_t bval = b & 31u, clamp = c & 31u, segmask = (c >> 8) & 31u;
  uint32_t max_lane = (lane & segmask) | (clamp & ~segmask), min_lane = lane & segmask;
  int32_t j;
  switch (kind) {
  case CUPORT_SITE_SHFL_UP:
    j = (int32_t)lane - (int32_t)bval;
    *valid = j >= (int32_t)max_lane;
    break;
  case CUPORT_SITE_SHFL_DOWN:
    j = (int32_t)(lane + bval);
    *valid = j <= (int32_t)max_lane;
    break;
  case CUPORT_SITE_SHFL_BFLY:
    j = (int32_t)(lane ^ bval);
    *valid = j <= (int32_t)max_lane;
    break;
  default:
    j = (int32_t)(min_lane | (bval & ~segmask));
    *valid = j <= (int32_t)max_lane;
    break;
  }
  return *valid ? (uint32_t)j : lane;
}

static LDS uint32_t block_reduction __attribute__((loader_uninitialized));

/* __syncthreads_count/and/or: a barrier that also reduces the predicate over the block. */
static inline uint64_t block_collective(uint32_t kind, _Bool p) {
  __cuport_barrier();
  if (linear_tid() == 0)
    block_reduction = 0;
  __cuport_barrier();
  uint32_t lane_count = __builtin_popcount(warp_ballot(p));
  if ((linear_tid() & 31u) == __builtin_ctz(warp_ballot(1)) && lane_count)
    __atomic_fetch_add(&block_reduction, lane_count, __ATOMIC_RELAXED);
  __cuport_barrier();
  uint32_t count = block_reduction;
  __cuport_barrier();
  switch (kind) {
  case CUPORT_SITE_BLOCK_POPC: return count;
  case CUPORT_SITE_BLOCK_AND: return count == __cuport_sreg_ntid_x() * __cuport_sreg_ntid_y() * __cuport_sreg_ntid_z();
  default: return count != 0;
  }
}

/* i64 __cuport.sync(kind, mask, a, b, c): the collectives of compiler/lib/Passes.h, with the results the
 * CPU backend's scheduler gives (backends/cpu/devrt/scheduler.c): shuffles return the value in the low
 * 32 bits and PTX's predicate in bit 32; match.all returns the mask and its predicate in bit 32. */
DEV uint64_t __cuport_sync(uint32_t kind, uint32_t mask, uint64_t a, uint64_t b, uint64_t c) {
  uint32_t lane = hw_lane() & 31u;
  uint32_t active = warp_ballot(1);
  switch (kind) {
  case CUPORT_SITE_BLOCK:
    __cuport_barrier();
    return 0;
  case CUPORT_SITE_BLOCK_POPC:
  case CUPORT_SITE_BLOCK_AND:
  case CUPORT_SITE_BLOCK_OR:
    return block_collective(kind, a != 0);
  case CUPORT_SITE_WARP:
    /* A wavefront runs its lanes together; __syncwarp still orders their memory accesses. */
    __builtin_amdgcn_fence(__ATOMIC_SEQ_CST, "wavefront");
    return 0;
  case CUPORT_SITE_SHFL_IDX:
  case CUPORT_SITE_SHFL_UP:
  case CUPORT_SITE_SHFL_DOWN:
  case CUPORT_SITE_SHFL_BFLY: {
    int valid;
    uint32_t src = shuffle_source(kind, lane, (uint32_t)b, (uint32_t)c, &valid);
    uint32_t v = read_lane((uint32_t)a, src);
    /* Reading a lane that does not take part is undefined in CUDA; give the lane its own value. */
    if (!(active & (1u << src)))
      v = (uint32_t)a;
    return (uint64_t)v | ((uint64_t)(valid != 0) << 32);
  }
  case CUPORT_SITE_VOTE_ALL:
  case CUPORT_SITE_VOTE_ANY:
  case CUPORT_SITE_VOTE_UNI:
  case CUPORT_SITE_VOTE_BALLOT: {
    uint32_t members = mask & active, ballot = warp_ballot(a != 0) & members;
    if (kind == CUPORT_SITE_VOTE_ALL) return ballot == members;
    if (kind == CUPORT_SITE_VOTE_ANY) return ballot != 0;
    if (kind == CUPORT_SITE_VOTE_UNI) return ballot == 0 || ballot == members;
    return ballot;
  }
  case CUPORT_SITE_MATCH_ANY:
  case CUPORT_SITE_MATCH_ALL: {
    uint32_t members = mask & active, same = 0;
    for (uint32_t k = 0; k < 32; ++k) {
      uint64_t vk = (uint64_t)read_lane((uint32_t)a, k) | ((uint64_t)read_lane((uint32_t)(a >> 32), k) << 32);
      if ((members & (1u << k)) && vk == a)
        same |= 1u << k;
    }
    if (kind == CUPORT_SITE_MATCH_ANY)
      return same;
    return same == members ? ((uint64_t)members | (1ull << 32)) : 0;
  }
  default:
    __builtin_trap();
  }
}

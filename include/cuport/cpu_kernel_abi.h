/* The ABI between CPU device images produced by cuport-cc and the CPU backend.  See docs/design.md.
 *
 * A CPU image is an ELF shared object.  For every kernel with mangled name NAME it exports
 *   void __cuport_k_NAME(void** args, cuport_cpu_block_ctx* ctx, uint32_t count);   runs thread blocks
 *   const cuport_cpu_kernel_info __cuport_i_NAME;                                   its resource needs
 * and every __device__/__constant__ variable under its device name.  `args[i]` points to the value of the
 * i-th kernel parameter (exactly what Clang's launch stub passes to cudaLaunchKernel).
 *
 * The block function runs all threads of a block itself (work-item loops).  With CUPORT_CPU_KERNEL_BLOCK_RANGE
 * in info.flags it runs `count` (>= 1) consecutive blocks of one grid row: blockIdx.x = ctx->block_idx[0] ..
 * + count - 1 (the caller keeps them below grid_dim[0]), blockIdx.y and .z from the context; it stores each
 * block's x index in ctx->block_idx[0] before running that block (so a fault report names the block;
 * but see CUPORT_CPU_KERNEL_FUSED_ROWS).
 * Without the flag it takes two arguments and runs the one block ctx->block_idx names.  It is called from
 * any worker thread; distinct calls may run concurrently, so the context and all memory it points to belong
 * to that call alone.  thread_state needs no initialization: the block function writes every entry before
 * its scheduler reads one.
 */
#ifndef CUPORT_CPU_KERNEL_ABI_H
#define CUPORT_CPU_KERNEL_ABI_H

#include <stdint.h>

#define CUPORT_CPU_ABI_VERSION 3u     /* images of versions 1 to 3 load; 2 added the block range, 3 the block
                                         frame */
#define CUPORT_CPU_ABI_VERSION_MIN 1u
#define CUPORT_CPU_KERNEL_PREFIX "__cuport_k_"
#define CUPORT_CPU_KINFO_PREFIX "__cuport_i_"
/* State value a thread reports when it has returned from the kernel. */
#define CUPORT_CPU_STATE_EXIT 0xffffffffu

typedef struct cuport_cpu_block_ctx {
  uint32_t grid_dim[3];   /* gridDim */
  uint32_t block_dim[3];  /* blockDim */
  uint32_t block_idx[3];  /* blockIdx */
  uint32_t abi_version;   /* CUPORT_CPU_ABI_VERSION */
  void* shared_mem;       /* static __shared__ variables: info.static_shared_size bytes, 64-byte aligned */
  void* dynamic_shared;   /* extern __shared__: the launch's dynamic size, 64-byte aligned */
  void* frame_mem;        /* the block's frame (cuport_cpu_frame_bytes), 64-byte aligned: per-thread state
                             kept across barriers */
  uint32_t* thread_state; /* block_threads entries, scratch for the barrier state machine */
  /* Written by images built with --memcheck before each checked access (see "Memcheck" below), so that a
   * fault report can name the thread: */
  const char* memcheck_where; /* "function\tfile:line" of the last checked access */
  uint32_t memcheck_thread;   /* its thread (packed), CUPORT_MC_THREAD_UNKNOWN before the first */
  uint32_t reserved32;        /* zero */
  void* memcheck_state;       /* the backend's, for its memcheck hook */
  void* reserved[1];          /* zero */
} cuport_cpu_block_ctx;

typedef struct cuport_cpu_kernel_info {
  uint32_t abi_version;        /* CUPORT_CPU_ABI_VERSION */
  uint32_t flags;              /* CUPORT_CPU_KERNEL_* */
  uint64_t frame_size;         /* bytes of frame_mem per thread, or per block with CUPORT_CPU_KERNEL_BLOCK_FRAME
                                  (0 without barriers) */
  uint64_t frame_align;        /* alignment of each thread's frame */
  uint64_t static_shared_size; /* bytes of static __shared__ memory */
} cuport_cpu_kernel_info;

#define CUPORT_CPU_KERNEL_BARRIERS 1u    /* the kernel contains barriers (frame_size is then per thread) */
#define CUPORT_CPU_KERNEL_BLOCK_RANGE 2u /* the block function takes a block count (a cuport_cpu_range_fn) */
/* frame_size is the whole block's frame, whatever the block size (at most CUPORT_CPU_MAX_BLOCK_THREADS
 * threads): the image lays the frame out slot by slot, each slot an array over the threads (ABI 3). */
#define CUPORT_CPU_KERNEL_BLOCK_FRAME 4u
/* A barrier-free kernel whose threads see blockIdx.x and threadIdx.x only as their sum
 * blockIdx.x * blockDim.x + threadIdx.x: the block function runs the rows of all `count` blocks of its
 * range as one and leaves ctx->block_idx[0] at the range's first block, so a fault report can only name
 * the range.  (Advisory: a backend that ignores it names the first block.) */
#define CUPORT_CPU_KERNEL_FUSED_ROWS 8u
#define CUPORT_CPU_MAX_BLOCK_THREADS 1024u

/* The bytes of frame_mem a block of block_threads threads needs. */
static inline uint64_t cuport_cpu_frame_bytes(const cuport_cpu_kernel_info* info, uint32_t block_threads) {
  return (info->flags & CUPORT_CPU_KERNEL_BLOCK_FRAME) ? info->frame_size : info->frame_size * block_threads;
}

typedef void (*cuport_cpu_block_fn)(void** args, cuport_cpu_block_ctx* ctx);
typedef void (*cuport_cpu_range_fn)(void** args, cuport_cpu_block_ctx* ctx, uint32_t count);

/* Synchronization sites inside an image (compiler <-> device runtime; the backend never sees them).
 * Each barrier or warp collective of a kernel is a site.  A thread reaching site i stores the operands
 * of the collective in its sync record and returns i+1; the block scheduler (__cuport_cpu_schedule in backends/cpu/devrt) decides which waiting group to
 * release, computes the collective's result into each released thread's record, and marks the released
 * threads' state with CUPORT_CPU_STATE_RELEASED.  A yield site (the compiler's, at the top of a loop that
 * walks memory with the block's or grid's stride) only orders the loop's iterations: the scheduler releases
 * every thread waiting there once no warp site can go on, the lowest-numbered yield site first, so that the
 * threads waiting at one have all run the loop the same number of times. */
enum cuport_cpu_site_kind {
  CUPORT_SITE_BLOCK = 0,     /* __syncthreads */
  CUPORT_SITE_BLOCK_POPC,    /* __syncthreads_count(a) */
  CUPORT_SITE_BLOCK_AND,     /* __syncthreads_and(a) */
  CUPORT_SITE_BLOCK_OR,      /* __syncthreads_or(a) */
  CUPORT_SITE_WARP,          /* __syncwarp(mask) */
  CUPORT_SITE_SHFL_IDX,      /* shfl.sync.idx(mask, a = value, b = lane, c = segment/clamp) */
  CUPORT_SITE_SHFL_UP,
  CUPORT_SITE_SHFL_DOWN,
  CUPORT_SITE_SHFL_BFLY,
  CUPORT_SITE_VOTE_ALL,      /* vote.sync(mask, a = predicate) */
  CUPORT_SITE_VOTE_ANY,
  CUPORT_SITE_VOTE_UNI,
  CUPORT_SITE_VOTE_BALLOT,
  CUPORT_SITE_MATCH_ANY,     /* match.sync(mask, a = value) */
  CUPORT_SITE_MATCH_ALL,
  CUPORT_SITE_YIELD,         /* the top of a stream loop: synchronizes nothing (see below) */
  CUPORT_SITE_KIND_COUNT
};

/* A thread's sync record is five 8-byte fields (cuport_cpu_sync_field), each an array over the block's
 * threads in the frame: field f of thread t is at frame_mem + record_offset + f * field_stride + 8 * t
 * (4 * t for the A and RESULT fields of a CUPORT_SITE_NARROW site). */
typedef struct cuport_cpu_site {
  uint32_t kind;          /* cuport_cpu_site_kind */
  uint32_t record_offset; /* unused for CUPORT_SITE_BLOCK */
  uint32_t field_stride;
  uint32_t flags;         /* CUPORT_SITE_CONST_OPERANDS */
  uint32_t mask, b, c;    /* the operands, with CUPORT_SITE_CONST_OPERANDS */
  uint32_t reserved;
} cuport_cpu_site;

/* The site's mask, b and c operands are the same for every thread, known when the image was compiled: they
 * are in the site, and the threads' records do not hold them (only a and the result). */
#define CUPORT_SITE_CONST_OPERANDS 1u
/* A shuffle site whose predicate no one reads: its records' A and RESULT fields hold 4-byte elements (field f
 * of thread t at frame_mem + record_offset + f * field_stride + 4 * t), the result without bit 32. */
#define CUPORT_SITE_NARROW 2u

enum cuport_cpu_sync_field {
  CUPORT_SYNC_MASK = 0,   /* participating lanes (warp sites), in the low 32 bits */
  CUPORT_SYNC_A,          /* operands */
  CUPORT_SYNC_B,
  CUPORT_SYNC_C,
  CUPORT_SYNC_RESULT,     /* low 32 bits: the value; bit 32: the predicate of .p / match.all forms */
  CUPORT_SYNC_FIELDS
};

#define CUPORT_CPU_STATE_RELEASED 0x80000000u

/* Memcheck (docs/memcheck.md).  Before every global or shared memory access of device code (loads, stores,
 * atomics, memcpy/memmove/memset), images built with `cuport-cc --memcheck` (or -G) store the thread and
 * `where` in the block context (memcheck_thread, memcheck_where) and, when the backend installed a hook in
 * the device runtime's __cuport_memcheck_hook, call
 *   void __cuport_memcheck(const void* addr, uint64_t size, uint32_t kind, const char* where, uint32_t thread,
 *                          const cuport_cpu_block_ctx* ctx);
 * which calls it with the same arguments (ctx is NULL where the code cannot know it: recursive functions).  `kind`: one operation
 * (CUPORT_MC_READ .. CUPORT_MC_HEAP_FREE) plus flags; `where`: "<mangled function>\t<file>:<line>" (no tab
 * and line without line tables); `thread`: threadIdx as x | y << 10 | z << 20, or CUPORT_MC_THREAD_UNKNOWN.
 * Heap events report device malloc/operator new results (addr, size: after the call) and free/delete (addr,
 * size 0: before the call).  Such images export CUPORT_CPU_MEMCHECK_INFO, a cuport_cpu_memcheck_info. */
#define CUPORT_CPU_MEMCHECK_INFO "__cuport_memcheck_info"
#define CUPORT_CPU_MEMCHECK_VERSION 1u
#define CUPORT_MC_READ 0u
#define CUPORT_MC_WRITE 1u
#define CUPORT_MC_ATOMIC 2u
#define CUPORT_MC_HEAP_ALLOC 3u
#define CUPORT_MC_HEAP_FREE 4u
#define CUPORT_MC_OP_MASK 7u
#define CUPORT_MC_ALIGNED 8u   /* the code assumes natural alignment (size 2, 4, 8 or 16): CUDA faults without */
#define CUPORT_MC_SHARED 16u   /* the address is known to be __shared__ memory */
#define CUPORT_MC_THREAD_UNKNOWN 0xffffffffu

typedef void (*cuport_cpu_memcheck_fn)(const void* addr, uint64_t size, uint32_t kind, const char* where,
                                       uint32_t thread, const cuport_cpu_block_ctx* ctx);

typedef struct cuport_cpu_memcheck_global {
  const void* addr;       /* a global variable of the image (__device__, __constant__, string literals, ...) */
  uint64_t size;
  const char* name;       /* its (mangled) name */
} cuport_cpu_memcheck_global;

typedef struct cuport_cpu_memcheck_info {
  uint32_t version;       /* CUPORT_CPU_MEMCHECK_VERSION */
  uint32_t global_count;
  const cuport_cpu_memcheck_global* globals;
  cuport_cpu_memcheck_fn* hook; /* the backend stores its hook here (NULL: every check returns at once) */
} cuport_cpu_memcheck_info;

#endif

// Kernel launches on the CPU: every block of the grid is one call of the image's block function.
//
// Blocks are handed out to the pool's participants (the launching thread included) through an atomic
// counter, in chunks.  Each participant owns scratch memory (shared memory, per-thread frames, thread
// states) that it reuses from block to block; scratch is thread_local and a pool worker runs one job at a
// time, so concurrent launches (libcuport runs each stream's work on its own thread) never share it.
// `launch` returns once the whole grid has run; stream ordering and asynchrony live in the runtime.
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "cpu_backend.h"
#include "fault.h"
#include "memcheck.h"
#include "module.h"
#include "thread_pool.h"

namespace cuport_cpu {
namespace {

constexpr size_t kSharedAlign = 64;

size_t round_up(size_t v, size_t a) { return (v + a - 1) / a * a; }

// A growable aligned buffer (never shrinks).
struct Buffer {
  void* ptr = nullptr;
  size_t size = 0;
  size_t align = 0;
  ~Buffer() { std::free(ptr); }
  bool reserve(size_t bytes, size_t alignment) {
    if (bytes == 0) bytes = 1;
    if (ptr && size >= bytes && align >= alignment) return true;
    void* p = nullptr;
    if (::posix_memalign(&p, alignment, round_up(bytes, alignment)) != 0) return false;
    std::free(ptr);
    ptr = p;
    size = bytes;
    align = alignment;
    return true;
  }
};

// Per participant thread.
struct Scratch {
  Buffer shared;
  Buffer frames;
  Buffer states;
};
thread_local Scratch t_scratch;

struct Job {
  cuport_kernel* kernel;
  void** args;
  uint32_t grid[3];
  uint32_t block[3];
  uint64_t total_blocks;
  uint64_t chunk;
  uint32_t block_threads;
  size_t static_shared;
  size_t dynamic_shared;
  std::atomic<uint64_t> next{0};
  std::atomic<bool> failed{false};
  // The first contained fault (signal number, or the CUDA error of a memcheck report; block; the thread and
  // source line of the last checked access in instrumented images), written once under fault_mu.
  std::mutex fault_mu;
  int fault_signo = 0;
  int memcheck_status = 0;
  void* fault_address = nullptr;
  uint32_t fault_block[3] = {0, 0, 0};
  uint32_t fault_blocks = 1;  // blocks fault_block[0] .. + fault_blocks - 1 (CUPORT_CPU_KERNEL_FUSED_ROWS)
  uint32_t fault_thread = CUPORT_MC_THREAD_UNKNOWN;
  const char* fault_where = nullptr;
  std::atomic<bool> memcheck_reported{false};  // one memcheck report per launch
};

// Runs blocks [first, last) with the fault recovery point armed around each block.  Returns false after a
// contained fault (recorded in the job; the remaining blocks of the grid are abandoned).
bool run_range(Job& job, cuport_cpu_block_ctx& ctx, uint64_t first, uint64_t last, bool contain) {
  const uint64_t gx = job.grid[0], gxy = uint64_t(job.grid[0]) * job.grid[1];
  FaultPoint point;
  // What memcheck's hook (instrumented images) sees of this block, and writes back.
  BlockScope scope;
  scope.kernel = job.kernel;
  scope.ctx = &ctx;
  scope.static_shared = job.static_shared;
  scope.dynamic_shared = job.dynamic_shared;
  scope.frame_bytes = size_t(cuport_cpu_frame_bytes(&job.kernel->info, job.block_threads));
  scope.point = contain ? &point : nullptr;
  scope.reported = &job.memcheck_reported;
  set_block_scope(&scope);
  // How many blocks the running call covers when it runs their rows as one (a fault then names them all);
  // volatile: read after siglongjmp.
  volatile uint32_t running_fused = 1;
  const bool fused = (job.kernel->info.flags & CUPORT_CPU_KERNEL_FUSED_ROWS) != 0;
  if (contain) {
    set_fault_point(&point);
    if (sigsetjmp(point.env, 1) != 0) {
      const uint32_t fused_count = running_fused;
      set_fault_point(nullptr);
      set_block_scope(nullptr);
      std::lock_guard<std::mutex> lock(job.fault_mu);
      if (!job.fault_signo && !job.memcheck_status) {
        job.fault_signo = scope.status ? 0 : point.signo;
        job.memcheck_status = scope.status;
        job.fault_address = point.address;
        std::memcpy(job.fault_block, ctx.block_idx, sizeof job.fault_block);
        job.fault_blocks = fused_count;
        job.fault_thread = ctx.memcheck_thread;  // recorded by instrumented images
        job.fault_where = ctx.memcheck_where;
      }
      job.next.store(job.total_blocks);  // the other participants stop after their current block
      return false;
    }
  }
  // Block coordinates advance without divisions; a range-running image gets the rest of the grid row at
  // once (one block per call in images built with --memcheck, whose reports name the thread per block).
  const uint32_t gy = job.grid[1];
  uint32_t x = uint32_t(first % gx), y = uint32_t((first / gx) % gy), z = uint32_t(first / gxy);
  const bool ranges = job.kernel->runs_ranges();
  const bool one_by_one = !ranges || (job.kernel->module && job.kernel->module->memcheck);
  for (uint64_t b = first; b < last;) {
    ctx.block_idx[0] = x;
    ctx.block_idx[1] = y;
    ctx.block_idx[2] = z;
    const uint64_t row_left = gx - x;
    const uint32_t count = one_by_one ? 1 : uint32_t(last - b < row_left ? last - b : row_left);
    ctx.memcheck_thread = CUPORT_MC_THREAD_UNKNOWN;
    ctx.memcheck_where = nullptr;
    running_fused = fused ? count : 1;
    point.armed = 1;
    if (ranges)
      reinterpret_cast<cuport_cpu_range_fn>(job.kernel->fn)(job.args, &ctx, count);
    else
      reinterpret_cast<cuport_cpu_block_fn>(job.kernel->fn)(job.args, &ctx);
    point.armed = 0;
    b += count;
    x += count;
    if (x == gx) {
      x = 0;
      if (++y == gy) {
        y = 0;
        ++z;
      }
    }
  }
  if (contain) set_fault_point(nullptr);
  set_block_scope(nullptr);
  return true;
}

void run_blocks(void* context, unsigned participant) {
  (void)participant;
  Job& job = *static_cast<Job*>(context);
  Scratch& s = t_scratch;
  const cuport_cpu_kernel_info& info = job.kernel->info;
  const size_t dyn_offset = round_up(job.static_shared, kSharedAlign);
  const size_t frame_align = info.frame_align > kSharedAlign ? size_t(info.frame_align) : kSharedAlign;
  const size_t frame_bytes = size_t(cuport_cpu_frame_bytes(&info, job.block_threads));
  if (!s.shared.reserve(dyn_offset + job.dynamic_shared, kSharedAlign) || !s.frames.reserve(frame_bytes, frame_align) ||
      !s.states.reserve(sizeof(uint32_t) * job.block_threads, kSharedAlign)) {
    job.failed.store(true);
    return;
  }

  cuport_cpu_block_ctx ctx;
  std::memset(&ctx, 0, sizeof ctx);
  for (int i = 0; i < 3; ++i) {
    ctx.grid_dim[i] = job.grid[i];
    ctx.block_dim[i] = job.block[i];
  }
  ctx.abi_version = CUPORT_CPU_ABI_VERSION;
  ctx.shared_mem = s.shared.ptr;
  ctx.dynamic_shared = static_cast<char*>(s.shared.ptr) + dyn_offset;
  ctx.frame_mem = s.frames.ptr;
  ctx.thread_state = static_cast<uint32_t*>(s.states.ptr);

  const bool contain = fault_containment_ready();
  for (;;) {
    const uint64_t first = job.next.fetch_add(job.chunk, std::memory_order_relaxed);
    if (first >= job.total_blocks) break;
    const uint64_t last = first + job.chunk < job.total_blocks ? first + job.chunk : job.total_blocks;
    if (!run_range(job, ctx, first, last, contain)) break;
  }
}

ThreadPool* g_pool = nullptr;  // leaked; stopped by shutdown
std::once_flag g_pool_once;

ThreadPool& pool() {
  std::call_once(g_pool_once, [] { g_pool = new ThreadPool(worker_count()); });
  return *g_pool;
}

}  // namespace

// Any thread, concurrently: each call is its own pool job.  The runtime has validated the configuration;
// `launch->args` and what it points to are read only during the call.
cuport_status launch(int device, cuport_kernel* kernel, const cuport_launch* launch) {
  if (device != 0) return fail(kInvalidDevice, "no such CPU device");
  if (!kernel || !launch) return fail(kInvalidValue, "null argument");
  memcheck_check_launch(kernel);
  Job job;
  job.kernel = kernel;
  job.args = launch->args;
  uint64_t threads = 1;
  job.total_blocks = 1;
  for (int i = 0; i < 3; ++i) {
    job.grid[i] = launch->grid[i] ? launch->grid[i] : 1;
    job.block[i] = launch->block[i] ? launch->block[i] : 1;
    job.total_blocks *= job.grid[i];
    threads *= job.block[i];
  }
  // The runtime refuses such blocks first (the device's limit); an image's block frame holds no more.
  if ((kernel->info.flags & CUPORT_CPU_KERNEL_BLOCK_FRAME) && threads > CUPORT_CPU_MAX_BLOCK_THREADS)
    return fail(kInvalidConfiguration, "kernel " + pretty_name(kernel->name) + " runs at most " +
                                           std::to_string(CUPORT_CPU_MAX_BLOCK_THREADS) + " threads per block");
  job.block_threads = uint32_t(threads);
  job.static_shared = size_t(kernel->info.static_shared_size);
  job.dynamic_shared = launch->dynamic_shared;

  ThreadPool& p = pool();
  const uint64_t participants = p.participants();
  // About eight chunks per participant balances uneven blocks against counter traffic.
  job.chunk = job.total_blocks / (participants * 8);
  if (job.chunk == 0) job.chunk = 1;
  const unsigned wanted = job.total_blocks < participants ? unsigned(job.total_blocks) : unsigned(participants);
  p.run(run_blocks, &job, wanted);
  if (job.memcheck_status) {
    // Memcheck printed its report; CUDA's error comes at the next synchronizing call, as for a fault.
    return fail(job.memcheck_status, "memcheck: kernel " + pretty_name(kernel->name) +
                                         " made an invalid memory access (reported above); the launch was abandoned");
  }
  if (job.fault_signo) {
    // CUDA reports the fault at the next synchronizing call; the runtime does that with this status.
    // The thread is known in instrumented images (--memcheck): the last checked access recorded it.
    char thread[320];
    uint32_t t[3];
    if (unpack_thread(job.fault_thread, t)) {
      const char* tab = job.fault_where ? std::strchr(job.fault_where, '\t') : nullptr;
      std::snprintf(thread, sizeof thread, "thread (%u, %u, %u)%s%s%s", t[0], t[1], t[2],
                    tab ? " (last checked access at " : "", tab ? tab + 1 : "", tab ? ")" : "");
    } else {
      std::snprintf(thread, sizeof thread, "%s", kernel->module && kernel->module->memcheck
                                                     ? "thread unknown"
                                                     : "thread unknown; rebuild with --memcheck to see it");
    }
    char block[96];
    if (job.fault_blocks > 1)  // the image ran these blocks' rows as one (CUPORT_CPU_KERNEL_FUSED_ROWS)
      std::snprintf(block, sizeof block, "one of blocks (%u-%u, %u, %u)", job.fault_block[0],
                    job.fault_block[0] + job.fault_blocks - 1, job.fault_block[1], job.fault_block[2]);
    else
      std::snprintf(block, sizeof block, "block (%u, %u, %u)", job.fault_block[0], job.fault_block[1],
                    job.fault_block[2]);
    char message[1024];
    std::snprintf(message, sizeof message, "cuport: kernel %s: %s (address %p) in %s, %s; the launch was abandoned",
                  pretty_name(kernel->name).c_str(), fault_description(job.fault_signo), job.fault_address, block,
                  thread);
    std::fprintf(stderr, "%s\n", message);
    return fail(fault_status(job.fault_signo), message);
  }
  if (job.failed.load()) return fail(kLaunchOutOfResources, "cannot allocate per-thread scratch memory");
  return kSuccess;
}

// Any thread.  Launches are synchronous (the runtime's stream workers make them asynchronous for the
// application), so there is never pending work or a pending error here.
cuport_status synchronize(int device) {
  if (device != 0) return fail(kInvalidDevice, "no such CPU device");
  return kSuccess;
}

void run_on_workers(void (*body)(void* context, unsigned participant), void* context, unsigned max_participants) {
  pool().run(body, context, max_participants);
}

void stop_workers() {
  if (g_pool) g_pool->stop();
}

}  // namespace cuport_cpu

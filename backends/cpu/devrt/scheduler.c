/* The block scheduler of CPU images: decides which threads waiting at a synchronization site may go on,
 * and computes the results of warp collectives (shuffles, votes, matches) and of the reducing block
 * barriers.  Called by every compiled block function between its barrier-free regions; see
 * include/cuport/cpu_kernel_abi.h (sites) and compiler/lib/WorkItemLoops.cpp (the region loops).
 *
 * thread_state[t]: CUPORT_CPU_STATE_EXIT when thread t returned, else i+1 while it waits at site i.
 *
 * Release rules (CUDA's, for threads that only move forward when their peers arrive):
 *   block sites  - when every thread that has not exited waits there;
 *   warp sites   - per warp, when every lane named in the participants' masks that has not exited
 *                  (and exists: the last warp may be partial) waits there;
 *   yield sites  - (the compiler's, at the top of a stream loop; they synchronize nothing) when no warp
 *                  site may go on: every thread waiting at the lowest-numbered yield site that has
 *                  waiters, so that the threads waiting at one have all run its loop as often;
 *   otherwise    - the program diverged at barriers (undefined in CUDA): the threads waiting at the
 *                  first waiting thread's site go on together, so the kernel still makes progress. */
#include "cuport/cpu_kernel_abi.h"

#include <stdint.h>
#include <string.h>

#define HIDDEN __attribute__((visibility("hidden")))

static int is_block_site(uint32_t kind) { return kind <= CUPORT_SITE_BLOCK_OR; }
/* Sites whose waiting threads all go on together, with no warp rule: block and yield sites. */
static int is_group_site(uint32_t kind) { return is_block_site(kind) || kind == CUPORT_SITE_YIELD; }

/* Field f of thread t's sync record (cpu_kernel_abi.h): each field is an array over the block's threads, of
 * 8-byte elements (4-byte ones for the value and result of a narrow shuffle: element size `size`). */
static char *field_at(char *frame, uint32_t t, const cuport_cpu_site *s, uint32_t f, uint32_t size) {
  return frame + s->record_offset + (uint64_t)f * s->field_stride + (uint64_t)t * size;
}
static uint64_t *field_of(char *frame, uint32_t t, const cuport_cpu_site *s, uint32_t f) {
  return (uint64_t *)field_at(frame, t, s, f, 8);
}
static uint32_t mask_of(char *frame, uint32_t t, const cuport_cpu_site *s) {
  if (s->flags & CUPORT_SITE_CONST_OPERANDS)
    return s->mask;
  return *(const uint32_t *)field_of(frame, t, s, CUPORT_SYNC_MASK);
}

/* Lanes of warp w (bits) that exist and have not exited. */
static uint32_t live_lanes(const uint32_t *states, uint32_t n, uint32_t w) {
  uint32_t m = 0;
  for (uint32_t l = 0; l < 32 && w * 32 + l < n; ++l)
    if (states[w * 32 + l] != CUPORT_CPU_STATE_EXIT)
      m |= 1u << l;
  return m;
}

static uint32_t waiting_lanes(const uint32_t *states, uint32_t n, uint32_t w, uint32_t state) {
  const uint32_t *lane = states + w * 32;
  if (n - w * 32 >= 32) {
    /* A whole warp: first whether all or none of its lanes wait here, with loops that vectorize. */
    uint32_t all = 1, none = 1;
    for (uint32_t l = 0; l < 32; ++l) {
      all &= lane[l] == state;
      none &= lane[l] != state;
    }
    if (all)
      return 0xffffffffu;
    if (none)
      return 0;
  }
  uint32_t m = 0;
  for (uint32_t l = 0; l < 32 && w * 32 + l < n; ++l)
    if (lane[l] == state)
      m |= 1u << l;
  return m;
}

/* The state every thread that has not exited waits in, when they all wait in one; 0 when they do not or
 * all exited.  *live: how many have not exited.  Branch-free, so that it vectorizes: the bitwise AND of
 * the states (CUPORT_CPU_STATE_EXIT is all ones) equals the OR of the others' exactly then. */
static uint32_t common_state(const uint32_t *states, uint32_t n, uint32_t *live) {
  uint32_t all = ~0u, any = 0, count = 0;
  for (uint32_t t = 0; t < n; ++t) {
    uint32_t st = states[t], here = st != CUPORT_CPU_STATE_EXIT;
    all &= st;
    any |= here ? st : 0;
    count += here;
  }
  *live = count;
  return all == any ? any : 0;
}

/* The source lane of a shuffle, following PTX's shfl.sync definition; *valid is PTX's predicate. */
static uint32_t shuffle_source(uint32_t kind, uint32_t lane, uint32_t b, uint32_t c, int *valid) {
  uint32_t bval = b & 31, clamp = c & 31, segmask = (c >> 8) & 31;
  uint32_t max_lane = (lane & segmask) | (clamp & ~segmask), min_lane = lane & segmask;
  int32_t j;
  int ok;
  switch (kind) {
  case CUPORT_SITE_SHFL_UP:
    j = (int32_t)lane - (int32_t)bval;
    ok = j >= (int32_t)max_lane;
    break;
  case CUPORT_SITE_SHFL_DOWN:
    j = (int32_t)(lane + bval);
    ok = j <= (int32_t)max_lane;
    break;
  case CUPORT_SITE_SHFL_BFLY:
    j = (int32_t)(lane ^ bval);
    ok = j <= (int32_t)max_lane;
    break;
  default: /* idx */
    j = (int32_t)(min_lane | (bval & ~segmask));
    ok = j <= (int32_t)max_lane;
    break;
  }
  *valid = ok;
  return ok ? (uint32_t)j : lane;
}

/* The shuffle of the lanes `group` of one warp: lane l reads its source lane's value, or its own when the
 * source is invalid or does not take part (undefined in CUDA); bit 32 is PTX's predicate.  The record
 * fields are arrays over the warp's lanes (A values, B lane operands, C PTX's c operands; `step` 1, or 0
 * when B and C point to the site's constant operands); a narrow site's A and R hold 4-byte values and no
 * predicate (CUPORT_SITE_NARROW).  Inlined per kind by shuffle_warp, so that the kind is decided outside
 * the lane loop. */
static inline __attribute__((always_inline)) void shuffle_lanes(uint32_t kind, int narrow, uint32_t group,
                                                                const void *A, const uint64_t *B, const uint64_t *C,
                                                                uint32_t step, void *R) {
  for (uint32_t l = 0; l < 32; ++l)
    if (group & (1u << l)) {
      int valid;
      uint32_t src = shuffle_source(kind, l, (uint32_t)B[l * step], (uint32_t)C[l * step], &valid);
      uint32_t from = (group & (1u << src)) ? src : l;
      if (narrow)
        ((uint32_t *)R)[l] = ((const uint32_t *)A)[from];
      else
        ((uint64_t *)R)[l] = (((const uint64_t *)A)[from] & 0xffffffffu) | ((uint64_t)(valid != 0) << 32);
    }
}

static void shuffle_warp(uint32_t kind, int narrow, uint32_t group, const void *A, const uint64_t *B,
                         const uint64_t *C, uint32_t step, void *R) {
  switch (kind) {
  case CUPORT_SITE_SHFL_UP: shuffle_lanes(CUPORT_SITE_SHFL_UP, narrow, group, A, B, C, step, R); break;
  case CUPORT_SITE_SHFL_DOWN: shuffle_lanes(CUPORT_SITE_SHFL_DOWN, narrow, group, A, B, C, step, R); break;
  case CUPORT_SITE_SHFL_BFLY: shuffle_lanes(CUPORT_SITE_SHFL_BFLY, narrow, group, A, B, C, step, R); break;
  default: shuffle_lanes(CUPORT_SITE_SHFL_IDX, narrow, group, A, B, C, step, R); break;
  }
}

/* Computes a warp collective for the lanes `group` of warp w, all waiting at site s. */
static void warp_collective(char *frame, uint32_t w, uint32_t group, const cuport_cpu_site *s) {
  uint32_t base = w * 32;
  if (s->kind == CUPORT_SITE_WARP)
    return;
  if (s->kind >= CUPORT_SITE_SHFL_IDX && s->kind <= CUPORT_SITE_SHFL_BFLY) {
    const int narrow = (s->flags & CUPORT_SITE_NARROW) != 0;
    const uint32_t size = narrow ? 4 : 8;
    const char *A = field_at(frame, base, s, CUPORT_SYNC_A, size);
    char *R = field_at(frame, base, s, CUPORT_SYNC_RESULT, size);
    if (s->flags & CUPORT_SITE_CONST_OPERANDS) {
      const uint64_t b = s->b, c = s->c;
      shuffle_warp(s->kind, narrow, group, A, &b, &c, 0, R);
    } else {
      shuffle_warp(s->kind, narrow, group, A, field_of(frame, base, s, CUPORT_SYNC_B),
                   field_of(frame, base, s, CUPORT_SYNC_C), 1, R);
    }
    return;
  }
  const uint64_t *A = field_of(frame, base, s, CUPORT_SYNC_A);
  uint64_t *R = field_of(frame, base, s, CUPORT_SYNC_RESULT);
  /* Votes and matches: each lane sees the lanes of its own member mask (tiles of a warp pass different
   * masks to the same site). */
  uint32_t ballot = 0;
  for (uint32_t l = 0; l < 32; ++l)
    if ((group & (1u << l)) && A[l])
      ballot |= 1u << l;
  for (uint32_t l = 0; l < 32; ++l) {
    if (!(group & (1u << l)))
      continue;
    uint32_t members = mask_of(frame, base + l, s) & group;
    uint64_t result = 0;
    switch (s->kind) {
    case CUPORT_SITE_VOTE_ALL: result = (ballot & members) == members; break;
    case CUPORT_SITE_VOTE_ANY: result = (ballot & members) != 0; break;
    case CUPORT_SITE_VOTE_UNI: result = (ballot & members) == 0 || (ballot & members) == members; break;
    case CUPORT_SITE_VOTE_BALLOT: result = ballot & members; break;
    case CUPORT_SITE_MATCH_ANY:
    case CUPORT_SITE_MATCH_ALL: {
      uint32_t same = 0;
      for (uint32_t k = 0; k < 32; ++k)
        if ((members & (1u << k)) && A[k] == A[l])
          same |= 1u << k;
      if (s->kind == CUPORT_SITE_MATCH_ANY)
        result = same;
      else
        result = same == members ? ((uint64_t)members | (1ull << 32)) : 0;
      break;
    }
    default: break;
    }
    R[l] = result;
  }
}

/* Computes a reducing block barrier for the threads lo .. hi-1 waiting at site s (states == NULL: every one
 * of them). */
static void block_collective(char *frame, const uint32_t *states, uint32_t lo, uint32_t hi, uint32_t state,
                             const cuport_cpu_site *s) {
  if (s->kind == CUPORT_SITE_BLOCK)
    return;
  uint64_t count = 0, all = 1, any = 0;
  for (uint32_t t = lo; t < hi; ++t)
    if (!states || states[t] == state) {
      int p = *field_of(frame, t, s, CUPORT_SYNC_A) != 0;
      count += p;
      all &= p;
      any |= p;
    }
  uint64_t result = s->kind == CUPORT_SITE_BLOCK_POPC ? count : s->kind == CUPORT_SITE_BLOCK_AND ? all : any;
  for (uint32_t t = lo; t < hi; ++t)
    if (!states || states[t] == state)
      *field_of(frame, t, s, CUPORT_SYNC_RESULT) = result;
}

/* Every one of the n threads of the block waits at site s (the block function saw them all return the
 * same state): computes the collective's results as the scheduler would when it releases them all, without
 * looking at the states. */
HIDDEN void __cuport_cpu_release_all(uint32_t n, char *frame, const cuport_cpu_site *s) {
  if (s->kind == CUPORT_SITE_YIELD)
    return;
  if (is_block_site(s->kind)) {
    block_collective(frame, NULL, 0, n, 0, s);
    return;
  }
  for (uint32_t w = 0; w * 32 < n; ++w) {
    uint32_t lanes = n - w * 32;
    warp_collective(frame, w, lanes >= 32 ? 0xffffffffu : (1u << lanes) - 1, s);
  }
}

/* The threads range[0] .. range[1]-1 wait at site s, and every other thread of the block has exited (the
 * block function ran them alone, after a release that set range[2], and they all returned s): computes the
 * collective's results as release_site would release them, without looking at the states. */
HIDDEN void __cuport_cpu_release_range(char *frame, const cuport_cpu_site *s, const uint32_t *range) {
  uint32_t lo = range[0], hi = range[1];
  if (s->kind == CUPORT_SITE_YIELD)
    return;
  if (is_block_site(s->kind)) {
    block_collective(frame, NULL, lo, hi, 0, s);
    return;
  }
  for (uint32_t w = lo / 32; w * 32 < hi; ++w) {
    uint32_t first = w * 32 > lo ? w * 32 : lo, last = w * 32 + 32 < hi ? w * 32 + 32 : hi;
    uint32_t lanes = last - first; /* lanes first%32 .. last%32 - 1 of warp w */
    warp_collective(frame, w, (lanes >= 32 ? 0xffffffffu : (1u << lanes) - 1) << (first % 32), s);
  }
}

/* The lanes named by the member masks of warp w's lanes `group`, waiting at warp site s. */
static uint32_t needed_lanes(char *frame, uint32_t w, uint32_t group, const cuport_cpu_site *s) {
  uint32_t need = 0;
  for (uint32_t k = 0; k < 32; ++k)
    if (group & (1u << k))
      need |= mask_of(frame, w * 32 + k, s);
  return need;
}

/* Releases the threads waiting at site s in `state`, with the collective's results: all of them at a block
 * site; at a warp site each warp's waiting group, unless check_masks and lanes its participants' masks name
 * (that have not exited) are still elsewhere.  Returns how many were released; range[0] .. range[1]-1 are
 * the linear thread indices from the first released thread to the last (the block function runs the
 * released threads' region over those alone).  range[2] is set by the callers (finish_range). */
static uint32_t release_site(uint32_t *states, uint32_t n, char *frame, const cuport_cpu_site *s,
                             uint32_t state, int check_masks, uint32_t *range) {
  uint32_t released = 0, lo = n, hi = 0;
  if (is_group_site(s->kind)) {
    if (is_block_site(s->kind))
      block_collective(frame, states, 0, n, state, s);
    for (uint32_t t = 0; t < n; ++t) {
      uint32_t here = states[t] == state;
      states[t] |= here ? CUPORT_CPU_STATE_RELEASED : 0;
      released += here;
    }
    for (lo = 0; lo < n && !(states[lo] & CUPORT_CPU_STATE_RELEASED); ++lo)
      ;
    for (hi = n; hi > lo && !(states[hi - 1] & CUPORT_CPU_STATE_RELEASED); --hi)
      ;
    range[0] = lo;
    range[1] = hi;
    return released;
  }
  for (uint32_t w = 0; w * 32 < n; ++w) {
    uint32_t group = waiting_lanes(states, n, w, state);
    if (!group)
      continue;
    if (check_masks && (needed_lanes(frame, w, group, s) & live_lanes(states, n, w) & ~group))
      continue; /* this warp's participants have not all arrived yet */
    warp_collective(frame, w, group, s);
    uint32_t first = w * 32 + (uint32_t)__builtin_ctz(group), last = w * 32 + 31 - (uint32_t)__builtin_clz(group);
    lo = lo < first ? lo : first;
    hi = hi > last + 1 ? hi : last + 1;
    if (group == 0xffffffffu) {
      for (uint32_t k = 0; k < 32; ++k)
        states[w * 32 + k] |= CUPORT_CPU_STATE_RELEASED;
      released += 32;
      continue;
    }
    for (uint32_t k = 0; k < 32; ++k)
      if (group & (1u << k)) {
        states[w * 32 + k] |= CUPORT_CPU_STATE_RELEASED;
        ++released;
      }
  }
  range[0] = released ? lo : 0;
  range[1] = released ? hi : 0;
  return released;
}

/* range[2]: 1 when the released threads are exactly range[0] .. range[1]-1 and every other thread has
 * exited (of the live threads, `released` went on): the block function then runs them without looking at
 * their states, and while they keep returning one state, releases them again itself
 * (__cuport_cpu_release_range) instead of calling the scheduler. */
static uint32_t finish_range(uint32_t *range, uint32_t released, uint32_t live) {
  range[2] = released != 0 && released == live && released == range[1] - range[0];
  return released;
}

/* Called when the block's threads returned different states: when the threads that have not exited are
 * exactly range[0] .. range[1]-1 and all wait at one site, sets range to them (range[2] = 1: the live
 * range) and returns that site's state; else returns 0 and changes nothing.  The block function then
 * releases them itself (a shuffle computed in place, other collectives by __cuport_cpu_release_range), as
 * after a release by the scheduler that left them the only live threads.  One pass over the states. */
HIDDEN uint32_t __cuport_cpu_live_range(const uint32_t *states, uint32_t n, uint32_t *range) {
  uint32_t live;
  const uint32_t state = common_state(states, n, &live); /* one vectorized pass */
  if (state == 0 || (state & CUPORT_CPU_STATE_RELEASED))
    return 0;
  uint32_t lo = 0;
  while (states[lo] == CUPORT_CPU_STATE_EXIT)
    ++lo;
  /* The live threads all wait in `state`: they are lo .. lo+live-1 when those all do. */
  if (live > n - lo)
    return 0;
  uint32_t same = 1;
  for (uint32_t t = lo; t < lo + live; ++t)
    same &= states[t] == state;
  if (!same)
    return 0;
  range[0] = lo;
  range[1] = lo + live;
  range[2] = 1;
  return state;
}

/* Called when the block's threads returned different states: when every thread that has not exited waits
 * at one site, releases them, with the collective's results, as the scheduler would, and returns that
 * site's state; else returns 0 and changes nothing. */
HIDDEN uint32_t __cuport_cpu_release_waiting(uint32_t *states, uint32_t n, char *frame, const cuport_cpu_site *sites,
                                             uint32_t *range) {
  uint32_t live;
  uint32_t state = common_state(states, n, &live);
  if (state == 0)
    return 0;
  /* Every lane that has not exited is here, so the participants' masks are satisfied. */
  finish_range(range, release_site(states, n, frame, &sites[state - 1], state, 0, range), live);
  return state;
}

/* Returns the state to run next in the low 32 bits (site index + 1, or CUPORT_CPU_STATE_EXIT when every
 * thread has exited) and 1 in bit 32 when every thread of the block is released.  Released threads'
 * states get CUPORT_CPU_STATE_RELEASED or'ed in; range: as release_site's, range[2]: finish_range's. */
HIDDEN uint64_t __cuport_cpu_schedule(uint32_t *states, uint32_t n, char *frame, const cuport_cpu_site *sites,
                                      uint32_t nsites, uint32_t *range) {
  uint32_t live;
  uint32_t common = common_state(states, n, &live);
  if (live == 0)
    return CUPORT_CPU_STATE_EXIT;
  uint32_t first = 0;
  while (states[first] == CUPORT_CPU_STATE_EXIT)
    ++first;
  uint32_t state = states[first];
  if (state == 0 || state > nsites)
    return CUPORT_CPU_STATE_EXIT; /* not a waiting state: cannot happen with compiler-built images */
  const cuport_cpu_site *site = &sites[state - 1];

  /* Every thread that has not exited waits at the first one's site: a block site releases them all; at a
   * warp site every lane a participant's mask can name is there too, so each warp's group goes on. */
  if (common == state) {
    uint32_t released = finish_range(range, release_site(states, n, frame, site, state, 0, range), live);
    return (uint64_t)state | ((uint64_t)(released == n) << 32);
  }

  /* Warp sites: find the first releasable (warp, site); then release every warp waiting there. */
  uint32_t warps = (n + 31) / 32, chosen = 0;
  for (uint32_t w = 0; w < warps && !chosen; ++w) {
    uint32_t live_w = live_lanes(states, n, w);
    for (uint32_t l = 0; l < 32 && !chosen; ++l) {
      if (!(live_w & (1u << l)))
        continue;
      uint32_t st = states[w * 32 + l];
      if (st == 0 || st > nsites || is_group_site(sites[st - 1].kind))
        continue;
      uint32_t group = waiting_lanes(states, n, w, st);
      if ((needed_lanes(frame, w, group, &sites[st - 1]) & live_w & ~group) == 0)
        chosen = st;
    }
  }
  /* Yield sites: the lowest-numbered one with waiters. */
  if (!chosen)
    for (uint32_t t = 0; t < n; ++t) {
      uint32_t st = states[t];
      if (st >= 1 && st <= nsites && (!chosen || st < chosen) && sites[st - 1].kind == CUPORT_SITE_YIELD)
        chosen = st;
    }
  int fallback = 0;
  if (!chosen) {
    /* Nothing may go on by the rules: lanes wait at a warp site whose mask names lanes that are busy
     * elsewhere (__activemask and coalesced groups in divergent code), or barriers diverged (undefined
     * in CUDA).  Let the first group waiting at a warp site go on, else the first waiting group. */
    chosen = state;
    for (uint32_t t = 0; t < n; ++t)
      if (states[t] != CUPORT_CPU_STATE_EXIT && states[t] <= nsites && !is_group_site(sites[states[t] - 1].kind)) {
        chosen = states[t];
        break;
      }
    fallback = 1;
  }
  uint32_t released = finish_range(range, release_site(states, n, frame, &sites[chosen - 1], chosen, !fallback, range), live);
  return (uint64_t)chosen | ((uint64_t)(released == n) << 32);
}

/* cooperative_groups::reduce and its operators (clean-room, from the CUDA C++ Programming Guide,
 * "cg::reduce"): reduce(group, value, op) returns op applied over the values of every thread of a tile or
 * coalesced group, to every thread. */
#ifndef __CUPORT_COOPERATIVE_GROUPS_REDUCE_H__
#define __CUPORT_COOPERATIVE_GROUPS_REDUCE_H__

#include "../cooperative_groups.h"

#if defined(__cplusplus) && defined(__CUDA__)

namespace cooperative_groups {

template <typename T> struct plus {
  __device__ T operator()(const T &a, const T &b) const { return a + b; }
};
template <typename T> struct less {
  __device__ T operator()(const T &a, const T &b) const { return b < a ? b : a; }
};
template <typename T> struct greater {
  __device__ T operator()(const T &a, const T &b) const { return a < b ? b : a; }
};
template <typename T> struct bit_and {
  __device__ T operator()(const T &a, const T &b) const { return a & b; }
};
template <typename T> struct bit_or {
  __device__ T operator()(const T &a, const T &b) const { return a | b; }
};
template <typename T> struct bit_xor {
  __device__ T operator()(const T &a, const T &b) const { return a ^ b; }
};

/* Tiles: a butterfly over log2(Size) steps; every thread ends with the full result. */
template <unsigned Size, typename P, typename T, typename Op>
__device__ T reduce(const thread_block_tile<Size, P> &g, T value, Op op) {
  for (unsigned offset = Size / 2; offset > 0; offset /= 2)
    value = op(value, g.shfl_xor(value, offset));
  return value;
}

/* Coalesced groups: members may be any lanes; fold them in rank order. */
template <typename T, typename Op> __device__ T reduce(const coalesced_group &g, T value, Op op) {
  T acc = g.shfl(value, 0);
  for (unsigned r = 1; r < g.size(); ++r)
    acc = op(acc, g.shfl(value, r));
  return acc;
}

} // namespace cooperative_groups

#endif /* __cplusplus && __CUDA__ */

#endif

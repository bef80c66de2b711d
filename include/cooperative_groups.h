/* Cooperative groups, the subset cuport implements (clean-room, from the CUDA C++ Programming Guide,
 * "Cooperative Groups"):
 *   this_thread_block(): sync, thread_rank, size/num_threads, group_index, thread_index, group_dim/dim_threads
 *   tiled_partition<N>(parent) (N a power of two <= 32): sync, thread_rank, size, meta_group_rank/size,
 *     shfl, shfl_up, shfl_down, shfl_xor, any, all, ballot, match_any, match_all
 *   tiled_partition(parent, n) (dynamic, n a power of two <= 32 or the whole block): sync, thread_rank, size
 *   coalesced_threads(): sync, thread_rank, size, shfl, any, all, ballot
 *   cg::reduce / plus / less / greater / bit_and / bit_or / bit_xor (<cooperative_groups/reduce.h>)
 * Grid-wide groups need cooperative launches, which cuport does not offer yet: calling grid_group::sync()
 * is a compile error. */
#ifndef __CUPORT_COOPERATIVE_GROUPS_H__
#define __CUPORT_COOPERATIVE_GROUPS_H__

#include "cuda_runtime.h"

#if defined(__cplusplus) && defined(__CUDA__)

namespace cooperative_groups {

namespace __cuport_detail {
__device__ __forceinline__ unsigned linear_thread() {
  return threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
}
__device__ __forceinline__ unsigned block_threads() { return blockDim.x * blockDim.y * blockDim.z; }
__device__ __forceinline__ unsigned lane() { return linear_thread() & 31u; }
__device__ __forceinline__ unsigned tile_mask(unsigned size) {
  return size >= 32 ? 0xffffffffu : (((1u << size) - 1u) << (lane() / size * size));
}
} // namespace __cuport_detail

class thread_block;
class thread_group;

/* A group of threads of one block: the whole block, a tile of a warp, or the coalesced lanes of a warp. */
class thread_group {
public:
  __device__ void sync() const {
    if (kind_ == block_kind)
      __syncthreads();
    else
      __syncwarp(mask_);
  }
  __device__ unsigned long long size() const { return size_; }
  __device__ unsigned long long num_threads() const { return size_; }
  __device__ unsigned long long thread_rank() const {
    if (kind_ == block_kind)
      return __cuport_detail::linear_thread();
    if (kind_ == tile_kind)
      return __cuport_detail::lane() & (size_ - 1);
    return __popc(mask_ & ((1u << __cuport_detail::lane()) - 1u)); /* coalesced */
  }

protected:
  enum kind_t { block_kind, tile_kind, coalesced_kind };
  __device__ thread_group(kind_t k, unsigned size, unsigned mask) : kind_(k), size_(size), mask_(mask) {}
  kind_t kind_;
  unsigned size_;
  unsigned mask_;
  friend __device__ thread_group tiled_partition(const thread_group &parent, unsigned tilesz);
};

class thread_block : public thread_group {
public:
  __device__ thread_block() : thread_group(block_kind, __cuport_detail::block_threads(), 0xffffffffu) {}
  __device__ static void sync() { __syncthreads(); }
  __device__ unsigned thread_rank() const { return __cuport_detail::linear_thread(); }
  __device__ unsigned size() const { return __cuport_detail::block_threads(); }
  __device__ unsigned num_threads() const { return __cuport_detail::block_threads(); }
  __device__ dim3 group_index() const { return dim3(blockIdx.x, blockIdx.y, blockIdx.z); }
  __device__ dim3 thread_index() const { return dim3(threadIdx.x, threadIdx.y, threadIdx.z); }
  __device__ dim3 group_dim() const { return dim3(blockDim.x, blockDim.y, blockDim.z); }
  __device__ dim3 dim_threads() const { return group_dim(); }
};

__device__ __forceinline__ thread_block this_thread_block() { return thread_block(); }

/* A statically sized tile of a warp. */
template <unsigned Size, typename Parent = void> class thread_block_tile : public thread_group {
  static_assert(Size >= 1 && Size <= 32 && (Size & (Size - 1)) == 0,
                "cuport: thread_block_tile sizes are powers of two up to 32");

public:
  __device__ thread_block_tile() : thread_group(tile_kind, Size, __cuport_detail::tile_mask(Size)) {}
  /* thread_block_tile<N, thread_block> converts to thread_block_tile<N>, as in CUDA. */
  template <typename P2>
  __device__ thread_block_tile(const thread_block_tile<Size, P2> &) : thread_block_tile() {}
  __device__ void sync() const { __syncwarp(mask_); }
  __device__ unsigned thread_rank() const { return __cuport_detail::lane() & (Size - 1); }
  __device__ static constexpr unsigned size() { return Size; }
  __device__ static constexpr unsigned num_threads() { return Size; }
  __device__ unsigned meta_group_rank() const { return __cuport_detail::linear_thread() / Size; }
  __device__ unsigned meta_group_size() const { return (__cuport_detail::block_threads() + Size - 1) / Size; }

  template <typename T> __device__ T shfl(T var, int src_rank) const { return __shfl_sync(mask_, var, src_rank, Size); }
  template <typename T> __device__ T shfl_up(T var, unsigned delta) const {
    return __shfl_up_sync(mask_, var, (int)delta, Size);
  }
  template <typename T> __device__ T shfl_down(T var, unsigned delta) const {
    return __shfl_down_sync(mask_, var, (int)delta, Size);
  }
  template <typename T> __device__ T shfl_xor(T var, unsigned lane_mask) const {
    return __shfl_xor_sync(mask_, var, (int)lane_mask, Size);
  }
  __device__ int any(int pred) const { return __any_sync(mask_, pred); }
  __device__ int all(int pred) const { return __all_sync(mask_, pred); }
  /* Bit i is the predicate of the tile's thread of rank i. */
  __device__ unsigned ballot(int pred) const { return __ballot_sync(mask_, pred) >> shift(); }
  template <typename T> __device__ unsigned match_any(T value) const { return __match_any_sync(mask_, value) >> shift(); }
  template <typename T> __device__ unsigned match_all(T value, int &pred) const {
    return __match_all_sync(mask_, value, &pred) >> shift();
  }

private:
  __device__ unsigned shift() const { return Size >= 32 ? 0 : (__cuport_detail::lane() / Size * Size); }
};

template <unsigned Size, typename Parent>
__device__ __forceinline__ thread_block_tile<Size, Parent> tiled_partition(const Parent &) {
  return thread_block_tile<Size, Parent>();
}

/* Dynamic partition: tiles of `tilesz` threads (a power of two up to 32), or the parent itself. */
__device__ __forceinline__ thread_group tiled_partition(const thread_group &parent, unsigned tilesz) {
  if (tilesz >= parent.size())
    return parent;
  return thread_group(thread_group::tile_kind, tilesz, __cuport_detail::tile_mask(tilesz));
}

/* The lanes of the calling warp that execute this call together. */
class coalesced_group : public thread_group {
public:
  __device__ explicit coalesced_group(unsigned mask) : thread_group(coalesced_kind, __popc(mask), mask) {}
  __device__ void sync() const { __syncwarp(mask_); }
  __device__ unsigned thread_rank() const { return __popc(mask_ & ((1u << __cuport_detail::lane()) - 1u)); }
  __device__ unsigned size() const { return size_; }
  __device__ unsigned num_threads() const { return size_; }
  /* The lane of the member of rank r. */
  __device__ unsigned lane_of(unsigned r) const {
    unsigned m = mask_;
    for (unsigned i = 0; i < r; ++i)
      m &= m - 1u;
    return __ffs(m) - 1;
  }
  template <typename T> __device__ T shfl(T var, unsigned src_rank) const {
    return __shfl_sync(mask_, var, (int)lane_of(src_rank));
  }
  template <typename T> __device__ T shfl_down(T var, unsigned delta) const {
    unsigned r = thread_rank() + delta;
    return __shfl_sync(mask_, var, (int)lane_of(r < size_ ? r : thread_rank()));
  }
  template <typename T> __device__ T shfl_up(T var, unsigned delta) const {
    unsigned r = thread_rank();
    return __shfl_sync(mask_, var, (int)lane_of(r >= delta ? r - delta : r));
  }
  __device__ int any(int pred) const { return __any_sync(mask_, pred); }
  __device__ int all(int pred) const { return __all_sync(mask_, pred); }
  /* Bit i is the predicate of the member of rank i. */
  __device__ unsigned ballot(int pred) const {
    unsigned lanes = __ballot_sync(mask_, pred), out = 0;
    for (unsigned r = 0; r < size_; ++r)
      if (lanes & (1u << lane_of(r)))
        out |= 1u << r;
    return out;
  }
};

__device__ __forceinline__ coalesced_group coalesced_threads() { return coalesced_group(__activemask()); }

__device__ __forceinline__ void sync(const thread_group &g) { g.sync(); }
template <unsigned Size, typename P> __device__ __forceinline__ void sync(const thread_block_tile<Size, P> &g) {
  g.sync();
}

/* Grid-wide synchronization needs a cooperative launch (cudaLaunchCooperativeKernel). */
class grid_group {
public:
  __attribute__((error("cooperative_groups::grid_group::sync() (grid-wide synchronization) is not "
                       "supported by cuport yet")))
  __device__ void sync() const;
  __device__ unsigned long long thread_rank() const {
    unsigned long long block = blockIdx.x + gridDim.x * (blockIdx.y + (unsigned long long)gridDim.y * blockIdx.z);
    return block * __cuport_detail::block_threads() + __cuport_detail::linear_thread();
  }
  __device__ unsigned long long size() const {
    return (unsigned long long)gridDim.x * gridDim.y * gridDim.z * __cuport_detail::block_threads();
  }
  __device__ unsigned long long num_threads() const { return size(); }
};
__device__ __forceinline__ grid_group this_grid() { return grid_group(); }

} // namespace cooperative_groups

#endif /* __cplusplus && __CUDA__ */

#endif

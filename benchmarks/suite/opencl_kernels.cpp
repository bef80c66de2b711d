// The hand-written OpenCL C versions of the suite's kernels, and the options they are built with.
#include "opencl_kernels.h"

#include "suite.h"

#include <cstdio>

namespace suite {

const char *const kOpenCLSource = R"CL(
__kernel void triad(__global float *a, __global const float *b, __global const float *c, float s, int n) {
  int i = get_global_id(0);
  if (i < n)
    a[i] = b[i] + s * c[i];
}

__kernel void saxpy(float a, __global const float *x, __global float *y, int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = a * x[i] + y[i];
}

__kernel void stencil(__global const float *in, __global float *out, int w, int h) {
  int x = get_global_id(0), y = get_global_id(1);
  if (x >= w || y >= h)
    return;
  int i = y * w + x;
  if (x == 0 || y == 0 || x == w - 1 || y == h - 1)
    out[i] = in[i];
  else
    out[i] = 0.5f * in[i] + 0.125f * (in[i - 1] + in[i + 1] + in[i - w] + in[i + w]);
}

__kernel void matmul(__global const float *A, __global const float *B, __global float *C, int n) {
  __local float As[TILE][TILE];
  __local float Bs[TILE][TILE];
  int tx = get_local_id(0), ty = get_local_id(1);
  int row = get_group_id(1) * TILE + ty, col = get_group_id(0) * TILE + tx;
  float acc = 0.0f;
  for (int t = 0; t < n / TILE; ++t) {
    As[ty][tx] = A[row * n + t * TILE + tx];
    Bs[ty][tx] = B[(t * TILE + ty) * n + col];
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int k = 0; k < TILE; ++k)
      acc += As[ty][k] * Bs[k][tx];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  C[row * n + col] = acc;
}

float thread_sum(__global const float *x, int n) {
  int i = get_group_id(0) * BLOCK * PER_THREAD + get_local_id(0);
  float v = 0.0f;
  for (int k = 0; k < PER_THREAD; ++k, i += BLOCK)
    if (i < n)
      v += x[i];
  return v;
}

__kernel void reduce_tree(__global const float *x, __global float *partial, int n) {
  __local float s[BLOCK];
  int t = get_local_id(0);
  s[t] = thread_sum(x, n);
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int stride = BLOCK / 2; stride > 0; stride >>= 1) {
    if (t < stride)
      s[t] += s[t + stride];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (t == 0)
    partial[get_group_id(0)] = s[0];
}

// The warp-shuffle reduction for an OpenCL 1.2 device without subgroups (PoCL): the shuffle-down steps of
// each 32-lane group go through local memory, then the first group reduces the per-warp sums the same way.
__kernel void reduce_shfl(__global const float *x, __global float *partial, int n) {
  __local float s[BLOCK];
  __local float warp_sums[BLOCK / 32];
  int t = get_local_id(0), lane = t & 31, warp = t >> 5;
  s[t] = thread_sum(x, n);
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int offset = 16; offset > 0; offset >>= 1) {
    if (lane < offset)
      s[t] += s[t + offset];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (lane == 0)
    warp_sums[warp] = s[t];
  barrier(CLK_LOCAL_MEM_FENCE);
  if (t < 32)
    s[t] = t < BLOCK / 32 ? warp_sums[t] : 0.0f;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int offset = 16; offset > 0; offset >>= 1) {
    if (t < offset)
      s[t] += s[t + offset];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (t == 0)
    partial[get_group_id(0)] = s[0];
}

__kernel void histogram(__global const uchar *in, __global uint *bins, int n) {
  __local uint h[BINS];
  for (int i = get_local_id(0); i < BINS; i += get_local_size(0))
    h[i] = 0;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int i = get_global_id(0); i < n; i += get_global_size(0))
    atomic_inc(&h[in[i]]);
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int i = get_local_id(0); i < BINS; i += get_local_size(0))
    if (h[i])
      atomic_add(&bins[i], h[i]);
}

__kernel void transpose(__global float *out, __global const float *in, int n) {
  __local float tile[TT][TT + 1];
  int tx = get_local_id(0), ty = get_local_id(1);
  int x = get_group_id(0) * TT + tx, y = get_group_id(1) * TT + ty;
  for (int j = 0; j < TT; j += TR)
    tile[ty + j][tx] = in[(y + j) * n + x];
  barrier(CLK_LOCAL_MEM_FENCE);
  x = get_group_id(1) * TT + tx, y = get_group_id(0) * TT + ty;
  for (int j = 0; j < TT; j += TR)
    out[(y + j) * n + x] = tile[tx][ty + j];
}

__kernel void nbody(__global const float4 *pos, __global float4 *acc, int n, float eps2) {
  __local float4 tile[BLOCK];
  int i = get_global_id(0), lid = get_local_id(0);
  float4 p = pos[i];
  float ax = 0.0f, ay = 0.0f, az = 0.0f;
  for (int t = 0; t < n; t += BLOCK) {
    tile[lid] = pos[t + lid];
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int j = 0; j < BLOCK; ++j) {
      float4 q = tile[j];
      float dx = q.x - p.x, dy = q.y - p.y, dz = q.z - p.z;
      float inv = rsqrt(dx * dx + dy * dy + dz * dz + eps2);
      float f = q.w * inv * inv * inv;
      ax += dx * f, ay += dy * f, az += dz * f;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  acc[i] = (float4)(ax, ay, az, 0.0f);
}

__kernel void scan(__global const int *in, __global int *out) {
  __local int t[2 * SCAN_THREADS];
  int base = get_group_id(0) * 2 * SCAN_THREADS, tid = get_local_id(0);
  t[tid] = in[base + tid];
  t[tid + SCAN_THREADS] = in[base + tid + SCAN_THREADS];
  int offset = 1;
  for (int d = SCAN_THREADS; d > 0; d >>= 1) {
    barrier(CLK_LOCAL_MEM_FENCE);
    if (tid < d)
      t[offset * (2 * tid + 2) - 1] += t[offset * (2 * tid + 1) - 1];
    offset <<= 1;
  }
  if (tid == 0)
    t[2 * SCAN_THREADS - 1] = 0;
  for (int d = 1; d < 2 * SCAN_THREADS; d <<= 1) {
    offset >>= 1;
    barrier(CLK_LOCAL_MEM_FENCE);
    if (tid < d) {
      int ai = offset * (2 * tid + 1) - 1, bi = offset * (2 * tid + 2) - 1;
      int v = t[ai];
      t[ai] = t[bi];
      t[bi] += v;
    }
  }
  barrier(CLK_LOCAL_MEM_FENCE);
  out[base + tid] = t[tid];
  out[base + tid + SCAN_THREADS] = t[tid + SCAN_THREADS];
}

__kernel void empty(void) {}
)CL";

std::string opencl_build_options() {
  char options[256];
  std::snprintf(options, sizeof options,
                "-cl-std=CL1.2 -DBLOCK=%d -DTILE=%d -DPER_THREAD=%d -DBINS=%d -DTT=%d -DTR=%d -DSCAN_THREADS=%d",
                kBlock, kTile, kReducePerThread, kHistBins, kTransTile, kTransRows, kScanThreads);
  return options;
}

}  // namespace suite

// A hand-written "opencl-c" device image (what cuport-cc's OpenCL emitter produces), shared by the OpenCL
// backend's ABI-level test and its libcuport-level test.
#ifndef CUPORT_TESTS_OPENCL_TEST_IMAGE_H
#define CUPORT_TESTS_OPENCL_TEST_IMAGE_H

namespace cuport_test {

// The test image (format 2: a pointer parameter is a buffer and an offset): a kernel using pointers and a
// by-value parameter, static and dynamic shared memory and a __device__ variable; a kernel that fails a
// "device assert"; a kernel that reads pointers stored in device memory (a table, and a relocated pointer in
// the globals), which therefore needs SVM; one with warp scratch; one that tolerates a null pointer; one with
// a large struct parameter that travels in a device buffer.
inline constexpr char kOpenCLTestImage[] = R"CL(//@cuport-opencl 2
//@globals 64
//@symbol scale 16 4
//@symbol scale_ptr 24 8
//@symbol counter 32 4
//@init 16 00000040
//@reloc 24 16
//@kernel _Z4vaddPKfS0_Pfi k_vadd 64 0 p,p,p,s4
//@kernel fail_assert k_fail_assert 0 0 -
//@kernel indirect k_indirect 0 2 p,p
//@svm-only indirect test.cu:12: a device pointer is loaded from memory
//@kernel warp_rotate k_warp_rotate 0 1 p
//@kernel maybe_null k_maybe_null 0 0 p,s8
//@kernel sum_big k_sum_big 0 0 p,b300
//@unsupported needs_grid_sync cooperative_groups::grid_group::sync() needs a grid-wide barrier
//@future-keyword ignored by this backend
// OpenCL C 1.2 from here on (the metadata above are comments to the OpenCL compiler).
__kernel void k_vadd(__global uchar* a0_b, ulong a0_o, __global uchar* a1_b, ulong a1_o, __global uchar* a2_b,
                     ulong a2_o, int n, __global uchar* __cuport_g, __local uchar* __cuport_dyn) {
  __global const float* a = (__global const float*)(a0_b + a0_o);
  __global const float* b = (__global const float*)(a1_b + a1_o);
  __global float* c = (__global float*)(a2_b + a2_o);
  __local float tile[16];
  __local float* dyn = (__local float*)__cuport_dyn;
  const size_t l = get_local_id(0);
  const size_t i = get_global_id(0);
  tile[l] = i < n ? a[i] : 0.0f;
  dyn[l] = i < n ? b[i] : 0.0f;
  barrier(CLK_LOCAL_MEM_FENCE);
  const float scale = *(__global float*)(__cuport_g + 16);
  if (i < n) c[i] = scale * tile[(l + 1) % 16] + dyn[(l + 2) % 16];
  if (i == 0) atomic_inc((__global uint*)(__cuport_g + 32));
}

__kernel void k_fail_assert(__global uchar* __cuport_g, __local uchar* __cuport_dyn) {
  if (get_global_id(0) == 3) *(__global uint*)__cuport_g = 710u;
}

__kernel void k_indirect(__global uchar* a0_b, ulong a0_o, __global uchar* a1_b, ulong a1_o,
                         __global uchar* __cuport_g, __local uchar* __cuport_dyn) {
  __global ulong* table = (__global ulong*)(a0_b + a0_o);
  __global int* out = (__global int*)(a1_b + a1_o);
  const size_t i = get_global_id(0);
  __global float* scale = *(__global float* __global*)(__cuport_g + 24);
  out[i] = ((__global int*)table[0])[i] + ((__global int*)table[1])[i] * (int)*scale;
}

__kernel void k_warp_rotate(__global uchar* a0_b, ulong a0_o, __global uchar* __cuport_g,
                            __local uchar* __cuport_dyn, __local uchar* __cuport_warp) {
  __global ulong* out = (__global ulong*)(a0_b + a0_o);
  __local ulong* scratch = (__local ulong*)__cuport_warp;
  const size_t l = get_local_id(0);
  scratch[l] = get_global_id(0) * 3ul;
  barrier(CLK_LOCAL_MEM_FENCE);
  out[get_global_id(0)] = scratch[(l + 1) % get_local_size(0)];
}

__kernel void k_maybe_null(__global uchar* a0_b, ulong a0_o, long v, __global uchar* __cuport_g,
                           __local uchar* __cuport_dyn) {
  __global long* p = (__global long*)(a0_b + a0_o);
  if (p) p[get_global_id(0)] = v;
  else if (get_global_id(0) == 0) *(__global long*)(__cuport_g + 40) = v;
}

__kernel void k_sum_big(__global uchar* a0_b, ulong a0_o, __global uchar* a1, __global uchar* __cuport_g,
                        __local uchar* __cuport_dyn) {
  __global uint* out = (__global uint*)(a0_b + a0_o);
  uint sum = 0;
  for (int i = 0; i < 300; ++i) sum += a1[i];
  out[get_global_id(0)] = sum;
}
)CL";

// The manifest libcuport reads for the same kernels and variables (docs/fatbin.md).
inline constexpr char kOpenCLTestManifest[] =
    "cuport-manifest 1\n"
    "kernel _Z4vaddPKfS0_Pfi 4 28\n"
    "param 0 8 8\n"
    "param 8 8 8\n"
    "param 16 8 8\n"
    "param 24 4 4\n"
    "kernel fail_assert 0 0\n"
    "kernel indirect 2 16\n"
    "param 0 8 8\n"
    "param 8 8 8\n"
    "kernel warp_rotate 1 8\n"
    "param 0 8 8\n"
    "kernel maybe_null 2 16\n"
    "param 0 8 8\n"
    "param 8 8 8\n"
    "kernel sum_big 2 308\n"
    "param 0 8 8\n"
    "param 8 300 4\n"
    "kernel needs_grid_sync 0 0\n"
    "var scale 4 device\n"
    "var scale_ptr 8 device\n"
    "var counter 4 device\n";

}  // namespace cuport_test

#endif

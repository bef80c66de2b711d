// A hand-written "opencl-c" device image (what cuport-cc's OpenCL emitter produces), shared by the OpenCL
// backend's ABI-level test and its libcuport-level test.
#ifndef CUPORT_TESTS_OPENCL_TEST_IMAGE_H
#define CUPORT_TESTS_OPENCL_TEST_IMAGE_H

namespace cuport_test {

// The test image: a kernel using a pointer and a by-value parameter, static and dynamic shared memory and a
// __device__ variable reached through a relocated pointer; a kernel that fails a "device assert"; a kernel
// that reads a pointer stored in device memory; one with warp scratch; one that tolerates a null pointer.
inline constexpr char kOpenCLTestImage[] = R"CL(//@cuport-opencl 1
//@globals 64
//@symbol scale 16 4
//@symbol scale_ptr 24 8
//@symbol counter 32 4
//@init 16 00000040
//@reloc 24 16
//@kernel _Z4vaddPKfS0_Pfi k_vadd 64 0 p,p,p,s4
//@kernel fail_assert k_fail_assert 0 0 -
//@kernel indirect k_indirect 0 0 p,p
//@kernel warp_rotate k_warp_rotate 0 1 p
//@kernel maybe_null k_maybe_null 0 0 p,s8
//@unsupported needs_grid_sync cooperative_groups::grid_group::sync() needs a grid-wide barrier
// OpenCL C 1.2 from here on (the metadata above are comments to the OpenCL compiler).
__kernel void k_vadd(__global const float* a, __global const float* b, __global float* c, int n,
                     __global uchar* __cuport_g, __local uchar* __cuport_dyn) {
  __local float tile[16];
  __local float* dyn = (__local float*)__cuport_dyn;
  const size_t l = get_local_id(0);
  const size_t i = get_global_id(0);
  tile[l] = i < n ? a[i] : 0.0f;
  dyn[l] = i < n ? b[i] : 0.0f;
  barrier(CLK_LOCAL_MEM_FENCE);
  __global float* scale = *(__global float* __global*)(__cuport_g + 24);
  if (i < n) c[i] = *scale * tile[(l + 1) % 16] + dyn[(l + 2) % 16];
  if (i == 0) atomic_inc((__global uint*)(__cuport_g + 32));
}

__kernel void k_fail_assert(__global uchar* __cuport_g, __local uchar* __cuport_dyn) {
  if (get_global_id(0) == 3) *(__global uint*)__cuport_g = 710u;
}

__kernel void k_indirect(__global ulong* table, __global int* out, __global uchar* __cuport_g,
                         __local uchar* __cuport_dyn) {
  const size_t i = get_global_id(0);
  out[i] = ((__global int*)table[0])[i] + ((__global int*)table[1])[i];
}

__kernel void k_warp_rotate(__global ulong* out, __global uchar* __cuport_g, __local uchar* __cuport_dyn,
                            __local uchar* __cuport_warp) {
  __local ulong* scratch = (__local ulong*)__cuport_warp;
  const size_t l = get_local_id(0);
  scratch[l] = get_global_id(0) * 3ul;
  barrier(CLK_LOCAL_MEM_FENCE);
  out[get_global_id(0)] = scratch[(l + 1) % get_local_size(0)];
}

__kernel void k_maybe_null(__global long* p, long v, __global uchar* __cuport_g, __local uchar* __cuport_dyn) {
  if (p) p[get_global_id(0)] = v;
  else if (get_global_id(0) == 0) *(__global long*)(__cuport_g + 40) = v;
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
    "kernel needs_grid_sync 0 0\n"
    "var scale 4 device\n"
    "var scale_ptr 8 device\n"
    "var counter 4 device\n";

}  // namespace cuport_test

#endif

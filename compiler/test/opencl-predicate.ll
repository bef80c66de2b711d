; Thread-dependent returns before a collective: the OpenCL backend runs the region with every work-item
; (OpenCL requires all of them at each barrier), the returned threads inactive.  The reducing barriers
; must not count those: __syncthreads_count and _or take active ? p : 0, __syncthreads_and active ? p : 1
; (before this, a block whose threads 0..6 returned counted their predicates too).
; Source (CUDA):
;   __global__ void counts(int* out, int lo) {
;     if (threadIdx.x < lo) return;
;     int p = threadIdx.x & 1;
;     out[threadIdx.x] = __syncthreads_count(p) + __syncthreads_and(p) + __syncthreads_or(p);
;   }
; RUN: %cuport-opt -passes=opencl %s | %FileCheck %s

target triple = "nvptx64-nvidia-cuda"

; CHECK-LABEL: __kernel void cuk_counts(
; CHECK: [[RET:v[0-9]+]] = (v0 < a1);
; CHECK-NEXT: [[ACTIVE:v[0-9]+]] = ([[RET]] != true);
; CHECK: [[P:v[0-9]+]] = ((uint)(v0 & 1u));
; CHECK-NEXT: [[C:v[0-9]+]] = ([[ACTIVE]] ? [[P]] : 0u);
; CHECK-NEXT: __cuport_block_count(__cuport_red, (uint)[[C]]);
; CHECK-NEXT: [[A:v[0-9]+]] = ([[ACTIVE]] ? [[P]] : 1u);
; CHECK-NEXT: (uint)(__cuport_block_count(__cuport_red, (uint)[[A]]) == __cuport_nthreads());
; CHECK-NEXT: [[O:v[0-9]+]] = ([[ACTIVE]] ? [[P]] : 0u);
; CHECK-NEXT: (uint)(__cuport_block_count(__cuport_red, (uint)[[O]]) != 0u);

define void @counts(ptr %out, i32 %lo) {
entry:
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %r = icmp ult i32 %t, %lo
  br i1 %r, label %exit, label %body
body:
  %p = and i32 %t, 1
  %c = call i32 @llvm.nvvm.barrier0.popc(i32 %p)
  %a = call i32 @llvm.nvvm.barrier0.and(i32 %p)
  %o = call i32 @llvm.nvvm.barrier0.or(i32 %p)
  %s1 = add i32 %c, %a
  %s = add i32 %s1, %o
  %idx = zext i32 %t to i64
  %q = getelementptr inbounds i32, ptr %out, i64 %idx
  store i32 %s, ptr %q
  br label %exit
exit:
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.barrier0.popc(i32)
declare i32 @llvm.nvvm.barrier0.and(i32)
declare i32 @llvm.nvvm.barrier0.or(i32)

!nvvm.annotations = !{!0}
!0 = !{ptr @counts, !"kernel", i32 1}

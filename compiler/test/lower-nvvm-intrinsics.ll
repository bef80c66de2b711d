; Special registers, barriers and math intrinsics become portable IR or cuport pseudo-intrinsics.
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics %s | %FileCheck %s

target triple = "nvptx64-nvidia-cuda"

; CHECK-LABEL: define void @k(
; CHECK: call i32 @__cuport.tid.x()
; CHECK: call i32 @__cuport.tid.z()
; blockDim.y is at byte 16 of the block context, blockIdx.x at 24, gridDim.z at 8.
; CHECK: getelementptr inbounds i8, ptr %{{.*}}, i64 16
; CHECK: getelementptr inbounds i8, ptr %{{.*}}, i64 24
; CHECK: getelementptr inbounds i8, ptr %{{.*}}, i64 8
; CHECK: call void @__cuport.barrier()
; CHECK: fence seq_cst
; CHECK: call float @llvm.sqrt.f32(
; CHECK: call float @llvm.fma.f32(
; CHECK-NOT: llvm.nvvm
; CHECK: declare void @__cuport.barrier() #[[BAR:[0-9]+]]
; CHECK: attributes #[[BAR]] = { convergent
define void @k(ptr %out, float %x) {
  %tx = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %tz = call i32 @llvm.nvvm.read.ptx.sreg.tid.z()
  %by = call i32 @llvm.nvvm.read.ptx.sreg.ntid.y()
  %bix = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %gz = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.z()
  call void @llvm.nvvm.barrier0()
  call void @llvm.nvvm.membar.gl()
  %s = call float @llvm.nvvm.sqrt.rn.f(float %x)
  %f = call float @llvm.nvvm.fma.rn.f(float %s, float %x, float %x)
  %a = add i32 %tx, %tz
  %b = add i32 %a, %by
  %c = add i32 %b, %bix
  %d = add i32 %c, %gz
  %e = uitofp i32 %d to float
  %g = fadd float %e, %f
  store float %g, ptr %out
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.tid.z()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.y()
declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.z()
declare void @llvm.nvvm.barrier0()
declare void @llvm.nvvm.membar.gl()
declare float @llvm.nvvm.sqrt.rn.f(float)
declare float @llvm.nvvm.fma.rn.f(float, float, float)

!nvvm.annotations = !{!0}
!0 = !{ptr @k, !"kernel", i32 1}

; Regression: two phis that swap each other around a barrier (double-buffer pointers) are both live
; across it; the liveness of a block's phis must be computed as a group.  (Both are uniform: they live in the
; block's uniform slots.)
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,work-item-loops %s | %FileCheck %s

target triple = "nvptx64-nvidia-cuda"

; CHECK-LABEL: define internal i32 @swap.wi(
; CHECK-DAG: %src.uniform = load ptr
; CHECK-DAG: %dst.uniform = load ptr
define void @swap(ptr %a, ptr %b, i32 %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i2, %body ]
  %src = phi ptr [ %a, %entry ], [ %dst, %body ]
  %dst = phi ptr [ %b, %entry ], [ %src, %body ]
  %c = icmp slt i32 %i, %n
  br i1 %c, label %body, label %exit
body:
  %v = load i32, ptr %src
  store i32 %v, ptr %dst
  call void @llvm.nvvm.barrier0()
  %i2 = add i32 %i, 1
  br label %loop
exit:
  ret void
}

declare void @llvm.nvvm.barrier0()

!nvvm.annotations = !{!0}
!0 = !{ptr @swap, !"kernel", i32 1}

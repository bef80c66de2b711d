; The simplify step before the work-item loops fully unrolls loops with a small constant trip count, so
; that the work-item loops see the copies: a shuffle loop becomes five sync sites with constant lane
; operands, and `if (i + k * 256 < n)` becomes one guard per k, each row-uniform (UniformGuards.h).
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify %s | %FileCheck %s

target triple = "nvptx64-nvidia-cuda"

; CHECK-LABEL: define void @shuffles(
; CHECK-NOT: phi
; CHECK: call i64 @__cuport.sync(i32 7, i32 -1, i64 %{{.*}}, i64 16, i64 31)
; CHECK: call i64 @__cuport.sync(i32 7, i32 -1, i64 %{{.*}}, i64 8, i64 31)
; CHECK: call i64 @__cuport.sync(i32 7, i32 -1, i64 %{{.*}}, i64 4, i64 31)
; CHECK: call i64 @__cuport.sync(i32 7, i32 -1, i64 %{{.*}}, i64 2, i64 31)
; CHECK: call i64 @__cuport.sync(i32 7, i32 -1, i64 %{{.*}}, i64 1, i64 31)
; CHECK-NOT: @__cuport.sync
; CHECK: ret void
define void @shuffles(ptr %out) {
entry:
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  br label %loop
loop:
  %v = phi i32 [ %t, %entry ], [ %sum, %loop ]
  %off = phi i32 [ 16, %entry ], [ %off2, %loop ]
  %got = call i32 @llvm.nvvm.shfl.sync.down.i32(i32 -1, i32 %v, i32 %off, i32 31)
  %sum = add i32 %v, %got
  %off2 = lshr i32 %off, 1
  %more = icmp ne i32 %off2, 0
  br i1 %more, label %loop, label %exit
exit:
  %p = getelementptr i32, ptr %out, i32 %t
  store i32 %sum, ptr %p
  ret void
}

; CHECK-LABEL: define void @bounded(
; CHECK-NOT: phi i32
; CHECK-COUNT-4: icmp slt i32
; CHECK: ret void
define void @bounded(ptr %x, ptr %out, i32 %n) {
entry:
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %b = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %base = mul i32 %b, 1024
  %i0 = add i32 %base, %t
  br label %loop
loop:
  %k = phi i32 [ 0, %entry ], [ %k2, %next ]
  %acc = phi float [ 0.0, %entry ], [ %acc2, %next ]
  %kk = mul i32 %k, 256
  %i = add i32 %i0, %kk
  %in = icmp slt i32 %i, %n
  br i1 %in, label %load, label %next
load:
  %p = getelementptr float, ptr %x, i32 %i
  %v = load float, ptr %p
  %s = fadd float %acc, %v
  br label %next
next:
  %acc2 = phi float [ %acc, %loop ], [ %s, %load ]
  %k2 = add i32 %k, 1
  %more = icmp ult i32 %k2, 4
  br i1 %more, label %loop, label %exit
exit:
  %o = getelementptr float, ptr %out, i32 %i0
  store float %acc2, ptr %o
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
declare i32 @llvm.nvvm.shfl.sync.down.i32(i32, i32, i32, i32)

!nvvm.annotations = !{!0, !1}
!0 = !{ptr @shuffles, !"kernel", i32 1}
!1 = !{ptr @bounded, !"kernel", i32 1}

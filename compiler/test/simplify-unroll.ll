; The simplify step before the work-item loops fully unrolls loops with a small constant trip count, so
; that the work-item loops see the copies: a shuffle loop becomes five sync sites with constant lane
; operands, and `if (i + k * 256 < n)` becomes one guard per k, each row-uniform (UniformGuards.h).
; Two rounds: -O2's size threshold, then -O3's for loops without barriers or collectives or with at most 16
; trips: a Blelloch sweep of 9 barrier steps (too large for -O2's threshold: the second RUN line forces it)
; becomes 9 barriers with constant strides; a 32-lane loop of shuffles stays a loop, with no metadata left
; from being held.
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify %s | %FileCheck %s
; RUN: %cuport-opt -unroll-threshold=150 -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify %s | %FileCheck %s --check-prefix=SMALL

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

; CHECK-LABEL: define void @sweep(
; CHECK-NOT: phi
; CHECK-COUNT-10: call void @__cuport.barrier()
; CHECK-NOT: @__cuport.barrier
; CHECK: ret void
; SMALL-LABEL: define void @sweep(
; SMALL: phi i32
; SMALL-COUNT-2: call void @__cuport.barrier()
; SMALL-NOT: @__cuport.barrier
; SMALL: ret void
define void @sweep(ptr %out) {
entry:
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  br label %loop
loop:
  %d = phi i32 [ 256, %entry ], [ %d2, %latch ]
  %off = phi i32 [ 1, %entry ], [ %off2, %latch ]
  call void @llvm.nvvm.barrier0()
  %in = icmp slt i32 %tid, %d
  br i1 %in, label %body, label %latch
body:
  %a0 = shl i32 %tid, 1
  %a1 = add i32 %a0, 1
  %a2 = mul i32 %off, %a1
  %ai = add i32 %a2, -1
  %b1 = add i32 %a0, 2
  %b2 = mul i32 %off, %b1
  %bi = add i32 %b2, -1
  %ap = getelementptr [512 x i32], ptr addrspace(3) @t, i32 0, i32 %ai
  %bp = getelementptr [512 x i32], ptr addrspace(3) @t, i32 0, i32 %bi
  %av = load i32, ptr addrspace(3) %ap
  %bv = load i32, ptr addrspace(3) %bp
  %s = add i32 %av, %bv
  store i32 %s, ptr addrspace(3) %bp
  br label %latch
latch:
  %off2 = shl i32 %off, 1
  %d2 = lshr i32 %d, 1
  %more = icmp ne i32 %d2, 0
  br i1 %more, label %loop, label %exit
exit:
  call void @llvm.nvvm.barrier0()
  %p = getelementptr i32, ptr %out, i32 %tid
  %r = getelementptr [512 x i32], ptr addrspace(3) @t, i32 0, i32 %tid
  %rv = load i32, ptr addrspace(3) %r
  store i32 %rv, ptr %p
  ret void
}

; CHECK-LABEL: define void @lanes(
; CHECK: phi i32
; CHECK: call i64 @__cuport.sync(i32 5,
; CHECK-NOT: @__cuport.sync
; CHECK: br i1 %{{.*}}, label %{{.*}}, !llvm.loop ![[LOOP:[0-9]+]]
; CHECK: ret void
; CHECK-NOT: cuport.unroll.held
; CHECK-NOT: llvm.loop.unroll.disable
define void @lanes(ptr %out) {
entry:
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  br label %loop
loop:
  %l = phi i32 [ 0, %entry ], [ %l2, %loop ]
  %acc = phi i32 [ 0, %entry ], [ %acc2, %loop ]
  %o = call i32 @llvm.nvvm.shfl.sync.idx.i32(i32 -1, i32 %t, i32 %l, i32 31)
  %acc2 = add i32 %acc, %o
  %l2 = add i32 %l, 1
  %more = icmp ult i32 %l2, 32
  br i1 %more, label %loop, label %exit, !llvm.loop !4
exit:
  %p = getelementptr i32, ptr %out, i32 %t
  store i32 %acc2, ptr %p
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
declare i32 @llvm.nvvm.shfl.sync.down.i32(i32, i32, i32, i32)
declare i32 @llvm.nvvm.shfl.sync.idx.i32(i32, i32, i32, i32)
declare void @llvm.nvvm.barrier0()

@t = internal addrspace(3) global [512 x i32] undef

!nvvm.annotations = !{!0, !1, !2, !3}
!0 = !{ptr @shuffles, !"kernel", i32 1}
!1 = !{ptr @bounded, !"kernel", i32 1}
!2 = !{ptr @sweep, !"kernel", i32 1}
!3 = !{ptr @lanes, !"kernel", i32 1}
!4 = distinct !{!4, !5}
!5 = !{!"llvm.loop.mustprogress"}

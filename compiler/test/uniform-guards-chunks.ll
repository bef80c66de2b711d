; Guards on a value the threads share across a barrier (uniform.in): `2 * threadIdx.x < d` in a loop that
; halves d.  Such a guard is uniform in every chunk of 32 threads but the one d falls in, so a row that is
; not uniform as a whole runs in chunks, each checked again: the guard-free copy where the chunk is
; uniform, the thread function elsewhere.  (With threadIdx.x itself, a split guard, the row would run as
; two stretches instead: uniform-guards-stretches.ll.)  Only the guards a region can reach are checked
; (the entry region reaches none here, so it runs without checks).
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s

target triple = "nvptx64-nvidia-cuda"

; CHECK-LABEL: define dso_local void @__cuport_k_halves(
; CHECK: region.1.all:
; Region 0 (before the first barrier) reaches no guard: a plain loop over the row.
; CHECK: x.body:
; CHECK: call i32 @halves.wi(ptr %arg0, {{.*}}, i32 0,
; Region 1: the guard's bound comes from uniform.in; the whole row first, with the copy in which the
; guard has its predicted value (threadIdx.x below the bound: true)...
; CHECK: getelementptr i8, ptr %uniform.in, i64 0
; CHECK: %row.predicted = freeze i1
; CHECK: %row.uniform = freeze i1
; CHECK: call i32 @halves.wi.predicted(ptr %arg0, {{.*}}, i32 1, {{.*}}, i1 %lt.row)
; ...then chunks of 32 threads, each checked again.
; CHECK: chunk.body:
; CHECK: mul nuw nsw i32 %chunk, 32
; CHECK: call i32 @llvm.umin.i32(i32 32,
; CHECK: getelementptr i8, ptr %uniform.in, i64 0
; CHECK: %row.uniform{{[0-9]+}} = freeze i1
; CHECK: call i32 @halves.wi.rowuniform(ptr %arg0, {{.*}}, i32 1, {{.*}}, i1 %lt.row{{[0-9]+}})
; CHECK: call i32 @halves.wi(ptr %arg0, {{.*}}, i32 1,

; CHECK-LABEL: define internal i32 @halves.wi.rowuniform(
; CHECK: br i1 %guard.0,
; CHECK-LABEL: define internal i32 @halves.wi.predicted(
; CHECK-NOT: br i1 %guard.0,
; CHECK: ret i32

define void @halves(ptr %a, i32 %n) {
entry:
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  br label %loop
loop:
  %d = phi i32 [ %n, %entry ], [ %d2, %next ]
  call void @llvm.nvvm.barrier0()
  %twice = shl nuw nsw i32 %tid, 1
  %lt = icmp ult i32 %twice, %d
  br i1 %lt, label %work, label %next
work:
  %idx = zext i32 %tid to i64
  %p = getelementptr float, ptr %a, i64 %idx
  %v = load float, ptr %p
  %w = fadd float %v, 1.0
  store float %w, ptr %p
  br label %next
next:
  %d2 = lshr i32 %d, 1
  %more = icmp ne i32 %d2, 0
  br i1 %more, label %loop, label %exit
exit:
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare void @llvm.nvvm.barrier0()

!nvvm.annotations = !{!0}
!0 = !{ptr @halves, !"kernel", i32 1}

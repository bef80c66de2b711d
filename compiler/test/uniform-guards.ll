; Row-uniform guards (UniformGuards.h): `i < n` with i = blockIdx.x * blockDim.x + threadIdx.x is versioned;
; so is `threadIdx.x == 0`, as a split guard only (no predicted value).  The thread function gets a copy
; that reads each guard's value from an argument, and each row of the block function checks, before its
; loop over threadIdx.x, that the guards have one value for threadIdx.x = 0 .. blockDim.x-1 without
; wrapping.
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s
; At -O1 nothing is versioned (LLVM would not unswitch the copies).
; RUN: %cuport-opt -O1 -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s --check-prefix=O1

target triple = "nvptx64-nvidia-cuda"

; CHECK-LABEL: define internal i32 @guarded.wi(
; CHECK: %[[I:.*]] = add i32 %{{.*}}, %tid.x
; CHECK: icmp slt i32 %[[I]], %n
; CHECK: icmp eq i32 %tid.x, 0

; CHECK-LABEL: define dso_local void @__cuport_k_guarded(
; CHECK: call { i32, i1 } @llvm.smul.with.overflow.i32(i32 1, i32 %{{.*}})
; CHECK: call { i32, i1 } @llvm.sadd.with.overflow.i32(
; The whole row runs the copy with the guard's predicted value (i < n: true) when it has that value...
; CHECK: icmp eq i1 %{{.*}}, true
; CHECK: %row.predicted = freeze i1
; CHECK: %row.uniform = freeze i1
; CHECK: %[[R:.*]] = and i1 %row.uniform, %row.predicted
; CHECK: br i1 %[[R]], label %row.uniform{{[0-9]*}}, label %row
; CHECK: call i32 @guarded.wi.predicted(ptr %arg0, i32 %arg1, {{.*}}, i1 %
; ...else the stretches between the split points (n - blockIdx.x * blockDim.x for i < n, 0 and 1 for
; threadIdx.x == 0; clamped to the row and sorted), each checked again: the copy that takes the guards'
; values, or the thread function.
; CHECK: stretch.body:
; CHECK: %stretch.x0 = load i32
; CHECK: %stretch.x1 = load i32
; CHECK: stretch.run:
; CHECK: %row.uniform{{[0-9]+}} = freeze i1
; CHECK: call i32 @guarded.wi.rowuniform(ptr %arg0, i32 %arg1, {{.*}}, i1 %
; CHECK: call i32 @guarded.wi(ptr %arg0, i32 %arg1,
; CHECK-NOT: chunk.body:

; CHECK-LABEL: define internal i32 @guarded.wi.rowuniform(ptr %a, i32 %n, {{.*}}, i1 %guard.0, i1 %guard.1)
; CHECK-NOT: icmp
; CHECK: br i1 %guard.0,
; CHECK: br i1 %guard.1,

; CHECK-LABEL: define internal i32 @guarded.wi.predicted(ptr %a, i32 %n, {{.*}}, i1 %guard.0, i1 %guard.1)
; CHECK-NOT: icmp
; CHECK-NOT: %guard.0
; CHECK: br i1 true,
; CHECK: br i1 %guard.1,

; O1-NOT: rowuniform
; O1-NOT: with.overflow

define void @guarded(ptr %a, i32 %n) {
entry:
  %bid = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %bdim = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %base = mul i32 %bid, %bdim
  %i = add i32 %base, %tid
  %in = icmp slt i32 %i, %n
  br i1 %in, label %store, label %next
store:
  %idx = sext i32 %i to i64
  %p = getelementptr float, ptr %a, i64 %idx
  store float 1.0, ptr %p
  br label %next
next:
  %first = icmp eq i32 %tid, 0
  br i1 %first, label %one, label %exit
one:
  store float 2.0, ptr %a
  br label %exit
exit:
  ret void
}

; A 32-bit index widened to 64 bits (as IndVars leaves unrolled indices) is affine too: the row check also
; makes sure the narrow index does not wrap over the row.
; CHECK-LABEL: define dso_local void @__cuport_k_widened(
; CHECK: call { i64, i1 } @llvm.sadd.with.overflow.i64(
; CHECK: call { i64, i1 } @llvm.sadd.with.overflow.i64(
; CHECK: call { i32, i1 } @llvm.sadd.with.overflow.i32(
; CHECK: call { i32, i1 } @llvm.sadd.with.overflow.i32(
; CHECK: %row.uniform = freeze i1
; CHECK: call i32 @widened.wi.rowuniform(
; CHECK-LABEL: define internal i32 @widened.wi.rowuniform(ptr %a, i64 %n, {{.*}}, i1 %guard.0)
; CHECK-NOT: icmp slt
; CHECK: br i1 %guard.0,
define void @widened(ptr %a, i64 %n) {
entry:
  %bid = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %bdim = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %base = mul i32 %bid, %bdim
  %i = add nsw i32 %base, %tid
  %wide = sext i32 %i to i64
  %j = add nsw i64 %wide, 256
  %in = icmp slt i64 %j, %n
  br i1 %in, label %store, label %exit
store:
  %p = getelementptr float, ptr %a, i64 %j
  store float 1.0, ptr %p
  br label %exit
exit:
  ret void
}

; The end of a block's chunk, (blockIdx.x + 1) * (n / gridDim.x): a division by gridDim (never zero) may
; be evaluated before each row, so the bound is row-uniform and `i < end` a guard.  A division by a kernel
; parameter (possibly zero where the thread would not divide) keeps its comparison out.
; CHECK-LABEL: define dso_local void @__cuport_k_chunked(
; CHECK: %per.row = udiv i32 %arg1, %gridDim
; CHECK: %row.uniform = freeze i1
; CHECK: call i32 @chunked.wi.rowuniform(
; CHECK-LABEL: define internal i32 @chunked.wi.rowuniform(ptr %a, i32 %n, {{.*}}, i1 %guard.0)
; CHECK-NOT: icmp ult
; CHECK: br i1 %guard.0,
; CHECK-NOT: define internal i32 @byparam.wi.rowuniform(
; CHECK-LABEL: define dso_local void @__cuport_k_byparam(
; CHECK-NOT: row.uniform
; CHECK: ret void
define void @chunked(ptr %a, i32 %n) {
entry:
  %bid = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %grid = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %per = udiv i32 %n, %grid
  %start = mul i32 %bid, %per
  %i = add i32 %start, %tid
  %next = add i32 %bid, 1
  %end = mul i32 %next, %per
  %in = icmp ult i32 %i, %end
  br i1 %in, label %store, label %exit
store:
  %idx = zext i32 %i to i64
  %p = getelementptr float, ptr %a, i64 %idx
  store float 1.0, ptr %p
  br label %exit
exit:
  ret void
}

define void @byparam(ptr %a, i32 %n, i32 %m) {
entry:
  %bid = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %per = udiv i32 %n, %m
  %start = mul i32 %bid, %per
  %i = add i32 %start, %tid
  %next = add i32 %bid, 1
  %end = mul i32 %next, %per
  %in = icmp ult i32 %i, %end
  br i1 %in, label %store, label %exit
store:
  %idx = zext i32 %i to i64
  %p = getelementptr float, ptr %a, i64 %idx
  store float 1.0, ptr %p
  br label %exit
exit:
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()

!nvvm.annotations = !{!0, !1, !2, !3}
!0 = !{ptr @guarded, !"kernel", i32 1}
!1 = !{ptr @widened, !"kernel", i32 1}
!2 = !{ptr @chunked, !"kernel", i32 1}
!3 = !{ptr @byparam, !"kernel", i32 1}

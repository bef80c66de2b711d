; A barrier inside a loop whose trip count depends on blockDim: the thread function becomes resumable
; (state 0 = entry, state 1 = after the barrier), values live across the barrier go to the frame (or, when
; uniform, to the block's uniform slots), and the block function loops over threads per state.
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s --check-prefix=FILL
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s --check-prefix=FUSED
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s --check-prefix=SHARED
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s --check-prefix=EARLY

target triple = "nvptx64-nvidia-cuda"

@tile = internal addrspace(3) global [256 x float] undef, align 4

; The per-thread function: dispatch on the state; at the barrier the stride (uniform: the same in every
; thread) goes to the block's uniform.out, the loaded value (divergent) to the thread's frame; return 1.
; On resumption the stride comes from uniform.in, the value from the frame.
; The frame is laid out slot by slot, each slot an array over the block's threads (1040 of them: 1024 and
; padding): x (4 bytes per thread) is at frame + 4 * tid.linear.  Kernel info: ABI 3, flags barriers |
; block range | block frame, 16 bytes per thread (the frame's alignment) * 1040 for the block.
; CHECK: @__cuport_i_reduce = dso_local constant { i32, i32, i64, i64, i64 } { i32 3, i32 7, i64 16640, i64 16, i64 1024 }
; CHECK-LABEL: define internal i32 @reduce.wi(ptr %out, ptr %in, ptr noalias %ctx, i32 %tid.x, i32 %tid.y, i32 %tid.z, i32 %state, ptr noalias %frame, i32 %bid.x, i32 %bid.y, i32 %bid.z, ptr noalias %uniform.in, ptr noalias %uniform.out, i32 %tid.linear)
; CHECK: cbs.dispatch:
; CHECK-NEXT: %tid.linear.64 = zext i32 %tid.linear to i64
; CHECK-NEXT: %[[XO:.*]] = mul nuw nsw i64 %tid.linear.64, 4
; CHECK-NEXT: %[[XA:.*]] = add nuw nsw i64 %[[XO]], 0
; CHECK-NEXT: %x.slot = getelementptr inbounds i8, ptr %frame, i64 %[[XA]]
; CHECK: switch i32 %state, label %{{.*}} [
; CHECK-NEXT: i32 1, label %resume.1
; (The loop is rotated before the pass: the stride and its half are both live across the barrier.)
; CHECK: barrier:
; CHECK-NEXT: store i32 %x{{[0-9]*}}, ptr %x.slot
; CHECK-NEXT: %[[OUT:.*]] = getelementptr inbounds i8, ptr %uniform.out, i64 0
; CHECK-NEXT: store i32 %s.in{{[0-9]*}}, ptr %[[OUT]]
; CHECK-NEXT: %[[OUT4:.*]] = getelementptr inbounds i8, ptr %uniform.out, i64 4
; CHECK-NEXT: store i32 %s, ptr %[[OUT4]]
; CHECK-NEXT: ret i32 1
; CHECK: resume.1:
; CHECK-NEXT: %x.reload = load i32, ptr %x.slot
; CHECK: %[[IN:.*]] = getelementptr inbounds i8, ptr %uniform.in, i64 0
; CHECK-NEXT: %s.in{{[0-9]*}}.uniform = load i32, ptr %[[IN]]
; CHECK: %[[IN4:.*]] = getelementptr inbounds i8, ptr %uniform.in, i64 4
; CHECK-NEXT: %s.uniform = load i32, ptr %[[IN4]]
; CHECK: ret i32 -1

; The block function runs `count` blocks.  Per block: region 0 for all threads; when they all return the
; same state it goes straight to that region (or ends the block on -1, every thread exited), else it asks
; the scheduler which site to release and runs that region for the released threads.
; CHECK-LABEL: define dso_local void @__cuport_k_reduce(ptr %args, ptr noalias %ctx, i32 %count)
; CHECK: %uniform.in = alloca [8 x i8], align 16
; CHECK: %uniform.out = alloca [8 x i8], align 16
; CHECK: block.head:
; CHECK: icmp ult i32 %{{.*}}, %count
; CHECK: store volatile i32 %bid.x, ptr
; CHECK: schedule:
; CHECK: call i64 @__cuport_cpu_schedule(ptr %states, i32 %nthreads, ptr %frame, ptr @__cuport_sites_reduce, i32 1, ptr %released.range)
; CHECK: switch i32 %state, label %done [
; CHECK-NEXT: i32 1, label %region.1
; CHECK: region.1.all:
; CHECK-NEXT: call void @llvm.memcpy.p0.p0.i64(ptr align 16 %uniform.in, ptr align 16 %uniform.out, i64 8, i1 false)
; Each thread gets the block's frame and its linear index; the loops over threads are parallel.
; CHECK: call i32 @reduce.wi(ptr %arg0, ptr %arg1, ptr %ctx, i32 %{{.*}}, i32 %{{.*}}, i32 %{{.*}}, i32 0, ptr %frame, i32 %bid.x, i32 %bid.y, i32 %bid.z, ptr %uniform.in, ptr %uniform.out, i32 %{{.*}})
; Every thread of this kernel returns the same state from each region (its branches on threadIdx.x, if
; any, join again before the barrier; the loop's bound is uniform): the loop stores each thread's state
; and keeps the one the last thread returned, without AND and OR reductions; the dispatch switches on it.
; CHECK-NEXT: zext i32
; CHECK-NEXT: getelementptr inbounds i32, ptr %states
; CHECK-NEXT: store i32 %[[S0:[0-9]+]], ptr
; CHECK-NEXT: store i32 %[[S0]], ptr %state.last
; CHECK: br label %x.head, !llvm.loop ![[LOOP:[0-9]+]]
; CHECK: same.state:
; CHECK-NEXT: switch i32 %state.and{{[0-9]*}}, label %schedule [
; CHECK-NEXT: i32 -1, label %done
; CHECK-NEXT: i32 1, label %direct.1
; Otherwise the device runtime releases the threads left when they all wait at one site, and says which.
; CHECK: mixed.state:
; CHECK-NEXT: %released = call i32 @__cuport_cpu_release_waiting(ptr %states, i32 %nthreads, ptr %frame, ptr @__cuport_sites_reduce, ptr %released.range)
; CHECK: same.live.state:
; CHECK-NEXT: switch i32 %released, label %schedule [
; CHECK-NEXT: i32 1, label %region.1.guarded
; CHECK: call i32 @reduce.wi(ptr %arg0, ptr %arg1, ptr %ctx, i32 %{{.*}}, i32 %{{.*}}, i32 %{{.*}}, i32 1,

; Without barriers a block's threads run in any order, so the block function runs row y of every block
; of its range before row y + 1: the loop over the range's blocks sits inside the loops over z and y.
; FILL-LABEL: define dso_local void @__cuport_k_fill(ptr %args, ptr noalias %ctx, i32 %count)
; FILL: z.head:
; FILL: y.head:
; FILL: block.head:
; FILL: block.body:
; FILL: %bid.x = add i32 %first.bid.x, %block
; FILL: store volatile i32 %bid.x
; FILL: x.head:
; FILL: call i32 @fill.wi(ptr %arg0, ptr %ctx, i32 %{{.*}}, i32 %y, i32 %z, i32 0, ptr null, i32 %bid.x,
define void @fill(ptr %out) {
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %tidy = call i32 @llvm.nvvm.read.ptx.sreg.tid.y()
  %bid = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %bdim = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %base = mul i32 %bid, %bdim
  %x = add i32 %base, %tid
  %row = mul i32 %tidy, 4096
  %i = add i32 %row, %x
  %idx = zext i32 %i to i64
  %p = getelementptr float, ptr %out, i64 %idx
  %v = uitofp i32 %tid to float
  store float %v, ptr %p
  ret void
}

; When the thread function sees threadIdx.x and blockIdx.x only as blockIdx.x * blockDim.x + threadIdx.x
; (@fill also stores threadIdx.x alone), the range's blocks run their rows as one: blockIdx.x stays at the
; first block, threadIdx.x runs over count * blockDim.x threads, and the kernel's info says so (flags 14 =
; block range | block frame | fused rows) for fault reports.
; FUSED: @__cuport_i_fillg = dso_local constant { i32, i32, i64, i64, i64 } { i32 3, i32 14,
; FUSED-LABEL: define dso_local void @__cuport_k_fill(
; FUSED: block.head:
; FUSED-LABEL: define dso_local void @__cuport_k_fillg(ptr %args, ptr noalias %ctx, i32 %count)
; (In pieces of 2^20 blocks: count * blockDim.x stays below 2^31.)
; FUSED: piece.body:
; FUSED: %bid.x = add i32 %first.bid.x, %{{[0-9]+}}
; FUSED: store volatile i32 %bid.x
; FUSED: %fused.row = mul nuw nsw i32 %{{[0-9]+}}, %bx
; FUSED: z.head:
; FUSED: y.head:
; FUSED-NOT: block.head:
; FUSED: x.head:
; FUSED-NEXT: %x = load i32, ptr %x.iv
; FUSED-NEXT: icmp ult i32 %x, %fused.row
; FUSED: call i32 @fillg.wi(ptr %arg0, ptr %ctx, i32 %{{[0-9]+}}, i32 %y, i32 %z, i32 0, ptr null, i32 %bid.x,
; Shared memory keeps the blocks apart (each has its own, and thread y of a 1x8 block may own cell[y]):
; flags 6, a loop over the range's blocks.
; SHARED: @__cuport_i_fillsh = dso_local constant { i32, i32, i64, i64, i64 } { i32 3, i32 6,
; SHARED-LABEL: define dso_local void @__cuport_k_fillsh(
; SHARED-NOT: fused.row
; SHARED: block.head:
define void @fillg(ptr %out) {
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %tidy = call i32 @llvm.nvvm.read.ptx.sreg.tid.y()
  %bid = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %bdim = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %base = mul i32 %bid, %bdim
  %x = add i32 %tid, %base
  %row = mul i32 %tidy, 4096
  %i = add i32 %row, %x
  %idx = zext i32 %i to i64
  %p = getelementptr float, ptr %out, i64 %idx
  store float 1.0, ptr %p
  ret void
}

@cells = internal addrspace(3) global [8 x i32] undef
define void @fillsh(ptr %out, i32 %k) {
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %tidy = call i32 @llvm.nvvm.read.ptx.sreg.tid.y()
  %bid = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %bdim = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %base = mul i32 %bid, %bdim
  %x = add i32 %base, %tid
  %c = getelementptr [8 x i32], ptr addrspace(3) @cells, i32 0, i32 %tidy
  store i32 %x, ptr addrspace(3) %c
  %j = add i32 %tidy, %k
  %jm = and i32 %j, 7
  %d = getelementptr [8 x i32], ptr addrspace(3) @cells, i32 0, i32 %jm
  %v = load i32, ptr addrspace(3) %d
  %idx = zext i32 %x to i64
  %p = getelementptr i32, ptr %out, i64 %idx
  store i32 %v, ptr %p
  ret void
}

; A thread that returns early: region 0 may end with different states, so its loops store each thread's
; state and find their AND and OR, which are equal exactly when every thread returned the same state.
; The return depends on a guard alone (threadIdx.x < limit): in a row where the guard is uniform every
; thread returns one state, so the row-uniform copy's loop keeps the last one, which then fills the row's
; states (one loop) and joins the AND and OR once.
; EARLY-LABEL: define dso_local void @__cuport_k_early(
; EARLY: %[[R:[0-9]+]] = call i32 @early.wi.predicted(ptr %arg0, i32 %arg1, {{.*}}, i32 0,
; EARLY-NEXT: store i32 %[[R]], ptr %state.row
; EARLY: %[[ROW:state.row[0-9]+]] = load i32, ptr %state.row
; EARLY: row.states.body:
; EARLY: store i32 %[[ROW]], ptr
; EARLY: row.states.exit:
; EARLY-NEXT: load i32, ptr %state.and
; EARLY-NEXT: and i32 %{{[0-9]+}}, %[[ROW]]
; Elsewhere thread by thread.
; EARLY: %[[S:[0-9]+]] = call i32 @early.wi(ptr %arg0, i32 %arg1, {{.*}}, i32 0,
; EARLY-NEXT: zext i32
; EARLY-NEXT: getelementptr inbounds i32, ptr %states
; EARLY-NEXT: store i32 %[[S]]
; EARLY: and i32 %{{.*}}, %[[S]]
; EARLY: or i32 %{{.*}}, %[[S]]
; EARLY: same.state:
; EARLY-NEXT: switch i32 %state.and{{[0-9]*}}, label %schedule [
; The region after the barrier has no divergent exit: the last thread's state.
; EARLY: store i32 %{{[0-9]+}}, ptr %state.last
define void @early(ptr %out, i32 %limit) {
entry:
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %in = icmp ult i32 %t, %limit
  br i1 %in, label %work, label %exit
work:
  call void @llvm.nvvm.barrier0()
  %p = getelementptr i32, ptr %out, i32 %t
  store i32 %t, ptr %p
  br label %exit
exit:
  ret void
}

define void @reduce(ptr %out, ptr %in) {
entry:
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %xp = getelementptr i32, ptr %in, i32 %t
  %x = load i32, ptr %xp
  %n = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %p = getelementptr [256 x float], ptr addrspace(3) @tile, i32 0, i32 %t
  %tf = uitofp i32 %t to float
  store float %tf, ptr addrspace(3) %p
  %half = lshr i32 %n, 1
  br label %loop
loop:
  %s = phi i32 [ %half, %entry ], [ %s2, %body ]
  %c = icmp ugt i32 %s, 0
  br i1 %c, label %body, label %exit
body:
  %lt = icmp ult i32 %t, %s
  call void @llvm.nvvm.barrier0()
  %s2 = lshr i32 %s, 1
  br label %loop
exit:
  %v = load float, ptr addrspace(3) %p
  store float %v, ptr %out
  store i32 %x, ptr %in
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare void @llvm.nvvm.barrier0()
declare i32 @llvm.nvvm.read.ptx.sreg.tid.y()
declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()

!nvvm.annotations = !{!0, !1, !2, !3, !4}
!0 = !{ptr @reduce, !"kernel", i32 1}
!1 = !{ptr @fill, !"kernel", i32 1}
!2 = !{ptr @early, !"kernel", i32 1}
!3 = !{ptr @fillg, !"kernel", i32 1}
!4 = !{ptr @fillsh, !"kernel", i32 1}

; Every load and store of the thread function is in one access group, which the thread loops name.
; CHECK: ![[LOOP]] = distinct !{![[LOOP]], ![[PAR:[0-9]+]]}
; CHECK: ![[PAR]] = !{!"llvm.loop.parallel_accesses", ![[GROUP:[0-9]+]]}

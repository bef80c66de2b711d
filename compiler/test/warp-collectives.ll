; Warp collectives become sync sites: operands go to the thread's sync record, the scheduler computes
; the result between regions, and the thread reloads it when it resumes.  When every thread of the block
; arrives at the same site, __cuport_cpu_release_all computes the results without the scheduler; when
; the others exited, __cuport_cpu_release_waiting checks that and releases the waiting ones.
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics %s | %FileCheck %s --check-prefix=PSEUDO
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s --check-prefix=GUARDED
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s --check-prefix=LIVE

target triple = "nvptx64-nvidia-cuda"

; Kinds: 7 = shfl down, 12 = ballot, 14 = match.all (cuport_cpu_site_kind).
; PSEUDO: call i64 @__cuport.sync(i32 7, i32 -1, i64 %{{.*}}, i64 %{{.*}}, i64 31)
; PSEUDO: call i64 @__cuport.sync(i32 12, i32 65535, i64 %{{.*}}, i64 0, i64 0)
; PSEUDO: call i64 @__cuport.sync(i32 14, i32 -1, i64 %{{.*}}, i64 0, i64 0)
; PSEUDO-NOT: llvm.nvvm

; Every site uses the thread's one sync record (a thread waits at one site at a time).
; The record's five fields are 8-byte slots, each an array over the threads, [[#STRIDE]] bytes apart.
; The ballot's and the match's mask, b and c are constants: flag 1 (CUPORT_SITE_CONST_OPERANDS), and the
; site holds them; the shuffle's lane operand differs by thread.
; CHECK: @__cuport_sites_k = private unnamed_addr constant [3 x { i32, i32, i32, i32, i32, i32, i32, i32 }] [{ i32, i32, i32, i32, i32, i32, i32, i32 } { i32 7, i32 [[#R0:]], i32 [[#STRIDE:]], i32 0, i32 0, i32 0, i32 0, i32 0 },
; CHECK-SAME: { i32, i32, i32, i32, i32, i32, i32, i32 } { i32 12, i32 [[#R0]], i32 [[#STRIDE]], i32 1, i32 65535, i32 0, i32 0, i32 0 }, { i32, i32, i32, i32, i32, i32, i32, i32 } { i32 14, i32 [[#R0]], i32 [[#STRIDE]], i32 1, i32 -1, i32 0, i32 0, i32 0 }]
; CHECK-LABEL: define internal i32 @k.wi(
; CHECK: %[[M:.*]] = mul nuw nsw i64 %tid.linear.64, 8
; CHECK-NEXT: %[[O:.*]] = add nuw nsw i64 %[[M]], [[#R0]]
; CHECK-NEXT: %sync.mask = getelementptr inbounds i8, ptr %frame, i64 %[[O]]
; CHECK: add nuw nsw i64 %{{.*}}, [[#R0+STRIDE]]
; CHECK-NEXT: %sync.a = getelementptr
; CHECK: add nuw nsw i64 %{{.*}}, [[#R0+STRIDE+STRIDE]]
; CHECK-NEXT: %sync.b = getelementptr
; CHECK: add nuw nsw i64 %{{.*}}, [[#R0+STRIDE+STRIDE+STRIDE]]
; CHECK-NEXT: %sync.c = getelementptr
; CHECK: add nuw nsw i64 %{{.*}}, [[#R0+STRIDE+STRIDE+STRIDE+STRIDE]]
; CHECK-NEXT: %sync.result = getelementptr
; CHECK: ret i32 1
; The ballot stores its predicate alone.
; CHECK-NOT: store
; CHECK: store i64 %{{.*}}, ptr %sync.a
; CHECK-NOT: store
; CHECK: ret i32 2
; CHECK: ret i32 3
; CHECK-LABEL: define dso_local void @__cuport_k_k(
; CHECK: call i64 @__cuport_cpu_schedule({{.*}}, ptr @__cuport_sites_k, i32 3, ptr %released.range)
; A shuffle every thread waits at is computed in place, by a loop over the threads (the kind is known
; here); ballots and matches go to the device runtime.
; CHECK: direct.1:
; CHECK-NEXT: getelementptr inbounds i8, ptr %frame, i64 [[#R0+STRIDE]]
; CHECK-NOT: __cuport_cpu_release_all
; CHECK: br label %shfl.head
; CHECK: direct.2:
; CHECK-NEXT: call void @__cuport_cpu_release_all(i32 %nthreads, ptr %frame, ptr getelementptr inbounds ([3 x { i32, i32, i32, i32, i32, i32, i32, i32 }], ptr @__cuport_sites_k, i32 0, i32 1))
; CHECK: direct.3:
; CHECK-NEXT: call void @__cuport_cpu_release_all(i32 %nthreads, ptr %frame, ptr getelementptr inbounds ([3 x { i32, i32, i32, i32, i32, i32, i32, i32 }], ptr @__cuport_sites_k, i32 0, i32 2))
; CHECK: mixed.state:
; CHECK-NEXT: %released = call i32 @__cuport_cpu_release_waiting(ptr %states, i32 %nthreads, ptr %frame, ptr @__cuport_sites_k, ptr %released.range)
; Shuffle down: lane j = l + b is valid when j <= max_lane; a source past the block's last thread gives
; the lane its own value; bit 32 of the result is the predicate.
; CHECK: shfl.body:
; CHECK: %[[J:[0-9]+]] = add i32 %{{[0-9]+}}, %{{[0-9]+}}
; CHECK-NEXT: %[[OK:[0-9]+]] = icmp sle i32 %[[J]], %{{[0-9]+}}
; CHECK-NEXT: %[[SRC:[0-9]+]] = add i32 %{{[0-9]+}}, %[[J]]
; CHECK-NEXT: %[[IN:[0-9]+]] = icmp ult i32 %[[SRC]], %nthreads
; CHECK-NEXT: %[[TAKE:[0-9]+]] = and i1 %[[OK]], %[[IN]]
; CHECK-NEXT: select i1 %[[TAKE]], i32 %[[SRC]], i32 %{{[0-9]+}}
; CHECK: zext i1 %[[OK]] to i64
; CHECK: store i64 %{{[0-9]+}}, ptr %{{[0-9]+}}, align 8, !llvm.access.group
; CHECK: br label %shfl.head, !llvm.loop
; Where only some threads were released, and they are all the threads from the first released to the
; last and the only ones that have not exited (released.range[2]: the live range), the region runs over
; them without looking at their states; when they all wait at one site again, the block function releases
; them itself: a shuffle computed in place over the range (a source outside it gives the lane its own
; value), other collectives by __cuport_cpu_release_range.
; (In @k every thread reaches every site, so it has no live-range loops; @survivors returns early.)
; GUARDED-LABEL: define dso_local void @__cuport_k_k(
; GUARDED-NOT: .live:
; GUARDED-LABEL: define dso_local void @__cuport_k_survivors(
; GUARDED: region.1.guarded:
; GUARDED-NEXT: %[[FP:[0-9]+]] = getelementptr inbounds i32, ptr %released.range, i32 2
; GUARDED-NEXT: %live.range = load i32, ptr %[[FP]]
; GUARDED-NEXT: %[[ISLIVE:[0-9]+]] = icmp ne i32 %live.range, 0
; GUARDED-NEXT: br i1 %[[ISLIVE]], label %region.1.live, label %region.1.released
; GUARDED: region.1.live:
; GUARDED: %[[LIVELO:live.lo[0-9]+]] = load i32
; GUARDED: %[[LIVEHI:live.hi[0-9]+]] = load i32
; GUARDED: udiv i32 %[[LIVELO]], %bx
; GUARDED: live.again.1:
; GUARDED: %live.lo = load i32
; GUARDED: %live.hi = load i32
; GUARDED: live.again.2:
; GUARDED-NEXT: call void @__cuport_cpu_release_range(ptr %frame, ptr getelementptr inbounds ([2 x { i32, i32, i32, i32, i32, i32, i32, i32 }], ptr @__cuport_sites_survivors, i32 0, i32 1), ptr %released.range)
; GUARDED-NEXT: br label %region.2.live
; GUARDED: shfl.body{{[0-9]+}}:
; GUARDED: icmp sle i32
; GUARDED-NEXT: %[[SRC:[0-9]+]] = add i32 %{{[0-9]+}}, %{{[0-9]+}}
; GUARDED-NEXT: %[[OFF:[0-9]+]] = sub i32 %[[SRC]], %live.lo
; GUARDED-NEXT: %[[SIZE:[0-9]+]] = sub i32 %live.hi, %live.lo
; GUARDED-NEXT: icmp ult i32 %[[OFF]], %[[SIZE]]
; After a region of every thread whose threads returned different states: when those that have not
; exited are exactly lo .. hi-1 and wait at one site, __cuport_cpu_live_range says so and the block
; function releases them itself (live.again), without __cuport_cpu_release_waiting or the scheduler.
; (@k's threads never exit: none of that.)
; LIVE-LABEL: define dso_local void @__cuport_k_k(
; LIVE-NOT: __cuport_cpu_live_range
; LIVE-LABEL: define dso_local void @__cuport_k_survivors(
; LIVE: mixed.state:
; LIVE-NEXT: %live.state = call i32 @__cuport_cpu_live_range(ptr %states, i32 %nthreads, ptr %released.range)
; LIVE-NEXT: switch i32 %live.state, label %mixed.waiting [
; LIVE-NEXT: i32 1, label %live.again.1
; LIVE-NEXT: i32 2, label %live.again.2
; LIVE: mixed.waiting:
; LIVE-NEXT: %released = call i32 @__cuport_cpu_release_waiting(
; Otherwise the region runs over the rows from the first released thread to the last, as the scheduler
; reports them, each thread checking its state (1 | CUPORT_CPU_STATE_RELEASED).
; GUARDED: region.1.released:
; GUARDED: %[[LOP:[0-9]+]] = getelementptr inbounds i32, ptr %released.range, i32 0
; GUARDED-NEXT: %released.lo = load i32, ptr %[[LOP]]
; GUARDED-NEXT: %[[HIP:[0-9]+]] = getelementptr inbounds i32, ptr %released.range, i32 1
; GUARDED-NEXT: %released.hi = load i32, ptr %[[HIP]]
; GUARDED: udiv i32 %released.lo, %bx
; GUARDED: rows.body{{[0-9]+}}:
; GUARDED: call i32 @llvm.umax.i32(i32 %released.lo,
; GUARDED: call i32 @llvm.umin.i32(i32 %released.hi,
; GUARDED: icmp eq i32 %{{[0-9]+}}, -2147483647
define void @k(ptr %out, float %f) {
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %lane = and i32 %t, 3
  %s = call i32 @llvm.nvvm.shfl.sync.down.i32(i32 -1, i32 %t, i32 %lane, i32 31)
  %p = icmp ugt i32 %s, 3
  %b = call i32 @llvm.nvvm.vote.ballot.sync(i32 65535, i1 %p)
  %m = call { i32, i1 } @llvm.nvvm.match.all.sync.i32p(i32 -1, i32 %b)
  %mv = extractvalue { i32, i1 } %m, 0
  %mp = extractvalue { i32, i1 } %m, 1
  %z = zext i1 %mp to i32
  %r = add i32 %mv, %z
  store i32 %r, ptr %out
  ret void
}

define void @survivors(ptr %out, i32 %lo) {
entry:
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %gone = icmp uge i32 %t, %lo
  br i1 %gone, label %exit, label %body
body:
  %lane = and i32 %t, 3
  %s = call i32 @llvm.nvvm.shfl.sync.down.i32(i32 -1, i32 %t, i32 %lane, i32 31)
  %p = icmp ugt i32 %s, 3
  %b = call i32 @llvm.nvvm.vote.ballot.sync(i32 65535, i1 %p)
  %idx = zext i32 %t to i64
  %q = getelementptr inbounds i32, ptr %out, i64 %idx
  store i32 %b, ptr %q
  br label %exit
exit:
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.shfl.sync.down.i32(i32, i32, i32, i32)
declare i32 @llvm.nvvm.vote.ballot.sync(i32, i1)
declare { i32, i1 } @llvm.nvvm.match.all.sync.i32p(i32, i32)

!nvvm.annotations = !{!0, !1}
!0 = !{ptr @k, !"kernel", i32 1}
!1 = !{ptr @survivors, !"kernel", i32 1}

; Stream loops (StreamLoops.h): a grid-stride loop gets a yield site at the top of its header, and its
; induction variable becomes start + k * step with k a new iteration counter, kept in a uniform slot.  A loop
; whose induction variable starts at a multiple of threadIdx.x (a thread's own chunk) stays as it is.
; Each load of a[i] in a stream loop also prefetches a[i + step], the thread's next element: through
; __cuport_prefetch (vector variants; in the access group) where the loops over threads may vectorize,
; llvm.prefetch where they stay in order (an atomic); after the optimizer only llvm.prefetch is left, of
; the first lane of a vectorized loop and the line after it; in an in-order loop, one prefetch per line
; before the loop.
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s
; RUN: %cuport-opt -passes=cpu --cpu-target=haswell %s | %FileCheck %s --check-prefix=LOWERED
; At -O1 nothing changes.
; RUN: %cuport-opt -O1 -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s --check-prefix=O1

target triple = "nvptx64-nvidia-cuda"

; The site table: kind 15 (CUPORT_SITE_YIELD).
; CHECK: @__cuport_sites_gridstride = private unnamed_addr constant [1 x { i32, i32, i32, i32, i32, i32, i32, i32 }] [{ i32, i32, i32, i32, i32, i32, i32, i32 } { i32 15,
; O1-NOT: i32 15,

; CHECK-LABEL: define internal i32 @gridstride.wi(
; CHECK: %stream.k = phi i64
; CHECK: %[[OUT:.*]] = getelementptr inbounds i8, ptr %uniform.out, i64 0
; CHECK: store i64 %stream.k, ptr %[[OUT]]
; CHECK: ret i32 1
; CHECK: %[[IN:.*]] = getelementptr inbounds i8, ptr %uniform.in, i64 0
; CHECK: %stream.k.uniform = load i64, ptr %[[IN]]
; CHECK: %[[K:.*]] = trunc i64 %stream.k.uniform to i32
; CHECK: %[[KS:.*]] = mul i32 %[[K]], %stride.remat
; CHECK: %i.stream = add i32 %first.remat, %[[KS]]
; The element a step on: the load's own address plus step * 4 bytes.
; CHECK: %[[P:.*]] = getelementptr float, ptr %a, i64 %idx
; CHECK-NEXT: %[[S:.*]] = sext i32 %stride.remat to i64
; CHECK-NEXT: %i.stream.step.bytes = mul i64 %[[S]], 4
; CHECK-NEXT: %i.stream.next = getelementptr i8, ptr %[[P]], i64 %i.stream.step.bytes
; CHECK-NEXT: call void @__cuport_prefetch(ptr %i.stream.next), !llvm.access.group
; CHECK-NEXT: load float, ptr %[[P]]
; CHECK: %next = add i32 %i.stream, %stride.remat
; LOWERED-LABEL: define dso_local void @__cuport_k_gridstride(
; LOWERED: %[[L0:.*]] = extractelement <8 x ptr> %{{.*}}, i64 0
; LOWERED-NEXT: %[[L1:.*]] = getelementptr i8, ptr %[[L0]], i64 64
; LOWERED-NEXT: call void @llvm.prefetch.p0(ptr %[[L0]], i32 0, i32 2, i32 1)
; LOWERED-NEXT: call void @llvm.prefetch.p0(ptr %[[L1]], i32 0, i32 2, i32 1)
; LOWERED: fmul <8 x float>
; LOWERED-NOT: __cuport_prefetch
define void @gridstride(ptr %a, i32 %n) {
entry:
  %bid = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %bdim = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %gdim = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %base = mul i32 %bid, %bdim
  %first = add i32 %base, %tid
  %any = icmp slt i32 %first, %n
  br i1 %any, label %loop, label %exit
loop:
  %i = phi i32 [ %first, %entry ], [ %next, %loop ]
  %idx = sext i32 %i to i64
  %p = getelementptr float, ptr %a, i64 %idx
  %v = load float, ptr %p
  %w = fmul float %v, 2.0
  store float %w, ptr %p
  %stride = mul i32 %gdim, %bdim
  %next = add i32 %i, %stride
  %more = icmp slt i32 %next, %n
  br i1 %more, label %loop, label %exit
exit:
  ret void
}

; In the block function, the uniform row's in-order loop (the atomic) prefetches nothing: a loop before it
; prefetches each line of the row's next elements once, at most 16 (LinePrefetches.h).
; LOWERED-LABEL: define dso_local void @__cuport_k_counted(
; LOWERED: %line.last = call i64 @llvm.umin.i64(i64 %{{.*}}, i64 15)
; LOWERED: line.prefetch:
; LOWERED-NEXT: %line = phi i64
; LOWERED: call void @llvm.prefetch.p0(ptr %line.address, i32 0, i32 2, i32 1)
; LOWERED: br i1 %{{.*}}, label %[[ROW:.*]], label %line.prefetch, !llvm.loop
; LOWERED: [[ROW]]:
; LOWERED: x.uniform.body{{.*}}:
; LOWERED-NOT: llvm.prefetch
; LOWERED: load i8
; LOWERED-NOT: llvm.prefetch
; LOWERED: atomicrmw add
; CHECK-LABEL: define internal i32 @counted.wi(
; CHECK: %i.stream.next = getelementptr i8, ptr %{{.*}}, i64 %i.stream.step.bytes
; CHECK-NEXT: call void @llvm.prefetch.p0(ptr %i.stream.next, i32 0, i32 2, i32 1)
; CHECK-NOT: __cuport_prefetch(
; CHECK: ret i32 -1
define void @counted(ptr %a, ptr %count, i32 %n) {
entry:
  %bid = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %bdim = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %gdim = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %base = mul i32 %bid, %bdim
  %first = add i32 %base, %tid
  %any = icmp slt i32 %first, %n
  br i1 %any, label %loop, label %exit
loop:
  %i = phi i32 [ %first, %entry ], [ %next, %loop ]
  %idx = sext i32 %i to i64
  %p = getelementptr i8, ptr %a, i64 %idx
  %v = load i8, ptr %p
  %w = zext i8 %v to i32
  %old = atomicrmw add ptr %count, i32 %w monotonic
  %stride = mul i32 %gdim, %bdim
  %next = add i32 %i, %stride
  %more = icmp slt i32 %next, %n
  br i1 %more, label %loop, label %exit
exit:
  ret void
}

; CHECK-LABEL: define internal i32 @chunked.wi(
; CHECK-NOT: stream.k
; CHECK: ret i32 -1
define void @chunked(ptr %a) {
entry:
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %first = mul i32 %tid, 64
  %end = add i32 %first, 64
  br label %loop
loop:
  %i = phi i32 [ %first, %entry ], [ %next, %loop ]
  %idx = sext i32 %i to i64
  %p = getelementptr float, ptr %a, i64 %idx
  store float 1.0, ptr %p
  %next = add i32 %i, 1
  %more = icmp slt i32 %next, %end
  br i1 %more, label %loop, label %exit
exit:
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()

!nvvm.annotations = !{!0, !1, !2}
!0 = !{ptr @gridstride, !"kernel", i32 1}
!1 = !{ptr @chunked, !"kernel", i32 1}
!2 = !{ptr @counted, !"kernel", i32 1}

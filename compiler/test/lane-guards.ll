; Lane guards (UniformGuards.h): `(threadIdx.x & 31) == 0` is true on every 32nd thread, so no row, stretch or
; chunk is uniform for it.  A region whose only guard is a lane guard runs a loop over the threads on the
; lane, x = (i << 5) | 0, calling a copy of the thread function that takes the guard's value (true), and a
; loop over the others (false), which skips the lane.  The region that also reaches `threadIdx.x < d` runs
; as before (stretches), with no lane loops.
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s

target triple = "nvptx64-nvidia-cuda"

@sums = internal addrspace(3) global [32 x float] undef, align 4

; CHECK-LABEL: define dso_local void @__cuport_k_warpsums(
; CHECK: x.lane.body:
; CHECK: %[[S:.*]] = shl nuw nsw i32 %x.lane, 5
; CHECK-NEXT: %[[X:.*]] = or i32 %[[S]], 0
; CHECK: call i32 @warpsums.wi.lanes(ptr %arg0, ptr %arg1, ptr %ctx, i32 %[[X]], {{.*}}, i32 1, {{.*}}, i1 true, i1 false)
; CHECK: x.off.lane.body:
; CHECK: %[[M:.*]] = and i32 %x.off.lane, 31
; CHECK-NEXT: %[[NE:.*]] = icmp ne i32 %[[M]], 0
; CHECK-NEXT: br i1 %[[NE]], label %off.lane, label %off.lane.next
; CHECK: off.lane:
; CHECK: call i32 @warpsums.wi.lanes(ptr %arg0, ptr %arg1, ptr %ctx, i32 %x.off.lane, {{.*}}, i32 1, {{.*}}, i1 false, i1 false)
; CHECK-NOT: x.lane.body{{[0-9]+}}:
; CHECK-LABEL: define internal i32 @warpsums.wi.lanes(
; CHECK-SAME: i1 %lane.guard.0, i1 %lane.guard.1)

define void @warpsums(ptr %in, ptr %out) {
entry:
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %idx = zext i32 %tid to i64
  %p = getelementptr inbounds float, ptr %in, i64 %idx
  %v = load float, ptr %p
  call void @llvm.nvvm.barrier0()
  %lane = and i32 %tid, 31
  %first = icmp eq i32 %lane, 0
  br i1 %first, label %store, label %next
store:
  %warp = lshr i32 %tid, 5
  %w = getelementptr inbounds [32 x float], ptr addrspace(3) @sums, i32 0, i32 %warp
  store float %v, ptr addrspace(3) %w
  br label %next
next:
  call void @llvm.nvvm.barrier0()
  %few = icmp ult i32 %tid, 8
  br i1 %few, label %sum, label %done
sum:
  %lane2 = and i32 %tid, 31
  %first2 = icmp eq i32 %lane2, 0
  br i1 %first2, label %write, label %done
write:
  %s = getelementptr inbounds [32 x float], ptr addrspace(3) @sums, i32 0, i32 %tid
  %x = load float, ptr addrspace(3) %s
  store float %x, ptr %out
  br label %done
done:
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare void @llvm.nvvm.barrier0()

!nvvm.annotations = !{!0}
!0 = !{ptr @warpsums, !"kernel", i32 1}

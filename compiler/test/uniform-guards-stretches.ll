; Split guards (UniformGuards.h): comparisons of threadIdx.x plus or minus a row-uniform value.  In a loop
; with a barrier that halves d, as in a scan or a tree reduction, `threadIdx.x < d` compares with a phi:
; blockDim.x / 2 in the region that enters the loop, the value read from uniform.in in the region that
; resumes it; each region reaches the phi from one side only, so it is row-uniform there.  A region that
; reaches split guards runs its row as the stretches between their split points (here d, and 0 and 1 for
; `threadIdx.x == 0` after the loop), one loop over the stretches, each checked like a row: the copy that
; takes the guards' values where they are uniform, the thread function elsewhere.
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s
; The whole pipeline: the stretch with the guard true runs an unmasked vector loop.
; RUN: %cuport-opt -passes=cpu --cpu-target=haswell %s | %FileCheck %s --check-prefix=CPU

target triple = "nvptx64-nvidia-cuda"

; CHECK-LABEL: define dso_local void @__cuport_k_halves(
; Region 0 enters the loop: d = blockDim.x / 2, from the block context (a load of ctx + 12) for the
; split point.
; CHECK: %[[BD:.*]] = load i32, ptr %{{.*}}, align 4, !invariant.load
; CHECK: lshr i32 %[[BD]], 1
; CHECK: call i64 @llvm.smax.i64(
; CHECK: call i64 @llvm.smin.i64(
; CHECK: stretch.body:
; CHECK: %stretch.x0 = load i32
; CHECK: %row.uniform{{[0-9]*}} = freeze i1
; Every thread leaves the region for the same state (the loop's barrier or exit), so the stretches only
; keep the last thread's state and leave the state array alone (the next region writes it).
; CHECK: call i32 @halves.wi.rowuniform(ptr %arg0, {{.*}}, i32 0, {{.*}}, i1 %{{.*}}, i1 false)
; CHECK-NEXT: store i32 %{{.*}}, ptr %state.last, align 4
; CHECK: call i32 @halves.wi(ptr %arg0, {{.*}}, i32 0,
; Region 1 resumes it: d from uniform.in; it also reaches threadIdx.x == 0 after the loop.
; CHECK: stretch.body{{[0-9]+}}:
; CHECK: getelementptr i8, ptr %uniform.in, i64
; CHECK: call i32 @halves.wi.rowuniform(ptr %arg0, {{.*}}, i32 1, {{.*}}, i1 %{{.*}}, i1 %{{.*}})
; CHECK-NEXT: store i32 %{{.*}}, ptr %state.last{{[0-9]*}}, align 4
; CHECK: call i32 @halves.wi(ptr %arg0, {{.*}}, i32 1,
; CHECK-NOT: chunk.body:
; CHECK-LABEL: define internal i32 @halves.wi.rowuniform(

; (Before split guards every step stored its sums with masked stores only; the thread-by-thread fallback
; still does.)
; CPU-LABEL: define dso_local void @__cuport_k_halves(
; CPU: fadd <8 x float>
; CPU: store <8 x float>
; CPU-LABEL: {{^}}}

define void @halves(ptr %a, ptr %out) {
entry:
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %bdim = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %idx = zext i32 %tid to i64
  %p = getelementptr inbounds float, ptr %a, i64 %idx
  br label %loop
loop:
  %dd = phi i32 [ %bdim, %entry ], [ %d, %next ]
  %d = lshr i32 %dd, 1
  %lt = icmp ult i32 %tid, %d
  br i1 %lt, label %work, label %next
work:
  %j = add i32 %tid, %d
  %jdx = zext i32 %j to i64
  %q = getelementptr inbounds float, ptr %a, i64 %jdx
  %v = load float, ptr %p
  %w = load float, ptr %q
  %s = fadd float %v, %w
  store float %s, ptr %p
  br label %next
next:
  call void @llvm.nvvm.barrier0()
  %more = icmp ugt i32 %d, 1
  br i1 %more, label %loop, label %exit
exit:
  %first = icmp eq i32 %tid, 0
  br i1 %first, label %write, label %done
write:
  %r = load float, ptr %a
  store float %r, ptr %out
  br label %done
done:
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare void @llvm.nvvm.barrier0()

!nvvm.annotations = !{!0}
!0 = !{ptr @halves, !"kernel", i32 1}

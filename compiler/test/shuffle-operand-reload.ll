; A value whose bits are a shuffle's operand (`v += __shfl_down_sync(m, v, d)` keeps v) is read back from
; the thread's record (its A field, which the shuffle only reads) when the thread resumes, instead of going
; through a frame slot too.  Not where a collective with elements of the other size follows (a ballot's
; 8-byte A element is two threads' 4-byte ones): there the value keeps its slot.
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s

target triple = "nvptx64-nvidia-cuda"

; CHECK-LABEL: define internal i32 @sums.wi(
; v1, the second shuffle's operand, from the record after it, with no slot.
; CHECK: ret i32 1
; CHECK: store i32 %{{.*}}, ptr %sync.a.narrow, align 4
; CHECK-NOT: store
; CHECK: ret i32 2
; CHECK: resume.2:
; CHECK-NEXT: %v1.operand = load i32, ptr %sync.a.narrow, align 4
; CHECK: %v2 = add i32 %v1.operand,
; CHECK-LABEL: define dso_local void @__cuport_k_sums(
define void @sums(ptr %out) {
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %s1 = call i32 @llvm.nvvm.shfl.sync.down.i32(i32 -1, i32 %t, i32 16, i32 31)
  %v1 = add i32 %t, %s1
  %s2 = call i32 @llvm.nvvm.shfl.sync.down.i32(i32 -1, i32 %v1, i32 8, i32 31)
  %v2 = add i32 %v1, %s2
  %p = getelementptr i32, ptr %out, i32 %t
  store i32 %v2, ptr %p
  ret void
}

; The same with a ballot after the shuffles: v1 keeps its slot.
; CHECK-LABEL: define internal i32 @ballot.wi(
; CHECK: store i32 %v1, ptr %v1.slot, align 4
; CHECK-NEXT: ret i32 2
; CHECK: resume.2:
; CHECK-NEXT: %v1.reload = load i32, ptr %v1.slot, align 4
; CHECK-LABEL: define dso_local void @__cuport_k_ballot(
define void @ballot(ptr %out) {
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %s1 = call i32 @llvm.nvvm.shfl.sync.down.i32(i32 -1, i32 %t, i32 16, i32 31)
  %v1 = add i32 %t, %s1
  %s2 = call i32 @llvm.nvvm.shfl.sync.down.i32(i32 -1, i32 %v1, i32 8, i32 31)
  %v2 = add i32 %v1, %s2
  %odd = trunc i32 %v2 to i1
  %b = call i32 @llvm.nvvm.vote.ballot.sync(i32 -1, i1 %odd)
  %v3 = add i32 %v2, %b
  %p = getelementptr i32, ptr %out, i32 %t
  store i32 %v3, ptr %p
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.shfl.sync.down.i32(i32, i32, i32, i32)
declare i32 @llvm.nvvm.vote.ballot.sync(i32, i1)

!nvvm.annotations = !{!0, !1}
!0 = !{ptr @sums, !"kernel", i32 1}
!1 = !{ptr @ballot, !"kernel", i32 1}

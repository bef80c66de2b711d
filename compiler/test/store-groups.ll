; Complete store groups (StoreGroups.h): a thread that reads both words of its pair in shared memory and
; writes the second (a Blelloch scan's first up-sweep step, t[2 * tid + 1] += t[2 * tid]) also writes the
; first back, so the vectorizer stores the pairs with shuffles and full vector stores instead of scattering
; the sums.  Not for global memory, and not for a group of four with one word written back (two scattered
; stores instead of one).
; RUN: %cuport-opt -passes=cpu --cpu-target=skylake-avx512 %s | %FileCheck %s

target triple = "nvptx64-nvidia-cuda"

@t = internal addrspace(3) global [512 x i32] undef, align 4

; CHECK-LABEL: define dso_local void @__cuport_k_pairs(
; CHECK-NOT: @llvm.masked.scatter
; CHECK: shufflevector <16 x i32> %{{.*}}, <16 x i32> %{{.*}}, <32 x i32>
; CHECK: store <32 x i32>
; CHECK-NOT: @llvm.masked.scatter
; CHECK-LABEL: define dso_local void @__cuport_k_quads(
; CHECK: @llvm.masked.scatter
; CHECK-LABEL: define dso_local void @__cuport_k_global_pairs(
; CHECK: @llvm.masked.scatter
define void @pairs(ptr %out) {
entry:
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %i2 = shl nsw i32 %tid, 1
  %i2p1 = or i32 %i2, 1
  %e0 = sext i32 %i2 to i64
  %e1 = sext i32 %i2p1 to i64
  %p0 = getelementptr inbounds [512 x i32], ptr addrspace(3) @t, i64 0, i64 %e0
  %p1 = getelementptr inbounds [512 x i32], ptr addrspace(3) @t, i64 0, i64 %e1
  %a = load i32, ptr addrspace(3) %p0, align 4
  %b = load i32, ptr addrspace(3) %p1, align 4
  %s = add nsw i32 %a, %b
  store i32 %s, ptr addrspace(3) %p1, align 4
  ret void
}

; Members 1 and 3 of four: writing back member 1 would leave two gaps.
define void @quads(ptr %out) {
entry:
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %i4 = shl nsw i32 %tid, 2
  %i1 = or i32 %i4, 1
  %i3 = or i32 %i4, 3
  %e1 = sext i32 %i1 to i64
  %e3 = sext i32 %i3 to i64
  %p1 = getelementptr inbounds [512 x i32], ptr addrspace(3) @t, i64 0, i64 %e1
  %p3 = getelementptr inbounds [512 x i32], ptr addrspace(3) @t, i64 0, i64 %e3
  %a = load i32, ptr addrspace(3) %p1, align 4
  %b = load i32, ptr addrspace(3) %p3, align 4
  %s = add nsw i32 %a, %b
  store i32 %s, ptr addrspace(3) %p3, align 4
  ret void
}

; Global memory: another kernel may write the other word of a pair meanwhile.
define void @global_pairs(ptr %g) {
entry:
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %i2 = shl nsw i32 %tid, 1
  %i2p1 = or i32 %i2, 1
  %e0 = sext i32 %i2 to i64
  %e1 = sext i32 %i2p1 to i64
  %p0 = getelementptr inbounds i32, ptr %g, i64 %e0
  %p1 = getelementptr inbounds i32, ptr %g, i64 %e1
  %a = load i32, ptr %p0, align 4
  %b = load i32, ptr %p1, align 4
  %s = add nsw i32 %a, %b
  store i32 %s, ptr %p1, align 4
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()

!nvvm.annotations = !{!0, !1, !2}
!0 = !{ptr @pairs, !"kernel", i32 1}
!1 = !{ptr @quads, !"kernel", i32 1}
!2 = !{ptr @global_pairs, !"kernel", i32 1}

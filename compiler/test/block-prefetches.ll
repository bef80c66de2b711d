; Next-block prefetches (BlockPrefetches.h): in a kernel with a barrier, each global load or store whose
; address depends on blockIdx.x also prefetches the address it has in block blockIdx.x + 1, the worker's
; next block: __cuport_prefetch before a load, __cuport_prefetchw before a store, in the access group so
; the region loops still vectorize; after the optimizer, llvm.prefetch (rw 0 or 1) of a vector's first
; lane and the line after it.  Not for an address that moves by less than 128 bytes from block to block (a tile
; column: blockIdx.x * 16 floats), not for one that depends on a loaded value, not twice for one cache
; line (the fields of a float4), and not in a kernel without barriers.
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s
; RUN: %cuport-opt -passes=cpu --cpu-target=haswell %s | %FileCheck %s --check-prefix=LOWERED
; At -O1 (no guard versioning) nothing is added.
; RUN: %cuport-opt -O1 -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s --check-prefix=O1

target triple = "nvptx64-nvidia-cuda"

@tile = internal addrspace(3) global [256 x float] undef, align 4

; CHECK-LABEL: define internal i32 @segments.wi(
; The load of in[blockIdx.x * 256 + tid]: its address at blockIdx.x + 1, 1024 bytes on.
; CHECK: %p = getelementptr inbounds float, ptr %in, i64 %ix
; CHECK-NEXT: %next.block = getelementptr i8, ptr %p, i64 1024
; CHECK-NEXT: call void @__cuport_prefetch(ptr %next.block), !llvm.access.group
; CHECK-NEXT: %v = load float, ptr %p
; The column load in[blockIdx.x * 16 + tid] (64 bytes on) has none.
; CHECK-NOT: @__cuport_prefetch
; CHECK: %w = load float, ptr %q
; The index idx[blockIdx.x * 256 + tid] has one; the load through it, in[idx[...]], none.
; CHECK: %[[K:.*]] = getelementptr i8, ptr %k, i64 1024
; CHECK-NEXT: call void @__cuport_prefetch(ptr %[[K]])
; CHECK-NEXT: %kv = load i32, ptr %k
; CHECK-NOT: @__cuport_prefetch
; CHECK: %u = load float, ptr %r
; After the barrier, the store of out[blockIdx.x * 256 + tid]: a prefetch for writing.
; CHECK: resume.1:
; CHECK-NOT: @__cuport_prefetch(
; CHECK: %[[O:.*]] = getelementptr i8, ptr %o, i64 1024
; CHECK-NEXT: call void @__cuport_prefetchw(ptr %[[O]]), !llvm.access.group
; CHECK-NEXT: store float %y, ptr %o
; CHECK-LABEL: define dso_local void @__cuport_k_segments(

; LOWERED-LABEL: define dso_local void @__cuport_k_segments(
; LOWERED-NOT: __cuport_prefetch
; LOWERED: call void @llvm.prefetch.p0(ptr %{{.*}}, i32 0, i32 2, i32 1)
; LOWERED: load <8 x float>
; LOWERED: call void @llvm.prefetch.p0(ptr %{{.*}}, i32 1, i32 2, i32 1)
; LOWERED: store <8 x float>
; LOWERED-NOT: __cuport_prefetch
; LOWERED-LABEL: {{^}}}

; One prefetch for the four fields of p[blockIdx.x * 256 + tid], a float4.  (Where the distance is not a
; constant, as with blockIdx.x * blockDim.x, the address is computed again at blockIdx.x + 1: kernel
; `strided`, below.)
; CHECK-LABEL: define internal i32 @fields.wi(
; CHECK: call void @__cuport_prefetch(
; CHECK-NOT: call void @__cuport_prefetch(
; CHECK-LABEL: define dso_local void @__cuport_k_fields(

; CHECK-LABEL: define internal i32 @strided.wi(
; CHECK: %bid.x.next = add i32 %bid.x, 1
; CHECK-NEXT: %base.next = mul i32 %bid.x.next, %{{.*}}
; CHECK-NEXT: %i.next = add i32 %base.next, %tid.x
; CHECK-NEXT: %ix.next = sext i32 %i.next to i64
; CHECK-NEXT: %p.next = getelementptr float, ptr %in, i64 %ix.next
; CHECK-NEXT: call void @__cuport_prefetch(ptr %p.next), !llvm.access.group
; CHECK-NEXT: %v = load float, ptr %p
; CHECK-LABEL: define dso_local void @__cuport_k_strided(

; CHECK-LABEL: define internal i32 @nobarrier.wi(
; CHECK-NOT: __cuport_prefetch
; CHECK-LABEL: define dso_local void @__cuport_k_nobarrier(

; O1-NOT: __cuport_prefetch

define void @segments(ptr %in, ptr %idx, ptr %out) {
entry:
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %bid = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %base = shl i32 %bid, 8
  %i = add nsw i32 %base, %tid
  %ix = sext i32 %i to i64
  %p = getelementptr inbounds float, ptr %in, i64 %ix
  %v = load float, ptr %p
  %col = shl i32 %bid, 4
  %j = add nsw i32 %col, %tid
  %jx = sext i32 %j to i64
  %q = getelementptr inbounds float, ptr %in, i64 %jx
  %w = load float, ptr %q
  %k = getelementptr inbounds i32, ptr %idx, i64 %ix
  %kv = load i32, ptr %k
  %kx = sext i32 %kv to i64
  %r = getelementptr inbounds float, ptr %in, i64 %kx
  %u = load float, ptr %r
  %s = fadd float %v, %w
  %s2 = fadd float %s, %u
  %t = getelementptr inbounds [256 x float], ptr addrspace(3) @tile, i32 0, i32 %tid
  store float %s2, ptr addrspace(3) %t
  call void @llvm.nvvm.barrier0()
  %rt = sub i32 255, %tid
  %t2 = getelementptr inbounds [256 x float], ptr addrspace(3) @tile, i32 0, i32 %rt
  %y = load float, ptr addrspace(3) %t2
  %o = getelementptr inbounds float, ptr %out, i64 %ix
  store float %y, ptr %o
  ret void
}

define void @fields(ptr %p, ptr %out) {
entry:
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %bid = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %base = shl i32 %bid, 8
  %i = add nsw i32 %base, %tid
  %ix = sext i32 %i to i64
  %x = getelementptr inbounds <4 x float>, ptr %p, i64 %ix
  %y = getelementptr inbounds i8, ptr %x, i64 4
  %z = getelementptr inbounds i8, ptr %x, i64 8
  %w = getelementptr inbounds i8, ptr %x, i64 12
  %vx = load float, ptr %x, align 16
  %vy = load float, ptr %y, align 4
  %vz = load float, ptr %z, align 8
  %vw = load float, ptr %w, align 4
  %s1 = fadd float %vx, %vy
  %s2 = fadd float %vz, %vw
  %s = fadd float %s1, %s2
  call void @llvm.nvvm.barrier0()
  %o = getelementptr inbounds float, ptr %out, i64 %ix
  store float %s, ptr %o
  ret void
}

define void @strided(ptr %in, ptr %out) {
entry:
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %bid = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %bdim = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %base = mul i32 %bid, %bdim
  %i = add nsw i32 %base, %tid
  %ix = sext i32 %i to i64
  %p = getelementptr inbounds float, ptr %in, i64 %ix
  %v = load float, ptr %p
  call void @llvm.nvvm.barrier0()
  %o = getelementptr inbounds float, ptr %out, i64 %ix
  store float %v, ptr %o
  ret void
}

define void @nobarrier(ptr %in, ptr %out) {
entry:
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %bid = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %base = shl i32 %bid, 8
  %i = add nsw i32 %base, %tid
  %ix = sext i32 %i to i64
  %p = getelementptr inbounds float, ptr %in, i64 %ix
  %v = load float, ptr %p
  %o = getelementptr inbounds float, ptr %out, i64 %ix
  store float %v, ptr %o
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare void @llvm.nvvm.barrier0()

!nvvm.annotations = !{!0, !1, !2, !3}
!0 = !{ptr @segments, !"kernel", i32 1}
!1 = !{ptr @nobarrier, !"kernel", i32 1}
!2 = !{ptr @fields, !"kernel", i32 1}
!3 = !{ptr @strided, !"kernel", i32 1}

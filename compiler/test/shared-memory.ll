; Static __shared__ variables get per-kernel offsets in the block's shared memory (each kernel lays out
; only what it uses); extern __shared__ arrays point at the dynamic part.
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory %s | %FileCheck %s

target triple = "nvptx64-nvidia-cuda"

@a = internal addrspace(3) global [10 x i32] undef, align 4
@b = internal addrspace(3) global [4 x double] undef, align 8
@dyn = external addrspace(3) global [0 x float], align 4

; @a at 0 (40 bytes), @b at 40 (aligned to 8): static size rounded up to 16 -> 80.
; CHECK-LABEL: define void @two(
; CHECK: %[[BASE:.*]] = load ptr, ptr %{{.*}}, align 8, !invariant.load
; CHECK: getelementptr inbounds i8, ptr %[[BASE]], i64 40
; CHECK-LABEL: define void @one(
; CHECK: getelementptr inbounds i8, ptr %{{.*}}, i64 48
; CHECK-NOT: @a
; CHECK-NOT: @b
; CHECK: attributes #{{[0-9]+}} = { "cuport-kernel" "cuport-static-shared"="80"
; CHECK: attributes #{{[0-9]+}} = { "cuport-kernel" "cuport-static-shared"="0"
define void @two(ptr %out) #0 {
  %pa = getelementptr [10 x i32], ptr addrspace(3) @a, i32 0, i32 3
  store i32 1, ptr addrspace(3) %pa
  %pb = getelementptr [4 x double], ptr addrspace(3) @b, i32 0, i32 1
  store double 1.0, ptr addrspace(3) %pb
  ret void
}

define void @one(ptr %out) #1 {
  %v = load float, ptr addrspacecast (ptr addrspace(3) @dyn to ptr)
  store float %v, ptr %out
  ret void
}

attributes #0 = { "target-cpu"="sm_70" }
attributes #1 = { "target-cpu"="sm_70" }

!nvvm.annotations = !{!0, !1}
!0 = !{ptr @two, !"kernel", i32 1}
!1 = !{ptr @one, !"kernel", i32 1}

; Atomics on __shared__ memory become plain loads and stores on the CPU (a block's threads run one after
; the other on one OS thread); atomics on other memory stay atomic.  The atomic function is inlined first
; when it receives a shared pointer (through Clang's allocas).
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-atomics %s | %FileCheck %s

target triple = "nvptx64-nvidia-cuda"

@hist = internal addrspace(3) global [256 x i32] undef, align 4

; CHECK-LABEL: define void @count(
; CHECK: %[[OLD:.*]] = load i32, ptr %{{.*}}, align 4
; CHECK: %[[NEW:.*]] = add i32 %[[OLD]], 1
; CHECK: store i32 %[[NEW]], ptr %{{.*}}, align 4
; CHECK-NOT: atomicrmw
; CHECK: call i32 @atomic_add(ptr %global, i32 1)
; CHECK: ret void
; CHECK-LABEL: define internal i32 @atomic_add(
; CHECK: atomicrmw add ptr %{{.*}}, i32 %v monotonic
define void @count(ptr %global, i32 %bin) {
  %slot = alloca ptr
  %p = getelementptr [256 x i32], ptr addrspace(3) @hist, i32 0, i32 %bin
  %g = addrspacecast ptr addrspace(3) %p to ptr
  store ptr %g, ptr %slot
  %q = load ptr, ptr %slot
  %old = call i32 @atomic_add(ptr %q, i32 1)
  %old2 = call i32 @atomic_add(ptr %global, i32 1)
  ret void
}

define internal i32 @atomic_add(ptr %p, i32 %v) {
  %a = alloca ptr
  store ptr %p, ptr %a
  %l = load ptr, ptr %a
  %r = atomicrmw add ptr %l, i32 %v monotonic
  ret i32 %r
}

!nvvm.annotations = !{!0}
!0 = !{ptr @count, !"kernel", i32 1}

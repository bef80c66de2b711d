; Indirect calls pass the caller's thread context; address-taken functions get a ".ctx" variant that
; receives it as four trailing parameters, and their address uses (vtables, pointer tables) point to it.
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions %s | %FileCheck %s

target triple = "nvptx64-nvidia-cuda"

@table = addrspace(1) externally_initialized global [1 x ptr] [ptr @tid_plus]

; CHECK: @table = dso_local addrspace(1) externally_initialized global [1 x ptr] [ptr @tid_plus.ctx]
; CHECK-LABEL: define void @k(
; CHECK: %[[CTX:.*]] = call ptr @__cuport.ctx()
; CHECK: %[[TX:.*]] = call i32 @__cuport.tid.x()
; CHECK: call i32 %{{.*}}(i32 5, ptr %[[CTX]], i32 %[[TX]], i32 %{{.*}}, i32 %{{.*}})
; CHECK-LABEL: define internal i32 @tid_plus.ctx(i32 %0, ptr %1, i32 %2, i32 %3, i32 %4)
; CHECK: add i32 %0, %2
; CHECK-NOT: __cuport.tid
define void @k(ptr %out) {
  %f = load ptr, ptr addrspacecast (ptr addrspace(1) @table to ptr)
  %r = call i32 %f(i32 5)
  store i32 %r, ptr %out
  ret void
}

define i32 @tid_plus(i32 %x) {
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %r = add i32 %x, %t
  ret i32 %r
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()

!nvvm.annotations = !{!0}
!0 = !{ptr @k, !"kernel", i32 1}

; Shuffles whose mask, lane and c operands are constants: the threads store only the value, the site table
; holds the operands (flag 1), and when every thread waits at the site the block function reads the values
; of full warps at consecutive addresses: lane l of a shuffle down by 16 reads thread t + 16 when l <= 15,
; else its own.  An xor with a lane mask that is not a power of two takes the general loop alone.
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s

target triple = "nvptx64-nvidia-cuda"

; CHECK: @__cuport_sites_down = {{.*}} { i32 7, i32 [[#R0:]], i32 [[#STRIDE:]], i32 1, i32 -1, i32 16, i32 31, i32 0 }
; CHECK: @__cuport_sites_xor = {{.*}} { i32 8, i32 {{[0-9]+}}, i32 {{[0-9]+}}, i32 1, i32 -1, i32 6, i32 31, i32 0 }

; CHECK-LABEL: define internal i32 @down.wi(
; CHECK: store i64 %{{.*}}, ptr %sync.a
; CHECK-NOT: store
; CHECK: ret i32 1

; CHECK-LABEL: define dso_local void @__cuport_k_down(
; CHECK: direct.1:
; CHECK: %full.warps.threads = and i32 %nthreads, -32
; CHECK: shfl.warp.body:
; CHECK: %[[LANE:.*]] = and i32 %shfl.warp, 31
; CHECK: %[[OK:.*]] = icmp ule i32 %[[LANE]], 15
; CHECK: add i64 %{{.*}}, 16
; CHECK: %[[ABOVE:.*]] = load i64
; CHECK: %[[OWN:.*]] = load i64
; CHECK: select i1 %[[OK]], i64 %[[ABOVE]], i64 %[[OWN]]
; CHECK: shfl.body:
define void @down(ptr %out) {
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %s = call i32 @llvm.nvvm.shfl.sync.down.i32(i32 -1, i32 %t, i32 16, i32 31)
  %p = getelementptr i32, ptr %out, i32 %t
  store i32 %s, ptr %p
  ret void
}

; CHECK-LABEL: define dso_local void @__cuport_k_xor(
; CHECK: direct.1:
; CHECK-NOT: shfl.warp
; CHECK: shfl.body:
define void @xor(ptr %out) {
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %s = call i32 @llvm.nvvm.shfl.sync.bfly.i32(i32 -1, i32 %t, i32 6, i32 31)
  %p = getelementptr i32, ptr %out, i32 %t
  store i32 %s, ptr %p
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.shfl.sync.down.i32(i32, i32, i32, i32)
declare i32 @llvm.nvvm.shfl.sync.bfly.i32(i32, i32, i32, i32)

!nvvm.annotations = !{!0, !1}
!0 = !{ptr @down, !"kernel", i32 1}
!1 = !{ptr @xor, !"kernel", i32 1}

; Shuffles whose mask, lane and c operands are constants: the threads store only the value, the site table
; holds the operands (flag 1), and when every thread waits at the site the block function reads the values
; of full warps at consecutive addresses: lane l of a shuffle down by 16 reads thread t + 16 when l <= 15,
; else its own.  An xor with a lane mask that is not a power of two takes the general loop alone.
; Shuffles whose predicate no one reads are narrow (flag 2): the value and result fields hold 4-byte
; elements; a shuffle whose predicate is read (the .p form) keeps 8-byte ones (bit 32: the predicate).
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s

target triple = "nvptx64-nvidia-cuda"

; CHECK: @__cuport_sites_down = {{.*}} { i32 7, i32 [[#R0:]], i32 [[#STRIDE:]], i32 3, i32 -1, i32 16, i32 31, i32 0 }
; CHECK: @__cuport_sites_xor = {{.*}} { i32 8, i32 {{[0-9]+}}, i32 {{[0-9]+}}, i32 3, i32 -1, i32 6, i32 31, i32 0 }
; CHECK: @__cuport_sites_pred = {{.*}} { i32 7, i32 {{[0-9]+}}, i32 {{[0-9]+}}, i32 1, i32 -1, i32 16, i32 31, i32 0 }

; CHECK-LABEL: define internal i32 @down.wi(
; CHECK: %[[A4:.*]] = mul nuw nsw i64 %tid.linear.64, 4
; CHECK: %[[AOFF:.*]] = add nuw nsw i64 %[[A4]], [[#R0 + STRIDE]]
; CHECK: %sync.a.narrow = getelementptr inbounds i8, ptr %frame, i64 %[[AOFF]]
; CHECK: store i32 %{{.*}}, ptr %sync.a.narrow, align 4
; CHECK-NOT: store
; CHECK: ret i32 1
; CHECK: load i32, ptr %sync.result.narrow, align 4

; CHECK-LABEL: define dso_local void @__cuport_k_down(
; CHECK: direct.1:
; CHECK: %full.warps.threads = and i32 %nthreads, -32
; CHECK: shfl.warp.body:
; CHECK: %[[LANE:.*]] = and i32 %shfl.warp, 31
; CHECK: %[[OK:.*]] = icmp ule i32 %[[LANE]], 15
; CHECK: add i64 %{{.*}}, 16
; CHECK: %[[ABOVE:.*]] = load i32
; CHECK: %[[OWN:.*]] = load i32
; CHECK: %[[V:.*]] = select i1 %[[OK]], i32 %[[ABOVE]], i32 %[[OWN]]
; CHECK: store i32 %[[V]]
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

; CHECK-LABEL: define internal i32 @pred.wi(
; CHECK: store i64 %{{.*}}, ptr %sync.a, align 8
; CHECK: load i64, ptr %sync.result, align 8
; CHECK-LABEL: define dso_local void @__cuport_k_pred(
; CHECK: shfl.warp.body:
; CHECK: %[[PV:.*]] = select i1 %{{.*}}, i64 %{{.*}}, i64 %{{.*}}
; CHECK: %[[PLO:.*]] = and i64 %[[PV]], 4294967295
; CHECK: or i64 %[[PLO]], %{{.*}}
define void @pred(ptr %out) {
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %r = call { i32, i1 } @llvm.nvvm.shfl.sync.down.i32p(i32 -1, i32 %t, i32 16, i32 31)
  %s = extractvalue { i32, i1 } %r, 0
  %ok = extractvalue { i32, i1 } %r, 1
  %z = zext i1 %ok to i32
  %v = add i32 %s, %z
  %p = getelementptr i32, ptr %out, i32 %t
  store i32 %v, ptr %p
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.shfl.sync.down.i32(i32, i32, i32, i32)
declare i32 @llvm.nvvm.shfl.sync.bfly.i32(i32, i32, i32, i32)
declare { i32, i1 } @llvm.nvvm.shfl.sync.down.i32p(i32, i32, i32, i32)

!nvvm.annotations = !{!0, !1, !2}
!0 = !{ptr @down, !"kernel", i32 1}
!1 = !{ptr @xor, !"kernel", i32 1}
!2 = !{ptr @pred, !"kernel", i32 1}

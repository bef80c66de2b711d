; A kernel whose region between barriers has a loop of its own (a tiled matmul's k loop, here with a trip
; count the simplify step cannot unroll): the uniform
; value live across the barriers (the tile counter) is stored in each thread's frame, not in a block-wide
; uniform.out that would be carried from one iteration of the region loop to the next and keep LLVM from
; vectorizing it.  Each region copies the values from one live thread's frame slots to uniform.in: thread
; 0's when every thread runs it, else the first thread released at the site.
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s

target triple = "nvptx64-nvidia-cuda"

@tile = internal addrspace(3) global [16 x float] undef, align 4

; CHECK-LABEL: define internal i32 @tiles.wi(
; CHECK: %uniform.out.slot = getelementptr inbounds i8, ptr %frame, i64 %{{[0-9]+}}
; CHECK: barrier:
; CHECK: store i64 %{{.*}}, ptr %uniform.out.slot
; CHECK: ret i32 1
; CHECK: resume.1:
; CHECK: getelementptr inbounds i8, ptr %uniform.in, i64 0

; CHECK-LABEL: define dso_local void @__cuport_k_tiles(
; CHECK: %uniform.in = alloca
; CHECK-NOT: %uniform.out = alloca
; CHECK: region.1.all:
; CHECK-NEXT: %[[SRC:.*]] = getelementptr i8, ptr %frame, i64 {{[0-9]+}}
; CHECK-NEXT: %[[DST:.*]] = getelementptr inbounds i8, ptr %uniform.in, i64 0
; CHECK-NEXT: call void @llvm.memcpy.p0.p0.i64(ptr align 16 %[[DST]], ptr align 8 %[[SRC]], i64 8, i1 false)
; CHECK: uniform.src:
; CHECK: icmp eq i32 %{{.*}}, -2147483647
; CHECK: uniform.copy:
; CHECK: call void @llvm.memcpy.p0.p0.i64(ptr align {{[0-9]+}} %{{.*}}, ptr align 8 %{{.*}}, i64 8, i1 false)

define void @tiles(ptr %out, ptr %in, i32 %ntiles, i32 %width) {
entry:
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %slot = getelementptr [16 x float], ptr addrspace(3) @tile, i32 0, i32 %t
  br label %tile.loop

tile.loop:
  %k = phi i32 [ 0, %entry ], [ %k.next, %tile.end ]
  %acc = phi float [ 0.0, %entry ], [ %acc.next, %tile.end ]
  %src = getelementptr float, ptr %in, i32 %k
  %v = load float, ptr %src
  store float %v, ptr addrspace(3) %slot
  call void @llvm.nvvm.barrier0()
  br label %inner

inner:
  %j = phi i32 [ 0, %tile.loop ], [ %j.next, %inner ]
  %a = phi float [ %acc, %tile.loop ], [ %a.next, %inner ]
  %p = getelementptr [16 x float], ptr addrspace(3) @tile, i32 0, i32 %j
  %w = load float, ptr addrspace(3) %p
  %a.next = fadd float %a, %w
  %j.next = add i32 %j, 1
  %j.done = icmp eq i32 %j.next, %width
  br i1 %j.done, label %tile.end, label %inner

tile.end:
  %acc.next = phi float [ %a.next, %inner ]
  call void @llvm.nvvm.barrier0()
  %k.next = add i32 %k, 1
  %more = icmp slt i32 %k.next, %ntiles
  br i1 %more, label %tile.loop, label %exit

exit:
  %o = getelementptr float, ptr %out, i32 %t
  store float %acc.next, ptr %o
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare void @llvm.nvvm.barrier0()

!nvvm.annotations = !{!0}
!0 = !{ptr @tiles, !"kernel", i32 1}

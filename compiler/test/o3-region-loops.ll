; The whole CPU pipeline at -O3 (cuport-cc's device level): the thread functions are inlined into the block
; function's loops before LLVM's inter-procedural passes run.  Otherwise argument promotion rewrote the
; thread function's `ctx` parameter into loads of blockDim at each call site, inside the row loops and
; outside their access group: the loops stopped being annotated parallel and a saxpy stayed scalar.
; RUN: %cuport-opt -O3 -passes=cpu --cpu-target=haswell %s | %FileCheck %s
; RUN: %cuport-opt -O2 -passes=cpu --cpu-target=haswell %s | %FileCheck %s

target triple = "nvptx64-nvidia-cuda"

; CHECK-LABEL: define dso_local void @__cuport_k_saxpy(
; No promoted context argument anywhere, and blockDim.x (ctx + 12) is loaded once, before the loops.
; CHECK-NOT: .val
; CHECK: %bx = load i32, ptr %{{.*}}, align 4
; CHECK-NOT: .val
; CHECK: vector.body:
; CHECK: load <8 x float>
; CHECK: fmul{{.*}}<8 x float>
; CHECK: store <8 x float>
; CHECK-NOT: .val
; CHECK-LABEL: {{^}}}

define void @saxpy(float %a, ptr %x, ptr %y, i32 %n) {
entry:
  %bid = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %bdim = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %base = mul i32 %bid, %bdim
  %i = add i32 %base, %tid
  %in = icmp slt i32 %i, %n
  br i1 %in, label %body, label %exit
body:
  %idx = sext i32 %i to i64
  %px = getelementptr inbounds float, ptr %x, i64 %idx
  %vx = load float, ptr %px, align 4
  %py = getelementptr inbounds float, ptr %y, i64 %idx
  %vy = load float, ptr %py, align 4
  %m = fmul contract float %a, %vx
  %r = fadd contract float %m, %vy
  store float %r, ptr %py, align 4
  br label %exit
exit:
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()

!nvvm.annotations = !{!0}
!0 = !{ptr @saxpy, !"kernel", i32 1}

; The device code's vector width (CpuTargetOptions::VectorWidth, cuport-cc --cpu-vector-width): every
; function gets "prefer-vector-width", the block function included, so the loops over threads vectorize to
; the CPU's widest vectors.  LLVM's own tuning for Intel's AVX-512 CPUs prefers 256 bits; cuport's default
; is 512.  A CPU without AVX-512 keeps its own widest (Haswell: 256).
; RUN: %cuport-opt -passes=cpu --cpu-target=skylake-avx512 %s | %FileCheck %s --check-prefix=W512
; RUN: %cuport-opt -passes=cpu --cpu-target=skylake-avx512 --cpu-vector-width=256 %s | %FileCheck %s --check-prefix=W256
; RUN: %cuport-opt -passes=cpu --cpu-target=haswell %s | %FileCheck %s --check-prefix=W256

target triple = "nvptx64-nvidia-cuda"

; W512-LABEL: define dso_local void @__cuport_k_scale(
; W512: vector.body:
; W512: load <16 x float>
; W512: store <16 x float>
; W512: attributes #{{[0-9]+}} = {{.*}}"prefer-vector-width"="512"
; W256-LABEL: define dso_local void @__cuport_k_scale(
; W256: vector.body:
; W256-NOT: <16 x float>
; W256: load <8 x float>
; W256-NOT: <16 x float>
; W256: store <8 x float>

define void @scale(ptr %x, i32 %n) {
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
  %m = fmul float %vx, 2.0
  store float %m, ptr %px, align 4
  br label %exit
exit:
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()

!nvvm.annotations = !{!0}
!0 = !{ptr @scale, !"kernel", i32 1}
